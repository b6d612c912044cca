//! CSV exports of every cost table and series, through the save dialog; a path field
//! when no dialog can open.

use egui::{RichText, Ui};

use super::super::Command;
use super::super::state::UiState;
use super::Prepared;
use crate::cost::{
    CostEstate, CostModel, cleanup_table, collections_table, comparison_table, disk_points_table,
    levels_table, points_table, series_table,
};

/// The tables, as (menu label, file name part).
const TABLES: &[(&str, &str)] = &[
    ("Collections", "collections"),
    ("Restore points", "points"),
    ("Disk restore points", "disk-points"),
    ("Totals by VM, group, subscription, region", "totals"),
    ("Policies A and B, month by month", "policies"),
    ("Policy A projection, by band", "projection-a"),
    ("Policy B projection, by band", "projection-b"),
    ("Points a clean-up to policy A would delete", "cleanup-a"),
    ("Points a clean-up to policy B would delete", "cleanup-b"),
];

/// `rpdesk-cost-<scope>-<table>.csv`.
fn file_name(scope: &str, part: &str) -> String {
    let scope: String = scope
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("rpdesk-cost-{scope}-{part}.csv")
}

/// The CSV of the table a file name names.
fn csv_of(file: &str, estate: &CostEstate, model: &CostModel) -> Option<String> {
    let currency = &model.inputs.prices.currency;
    let r = &model.rollup;
    let [a, b] = &model.projections;
    let part = TABLES
        .iter()
        .map(|(_, part)| *part)
        .find(|part| file.ends_with(&format!("-{part}.csv")))?;
    let table = match part {
        "collections" => collections_table(estate, r, currency),
        "points" => points_table(estate, r, currency),
        "disk-points" => disk_points_table(estate, &model.estimate, r, currency),
        "totals" => levels_table(r, currency),
        "policies" => comparison_table(a, b, currency),
        "projection-a" => series_table(a, currency),
        "projection-b" => series_table(b, currency),
        "cleanup-a" => cleanup_table(estate, &model.cleanups[0], r),
        "cleanup-b" => cleanup_table(estate, &model.cleanups[1], r),
        _ => return None,
    };
    Some(table.to_csv())
}

/// "Export CSV…": a menu of every table.
pub fn export_menu_ui(
    ui: &mut Ui,
    estate: &CostEstate,
    model: &CostModel,
    scope: &str,
    commands: &mut Vec<Command>,
) {
    ui.menu_button("Export CSV…", |ui| {
        for (label, part) in TABLES {
            if ui.button(*label).clicked() {
                let file = file_name(scope, part);
                if let Some(csv) = csv_of(&file, estate, model) {
                    commands.push(Command::ExportCostCsv {
                        file_name: file,
                        csv,
                        path: None,
                    });
                }
                ui.close();
            }
        }
    })
    .response
    .on_hover_text("Save a table or series of this view as CSV");
}

/// Where to save when no save dialog can open.
pub(super) fn path_field_ui(
    ui: &mut Ui,
    state: &mut UiState,
    p: &Prepared,
    commands: &mut Vec<Command>,
) {
    let export = &mut state.cost.export;
    if !export.path_needed {
        return;
    }
    ui.label(RichText::new("No save dialog can open here: type where to save").weak());
    ui.horizontal(|ui| {
        let label = ui.label("Save to");
        ui.add(egui::TextEdit::singleline(&mut export.path).desired_width(360.0))
            .labelled_by(label.id);
        let ready = !export.path.trim().is_empty() && export.last.is_some();
        if ui
            .add_enabled(ready, egui::Button::new("Save here"))
            .clicked()
        {
            let file = export.last.clone().unwrap_or_default();
            if let Some(csv) = p.model.as_ref().and_then(|m| csv_of(&file, &p.estate, m)) {
                commands.push(Command::ExportCostCsv {
                    file_name: file,
                    csv,
                    path: Some(std::path::PathBuf::from(export.path.trim())),
                });
            }
        }
        if ui.button("Cancel").clicked() {
            export.path_needed = false;
        }
    });
}
