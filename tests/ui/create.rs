//! Creating a restore point from the dialog, in the real app on the demo estate.

use std::time::Duration;

use crate::ui_support::*;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use rpdesk::inventory::NodeId;
use rpdesk::model::ConsistencyMode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_consistent_point_for_vm_with_ultra_disk_excludes_it_and_appears_in_the_tree() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);

    open_production_vm(&mut h, "sap-hana-01");
    h.get_by_role_and_label(Role::Tab, "Supportability").click();
    h.run_steps(2);
    h.get_by_label("Create restore point…").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::RadioButton, "Crash-consistent")
        .click();
    h.run_steps(2);

    let vm_id = match h.state().ui.selection.clone() {
        Some(NodeId::Vm(id)) => id,
        other => panic!("a VM is selected, not {other:?}"),
    };
    let ultra: Vec<_> = h
        .state()
        .inventory
        .disks_of_vm(&h.state().inventory.vms[&vm_id])
        .into_iter()
        .filter(|d| {
            d.sku
                .as_ref()
                .is_some_and(|s| s.name == rpdesk::model::StorageAccountType::UltraSsdLrs)
        })
        .map(|d| d.id.clone())
        .collect();
    assert!(!ultra.is_empty(), "sap-hana-01 has Ultra data disks");
    let dialog = h
        .state()
        .ui
        .create_dialog
        .clone()
        .expect("the dialog is open");
    for id in &ultra {
        assert!(
            dialog.exclude_disks.contains(id),
            "{} is excluded automatically",
            id.name()
        );
    }

    h.get_by_label("Create…").click();
    // The modal re-centres over a few frames when its content changes.
    h.run_steps(6);
    assert!(
        h.state()
            .ui
            .create_dialog
            .as_ref()
            .is_some_and(|d| d.pending.is_some()),
        "the input was accepted and the dialog asks for confirmation"
    );
    let plan = h
        .state()
        .ui
        .create_dialog
        .as_ref()
        .and_then(|d| d.pending.clone())
        .expect("pending");
    let az = copied_az_commands(&mut h);
    let expected = rpdesk::restore::point_az::create_commands(&plan).join("\n");
    assert_eq!(az, expected, "the commands copied are the plan's");
    assert!(az.starts_with("az restore-point create "), "{az}");
    for id in &ultra {
        assert!(
            az.contains(id.as_str()),
            "{} excluded in the command",
            id.name()
        );
    }
    h.get_by_label("Create restore point").click();
    h.run_steps(2);
    assert!(h.state().ui.create_dialog.is_none(), "the dialog closed");

    let collection = h.state().inventory.collections_of(&vm_id)[0].clone();
    let before = h.state().inventory.points_of(&collection).len();
    step_until(
        &mut h,
        "the new point in the collection",
        Duration::from_secs(60),
        |app| app.inventory.points_of(&collection).len() > before,
    );
    let newest = h
        .state()
        .inventory
        .points_of(&collection)
        .last()
        .cloned()
        .expect("a point");
    let point = h.state().inventory.point(&newest).expect("loaded").clone();
    assert_eq!(
        point.properties.consistency_mode,
        Some(ConsistencyMode::CrashConsistent)
    );
    for id in &ultra {
        assert!(
            point
                .properties
                .exclude_disks
                .iter()
                .any(|d| d.id.eq_ignore_ascii_case(id.as_str())),
            "{} was sent in excludeDisks",
            id.name()
        );
    }
    assert!(
        h.state()
            .activity
            .entries()
            .iter()
            .any(|e| e.title.contains(newest.name())
                && e.status == rpdesk::activity::ActivityStatus::Succeeded),
        "the activity log shows the creation as succeeded"
    );

    h.get_by_label("Expand sap-hana-01").click();
    h.run_steps(2);
    h.get_by_label("Expand sap-hana-01-rpc").click();
    h.run_steps(2);
    assert!(
        h.query_all_by_label(newest.name()).next().is_some(),
        "the new point {} is in the tree",
        newest.name()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instant_access_duration_out_of_range_is_refused_before_any_call() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);

    open_production_vm(&mut h, "analytics-pv2-01");
    h.get_by_role_and_label(Role::Tab, "Supportability").click();
    h.run_steps(2);
    h.get_by_label("Create restore point…").click();
    h.run_steps(4);
    let dialog = h
        .state()
        .ui
        .create_dialog
        .clone()
        .expect("the dialog is open");
    assert!(
        dialog.instant_access,
        "the VM's collection has instant access, so the point gets it"
    );
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Duration in minutes (60–300)")
            .is_some(),
        "the duration field is labelled"
    );
    assert!(
        h.query_all_by_label_contains(
            "az feature register --namespace Microsoft.Compute --name AppConsistentInstantAccessSnapshotForDirectDriveDisks"
        )
        .next()
        .is_some(),
        "offering instant access says which subscription feature it needs, and how to register it"
    );
    if let Some(d) = h.state_mut().ui.create_dialog.as_mut() {
        d.duration_minutes = "30".into();
    }
    h.run_steps(2);
    h.get_by_label("Create…").click();
    h.run_steps(4);
    let dialog = h
        .state()
        .ui
        .create_dialog
        .clone()
        .expect("the dialog stays open");
    assert!(dialog.pending.is_none(), "nothing to confirm");
    assert_eq!(
        dialog.error.as_deref(),
        Some("Instant access duration must be from 60 to 300 minutes, not 30")
    );
    assert!(
        h.query_by_label("Instant access duration must be from 60 to 300 minutes, not 30")
            .is_some(),
        "the message is shown"
    );
    assert!(
        h.state().inventory.creations.is_empty(),
        "no creation was sent"
    );
}
