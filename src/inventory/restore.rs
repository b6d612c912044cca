//! The glue between the inventory and the restore planner: [`RestoreFacts`] for one point,
//! from what the inventory holds (the point with its instance view, its disk restore
//! points as read, the VM it came from and its disks, names taken, subnets, and a safety
//! point when the rules allow one now).

use std::collections::BTreeSet;

use super::{CollectionLink, Inventory, RegionCounts, default_collection_id};
use crate::model::{CachingType, ConsistencyMode, Disk, ResourceId, Timestamp, VirtualMachine};
use crate::restore::facts::name_key;
use crate::restore::{DiskPointFacts, LiveDisk, LiveVm, RestoreFacts, SafetyPoint, SubnetFacts};
use crate::rules::{Verdict, assess_both};

impl Inventory {
    /// What the planner needs to restore `point_id`, or `None` if the point is not loaded.
    pub fn restore_facts(&self, point_id: &ResourceId, now_unix: i64) -> Option<RestoreFacts> {
        let point = self.point(point_id)?.clone();
        let collection_id = point_id.parent()?;
        let collection = self.collections.get(&collection_id)?;
        let sub = point_id.subscription_id().to_ascii_lowercase();
        let view = point.properties.instance_view.as_ref();
        let disks = point
            .captured_disks()
            .into_iter()
            .filter_map(|d| {
                let id = d.disk_restore_point.as_ref()?.id.resource_id()?;
                let resource = self.disk_points.get(&id);
                let from_view = view.and_then(|v| {
                    v.disk_restore_points
                        .iter()
                        .find(|x| ResourceId::parse(&x.id).ok().as_ref() == Some(&id))
                });
                let source_disk_id = d
                    .managed_disk
                    .as_ref()
                    .and_then(|m| m.id.as_deref())
                    .and_then(|s| ResourceId::parse(s).ok());
                let props = resource.map(|r| &r.properties);
                Some(DiskPointFacts {
                    lun: d.lun,
                    captured_name: d
                        .name
                        .as_deref()
                        .map_or_else(|| id.name().to_owned(), str::to_owned),
                    size_gb: d.disk_size_gb,
                    sku: d
                        .managed_disk
                        .as_ref()
                        .and_then(|m| m.storage_account_type.clone()),
                    caching: d.caching.clone().unwrap_or(CachingType::None),
                    write_accelerator: d.write_accelerator_enabled.unwrap_or(false),
                    source_disk: source_disk_id
                        .as_ref()
                        .and_then(|s| self.disks.get(s))
                        .map(Box::as_ref)
                        .map(live_disk),
                    source_disk_id,
                    access_state: props
                        .and_then(|p| p.snapshot_access_state.clone())
                        .or_else(|| from_view.and_then(|v| v.snapshot_access_state.clone())),
                    completion_percent: props.and_then(|p| p.completion_percent).or_else(|| {
                        from_view
                            .and_then(|v| v.replication_status.as_ref())
                            .and_then(|r| r.completion_percent)
                    }),
                    logical_sector_size: props.and_then(|p| p.logical_sector_size),
                    encryption_type: props
                        .and_then(|p| p.encryption.as_ref())
                        .and_then(|e| e.kind.as_deref())
                        .map(str::to_owned),
                    details_loaded: resource.is_some(),
                    id,
                })
            })
            .collect();
        let (source_vm_id, live, missing) = self.live_source_vm(&collection.link, &point);
        let live_vm = live.map(|vm| self.live_vm(vm));
        let safety_point = match live {
            Some(vm) => self.safety_point(vm, now_unix),
            None => Err("the VM is not there".into()),
        };
        let taken_disk_names: BTreeSet<String> = self
            .disks
            .keys()
            .filter(|id| id.subscription_id().eq_ignore_ascii_case(&sub))
            .map(|id| name_key(id.resource_group().unwrap_or_default(), id.name()))
            .collect();
        let taken_vm_names = self
            .vms_of(&sub)
            .iter()
            .map(|id| name_key(id.resource_group().unwrap_or_default(), id.name()))
            .collect();
        let subnets = self
            .networks
            .get(&sub)
            .and_then(|l| l.value())
            .map(|vnets| {
                vnets
                    .iter()
                    .flat_map(|v| {
                        v.properties.subnets.iter().map(|s| SubnetFacts {
                            id: s.id.clone(),
                            name: s.name.clone(),
                            vnet: v.name.clone(),
                            location: v.location.clone(),
                        })
                    })
                    .collect()
            });
        let resource_groups = self
            .resource_groups
            .get(&sub)
            .and_then(|l| l.value())
            .cloned()
            .unwrap_or_else(|| self.groups_of(&sub));
        Some(RestoreFacts {
            location: collection.collection.location.clone(),
            collection_id,
            disks,
            source_vm_id,
            live_vm,
            vm_missing_reason: missing,
            taken_disk_names,
            taken_vm_names,
            subnets,
            resource_groups,
            safety_point,
            now_unix,
            point,
        })
    }

