//! Per-disk rules.

use serde_json::json;

use super::{Fixture, excluded, outcome, reason};
use crate::rules::{Mode, Outcome, RuleId, Verdict};

const APP: Mode = Mode::ApplicationConsistent;
const CRASH: Mode = Mode::CrashConsistent;

#[test]
fn unmanaged_disks_not_supported() {
    let e = Fixture::linux()
        .data_disk("data1", "Standard_LRS")
        .data_entry(0, |d| {
            d["managedDisk"] = json!(null);
            d["vhd"] = json!({ "uri": "https://acct.blob.core.windows.net/vhds/data1.vhd" });
        })
        .build();
    for mode in [APP, CRASH] {
        let a = e.assess(mode);
        assert_eq!(
            outcome(&a, RuleId::UnmanagedDisksNotSupported),
            Outcome::Fail
        );
        assert!(reason(&a, RuleId::UnmanagedDisksNotSupported).contains("data1"));
        assert_eq!(a.verdict, Verdict::NotSupported);
    }
}

#[test]
fn ephemeral_os_disk_always_excluded() {
    // Ephemeral OS disks have no disk resource: the VM reports no managedDisk.id.
    let e = Fixture::linux()
        .data_disk("data1", "Premium_LRS")
        .os_entry(|d| {
            d["diffDiskSettings"] = json!({ "option": "Local", "placement": "ResourceDisk" });
            d["managedDisk"] = json!({ "storageAccountType": "Standard_LRS" });
        })
        .build();
    for mode in [APP, CRASH] {
        let a = e.assess(mode);
        assert_eq!(
            outcome(&a, RuleId::EphemeralOsDiskAlwaysExcluded),
            Outcome::Warn
        );
        assert!(reason(&a, RuleId::EphemeralOsDiskAlwaysExcluded).contains("its name"));
        assert_eq!(a.verdict, Verdict::SupportedWithExclusions);
        // No managed disk id: the id its name would have in the VM's resource group is
        // sent (seed 002: "Exclude these disks"), as the emulator expects.
        assert_eq!(a.exclude_disks.len(), 1);
        assert!(
            a.exclude_disks[0].as_str().ends_with("/disks/vm1-os"),
            "{:?}",
            a.exclude_disks
        );
    }
    // With an id reported, that id is sent.
    let e = Fixture::linux()
        .os_entry(|d| d["diffDiskSettings"] = json!({ "option": "Local" }))
        .build();
    let a = e.assess(APP);
    assert_eq!(excluded(&a), vec!["vm1-os"]);
    assert_eq!(a.verdict, Verdict::SupportedWithExclusions);
}

#[test]
fn shared_disk_always_excluded() {
    let e = Fixture::linux()
        .data_disk("cluster", "Premium_LRS")
        .data_disk("data2", "Premium_LRS")
        .disk("cluster", |d| d["properties"]["maxShares"] = json!(2))
        .build();
    for mode in [APP, CRASH] {
        let a = e.assess(mode);
        assert_eq!(outcome(&a, RuleId::SharedDiskAlwaysExcluded), Outcome::Warn);
        assert_eq!(excluded(&a), vec!["cluster"]);
        assert_eq!(a.verdict, Verdict::SupportedWithExclusions);
    }
    // A disk that could not be loaded is reported, not silently passed.
    let mut f = Fixture::linux().data_disk("lost", "Premium_LRS");
    f.disks.retain(|d| d["name"] != "lost");
    let a = f.build().assess(APP);
    assert_eq!(outcome(&a, RuleId::SharedDiskAlwaysExcluded), Outcome::Warn);
    assert!(reason(&a, RuleId::SharedDiskAlwaysExcluded).contains("lost"));
}

