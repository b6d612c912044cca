//! The restore wizard: a stepper — source → disks → target → review → run → evidence —
//! in a modal that owns the keyboard. Every choice is checked before any call with the
//! reason on the row it concerns; Review shows the exact ARM calls and their `az`
//! equivalents; Run follows the backend's journaled run, with Cancel, Resume and Undo.

mod disks;
mod evidence;
mod resume;
mod review;
mod run;
mod source;
mod target;

pub use resume::{prompt_open, resume_prompt_ui};

use egui::{RichText, Ui};

use super::state::{RestoreWizard, UiState, WizardStep};
use super::theme::{self, Tone};
use super::{Command, View};
use crate::restore::{Field, Problem, RestoreChoices, RestoreFacts, Stage, problems};

/// Height of the wizard's title, stepper, separators and buttons around the step body.
const WIZARD_CHROME: f32 = 80.0;

/// What a step body has to draw with.
struct StepCtx<'a> {
    view: &'a View<'a>,
    facts: Option<&'a RestoreFacts>,
    problems: &'a [Problem],
}

/// Draws the wizard if it is open and not hidden.
pub fn wizard_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    let Some(mut w) = state.restore_wizard.take() else {
        return;
    };
    if w.hidden {
        state.restore_wizard = Some(w);
        return;
    }
    let facts = state
        .caches
        .restore_facts(view.inventory, &w.point_id, view.now_unix)
        .cloned();
    if let Some(f) = &facts {
        match w.choices.as_mut() {
            None => w.choices = Some(RestoreChoices::defaults(f, w.only_disk.as_ref())),
            Some(c) => c.fill_late_defaults(f),
        }
    }
    let found = match (&facts, &w.choices) {
        (Some(f), Some(c)) => problems(f, c),
        _ => Vec::new(),
    };
    let screen = ctx.content_rect();
    let mut open = true;
    // Anchored near the top at one size for every step: the dialog never moves or jumps
    // under the pointer as the steps change.
    let id = egui::Id::unique("restore_wizard");
    let width = (screen.width() - 80.0).clamp(480.0, 1000.0);
    let body_height = (screen.height() - 220.0).clamp(200.0, 700.0);
    // An area is laid out in last frame's size: give it the whole size from the start.
    let area = egui::Modal::default_area(id)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 40.0))
        .default_size(egui::vec2(width, body_height + WIZARD_CHROME));
    let response = egui::Modal::new(id).area(area).show(ctx, |ui| {
        ui.set_width(width);
        ui.set_min_height(body_height + WIZARD_CHROME);
        header_ui(ui, &w);
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("restore_wizard_body")
            .max_height(body_height)
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let sc = StepCtx {
                    view,
                    facts: facts.as_ref(),
                    problems: &found,
                };
                body_ui(ui, &sc, &mut w, commands);
            });
        ui.separator();
        open = footer_ui(ui, view, facts.as_ref(), &found, &mut w, commands);
    });
    // Esc (not a click beside the dialog, which would throw the choices away): before a
    // run the wizard closes; during one it hides (the run goes on).
    let escape = response.is_top_modal
        && !response.any_popup_open
        && ctx.input(|i| i.key_pressed(egui::Key::Escape));
    if escape {
        if w.run_id.is_some() && run_is_busy(view, &w) {
            w.hidden = true;
        } else {
            open = false;
        }
    }
    if open {
        state.restore_wizard = Some(w);
    }
}

fn run_is_busy(view: &View<'_>, w: &RestoreWizard) -> bool {
    w.run_id
        .as_deref()
        .and_then(|id| view.restores.get(id))
        .is_none_or(|r| r.busy)
}

fn header_ui(ui: &mut Ui, w: &RestoreWizard) {
    let what = match &w.only_disk {
        Some(d) => format!("Restore disk {} from {}", d.name(), w.point_id.name()),
        None => format!("Restore {}", w.point_id.name()),
    };
    ui.heading(what);
    ui.horizontal_wrapped(|ui| {
        for (i, step) in WizardStep::ALL.iter().enumerate() {
            if i > 0 {
                ui.label(RichText::new("›").weak());
            }
            let text = format!("{} {}", i + 1, step.label());
            let rich = if *step == w.step {
                RichText::new(text)
                    .strong()
                    .color(theme::tone(ui, Tone::Info))
            } else if *step < w.step {
                RichText::new(format!("✔ {text}"))
            } else {
                RichText::new(text).weak()
            };
            ui.label(rich);
        }
    });
}

