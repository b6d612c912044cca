//! Global search results under the top bar: click or Enter jumps to the node.

use egui::{RichText, Ui};

use super::state::UiState;
use super::{Command, View};
use crate::inventory::NodeId;

/// Draws the results popup when a query is typed.
pub fn search_results_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    if !state.search_open || state.search_query.trim().is_empty() {
        return;
    }
    let hits = state
        .caches
        .search(view.inventory, &state.search_query)
        .to_vec();
    let mut chosen: Option<NodeId> = None;
    if ctx.input(|i| i.key_pressed(egui::Key::Enter)) {
        chosen = hits.first().cloned();
    }
    egui::Window::new("Search results")
        .id(egui::Id::unique("search_results"))
        .collapsible(false)
        .resizable(false)
        .title_bar(false)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 40.0))
        .default_width(460.0)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let n = hits.len();
                let noun = if n == 1 { "result" } else { "results" };
                ui.strong(format!("{n} {noun} for {:?}", state.search_query.trim()));
                if ui.small_button("Close").clicked() {
                    state.search_open = false;
                }
            });
            if hits.is_empty() {
                ui.label(RichText::new("Nothing matches: try part of a name, a region, a tag or a disk type such as UltraSSD").weak());
                return;
            }
            egui::ScrollArea::vertical().max_height(360.0).show_rows(ui, 20.0, hits.len(), |ui, range| {
                for node in &hits[range] {
                    if hit_ui(ui, view, node).clicked() {
                        chosen = Some(node.clone());
                    }
                }
            });
        });
    if let Some(node) = chosen {
        state.search_open = false;
        commands.push(Command::Reveal(node));
    }
}

fn hit_ui(ui: &mut Ui, view: &View<'_>, node: &NodeId) -> egui::Response {
    let inv = view.inventory;
    let (kind, context) = match node {
        NodeId::Vm(id) => (
            "VM",
            format!(
                "{} · {}",
                id.resource_group().unwrap_or_default(),
                inv.vms.get(id).map(|v| v.location.as_str()).unwrap_or("")
            ),
        ),
        NodeId::Collection(id) => (
            "Collection",
            id.resource_group().unwrap_or_default().to_owned(),
        ),
        NodeId::Point(id) => (
            "Point",
            id.parent().map(|c| c.name().to_owned()).unwrap_or_default(),
        ),
        _ => ("", String::new()),
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new(kind).small().weak());
        let r = ui.selectable_label(false, inv.label(node));
        ui.label(RichText::new(context).small().weak());
        r
    })
    .inner
}