#[test]
fn ultra_disk_excluded_for_crash_consistent() {
    let e = Fixture::linux().data_disk("ultra1", "UltraSSD_LRS").build();
    let crash = e.assess(CRASH);
    assert_eq!(
        outcome(&crash, RuleId::UltraDiskExcludedForCrashConsistent),
        Outcome::Warn
    );
    assert_eq!(excluded(&crash), vec!["ultra1"]);
    assert_eq!(crash.verdict, Verdict::SupportedWithExclusions);
    let app = e.assess(APP);
    assert_eq!(
        outcome(&app, RuleId::UltraDiskExcludedForCrashConsistent),
        Outcome::NotApplicable
    );
    assert_eq!(app.verdict, Verdict::Supported);
    assert_eq!(crash.recommended_mode, APP);
    // An OS disk is excluded like any other (seed 001: "exclude any disk").
    let os = Fixture::linux()
        .os_entry(|d| d["managedDisk"]["storageAccountType"] = json!("UltraSSD_LRS"))
        .disk("vm1-os", |d| d["sku"]["name"] = json!("UltraSSD_LRS"))
        .build()
        .assess(CRASH);
    assert_eq!(
        outcome(&os, RuleId::UltraDiskExcludedForCrashConsistent),
        Outcome::Warn
    );
    assert_eq!(os.verdict, Verdict::SupportedWithExclusions);
}

#[test]
fn premium_v2_disk_excluded_for_crash_consistent() {
    let e = Fixture::linux()
        .data_disk("pv2", "PremiumV2_LRS")
        .data_disk("plain", "Premium_LRS")
        .build();
    let crash = e.assess(CRASH);
    assert_eq!(
        outcome(&crash, RuleId::PremiumV2DiskExcludedForCrashConsistent),
        Outcome::Warn
    );
    assert_eq!(excluded(&crash), vec!["pv2"]);
    assert_eq!(crash.verdict, Verdict::SupportedWithExclusions);
    assert!(crash.exclude_disks[0].as_str().ends_with("/disks/pv2"));
    assert_eq!(e.assess(APP).verdict, Verdict::Supported);
}

#[test]
fn write_accelerated_disk_excluded_for_crash_consistent() {
    let e = Fixture::linux()
        .data_disk("log", "Premium_LRS")
        .data_entry(0, |d| d["writeAcceleratorEnabled"] = json!(true))
        .build();
    let crash = e.assess(CRASH);
    assert_eq!(
        outcome(
            &crash,
            RuleId::WriteAcceleratedDiskExcludedForCrashConsistent
        ),
        Outcome::Warn
    );
    assert_eq!(excluded(&crash), vec!["log"]);
    assert_eq!(crash.verdict, Verdict::SupportedWithExclusions);
    assert_eq!(e.assess(APP).verdict, Verdict::Supported);
    // A write-accelerated OS disk is excluded from crash-consistent points.
    let os = Fixture::linux()
        .os_entry(|d| d["writeAcceleratorEnabled"] = json!(true))
        .build()
        .assess(CRASH);
    assert_eq!(os.verdict, Verdict::SupportedWithExclusions);
    assert!(reason(&os, RuleId::WriteAcceleratedDiskExcludedForCrashConsistent).contains("vm1-os"));
}

#[test]
fn read_write_host_caching_not_guaranteed_crash_consistent() {
    let e = Fixture::linux()
        .os_entry(|d| d["caching"] = json!("ReadWrite"))
        .build();
    let crash = e.assess(CRASH);
    assert_eq!(
        outcome(
            &crash,
            RuleId::ReadWriteHostCachingNotGuaranteedCrashConsistent
        ),
        Outcome::Warn
    );
    assert!(
        reason(
            &crash,
            RuleId::ReadWriteHostCachingNotGuaranteedCrashConsistent
        )
        .contains("vm1-os")
    );
    assert_eq!(crash.verdict, Verdict::Supported, "a warning never refuses");
    assert_eq!(crash.recommended_mode, APP);
    // An excluded disk's caching does not matter.
    let excl = Fixture::linux()
        .data_disk("ultra1", "UltraSSD_LRS")
        .data_entry(0, |d| d["caching"] = json!("ReadWrite"))
        .build()
        .assess(CRASH);
    assert_eq!(
        outcome(
            &excl,
            RuleId::ReadWriteHostCachingNotGuaranteedCrashConsistent
        ),
        Outcome::Pass
    );
}

