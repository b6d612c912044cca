//! Disks: one block per disk restore point — include it or not, the new disk's name,
//! type, size, zone, resource group and encryption set — with the reasons Azure would
//! refuse it shown on the block.

use egui::{RichText, Ui};

use super::{StepCtx, field_problems_ui};
use crate::model::{SizeGib, StorageAccountType};
use crate::restore::validate::disk_zone;
use crate::restore::{Field, Readiness, RestoreChoices, RestoreFacts, Target};
use crate::ui::theme::{self, Tone};

const ZONES: [&str; 4] = ["", "1", "2", "3"];

pub(super) fn disks_ui(
    ui: &mut Ui,
    sc: &StepCtx<'_>,
    facts: &RestoreFacts,
    choices: &mut RestoreChoices,
) {
    ui.add(
        egui::Label::new(format!(
            "Restored disks are created in {}, the restore point's region. The point does not keep the source disks' customer-managed keys: pick an encryption set to keep one",
            facts.location
        ))
        .wrap(),
    );
    ui.add_space(4.0);
    let target = choices.target;
    for i in 0..facts.disks.len() {
        let d = &facts.disks[i];
        let vm_zone = disk_zone(facts, choices, i).to_owned();
        let c = &mut choices.disks[i];
        let role = d.role();
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let locked = d.is_os() && target != Target::DisksOnly;
                ui.add_enabled(
                    !locked,
                    egui::Checkbox::new(
                        &mut c.include,
                        format!("Include {role} {}", d.captured_name),
                    ),
                )
                .on_disabled_hover_text("A VM needs its OS disk");
                let mut facts_line = vec![];
                facts_line.extend(d.size_gb.map(|s| SizeGib(s).to_string()));
                facts_line.extend(d.sku.as_ref().map(|s| s.short_label().to_owned()));
                facts_line.push(format!("{} caching", d.caching));
                if d.readiness() == Readiness::InstantAccess {
                    facts_line.push("instant access".into());
                }
                ui.label(RichText::new(facts_line.join(" · ")).weak());
            });
            if !c.include {
                return;
            }
            egui::Grid::new(("restore_disk_fields", i))
                .num_columns(6)
                .spacing([8.0, 4.0])
                .show(ui, |ui| {
                    field_label(ui, "Name");
                    ui.add(egui::TextEdit::singleline(&mut c.name).desired_width(300.0))
                        .accessible_name(format!("{role} name"));
                    field_label(ui, "Type");
                    egui::ComboBox::from_id_salt(("restore_disk_sku", i))
                        .selected_text(c.sku.short_label().to_owned())
                        .width(140.0)
                        .show_ui(ui, |ui| {
                            for sku in StorageAccountType::KNOWN {
                                ui.selectable_value(&mut c.sku, sku.clone(), sku.short_label());
                            }
                        })
                        .response
                        .accessible_name(format!("{role} type"));
                    field_label(ui, "Size (GiB)");
                    ui.add(egui::TextEdit::singleline(&mut c.size_gb).desired_width(70.0))
                        .accessible_name(format!("{role} size"));
                    ui.end_row();
                    field_label(ui, "Resource group");
                    egui::ComboBox::from_id_salt(("restore_disk_rg", i))
                        .selected_text(c.resource_group.clone())
                        .width(300.0)
                        .show_ui(ui, |ui| {
                            for g in &facts.resource_groups {
                                ui.selectable_value(&mut c.resource_group, g.clone(), g);
                            }
                        })
                        .response
                        .accessible_name(format!("{role} resource group"));
                    field_label(ui, "Zone");
                    if target == Target::DisksOnly {
                        egui::ComboBox::from_id_salt(("restore_disk_zone", i))
                            .selected_text(zone_text(&c.zone))
                            .width(140.0)
                            .show_ui(ui, |ui| {
                                for z in ZONES {
                                    ui.selectable_value(&mut c.zone, z.to_owned(), zone_text(z));
                                }
                            })
                            .response
                            .accessible_name(format!("{role} zone"));
                    } else {
                        ui.label(format!("{} (the VM's)", zone_text(&vm_zone)));
                    }
                    ui.end_row();
                });
            ui.horizontal(|ui| {
                field_label(ui, "Encryption set");
                ui.add(
                    egui::TextEdit::singleline(&mut c.disk_encryption_set_id)
                        .hint_text("none: platform-managed keys")
                        .desired_width(f32::INFINITY),
                )
                .accessible_name(format!("{role} encryption set"));
            });
            if let Some(des) = d
                .source_disk
                .as_ref()
                .and_then(|s| s.disk_encryption_set_id.as_ref())
                && c.disk_encryption_set_id.is_empty()
                && ui
                    .small_button("Use the source disk's encryption set")
                    .clicked()
            {
                c.disk_encryption_set_id = des.clone();
            }
            if c.sku.is_ultra_or_premium_v2() && d.caching != crate::model::CachingType::None {
                ui.label(
                    RichText::new(format!(
                        "Host caching off: {} disks do not support it (it was {})",
                        c.sku.short_label(),
                        d.caching
                    ))
                    .small()
                    .color(theme::tone(ui, Tone::Info)),
                );
            }
            field_problems_ui(ui, sc.problems, &Field::Disk(i));
        });
        ui.add_space(2.0);
    }
}

fn field_label(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).weak());
}

fn zone_text(zone: &str) -> String {
    if zone.is_empty() {
        "none".into()
    } else {
        zone.into()
    }
}
