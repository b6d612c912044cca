//! CSV exports of every cost table and series, through the save dialog; a path field
//! when no dialog can open. The CSV is made and written off the UI thread (a fleet's
//! disk restore points run to hundreds of thousands of lines).

use std::sync::Arc;

use egui::{RichText, Ui};

use super::super::Command;
use super::super::state::UiState;
use super::Prepared;
use crate::cost::{CostEstate, CostModel, TABLES, file_part};

/// `rpdesk-cost-<scope>-<table>.csv`.
fn file_name(scope: &str, part: &str) -> String {
    format!("rpdesk-cost-{}-{part}.csv", file_part(scope))
}

/// "Export CSV…": a menu of every table.
pub fn export_menu_ui(
    ui: &mut Ui,
    estate: &Arc<CostEstate>,
    model: &Arc<CostModel>,
    scope: &str,
    commands: &mut Vec<Command>,
) {
    ui.menu_button("Export CSV…", |ui| {
        for (label, part) in TABLES {
            if ui.button(*label).clicked() {
                commands.push(Command::ExportCostCsv {
                    file_name: file_name(scope, part),
                    part: (*part).to_owned(),
                    estate: estate.clone(),
                    model: model.clone(),
                    path: None,
                });
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
            && let (Some((file_name, part)), Some(model)) = (export.last.clone(), &p.model)
        {
            commands.push(Command::ExportCostCsv {
                file_name,
                part,
                estate: p.estate.clone(),
                model: model.clone(),
                path: Some(std::path::PathBuf::from(export.path.trim())),
            });
        }
        if ui.button("Cancel").clicked() {
            export.path_needed = false;
        }
    });
}
