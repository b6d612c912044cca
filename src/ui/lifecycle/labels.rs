//! A point's local label in the inspector: ticket, reason, owner and pinned, saved in
//! rpdesk's labels file (Azure's restore points cannot carry tags), and optionally
//! mirrored into its collection's tags.

use egui::{RichText, Ui};

use super::super::state::UiState;
use super::super::{Command, View};
use crate::model::ResourceId;

/// Draws the label editor of a point.
pub fn label_editor_ui(
    ui: &mut Ui,
    view: &View<'_>,
    state: &mut UiState,
    point_id: &ResourceId,
    commands: &mut Vec<Command>,
) {
    let saved = view
        .inventory
        .labels
        .get(point_id)
        .cloned()
        .unwrap_or_default();
    if state
        .lifecycle
        .label_draft
        .as_ref()
        .is_none_or(|(id, _)| id != point_id)
    {
        state.lifecycle.label_draft = Some((point_id.clone(), saved.clone()));
    }
    let header = if saved.is_empty() {
        "Label".to_owned()
    } else {
        format!("Label: {}", saved.summary())
    };
    let open = std::mem::take(&mut state.lifecycle.open_label_editor).then_some(true);
    let Some((_, draft)) = state.lifecycle.label_draft.as_mut() else {
        return;
    };
    egui::CollapsingHeader::new(header)
        .id_salt("point_label")
        .open(open)
        .show(ui, |ui| {
            ui.label(
                RichText::new(
                    "Kept by rpdesk on this computer: Azure's restore points cannot carry tags",
                )
                .weak()
                .small(),
            );
            egui::Grid::new("label_fields")
                .num_columns(2)
                .min_col_width(60.0)
                .show(ui, |ui| {
                    for (name, value) in [
                        ("Ticket", &mut draft.ticket),
                        ("Reason", &mut draft.reason),
                        ("Owner", &mut draft.owner),
                    ] {
                        let l = ui.label(name);
                        ui.add(egui::TextEdit::singleline(value).desired_width(220.0))
                            .labelled_by(l.id);
                        ui.end_row();
                    }
                });
            ui.checkbox(&mut draft.pinned, "Pinned: clean-ups never delete it");
            ui.horizontal(|ui| {
                let changed = draft.trimmed() != saved;
                if ui
                    .add_enabled(changed, egui::Button::new("Save label"))
                    .clicked()
                {
                    commands.push(Command::SetLabel {
                        point_id: point_id.clone(),
                        label: draft.clone(),
                    });
                }
                if let Some(collection) = point_id.parent()
                    && crate::ui::widgets::write_button_when(
                        ui,
                        view,
                        !changed,
                        "Mirror into the collection's tags",
                    )
                    .on_hover_text(format!(
                        "Write every labelled point of {} as a tag {}<point> on the collection",
                        collection.name(),
                        crate::lifecycle::LABEL_TAG_PREFIX
                    ))
                    .clicked()
                {
                    commands.push(Command::MirrorLabels(collection));
                }
            });
            mirror_az_ui(ui, view, point_id, commands);
        });
}

/// The `az` command mirroring the saved labels would send, from the tags loaded now (the
/// run reads them again first), or why it cannot be sent.
fn mirror_az_ui(
    ui: &mut Ui,
    view: &View<'_>,
    point_id: &crate::model::ResourceId,
    commands: &mut Vec<Command>,
) {
    let Some(collection_id) = point_id.parent() else {
        return;
    };
    let Some(entry) = view.inventory.collections.get(&collection_id) else {
        return;
    };
    let labels = view.inventory.labels.of_collection(&collection_id);
    match crate::lifecycle::mirrored_tags(collection_id.name(), &entry.collection.tags, &labels) {
        Ok(tags) => {
            let az = [crate::lifecycle::az::mirror_command(&collection_id, &tags).text];
            crate::ui::widgets::az_commands_ui(ui, "mirror_az", &az, false, commands);
        }
        Err(limit) => {
            ui.label(RichText::new(limit.to_string()).weak());
        }
    }
}
