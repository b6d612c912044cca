//! The real app, driven by egui_kittest on the demo estate served by the in-process
//! emulator: navigation, search, failure and recovery, raw JSON.

use std::time::Duration;

use crate::ui_support::*;
use egui_kittest::kittest::Queryable as _;
use rpdesk::inventory::NodeId;

const PROD: &str = "6f1c0d7e-2b7a-4c55-9a43-1d1e0a5b7c01";

fn selected(app: &rpdesk::app::App) -> Option<NodeId> {
    app.ui.selection.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn click_through_subscription_vm_collection_point_disk_point() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);

    open_production_vm(&mut h, "sql-prod-01");
    assert!(matches!(selected(h.state()), Some(NodeId::Vm(id)) if id.name() == "sql-prod-01"));
    assert!(
        h.query_by_label("Standard_E8s_v5").is_some(),
        "the inspector shows the VM size"
    );

    h.get_by_label("Expand sql-prod-01").click();
    h.run_steps(2);
    // The name is in the tree and in the table's collection column: the tree comes first.
    h.get_all_by_label("sql-prod-01-rpc")
        .next()
        .unwrap()
        .click();
    h.run_steps(2);
    assert!(
        matches!(selected(h.state()), Some(NodeId::Collection(id)) if id.name() == "sql-prod-01-rpc")
    );

    h.get_by_label("Expand sql-prod-01-rpc").click();
    h.run_steps(2);
    let newest = h
        .state()
        .inventory
        .points_of(match &selected(h.state()) {
            Some(NodeId::Collection(id)) => id,
            _ => unreachable!(),
        })
        .last()
        .unwrap()
        .clone();
    h.get_all_by_label(newest.name()).next().unwrap().click();
    step_until(
        &mut h,
        "the point's disk restore points",
        Duration::from_secs(20),
        |app| {
            app.inventory
                .points
                .get(&newest)
                .is_some_and(|p| p.disk_points().value().is_some() && p.detail().value().is_some())
        },
    );
    h.run_steps(2);
    assert!(
        h.query_by_label("ApplicationConsistent").is_some()
            || h.query_by_label("CrashConsistent").is_some()
    );

    h.get_by_label(&format!("Expand {}", newest.name())).click();
    h.run_steps(2);
    let disk_point = h
        .state()
        .inventory
        .disk_points_of(&newest)
        .into_iter()
        .nth(1)
        .expect("a data disk restore point");
    let label = h.state().inventory.disk_point_label(&disk_point);
    assert!(label.starts_with("LUN 0 · "), "{label}");
    h.get_by_label(&label).click();
    h.run_steps(3);
    assert_eq!(selected(h.state()), Some(NodeId::DiskPoint(disk_point)));
    assert!(
        h.query_by_label("Source disk").is_some(),
        "the inspector shows the disk restore point's source disk"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_a_vm_by_part_of_its_name() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    let search = h.get_by_label("Search");
    search.focus();
    search.type_text("frontend-02");
    h.run_steps(3);
    h.get_by_label("web-frontend-02").click();
    h.run_steps(3);
    match selected(h.state()) {
        Some(NodeId::Vm(id)) => assert_eq!(id.name(), "web-frontend-02"),
        other => panic!("search did not select the VM: {other:?}"),
    }
    assert!(
        h.state().ui.is_expanded(&NodeId::Subscription(PROD.into())),
        "the tree reveals the hit"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_moves_through_the_tree() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(2);
    let first = selected(h.state()).expect("Down selects the first row");
    assert!(matches!(first, NodeId::Subscription(_)));
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(2);
    assert!(h.state().ui.is_expanded(&first), "Right expands");
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(2);
    assert!(
        matches!(selected(h.state()), Some(NodeId::Vm(_))),
        "Down enters the children"
    );
    h.key_press(egui::Key::ArrowLeft);
    h.run_steps(2);
    assert_eq!(
        selected(h.state()),
        Some(first.clone()),
        "Left goes to the parent"
    );
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert_eq!(selected(h.state()), None, "Esc goes up to the root");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_subscription_shows_its_error_while_others_load_and_recovers_on_retry() {
    let emu = rpdesk::emulator::RunningEmulator::start(
        Default::default(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let admin = rpdesk::arm::ArmClient::new(
        &emu.base_url(),
        std::sync::Arc::new(rpdesk::auth::StaticToken::new("t")),
        Default::default(),
    )
    .unwrap();
    let dev = "8a2d4f19-5c3e-4e1b-b7d2-2f6a9c0e8d02";
    admin
        .emulator_add_fault(serde_json::json!({"kind": "serverError", "pathContains": dev}))
        .await
        .unwrap();

    let spec = rpdesk::backend::ConnectionSpec::Custom {
        endpoint: emu.base_url(),
        token: rpdesk::auth::BearerToken::new("t"),
    };
    let mut h = harness(app_options(Some(spec)));
    step_until(
        &mut h,
        "everything to settle",
        Duration::from_secs(60),
        |app| app.inventory.progress().is_complete() && app.inventory.subscription_ids().len() == 4,
    );
    let failed = h
        .state()
        .inventory
        .subs
        .get(dev)
        .unwrap()
        .vms
        .error()
        .cloned()
        .expect("the failing subscription shows its error");
    assert!(
        failed.summary().contains("InternalServerError") || failed.status == Some(500),
        "{failed:?}"
    );
    assert!(
        !h.state().inventory.vms_of(PROD).is_empty(),
        "the other subscriptions loaded"
    );
    assert!(
        h.state().activity.failures() > 0,
        "the failure is in the activity log"
    );
    h.run_steps(2);

    admin.emulator_clear_faults().await.unwrap();
    h.get_by_label("Retry").click();
    step_until(
        &mut h,
        "the retried subscription",
        Duration::from_secs(30),
        |app| {
            app.inventory
                .subs
                .get(dev)
                .is_some_and(|e| e.vms.error().is_none() && !e.vms.is_loading())
                && !app.inventory.vms_of(dev).is_empty()
        },
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_json_view_shows_the_document_the_emulator_serves() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    open_production_vm(&mut h, "sap-hana-01");
    // Below the fold for a VM with many disks: scroll to it as a user would.
    h.get_by_label("Raw JSON").scroll_to_me();
    h.run_steps(2);
    h.get_by_label("Raw JSON").click();
    h.run_steps(3);
    let Some(NodeId::Vm(id)) = selected(h.state()) else {
        panic!("no VM selected")
    };
    step_until(&mut h, "the raw document", Duration::from_secs(20), |app| {
        app.inventory.raw.get(&id).and_then(|l| l.value()).is_some()
    });
    h.run_steps(2);
    let shown = h.state().inventory.raw[&id].value().unwrap().clone();

    let base = h.state().endpoint().unwrap();
    let url = format!(
        "{}{}?api-version=2025-04-01",
        base.trim_end_matches('/'),
        id.as_str()
    );
    let served: serde_json::Value = reqwest::Client::new()
        .get(url)
        .bearer_auth("x")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown, served);
    assert!(h.query_by_label("Copy JSON").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_moves_through_the_table_and_enter_opens_the_row() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    open_production_vm(&mut h, "sql-prod-02");
    // The table lists the VM's points, newest first; click the first row's name cell.
    let points = h
        .state()
        .inventory
        .points_of_vm(match &selected(h.state()) {
            Some(NodeId::Vm(id)) => id,
            _ => unreachable!(),
        })
        .iter()
        .map(|p| p.point.id.clone())
        .collect::<Vec<_>>();
    let newest = points.last().unwrap().clone();
    let second = points[points.len() - 2].clone();
    h.get_all_by_label(newest.name()).last().unwrap().click();
    h.run_steps(2);
    assert_eq!(
        h.state().ui.caches.table_cursor,
        Some(NodeId::Point(newest.clone())),
        "a click highlights the row"
    );
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(2);
    assert_eq!(
        h.state().ui.caches.table_cursor,
        Some(NodeId::Point(second.clone())),
        "Down moves to the next (older) point"
    );
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert_eq!(
        selected(h.state()),
        Some(NodeId::Point(second)),
        "Enter opens it"
    );
    assert_eq!(h.state().ui.caches.table_cursor, None);

    // From the subscriptions table (7 columns), every point of the fleet by its check box
    // (the table changes under the frame that ticks it: it drew 9 cells under 7 columns
    // and panicked), then filtered.
    h.state_mut().run(rpdesk::ui::Command::Select(None));
    h.run_steps(2);
    assert!(shown(&h, "Not read"), "the subscriptions table");
    h.get_by_label("Every point below").click();
    h.run_steps(3);
    assert!(shown(&h, "Every restore point below"));
    assert!(shown(&h, "Label"), "the points table's own columns");
    // Its cells elide their texts rather than each clipping to a rectangle of its own:
    // every clip rectangle is a draw call of its own (and, under a software renderer, a
    // few hundred KB of binned geometry): clipped, this frame had 199.
    let clip_rects: std::collections::HashSet<[u32; 4]> = h
        .output()
        .shapes
        .iter()
        .map(|s| {
            let r = s.clip_rect;
            [r.min.x, r.min.y, r.max.x, r.max.y].map(f32::to_bits)
        })
        .collect();
    assert!(
        clip_rects.len() < 60,
        "{} clip rectangles in one frame",
        clip_rects.len()
    );
    type_into(&mut h, "Filter", "crash");
    let crash = h
        .state()
        .inventory
        .points_below(None, false)
        .iter()
        .filter(|p| {
            p.point.properties.consistency_mode
                == Some(rpdesk::model::ConsistencyMode::CrashConsistent)
        })
        .count();
    let app = h.state_mut();
    let shown_rows = app.ui.table_view(&app.inventory, 0.0).1.len();
    assert!(crash > 0);
    assert_eq!(
        shown_rows, crash,
        "the filter keeps the crash-consistent points"
    );

    // In a narrow window the controls take a line of their own instead of drawing over
    // the title (which elides).
    h.set_size(egui::vec2(1000.0, 700.0));
    h.run_steps(3);
    let title = h.get_by_label_contains("Every restore point").rect();
    for control in ["Every point below", "Filter"] {
        let rect = h.get_by_label(control).rect();
        assert!(
            !rect.intersects(title),
            "{control} at {rect:?} over the title at {title:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inspector_tabs_switch_on_click() {
    use rpdesk::ui::state::InspectorTab;
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    open_production_vm(&mut h, "web-frontend-01");
    for (label, tab) in [
        ("Consistency", InspectorTab::Consistency),
        ("Supportability", InspectorTab::Supportability),
        ("Cost", InspectorTab::Cost),
        ("Overview", InspectorTab::Overview),
    ] {
        h.get_by_role_and_label(egui::accesskit::Role::Tab, label)
            .click();
        h.run_steps(3);
        assert_eq!(h.state().ui.inspector_tab, tab, "clicking {label}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn f5_reloads_without_blanking_the_screen() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    h.get_by_label("Expand Contoso Production").click();
    h.run_steps(2);
    let requests_before = h.state().request_count();
    h.key_press(egui::Key::F5);
    h.step();
    let shown = |h: &egui_kittest::Harness<'_, rpdesk::app::App>, label: &str| {
        h.query_all_by_label(label).next().is_some()
    };
    // Whether or not the reload has finished already, nothing disappeared.
    assert!(
        shown(&h, "Contoso Production") && shown(&h, "sql-prod-01"),
        "the tree stays on screen while reloading"
    );
    step_until(&mut h, "the reload", Duration::from_secs(30), |app| {
        app.is_idle() && app.request_count() > requests_before + 3
    });
    assert!(shown(&h, "sql-prod-01"));
    assert_eq!(h.state().inventory.vms.len(), 34);
}

/// Once the inventory is complete the app gives the memory the load freed back to the
/// system: once per load, not on every frame, and again after a refresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gives_the_loads_freed_memory_back_once_per_load() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    assert_eq!(
        h.state().memory_releases(),
        1,
        "once the first load is complete"
    );
    h.run_steps(10);
    assert_eq!(
        h.state().memory_releases(),
        1,
        "not again while nothing loads"
    );

    h.state_mut().run(rpdesk::ui::Command::Refresh);
    h.run_steps(1);
    assert!(
        !h.state().inventory.progress().is_complete(),
        "the refresh is loading"
    );
    wait_loaded(&mut h);
    assert_eq!(
        h.state().memory_releases(),
        2,
        "and once the refresh is complete"
    );
}
