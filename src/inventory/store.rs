//! The inventory store and its read-side queries.

use std::collections::HashMap;

use super::{CollectionLink, ErrorInfo, Loadable, NodeId};
use crate::model::{
    Disk, DiskRestorePoint, NetworkInterface, ResourceId, RestorePoint, RestorePointCollection,
    Subscription, Text, VirtualMachine, VirtualNetwork, VmInstanceView,
};

/// What the backend reports; [`Inventory::apply`] folds each into the store.
#[derive(Clone, Debug)]
pub enum InventoryEvent {
    /// The subscription list. Each subscription's lists are marked loading, because the
    /// backend loads them right after.
    Subscriptions(Result<Vec<Subscription>, ErrorInfo>),
    Vms {
        subscription_id: String,
        /// Boxed, as the inventory keeps them.
        result: Result<Vec<Box<VirtualMachine>>, ErrorInfo>,
    },
    /// Power states from `statusOnly=true`, merged into VMs already known.
    VmStatuses {
        subscription_id: String,
        statuses: Vec<(ResourceId, VmInstanceView)>,
    },
    Disks {
        subscription_id: String,
        result: Result<Vec<Box<Disk>>, ErrorInfo>,
    },
    /// A subscription's collections. Each one's points are marked loading, because the
    /// backend fetches them right after.
    Collections {
        subscription_id: String,
        result: Result<Vec<RestorePointCollection>, ErrorInfo>,
    },
    /// A collection fetched with `$expand=restorePoints`.
    CollectionPoints {
        collection_id: ResourceId,
        result: Result<Box<RestorePointCollection>, ErrorInfo>,
    },
    /// A restore point fetched with `$expand=instanceView`.
    PointDetail {
        point_id: ResourceId,
        result: Result<Box<RestorePoint>, ErrorInfo>,
    },
    /// rpdesk sent a restore point PUT for a VM.
    CreationPut {
        vm_id: ResourceId,
        at: crate::model::Timestamp,
        mode: crate::rules::Mode,
    },
    /// rpdesk sent a restore point copy PUT to a target collection.
    CopyPut {
        collection_id: ResourceId,
        at: crate::model::Timestamp,
    },
    /// A copy's progress as rpdesk last read it.
    CopyWatch(Box<super::CopyWatch>),
    /// A group restore point run is over: what each member got.
    GroupReport(Box<super::GroupReport>),
    /// A creation for a VM is over (succeeded, failed or cancelled).
    CreationDone { vm_id: ResourceId },
    /// `orchestrationMode` of scale sets that VMs belong to.
    ScaleSets(Vec<(ResourceId, String)>),
    DiskPoints {
        point_id: ResourceId,
        result: Result<Vec<DiskRestorePoint>, ErrorInfo>,
    },
    Raw {
        id: ResourceId,
        result: Result<serde_json::Value, ErrorInfo>,
    },
    /// A subscription's virtual networks with their subnets (for a restored VM's NIC).
    Networks {
        subscription_id: String,
        result: Result<Vec<VirtualNetwork>, ErrorInfo>,
    },
    /// A subscription's resource group names.
    ResourceGroups {
        subscription_id: String,
        result: Result<Vec<String>, ErrorInfo>,
    },
    /// A network interface (a VM's primary NIC tells its subnet).
    Nic {
        id: ResourceId,
        result: Result<NetworkInterface, ErrorInfo>,
    },
    /// rpdesk deleted a restore point or a collection (its points with it).
    Deleted(ResourceId),
    /// Azure refused to delete a point or a collection because one of its disk restore
    /// points has an active SAS.
    SasRefused {
        id: ResourceId,
        message: String,
        at: crate::model::Timestamp,
    },
    /// rpdesk revoked access to the disk restore points of a point or a collection.
    SasRevoked { id: ResourceId },
}

/// A delete Azure refused because a disk restore point had an active SAS: Azure shows no
/// SAS state on a disk restore point, so this (and the grants rpdesk made itself: none)
/// is all rpdesk can know.
#[derive(Clone, Debug, PartialEq)]
pub struct SasRefusal {
    /// When Azure refused.
    pub at: crate::model::Timestamp,
    /// Azure's message.
    pub message: String,
}

/// One subscription and the loading state of each list inside it.
#[derive(Clone, Debug)]
pub struct SubscriptionEntry {
    pub subscription: Subscription,
    pub vms: Loadable<()>,
    pub disks: Loadable<()>,
    pub collections: Loadable<()>,
}

/// A collection and its restore points.
#[derive(Clone, Debug)]
pub struct CollectionEntry {
    pub collection: RestorePointCollection,
    pub link: CollectionLink,
    /// Point ids, oldest first.
    pub points: Loadable<Vec<ResourceId>>,
}

