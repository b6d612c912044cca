//! The Supportability tab: for a VM, the verdict of each consistency mode, a row per rule
//! with its outcome, reason and source (the Microsoft document and its words; rpdesk's own
//! advice labelled as such), the disks that will be excluded and why, and when the next
//! restore point is allowed.

use egui::{RichText, Ui};

use super::super::View;
use super::super::assessments::{VerdictClass, VmAssessments, exclusion_reasons, outcome_tone};
use super::super::state::{CreateDialog, UiState};
use super::super::theme::{self, Tone};
use super::super::widgets::{badge_ui, local_time_text};
use crate::inventory::NodeId;
use crate::model::{ResourceId, ago_text};
use crate::rules::{Assessment, Mode, Outcome, RuleId};

/// Draws the Supportability tab.
pub fn supportability_ui(
    ui: &mut Ui,
    view: &View<'_>,
    state: &mut UiState,
    focus: Option<&NodeId>,
) {
    let Some(NodeId::Vm(vm_id)) = focus else {
        ui.label(RichText::new("Select a VM to see what the support matrix allows for it").weak());
        return;
    };
    let Some(both) = state
        .caches
        .assessment(view.inventory, vm_id, view.now_unix)
        .cloned()
    else {
        ui.label(RichText::new("This VM is not loaded yet").weak());
        return;
    };
    ui.heading(vm_id.name());
    verdicts_ui(ui, view, &both);
    if crate::ui::widgets::write_button(ui, view, "Create restore point…")
        .on_hover_text("Choose the mode and disks, then create a restore point for this VM")
        .clicked()
    {
        state.create_dialog = Some(CreateDialog::new(vm_id.clone()));
    }

    if ui
        .button("Export assessment…")
        .on_hover_text("Save this VM's assessment in both modes as JSON or CSV")
        .clicked()
    {
        state.export_dialog = Some(crate::ui::export_dialog::ExportDialog::for_vm(
            vm_id.clone(),
        ));
    }
    ui.add_space(6.0);
    let recommended = both[0].recommended_mode;
    let mode = state.support_mode.unwrap_or(recommended);
    ui.horizontal(|ui| {
        ui.label("Rules for");
        for m in [Mode::ApplicationConsistent, Mode::CrashConsistent] {
            if ui.selectable_label(mode == m, mode_title(m)).clicked() {
                state.support_mode = Some(m);
            }
        }
    });
    let assessment = match mode {
        Mode::ApplicationConsistent => &both[0],
        Mode::CrashConsistent => &both[1],
    };
    excluded_ui(ui, assessment);
    ui.add_space(4.0);
    rules_ui(ui, vm_id, assessment);
}

/// "Application-consistent" / "Crash-consistent".
pub fn mode_title(mode: Mode) -> &'static str {
    match mode {
        Mode::ApplicationConsistent => "Application-consistent",
        Mode::CrashConsistent => "Crash-consistent",
    }
}

fn verdicts_ui(ui: &mut Ui, view: &View<'_>, both: &VmAssessments) {
    egui::Grid::new("support_verdicts")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for a in both {
                let class = VerdictClass::of(&a.verdict);
                let mut title = mode_title(a.mode).to_owned();
                if a.recommended_mode == a.mode {
                    title.push_str(" (recommended)");
                }
                ui.add(egui::Label::new(title).extend());
                verdict_badge_ui(ui, class);
                ui.end_row();
            }
        });
    // Full width under the verdicts: the reason is a sentence, not a grid cell.
    for a in both {
        if let Some((at, why)) = &a.next_allowed {
            ui.add(
                egui::Label::new(format!(
                    "{}: next allowed {} (in {}). {why}",
                    mode_title(a.mode),
                    local_time_text(at.unix_secs()),
                    until_text(at.unix_secs(), view.now_unix)
                ))
                .wrap(),
            );
        }
    }
}

/// A filled badge in the verdict's colour.
pub fn verdict_badge_ui(ui: &mut Ui, class: VerdictClass) {
    let fill = theme::tone(ui, class.tone());
    let text_color = theme::tone(ui, Tone::OnAccent);
    egui::Frame::new()
        .fill(fill)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(RichText::new(class.label()).color(text_color).strong());
        });
}

fn until_text(at: i64, now: i64) -> String {
    // `ago_text` speaks of the past; the future reads the same without "ago".
    ago_text(now, at.max(now))
        .trim_end_matches(" ago")
        .to_owned()
}

fn excluded_ui(ui: &mut Ui, a: &Assessment) {
    let reasons = exclusion_reasons(a);
    if reasons.is_empty() {
        ui.label(RichText::new("No disk will be excluded").weak());
        return;
    }
    ui.strong(format!("Disks excluded ({})", reasons.len()));
    for (disk, why) in reasons {
        ui.horizontal_wrapped(|ui| {
            badge_ui(ui, "excluded", Tone::Warn);
            ui.label(RichText::new(disk).monospace());
            if !why.is_empty() {
                ui.add(egui::Label::new(RichText::new(why.join("; ")).weak()).wrap());
            }
        });
    }
}

fn rules_ui(ui: &mut Ui, vm_id: &ResourceId, a: &Assessment) {
    let (mut applicable, other): (Vec<_>, Vec<_>) = a
        .results
        .iter()
        .partition(|r| r.outcome != Outcome::NotApplicable);
    // What needs attention first: refusals, then warnings, then what passed.
    applicable.sort_by_key(|r| match r.outcome {
        Outcome::Fail => 0,
        Outcome::Warn => 1,
        _ => 2,
    });
    egui::Grid::new(("support_rules", vm_id.as_str(), a.mode))
        .num_columns(2)
        .spacing([8.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            for r in applicable {
                badge_ui(ui, &r.outcome.to_string(), outcome_tone(r.outcome));
                ui.vertical(|ui| {
                    let rule = r.rule.rule();
                    ui.add(egui::Label::new(rule.statement).wrap());
                    ui.add(egui::Label::new(RichText::new(&r.reason).weak().small()).wrap());
                    if let Some(advice) = rule.advice
                        && r.outcome != Outcome::Pass
                    {
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("rpdesk's advice, not Azure's: {advice}"))
                                    .small()
                                    .color(theme::tone(ui, Tone::Info)),
                            )
                            .wrap(),
                        );
                    }
                    source_ui(ui, r.rule);
                });
                ui.end_row();
            }
        });
    egui::CollapsingHeader::new(format!("{} rules not applicable", other.len()))
        .id_salt(("support_na", a.mode))
        .show(ui, |ui| {
            for r in other {
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("{}: {}", r.rule.rule().statement, r.reason))
                            .weak()
                            .small(),
                    )
                    .wrap(),
                )
                .on_hover_text(format!("Source: {}", r.rule.rule().source));
            }
        });
}

/// "Source: seed 002 (Support matrix for VM restore points): “…”", one line per citation.
fn source_ui(ui: &mut Ui, rule: RuleId) {
    for (i, c) in rule.rule().source.citations().iter().enumerate() {
        let text = if i == 0 {
            format!("Source: {c}")
        } else {
            format!("and {c}")
        };
        ui.add(egui::Label::new(RichText::new(text).weak().small().italics()).wrap());
    }
}
