//! The Overview tab: friendly properties, the resource ID, and the raw JSON.

use egui::{RichText, Ui};

use super::super::badges::{link_text, mode_badge};
use super::super::state::UiState;
use super::super::widgets::{badge_ui, error_ui, resource_id_ui, time_text};
use super::super::{Command, View};
use super::compare::captured_vs_live_ui;
use super::kv_ui;
use crate::inventory::{Inventory, Loadable, NodeId};
use crate::model::{ResourceId, SizeGib, count_text};

/// Draws the Overview tab for `focus` (`None`: the whole connection).
pub fn overview_ui(
    ui: &mut Ui,
    view: &View<'_>,
    state: &mut UiState,
    focus: Option<&NodeId>,
    commands: &mut Vec<Command>,
) {
    let inv = view.inventory;
    let Some(node) = focus else {
        connection_ui(ui, view);
        return;
    };
    ui.heading(inv.label(node));
    if let Some(id) = node.resource_id() {
        resource_id_ui(ui, id.as_str(), commands);
    }
    if let Some(command) = super::super::keys::restore_command(Some(node))
        && ui
            .button("Restore…")
            .on_hover_text("Restore disks, a new VM, or roll the VM back (R)")
            .clicked()
    {
        commands.push(command);
    }
    if let NodeId::Point(id) = node
        && inv.point(id).is_some_and(|p| {
            p.properties.provisioning_state == Some(crate::model::ProvisioningState::Succeeded)
        })
        && crate::ui::widgets::write_button(ui, view, "Copy to another region…")
            .on_hover_text("Copy this restore point to a collection in another region")
            .clicked()
    {
        state.copy_dialog = Some(super::super::state::CopyDialog::new(id.clone()));
    }
    delete_button_ui(ui, view, state, node);
    if let NodeId::Vm(id) = node
        && let Some(group) = inv.point_group_of(id)
        && crate::ui::widgets::write_button(
            ui,
            view,
            format!("Group restore point for {}…", group.set_id.name()),
        )
        .on_hover_text(format!(
            "One restore point for each VM of {} {}, in sequence",
            group.kind.label(),
            group.set_id.name()
        ))
        .clicked()
    {
        state.group_dialog = Some(super::super::state::GroupDialog::new(id.clone()));
    }
    ui.add_space(4.0);
    match node {
        NodeId::Subscription(sub) => subscription_ui(ui, inv, sub, commands),
        NodeId::Group {
            subscription_id,
            resource_group,
        } => {
            let vms = inv.children(node, true).len();
            kv_ui(
                ui,
                "group",
                &[
                    ("Resource group", resource_group.to_string()),
                    ("Subscription", subscription_id.to_string()),
                    ("VMs", vms.to_string()),
                ],
            );
        }
        NodeId::Unlinked(_) => {
            ui.label("Collections whose source VM was deleted, moved to another resource group (its id in the collection went stale), or which are cross-region copies of another collection.");
        }
        NodeId::Vm(id) => vm_ui(ui, view, id),
        NodeId::Collection(id) => collection_ui(ui, view, id),
        NodeId::Point(id) => {
            point_ui(ui, view, id, commands);
            super::super::lifecycle::label_editor_ui(ui, view, state, id, commands);
            captured_vs_live_ui(ui, inv, id);
        }
        NodeId::DiskPoint(id) => disk_point_ui(ui, view, id),
    }
    if let Some(id) = node.resource_id() {
        raw_json_ui(ui, inv, state, id, commands);
    }
}

/// "Delete…" for a point or a collection (the dialog says why not when rpdesk will not).
fn delete_button_ui(ui: &mut Ui, view: &View<'_>, state: &mut UiState, node: &NodeId) {
    let Some(target) = super::super::keys::delete_target(view, Some(node)) else {
        return;
    };
    let hint = match &target {
        crate::lifecycle::DeleteTarget::Point(_) => {
            "Delete this restore point (asks you to type its name) (Delete)"
        }
        crate::lifecycle::DeleteTarget::Collection(_) => {
            "Delete this collection and every restore point in it (asks you to type its name) (Delete)"
        }
    };
    if crate::ui::widgets::write_button(ui, view, "Delete…")
        .on_hover_text(hint)
        .clicked()
    {
        super::super::lifecycle::open_delete(state, target);
    }
}

