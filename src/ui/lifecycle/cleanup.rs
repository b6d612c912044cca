//! The clean-up window: a retention rule applied below a node (or to the fleet) → a
//! preview listing every point it deletes, what it keeps and skips, and the money freed
//! per month → after a confirmation, a run (a few deletes at a time within ARM's delete
//! budget, progress, Stop) → its report, saved as CSV.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::super::state::UiState;
use super::super::theme::{self, Tone};
use super::super::widgets::local_time_text;
use super::super::{Command, View};
use super::{CleanupRun, CleanupUi, Preview, freed_text};
use crate::inventory::{CleanupCandidate, Inventory, NodeId};
use crate::lifecycle::{
    CleanupReport, DeletePlan, DeleteTarget, Outcome, ReportRow, RetentionRule, az, select,
};
use crate::model::{Timestamp, ago_text};

/// Draws the window if it is open.
pub fn cleanup_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    let Some(mut c) = state.lifecycle.cleanup.take() else {
        return;
    };
    let mut open = true;
    let scope = scope_text(view.inventory, c.scope.as_ref());
    // What the preview frees, from the cost figures (which need the whole state).
    let rule = rule_of(&c);
    let mut current = false;
    let freed = match &rule {
        Ok(rule) => {
            current = refresh_preview(view, &mut c, *rule);
            let ids: Vec<String> = c
                .preview
                .value()
                .map(|p| {
                    p.selection
                        .delete
                        .iter()
                        .map(|i| p.candidates[*i].candidate.id.clone())
                        .collect()
                })
                .unwrap_or_default();
            freed_text(view, state, ids, commands)
        }
        Err(_) => String::new(),
    };
    egui::Window::new(format!("Clean up {scope}"))
        .id(egui::Id::unique("cleanup_window"))
        .open(&mut open)
        .default_size([780.0, 600.0])
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .collapsible(false)
        .show(ctx, |ui| {
            if c.run.is_some() {
                run_ui(ui, &mut c, commands);
            } else {
                rule_ui(ui, &mut c);
                ui.separator();
                match rule {
                    Ok(rule) => {
                        if let Some(r) =
                            preview_ui(ui, view, &mut c, &scope, (rule, current), &freed, commands)
                        {
                            state.lifecycle.rule = rule;
                            commands.push(r);
                        }
                    }
                    Err(problems) => {
                        let color = theme::tone(ui, Tone::Error);
                        for p in problems {
                            ui.label(RichText::new(format!("⚠ {p}")).color(color));
                        }
                    }
                }
            }
        });
    // A running clean-up stays reachable: closing the window stops nothing.
    let running = c.run.as_ref().is_some_and(|r| !r.ended);
    if open || running {
        state.lifecycle.cleanup = Some(c);
    }
}

fn scope_text(inv: &Inventory, scope: Option<&NodeId>) -> String {
    match scope {
        None => "the fleet".to_owned(),
        Some(node) => inv.label(node),
    }
}

/// The rule as typed, or what is wrong with it.
fn rule_of(c: &CleanupUi) -> Result<RetentionRule, Vec<String>> {
    let number = |text: &str, what: &str| -> Result<Option<u32>, String> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<u32>()
            .map(Some)
            .map_err(|_| format!("{what} must be a whole number, not {t:?}"))
    };
    let mut problems = Vec::new();
    let keep_last = number(&c.keep_last, "The number of points to keep").unwrap_or_else(|e| {
        problems.push(e);
        None
    });
    let keep_days = number(&c.keep_days, "The number of days").unwrap_or_else(|e| {
        problems.push(e);
        None
    });
    let rule = RetentionRule {
        keep_last,
        keep_days,
    };
    if problems.is_empty() {
        problems = rule.problems();
    }
    if problems.is_empty() {
        Ok(rule)
    } else {
        Err(problems)
    }
}

fn rule_ui(ui: &mut Ui, c: &mut CleanupUi) {
    ui.horizontal(|ui| {
        let l = ui.label("Keep the newest");
        ui.add(egui::TextEdit::singleline(&mut c.keep_last).desired_width(50.0))
            .labelled_by(l.id);
        ui.label("points of each VM");
    });
    ui.horizontal(|ui| {
        let l = ui.label("and every point younger than");
        ui.add(egui::TextEdit::singleline(&mut c.keep_days).desired_width(50.0))
            .labelled_by(l.id);
        ui.label("days");
    });
    ui.label(
        RichText::new(
            "Always kept: each VM's newest application-consistent point and every pinned point. Leave a field empty to not use it.",
        )
        .weak(),
    );
    ui.checkbox(
        &mut c.empty_collections,
        "Also delete the empty collections here",
    )
    .on_hover_text(
        "Collections that hold no restore point cost nothing, but each counts towards Azure's 10,000 per subscription and region. Each is read again just before its delete and kept if it holds a point by then. Not Azure Backup's.",
    );
}

