//! The cost views in the real app on the demo estate: a policy control moves the
//! projected monthly figure, two policies are compared, prices say where they come from
//! (the emulator's Retail Prices, or the embedded table with its date when the endpoint
//! cannot be reached), and a table exports through the path field when no save dialog
//! can open.

use std::time::Duration;

use crate::ui_support::*;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use rpdesk::cost::{self, CostInputs, Retention, format_money};
use rpdesk::ui::cost::CostSlot;
use rpdesk::ui::state::CentreView;

/// Opens the fleet Cost view from the top bar (not the inspector's Cost tab).
fn open_cost_view(h: &mut egui_kittest::Harness<'static, rpdesk::app::App>) {
    let button = h
        .query_all_by_label("Cost")
        .find(|n| n.accesskit_node().role() != Role::Tab)
        .expect("the Cost toggle in the top bar");
    button.click();
    h.run_steps(2);
    assert_eq!(h.state().ui.centre, CentreView::Cost);
}

/// What a node reads: a label's text is its value.
fn text_of(node: &egui_kittest::Node<'_>) -> Option<String> {
    let n = node.accesskit_node();
    n.label().or_else(|| n.value())
}

/// The text of the first label starting with `prefix`, once shown and nothing is left
/// to load or compute.
fn label_text(h: &mut egui_kittest::Harness<'static, rpdesk::app::App>, prefix: &str) -> String {
    let started = std::time::Instant::now();
    loop {
        h.step();
        if !h.state().cost_busy() {
            let found = h
                .query_all_by_label_contains(prefix)
                .filter_map(|n| text_of(&n))
                .find(|l| l.starts_with(prefix));
            if let Some(text) = found {
                return text;
            }
        }
        if started.elapsed() > Duration::from_secs(60) {
            let seen: Vec<String> = h
                .query_all_by_label_contains(" ")
                .filter_map(|n| text_of(&n))
                .filter(|t| t.contains("point") || t.contains("month"))
                .take(40)
                .collect();
            panic!(
                "no label starting {prefix:?} (busy {}, reading {:?}); labels: {seen:#?}",
                h.state().cost_busy(),
                h.state().ui.caches.cost.reading()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The text of a label once it differs from `before`.
fn changed_text(
    h: &mut egui_kittest::Harness<'static, rpdesk::app::App>,
    prefix: &str,
    before: &str,
) -> String {
    for _ in 0..200 {
        let now = label_text(h, prefix);
        if now != before {
            return now;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("{prefix:?} still reads {before:?}");
}

/// `$1,234.56` in a label → 1234.56.
fn dollars(text: &str) -> f64 {
    let start = text.find('$').expect("an amount in dollars") + 1;
    let digits: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .filter(|c| *c != ',')
        .collect();
    digits.trim_end_matches('.').parse().expect("a number")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moving_a_policy_control_changes_the_projected_monthly_figure() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    open_cost_view(&mut h);

    let before = label_text(&mut h, "Policy A: ");
    assert!(before.ends_with("per month once steady"), "{before}");
    assert!(
        label_text(&mut h, "Prices: Retail prices from http://127.0.0.1:").ends_with("· USD"),
        "the demo's prices come from its emulator, dated"
    );

    // Keep 7 points instead of 30: a move of the policy control, as a screen reader does it.
    h.get_by_label("Points kept, policy A")
        .set_value_accesskit(7.0);
    h.run_steps(2);
    assert_eq!(h.state().ui.cost.policies[0].retention, Retention::Count(7));
    let after = changed_text(&mut h, "Policy A: ", &before);
    assert!(
        dollars(&after) < dollars(&before),
        "fewer points cost less: {before} → {after}"
    );

    // Another control: the same 7 points taken every 12 h hold half a day's changes each
    // instead of a day's, so they cost less again.
    h.get_by_label("Hours between points, policy A")
        .set_value_accesskit(12.0);
    h.run_steps(2);
    assert_eq!(h.state().ui.cost.policies[0].every_hours, 12);
    let again = changed_text(&mut h, "Policy A: ", &after);
    assert!(dollars(&again) < dollars(&after), "{after} → {again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_policies_are_compared_per_month_and_per_year() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    open_cost_view(&mut h);
    label_text(&mut h, "Policy B: ");

    // The same policy on both sides costs the same.
    h.get_by_label("Points kept, policy B")
        .set_value_accesskit(30.0);
    h.run_steps(2);
    step_until(&mut h, "the same", Duration::from_secs(60), |app| {
        !app.cost_busy() && app.ui.cost.policies[0] == app.ui.cost.policies[1]
    });
    assert_eq!(
        label_text(&mut h, "Policies A and B"),
        "Policies A and B cost the same"
    );

    // A point every 12 h on B: B keeps 30 points over 15 days instead of 30, so it costs
    // less; A costs more, per month and over the year, by what the model says.
    h.get_by_label("Hours between points, policy B")
        .set_value_accesskit(12.0);
    h.run_steps(2);
    let text = changed_text(&mut h, "Policy", "Policies A and B cost the same");
    let text = if text.starts_with("Policy A costs") {
        text
    } else {
        label_text(&mut h, "Policy A costs")
    };
    // The same figures computed here, from the inputs the view used.
    let app = h.state();
    let shown = app
        .ui
        .caches
        .cost
        .latest(CostSlot::Fleet)
        .expect("figures computed off the UI thread");
    assert_eq!(shown.inputs.policies, app.ui.cost.policies);
    let inputs: CostInputs = shown.inputs.clone();
    let estate = app.inventory.cost_estate();
    let model = cost::model(&estate, inputs);
    let diff = model.comparison;
    assert!(diff.per_month > 0.0, "{diff:?}");
    assert_eq!(
        text,
        format!(
            "Policy A costs {} per month more than policy B once both are steady ({} over the first year)",
            format_money(diff.per_month, "USD"),
            format_money(diff.first_year, "USD")
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_price_list_shows_the_embedded_prices_and_their_date() {
    let mut options = app_options(None);
    options.prices_endpoint = Some("http://127.0.0.1:9".into());
    let mut h = harness(options);
    wait_loaded(&mut h);
    open_cost_view(&mut h);
    let prices = label_text(&mut h, "Prices: ");
    assert_eq!(
        prices,
        format!(
            "Prices: The embedded price table dated {} · USD",
            cost::EMBEDDED_AS_OF
        )
    );
    assert!(
        h.query_by_label_contains("could not be used").is_some(),
        "the reason is shown"
    );
    assert!(label_text(&mut h, "Policy A: ").contains('$'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cost_tab_shows_a_point_and_what_deleting_it_frees() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    open_production_vm(&mut h, "sql-prod-01");
    h.get_by_role_and_label(Role::Tab, "Cost").click();
    h.run_steps(2);
    assert!(label_text(&mut h, "Restore points").starts_with("Restore points"));
    let points = h.query_all_by_label_contains("rp-0").count();
    assert!(points >= 12, "the VM's points with their shares: {points}");

    // The point's row in the centre table (the inspector shows the row clicked); the
    // Cost tab on the right names the point too.
    h.query_all_by_label("rp-010-app")
        .find(|n| n.rect().left() > 300.0 && n.rect().right() < 1000.0)
        .expect("the point in the table")
        .click();
    h.run_steps(2);
    let stores = label_text(&mut h, "This point stores ");
    let freed = label_text(&mut h, "Deleting it would free ");
    assert!(stores.contains("of its collection"), "{stores}");
    assert!(
        freed.ends_with("its changes move into the next point"),
        "{freed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_table_exports_to_a_typed_path_when_no_dialog_can_open() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    open_cost_view(&mut h);
    label_text(&mut h, "Policy A: ");
    h.get_by_label("Export CSV…").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "Collections").click();
    h.run_steps(3);
    assert!(
        h.state().ui.cost.export.path_needed,
        "no dialog in a test: the path field is offered"
    );
    let path = std::env::temp_dir().join(format!("rpdesk-cost-{}.csv", uuid::Uuid::new_v4()));
    h.state_mut().ui.cost.export.path = path.display().to_string();
    h.run_steps(2);
    h.get_by_label("Save here").click();
    step_until(&mut h, "the CSV written", Duration::from_secs(30), |_| {
        path.exists()
    });
    std::thread::sleep(Duration::from_millis(100));
    let csv = std::fs::read_to_string(&path).expect("written");
    assert!(
        csv.starts_with(
            "collection,vm,resource_group,subscription,region,points,gib,per_month,currency\n"
        ),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 30, "a header and the 29 collections");
    let _ = std::fs::remove_file(path);
}