fn body_ui(ui: &mut Ui, sc: &StepCtx<'_>, w: &mut RestoreWizard, commands: &mut Vec<Command>) {
    if matches!(w.step, WizardStep::Run | WizardStep::Evidence) {
        match w.step {
            WizardStep::Run => run::run_ui(ui, sc.view, w, commands),
            _ => evidence::evidence_ui(ui, sc.view, w, commands),
        }
        return;
    }
    let (Some(facts), Some(choices)) = (sc.facts, w.choices.as_mut()) else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Reading the restore point…");
        });
        return;
    };
    match w.step {
        WizardStep::Source => source::source_ui(ui, sc, facts, choices, commands),
        WizardStep::Disks => disks::disks_ui(ui, sc, facts, choices),
        WizardStep::Target => target::target_ui(ui, sc, facts, choices),
        WizardStep::Review => review::review_ui(ui, sc, facts, choices, w.salt, commands),
        WizardStep::Run | WizardStep::Evidence => {}
    }
}

/// Back / Next / Run / Close; returns whether the wizard stays open.
fn footer_ui(
    ui: &mut Ui,
    view: &View<'_>,
    facts: Option<&RestoreFacts>,
    found: &[Problem],
    w: &mut RestoreWizard,
    commands: &mut Vec<Command>,
) -> bool {
    let mut open = true;
    let blocking: Vec<&Problem> = match w.step.stage() {
        Some(stage) => found.iter().filter(|p| p.stage <= stage).collect(),
        None => Vec::new(),
    };
    ui.horizontal(|ui| match w.step {
        WizardStep::Run => {
            run::run_buttons_ui(ui, view, w, commands);
            if run::can_close(view, w) && ui.button("Close").clicked() {
                open = false;
            }
        }
        WizardStep::Evidence => {
            if ui.button("Close").clicked() {
                open = false;
            }
        }
        step => {
            if ui
                .add_enabled(step != WizardStep::Source, egui::Button::new("Back"))
                .clicked()
            {
                w.step = step.previous();
            }
            let ready = facts.is_some() && blocking.is_empty();
            if step == WizardStep::Review {
                let run = ui
                    .add_enabled(
                        ready && view.read_only.is_none(),
                        egui::Button::new("Run restore"),
                    )
                    .on_disabled_hover_text(view.read_only.unwrap_or("Fix what is listed first"));
                if run.clicked()
                    && let (Some(f), Some(c)) = (facts, w.choices.as_ref())
                {
                    let run_id = crate::restore::names::run_id(f.now_unix, w.salt);
                    if let Ok(plan) = crate::restore::plan(f, c, &run_id, view.connection_key) {
                        w.run_id = Some(plan.run_id.clone());
                        w.step = WizardStep::Run;
                        commands.push(Command::StartRestore(Box::new(plan)));
                    }
                }
            } else {
                let next = ui
                    .add_enabled(ready, egui::Button::new("Next"))
                    .on_disabled_hover_text("Fix what is listed first");
                if next.clicked() {
                    w.step = step.next();
                }
            }
            if ui.button("Cancel").clicked() {
                open = false;
            }
            let n = blocking.len();
            if n > 0 && facts.is_some() {
                let stages: Vec<&str> = blocking
                    .iter()
                    .map(|p| stage_label(p.stage))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                ui.label(
                    RichText::new(format!(
                        "{n} thing(s) to settle first ({})",
                        stages.join(", ")
                    ))
                    .color(theme::tone(ui, Tone::Warn)),
                );
            }
        }
    });
    // Problems no field shows, under the buttons so that nothing above moves when they
    // go (the Review step's fields stay put while they are typed).
    for p in blocking
        .iter()
        .filter(|p| p.field == Field::General || p.stage == Stage::Review)
    {
        error_line(ui, &p.message);
    }
    open
}

fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Source => "Source",
        Stage::Disks => "Disks",
        Stage::Target => "Target",
        Stage::Review => "Review",
    }
}

/// A problem, in the error colour, wrapped.
fn error_line(ui: &mut Ui, message: &str) {
    ui.add(
        egui::Label::new(RichText::new(format!("⚠ {message}")).color(theme::tone(ui, Tone::Error)))
            .wrap(),
    );
}

/// A warning, wrapped.
fn warn_line(ui: &mut Ui, message: &str) {
    ui.add(egui::Label::new(RichText::new(message).color(theme::tone(ui, Tone::Warn))).wrap());
}

/// The problems about one field.
fn field_problems_ui(ui: &mut Ui, problems: &[Problem], field: &Field) {
    for p in problems.iter().filter(|p| &p.field == field) {
        error_line(ui, &p.message);
    }
}
