//! The create restore point dialog: the mode (the recommended one preselected), the disks
//! to exclude (preselected from the assessment; the ones Azure requires cannot be
//! unticked), instant access where eligible, the next allowed time, and a confirmation
//! that names what will be created and billed. Input is checked before any call.

use egui::{RichText, Ui};

use super::assessments::{VerdictClass, VmAssessments};
use super::inspector::supportability::{mode_title, verdict_badge_ui};
use super::state::{CreateDialog, UiState};
use super::theme::{self, Tone};
use super::widgets::{DialogAction, local_time_text, modal_ui, settle};
use super::{Command, View};
use crate::inventory::{CreatePointPlan, default_collection_id, point_name_at};
use crate::model::ResourceId;
use crate::rules::{
    INSTANT_ACCESS_FEATURE, INSTANT_ACCESS_FEATURE_REGISTER_COMMAND, INSTANT_ACCESS_MINUTES, Mode,
    Outcome, Verdict, managed_disk_ids,
};

/// Draws the dialog if it is open.
pub fn create_dialog_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    let Some(vm_id) = state.create_dialog.as_ref().map(|d| d.vm_id.clone()) else {
        return;
    };
    let Some(both) = state
        .caches
        .assessment(view.inventory, &vm_id, view.now_unix)
        .cloned()
    else {
        return;
    };
    let Some(dialog) = state.create_dialog.as_mut() else {
        return;
    };
    if dialog.prepared_for.is_none() && !dialog.mode_chosen {
        dialog.mode = both[0].recommended_mode;
    }
    let assessment = match dialog.mode {
        Mode::ApplicationConsistent => &both[0],
        Mode::CrashConsistent => &both[1],
    };
    if dialog.prepared_for != Some(dialog.mode) {
        dialog.exclude_disks = assessment.exclude_disks.clone();
        dialog.instant_access = assessment.instant_access_eligible && target_has_ia(view, dialog);
        dialog.prepared_for = Some(dialog.mode);
    }
    modal_ui(
        ctx,
        &mut state.create_dialog,
        "create_restore_point",
        520.0,
        &format!("Create restore point for {}", vm_id.name()),
        commands,
        |ui, dialog, commands| body_ui(ui, view, &both, dialog, commands),
    );
}

fn body_ui(
    ui: &mut Ui,
    view: &View<'_>,
    both: &VmAssessments,
    dialog: &mut CreateDialog,
    commands: &mut Vec<Command>,
) -> DialogAction {
    if let Some(plan) = &dialog.pending {
        match confirm_ui(ui, view, plan, commands) {
            Confirm::Wait => return DialogAction::Keep,
            Confirm::Back => {
                dialog.pending = None;
                return DialogAction::Keep;
            }
            Confirm::Yes => {
                return dialog.pending.take().map_or(DialogAction::Keep, |p| {
                    DialogAction::Send(Command::CreateRestorePoint(Box::new(p)))
                });
            }
        }
    }
    ui.strong("Consistency mode");
    for a in both.iter() {
        ui.horizontal(|ui| {
            let mut title = mode_title(a.mode).to_owned();
            if a.recommended_mode == a.mode {
                title.push_str(" (recommended)");
            }
            ui.radio_value(&mut dialog.mode, a.mode, title);
            verdict_badge_ui(ui, VerdictClass::of(&a.verdict));
        });
    }
    let assessment = match dialog.mode {
        Mode::ApplicationConsistent => &both[0],
        Mode::CrashConsistent => &both[1],
    };
    ui.add_space(6.0);
    disks_ui(ui, view, dialog, &assessment.exclude_disks);
    ui.add_space(6.0);
    instant_access_ui(
        ui,
        view,
        dialog,
        assessment.instant_access_eligible,
        commands,
    );
    ui.add_space(6.0);
    let collection = target_collection(view, &dialog.vm_id);
    match &collection {
        Some(c) => {
            ui.label(format!("Goes into collection {}", c.name()));
        }
        None => {
            ui.label(
                RichText::new(format!(
                    "This VM has no restore point collection: rpdesk creates {} first",
                    default_collection_id(&dialog.vm_id)
                        .map(|c| c.name().to_owned())
                        .unwrap_or_default()
                ))
                .color(theme::tone(ui, Tone::Info)),
            );
        }
    }
    let blocked: Vec<&str> = assessment
        .results
        .iter()
        .filter(|r| {
            r.outcome == Outcome::Fail && r.rule.rule().effect != crate::rules::Effect::WaitUntil
        })
        .map(|r| r.reason.as_str())
        .collect();
    match &assessment.verdict {
        Verdict::NotYet { until: Some(t) } => {
            ui.label(
                RichText::new(format!(
                    "Azure accepts the next point at {}: rpdesk queues it and sends it then",
                    local_time_text(t.unix_secs())
                ))
                .color(theme::tone(ui, Tone::Warn)),
            );
        }
        Verdict::NotYet { until: None } => {
            ui.label(
                RichText::new("Another creation is running: rpdesk queues this one after it")
                    .color(theme::tone(ui, Tone::Warn)),
            );
        }
        _ => {}
    }
    for reason in &blocked {
        ui.label(RichText::new(format!("⚠ {reason}")).color(theme::tone(ui, Tone::Error)));
    }
    if let Some(error) = &dialog.error {
        ui.label(RichText::new(error).color(theme::tone(ui, Tone::Error)));
    }
    ui.add_space(8.0);
    let mut action = DialogAction::Keep;
    ui.horizontal(|ui| {
        let can_create = blocked.is_empty();
        let create = ui
            .add_enabled(can_create, egui::Button::new("Create…"))
            .on_disabled_hover_text("Azure would refuse this restore point; see the reasons above");
        if create.clicked() {
            let checked = plan(view, dialog, assessment.verdict, collection);
            settle(checked, &mut dialog.pending, &mut dialog.error);
        }
        if ui.button("Cancel").clicked() {
            action = DialogAction::Close;
        }
    });
    action
}

