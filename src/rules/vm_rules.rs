//! VM-wide rules: kind of VM, size, power state, API version, moved VMs.

use crate::model::{PowerState, SecurityType};

use super::check::{Ctx, Finding};
use super::facts::Orchestration;
use super::mode::Mode;
use super::vm_size::parse_size;

/// Confidential VMs are refused.
pub(super) fn confidential_vm_not_supported(cx: &mut Ctx<'_, '_>) -> Finding {
    if cx.facts.vm.security_type() == Some(&SecurityType::ConfidentialVm) {
        Finding::fail(format!(
            "VM '{}' is a confidential VM; restore points do not support them",
            cx.vm_name()
        ))
    } else {
        Finding::pass(format!("VM '{}' is not a confidential VM", cx.vm_name()))
    }
}

/// Whether the VM is an instance of a Uniform scale set: the backend says so, or its id
/// lives under `virtualMachineScaleSets/{name}/virtualMachines/{instance}`.
fn is_uniform_instance(cx: &Ctx<'_, '_>) -> bool {
    cx.facts.orchestration == Some(Orchestration::Uniform)
        || cx.facts.vm.id.value_of("virtualMachineScaleSets").is_some()
}

/// Uniform scale set instances are refused.
pub(super) fn vmss_uniform_instance_not_supported(cx: &mut Ctx<'_, '_>) -> Finding {
    if is_uniform_instance(cx) {
        Finding::fail(format!(
            "VM '{}' is an instance of a scale set with Uniform orchestration, which restore points do not support",
            cx.vm_name()
        ))
    } else {
        Finding::pass(format!(
            "VM '{}' is not in a Uniform scale set",
            cx.vm_name()
        ))
    }
}

/// Last segment of an id string.
fn last_name(id: &str) -> &str {
    id.trim_end_matches('/').rsplit('/').next().unwrap_or(id)
}

/// Flexible scale set members are supported one VM at a time.
pub(super) fn vmss_flex_member_supported(cx: &mut Ctx<'_, '_>) -> Finding {
    match &cx.facts.vm.properties.virtual_machine_scale_set {
        Some(set) if !is_uniform_instance(cx) => Finding::pass(format!(
            "VM '{}' is a member of flexible scale set '{}': supported per VM; create points for every member to protect the set",
            cx.vm_name(),
            last_name(&set.id)
        )),
        _ => Finding::na(format!(
            "VM '{}' is not in a flexible scale set",
            cx.vm_name()
        )),
    }
}

/// Availability set members are supported one VM at a time.
pub(super) fn availability_set_member_supported(cx: &mut Ctx<'_, '_>) -> Finding {
    match &cx.facts.vm.properties.availability_set {
        Some(set) => Finding::pass(format!(
            "VM '{}' is in availability set '{}': supported per VM; create points for every member to protect the set",
            cx.vm_name(),
            last_name(&set.id)
        )),
        None => Finding::na(format!(
            "VM '{}' is not in an availability set",
            cx.vm_name()
        )),
    }
}

/// Trusted launch VMs are supported.
pub(super) fn trusted_launch_supported(cx: &mut Ctx<'_, '_>) -> Finding {
    if cx.facts.vm.security_type() == Some(&SecurityType::TrustedLaunch) {
        Finding::pass(format!(
            "VM '{}' uses trusted launch: supported",
            cx.vm_name()
        ))
    } else {
        Finding::na(format!("VM '{}' does not use trusted launch", cx.vm_name()))
    }
}

/// The `YYYY-MM-DD` part of an api-version, if it has one.
pub(super) fn api_date(version: &str) -> Option<&str> {
    let date = version.get(..10)?;
    let ok = date.bytes().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    ok.then_some(date)
}

/// The client's api-version must be new enough for the mode.
pub(super) fn api_version_supports_mode(cx: &mut Ctx<'_, '_>) -> Finding {
    let minimum = match cx.mode {
        Mode::ApplicationConsistent => "2021-03-01",
        Mode::CrashConsistent => "2021-07-01",
    };
    let version = cx.facts.api_version;
    match api_date(version) {
        Some(date) if date >= minimum => Finding::pass(format!(
            "api-version {version} supports {} points (needs {minimum})",
            cx.mode
        )),
        Some(_) => Finding::fail(format!(
            "api-version {version} is older than {minimum}, the first that supports {} points",
            cx.mode
        )),
        None => Finding::warn(format!(
            "api-version {version:?} is not a date; cannot check it"
        )),
    }
}