impl CollectionEntry {
    /// Its points are read on demand and have not been asked for (see `on_demand`).
    pub fn points_unread(&self) -> bool {
        matches!(self.points, Loadable::NotRequested)
    }
}

/// A restore point with its lazily fetched instance view and disk restore points.
#[derive(Clone, Debug)]
pub struct PointEntry {
    pub point: RestorePoint,
    /// What was fetched beyond the listing. Boxed, and absent until asked for: most points
    /// never have it, and a fleet holds 100,000 entries.
    fetched: Option<Box<PointFetched>>,
}

/// What [`PointEntry`] fetches on demand.
#[derive(Clone, Debug, Default)]
struct PointFetched {
    detail: Loadable<Box<RestorePoint>>,
    disk_points: Loadable<Vec<ResourceId>>,
}

impl PointEntry {
    /// A point as listed, nothing fetched yet.
    pub fn new(point: RestorePoint) -> Self {
        Self {
            point,
            fetched: None,
        }
    }

    /// The point with its instance view (`GET …?$expand=instanceView`).
    pub fn detail(&self) -> &Loadable<Box<RestorePoint>> {
        const NOT_REQUESTED: &Loadable<Box<RestorePoint>> = &Loadable::NotRequested;
        self.fetched.as_ref().map_or(NOT_REQUESTED, |f| &f.detail)
    }

    /// The ids of its disk restore points, as the Disk RP lists them.
    pub fn disk_points(&self) -> &Loadable<Vec<ResourceId>> {
        const NOT_REQUESTED: &Loadable<Vec<ResourceId>> = &Loadable::NotRequested;
        self.fetched
            .as_ref()
            .map_or(NOT_REQUESTED, |f| &f.disk_points)
    }

    pub fn detail_mut(&mut self) -> &mut Loadable<Box<RestorePoint>> {
        &mut self.fetched.get_or_insert_default().detail
    }

    pub fn disk_points_mut(&mut self) -> &mut Loadable<Vec<ResourceId>> {
        &mut self.fetched.get_or_insert_default().disk_points
    }
}

/// Everything loaded so far.
#[derive(Debug, Default)]
pub struct Inventory {
    pub subscriptions: Loadable<Vec<String>>,
    pub subs: HashMap<String, SubscriptionEntry>,
    pub vms: HashMap<ResourceId, Box<VirtualMachine>>,
    pub disks: HashMap<ResourceId, Box<Disk>>,
    pub collections: HashMap<ResourceId, Box<CollectionEntry>>,
    /// Boxed: an entry is a few hundred bytes, and a hash table keeps spare slots (up to
    /// half of them right after it grows); a slot is then a key and a pointer.
    pub points: HashMap<ResourceId, Box<PointEntry>>,
    pub disk_points: HashMap<ResourceId, DiskRestorePoint>,
    pub raw: HashMap<ResourceId, Loadable<serde_json::Value>>,
    /// Bumped on every change, so views can cache derived data.
    pub generation: u64,
    /// Restore point creations rpdesk sent or queued, per VM.
    pub creations: HashMap<ResourceId, super::CreationLog>,
    /// Copy PUTs rpdesk sent, per target collection, oldest first.
    pub copies: HashMap<ResourceId, Vec<crate::model::Timestamp>>,
    /// Copies rpdesk sent this session, oldest first, with their progress.
    pub copy_watches: Vec<super::CopyWatch>,
    /// Group restore point runs this session, oldest first.
    pub group_reports: Vec<super::GroupReport>,
    /// `orchestrationMode` per scale set id.
    pub scale_set_modes: HashMap<ResourceId, String>,
    /// Virtual networks per subscription (lower case), loaded when a restore needs them.
    pub networks: HashMap<String, Loadable<Vec<VirtualNetwork>>>,
    /// Resource group names per subscription (lower case), loaded when a restore needs them.
    pub resource_groups: HashMap<String, Loadable<Vec<String>>>,
    /// Network interfaces read so far.
    pub nics: HashMap<ResourceId, NetworkInterface>,
    /// Points and collections Azure refused to delete for an active SAS, until revoked
    /// or deleted.
    pub sas_refusals: HashMap<ResourceId, SasRefusal>,
    /// The local labels of points (kept by the app, shown by the tree, table and search).
    pub labels: crate::lifecycle::Labels,
    pub(super) vms_by_sub: HashMap<String, Vec<ResourceId>>,
    pub(super) collections_by_vm: HashMap<ResourceId, Vec<ResourceId>>,
    pub(super) unlinked_by_sub: HashMap<String, Vec<ResourceId>>,
}

