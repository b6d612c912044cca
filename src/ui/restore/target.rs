//! Target: new disks only, a new VM from the configuration the point captured (with what
//! the point does not hold taken from the live VM or asked for), or the source VM rolled
//! back in place.

use egui::{RichText, Ui};

use super::{StepCtx, field_problems_ui, warn_line};
use crate::restore::validate::swap_blocker;
use crate::restore::{Field, RestoreChoices, RestoreFacts, Target};
use crate::ui::theme::{self, Tone};

pub(super) fn target_ui(
    ui: &mut Ui,
    sc: &StepCtx<'_>,
    facts: &RestoreFacts,
    choices: &mut RestoreChoices,
) {
    let vm_name = facts
        .source_vm_id
        .as_ref()
        .map_or("the source VM".to_owned(), |v| v.name().to_owned());
    let mut target = choices.target;
    ui.radio_value(&mut target, Target::DisksOnly, "Disks only")
        .on_hover_text("New, unattached disks: attach them yourself, or read data from them");
    ui.radio_value(&mut target, Target::NewVm, "A new VM")
        .on_hover_text("A new VM built from the configuration the point captured");
    let blocker = swap_blocker(facts);
    ui.add_enabled(
        blocker.is_none(),
        egui::RadioButton::new(
            target == Target::Swap,
            format!("Roll {vm_name} back in place"),
        ),
    )
    .on_disabled_hover_text(blocker.clone().unwrap_or_default())
    .clicked()
    .then(|| target = Target::Swap);
    if let Some(why) = &blocker {
        ui.add(
            egui::Label::new(
                RichText::new(format!("Rollback in place is not possible: {why}")).weak(),
            )
            .wrap(),
        );
    }
    if target != choices.target {
        choices.set_target(facts, target);
    }
    ui.add_space(8.0);
    match choices.target {
        Target::DisksOnly => {
            ui.add(
                egui::Label::new(
                    "The disks are created unattached, tagged with the run. Nothing else changes",
                )
                .wrap(),
            );
        }
        Target::NewVm => new_vm_ui(ui, sc, facts, choices),
        Target::Swap => swap_ui(ui, sc, facts, choices),
    }
    field_problems_ui(ui, sc.problems, &Field::General);
}