/// The last step: what will be created and billed, and the button that does it.
fn confirm_ui(
    ui: &mut Ui,
    view: &View<'_>,
    plan: &CreatePointPlan,
    commands: &mut Vec<Command>,
) -> Confirm {
    let disks = view
        .inventory
        .vms
        .get(&plan.vm_id)
        .map_or(0, |vm| managed_disk_ids(vm).count());
    let excluded = plan.exclude_disks.len();
    let mut lines = vec![format!(
        "A {} restore point {} of {} disk(s), {excluded} excluded. Each disk restore point is an incremental snapshot billed as snapshot storage",
        plan.mode,
        plan.point_name,
        disks.saturating_sub(excluded)
    )];
    if plan.create_collection {
        lines.push(format!(
            "A new restore point collection {} in {}",
            plan.collection_id.name(),
            plan.location
        ));
    }
    if let Some(m) = plan.instant_access_minutes {
        lines.push(format!(
            "Instant access for {m} minutes, billed for the changed data and per restore"
        ));
    }
    if let Some(t) = plan.not_before {
        lines.push(format!(
            "Sent at {}, when Azure allows the next point",
            local_time_text(t.unix_secs())
        ));
    }
    for line in lines {
        ui.add(egui::Label::new(line).wrap());
    }
    ui.add_space(4.0);
    let az = crate::restore::point_az::create_commands(plan);
    super::widgets::az_commands_ui(ui, "create_az", &az, false, commands);
    ui.add_space(8.0);
    let mut answer = Confirm::Wait;
    ui.horizontal(|ui| {
        if super::widgets::write_button(ui, view, "Create restore point").clicked() {
            answer = Confirm::Yes;
        }
        if ui.button("Back").clicked() {
            answer = Confirm::Back;
        }
    });
    answer
}

enum Confirm {
    Wait,
    Yes,
    Back,
}

fn disks_ui(ui: &mut Ui, view: &View<'_>, dialog: &mut CreateDialog, required: &[ResourceId]) {
    ui.strong("Disks to exclude");
    let Some(vm) = view.inventory.vms.get(&dialog.vm_id) else {
        return;
    };
    let mut ids: Vec<ResourceId> = managed_disk_ids(vm)
        .filter_map(|id| ResourceId::parse(id).ok())
        .collect();
    for r in required {
        if !ids.contains(r) {
            ids.insert(0, r.clone());
        }
    }
    for id in ids {
        let must = required.contains(&id);
        let mut checked = dialog.exclude_disks.contains(&id) || must;
        let response = ui.add_enabled(!must, egui::Checkbox::new(&mut checked, id.name()));
        let response = if must {
            response.on_disabled_hover_text("Azure refuses the point unless this disk is excluded")
        } else {
            response
        };
        if response.changed() {
            if checked {
                dialog.exclude_disks.push(id.clone());
            } else {
                dialog.exclude_disks.retain(|d| d != &id);
            }
        }
        if must {
            ui.label(
                RichText::new("excluded automatically: not supported in this mode")
                    .small()
                    .weak(),
            );
        }
    }
    dialog.exclude_disks.sort();
    dialog.exclude_disks.dedup();
}

