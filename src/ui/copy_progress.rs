//! The cross-region copies window: each copy rpdesk sent this session, its overall
//! progress (its slowest disk's) and each disk restore point's `completionPercent`, done
//! or ARM's reason it failed; "Stop following" cancels the activity (Azure goes on).

use egui::{ProgressBar, RichText, Ui};

use super::theme::{self, Tone};
use super::{Command, View};
use crate::inventory::{CopyState, CopyWatch};

/// Draws the window when it is open.
pub fn copies_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    open: &mut bool,
    commands: &mut Vec<Command>,
) {
    if !*open {
        return;
    }
    egui::Window::new("Cross-region copies")
        .id(egui::Id::unique("copies_window"))
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .open(open)
        .default_width(460.0)
        .resizable(true)
        .show(ctx, |ui| {
            let watches = &view.inventory.copy_watches;
            if watches.is_empty() {
                ui.label(RichText::new("No copy sent in this session").weak());
                return;
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                for (i, w) in watches.iter().enumerate().rev() {
                    if i + 1 < watches.len() {
                        ui.separator();
                    }
                    watch_ui(ui, w, commands);
                }
            });
        });
}

fn watch_ui(ui: &mut Ui, w: &CopyWatch, commands: &mut Vec<Command>) {
    ui.strong(format!(
        "{} to {} as {}",
        w.source_point_id.name(),
        w.target_region,
        w.point_id.name()
    ));
    ui.label(
        RichText::new(format!(
            "Collection {}",
            w.point_id
                .parent()
                .map(|c| c.name().to_owned())
                .unwrap_or_default()
        ))
        .weak(),
    );
    let Some(progress) = &w.progress else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Sending the copy…");
        });
        stopped_ui(ui, w);
        return;
    };
    let (text, tone) = match &progress.state {
        CopyState::Copying if w.stopped.is_some() => ("Not followed".to_owned(), Tone::Muted),
        CopyState::Copying => (
            format!("Copying · {:.0} %", progress.percent().floor()),
            Tone::Info,
        ),
        CopyState::Done => ("Done · 100 %".to_owned(), Tone::Ok),
        CopyState::Failed(e) => (format!("Failed: {}", e.summary()), Tone::Error),
    };
    ui.label(RichText::new(text).color(theme::tone(ui, tone)));
    ui.add(ProgressBar::new((progress.percent() / 100.0) as f32).desired_height(10.0));
    egui::Grid::new(("copy_disks", w.point_id.as_str()))
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for d in &progress.disks {
                ui.label(&d.name);
                ui.add(
                    ProgressBar::new((d.percent / 100.0) as f32)
                        .desired_width(200.0)
                        .text(format!("{:.0} %", d.percent.floor())),
                );
                ui.end_row();
            }
        });
    stopped_ui(ui, w);
    if progress.state == CopyState::Copying
        && w.stopped.is_none()
        && ui
            .button("Stop following")
            .on_hover_text("rpdesk stops reading its progress; Azure goes on copying")
            .clicked()
    {
        commands.push(Command::CancelActivity(w.activity));
    }
}

fn stopped_ui(ui: &mut Ui, w: &CopyWatch) {
    if let Some(why) = &w.stopped {
        ui.add(egui::Label::new(RichText::new(why).color(theme::tone(ui, Tone::Warn))).wrap());
    }
}
