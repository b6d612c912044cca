//! Guest rules ARM can only partly see (seed 002's operating system support for
//! application consistency): Windows releases past Microsoft's extended support, Linux
//! distributions not endorsed by Azure, the VM agent, Python on proxy-configured Linux
//! VMs. They read the image reference, the instance view's `osName` / `osVersion` and
//! `vmAgent.vmAgentVersion`; the guest can differ from what ARM shows, so each is a
//! warning, never a refusal.

use crate::model::{PowerState, Timestamp, VirtualMachine};

use super::check::{Ctx, Finding};
use super::os_rules::{image_text, is_linux, os_name, os_text, os_version, windows_release_of};

/// A Windows release's end of extended support and, when Microsoft sells them, the end
/// of its Extended Security Updates (Microsoft Lifecycle; Azure VMs get ESU at no cost).
const WINDOWS_LIFECYCLE: &[(&str, &str, Option<&str>)] = &[
    ("Windows Server 2003", "2015-07-14", None),
    ("Windows Server 2008", "2020-01-14", Some("2024-01-09")),
    ("Windows 7", "2020-01-14", Some("2023-01-10")),
    ("Windows Server 2012", "2023-10-10", Some("2026-10-13")),
    ("Windows Server 2012 R2", "2023-10-10", Some("2026-10-13")),
    ("Windows 10", "2025-10-14", None),
    ("Windows Server 2016", "2027-01-12", None),
    ("Windows Server 2019", "2029-01-09", None),
    ("Windows Server 2022", "2031-10-14", None),
    ("Windows Server 2025", "2034-11-14", None),
];

/// Midnight UTC of a `YYYY-MM-DD` date.
fn day(date: &str) -> Option<Timestamp> {
    Timestamp::parse(&format!("{date}T00:00:00Z")).ok()
}

/// Windows past the end of extended support: seed 002 does not support an OS "that have
/// reached extended security update"; whether a VM is enrolled in ESU is not in ARM.
pub(super) fn windows_past_extended_support(cx: &mut Ctx<'_, '_>) -> Finding {
    let name = cx.vm_name();
    let Some((release, _)) = windows_release_of(cx.facts.vm) else {
        return Finding::na(format!(
            "VM '{name}' does not run a Windows release rpdesk knows"
        ));
    };
    let Some(&(_, extended, esu)) = WINDOWS_LIFECYCLE.iter().find(|(r, _, _)| *r == release) else {
        return Finding::na(format!(
            "rpdesk does not know the support dates of {release}"
        ));
    };
    if day(extended).is_none_or(|end| cx.now < end) {
        return Finding::pass(format!(
            "VM '{name}' runs {release}, in Microsoft's extended support until {extended}"
        ));
    }
    match esu {
        Some(esu) if day(esu).is_some_and(|end| cx.now >= end) => Finding::warn(format!(
            "VM '{name}' runs {release}: its extended support ended on {extended} and its Extended Security Updates on {esu}; an OS past that point is not supported for application consistency"
        )),
        Some(esu) => Finding::warn(format!(
            "VM '{name}' runs {release}: its extended support ended on {extended}; it is updated until {esu} only if enrolled in Extended Security Updates, which ARM does not show, and an OS that has reached extended security update is not supported for application consistency"
        )),
        None => Finding::warn(format!(
            "VM '{name}' runs {release}: its extended support ended on {extended}; Extended Security Updates depend on its licence, which ARM does not show, and an OS that has reached extended security update is not supported for application consistency"
        )),
    }
}

/// Which release of a distribution ships Python 2.7 or later.
#[derive(Clone, Copy)]
enum Python {
    /// Every release Azure runs does.
    Always,
    /// Releases up to this major version ship Python 2.6 or older.
    OldThrough(u32),
    /// rpdesk does not know.
    Unknown,
}

/// A Linux distribution as rpdesk recognises it.
struct Distribution {
    name: &'static str,
    /// On Microsoft's "Endorsed Linux distributions on Azure" list.
    endorsed: bool,
    python: Python,
}