#[test]
fn encryption_not_carried_to_restore_point() {
    let e = Fixture::linux()
        .data_disk("secret", "Premium_LRS")
        .disk("secret", |d| {
            d["properties"]["encryption"] = json!({ "type": "EncryptionAtRestWithCustomerKey",
                "diskEncryptionSetId": "/subscriptions/x/resourceGroups/rg1/providers/Microsoft.Compute/diskEncryptionSets/des1" })
        })
        .build();
    let a = e.assess(APP);
    assert_eq!(
        outcome(&a, RuleId::EncryptionNotCarriedToRestorePoint),
        Outcome::Warn
    );
    assert!(reason(&a, RuleId::EncryptionNotCarriedToRestorePoint).contains("secret"));
    assert_eq!(a.verdict, Verdict::Supported);
    let host = Fixture::linux()
        .vm(|v| v["properties"]["securityProfile"] = json!({ "encryptionAtHost": true }))
        .build()
        .assess(CRASH);
    assert_eq!(
        outcome(&host, RuleId::EncryptionNotCarriedToRestorePoint),
        Outcome::Warn
    );
}

#[test]
fn cmk_becomes_pmk_on_cross_region_copy() {
    let e = Fixture::linux()
        .data_disk("secret", "Premium_LRS")
        .data_entry(0, |d| {
            d["managedDisk"]["diskEncryptionSet"] = json!({ "id": "/subscriptions/x/resourceGroups/rg1/providers/Microsoft.Compute/diskEncryptionSets/des1" })
        })
        .build();
    let a = e.assess(CRASH);
    assert_eq!(
        outcome(&a, RuleId::CmkBecomesPmkOnCrossRegionCopy),
        Outcome::Warn
    );
    assert!(reason(&a, RuleId::CmkBecomesPmkOnCrossRegionCopy).contains("platform-managed"));
    let plain = Fixture::linux().build().assess(CRASH);
    assert_eq!(
        outcome(&plain, RuleId::CmkBecomesPmkOnCrossRegionCopy),
        Outcome::NotApplicable
    );
}

#[test]
fn the_os_disk_is_excluded_like_any_disk() {
    // Seed 001: "you can optionally exclude any disk when creating a restore point"; the
    // emulator (as Azure) accepts a point without its OS disk.
    let wa = Fixture::linux()
        .os_entry(|d| d["writeAcceleratorEnabled"] = json!(true))
        .data_disk("data1", "Premium_LRS")
        .build()
        .assess(CRASH);
    assert_eq!(
        wa.verdict,
        Verdict::SupportedWithExclusions,
        "{:#?}",
        wa.results
    );
    assert_eq!(excluded(&wa), vec!["vm1-os"]);
    let why = reason(&wa, RuleId::WriteAcceleratedDiskExcludedForCrashConsistent);
    assert!(
        why.contains("OS disk") && why.contains("new OS disk"),
        "{why}"
    );
    // The application-consistent point keeps it, and stays the recommendation.
    assert_eq!(wa.recommended_mode, APP);
}

#[test]
fn a_point_created_in_another_region_is_platform_key_encrypted() {
    // Seed 001: customer-managed key points "created directly in the target region are
    // created as platform-managed key encrypted restore points".
    let mut f = Fixture::linux()
        .data_disk("secret", "Premium_LRS")
        .data_entry(0, |d| {
            d["managedDisk"]["diskEncryptionSet"] = json!({ "id": "/subscriptions/x/resourceGroups/rg1/providers/Microsoft.Compute/diskEncryptionSets/des1" })
        })
        .collection("rpc-east", &super::vm_id("rg1", "vm1"));
    f.collections[0]["location"] = json!("eastus");
    let a = f.build().assess(APP);
    let why = reason(&a, RuleId::CmkBecomesPmkOnCrossRegionCopy);
    assert!(why.contains("created in region 'eastus'"), "{why}");
    // Whatever the region, rpdesk sends no per-disk encryption: the point is PMK.
    let why = reason(&a, RuleId::EncryptionNotCarriedToRestorePoint);
    assert!(why.contains("platform-managed keys"), "{why}");
}

#[test]
fn captured_disks_are_the_included_ones_with_platform_keys() {
    let e = Fixture::linux()
        .data_disk("ultra1", "UltraSSD_LRS")
        .data_disk("plain", "Premium_LRS")
        .build();
    let crash = e.assess(CRASH);
    let ids: Vec<&str> = crash.captured.iter().map(|d| d.id.name()).collect();
    assert_eq!(ids, ["vm1-os", "plain"]);
    assert!(
        crash
            .captured
            .iter()
            .all(|d| d.encryption == crate::rules::PLATFORM_KEY)
    );
    assert_eq!(e.assess(APP).captured.len(), 3);
}