fn new_vm_ui(ui: &mut Ui, sc: &StepCtx<'_>, facts: &RestoreFacts, choices: &mut RestoreChoices) {
    let meta = facts
        .point
        .properties
        .source_metadata
        .clone()
        .unwrap_or_default();
    let text = |t: &Option<crate::model::Text>| t.as_ref().map(|t| t.to_string());
    let captured = [
        (
            "Size",
            meta.hardware_profile
                .as_ref()
                .map(|h| h.vm_size.to_string()),
        ),
        ("OS", facts.os_type().map(|o| o.to_string())),
        (
            "Security type",
            meta.security_profile
                .as_ref()
                .and_then(|p| p.security_type.as_ref())
                .map(|t| t.to_string()),
        ),
        ("Generation", text(&meta.hyper_v_generation)),
        (
            "Disk controller",
            meta.storage_profile
                .as_ref()
                .and_then(|s| text(&s.disk_controller_type)),
        ),
        ("Licence", text(&meta.license_type)),
    ];
    ui.strong("From the point");
    egui::Grid::new("restore_captured")
        .num_columns(2)
        .spacing([12.0, 2.0])
        .show(ui, |ui| {
            for (k, v) in captured {
                if let Some(v) = v {
                    ui.label(RichText::new(k).weak());
                    ui.label(v);
                    ui.end_row();
                }
            }
        });
    ui.add_space(6.0);
    ui.strong("Not in the point");
    let vm = &mut choices.new_vm;
    egui::Grid::new("restore_new_vm")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            let l = ui.label("VM name");
            ui.add(egui::TextEdit::singleline(&mut vm.name).desired_width(260.0))
                .labelled_by(l.id);
            ui.end_row();
            ui.label("Resource group");
            egui::ComboBox::from_id_salt("restore_vm_rg")
                .selected_text(vm.resource_group.clone())
                .width(260.0)
                .show_ui(ui, |ui| {
                    for g in &facts.resource_groups {
                        ui.selectable_value(&mut vm.resource_group, g.clone(), g);
                    }
                });
            ui.end_row();
            let subnet_label = ui.label("Subnet");
            let current = vm
                .subnet_id
                .as_ref()
                .and_then(|id| facts.subnets.iter().flatten().find(|s| &s.id == id))
                .map(|s| s.label())
                .unwrap_or_else(|| match &facts.subnets {
                    None => "loading…".into(),
                    Some(_) => "pick a subnet".into(),
                });
            egui::ComboBox::from_id_salt("restore_vm_subnet")
                .selected_text(current)
                .width(360.0)
                .show_ui(ui, |ui| {
                    let mut subnets: Vec<_> = facts.subnets.iter().flatten().collect();
                    // The point's region first: the others are listed, and refused.
                    subnets.sort_by_key(|s| {
                        (!s.location.eq_ignore_ascii_case(&facts.location), s.label())
                    });
                    for s in subnets {
                        ui.selectable_value(&mut vm.subnet_id, Some(s.id.clone()), s.label());
                    }
                })
                .response
                .labelled_by(subnet_label.id);
            ui.end_row();
            let l = ui.label("Network interface name");
            ui.add(egui::TextEdit::singleline(&mut vm.nic_name).desired_width(260.0))
                .labelled_by(l.id);
            ui.end_row();
            ui.label("VM zone");
            egui::ComboBox::from_id_salt("restore_vm_zone")
                .selected_text(if vm.zone.is_empty() {
                    "none".into()
                } else {
                    vm.zone.clone()
                })
                .show_ui(ui, |ui| {
                    for z in ["", "1", "2", "3"] {
                        let text = if z.is_empty() { "none" } else { z };
                        ui.selectable_value(&mut vm.zone, z.to_owned(), text);
                    }
                });
            ui.end_row();
        });
    for f in [
        Field::VmName,
        Field::ResourceGroup,
        Field::Subnet,
        Field::NicName,
        Field::Zone,
    ] {
        field_problems_ui(ui, sc.problems, &f);
    }
    if let Some(set) = facts
        .live_vm
        .as_ref()
        .and_then(|v| v.vm.properties.availability_set.as_ref())
    {
        ui.checkbox(
            &mut vm.keep_availability_set,
            format!(
                "Put it in availability set {}",
                set.id.rsplit('/').next().unwrap_or_default()
            ),
        );
    }
    ui.label(
        RichText::new(
            "A new network interface with a private IP from the subnet and no public IP. Tags and managed identity come from the live VM when it still exists",
        )
        .small()
        .weak(),
    );
    ui.add_space(4.0);
    warn_line(
        ui,
        "The copy boots from the source's OS disk: it keeps the source's computer name and machine identity. If the source still runs, isolate the copy (a subnet of its own, no route to the source's network)",
    );
}

fn swap_ui(ui: &mut Ui, sc: &StepCtx<'_>, facts: &RestoreFacts, choices: &mut RestoreChoices) {
    let Some(live) = &facts.live_vm else { return };
    let name = &live.vm.name;
    ui.strong("What happens");
    let mut lines = vec![
        "1. The disks are restored while the VM still runs".to_owned(),
        format!("2. {name} is deallocated (a disk swap on a running VM reboots it anyway)"),
        "3. Its data disks at the captured LUNs are replaced, then its OS disk".to_owned(),
        "4. The replaced disks are kept, detached, never deleted, and tagged with the run"
            .to_owned(),
    ];
    if live.is_running() {
        lines.push(format!("5. {name} is started again"));
    } else {
        lines.push(format!("5. {name} was not running: it stays deallocated"));
    }
    for l in lines {
        ui.label(l);
    }
    ui.add_space(6.0);
    let safety = &facts.safety_point;
    let label = match safety {
        Ok(sp) => format!(
            "First take a {} restore point of {name} ({})",
            sp.mode_text(),
            sp.point_name
        ),
        Err(_) => format!("First take a restore point of {name}"),
    };
    ui.add_enabled(
        safety.is_ok(),
        egui::Checkbox::new(&mut choices.safety_point, label),
    )
    .on_disabled_hover_text(safety.clone().err().unwrap_or_default());
    if let Err(why) = safety {
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "No safety point now: {why}. The original disks are kept either way: undo always puts them back"
                ))
                .weak(),
            )
            .wrap(),
        );
    }
    field_problems_ui(ui, sc.problems, &Field::SafetyPoint);
    ui.add_space(4.0);
    ui.label(
        RichText::new(
            "Downtime: typically 5 to 15 minutes (Microsoft's estimate for a rollback from a restore point)",
        )
        .color(theme::tone(ui, Tone::Warn)),
    );
}
