//! A failed sign-in (or any failed connection) is a state of its own: a readable panel
//! with the reason per credential source and what to do, Retry and Sign in again, and an
//! entry in the activity log; never a navigator that says "Loading…" forever.

use std::time::Duration;

use crate::ui_support::*;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use rpdesk::auth::Cloud;
use rpdesk::backend::ConnectionSpec;
use rpdesk::ui::ConnectionStatus;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sign_in_says_why_for_each_source_and_what_to_do() {
    // No `az login` and no service principal here: every credential fails.
    let mut h = harness(app_options(Some(ConnectionSpec::Azure {
        cloud: Cloud::Public,
    })));
    step_until(
        &mut h,
        "the sign-in to fail",
        Duration::from_secs(60),
        |app| matches!(app.connection_view().status, ConnectionStatus::Failed(_)),
    );
    h.run_steps(4);
    let shown = |h: &egui_kittest::Harness<'_, rpdesk::app::App>, text: &str| {
        h.query_all_by_label_contains(text).next().is_some()
    };
    assert!(shown(&h, "Could not sign in to Azure"));
    assert!(
        shown(&h, "Azure CLI"),
        "each credential source with its reason"
    );
    assert!(shown(&h, "az login"), "what to do");
    assert!(shown(&h, "AZURE_CLIENT_SECRET"));
    assert!(shown(&h, "--cloud"));
    assert!(
        !shown(&h, "Loading subscriptions"),
        "not a load that never ends"
    );
    for nothing_loaded in ["Clean up…", "Export…"] {
        use egui_kittest::kittest::NodeT as _;
        assert!(
            h.get_by_role_and_label(Role::Button, nothing_loaded)
                .accesskit_node()
                .is_disabled(),
            "{nothing_loaded} waits for a connection"
        );
    }
    assert!(
        h.state()
            .activity
            .entries()
            .iter()
            .any(|e| matches!(e.status, rpdesk::activity::ActivityStatus::Failed(_))),
        "the activity log says it failed"
    );
    h.get_by_role_and_label(Role::Button, "Retry").click();
    h.run_steps(2);
    step_until(
        &mut h,
        "the retry to fail again",
        Duration::from_secs(60),
        |app| matches!(app.connection_view().status, ConnectionStatus::Failed(_)),
    );
    assert!(
        h.query_by_role_and_label(Role::Button, "Sign in again")
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_demo_estate_is_named_and_set_aside_to_start_afresh() {
    let dir = std::env::temp_dir().join(format!("rpdesk-damaged-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("demo-estate.json");
    std::fs::write(&file, "{\"subscriptions\": [").unwrap();
    let mut options = app_options(None);
    options.demo_state_file = Some(file.clone());
    options.data_dir = Some(dir.clone());
    let mut h = harness(options);
    step_until(
        &mut h,
        "the demo to fail on its file",
        Duration::from_secs(60),
        |app| matches!(app.connection_view().status, ConnectionStatus::Failed(_)),
    );
    h.run_steps(4);
    let shown = |h: &egui_kittest::Harness<'_, rpdesk::app::App>, text: &str| {
        h.query_all_by_label_contains(text).next().is_some()
    };
    assert!(shown(&h, "The demo estate's file is damaged"));
    assert!(
        shown(&h, &file.display().to_string()),
        "the panel names the file"
    );
    assert!(!shown(&h, "Loading subscriptions"));

    h.get_by_role_and_label(Role::Button, "Set it aside and start a new demo")
        .click();
    h.run_steps(2);
    wait_loaded(&mut h);
    assert!(!h.state().inventory.vms.is_empty(), "the demo runs again");
    // The damaged file is kept beside, under a dated name; a new estate took its place.
    let kept: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("demo-estate.json.corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        std::fs::read_to_string(dir.join(&kept[0])).unwrap(),
        "{\"subscriptions\": [",
        "kept byte for byte"
    );
    assert!(
        h.state()
            .activity
            .entries()
            .iter()
            .any(|e| e.title.contains(&kept[0])),
        "the activity log says where the old file went"
    );
    drop(h);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_reset_the_emulator_could_not_save_shows_as_failed_in_the_log_and_status_bar() {
    let dir = std::env::temp_dir().join(format!("rpdesk-unsaved-reset-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let state_dir = dir.join("state");
    std::fs::create_dir_all(&state_dir).unwrap();
    let mut options = app_options(None);
    options.demo_state_file = Some(state_dir.join("demo-estate.json"));
    options.data_dir = Some(dir.clone());
    let mut h = harness(options);
    wait_loaded(&mut h);
    // The disk goes away under the emulator: its folder is now a plain file.
    std::fs::remove_dir_all(&state_dir).unwrap();
    std::fs::write(&state_dir, "not a directory").unwrap();

    h.get_by_role_and_label(Role::Button, "Reset demo…").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "Reset").click();
    step_until(&mut h, "the reset to end", Duration::from_secs(60), |app| {
        app.activity.failures() > 0
    });
    h.run_steps(4);
    let failed = h
        .state()
        .activity
        .entries()
        .iter()
        .find_map(|e| match &e.status {
            rpdesk::activity::ActivityStatus::Failed(info) => Some(info.summary()),
            _ => None,
        })
        .unwrap();
    assert!(failed.contains("StateNotSaved"), "{failed}");
    assert!(
        h.query_all_by_label_contains("1 failed (see the activity log)")
            .next()
            .is_some(),
        "the status bar says so"
    );
    drop(h);
    let _ = std::fs::remove_dir_all(&dir);
}
