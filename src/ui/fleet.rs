//! The fleet view (centre panel): every VM × consistency mode as a green / amber / red
//! grid with counts per verdict, filterable by subscription, region, verdict and rule,
//! and a CSV export. Rows are virtualised; verdicts come from the cache.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::assessments::{FleetRow, VerdictClass, fleet_csv};
use super::inspector::supportability::mode_title;
use super::state::{FleetFilter, UiState};
use super::theme::{self, Tone};
use super::{Command, View};
use crate::inventory::NodeId;
use crate::rules::{Mode, RuleId};

const ROW_HEIGHT: f32 = 22.0;

/// Draws the fleet grid.
pub fn fleet_ui(ui: &mut Ui, view: &View<'_>, state: &mut UiState, commands: &mut Vec<Command>) {
    let rows = state.caches.fleet(view.inventory, view.now_unix).to_vec();
    let shown: Vec<&FleetRow> = rows.iter().filter(|r| state.fleet.matches(r)).collect();
    ui.horizontal(|ui| {
        ui.heading("Fleet supportability");
        ui.label(RichText::new(format!("{} of {} VMs", shown.len(), rows.len())).weak());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Export CSV…")
                .on_hover_text(
                    "Save the VMs shown, with both verdicts and the rules that did not pass",
                )
                .clicked()
            {
                let owned: Vec<FleetRow> = shown.iter().map(|r| (*r).clone()).collect();
                commands.push(Command::ExportFleetCsv {
                    file_name: "rpdesk-fleet-supportability.csv".into(),
                    csv: fleet_csv(&owned, view.inventory),
                });
            }
        });
    });
    counts_ui(ui, &shown);
    filters_ui(ui, view, &rows, &mut state.fleet);
    ui.separator();
    if shown.is_empty() {
        ui.label(RichText::new("No VM matches these filters").weak());
        return;
    }
    // Narrow windows scroll the grid sideways instead of clipping verdicts away.
    egui::ScrollArea::horizontal()
        .id_salt("fleet_h")
        .show(ui, |ui| {
            ui.set_min_width(700.0);
            grid_ui(ui, view, &shown, commands);
        });
}

fn counts_ui(ui: &mut Ui, rows: &[&FleetRow]) {
    egui::Grid::new("fleet_counts")
        .num_columns(5)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for (i, mode) in [Mode::ApplicationConsistent, Mode::CrashConsistent]
                .into_iter()
                .enumerate()
            {
                ui.label(mode_title(mode));
                for class in VerdictClass::ALL {
                    let n = rows
                        .iter()
                        .filter(|r| VerdictClass::of(&r.verdicts[i]) == class)
                        .count();
                    ui.label(
                        RichText::new(format!("{n} {}", class.label().to_lowercase()))
                            .color(theme::tone(ui, class.tone())),
                    );
                }
                ui.end_row();
            }
        });
}

fn filters_ui(ui: &mut Ui, view: &View<'_>, rows: &[FleetRow], filter: &mut FleetFilter) {
    let mut subs: Vec<String> = rows.iter().map(|r| r.subscription_id.clone()).collect();
    subs.dedup();
    let mut regions: Vec<String> = rows.iter().map(|r| r.region.clone()).collect();
    regions.sort();
    regions.dedup();
    let mut rules: Vec<RuleId> = rows
        .iter()
        .flat_map(|r| r.rules.iter().flatten().copied())
        .collect();
    rules.sort();
    rules.dedup();
    let sub_name = |id: &str| {
        view.inventory
            .subs
            .get(id)
            .map(|e| e.subscription.display_name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| id.to_owned())
    };
    ui.horizontal_wrapped(|ui| {
        combo_ui(
            ui,
            "Subscription",
            "fleet_sub",
            &mut filter.subscription_id,
            &subs,
            |s| sub_name(s),
        );
        combo_ui(
            ui,
            "Region",
            "fleet_region",
            &mut filter.region,
            &regions,
            |r| r.clone(),
        );
        combo_ui(
            ui,
            "Verdict",
            "fleet_verdict",
            &mut filter.verdict,
            &VerdictClass::ALL,
            |v| v.label().to_owned(),
        );
        combo_ui(ui, "Rule", "fleet_rule", &mut filter.rule, &rules, |r| {
            r.as_str().to_owned()
        });
        if ui.button("Clear filters").clicked() {
            *filter = FleetFilter::default();
        }
    });
}

