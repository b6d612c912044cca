//! A group restore point for an availability set, in the real app on the demo estate:
//! opened from a member VM, one point per member created in sequence, the report with the
//! time skew, and each point in the emulator.

use std::time::Duration;

use crate::ui_support::*;
use egui_kittest::kittest::Queryable as _;
use rpdesk::inventory::{MemberOutcome, MemberStep, NodeId};
use rpdesk::model::ResourceId;

const WEB: &str = "/subscriptions/6f1c0d7e-2b7a-4c55-9a43-1d1e0a5b7c01/resourceGroups/rg-web-prod/providers/Microsoft.Compute";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_point_for_an_availability_set_creates_one_point_per_member() {
    let mut h = harness(app_options(Some(rpdesk::backend::ConnectionSpec::Demo {
        estate: "demo".into(),
        state_file: None,
        speed: 60.0,
    })));
    wait_loaded(&mut h);
    let vm = ResourceId::parse(&format!("{WEB}/virtualMachines/web-frontend-02")).expect("id");
    h.state_mut()
        .run(rpdesk::ui::Command::Reveal(NodeId::Vm(vm.clone())));
    h.run_steps(4);
    h.get_by_label("Group restore point for avset-web…").click();
    h.run_steps(3);
    let plan = h
        .state()
        .ui
        .group_dialog
        .as_ref()
        .and_then(|d| d.plan.as_ref())
        .map(|(_, _, p)| p.clone())
        .expect("the dialog settled a plan");
    let members: Vec<&str> = plan.members.iter().map(|m| m.vm_id.name()).collect();
    assert_eq!(
        members,
        ["web-frontend-01", "web-frontend-02"],
        "both members, by name"
    );
    assert!(
        plan.members
            .iter()
            .all(|m| matches!(m.step, MemberStep::Create(_))),
        "{plan:?}"
    );
    for vm in ["web-frontend-01", "web-frontend-02"] {
        let line = format!("{} in {vm}-rpc", plan.point_name);
        assert!(h.query_by_label(&line).is_some(), "the dialog says: {line}");
    }
    h.get_by_label("Create 2 points").click();
    h.run_steps(2);
    assert!(h.state().ui.group_dialog.is_none(), "the dialog closed");
    step_until(&mut h, "the group report", Duration::from_secs(90), |app| {
        !app.inventory.group_reports.is_empty()
    });
    h.run_steps(3);
    let report = h.state().inventory.group_reports[0].clone();
    let created: Vec<ResourceId> = report
        .members
        .iter()
        .map(|m| match &m.outcome {
            MemberOutcome::Created { point_id, .. } => point_id.clone(),
            other => panic!("{}: {other:?}", m.vm_id.name()),
        })
        .collect();
    assert_eq!(created.len(), 2);
    for (point, vm) in created.iter().zip(["web-frontend-01", "web-frontend-02"]) {
        assert_eq!(point.name(), plan.point_name);
        assert_eq!(
            point.parent().map(|c| c.name().to_owned()),
            Some(format!("{vm}-rpc")),
            "each member's point is in its own collection"
        );
    }
    assert!(
        h.query_all_by_label_contains("Time skew: ")
            .next()
            .is_some(),
        "the report shows the time skew"
    );
    assert!(report.skew_secs().is_some_and(|s| s >= 0));
    // Each point is in the emulator: the reload after each member reads it back.
    step_until(
        &mut h,
        "both points reloaded from the emulator",
        Duration::from_secs(30),
        |app| {
            created.iter().all(|p| {
                app.inventory.point(p).is_some_and(|p| {
                    p.properties.provisioning_state
                        == Some(rpdesk::model::ProvisioningState::Succeeded)
                        && p.properties
                            .source_metadata
                            .as_ref()
                            .is_some_and(|m| m.vm_id.is_some())
                })
            })
        },
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_azure_would_refuse_is_skipped_with_the_reason() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    // A creation already running on web-frontend-01: Azure refuses a second one.
    let busy = ResourceId::parse(&format!("{WEB}/virtualMachines/web-frontend-01")).expect("id");
    h.state_mut().inventory.set_creation_in_flight(&busy, true);
    let vm = ResourceId::parse(&format!("{WEB}/virtualMachines/web-frontend-02")).expect("id");
    h.state_mut()
        .run(rpdesk::ui::Command::Reveal(NodeId::Vm(vm.clone())));
    h.run_steps(4);
    h.get_by_label("Group restore point for avset-web…").click();
    h.run_steps(3);
    let plan = h
        .state()
        .ui
        .group_dialog
        .as_ref()
        .and_then(|d| d.plan.as_ref())
        .map(|(_, _, p)| p.clone())
        .expect("a plan");
    match &plan.members[0].step {
        MemberStep::Skip(reason) => assert!(!reason.is_empty()),
        other => panic!("web-frontend-01 is skipped: {other:?}"),
    }
    assert!(matches!(plan.members[1].step, MemberStep::Create(_)));
    assert!(
        h.query_all_by_label_contains("Skipped: ").next().is_some(),
        "the dialog shows why the member is skipped"
    );
    assert!(
        h.query_by_label("Create 1 point").is_some(),
        "one point to create"
    );
}
