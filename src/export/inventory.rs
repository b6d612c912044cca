//! The inventory as five flat tables, one per level: subscriptions, VMs, collections,
//! restore points, disk restore points. Each row names its parents, so any table stands
//! alone in a spreadsheet. Read from the inventory a slice at a time
//! ([`InventoryJob::step`]): a fleet's 100,000 points take longer than a frame.

use serde::Serialize;

use super::table::table;
use crate::csv::Table;
use crate::inventory::{CollectionLink, Inventory};
use crate::model::{ResourceId, RestorePoint};

/// A level of the inventory: one table each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    Subscriptions,
    Vms,
    Collections,
    Points,
    DiskPoints,
}

impl Level {
    /// Every level, top down.
    pub const ALL: [Level; 5] = [
        Self::Subscriptions,
        Self::Vms,
        Self::Collections,
        Self::Points,
        Self::DiskPoints,
    ];

    /// The name on the command line and in file names (`disk-points`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Subscriptions => "subscriptions",
            Self::Vms => "vms",
            Self::Collections => "collections",
            Self::Points => "points",
            Self::DiskPoints => "disk-points",
        }
    }

    /// Sentence-case title for a menu.
    pub fn title(self) -> &'static str {
        match self {
            Self::Subscriptions => "Subscriptions",
            Self::Vms => "VMs",
            Self::Collections => "Collections",
            Self::Points => "Restore points",
            Self::DiskPoints => "Disk restore points",
        }
    }

    /// The CSV columns (the keys of the level's JSON objects, in order).
    pub fn header(self) -> &'static [&'static str] {
        match self {
            Self::Subscriptions => &[
                "subscription_id",
                "name",
                "state",
                "vms",
                "collections",
                "points",
            ],
            Self::Vms => &[
                "subscription_id",
                "resource_group",
                "vm",
                "vm_id",
                "location",
                "size",
                "os_type",
                "power_state",
                "disks",
                "collections",
                "points",
                "latest_point",
            ],
            Self::Collections => &[
                "subscription_id",
                "resource_group",
                "collection",
                "collection_id",
                "location",
                "source_id",
                "vm",
                "link",
                "azure_backup",
                "instant_access",
                "provisioning_state",
                "points",
                "load_error",
            ],
            Self::Points => &[
                "subscription_id",
                "resource_group",
                "vm",
                "collection",
                "restore_point",
                "restore_point_id",
                "time_created",
                "consistency_mode",
                "provisioning_state",
                "disk_points",
                "excluded_disks",
                "instant_access_minutes",
                "copied_from",
                "copy_percent",
            ],
            Self::DiskPoints => &[
                "subscription_id",
                "resource_group",
                "vm",
                "collection",
                "restore_point",
                "disk_point",
                "disk_point_id",
                "disk",
                "disk_id",
                "lun",
                "size_gib",
                "storage_type",
                "encryption",
            ],
        }
    }
}

/// A subscription.
#[derive(Clone, Debug, Serialize)]
pub struct SubscriptionRow {
    pub subscription_id: String,
    pub name: String,
    pub state: Option<String>,
    pub vms: usize,
    pub collections: usize,
    pub points: usize,
}

/// A VM.
#[derive(Clone, Debug, Serialize)]
pub struct VmRow {
    pub subscription_id: String,
    pub resource_group: String,
    pub vm: String,
    pub vm_id: String,
    pub location: String,
    pub size: String,
    pub os_type: Option<String>,
    pub power_state: Option<String>,
    /// Managed disks attached.
    pub disks: usize,
    /// Collections whose source is this VM.
    pub collections: usize,
    pub points: usize,
    /// When its newest point was taken (RFC 3339).
    pub latest_point: Option<String>,
}

/// A restore point collection.
#[derive(Clone, Debug, Serialize)]
pub struct CollectionRow {
    pub subscription_id: String,
    pub resource_group: String,
    pub collection: String,
    pub collection_id: String,
    pub location: String,
    /// `properties.source.id`: a VM, or a collection for a cross-region copy.
    pub source_id: Option<String>,
    /// The VM it belongs to (for a moved VM, where it is now).
    pub vm: Option<String>,
    /// `vm`, `moved` (the VM moved to another resource group), `vm-missing`, `copy`
    /// (a cross-region copy of another collection) or `unknown`.
    pub link: &'static str,
    /// Made by Azure Backup (`AzureBackupRG_*`).
    pub azure_backup: bool,
    pub instant_access: Option<bool>,
    pub provisioning_state: Option<String>,
    /// `None` when its points were not read (near Azure's limit of collections, rpdesk
    /// reads them on demand).
    pub points: Option<usize>,
    /// Why its points could not be read, if they could not.
    pub load_error: Option<String>,
}