/// Reads on towards the preview of `rule` on the window's scope; true when the preview
/// shown is that one (not one made before the inventory, the scope or the rule changed).
fn refresh_preview(view: &View<'_>, c: &mut CleanupUi, rule: RetentionRule) -> bool {
    let inv = view.inventory;
    // Ages move by the minute, not the frame.
    let now = view.now_unix - view.now_unix.rem_euclid(60);
    let (scope, with_empty) = (c.scope.clone(), c.empty_collections);
    let key = (inv.generation, scope.clone(), rule, now, with_empty);
    c.preview.drive(inv, &key, scope.as_ref(), |candidates| {
        let plain: Vec<_> = candidates.iter().map(|x| &x.candidate).collect();
        let selection = select(&rule, &plain, view.now_unix);
        Preview {
            candidates,
            selection,
            unread: inv.unread_collections_below(scope.as_ref(), false),
            empty: if with_empty {
                inv.empty_collections_below(scope.as_ref(), false)
            } else {
                Vec::new()
            },
        }
    })
}

/// A read of a clean-up's candidates under way: how far it is.
pub(super) fn reading_ui(ui: &mut Ui, progress: Option<(usize, usize)>) {
    if let Some((done, total)) = progress {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!(
                "Reading the restore points: {} of {}",
                crate::model::count_text(done),
                crate::model::count_text(total)
            ));
        });
        ui.ctx().request_repaint();
    }
}

/// Draws the preview; returns the run command once confirmed.
fn preview_ui(
    ui: &mut Ui,
    view: &View<'_>,
    c: &mut CleanupUi,
    scope: &str,
    (rule, current): (RetentionRule, bool),
    freed: &str,
    commands: &mut Vec<Command>,
) -> Option<Command> {
    reading_ui(ui, c.preview.progress());
    let p = c.preview.value()?;
    let (delete, kept, skipped) = (
        p.selection.delete.len(),
        p.selection.kept.len(),
        p.selection.skipped.len(),
    );
    let empty = p.empty.len();
    let and_empty = if c.empty_collections {
        format!(" · {empty} empty collection(s) to delete")
    } else {
        String::new()
    };
    ui.strong(format!(
        "{delete} restore point(s) to delete · {kept} kept · {skipped} skipped · frees {freed}{and_empty}"
    ));
    if !p.unread.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!(
                    "⚠ The points of {} collections here were not read (near Azure's limit of collections they are read on demand): they are not in this preview",
                    crate::model::count_text(p.unread.len())
                ))
                .color(crate::ui::theme::tone(ui, crate::ui::theme::Tone::Warn)),
            );
            if ui
                .button("Read their points")
                .on_hover_text(format!(
                    "About {} min at ARM's read rate",
                    crate::inventory::read_minutes(p.unread.len())
                ))
                .clicked()
            {
                commands.push(Command::ReadPoints(p.unread.clone()));
            }
        });
    }
    let rows: Vec<&CleanupCandidate> = p
        .selection
        .delete
        .iter()
        .map(|i| &p.candidates[*i])
        .collect();
    points_table_ui(ui, "cleanup_preview", &rows, view.now_unix);
    let targets = rows
        .iter()
        .map(|x| DeleteTarget::Point(x.point_id.clone()))
        .chain(p.empty.iter().cloned().map(DeleteTarget::Collection));
    let az: Vec<String> = targets
        .flat_map(|t| az::delete_commands(&DeletePlan::new(t)))
        .map(|c| c.text)
        .collect();
    crate::ui::widgets::az_commands_ui(ui, "cleanup_az", &az, false, commands);
    egui::CollapsingHeader::new(format!("Kept ({kept})"))
        .id_salt("cleanup_kept")
        .show(ui, |ui| {
            for (i, reasons) in &p.selection.kept {
                let why: Vec<&str> = reasons.iter().map(|r| r.label()).collect();
                let x = &p.candidates[*i];
                ui.label(format!(
                    "{} · {} · {}",
                    x.vm,
                    x.point_id.name(),
                    why.join(", ")
                ));
            }
        });
    egui::CollapsingHeader::new(format!("Skipped ({skipped})"))
        .id_salt("cleanup_skipped")
        .show(ui, |ui| {
            for (i, why) in &p.selection.skipped {
                let x = &p.candidates[*i];
                ui.label(format!("{} · {} · {why}", x.vm, x.point_id.name()));
            }
        });
    if c.empty_collections {
        egui::CollapsingHeader::new(format!("Empty collections ({empty})"))
            .id_salt("cleanup_empty")
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("cleanup_empty_list")
                    .max_height(160.0)
                    .show_rows(ui, 18.0, p.empty.len(), |ui, rows| {
                        for id in &p.empty[rows] {
                            ui.label(format!(
                                "{} · {}",
                                id.resource_group().unwrap_or_default(),
                                id.name()
                            ));
                        }
                    });
            });
    }
    ui.add_space(6.0);
    if delete == 0 && empty == 0 {
        ui.label(RichText::new("Nothing to delete: the rule keeps every point here").weak());
        return None;
    }
    let title = match (delete, empty) {
        (_, 0) => format!("Delete {delete} restore point(s)"),
        (0, _) => format!("Delete {empty} empty collection(s)"),
        _ => format!("Delete {delete} restore point(s) and {empty} empty collection(s)"),
    };
    // A preview made before the inventory or the rule changed may list a point pinned
    // since: it is shown while the new one is read, never run.
    if crate::ui::widgets::write_button_when(ui, view, current, format!("{title}…"))
        .on_hover_text("Deletes every point listed, a few at a time; Stop ends it")
        .on_disabled_hover_text("The preview is being updated")
        .clicked()
    {
        let report = report_of(view.inventory, p, scope, rule, view.now_unix);
        let targets = p
            .selection
            .delete
            .iter()
            .map(|i| p.candidates[*i].point_id.clone())
            .chain(p.empty.iter().cloned())
            .collect();
        return Some(Command::RunCleanup {
            title: format!("Clean up {scope}: {}", title.to_lowercase()),
            targets,
            report: Box::new(report),
        });
    }
    None
}

