//! What the operator chose in the wizard, and the defaults rpdesk proposes: every disk,
//! the source's SKU and size, the source disk's encryption set when it still exists,
//! names that are free, the live VM's zone, resource group and subnet.

use serde::{Deserialize, Serialize};

use super::facts::{DiskPointFacts, RestoreFacts};
use super::names::{first_free, max_vm_name_len, truncate_name};
use crate::model::{OsType, ResourceId, StorageAccountType};

/// Where the restored disks go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// New, unattached disks.
    #[default]
    DisksOnly,
    /// A new VM built from the configuration the point captured.
    NewVm,
    /// The source VM rolled back in place: its disks swapped for the restored ones.
    Swap,
}

impl Target {
    /// Short title.
    pub fn label(self) -> &'static str {
        match self {
            Self::DisksOnly => "Disks only",
            Self::NewVm => "A new VM",
            Self::Swap => "Roll the VM back in place",
        }
    }
}

/// One row of the Disks step.
#[derive(Clone, Debug, PartialEq)]
pub struct DiskChoice {
    pub include: bool,
    pub name: String,
    pub sku: StorageAccountType,
    /// As typed; checked by the validation.
    pub size_gb: String,
    /// `""`: no zone (only for disks-only restores: a VM's disks follow its zone).
    pub zone: String,
    pub resource_group: String,
    /// `""`: platform-managed keys.
    pub disk_encryption_set_id: String,
}

/// The Target step's fields for a new VM.
#[derive(Clone, Debug, PartialEq)]
pub struct NewVmChoice {
    pub name: String,
    pub resource_group: String,
    pub subnet_id: Option<ResourceId>,
    pub nic_name: String,
    /// `""`: no zone.
    pub zone: String,
    /// Put it in the live VM's availability set.
    pub keep_availability_set: bool,
}

/// Everything chosen in the wizard.
#[derive(Clone, Debug, PartialEq)]
pub struct RestoreChoices {
    pub target: Target,
    /// One per disk of [`RestoreFacts::disks`], same order.
    pub disks: Vec<DiskChoice>,
    pub new_vm: NewVmChoice,
    /// Take a restore point of the VM before swapping its disks.
    pub safety_point: bool,
    /// Wait until every disk restore point is ready instead of refusing.
    pub wait_until_ready: bool,
    /// Why: required, it goes into the evidence.
    pub reason: String,
    /// For a swap: the VM's name, typed.
    pub confirm_name: String,
}

impl RestoreChoices {
    /// rpdesk's proposal; with `only_disk`, just that disk restore point, as a disk.
    pub fn defaults(facts: &RestoreFacts, only_disk: Option<&ResourceId>) -> Self {
        let rg = default_resource_group(facts);
        let mut disks: Vec<DiskChoice> = Vec::with_capacity(facts.disks.len());
        for d in &facts.disks {
            let include = only_disk.is_none_or(|only| only == &d.id);
            let point = facts.point.name();
            let base = format!("{}-{point}", d.captured_name);
            let name = first_free(&base, 80, |n| {
                facts.disk_name_taken(&rg, n)
                    || disks.iter().any(|c| c.name.eq_ignore_ascii_case(n))
            });
            disks.push(DiskChoice {
                include,
                name,
                sku: d
                    .sku
                    .clone()
                    .or_else(|| d.source_disk.as_ref().and_then(|s| s.sku.clone()))
                    .unwrap_or(StorageAccountType::PremiumLrs),
                size_gb: d
                    .size_gb
                    .map(|s| format!("{}", s.ceil() as i64))
                    .unwrap_or_default(),
                zone: default_disk_zone(facts, d),
                resource_group: rg.clone(),
                disk_encryption_set_id: d
                    .source_disk
                    .as_ref()
                    .and_then(|s| s.disk_encryption_set_id.clone())
                    .unwrap_or_default(),
            });
        }
        let mut choices = Self {
            target: Target::DisksOnly,
            disks,
            new_vm: default_new_vm(facts, &rg),
            safety_point: facts.safety_point.is_ok(),
            wait_until_ready: false,
            reason: String::new(),
            confirm_name: String::new(),
        };
        choices.fill_late_defaults(facts);
        choices
    }