/// A restore point.
#[derive(Clone, Debug, Serialize)]
pub struct PointRow {
    pub subscription_id: String,
    pub resource_group: String,
    pub vm: Option<String>,
    pub collection: String,
    pub restore_point: String,
    pub restore_point_id: String,
    pub time_created: Option<String>,
    pub consistency_mode: Option<String>,
    pub provisioning_state: Option<String>,
    /// Disk restore points it holds.
    pub disk_points: usize,
    /// Ids of the disks left out.
    pub excluded_disks: Vec<String>,
    pub instant_access_minutes: Option<i64>,
    /// The point it was copied from (a cross-region copy).
    pub copied_from: Option<String>,
    /// The lowest copy progress of its disks, while a copy reports one.
    pub copy_percent: Option<f64>,
}

/// A disk restore point, as its restore point captured it.
#[derive(Clone, Debug, Serialize)]
pub struct DiskPointRow {
    pub subscription_id: String,
    pub resource_group: String,
    pub vm: Option<String>,
    pub collection: String,
    pub restore_point: String,
    pub disk_point: String,
    pub disk_point_id: String,
    /// The source disk's name.
    pub disk: Option<String>,
    pub disk_id: Option<String>,
    /// `null` for the OS disk.
    pub lun: Option<i32>,
    pub size_gib: Option<f64>,
    pub storage_type: Option<String>,
    pub encryption: Option<String>,
}

/// A list that could not be read.
#[derive(Clone, Debug, Serialize)]
pub struct LoadFailure {
    /// What was being read (`VMs of <subscription>`).
    pub what: String,
    pub code: Option<String>,
    pub message: String,
}

/// The inventory's tables.
#[derive(Clone, Debug, Default, Serialize)]
pub struct InventoryRows {
    pub subscriptions: Vec<SubscriptionRow>,
    pub vms: Vec<VmRow>,
    pub collections: Vec<CollectionRow>,
    pub points: Vec<PointRow>,
    pub disk_points: Vec<DiskPointRow>,
    /// Lists that could not be read: the tables lack what they hold.
    pub failures: Vec<LoadFailure>,
}

impl InventoryRows {
    /// One level as a CSV table.
    pub fn table(&self, level: Level) -> Table {
        let h = level.header();
        match level {
            Level::Subscriptions => table(h, &self.subscriptions),
            Level::Vms => table(h, &self.vms),
            Level::Collections => table(h, &self.collections),
            Level::Points => table(h, &self.points),
            Level::DiskPoints => table(h, &self.disk_points),
        }
    }
}

/// Every list that failed to load: the subscription list, a subscription's VMs, disks or
/// collections, a collection's points.
pub fn load_failures(inv: &Inventory) -> Vec<LoadFailure> {
    let mut out = Vec::new();
    let mut push = |what: String, e: &crate::inventory::ErrorInfo| {
        out.push(LoadFailure {
            what,
            code: e.code.clone(),
            message: e.message.clone(),
        })
    };
    if let Some(e) = inv.subscriptions.error() {
        push("Subscriptions".into(), e);
    }
    for sub in inv.subscription_ids() {
        let Some(entry) = inv.subs.get(sub) else {
            continue;
        };
        let name = &entry.subscription.display_name;
        for (what, list) in [
            ("VMs", &entry.vms),
            ("Disks", &entry.disks),
            ("Restore point collections", &entry.collections),
        ] {
            if let Some(e) = list.error() {
                push(format!("{what} of {name} ({sub})"), e);
            }
        }
    }
    let mut collections: Vec<&ResourceId> = inv.collections.keys().collect();
    collections.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
    for id in collections {
        if let Some(e) = inv.collections.get(id).and_then(|c| c.points.error()) {
            push(format!("Restore points of {id}"), e);
        }
    }
    out
}

