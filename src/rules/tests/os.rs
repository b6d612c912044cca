//! Guest OS rules.

use serde_json::json;

use super::{Fixture, now, outcome, reason};
use crate::rules::{Mode, Outcome, RuleId, Verdict, assess};

const APP: Mode = Mode::ApplicationConsistent;
const CRASH: Mode = Mode::CrashConsistent;

#[test]
fn nfs_mounts_not_captured() {
    let e = Fixture::linux().build();
    let mut facts = e.facts();
    let unknown = assess(&facts, APP, now());
    assert_eq!(
        outcome(&unknown, RuleId::NfsMountsNotCaptured),
        Outcome::NotApplicable
    );
    assert!(reason(&unknown, RuleId::NfsMountsNotCaptured).contains("NFS"));
    facts.guest.nfs_mounts = Some(true);
    let a = assess(&facts, CRASH, now());
    assert_eq!(outcome(&a, RuleId::NfsMountsNotCaptured), Outcome::Warn);
    assert_eq!(a.verdict, Verdict::Supported);
}

#[test]
fn app_consistent_32bit_and_coreos_not_supported() {
    let rule = RuleId::AppConsistent32BitAndCoreOsNotSupported;
    let coreos = Fixture::linux()
        .vm(|v| {
            v["properties"]["storageProfile"]["imageReference"] =
                json!({ "publisher": "CoreOS", "offer": "CoreOS", "sku": "Stable" })
        })
        .build();
    let app = coreos.assess(APP);
    assert_eq!(outcome(&app, rule), Outcome::Fail);
    assert_eq!(app.verdict, Verdict::NotSupported);
    assert!(reason(&app, rule).contains("CoreOS"));
    assert_eq!(app.recommended_mode, CRASH);
    assert_eq!(outcome(&coreos.assess(CRASH), rule), Outcome::NotApplicable);

    let e = Fixture::linux().build();
    let mut facts = e.facts();
    facts.guest.is_32_bit = Some(true);
    let a = assess(&facts, APP, now());
    assert_eq!(outcome(&a, rule), Outcome::Fail);
    assert!(reason(&a, rule).contains("32-bit"));
    assert_eq!(
        outcome(&Fixture::linux().build().assess(APP), rule),
        Outcome::Pass
    );
}

#[test]
fn windows_versions_for_app_consistency() {
    let rule = RuleId::WindowsVersionsForAppConsistency;
    let ok = Fixture::windows("2019-Datacenter", "Windows Server 2019 Datacenter")
        .build()
        .assess(APP);
    assert_eq!(outcome(&ok, rule), Outcome::Pass);
    assert!(reason(&ok, rule).contains("2019"));
    let r2 = Fixture::windows("2012-R2-Datacenter", "")
        .build()
        .assess(APP);
    assert!(reason(&r2, rule).contains("2012 R2"));
    let old = Fixture::windows("2008-R2-SP1", "Windows Server 2008 R2 Datacenter")
        .build()
        .assess(APP);
    assert_eq!(outcome(&old, rule), Outcome::Warn);
    assert_eq!(old.verdict, Verdict::Supported);
    assert_eq!(old.recommended_mode, CRASH);
    let linux = Fixture::linux().build().assess(APP);
    assert_eq!(outcome(&linux, rule), Outcome::NotApplicable);
}

#[test]
fn file_system_consistent_counts_as_application_consistent() {
    let rule = RuleId::FileSystemConsistentCountsAsApplicationConsistent;
    let linux = Fixture::linux().build().assess(APP);
    assert_eq!(outcome(&linux, rule), Outcome::Pass);
    assert!(reason(&linux, rule).contains("file-system-consistent"));
    let windows = Fixture::windows("2022-datacenter", "Windows Server 2022 Datacenter")
        .build()
        .assess(APP);
    assert_eq!(outcome(&windows, rule), Outcome::NotApplicable);
    assert_eq!(
        outcome(&Fixture::linux().build().assess(CRASH), rule),
        Outcome::NotApplicable
    );
}

/// A Linux VM whose guest reports `os_name` / `os_version` and agent `agent`.
fn linux_guest(os_name: &str, os_version: &str, agent: Option<&str>) -> Fixture {
    Fixture::linux().vm(|v| {
        let view = &mut v["properties"]["instanceView"];
        view["osName"] = json!(os_name);
        view["osVersion"] = json!(os_version);
        if let Some(a) = agent {
            view["vmAgent"] = json!({ "vmAgentVersion": a, "statuses": [
                { "code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Ready" } ] });
        }
    })
}

