//! At start-up, runs left unfinished (a crash, a pause, a closed window) are offered:
//! Resume, Undo or Dismiss.

use egui::RichText;

use crate::restore::Phase;
use crate::ui::state::UiState;
use crate::ui::widgets::{time_text, write_button};
use crate::ui::{Command, View};

/// Whether the prompt shows this frame.
pub fn prompt_open(view: &View<'_>, state: &UiState) -> bool {
    view.restores.scanned
        && !state.resume_later
        && state.restore_wizard.as_ref().is_none_or(|w| w.hidden)
        && !view.restores.unfinished(view.connection_key).is_empty()
}

/// Draws the prompt if there is something to decide.
pub fn resume_prompt_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    if !prompt_open(view, state) {
        return;
    }
    let runs = view.restores.unfinished(view.connection_key);
    let response = egui::Modal::new(egui::Id::unique("restore_resume")).show(ctx, |ui| {
        ui.set_width(620.0);
        ui.heading("Unfinished restore");
        ui.label(
            "rpdesk stopped before these restores ended. Nothing is lost: each step was journaled",
        );
        ui.add_space(6.0);
        for entry in runs {
            let s = &entry.state;
            let plan = &s.plan;
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.strong(format!(
                    "{} of {} ({})",
                    plan.point_id.name(),
                    plan.point_id
                        .parent()
                        .map(|c| c.name().to_owned())
                        .unwrap_or_default(),
                    plan.target.label()
                ));
                ui.label(format!(
                    "Started {} by {} · {} of {} steps done",
                    time_text(s.started_at, view.now_unix),
                    s.principal,
                    s.done_steps(),
                    s.steps.len()
                ));
                if let Phase::Paused { reason, error } | Phase::UndoPaused { reason, error } =
                    &s.phase
                {
                    let mut text = reason.clone();
                    if let Some(e) = error {
                        text.push_str(&format!(": {}", e.summary()));
                    }
                    ui.add(egui::Label::new(RichText::new(text).weak()).wrap());
                }
                ui.label(RichText::new(format!("Run {}", s.run_id())).small().weak());
                ui.horizontal(|ui| {
                    let id = s.run_id().to_owned();
                    let undoing = matches!(s.phase, Phase::UndoPaused { .. });
                    if !undoing && write_button(ui, view, "Resume").clicked() {
                        commands.push(Command::ResumeRestore(id.clone()));
                    }
                    if write_button(ui, view, if undoing { "Undo again" } else { "Undo" }).clicked()
                    {
                        commands.push(Command::UndoRestore(id.clone()));
                    }
                    if ui
                        .button("Dismiss")
                        .on_hover_text("Leave everything as it is and stop asking")
                        .clicked()
                    {
                        commands.push(Command::DismissRestore(id));
                    }
                });
            });
        }
        ui.add_space(6.0);
        if ui.button("Later").clicked() {
            state.resume_later = true;
        }
    });
    // Esc puts the decision off; a click beside the dialog does not.
    if response.is_top_modal && ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        state.resume_later = true;
    }
}