impl Inventory {
    /// Subscription ids in display order (by name).
    pub fn subscription_ids(&self) -> &[String] {
        self.subscriptions.value().map(Vec::as_slice).unwrap_or(&[])
    }

    /// VM ids of a subscription, by name.
    pub fn vms_of(&self, subscription_id: &str) -> &[ResourceId] {
        self.vms_by_sub
            .get(&subscription_id.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Collection ids whose source is this VM, by name.
    pub fn collections_of(&self, vm_id: &ResourceId) -> &[ResourceId] {
        self.collections_by_vm
            .get(vm_id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Collections of a subscription not attached to a known VM.
    pub fn unlinked_of(&self, subscription_id: &str) -> &[ResourceId] {
        self.unlinked_by_sub
            .get(&subscription_id.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Point ids of a collection (oldest first), if loaded.
    pub fn points_of(&self, collection_id: &ResourceId) -> &[ResourceId] {
        self.collections
            .get(collection_id)
            .and_then(|c| c.points.value())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every restore point of a VM across its collections, oldest first.
    pub fn points_of_vm(&self, vm_id: &ResourceId) -> Vec<&PointEntry> {
        let mut out: Vec<&PointEntry> = self
            .collections_of(vm_id)
            .iter()
            .flat_map(|c| self.points_of(c))
            .filter_map(|p| self.point_entry(p))
            .collect();
        out.sort_by_key(|p| p.point.properties.time_created);
        out
    }

    /// Disk restore point ids of a point: from the listing if loaded, else from the
    /// point's captured `sourceMetadata` (which names them without another request).
    pub fn disk_points_of(&self, point_id: &ResourceId) -> Vec<ResourceId> {
        let Some(entry) = self.points.get(point_id) else {
            return Vec::new();
        };
        if let Some(ids) = entry.disk_points().value() {
            return ids.clone();
        }
        entry
            .point
            .captured_disks()
            .iter()
            .filter_map(|d| d.disk_restore_point.as_ref()?.id.resource_id())
            .collect()
    }

    /// A point's entry.
    pub fn point_entry(&self, id: &ResourceId) -> Option<&PointEntry> {
        self.points.get(id).map(|e| &**e)
    }

    /// The best-known version of a point: with instance view if fetched.
    pub fn point(&self, id: &ResourceId) -> Option<&RestorePoint> {
        let entry = self.points.get(id)?;
        Some(entry.detail().value().map_or(&entry.point, |d| &**d))
    }

    /// Resource groups of a subscription that hold VMs, sorted.
    pub fn groups_of(&self, subscription_id: &str) -> Vec<String> {
        let mut groups: Vec<String> = self
            .vms_of(subscription_id)
            .iter()
            .filter_map(|id| id.resource_group().map(str::to_owned))
            .collect();
        groups.sort_by_key(|g| g.to_ascii_lowercase());
        groups.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        groups
    }

    /// Children of a node in the navigator, in display order.
    pub fn children(&self, node: &NodeId, group_by_rg: bool) -> Vec<NodeId> {
        match node {
            NodeId::Subscription(sub) => {
                let mut out: Vec<NodeId> = if group_by_rg {
                    self.groups_of(sub)
                        .into_iter()
                        .map(|rg| NodeId::Group {
                            subscription_id: sub.clone(),
                            resource_group: rg.into(),
                        })
                        .collect()
                } else {
                    self.vms_of(sub).iter().cloned().map(NodeId::Vm).collect()
                };
                if !self.unlinked_of(sub).is_empty() {
                    out.push(NodeId::Unlinked(sub.clone()));
                }
                out
            }
            NodeId::Group {
                subscription_id,
                resource_group,
            } => self
                .vms_of(subscription_id)
                .iter()
                .filter(|id| {
                    id.resource_group()
                        .is_some_and(|g| g.eq_ignore_ascii_case(resource_group))
                })
                .cloned()
                .map(NodeId::Vm)
                .collect(),
            NodeId::Vm(id) => self
                .collections_of(id)
                .iter()
                .cloned()
                .map(NodeId::Collection)
                .collect(),
            NodeId::Unlinked(sub) => self
                .unlinked_of(sub)
                .iter()
                .cloned()
                .map(NodeId::Collection)
                .collect(),
            NodeId::Collection(id) => self
                .points_of(id)
                .iter()
                .rev()
                .cloned()
                .map(NodeId::Point)
                .collect(),
            NodeId::Point(id) => self
                .disk_points_of(id)
                .into_iter()
                .map(NodeId::DiskPoint)
                .collect(),
            NodeId::DiskPoint(_) => Vec::new(),
        }
    }

    /// A node's display name.
    pub fn label(&self, node: &NodeId) -> String {
        match node {
            NodeId::Subscription(s) => self
                .subs
                .get(s.as_str())
                .map(|e| e.subscription.display_name.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| s.to_string()),
            NodeId::Group { resource_group, .. } => resource_group.to_string(),
            NodeId::Unlinked(_) => "Collections without a VM".to_owned(),
            NodeId::Vm(id) | NodeId::Collection(id) | NodeId::Point(id) => id.name().to_owned(),
            NodeId::DiskPoint(id) => self.disk_point_label(id),
        }
    }

    /// "LUN 1 · datadisk-01" or "OS · osdisk" for a disk restore point, from the captured
    /// metadata (the role first, so truncation never hides it).
    pub fn disk_point_label(&self, id: &ResourceId) -> String {
        let captured = id.parent().and_then(|p| self.point(&p)).and_then(|p| {
            p.captured_disks()
                .into_iter()
                .find(|d| {
                    d.disk_restore_point
                        .as_ref()
                        .is_some_and(|r| r.id.resource_id().as_ref() == Some(id))
                })
                .map(|d| (d.name.clone(), d.lun))
        });
        match captured {
            Some((Some(name), Some(lun))) => format!("LUN {lun} · {name}"),
            Some((Some(name), None)) => format!("OS · {name}"),
            _ => id.name().to_owned(),
        }
    }

    /// The parent of a node in the tree (for Esc / Left and for revealing search hits).
    pub fn parent(&self, node: &NodeId, group_by_rg: bool) -> Option<NodeId> {
        match node {
            NodeId::Subscription(_) => None,
            NodeId::Group {
                subscription_id, ..
            }
            | NodeId::Unlinked(subscription_id) => {
                Some(NodeId::Subscription(subscription_id.clone()))
            }
            NodeId::Vm(id) => {
                let sub = Text::from(id.subscription_id());
                Some(match (group_by_rg, id.resource_group()) {
                    (true, Some(rg)) => NodeId::Group {
                        subscription_id: sub,
                        resource_group: rg.into(),
                    },
                    _ => NodeId::Subscription(sub),
                })
            }
            NodeId::Collection(id) => match self.collections.get(id).map(|c| &c.link) {
                Some(CollectionLink::Vm(vm)) => Some(NodeId::Vm(vm.clone())),
                _ => Some(NodeId::Unlinked(id.subscription_id().into())),
            },
            NodeId::Point(id) => id.parent().map(NodeId::Collection),
            NodeId::DiskPoint(id) => id.parent().map(NodeId::Point),
        }
    }

    /// The chain from the root down to `node` (inclusive).
    pub fn ancestry(&self, node: &NodeId, group_by_rg: bool) -> Vec<NodeId> {
        let mut chain = vec![node.clone()];
        while let Some(parent) = chain.last().and_then(|n| self.parent(n, group_by_rg)) {
            if chain.len() > 8 {
                break;
            }
            chain.push(parent);
        }
        chain.reverse();
        chain
    }

    /// Managed disks attached to a VM, resolved from the disk list.
    pub fn disks_of_vm(&self, vm: &VirtualMachine) -> Vec<&Disk> {
        let mut ids: Vec<ResourceId> = Vec::new();
        if let Some(id) = vm
            .os_disk()
            .and_then(|d| d.managed_disk.as_ref()?.id.as_deref())
        {
            ids.extend(ResourceId::parse(id).ok());
        }
        for d in vm.data_disks() {
            if let Some(id) = d.managed_disk.as_ref().and_then(|m| m.id.as_deref()) {
                ids.extend(ResourceId::parse(id).ok());
            }
        }
        ids.iter()
            .filter_map(|id| self.disks.get(id).map(Box::as_ref))
            .collect()
    }
}

#[cfg(test)]
mod size_tests {
    use std::mem::size_of;

    use super::*;
    use crate::model::{DiskRestorePointRef, SourceMetadata};

    /// A fleet keeps 100,000 points, a quarter of a million captured disks and ids by the
    /// hundred thousand: these sizes are its memory (see the README's Speed section).
    #[test]
    fn what_a_fleet_keeps_per_point_stays_small() {
        // Ids and shared texts are one thin pointer each.
        assert_eq!(size_of::<ResourceId>(), 8);
        assert_eq!(size_of::<Text>(), 8);
        assert_eq!(size_of::<Option<Text>>(), 8);
        // An entry holds its point's source metadata inline: one allocation per point.
        assert!(
            size_of::<PointEntry>() <= 216,
            "{}",
            size_of::<PointEntry>()
        );
        assert!(
            size_of::<SourceMetadata>() <= 96,
            "{}",
            size_of::<SourceMetadata>()
        );
        assert!(
            size_of::<DiskRestorePointRef>() <= 56,
            "{}",
            size_of::<DiskRestorePointRef>()
        );
    }
}