/// The inventory's tables being read a slice at a time.
#[derive(Debug)]
pub struct InventoryJob {
    vms: Vec<ResourceId>,
    collections: Vec<ResourceId>,
    next_vm: usize,
    next_collection: usize,
    rows: InventoryRows,
}

impl InventoryJob {
    /// Starts reading: the subscriptions and the list of what to read.
    pub fn new(inv: &Inventory) -> Self {
        let vms: Vec<ResourceId> = inv
            .subscription_ids()
            .iter()
            .flat_map(|s| inv.vms_of(s).iter().cloned())
            .collect();
        let mut collections: Vec<ResourceId> = inv.collections.keys().cloned().collect();
        collections.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        let rows = InventoryRows {
            subscriptions: subscription_rows(inv),
            failures: load_failures(inv),
            ..Default::default()
        };
        Self {
            vms,
            collections,
            next_vm: 0,
            next_collection: 0,
            rows,
        }
    }

    /// Reads about `budget` rows (a collection is never split); true once all are read.
    /// Ids gone from the inventory meanwhile are skipped.
    pub fn step(&mut self, inv: &Inventory, budget: usize) -> bool {
        let mut spent = 0;
        while spent < budget && self.next_vm < self.vms.len() {
            if let Some(row) = vm_row(inv, &self.vms[self.next_vm]) {
                self.rows.vms.push(row);
            }
            self.next_vm += 1;
            spent += 1;
        }
        while spent < budget && self.next_collection < self.collections.len() {
            spent += self.add_collection(inv) + 1;
            self.next_collection += 1;
        }
        self.is_done()
    }

    /// Whether everything is read.
    pub fn is_done(&self) -> bool {
        self.next_vm >= self.vms.len() && self.next_collection >= self.collections.len()
    }

    /// Items read, of how many (VMs and collections).
    pub fn progress(&self) -> (usize, usize) {
        (
            self.next_vm + self.next_collection,
            self.vms.len() + self.collections.len(),
        )
    }

    /// The tables read.
    pub fn finish(self) -> InventoryRows {
        self.rows
    }

    /// Adds a collection, its points and their disk restore points; returns the rows.
    fn add_collection(&mut self, inv: &Inventory) -> usize {
        let id = &self.collections[self.next_collection];
        let Some(entry) = inv.collections.get(id) else {
            return 0;
        };
        let (vm, link) = match &entry.link {
            CollectionLink::Vm(v) => (Some(v.name().to_owned()), "vm"),
            CollectionLink::Moved { now, .. } => (Some(now.name().to_owned()), "moved"),
            CollectionLink::MissingVm(v) => (Some(v.name().to_owned()), "vm-missing"),
            CollectionLink::CopyOf(_) => (None, "copy"),
            CollectionLink::Unknown => (None, "unknown"),
        };
        let c = &entry.collection;
        let points = inv.points_of(id);
        let place = Place {
            subscription_id: id.subscription_id().to_owned(),
            resource_group: id.resource_group().unwrap_or_default().to_owned(),
            vm,
            collection: c.name.clone(),
        };
        self.rows.collections.push(CollectionRow {
            subscription_id: place.subscription_id.clone(),
            resource_group: place.resource_group.clone(),
            collection: c.name.clone(),
            collection_id: id.to_string(),
            location: c.location.clone(),
            source_id: c.properties.source.as_ref().map(|s| s.id.clone()),
            vm: place.vm.clone(),
            link,
            azure_backup: c.is_azure_backup(),
            instant_access: c.properties.instant_access,
            provisioning_state: c
                .properties
                .provisioning_state
                .as_ref()
                .map(|p| p.to_string()),
            // Unknown until read (collections read on demand).
            points: (!entry.points_unread()).then_some(points.len()),
            load_error: entry.points.error().map(|e| e.summary()),
        });
        let mut rows = 0;
        for point_id in points {
            let Some(point) = inv.point(point_id) else {
                continue;
            };
            rows += 1 + self.add_point(&place, point);
        }
        rows
    }

