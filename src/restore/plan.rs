//! The plan: (point, choices, facts) → ordered steps with their dependencies and the exact
//! ARM calls each sends. Every resource a run creates carries the run id in a tag; disks a
//! swap replaces are kept, detached, and tagged as replaced by the run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::choices::{RestoreChoices, Target};
use super::facts::{RestoreFacts, SafetyPoint};
use super::validate::{Problem, disk_zone, parse_size, problems};
use super::vm_patch::{
    OriginalVm, attach_call, detach_call, power_call, swap_os_call, without_data_disks,
};
use crate::model::{
    ArmCall, AttachedDisk, CachingType, ConsistencyMode, DiskRestoreRequest, NicRequest, OsType,
    ResourceId, StorageAccountType, VmFromDisksRequest, api_versions, tags_call,
};

/// Tag on everything a run creates: undo deletes only what carries it.
pub const TAG_RUN: &str = "rpdesk-run";
/// Tag on the disks a swap replaced (kept, detached, never deleted).
pub const TAG_REPLACED: &str = "rpdesk-replaced-by";
/// Tag naming the disk restore point a disk was restored from.
pub const TAG_FROM: &str = "rpdesk-restored-from";

/// What a step does. Each step looks its target up before it writes, so a resumed run
/// skips what is already done and never creates anything twice.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StepKind {
    /// A restore point of the VM before it is touched (through the creation flow).
    SafetyPoint(SafetyPoint),
    RestoreDisk {
        request: DiskRestoreRequest,
        /// Wait until the disk restore point is ready before the PUT.
        wait_ready: bool,
        /// Wait until a Premium SSD v2 / Ultra disk has hydrated (a VM that is not
        /// zonal cannot attach it before).
        wait_hydrated: bool,
    },
    CreateNic(NicRequest),
    CreateVm {
        request: Box<VmFromDisksRequest>,
        /// Ultra disks among the attached ones (the VM must enable them).
        ultra_disks: Vec<ResourceId>,
    },
    Deallocate {
        vm_id: ResourceId,
    },
    DetachDataDisks {
        vm_id: ResourceId,
        disk_ids: Vec<ResourceId>,
    },
    AttachDataDisks {
        vm_id: ResourceId,
        disks: Vec<AttachedDisk>,
    },
    SwapOsDisk {
        vm_id: ResourceId,
        disk_id: ResourceId,
        disk_name: String,
    },
    TagReplacedDisks {
        disk_ids: Vec<ResourceId>,
    },
    Start {
        vm_id: ResourceId,
    },
}

/// One step of a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub title: String,
    pub kind: StepKind,
    /// Indexes of the steps that must end first.
    pub depends_on: Vec<usize>,
    /// The writes it sends, as reviewed.
    pub calls: Vec<ArmCall>,
}

/// A disk the run creates, for the review and the cost of storage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedDisk {
    pub role: String,
    pub disk_id: ResourceId,
    pub source: ResourceId,
    pub sku: StorageAccountType,
    pub size_gb: i64,
}

/// Everything a run does, as reviewed. Written first into the run's journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub run_id: String,
    pub created_unix: i64,
    /// Which connection it belongs to (`demo`, `azure:public`, an endpoint).
    pub connection: String,
    pub point_id: ResourceId,
    pub point_time_unix: Option<i64>,
    pub consistency: Option<ConsistencyMode>,
    pub target: Target,
    pub location: String,
    /// The VM built or rolled back.
    pub vm_id: Option<ResourceId>,
    pub nic_id: Option<ResourceId>,
    pub disks: Vec<PlannedDisk>,
    /// For a swap: the VM's disks and power state before it.
    pub original_vm: Option<OriginalVm>,
    pub steps: Vec<Step>,
    pub reason: String,
    /// Things the operator must know (identity copy, extensions, encryption).
    pub warnings: Vec<String>,
    /// For a swap: how long the VM is down.
    pub downtime: Option<String>,
}

impl Plan {
    /// Every resource the run creates.
    pub fn created_ids(&self) -> Vec<ResourceId> {
        let mut out: Vec<ResourceId> = self.disks.iter().map(|d| d.disk_id.clone()).collect();
        if self.target == Target::NewVm {
            out.extend(self.nic_id.clone());
            out.extend(self.vm_id.clone());
        }
        out
    }

    /// Every write, in order.
    pub fn calls(&self) -> impl Iterator<Item = &ArmCall> {
        self.steps.iter().flat_map(|s| s.calls.iter())
    }
}

