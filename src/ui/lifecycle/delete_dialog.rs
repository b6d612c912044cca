//! The delete dialog: what goes and what it frees (from the cost model), why rpdesk will
//! not delete it when it will not, Azure's refusal for an active SAS with the offer to
//! revoke access first, the equivalent `az` commands, and the name typed to confirm.

use egui::{RichText, Ui};

use super::super::state::UiState;
use super::super::theme::{self, Tone};
use super::super::widgets::{DialogAction, modal_ui};
use super::super::{Command, View};
use super::{DeleteDialog, freed_text};
use crate::lifecycle::{DeletePlan, DeleteTarget, az};

/// Draws the dialog if it is open.
pub fn delete_dialog_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    let Some(dialog) = state.lifecycle.delete.as_ref() else {
        return;
    };
    let target = dialog.target.clone();
    let title = format!("Delete {} {}?", target.noun(), target.id().name());
    let inv = view.inventory;
    let points: Vec<String> = match &target {
        DeleteTarget::Point(id) => vec![id.to_string()],
        DeleteTarget::Collection(id) => inv.points_of(id).iter().map(|p| p.to_string()).collect(),
    };
    let count = points.len();
    let freed = freed_text(view, state, points, commands);
    let mut slot = state.lifecycle.delete.take();
    modal_ui(
        ctx,
        &mut slot,
        "delete_dialog",
        560.0,
        &title,
        commands,
        |ui, d, commands| body_ui(ui, view, d, count, &freed, commands),
    );
    state.lifecycle.delete = slot;
}

fn body_ui(
    ui: &mut Ui,
    view: &View<'_>,
    dialog: &mut DeleteDialog,
    points: usize,
    freed: &str,
    commands: &mut Vec<Command>,
) -> DialogAction {
    let inv = view.inventory;
    let target = dialog.target.clone();
    let name = target.id().name().to_owned();
    if let DeleteTarget::Collection(_) = &target {
        ui.label(format!(
            "Its {points} restore point(s) and their disk restore points go with it."
        ));
    }
    ui.label(format!("Frees {freed}."));
    if let DeleteTarget::Point(id) = &target
        && let Some(label) = inv.labels.get(id)
        && label.pinned
    {
        warn_ui(
            ui,
            &format!(
                "Pinned by its label ({}): clean-ups never delete it",
                label.summary()
            ),
        );
    }
    if let Some(reason) = inv.delete_blocker(&target) {
        error_ui(ui, &format!("rpdesk will not delete it: {reason}"));
        return close_row(ui);
    }
    let refused = dialog
        .refused
        .clone()
        .or_else(|| inv.sas_refusals.get(target.id()).map(|r| r.message.clone()));
    let revoke_targets = inv.revoke_targets(&target);
    if let Some(message) = &refused {
        error_ui(ui, &format!("Azure refused to delete it: {message}"));
        if revoke_targets.is_empty() {
            ui.label(
                RichText::new("Its disk restore points are not loaded: select it first").weak(),
            );
        } else {
            ui.checkbox(
                &mut dialog.revoke,
                format!(
                    "Revoke access to its {} disk restore point(s) first (whoever uses the SAS loses it)",
                    revoke_targets.len()
                ),
            );
        }
    }
    let plan = if dialog.revoke && refused.is_some() && !revoke_targets.is_empty() {
        DeletePlan::revoking_first(target.clone(), revoke_targets)
    } else {
        DeletePlan::new(target.clone())
    };
    let az: Vec<String> = az::delete_commands(&plan)
        .into_iter()
        .map(|c| c.text)
        .collect();
    crate::ui::widgets::az_commands_ui(ui, "delete_az", &az, true, commands);
    ui.add_space(6.0);
    let prompt = ui.label(format!("Type {name} to confirm"));
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut dialog.typed)
                .hint_text(name.as_str())
                .desired_width(f32::INFINITY),
        )
        .labelled_by(prompt.id);
    // Opened from the keyboard (Delete) or a click, the name can be typed at once.
    if !dialog.focused {
        field.request_focus();
        dialog.focused = true;
    }
    let confirmed = dialog.typed.trim() == name;
    let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let mut action = DialogAction::Keep;
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let button = crate::ui::widgets::write_button_when(ui, view, confirmed, plan.title());
        if confirmed && view.read_only.is_none() && (button.clicked() || entered) {
            action = DialogAction::Send(Command::Delete(Box::new(plan.clone())));
        }
        if ui.button("Cancel").clicked() {
            action = DialogAction::Close;
        }
    });
    action
}

fn warn_ui(ui: &mut Ui, text: &str) {
    let color = theme::tone(ui, Tone::Warn);
    ui.add(egui::Label::new(RichText::new(format!("⚠ {text}")).color(color)).wrap());
}

fn error_ui(ui: &mut Ui, text: &str) {
    let color = theme::tone(ui, Tone::Error);
    ui.add(egui::Label::new(RichText::new(format!("⚠ {text}")).color(color)).wrap());
}

fn close_row(ui: &mut Ui) -> DialogAction {
    if ui.button("Close").clicked() {
        DialogAction::Close
    } else {
        DialogAction::Keep
    }
}
