//! The assumptions panel: how full disks are and how fast their data changes, for the
//! fleet, and overridden for a VM or one of its disks.

use egui::{RichText, Ui};

use super::super::state::UiState;
use crate::cost::{Assumptions, CostEstate};

/// Sliders for one set of assumptions, named for screen readers with `whose`.
fn sliders_ui(ui: &mut Ui, a: &mut Assumptions, whose: &str) {
    ui.horizontal(|ui| {
        ui.label("Used");
        ui.add(
            egui::Slider::new(&mut a.used_fraction, 0.01..=1.0)
                .custom_formatter(|v, _| format!("{:.0} %", v * 100.0))
                .custom_parser(|t| {
                    t.trim_end_matches('%')
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .map(|v| v / 100.0)
                }),
        )
        .accessible_name(format!("Used fraction, {whose}"));
        ui.label("Churn");
        ui.add(
            egui::Slider::new(&mut a.daily_churn, 0.0..=0.2)
                .custom_formatter(|v, _| format!("{:.1} %/day", v * 100.0))
                .custom_parser(|t| {
                    t.trim_end_matches("%/day")
                        .trim_end_matches('%')
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .map(|v| v / 100.0)
                }),
        )
        .accessible_name(format!("Daily churn, {whose}"));
    });
}

/// The panel. With `vm` (a lower-case VM id), its own values and its disks' too.
pub fn assumptions_ui(ui: &mut Ui, state: &mut UiState, estate: &CostEstate, vm: Option<&str>) {
    egui::CollapsingHeader::new("Assumptions")
        .id_salt("assumptions")
        .default_open(vm.is_none())
        .show(ui, |ui| {
            ui.add(
                egui::Label::new(
                    RichText::new(
                        "ARM tells each disk's provisioned size, not how full it is nor how fast its data \
                         changes. A disk's first restore point stores its used data; each later one the \
                         data changed since, used × (1 − (1 − churn)^days). Azure Backup documents 2–7 %/day \
                         as typical churn.",
                    )
                    .weak()
                    .small(),
                )
                .wrap(),
            );
            let set = &mut state.cost.assumptions;
            ui.label("Fleet");
            sliders_ui(ui, &mut set.fleet, "fleet");
            let Some(vm) = vm else {
                overrides_ui(ui, state, estate);
                return;
            };
            let mut own = set.vms.contains_key(vm);
            if ui.checkbox(&mut own, "Own values for this VM").changed() {
                if own {
                    let fleet = set.fleet;
                    set.vms.insert(vm.to_owned(), fleet);
                } else {
                    set.vms.remove(vm);
                }
            }
            if let Some(a) = set.vms.get_mut(vm) {
                sliders_ui(ui, a, "this VM");
            }
            for (key, name) in super::tables::disks_of_vm(estate, vm) {
                let mut own = set.disks.contains_key(&key);
                if ui.checkbox(&mut own, format!("Own values for {name}")).changed() {
                    if own {
                        let base = set.for_disk(vm, &key).0;
                        set.disks.insert(key.clone(), base);
                    } else {
                        set.disks.remove(&key);
                    }
                }
                if let Some(a) = set.disks.get_mut(&key) {
                    sliders_ui(ui, a, &name);
                }
            }
        });
}

/// The overrides set in VMs' Cost tabs, each with a way back to the fleet's values.
fn overrides_ui(ui: &mut Ui, state: &mut UiState, estate: &CostEstate) {
    let set = &mut state.cost.assumptions;
    if !set.has_overrides() {
        ui.label(
            RichText::new("No VM or disk has its own values (set them in a VM's Cost tab)")
                .weak()
                .small(),
        );
        return;
    }
    let name_of = |key: &str| -> String { key.rsplit('/').next().unwrap_or(key).to_owned() };
    let mut remove: Option<(bool, String)> = None;
    egui::Grid::new("overrides")
        .num_columns(3)
        .spacing([10.0, 3.0])
        .show(ui, |ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            for (is_vm, map) in [(true, &set.vms), (false, &set.disks)] {
                for (key, a) in map {
                    let kind = if is_vm { "VM" } else { "Disk" };
                    ui.label(format!("{kind} {}", name_of(key)));
                    ui.label(a.describe());
                    if ui.small_button("Use the fleet's").clicked() {
                        remove = Some((is_vm, key.clone()));
                    }
                    ui.end_row();
                }
            }
        });
    if let Some((is_vm, key)) = remove {
        if is_vm {
            set.vms.remove(&key);
        } else {
            set.disks.remove(&key);
        }
    }
    let _ = estate;
}
