//! Every rule a restore must pass before any call, with the reason on the row it
//! concerns. The facts come from Microsoft's articles on restoring from restore points,
//! incremental and instant access snapshots, Premium SSD v2 limitations and OS disk swaps.

use super::choices::{DiskChoice, RestoreChoices, Target};
use super::facts::{DiskPointFacts, Readiness, RestoreFacts};
use super::names::{disk_name_problem, nic_name_problem, vm_name_problem};
use crate::model::{ProvisioningState, ResourceId, has_availability_zones};

/// The wizard step a problem belongs to (its Next stays disabled).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Source,
    Disks,
    Target,
    Review,
}

/// What a problem is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    General,
    /// A row of the Disks step (index into the facts' disks).
    Disk(usize),
    VmName,
    ResourceGroup,
    Subnet,
    NicName,
    Zone,
    SafetyPoint,
    Reason,
    ConfirmName,
}

/// Why the restore cannot run as chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub stage: Stage,
    pub field: Field,
    pub message: String,
}

fn problem(stage: Stage, field: Field, message: impl Into<String>) -> Problem {
    Problem {
        stage,
        field,
        message: message.into(),
    }
}

/// Parses a size typed in GiB.
pub fn parse_size(text: &str) -> Result<i64, String> {
    let t = text.trim();
    match t.parse::<i64>() {
        Ok(n) if (1..=65_536).contains(&n) => Ok(n),
        Ok(_) => Err(format!("{t} GiB is out of range (1–65,536 GiB)")),
        Err(_) => Err(format!("'{t}' is not a whole number of GiB")),
    }
}

/// The zone a restored disk gets: a VM's disks follow the VM.
pub fn disk_zone<'a>(facts: &'a RestoreFacts, choices: &'a RestoreChoices, row: usize) -> &'a str {
    match choices.target {
        Target::DisksOnly => choices.disks.get(row).map_or("", |c| c.zone.as_str()),
        Target::NewVm => &choices.new_vm.zone,
        Target::Swap => facts
            .live_vm
            .as_ref()
            .and_then(|v| v.vm.zones.first())
            .map_or("", String::as_str),
    }
}

/// Every problem, sorted by stage.
pub fn problems(facts: &RestoreFacts, choices: &RestoreChoices) -> Vec<Problem> {
    let mut out = Vec::new();
    source_problems(facts, choices, &mut out);
    disk_problems(facts, choices, &mut out);
    target_problems(facts, choices, &mut out);
    review_problems(facts, choices, &mut out);
    out.sort_by_key(|p| p.stage);
    out
}

fn source_problems(facts: &RestoreFacts, choices: &RestoreChoices, out: &mut Vec<Problem>) {
    let state = facts
        .point
        .properties
        .provisioning_state
        .clone()
        .unwrap_or(ProvisioningState::Succeeded);
    if state != ProvisioningState::Succeeded && !choices.wait_until_ready {
        out.push(problem(
            Stage::Source,
            Field::General,
            format!("The restore point is {state}: only a point that succeeded can be restored"),
        ));
    }
    for (i, _, d) in choices.included(facts) {
        match d.readiness() {
            Readiness::NotReady { reason, .. } if !choices.wait_until_ready => {
                out.push(problem(
                    Stage::Source,
                    Field::Disk(i),
                    format!(
                        "{} {} is not ready: {reason}. Tick “Wait until ready” or pick another point",
                        d.role(),
                        d.captured_name
                    ),
                ));
            }
            Readiness::Unknown => out.push(problem(
                Stage::Source,
                Field::Disk(i),
                format!(
                    "{} {}: reading its disk restore point…",
                    d.role(),
                    d.captured_name
                ),
            )),
            _ => {}
        }
    }
}

fn disk_problems(facts: &RestoreFacts, choices: &RestoreChoices, out: &mut Vec<Problem>) {
    let mut any = false;
    for (i, (c, d)) in choices.disks.iter().zip(&facts.disks).enumerate() {
        if !c.include {
            if d.is_os() && choices.target != Target::DisksOnly {
                out.push(problem(
                    Stage::Disks,
                    Field::Disk(i),
                    "The OS disk is required for a new VM or a rollback",
                ));
            }
            continue;
        }
        any = true;
        for message in row_problems(facts, choices, i, c, d) {
            out.push(problem(Stage::Disks, Field::Disk(i), message));
        }
    }
    if !any {
        out.push(problem(
            Stage::Disks,
            Field::General,
            "Include at least one disk",
        ));
    }
}