fn connection_ui(ui: &mut Ui, view: &View<'_>) {
    let inv = view.inventory;
    ui.heading(&view.connection.label);
    kv_ui(
        ui,
        "connection",
        &[
            ("Endpoint", view.connection.endpoint.clone()),
            ("Signed in with", view.connection.credential.clone()),
            ("Subscriptions", count_text(inv.subscription_ids().len())),
            ("Virtual machines", count_text(inv.vms.len())),
            ("Collections", count_text(inv.collections.len())),
            ("Restore points", count_text(inv.points.len())),
        ],
    );
}

fn subscription_ui(ui: &mut Ui, inv: &Inventory, sub: &str, commands: &mut Vec<Command>) {
    let Some(entry) = inv.subs.get(sub) else {
        return;
    };
    let s = &entry.subscription;
    let mut rows = vec![
        ("Subscription ID", s.subscription_id.clone()),
        ("State", s.state.clone().unwrap_or_default()),
        ("Tenant", s.tenant_id.clone().unwrap_or_default()),
        ("VMs", inv.vms_of(sub).len().to_string()),
    ];
    for (k, v) in &s.tags {
        rows.push(("Tag", format!("{k} = {v}")));
    }
    kv_ui(ui, "sub", &rows);
    for (what, l) in [
        ("VMs", &entry.vms),
        ("disks", &entry.disks),
        ("collections", &entry.collections),
    ] {
        if let Some(err) = l.error() {
            ui.label(format!("Loading {what} failed:"));
            error_ui(
                ui,
                err,
                Some(Command::Retry(NodeId::Subscription(sub.into()))),
                commands,
            );
        }
    }
}

fn vm_ui(ui: &mut Ui, view: &View<'_>, id: &ResourceId) {
    let inv = view.inventory;
    let Some(vm) = inv.vms.get(id) else {
        ui.label(RichText::new("This VM is not in the loaded inventory").weak());
        return;
    };
    let p = &vm.properties;
    let mut rows = vec![
        (
            "Resource group",
            id.resource_group().unwrap_or_default().to_owned(),
        ),
        ("Region", vm.location.to_string()),
        ("Size", vm.vm_size().to_owned()),
        (
            "OS",
            vm.os_type().map(|o| o.to_string()).unwrap_or_default(),
        ),
        (
            "Power state",
            vm.power_state()
                .map(|s| s.to_string())
                .unwrap_or_else(|| "unknown".into()),
        ),
        (
            "Security type",
            vm.security_type()
                .map(|s| s.to_string())
                .unwrap_or_else(|| "Standard".into()),
        ),
    ];
    if !vm.zones.is_empty() {
        rows.push(("Zones", vm.zones.join(", ")));
    }
    if let Some(vmss) = &p.virtual_machine_scale_set {
        rows.push((
            "Scale set",
            vmss.id.rsplit('/').next().unwrap_or_default().to_owned(),
        ));
    }
    if let Some(aset) = &p.availability_set {
        rows.push((
            "Availability set",
            aset.id.rsplit('/').next().unwrap_or_default().to_owned(),
        ));
    }
    if let Some(t) = p.time_created {
        rows.push(("Created", time_text(t.unix_secs(), view.now_unix)));
    }
    let points = inv.points_of_vm(id);
    rows.push(("Restore points", points.len().to_string()));
    if let Some(t) = points.last().and_then(|p| p.point.properties.time_created) {
        rows.push(("Latest point", time_text(t.unix_secs(), view.now_unix)));
    }
    kv_ui(ui, "vm", &rows);
    ui.add_space(6.0);
    ui.strong("Disks");
    // One block per disk, wrapped: readable at any inspector width.
    let mut disks: Vec<(String, String)> = Vec::new();
    if let Some(os) = vm.os_disk() {
        let kind = if os.diff_disk_settings.is_some() {
            "Ephemeral".to_owned()
        } else {
            sku_of(inv, os.managed_disk.as_ref())
        };
        disks.push((
            format!("OS · {}", os.name.clone().unwrap_or_default()),
            disk_details(kind, os.disk_size_gb, os.caching.as_ref(), false, false),
        ));
    }
    for d in vm.data_disks() {
        let shared = disk_of(inv, d.managed_disk.as_ref()).is_some_and(|disk| disk.is_shared());
        let details = disk_details(
            sku_of(inv, d.managed_disk.as_ref()),
            d.disk_size_gb,
            d.caching.as_ref(),
            d.write_accelerator_enabled == Some(true),
            shared,
        );
        disks.push((
            format!("LUN {} · {}", d.lun, d.name.clone().unwrap_or_default()),
            details,
        ));
    }
    for (title, details) in disks {
        ui.add(egui::Label::new(title).wrap());
        ui.add(egui::Label::new(RichText::new(details).weak().small()).wrap());
        ui.add_space(2.0);
    }
}

