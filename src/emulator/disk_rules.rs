//! What Azure checks about a managed disk when it is created or attached to a VM: zones,
//! disk types that only serve as data disks, host caching, the background copy of a
//! restored Premium SSD v2 / Ultra disk, and the security type of an attached OS disk.
//! Shared by the Disk PUT and the VM writes, so both refuse the same way.

use super::background_copy::hydrating;
use super::errors::{ArmError, ArmResult};
use super::render::is_direct_drive;
use super::state::Disk;

fn invalid(message: impl Into<String>, target: &str) -> ArmError {
    ArmError::bad_request("InvalidParameter", message).with_target(target)
}

/// Premium SSD v2 and Ultra disks need an availability zone in regions that have zones
/// (Microsoft's Premium SSD v2 and Ultra Disk deployment articles).
pub fn zone_required(sku: &str, location: &str, zones: &[String]) -> ArmResult<()> {
    if is_direct_drive(sku) && zones.is_empty() && crate::model::has_availability_zones(location) {
        return Err(invalid(
            format!(
                "An availability zone is required for Premium SSD v2 and Ultra Disks in region '{location}'."
            ),
            "zones",
        ));
    }
    Ok(())
}

/// Premium SSD v2 and Ultra disks "can only be used with data disks" (Microsoft's Premium
/// SSD v2 limitations and the `StorageAccountTypes` of the Compute REST API).
pub fn os_disk_sku(sku: &str) -> ArmResult<()> {
    if is_direct_drive(sku) {
        return Err(invalid(
            format!("Storage account type '{sku}' can only be used for data disks."),
            "osDisk.managedDisk",
        ));
    }
    Ok(())
}

/// Premium SSD v2 and Ultra disks do not support host caching (Microsoft's Premium SSD v2
/// limitations).
pub fn host_caching(sku: &str, caching: &str, target: &str) -> ArmResult<()> {
    if is_direct_drive(sku) && !caching.eq_ignore_ascii_case("None") {
        return Err(invalid(
            format!(
                "Host caching is not supported for disks of type '{sku}': set caching to None."
            ),
            target,
        ));
    }
    Ok(())
}

/// A zonal VM only takes disks in its zone, a VM that is not zonal only disks that are
/// not zonal (Microsoft's "Attach a managed data disk" and availability zone articles).
pub fn zone_fits(vm_zones: &[String], disk: &Disk, target: &str) -> ArmResult<()> {
    match (vm_zones.first(), disk.zones.first()) {
        (Some(z), dz) if !dz.is_some_and(|d| d.eq_ignore_ascii_case(z)) => Err(invalid(
            format!(
                "Disk {} cannot be attached to the VM because it is not in zone '{z}'.",
                disk.name
            ),
            target,
        )),
        (None, Some(dz)) => Err(invalid(
            format!(
                "Disk {} is in zone '{dz}' and cannot be attached to a VM that is not zonal.",
                disk.name
            ),
            target,
        )),
        _ => Ok(()),
    }
}

/// "You can't attach a disk created from a snapshot to a nonzonal VM while its own
/// background copy is in progress" (Microsoft's Premium SSD v2 limitations).
pub fn hydration_allows(vm_zones: &[String], disk: &Disk, now: f64) -> ArmResult<()> {
    match hydrating(disk, now) {
        Some(pct) if vm_zones.is_empty() => Err(ArmError::conflict(
            "OperationNotAllowed",
            format!(
                "Disk '{}' cannot be attached to a VM that is not zonal while its background copy is in progress ({pct}%).",
                disk.name
            ),
        )),
        _ => Ok(()),
    }
}

/// Everything checked when an existing disk is attached to a VM in `vm_zones`.
pub fn attachable_to(vm_zones: &[String], disk: &Disk, now: f64, target: &str) -> ArmResult<()> {
    zone_fits(vm_zones, disk, target)?;
    hydration_allows(vm_zones, disk, now)
}

/// The security class of a VM security type or a disk security type: a confidential
/// VM's disks carry `ConfidentialVM_<encryption>`, and no type is `Standard`.
fn security_class(t: Option<&str>) -> String {
    let t = t.unwrap_or("Standard").to_ascii_lowercase();
    if t.starts_with("confidentialvm") {
        "confidentialvm".to_owned()
    } else {
        t
    }
}

/// An attached OS disk keeps the security type it was made with (a restored disk
/// inherits it from its disk restore point); the VM must ask for the same one.
pub fn security_matches(vm_security: Option<&str>, disk: &Disk) -> ArmResult<()> {
    if security_class(vm_security) != security_class(disk.security_type.as_deref()) {
        return Err(ArmError::bad_request(
            "BadRequest",
            "Security type of VM is not compatible with the security type of attached OS Disk.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_classes_fold_confidential_encryption_variants_and_default_to_standard() {
        assert_eq!(security_class(None), security_class(Some("Standard")));
        assert_eq!(
            security_class(Some("ConfidentialVM")),
            security_class(Some("ConfidentialVM_DiskEncryptedWithPlatformKey"))
        );
        assert_ne!(security_class(Some("TrustedLaunch")), security_class(None));
    }
}
