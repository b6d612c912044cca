//! The restore point rules of Azure's support matrix and limits, enforced the way Azure
//! refuses them. The
//! emulator enforces them on its own; it does not share code with the client-side rules
//! engine, so each side can catch the other's mistakes.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::errors::{ArmError, ArmResult};
use super::render::{INSTANT_ACCESS_REGIONS, is_direct_drive};
use super::state::{Collection, Estate, Vm, key};

/// Service limits. Defaults are Azure's; tests lower them via `PUT /_emulator/limits`
/// so that, say, the 10,000-collection cap can be reached in a test.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Limits {
    pub points_per_vm: usize,
    pub collections_per_subscription_region: usize,
    /// Restore point PUTs per VM per hour, in each consistency mode.
    pub puts_per_vm_per_hour: usize,
    /// Copy PUTs per target collection per hour.
    pub copies_per_target_collection_per_hour: usize,
    pub app_consistent_interval_secs: f64,
    pub crash_consistent_interval_secs: f64,
    pub instant_access_creations_per_subscription_region: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            points_per_vm: 500,
            collections_per_subscription_region: 10_000,
            puts_per_vm_per_hour: 3,
            copies_per_target_collection_per_hour: 3,
            app_consistent_interval_secs: 3.0 * 3600.0,
            crash_consistent_interval_secs: 3600.0,
            instant_access_creations_per_subscription_region: 50,
        }
    }
}

pub const APP: &str = "ApplicationConsistent";
pub const CRASH: &str = "CrashConsistent";
pub const FS: &str = "FileSystemConsistent";

/// Whether a mode is application-consistent as the rules see it: seed 001 says restore
/// points "support file system consistency for VMs running Linux operating system",
/// which is what an application-consistent point is on Linux without pre/post scripts,
/// so a file-system-consistent point shares the application-consistent interval, PUT
/// budget and instant access.
pub fn is_application_consistent(mode: &str) -> bool {
    mode != CRASH
}

/// Parses `consistencyMode` (default application-consistent, as Azure does).
pub fn consistency(text: Option<&str>) -> ArmResult<&'static str> {
    match text {
        None => Ok(APP),
        Some(t) if t.eq_ignore_ascii_case(APP) => Ok(APP),
        Some(t) if t.eq_ignore_ascii_case(CRASH) => Ok(CRASH),
        Some(t) if t.eq_ignore_ascii_case(FS) => Ok(FS),
        Some(t) => Err(ArmError::bad_request(
            "InvalidParameter",
            format!(
                "The value '{}' of parameter 'consistencyMode' is not valid. Allowed values are CrashConsistent, FileSystemConsistent, ApplicationConsistent.",
                t.chars().take(40).collect::<String>()
            ),
        )
        .with_target("properties.consistencyMode")),
    }
}

/// The budget a restore point PUT is metered against: seed 000's throttling table gives
/// a VM 3 application-consistent and 3 crash-consistent PUTs an hour, separately (a
/// file-system-consistent point is what an application-consistent one is on Linux).
pub fn put_budget(vm_key: &str, mode: &str) -> String {
    let class = if is_application_consistent(mode) {
        "application"
    } else {
        "crash"
    };
    format!("{vm_key}#{class}")
}

/// At most `limit` PUTs in the last virtual hour per scope (a VM and mode, or a copy
/// target). Records this PUT when it is allowed. `Err` carries the virtual seconds to wait.
pub fn take_put_slot(e: &mut Estate, scope: &str, now: f64, limit: usize) -> Result<(), f64> {
    let log = e.put_log.get_or_insert_with(key(scope), Vec::new);
    log.retain(|t| now - *t < 3600.0);
    if log.len() >= limit {
        let oldest = log.iter().copied().fold(f64::INFINITY, f64::min);
        return Err((oldest + 3600.0 - now).max(1.0));
    }
    log.push(now);
    Ok(())
}

/// Collections whose `source.id` is this VM.
pub fn collections_of<'a>(e: &'a Estate, vm_id: &str) -> impl Iterator<Item = &'a Collection> {
    let vm_id = vm_id.to_ascii_lowercase();
    e.collections
        .values()
        .filter(move |c| c.source_id.eq_ignore_ascii_case(&vm_id))
}

