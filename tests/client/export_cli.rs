//! `rpdesk export` run as a script would: the real binary against an emulator the test
//! starts, its stdout parsed, its exit code and its one line of stderr read.

use std::process::Output;

use rpdesk::emulator::EmulatorConfig;
use serde_json::Value;

use crate::common::{self, Emu};
use crate::restore_support::temp_dir;

const TOKEN: &str = "export-token";

async fn emulator() -> Emu {
    common::start_with(EmulatorConfig {
        token: Some(TOKEN.into()),
        ..Default::default()
    })
    .await
}

/// Runs `rpdesk export ARGS` on a blocking thread (the emulator keeps serving).
async fn export(args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_rpdesk"))
            .arg("export")
            .args(&args)
            .env_remove("RPDESK_TOKEN")
            .env_remove("RUST_LOG")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

/// `rpdesk export WHAT --endpoint BASE --token TOKEN ARGS`, which must succeed: stdout.
async fn ok(emu: &Emu, what: &str, args: &[&str]) -> String {
    let mut all = vec![what, "--endpoint", &emu.base, "--token", TOKEN];
    all.extend_from_slice(args);
    let out = export(&all).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{all:?}: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "ends mid-record"
    );
    rows
}

/// The one line on stderr (none else), with the prefix scripts can grep for.
fn one_line_reason(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr:?}");
    assert!(stderr.starts_with("rpdesk export: "), "{stderr:?}");
    assert!(out.stdout.is_empty(), "a failure writes no data");
    stderr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inventory_json_parses_and_matches_the_emulator() {
    let emu = emulator().await;
    let doc: Value = serde_json::from_str(&ok(&emu, "inventory", &[]).await).unwrap();
    assert_eq!(doc["export"], "inventory");
    assert_eq!(doc["format_version"], 1);
    let subs = emu
        .list_all("/subscriptions", "2022-12-01")
        .await
        .into_iter()
        .map(|s| s["subscriptionId"].as_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    let exported: Vec<&str> = doc["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["subscription_id"].as_str().unwrap())
        .collect();
    assert_eq!(exported.len(), subs.len());
    for s in &subs {
        assert!(exported.contains(&s.as_str()), "{s} missing");
    }
    // Every VM the emulator serves, and every point of one collection.
    let mut vms = 0;
    for s in &subs {
        vms += emu
            .list_all(
                &format!("/subscriptions/{s}/providers/Microsoft.Compute/virtualMachines"),
                common::CRP,
            )
            .await
            .len();
    }
    assert_eq!(doc["vms"].as_array().unwrap().len(), vms);
    let points = doc["points"].as_array().unwrap();
    let rpc = points[0]["collection"].as_str().unwrap();
    let rg = points[0]["resource_group"].as_str().unwrap();
    let sub = points[0]["subscription_id"].as_str().unwrap();
    let (status, collection) = emu
        .get(
            &format!("{}?$expand=restorePoints", common::rpc_path(sub, rg, rpc)),
            common::CRP,
        )
        .await;
    assert_eq!(status, 200, "{collection}");
    let served = collection["properties"]["restorePoints"]
        .as_array()
        .unwrap();
    let in_export = points
        .iter()
        .filter(|p| p["collection"] == rpc && p["resource_group"] == rg)
        .count();
    assert_eq!(in_export, served.len());
    assert!(!doc["disk_points"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_inventory_csv_has_its_columns_and_one_row_per_item() {
    let emu = emulator().await;
    let json: Value = serde_json::from_str(&ok(&emu, "inventory", &[]).await).unwrap();
    let expected = [
        (
            "subscriptions",
            "subscriptions",
            "subscription_id,name,state,vms,collections,points",
        ),
        (
            "vms",
            "vms",
            "subscription_id,resource_group,vm,vm_id,location,size,os_type,power_state,disks,collections,points,latest_point",
        ),
        (
            "collections",
            "collections",
            "subscription_id,resource_group,collection,collection_id,location,source_id,vm,link,azure_backup,instant_access,provisioning_state,points,load_error",
        ),
        (
            "points",
            "points",
            "subscription_id,resource_group,vm,collection,restore_point,restore_point_id,time_created,consistency_mode,provisioning_state,disk_points,excluded_disks,instant_access_minutes,copied_from,copy_percent",
        ),
        (
            "disk-points",
            "disk_points",
            "subscription_id,resource_group,vm,collection,restore_point,disk_point,disk_point_id,disk,disk_id,lun,size_gib,storage_type,encryption",
        ),
    ];
    for (table, key, header) in expected {
        let csv = ok(&emu, "inventory", &["--format", "csv", "--table", table]).await;
        assert_eq!(first_line(&csv), header, "{table}");
        let rows = parse_csv(&csv);
        assert_eq!(
            rows.len() - 1,
            json[key].as_array().unwrap().len(),
            "{table}: one row per item"
        );
        assert!(rows.iter().all(|r| r.len() == header.split(',').count()));
    }
    // The default CSV table is the restore points.
    let csv = ok(&emu, "inventory", &["--format", "csv"]).await;
    assert_eq!(first_line(&csv), expected[3].2);
}

/// Contoso CI's 8,120 collections near Azure's limit are read on demand: the export lists
/// them with no count of points (not a false 0) and says so, still exit 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collections_read_on_demand_export_without_a_count_and_say_so() {
    let emu = emulator().await;
    let args = [
        "inventory",
        "--endpoint",
        &emu.base,
        "--token",
        TOKEN,
        "--format",
        "csv",
        "--table",
        "collections",
    ];
    let out = export(&args).await;
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("the points of 8,120 collections") && stderr.contains("--read-all"),
        "{stderr}"
    );
    let rows = parse_csv(&String::from_utf8(out.stdout).unwrap());
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let (name, points) = (col("collection"), col("points"));
    let ci: Vec<&Vec<String>> = rows[1..]
        .iter()
        .filter(|r| r[name].starts_with("ci-run-"))
        .collect();
    assert_eq!(ci.len(), 8_120);
    assert!(
        ci.iter().all(|r| r[points].is_empty()),
        "not read: no count"
    );
    assert!(
        rows[1..]
            .iter()
            .filter(|r| !r[name].starts_with("ci-run-"))
            .all(|r| r[points].parse::<usize>().is_ok()),
        "every other collection has its count"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fleet_export_assesses_every_vm_in_both_modes() {
    let emu = emulator().await;
    let doc: Value = serde_json::from_str(&ok(&emu, "fleet", &[]).await).unwrap();
    assert_eq!(doc["export"], "fleet");
    let inv: Value = serde_json::from_str(&ok(&emu, "inventory", &[]).await).unwrap();
    let rows = doc["assessments"].as_array().unwrap();
    assert_eq!(rows.len(), 2 * inv["vms"].as_array().unwrap().len());
    let ultra = rows
        .iter()
        .find(|r| r["vm"] == "sap-hana-01" && r["mode"] == "crash-consistent")
        .unwrap();
    assert!(!ultra["excluded_disks"].as_array().unwrap().is_empty());
    let csv = ok(&emu, "fleet", &["--format", "csv"]).await;
    assert_eq!(
        first_line(&csv),
        "vm,vm_id,subscription_id,subscription,resource_group,region,mode,verdict,not_before,recommended,excluded_disks,failing_rules,warning_rules,reasons"
    );
    assert_eq!(parse_csv(&csv).len() - 1, rows.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cost_export_prices_from_the_endpoint_and_has_its_tables() {
    let emu = emulator().await;
    let dir = temp_dir("export-cost");
    let dir = dir.to_str().unwrap();
    let base = emu.base.clone();
    let args = ["--prices-endpoint", &base, "--data-dir", dir];
    let doc: Value = serde_json::from_str(&ok(&emu, "cost", &args).await).unwrap();
    assert_eq!(doc["export"], "cost");
    assert_eq!(doc["currency"], "USD");
    assert_eq!(doc["prices"]["source"], "live", "{}", doc["prices"]);
    assert!(doc["totals"]["per_month"].as_f64().unwrap() > 0.0);
    let mut csv_args = vec!["--format", "csv", "--table", "collections"];
    csv_args.extend_from_slice(&args);
    let csv = ok(&emu, "cost", &csv_args).await;
    assert_eq!(
        first_line(&csv),
        "collection,vm,resource_group,subscription,region,points,gib,per_month,currency"
    );
    assert_eq!(
        parse_csv(&csv).len() - 1,
        doc["tables"]["collections"].as_array().unwrap().len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_goes_to_the_file_named_and_nowhere_else() {
    let emu = emulator().await;
    let dir = temp_dir("export-output");
    let file = dir.join("points.csv");
    let path = file.to_str().unwrap();
    let stdout = ok(&emu, "inventory", &["--format", "csv", "-o", path]).await;
    assert!(stdout.is_empty());
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(first_line(&written).starts_with("subscription_id,resource_group,vm,collection,"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_that_does_not_answer_is_exit_3_and_one_line() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let out = export(&["inventory", "--endpoint", &url, "--token", "t"]).await;
    assert_eq!(out.status.code(), Some(3));
    let reason = one_line_reason(&out);
    assert!(reason.contains("cannot list the subscriptions"), "{reason}");
    assert!(reason.contains(&format!("127.0.0.1:{port}")), "{reason}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_is_exit_5_and_a_server_error_exit_6() {
    let emu = emulator().await;
    let out = export(&["fleet", "--endpoint", &emu.base, "--token", "wrong"]).await;
    assert_eq!(out.status.code(), Some(5));
    let reason = one_line_reason(&out);
    assert!(
        reason.contains("401") || reason.contains("Authentication"),
        "{reason}"
    );

    emu.admin(
        reqwest::Method::POST,
        "faults",
        Some(serde_json::json!({"kind": "serverError", "pathContains": "/subscriptions", "count": 100})),
    )
    .await;
    let out = export(&["inventory", "--endpoint", &emu.base, "--token", TOKEN]).await;
    assert_eq!(out.status.code(), Some(6));
    one_line_reason(&out);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_arguments_are_exit_2_and_one_line() {
    for args in [
        &["inventory", "--format", "xml"][..],
        &["inventory", "--format", "csv", "--table", "nope"],
        &["inventory", "--table", "vms"],
        &["cost", "--policy-a", "1h:30"],
        &["cost", "--currency", "XXX"],
        &[
            "inventory",
            "--endpoint",
            "http://example.com",
            "--token",
            "t",
        ],
        &["nothing"],
    ] {
        let out = export(args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        one_line_reason(&out);
    }
}