fn instant_access_ui(
    ui: &mut Ui,
    view: &View<'_>,
    dialog: &mut CreateDialog,
    eligible: bool,
    commands: &mut Vec<Command>,
) {
    if !eligible {
        return;
    }
    let collection = target_collection(view, &dialog.vm_id);
    let has_ia = target_has_ia(view, dialog);
    // Instant access is a collection setting: usable with a new collection or one that has it.
    let can_toggle = collection.is_none();
    ui.add_enabled(
        can_toggle,
        egui::Checkbox::new(&mut dialog.instant_access, "Instant access"),
    )
    .on_disabled_hover_text(if has_ia {
        "The collection gives every application-consistent point instant access"
    } else {
        "The collection was created without instant access"
    });
    if dialog.instant_access {
        ui.horizontal(|ui| {
            let label = ui.label("Duration in minutes (60–300)");
            ui.add(egui::TextEdit::singleline(&mut dialog.duration_minutes).desired_width(60.0))
                .labelled_by(label.id);
        });
    }
    feature_registration_ui(ui, commands);
}

/// Instant access needs a subscription feature ARM's resources do not show: say so, with
/// the command that registers it.
fn feature_registration_ui(ui: &mut Ui, commands: &mut Vec<Command>) {
    ui.add(
        egui::Label::new(
            RichText::new(format!(
                "Instant access needs the subscription feature Microsoft.Compute/{INSTANT_ACCESS_FEATURE} registered (rpdesk cannot see whether it is). Register it with:"
            ))
            .color(theme::tone(ui, Tone::Info)),
        )
        .wrap(),
    );
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(INSTANT_ACCESS_FEATURE_REGISTER_COMMAND)
                .monospace()
                .small(),
        );
        if ui
            .small_button("Copy")
            .on_hover_text("Copy the az command")
            .clicked()
        {
            commands.push(Command::Copy(
                INSTANT_ACCESS_FEATURE_REGISTER_COMMAND.to_owned(),
            ));
        }
    });
}

/// The VM's target collection (the engine's choice), if it has one.
fn target_collection(view: &View<'_>, vm_id: &ResourceId) -> Option<ResourceId> {
    let counts = crate::inventory::RegionCounts::default();
    let source = view.inventory.facts_source(vm_id, &counts)?;
    source.facts().target_collection.cloned()
}

fn target_has_ia(view: &View<'_>, dialog: &CreateDialog) -> bool {
    target_collection(view, &dialog.vm_id)
        .and_then(|c| view.inventory.collections.get(&c))
        .is_some_and(|c| c.collection.properties.instant_access == Some(true))
}

/// Checks the input and settles the plan; an error is the message to show.
fn plan(
    view: &View<'_>,
    dialog: &CreateDialog,
    verdict: Verdict,
    collection: Option<ResourceId>,
) -> Result<CreatePointPlan, String> {
    let vm = view
        .inventory
        .vms
        .get(&dialog.vm_id)
        .ok_or("The VM is no longer in the inventory")?;
    let instant_access_minutes =
        if dialog.instant_access && dialog.mode == Mode::ApplicationConsistent {
            let minutes: i64 = dialog.duration_minutes.trim().parse().map_err(|_| {
                format!(
                    "Instant access duration must be a whole number of minutes, not '{}'",
                    dialog.duration_minutes.trim()
                )
            })?;
            if !INSTANT_ACCESS_MINUTES.contains(&minutes) {
                return Err(format!(
                    "Instant access duration must be from 60 to 300 minutes, not {minutes}"
                ));
            }
            Some(minutes)
        } else {
            None
        };
    let (collection_id, create_collection) = match collection {
        Some(c) => (c, false),
        None => (
            default_collection_id(&dialog.vm_id).ok_or("The VM's id has no resource group")?,
            true,
        ),
    };
    let not_before = match verdict {
        Verdict::NotYet { until } => until,
        _ => None,
    };
    Ok(CreatePointPlan {
        vm_id: dialog.vm_id.clone(),
        location: vm.location.to_string(),
        collection_id,
        create_collection,
        point_name: point_name_at(view.now_unix.max(not_before.map_or(0, |t| t.unix_secs()))),
        mode: dialog.mode,
        exclude_disks: dialog.exclude_disks.clone(),
        instant_access_minutes,
        not_before,
    })
}