/// Application-consistent points need the VM running.
pub(super) fn app_consistent_needs_running_vm(cx: &mut Ctx<'_, '_>) -> Finding {
    let name = cx.vm_name();
    match cx.facts.vm.power_state() {
        Some(PowerState::Running) => Finding::pass(format!("VM '{name}' is running")),
        Some(PowerState::Starting) => Finding::fail(format!(
            "VM '{name}' is starting; an application-consistent point needs it running (assess again when it is, or use crash-consistent)"
        )),
        Some(state) => Finding::fail(format!(
            "VM '{name}' is {state}; an application-consistent point needs the VM running (start it, or use crash-consistent)"
        )),
        None => Finding::warn(format!(
            "the power state of VM '{name}' is not loaded; an application-consistent point needs it running"
        )),
    }
}

/// Collections still pointing at the VM's id from before a move.
pub(super) fn moved_vm_stale_source_id(cx: &mut Ctx<'_, '_>) -> Finding {
    let vm = cx.facts.vm;
    let stale: Vec<_> = cx
        .facts
        .collections
        .iter()
        .filter(|c| {
            c.source_id()
                .is_some_and(|s| s.kind().eq_ignore_ascii_case("virtualMachines") && s != vm.id)
        })
        .collect();
    if let Some(target) = cx.facts.target()
        && stale.iter().any(|c| c.id == target.id)
    {
        let old = target
            .properties
            .source
            .as_ref()
            .map(|s| s.id.as_str())
            .unwrap_or("");
        return Finding::fail(format!(
            "collection '{}' still names the VM by its id before a move ({old}): Azure does not support moving a VM with restore points, and the collection no longer matches the VM. rpdesk's advice, not Azure's: create the point in a new collection whose source is '{}'",
            target.name, vm.id
        ));
    }
    if stale.is_empty() {
        return Finding::pass(format!(
            "every collection of VM '{}' names its current id",
            cx.vm_name()
        ));
    }
    let names: Vec<&str> = stale.iter().map(|c| c.name.as_str()).collect();
    Finding::warn(format!(
        "VM '{}' was moved: collection(s) {} keep its old id, which Azure does not update. rpdesk's advice, not Azure's: their points still restore disks; new points go to a new collection with the current id",
        cx.vm_name(),
        names.join(", ")
    ))
}

/// Azure Boost sizes with more than one captured data disk: crash consistency not guaranteed.
pub(super) fn azure_boost_v6_size_with_several_data_disks_not_guaranteed_crash_consistent(
    cx: &mut Ctx<'_, '_>,
) -> Finding {
    let size = cx.facts.vm.vm_size();
    let Some(parsed) = parse_size(size) else {
        return Finding::na(format!("the size of VM '{}' is unknown", cx.vm_name()));
    };
    if !parsed.is_azure_boost() {
        return Finding::pass(format!(
            "size {size} is not an Intel v6+ / AMD v7+ (Azure Boost) size"
        ));
    }
    let data = cx.included().filter(|s| !s.is_os).count();
    if data > 1 {
        Finding::warn(format!(
            "VM '{}' is an Azure Boost size ({size}) with {data} captured data disks: the disks cannot be snapshotted at the same instant, so crash consistency is not guaranteed; use application-consistent",
            cx.vm_name()
        ))
    } else {
        Finding::pass(format!(
            "VM '{}' ({size}) has at most one captured data disk",
            cx.vm_name()
        ))
    }
}

/// The temporary disk is never captured.
pub(super) fn temporary_disk_never_captured(cx: &mut Ctx<'_, '_>) -> Finding {
    let size = cx.facts.vm.vm_size();
    match parse_size(size) {
        Some(s) if s.has_temp_disk() => Finding::warn(format!(
            "VM '{}' ({size}) has a temporary disk; its contents are never captured",
            cx.vm_name()
        )),
        Some(_) => Finding::pass(format!("size {size} has no temporary disk")),
        None => Finding::na(format!("the size of VM '{}' is unknown", cx.vm_name())),
    }
}
