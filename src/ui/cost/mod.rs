//! The cost views: the fleet Cost view (centre panel, beside Fleet) and the inspector's
//! Cost tab (a VM, a collection, a point, a resource group or a subscription). Both show
//! which prices they use and from when, the retained size and its monthly cost, the most
//! expensive parts, two retention policies side by side with their projection and
//! difference, what a clean-up to each would free now, the assumptions, and CSV exports.
//! Figures come from [`crate::cost`], computed off the UI thread (see `cache`).

mod assumptions;
pub mod cache;
mod export;
mod plot;
mod policy;
mod tables;

use std::sync::Arc;

use egui::{RichText, Ui};

pub use cache::{CostCaches, CostSlot};

use super::state::UiState;
use super::theme::{self, Tone};
use super::{Command, View};
use crate::cost::{
    CURRENCIES, CostEstate, CostInputs, CostModel, PriceBook, Scope, format_gib, format_money,
};
use crate::inventory::{NodeId, cost_scope};

/// What a view has to draw with.
struct Prepared {
    estate: Arc<CostEstate>,
    /// The newest figures for this scope (maybe for older inputs).
    model: Option<Arc<CostModel>>,
    /// Newer figures are being computed.
    updating: bool,
}

/// Builds the estate, asks for prices and figures as needed, and returns what is ready.
fn prepare(
    view: &View<'_>,
    state: &mut UiState,
    slot: CostSlot,
    scope: Scope,
    commands: &mut Vec<Command>,
) -> Prepared {
    let estate = state.caches.cost.estate(view.inventory, view.now_unix);
    let regions = state.caches.cost.regions().to_vec();
    let currency = state.cost.currency.clone();
    let wanted = (currency.clone(), regions.clone());
    if !regions.is_empty()
        && !view.prices.loading
        && view.prices.requested.as_ref() != Some(&wanted)
    {
        commands.push(Command::LoadPrices {
            currency,
            regions,
            refresh: false,
        });
    }
    let inputs = CostInputs {
        scope: scope.clone(),
        assumptions: state.cost.assumptions.clone(),
        prices: view.prices.book.clone().unwrap_or_else(PriceBook::embedded),
        policies: state.cost.policies.clone(),
        stack: state.cost.stack_by,
        // Projections move with the hour, not the second (a fleet's take a while).
        now_unix: view.now_unix - view.now_unix.rem_euclid(3600),
    };
    let (model, updating, start) = state.caches.cost.model(slot, inputs);
    commands.extend(start);
    Prepared {
        estate,
        model: model.filter(|m| m.inputs.scope == scope),
        updating: updating || view.prices.loading,
    }
}

/// The fleet's cost estate and its newest figures (computed off the UI thread, as for
/// the fleet Cost view), for what a delete or a clean-up frees.
pub fn fleet_figures(
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) -> (Arc<CostEstate>, Option<Arc<CostModel>>) {
    let p = prepare(view, state, CostSlot::Fleet, Scope::Fleet, commands);
    (p.estate, p.model)
}

/// Draws the fleet Cost view.
pub fn cost_view_ui(
    ui: &mut Ui,
    view: &View<'_>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    let p = prepare(view, state, CostSlot::Fleet, Scope::Fleet, commands);
    ui.horizontal(|ui| {
        ui.heading("Retention cost");
        ui.label(
            RichText::new(format!(
                "{} · {}",
                count(p.estate.collections.len(), "collection"),
                count(p.estate.points.len(), "restore point")
            ))
            .weak(),
        );
        if let Some(model) = &p.model {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                export::export_menu_ui(ui, &p.estate, model, "fleet", commands);
            });
        }
    });
    let unread = view.inventory.progress().collections_on_demand;
    if unread > 0 {
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "Not counted: {} collections whose restore points were not read (near Azure's limit of collections they are read on demand; Leaks reads them)",
                    crate::model::count_text(unread)
                ))
                .small()
                .color(super::theme::tone(ui, super::theme::Tone::Warn)),
            )
            .wrap(),
        );
    }
    prices_ui(ui, view, state, commands);
    export::path_field_ui(ui, state, &p, commands);
    ui.separator();
    if p.estate.points.is_empty() {
        ui.label(RichText::new("No restore points are loaded yet").weak());
        return;
    }
    let Some(model) = p.model.clone() else {
        computing_ui(ui);
        return;
    };
    let currency = model.inputs.prices.currency.clone();
    totals_ui(
        ui,
        &model,
        p.updating,
        state.caches.cost.elapsed(CostSlot::Fleet),
    );
    egui::ScrollArea::vertical()
        .id_salt("cost_view")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.columns(2, |cols| {
                tables::top_collections_ui(&mut cols[0], &p.estate, &model, 8, commands);
                tables::top_vms_ui(&mut cols[1], &model, 8);
            });
            ui.add_space(6.0);
            tables::levels_ui(ui, &model);
            ui.separator();
            if std::mem::take(&mut state.cost.scroll_to_policies) {
                ui.scroll_to_cursor(Some(egui::Align::TOP));
            }
            ui.heading("Retention policies");
            policy::policies_ui(ui, state, None);
            policy::outcome_ui(ui, &model);
            plot::projection_ui(ui, "cost_view_plot", state, &model, &currency, 300.0);
            ui.separator();
            assumptions::assumptions_ui(ui, state, &p.estate, None);
        });
}

