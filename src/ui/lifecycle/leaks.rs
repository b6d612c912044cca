//! The leak and blocker finder: every finding by kind, each with the action that fixes it
//! (delete, revoke then delete, clean up, or open it); Azure Backup's collections are
//! listed read-only, as Azure Backup's.

use egui::{RichText, Ui};

use super::super::state::UiState;
use super::super::theme::{self, Tone};
use super::super::{Command, View};
use super::{DeleteDialog, open_cleanup};
use crate::inventory::{Finding, FindingKind, Fix};

/// Draws the finder if it is open.
pub fn leaks_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    if !state.lifecycle.leaks_open {
        return;
    }
    let inv = view.inventory;
    let rule = state.lifecycle.rule;
    // Ages move by the minute; the inventory and the rule by their changes.
    let key = (
        inv.generation,
        rule,
        view.now_unix - view.now_unix.rem_euclid(60),
    );
    // The fleet's clean-up candidates (for "past the retention rule") are read a slice per
    // frame; the last findings stay up meanwhile.
    state.lifecycle.leaks.drive(inv, &key, None, |candidates| {
        inv.find_leaks_from(&candidates, &rule, view.now_unix)
    });
    let progress = state.lifecycle.leaks.progress();
    let findings = state.lifecycle.leaks.value().cloned().unwrap_or_default();
    let reading = state.lifecycle.leaks.value().is_none();
    let mut open = true;
    let mut fix = None;
    egui::Window::new("Leaks and blockers")
        .id(egui::Id::unique("leak_finder"))
        .open(&mut open)
        .default_size([720.0, 640.0])
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(
                RichText::new(format!(
                    "What keeps costing or will block a new restore point. Retention: {}",
                    rule.describe()
                ))
                .weak(),
            );
            super::cleanup::reading_ui(ui, progress);
            if findings.is_empty() && !reading {
                ui.label("Nothing found in what is loaded");
            }
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    for kind in FindingKind::ALL {
                        let rows: Vec<&Finding> =
                            findings.iter().filter(|f| f.kind == kind).collect();
                        if rows.is_empty() {
                            continue;
                        }
                        ui.add_space(6.0);
                        ui.strong(format!("{} ({})", kind.title(), rows.len()));
                        for (i, f) in rows.into_iter().enumerate() {
                            if let Some(chosen) = finding_ui(ui, view, f, i) {
                                fix = Some(chosen);
                            }
                        }
                    }
                });
        });
    state.lifecycle.leaks_open = open;
    match fix {
        Some(Fix::Delete(target)) => state.lifecycle.delete = Some(DeleteDialog::new(target)),
        Some(Fix::RevokeAndDelete(target)) => {
            let mut dialog = DeleteDialog::new(target);
            dialog.revoke = true;
            state.lifecycle.delete = Some(dialog);
        }
        Some(Fix::CleanUp(scope)) => open_cleanup(state, scope),
        Some(Fix::DeleteEmpty(node)) => {
            open_cleanup(state, Some(node));
            if let Some(c) = state.lifecycle.cleanup.as_mut() {
                c.empty_collections = true;
            }
        }
        Some(Fix::Open(node)) => commands.push(Command::Reveal(node)),
        Some(Fix::ReadPoints {
            subscription,
            region,
        }) => commands.push(Command::ReadPoints(
            inv.unread_collections_in(&subscription, &region),
        )),
        None => {}
    }
}

/// One finding: its name (opens it), what is wrong, its fix.
fn finding_ui(ui: &mut Ui, view: &View<'_>, f: &Finding, i: usize) -> Option<Fix> {
    let mut chosen = None;
    ui.push_id((f.kind, i), |ui| {
        ui.horizontal(|ui| {
            if ui
                .link(&f.name)
                .on_hover_text("Show it in the tree")
                .clicked()
            {
                chosen = Some(Fix::Open(f.node.clone()));
            }
            if f.kind == FindingKind::AzureBackup {
                let color = theme::tone(ui, Tone::Info);
                ui.label(
                    RichText::new("read-only · Azure Backup")
                        .small()
                        .color(color),
                );
            }
            let fix_button = match f.fix {
                Fix::Open(_) => None,
                // Opens a preview, or reads: neither writes.
                Fix::CleanUp(_) | Fix::ReadPoints { .. } | Fix::DeleteEmpty(_) => {
                    Some(ui.button(f.fix.label()))
                }
                Fix::Delete(_) | Fix::RevokeAndDelete(_) => {
                    Some(crate::ui::widgets::write_button(ui, view, f.fix.label()))
                }
            };
            if fix_button.is_some_and(|b| b.clicked()) {
                chosen = Some(f.fix.clone());
            }
        });
        ui.add(egui::Label::new(RichText::new(&f.detail).weak()).wrap());
    });
    chosen
}
