//! Deleting, cleaning up, labelling and finding leaks in the real app on the demo estate;
//! what the app did is checked in the emulator over HTTP.

use std::time::Duration;

use crate::ui_support::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use rpdesk::app::App;
use rpdesk::inventory::NodeId;
use rpdesk::model::ResourceId;
use rpdesk::ui::Command;

const PROD: &str = "6f1c0d7e-2b7a-4c55-9a43-1d1e0a5b7c01";

fn rpc(rg: &str, name: &str) -> ResourceId {
    ResourceId::parse(&format!(
        "/subscriptions/{PROD}/resourceGroups/{rg}/providers/Microsoft.Compute/restorePointCollections/{name}"
    ))
    .expect("id")
}

/// sql-prod-02's collection: 14 daily application-consistent points, rp-001-app oldest.
fn sql2_rpc() -> ResourceId {
    rpc("rg-sql-prod", "sql-prod-02-rpc")
}

fn sql2_vm() -> ResourceId {
    ResourceId::parse(&format!(
        "/subscriptions/{PROD}/resourceGroups/rg-sql-prod/providers/Microsoft.Compute/virtualMachines/sql-prod-02"
    ))
    .expect("id")
}

fn point(collection: &ResourceId, name: &str) -> ResourceId {
    collection.child("restorePoints", name)
}

/// GETs a resource from the app's emulator: its status.
async fn status_of(h: &Harness<'_, App>, id: &ResourceId) -> u16 {
    let base = h.state().endpoint().expect("connected");
    let url = format!(
        "{}{}?api-version=2025-04-01",
        base.trim_end_matches('/'),
        id.as_str()
    );
    reqwest::Client::new()
        .get(url)
        .bearer_auth("x")
        .send()
        .await
        .expect("GET")
        .status()
        .as_u16()
}

/// The names of a collection's points, as the emulator lists them.
async fn points_in(h: &Harness<'_, App>, collection: &ResourceId) -> Vec<String> {
    let base = h.state().endpoint().expect("connected");
    let url = format!(
        "{}{}?api-version=2025-04-01&$expand=restorePoints",
        base.trim_end_matches('/'),
        collection.as_str()
    );
    let body: serde_json::Value = reqwest::Client::new()
        .get(url)
        .bearer_auth("x")
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    let mut names: Vec<String> = body["properties"]["restorePoints"]
        .as_array()
        .expect("restorePoints")
        .iter()
        .map(|p| p["name"].as_str().expect("name").to_owned())
        .collect();
    names.sort();
    names
}

fn reveal(h: &mut Harness<'_, App>, node: NodeId) {
    h.state_mut().run(Command::Reveal(node));
    h.run_steps(4);
}

/// Opens the delete dialog on a point and deletes it, typing its name.
fn delete_through_dialog(h: &mut Harness<'_, App>, id: &ResourceId) {
    reveal(h, NodeId::Point(id.clone()));
    h.get_by_label("Delete…").click();
    h.run_steps(3);
    let name = id.name();
    type_into(h, &format!("Type {name} to confirm"), name);
    h.get_by_label(&format!("Delete restore point {name}"))
        .click();
    h.run_steps(2);
}

/// Opens the clean-up on sql-prod-02 keeping its newest `keep` points.
fn open_cleanup_keeping(h: &mut Harness<'_, App>, keep: &str) {
    reveal(h, NodeId::Vm(sql2_vm()));
    h.get_by_label("Clean up…").click();
    h.run_steps(3);
    // The window keeps its scope; the centre table and the inspector show no points.
    h.state_mut().run(Command::Select(None));
    h.run_steps(2);
    clear_and_type(h, "Keep the newest", keep);
    clear_and_type(h, "and every point younger than", "");
    h.run_steps(3);
}

/// The clean-up runs to its end.
fn run_cleanup(h: &mut Harness<'_, App>, count: usize) {
    run_cleanup_with(h, &format!("Delete {count} restore point(s)…"));
}