/// The VM kind rules: confidential VMs and VMSS Uniform instances are refused.
pub fn check_vm_kind(vm: &Vm) -> ArmResult<()> {
    if vm
        .security_type
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("ConfidentialVM"))
    {
        return Err(ArmError::not_allowed(format!(
            "Restore points are not supported for Confidential VMs. VM '{}' has securityType 'ConfidentialVM'.",
            vm.name
        )));
    }
    if let Some((ss, true)) = &vm.vmss {
        return Err(ArmError::not_allowed(format!(
            "Restore points are not supported for virtual machines in a scale set with Uniform orchestration mode ('{ss}'). Use Flexible orchestration."
        )));
    }
    Ok(())
}

/// Whether `exclude` (ids from `excludeDisks`) names this disk slot.
pub fn is_excluded(exclude: &[String], disk_id: Option<&str>, disk_name: &str) -> bool {
    exclude.iter().any(|x| match disk_id {
        Some(id) => x.eq_ignore_ascii_case(id),
        // An ephemeral OS disk has no disk resource: match the name an id would end with.
        None => x
            .rsplit('/')
            .next()
            .is_some_and(|n| n.eq_ignore_ascii_case(disk_name)),
    })
}

/// The per-disk support matrix for one consistency mode. A VM with an unmanaged disk is
/// refused whatever `excludeDisks` says (seed 002: "VMs using unmanaged disks | No").
pub fn check_disks(e: &Estate, vm: &Vm, mode: &str, exclude: &[String]) -> ArmResult<()> {
    if let Some(d) = vm
        .all_disks()
        .find(|d| d.vhd_uri.is_some() || (d.disk_id.is_none() && d.ephemeral_placement.is_none()))
    {
        return Err(ArmError::not_allowed(format!(
            "Restore points are supported only for managed disks; disk '{}' of VM '{}' is unmanaged.",
            d.name, vm.name
        )));
    }
    for d in vm.all_disks() {
        if is_excluded(exclude, d.disk_id.as_deref(), &d.name) {
            continue;
        }
        if d.ephemeral_placement.is_some() {
            return Err(ArmError::bad_request(
                "VMRestorePointClientError",
                format!(
                    "Restore points are not supported for ephemeral OS disks. Exclude disk '{}' using excludeDisks and create a VM restore point.",
                    d.name
                ),
            ));
        }
        let disk = d.disk_id.as_ref().and_then(|id| e.disks.get(&key(id)));
        let sku = disk.map_or(d.storage_type.as_str(), |x| x.sku.as_str());
        if disk.and_then(|x| x.max_shares).is_some_and(|s| s > 1) {
            return Err(ArmError::bad_request(
                "VMRestorePointClientError",
                format!(
                    "Restore points are not supported for shared disks. Exclude disk '{}' using excludeDisks and create a VM restore point.",
                    d.name
                ),
            ));
        }
        if mode == CRASH {
            if is_direct_drive(sku) {
                return Err(ArmError::not_allowed(format!(
                    "Crash consistent restore points are not supported for disks of type '{sku}'. Exclude disk '{}' using excludeDisks, or create an application consistent restore point.",
                    d.name
                )));
            }
            if d.write_accelerator {
                return Err(ArmError::not_allowed(format!(
                    "Crash consistent restore points are not supported for write-accelerated disks. Exclude disk '{}' using excludeDisks, or create an application consistent restore point.",
                    d.name
                )));
            }
        }
    }
    Ok(())
}

/// Minimum spacing between two points of the same mode for one VM.
pub fn check_frequency(
    e: &Estate,
    limits: &Limits,
    vm: &Vm,
    mode: &str,
    now: f64,
) -> ArmResult<()> {
    let interval = if is_application_consistent(mode) {
        limits.app_consistent_interval_secs
    } else {
        limits.crash_consistent_interval_secs
    };
    let last = collections_of(e, &vm.id)
        .flat_map(|c| c.points.iter())
        .filter(|p| {
            p.copy.is_none()
                && is_application_consistent(&p.consistency) == is_application_consistent(mode)
                && p.provisioning != "Failed"
        })
        .map(|p| p.created)
        .fold(f64::NEG_INFINITY, f64::max);
    if now - last < interval {
        let hours = interval / 3600.0;
        let wait_min = ((last + interval - now) / 60.0).ceil();
        return Err(ArmError::not_allowed(format!(
            "Restore points of consistency mode '{mode}' can be created at most once every {hours} hour(s) per VM. The last one for VM '{}' was created less than {hours} hour(s) ago; retry in {wait_min} minute(s).",
            vm.name
        )));
    }
    Ok(())
}