/// The report before the run: every point to delete (not run yet) and every point
/// skipped with its reason.
fn report_of(
    inv: &Inventory,
    p: &Preview,
    scope: &str,
    rule: RetentionRule,
    now_unix: i64,
) -> CleanupReport {
    let row = |i: usize, outcome: Outcome| {
        let x = &p.candidates[i];
        ReportRow {
            point_id: x.point_id.to_string(),
            vm: x.vm.clone(),
            collection: x.collection.clone(),
            created: x
                .candidate
                .time_unix
                .map(|t| Timestamp::from_unix_secs(t).to_rfc3339())
                .unwrap_or_default(),
            mode: x.mode.clone(),
            outcome,
            label: inv.labels.get(&x.point_id).cloned().unwrap_or_default(),
        }
    };
    let mut rows: Vec<ReportRow> = p
        .selection
        .delete
        .iter()
        .map(|i| row(*i, Outcome::NotRun))
        .collect();
    rows.extend(p.empty.iter().map(|id| ReportRow {
        point_id: id.to_string(),
        vm: inv.collection_vm_name(id),
        collection: id.name().to_owned(),
        created: String::new(),
        mode: "empty collection".into(),
        outcome: Outcome::NotRun,
        label: Default::default(),
    }));
    rows.extend(
        p.selection
            .skipped
            .iter()
            .map(|(i, why)| row(*i, Outcome::Skipped(why.clone()))),
    );
    CleanupReport {
        scope: scope.to_owned(),
        rule: rule.describe(),
        started: Timestamp::from_unix_secs(now_unix).to_rfc3339(),
        rows,
        cancelled: false,
    }
}