/// Builds the plan, or says what stops it.
pub fn plan(
    facts: &RestoreFacts,
    choices: &RestoreChoices,
    run_id: &str,
    connection: &str,
) -> Result<Plan, Vec<Problem>> {
    let found = problems(facts, choices);
    if !found.is_empty() {
        return Err(found);
    }
    let mut b = Builder {
        steps: Vec::new(),
        warnings: Vec::new(),
    };
    let sub = facts.subscription_id().to_owned();
    let point = &facts.point;
    let run_tags = |from: Option<String>| {
        let mut tags = BTreeMap::from([(TAG_RUN.to_owned(), run_id.to_owned())]);
        if let Some(f) = from {
            tags.insert(TAG_FROM.to_owned(), f.chars().take(256).collect());
        }
        tags
    };
    // A swap starts with the safety point, before anything touches the VM.
    let first = match (&facts.safety_point, choices.target, choices.safety_point) {
        (Ok(sp), Target::Swap, true) => {
            let i = b.push(safety_step(sp), Vec::new());
            vec![i]
        }
        _ => Vec::new(),
    };
    let mut planned = Vec::new();
    let mut restore_steps = Vec::new();
    let vm_zone_nonzonal = |zone: &str| zone.is_empty();
    for (i, c, d) in choices.included(facts) {
        let size = parse_size(&c.size_gb).unwrap_or_default();
        let zone = disk_zone(facts, choices, i).to_owned();
        let disk_id = ResourceId::resource_group_id(&sub, &c.resource_group).provider_child(
            "Microsoft.Compute",
            "disks",
            &c.name,
        );
        let from = format!(
            "{}/{}/{}",
            facts.collection_id.name(),
            point.name(),
            d.role()
        );
        let request = DiskRestoreRequest {
            disk_id: disk_id.clone(),
            location: facts.location.clone(),
            source_disk_restore_point: d.id.clone(),
            sku: Some(c.sku.clone()),
            size_gb: Some(size),
            zones: if zone.is_empty() {
                Vec::new()
            } else {
                vec![zone.clone()]
            },
            tags: run_tags(Some(from)),
            disk_encryption_set_id: Some(c.disk_encryption_set_id.trim().to_owned())
                .filter(|s| !s.is_empty()),
        };
        let direct = c.sku.is_ultra_or_premium_v2();
        let title = format!(
            "Restore {} {} as {} ({}, {size} GiB)",
            d.role(),
            d.captured_name,
            c.name,
            c.sku.short_label()
        );
        let calls = vec![request.call()];
        let kind = StepKind::RestoreDisk {
            request,
            wait_ready: choices.wait_until_ready,
            wait_hydrated: direct && choices.target != Target::DisksOnly && vm_zone_nonzonal(&zone),
        };
        restore_steps.push(b.push(
            Step {
                title,
                kind,
                depends_on: Vec::new(),
                calls,
            },
            first.clone(),
        ));
        planned.push(PlannedDisk {
            role: d.role(),
            disk_id,
            source: d.id.clone(),
            sku: c.sku.clone(),
            size_gb: size,
        });
    }
    if planned.iter().any(|p| p.sku.is_ultra_or_premium_v2()) {
        b.warnings.push(
            "Premium SSD v2 and Ultra disks restored from a point hydrate in the background: they work at once, slower until the copy ends".into(),
        );
    }
    b.warnings.push(
        "The point does not keep the source disks' encryption: each restored disk gets the encryption set chosen for it (platform-managed keys where none is)".into(),
    );
    let attached =
        |facts: &RestoreFacts, choices: &RestoreChoices| -> Vec<(Option<i32>, AttachedDisk)> {
            choices
                .included(facts)
                .zip(&planned)
                .map(|((_, c, d), p)| {
                    let caching = if c.sku.is_ultra_or_premium_v2() {
                        CachingType::None
                    } else {
                        d.caching.clone()
                    };
                    (
                        d.lun,
                        AttachedDisk {
                            lun: d.lun,
                            disk_id: p.disk_id.clone(),
                            caching,
                            write_accelerator: d.write_accelerator,
                        },
                    )
                })
                .collect()
        };
    let mut vm_id = None;
    let mut nic_id = None;
    let mut original_vm = None;
    let mut downtime = None;
    match choices.target {
        Target::DisksOnly => {}
        Target::NewVm => {
            let (vid, nid) = new_vm_steps(
                facts,
                choices,
                &mut b,
                &restore_steps,
                &attached(facts, choices),
                &run_tags(None),
                &planned,
            );
            vm_id = Some(vid);
            nic_id = Some(nid);
        }
        Target::Swap => {
            let live = facts.live_vm.as_ref().ok_or_else(Vec::new)?;
            original_vm = Some(OriginalVm::of(&live.vm));
            swap_steps(
                facts,
                &mut b,
                &restore_steps,
                &attached(facts, choices),
                run_id,
            );
            vm_id = Some(live.vm.id.clone());
            downtime = Some(
                "The VM is stopped from its deallocation to its start: typically 5 to 15 minutes (Microsoft's estimate for a rollback from a restore point). The disks are restored before it stops."
                    .into(),
            );
        }
    }
    Ok(Plan {
        run_id: run_id.to_owned(),
        created_unix: facts.now_unix,
        connection: connection.to_owned(),
        point_id: point.id.clone(),
        point_time_unix: facts.point_time(),
        consistency: point.properties.consistency_mode.clone(),
        target: choices.target,
        location: facts.location.clone(),
        vm_id,
        nic_id,
        disks: planned,
        original_vm,
        steps: b.steps,
        reason: choices.reason.trim().to_owned(),
        warnings: b.warnings,
        downtime,
    })
}

