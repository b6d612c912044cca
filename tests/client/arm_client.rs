//! The ARM client against the emulator, over real HTTP: inventory, paging, long-running
//! operations, retries, throttling and every kind of error.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::client_support::*;
use rpdesk::arm::{
    ArmClient, ArmError, Cancel, DiskRestoreRequest, LroProgress, RestorePointRequest,
};
use rpdesk::auth::StaticToken;
use rpdesk::emulator::EmulatorConfig;
use rpdesk::model::{ConsistencyMode, DiskCreateOption, ProvisioningState, ResourceId};
use serde_json::json;

fn ignore(_: LroProgress) {}

#[tokio::test]
async fn inventory_of_the_demo_estate_loads() {
    let emu = emulator().await;
    let c = client(&emu);
    let subs = c.list_subscriptions().await.unwrap();
    assert!(subs.len() >= 3, "{} subscriptions", subs.len());
    let groups = c.list_resource_groups(PROD).await.unwrap();
    assert!(groups.iter().any(|g| g.name == "rg-sql-prod"));
    let vms = c.list_vms(PROD).await.unwrap();
    assert!(vms.iter().any(|v| v.name == "sql-prod-01"));
    let statuses = c.list_vm_statuses(PROD).await.unwrap();
    assert_eq!(statuses.len(), vms.len(), "every VM has a power state");
    let disks = c.list_disks(PROD).await.unwrap();
    assert!(
        disks
            .iter()
            .any(|d| d.storage_type().is_some_and(|s| s.is_ultra_or_premium_v2()))
    );
    let collections = c.list_collections(PROD).await.unwrap();
    assert!(!collections.is_empty());
    let with_points = c.get_collection(&collections[0].id, true).await.unwrap();
    assert!(!with_points.restore_points().is_empty());
    let in_group = c
        .list_collections_in_group(PROD, collections[0].id.resource_group().unwrap())
        .await
        .unwrap();
    assert!(in_group.iter().any(|x| x.id == collections[0].id));
    let vm = c
        .get_vm(&vm_id(PROD, "rg-sql-prod", "sql-prod-01"), true)
        .await
        .unwrap();
    assert!(vm.power_state().is_some());
    let view = c.vm_instance_view(&vm.id).await.unwrap();
    assert!(view.power_state().is_some());
    let vnets = c.list_vnets(PROD).await.unwrap();
    assert!(vnets.iter().any(|v| !v.properties.subnets.is_empty()));
}

#[tokio::test]
async fn paging_follows_next_link_across_pages() {
    let emu = emulator_with(EmulatorConfig {
        page_size: 4,
        speed: 120.0,
        ..Default::default()
    })
    .await;
    let c = client(&emu);
    let before = c.stats().requests;
    let vms = c.list_vms(PROD).await.unwrap();
    let pages = c.stats().requests - before;
    assert!(vms.len() > 8, "{} VMs", vms.len());
    assert!(
        pages >= vms.len().div_ceil(4) as u64,
        "{pages} requests for {} VMs",
        vms.len()
    );
    let mut ids: Vec<_> = vms
        .iter()
        .map(|v| v.id.to_string().to_lowercase())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), vms.len(), "no VM twice across pages");
}

