//! Two retention policies side by side: how often, how long, which mode, instant access,
//! which disks are left out; then what each costs once steady, the difference per month
//! and per year, and what a clean-up to each would free now.

use egui::{RichText, Ui};

use super::super::state::UiState;
use super::super::theme::{self, Tone};
use crate::cost::{CostModel, Policy, Retention, format_gib, format_money};
use crate::rules::Mode;

const NAMES: [&str; 2] = ["policy A", "policy B"];

/// The two policy editors in a grid: a row per setting, a column per policy; with `disks`
/// (a VM's, as (id, name)), a table to leave disks out of each policy's new points.
pub fn policies_ui(ui: &mut Ui, state: &mut UiState, disks: Option<&[(String, String)]>) {
    let policies = &mut state.cost.policies;
    egui::Grid::new("policies")
        .num_columns(3)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            ui.label("");
            ui.strong("Policy A");
            ui.strong("Policy B");
            ui.end_row();

            ui.label("Every");
            for (i, p) in policies.iter_mut().enumerate() {
                ui.add(
                    egui::DragValue::new(&mut p.every_hours)
                        .range(1..=24 * 30)
                        .suffix(" h"),
                )
                .accessible_name(format!("Hours between points, {}", NAMES[i]));
            }
            ui.end_row();

            ui.label("Keep");
            for (i, p) in policies.iter_mut().enumerate() {
                keep_ui(ui, p, NAMES[i]);
            }
            ui.end_row();

            ui.label("Mode");
            for (i, p) in policies.iter_mut().enumerate() {
                egui::ComboBox::from_id_salt(("mode", i))
                    .selected_text(mode_text(p.mode))
                    .width(120.0)
                    .show_ui(ui, |ui| {
                        for mode in [Mode::ApplicationConsistent, Mode::CrashConsistent] {
                            ui.selectable_value(&mut p.mode, mode, mode_text(mode));
                        }
                    })
                    .response
                    .accessible_name(format!("Consistency, {}", NAMES[i]));
            }
            ui.end_row();

            ui.label("Instant access");
            for (i, p) in policies.iter_mut().enumerate() {
                ui.horizontal(|ui| {
                    ui.checkbox(&mut p.instant_access, "")
                        .accessible_name(format!("Instant access, {}", NAMES[i]));
                    if p.instant_access {
                        ui.add(
                            egui::DragValue::new(&mut p.instant_access_minutes)
                                .range(60..=300)
                                .suffix(" min"),
                        )
                        .accessible_name(format!("Instant access minutes, {}", NAMES[i]));
                    }
                });
            }
            ui.end_row();

            if disks.is_none() && policies.iter().any(|p| !p.excluded_disks.is_empty()) {
                ui.label("Left out");
                for p in policies.iter_mut() {
                    ui.horizontal(|ui| {
                        ui.label(format!("{} disk(s)", p.excluded_disks.len()));
                        if ui.small_button("Include all").clicked() {
                            p.excluded_disks.clear();
                        }
                    });
                }
                ui.end_row();
            }

            ui.label("");
            for p in policies.iter() {
                let problems = p.problems();
                ui.vertical(|ui| {
                    ui.set_max_width(220.0);
                    for problem in problems {
                        ui.add(
                            egui::Label::new(
                                RichText::new(problem)
                                    .small()
                                    .color(theme::tone(ui, Tone::Error)),
                            )
                            .wrap(),
                        );
                    }
                });
            }
            ui.end_row();
        });
    if let Some(disks) = disks.filter(|d| !d.is_empty()) {
        excluded_ui(ui, &mut state.cost.policies, disks);
    }
}

