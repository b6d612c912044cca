//! `VmFacts`: everything `assess` needs about one VM, borrowed from inventory the backend
//! already holds. No I/O: the backend fills it, the rules read it.

use crate::model::{
    Disk, ResourceId, RestorePoint, RestorePointCollection, Timestamp, VirtualMachine,
};

use super::mode::Mode;

/// The CRP api-version rpdesk sends for restore points (the first stable Compute RP version with instant access).
pub const DEFAULT_API_VERSION: &str = "2025-04-01";

/// How the VM's scale set orchestrates it, when the backend knows the scale set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orchestration {
    /// `orchestrationMode: Uniform`: restore points not supported.
    Uniform,
    /// `orchestrationMode: Flexible`: restore points per VM.
    Flexible,
}

/// A restore point PUT rpdesk sent for a VM, refused ones included: Azure meters
/// requests, one hourly budget per consistency mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PointPut {
    /// When it was sent.
    pub at: Timestamp,
    /// The mode it asked for.
    pub mode: Mode,
}

/// What ARM cannot tell about the guest; `None` means unknown.
#[derive(Clone, Copy, Debug, Default)]
pub struct GuestFacts {
    /// The guest OS is 32-bit.
    pub is_32_bit: Option<bool>,
    /// The guest mounts NFS shares.
    pub nfs_mounts: Option<bool>,
}

/// The facts about one VM that the rules read.
#[derive(Clone, Debug)]
pub struct VmFacts<'a> {
    /// The VM, ideally with `instanceView` (power state, osName, osVersion).
    pub vm: &'a VirtualMachine,
    /// The VM's managed disks, resolved by id; a disk that could not be loaded is absent.
    pub disks: Vec<&'a Disk>,
    /// Collections holding this VM's points (see [`collection_belongs_to_vm`]), with
    /// their points expanded (`$expand=restorePoints`).
    pub collections: Vec<&'a RestorePointCollection>,
    /// The collection the next point goes into; `None` means a new one will be created.
    pub target_collection: Option<&'a ResourceId>,
    /// The backend has a restore point creation for this VM in flight.
    pub creation_in_flight: bool,
    /// Restore point PUTs sent for this VM that rpdesk knows of (its own, including
    /// refused ones); points' `timeCreated` are counted as well, so this may be empty.
    pub recent_puts: Vec<PointPut>,
    /// Restore point collections in the VM's subscription and region.
    pub collections_in_subscription_region: usize,
    /// Instant access creations in flight in the VM's subscription and region.
    pub instant_access_in_flight_in_subscription_region: usize,
    /// `instantAccessDurationMinutes` the point would be created with (None: default 300).
    pub instant_access_duration_minutes: Option<i64>,
    /// The CRP api-version the client sends.
    pub api_version: &'a str,
    /// Scale set orchestration mode, if the backend loaded the scale set.
    pub orchestration: Option<Orchestration>,
    /// Guest facts ARM does not report.
    pub guest: GuestFacts,
}

impl<'a> VmFacts<'a> {
    /// Facts with only the VM known: no disks resolved, no history, nothing in flight.
    pub fn new(vm: &'a VirtualMachine) -> Self {
        Self {
            vm,
            disks: Vec::new(),
            collections: Vec::new(),
            target_collection: None,
            creation_in_flight: false,
            recent_puts: Vec::new(),
            collections_in_subscription_region: 0,
            instant_access_in_flight_in_subscription_region: 0,
            instant_access_duration_minutes: None,
            api_version: DEFAULT_API_VERSION,
            orchestration: None,
            guest: GuestFacts::default(),
        }
    }

    /// Resolves the VM's managed disks with `lookup` (for example a map by id).
    pub fn with_disks(mut self, lookup: impl Fn(&str) -> Option<&'a Disk>) -> Self {
        self.disks = managed_disk_ids(self.vm).filter_map(lookup).collect();
        self
    }

    /// Keeps the collections of `all` that belong to this VM and picks the target: a
    /// collection whose `source.id` is this VM, not owned by Azure Backup, preferably in
    /// the VM's region.
    pub fn with_collections(
        mut self,
        all: impl IntoIterator<Item = &'a RestorePointCollection>,
    ) -> Self {
        let vm = self.vm;
        self.collections = all
            .into_iter()
            .filter(|c| collection_belongs_to_vm(c, vm))
            .collect();
        let region = normalize_region(&vm.location);
        let mut candidates: Vec<&'a RestorePointCollection> = self
            .collections
            .iter()
            .copied()
            .filter(|c| c.source_id().is_some_and(|s| s == vm.id) && !c.is_azure_backup())
            .collect();
        candidates.sort_by_key(|c| normalize_region(&c.location) != region);
        self.target_collection = candidates.first().map(|c| &c.id);
        self
    }

    /// Every restore point of this VM across its collections.
    pub fn points(&self) -> impl Iterator<Item = &'a RestorePoint> + '_ {
        self.collections
            .iter()
            .flat_map(|c| c.restore_points().iter())
    }

    /// The target collection, if it is one of `collections`.
    pub fn target(&self) -> Option<&'a RestorePointCollection> {
        let id = self.target_collection?;
        self.collections.iter().copied().find(|c| &c.id == id)
    }

    /// The VM's region, normalised (`West US 2` → `westus2`).
    pub fn region(&self) -> String {
        normalize_region(&self.vm.location)
    }
}

/// The managed disk ids the VM references (OS disk first, then data disks by LUN).
pub fn managed_disk_ids(vm: &VirtualMachine) -> impl Iterator<Item = &str> {
    let os = vm
        .os_disk()
        .and_then(|d| d.managed_disk.as_ref()?.id.as_deref());
    os.into_iter().chain(
        vm.data_disks()
            .into_iter()
            .filter_map(|d| d.managed_disk.as_ref()?.id.as_deref()),
    )
}

/// Whether a collection holds this VM's points: its `source.id` is the VM, or (for a VM
/// moved between resource groups or subscriptions, whose collections keep the old id) a
/// point's `sourceMetadata.vmId` is the VM's `vmId`.
pub fn collection_belongs_to_vm(collection: &RestorePointCollection, vm: &VirtualMachine) -> bool {
    if collection.source_id().is_some_and(|s| s == vm.id) {
        return true;
    }
    let Some(vm_id) = vm.properties.vm_id.as_deref() else {
        return false;
    };
    collection.restore_points().iter().any(|p| {
        p.properties
            .source_metadata
            .as_ref()
            .and_then(|m| m.vm_id.as_deref())
            .is_some_and(|id| id.eq_ignore_ascii_case(vm_id))
    })
}

/// `West US 2` / `westus2` → `westus2`.
pub fn normalize_region(region: &str) -> String {
    region
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether two ARM id strings name the same resource (case, leading and trailing slashes ignored).
pub fn same_id(a: &str, b: &str) -> bool {
    a.trim_matches('/')
        .eq_ignore_ascii_case(b.trim_matches('/'))
}
