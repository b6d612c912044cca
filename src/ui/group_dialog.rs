//! The group restore point dialog: for the availability set or VMSS Flex scale set of a
//! VM, what each member gets in the chosen mode (its point, or why Azure would refuse it
//! and rpdesk skips it), the equivalent `az` commands, and the button that sends the run.

use egui::{RichText, Ui};

use super::state::{GroupDialog, UiState};
use super::theme::{self, Tone};
use super::widgets::{DialogAction, az_commands_ui, modal_ui};
use super::{Command, View};
use crate::inventory::{GroupPlan, MemberStep, plan_group};
use crate::rules::Mode;

/// Draws the dialog if it is open.
pub fn group_dialog_ui(
    ctx: &egui::Context,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    let Some(group) = state
        .group_dialog
        .as_ref()
        .and_then(|d| view.inventory.point_group_of(&d.vm_id))
    else {
        state.group_dialog = None;
        return;
    };
    let title = format!(
        "Group restore point for {} {}",
        group.kind.label(),
        group.set_id.name()
    );
    modal_ui(
        ctx,
        &mut state.group_dialog,
        "group_restore_point",
        600.0,
        &title,
        commands,
        |ui, dialog, commands| body_ui(ui, view, dialog, commands),
    );
}

fn body_ui(
    ui: &mut Ui,
    view: &View<'_>,
    dialog: &mut GroupDialog,
    commands: &mut Vec<Command>,
) -> DialogAction {
    let inv = view.inventory;
    let fresh = dialog
        .plan
        .as_ref()
        .is_some_and(|(generation, mode, _)| *generation == inv.generation && *mode == dialog.mode);
    if !fresh && let Some(group) = inv.point_group_of(&dialog.vm_id) {
        dialog.plan = Some((
            inv.generation,
            dialog.mode,
            plan_group(inv, &group, dialog.mode, view.now_unix),
        ));
    }
    let Some((_, _, plan)) = &dialog.plan else {
        return DialogAction::Close;
    };
    ui.add(
        egui::Label::new(
            "Azure makes restore points one VM at a time: rpdesk creates one per member, in \
             sequence, each as that VM's rules allow, and reports the time between the first \
             and the last point.",
        )
        .wrap(),
    );
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.label("Mode");
        for mode in [Mode::CrashConsistent, Mode::ApplicationConsistent] {
            ui.radio_value(&mut dialog.mode, mode, mode.label());
        }
    });
    ui.add_space(4.0);
    members_ui(ui, plan);
    let az: Vec<String> = plan
        .creations()
        .flat_map(crate::restore::point_az::create_commands)
        .collect();
    az_commands_ui(ui, "group_az", &az, false, commands);
    ui.add_space(8.0);
    let count = plan.creations().count();
    let mut action = DialogAction::Keep;
    ui.horizontal(|ui| {
        let label = match count {
            1 => "Create 1 point".to_owned(),
            n => format!("Create {n} points"),
        };
        if super::widgets::write_button_when(ui, view, count > 0, label).clicked() {
            action = DialogAction::Send(Command::CreateGroupPoints(Box::new(plan.clone())));
        }
        if ui.button("Cancel").clicked() {
            action = DialogAction::Close;
        }
    });
    if count == 0 {
        ui.label(
            RichText::new("No member can have a point in this mode now")
                .color(theme::tone(ui, Tone::Warn)),
        );
    }
    action
}

fn members_ui(ui: &mut Ui, plan: &GroupPlan) {
    egui::Grid::new("group_members")
        .num_columns(3)
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            ui.strong("#");
            ui.strong("VM");
            ui.strong("What rpdesk does");
            ui.end_row();
            let mut order = 0;
            for m in &plan.members {
                match &m.step {
                    MemberStep::Create(p) => {
                        order += 1;
                        ui.label(order.to_string());
                        ui.label(m.vm_id.name());
                        let mut what = format!("{} in {}", p.point_name, p.collection_id.name());
                        if p.create_collection {
                            what.push_str(" (created first)");
                        }
                        if !p.exclude_disks.is_empty() {
                            what.push_str(&format!(", {} disk(s) excluded", p.exclude_disks.len()));
                        }
                        ui.label(RichText::new(what).color(theme::tone(ui, Tone::Ok)));
                    }
                    MemberStep::Skip(reason) => {
                        ui.label("–");
                        ui.label(m.vm_id.name());
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("Skipped: {reason}"))
                                    .color(theme::tone(ui, Tone::Warn)),
                            )
                            .wrap(),
                        );
                    }
                }
                ui.end_row();
            }
        });
}
