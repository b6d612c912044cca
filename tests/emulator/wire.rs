//! ARM wire behaviour of the emulator over real HTTP: auth, api-versions, request ids,
//! errors, paging, case-insensitive paths, LROs.

use crate::common::*;
use reqwest::Method;
use rpdesk::emulator::EmulatorConfig;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test]
async fn lists_three_subscriptions_and_refuses_requests_without_a_bearer() {
    let e = start().await;
    let (s, body) = e.get("/subscriptions", "2022-12-01").await;
    assert_eq!(s, 200);
    assert!(body["value"].as_array().unwrap().len() >= 3);
    assert!(
        body["value"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["displayName"] == "Contoso Production")
    );

    let r = e
        .http
        .get(e.url("/subscriptions", "2022-12-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.headers().contains_key("x-ms-request-id"));
    let (_, body) = status_json(r).await;
    assert_eq!(code(&body), "AuthenticationFailed");
    assert!(body["error"]["message"].is_string());
}

#[tokio::test]
async fn api_version_missing_malformed_or_too_old_is_a_400() {
    let e = start().await;
    let path = format!("/subscriptions/{PROD}/providers/Microsoft.Compute/virtualMachines");
    let r = e
        .send(Method::GET, &format!("{}{path}", e.base), None)
        .await;
    let (s, body) = status_json(r).await;
    assert_eq!((s, code(&body)), (400, "MissingApiVersionParameter"));
    for bad in [
        "latest",
        "2025-4-01",
        "2024-11-01",
        "2021-03-01",
        "2025-04-01-beta",
    ] {
        let (s, body) = e.get(&path, bad).await;
        assert_eq!(
            (s, code(&body)),
            (400, "InvalidApiVersionParameter"),
            "{bad}"
        );
    }
    for good in [
        "2025-04-01",
        "2025-11-01",
        "2026-03-01",
        "2026-03-02-preview",
    ] {
        let (s, _) = e.get(&path, good).await;
        assert_eq!(s, 200, "{good}");
    }
    // Disk restore points take the Disk RP family (2025-01-02 and later).
    let drps = format!(
        "{}/restorePoints/rp-001-app/diskRestorePoints",
        rpc_path(PROD, "rg-sql-prod", "sql-prod-01-rpc")
    );
    assert_eq!(e.get(&drps, DRP).await.0, 200);
    assert_eq!(e.get(&drps, "2024-03-02").await.0, 400);
}

#[tokio::test]
async fn every_response_carries_request_and_correlation_ids() {
    let e = start().await;
    let r = e
        .http
        .get(e.url("/subscriptions", "2022-12-01"))
        .bearer_auth("x")
        .header("x-ms-client-request-id", "client-123")
        .header("x-ms-correlation-request-id", "corr-456")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-ms-correlation-request-id"], "corr-456");
    assert_eq!(r.headers()["x-ms-client-request-id"], "client-123");
    assert!(!r.headers()["x-ms-request-id"].is_empty());
    let r = e
        .http
        .get(format!("{}/nowhere", e.base))
        .bearer_auth("x")
        .send()
        .await
        .unwrap();
    assert!(r.headers().contains_key("x-ms-request-id"));
    assert!(r.headers().contains_key("x-ms-correlation-request-id"));
}

#[tokio::test]
async fn missing_things_get_arm_404_codes() {
    let e = start().await;
    let (s, b) = e
        .get(
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups",
            "2021-04-01",
        )
        .await;
    assert_eq!((s, code(&b)), (404, "SubscriptionNotFound"));
    let (s, b) = e
        .get(
            &format!(
                "{}/providers/Microsoft.Compute/virtualMachines",
                rg_path(PROD, "rg-nope")
            ),
            CRP,
        )
        .await;
    assert_eq!((s, code(&b)), (404, "ResourceGroupNotFound"));
    let (s, b) = e.get(&vm_id(PROD, "rg-sql-prod", "no-such-vm"), CRP).await;
    assert_eq!((s, code(&b)), (404, "ResourceNotFound"));
    let (s, b) = e
        .get(
            &format!(
                "{}/restorePoints/nope",
                rpc_path(PROD, "rg-sql-prod", "sql-prod-01-rpc")
            ),
            CRP,
        )
        .await;
    assert_eq!((s, code(&b)), (404, "ResourceNotFound"));
}

#[tokio::test]
async fn paging_follows_absolute_next_links_to_every_vm() {
    let e = start().await;
    let all = e
        .list_all(
            &format!("/subscriptions/{PROD}/providers/Microsoft.Compute/virtualMachines"),
            CRP,
        )
        .await;
    assert!(all.len() > 20, "demo production has more VMs than one page");
    let mut ids: Vec<&str> = all.iter().filter_map(|v| v["id"].as_str()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "no VM appears twice across pages");
    let (_, first) = e
        .get(
            &format!("/subscriptions/{PROD}/providers/Microsoft.Compute/virtualMachines"),
            CRP,
        )
        .await;
    assert!(
        first["nextLink"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    let (s, b) = e.get(&format!("/subscriptions/{PROD}/providers/Microsoft.Compute/virtualMachines?$skiptoken=garbage"), CRP).await;
    assert_eq!((s, code(&b)), (400, "InvalidSkipToken"));
}

#[tokio::test]
async fn path_keys_match_case_insensitively() {
    let e = start().await;
    let lower = format!(
        "/subscriptions/{PROD}/resourcegroups/RG-SQL-PROD/providers/microsoft.compute/VIRTUALMACHINES/SQL-PROD-01"
    );
    let (s, body) = e.get(&lower, CRP).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["name"], "sql-prod-01");
}

#[tokio::test]
async fn vm_get_expands_instance_view_and_instance_view_route_agrees() {
    let e = start().await;
    let id = vm_id(PROD, "rg-ops-prod", "jumpbox-01");
    let (_, vm) = e.get(&format!("{id}?$expand=instanceView"), CRP).await;
    let statuses = vm["properties"]["instanceView"]["statuses"]
        .as_array()
        .unwrap();
    assert!(
        statuses
            .iter()
            .any(|s| s["code"] == "PowerState/deallocated")
    );
    let (_, iv) = e.get(&format!("{id}/instanceView"), CRP).await;
    assert_eq!(iv["statuses"], vm["properties"]["instanceView"]["statuses"]);
}

#[tokio::test]
async fn restore_point_lifecycle_runs_as_long_running_operations() {
    let e = start().await;
    let rpc = rpc_path(PROD, "rg-web-prod", "web-frontend-02-rpc");
    let r = e
        .send(
            Method::PUT,
            &e.url(&format!("{rpc}/restorePoints/rp-lifecycle"), CRP),
            Some(json!({ "properties": {} })),
        )
        .await;
    assert_eq!(r.status().as_u16(), 201);
    let op = r.headers()["azure-asyncoperation"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(r.headers().contains_key("location"));
    assert!(
        r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    let (_, body) = status_json(r).await;
    assert_eq!(body["properties"]["provisioningState"], "Creating");
    let (_, first) = status_json(e.send(Method::GET, &op, None).await).await;
    assert_eq!(first["status"], "InProgress");
    let done = e.wait_op(&op).await;
    assert_eq!(done["status"], "Succeeded");

    let (s, p) = e
        .get(
            &format!("{rpc}/restorePoints/rp-lifecycle?$expand=instanceView"),
            CRP,
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(p["properties"]["provisioningState"], "Succeeded");
    let drps = p["properties"]["instanceView"]["diskRestorePoints"]
        .as_array()
        .unwrap();
    assert_eq!(drps.len(), 2);
    assert!(drps.iter().all(|d| d["snapshotAccessState"] == "Available"));

    // Restore a disk from the OS disk restore point.
    let drp_id = drps[0]["id"].as_str().unwrap().to_owned();
    let disk = format!(
        "{}/providers/Microsoft.Compute/disks/restored-os",
        rg_path(PROD, "rg-web-prod")
    );
    let r = e
        .send(Method::PUT, &e.url(&disk, DRP), Some(json!({ "location": "eastus",
            "properties": { "creationData": { "createOption": "Restore", "sourceResourceId": drp_id } } })))
        .await;
    assert_eq!(r.status().as_u16(), 202);
    let op = r.headers()["azure-asyncoperation"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(e.wait_op(&op).await["status"], "Succeeded");
    let (_, d) = e.get(&disk, DRP).await;
    assert_eq!(d["properties"]["provisioningState"], "Succeeded");
    assert_eq!(d["properties"]["creationData"]["createOption"], "Restore");
    assert_eq!(d["properties"]["diskState"], "Unattached");

    // Delete the point, then the collection (which takes its points with it).
    let r = e
        .send(
            Method::DELETE,
            &e.url(&format!("{rpc}/restorePoints/rp-lifecycle"), CRP),
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    let op = r.headers()["azure-asyncoperation"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(e.wait_op(&op).await["status"], "Succeeded");
    assert_eq!(
        e.get(&format!("{rpc}/restorePoints/rp-lifecycle"), CRP)
            .await
            .0,
        404
    );
    let r = e.send(Method::DELETE, &e.url(&rpc, CRP), None).await;
    assert_eq!(r.status().as_u16(), 202);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    let (s, _) = status_json(e.send(Method::GET, &loc, None).await).await;
    assert_eq!(s, 202, "Location polling answers 202 while running");
    e.advance(3600.0).await;
    assert_eq!(
        status_json(e.send(Method::GET, &loc, None).await).await.0,
        200
    );
    assert_eq!(e.get(&rpc, CRP).await.0, 404);
}

#[tokio::test]
async fn collections_put_patch_tags_and_expand_points() {
    let e = start().await;
    let rpc = rpc_path(DEV, "rg-dev-sandbox", "sandbox-rpc");
    let vm = vm_id(DEV, "rg-dev-sandbox", "dev-sandbox-01");
    let (s, c) = e.put(&rpc, CRP, json!({ "location": "northeurope", "properties": { "source": { "id": vm } }, "tags": { "a": "1" } })).await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(c["properties"]["source"]["location"], "northeurope");
    let r = e
        .send(
            Method::PATCH,
            &e.url(&rpc, CRP),
            Some(json!({ "tags": { "b": "2" } })),
        )
        .await;
    let (s, c) = status_json(r).await;
    assert_eq!(s, 200);
    assert_eq!(c["tags"], json!({ "b": "2" }));
    let (s, b) = e.put(&rpc, CRP, json!({ "location": "northeurope", "properties": { "source": { "id": vm_id(DEV, "rg-dev-data", "dev-db-01") } } })).await;
    assert_eq!((s, code(&b)), (400, "PropertyChangeNotAllowed"));
    let (_, c) = e
        .get(
            &format!(
                "{}?$expand=restorePoints",
                rpc_path(PROD, "rg-sql-prod", "sql-prod-01-rpc")
            ),
            CRP,
        )
        .await;
    assert!(c["properties"]["restorePoints"].as_array().unwrap().len() >= 20);
    let all = e
        .list_all(
            &format!("/subscriptions/{PROD}/providers/Microsoft.Compute/restorePointCollections"),
            CRP,
        )
        .await;
    assert!(
        all.iter()
            .any(|c| c["id"].as_str().unwrap().contains("AzureBackupRG_eastus_1"))
    );
    let _: Vec<Value> = all;
}

#[tokio::test]
async fn next_links_use_the_host_the_client_called() {
    let e = start().await;
    let port = e.emu.addr().port();
    let r = e
        .http
        .get(e.url(
            &format!("/subscriptions/{PROD}/providers/Microsoft.Compute/disks"),
            DRP,
        ))
        .bearer_auth("x")
        .header("host", format!("localhost:{port}"))
        .send()
        .await
        .unwrap();
    let (_, body) = status_json(r).await;
    assert!(
        body["nextLink"]
            .as_str()
            .unwrap()
            .starts_with(&format!("http://localhost:{port}/"))
    );
}

#[tokio::test]
async fn vm_list_expands_instance_view_only_with_a_filter() {
    let e = start().await;
    let list = format!("/subscriptions/{PROD}/providers/Microsoft.Compute/virtualMachines");
    let (s, b) = e.get(&format!("{list}?$expand=instanceView"), CRP).await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"));
    let vmss = format!(
        "{}/providers/Microsoft.Compute/virtualMachineScaleSets/batch-flex",
        rg_path(PROD, "rg-batch-prod")
    );
    let (s, b) = e
        .get(
            &format!("{list}?$expand=instanceView&$filter='virtualMachineScaleSet/id' eq '{vmss}'"),
            CRP,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let vms = b["value"].as_array().unwrap();
    assert_eq!(vms.len(), 2);
    assert!(
        vms.iter()
            .all(|v| v["properties"]["instanceView"]["statuses"].is_array())
    );
}

#[tokio::test]
async fn a_configured_token_is_the_only_one_accepted() {
    let e = start_with(rpdesk::emulator::EmulatorConfig {
        token: Some("s3cret".into()),
        ..Default::default()
    })
    .await;
    let url = e.url("/subscriptions", "2022-12-01");
    let r = e.http.get(&url).bearer_auth("wrong").send().await.unwrap();
    let (s, b) = status_json(r).await;
    assert_eq!((s, code(&b)), (401, "InvalidAuthenticationToken"));
    let r = e
        .http
        .get(&url)
        .header("authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = e.http.get(&url).bearer_auth("s3cret").send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

#[tokio::test]
async fn vms_list_by_location() {
    let e = start().await;
    let all = e.list_all(&format!("/subscriptions/{PROD}/providers/Microsoft.Compute/locations/westus2/virtualMachines"), CRP).await;
    let names: Vec<&str> = all.iter().filter_map(|v| v["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "analytics-pv2-01",
            "etl-pv2-01",
            "api-gateway-01",
            "sap-hana-01"
        ]
    );
    assert!(all.iter().all(|v| v["location"] == "westus2"));
}

/// An emulator whose connection timeouts are short enough to measure.
async fn with_timeouts(idle_secs: f64, header_secs: f64) -> Emu {
    start_with(EmulatorConfig {
        idle_timeout: Duration::from_secs_f64(idle_secs),
        header_timeout: Duration::from_secs_f64(header_secs),
        ..Default::default()
    })
    .await
}

/// Reads until the server closes the connection (end of stream or an error); everything
/// read. Gives up, returning `None`, after `limit`.
async fn read_until_closed(
    read: &mut (impl AsyncReadExt + Unpin),
    limit: Duration,
) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, read.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(got),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// Reads one HTTP response (headers and a `Content-Length` body); its status line.
async fn read_response(read: &mut (impl AsyncReadExt + Unpin)) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(10), read.read(&mut buf))
            .await
            .expect("a response in time")
            .expect("read");
        assert!(
            n > 0,
            "closed before a response: {:?}",
            String::from_utf8_lossy(&got)
        );
        got.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&got).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .unwrap_or(0);
            if got.len() >= end + 4 + length {
                return text.lines().next().unwrap_or_default().to_owned();
            }
        }
    }
}

const REQUEST: &str = "GET /subscriptions?api-version=2022-12-01 HTTP/1.1\r\nHost: emulator\r\n\
                       Authorization: Bearer t\r\n\r\n";

#[tokio::test]
async fn a_client_trickling_its_headers_is_cut_after_the_header_timeout() {
    let e = with_timeouts(30.0, 1.0).await;
    let stream = TcpStream::connect(e.emu.addr()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let started = Instant::now();
    // Slowloris: a header line every 200 ms, never the blank line that ends them.
    let trickle = tokio::spawn(async move {
        let _ = write.write_all(b"GET /subscriptions HTTP/1.1\r\n").await;
        for i in 0..100 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if write
                .write_all(format!("X-Slow-{i}: 1\r\n").as_bytes())
                .await
                .is_err()
            {
                break;
            }
        }
    });
    let closed = read_until_closed(&mut read, Duration::from_secs(8)).await;
    let after = started.elapsed();
    trickle.abort();
    assert!(closed.is_some(), "still open after {after:?}");
    assert!(
        (Duration::from_millis(900)..Duration::from_secs(3)).contains(&after),
        "cut after {after:?}"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    // The header timeout is shorter: an idle connection is not cut by it.
    let e = with_timeouts(2.5, 1.0).await;
    let stream = TcpStream::connect(e.emu.addr()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    for _ in 0..2 {
        write.write_all(REQUEST.as_bytes()).await.unwrap();
        assert_eq!(read_response(&mut read).await, "HTTP/1.1 200 OK");
    }
    let idle_since = Instant::now();
    let closed = read_until_closed(&mut read, Duration::from_secs(10)).await;
    let after = idle_since.elapsed();
    assert_eq!(closed.as_deref(), Some(&b""[..]), "closed without a word");
    assert!(
        (Duration::from_millis(2300)..Duration::from_millis(4500)).contains(&after),
        "closed after {after:?}"
    );
}

#[tokio::test]
async fn a_request_slower_than_the_idle_timeout_still_gets_its_answer() {
    let e = start_with(EmulatorConfig {
        idle_timeout: Duration::from_millis(500),
        header_timeout: Duration::from_millis(500),
        latency_ms: 1500,
        ..Default::default()
    })
    .await;
    let stream = TcpStream::connect(e.emu.addr()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    write.write_all(REQUEST.as_bytes()).await.unwrap();
    assert_eq!(read_response(&mut read).await, "HTTP/1.1 200 OK");
}

#[tokio::test]
async fn a_body_trickled_slower_than_the_header_timeout_is_refused_with_408() {
    let e = with_timeouts(30.0, 1.0).await;
    let stream = TcpStream::connect(e.emu.addr()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let path = rg_path(DEV, "rg-slow-body");
    write
        .write_all(
            format!(
                "PUT {path}?api-version=2021-04-01 HTTP/1.1\r\nHost: emulator\r\n\
                 Authorization: Bearer t\r\nContent-Type: application/json\r\n\
                 Content-Length: 64\r\n\r\n{{"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let started = Instant::now();
    let trickle = tokio::spawn(async move {
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if write.write_all(b" ").await.is_err() {
                break;
            }
        }
    });
    let status = read_response(&mut read).await;
    trickle.abort();
    assert_eq!(status, "HTTP/1.1 408 Request Timeout");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        e.get(&path, "2021-04-01").await.0,
        404,
        "nothing was created"
    );
}
