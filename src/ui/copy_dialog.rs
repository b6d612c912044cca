//! The copy restore point dialog: a succeeded point copied to a collection in another
//! region. The region is picked from a list; the copy's assessment (`rules::assess_copy`)
//! is shown before anything is sent: private links aren't supported across regions, a
//! customer-managed key becomes a platform-managed one, and Azure takes at most 3 copies
//! per target collection an hour (rpdesk waits for the time Azure allows).

use egui::{RichText, Ui};

use super::state::{CopyDialog, UiState};
use super::theme::{self, Tone};
use super::widgets::{DialogAction, local_time_text, modal_ui, settle};
use super::{Command, View};
use crate::inventory::{CopyPointPlan, assess_copy_of, default_copy_collection_id};
use crate::rules::{CopyAssessment, Outcome, Verdict, normalize_region};

/// Regions a copy can go to (the source's own region is left out).
const REGIONS: &[&str] = &[
    "australiaeast",
    "brazilsouth",
    "canadacentral",
    "centralindia",
    "centralus",
    "eastasia",
    "eastus",
    "eastus2",
    "francecentral",
    "germanywestcentral",
    "japaneast",
    "koreacentral",
    "northcentralus",
    "northeurope",
    "norwayeast",
    "southcentralus",
    "southeastasia",
    "swedencentral",
    "switzerlandnorth",
    "uksouth",
    "westcentralus",
    "westeurope",
    "westus",
    "westus2",
    "westus3",
];

/// Draws the dialog if it is open.
pub fn copy_dialog_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    let Some(point) = state
        .copy_dialog
        .as_ref()
        .map(|d| d.point_id.name().to_owned())
    else {
        return;
    };
    modal_ui(
        ctx,
        &mut state.copy_dialog,
        "copy_restore_point",
        540.0,
        &format!("Copy restore point {point} to another region"),
        commands,
        |ui, dialog, commands| body_ui(ui, view, dialog, commands),
    );
}

fn body_ui(
    ui: &mut Ui,
    view: &View<'_>,
    dialog: &mut CopyDialog,
    commands: &mut Vec<Command>,
) -> DialogAction {
    if let Some(plan) = &dialog.pending {
        let mut action = DialogAction::Keep;
        ui.add(
            egui::Label::new(format!(
                "A copy of {} in {} as {}, in collection {}{}. Its disk restore points are billed as snapshot storage in {}",
                plan.source_point_id.name(),
                plan.target_region,
                plan.point_name,
                plan.target_collection_id.name(),
                if plan.create_collection { " (created first)" } else { "" },
                plan.target_region,
            ))
            .wrap(),
        );
        if let Some(t) = plan.not_before {
            ui.label(format!(
                "Sent at {}, when Azure allows the next copy into the collection",
                local_time_text(t.unix_secs())
            ));
        }
        ui.add_space(4.0);
        let az = crate::restore::az::rest_commands(&plan.calls());
        super::az::az_commands_ui(ui, "copy_az", &az, commands);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Copy restore point").clicked() {
                action = dialog.pending.take().map_or(DialogAction::Keep, |p| {
                    DialogAction::Send(Command::CopyRestorePoint(Box::new(p)))
                });
            }
            if ui.button("Back").clicked() {
                dialog.pending = None;
            }
        });
        return action;
    }
    let inv = view.inventory;
    let Some(source) = dialog.point_id.parent() else {
        return DialogAction::Close;
    };
    let source_region = inv
        .collections
        .get(&source)
        .map(|c| normalize_region(&c.collection.location))
        .unwrap_or_default();
    ui.label(format!(
        "From collection {} in {source_region}",
        source.name()
    ));
    ui.horizontal(|ui| {
        let label = ui.label("Target region");
        egui::ComboBox::from_id_salt("copy_region")
            .selected_text(if dialog.region.is_empty() {
                "choose…"
            } else {
                dialog.region.as_str()
            })
            .show_ui(ui, |ui| {
                for r in REGIONS.iter().filter(|r| **r != source_region) {
                    ui.selectable_value(&mut dialog.region, (*r).to_owned(), *r);
                }
            })
            .response
            .labelled_by(label.id);
    });
    if dialog.region.is_empty() {
        ui.label(RichText::new("Choose the region to copy to").weak());
        return cancel_row(ui);
    }
    let Some(assessment) = assess_copy_of(inv, &dialog.point_id, &dialog.region, view.now_unix)
    else {
        ui.label(RichText::new("The restore point is not loaded").weak());
        return cancel_row(ui);
    };
    let target = inv.copy_target(&source, &dialog.region);
    match &target {
        Some(t) => ui.label(format!("Goes into collection {}", t.name())),
        None => ui.label(
            RichText::new(format!(
                "rpdesk creates collection {} in {} first (its source is {})",
                default_copy_collection_id(&source, &dialog.region)
                    .map(|c| c.name().to_owned())
                    .unwrap_or_default(),
                dialog.region,
                source.name()
            ))
            .color(theme::tone(ui, Tone::Info)),
        ),
    };
    ui.add_space(4.0);
    notices_ui(ui, &assessment);
    if let Some(error) = &dialog.error {
        ui.label(RichText::new(error).color(theme::tone(ui, Tone::Error)));
    }
    ui.add_space(8.0);
    let mut action = DialogAction::Keep;
    ui.horizontal(|ui| {
        let can_copy = assessment.verdict != Verdict::NotSupported;
        if ui
            .add_enabled(can_copy, egui::Button::new("Copy…"))
            .clicked()
        {
            let checked = plan(view, dialog, &assessment, target);
            settle(checked, &mut dialog.pending, &mut dialog.error);
        }
        if ui.button("Cancel").clicked() {
            action = DialogAction::Close;
        }
    });
    action
}