/// "Premium SSD · 1.0 TiB · ReadOnly caching · write accelerator · shared".
fn disk_details(
    kind: String,
    size_gb: Option<f64>,
    caching: Option<&crate::model::CachingType>,
    write_accelerated: bool,
    shared: bool,
) -> String {
    let mut parts = vec![kind];
    parts.extend(size_gb.map(|g| SizeGib(g).to_string()));
    parts.extend(caching.map(|c| format!("{c} caching")));
    if write_accelerated {
        parts.push("write accelerator".into());
    }
    if shared {
        parts.push("shared".into());
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" · ")
}

fn disk_of<'a>(
    inv: &'a Inventory,
    managed: Option<&crate::model::ManagedDiskParameters>,
) -> Option<&'a crate::model::Disk> {
    let id = ResourceId::parse(managed?.id.as_deref()?).ok()?;
    inv.disks.get(&id).map(Box::as_ref)
}

fn sku_of(inv: &Inventory, managed: Option<&crate::model::ManagedDiskParameters>) -> String {
    let from_disk = disk_of(inv, managed).and_then(|d| d.storage_type().cloned());
    let sku = from_disk.or_else(|| managed.and_then(|m| m.storage_account_type.clone()));
    sku.map(|s| s.short_label().to_owned()).unwrap_or_default()
}

fn collection_ui(ui: &mut Ui, view: &View<'_>, id: &ResourceId) {
    let inv = view.inventory;
    let Some(entry) = inv.collections.get(id) else {
        return;
    };
    let c = &entry.collection;
    let p = &c.properties;
    let mut rows = vec![
        (
            "Resource group",
            id.resource_group().unwrap_or_default().to_owned(),
        ),
        ("Region", c.location.clone()),
        (
            "Source",
            p.source.as_ref().map(|s| s.id.clone()).unwrap_or_default(),
        ),
        ("Link", link_text(&entry.link)),
        (
            "Instant access",
            p.instant_access
                .map(|b| if b { "on" } else { "off" }.to_owned())
                .unwrap_or_else(|| "off".into()),
        ),
        (
            "State",
            p.provisioning_state
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ),
        (
            "Restore points",
            match &entry.points {
                Loadable::NotRequested => "read when opened".to_owned(),
                Loadable::Loading { previous: None } => "reading…".to_owned(),
                _ => inv.points_of(id).len().to_string(),
            },
        ),
    ];
    if c.is_azure_backup() {
        rows.push((
            "Owner",
            "Azure Backup (managed by the backup service)".into(),
        ));
    }
    for (k, v) in &c.tags {
        rows.push(("Tag", format!("{k} = {v}")));
    }
    kv_ui(ui, "collection", &rows);
}