/// A disk per row, a checkbox per policy: left out of that policy's new points.
fn excluded_ui(ui: &mut Ui, policies: &mut [Policy; 2], disks: &[(String, String)]) {
    ui.label(RichText::new("Leave disks out of new points").weak());
    egui::Grid::new("excluded_disks")
        .num_columns(3)
        .spacing([12.0, 2.0])
        .show(ui, |ui| {
            ui.strong("A");
            ui.strong("B");
            ui.label("");
            ui.end_row();
            for (key, name) in disks {
                for (i, p) in policies.iter_mut().enumerate() {
                    let mut out = p.excluded_disks.contains(key);
                    if ui
                        .checkbox(&mut out, "")
                        .accessible_name(format!("Leave {name} out, {}", NAMES[i]))
                        .changed()
                    {
                        if out {
                            p.excluded_disks.insert(key.clone());
                        } else {
                            p.excluded_disks.remove(key);
                        }
                    }
                }
                ui.add(egui::Label::new(name.as_str()).truncate())
                    .on_hover_text(name.as_str());
                ui.end_row();
            }
        });
}

fn mode_text(mode: Mode) -> &'static str {
    match mode {
        Mode::ApplicationConsistent => "Application-consistent",
        Mode::CrashConsistent => "Crash-consistent",
    }
}

/// Keep N points or N days.
fn keep_ui(ui: &mut Ui, p: &mut Policy, name: &str) {
    ui.horizontal(|ui| {
        let (mut n, days) = match p.retention {
            Retention::Count(n) => (n, false),
            Retention::Days(d) => (d, true),
        };
        let what = if days { "Days kept" } else { "Points kept" };
        ui.add(egui::DragValue::new(&mut n).range(1..=3650))
            .accessible_name(format!("{what}, {name}"));
        let mut by_days = days;
        egui::ComboBox::from_id_salt(("keep", name))
            .selected_text(if by_days { "days" } else { "points" })
            .width(70.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut by_days, false, "points");
                ui.selectable_value(&mut by_days, true, "days");
            })
            .response
            .accessible_name(format!("Keep by, {name}"));
        p.retention = if by_days {
            Retention::Days(n)
        } else {
            Retention::Count(n)
        };
    });
}

/// What each policy costs once steady, the difference, instant access, the clean-ups.
pub fn outcome_ui(ui: &mut Ui, model: &CostModel) {
    let currency = &model.inputs.prices.currency;
    let m = |v: f64| format_money(v, currency);
    for (i, p) in model.projections.iter().enumerate() {
        let policy = &model.inputs.policies[i];
        ui.label(
            RichText::new(format!(
                "Policy {}: {} per month once steady",
                ["A", "B"][i],
                m(p.steady.money)
            ))
            .strong(),
        );
        ui.label(
            RichText::new(format!(
                "{}; only its own points kept after {:.0} days; {} retained",
                policy.describe(),
                p.steady_after_days,
                format_gib(p.steady.gib)
            ))
            .weak()
            .small(),
        );
        if let Some(ia) = &p.instant_access {
            let price = ia
                .money
                .map(|v| format!("{} per month", m(v)))
                .unwrap_or_else(|| {
                    "price unknown (the price list has no instant access row)".into()
                });
            ui.label(
                RichText::new(format!(
                    "Instant access on {} disk(s): about {:.1} GB-months more per month, {price}; each restore from an instant access snapshot also bears a one-time fee on the disk's provisioned size",
                    ia.disks, ia.gib_months_per_month
                ))
                .small(),
            );
        }
    }
    let diff = model.comparison;
    let text = if diff.per_month.abs() < 0.005 && diff.first_year.abs() < 0.005 {
        "Policies A and B cost the same".to_owned()
    } else {
        let (word, sign) = if diff.per_month >= 0.0 {
            ("more", 1.0)
        } else {
            ("less", -1.0)
        };
        format!(
            "Policy A costs {} per month {word} than policy B once both are steady ({} over the first year)",
            m(sign * diff.per_month),
            m(sign * diff.first_year)
        )
    };
    ui.label(RichText::new(text).color(theme::tone(ui, Tone::Info)));
    for (i, c) in model.cleanups.iter().enumerate() {
        let text = if c.points.is_empty() {
            format!(
                "A clean-up to policy {} would delete nothing now",
                ["A", "B"][i]
            )
        } else {
            format!(
                "A clean-up to policy {} would free {} ({} per month) now: {} points in {} collections",
                ["A", "B"][i],
                format_gib(c.freed.gib),
                m(c.freed.money),
                c.points.len(),
                c.collections
            )
        };
        ui.label(text);
    }
}
