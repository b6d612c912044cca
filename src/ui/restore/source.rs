//! Source: the point, its age and consistency, what is lost by going back to it, and each
//! disk restore point's readiness as the resource itself says.

use egui::{RichText, Ui};

use super::{StepCtx, error_line, field_problems_ui};
use crate::inventory::NodeId;
use crate::model::SizeGib;
use crate::restore::{Field, Readiness, RestoreChoices, RestoreFacts};
use crate::ui::Command;
use crate::ui::badges::mode_badge;
use crate::ui::inspector::consistency::meaning;
use crate::ui::theme::{self, Tone};
use crate::ui::widgets::{badge_ui, time_text};

pub(super) fn source_ui(
    ui: &mut Ui,
    sc: &StepCtx<'_>,
    facts: &RestoreFacts,
    choices: &mut RestoreChoices,
    commands: &mut Vec<Command>,
) {
    let point = &facts.point;
    let props = &point.properties;
    ui.horizontal(|ui| {
        let (text, tone) = mode_badge(props.consistency_mode.as_ref());
        badge_ui(ui, &text, tone);
        ui.strong(point.name());
        ui.label(
            RichText::new(format!(
                "in {} ({})",
                facts.collection_id.name(),
                facts.location
            ))
            .weak(),
        );
    });
    if let Some(t) = facts.point_time() {
        ui.label(format!("Taken {}", time_text(t, sc.view.now_unix)));
        let vm = facts
            .source_vm_id
            .as_ref()
            .map_or("the VM".to_owned(), |v| v.name().to_owned());
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "Changes made to {vm} after {} are not in this point: rolling {vm} back loses them",
                    crate::model::Timestamp::from_unix_secs(t).local_text()
                ))
                .color(theme::tone(ui, Tone::Warn)),
            )
            .wrap(),
        );
    }
    ui.add(egui::Label::new(meaning(props.consistency_mode.as_ref())).wrap());
    if let Some(reason) = &facts.vm_missing_reason {
        ui.add(egui::Label::new(RichText::new(reason).weak()).wrap());
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        ui.strong("Disk restore points");
        if ui
            .small_button("Check again")
            .on_hover_text("Read each disk restore point's state again")
            .clicked()
        {
            commands.push(Command::Retry(NodeId::Point(point.id.clone())));
        }
    });
    let mut any_not_ready = false;
    egui::Grid::new("restore_source_disks")
        .num_columns(5)
        .striped(true)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            for h in ["Disk", "Size", "Type", "Sectors", "State"] {
                ui.label(RichText::new(h).weak());
            }
            ui.end_row();
            for d in &facts.disks {
                ui.label(format!("{} · {}", d.role(), d.captured_name));
                ui.label(
                    d.size_gb
                        .map(|s| SizeGib(s).to_string())
                        .unwrap_or_default(),
                );
                ui.label(
                    d.sku
                        .as_ref()
                        .map(|s| s.short_label().to_owned())
                        .unwrap_or_default(),
                );
                ui.label(
                    d.logical_sector_size
                        .map(|s| format!("{s} B"))
                        .unwrap_or_default(),
                );
                match d.readiness() {
                    Readiness::Ready => badge_ui(ui, "Ready", Tone::Ok),
                    Readiness::InstantAccess => {
                        badge_ui(ui, "Ready · instant access", Tone::Ok);
                    }
                    Readiness::NotReady { reason, percent } => {
                        any_not_ready = true;
                        ui.horizontal(|ui| {
                            if let Some(p) = percent {
                                ui.add(
                                    egui::ProgressBar::new((p / 100.0) as f32)
                                        .desired_width(70.0)
                                        .text(format!("{p:.0}%")),
                                );
                            }
                            badge_ui(ui, "Not ready", Tone::Warn);
                        })
                        .response
                        .on_hover_text(reason);
                    }
                    Readiness::Unknown => {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label(RichText::new("Checking…").weak());
                        });
                    }
                }
                ui.end_row();
            }
        });
    for (i, _) in facts.disks.iter().enumerate() {
        field_problems_ui(ui, sc.problems, &Field::Disk(i));
    }
    if let Some(p) = sc
        .problems
        .iter()
        .find(|p| p.field == Field::General && p.stage == crate::restore::Stage::Source)
    {
        error_line(ui, &p.message);
    }
    if any_not_ready || choices.wait_until_ready {
        ui.add_space(6.0);
        ui.checkbox(
            &mut choices.wait_until_ready,
            "Wait until ready, then restore",
        )
        .on_hover_text(
            "The run polls each disk restore point and restores it once Azure allows (Cancel stops the wait)",
        );
    }
    // The source disk has a customer-managed key that its disk restore point does not
    // (the point was created with platform-managed keys, as Azure does by default).
    let lost_key = facts.disks.iter().any(|d| {
        d.source_disk
            .as_ref()
            .is_some_and(|s| s.disk_encryption_set_id.is_some())
            && !d
                .encryption_type
                .as_deref()
                .is_some_and(|t| t.contains("CustomerKey"))
    });
    if lost_key {
        ui.add(
            egui::Label::new(
                RichText::new(
                    "The source disks are encrypted with a customer-managed key that this restore point does not keep (its disk restore points use platform-managed keys): the Disks step offers the source disk's encryption set",
                )
                .color(theme::tone(ui, Tone::Info)),
            )
            .wrap(),
        );
    }
}
