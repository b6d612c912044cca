//! The calls a creation or a copy stands for (`CreatePointPlan::calls`,
//! `CopyPointPlan::calls`: what the backend sends, and what the dialogs' `az restore-point`
//! commands are checked against in `restore::point_az`) do what the action promises: each,
//! written as `az rest` and split as a shell would, carries the call's method, URL and
//! body, and sent to the emulator as `az rest` would send it, the point exists with the
//! mode and disks asked, the copy names its source, and the new collection's source is
//! the VM or the source collection.

use reqwest::Method;
use rpdesk::inventory::{CopyPointPlan, CreatePointPlan, default_collection_id};
use rpdesk::model::{ArmCall, ResourceId};
use rpdesk::restore::az::{rest, split_shell};
use rpdesk::rules::Mode;
use serde_json::Value;

use crate::common::{self, CRP, DEV, Emu, PROD};

/// `--flag value` pairs of a split command.
fn flag<'a>(words: &'a [String], name: &str) -> Option<&'a str> {
    let at = words.iter().position(|w| w == name)?;
    words.get(at + 1).map(String::as_str)
}

/// Checks `command` against `call`, then sends it as `az rest` would; returns the
/// status and the body of the answer (after the operation, if it is one).
async fn run_az(emu: &Emu, command: &str, call: &ArmCall) -> (u16, Value) {
    let words = split_shell(command).expect("a valid shell command");
    assert_eq!(words[..2], ["az", "rest"], "{command}");
    let method = flag(&words, "--method").expect("--method");
    let url = flag(&words, "--url").expect("--url");
    let body: Option<Value> = flag(&words, "--body").map(|b| serde_json::from_str(b).unwrap());
    assert_eq!(method, call.method.as_str().to_ascii_lowercase());
    assert_eq!(url, call.path_and_query());
    assert_eq!(body, call.body, "{command}");
    assert_eq!(
        flag(&words, "--headers") == Some("If-None-Match=*"),
        call.create_only
    );
    let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
    let r = emu.send(method, &format!("{}{url}", emu.base), body).await;
    let op = r
        .headers()
        .get("azure-asyncoperation")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (status, answer) = common::status_json(r).await;
    if let Some(op) = op {
        let done = emu.wait_op(&op).await;
        assert_eq!(done["status"], "Succeeded", "{done}");
    }
    (status, answer)
}

/// Renders `calls` as the dialogs do (a collection PUT, then a point PUT) and runs each
/// command; every one is accepted.
async fn run_all(emu: &Emu, calls: &[ArmCall]) {
    let shown: Vec<String> = calls.iter().map(rest).collect();
    assert_eq!(shown.len(), 2, "{shown:#?}");
    for (command, call) in shown.iter().zip(calls) {
        let (status, body) = run_az(emu, command, call).await;
        assert!(matches!(status, 200 | 201), "{command}: {status} {body}");
    }
}

fn id(text: &str) -> ResourceId {
    ResourceId::parse(text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_creation_commands_are_its_calls_and_create_the_point() {
    let emu = common::start().await;
    // legacy-erp-01 (moved here from another resource group) has no collection in its
    // new home: the collection PUT, then the point's.
    let vm = id(&common::vm_id(PROD, "rg-erp-new", "legacy-erp-01"));
    let (_, live) = emu.get(vm.as_str(), CRP).await;
    let data_disk = id(
        live["properties"]["storageProfile"]["dataDisks"][0]["managedDisk"]["id"]
            .as_str()
            .expect("legacy-erp-01 has a data disk"),
    );
    let plan = CreatePointPlan {
        vm_id: vm.clone(),
        location: live["location"].as_str().unwrap().to_owned(),
        collection_id: default_collection_id(&vm).unwrap(),
        create_collection: true,
        point_name: "rp-from-az".into(),
        mode: Mode::CrashConsistent,
        exclude_disks: vec![data_disk.clone()],
        instant_access_minutes: None,
        not_before: None,
    };
    run_all(&emu, &plan.calls()).await;
    let (_, collection) = emu.get(plan.collection_id.as_str(), CRP).await;
    assert!(
        collection["properties"]["source"]["id"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case(vm.as_str())
    );
    let (status, point) = emu.get(plan.point_id().unwrap().as_str(), CRP).await;
    assert_eq!(status, 200, "{point}");
    assert_eq!(point["properties"]["consistencyMode"], "CrashConsistent");
    assert_eq!(point["properties"]["provisioningState"], "Succeeded");
    let excluded = point["properties"]["excludeDisks"][0]["id"]
        .as_str()
        .unwrap();
    assert!(excluded.eq_ignore_ascii_case(data_disk.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_copy_commands_are_its_calls_and_copy_the_point() {
    let emu = common::start().await;
    let source = id(&common::rpc_path(DEV, "rg-dev-data", "dev-db-01-rpc"));
    let (_, collection) = emu
        .get(&format!("{}?$expand=restorePoints", source.as_str()), CRP)
        .await;
    let newest = collection["properties"]["restorePoints"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|p| p["properties"]["timeCreated"].as_str().map(str::to_owned))
        .unwrap();
    let plan = CopyPointPlan {
        source_point_id: id(newest["id"].as_str().unwrap()),
        source_collection_id: source.clone(),
        target_region: "westeurope".into(),
        target_collection_id: rpdesk::inventory::default_copy_collection_id(&source, "westeurope")
            .unwrap(),
        create_collection: true,
        point_name: "copy-from-az".into(),
        not_before: None,
    };
    run_all(&emu, &plan.calls()).await;
    let (_, target) = emu.get(plan.target_collection_id.as_str(), CRP).await;
    assert_eq!(target["location"], "westeurope");
    assert!(
        target["properties"]["source"]["id"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case(source.as_str())
    );
    let (status, copy) = emu.get(plan.point_id().unwrap().as_str(), CRP).await;
    assert_eq!(status, 200, "{copy}");
    assert!(
        copy["properties"]["sourceRestorePoint"]["id"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case(plan.source_point_id.as_str())
    );
}