#[tokio::test]
async fn restore_point_lifecycle_follows_each_long_running_operation() {
    let emu = emulator().await;
    let c = client(&emu);
    let vm = c
        .get_vm(&vm_id(DEV, "rg-dev-sandbox", "dev-sandbox-01"), true)
        .await
        .unwrap();
    let rpc_id = ResourceId::resource_group_id(DEV, "rg-dev-sandbox").provider_child(
        "Microsoft.Compute",
        "restorePointCollections",
        "sandbox-rpc",
    );
    let rpc = c
        .put_collection(&rpc_id, &vm.location, &vm.id, None, &BTreeMap::new())
        .await
        .unwrap();
    assert_eq!(rpc.source_id(), Some(vm.id.clone()));

    let progress = Arc::new(Mutex::new(Vec::<LroProgress>::new()));
    let seen = progress.clone();
    let on_progress = move |p: LroProgress| seen.lock().unwrap().push(p);
    let rp_id = rpc_id.child("restorePoints", "rp-test-1");
    let request = RestorePointRequest {
        consistency_mode: Some(ConsistencyMode::CrashConsistent),
        ..Default::default()
    };
    let rp = c
        .create_restore_point(&rp_id, &request, &on_progress, &Cancel::new())
        .await
        .unwrap();
    assert_eq!(
        rp.properties.provisioning_state,
        Some(ProvisioningState::Succeeded)
    );
    let reports = progress.lock().unwrap().clone();
    assert!(
        reports.iter().any(|p| p.status == "InProgress"),
        "progress reported while running: {reports:?}"
    );
    assert_eq!(reports.last().map(|p| p.status.as_str()), Some("Succeeded"));

    let detailed = c.get_restore_point(&rp_id, true).await.unwrap();
    let view = detailed.properties.instance_view.expect("instance view");
    assert!(!view.disk_restore_points.is_empty());
    let drps = c.list_disk_restore_points(&rp_id).await.unwrap();
    assert_eq!(drps.len(), view.disk_restore_points.len());
    let drp = c.get_disk_restore_point(&drps[0].id).await.unwrap();
    assert_eq!(drp.id, drps[0].id);

    let disk_id = ResourceId::resource_group_id(DEV, "rg-dev-sandbox").provider_child(
        "Microsoft.Compute",
        "disks",
        "restored-os",
    );
    let restore = DiskRestoreRequest {
        tags: BTreeMap::from([("rpdesk-run".to_owned(), "test".to_owned())]),
        ..DiskRestoreRequest::new(disk_id.clone(), vm.location.clone(), drp.id.clone())
    };
    let disk = c
        .restore_disk(&restore, &ignore, &Cancel::new())
        .await
        .unwrap();
    let creation = disk.properties.creation_data.expect("creation data");
    assert_eq!(creation.create_option, DiskCreateOption::Restore);
    assert!(
        creation
            .source_resource_id
            .unwrap()
            .eq_ignore_ascii_case(drp.id.as_str())
    );
    assert_eq!(
        disk.properties.provisioning_state,
        Some(ProvisioningState::Succeeded)
    );

    c.delete_disk(&disk_id, &ignore, &Cancel::new())
        .await
        .unwrap();
    c.delete_restore_point(&rp_id, &ignore, &Cancel::new())
        .await
        .unwrap();
    assert!(
        c.get_restore_point(&rp_id, false)
            .await
            .unwrap_err()
            .is_not_found()
    );
    c.delete_collection(&rpc_id, &ignore, &Cancel::new())
        .await
        .unwrap();
    assert!(
        c.get_collection(&rpc_id, false)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn disk_restore_point_access_is_granted_and_revoked() {
    let emu = emulator().await;
    let c = client(&emu);
    let rpc = c
        .list_collections(DR)
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let rpc = c.get_collection(&rpc.id, true).await.unwrap();
    let rp = rpc.restore_points().last().unwrap().id.clone();
    let drp = c.list_disk_restore_points(&rp).await.unwrap().remove(0);
    let sas = c
        .grant_disk_restore_point_access(&drp.id, 300, &Cancel::new())
        .await
        .unwrap();
    assert!(sas.starts_with("https://"), "{sas}");
    c.revoke_disk_restore_point_access(&drp.id, &Cancel::new())
        .await
        .unwrap();
}

async fn add_fault(c: &ArmClient, fault: serde_json::Value) {
    c.emulator_add_fault(fault).await.unwrap();
}

#[tokio::test]
async fn throttled_request_waits_for_retry_after_then_succeeds() {
    let emu = emulator().await;
    let c = client(&emu);
    add_fault(&c, json!({"kind": "throttle", "pathContains": format!("{PROD}/providers/Microsoft.Compute/disks"), "count": 1, "retryAfter": 1})).await;
    let started = Instant::now();
    let disks = c.list_disks(PROD).await.unwrap();
    assert!(!disks.is_empty());
    assert_eq!(c.stats().throttled, 1);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retried before Retry-After: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn long_retry_after_is_returned_not_waited() {
    let emu = emulator().await;
    let c = client(&emu);
    add_fault(&c, json!({"kind": "throttle", "pathContains": "virtualMachines", "count": 1, "retryAfter": 1200})).await;
    let started = Instant::now();
    let err = c.list_vms(PROD).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.context().and_then(|c| c.retry_after_secs), Some(1200));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn server_error_is_retried_then_succeeds() {
    let emu = emulator().await;
    let c = client(&emu);
    add_fault(
        &c,
        json!({"kind": "serverError", "pathContains": "sql-prod-01", "method": "GET", "count": 1}),
    )
    .await;
    let vm = c
        .get_vm(&vm_id(PROD, "rg-sql-prod", "sql-prod-01"), false)
        .await
        .unwrap();
    assert_eq!(vm.name, "sql-prod-01");
    assert_eq!(c.stats().retries, 1);
}

#[tokio::test]
async fn dropped_connection_is_retried_for_reads() {
    let emu = emulator().await;
    let c = client(&emu);
    add_fault(
        &c,
        json!({"kind": "drop", "pathContains": "resourcegroups", "count": 1}),
    )
    .await;
    assert!(!c.list_resource_groups(PROD).await.unwrap().is_empty());
    assert!(c.stats().retries >= 1);
}

#[tokio::test]
async fn persistent_server_errors_end_in_a_typed_error() {
    let emu = emulator().await;
    let c = client(&emu);
    add_fault(
        &c,
        json!({"kind": "unavailable", "pathContains": "sql-prod-02"}),
    )
    .await;
    let err = c
        .get_vm(&vm_id(PROD, "rg-sql-prod", "sql-prod-02"), false)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(c.stats().retries, u64::from(fast_options().max_retries));
}

#[tokio::test]
async fn failed_operation_reports_the_arm_code_and_message() {
    let emu = emulator().await;
    let c = client(&emu);
    add_fault(&c, json!({"kind": "failLro", "pathContains": "restorePoints/rp-doomed", "code": "VMRestorePointInternalError"})).await;
    let vm = vm_id(DEV, "rg-dev-sandbox", "dev-sandbox-01");
    let rpc_id = ResourceId::resource_group_id(DEV, "rg-dev-sandbox").provider_child(
        "Microsoft.Compute",
        "restorePointCollections",
        "doomed-rpc",
    );
    c.put_collection(&rpc_id, "northeurope", &vm, None, &BTreeMap::new())
        .await
        .unwrap();
    let request = RestorePointRequest {
        consistency_mode: Some(ConsistencyMode::CrashConsistent),
        ..Default::default()
    };
    let err = c
        .create_restore_point(
            &rpc_id.child("restorePoints", "rp-doomed"),
            &request,
            &ignore,
            &Cancel::new(),
        )
        .await
        .unwrap_err();
    match &err {
        ArmError::OperationFailed { code, message, .. } => {
            assert_eq!(code, "VMRestorePointInternalError");
            assert!(!message.is_empty());
        }
        other => panic!("expected OperationFailed, got {other:?}"),
    }
}

#[tokio::test]
async fn refusal_carries_code_message_and_tracing_ids() {
    let emu = emulator().await;
    let c = client(&emu);
    let err = c
        .get_vm(&vm_id(PROD, "rg-sql-prod", "no-such-vm"), false)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some("ResourceNotFound"));
    assert!(
        err.request_id().is_some() && err.correlation_id().is_some(),
        "{err:?}"
    );
    let err = c.list_vms_in_group(PROD, "rg-nowhere").await.unwrap_err();
    assert_eq!(err.code(), Some("ResourceGroupNotFound"));
}

#[tokio::test]
async fn malformed_body_gives_a_decode_error() {
    let emu = emulator().await;
    let c = client(&emu);
    add_fault(
        &c,
        json!({"kind": "malformed", "pathContains": "restorePointCollections", "count": 1}),
    )
    .await;
    let err = c.list_collections(PROD).await.unwrap_err();
    assert!(matches!(err, ArmError::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn html_error_page_gives_a_typed_error() {
    // A reverse proxy in front of ARM answering with its own HTML page.
    let app = axum::Router::new().fallback(|| async {
        (
            axum::http::StatusCode::BAD_GATEWAY,
            [("content-type", "text/html")],
            "<html><head><title>502 Bad Gateway</title></head></html>",
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    let mut options = fast_options();
    options.max_retries = 1;
    let c = ArmClient::new(
        &format!("http://{addr}"),
        Arc::new(StaticToken::new("t")),
        options,
    )
    .unwrap();
    let err = c.list_subscriptions().await.unwrap_err();
    match err {
        ArmError::UnexpectedResponse {
            status, summary, ..
        } => {
            assert_eq!(status, 502);
            assert_eq!(summary, "502 Bad Gateway");
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn missing_token_is_refused_by_the_server_with_401() {
    let emu = emulator().await;
    let c = ArmClient::new(
        &emu.base_url(),
        Arc::new(StaticToken::new("")),
        fast_options(),
    )
    .unwrap();
    let err = c.list_subscriptions().await.unwrap_err();
    assert!(
        matches!(err, ArmError::Auth(_)),
        "an empty token never leaves the client: {err:?}"
    );
}

#[tokio::test]
async fn cancel_stops_following_an_operation() {
    let emu = emulator_with(EmulatorConfig {
        speed: 1.0,
        ..Default::default()
    })
    .await;
    let c = client(&emu);
    let vm = vm_id(DEV, "rg-dev-sandbox", "dev-sandbox-01");
    let rpc_id = ResourceId::resource_group_id(DEV, "rg-dev-sandbox").provider_child(
        "Microsoft.Compute",
        "restorePointCollections",
        "cancel-rpc",
    );
    c.put_collection(&rpc_id, "northeurope", &vm, None, &BTreeMap::new())
        .await
        .unwrap();
    let cancel = Cancel::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        trigger.cancel();
    });
    let request = RestorePointRequest {
        consistency_mode: Some(ConsistencyMode::CrashConsistent),
        ..Default::default()
    };
    let started = Instant::now();
    let err = c
        .create_restore_point(
            &rpc_id.child("restorePoints", "slow"),
            &request,
            &ignore,
            &cancel,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, ArmError::Cancelled), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn wrong_id_kind_is_refused_before_any_request() {
    let emu = emulator().await;
    let c = client(&emu);
    let not_a_vm =
        ResourceId::resource_group_id(PROD, "rg").provider_child("Microsoft.Compute", "disks", "d");
    let err = c.get_vm(&not_a_vm, false).await.unwrap_err();
    assert!(matches!(err, ArmError::InvalidRequest(_)));
    assert_eq!(c.stats().requests, 0);
}

#[test]
fn plain_http_is_refused_off_loopback() {
    let err = ArmClient::new(
        "http://10.1.2.3:8080",
        Arc::new(StaticToken::new("t")),
        Default::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ArmError::Endpoint(_)));
    assert!(
        ArmClient::new(
            "https://management.azure.com",
            Arc::new(StaticToken::new("t")),
            Default::default()
        )
        .is_ok()
    );
}

#[tokio::test]
async fn a_vm_is_rebuilt_from_restored_disks_then_powered_and_swapped() {
    let emu = emulator().await;
    let c = client(&emu);
    let vnet = c
        .list_vnets(DEV)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.location == "northeurope")
        .expect("a northeurope VNet");
    let subnet = vnet.properties.subnets[0].id.clone();
    let rg = ResourceId::resource_group_id(DEV, "rg-dev-data");
    let nic_id = rg.provider_child("Microsoft.Network", "networkInterfaces", "rebuilt-nic");
    let nic = c
        .put_nic(&nic_id, "northeurope", &subnet, &Cancel::new())
        .await
        .unwrap();
    assert_eq!(nic.id, nic_id);

    // Restore every disk of the newest dev-db-01 point.
    let rpc = c
        .get_collection(
            &rg.provider_child(
                "Microsoft.Compute",
                "restorePointCollections",
                "dev-db-01-rpc",
            ),
            true,
        )
        .await
        .unwrap();
    let point = rpc
        .restore_points()
        .iter()
        .max_by_key(|p| p.properties.time_created)
        .unwrap()
        .clone();
    let mut restored = Vec::new();
    for (i, disk) in point.captured_disks().into_iter().enumerate() {
        let drp = disk
            .disk_restore_point
            .as_ref()
            .unwrap()
            .id
            .resource_id()
            .unwrap();
        let request = DiskRestoreRequest::new(
            rg.provider_child("Microsoft.Compute", "disks", &format!("rebuilt-{i}")),
            "northeurope",
            drp,
        );
        restored.push(
            c.restore_disk(&request, &ignore, &Cancel::new())
                .await
                .unwrap(),
        );
    }
    assert!(restored.len() >= 2, "an OS disk and data disks");
    let os = &restored[0];
    let data: Vec<_> = restored[1..]
        .iter()
        .enumerate()
        .map(|(lun, d)| json!({ "lun": lun, "createOption": "Attach", "managedDisk": { "id": d.id.as_str() } }))
        .collect();
    let vm_id = rg.provider_child("Microsoft.Compute", "virtualMachines", "rebuilt-db");
    let body = json!({ "location": "northeurope", "properties": {
        "hardwareProfile": { "vmSize": point.properties.source_metadata.as_ref().unwrap().hardware_profile.as_ref().unwrap().vm_size },
        "storageProfile": {
            "osDisk": { "createOption": "Attach", "osType": "Linux", "managedDisk": { "id": os.id.as_str() } },
            "dataDisks": data },
        "networkProfile": { "networkInterfaces": [ { "id": nic_id.as_str(), "properties": { "primary": true } } ] } } });
    let vm = c
        .put_vm(&vm_id, body, &ignore, &Cancel::new())
        .await
        .unwrap();
    assert_eq!(
        vm.properties.provisioning_state,
        Some(ProvisioningState::Succeeded)
    );
    assert_eq!(vm.data_disks().len(), restored.len() - 1);

    c.deallocate_vm(&vm_id, &ignore, &Cancel::new())
        .await
        .unwrap();
    assert_eq!(
        c.get_vm(&vm_id, true).await.unwrap().power_state(),
        Some(rpdesk::model::PowerState::Deallocated)
    );
    c.start_vm(&vm_id, &ignore, &Cancel::new()).await.unwrap();
    assert_eq!(
        c.get_vm(&vm_id, true).await.unwrap().power_state(),
        Some(rpdesk::model::PowerState::Running)
    );
    c.power_off_vm(&vm_id, &ignore, &Cancel::new())
        .await
        .unwrap();
    assert_eq!(
        c.get_vm(&vm_id, true).await.unwrap().power_state(),
        Some(rpdesk::model::PowerState::Stopped)
    );

    // Swap the OS disk for a second restore of the same disk restore point.
    let drp = point.captured_disks()[0]
        .disk_restore_point
        .as_ref()
        .unwrap()
        .id
        .resource_id()
        .unwrap();
    let swap = DiskRestoreRequest::new(
        rg.provider_child("Microsoft.Compute", "disks", "rebuilt-os-b"),
        "northeurope",
        drp,
    );
    let swap_disk = c
        .restore_disk(&swap, &ignore, &Cancel::new())
        .await
        .unwrap();
    c.deallocate_vm(&vm_id, &ignore, &Cancel::new())
        .await
        .unwrap();
    let patch = json!({ "properties": { "storageProfile": { "osDisk": { "name": "rebuilt-os-b", "managedDisk": { "id": swap_disk.id.as_str() } } } } });
    let vm = c
        .patch_vm(&vm_id, patch, &ignore, &Cancel::new())
        .await
        .unwrap();
    let os_now = vm
        .os_disk()
        .and_then(|d| d.managed_disk.as_ref()?.id.clone())
        .unwrap();
    assert!(
        os_now.eq_ignore_ascii_case(swap_disk.id.as_str()),
        "{os_now}"
    );
}

#[tokio::test]
async fn collection_tags_are_patched_and_points_copied_across_regions() {
    let emu = emulator().await;
    let c = client(&emu);
    let rg = ResourceId::resource_group_id(DEV, "rg-dev-data");
    let source = c
        .get_collection(
            &rg.provider_child(
                "Microsoft.Compute",
                "restorePointCollections",
                "dev-db-01-rpc",
            ),
            true,
        )
        .await
        .unwrap();
    let tags = BTreeMap::from([("owner".to_owned(), "dba-team".to_owned())]);
    let patched = c.patch_collection_tags(&source.id, &tags).await.unwrap();
    assert_eq!(
        patched.tags.get("owner").map(String::as_str),
        Some("dba-team")
    );

    let target = rg.provider_child(
        "Microsoft.Compute",
        "restorePointCollections",
        "dev-db-01-rpc-westeurope",
    );
    let copy_home = c
        .put_collection(&target, "westeurope", &source.id, None, &BTreeMap::new())
        .await
        .unwrap();
    assert_eq!(copy_home.source_id(), Some(source.id.clone()));
    let newest = source
        .restore_points()
        .iter()
        .max_by_key(|p| p.properties.time_created)
        .unwrap();
    let copied = c
        .copy_restore_point(
            &target.child("restorePoints", "copy-1"),
            &newest.id,
            &ignore,
            &Cancel::new(),
        )
        .await
        .unwrap();
    assert_eq!(
        copied
            .properties
            .source_restore_point
            .map(|s| s.id.to_lowercase()),
        Some(newest.id.as_str().to_lowercase())
    );
    let view = c.get_restore_point(&copied.id, true).await.unwrap();
    assert_eq!(view.min_completion_percent(), Some(100.0));
}

#[tokio::test]
async fn an_unreadable_list_item_is_reported_and_the_rest_still_arrives() {
    // A server whose page holds one good subscription and one the model cannot read.
    let app = axum::Router::new().fallback(|| async {
        axum::Json(json!({ "value": [
            { "id": "/subscriptions/11111111-0000-4000-8000-000000000001", "subscriptionId": "11111111-0000-4000-8000-000000000001", "displayName": "Good" },
            { "displayName": "No id at all", "state": "Enabled" }
        ] }))
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    let c = ArmClient::new(
        &format!("http://{addr}"),
        Arc::new(StaticToken::new("t")),
        fast_options(),
    )
    .unwrap();
    let subs = c.list_subscriptions().await.unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].display_name, "Good");
    let skipped = c.take_unreadable();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].contains("missing field"), "{skipped:?}");
    assert!(c.take_unreadable().is_empty(), "taken once");
}

#[tokio::test]
async fn the_backend_puts_skipped_items_in_the_activity_log() {
    use rpdesk::activity::{ActivityEvent, ActivityStatus};
    use rpdesk::backend::{Backend, BackendEvent};
    let app = axum::Router::new().fallback(|| async {
        axum::Json(json!({ "value": [ { "displayName": "No id at all" } ] }))
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    let c = ArmClient::new(
        &format!("http://{addr}"),
        Arc::new(StaticToken::new("t")),
        fast_options(),
    )
    .unwrap();
    let (backend, mut events) = Backend::new(c, tokio::runtime::Handle::current(), Arc::new(|| {}));
    backend.load_all();
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(event) = events.recv().await {
            if let BackendEvent::Activity(ActivityEvent::Finished {
                status: ActivityStatus::Failed(e),
                ..
            }) = event
                && e.code.as_deref() == Some("UnreadableItem")
            {
                return e.message;
            }
        }
        String::new()
    })
    .await
    .expect("the skipped item is reported");
    assert!(found.contains("missing field"), "{found}");
}

#[tokio::test]
async fn exports_are_written_off_the_ui_thread_and_logged() {
    use rpdesk::activity::{ActivityEvent, ActivityStatus};
    use rpdesk::backend::{Backend, BackendEvent};
    let emu = emulator().await;
    let (backend, mut events) = Backend::new(
        client(&emu),
        tokio::runtime::Handle::current(),
        Arc::new(|| {}),
    );
    let path = std::env::temp_dir().join(format!("rpdesk-export-{}.csv", std::process::id()));
    backend.write_export(path.clone(), "vm,verdict\nsql-prod-01,Supported\n".into());
    let status = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(event) = events.recv().await {
            if let BackendEvent::Activity(ActivityEvent::Finished { status, .. }) = event {
                return status;
            }
        }
        ActivityStatus::Cancelled
    })
    .await
    .unwrap();
    assert_eq!(status, ActivityStatus::Succeeded);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "vm,verdict\nsql-prod-01,Supported\n"
    );
    std::fs::remove_file(&path).ok();

    let (backend, mut events) = Backend::new(
        client(&emu),
        tokio::runtime::Handle::current(),
        Arc::new(|| {}),
    );
    backend.write_export(
        std::path::PathBuf::from("/nonexistent-dir/x.csv"),
        "x".into(),
    );
    let failed = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(event) = events.recv().await {
            if let BackendEvent::Activity(ActivityEvent::Finished {
                status: ActivityStatus::Failed(e),
                ..
            }) = event
            {
                return e.message;
            }
        }
        String::new()
    })
    .await
    .unwrap();
    assert!(
        failed.contains("cannot write /nonexistent-dir/x.csv"),
        "{failed}"
    );
}

/// An emulator with ARM's token buckets on and some latency, so requests are in flight
/// while responses report what ARM has left.
async fn throttling_emulator() -> rpdesk::emulator::RunningEmulator {
    emulator_with(EmulatorConfig {
        estate: rpdesk::emulator::EstateSpec::Demo,
        latency_ms: 15,
        throttling: true,
        ..Default::default()
    })
    .await
}

/// `n` reads of one VM, all at once.
async fn reads(c: &ArmClient, n: usize) {
    let mut all = tokio::task::JoinSet::new();
    for _ in 0..n {
        let c = c.clone();
        all.spawn(async move {
            let vm = vm_id(PROD, "rg-sql-prod", "sql-prod-01");
            c.get_vm(&vm, false).await.map(|_| ())
        });
    }
    while let Some(r) = all.join_next().await {
        r.expect("task").expect("read succeeds");
    }
}

#[tokio::test]
async fn pacing_runs_at_arms_full_rate_past_the_burst_without_429s() {
    assert_eq!(
        rpdesk::arm::BucketConfig::default(),
        rpdesk::arm::BucketConfig::ARM,
        "the default pacing is ARM's full rate"
    );
    let emu = throttling_emulator().await;
    let c = client(&emu);
    // The burst and 2.4 s of refill at 25/s.
    reads(&c, 310).await;
    assert_eq!(c.stats().throttled, 0, "{:?}", c.stats());
    assert_eq!(c.stats().requests, 310);
}

#[tokio::test]
async fn pacing_counts_what_another_client_took_from_the_same_bucket() {
    let emu = throttling_emulator().await;
    // Another tool of the same principal spends 120 of the 250 reads first.
    let other = ArmClient::new(
        &emu.base_url(),
        Arc::new(StaticToken::new("test-token")),
        rpdesk::arm::ClientOptions {
            buckets: None,
            ..fast_options()
        },
    )
    .unwrap();
    reads(&other, 120).await;
    assert_eq!(other.stats().throttled, 0);
    let c = client(&emu);
    reads(&c, 180).await;
    assert_eq!(
        c.stats().throttled,
        0,
        "rpdesk learnt ARM's count from the responses: {:?}",
        c.stats()
    );
}