struct Builder {
    steps: Vec<Step>,
    warnings: Vec<String>,
}

impl Builder {
    fn push(&mut self, mut step: Step, depends_on: Vec<usize>) -> usize {
        step.depends_on = depends_on;
        self.steps.push(step);
        self.steps.len() - 1
    }
}

fn safety_step(sp: &SafetyPoint) -> Step {
    let point_id = sp.collection_id.child("restorePoints", &sp.point_name);
    let mut calls = Vec::new();
    if sp.create_collection {
        calls.push(ArmCall::put(
            sp.collection_id.as_str(),
            api_versions::COMPUTE,
            serde_json::json!({ "location": sp.location, "properties": { "source": { "id": sp.vm_id.as_str() } } }),
        ));
    }
    let mut properties = serde_json::json!({ "consistencyMode": sp.mode.as_str() });
    if !sp.exclude_disks.is_empty() {
        properties["excludeDisks"] = serde_json::json!(
            sp.exclude_disks
                .iter()
                .map(|d| serde_json::json!({ "id": d.as_str() }))
                .collect::<Vec<_>>()
        );
    }
    calls.push(ArmCall::put(
        point_id.as_str(),
        api_versions::COMPUTE,
        serde_json::json!({ "properties": properties }),
    ));
    Step {
        title: format!(
            "Take a {} safety restore point {} of {}",
            sp.mode_text(),
            sp.point_name,
            sp.vm_id.name()
        ),
        kind: StepKind::SafetyPoint(sp.clone()),
        depends_on: Vec::new(),
        calls,
    }
}

