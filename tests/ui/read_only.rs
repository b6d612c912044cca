//! Read-only mode: every write is disabled, says why, and is refused if asked anyway.

use crate::ui_support::*;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use rpdesk::activity::ActivityStatus;
use rpdesk::app::{App, READ_ONLY_CODE};
use rpdesk::inventory::NodeId;

fn refusals(app: &App) -> usize {
    app.activity
        .entries()
        .iter()
        .filter(|e| {
            matches!(&e.status, ActivityStatus::Failed(info)
                if info.code.as_deref() == Some(READ_ONLY_CODE)
                    && info.message.contains("Read-only mode"))
        })
        .count()
}

fn disabled(h: &egui_kittest::Harness<'_, App>, role: Role, label: &str) -> bool {
    h.get_by_role_and_label(role, label)
        .accesskit_node()
        .is_disabled()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_setting_disables_creation_and_refuses_a_create_sent_anyway() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    open_production_vm(&mut h, "web-frontend-01");
    h.get_by_role_and_label(Role::Tab, "Supportability").click();
    h.run_steps(2);
    h.get_by_label("Create restore point…").click();
    h.run_steps(2);
    h.get_by_label("Create…").click();
    h.run_steps(6);
    let plan = h
        .state()
        .ui
        .create_dialog
        .as_ref()
        .and_then(|d| d.pending.clone())
        .expect("the dialog asks for confirmation");
    assert!(!disabled(&h, Role::Button, "Create restore point"));

    // Turned on while the confirmation is open (the modal covers the top bar, so as a
    // settings file from another window would): the button it shows goes grey.
    h.state_mut().ui.read_only = true;
    h.run_steps(2);
    assert!(h.state().ui.read_only, "the setting is on");
    assert!(disabled(&h, Role::Button, "Create restore point"));
    assert!(h.query_by_label("READ-ONLY").is_some(), "the badge shows");

    // Sent anyway (a shortcut, a stale dialog): refused, said, nothing sent.
    let vm_id = plan.vm_id.clone();
    let collection = h.state().inventory.collections_of(&vm_id)[0].clone();
    let before = h.state().inventory.points_of(&collection).len();
    let requests = h.state().request_count();
    h.state_mut()
        .run(rpdesk::ui::Command::CreateRestorePoint(Box::new(plan)));
    assert_eq!(
        refusals(h.state()),
        1,
        "the activity log says it was refused"
    );
    assert_eq!(h.state().activity.running(), 0, "nothing started");
    assert_eq!(h.state().request_count(), requests, "no request was sent");
    h.state_mut().run(rpdesk::ui::Command::Refresh);
    wait_loaded(&mut h);
    assert_eq!(
        h.state().inventory.points_of(&collection).len(),
        before,
        "the emulator holds no new point"
    );

    // Off again from the top bar: the creation button works.
    h.state_mut().ui.create_dialog = None;
    h.run_steps(2);
    h.get_by_role_and_label(Role::CheckBox, "Read-only").click();
    h.run_steps(2);
    assert!(!h.state().ui.read_only);
    assert!(h.query_by_label("READ-ONLY").is_none());
    assert!(!disabled(&h, Role::Button, "Create restore point…"));
    h.get_by_role_and_label(Role::CheckBox, "Read-only").click();
    h.run_steps(2);
    assert!(h.state().ui.read_only, "and on again from the top bar");
    assert!(disabled(&h, Role::Button, "Create restore point…"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flag_cannot_be_lifted_from_the_window_and_refuses_a_demo_reset() {
    let mut options = app_options(None);
    options.read_only = true;
    let mut h = harness(options);
    wait_loaded(&mut h);
    assert!(disabled(&h, Role::CheckBox, "Read-only"));
    assert!(h.query_by_label("READ-ONLY").is_some());
    assert!(disabled(&h, Role::Button, "Reset demo…"));

    // Browsing still works.
    open_production_vm(&mut h, "web-frontend-01");
    assert!(matches!(h.state().ui.selection, Some(NodeId::Vm(_))));
    h.get_by_role_and_label(Role::Tab, "Supportability").click();
    h.run_steps(2);
    assert!(disabled(&h, Role::Button, "Create restore point…"));

    h.state_mut().run(rpdesk::ui::Command::ResetDemo);
    assert_eq!(refusals(h.state()), 1);
    assert!(
        h.state().is_idle(),
        "nothing is reloading: the demo was not reset"
    );
}
