//! The cost tables: the most expensive collections and VMs, totals per level, a
//! collection's (or a VM's) points with each one's share as a bar, a point's disk restore
//! points and what deleting it would free.

use std::collections::HashSet;

use egui::{RichText, Ui};

use super::super::Command;
use crate::cost::{
    Amount, CostEstate, CostModel, format_gib, format_money, freed_by_deleting_points,
};
use crate::inventory::NodeId;
use crate::model::{ResourceId, ago_text};

/// A table cell that never wraps or truncates (the panel scrolls instead).
fn cell(ui: &mut Ui, text: impl Into<egui::WidgetText>) -> egui::Response {
    ui.add(egui::Label::new(text).extend())
}

/// Widest a name cell gets in the narrow inspector; longer names are cut with "…" and
/// shown whole on hover.
const NAME_WIDTH: f32 = 150.0;

/// A name cell, cut to [`NAME_WIDTH`] (whole on hover); `link` makes it clickable, in
/// the link colour.
fn name_cell(ui: &mut Ui, text: &str, link: bool) -> egui::Response {
    ui.scope(|ui| {
        ui.set_max_width(NAME_WIDTH);
        let (rich, sense) = if link {
            (
                RichText::new(text).color(ui.visuals().hyperlink_color),
                egui::Sense::click(),
            )
        } else {
            (RichText::new(text), egui::Sense::hover())
        };
        ui.add(egui::Label::new(rich).truncate().sense(sense))
    })
    .inner
}

/// A striped grid with a header row; cells never wrap (names are cut by `name_cell`).
fn table_ui(ui: &mut Ui, id: &str, headers: &[&str], rows: impl FnOnce(&mut Ui)) {
    egui::Grid::new(id)
        .num_columns(headers.len())
        .spacing([10.0, 3.0])
        .striped(true)
        .show(ui, |ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            for h in headers {
                cell(ui, RichText::new(*h).weak());
            }
            ui.end_row();
            rows(ui);
        });
}