fn run_ui(ui: &mut Ui, c: &mut CleanupUi, commands: &mut Vec<Command>) {
    let Some(run) = c.run.as_mut() else {
        return;
    };
    let [deleted, failed, skipped, not_run] = run.report.counts();
    let total = deleted + failed + not_run;
    ui.label(RichText::new(&run.report.rule).weak());
    let state = if !run.ended {
        "Running"
    } else if run.report.cancelled {
        "Stopped"
    } else {
        "Done"
    };
    ui.strong(format!("{state}: {}", run.report.summary()));
    ui.add(
        egui::ProgressBar::new((deleted + failed) as f32 / total.max(1) as f32).show_percentage(),
    );
    let mut new_preview = false;
    ui.horizontal(|ui| {
        if !run.ended {
            let stop = ui.add_enabled(run.activity.is_some(), egui::Button::new("Stop"));
            if let Some(id) = run.activity
                && stop
                    .on_hover_text("Starts no more deletes; those in flight finish")
                    .clicked()
            {
                commands.push(Command::CancelActivity(id));
            }
        } else {
            if ui.button("Save report (CSV)…").clicked() {
                commands.push(Command::ExportCleanupReport {
                    file_name: "rpdesk-cleanup-report.csv".into(),
                    csv: run.report.to_csv(),
                });
            }
            new_preview = ui.button("New preview").clicked();
        }
        ui.label(RichText::new(format!("{skipped} skipped")).weak());
    });
    if new_preview {
        c.run = None;
        return;
    }
    if let Some(run) = c.run.as_ref() {
        report_table_ui(ui, run);
    }
}

fn report_table_ui(ui: &mut Ui, run: &CleanupRun) {
    let rows = &run.report.rows;
    TableBuilder::new(ui)
        .id_salt("cleanup_report")
        .striped(true)
        .max_scroll_height(360.0)
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(110.0))
        .column(Column::auto().at_least(140.0))
        .column(Column::auto().at_least(120.0))
        .column(Column::remainder())
        .header(20.0, |mut h| {
            for t in ["Outcome", "VM", "Restore point", "Created", "Reason"] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(20.0, rows.len(), |mut r| {
                let row = &rows[r.index()];
                let tone = match row.outcome {
                    Outcome::Deleted => Tone::Ok,
                    Outcome::Failed(_) => Tone::Error,
                    Outcome::Skipped(_) => Tone::Muted,
                    Outcome::NotRun => Tone::Muted,
                };
                r.col(|ui| {
                    let color = theme::tone(ui, tone);
                    ui.label(RichText::new(row.outcome.label()).color(color));
                });
                r.col(|ui| {
                    ui.label(&row.vm);
                });
                r.col(|ui| {
                    // An empty collection's row names the collection, not a point.
                    let is_point = row
                        .point_id
                        .split('/')
                        .any(|s| s.eq_ignore_ascii_case("restorePoints"));
                    if is_point {
                        ui.label(row.point_id.rsplit('/').next().unwrap_or_default());
                    } else {
                        // One line, like every row: the whole text on hover.
                        let text = format!("none: empty collection {}", row.collection);
                        ui.add(egui::Label::new(RichText::new(&text).weak()).truncate())
                            .on_hover_text(text);
                    }
                });
                r.col(|ui| {
                    let t = Timestamp::parse(&row.created).ok();
                    ui.label(
                        t.map(|t| local_time_text(t.unix_secs()))
                            .unwrap_or_default(),
                    );
                });
                r.col(|ui| {
                    ui.label(row.outcome.reason());
                });
            });
        });
}

/// A table of clean-up candidates: VM, collection, point, created, mode, label.
fn points_table_ui(ui: &mut Ui, id: &str, rows: &[&CleanupCandidate], now_unix: i64) {
    TableBuilder::new(ui)
        .id_salt(id)
        .striped(true)
        .max_scroll_height(300.0)
        .column(Column::auto().at_least(110.0))
        .column(Column::auto().at_least(120.0))
        .column(Column::auto().at_least(140.0))
        .column(Column::auto().at_least(200.0))
        .column(Column::remainder())
        .header(20.0, |mut h| {
            for t in [
                "VM",
                "Collection",
                "Restore point",
                "Created",
                "Consistency",
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(20.0, rows.len(), |mut r| {
                let x = rows[r.index()];
                r.col(|ui| {
                    ui.label(&x.vm);
                });
                r.col(|ui| {
                    ui.label(&x.collection);
                });
                r.col(|ui| {
                    ui.label(x.point_id.name());
                });
                r.col(|ui| {
                    ui.label(
                        x.candidate
                            .time_unix
                            .map(|t| format!("{} · {}", local_time_text(t), ago_text(t, now_unix)))
                            .unwrap_or_default(),
                    );
                });
                r.col(|ui| {
                    ui.label(&x.mode);
                });
            });
        });
}