/// Distributions by the words that name them in `osName` or the image reference; the
/// more specific first (openSUSE before SUSE).
const DISTRIBUTIONS: &[(&[&str], Distribution)] = &[
    (
        &["ubuntu", "canonical"],
        Distribution {
            name: "Ubuntu",
            endorsed: true,
            python: Python::OldThrough(10),
        },
    ),
    (
        &["red hat", "redhat", "rhel"],
        Distribution {
            name: "Red Hat Enterprise Linux",
            endorsed: true,
            python: Python::OldThrough(6),
        },
    ),
    (
        &["oracle"],
        Distribution {
            name: "Oracle Linux",
            endorsed: true,
            python: Python::OldThrough(6),
        },
    ),
    (
        &["opensuse"],
        Distribution {
            name: "openSUSE",
            endorsed: true,
            python: Python::Always,
        },
    ),
    (
        &["suse", "sles"],
        Distribution {
            name: "SUSE Linux Enterprise",
            endorsed: true,
            python: Python::OldThrough(11),
        },
    ),
    (
        &["debian"],
        Distribution {
            name: "Debian",
            endorsed: true,
            python: Python::OldThrough(6),
        },
    ),
    (
        &["almalinux"],
        Distribution {
            name: "AlmaLinux",
            endorsed: true,
            python: Python::Always,
        },
    ),
    (
        &["rocky"],
        Distribution {
            name: "Rocky Linux",
            endorsed: true,
            python: Python::Always,
        },
    ),
    (
        &["flatcar", "kinvolk"],
        Distribution {
            name: "Flatcar Container Linux",
            endorsed: true,
            python: Python::Unknown,
        },
    ),
    (
        &["azure linux", "azurelinux", "mariner"],
        Distribution {
            name: "Azure Linux",
            endorsed: true,
            python: Python::Always,
        },
    ),
    (
        &["centos"],
        Distribution {
            name: "CentOS",
            endorsed: false,
            python: Python::OldThrough(6),
        },
    ),
    (
        &["fedora"],
        Distribution {
            name: "Fedora",
            endorsed: false,
            python: Python::Always,
        },
    ),
    (
        &[
            "arch linux",
            "archlinux",
            "gentoo",
            "alpine",
            "nixos",
            "kali",
        ],
        Distribution {
            name: "a community distribution",
            endorsed: false,
            python: Python::Unknown,
        },
    ),
];

fn distribution_in(text: &str) -> Option<&'static Distribution> {
    DISTRIBUTIONS
        .iter()
        .find(|(words, _)| words.iter().any(|w| text.contains(w)))
        .map(|(_, d)| d)
}

/// The VM's distribution and major release: the guest's report first, then the image.
fn distribution(vm: &VirtualMachine) -> Option<(&'static Distribution, Option<u32>)> {
    let name = os_name(vm);
    let (d, from_guest) = match distribution_in(&name) {
        Some(d) => (d, true),
        None => (distribution_in(&image_text(vm))?, false),
    };
    let major = |text: &str| -> Option<u32> {
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
            .and_then(|w| {
                w.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .ok()
            })
    };
    let image_sku = vm
        .properties
        .storage_profile
        .as_ref()
        .and_then(|s| s.image_reference.as_ref())
        .and_then(|i| i.get("sku"))
        .and_then(|s| s.as_str())
        .unwrap_or("");
    let version = if from_guest {
        major(&os_version(vm)).or_else(|| major(&name))
    } else {
        major(image_sku)
    };
    Some((d, version))
}

/// Linux distributions not endorsed by Azure might work, with the agent and Python.
pub(super) fn linux_distribution_endorsed_by_azure(cx: &mut Ctx<'_, '_>) -> Finding {
    let vm = cx.facts.vm;
    let name = cx.vm_name();
    if !is_linux(vm) {
        return Finding::na(format!("VM '{name}' does not run Linux"));
    }
    if os_text(vm).contains("coreos") {
        return Finding::na("CoreOS is not supported for application consistency at all");
    }
    match distribution(vm) {
        Some((d, _)) if d.endorsed => Finding::pass(format!(
            "VM '{name}' runs {}, a distribution endorsed by Azure",
            d.name
        )),
        Some((d, _)) => Finding::warn(format!(
            "VM '{name}' runs {}, which is not on Azure's endorsed list: application-consistent points might work only if the Azure VM agent for Linux is available and Python is supported",
            d.name
        )),
        None if os_name(vm).is_empty() && image_text(vm).is_empty() => {
            Finding::na(format!("the distribution of VM '{name}' is not known"))
        }
        None => Finding::warn(format!(
            "rpdesk does not recognise the distribution of VM '{name}' ('{}'): if it is not endorsed by Azure, application-consistent points might work only with the Azure VM agent for Linux and a supported Python",
            os_text(vm)
        )),
    }
}

