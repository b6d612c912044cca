//! The activity log (bottom panel): every operation and every failed request, newest
//! first, with its ARM code, message and correlation id.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::theme::Tone;
use super::widgets::{badge_ui, local_time_text};
use super::{Command, View};
use crate::activity::{ActivityEntry, ActivityStatus};

/// Draws the log.
pub fn activity_ui(ui: &mut Ui, view: &View<'_>, commands: &mut Vec<Command>) {
    let entries = view.activity.entries();
    if entries.is_empty() {
        ui.label(RichText::new("Nothing has failed and no operation has run yet").weak());
        return;
    }
    TableBuilder::new(ui)
        .id_salt("activity")
        .striped(true)
        .resizable(true)
        .auto_shrink([false, false])
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(120.0))
        .column(Column::initial(300.0).clip(true))
        .column(Column::initial(150.0))
        .column(Column::initial(70.0))
        .column(Column::remainder().clip(true))
        .header(18.0, |mut h| {
            for t in ["Time", "What", "Status", "Took", "Details"] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(20.0, entries.len(), |mut row| {
                let e = &entries[entries.len() - 1 - row.index()];
                row.col(|ui| {
                    let unix = e
                        .started
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs() as i64)
                        .unwrap_or(0);
                    ui.label(local_time_text(unix));
                });
                row.col(|ui| {
                    ui.label(&e.title);
                });
                row.col(|ui| status_ui(ui, e, commands));
                row.col(|ui| {
                    if let Some(d) = e.duration {
                        ui.label(format!("{:.1} s", d.as_secs_f64()));
                    }
                });
                row.col(|ui| details_ui(ui, e, commands));
            });
        });
}

fn status_ui(ui: &mut Ui, e: &ActivityEntry, commands: &mut Vec<Command>) {
    match &e.status {
        ActivityStatus::Running { status, percent } => {
            if e.kind == crate::activity::ActivityKind::Operation
                && ui
                    .small_button("Cancel")
                    .on_hover_text("Stop waiting for this operation")
                    .clicked()
            {
                commands.push(Command::CancelActivity(e.id));
            }
            let bar = egui::ProgressBar::new(percent.map(|p| (p / 100.0) as f32).unwrap_or(0.0))
                .text(status.as_str())
                .desired_width(100.0);
            ui.add(if percent.is_none() {
                bar.animate(true)
            } else {
                bar
            });
        }
        ActivityStatus::Succeeded => badge_ui(ui, "Succeeded", Tone::Ok),
        ActivityStatus::Cancelled => badge_ui(ui, "Cancelled", Tone::Muted),
        ActivityStatus::Failed(err) => {
            badge_ui(ui, err.code.as_deref().unwrap_or("Failed"), Tone::Error)
        }
    }
}

fn details_ui(ui: &mut Ui, e: &ActivityEntry, commands: &mut Vec<Command>) {
    if let ActivityStatus::Running { status, .. } = &e.status {
        // The progress bar's text is clipped by its column: the whole line goes here.
        ui.add(egui::Label::new(status.as_str()).truncate())
            .on_hover_text(status.as_str());
        return;
    }
    let ActivityStatus::Failed(err) = &e.status else {
        return;
    };
    let mut copy = format!("{}\n{}", e.title, err.summary());
    if let Some(c) = &err.correlation_id {
        copy.push_str(&format!("\ncorrelation id: {c}"));
    }
    if let Some(r) = &err.request_id {
        copy.push_str(&format!("\nrequest id: {r}"));
    }
    if ui
        .small_button("📋")
        .on_hover_text("Copy the error with its ids")
        .clicked()
    {
        commands.push(Command::Copy(copy));
    }
    let mut text = err.message.clone();
    if let Some(c) = &err.correlation_id {
        text.push_str(&format!("  · correlation id {c}"));
    }
    ui.add(egui::Label::new(text).truncate())
        .on_hover_text(err.summary());
}