/// Draws the Cost tab for the focused node.
pub fn cost_tab_ui(
    ui: &mut Ui,
    view: &View<'_>,
    state: &mut UiState,
    focus: Option<&NodeId>,
    commands: &mut Vec<Command>,
) {
    let Some(node) = focus else {
        ui.label(
            RichText::new(
                "Select a VM, a collection, a restore point or a subscription to see what it costs",
            )
            .weak(),
        );
        return;
    };
    // Sentences wrap in the narrow inspector; tables keep their cells whole.
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
    let scope = cost_scope(node);
    let p = prepare(view, state, CostSlot::Tab, scope.clone(), commands);
    prices_ui(ui, view, state, commands);
    export::path_field_ui(ui, state, &p, commands);
    ui.separator();
    let Some(model) = p.model.clone() else {
        if p.estate.points.is_empty() {
            ui.label(RichText::new("No restore points are loaded yet").weak());
        } else {
            computing_ui(ui);
        }
        return;
    };
    if model.rollup.points == 0 {
        ui.label(RichText::new("No restore points here: nothing is retained").weak());
        return;
    }
    let currency = model.inputs.prices.currency.clone();
    if matches!(node, NodeId::Point(_) | NodeId::DiskPoint(_)) {
        ui.label(RichText::new("Its collection").weak());
    }
    totals_ui(
        ui,
        &model,
        p.updating,
        state.caches.cost.elapsed(CostSlot::Tab),
    );
    let vm = match node {
        NodeId::Vm(id) => Some(id.as_str().to_ascii_lowercase()),
        _ => None,
    };
    match node {
        NodeId::Point(id) => tables::point_ui(ui, &p.estate, &model, id.as_str()),
        NodeId::DiskPoint(id) => {
            if let Some(point) = id.parent() {
                tables::point_ui(ui, &p.estate, &model, point.as_str());
            }
        }
        NodeId::Collection(id) => {
            tables::collection_ui(ui, &p.estate, &model, id.as_str(), view.now_unix)
        }
        NodeId::Vm(_) => {
            tables::top_collections_ui(ui, &p.estate, &model, 8, commands);
            tables::points_ui(ui, &p.estate, &model, view.now_unix, 12);
        }
        _ => {
            tables::top_collections_ui(ui, &p.estate, &model, 8, commands);
            tables::top_vms_ui(ui, &model, 8);
        }
    }
    if !matches!(node, NodeId::Point(_) | NodeId::DiskPoint(_)) {
        ui.separator();
        ui.strong("Retention policies");
        let disks = vm.as_deref().map(|v| tables::disks_of_vm(&p.estate, v));
        policy::policies_ui(ui, state, disks.as_deref());
        policy::outcome_ui(ui, &model);
        plot::projection_ui(ui, "cost_tab_plot", state, &model, &currency, 220.0);
        ui.separator();
        assumptions::assumptions_ui(ui, state, &p.estate, vm.as_deref());
    }
    ui.add_space(6.0);
    let name = node.resource_id().map_or_else(
        || node.subscription_id().to_owned(),
        |id| id.name().to_owned(),
    );
    export::export_menu_ui(ui, &p.estate, &model, &name, commands);
}

/// "1 collection", "3 collections".
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn computing_ui(ui: &mut Ui) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label("Computing the cost figures…");
    });
}

/// Which prices are used and from when, the currency, and a refresh.
fn prices_ui(ui: &mut Ui, view: &View<'_>, state: &mut UiState, commands: &mut Vec<Command>) {
    let text = match &view.prices.book {
        Some(book) => format!("Prices: {}", book.describe()),
        None if view.prices.loading => "Prices: loading…".to_owned(),
        None => format!(
            "Prices: {} (until the price list is loaded)",
            PriceBook::embedded().describe()
        ),
    };
    ui.horizontal_wrapped(|ui| {
        ui.add(egui::Label::new(RichText::new(text).small()).wrap());
        if view.prices.loading {
            ui.spinner();
        }
    });
    if let Some(note) = view.prices.book.as_ref().and_then(|b| b.note.as_deref()) {
        ui.add(
            egui::Label::new(
                RichText::new(note)
                    .small()
                    .color(theme::tone(ui, Tone::Warn)),
            )
            .wrap(),
        );
    }
    ui.horizontal(|ui| {
        let label = ui.label("Currency");
        egui::ComboBox::from_id_salt("currency")
            .selected_text(state.cost.currency.as_str())
            .width(70.0)
            .show_ui(ui, |ui| {
                for c in CURRENCIES {
                    ui.selectable_value(&mut state.cost.currency, (*c).to_owned(), *c);
                }
            })
            .response
            .labelled_by(label.id);
        let regions = state.caches.cost.regions().to_vec();
        if ui
            .add_enabled(!view.prices.loading, egui::Button::new("Refresh prices"))
            .on_hover_text("Ask the price list again instead of using prices cached today")
            .clicked()
        {
            commands.push(Command::LoadPrices {
                currency: state.cost.currency.clone(),
                regions,
                refresh: true,
            });
        }
    });
}

/// Retained now, its monthly cost, and what it covers.
fn totals_ui(ui: &mut Ui, model: &CostModel, updating: bool, elapsed: Option<std::time::Duration>) {
    let r = &model.rollup;
    let currency = &model.inputs.prices.currency;
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "{} per month",
                format_money(r.total.money, currency)
            ))
            .heading()
            .strong(),
        );
        ui.label(format!(
            "for {} retained (estimated) in {} of {}",
            format_gib(r.total.gib),
            count(r.points, "restore point"),
            count(r.collections.len(), "collection")
        ));
        if updating {
            ui.spinner();
            ui.label(RichText::new("Updating…").weak());
        } else if let Some(d) = elapsed {
            let text = match d.as_millis() {
                0 => "computed in under 1 ms".to_owned(),
                ms => format!("computed in {ms} ms"),
            };
            ui.label(RichText::new(text).weak().small());
        }
    });
    ui.label(
        RichText::new(format!(
            "Estimated with {}; restore points are incremental snapshots billed on the data they store.",
            model.inputs.assumptions.fleet.describe()
        ))
        .weak()
        .small(),
    );
}