/// A labelled combo box over `options`, with "All" for `None`.
fn combo_ui<T: Clone + PartialEq>(
    ui: &mut Ui,
    label: &str,
    id: &str,
    value: &mut Option<T>,
    options: &[T],
    text: impl Fn(&T) -> String,
) {
    let label = ui.label(label);
    let selected = value.as_ref().map_or_else(|| "All".to_owned(), &text);
    let combo = egui::ComboBox::from_id_salt(id)
        .selected_text(selected)
        .width(150.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "All");
            for o in options {
                ui.selectable_value(value, Some(o.clone()), text(o));
            }
        });
    combo.response.labelled_by(label.id);
}

fn grid_ui(ui: &mut Ui, view: &View<'_>, rows: &[&FleetRow], commands: &mut Vec<Command>) {
    let mut open: Option<NodeId> = None;
    TableBuilder::new(ui)
        .id_salt("fleet_grid")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .auto_shrink([false, false])
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(130.0).at_least(80.0).clip(true))
        .column(Column::initial(150.0).at_least(90.0).clip(true))
        .column(Column::initial(150.0).at_least(90.0).clip(true))
        .column(Column::initial(90.0).at_least(60.0).clip(true))
        .column(Column::initial(130.0).at_least(60.0).clip(true))
        .column(Column::remainder().at_least(60.0).clip(true))
        .header(22.0, |mut header| {
            for title in [
                "VM",
                "Application-consistent",
                "Crash-consistent",
                "Region",
                "Subscription",
                "Recommended",
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                let r = rows[row.index()];
                row.col(|ui| {
                    ui.label(r.vm_id.name());
                });
                for (i, verdict) in r.verdicts.iter().enumerate() {
                    row.col(|ui| cell_ui(ui, VerdictClass::of(verdict), r.rules[i].len()));
                }
                row.col(|ui| {
                    ui.label(RichText::new(&r.region).weak());
                });
                row.col(|ui| {
                    let name = view
                        .inventory
                        .subs
                        .get(&r.subscription_id)
                        .map(|e| e.subscription.display_name.as_str())
                        .unwrap_or(r.subscription_id.as_str());
                    ui.label(RichText::new(name).weak());
                });
                row.col(|ui| {
                    ui.label(mode_title(r.recommended));
                });
                if row.response().double_clicked() || row.response().clicked() {
                    open = Some(NodeId::Vm(r.vm_id.clone()));
                }
            });
        });
    if let Some(node) = open {
        commands.push(Command::Reveal(node));
    }
}

/// A filled cell in the verdict's colour, with the number of rules that did not pass.
fn cell_ui(ui: &mut Ui, class: VerdictClass, flagged: usize) {
    let fill = theme::tone(ui, class.tone());
    let text = theme::tone(ui, Tone::OnAccent);
    let short = match class {
        VerdictClass::WithExclusions => "With exclusions",
        other => other.label(),
    };
    // The number of rules that warn or fail, after the verdict.
    let label = if flagged > 0 {
        format!("{short} · {flagged}")
    } else {
        short.to_owned()
    };
    egui::Frame::new()
        .fill(fill)
        .corner_radius(3.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(RichText::new(label).color(text).small().strong());
        });
}

impl FleetFilter {
    /// Whether a row passes every filter.
    pub fn matches(&self, r: &FleetRow) -> bool {
        self.subscription_id
            .as_ref()
            .is_none_or(|s| s.eq_ignore_ascii_case(&r.subscription_id))
            && self.region.as_ref().is_none_or(|g| g == &r.region)
            && self
                .verdict
                .is_none_or(|v| r.verdicts.iter().any(|x| VerdictClass::of(x) == v))
            && self
                .rule
                .is_none_or(|rule| r.rules.iter().any(|list| list.contains(&rule)))
    }
}
