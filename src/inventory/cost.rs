//! The glue between the inventory and the cost model: a [`cost::CostEstate`] with every
//! loaded collection, its points and, per source disk, the chain of its disk restore
//! points (sizes from each point's captured `sourceMetadata`, else the disk itself).

use super::{CollectionLink, Inventory};
use crate::cost::{self, CapturedDisk, CollectionInfo, CostEstate, CostEstateBuilder};
use crate::model::{ResourceId, SourceMetadataDisk, VirtualMachine};
use crate::rules;

/// A cost estate being read from the inventory a slice at a time, so that no frame waits
/// for a whole fleet (see [`Inventory::cost_estate_step`]).
#[derive(Debug)]
pub struct CostEstateJob {
    ids: Vec<ResourceId>,
    next: usize,
    builder: CostEstateBuilder,
}

impl CostEstateJob {
    /// Collections read so far, of how many.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.ids.len())
    }

    /// The estate read.
    pub fn finish(self) -> CostEstate {
        self.builder.finish()
    }
}

impl Inventory {
    /// Everything the cost model reads, from what is loaded now.
    pub fn cost_estate(&self) -> CostEstate {
        let mut job = self.cost_estate_job();
        while !self.cost_estate_step(&mut job, usize::MAX) {}
        job.finish()
    }

    /// Starts reading the cost estate: every collection loaded now, by id (not those read
    /// on demand whose points were not read: their cost is unknown, not nil).
    pub fn cost_estate_job(&self) -> CostEstateJob {
        let mut ids: Vec<ResourceId> = self
            .collections
            .iter()
            .filter(|(_, c)| !c.points_unread())
            .map(|(id, _)| id.clone())
            .collect();
        // By id as written (a plain byte comparison: this runs on the UI thread).
        ids.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
        CostEstateJob {
            ids,
            next: 0,
            builder: CostEstateBuilder::default(),
        }
    }

    /// Reads collections into `job` until about `points` restore points were read (a
    /// collection is never split); true once every collection is read. A collection gone
    /// from the inventory meanwhile is skipped.
    pub fn cost_estate_step(&self, job: &mut CostEstateJob, points: usize) -> bool {
        let stop = job.builder.points().saturating_add(points);
        while job.next < job.ids.len() && job.builder.points() < stop {
            let id = job.ids[job.next].clone();
            job.next += 1;
            self.add_collection(&mut job.builder, &id);
        }
        job.next >= job.ids.len()
    }

    fn add_collection(&self, b: &mut CostEstateBuilder, id: &ResourceId) {
        let Some(entry) = self.collections.get(id) else {
            return;
        };
        let vm_id = match &entry.link {
            CollectionLink::Vm(vm) | CollectionLink::Moved { now: vm, .. } => Some(vm),
            CollectionLink::MissingVm(vm) => Some(vm),
            CollectionLink::CopyOf(_) | CollectionLink::Unknown => None,
        };
        let vm = vm_id.and_then(|v| self.vms.get(v));
        let c = b.collection(CollectionInfo {
            id: id.as_str().to_owned(),
            name: entry.collection.name.clone(),
            vm_key: vm_id
                .map(|v| v.as_str().to_ascii_lowercase())
                .unwrap_or_default(),
            vm_name: vm_id.map_or_else(|| entry.collection.name.clone(), |v| v.name().to_owned()),
            resource_group: id.resource_group().unwrap_or_default().to_owned(),
            subscription_id: id.subscription_id().to_owned(),
            region: entry.collection.location.clone(),
            live: vm.is_some(),
            attached_disks: vm.map(Box::as_ref).map(attached_disks).unwrap_or_default(),
        });
        for point_id in self.points_of(id) {
            let Some(point) = self.point(point_id) else {
                continue;
            };
            let Some(time) = point.properties.time_created else {
                continue;
            };
            let Some(profile) = point
                .properties
                .source_metadata
                .as_ref()
                .and_then(|m| m.storage_profile.as_ref())
            else {
                b.point(c, point_id.as_str(), time.unix_secs(), []);
                continue;
            };
            let disks = profile
                .os_disk
                .iter()
                .chain(&profile.data_disks)
                .map(|d| self.captured(d));
            b.point(c, point_id.as_str(), time.unix_secs(), disks);
        }
    }

    fn captured<'a>(&'a self, d: &'a SourceMetadataDisk) -> CapturedDisk<'a> {
        let managed = d.managed_disk.as_ref();
        let disk_id = managed.and_then(|m| m.id.as_deref());
        let captured_type = managed.and_then(|m| m.storage_account_type.as_ref());
        // The live disk only fills what the point did not capture (parsing every disk id
        // of a large fleet would cost more than the rest of the model).
        let live = if d.disk_size_gb.is_none() || captured_type.is_none() {
            disk_id
                .and_then(|i| ResourceId::parse(i).ok())
                .and_then(|i| self.disks.get(&i))
        } else {
            None
        };
        let name = d.name.as_deref().unwrap_or_default();
        CapturedDisk {
            disk_key: disk_id.unwrap_or(name),
            disk_name: name,
            provisioned_gib: d
                .disk_size_gb
                .or_else(|| live.and_then(|l| l.properties.disk_size_gb))
                .unwrap_or(0.0),
            storage_type: captured_type
                .or_else(|| live.and_then(|l| l.storage_type()))
                .map(|t| t.as_str())
                .unwrap_or_default(),
            disk_restore_point: d
                .disk_restore_point
                .as_ref()
                .map(|r| r.id.name())
                .unwrap_or_default(),
        }
    }
}

/// Lower-case ids of a VM's managed disks.
fn attached_disks(vm: &VirtualMachine) -> Vec<String> {
    rules::managed_disk_ids(vm)
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The cost scope of a navigator node.
pub fn cost_scope(node: &super::NodeId) -> cost::Scope {
    use super::NodeId;
    match node {
        NodeId::Subscription(s) | NodeId::Unlinked(s) => {
            cost::Scope::Subscription(s.to_ascii_lowercase())
        }
        NodeId::Group {
            subscription_id,
            resource_group,
        } => cost::Scope::ResourceGroup {
            subscription_id: subscription_id.to_ascii_lowercase(),
            name: resource_group.to_string(),
        },
        NodeId::Vm(id) => cost::Scope::Vm(id.as_str().to_ascii_lowercase()),
        NodeId::Collection(id) => cost::Scope::Collection(id.as_str().to_owned()),
        NodeId::Point(id) => cost::Scope::Point(id.as_str().to_owned()),
        NodeId::DiskPoint(id) => id.parent().map_or(cost::Scope::Fleet, |p| {
            cost::Scope::Point(p.as_str().to_owned())
        }),
    }
}