/// The clean-up started with the button labelled `button` runs to its end.
fn run_cleanup_with(h: &mut Harness<'_, App>, button: &str) {
    h.get_by_label(button).click();
    h.run_steps(2);
    step_until(h, "the clean-up to end", Duration::from_secs(60), |app| {
        app.ui
            .lifecycle
            .cleanup
            .as_ref()
            .and_then(|c| c.run.as_ref())
            .is_some_and(|r| r.ended)
            && app.is_idle()
    });
    h.run_steps(3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_point_asks_for_its_name_and_it_is_gone_from_the_tree_and_the_emulator() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    let rpc = sql2_rpc();
    let id = point(&rpc, "rp-001-app");
    reveal(&mut h, NodeId::Point(id.clone()));
    h.get_by_label("Delete…").click();
    h.run_steps(3);
    assert!(shown(&h, "Frees "), "the dialog says what is freed");
    // Not until the name is typed.
    h.get_by_label("Delete restore point rp-001-app").click();
    h.run_steps(3);
    assert!(h.state().ui.lifecycle.delete.is_some(), "still asking");
    type_into(&mut h, "Type rp-001-app to confirm", "rp-001");
    h.get_by_label("Delete restore point rp-001-app").click();
    h.run_steps(3);
    assert!(
        h.state().ui.lifecycle.delete.is_some(),
        "a part of the name is not enough"
    );
    type_into(&mut h, "Type rp-001-app to confirm", "-app");
    h.get_by_label("Delete restore point rp-001-app").click();
    h.run_steps(2);
    assert!(h.state().ui.lifecycle.delete.is_none(), "the dialog closed");
    step_until(
        &mut h,
        "the delete to end",
        Duration::from_secs(30),
        |app| !app.inventory.points.contains_key(&id) && app.is_idle(),
    );
    assert!(
        h.state()
            .activity
            .entries()
            .iter()
            .any(|e| e.title == "Delete restore point rp-001-app"),
        "the delete ran as an operation in the activity log"
    );
    // The tree: the collection open, the point not in it (its neighbour is).
    reveal(&mut h, NodeId::Point(point(&rpc, "rp-002-app")));
    assert!(h.query_all_by_label("rp-002-app").next().is_some());
    assert!(
        h.query_all_by_label("rp-001-app").next().is_none(),
        "gone from the tree"
    );
    assert_eq!(
        h.state().ui.selection,
        Some(NodeId::Point(point(&rpc, "rp-002-app")))
    );
    assert_eq!(status_of(&h, &id).await, 404, "gone from the emulator");
    assert_eq!(points_in(&h, &rpc).await.len(), 13);

    // The Delete key opens the dialog on the selection; Escape inside it leaves the
    // selection alone.
    h.key_press(egui::Key::Delete);
    h.run_steps(3);
    assert!(shown(&h, "Type rp-002-app to confirm"));
    // The name field has the keyboard from the start: typing goes into it.
    h.event(egui::Event::Text("rp-002".into()));
    h.run_steps(2);
    assert_eq!(
        h.state()
            .ui
            .lifecycle
            .delete
            .as_ref()
            .map(|d| d.typed.as_str()),
        Some("rp-002"),
        "typed without a click first"
    );
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(h.state().ui.lifecycle.delete.is_none(), "closed");
    assert_eq!(
        h.state().ui.selection,
        Some(NodeId::Point(point(&rpc, "rp-002-app"))),
        "the dialog owned the keyboard"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cleanup_preview_lists_exactly_what_the_rule_selects_and_the_run_deletes_exactly_that() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    open_cleanup_keeping(&mut h, "10");
    // 14 daily points, the newest 10 kept: the 4 oldest go.
    let doomed = ["rp-001-app", "rp-002-app", "rp-003-app", "rp-004-app"];
    assert!(shown(&h, "4 restore point(s) to delete"));
    for name in doomed {
        assert!(
            h.query_all_by_label(name).next().is_some(),
            "{name} is in the preview"
        );
    }
    for n in 5..=14 {
        let name = format!("rp-{n:03}-app");
        assert!(
            h.query_all_by_label(&name).next().is_none(),
            "{name} is not"
        );
    }
    run_cleanup(&mut h, 4);
    assert!(shown(&h, "Done: 4 deleted · 0 failed · 0 skipped"));
    let left = points_in(&h, &sql2_rpc()).await;
    let expected: Vec<String> = (5..=14).map(|n| format!("rp-{n:03}-app")).collect();
    assert_eq!(left, expected, "exactly the previewed points were deleted");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(
        h.state().ui.lifecycle.cleanup.is_none(),
        "Esc closes the window once the clean-up has ended"
    );
    for name in doomed {
        assert!(
            !h.state()
                .inventory
                .points
                .contains_key(&point(&sql2_rpc(), name)),
            "{name} left the tree without a reload"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_label_survives_a_restart_and_protects_its_point_from_cleanup() {
    let dir = crate::restore_support::temp_dir("labels");
    let options = || {
        let mut o = app_options(None);
        o.data_dir = Some(dir.to_path_buf());
        o
    };
    let pinned = point(&sql2_rpc(), "rp-002-app");
    {
        let mut h = harness(options());
        wait_loaded(&mut h);
        reveal(&mut h, NodeId::Point(pinned.clone()));
        h.get_by_label("Label").click();
        h.run_steps(3);
        type_into(&mut h, "Ticket", "CHG-1234");
        type_into(&mut h, "Owner", "alice");
        h.get_by_label("Pinned: clean-ups never delete it").click();
        h.run_steps(2);
        h.get_by_label("Save label").click();
        h.run_steps(3);
        assert!(h.state().inventory.labels.is_pinned(&pinned));
    }
    // A new app over the same data folder: a restart.
    let mut h = harness(options());
    wait_loaded(&mut h);
    assert!(h.state().inventory.labels.is_pinned(&pinned), "read back");
    reveal(&mut h, NodeId::Point(pinned.clone()));
    assert!(
        shown(&h, "📌 CHG-1234 · alice"),
        "the tree and the table show the label"
    );
    // Searchable by its ticket.
    h.state_mut().ui.search_query = "chg-1234".into();
    let found = rpdesk::ui::search_index::search(&h.state().inventory, "chg-1234", 10);
    assert_eq!(found, vec![NodeId::Point(pinned.clone())]);

    open_cleanup_keeping(&mut h, "10");
    let doomed = ["rp-001-app", "rp-003-app", "rp-004-app"];
    assert!(shown(&h, "3 restore point(s) to delete"));
    assert!(shown(&h, "Kept (11)"));
    run_cleanup(&mut h, 3);
    assert_eq!(status_of(&h, &pinned).await, 200, "the pinned point stays");
    for name in doomed {
        assert_eq!(
            status_of(&h, &point(&sql2_rpc(), name)).await,
            404,
            "{name} went"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leak_finder_finds_each_planted_case_and_revokes_an_active_sas_before_deleting() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    h.state_mut().ui.lifecycle.rule.keep_last = Some(10);
    h.get_by_label("Leaks").click();
    h.run_steps(3);
    for (heading, name) in [
        ("Collections whose VM is gone", "old-app-01-rpc"),
        ("Collections whose VM was moved", "legacy-erp-01-rpc"),
        (
            "Azure Backup's collections (read-only)",
            "AzureBackup_backup-managed-01_7216384",
        ),
        ("Points past the retention rule", "sql-prod-01"),
        ("VMs near 500 restore points", "dev-build-02"),
        (
            "Subscription-regions near 10,000 collections",
            "Contoso CI · eastus",
        ),
    ] {
        assert!(shown(&h, heading), "{heading}");
        assert!(
            h.query_all_by_label(name).next().is_some(),
            "{name} under {heading}"
        );
    }
    assert!(shown(&h, "read-only · Azure Backup"));
    assert!(shown(
        &h,
        "8,120 of the 10,000 collections Azure allows per subscription and region"
    ));
    assert!(shown(
        &h,
        "410 of the 500 restore points Azure keeps per VM"
    ));
    assert!(
        !shown(&h, "Disk restore points with an active SAS"),
        "Azure shows no SAS state: the finder knows of one once Azure refuses a delete"
    );
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(!h.state().ui.lifecycle.leaks_open, "Esc closes the finder");

    // file-server-01's oldest point has an active SAS: Azure refuses the delete, the
    // dialog says why and offers to revoke first, and the finder lists it.
    let fs = rpc("rg-files-prod", "file-server-01-rpc");
    let sas = point(&fs, "rp-001-app");
    reveal(&mut h, NodeId::Point(sas.clone()));
    step_until(
        &mut h,
        "its disk restore points",
        Duration::from_secs(20),
        |app| reveal_loaded(app, &sas),
    );
    delete_through_dialog(&mut h, &sas);
    step_until(&mut h, "Azure's refusal", Duration::from_secs(30), |app| {
        app.ui
            .lifecycle
            .delete
            .as_ref()
            .is_some_and(|d| d.refused.is_some())
    });
    h.run_steps(3);
    assert!(shown(&h, "DiskRestorePointUsedByCustomer") || shown(&h, "EndGetAccess"));
    assert_eq!(status_of(&h, &sas).await, 200, "still there");
    h.get_by_label("Cancel").click();
    h.run_steps(3);
    h.get_by_label("Leaks").click();
    h.run_steps(3);
    assert!(shown(&h, "Disk restore points with an active SAS"));
    h.get_by_label("Revoke and delete…").click();
    h.run_steps(3);
    assert!(
        shown(&h, "Revoke access to its"),
        "the revoke is offered, checked"
    );
    type_into(&mut h, "Type rp-001-app to confirm", "rp-001-app");
    h.get_by_label(
        "Delete restore point rp-001-app (revoking access to its disk restore points first)",
    )
    .click();
    h.run_steps(2);
    step_until(
        &mut h,
        "the revoke and delete",
        Duration::from_secs(60),
        |app| !app.inventory.points.contains_key(&sas) && app.is_idle(),
    );
    assert_eq!(status_of(&h, &sas).await, 404, "deleted after the revoke");
    h.run_steps(3);
    assert!(!shown(&h, "Disk restore points with an active SAS"));
}

/// Whether a point's disk restore points are loaded (selecting it loads them).
fn reveal_loaded(app: &App, id: &ResourceId) -> bool {
    !app.inventory.disk_points_of(id).is_empty()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_labels_file_is_kept_aside_and_said_so_and_nothing_is_lost() {
    let dir = crate::restore_support::temp_dir("bad-labels");
    let garbage = "{\"format\": \"rpdesk-labels/1\", \"labels\": [";
    std::fs::write(dir.join("labels.json"), garbage).expect("write");
    let mut options = app_options(None);
    options.data_dir = Some(dir.to_path_buf());
    let mut h = harness(options);
    wait_loaded(&mut h);
    let failed = h
        .state()
        .activity
        .entries()
        .iter()
        .any(|e| e.title == "Read the local labels");
    assert!(failed, "the activity log says the labels could not be read");
    let aside: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("unreadable"))
        .collect();
    assert_eq!(aside.len(), 1, "kept aside");
    assert_eq!(
        std::fs::read_to_string(aside[0].path()).expect("read"),
        garbage,
        "as it was"
    );
    // A new label goes into a fresh file.
    let id = point(&sql2_rpc(), "rp-003-app");
    reveal(&mut h, NodeId::Point(id.clone()));
    h.get_by_label("Label").click();
    h.run_steps(3);
    type_into(&mut h, "Ticket", "INC-9");
    h.get_by_label("Save label").click();
    h.run_steps(3);
    let saved = std::fs::read_to_string(dir.join("labels.json")).expect("written");
    let labels = rpdesk::lifecycle::Labels::parse(&saved).expect("readable");
    assert_eq!(labels.get(&id).map(|l| l.ticket.as_str()), Some("INC-9"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_mode_refuses_a_delete() {
    use egui_kittest::kittest::NodeT as _;
    use rpdesk::activity::ActivityStatus;
    use rpdesk::lifecycle::{DeletePlan, DeleteTarget};

    let mut options = app_options(None);
    options.read_only = true;
    let mut h = harness(options);
    wait_loaded(&mut h);
    let id = point(&sql2_rpc(), "rp-001-app");
    reveal(&mut h, NodeId::Point(id.clone()));
    let disabled = |h: &Harness<'_, App>, label: &str| {
        h.get_by_role_and_label(egui::accesskit::Role::Button, label)
            .accesskit_node()
            .is_disabled()
    };
    assert!(disabled(&h, "Delete…"), "Delete… is greyed out");

    // The Delete key still shows what a delete would free, but with the name typed the
    // button stays grey and Enter sends nothing.
    h.key_press(egui::Key::Delete);
    h.run_steps(3);
    type_into(&mut h, "Type rp-001-app to confirm", "rp-001-app");
    assert!(disabled(&h, "Delete restore point rp-001-app"));
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert!(h.state().is_idle(), "nothing started");

    // Sent anyway: refused, with the reason, before any request.
    let requests = h.state().request_count();
    h.state_mut().run(Command::Delete(Box::new(DeletePlan::new(
        DeleteTarget::Point(id.clone()),
    ))));
    let refused = h.state().activity.entries().iter().any(|e| {
        e.title == "Delete restore point rp-001-app"
            && matches!(&e.status, ActivityStatus::Failed(info)
                if info.code.as_deref() == Some(rpdesk::app::READ_ONLY_CODE))
    });
    assert!(refused, "the activity log says the delete was refused");
    assert_eq!(h.state().request_count(), requests, "no request was sent");
    assert_eq!(status_of(&h, &id).await, 200, "the point is still there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_collection_takes_its_points_and_it_is_gone_from_the_tree_and_the_emulator() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    // old-app-01 is gone; its collection and 5 points are still billed.
    let rpc = rpc("rg-legacy-apps", "old-app-01-rpc");
    let points = h.state().inventory.points_of(&rpc).to_vec();
    assert_eq!(points.len(), 5, "the demo plants 5 points");
    reveal(&mut h, NodeId::Collection(rpc.clone()));
    assert!(
        h.query_all_by_label("old-app-01-rpc").next().is_some(),
        "in the tree before"
    );
    h.get_by_label("Delete…").click();
    h.run_steps(3);
    assert!(shown(&h, "Frees "), "the dialog says what is freed");
    type_into(&mut h, "Type old-app-01-rpc to confirm", "old-app-01-rpc");
    h.get_by_label("Delete collection old-app-01-rpc").click();
    h.run_steps(2);
    assert!(h.state().ui.lifecycle.delete.is_none(), "the dialog closed");
    step_until(
        &mut h,
        "the collection's delete to end",
        Duration::from_secs(30),
        |app| !app.inventory.collections.contains_key(&rpc) && app.is_idle(),
    );
    for p in &points {
        assert!(
            !h.state().inventory.points.contains_key(p),
            "{} went with its collection",
            p.name()
        );
    }
    assert!(
        h.query_all_by_label("old-app-01-rpc").next().is_none(),
        "gone from the tree"
    );
    assert_eq!(status_of(&h, &rpc).await, 404, "gone from the emulator");
    assert_eq!(status_of(&h, &points[0]).await, 404, "its points too");
}

const CI: &str = "5d0e8a31-6b2f-4c7d-9e14-7a3c2b9f4d04";

/// A resource of Contoso CI's `rg-ci-agents`.
fn ci_id(kind: &str, name: &str) -> ResourceId {
    ResourceId::parse(&format!(
        "/subscriptions/{CI}/resourceGroups/rg-ci-agents/providers/Microsoft.Compute/{kind}/{name}"
    ))
    .expect("id")
}

fn ci_run(run: usize) -> ResourceId {
    ci_id("restorePointCollections", &format!("ci-run-{run:05}-rpc"))
}

/// Contoso CI's 8,120 leaked collections in eastus are listed, not read one by one (that
/// would take the subscription's ARM reads for five minutes): the load finishes without
/// them, each is read when opened, and the finder reads the rest on request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn near_the_collection_limit_points_are_read_when_a_collection_is_opened() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    let app = h.state();
    assert_eq!(app.inventory.progress().collections_on_demand, 8_120);
    assert!(
        app.request_count() < 1_000,
        "{} requests",
        app.request_count()
    );
    assert!(
        shown(&h, "8,120 read when opened"),
        "the status bar says so"
    );
    let one = ci_run(1);
    assert!(matches!(
        app.inventory.collections[&one].points,
        rpdesk::inventory::Loadable::NotRequested
    ));

    // Opened from the tree (revealed as search does): read, and found empty.
    reveal(&mut h, NodeId::Collection(one.clone()));
    step_until(&mut h, "its points", Duration::from_secs(20), |app| {
        app.inventory.collections[&one].points.value().is_some()
    });
    h.run_steps(2);
    assert!(app_points(&h, &one).is_empty());
    assert_eq!(h.state().inventory.progress().collections_on_demand, 8_119);
    assert!(shown(&h, "8,119 read when opened"));

    // The finder says how many are unread and reads them all on request.
    h.get_by_label("Leaks").click();
    h.run_steps(3);
    assert!(shown(&h, "8,119 not read yet"));
    h.get_by_label("Read their points").click();
    h.run_steps(2);
    let p = h.state().inventory.progress();
    assert_eq!(p.collections_on_demand, 0, "every one asked for");
    assert!(!p.is_complete(), "and being read");
    step_until(
        &mut h,
        "more of them read",
        Duration::from_secs(30),
        |app| {
            let read = app
                .inventory
                .collections
                .iter()
                .filter(|(id, c)| id.subscription_id() == CI && c.points.value().is_some())
                .count();
            read >= 20
        },
    );
}

fn app_points(h: &Harness<'_, App>, collection: &ResourceId) -> Vec<ResourceId> {
    h.state().inventory.points_of(collection).to_vec()
}

/// The fix for a subscription-region near the limit: a clean-up deletes the collections
/// that hold no point — and keeps one that got a point after the preview.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cleanup_deletes_empty_collections_but_not_one_that_got_a_point_since_the_preview() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    // ci-agent-01's collections are the even runs; three are read, and found empty.
    let runs: Vec<ResourceId> = [2, 4, 6].into_iter().map(ci_run).collect();
    h.state_mut().run(Command::ReadPoints(runs.clone()));
    step_until(&mut h, "three read", Duration::from_secs(20), |app| {
        runs.iter()
            .all(|id| app.inventory.collections[id].points.value().is_some())
    });
    reveal(&mut h, NodeId::Vm(ci_id("virtualMachines", "ci-agent-01")));
    h.get_by_label("Clean up…").click();
    h.run_steps(3);
    h.state_mut().run(Command::Select(None));
    h.run_steps(2);
    assert!(shown(&h, "4,057 collections here were not read"));
    h.get_by_label("Also delete the empty collections here")
        .click();
    h.run_steps(3);
    assert!(
        shown(&h, "3 empty collection(s) to delete"),
        "the preview counts them"
    );
    // Each has its `az` equivalent, like every delete in the window.
    let az = copied_az_commands(&mut h);
    for id in &runs {
        assert!(
            az.lines()
                .any(|l| l.starts_with("az restore-point collection delete")
                    && l.contains(id.name())),
            "{az}"
        );
    }

    // A point lands in ci-run-00006 after the preview.
    let base = h.state().endpoint().expect("connected");
    let put = reqwest::Client::new()
        .put(format!(
            "{}{}/restorePoints/rp-late?api-version=2025-04-01",
            base.trim_end_matches('/'),
            runs[2].as_str()
        ))
        .bearer_auth("x")
        .json(&serde_json::json!({ "properties": { "consistencyMode": "CrashConsistent" } }))
        .send()
        .await
        .expect("PUT");
    assert!(put.status().is_success(), "{}", put.status());

    run_cleanup_with(&mut h, "Delete 3 empty collection(s)…");
    assert_eq!(status_of(&h, &runs[0]).await, 404);
    assert_eq!(status_of(&h, &runs[1]).await, 404);
    assert_eq!(status_of(&h, &runs[2]).await, 200, "it holds a point now");
    assert_eq!(points_in(&h, &runs[2]).await, ["rp-late"]);
    let report = &h
        .state()
        .ui
        .lifecycle
        .cleanup
        .as_ref()
        .expect("open")
        .run
        .as_ref()
        .expect("run")
        .report;
    assert_eq!(report.summary(), "2 deleted · 1 failed · 0 skipped");
    assert!(shown(&h, "CollectionNotEmpty"), "the report says why");
    let row = format!("none: empty collection {}", runs[2].name());
    assert!(shown(&h, &row), "a row names its collection, not a point");
    assert!(
        !h.state().inventory.collections.contains_key(&runs[0]),
        "gone from the tree"
    );
}