pub fn check_not_concurrent(e: &Estate, vm: &Vm) -> ArmResult<()> {
    let busy = collections_of(e, &vm.id)
        .flat_map(|c| c.points.iter().map(move |p| (c, p)))
        .find(|(_, p)| p.copy.is_none() && p.provisioning == "Creating");
    if let Some((c, p)) = busy {
        return Err(ArmError::conflict(
            "Conflict",
            format!(
                "Concurrent creation of restore points for a VM is not supported: restore point '{}' in collection '{}' is still being created for VM '{}'.",
                p.name, c.name, vm.name
            ),
        ));
    }
    Ok(())
}

pub fn check_point_count(e: &Estate, limits: &Limits, vm: &Vm) -> ArmResult<()> {
    let count: usize = collections_of(e, &vm.id).map(|c| c.points.len()).sum();
    if count >= limits.points_per_vm {
        return Err(ArmError::bad_request(
            "VMRestorePointClientError",
            format!(
                "The maximum allowed snapshot limit of {} restore points for VM '{}' has been reached, across all its restore point collections. Delete older restore points and retry.",
                limits.points_per_vm, vm.name
            ),
        ));
    }
    Ok(())
}

pub fn check_running_for_app_consistency(vm: &Vm, mode: &str) -> ArmResult<()> {
    if is_application_consistent(mode) && vm.power != "running" {
        return Err(ArmError::not_allowed(format!(
            "Application consistent restore points need a running VM with a healthy VM agent; VM '{}' is '{}'. Start the VM or create a crash consistent restore point.",
            vm.name, vm.power
        )));
    }
    if vm.provisioning == "Updating" || vm.provisioning == "Deleting" {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!(
                "Changes are being made to Virtual Machine '{}' (provisioningState '{}'); the operation 'Create Restore Point' is not allowed until they finish.",
                vm.name, vm.provisioning
            ),
        ));
    }
    Ok(())
}

/// Application consistency needs the VM agent's snapshot extension, which does not
/// support CoreOS or 32-bit guests; crash-consistent points work on any OS.
pub fn check_guest_for_app_consistency(vm: &Vm, mode: &str) -> ArmResult<()> {
    let os = vm.os_name.to_ascii_lowercase();
    if is_application_consistent(mode) && (os.contains("coreos") || os.contains("32-bit")) {
        return Err(ArmError::bad_request(
            "VMRestorePointClientError",
            format!(
                "Application consistent restore points are not supported for the guest OS '{}' of VM '{}' (CoreOS and 32-bit operating systems are not supported). Create a crash consistent restore point.",
                vm.os_name, vm.name
            ),
        ));
    }
    Ok(())
}

/// Whether a point of `vm` leaving out `exclude` holds a Premium SSD v2 or Ultra data disk
/// (pass no exclusions to ask about the VM).
pub fn captures_direct_drive_data_disk(e: &Estate, vm: &Vm, exclude: &[String]) -> bool {
    vm.data_disks.iter().any(|d| {
        if is_excluded(exclude, d.disk_id.as_deref(), &d.name) {
            return false;
        }
        let sku = d
            .disk_id
            .as_ref()
            .and_then(|id| e.disks.get(&key(id)))
            .map_or(d.storage_type.as_str(), |x| x.sku.as_str());
        is_direct_drive(sku)
    })
}

/// `instantAccess` on a collection: listed regions, Premium SSD v2 / Ultra data disks.
pub fn check_instant_access_collection(
    e: &Estate,
    location: &str,
    vm: Option<&Vm>,
) -> ArmResult<()> {
    if !INSTANT_ACCESS_REGIONS.contains(&location) {
        return Err(ArmError::not_allowed(format!(
            "Instant Access restore points are not available in region '{location}'. Supported regions: {}.",
            INSTANT_ACCESS_REGIONS.join(", ")
        )));
    }
    if let Some(vm) = vm
        && !captures_direct_drive_data_disk(e, vm, &[])
    {
        return Err(ArmError::not_allowed(format!(
            "Instant Access is supported only for VMs with Premium SSD v2 or Ultra data disks; VM '{}' has none.",
            vm.name
        )));
    }
    Ok(())
}

