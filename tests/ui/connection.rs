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