#[allow(clippy::too_many_arguments)]
fn new_vm_steps(
    facts: &RestoreFacts,
    choices: &RestoreChoices,
    b: &mut Builder,
    restores: &[usize],
    attached: &[(Option<i32>, AttachedDisk)],
    tags: &BTreeMap<String, String>,
    planned: &[PlannedDisk],
) -> (ResourceId, ResourceId) {
    let sub = facts.subscription_id();
    let vm = &choices.new_vm;
    let rg = ResourceId::resource_group_id(sub, &vm.resource_group);
    let vm_id = rg.provider_child("Microsoft.Compute", "virtualMachines", &vm.name);
    let nic_id = rg.provider_child("Microsoft.Network", "networkInterfaces", &vm.nic_name);
    let nic = NicRequest {
        nic_id: nic_id.clone(),
        location: facts.location.clone(),
        subnet_id: vm.subnet_id.clone().unwrap_or_else(|| rg.clone()),
        tags: tags.clone(),
    };
    let nic_step = b.push(
        Step {
            title: format!("Create network interface {} (no public IP)", vm.nic_name),
            calls: vec![nic.call()],
            kind: StepKind::CreateNic(nic),
            depends_on: Vec::new(),
        },
        Vec::new(),
    );
    let meta = facts
        .point
        .properties
        .source_metadata
        .clone()
        .unwrap_or_default();
    let live = facts.live_vm.as_ref();
    // What the point does not hold comes from the live VM, when it still exists.
    let mut vm_tags: BTreeMap<String, String> = live.map(|v| v.vm.tags.clone()).unwrap_or_default();
    vm_tags.extend(tags.clone());
    let os = attached
        .iter()
        .find(|(lun, _)| lun.is_none())
        .map(|(_, d)| d.clone());
    let data: Vec<AttachedDisk> = attached
        .iter()
        .filter(|(lun, _)| lun.is_some())
        .map(|(_, d)| d.clone())
        .collect();
    let security_profile = meta
        .security_profile
        .as_ref()
        .filter(|p| {
            p.security_type
                .as_ref()
                .is_some_and(|t| *t != crate::model::SecurityType::Standard)
                || p.encryption_at_host == Some(true)
        })
        .and_then(|p| serde_json::to_value(p).ok());
    let request = VmFromDisksRequest {
        vm_id: vm_id.clone(),
        location: facts.location.clone(),
        zones: if vm.zone.is_empty() {
            Vec::new()
        } else {
            vec![vm.zone.clone()]
        },
        tags: vm_tags,
        vm_size: meta
            .hardware_profile
            .as_ref()
            .map(|h| h.vm_size.to_string())
            .unwrap_or_default(),
        os_type: facts.os_type().unwrap_or(OsType::Linux),
        os_disk: os.unwrap_or_else(|| AttachedDisk {
            lun: None,
            disk_id: vm_id.clone(),
            caching: CachingType::ReadWrite,
            write_accelerator: false,
        }),
        data_disks: data,
        nic_id: nic_id.clone(),
        security_profile,
        disk_controller_type: meta
            .storage_profile
            .as_ref()
            .and_then(|s| s.disk_controller_type.as_deref().map(str::to_owned)),
        license_type: meta.license_type.as_deref().map(str::to_owned),
        availability_set_id: live
            .filter(|_| vm.keep_availability_set)
            .and_then(|v| v.vm.properties.availability_set.as_ref())
            .map(|a| a.id.to_string()),
        identity: live.and_then(|v| copied_identity(v.vm.identity.as_ref())),
        user_data: meta.user_data.as_deref().map(str::to_owned),
    };
    let ultra_disks: Vec<ResourceId> = planned
        .iter()
        .filter(|p| p.sku == StorageAccountType::UltraSsdLrs)
        .map(|p| p.disk_id.clone())
        .collect();
    let is_ultra = |id: &ResourceId| ultra_disks.contains(id);
    let call = request.call(&is_ultra);
    let mut deps = restores.to_vec();
    deps.push(nic_step);
    b.push(
        Step {
            title: format!(
                "Create VM {} ({}) with the restored disks",
                vm.name, request.vm_size
            ),
            calls: vec![call],
            kind: StepKind::CreateVm {
                request: Box::new(request),
                ultra_disks: ultra_disks.clone(),
            },
            depends_on: Vec::new(),
        },
        deps,
    );
    b.warnings.push(
        "The new VM boots from a copy of the source's OS disk: it keeps the source's computer name and machine identity. If the source still runs, put the copy in an isolated network".into(),
    );
    b.warnings
        .push("VM extensions are not carried over: install the ones the copy needs".into());
    (vm_id, nic_id)
}

