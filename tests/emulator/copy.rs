//! Cross-region copies as Azure runs them: each disk restore point copies at its own pace
//! up to 100 %, a failed copy stops where it was with its reason in the instance view,
//! and a point whose snapshots cannot be copied yet is refused.

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};

const SOURCE_RPC: &str = "dev-db-01-rpc";
const TARGET_RPC: &str = "dev-db-01-rpc-westeurope";

/// Creates the westeurope target collection of dev-db-01's collection.
async fn target(e: &Emu) -> String {
    let src = rpc_path(DEV, "rg-dev-data", SOURCE_RPC);
    let target = rpc_path(DEV, "rg-dev-data", TARGET_RPC);
    let (s, b) = e
        .put(
            &target,
            CRP,
            json!({ "location": "westeurope", "properties": { "source": { "id": src } } }),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    target
}

/// Sends the copy of dev-db-01's `rp-014-app` (a 30 GB OS disk and a 1 TB data disk).
async fn copy(e: &Emu, target: &str) -> String {
    let src = format!(
        "{}/restorePoints/rp-014-app",
        rpc_path(DEV, "rg-dev-data", SOURCE_RPC)
    );
    let point = format!("{target}/restorePoints/rp-014-app-westeurope");
    let (s, b) = e
        .put(
            &point,
            CRP,
            json!({ "properties": { "sourceRestorePoint": { "id": src } } }),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["properties"]["provisioningState"], "Creating");
    point
}

/// `(provisioningState, [completionPercent per disk, OS disk first], statuses)`.
async fn view(e: &Emu, point: &str) -> (String, Vec<i64>, Vec<Value>) {
    let (s, b) = e.get(&format!("{point}?$expand=instanceView"), CRP).await;
    assert_eq!(s, 200, "{b}");
    let iv = &b["properties"]["instanceView"];
    let pct = iv["diskRestorePoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            d["replicationStatus"]["completionPercent"]
                .as_i64()
                .unwrap()
        })
        .collect();
    (
        b["properties"]["provisioningState"]
            .as_str()
            .unwrap()
            .to_owned(),
        pct,
        iv["statuses"].as_array().cloned().unwrap_or_default(),
    )
}

#[tokio::test]
async fn each_disk_copies_at_its_own_pace_until_the_point_succeeds() {
    let e = start().await;
    let point = copy(&e, &target(&e).await).await;
    let (state, pct, _) = view(&e, &point).await;
    assert_eq!((state.as_str(), pct.clone()), ("Creating", vec![0, 0]));
    // 30 GB: 300 s + 60 s; 1 TB: 300 s + 2,048 s. Ten minutes in, the OS disk is done.
    e.advance(600.0).await;
    let (state, pct, statuses) = view(&e, &point).await;
    assert_eq!(state, "Creating");
    assert_eq!(pct[0], 100, "the small OS disk is copied first: {pct:?}");
    assert!(pct[1] > 0 && pct[1] < 100, "{pct:?}");
    assert_eq!(statuses[0]["code"], "ReplicationState/inProgress");
    let mut last = pct[1];
    for _ in 0..4 {
        e.advance(300.0).await;
        let (_, pct, _) = view(&e, &point).await;
        assert!(pct[1] >= last, "progress never goes back: {pct:?}");
        last = pct[1];
    }
    e.advance(3600.0).await;
    let (state, pct, statuses) = view(&e, &point).await;
    assert_eq!((state.as_str(), pct), ("Succeeded", vec![100, 100]));
    assert_eq!(statuses[0]["code"], "ReplicationState/succeeded");
    // The disk restore points themselves say the same, one by one.
    let drps = e.list_all(&format!("{point}/diskRestorePoints"), DRP).await;
    for d in &drps {
        assert_eq!(d["properties"]["replicationState"], "Succeeded");
        assert_eq!(d["properties"]["completionPercent"], 100);
        assert_eq!(d["properties"]["sourceResourceLocation"], "northeurope");
    }
}

#[tokio::test]
async fn a_failed_copy_stops_where_it_was_and_says_why() {
    let e = start().await;
    let target = target(&e).await;
    e.admin(
        Method::POST,
        "faults",
        Some(
            json!({ "kind": "failLro", "pathContains": "/restorePoints/rp-014-app-westeurope",
                     "method": "PUT", "code": "ReplicationFailed", "count": 1 }),
        ),
    )
    .await;
    let point = copy(&e, &target).await;
    // It fails 40 % of the way through the 1 TB disk's 2,348 s, after the OS disk's 360 s.
    e.advance(1200.0).await;
    let (state, at_failure, statuses) = view(&e, &point).await;
    assert_eq!(state, "Failed");
    assert_eq!(
        at_failure[0], 100,
        "the OS disk was copied before the failure"
    );
    assert!(
        at_failure[1] > 0 && at_failure[1] < 100,
        "the data disk stopped part-way: {at_failure:?}"
    );
    assert_eq!(statuses[0]["code"], "ReplicationState/failed");
    let failed = statuses
        .iter()
        .find(|s| s["level"] == "Error")
        .expect("an error status");
    assert_eq!(failed["code"], "ProvisioningState/failed/ReplicationFailed");
    assert!(
        failed["message"]
            .as_str()
            .unwrap()
            .contains("to region 'westeurope' failed"),
        "{failed}"
    );
    // Time goes on; a failed copy does not.
    e.advance(7200.0).await;
    let (state, later, _) = view(&e, &point).await;
    assert_eq!((state.as_str(), later), ("Failed", at_failure));
}

#[tokio::test]
async fn a_point_whose_snapshot_is_still_pending_cannot_be_copied() {
    let e = start().await;
    // etl-pv2-01's newest point is still copying its Premium SSD v2 disk into its
    // snapshot: `Pending` cannot be copied.
    let src_rpc = rpc_path(PROD, "rg-analytics-prod", "etl-pv2-01-rpc");
    let target = rpc_path(PROD, "rg-analytics-prod", "etl-pv2-01-rpc-eastus");
    let (s, b) = e
        .put(
            &target,
            CRP,
            json!({ "location": "eastus", "properties": { "source": { "id": src_rpc } } }),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, b) = e
        .put(
            &format!("{target}/restorePoints/copy-1"),
            CRP,
            json!({ "properties": { "sourceRestorePoint": { "id": format!("{src_rpc}/restorePoints/rp-in-progress") } } }),
        )
        .await;
    assert_eq!((s, code(&b)), (409, "OperationNotAllowed"), "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("snapshotAccessState 'Pending'"),
        "{b}"
    );
    assert_eq!(
        e.get(&format!("{target}/restorePoints/copy-1"), CRP)
            .await
            .0,
        404,
        "nothing was created"
    );
}
