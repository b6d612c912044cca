//! Run: the run as its journal says — each step with its state and progress, the overall
//! progress, the ARM error that paused it — and Cancel (between steps), Resume, Undo.

use egui::{RichText, Ui};

use super::error_line;
use crate::restore::Phase;
use crate::restore::journal::{StepOutcome, StepState};
use crate::restore::runs::RunEntry;
use crate::ui::state::{RestoreWizard, WizardStep};
use crate::ui::theme::{self, Tone};
use crate::ui::widgets::{badge_ui, write_button};
use crate::ui::{Command, View};

fn entry<'a>(view: &'a View<'_>, w: &RestoreWizard) -> Option<&'a RunEntry> {
    w.run_id.as_deref().and_then(|id| view.restores.get(id))
}

pub(super) fn run_ui(ui: &mut Ui, view: &View<'_>, w: &RestoreWizard, commands: &mut Vec<Command>) {
    let Some(entry) = entry(view, w) else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Starting the run…");
        });
        return;
    };
    let state = &entry.state;
    let (text, tone) = phase_text(&state.phase, entry.busy);
    ui.horizontal(|ui| {
        badge_ui(ui, &text, tone);
        ui.label(
            RichText::new(format!(
                "Run {} · {} of {} steps done",
                state.run_id(),
                state.done_steps(),
                state.steps.len()
            ))
            .weak(),
        );
    });
    ui.add(
        egui::ProgressBar::new((state.percent() / 100.0) as f32)
            .show_percentage()
            .animate(entry.busy),
    );
    if let Some(f) = &entry.failure {
        error_line(ui, f);
    }
    if let Phase::Paused { reason, error } | Phase::UndoPaused { reason, error } = &state.phase {
        ui.add_space(4.0);
        error_line(ui, reason);
        if let Some(e) = error {
            error_line(ui, &e.summary());
            if let Some(c) = &e.correlation_id {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("Correlation id {c}")).small().weak());
                    if ui.small_button("Copy").clicked() {
                        commands.push(Command::Copy(c.clone()));
                    }
                });
            }
        }
        if !entry.busy {
            ui.label(
                "Resume goes on from where it stopped (what exists is not created again); Undo removes what the run created and puts a swapped VM back on its disks",
            );
        }
    }
    ui.add_space(6.0);
    steps_ui(ui, "run_steps", &state.steps);
    if !state.undo_steps.is_empty() {
        ui.add_space(6.0);
        ui.strong("Undo");
        steps_ui(ui, "undo_steps", &state.undo_steps);
    }
}

fn steps_ui(ui: &mut Ui, id: &str, steps: &[StepState]) {
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            for (i, s) in steps.iter().enumerate() {
                let (icon, tone) = match s.outcome {
                    Some(StepOutcome::Succeeded) => ("✔", Tone::Ok),
                    // Done before (a resumed run): a glyph the bundled fonts have.
                    Some(StepOutcome::Skipped) => ("»", Tone::Ok),
                    Some(StepOutcome::Failed) => ("✖", Tone::Error),
                    Some(StepOutcome::Cancelled) => ("■", Tone::Warn),
                    None if s.started.is_some() => ("…", Tone::Info),
                    None => ("○", Tone::Muted),
                };
                ui.label(RichText::new(icon).color(theme::tone(ui, tone)));
                ui.vertical(|ui| {
                    ui.add(egui::Label::new(format!("{}. {}", i + 1, s.title)).wrap());
                    if s.is_running()
                        && let Some((status, percent)) = &s.progress
                    {
                        ui.horizontal(|ui| {
                            ui.add(
                                egui::ProgressBar::new(
                                    percent.map(|p| (p / 100.0) as f32).unwrap_or(0.0),
                                )
                                .desired_width(160.0)
                                .animate(percent.is_none()),
                            );
                            ui.label(RichText::new(status).small());
                        });
                    }
                    if let Some(note) = &s.note {
                        ui.label(RichText::new(note).small().weak());
                    }
                    if let Some(e) = &s.error {
                        error_line(ui, &e.summary());
                    }
                });
                ui.end_row();
            }
        });
}

fn phase_text(phase: &Phase, busy: bool) -> (String, Tone) {
    match phase {
        Phase::Running if busy => ("Running".into(), Tone::Info),
        Phase::Running => ("Interrupted".into(), Tone::Warn),
        Phase::Paused { .. } if busy => ("Working…".into(), Tone::Info),
        Phase::Paused { .. } => ("Paused".into(), Tone::Warn),
        Phase::Finished => ("Done".into(), Tone::Ok),
        Phase::Undoing => ("Undoing".into(), Tone::Info),
        Phase::UndoPaused { .. } => ("Undo paused".into(), Tone::Warn),
        Phase::Undone => ("Undone".into(), Tone::Ok),
        Phase::Dismissed => ("Dismissed".into(), Tone::Muted),
    }
}

/// The Run step's buttons.
pub(super) fn run_buttons_ui(
    ui: &mut Ui,
    view: &View<'_>,
    w: &mut RestoreWizard,
    commands: &mut Vec<Command>,
) {
    let Some(entry) = entry(view, w) else {
        return;
    };
    let run_id = entry.state.run_id().to_owned();
    if entry.busy {
        if ui
            .button("Cancel")
            .on_hover_text("Stop between steps: the step under way ends first")
            .clicked()
        {
            commands.push(Command::CancelRestore(run_id));
        }
        if ui
            .button("Hide")
            .on_hover_text("The run goes on; the activity log follows it")
            .clicked()
        {
            w.hidden = true;
        }
        return;
    }
    match &entry.state.phase {
        Phase::Paused { .. } | Phase::Running => {
            if write_button(ui, view, "Resume").clicked() {
                commands.push(Command::ResumeRestore(run_id.clone()));
            }
            if write_button(ui, view, "Undo").clicked() {
                commands.push(Command::UndoRestore(run_id));
            }
        }
        Phase::UndoPaused { .. } if write_button(ui, view, "Undo again").clicked() => {
            commands.push(Command::UndoRestore(run_id));
        }
        _ => {}
    }
    if ui.button("Evidence").clicked() {
        w.step = WizardStep::Evidence;
    }
}

/// Whether the Run step may close (nothing is working on its run).
pub(super) fn can_close(view: &View<'_>, w: &RestoreWizard) -> bool {
    entry(view, w).is_none_or(|e| !e.busy)
}