/// The problems of one included row, in plain words.
fn row_problems(
    facts: &RestoreFacts,
    choices: &RestoreChoices,
    row: usize,
    c: &DiskChoice,
    d: &DiskPointFacts,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = disk_name_problem(&c.name) {
        out.push(p);
    } else if facts.disk_name_taken(&c.resource_group, &c.name) {
        out.push(format!(
            "A disk named {} already exists in {}",
            c.name, c.resource_group
        ));
    } else if choices.disks[..row].iter().any(|o| {
        o.include
            && o.name.eq_ignore_ascii_case(&c.name)
            && o.resource_group.eq_ignore_ascii_case(&c.resource_group)
    }) {
        out.push(format!("Two disks would be named {}", c.name));
    }
    if c.resource_group.trim().is_empty() {
        out.push("Pick a resource group".into());
    } else if !facts.resource_groups.is_empty()
        && !facts
            .resource_groups
            .iter()
            .any(|g| g.eq_ignore_ascii_case(&c.resource_group))
    {
        out.push(format!(
            "Resource group {} does not exist in this subscription",
            c.resource_group
        ));
    }
    let direct = c.sku.is_ultra_or_premium_v2();
    if d.is_os() && direct {
        out.push(format!(
            "{} cannot be an OS disk: Premium SSD v2 and Ultra disks are data disks only",
            c.sku.short_label()
        ));
    }
    if d.logical_sector_size == Some(4096) && !direct {
        out.push(
            "This disk restore point has 4096-byte sectors: Azure restores it only to Premium SSD v2 or Ultra"
                .into(),
        );
    }
    let instant = d.readiness() == Readiness::InstantAccess;
    if instant && !direct {
        out.push(
            "This point is in instant access: Azure creates only Premium SSD v2 or Ultra disks from it"
                .into(),
        );
    }
    let captured = d.size_gb.map(|s| s.ceil() as i64);
    match parse_size(&c.size_gb) {
        Err(e) => out.push(e),
        Ok(size) => {
            if let Some(min) = captured
                && size < min
            {
                out.push(format!(
                    "{size} GiB is smaller than the source's {min} GiB: a restored disk keeps or grows its size"
                ));
            }
            if instant
                && let Some(max) = captured
                && size > max
            {
                out.push(format!(
                    "A disk from an instant access snapshot cannot be larger than the snapshot ({max} GiB)"
                ));
            }
            if choices.target == Target::Swap
                && d.is_os()
                && let Some(current) = facts
                    .live_vm
                    .as_ref()
                    .and_then(|v| v.os_disk.as_ref())
                    .and_then(|o| o.size_gb)
                && size != current.ceil() as i64
            {
                out.push(format!(
                    "Must be {} GiB, the size of the VM's current OS disk: Azure swaps only OS disks of the same size",
                    current.ceil() as i64
                ));
            }
        }
    }
    let zone = disk_zone(facts, choices, row);
    if !zone.is_empty() && !matches!(zone, "1" | "2" | "3") {
        out.push(format!("Zone '{zone}' is not 1, 2 or 3"));
    }
    if direct && zone.is_empty() && has_availability_zones(&facts.location) {
        out.push(format!(
            "{} needs an availability zone in {}",
            c.sku.short_label(),
            facts.location
        ));
    }
    let des = c.disk_encryption_set_id.trim();
    if !des.is_empty()
        && !ResourceId::parse(des)
            .is_ok_and(|id| id.kind().eq_ignore_ascii_case("diskEncryptionSets"))
    {
        out.push("The encryption set must be a disk encryption set's resource ID".into());
    }
    if choices.target == Target::Swap && d.is_os() {
        let current = facts
            .live_vm
            .as_ref()
            .and_then(|v| v.os_disk.as_ref())
            .and_then(|o| o.disk_encryption_set_id.clone())
            .unwrap_or_default();
        if !current.eq_ignore_ascii_case(des) {
            out.push(if current.is_empty() {
                "The VM's OS disk uses platform-managed keys: the new OS disk must too (Azure swaps only disks in the same encryption set)".into()
            } else {
                format!(
                    "The VM's OS disk is encrypted with {}: the new OS disk must use the same set",
                    current.rsplit('/').next().unwrap_or_default()
                )
            });
        }
    }
    out
}

