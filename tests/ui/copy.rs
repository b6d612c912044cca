//! Copying a restore point to another region from the inspector, in the real app on the
//! demo estate: the dialog warns what a cross-region copy meets before anything is sent.

use std::time::Duration;

use crate::ui_support::*;
use egui_kittest::kittest::Queryable as _;
use rpdesk::inventory::NodeId;
use rpdesk::model::ResourceId;

/// Waits for the demo, then opens the copy dialog on dev-db-01's newest point (in
/// northeurope) from the inspector and picks westeurope; returns the point.
fn open_copy_dialog(h: &mut egui_kittest::Harness<'static, rpdesk::app::App>) -> ResourceId {
    wait_loaded(h);
    let point = ResourceId::parse(
        "/subscriptions/8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02/resourceGroups/rg-dev-data/providers/Microsoft.Compute/restorePointCollections/dev-db-01-rpc/restorePoints/rp-014-app",
    )
    .expect("id");
    h.state_mut()
        .run(rpdesk::ui::Command::Reveal(NodeId::Point(point.clone())));
    h.run_steps(4);
    h.get_by_label("Copy to another region…").click();
    h.run_steps(2);
    if let Some(d) = h.state_mut().ui.copy_dialog.as_mut() {
        d.region = "westeurope".into();
    }
    h.run_steps(4);
    point
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copying_a_point_warns_that_private_links_are_not_supported_then_copies_it() {
    let mut h = harness(app_options(None));
    open_copy_dialog(&mut h);
    assert!(
        h.query_all_by_label_contains("Private links aren't supported when copying")
            .next()
            .is_some(),
        "the dialog warns about private links (seed 000)"
    );
    assert!(
        h.query_all_by_label_contains("Source: seed 000")
            .next()
            .is_some(),
        "the warning names its source"
    );

    h.get_by_label("Copy…").click();
    h.run_steps(6);
    h.get_by_label("Copy restore point").click();
    h.run_steps(2);
    assert!(h.state().ui.copy_dialog.is_none(), "the dialog closed");
    let target = ResourceId::parse(
        "/subscriptions/8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02/resourceGroups/rg-dev-data/providers/Microsoft.Compute/restorePointCollections/dev-db-01-rpc-westeurope",
    )
    .expect("id");
    // A copy takes virtual minutes per GB: the PUT going out (after the target
    // collection is created) is what this test waits for.
    step_until(
        &mut h,
        "the copy PUT to be sent",
        Duration::from_secs(60),
        |app| {
            app.inventory
                .copies
                .get(&target)
                .is_some_and(|c| c.len() == 1)
        },
    );
    assert!(
        h.state()
            .activity
            .entries()
            .iter()
            .any(|e| e.title
                == "Copy restore point rp-014-app to westeurope as rp-014-app-westeurope"),
        "the copy runs as an operation in the activity log"
    );
}

/// The demo at 600 virtual seconds a second: a copy's virtual minutes pass in seconds.
fn fast_demo() -> egui_kittest::Harness<'static, rpdesk::app::App> {
    harness(app_options(Some(rpdesk::backend::ConnectionSpec::Demo {
        estate: "demo".into(),
        state_file: None,
        speed: 600.0,
    })))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_region_copy_shows_each_disk_until_it_reaches_100_percent() {
    let mut h = fast_demo();
    let point = open_copy_dialog(&mut h);
    assert!(
        h.query_all_by_label_contains("creates collection dev-db-01-rpc-westeurope in westeurope first (its source is dev-db-01-rpc)")
            .next()
            .is_some(),
        "the dialog names the target collection it creates"
    );
    h.get_by_label("Copy…").click();
    h.run_steps(4);
    h.get_by_label("Copy restore point").click();
    h.run_steps(2);
    assert!(
        h.state().ui.copies_open,
        "sending the copy opens its progress view"
    );

    let copy = ResourceId::parse(
        "/subscriptions/8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02/resourceGroups/rg-dev-data/providers/Microsoft.Compute/restorePointCollections/dev-db-01-rpc-westeurope/restorePoints/rp-014-app-westeurope",
    )
    .expect("id");
    // Seen on the way: the OS disk (30 GB) done while the data disk (1 TB) is not.
    step_until(
        &mut h,
        "one disk copied, the other on its way",
        Duration::from_secs(60),
        |app| {
            app.inventory.copy_watches.iter().any(|w| {
                w.point_id == copy
                    && w.progress.as_ref().is_some_and(|p| {
                        p.disks.len() == 2
                            && p.disks[0].percent == 100.0
                            && p.disks[1].percent < 100.0
                    })
            })
        },
    );
    assert!(
        h.query_all_by_label_contains("Copying · ").next().is_some(),
        "the view says the copy is running"
    );
    step_until(
        &mut h,
        "the copy to be done",
        Duration::from_secs(60),
        |app| {
            app.inventory.copy_watches.iter().any(|w| {
                w.point_id == copy
                    && w.progress
                        .as_ref()
                        .is_some_and(|p| p.state == rpdesk::inventory::CopyState::Done)
            })
        },
    );
    h.run_steps(3);
    assert!(
        h.query_by_label("Done · 100 %").is_some(),
        "the view shows the copy at 100 %"
    );
    assert_eq!(
        h.query_all_by_label("100 %").count(),
        2,
        "each disk's bar reads 100 %"
    );
    // The emulator holds the copy, succeeded, in the new collection whose source is the
    // source collection (read back over HTTP by the reload after the run).
    step_until(
        &mut h,
        "the copy reloaded from the emulator",
        Duration::from_secs(30),
        |app| {
            app.inventory.point(&copy).is_some_and(|p| {
                p.properties.provisioning_state == Some(rpdesk::model::ProvisioningState::Succeeded)
            })
        },
    );
    let target = copy.parent().expect("collection");
    let collection = &h.state().inventory.collections[&target].collection;
    assert_eq!(
        collection
            .properties
            .source
            .as_ref()
            .map(|s| s.id.to_string()),
        Some(point.parent().expect("source collection").to_string())
    );
    assert!(
        h.state().activity.entries().iter().any(|e| e.title
            == "Copy restore point rp-014-app to westeurope as rp-014-app-westeurope"
            && e.status == rpdesk::activity::ActivityStatus::Succeeded),
        "the activity succeeded"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_following_a_copy_cancels_its_activity_and_says_azure_goes_on() {
    // Real time: the 1 TB disk takes virtual minutes, so the copy is still running.
    let mut h = harness(app_options(None));
    open_copy_dialog(&mut h);
    h.get_by_label("Copy…").click();
    h.run_steps(4);
    h.get_by_label("Copy restore point").click();
    step_until(
        &mut h,
        "the first progress report",
        Duration::from_secs(60),
        |app| {
            app.inventory
                .copy_watches
                .iter()
                .any(|w| w.progress.is_some())
        },
    );
    h.run_steps(2);
    h.get_by_label("Stop following").click();
    step_until(
        &mut h,
        "the copy no longer followed",
        Duration::from_secs(30),
        |app| {
            app.inventory
                .copy_watches
                .iter()
                .any(|w| w.stopped.is_some())
        },
    );
    h.run_steps(2);
    assert!(
        h.query_all_by_label_contains("Azure goes on copying")
            .next()
            .is_some(),
        "the view says the copy goes on in Azure"
    );
    assert!(
        h.state()
            .activity
            .entries()
            .iter()
            .any(|e| e.title.starts_with("Copy restore point rp-014-app")
                && e.status == rpdesk::activity::ActivityStatus::Cancelled),
        "the activity ended cancelled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_that_fails_part_way_shows_arms_reason_and_fails_its_activity() {
    let mut h = fast_demo();
    let point = open_copy_dialog(&mut h);
    let endpoint = h.state().endpoint().expect("connected");
    let admin = crate::restore_support::client_for(&endpoint);
    admin
        .emulator_add_fault(serde_json::json!({
            "kind": "failLro", "pathContains": "/restorePoints/rp-014-app-westeurope",
            "method": "PUT", "code": "ReplicationFailed", "count": 1
        }))
        .await
        .expect("fault");
    h.get_by_label("Copy…").click();
    h.run_steps(4);
    h.get_by_label("Copy restore point").click();
    step_until(&mut h, "the copy to fail", Duration::from_secs(60), |app| {
        app.inventory.copy_watches.iter().any(|w| {
            w.progress
                .as_ref()
                .is_some_and(|p| matches!(p.state, rpdesk::inventory::CopyState::Failed(_)))
        })
    });
    h.run_steps(3);
    assert!(
        h.query_all_by_label_contains("Failed: ReplicationFailed")
            .next()
            .is_some(),
        "the view shows ARM's code"
    );
    let entry = h
        .state()
        .activity
        .entries()
        .iter()
        .find(|e| {
            e.title
                .starts_with(&format!("Copy restore point {}", point.name()))
        })
        .cloned()
        .expect("the copy's activity");
    match &entry.status {
        rpdesk::activity::ActivityStatus::Failed(e) => {
            assert_eq!(e.code.as_deref(), Some("ReplicationFailed"), "{e:?}")
        }
        other => panic!("the activity failed: {other:?}"),
    }
}