#[test]
fn windows_past_extended_support() {
    // Seed 002: "OS that have reached extended security update will not be supported".
    // The test clock is 2026-01-10: Windows Server 2012 R2 left extended support on
    // 2023-10-10 and is within its Extended Security Updates (to 2026-10-13).
    let rule = RuleId::WindowsPastExtendedSupport;
    let r2 = Fixture::windows("2012-R2-Datacenter", "Windows Server 2012 R2 Datacenter")
        .build()
        .assess(APP);
    assert_eq!(outcome(&r2, rule), Outcome::Warn);
    let why = reason(&r2, rule);
    assert!(
        why.contains("2023-10-10") && why.contains("Extended Security Updates"),
        "{why}"
    );
    assert_eq!(
        r2.verdict,
        Verdict::Supported,
        "ARM cannot tell ESU enrolment: a warning"
    );
    // Past the end of its ESU too.
    let e = Fixture::windows("2012-R2-Datacenter", "Windows Server 2012 R2 Datacenter").build();
    let late = assess(&e.facts(), APP, super::at("2026-11-30T00:00:00Z"));
    assert!(
        reason(&late, rule).contains("2026-10-13"),
        "{}",
        reason(&late, rule)
    );
    // Read from the NT version when the name says nothing.
    let nt = Fixture::windows("custom", "")
        .vm(|v| {
            v["properties"]["instanceView"]["osVersion"] = json!("Microsoft Windows NT 6.3.9600.0")
        })
        .build()
        .assess(APP);
    assert_eq!(outcome(&nt, rule), Outcome::Warn);
    let current = Fixture::windows("2022-datacenter", "Windows Server 2022 Datacenter")
        .build()
        .assess(APP);
    assert_eq!(outcome(&current, rule), Outcome::Pass);
    assert_eq!(
        outcome(&Fixture::linux().build().assess(APP), rule),
        Outcome::NotApplicable
    );
}

#[test]
fn linux_distribution_endorsed_by_azure() {
    let rule = RuleId::LinuxDistributionEndorsedByAzure;
    let ubuntu = Fixture::linux().build().assess(APP);
    assert_eq!(outcome(&ubuntu, rule), Outcome::Pass);
    assert!(reason(&ubuntu, rule).contains("Ubuntu"));
    let fedora = linux_guest("Fedora Linux", "41", Some("2.9.1.1"))
        .vm(|v| v["properties"]["storageProfile"]["imageReference"] = json!(null))
        .build()
        .assess(APP);
    assert_eq!(outcome(&fedora, rule), Outcome::Warn);
    let why = reason(&fedora, rule);
    assert!(why.contains("Fedora") && why.contains("Python"), "{why}");
    assert_eq!(fedora.verdict, Verdict::Supported);
    assert_eq!(
        outcome(&Fixture::linux().build().assess(CRASH), rule),
        Outcome::NotApplicable,
        "seed 002: all operating systems are supported for crash consistency"
    );
}

#[test]
fn guest_agent_available_and_recent() {
    let rule = RuleId::GuestAgentAvailableAndRecent;
    let recent = linux_guest("ubuntu", "22.04", Some("2.9.1.1"))
        .build()
        .assess(APP);
    assert_eq!(outcome(&recent, rule), Outcome::Pass);
    let old = linux_guest("ubuntu", "22.04", Some("2.2.4"))
        .build()
        .assess(APP);
    assert_eq!(outcome(&old, rule), Outcome::Warn);
    assert!(reason(&old, rule).contains("2.2.4"));
    assert_eq!(old.verdict, Verdict::Supported);
    // Running but no agent reporting.
    let none = Fixture::linux()
        .vm(|v| v["properties"]["instanceView"]["vmAgent"] = json!(null))
        .build()
        .assess(APP);
    assert_eq!(outcome(&none, rule), Outcome::Warn);
    assert!(reason(&none, rule).contains("no guest agent"));
    let windows_old = Fixture::windows("2019-Datacenter", "Windows Server 2019 Datacenter")
        .vm(|v| {
            v["properties"]["instanceView"]["vmAgent"] =
                json!({ "vmAgentVersion": "2.7.41491.800" })
        })
        .build()
        .assess(APP);
    assert_eq!(outcome(&windows_old, rule), Outcome::Warn);
    assert_eq!(
        outcome(&Fixture::linux().build().assess(CRASH), rule),
        Outcome::NotApplicable
    );
}

#[test]
fn linux_python_2_7_with_a_proxy() {
    let rule = RuleId::LinuxPython27WithAProxy;
    let rhel6 = linux_guest(
        "Red Hat Enterprise Linux Server 6.10",
        "6.10",
        Some("2.9.1.1"),
    )
    .build()
    .assess(APP);
    assert_eq!(outcome(&rhel6, rule), Outcome::Warn);
    let why = reason(&rhel6, rule);
    assert!(why.contains("2.6") && why.contains("proxy"), "{why}");
    assert_eq!(rhel6.verdict, Verdict::Supported);
    let ubuntu = linux_guest("ubuntu", "22.04", Some("2.9.1.1"))
        .build()
        .assess(APP);
    assert_eq!(outcome(&ubuntu, rule), Outcome::Pass);
    let windows = Fixture::windows("2019-Datacenter", "Windows Server 2019 Datacenter")
        .build()
        .assess(APP);
    assert_eq!(outcome(&windows, rule), Outcome::NotApplicable);
}
