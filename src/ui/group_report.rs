//! The group restore point report: each member's point with the time Azure took it, or
//! why it was skipped or failed, and the time skew between the first and the last point.

use egui::{RichText, Ui};

use super::state::GroupReportView;
use super::theme::{self, Tone};
use super::widgets::local_time_text;
use super::{Command, View};
use crate::inventory::{GroupReport, MemberOutcome, NodeId, skew_text};

/// Draws the window while `slot` holds it.
pub fn group_report_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    slot: &mut Option<GroupReportView>,
    commands: &mut Vec<Command>,
) {
    let Some(wanted) = slot.as_ref() else {
        return;
    };
    let report = view
        .inventory
        .group_reports
        .iter()
        .skip(wanted.after)
        .rfind(|r| r.group.set_id == wanted.set_id);
    let mut open = true;
    egui::Window::new(format!("Group restore point · {}", wanted.set_id.name()))
        .id(egui::Id::unique("group_report_window"))
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .open(&mut open)
        .default_width(520.0)
        .show(ctx, |ui| match report {
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Creating the points one VM at a time… (progress in Activity)");
                });
            }
            Some(r) => report_ui(ui, r, commands),
        });
    if !open {
        *slot = None;
    }
}

fn report_ui(ui: &mut Ui, r: &GroupReport, commands: &mut Vec<Command>) {
    ui.label(format!(
        "{} {} · {} · {} of {} members got point {}",
        r.group.kind.title(),
        r.group.set_id.name(),
        r.mode.label(),
        r.created_count(),
        r.members.len(),
        r.point_name
    ));
    ui.add_space(4.0);
    egui::Grid::new("group_report")
        .num_columns(2)
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for m in &r.members {
                ui.label(m.vm_id.name());
                match &m.outcome {
                    MemberOutcome::Created { point_id, at } => {
                        let text = format!(
                            "✔ {} at {}",
                            point_id.name(),
                            local_time_text(at.unix_secs())
                        );
                        if ui
                            .link(RichText::new(text).color(theme::tone(ui, Tone::Ok)))
                            .clicked()
                        {
                            commands.push(Command::Reveal(NodeId::Point(point_id.clone())));
                        }
                    }
                    MemberOutcome::Skipped(why) => {
                        wrapped(ui, format!("Skipped: {why}"), Tone::Warn);
                    }
                    MemberOutcome::Failed(e) => {
                        wrapped(ui, format!("Failed: {}", e.summary()), Tone::Error)
                    }
                    MemberOutcome::NotRun => wrapped(ui, "Not run (cancelled)".into(), Tone::Muted),
                }
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    match (r.skew_secs(), r.first_and_last()) {
        (Some(skew), Some((first, last))) if r.created_count() > 1 => {
            ui.strong(format!(
                "Time skew: {} between the first point ({}) and the last ({})",
                skew_text(skew),
                first.name(),
                last.name()
            ));
        }
        _ => {
            ui.label(RichText::new("Fewer than two points: no skew to report").weak());
        }
    }
}

fn wrapped(ui: &mut Ui, text: String, tone: Tone) {
    ui.add(egui::Label::new(RichText::new(text).color(theme::tone(ui, tone))).wrap());
}
