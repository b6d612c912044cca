//! Review: what will be created and what it stores, the exact ARM calls in order, the
//! equivalent `az` commands, the downtime of a swap, and the reason (required); for a swap
//! the operator types the VM's name.

use std::collections::BTreeMap;

use egui::{RichText, Ui};

use super::{StepCtx, warn_line};
use crate::model::SizeGib;
use crate::restore::{RestoreChoices, RestoreFacts, Target};
use crate::ui::Command;
use crate::ui::theme::{self, Tone};
use crate::ui::widgets::time_text;

pub(super) fn review_ui(
    ui: &mut Ui,
    sc: &StepCtx<'_>,
    facts: &RestoreFacts,
    choices: &mut RestoreChoices,
    salt: u16,
    commands: &mut Vec<Command>,
) {
    let run_id = crate::restore::names::run_id(facts.now_unix, salt);
    // The reason and the typed name are this step's own fields: plan without them, so the
    // calls show while they are typed.
    let mut draft = choices.clone();
    draft.reason = "draft".into();
    if let Some(live) = &facts.live_vm {
        draft.confirm_name = live.vm.name.clone();
    }
    reason_ui(ui, facts, choices);
    ui.add_space(8.0);
    match crate::restore::plan(facts, &draft, &run_id, sc.view.connection_key) {
        Err(problems) => {
            for p in problems {
                super::error_line(ui, &p.message);
            }
        }
        Ok(plan) => plan_ui(ui, sc, facts, &plan, commands),
    }
}

/// The reason (required) and, for a swap, the VM's name typed.
fn reason_ui(ui: &mut Ui, facts: &RestoreFacts, choices: &mut RestoreChoices) {
    let l = ui.strong("Reason");
    ui.add(
        egui::TextEdit::multiline(&mut choices.reason)
            .hint_text("The incident or change ticket, and why this point")
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(l.id);
    if choices.target == Target::Swap
        && let Some(live) = &facts.live_vm
    {
        ui.add_space(6.0);
        let l = ui.label(
            RichText::new(format!(
                "Type {} to confirm the rollback in place",
                live.vm.name
            ))
            .color(theme::tone(ui, Tone::Warn)),
        );
        ui.add(egui::TextEdit::singleline(&mut choices.confirm_name).desired_width(260.0))
            .labelled_by(l.id);
    }
}

fn plan_ui(
    ui: &mut Ui,
    sc: &StepCtx<'_>,
    facts: &RestoreFacts,
    plan: &crate::restore::Plan,
    commands: &mut Vec<Command>,
) {
    let total: i64 = plan.disks.iter().map(|d| d.size_gb).sum();
    let age = facts
        .point_time()
        .map(|t| format!(", taken {}", time_text(t, sc.view.now_unix)))
        .unwrap_or_default();
    let target = match plan.target {
        Target::DisksOnly => "as unattached disks".to_owned(),
        Target::NewVm => format!(
            "into a new VM {}",
            plan.vm_id.as_ref().map(|v| v.name()).unwrap_or_default()
        ),
        Target::Swap => format!(
            "into {}, in place",
            plan.vm_id.as_ref().map(|v| v.name()).unwrap_or_default()
        ),
    };
    ui.add(
        egui::Label::new(format!(
            "Restores {} disk(s), {} in all, from {}{age}, {target}. Run id {}",
            plan.disks.len(),
            SizeGib(total as f64),
            facts.point.name(),
            plan.run_id
        ))
        .wrap(),
    );
    ui.add_space(4.0);
    ui.strong("Storage the run creates");
    let mut by_sku: BTreeMap<String, (usize, i64)> = BTreeMap::new();
    for d in &plan.disks {
        let e = by_sku.entry(d.sku.short_label().to_owned()).or_default();
        e.0 += 1;
        e.1 += d.size_gb;
    }
    for (sku, (n, gib)) in by_sku {
        ui.label(format!("{n} × {sku}: {} provisioned", SizeGib(gib as f64)));
    }
    ui.label(
        RichText::new(
            "Managed disks are billed per month for their provisioned size and type, from the moment they exist; the prices arrive with the cost review",
        )
        .small()
        .weak(),
    );
    if let Some(d) = &plan.downtime {
        ui.add_space(4.0);
        ui.add(egui::Label::new(RichText::new(d).color(theme::tone(ui, Tone::Warn))).wrap());
    }
    for w in &plan.warnings {
        warn_line(ui, &format!("⚠ {w}"));
    }
    ui.add_space(6.0);
    egui::CollapsingHeader::new(format!("ARM calls, in order ({})", plan.calls().count()))
        .id_salt("restore_calls")
        .default_open(true)
        .show(ui, |ui| {
            for (i, step) in plan.steps.iter().enumerate() {
                let after = if step.depends_on.is_empty() {
                    String::new()
                } else {
                    format!(
                        "  (after {})",
                        step.depends_on
                            .iter()
                            .map(|d| (d + 1).to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                ui.label(RichText::new(format!("{}. {}{after}", i + 1, step.title)).strong());
                for call in &step.calls {
                    egui::CollapsingHeader::new(RichText::new(call.summary()).monospace().small())
                        .id_salt(("restore_call", i, call.path.as_str()))
                        .show(ui, |ui| {
                            let body = call
                                .body
                                .as_ref()
                                .map(|b| serde_json::to_string_pretty(b).unwrap_or_default())
                                .unwrap_or_else(|| "(no body)".into());
                            let mut shown = body.as_str();
                            ui.add(
                                egui::TextEdit::multiline(&mut shown)
                                    .code_editor()
                                    .desired_width(f32::INFINITY),
                            );
                        });
                }
            }
        });
    let az: Vec<String> = crate::restore::az::commands(plan)
        .into_iter()
        .map(|c| c.text)
        .collect();
    super::super::widgets::az_commands_ui(ui, "restore_az", &az, false, commands);
}
