//! The navigator: subscription → (resource group) → VM → collection → point → disk
//! restore point. Only visible rows are laid out, so 10,000 VMs scroll smoothly.

use egui::{RichText, Sense, Ui};

use super::badges::{self, link_text, link_tone, power_tone};
use super::state::UiState;
use super::theme::{self, Tone};
use super::tree_rows::TreeRow;
use super::widgets::{badge_ui, badge_with_hover_ui};
use super::{Command, View};
use crate::inventory::{Inventory, Loadable, NodeId};
use crate::model::{OsType, ago_text};

const ROW_HEIGHT: f32 = 20.0;
const INDENT: f32 = 14.0;

/// Draws the tree; returns nothing, pushes commands.
pub fn tree_ui(ui: &mut Ui, view: &View<'_>, state: &mut UiState, commands: &mut Vec<Command>) {
    let inv = view.inventory;
    if let super::ConnectionStatus::Failed(e) = &view.connection.status
        && inv.subscriptions.value().is_none()
    {
        ui.label(
            RichText::new("Not connected").color(super::theme::tone(ui, super::theme::Tone::Error)),
        );
        ui.add(egui::Label::new(RichText::new(e.summary()).weak().small()).wrap());
        return;
    }
    match &inv.subscriptions {
        Loadable::Loading { previous: None } | Loadable::NotRequested => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Loading subscriptions…");
            });
            return;
        }
        Loadable::Failed {
            error,
            previous: None,
        } => {
            super::widgets::error_ui(ui, error, Some(Command::RetrySubscriptions), commands);
            return;
        }
        _ => {}
    }
    let group_by_rg = state.group_by_rg;
    let expanded = std::mem::take(&mut state.expanded);
    let rows = state.caches.tree(inv, &expanded, group_by_rg).to_vec();
    state.expanded = expanded;
    if rows.is_empty() {
        ui.label(RichText::new("No subscriptions are visible to this sign-in").weak());
        return;
    }
    let selected_index = state
        .selection
        .as_ref()
        .and_then(|s| rows.iter().position(|r| &r.node == s));
    let mut area = egui::ScrollArea::vertical()
        .id_salt("tree")
        .auto_shrink([false, false]);
    if state.caches.scroll_tree_to_selection {
        if let Some(i) = selected_index {
            let spacing = ui.spacing().item_spacing.y;
            let target = i as f32 * (ROW_HEIGHT + spacing);
            area = area.vertical_scroll_offset((target - 120.0).max(0.0));
        }
        state.caches.scroll_tree_to_selection = false;
    }
    area.show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
        for row in &rows[range] {
            row_ui(ui, view, state, row, commands);
        }
    });
}

fn row_ui(
    ui: &mut Ui,
    view: &View<'_>,
    state: &mut UiState,
    row: &TreeRow,
    commands: &mut Vec<Command>,
) {
    let inv = view.inventory;
    let label = inv.label(&row.node);
    let selected = state.selection.as_ref() == Some(&row.node);
    ui.horizontal(|ui| {
        ui.set_height(ROW_HEIGHT);
        ui.add_space(row.depth as f32 * INDENT);
        let open = state.is_expanded(&row.node);
        let (rect, resp) = ui.allocate_exact_size(egui::vec2(12.0, ROW_HEIGHT), Sense::click());
        if row.expandable {
            let verb = if open { "Collapse" } else { "Expand" };
            resp.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{verb} {label}"))
            });
            let icon_rect = egui::Rect::from_center_size(rect.center(), egui::vec2(10.0, 10.0));
            let icon_resp = resp.clone().with_new_rect(icon_rect);
            egui::collapsing_header::paint_default_icon(
                ui,
                if open { 1.0 } else { 0.0 },
                &icon_resp,
            );
            if resp.clicked() {
                state.set_expanded(&row.node, !open);
            }
        }
        ui.label(RichText::new(icon(inv, &row.node)).color(icon_tone(ui, inv, &row.node)));
        let resp = ui.selectable_label(selected, &label);
        if resp.clicked() {
            commands.push(Command::Select(Some(row.node.clone())));
        }
        if resp.double_clicked() && row.expandable {
            state.set_expanded(&row.node, !open);
        }
        resp.context_menu(|ui| {
            if let Some(command) = super::keys::restore_command(Some(&row.node))
                && ui.button("Restore…").on_hover_text("R").clicked()
            {
                commands.push(command);
                ui.close();
            }
            point_actions_ui(ui, view, state, &row.node);
            if let Some(id) = row.node.resource_id()
                && ui.button("Copy resource ID").clicked()
            {
                commands.push(Command::Copy(id.to_string()));
                ui.close();
            }
            if ui.button("Refresh").clicked() {
                commands.push(Command::Retry(row.node.clone()));
                ui.close();
            }
        });
        row_badges_ui(ui, view, &row.node, commands);
    });
}

