//! The inspector (right panel): tabs for the focused node.

mod compare;
pub(super) mod consistency;
mod cost;
mod overview;
pub(super) mod supportability;

use egui::Ui;

use super::state::{InspectorTab, UiState};
use super::{Command, View};

/// Draws the tab bar and the current tab for the table's highlighted row, or the selection.
pub fn inspector_ui(
    ui: &mut Ui,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        for tab in InspectorTab::ALL {
            let selected = state.inspector_tab == tab;
            let resp = ui.selectable_label(selected, tab.label());
            // A tab, for screen readers (and so tests can tell it from a column header).
            resp.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::Tab, true, selected, tab.label())
            });
            if resp.clicked() {
                state.inspector_tab = tab;
            }
        }
    });
    ui.separator();
    let focus = state
        .caches
        .table_cursor
        .clone()
        .or_else(|| state.selection.clone());
    egui::ScrollArea::vertical()
        .id_salt("inspector")
        .auto_shrink([false, false])
        .show(ui, |ui| match state.inspector_tab {
            InspectorTab::Overview => {
                overview::overview_ui(ui, view, state, focus.as_ref(), commands)
            }
            InspectorTab::Consistency => consistency::consistency_ui(ui, view, focus.as_ref()),
            InspectorTab::Supportability => {
                supportability::supportability_ui(ui, view, state, focus.as_ref())
            }
            InspectorTab::Cost => cost::cost_ui(ui, view, state, focus.as_ref(), commands),
        });
}

/// A two-column grid of label → value.
pub(super) fn kv_ui(ui: &mut Ui, id: &str, rows: &[(&str, String)]) {
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([12.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            for (k, v) in rows {
                ui.add(egui::Label::new(egui::RichText::new(*k).weak()).extend());
                ui.add(egui::Label::new(v.as_str()).wrap());
                ui.end_row();
            }
        });
}