/// A share of a whole as a small bar with its percentage.
fn share_ui(ui: &mut Ui, part: f64, whole: f64) {
    let share = if whole > 0.0 {
        (part / whole).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ui.add(
        egui::ProgressBar::new(share as f32)
            .desired_width(90.0)
            .desired_height(12.0)
            .text(RichText::new(format!("{:.0} %", share * 100.0)).small()),
    );
}

fn money(model: &CostModel, value: f64) -> String {
    format_money(value, &model.inputs.prices.currency)
}

/// The most expensive collections of the scope; a click opens one.
pub fn top_collections_ui(
    ui: &mut Ui,
    estate: &CostEstate,
    model: &CostModel,
    rows: usize,
    commands: &mut Vec<Command>,
) {
    let r = &model.rollup;
    ui.strong("Most expensive collections");
    table_ui(
        ui,
        "top_collections",
        &["Collection", "Stores", "Per month", "Share"],
        |ui| {
            for ci in r.collections.iter().take(rows) {
                let c = &estate.collections[*ci];
                let a = r.by_collection[*ci];
                let link = name_cell(ui, &c.name, true).on_hover_text(format!(
                    "{} of {} · {} points · {}",
                    c.name,
                    c.vm_name,
                    estate.collection_points[*ci].len(),
                    c.region
                ));
                if link.clicked()
                    && let Ok(id) = ResourceId::parse(&c.id)
                {
                    commands.push(Command::Reveal(NodeId::Collection(id)));
                }
                cell(ui, format_gib(a.gib));
                cell(ui, money(model, a.money));
                share_ui(ui, a.money, r.total.money);
                ui.end_row();
            }
        },
    );
    more_ui(ui, r.collections.len(), rows, "collections");
}

fn more_ui(ui: &mut Ui, total: usize, shown: usize, what: &str) {
    if total > shown {
        ui.label(
            RichText::new(format!(
                "and {} more {what} (in the CSV export)",
                total - shown
            ))
            .weak()
            .small(),
        );
    }
}

/// The most expensive VMs of the scope.
pub fn top_vms_ui(ui: &mut Ui, model: &CostModel, rows: usize) {
    let r = &model.rollup;
    ui.strong("Most expensive VMs");
    table_ui(
        ui,
        "top_vms",
        &["VM", "Stores", "Per month", "Share"],
        |ui| {
            for n in r.by_vm.iter().take(rows) {
                name_cell(ui, &n.label, false)
                    .on_hover_text(format!("{}: {} restore points", n.label, n.points));
                cell(ui, format_gib(n.amount.gib));
                cell(ui, money(model, n.amount.money));
                share_ui(ui, n.amount.money, r.total.money);
                ui.end_row();
            }
        },
    );
    more_ui(ui, r.by_vm.len(), rows, "VMs");
}

/// Totals per subscription, resource group and region.
pub fn levels_ui(ui: &mut Ui, model: &CostModel) {
    let r = &model.rollup;
    egui::CollapsingHeader::new("By subscription, resource group and region")
        .id_salt("levels")
        .default_open(false)
        .show(ui, |ui| {
            table_ui(
                ui,
                "levels_grid",
                &["Level", "Name", "Stores", "Per month", "Share"],
                |ui| {
                    for (level, rows) in [
                        ("Subscription", &r.by_subscription),
                        ("Resource group", &r.by_group),
                        ("Region", &r.by_region),
                    ] {
                        for n in rows.iter().take(10) {
                            cell(ui, RichText::new(level).weak());
                            cell(ui, &n.label);
                            cell(ui, format_gib(n.amount.gib));
                            cell(ui, money(model, n.amount.money));
                            share_ui(ui, n.amount.money, r.total.money);
                            ui.end_row();
                        }
                    }
                },
            );
        });
}

/// Points of the scope, newest first, each with its share of its collection as a bar.
pub fn points_ui(ui: &mut Ui, estate: &CostEstate, model: &CostModel, now_unix: i64, rows: usize) {
    let r = &model.rollup;
    let mut points: Vec<usize> = r
        .collections
        .iter()
        .flat_map(|ci| estate.collection_points[*ci].iter().copied())
        .collect();
    points.sort_by_key(|p| std::cmp::Reverse(estate.points[*p].time_unix));
    ui.strong("Restore points");
    ui.label(
        RichText::new(
            "The first point of a disk stores its used data; each later one only what changed since",
        )
        .weak()
        .small(),
    );
    table_ui(
        ui,
        "points",
        &["Point", "Stores", "Per month", "Share"],
        |ui| {
            for p in points.iter().take(rows) {
                let point = &estate.points[*p];
                let a = r.by_point[*p];
                name_cell(ui, point.name(), false).on_hover_text(format!(
                    "{}, {}",
                    point.name(),
                    ago_text(point.time_unix, now_unix)
                ));
                cell(ui, format_gib(a.gib));
                cell(ui, money(model, a.money));
                share_ui(ui, a.money, r.by_collection[point.collection].money);
                ui.end_row();
            }
        },
    );
    more_ui(ui, points.len(), rows, "points");
}

/// A collection's points with their shares, and what deleting it would free.
pub fn collection_ui(ui: &mut Ui, estate: &CostEstate, model: &CostModel, id: &str, now_unix: i64) {
    points_ui(ui, estate, model, now_unix, 60);
    if let Some(ci) = estate.collection_index(id) {
        let all: HashSet<usize> = estate.collection_points[ci].iter().copied().collect();
        let freed = freed_by_deleting_points(estate, &model.estimate, &all);
        ui.label(format!(
            "Deleting this collection would free {} ({} per month)",
            format_gib(freed.gib),
            money(model, freed.money)
        ));
    }
}

/// A point's disk restore points, and what deleting it would free.
pub fn point_ui(ui: &mut Ui, estate: &CostEstate, model: &CostModel, id: &str) {
    let Some(p) = estate.point_index(id) else {
        ui.label(RichText::new("This point captured no disks rpdesk can size").weak());
        return;
    };
    let own = model.rollup.by_point[p];
    let collection = model.rollup.by_collection[estate.points[p].collection];
    ui.strong("Disk restore points");
    table_ui(
        ui,
        "disk_points",
        &["Disk", "Stores", "Per month", "Share"],
        |ui| {
            for (f, pos) in estate.families_of_point(p) {
                let a = model.estimate.disk_point(estate, *f, *pos);
                let family = &estate.families[*f];
                let role = if *pos == 0 {
                    "its used data"
                } else {
                    "changes since the point before"
                };
                name_cell(ui, &family.disk_name, false).on_hover_text(format!(
                    "{}: {} GiB provisioned, {}; stores {role}",
                    family.disk_name, family.provisioned_gib, family.storage_type
                ));
                cell(ui, format_gib(a.gib));
                cell(ui, money(model, a.money));
                share_ui(ui, a.money, own.money);
                ui.end_row();
            }
        },
    );
    let freed: Amount = freed_by_deleting_points(estate, &model.estimate, &HashSet::from([p]));
    ui.label(format!(
        "This point stores {} ({} per month), {:.0} % of its collection",
        format_gib(own.gib),
        money(model, own.money),
        if collection.money > 0.0 {
            own.money / collection.money * 100.0
        } else {
            0.0
        }
    ));
    ui.label(format!(
        "Deleting it would free {} ({} per month): its changes move into the next point",
        format_gib(freed.gib),
        money(model, freed.money)
    ));
}

/// The disks a VM's points captured: (lower-case id, name), by name.
pub fn disks_of_vm(estate: &CostEstate, vm_key: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = estate
        .families
        .iter()
        .filter(|f| estate.collections[f.collection].vm_key == vm_key)
        .map(|f| (f.disk_key.clone(), f.disk_name.clone()))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out.dedup();
    out
}