fn cancel_row(ui: &mut Ui) -> DialogAction {
    ui.add_space(8.0);
    if ui.button("Cancel").clicked() {
        DialogAction::Close
    } else {
        DialogAction::Keep
    }
}

/// What the copy meets: each warning or wait with the rule it comes from.
fn notices_ui(ui: &mut Ui, a: &CopyAssessment) {
    for r in a.notices() {
        // A wait is not a refusal: rpdesk queues the copy (below).
        let mark = if r.outcome == Outcome::Fail {
            "⏳"
        } else {
            "⚠"
        };
        let mut reason = r.reason.clone();
        if let Some(first) = reason.get(..1).map(str::to_ascii_uppercase) {
            reason.replace_range(..1, &first);
        }
        ui.add(
            egui::Label::new(
                RichText::new(format!("{mark} {reason}")).color(theme::tone(ui, Tone::Warn)),
            )
            .wrap(),
        )
        .on_hover_text(r.rule.rule().statement);
        ui.add(
            egui::Label::new(
                RichText::new(format!("Source: {}", r.rule.rule().source))
                    .weak()
                    .small(),
            )
            .wrap(),
        );
    }
    if let Verdict::NotYet { until: Some(t) } = a.verdict {
        ui.label(
            RichText::new(format!(
                "Azure accepts the next copy into this collection at {}: rpdesk queues it and sends it then",
                local_time_text(t.unix_secs())
            ))
            .color(theme::tone(ui, Tone::Warn)),
        );
    }
}

/// Checks the input and settles the plan; an error is the message to show.
fn plan(
    view: &View<'_>,
    dialog: &CopyDialog,
    assessment: &CopyAssessment,
    target: Option<crate::model::ResourceId>,
) -> Result<CopyPointPlan, String> {
    let source = dialog
        .point_id
        .parent()
        .ok_or("The restore point has no collection")?;
    let (target_collection_id, create_collection) = match target {
        Some(t) => (t, false),
        None => (
            default_copy_collection_id(&source, &dialog.region)
                .ok_or("No collection name for the copy")?,
            true,
        ),
    };
    let point_name = format!("{}-{}", dialog.point_id.name(), dialog.region);
    let taken = view
        .inventory
        .points_of(&target_collection_id)
        .iter()
        .any(|p| p.name().eq_ignore_ascii_case(&point_name));
    if taken {
        return Err(format!(
            "Collection {} already holds {point_name}: this point was copied there",
            target_collection_id.name()
        ));
    }
    let not_before = match assessment.verdict {
        Verdict::NotYet { until } => until,
        _ => None,
    };
    Ok(CopyPointPlan {
        source_point_id: dialog.point_id.clone(),
        source_collection_id: source,
        target_region: dialog.region.clone(),
        target_collection_id,
        create_collection,
        point_name,
        not_before,
    })
}
