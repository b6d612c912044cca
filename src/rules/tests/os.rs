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
