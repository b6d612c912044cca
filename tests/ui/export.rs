//! The export dialog in the real app on the demo estate: no save dialog can open in a
//! test, so the path field appears; the file written there is the inventory or the
//! supportability the app holds.

use std::time::Duration;

use crate::restore_support::temp_dir;
use crate::ui_support::*;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use serde_json::Value;

/// Opens the dialog, presses Save… (no dialog opens: the path field), types `path`, saves.
fn save_to(h: &mut egui_kittest::Harness<'static, rpdesk::app::App>, path: &std::path::Path) {
    h.get_by_label("Save…").click();
    h.run_steps(3);
    let shown = h
        .state()
        .ui
        .export_dialog
        .as_ref()
        .and_then(|d| d.path.clone());
    assert!(
        shown.is_some_and(|p| p.ends_with(".json") || p.ends_with(".csv")),
        "the path field offers a file name"
    );
    clear_and_type(h, "Save to", &path.display().to_string());
    h.get_by_label("Save here").click();
    step_until(h, "the export written", Duration::from_secs(30), |_| {
        path.exists()
    });
    step_until(h, "the dialog closed", Duration::from_secs(5), |app| {
        app.ui.export_dialog.is_none()
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inventory_is_saved_as_json_where_the_path_field_says() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    h.get_by_label("Export…").click();
    h.run_steps(3);
    let dir = temp_dir("ui-export");
    let file = dir.join("inventory.json");
    save_to(&mut h, &file);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(doc["export"], "inventory");
    let inv = &h.state().inventory;
    assert_eq!(doc["vms"].as_array().unwrap().len(), inv.vms.len());
    assert_eq!(
        doc["collections"].as_array().unwrap().len(),
        inv.collections.len()
    );
    let names: Vec<&str> = doc["vms"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["vm"].as_str())
        .collect();
    assert!(names.contains(&"sap-hana-01"));
    assert!(
        h.state()
            .activity
            .entries()
            .iter()
            .any(|e| e.title.contains("inventory.json")),
        "the write is in the activity log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supportability_is_saved_as_csv_with_its_columns() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    h.get_by_label("Export…").click();
    h.run_steps(3);
    h.get_by_role_and_label(
        Role::RadioButton,
        "Supportability: every VM in both modes, its verdict and reasons",
    )
    .click();
    h.get_by_role_and_label(Role::RadioButton, "CSV").click();
    h.run_steps(3);
    assert!(
        h.query_all_by_label_contains("rpdesk export fleet --format csv")
            .next()
            .is_some(),
        "the dialog names the command line that does the same"
    );
    let dir = temp_dir("ui-export");
    let file = dir.join("fleet.csv");
    save_to(&mut h, &file);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text.lines().next(),
        Some(rpdesk::export::FLEET_HEADER.join(",").as_str())
    );
    assert!(text.starts_with("vm,vm_id,subscription_id,"));
    let rows = text.lines().count() - 1;
    assert_eq!(rows, 2 * h.state().inventory.vms.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_vms_supportability_is_saved_from_its_tab() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    open_production_vm(&mut h, "sap-hana-01");
    h.get_by_role_and_label(Role::Tab, "Supportability").click();
    h.run_steps(2);
    h.get_by_label("Export assessment…").click();
    h.run_steps(3);
    h.get_by_role_and_label(Role::RadioButton, "CSV").click();
    h.run_steps(2);
    let dir = temp_dir("ui-export");
    let file = dir.join("sap.csv");
    save_to(&mut h, &file);
    let text = std::fs::read_to_string(&file).unwrap();
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "both modes of one VM: {text}");
    assert!(rows.iter().all(|r| r.starts_with("sap-hana-01,")), "{text}");
    assert!(
        rows.iter().any(|r| r.contains(",crash-consistent,")),
        "{text}"
    );
}