/// "Copy to another region…" on a succeeded point, "Group restore point…" on a VM of an
/// availability set or Flex scale set.
fn point_actions_ui(ui: &mut Ui, view: &View<'_>, state: &mut UiState, node: &NodeId) {
    let inv = view.inventory;
    match node {
        NodeId::Point(id)
            if inv.point(id).is_some_and(|p| {
                p.properties.provisioning_state == Some(crate::model::ProvisioningState::Succeeded)
            }) && super::widgets::write_button(ui, view, "Copy to another region…")
                .clicked() =>
        {
            state.copy_dialog = Some(super::state::CopyDialog::new(id.clone()));
            ui.close();
        }
        NodeId::Vm(id) => {
            if let Some(group) = inv.point_group_of(id)
                && super::widgets::write_button(
                    ui,
                    view,
                    format!("Group restore point for {}…", group.set_id.name()),
                )
                .clicked()
            {
                state.group_dialog = Some(super::state::GroupDialog::new(id.clone()));
                ui.close();
            }
        }
        _ => {}
    }
}

fn icon(inv: &Inventory, node: &NodeId) -> &'static str {
    match node {
        NodeId::Subscription(_) => "🔑",
        NodeId::Group { .. } => "📁",
        NodeId::Vm(id) => match inv.vms.get(id).and_then(|v| v.os_type()) {
            Some(OsType::Linux) => "🐧",
            _ => "🖥",
        },
        NodeId::Unlinked(_) => "⚠",
        NodeId::Collection(_) => "🗀",
        NodeId::Point(_) => "📷",
        NodeId::DiskPoint(_) => "🖴",
    }
}

fn icon_tone(ui: &Ui, inv: &Inventory, node: &NodeId) -> egui::Color32 {
    let tone = match node {
        NodeId::Vm(id) => power_tone(inv.vms.get(id).and_then(|v| v.power_state()).as_ref()),
        NodeId::Unlinked(_) => Tone::Warn,
        _ => Tone::Muted,
    };
    theme::tone(ui, tone)
}

fn row_badges_ui(ui: &mut Ui, view: &View<'_>, node: &NodeId, commands: &mut Vec<Command>) {
    let inv = view.inventory;
    match node {
        NodeId::Subscription(sub) => {
            let Some(entry) = inv.subs.get(sub.as_str()) else {
                return;
            };
            let parts = [&entry.vms, &entry.disks, &entry.collections];
            if parts.iter().any(|l| l.is_loading()) {
                ui.spinner();
            }
            if let Some(err) = parts.iter().find_map(|l| l.error()) {
                badge_ui(
                    ui,
                    &err.code.clone().unwrap_or_else(|| "error".into()),
                    Tone::Error,
                );
                if ui
                    .small_button("Retry")
                    .on_hover_text(err.summary())
                    .clicked()
                {
                    commands.push(Command::Retry(node.clone()));
                }
            }
            badge_ui(ui, &format!("{} VMs", inv.vms_of(sub).len()), Tone::Muted);
        }
        NodeId::Group { .. } => {
            let n = inv.children(node, true).len();
            badge_ui(ui, &format!("{n}"), Tone::Muted);
        }
        NodeId::Unlinked(sub) => badge_ui(ui, &inv.unlinked_of(sub).len().to_string(), Tone::Muted),
        NodeId::Vm(id) => {
            let points = inv.points_of_vm(id);
            if let Some(last) = points.last().and_then(|p| p.point.properties.time_created) {
                badge_ui(
                    ui,
                    &format!(
                        "{} pts · {}",
                        points.len(),
                        ago_text(last.unix_secs(), view.now_unix)
                    ),
                    Tone::Muted,
                );
            } else if inv
                .collections_of(id)
                .iter()
                .any(|c| inv.collections.get(c).is_some_and(|e| e.points_unread()))
            {
                badge_with_hover_ui(
                    ui,
                    "not read",
                    Tone::Muted,
                    Some("Its collections' restore points are read when you open one"),
                );
            } else {
                badge_ui(ui, "no points", Tone::Muted);
            }
        }
        NodeId::Collection(id) => {
            let Some(c) = inv.collections.get(id) else {
                return;
            };
            match &c.points {
                Loadable::Loading { .. } => {
                    ui.spinner();
                }
                Loadable::Failed { error, .. } => {
                    badge_ui(ui, error.code.as_deref().unwrap_or("error"), Tone::Error);
                    if ui
                        .small_button("Retry")
                        .on_hover_text(error.summary())
                        .clicked()
                    {
                        commands.push(Command::Retry(node.clone()));
                    }
                }
                Loadable::NotRequested => {
                    badge_with_hover_ui(
                        ui,
                        "not read",
                        Tone::Muted,
                        Some(
                            "Near Azure's limit of collections in this subscription-region, restore points are read when you open a collection",
                        ),
                    );
                }
                Loadable::Ready(_) => {}
            }
            if !c.points_unread() {
                badge_ui(ui, &inv.points_of(id).len().to_string(), Tone::Muted);
            }
            if !matches!(c.link, crate::inventory::CollectionLink::Vm(_)) {
                badge_ui(ui, &link_text(&c.link), link_tone(&c.link));
            }
            if c.collection.is_azure_backup() {
                badge_ui(ui, "Azure Backup", Tone::Info);
            }
        }
        NodeId::Point(id) => {
            let Some(p) = inv.point(id) else { return };
            for (text, tone) in badges::point_badges(p) {
                badge_ui(ui, &text, tone);
            }
            if let Some(t) = p.properties.time_created {
                badge_ui(ui, &ago_text(t.unix_secs(), view.now_unix), Tone::Muted);
            }
            if let Some(label) = inv.labels.get(id) {
                badge_ui(ui, &label.summary(), Tone::Info);
            }
        }
        NodeId::DiskPoint(_) => {}
    }
}
