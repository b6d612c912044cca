//! The fleet grid in the real app on the demo estate.

use crate::ui_support::*;
use egui_kittest::kittest::Queryable as _;
use rpdesk::ui::assessments::VerdictClass;
use rpdesk::ui::state::CentreView;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_grid_counts_verdicts_and_filters_by_verdict() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);

    h.get_by_label("Fleet").click();
    h.run_steps(3);
    assert_eq!(h.state().ui.centre, CentreView::Fleet);
    assert!(h.query_by_label("Fleet supportability").is_some());
    assert!(h.query_by_label("34 of 34 VMs").is_some());

    h.state_mut().ui.fleet.verdict = Some(VerdictClass::Supported);
    h.run_steps(3);
    assert!(h.query_by_label("web-frontend-01").is_some());
    assert!(
        h.query_by_label("checkout-vmss_0").is_none(),
        "an unsupported VM is filtered out"
    );

    h.state_mut().ui.fleet.verdict = Some(VerdictClass::NotSupported);
    h.run_steps(3);
    assert!(
        h.query_by_label("checkout-vmss_0").is_some(),
        "a Uniform scale set instance is not supported"
    );
    assert!(
        h.query_by_label("web-frontend-01").is_none(),
        "a supported VM is filtered out"
    );
    assert!(h.query_by_label("34 of 34 VMs").is_none());
}
