//! The status bar: what is still loading, failures, request counts.

use egui::{RichText, Ui};

use super::View;
use super::theme::{self, Tone};

/// Draws the bar.
pub fn status_bar_ui(ui: &mut Ui, view: &View<'_>) {
    let p = view.inventory.progress();
    ui.horizontal(|ui| {
        if p.is_complete() {
            let inv = view.inventory;
            let on_demand = if p.collections_on_demand > 0 {
                format!(
                    " ({} read when opened)",
                    crate::model::count_text(p.collections_on_demand)
                )
            } else {
                String::new()
            };
            let n = crate::model::count_text;
            ui.label(format!(
                "{} subscriptions · {} VMs · {} collections{on_demand} · {} restore points",
                n(inv.subscription_ids().len()),
                n(inv.vms.len()),
                n(inv.collections.len()),
                n(inv.points.len())
            ))
            .on_hover_text(
                "Near Azure's limit of collections in a subscription-region, a collection's restore points are read when you open it (or all of them from Leaks), to spare the subscription's ARM reads",
            );
        } else {
            ui.add(
                egui::ProgressBar::new(p.fraction())
                    .desired_width(160.0)
                    .show_percentage(),
            );
            ui.label(format!(
                "Loading: {}/{} subscriptions, {}/{} collections",
                p.subscriptions_done,
                p.subscriptions_total,
                p.collections_done,
                p.collections_total
            ));
        }
        // Failed loads and failed operations (a save the emulator could not make, say).
        let failed = p.failures.max(view.activity.failures());
        if failed > 0 {
            ui.label(
                RichText::new(format!("{failed} failed (see the activity log)"))
                    .color(theme::tone(ui, Tone::Error)),
            );
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let s = &view.connection;
            let mut text = format!("{} requests", s.requests);
            if s.throttled > 0 {
                text.push_str(&format!(" · {} throttled", s.throttled));
            }
            ui.label(RichText::new(text).weak());
        });
    });
}