/// The instant access a new point gets: the collection's, for an application-consistent
/// point that captures a Premium SSD v2 or Ultra data disk (seed 000: "Supported only for
/// application-consistent restore points on Virtual Machines with Premium SSD v2 or Ultra
/// data disks"). Without such a disk the point is created without it, or refused when
/// `instantAccessDurationMinutes` asked for it.
pub fn instant_access_for_point(
    e: &Estate,
    c: &Collection,
    vm: &Vm,
    mode: &str,
    minutes: Option<i64>,
    exclude: &[String],
) -> ArmResult<Option<i64>> {
    let ia = check_instant_access_point(c, mode, minutes)?;
    let eligible = captures_direct_drive_data_disk(e, vm, exclude)
        && INSTANT_ACCESS_REGIONS.contains(&c.location.as_str());
    match ia {
        Some(_) if !eligible && minutes.is_some() => Err(ArmError::not_allowed(format!(
            "Instant Access is supported only for restore points that capture a Premium SSD v2 or Ultra data disk in a supported region; this restore point of VM '{}' captures none.",
            vm.name
        ))),
        Some(_) if !eligible => Ok(None),
        other => Ok(other),
    }
}

/// `instantAccessDurationMinutes` on a point.
fn check_instant_access_point(
    c: &Collection,
    mode: &str,
    minutes: Option<i64>,
) -> ArmResult<Option<i64>> {
    let Some(m) = minutes else {
        return Ok((c.instant_access && is_application_consistent(mode)).then_some(300));
    };
    if !(60..=300).contains(&m) {
        return Err(ArmError::bad_request(
            "InvalidParameter",
            format!("instantAccessDurationMinutes must be between 60 and 300; got {m}."),
        )
        .with_target("properties.instantAccessDurationMinutes"));
    }
    if !is_application_consistent(mode) {
        return Err(ArmError::not_allowed(
            "Instant Access is supported only for application consistent restore points.",
        ));
    }
    if !c.instant_access {
        return Err(ArmError::bad_request(
            "InvalidParameter",
            format!("instantAccessDurationMinutes requires instantAccess to be enabled on restore point collection '{}'.", c.name),
        )
        .with_target("properties.instantAccessDurationMinutes"));
    }
    Ok(Some(m))
}

/// At most 50 instant access restore points may be in creation per subscription and region.
pub fn check_instant_access_concurrency(
    e: &Estate,
    limits: &Limits,
    sub: &str,
    location: &str,
) -> ArmResult<()> {
    let prefix = format!("/subscriptions/{sub}/").to_ascii_lowercase();
    let creating = e
        .collections
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .filter(|(_, c)| c.location == location)
        .flat_map(|(_, c)| c.points.iter())
        .filter(|p| p.provisioning == "Creating" && p.instant_access_minutes.is_some())
        .count();
    if creating >= limits.instant_access_creations_per_subscription_region {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!(
                "At most {} instant access restore points can be created concurrently per subscription in region '{location}'. Retry when some of them have finished.",
                limits.instant_access_creations_per_subscription_region
            ),
        ));
    }
    Ok(())
}

pub fn check_collection_quota(
    e: &Estate,
    limits: &Limits,
    sub: &str,
    location: &str,
) -> ArmResult<()> {
    let prefix = format!("/subscriptions/{sub}/").to_ascii_lowercase();
    let count = e
        .collections
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .filter(|(_, c)| c.location == location)
        .count();
    if count >= limits.collections_per_subscription_region {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!(
                "The maximum of {} restore point collections per subscription per region has been reached in '{location}'.",
                limits.collections_per_subscription_region
            ),
        ));
    }
    Ok(())
}

/// The source VM of a collection, or the error when it is gone — deleted, or moved to
/// another resource group or subscription, which seed 000 says "doesn't update the source
/// Virtual Machine reference". Azure knows nothing of where a VM went, and its documents
/// give no advice, so the error says only what is missing.
pub fn source_vm<'a>(e: &'a Estate, c: &Collection) -> ArmResult<&'a Vm> {
    if let Some(vm) = e.vms.get(&key(&c.source_id)) {
        return Ok(vm);
    }
    Err(ArmError::new(
        StatusCode::NOT_FOUND,
        "SourceVmNotFound",
        format!(
            "The source VM '{}' of restore point collection '{}' was not found.",
            c.source_id, c.name
        ),
    )
    .with_target("properties.source.id"))
}
