//! Every restore point rule of Azure's support matrix and limits, each refused the way
//! Azure refuses it.

use crate::common::*;
use reqwest::Method;
use rpdesk::emulator::EmulatorConfig;
use serde_json::{Value, json};

fn point(sub: &str, rg: &str, rpc: &str, rp: &str) -> String {
    format!("{}/restorePoints/{rp}", rpc_path(sub, rg, rpc))
}

async fn create(e: &Emu, path: &str, props: Value) -> (u16, Value, Option<String>) {
    let r = e
        .send(
            Method::PUT,
            &e.url(path, CRP),
            Some(json!({ "properties": props })),
        )
        .await;
    let op = r
        .headers()
        .get("azure-asyncoperation")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (s, b) = status_json(r).await;
    (s, b, op)
}

fn disk_id(sub: &str, rg: &str, name: &str) -> String {
    format!(
        "{}/providers/Microsoft.Compute/disks/{name}",
        rg_path(sub, rg)
    )
}

#[tokio::test]
async fn crash_consistent_refused_with_ultra_disk_not_excluded() {
    let e = start().await;
    let (s, b, _) = create(
        &e,
        &point(PROD, "rg-sap-prod", "sap-hana-01-rpc", "rp-crash"),
        json!({ "consistencyMode": "CrashConsistent" }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("UltraSSD_LRS")
    );
}

#[tokio::test]
async fn crash_consistent_allowed_with_ultra_disks_excluded() {
    let e = start().await;
    let excl = json!([{ "id": disk_id(PROD, "rg-sap-prod", "sap-hana-01-data-00") }, { "id": disk_id(PROD, "rg-sap-prod", "sap-hana-01-data-01") }]);
    let (s, b, _) = create(
        &e,
        &point(PROD, "rg-sap-prod", "sap-hana-01-rpc", "rp-crash"),
        json!({ "consistencyMode": "CrashConsistent", "excludeDisks": excl }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(
        b["properties"]["sourceMetadata"]["storageProfile"]["dataDisks"],
        json!([])
    );
}

#[tokio::test]
async fn crash_consistent_refused_with_premium_v2_disk_not_excluded() {
    let e = start().await;
    let (s, b, _) = create(
        &e,
        &point(
            PROD,
            "rg-analytics-prod",
            "analytics-pv2-01-rpc",
            "rp-crash",
        ),
        json!({ "consistencyMode": "CrashConsistent" }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("PremiumV2_LRS")
    );
}

#[tokio::test]
async fn crash_consistent_refused_with_write_accelerated_disk_not_excluded() {
    let e = start().await;
    let (s, b, _) = create(
        &e,
        &point(PROD, "rg-sql-prod", "sql-prod-02-rpc", "rp-crash"),
        json!({ "consistencyMode": "CrashConsistent" }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("write-accelerated")
    );
}

#[tokio::test]
async fn ephemeral_os_disk_refused_in_both_modes_unless_excluded() {
    let e = start().await;
    let p = point(PROD, "rg-web-prod", "web-frontend-03-rpc", "rp-x");
    for mode in ["ApplicationConsistent", "CrashConsistent"] {
        let (s, b, _) = create(&e, &p, json!({ "consistencyMode": mode })).await;
        assert_eq!(
            (s, code(&b)),
            (400, "VMRestorePointClientError"),
            "{mode}: {b}"
        );
        assert!(
            b["error"]["message"]
                .as_str()
                .unwrap()
                .contains("ephemeral")
        );
    }
    let (_, vm) = e
        .get(&vm_id(PROD, "rg-web-prod", "web-frontend-03"), CRP)
        .await;
    let os_name = vm["properties"]["storageProfile"]["osDisk"]["name"]
        .as_str()
        .unwrap();
    let (s, b, _) = create(
        &e,
        &p,
        json!({ "excludeDisks": [{ "id": disk_id(PROD, "rg-web-prod", os_name) }] }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
}

#[tokio::test]
async fn shared_disk_refused_unless_excluded() {
    let e = start().await;
    let p = point(PROD, "rg-cluster-prod", "cluster-node-01-rpc", "rp-x");
    let (s, b, _) = create(&e, &p, json!({})).await;
    assert_eq!((s, code(&b)), (400, "VMRestorePointClientError"), "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("shared"));
    let excl = json!([{ "id": disk_id(PROD, "rg-cluster-prod", "rg-cluster-prod-shared-quorum") }]);
    let (s, b, _) = create(&e, &p, json!({ "excludeDisks": excl })).await;
    assert_eq!(s, 201, "{b}");
}

async fn collection_for(e: &Emu, sub: &str, rg: &str, vm: &str, location: &str) -> String {
    let rpc = rpc_path(sub, rg, &format!("{vm}-test-rpc"));
    let (s, b) = e.put(&rpc, CRP, json!({ "location": location, "properties": { "source": { "id": vm_id(sub, rg, vm) } } })).await;
    assert_eq!(s, 201, "{b}");
    rpc
}

#[tokio::test]
async fn confidential_vm_refused() {
    let e = start().await;
    let rpc = collection_for(&e, PROD, "rg-secure-prod", "conf-vault-01", "westeurope").await;
    let (s, b, _) = create(&e, &format!("{rpc}/restorePoints/rp"), json!({})).await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Confidential")
    );
}

#[tokio::test]
async fn vmss_uniform_instance_refused_and_flex_member_allowed() {
    let e = start().await;
    let rpc = collection_for(
        &e,
        PROD,
        "rg-checkout-prod",
        "checkout-vmss_0",
        "westeurope",
    )
    .await;
    let (s, b, _) = create(&e, &format!("{rpc}/restorePoints/rp"), json!({})).await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("Uniform"));
    let (s, b, _) = create(
        &e,
        &point(PROD, "rg-batch-prod", "batch-flex-01-rpc", "rp-new"),
        json!({}),
    )
    .await;
    assert_eq!(s, 201, "{b}");
}

#[tokio::test]
async fn unmanaged_disks_refused() {
    let e = start().await;
    let rpc = collection_for(&e, PROD, "rg-ops-prod", "legacy-classic-01", "eastus").await;
    let (s, b, _) = create(
        &e,
        &format!("{rpc}/restorePoints/rp"),
        json!({ "consistencyMode": "CrashConsistent" }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("managed disks")
    );
}

#[tokio::test]
async fn a_vm_with_unmanaged_disks_is_refused_even_with_them_excluded() {
    // Seed 002: "VMs using unmanaged disks | No" is about the VM, with no "exclude these
    // disks" (an unmanaged disk has no disk resource to exclude anyway).
    let e = start().await;
    let rpc = collection_for(&e, PROD, "rg-ops-prod", "legacy-classic-01", "eastus").await;
    let (_, vm) = e
        .get(&vm_id(PROD, "rg-ops-prod", "legacy-classic-01"), CRP)
        .await;
    let os_name = vm["properties"]["storageProfile"]["osDisk"]["name"]
        .as_str()
        .unwrap();
    let (s, b, _) = create(
        &e,
        &format!("{rpc}/restorePoints/rp"),
        json!({ "consistencyMode": "CrashConsistent",
                "excludeDisks": [{ "id": disk_id(PROD, "rg-ops-prod", os_name) }] }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("managed disks")
    );
}

#[tokio::test]
async fn application_consistent_points_at_most_every_three_hours() {
    let e = start().await;
    let rpc = rpc_path(PROD, "rg-files-prod", "file-server-01-rpc");
    let (s, _, op) = create(&e, &format!("{rpc}/restorePoints/a1"), json!({})).await;
    assert_eq!(s, 201);
    e.wait_op(&op.unwrap()).await;
    e.advance(2.0 * 3600.0).await;
    let (s, b, _) = create(&e, &format!("{rpc}/restorePoints/a2"), json!({})).await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("3 hour"));
    e.advance(1.1 * 3600.0).await;
    let (s, b, _) = create(&e, &format!("{rpc}/restorePoints/a3"), json!({})).await;
    assert_eq!(s, 201, "{b}");
}

#[tokio::test]
async fn file_system_consistent_points_are_application_consistent_for_every_rule() {
    // Seed 001: restore points "support file system consistency for VMs running Linux
    // operating system": what an application-consistent point is on Linux without
    // scripts. One model on both sides: it shares the application-consistent 3-hour
    // interval and PUT budget, and can have instant access.
    let e = start().await;
    let rpc = rpc_path(PROD, "rg-sap-prod", "sap-hana-01-rpc");
    let (s, b, op) = create(
        &e,
        &format!("{rpc}/restorePoints/fs"),
        json!({ "consistencyMode": "FileSystemConsistent", "instantAccessDurationMinutes": 120 }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["properties"]["instantAccessDurationMinutes"], 120);
    e.wait_op(&op.unwrap()).await;
    e.advance(3600.0).await;
    let (s, b, _) = create(&e, &format!("{rpc}/restorePoints/app"), json!({})).await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    assert!(
        b["error"]["message"].as_str().unwrap().contains("3 hour"),
        "{b}"
    );
}

#[tokio::test]
async fn crash_consistent_points_at_most_every_hour() {
    let e = start().await;
    let rpc = rpc_path(DEV, "rg-dev-build", "dev-build-01-rpc");
    e.advance(3600.0).await;
    let (s, b, op) = create(
        &e,
        &format!("{rpc}/restorePoints/c1"),
        json!({ "consistencyMode": "CrashConsistent" }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    e.wait_op(&op.unwrap()).await;
    e.advance(1800.0).await;
    let (s, b, _) = create(
        &e,
        &format!("{rpc}/restorePoints/c2"),
        json!({ "consistencyMode": "CrashConsistent" }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    e.advance(1900.0).await;
    let (s, b, _) = create(
        &e,
        &format!("{rpc}/restorePoints/c3"),
        json!({ "consistencyMode": "CrashConsistent" }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
}

/// Three crash-consistent PUTs for one VM, none of them throttled (later ones may be
/// refused by other rules: the throttle counts requests).
async fn three_crash_puts(e: &Emu, rpc: &str, prefix: &str) {
    for i in 0..3 {
        let (s, b, _) = create(
            e,
            &format!("{rpc}/restorePoints/{prefix}{i}"),
            json!({ "consistencyMode": "CrashConsistent" }),
        )
        .await;
        assert_ne!(s, 429, "{b}");
    }
}

#[tokio::test]
async fn fourth_restore_point_put_in_an_hour_is_throttled() {
    let e = start_with(EmulatorConfig {
        speed: 60.0,
        ..Default::default()
    })
    .await;
    let rpc = rpc_path(PROD, "rg-web-prod", "web-frontend-01-rpc");
    // Three PUTs count whatever their outcome (the later two are refused by other rules).
    three_crash_puts(&e, &rpc, "t").await;
    let r = e
        .send(
            Method::PUT,
            &e.url(&format!("{rpc}/restorePoints/t3"), CRP),
            Some(json!({ "properties": { "consistencyMode": "CrashConsistent" } })),
        )
        .await;
    assert_eq!(r.status().as_u16(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    // An hour of virtual time at 60x is about a real minute.
    assert!((1..=61).contains(&retry), "retry-after {retry}");
    let (_, b) = status_json(r).await;
    assert_eq!(code(&b), "OperationNotAllowed");
    assert_eq!(b["error"]["details"][0]["code"], "TooManyRequests");
    // Another VM has its own budget.
    let (s, _, _) = create(
        &e,
        &point(PROD, "rg-web-prod", "web-frontend-02-rpc", "t0"),
        json!({}),
    )
    .await;
    assert_eq!(s, 201);
    e.advance(3600.0).await;
    let (s, b, _) = create(&e, &format!("{rpc}/restorePoints/t4"), json!({})).await;
    assert_eq!(s, 201, "{b}");
}

#[tokio::test]
async fn application_and_crash_consistent_puts_have_separate_hourly_budgets() {
    let e = start_with(EmulatorConfig {
        speed: 60.0,
        ..Default::default()
    })
    .await;
    let rpc = rpc_path(PROD, "rg-web-prod", "web-frontend-01-rpc");
    three_crash_puts(&e, &rpc, "c").await;
    let (s, b, _) = create(
        &e,
        &format!("{rpc}/restorePoints/c3"),
        json!({ "consistencyMode": "CrashConsistent" }),
    )
    .await;
    assert_eq!(s, 429, "the fourth crash-consistent PUT: {b}");
    // The application-consistent budget is untouched (the PUT is refused for the
    // running creation, not throttled).
    for i in 0..3 {
        let (s, b, _) = create(&e, &format!("{rpc}/restorePoints/a{i}"), json!({})).await;
        assert_ne!(s, 429, "application-consistent PUT {i}: {b}");
    }
    let (s, b, _) = create(&e, &format!("{rpc}/restorePoints/a3"), json!({})).await;
    assert_eq!(s, 429, "the fourth application-consistent PUT: {b}");
    let details = b["error"]["details"].as_array().unwrap();
    assert!(
        details.iter().any(|d| d["message"]
            .as_str()
            .unwrap()
            .contains("application-consistent")),
        "{b}"
    );
}

/// `diskRestorePoint.encryption` of every captured disk of a point, OS disk first.
fn point_encryption(b: &Value) -> Vec<(String, Option<String>)> {
    let sp = &b["properties"]["sourceMetadata"]["storageProfile"];
    std::iter::once(&sp["osDisk"])
        .chain(sp["dataDisks"].as_array().into_iter().flatten())
        .filter(|d| !d.is_null())
        .map(|d| {
            let enc = &d["diskRestorePoint"]["encryption"];
            (
                enc["type"].as_str().unwrap_or_default().to_owned(),
                enc["diskEncryptionSet"]["id"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// sql-prod-01's disk encryption set, and create-request properties that set it on the
/// OS disk's restore point.
fn customer_key_on_the_os_disk() -> (String, Value) {
    let des = format!(
        "{}/providers/Microsoft.Compute/diskEncryptionSets/des-rg-sql-prod",
        rg_path(PROD, "rg-sql-prod")
    );
    let props = json!({ "sourceMetadata": { "storageProfile": { "osDisk": { "diskRestorePoint": {
        "encryption": { "type": "EncryptionAtRestWithCustomerKey", "diskEncryptionSet": { "id": des } } } } } } });
    (des, props)
}

#[tokio::test]
async fn a_point_is_platform_key_encrypted_unless_encryption_is_set_per_disk() {
    // sql-prod-01's disks use a customer-managed key (a disk encryption set). The source's
    // encryption is not carried to the point; the create request may set it per disk.
    let e = start().await;
    let rpc = rpc_path(PROD, "rg-sql-prod", "sql-prod-01-rpc");
    let (s, b, op) = create(&e, &format!("{rpc}/restorePoints/plain"), json!({})).await;
    assert_eq!(s, 201, "{b}");
    let pmk = ("EncryptionAtRestWithPlatformKey".to_owned(), None);
    assert_eq!(point_encryption(&b), vec![pmk.clone(); 3], "{b}");
    e.wait_op(&op.unwrap()).await;
    let (_, drps) = e
        .get(&format!("{rpc}/restorePoints/plain/diskRestorePoints"), DRP)
        .await;
    for d in drps["value"].as_array().unwrap() {
        assert_eq!(
            d["properties"]["encryption"]["type"], "EncryptionAtRestWithPlatformKey",
            "{d}"
        );
    }
    // Set per disk: the OS disk keeps a customer-managed key, the data disks do not.
    e.advance(3.0 * 3600.0).await;
    let (des, props) = customer_key_on_the_os_disk();
    let (s, b, _) = create(&e, &format!("{rpc}/restorePoints/cmk"), props).await;
    assert_eq!(s, 201, "{b}");
    let got = point_encryption(&b);
    assert_eq!(
        got[0],
        (
            "EncryptionAtRestWithCustomerKey".to_owned(),
            Some(des.clone())
        )
    );
    assert_eq!(got[1..], [pmk.clone(), pmk]);
}

#[tokio::test]
async fn a_point_created_in_another_region_than_its_cmk_vm_is_platform_key_encrypted() {
    // Seed 001: customer-managed key restore points "created directly in the target
    // region are created as platform-managed key encrypted restore points".
    let e = start().await;
    let rpc = collection_for(&e, PROD, "rg-sql-prod", "sql-prod-01", "westus").await;
    let (_, props) = customer_key_on_the_os_disk();
    let (s, b, _) = create(&e, &format!("{rpc}/restorePoints/west"), props).await;
    assert_eq!(s, 201, "{b}");
    assert!(
        point_encryption(&b)
            .iter()
            .all(|(t, des)| t == "EncryptionAtRestWithPlatformKey" && des.is_none()),
        "{b}"
    );
}

#[tokio::test]
async fn concurrent_creation_on_one_vm_is_a_conflict() {
    let e = start().await;
    let (s, _, _) = create(
        &e,
        &point(PROD, "rg-web-prod", "web-frontend-01-rpc", "first"),
        json!({}),
    )
    .await;
    assert_eq!(s, 201);
    // Same VM, through a second collection.
    let rpc = collection_for(&e, PROD, "rg-web-prod", "web-frontend-01", "eastus").await;
    let (s, b, _) = create(
        &e,
        &format!("{rpc}/restorePoints/second"),
        json!({ "consistencyMode": "CrashConsistent" }),
    )
    .await;
    assert_eq!((s, code(&b)), (409, "Conflict"), "{b}");
}

#[tokio::test]
async fn five_hundred_restore_points_per_vm_across_collections() {
    let e = start().await;
    // The demo VM has 21 points; lower the cap to reach it without 500 PUTs.
    e.admin(Method::PUT, "limits", Some(json!({ "pointsPerVm": 21 })))
        .await;
    let (s, b, _) = create(
        &e,
        &point(PROD, "rg-files-prod", "file-server-01-rpc", "one-too-many"),
        json!({}),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "VMRestorePointClientError"), "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("21"));
    let limits = e.admin(Method::GET, "limits", None).await;
    assert_eq!(limits["pointsPerVm"], 21);
    e.admin(Method::PUT, "limits", Some(json!({ "pointsPerVm": 500 })))
        .await;
    let (s, _, _) = create(
        &e,
        &point(PROD, "rg-files-prod", "file-server-01-rpc", "fits"),
        json!({}),
    )
    .await;
    assert_eq!(s, 201);
}

#[tokio::test]
async fn ten_thousand_collections_per_subscription_per_region() {
    let e = start().await;
    let all = e
        .list_all(
            &format!("/subscriptions/{PROD}/providers/Microsoft.Compute/restorePointCollections"),
            CRP,
        )
        .await;
    let in_eastus = all.iter().filter(|c| c["location"] == "eastus").count();
    e.admin(
        Method::PUT,
        "limits",
        Some(json!({ "collectionsPerSubscriptionRegion": in_eastus + 1 })),
    )
    .await;
    let vm = vm_id(PROD, "rg-ops-prod", "jumpbox-01");
    let mut statuses = Vec::new();
    for i in 0..3 {
        let (s, b) = e
            .put(
                &rpc_path(PROD, "rg-ops-prod", &format!("extra-{i}")),
                CRP,
                json!({ "location": "eastus", "properties": { "source": { "id": vm } } }),
            )
            .await;
        statuses.push((s, code(&b).to_owned()));
    }
    assert_eq!(statuses[0].0, 201);
    assert!(
        statuses.contains(&(409, "OperationNotAllowed".to_owned())),
        "{statuses:?}"
    );
    // Another region is another quota.
    let (s, _) = e
        .put(
            &rpc_path(PROD, "rg-ops-prod", "extra-west"),
            CRP,
            json!({ "location": "westus2", "properties": { "source": { "id": vm } } }),
        )
        .await;
    assert_eq!(s, 201);
}

#[tokio::test]
async fn instant_access_duration_must_be_60_to_300_minutes() {
    let e = start().await;
    let p = point(PROD, "rg-sap-prod", "sap-hana-01-rpc", "ia");
    for bad in [59, 301] {
        let (s, b, _) = create(&e, &p, json!({ "instantAccessDurationMinutes": bad })).await;
        assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{bad}: {b}");
    }
    let (s, b, _) = create(&e, &p, json!({ "instantAccessDurationMinutes": 60 })).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["properties"]["instantAccessDurationMinutes"], 60);
}

#[tokio::test]
async fn instant_access_refused_for_crash_consistent_points() {
    let e = start().await;
    let excl = json!([{ "id": disk_id(PROD, "rg-sap-prod", "sap-hana-01-data-00") }, { "id": disk_id(PROD, "rg-sap-prod", "sap-hana-01-data-01") }]);
    let (s, b, _) = create(&e, &point(PROD, "rg-sap-prod", "sap-hana-01-rpc", "ia"), json!({ "consistencyMode": "CrashConsistent", "excludeDisks": excl, "instantAccessDurationMinutes": 120 })).await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
}

#[tokio::test]
async fn instant_access_collections_only_in_listed_regions_for_premium_v2_or_ultra() {
    let e = start().await;
    // dev-db-01 is in northeurope with Premium SSD: refused for the region first.
    let (s, b) = e.put(&rpc_path(DEV, "rg-dev-data", "ia-rpc"), CRP, json!({ "location": "northeurope", "instantAccess": true,
        "properties": { "source": { "id": vm_id(DEV, "rg-dev-data", "dev-db-01") }, "instantAccess": true } })).await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("region"));
    // api-gateway-01 is in westus2 (listed) but has no Premium SSD v2 / Ultra data disk.
    let (s, b) = e.put(&rpc_path(PROD, "rg-api-prod", "ia-rpc"), CRP, json!({ "location": "westus2",
        "properties": { "source": { "id": vm_id(PROD, "rg-api-prod", "api-gateway-01") }, "instantAccess": true } })).await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Premium SSD v2")
    );
    // A plain collection cannot carry an instant access duration.
    let (s, b, _) = create(
        &e,
        &point(PROD, "rg-api-prod", "api-gateway-01-rpc", "ia"),
        json!({ "instantAccessDurationMinutes": 120 }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
}

#[tokio::test]
async fn instant_access_counts_only_the_disks_the_point_captures() {
    // sap-hana-01's collection has instant access; both Ultra data disks are excluded.
    let e = start().await;
    let excl = json!([{ "id": disk_id(PROD, "rg-sap-prod", "sap-hana-01-data-00") }, { "id": disk_id(PROD, "rg-sap-prod", "sap-hana-01-data-01") }]);
    let rpc = rpc_path(PROD, "rg-sap-prod", "sap-hana-01-rpc");
    // Asked for explicitly, instant access with no Premium SSD v2 / Ultra data disk in
    // the point is refused.
    let (s, b, _) = create(
        &e,
        &format!("{rpc}/restorePoints/asked"),
        json!({ "excludeDisks": excl, "instantAccessDurationMinutes": 120 }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    // Not asked for, the point is created without it.
    let (s, b, _) = create(
        &e,
        &format!("{rpc}/restorePoints/plain"),
        json!({ "excludeDisks": excl }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    assert!(
        b["properties"]
            .get("instantAccessDurationMinutes")
            .is_none(),
        "{b}"
    );
}

#[tokio::test]
async fn instant_access_state_lasts_for_its_duration_on_direct_drive_data_disks() {
    let e = start().await;
    let p = point(
        PROD,
        "rg-analytics-prod",
        "analytics-pv2-01-rpc",
        "rp-pre-upgrade",
    );
    let (_, b) = e.get(&format!("{p}?$expand=instanceView"), CRP).await;
    let states: Vec<&str> = b["properties"]["instanceView"]["diskRestorePoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["snapshotAccessState"].as_str().unwrap())
        .collect();
    // OS disk (Premium SSD) is plain Available; the two Premium SSD v2 data disks are instant.
    assert_eq!(
        states,
        [
            "Available",
            "AvailableWithInstantAccess",
            "AvailableWithInstantAccess"
        ]
    );
    e.advance(15.0 * 60.0).await;
    let (_, b) = e.get(&format!("{p}?$expand=instanceView"), CRP).await;
    assert!(
        b["properties"]["instanceView"]["diskRestorePoints"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["snapshotAccessState"] == "Available")
    );
}

#[tokio::test]
async fn application_consistent_creation_needs_a_running_vm() {
    let e = start().await;
    let p = rpc_path(PROD, "rg-ops-prod", "jumpbox-01-rpc");
    let (s, b, _) = create(&e, &format!("{p}/restorePoints/app"), json!({})).await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("running"));
    let (s, b, _) = create(
        &e,
        &format!("{p}/restorePoints/crash"),
        json!({ "consistencyMode": "CrashConsistent" }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
}

#[tokio::test]
async fn stale_source_id_after_a_move_is_refused() {
    let e = start().await;
    let rpc = rpc_path(PROD, "rg-erp-legacy", "legacy-erp-01-rpc");
    let (_, c) = e.get(&rpc, CRP).await;
    assert!(
        c["properties"]["source"]["id"]
            .as_str()
            .unwrap()
            .contains("rg-erp-legacy")
    );
    assert_eq!(
        e.get(c["properties"]["source"]["id"].as_str().unwrap(), CRP)
            .await
            .0,
        404
    );
    let (s, b, _) = create(&e, &format!("{rpc}/restorePoints/after-move"), json!({})).await;
    assert_eq!((s, code(&b)), (404, "SourceVmNotFound"), "{b}");
    let message = b["error"]["message"].as_str().unwrap();
    assert!(message.contains("rg-erp-legacy"), "{message}");
    // Azure's documents give no advice here; the emulator does not invent any.
    assert!(!message.contains("Create a new"), "{message}");
}

#[tokio::test]
async fn disk_restore_point_with_active_sas_cannot_be_deleted() {
    let e = start().await;
    let p = point(PROD, "rg-sql-prod", "sql-prod-01-rpc", "rp-001-app");
    let (_, drps) = e.get(&format!("{p}/diskRestorePoints"), DRP).await;
    let drp = drps["value"][0]["id"].as_str().unwrap().to_owned();
    let r = e
        .send(
            Method::POST,
            &e.url(&format!("{drp}/beginGetAccess"), DRP),
            Some(json!({ "access": "Read", "durationInSeconds": 3600 })),
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    e.advance(10.0).await;
    let (s, sas) = status_json(e.send(Method::GET, &loc, None).await).await;
    assert_eq!(s, 200);
    assert!(sas["accessSAS"].as_str().unwrap().starts_with("https://"));
    let r = e.send(Method::DELETE, &e.url(&p, CRP), None).await;
    let (s, b) = status_json(r).await;
    assert_eq!(
        (s, code(&b)),
        (409, "DiskRestorePointUsedByCustomer"),
        "{b}"
    );
    let r = e
        .send(
            Method::POST,
            &e.url(&format!("{drp}/endGetAccess"), DRP),
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    let r = e.send(Method::DELETE, &e.url(&p, CRP), None).await;
    assert_eq!(r.status().as_u16(), 202);
}

#[tokio::test]
async fn restore_point_put_is_create_only() {
    let e = start().await;
    let (s, b, _) = create(
        &e,
        &point(PROD, "rg-sql-prod", "sql-prod-01-rpc", "rp-001-app"),
        json!({}),
    )
    .await;
    assert_eq!((s, code(&b)), (409, "Conflict"), "{b}");
}

#[tokio::test]
async fn cross_region_copy_progress_rises_over_virtual_minutes() {
    let e = start().await;
    let p = point(
        PROD,
        "rg-sql-prod",
        "sql-prod-01-rpc-centralus",
        "rp-021-app-copy",
    );
    // The point's progress is its slowest disk's: each disk copies at its own pace.
    let pct = |b: &Value| {
        b["properties"]["instanceView"]["diskRestorePoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                d["replicationStatus"]["completionPercent"]
                    .as_f64()
                    .unwrap()
            })
            .fold(100.0, f64::min)
    };
    let (_, b1) = e.get(&format!("{p}?$expand=instanceView"), CRP).await;
    assert_eq!(b1["properties"]["provisioningState"], "Creating");
    let first = pct(&b1);
    assert!(first > 0.0 && first < 100.0, "{first}");
    e.advance(10.0 * 60.0).await;
    let (_, b2) = e.get(&format!("{p}?$expand=instanceView"), CRP).await;
    assert!(pct(&b2) > first);
    e.advance(3600.0).await;
    let (_, b3) = e.get(&format!("{p}?$expand=instanceView"), CRP).await;
    assert_eq!(pct(&b3), 100.0);
    assert_eq!(b3["properties"]["provisioningState"], "Succeeded");
    let drp = b3["properties"]["instanceView"]["diskRestorePoints"][0]["id"]
        .as_str()
        .unwrap();
    let (_, d) = e.get(drp, DRP).await;
    assert_eq!(d["properties"]["replicationState"], "Succeeded");
    assert_eq!(d["properties"]["sourceResourceLocation"], "eastus");
    // CMK points land PMK-encrypted in the target region.
    assert_eq!(
        d["properties"]["encryption"]["type"],
        "EncryptionAtRestWithPlatformKey"
    );
}

#[tokio::test]
async fn copying_a_restore_point_to_another_region_through_the_api() {
    let e = start().await;
    let src_rpc = rpc_path(DEV, "rg-dev-data", "dev-db-01-rpc");
    let target = rpc_path(DEV, "rg-dev-data", "dev-db-01-rpc-westeurope");
    let (s, b) = e
        .put(
            &target,
            CRP,
            json!({ "location": "westeurope", "properties": { "source": { "id": src_rpc } } }),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let src_point = format!("{src_rpc}/restorePoints/rp-014-app");
    let (s, b, op) = create(
        &e,
        &format!("{target}/restorePoints/copy-1"),
        json!({ "sourceRestorePoint": { "id": src_point } }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["properties"]["provisioningState"], "Creating");
    assert_eq!(e.wait_op(&op.unwrap()).await["status"], "Succeeded");
}

#[tokio::test]
async fn arm_write_bucket_throttles_a_subscription_with_retry_after() {
    let e = start().await;
    let rpc = rpc_path(DEV, "rg-dev-build", "dev-build-02-rpc");
    let mut throttled = None;
    for i in 0..260 {
        let r = e
            .send(
                Method::PATCH,
                &e.url(&rpc, CRP),
                Some(json!({ "tags": { "i": i.to_string() } })),
            )
            .await;
        if r.status().as_u16() == 429 {
            throttled = Some(r);
            break;
        }
    }
    let r = throttled.expect("the 200-write burst must run out");
    assert!(
        r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    let (_, b) = status_json(r).await;
    assert_eq!(code(&b), "OperationNotAllowed");
    // Reads have their own bucket, and other subscriptions are unaffected.
    assert_eq!(e.get(&rpc, CRP).await.0, 200);
    let (s, _) = e
        .put(
            &rpc_path(PROD, "rg-ops-prod", "jumpbox-01-rpc"),
            CRP,
            json!({ "tags": {} }),
        )
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn throttling_can_be_turned_off() {
    let e = start_with(EmulatorConfig {
        throttling: false,
        ..Default::default()
    })
    .await;
    let rpc = rpc_path(DEV, "rg-dev-build", "dev-build-02-rpc");
    for i in 0..230 {
        let r = e
            .send(
                Method::PATCH,
                &e.url(&rpc, CRP),
                Some(json!({ "tags": { "i": i.to_string() } })),
            )
            .await;
        assert_eq!(r.status().as_u16(), 200);
    }
}

#[tokio::test]
async fn application_consistent_refused_for_coreos_guests() {
    let e = start().await;
    let rpc = rpc_path(DEV, "rg-dev-edge", "edge-coreos-01-rpc");
    let (s, b, _) = create(
        &e,
        &format!("{rpc}/restorePoints/app"),
        json!({ "consistencyMode": "ApplicationConsistent" }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "VMRestorePointClientError"), "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("CoreOS"));
    e.advance(3600.0).await;
    let (s, b, _) = create(
        &e,
        &format!("{rpc}/restorePoints/crash"),
        json!({ "consistencyMode": "CrashConsistent" }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
}

#[tokio::test]
async fn a_new_instant_access_point_is_instant_then_downloadable_then_plain() {
    let e = start().await;
    let rpc = rpc_path(PROD, "rg-sap-prod", "sap-hana-01-rpc");
    let (s, b, op) = create(
        &e,
        &format!("{rpc}/restorePoints/ia-new"),
        json!({ "instantAccessDurationMinutes": 120 }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let states = |b: &Value| -> Vec<String> {
        b["properties"]["instanceView"]["diskRestorePoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["snapshotAccessState"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, p) = e
        .get(
            &format!("{rpc}/restorePoints/ia-new?$expand=instanceView"),
            CRP,
        )
        .await;
    assert!(
        states(&p).iter().all(|s| s == "Pending"),
        "{:?}",
        states(&p)
    );
    e.wait_op(&op.unwrap()).await;
    let (_, p) = e
        .get(
            &format!("{rpc}/restorePoints/ia-new?$expand=instanceView"),
            CRP,
        )
        .await;
    assert_eq!(states(&p), ["Available", "InstantAccess", "InstantAccess"]);
    // Instant snapshots can be restored from, not downloaded.
    let ultra_drp = p["properties"]["instanceView"]["diskRestorePoints"][1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = e
        .send(
            Method::POST,
            &e.url(&format!("{ultra_drp}/beginGetAccess"), DRP),
            Some(json!({ "access": "Read", "durationInSeconds": 600 })),
        )
        .await;
    let (s, b) = status_json(r).await;
    assert_eq!((s, code(&b)), (409, "OperationNotAllowed"), "{b}");
    e.advance(31.0 * 60.0).await;
    let (_, p) = e
        .get(
            &format!("{rpc}/restorePoints/ia-new?$expand=instanceView"),
            CRP,
        )
        .await;
    assert_eq!(
        states(&p),
        [
            "Available",
            "AvailableWithInstantAccess",
            "AvailableWithInstantAccess"
        ]
    );
    e.advance(90.0 * 60.0).await;
    let (_, p) = e
        .get(
            &format!("{rpc}/restorePoints/ia-new?$expand=instanceView"),
            CRP,
        )
        .await;
    assert_eq!(states(&p), ["Available", "Available", "Available"]);
}

#[tokio::test]
async fn concurrent_instant_access_creations_per_subscription_region_are_capped() {
    let e = start().await;
    e.admin(
        Method::PUT,
        "limits",
        Some(json!({ "instantAccessCreationsPerSubscriptionRegion": 1 })),
    )
    .await;
    let (s, b, _) = create(
        &e,
        &point(PROD, "rg-sap-prod", "sap-hana-01-rpc", "ia-1"),
        json!({ "instantAccessDurationMinutes": 60 }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    // Another VM in the same subscription and region (westus2).
    let (s, b, _) = create(
        &e,
        &point(PROD, "rg-analytics-prod", "analytics-pv2-01-rpc", "ia-2"),
        json!({ "instantAccessDurationMinutes": 60 }),
    )
    .await;
    assert_eq!((s, code(&b)), (409, "OperationNotAllowed"), "{b}");
}
