//! Guest OS rules: what application consistency supports, and what no mode captures.
//! The OS is read from the instance view (`osName`) and the image reference, both optional.

use crate::model::{OsType, VirtualMachine};

use super::check::{Ctx, Finding};

/// Lower-case `osName` from the instance view (what the guest agent reports).
pub(super) fn os_name(vm: &VirtualMachine) -> String {
    vm.properties
        .instance_view
        .as_ref()
        .and_then(|v| v.os_name.as_deref())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Lower-case image publisher, offer and sku.
pub(super) fn image_text(vm: &VirtualMachine) -> String {
    let mut text = String::new();
    if let Some(image) = vm
        .properties
        .storage_profile
        .as_ref()
        .and_then(|s| s.image_reference.as_ref())
    {
        for key in ["publisher", "offer", "sku"] {
            if let Some(v) = image.get(key).and_then(|v| v.as_str()) {
                text.push(' ');
                text.push_str(v);
            }
        }
    }
    text.to_ascii_lowercase()
}

/// Lower-case text describing the guest: `osName` plus the image reference.
pub(super) fn os_text(vm: &VirtualMachine) -> String {
    format!("{} {}", os_name(vm), image_text(vm))
        .trim()
        .to_owned()
}

/// A Windows release named in `text`, and whether seed 002 lists it for application consistency.
fn windows_release(text: &str) -> Option<(&'static str, bool)> {
    const RELEASES: &[(&[&str], &str, bool)] = &[
        (
            &["2012-r2", "2012 r2", "2012r2"],
            "Windows Server 2012 R2",
            true,
        ),
        (&["2012"], "Windows Server 2012", true),
        (&["2016"], "Windows Server 2016", true),
        (&["2019"], "Windows Server 2019", true),
        (&["2022"], "Windows Server 2022", true),
        (&["2025"], "Windows Server 2025", false),
        (&["2008"], "Windows Server 2008", false),
        (&["2003"], "Windows Server 2003", false),
        (&["windows 10", "windows-10", "win10"], "Windows 10", true),
        (&["windows 11", "windows-11", "win11"], "Windows 11", false),
        (&["windows 7", "windows-7", "win7"], "Windows 7", false),
    ];
    RELEASES
        .iter()
        .find(|(needles, _, _)| needles.iter().any(|n| text.contains(n)))
        .map(|(_, label, ok)| (*label, *ok))
}

/// The instance view's `osVersion`, lower case (`22.04`, `Microsoft Windows NT 6.3.9600.0`).
pub(super) fn os_version(vm: &VirtualMachine) -> String {
    vm.properties
        .instance_view
        .as_ref()
        .and_then(|v| v.os_version.as_deref())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// A Windows release from its NT version (`Microsoft Windows NT 6.3.9600.0`).
fn nt_release(version: &str) -> Option<(&'static str, bool)> {
    const BUILDS: &[(&str, &str, bool)] = &[
        ("nt 6.1.7601", "Windows Server 2008", false),
        ("nt 6.2.9200", "Windows Server 2012", true),
        ("nt 6.3.9600", "Windows Server 2012 R2", true),
        ("nt 10.0.14393", "Windows Server 2016", true),
        ("nt 10.0.17763", "Windows Server 2019", true),
        ("nt 10.0.20348", "Windows Server 2022", true),
    ];
    BUILDS
        .iter()
        .find(|(build, _, _)| version.contains(build))
        .map(|(_, label, ok)| (*label, *ok))
}

/// The VM's Windows release: the guest's own report (`osName`, then its NT version) wins
/// over the image it was created from (in-place upgrades).
pub(super) fn windows_release_of(vm: &VirtualMachine) -> Option<(&'static str, bool)> {
    windows_release(&os_name(vm))
        .or_else(|| nt_release(&os_version(vm)))
        .or_else(|| windows_release(&image_text(vm)))
}

/// NFS shares are never captured; ARM cannot see guest mounts, so this needs a guest fact.
pub(super) fn nfs_mounts_not_captured(cx: &mut Ctx<'_, '_>) -> Finding {
    let name = cx.vm_name();
    match cx.facts.guest.nfs_mounts {
        Some(true) => Finding::warn(format!(
            "VM '{name}' mounts NFS shares; they are never captured, only locally attached disks are"
        )),
        Some(false) => Finding::pass(format!("VM '{name}' mounts no NFS shares")),
        None => Finding::na(format!(
            "rpdesk cannot see the mounts inside VM '{name}'; NFS shares are never captured, only locally attached disks are"
        )),
    }
}

/// 32-bit guests and CoreOS: application consistency is not supported (seed 002), and
/// Azure fails such a request (the guest has no VSS or script framework to run), so a
/// known 32-bit or CoreOS guest blocks application-consistent points. An unknown OS is
/// not applicable rather than a guess.
pub(super) fn app_consistent_32bit_and_coreos_not_supported(cx: &mut Ctx<'_, '_>) -> Finding {
    let text = os_text(cx.facts.vm);
    let name = cx.vm_name();
    let is_32_bit = cx.facts.guest.is_32_bit == Some(true)
        || ["32-bit", "(x86)", "i686", "i386"]
            .iter()
            .any(|n| text.contains(n));
    if is_32_bit {
        return Finding::fail(format!(
            "VM '{name}' runs a 32-bit OS: application consistency is not supported; use crash-consistent"
        ));
    }
    if text.contains("coreos") {
        return Finding::fail(format!(
            "VM '{name}' runs CoreOS: application consistency is not supported; use crash-consistent"
        ));
    }
    if text.is_empty() && cx.facts.guest.is_32_bit.is_none() {
        return Finding::na(format!("the OS of VM '{name}' is not known"));
    }
    Finding::pass(format!("VM '{name}' is neither a 32-bit guest nor CoreOS"))
}

/// Whether the guest runs Linux: the OS disk's `osType`, else what the guest reports.
pub(super) fn is_linux(vm: &VirtualMachine) -> bool {
    match vm.os_type() {
        Some(OsType::Linux) => true,
        Some(_) => false,
        None => {
            let text = os_text(vm);
            !text.is_empty() && !text.contains("windows")
        }
    }
}

/// On Linux, an application-consistent request without pre/post scripts gives a
/// file-system-consistent point; the cadence and instant access rules count it as
/// application-consistent (`Mode::from_consistency`).
pub(super) fn file_system_consistent_counts_as_application_consistent(
    cx: &mut Ctx<'_, '_>,
) -> Finding {
    let name = cx.vm_name();
    if !is_linux(cx.facts.vm) {
        return Finding::na(format!("VM '{name}' does not run Linux"));
    }
    Finding::pass(format!(
        "VM '{name}' runs Linux: without pre/post scripts in the guest its application-consistent points are file-system-consistent, and rpdesk counts them as application-consistent"
    ))
}

/// Windows releases documented for application consistency.
pub(super) fn windows_versions_for_app_consistency(cx: &mut Ctx<'_, '_>) -> Finding {
    let vm = cx.facts.vm;
    let text = os_text(vm);
    let windows = vm.os_type() == Some(&OsType::Windows) || text.contains("windows");
    let name = cx.vm_name();
    if !windows {
        return Finding::na(format!("VM '{name}' does not run Windows"));
    }
    match windows_release_of(vm) {
        Some((release, true)) => Finding::pass(format!(
            "VM '{name}' runs {release}, supported for application consistency"
        )),
        Some((release, false)) => Finding::warn(format!(
            "VM '{name}' runs {release}, which is not on the documented list for application consistency \
             (Windows 10 64-bit, Server 2012 to 2022); the point may fail or not be application-consistent"
        )),
        None => Finding::na(format!("the Windows release of VM '{name}' is not known")),
    }
}