fn swap_steps(
    facts: &RestoreFacts,
    b: &mut Builder,
    restores: &[usize],
    attached: &[(Option<i32>, AttachedDisk)],
    run_id: &str,
) {
    let Some(live) = &facts.live_vm else { return };
    let vm = &live.vm;
    let vm_id = vm.id.clone();
    let deallocate = b.push(
        Step {
            title: format!("Deallocate {}", vm.name),
            calls: vec![power_call(&vm_id, "deallocate")],
            kind: StepKind::Deallocate {
                vm_id: vm_id.clone(),
            },
            depends_on: Vec::new(),
        },
        restores.to_vec(),
    );
    let mut last = deallocate;
    // Data disks at the LUNs the point captured are replaced; others stay.
    let data: Vec<AttachedDisk> = attached
        .iter()
        .filter(|(lun, _)| lun.is_some())
        .map(|(_, d)| d.clone())
        .collect();
    let replaced: Vec<ResourceId> = data
        .iter()
        .filter_map(|d| {
            vm.data_disks()
                .into_iter()
                .find(|x| Some(x.lun) == d.lun)
                .and_then(super::vm_patch::data_disk_id)
        })
        .collect();
    let mut after = vm.clone();
    if let Some(call) = detach_call(vm, &replaced) {
        last = b.push(
            Step {
                title: format!(
                    "Detach the data disks being replaced ({})",
                    replaced
                        .iter()
                        .map(|d| d.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                calls: vec![call],
                kind: StepKind::DetachDataDisks {
                    vm_id: vm_id.clone(),
                    disk_ids: replaced.clone(),
                },
                depends_on: Vec::new(),
            },
            vec![last],
        );
        after = without_data_disks(vm, &replaced);
    }
    if let Some(call) = attach_call(&after, &data) {
        last = b.push(
            Step {
                title: format!(
                    "Attach the restored data disks at LUN {}",
                    data.iter()
                        .filter_map(|d| d.lun.map(|l| l.to_string()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                calls: vec![call],
                kind: StepKind::AttachDataDisks {
                    vm_id: vm_id.clone(),
                    disks: data.clone(),
                },
                depends_on: Vec::new(),
            },
            vec![last],
        );
    }
    let mut replaced_all = replaced.clone();
    if let Some((_, os)) = attached.iter().find(|(lun, _)| lun.is_none()) {
        let name = os.disk_id.name().to_owned();
        if let Some(call) = swap_os_call(&after, &os.disk_id, &name) {
            last = b.push(
                Step {
                    title: format!("Swap the OS disk for {name}"),
                    calls: vec![call],
                    kind: StepKind::SwapOsDisk {
                        vm_id: vm_id.clone(),
                        disk_id: os.disk_id.clone(),
                        disk_name: name,
                    },
                    depends_on: Vec::new(),
                },
                vec![last],
            );
        }
        if let Some(old) = &live.os_disk {
            replaced_all.insert(0, old.id.clone());
        }
    }
    let untouched: Vec<String> = vm
        .data_disks()
        .iter()
        .filter(|d| !data.iter().any(|n| n.lun == Some(d.lun)))
        .map(|d| format!("LUN {}", d.lun))
        .collect();
    if !untouched.is_empty() {
        b.warnings.push(format!(
            "The point holds no disk for {}: those disks stay attached as they are",
            untouched.join(", ")
        ));
    }
    if !replaced_all.is_empty() {
        let calls = replaced_all
            .iter()
            .map(|id| {
                let mut tags = facts
                    .live_vm
                    .as_ref()
                    .and_then(|v| {
                        std::iter::once(v.os_disk.as_ref())
                            .chain(v.data_disks.iter().map(|(_, d)| d.as_ref()))
                            .flatten()
                            .find(|d| &d.id == id)
                            .map(|d| d.tags.clone())
                    })
                    .unwrap_or_default();
                tags.insert(TAG_REPLACED.to_owned(), run_id.to_owned());
                tags_call(id, api_versions::DISKS, &tags)
            })
            .collect();
        last = b.push(
            Step {
                title: format!(
                    "Tag the replaced disks (kept, detached): {}",
                    replaced_all
                        .iter()
                        .map(|d| d.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                calls,
                kind: StepKind::TagReplacedDisks {
                    disk_ids: replaced_all.clone(),
                },
                depends_on: Vec::new(),
            },
            vec![last],
        );
    }
    if live.is_running() {
        b.push(
            Step {
                title: format!("Start {} again", vm.name),
                calls: vec![power_call(&vm_id, "start")],
                kind: StepKind::Start {
                    vm_id: vm_id.clone(),
                },
                depends_on: Vec::new(),
            },
            vec![last],
        );
    } else {
        b.warnings.push(format!(
            "{} was not running: rpdesk leaves it deallocated",
            vm.name
        ));
    }
}

/// `identity` for a copy: the same kind, the same user-assigned identities; a
/// system-assigned identity is a new one for the new VM.
fn copied_identity(identity: Option<&serde_json::Value>) -> Option<serde_json::Value> {
    let identity = identity?;
    let kind = identity.get("type")?.as_str()?;
    if kind.eq_ignore_ascii_case("None") {
        return None;
    }
    let mut out = serde_json::json!({ "type": kind });
    if let Some(users) = identity
        .get("userAssignedIdentities")
        .and_then(|u| u.as_object())
    {
        let keys: serde_json::Map<String, serde_json::Value> = users
            .keys()
            .map(|k| (k.clone(), serde_json::json!({})))
            .collect();
        out["userAssignedIdentities"] = serde_json::Value::Object(keys);
    }
    Some(out)
}
