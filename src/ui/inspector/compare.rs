//! The VM configuration captured in a restore point next to the live VM's, with the
//! differences highlighted: what a restore would bring back that is not there now.

use egui::{RichText, Ui};

use super::super::theme::{self, Tone};
use crate::inventory::{CollectionLink, Inventory};
use crate::model::{CapturedDiskConfig, ResourceId, SizeGib, SourceMetadataDisk, VirtualMachine};

/// One compared property: captured vs live.
struct Row {
    what: String,
    captured: String,
    live: String,
}

/// Draws the comparison for a restore point, if its VM is known.
pub fn captured_vs_live_ui(ui: &mut Ui, inv: &Inventory, point_id: &ResourceId) {
    let Some(point) = inv.point(point_id) else {
        return;
    };
    let Some(meta) = &point.properties.source_metadata else {
        return;
    };
    let vm = point_id
        .parent()
        .and_then(|c| inv.collections.get(&c))
        .and_then(|c| match &c.link {
            CollectionLink::Vm(vm) | CollectionLink::Moved { now: vm, .. } => inv.vms.get(vm),
            _ => None,
        });
    ui.add_space(8.0);
    ui.strong("Captured configuration vs the VM now");
    let Some(vm) = vm else {
        ui.label(
            RichText::new(
                "The source VM is not in the inventory, so there is nothing to compare with",
            )
            .weak(),
        );
        return;
    };
    let rows = compare_rows(meta, vm);
    let warn = theme::tone(ui, Tone::Warn);
    // Fixed columns: what, then captured and live side by side, truncated with the full
    // text on hover, so long disk names never widen the panel.
    let key_width = 70.0;
    let column_width = ((ui.available_width() - key_width - 16.0) / 2.0).max(80.0);
    let row_height = ui.spacing().interact_size.y;
    let cell = |ui: &mut Ui, width: f32, text: RichText, full: &str| {
        ui.allocate_ui_with_layout(
            egui::vec2(width, row_height),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.set_width(width);
                ui.add(egui::Label::new(text).truncate())
                    .on_hover_text(full);
            },
        );
    };
    ui.horizontal(|ui| {
        cell(ui, key_width, RichText::new(""), "");
        cell(
            ui,
            column_width,
            RichText::new("In the point").weak(),
            "The configuration captured with the restore point",
        );
        cell(
            ui,
            column_width,
            RichText::new("Now").weak(),
            "The VM's current configuration",
        );
    });
    for r in &rows {
        let differs = r.captured != r.live;
        let text = |t: &str| {
            if differs {
                RichText::new(t).color(warn)
            } else {
                RichText::new(t)
            }
        };
        ui.horizontal(|ui| {
            cell(ui, key_width, RichText::new(&r.what), &r.what);
            cell(ui, column_width, text(&r.captured), &r.captured);
            cell(ui, column_width, text(&r.live), &r.live);
        });
    }
    let changed = rows.iter().filter(|r| r.captured != r.live).count();
    if changed > 0 {
        ui.label(
            RichText::new(format!(
                "{changed} difference(s): restoring brings back the left column"
            ))
            .color(warn),
        );
    }
}

fn compare_rows(meta: &crate::model::SourceMetadata, vm: &VirtualMachine) -> Vec<Row> {
    let mut rows = vec![Row {
        what: "Size".into(),
        captured: meta
            .hardware_profile
            .as_ref()
            .map(|h| h.vm_size.to_string())
            .unwrap_or_default(),
        live: vm.vm_size().to_owned(),
    }];
    let disk_text = |d: Option<&SourceMetadataDisk>| -> String {
        let Some(d) = d else { return "—".into() };
        let sku = d
            .managed_disk
            .as_ref()
            .and_then(|m| m.storage_account_type.as_ref())
            .map(|s| s.short_label().to_owned())
            .unwrap_or_default();
        let size = d
            .disk_size_gb
            .map(|g| SizeGib(g).to_string())
            .unwrap_or_default();
        format!("{} {sku} {size}", d.name.clone().unwrap_or_default())
            .trim()
            .to_owned()
    };
    let sp = meta.storage_profile.as_ref();
    let live_os = vm.os_disk().map(|d| {
        SourceMetadataDisk::from(CapturedDiskConfig {
            name: d.name.as_deref().map(Into::into),
            disk_size_gb: d.disk_size_gb,
            managed_disk: d.managed_disk.clone(),
            ..Default::default()
        })
    });
    rows.push(Row {
        what: "OS disk".into(),
        captured: disk_text(sp.and_then(|s| s.os_disk.as_ref())),
        live: disk_text(live_os.as_ref()),
    });
    let mut luns: Vec<i32> = sp
        .map(|s| s.data_disks.iter().filter_map(|d| d.lun).collect())
        .unwrap_or_default();
    luns.extend(vm.data_disks().iter().map(|d| d.lun));
    luns.sort_unstable();
    luns.dedup();
    for lun in luns {
        let captured = sp.and_then(|s| s.data_disks.iter().find(|d| d.lun == Some(lun)));
        let live = vm.data_disks().into_iter().find(|d| d.lun == lun).map(|d| {
            SourceMetadataDisk::from(CapturedDiskConfig {
                name: d.name.as_deref().map(Into::into),
                disk_size_gb: d.disk_size_gb,
                managed_disk: d.managed_disk.clone(),
                ..Default::default()
            })
        });
        rows.push(Row {
            what: format!("LUN {lun}"),
            captured: disk_text(captured),
            live: disk_text(live.as_ref()),
        });
    }
    rows.push(Row {
        what: "Security type".into(),
        captured: meta
            .security_profile
            .as_ref()
            .and_then(|s| s.security_type.as_ref())
            .map(|s| s.to_string())
            .unwrap_or_else(|| "Standard".into()),
        live: vm
            .security_type()
            .map(|s| s.to_string())
            .unwrap_or_else(|| "Standard".into()),
    });
    rows
}
