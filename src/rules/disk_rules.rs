//! Per-disk rules: which disks a restore point can hold in each mode, and what it
//! cannot guarantee or carry for them.

use crate::model::{CachingType, StorageAccountType};

use super::check::{Ctx, Finding};
use super::facts::normalize_region;
use super::slots::DiskSlot;

/// `one` for a single item, else `many`.
fn verb(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// Joins disk labels: "OS disk 'a', data disk 'b' (LUN 1)".
fn labels<'s>(slots: impl Iterator<Item = &'s DiskSlot<'s>>) -> String {
    slots.map(DiskSlot::label).collect::<Vec<_>>().join(", ")
}

/// Marks the disks matching `applies` as excluded. Any disk may be left out (seed 001:
/// "you can optionally exclude any disk"), the OS disk too: the point then cannot bring
/// the VM back by itself, which the reason says.
fn exclude(cx: &mut Ctx<'_, '_>, applies: impl Fn(&DiskSlot<'_>) -> bool, what: &str) -> Finding {
    let mut excluded = Vec::new();
    let mut os_excluded = false;
    for slot in cx.slots.iter_mut().filter(|s| applies(s)) {
        slot.excluded = true;
        os_excluded |= slot.is_os;
        excluded.push(slot.label());
    }
    let mode = cx.mode;
    if excluded.is_empty() {
        return Finding::pass(format!("VM '{}' has no {what}", cx.vm_name()));
    }
    let os_note = if os_excluded {
        "; without its OS disk the point restores data disks only, and bringing the VM back needs a new OS disk"
    } else {
        ""
    };
    Finding::warn(format!(
        "{} ({what}): excluded from the {mode} point (excludeDisks){os_note}",
        excluded.join(", "),
    ))
}

/// Unmanaged (VHD) disks: the VM is refused.
pub(super) fn unmanaged_disks_not_supported(cx: &mut Ctx<'_, '_>) -> Finding {
    if cx.facts.vm.properties.storage_profile.is_none() {
        return Finding::na(format!(
            "the storage profile of VM '{}' is not loaded",
            cx.vm_name()
        ));
    }
    let unmanaged: Vec<_> = cx.slots.iter().filter(|s| !s.managed).collect();
    if unmanaged.is_empty() {
        Finding::pass(format!(
            "all {} disks of VM '{}' are managed",
            cx.slots.len(),
            cx.vm_name()
        ))
    } else {
        Finding::fail(format!(
            "VM '{}' uses unmanaged (VHD) disks: {}; restore points support managed disks only",
            cx.vm_name(),
            labels(unmanaged.into_iter())
        ))
    }
}

/// Ephemeral OS disks are never captured. An ephemeral OS disk lives on the host and has
/// no `Microsoft.Compute/disks` resource: when the VM reports no `managedDisk.id` for it
/// the engine sends nothing in `excludeDisks` for it (there is no id to send; Azure
/// cannot capture it anyway) and still counts it as excluded, so the verdict is
/// `SupportedWithExclusions`; when an id is reported, that id is sent.
pub(super) fn ephemeral_os_disk_always_excluded(cx: &mut Ctx<'_, '_>) -> Finding {
    let Some(slot) = cx.slots.iter_mut().find(|s| s.is_os && s.ephemeral) else {
        return Finding::pass(format!(
            "the OS disk of VM '{}' is not ephemeral",
            cx.vm_name()
        ));
    };
    slot.excluded = true;
    let label = slot.label();
    let how = if slot.id.is_some() {
        "its id is sent in excludeDisks"
    } else {
        "it has no managed disk id, so the id its name would have in the VM's resource group \
         is sent in excludeDisks, as seed 002 asks (\"exclude these disks\")"
    };
    Finding::warn(format!(
        "{label} is ephemeral and is never captured ({how}); the point holds the data disks only, \
         and restoring the VM needs a new OS disk from its image"
    ))
}

/// Shared disks (`maxShares` > 1) are excluded in both modes.
pub(super) fn shared_disk_always_excluded(cx: &mut Ctx<'_, '_>) -> Finding {
    let unknown: Vec<String> = cx
        .slots
        .iter()
        .filter(|s| s.managed && !s.ephemeral && s.disk.is_none())
        .map(DiskSlot::label)
        .collect();
    let finding = exclude(
        cx,
        |s| s.disk.is_some_and(|d| d.is_shared()),
        "shared disk, maxShares > 1",
    );
    if unknown.is_empty() {
        return finding;
    }
    let note = format!(
        "could not load {}, so whether it is shared is unknown",
        unknown.join(", ")
    );
    match finding.outcome {
        super::assessment::Outcome::Fail => finding,
        super::assessment::Outcome::Warn => Finding::warn(format!("{}; {note}", finding.reason)),
        _ => Finding::warn(note),
    }
}

/// Ultra Disks are excluded from crash-consistent points.
pub(super) fn ultra_disk_excluded_for_crash_consistent(cx: &mut Ctx<'_, '_>) -> Finding {
    exclude(
        cx,
        |s| s.sku == Some(&StorageAccountType::UltraSsdLrs),
        "Ultra Disk",
    )
}

/// Premium SSD v2 disks are excluded from crash-consistent points.
pub(super) fn premium_v2_disk_excluded_for_crash_consistent(cx: &mut Ctx<'_, '_>) -> Finding {
    exclude(
        cx,
        |s| s.sku == Some(&StorageAccountType::PremiumV2Lrs),
        "Premium SSD v2 disk",
    )
}

/// Write-accelerated disks are excluded from crash-consistent points (seed 000 lists them
/// with Ultra and Premium SSD v2, which seed 002 says to exclude); an OS disk fails.
pub(super) fn write_accelerated_disk_excluded_for_crash_consistent(
    cx: &mut Ctx<'_, '_>,
) -> Finding {
    exclude(cx, |s| s.write_accelerated, "write-accelerated disk")
}

/// Included disks with read/write host caching make crash consistency not guaranteed.
pub(super) fn read_write_host_caching_not_guaranteed_crash_consistent(
    cx: &mut Ctx<'_, '_>,
) -> Finding {
    let cached: Vec<_> = cx
        .included()
        .filter(|s| s.caching == Some(&CachingType::ReadWrite))
        .collect();
    if cached.is_empty() {
        return Finding::pass(format!(
            "no captured disk of VM '{}' uses read/write host caching",
            cx.vm_name()
        ));
    }
    Finding::warn(format!(
        "{} {} read/write host caching: crash consistency is not guaranteed (writes in the cache may be missing); \
         use application-consistent or set caching to ReadOnly/None",
        labels(cached.iter().copied()),
        verb(cached.len(), "uses", "use"),
    ))
}

/// Customer-managed-key, double and host encryption are not carried to the point.
pub(super) fn encryption_not_carried_to_restore_point(cx: &mut Ctx<'_, '_>) -> Finding {
    let at_host = cx
        .facts
        .vm
        .properties
        .security_profile
        .as_ref()
        .and_then(|p| p.encryption_at_host)
        .unwrap_or(false);
    let cmk: Vec<_> = cx.included().filter(|s| s.customer_key).collect();
    let mut parts = Vec::new();
    if !cmk.is_empty() {
        parts.push(format!(
            "{} {} encrypted with a customer-managed key",
            labels(cmk.iter().copied()),
            verb(cmk.len(), "is", "are")
        ));
    }
    if at_host {
        parts.push(format!("VM '{}' uses encryption at host", cx.vm_name()));
    }
    if parts.is_empty() {
        return Finding::pass(format!(
            "the captured disks of VM '{}' use platform-managed keys only",
            cx.vm_name()
        ));
    }
    Finding::warn(format!(
        "{}: the disk restore points do not inherit it and are encrypted with platform-managed keys (Azure sets another key only when the create request asks for one per disk, which rpdesk does not send)",
        parts.join("; ")
    ))
}

/// A CMK-encrypted point copied to, or created directly in, another region than its VM's
/// is PMK-encrypted.
pub(super) fn cmk_becomes_pmk_on_cross_region_copy(cx: &mut Ctx<'_, '_>) -> Finding {
    let cmk: Vec<_> = cx.included().filter(|s| s.customer_key).collect();
    if cmk.is_empty() {
        return Finding::na(format!(
            "no captured disk of VM '{}' uses a customer-managed key",
            cx.vm_name()
        ));
    }
    let disks = labels(cmk.into_iter());
    match cx.facts.target() {
        Some(target) if normalize_region(&target.location) != cx.facts.region() => {
            Finding::warn(format!(
                "{disks}: this point is created in region '{}' of collection '{}', not the VM's region '{}', so it is encrypted with platform-managed keys, not the customer's key",
                target.location, target.name, cx.facts.vm.location
            ))
        }
        _ => Finding::warn(format!(
            "{disks}: a copy of this point in another region is encrypted with platform-managed keys, not the customer's key"
        )),
    }
}