    /// The VM a point was taken from, if it is still the same machine.
    fn live_source_vm(
        &self,
        link: &CollectionLink,
        point: &crate::model::RestorePoint,
    ) -> (Option<ResourceId>, Option<&VirtualMachine>, Option<String>) {
        let (id, now) = match link {
            CollectionLink::Vm(id) => (Some(id.clone()), Some(id.clone())),
            CollectionLink::Moved { stale, now } => (Some(stale.clone()), Some(now.clone())),
            CollectionLink::MissingVm(id) => {
                return (
                    Some(id.clone()),
                    None,
                    Some(format!(
                        "The VM this point was taken from, {}, no longer exists: restore the disks or build a new VM instead",
                        id.name()
                    )),
                );
            }
            CollectionLink::CopyOf(_) => {
                return (
                    None,
                    None,
                    Some("This point is a cross-region copy: it can be restored as disks or a new VM in its own region, not swapped into the source VM".into()),
                );
            }
            CollectionLink::Unknown => {
                return (None, None, Some("The collection names no source VM".into()));
            }
        };
        let Some(vm) = now.as_ref().and_then(|n| self.vms.get(n)) else {
            return (
                id,
                None,
                Some("The VM is not in the loaded inventory".into()),
            );
        };
        let captured = point
            .properties
            .source_metadata
            .as_ref()
            .and_then(|m| m.vm_id.as_deref());
        if let (Some(then), Some(now_id)) = (captured, vm.properties.vm_id.as_deref())
            && !then.eq_ignore_ascii_case(now_id)
        {
            return (
                id,
                None,
                Some(format!(
                    "{} was re-created since this point (its vmId changed): it is another machine, so it cannot be rolled back to this point",
                    vm.name
                )),
            );
        }
        (id, Some(vm), None)
    }

    fn live_vm(&self, vm: &VirtualMachine) -> LiveVm {
        let disk = |m: Option<&crate::model::ManagedDiskParameters>| {
            let id = ResourceId::parse(m?.id.as_deref()?).ok()?;
            self.disks.get(&id).map(Box::as_ref).map(live_disk)
        };
        let nic = vm
            .properties
            .network_profile
            .as_ref()
            .and_then(|n| n.primary_nic())
            .and_then(|n| ResourceId::parse(&n.id).ok());
        LiveVm {
            os_disk: disk(vm.os_disk().and_then(|d| d.managed_disk.as_ref())),
            data_disks: vm
                .data_disks()
                .into_iter()
                .map(|d| (d.lun, disk(d.managed_disk.as_ref())))
                .collect(),
            subnet_id: nic.and_then(|n| self.nics.get(&n)).and_then(|n| {
                let text = n
                    .properties
                    .pointer("/ipConfigurations/0/properties/subnet/id")?
                    .as_str()?;
                ResourceId::parse(text).ok()
            }),
            vm: vm.clone(),
        }
    }

    /// A crash-consistent point (else an application-consistent one) the rules accept
    /// now, with the exclusions they require.
    fn safety_point(&self, vm: &VirtualMachine, now_unix: i64) -> Result<SafetyPoint, String> {
        let counts = RegionCounts::of(self);
        let source = self
            .facts_source(&vm.id, &counts)
            .ok_or("the VM is not loaded")?;
        let facts = source.facts();
        let [app, crash] = assess_both(&facts, Timestamp::from_unix_secs(now_unix));
        let allowed = |a: &crate::rules::Assessment| {
            matches!(
                a.verdict,
                Verdict::Supported | Verdict::SupportedWithExclusions
            )
        };
        let (mode, assessment) = if allowed(&crash) {
            (ConsistencyMode::CrashConsistent, &crash)
        } else if allowed(&app) {
            (ConsistencyMode::ApplicationConsistent, &app)
        } else {
            let why = match crash.verdict {
                Verdict::NotYet { until: Some(t) } => format!(
                    "Azure allows the next restore point of {} at {}",
                    vm.name,
                    t.local_text()
                ),
                Verdict::NotYet { until: None } => {
                    "another restore point of this VM is being created".into()
                }
                _ => format!("the support matrix allows no restore point of {}", vm.name),
            };
            return Err(why);
        };
        let (collection_id, create_collection) = match facts.target_collection.cloned() {
            Some(c) => (c, false),
            None => (
                default_collection_id(&vm.id).ok_or("the VM's id has no resource group")?,
                true,
            ),
        };
        let t = Timestamp::from_unix_secs(now_unix).0;
        Ok(SafetyPoint {
            vm_id: vm.id.clone(),
            collection_id,
            create_collection,
            location: vm.location.to_string(),
            point_name: format!(
                "rp-before-restore-{:04}{:02}{:02}-{:02}{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            ),
            mode,
            exclude_disks: assessment.exclude_disks.clone(),
        })
    }
}

fn live_disk(d: &Disk) -> LiveDisk {
    LiveDisk {
        id: d.id.clone(),
        sku: d.storage_type().cloned(),
        size_gb: d.properties.disk_size_gb,
        zones: d.zones.clone(),
        disk_encryption_set_id: d
            .properties
            .encryption
            .as_ref()
            .and_then(|e| e.disk_encryption_set_id.as_deref().map(str::to_owned)),
        tags: d.tags.clone(),
    }
}
