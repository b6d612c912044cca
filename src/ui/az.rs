//! The "Equivalent Azure CLI commands" section an action's dialog shows: the commands
//! that do what rpdesk is about to do, read-only, selectable, and one button that copies
//! them all (the shell-ready text, one command a line).

use egui::Ui;

use super::Command;

/// A collapsed section titled "Equivalent Azure CLI commands" holding `az` (one command
/// each); `id_salt` keeps its open state apart from other dialogs'.
pub fn az_commands_ui(ui: &mut Ui, id_salt: &str, az: &[String], commands: &mut Vec<Command>) {
    if az.is_empty() {
        return;
    }
    egui::CollapsingHeader::new("Equivalent Azure CLI commands")
        .id_salt(id_salt)
        .default_open(false)
        .show(ui, |ui| {
            let text = az.join("\n");
            if ui
                .button("Copy the commands")
                .on_hover_text("Copy them for a shell, one a line")
                .clicked()
            {
                commands.push(Command::Copy(text.clone()));
            }
            let mut shown = text.as_str();
            ui.add(
                egui::TextEdit::multiline(&mut shown)
                    .code_editor()
                    .desired_rows(az.len().min(8))
                    .desired_width(f32::INFINITY),
            );
        });
}