    /// Adds a point and its disk restore points; returns the disk rows added.
    fn add_point(&mut self, place: &Place, point: &RestorePoint) -> usize {
        let p = &point.properties;
        let captured = point.captured_disks();
        let mut disk_rows = 0;
        for d in &captured {
            let Some(drp) = d.disk_restore_point.as_ref() else {
                continue;
            };
            let drp_id = drp.id.to_string();
            disk_rows += 1;
            self.rows.disk_points.push(DiskPointRow {
                subscription_id: place.subscription_id.clone(),
                resource_group: place.resource_group.clone(),
                vm: place.vm.clone(),
                collection: place.collection.clone(),
                restore_point: point.id.name().to_owned(),
                disk_point: drp.id.name().into_owned(),
                disk_point_id: drp_id,
                disk: d.name.as_ref().map(|n| n.to_string()),
                disk_id: d
                    .managed_disk
                    .as_ref()
                    .and_then(|m| m.id.as_ref())
                    .map(|i| i.to_string()),
                lun: d.lun,
                size_gib: d.disk_size_gb,
                storage_type: d
                    .managed_disk
                    .as_ref()
                    .and_then(|m| m.storage_account_type.as_ref())
                    .map(|s| s.to_string()),
                encryption: drp
                    .encryption
                    .as_ref()
                    .and_then(|e| e.kind.as_ref())
                    .map(|k| k.to_string()),
            });
        }
        self.rows.points.push(PointRow {
            subscription_id: place.subscription_id.clone(),
            resource_group: place.resource_group.clone(),
            vm: place.vm.clone(),
            collection: place.collection.clone(),
            restore_point: point.id.name().to_owned(),
            restore_point_id: point.id.to_string(),
            time_created: p.time_created.map(|t| t.to_rfc3339()),
            consistency_mode: p.consistency_mode.as_ref().map(|m| m.to_string()),
            provisioning_state: p.provisioning_state.as_ref().map(|s| s.to_string()),
            disk_points: disk_rows,
            excluded_disks: p.exclude_disks.iter().map(|d| d.id.to_string()).collect(),
            instant_access_minutes: p.instant_access_duration_minutes,
            copied_from: p.source_restore_point.as_ref().map(|s| s.id.to_string()),
            copy_percent: point.min_completion_percent(),
        });
        disk_rows
    }
}

/// Where a collection's rows sit: copied into each of its points' and disks' rows.
struct Place {
    subscription_id: String,
    resource_group: String,
    vm: Option<String>,
    collection: String,
}

fn subscription_rows(inv: &Inventory) -> Vec<SubscriptionRow> {
    let mut collections: std::collections::HashMap<String, (usize, usize)> = Default::default();
    for (id, entry) in &inv.collections {
        let count = collections
            .entry(id.subscription_id().to_ascii_lowercase())
            .or_default();
        count.0 += 1;
        count.1 += entry.points.value().map_or(0, Vec::len);
    }
    inv.subscription_ids()
        .iter()
        .filter_map(|sub| {
            let entry = inv.subs.get(sub)?;
            let (c, p) = collections
                .get(&sub.to_ascii_lowercase())
                .copied()
                .unwrap_or_default();
            Some(SubscriptionRow {
                subscription_id: sub.clone(),
                name: entry.subscription.display_name.clone(),
                state: entry.subscription.state.clone(),
                vms: inv.vms_of(sub).len(),
                collections: c,
                points: p,
            })
        })
        .collect()
}

fn vm_row(inv: &Inventory, id: &ResourceId) -> Option<VmRow> {
    let vm = inv.vms.get(id)?;
    let mut points = 0;
    let mut latest: Option<crate::model::Timestamp> = None;
    for c in inv.collections_of(id) {
        for p in inv.points_of(c) {
            points += 1;
            let t = inv
                .points
                .get(p)
                .and_then(|e| e.point.properties.time_created);
            latest = latest.max(t);
        }
    }
    Some(VmRow {
        subscription_id: id.subscription_id().to_owned(),
        resource_group: id.resource_group().unwrap_or_default().to_owned(),
        vm: id.name().to_owned(),
        vm_id: id.to_string(),
        location: vm.location.to_string(),
        size: vm.vm_size().to_owned(),
        os_type: vm.os_type().map(|o| o.to_string()),
        power_state: vm.power_state().map(|p| p.to_string()),
        disks: crate::rules::managed_disk_ids(vm).count(),
        collections: inv.collections_of(id).len(),
        points,
        latest_point: latest.map(|t| t.to_rfc3339()),
    })
}