fn target_problems(facts: &RestoreFacts, choices: &RestoreChoices, out: &mut Vec<Problem>) {
    match choices.target {
        Target::DisksOnly => {}
        Target::Swap => {
            if let Some(reason) = swap_blocker(facts) {
                out.push(problem(Stage::Target, Field::General, reason));
            }
            if choices.safety_point
                && let Err(why) = &facts.safety_point
            {
                out.push(problem(
                    Stage::Target,
                    Field::SafetyPoint,
                    format!("No safety point now: {why}"),
                ));
            }
        }
        Target::NewVm => new_vm_problems(facts, choices, out),
    }
}

/// Why the point cannot be swapped into its VM, if it cannot.
pub fn swap_blocker(facts: &RestoreFacts) -> Option<String> {
    let Some(live) = &facts.live_vm else {
        return Some(facts.vm_missing_reason.clone().unwrap_or_else(|| {
            "The VM this point was taken from no longer exists: restore the disks or build a new VM instead".into()
        }));
    };
    if !live.vm.location.eq_ignore_ascii_case(&facts.location) {
        return Some(format!(
            "This point is in {} and the VM in {}: a disk is restored in the point's region, so the VM cannot take it",
            facts.location, live.vm.location
        ));
    }
    let os = live.vm.os_disk();
    if os.is_some_and(|d| d.diff_disk_settings.is_some()) {
        return Some("The VM has an ephemeral OS disk, which cannot be swapped".into());
    }
    if os
        .and_then(|d| d.managed_disk.as_ref()?.id.as_ref())
        .is_none()
    {
        return Some("The VM's OS disk is not a managed disk: it cannot be swapped".into());
    }
    None
}

fn new_vm_problems(facts: &RestoreFacts, choices: &RestoreChoices, out: &mut Vec<Problem>) {
    let vm = &choices.new_vm;
    let os = facts.os_type();
    if let Some(p) = vm_name_problem(&vm.name, os.as_ref()) {
        out.push(problem(Stage::Target, Field::VmName, p));
    } else if facts.vm_name_taken(&vm.resource_group, &vm.name) {
        out.push(problem(
            Stage::Target,
            Field::VmName,
            format!(
                "A VM named {} already exists in {}",
                vm.name, vm.resource_group
            ),
        ));
    }
    if vm.resource_group.trim().is_empty() {
        out.push(problem(
            Stage::Target,
            Field::ResourceGroup,
            "Pick a resource group",
        ));
    }
    match (&vm.subnet_id, &facts.subnets) {
        (None, None) => out.push(problem(
            Stage::Target,
            Field::Subnet,
            "Loading the subnets…",
        )),
        (None, Some(_)) => out.push(problem(
            Stage::Target,
            Field::Subnet,
            format!("Pick a subnet in {}", facts.location),
        )),
        (Some(id), subnets) => {
            let known = subnets.iter().flatten().find(|s| &s.id == id);
            if let Some(s) = known
                && !s.location.eq_ignore_ascii_case(&facts.location)
            {
                out.push(problem(
                    Stage::Target,
                    Field::Subnet,
                    format!(
                        "Subnet {} is in {}: the VM is created in {} (the point's region), so its NIC needs a subnet there",
                        s.label(),
                        s.location,
                        facts.location
                    ),
                ));
            }
        }
    }
    if let Some(p) = nic_name_problem(&vm.nic_name) {
        out.push(problem(Stage::Target, Field::NicName, p));
    }
    if !vm.zone.is_empty() && !matches!(vm.zone.as_str(), "1" | "2" | "3") {
        out.push(problem(
            Stage::Target,
            Field::Zone,
            format!("Zone '{}' is not 1, 2 or 3", vm.zone),
        ));
    }
    let size = facts
        .point
        .properties
        .source_metadata
        .as_ref()
        .and_then(|m| m.hardware_profile.as_ref())
        .map(|h| h.vm_size.as_str())
        .unwrap_or("");
    if size.is_empty() {
        out.push(problem(
            Stage::Target,
            Field::General,
            "The point did not capture the VM size: a VM cannot be built from it",
        ));
    }
}

fn review_problems(facts: &RestoreFacts, choices: &RestoreChoices, out: &mut Vec<Problem>) {
    if choices.reason.trim().is_empty() {
        out.push(problem(
            Stage::Review,
            Field::Reason,
            "Say why (it goes into the evidence report)",
        ));
    }
    if choices.target == Target::Swap
        && let Some(live) = &facts.live_vm
        && choices.confirm_name.trim() != live.vm.name
    {
        out.push(problem(
            Stage::Review,
            Field::ConfirmName,
            format!(
                "Type the VM's name, {}, to confirm the rollback",
                live.vm.name
            ),
        ));
    }
}