fn point_ui(ui: &mut Ui, view: &View<'_>, id: &ResourceId, commands: &mut Vec<Command>) {
    let inv = view.inventory;
    let Some(entry) = inv.points.get(id) else {
        return;
    };
    let p = inv.point(id).unwrap_or(&entry.point);
    let props = &p.properties;
    ui.horizontal(|ui| {
        let (text, tone) = mode_badge(props.consistency_mode.as_ref());
        badge_ui(ui, &text, tone);
        for (text, tone) in super::super::badges::point_badges(p).into_iter().skip(1) {
            badge_ui(ui, &text, tone);
        }
    });
    let mut rows = vec![
        (
            "Collection",
            id.parent().map(|c| c.name().to_owned()).unwrap_or_default(),
        ),
        (
            "Created",
            props
                .time_created
                .map(|t| time_text(t.unix_secs(), view.now_unix))
                .unwrap_or_default(),
        ),
        (
            "Consistency",
            props
                .consistency_mode
                .as_ref()
                .map(|m| m.to_string())
                .unwrap_or_else(|| "ApplicationConsistent (default)".into()),
        ),
        (
            "State",
            props
                .provisioning_state
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ),
        ("Captured disks", p.captured_disks().len().to_string()),
    ];
    for d in &props.exclude_disks {
        rows.push((
            "Excluded disk",
            d.id.rsplit('/').next().unwrap_or_default().to_owned(),
        ));
    }
    if let Some(m) = props.instant_access_duration_minutes {
        rows.push(("Instant access", format!("{m} minutes")));
    }
    if let Some(src) = &props.source_restore_point {
        rows.push(("Copied from", src.id.to_string()));
    }
    if let Some(pct) = p.min_completion_percent() {
        rows.push(("Copy progress", format!("{pct:.0}%")));
    }
    kv_ui(ui, "point", &rows);
    if let Loadable::Failed { error, .. } = entry.detail() {
        error_ui(
            ui,
            error,
            Some(Command::Retry(NodeId::Point(id.clone()))),
            commands,
        );
    } else if entry.detail().is_loading() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Loading the instance view…");
        });
    }
}

fn disk_point_ui(ui: &mut Ui, view: &View<'_>, id: &ResourceId) {
    let inv = view.inventory;
    let mut rows = vec![(
        "Restore point",
        id.parent().map(|p| p.name().to_owned()).unwrap_or_default(),
    )];
    if let Some(d) = inv.disk_points.get(id) {
        let p = &d.properties;
        rows.push((
            "Source disk",
            p.source_resource_id.clone().unwrap_or_default(),
        ));
        if let Some(t) = p.time_created {
            rows.push(("Created", time_text(t.unix_secs(), view.now_unix)));
        }
        rows.push((
            "OS type",
            p.os_type
                .as_ref()
                .map(|o| o.to_string())
                .unwrap_or_default(),
        ));
        rows.push((
            "Hyper-V generation",
            p.hyper_v_generation.clone().unwrap_or_default(),
        ));
        if let Some(s) = &p.snapshot_access_state {
            rows.push(("Access state", s.to_string()));
        }
        if let Some(s) = &p.replication_state {
            rows.push((
                "Replication",
                format!("{s} ({:.0}%)", p.completion_percent.unwrap_or(0.0)),
            ));
        }
        if let Some(loc) = &p.source_resource_location {
            rows.push(("Source region", loc.clone()));
        }
        rows.push((
            "Network access",
            p.network_access_policy.clone().unwrap_or_default(),
        ));
    } else {
        rows.push(("Details", "loading…".into()));
    }
    kv_ui(ui, "disk_point", &rows);
}

fn raw_json_ui(
    ui: &mut Ui,
    inv: &Inventory,
    state: &mut UiState,
    id: &ResourceId,
    commands: &mut Vec<Command>,
) {
    ui.add_space(8.0);
    let header = egui::CollapsingHeader::new("Raw JSON")
        .id_salt("raw_json")
        .default_open(state.show_raw)
        .show(ui, |ui| match inv.raw.get(id) {
            None | Some(Loadable::NotRequested) => {
                commands.push(Command::LoadRaw(id.clone()));
            }
            Some(l) => {
                if let Some(value) = super::super::widgets::loadable_ui(
                    ui,
                    l,
                    "document",
                    Command::LoadRaw(id.clone()),
                    commands,
                ) {
                    let text = serde_json::to_string_pretty(value).unwrap_or_default();
                    if ui.button("Copy JSON").clicked() {
                        commands.push(Command::Copy(text.clone()));
                    }
                    let mut shown = text.as_str();
                    ui.add(
                        egui::TextEdit::multiline(&mut shown)
                            .code_editor()
                            .desired_width(f32::INFINITY)
                            .desired_rows(12),
                    );
                }
            }
        });
    // Remember the choice, so the next resource opens the same way (and --panel raw works).
    state.show_raw = header.body_returned.is_some();
}
