//! The Cost tab: the captured size of what is retained. Prices need the cost model,
//! which this build does not have, so no money figure is shown.

use egui::{RichText, Ui};

use super::super::View;
use super::kv_ui;
use crate::inventory::NodeId;
use crate::model::SizeGib;

/// Draws the Cost tab.
pub fn cost_ui(ui: &mut Ui, view: &View<'_>, focus: Option<&NodeId>) {
    let inv = view.inventory;
    let points: Vec<&crate::model::RestorePoint> = match focus {
        Some(NodeId::Vm(id)) => inv.points_of_vm(id).into_iter().map(|p| &p.point).collect(),
        Some(NodeId::Collection(id)) => inv
            .points_of(id)
            .iter()
            .filter_map(|p| inv.point(p))
            .collect(),
        Some(NodeId::Point(id)) => inv.point(id).into_iter().collect(),
        _ => {
            ui.label(
                RichText::new(
                    "Select a VM, a collection or a restore point to see what it retains",
                )
                .weak(),
            );
            return;
        }
    };
    let provisioned: f64 = points
        .iter()
        .flat_map(|p| p.captured_disks())
        .filter_map(|d| d.disk_size_gb)
        .sum();
    kv_ui(
        ui,
        "cost",
        &[
            ("Restore points", points.len().to_string()),
            (
                "Provisioned size captured",
                SizeGib(provisioned).to_string(),
            ),
        ],
    );
    ui.add_space(6.0);
    ui.label(RichText::new("Restore points are incremental snapshots billed on the changed data, not the provisioned size. Price estimates are not available in this build.").weak());
}
