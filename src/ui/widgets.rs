//! Small reusable widgets.

use egui::{RichText, Ui};

use super::Command;
use super::theme::{self, Tone};
use crate::inventory::{ErrorInfo, Loadable};
use crate::model::ago_text;

/// A compact coloured badge.
/// A button that changes the estate: disabled in read-only mode, saying why on hover.
pub fn write_button(
    ui: &mut Ui,
    view: &super::View<'_>,
    text: impl Into<egui::WidgetText>,
) -> egui::Response {
    write_button_when(ui, view, true, text)
}

/// A write's button that is also disabled unless `enabled` (the caller says why then).
pub fn write_button_when(
    ui: &mut Ui,
    view: &super::View<'_>,
    enabled: bool,
    text: impl Into<egui::WidgetText>,
) -> egui::Response {
    let response = ui.add_enabled(enabled && view.read_only.is_none(), egui::Button::new(text));
    match view.read_only {
        Some(reason) => response.on_disabled_hover_text(reason),
        None => response,
    }
}

pub fn badge_ui(ui: &mut Ui, text: &str, tone: Tone) {
    badge_with_hover_ui(ui, text, tone, None);
}

/// A badge that explains itself on hover.
pub fn badge_with_hover_ui(ui: &mut Ui, text: &str, tone: Tone, hover: Option<&str>) {
    let color = theme::tone(ui, tone);
    let response = ui.label(RichText::new(text).small().color(color));
    if let Some(hover) = hover {
        response.on_hover_text(hover);
    }
}

/// An error box: code, message, ids, and a retry button that pushes `retry`.
pub fn error_ui(
    ui: &mut Ui,
    error: &ErrorInfo,
    retry: Option<Command>,
    commands: &mut Vec<Command>,
) {
    let color = theme::tone(ui, Tone::Error);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("⚠").color(color));
        ui.add(egui::Label::new(RichText::new(error.summary()).color(color)).wrap());
    });
    if let Some(id) = &error.correlation_id {
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("Correlation id {id}")).small().weak());
            if ui
                .small_button("Copy")
                .on_hover_text("Copy the correlation id")
                .clicked()
            {
                commands.push(Command::Copy(id.clone()));
            }
        });
    }
    if let Some(cmd) = retry
        && ui.button("Retry").clicked()
    {
        commands.push(cmd);
    }
}

/// Shows a loadable's state: spinner while loading with no value yet, the error with
/// retry, or nothing (the caller draws the value). Returns the value if there is one.
pub fn loadable_ui<'a, T>(
    ui: &mut Ui,
    loadable: &'a Loadable<T>,
    what: &str,
    retry: Command,
    commands: &mut Vec<Command>,
) -> Option<&'a T> {
    match loadable {
        Loadable::NotRequested => {
            ui.label(RichText::new(format!("{what} not loaded")).weak());
        }
        Loadable::Loading { previous: None } => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("Loading {what}…"));
            });
        }
        Loadable::Failed { error, .. } => error_ui(ui, error, Some(retry), commands),
        _ => {}
    }
    loadable.value()
}

/// Local time and age of a Unix time: "2026-11-20 14:02 (2 d ago)".
pub fn time_text(unix_secs: i64, now_unix: i64) -> String {
    format!(
        "{} ({})",
        local_time_text(unix_secs),
        ago_text(unix_secs, now_unix)
    )
}

/// A Unix time in the local time zone, to the minute.
pub fn local_time_text(unix_secs: i64) -> String {
    crate::model::Timestamp::from_unix_secs(unix_secs).local_text()
}

/// A resource id in monospace with a copy button.
pub fn resource_id_ui(ui: &mut Ui, id: &str, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        if ui
            .small_button("📋")
            .on_hover_text("Copy the resource ID")
            .clicked()
        {
            commands.push(Command::Copy(id.to_owned()));
        }
        ui.add(egui::Label::new(RichText::new(id).monospace().small()).wrap());
    });
}

/// What a dialog's body asks for this frame.
pub enum DialogAction {
    /// Stay open.
    Keep,
    /// Close without doing anything.
    Close,
    /// Close and run this command.
    Send(Command),
}

/// A modal dialog over the state in `slot`, titled `title`: `body` draws it and says
/// what to do. Escape closes it; a click beside it does not throw away what was chosen.
pub fn modal_ui<T>(
    ctx: &egui::Context,
    slot: &mut Option<T>,
    id: &str,
    width: f32,
    title: &str,
    commands: &mut Vec<Command>,
    body: impl FnOnce(&mut Ui, &mut T, &mut Vec<Command>) -> DialogAction,
) {
    let Some(mut dialog) = slot.take() else {
        return;
    };
    let mut open = true;
    egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_width(width);
        ui.heading(title);
        ui.add_space(4.0);
        match body(ui, &mut dialog, commands) {
            DialogAction::Keep => {}
            DialogAction::Close => open = false,
            DialogAction::Send(command) => {
                commands.push(command);
                open = false;
            }
        }
    });
    if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        open = false;
    }
    if open {
        *slot = Some(dialog);
    }
}

/// Keeps a checked plan for the dialog's confirmation step, or the reason it cannot be sent.
pub fn settle<P>(checked: Result<P, String>, pending: &mut Option<P>, error: &mut Option<String>) {
    match checked {
        Ok(p) => {
            *error = None;
            *pending = Some(p);
        }
        Err(e) => *error = Some(e),
    }
}

/// "Equivalent Azure CLI commands", open or collapsed at first: the commands, read-only, and a Copy button.
pub fn az_commands_ui(
    ui: &mut Ui,
    id_salt: &str,
    az: &[String],
    open: bool,
    commands: &mut Vec<Command>,
) {
    egui::CollapsingHeader::new("Equivalent Azure CLI commands")
        .id_salt(id_salt)
        .default_open(open)
        .show(ui, |ui| {
            let text = az.join("\n");
            if ui.button("Copy the commands").clicked() {
                commands.push(Command::Copy(text.clone()));
            }
            let mut shown = text.as_str();
            let mut edit = |ui: &mut Ui| {
                ui.add(
                    egui::TextEdit::multiline(&mut shown)
                        .code_editor()
                        .desired_width(f32::INFINITY),
                );
            };
            // A clean-up's hundreds of deletes scroll; a dialog's few commands do not.
            if az.len() > LONG_AZ_LIST {
                egui::ScrollArea::vertical()
                    .id_salt((id_salt, "lines"))
                    .max_height(220.0)
                    .show(ui, edit);
            } else {
                edit(ui);
            }
        });
}

/// More commands than this scroll in their own area.
const LONG_AZ_LIST: usize = 8;
