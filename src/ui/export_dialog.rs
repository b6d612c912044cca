//! "Export…" (top bar): the inventory (every table as JSON, or one as CSV) or the
//! supportability assessment (every VM × mode) saved through the native save dialog; a
//! path field when no dialog can open. While the app reads the inventory the dialog
//! shows how far it got; the write's outcome is in the activity log.

use egui::{RichText, Ui};

use super::widgets::{DialogAction, modal_ui};
use super::{Command, View};
use crate::export::{Export, Format, Level};
use crate::model::ResourceId;

/// What the export dialog is set to.
#[derive(Clone, Debug)]
pub struct ExportDialog {
    /// Supportability rather than the inventory.
    pub fleet: bool,
    /// Supportability of this VM alone (the Supportability tab's Export…).
    pub vm: Option<ResourceId>,
    pub format: Format,
    /// The inventory table a CSV holds.
    pub level: Level,
    /// No save dialog could open: the path field is shown, with this path.
    pub path: Option<String>,
    /// Items read of how many, while the app reads the inventory.
    pub progress: Option<(usize, usize)>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self {
            fleet: false,
            vm: None,
            format: Format::Json,
            level: Level::Points,
            path: None,
            progress: None,
        }
    }
}

impl ExportDialog {
    /// The dialog for one VM's supportability.
    pub fn for_vm(vm: ResourceId) -> Self {
        Self {
            fleet: true,
            vm: Some(vm),
            ..Default::default()
        }
    }

    /// The export as set.
    pub fn export(&self) -> Export {
        if self.fleet {
            Export::Fleet {
                format: self.format,
                vms: self.vm.clone().map(|vm| vec![vm]),
            }
        } else {
            Export::Inventory {
                format: self.format,
                level: self.level,
            }
        }
    }
}

/// Draws the dialog if it is open.
pub fn export_dialog_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    slot: &mut Option<ExportDialog>,
    commands: &mut Vec<Command>,
) {
    modal_ui(
        ctx,
        slot,
        "export_dialog",
        460.0,
        "Export",
        commands,
        |ui, dialog, commands| body_ui(ui, view, dialog, commands),
    );
}

fn body_ui(
    ui: &mut Ui,
    view: &View<'_>,
    dialog: &mut ExportDialog,
    commands: &mut Vec<Command>,
) -> DialogAction {
    if let Some((done, of)) = dialog.progress {
        ui.label(format!("Reading {done} of {of}…"));
        ui.add(egui::ProgressBar::new(done as f32 / of.max(1) as f32).show_percentage());
        return DialogAction::Keep;
    }
    match &dialog.vm {
        Some(vm) => {
            ui.label(format!(
                "Supportability of {}: both modes, the verdict, excluded disks, rules and reasons",
                vm.name()
            ));
        }
        None => what_ui(ui, dialog),
    }
    format_ui(ui, dialog);
    let loaded = view.inventory.progress().is_complete();
    if !loaded {
        ui.label(RichText::new("Still loading: the export holds what has arrived so far").weak());
    }
    let export = dialog.export();
    ui.horizontal(|ui| {
        let line = cli_equivalent(&export);
        ui.label(
            RichText::new(format!("Without a window: {line}"))
                .monospace()
                .small(),
        );
        if ui
            .small_button("Copy")
            .on_hover_text("Copy the command line")
            .clicked()
        {
            commands.push(Command::Copy(line));
        }
    });
    ui.add_space(8.0);
    let mut action = DialogAction::Keep;
    if let Some(path) = dialog.path.as_mut() {
        ui.label(RichText::new("No save dialog can open here: type where to save").weak());
        ui.horizontal(|ui| {
            let label = ui.label("Save to");
            ui.add(egui::TextEdit::singleline(path).desired_width(300.0))
                .labelled_by(label.id);
        });
    }
    ui.horizontal(|ui| {
        let (text, path) = match &dialog.path {
            Some(p) => ("Save here", Some(std::path::PathBuf::from(p.trim()))),
            None => ("Save…", None),
        };
        let ready = path.as_ref().is_none_or(|p| !p.as_os_str().is_empty());
        if ui.add_enabled(ready, egui::Button::new(text)).clicked() {
            commands.push(Command::Export {
                export: export.clone(),
                path,
            });
        }
        if ui.button("Cancel").clicked() {
            action = DialogAction::Close;
        }
    });
    action
}

/// Inventory or supportability.
fn what_ui(ui: &mut Ui, dialog: &mut ExportDialog) {
    ui.strong("What");
    ui.radio_value(
        &mut dialog.fleet,
        false,
        "Inventory: subscriptions, VMs, collections, restore points, disk restore points",
    );
    ui.radio_value(
        &mut dialog.fleet,
        true,
        "Supportability: every VM in both modes, its verdict and reasons",
    );
}

/// JSON or CSV, and the inventory table a CSV holds.
fn format_ui(ui: &mut Ui, dialog: &mut ExportDialog) {
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.strong("Format");
        ui.radio_value(&mut dialog.format, Format::Json, "JSON");
        ui.radio_value(&mut dialog.format, Format::Csv, "CSV");
    });
    if !dialog.fleet && dialog.format == Format::Csv {
        ui.horizontal(|ui| {
            let label = ui.label("Table");
            egui::ComboBox::from_id_salt("export_level")
                .selected_text(dialog.level.title())
                .show_ui(ui, |ui| {
                    for level in Level::ALL {
                        ui.selectable_value(&mut dialog.level, level, level.title());
                    }
                })
                .response
                .labelled_by(label.id);
        });
    }
    let note = match (dialog.fleet, dialog.format) {
        (false, Format::Json) => "One document with every table",
        (false, Format::Csv) => "One table; its columns are the JSON's keys",
        (true, _) => "Two rows per VM: application- and crash-consistent",
    };
    ui.label(RichText::new(note).weak());
}

/// The `rpdesk export` command line that makes the same file (on the demo).
pub fn cli_equivalent(export: &Export) -> String {
    match export {
        Export::Inventory {
            format: Format::Json,
            ..
        } => "rpdesk export inventory".into(),
        Export::Inventory { format, level } => format!(
            "rpdesk export inventory --format {} --table {}",
            format.ext(),
            level.name()
        ),
        Export::Fleet { format, vms: None } => {
            format!("rpdesk export fleet --format {}", format.ext())
        }
        Export::Fleet {
            format,
            vms: Some(_),
        } => format!("rpdesk export fleet --format {} (every VM)", format.ext()),
    }
}