/// The oldest agent versions Microsoft supports ("Minimum version support for virtual
/// machine agents in Azure").
const MIN_WINDOWS_AGENT: &[u64] = &[2, 7, 41491, 901];
const MIN_LINUX_AGENT: &[u64] = &[2, 2, 10];

fn version_parts(v: &str) -> Option<Vec<u64>> {
    v.trim()
        .split('.')
        .map(|p| p.parse::<u64>().ok())
        .collect::<Option<Vec<_>>>()
        .filter(|p| !p.is_empty())
}

/// Application consistency runs through the guest agent and its extension: it must
/// report, be ready, and not be older than Microsoft supports.
pub(super) fn guest_agent_available_and_recent(cx: &mut Ctx<'_, '_>) -> Finding {
    let vm = cx.facts.vm;
    let name = cx.vm_name();
    let Some(view) = vm.properties.instance_view.as_ref() else {
        return Finding::na(format!("the instance view of VM '{name}' is not loaded"));
    };
    if vm.power_state() != Some(PowerState::Running) {
        return Finding::na(format!(
            "VM '{name}' is not running; its guest agent reports only while it runs"
        ));
    }
    let agent = view.vm_agent.as_ref();
    let version = agent
        .and_then(|a| a.vm_agent_version.as_deref())
        .filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("unknown"));
    let Some(version) = version else {
        return Finding::warn(format!(
            "VM '{name}' reports no guest agent (instanceView.vmAgent): application-consistent points run through the Azure VM agent and its snapshot extension"
        ));
    };
    let not_ready = agent.into_iter().flat_map(|a| &a.statuses).find(|s| {
        s.display_status
            .as_deref()
            .is_some_and(|d| d.eq_ignore_ascii_case("not ready"))
    });
    if let Some(s) = not_ready {
        return Finding::warn(format!(
            "the guest agent {version} of VM '{name}' is not ready ({}): application-consistent points run through it",
            s.message.as_deref().unwrap_or(s.code.as_str())
        ));
    }
    let minimum = if is_linux(vm) {
        MIN_LINUX_AGENT
    } else {
        MIN_WINDOWS_AGENT
    };
    let minimum_text = minimum
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".");
    match version_parts(version) {
        Some(parts) if parts.as_slice() < minimum => Finding::warn(format!(
            "the guest agent of VM '{name}' is {version}, older than {minimum_text}, the oldest Microsoft supports: update it before relying on application-consistent points"
        )),
        Some(_) => Finding::pass(format!(
            "the guest agent of VM '{name}' is {version} (at least {minimum_text})"
        )),
        None => Finding::warn(format!(
            "the guest agent of VM '{name}' reports version '{version}', which rpdesk cannot compare with {minimum_text}"
        )),
    }
}

/// A proxy-configured Linux VM needs Python 2.7+; ARM shows neither the proxy nor
/// Python, so the release tells what it ships.
pub(super) fn linux_python_2_7_with_a_proxy(cx: &mut Ctx<'_, '_>) -> Finding {
    let vm = cx.facts.vm;
    let name = cx.vm_name();
    if !is_linux(vm) {
        return Finding::na(format!("VM '{name}' does not run Linux"));
    }
    let Some((d, major)) = distribution(vm) else {
        return Finding::na(format!("the distribution of VM '{name}' is not known"));
    };
    match (d.python, major) {
        (Python::Always, _) => Finding::pass(format!(
            "VM '{name}' runs {}, which ships Python 2.7 or later",
            d.name
        )),
        (Python::OldThrough(old), Some(v)) if v <= old => Finding::warn(format!(
            "VM '{name}' runs {} {v}, which ships Python 2.6 or older: if the VM reaches Azure through a proxy, application-consistent points need Python 2.7 or higher installed (ARM shows neither the proxy nor the Python)",
            d.name
        )),
        (Python::OldThrough(_), Some(v)) => Finding::pass(format!(
            "VM '{name}' runs {} {v}, which ships Python 2.7 or later",
            d.name
        )),
        _ => Finding::na(format!(
            "rpdesk does not know which Python the release of VM '{name}' ships"
        )),
    }
}