    /// Fills what depends on data that arrives after the wizard opened (the subnets).
    pub fn fill_late_defaults(&mut self, facts: &RestoreFacts) {
        if self.new_vm.subnet_id.is_none()
            && let Some(subnets) = &facts.subnets
        {
            let live = facts.live_vm.as_ref().and_then(|v| v.subnet_id.clone());
            self.new_vm.subnet_id = live.or_else(|| {
                subnets
                    .iter()
                    .find(|s| s.location.eq_ignore_ascii_case(&facts.location))
                    .map(|s| s.id.clone())
            });
        }
    }

    /// Switches the target and sets what a VM target fixes: for a swap, the OS disk keeps
    /// the size and encryption set of the VM's current OS disk (Azure swaps only those),
    /// and a replaced data disk is never smaller than the disk it replaces.
    pub fn set_target(&mut self, facts: &RestoreFacts, target: Target) {
        self.target = target;
        if target == Target::DisksOnly {
            return;
        }
        for (choice, d) in self.disks.iter_mut().zip(&facts.disks) {
            if d.is_os() {
                choice.include = true;
            }
        }
        if target != Target::Swap {
            return;
        }
        let Some(live) = &facts.live_vm else { return };
        for (choice, d) in self.disks.iter_mut().zip(&facts.disks) {
            let current = match d.lun {
                None => live.os_disk.as_ref(),
                Some(lun) => live
                    .data_disks
                    .iter()
                    .find(|(l, _)| *l == lun)
                    .and_then(|(_, disk)| disk.as_ref()),
            };
            let Some(current) = current else { continue };
            let captured = d.size_gb.unwrap_or(0.0);
            if let Some(size) = current.size_gb
                && (d.is_os() || size > captured)
            {
                choice.size_gb = format!("{}", size.ceil() as i64);
            }
            if d.is_os() || choice.disk_encryption_set_id.is_empty() {
                choice.disk_encryption_set_id =
                    current.disk_encryption_set_id.clone().unwrap_or_default();
            }
        }
    }

    /// The rows to restore, with their facts.
    pub fn included<'a>(
        &'a self,
        facts: &'a RestoreFacts,
    ) -> impl Iterator<Item = (usize, &'a DiskChoice, &'a DiskPointFacts)> {
        self.disks
            .iter()
            .zip(&facts.disks)
            .enumerate()
            .filter(|(_, (c, _))| c.include)
            .map(|(i, (c, d))| (i, c, d))
    }
}

/// The source VM's resource group, else the collection's.
fn default_resource_group(facts: &RestoreFacts) -> String {
    facts
        .live_vm
        .as_ref()
        .and_then(|v| v.vm.id.resource_group().map(str::to_owned))
        .or_else(|| facts.collection_id.resource_group().map(str::to_owned))
        .unwrap_or_default()
}

/// The source disk's zone, else the VM's, else none.
fn default_disk_zone(facts: &RestoreFacts, d: &DiskPointFacts) -> String {
    d.source_disk
        .as_ref()
        .and_then(|s| s.zones.first().cloned())
        .or_else(|| {
            facts
                .live_vm
                .as_ref()
                .and_then(|v| v.vm.zones.first().cloned())
        })
        .unwrap_or_default()
}

fn default_new_vm(facts: &RestoreFacts, rg: &str) -> NewVmChoice {
    let os = facts.os_type();
    let source_name = facts
        .source_vm_id
        .as_ref()
        .map(|id| id.name().to_owned())
        .unwrap_or_else(|| "restored".into());
    let max = max_vm_name_len(os.as_ref());
    let base = if os == Some(OsType::Windows) {
        format!("{}-r", truncate_name(&source_name, max - 2))
    } else {
        format!("{source_name}-restored")
    };
    let name = first_free(&base, max, |n| facts.vm_name_taken(rg, n));
    let live = facts.live_vm.as_ref();
    NewVmChoice {
        nic_name: format!("{name}-nic"),
        name,
        resource_group: rg.to_owned(),
        subnet_id: None,
        zone: live
            .and_then(|v| v.vm.zones.first().cloned())
            .unwrap_or_default(),
        keep_availability_set: live.is_some_and(|v| v.vm.properties.availability_set.is_some()),
    }
}
