//! The glue between the inventory and the cost model: a [`cost::CostEstate`] with every
//! loaded collection, its points and, per source disk, the chain of its disk restore
//! points (sizes from each point's captured `sourceMetadata`, else the disk itself).

use super::{CollectionLink, Inventory};
use crate::cost::{self, CapturedDisk, CollectionInfo, CostEstate, CostEstateBuilder};
use crate::model::{ResourceId, SourceMetadataDisk, VirtualMachine};
use crate::rules;

impl Inventory {
    /// Everything the cost model reads, from what is loaded now.
    pub fn cost_estate(&self) -> CostEstate {
        let mut ids: Vec<&ResourceId> = self.collections.keys().collect();
        ids.sort();
        let mut b = CostEstateBuilder::default();
        for id in ids {
            let Some(entry) = self.collections.get(id) else {
                continue;
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
                vm_name: vm_id
                    .map_or_else(|| entry.collection.name.clone(), |v| v.name().to_owned()),
                resource_group: id.resource_group().unwrap_or_default().to_owned(),
                subscription_id: id.subscription_id().to_owned(),
                region: entry.collection.location.clone(),
                live: vm.is_some(),
                attached_disks: vm.map(attached_disks).unwrap_or_default(),
            });
            for point_id in self.points_of(id) {
                let Some(point) = self.point(point_id) else {
                    continue;
                };
                let Some(time) = point.properties.time_created else {
                    continue;
                };
                let disks: Vec<CapturedDisk> = point
                    .captured_disks()
                    .into_iter()
                    .map(|d| self.captured(d))
                    .collect();
                b.point(c, point_id.as_str(), &point.name, time.unix_secs(), disks);
            }
        }
        b.finish()
    }

    fn captured(&self, d: &SourceMetadataDisk) -> CapturedDisk {
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
        let name = d.name.clone().unwrap_or_default();
        CapturedDisk {
            disk_key: disk_id.unwrap_or(&name).to_ascii_lowercase(),
            disk_name: name,
            provisioned_gib: d
                .disk_size_gb
                .or_else(|| live.and_then(|l| l.properties.disk_size_gb))
                .unwrap_or(0.0),
            storage_type: captured_type
                .or_else(|| live.and_then(|l| l.storage_type()))
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            disk_restore_point_id: d
                .disk_restore_point
                .as_ref()
                .map(|r| r.id.clone())
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
            name: resource_group.clone(),
        },
        NodeId::Vm(id) => cost::Scope::Vm(id.as_str().to_ascii_lowercase()),
        NodeId::Collection(id) => cost::Scope::Collection(id.as_str().to_owned()),
        NodeId::Point(id) => cost::Scope::Point(id.as_str().to_owned()),
        NodeId::DiskPoint(id) => id.parent().map_or(cost::Scope::Fleet, |p| {
            cost::Scope::Point(p.as_str().to_owned())
        }),
    }
}
