//! VM-wide rules.

use serde_json::json;

use super::{Fixture, SUB, now, outcome, reason, vm_id};
use crate::rules::{Mode, Orchestration, Outcome, RuleId, Verdict, assess};

const APP: Mode = Mode::ApplicationConsistent;
const CRASH: Mode = Mode::CrashConsistent;

#[test]
fn confidential_vm_not_supported() {
    let e = Fixture::linux()
        .vm(|v| v["properties"]["securityProfile"] = json!({ "securityType": "ConfidentialVM" }))
        .build();
    for mode in [APP, CRASH] {
        let a = e.assess(mode);
        assert_eq!(
            outcome(&a, RuleId::ConfidentialVmNotSupported),
            Outcome::Fail
        );
        assert_eq!(a.verdict, Verdict::NotSupported);
    }
}

#[test]
fn vmss_uniform_instance_not_supported() {
    let e = Fixture::linux()
        .vm(|v| {
            v["id"] = json!(format!(
                "/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/web/virtualMachines/3"
            ))
        })
        .build();
    let a = e.assess(CRASH);
    assert_eq!(
        outcome(&a, RuleId::VmssUniformInstanceNotSupported),
        Outcome::Fail
    );
    assert_eq!(a.verdict, Verdict::NotSupported);
    // Or known from the scale set's orchestration mode.
    let e = Fixture::linux()
        .vm(|v| v["properties"]["virtualMachineScaleSet"] = json!({ "id": "/subscriptions/x/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/web" }))
        .build();
    let mut facts = e.facts();
    facts.orchestration = Some(Orchestration::Uniform);
    let a = assess(&facts, APP, now());
    assert_eq!(a.verdict, Verdict::NotSupported);
    assert_eq!(
        outcome(&a, RuleId::VmssFlexMemberSupported),
        Outcome::NotApplicable
    );
}

#[test]
fn vmss_flex_member_supported() {
    let e = Fixture::linux()
        .vm(|v| v["properties"]["virtualMachineScaleSet"] = json!({ "id": "/subscriptions/x/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/flex1" }))
        .build();
    let a = e.assess(APP);
    assert_eq!(outcome(&a, RuleId::VmssFlexMemberSupported), Outcome::Pass);
    assert!(reason(&a, RuleId::VmssFlexMemberSupported).contains("flex1"));
    assert_eq!(
        outcome(&a, RuleId::VmssUniformInstanceNotSupported),
        Outcome::Pass
    );
    assert_eq!(a.verdict, Verdict::Supported);
}

#[test]
fn availability_set_member_supported() {
    let e = Fixture::linux()
        .vm(|v| v["properties"]["availabilitySet"] = json!({ "id": "/subscriptions/x/resourceGroups/rg1/providers/Microsoft.Compute/availabilitySets/avset1" }))
        .build();
    let a = e.assess(CRASH);
    assert_eq!(
        outcome(&a, RuleId::AvailabilitySetMemberSupported),
        Outcome::Pass
    );
    assert!(reason(&a, RuleId::AvailabilitySetMemberSupported).contains("every member"));
    assert_eq!(a.verdict, Verdict::Supported);
}

#[test]
fn trusted_launch_supported() {
    let e = Fixture::linux()
        .vm(|v| v["properties"]["securityProfile"] = json!({ "securityType": "TrustedLaunch", "uefiSettings": { "secureBootEnabled": true, "vTpmEnabled": true } }))
        .build();
    for mode in [APP, CRASH] {
        let a = e.assess(mode);
        assert_eq!(outcome(&a, RuleId::TrustedLaunchSupported), Outcome::Pass);
        assert_eq!(a.verdict, Verdict::Supported);
    }
}

#[test]
fn api_version_supports_mode() {
    let e = Fixture::linux().build();
    let mut facts = e.facts();
    facts.api_version = "2021-03-01";
    assert_eq!(assess(&facts, APP, now()).verdict, Verdict::Supported);
    let crash = assess(&facts, CRASH, now());
    assert_eq!(
        outcome(&crash, RuleId::ApiVersionSupportsMode),
        Outcome::Fail
    );
    assert_eq!(crash.verdict, Verdict::NotSupported);
    facts.api_version = "2020-12-01";
    assert_eq!(assess(&facts, APP, now()).verdict, Verdict::NotSupported);
    facts.api_version = "2025-04-01";
    assert_eq!(assess(&facts, CRASH, now()).verdict, Verdict::Supported);
}

#[test]
fn app_consistent_needs_running_vm() {
    for state in ["deallocated", "stopped"] {
        let e = Fixture::linux()
            .vm(|v| {
                v["properties"]["instanceView"]["statuses"] =
                    json!([{ "code": format!("PowerState/{state}") }])
            })
            .build();
        let app = e.assess(APP);
        assert_eq!(
            outcome(&app, RuleId::AppConsistentNeedsRunningVm),
            Outcome::Fail
        );
        assert!(reason(&app, RuleId::AppConsistentNeedsRunningVm).contains(state));
        assert_eq!(app.verdict, Verdict::NotSupported);
        assert_eq!(app.recommended_mode, CRASH);
        let crash = e.assess(CRASH);
        assert_eq!(crash.verdict, Verdict::Supported);
    }
    // Unknown power state: a warning, not a refusal.
    let e = Fixture::linux()
        .vm(|v| v["properties"]["instanceView"] = json!(null))
        .build();
    let a = e.assess(APP);
    assert_eq!(
        outcome(&a, RuleId::AppConsistentNeedsRunningVm),
        Outcome::Warn
    );
    assert_eq!(a.verdict, Verdict::Supported);
}

/// vm1, moved from resource group old-rg: its collection still names the old id.
fn moved_vm() -> Fixture {
    Fixture::linux()
        .collection("rpc-old", &vm_id("old-rg", "vm1"))
        .point(
            "p1",
            "CrashConsistent",
            super::minutes_ago(600),
            "Succeeded",
        )
}

#[test]
fn moved_vm_stale_source_id() {
    let e = moved_vm().build();
    // Found through the points' vmId although source.id names the old group.
    let mut facts = e.facts();
    assert_eq!(facts.collections.len(), 1);
    assert!(facts.target_collection.is_none());
    let a = assess(&facts, CRASH, now());
    assert_eq!(outcome(&a, RuleId::MovedVmStaleSourceId), Outcome::Warn);
    assert!(reason(&a, RuleId::MovedVmStaleSourceId).contains("rpc-old"));
    assert_eq!(a.verdict, Verdict::Supported);
    // Creating into the stale collection is refused.
    facts.target_collection = Some(&e.collections[0].id);
    let a = assess(&facts, CRASH, now());
    assert_eq!(outcome(&a, RuleId::MovedVmStaleSourceId), Outcome::Fail);
    assert_eq!(a.verdict, Verdict::NotSupported);
}

#[test]
fn azure_boost_v6_size_with_several_data_disks_not_guaranteed_crash_consistent() {
    let rule = RuleId::AzureBoostV6SizeWithSeveralDataDisksNotGuaranteedCrashConsistent;
    let e = Fixture::linux()
        .vm(|v| v["properties"]["hardwareProfile"]["vmSize"] = json!("Standard_D8ds_v6"))
        .data_disk("d1", "Premium_LRS")
        .data_disk("d2", "Premium_LRS")
        .build();
    let crash = e.assess(CRASH);
    assert_eq!(outcome(&crash, rule), Outcome::Warn);
    assert!(reason(&crash, rule).contains("Standard_D8ds_v6"));
    assert_eq!(crash.verdict, Verdict::Supported);
    assert_eq!(crash.recommended_mode, APP);
    assert_eq!(outcome(&e.assess(APP), rule), Outcome::NotApplicable);
    // One data disk, or an AMD v6 size: fine.
    let one = Fixture::linux()
        .vm(|v| v["properties"]["hardwareProfile"]["vmSize"] = json!("Standard_E4s_v6"))
        .data_disk("d1", "Premium_LRS")
        .build();
    assert_eq!(outcome(&one.assess(CRASH), rule), Outcome::Pass);
    let amd6 = Fixture::linux()
        .vm(|v| v["properties"]["hardwareProfile"]["vmSize"] = json!("Standard_D4as_v6"))
        .data_disk("d1", "Premium_LRS")
        .data_disk("d2", "Premium_LRS")
        .build();
    assert_eq!(outcome(&amd6.assess(CRASH), rule), Outcome::Pass);
    let amd7 = Fixture::linux()
        .vm(|v| v["properties"]["hardwareProfile"]["vmSize"] = json!("Standard_D4as_v7"))
        .data_disk("d1", "Premium_LRS")
        .data_disk("d2", "Premium_LRS")
        .build();
    assert_eq!(outcome(&amd7.assess(CRASH), rule), Outcome::Warn);
    // Excluded data disks do not count.
    let excl = Fixture::linux()
        .vm(|v| v["properties"]["hardwareProfile"]["vmSize"] = json!("Standard_D8s_v6"))
        .data_disk("d1", "Premium_LRS")
        .data_disk("u1", "UltraSSD_LRS")
        .build();
    assert_eq!(outcome(&excl.assess(CRASH), rule), Outcome::Pass);
}

#[test]
fn temporary_disk_never_captured() {
    let e = Fixture::linux()
        .vm(|v| v["properties"]["hardwareProfile"]["vmSize"] = json!("Standard_D4ds_v5"))
        .build();
    let a = e.assess(APP);
    assert_eq!(
        outcome(&a, RuleId::TemporaryDiskNeverCaptured),
        Outcome::Warn
    );
    assert!(reason(&a, RuleId::TemporaryDiskNeverCaptured).contains("never captured"));
    assert_eq!(a.verdict, Verdict::Supported);
    let none = Fixture::linux().build().assess(CRASH);
    assert_eq!(
        outcome(&none, RuleId::TemporaryDiskNeverCaptured),
        Outcome::Pass
    );
}

#[test]
fn app_consistent_needs_running_vm_cites_a_microsoft_document() {
    // Item 3 of the fidelity review: the rule comes from no seed; it must name the
    // Microsoft document it does come from, with its words, and not a project note.
    let source = RuleId::AppConsistentNeedsRunningVm
        .rule()
        .source
        .to_string();
    assert!(!source.contains("ARM-WIRE"), "{source}");
    assert!(
        source.contains("Troubleshoot restore point failures")
            && source.contains("it interferes with the restore point operation"),
        "{source}"
    );
}

#[test]
fn moved_vm_advice_is_labelled_as_rpdesks_not_azures() {
    // Seed 000 says moving a VM with restore points isn't supported and leaves the
    // points' source reference stale; it says nothing about a new collection. That is
    // rpdesk's suggestion, and must read as such.
    let rule = RuleId::MovedVmStaleSourceId.rule();
    assert!(
        !rule.statement.contains("new collection"),
        "{}",
        rule.statement
    );
    assert!(rule.advice.is_some_and(|a| a.contains("new collection")));
    let e = moved_vm().build();
    let mut facts = e.facts();
    facts.target_collection = Some(&e.collections[0].id);
    for a in [assess(&facts, CRASH, now()), {
        facts.target_collection = None;
        assess(&facts, CRASH, now())
    }] {
        let why = reason(&a, RuleId::MovedVmStaleSourceId);
        if let Some(at) = why.find("new collection") {
            assert!(why[..at].contains("rpdesk's advice"), "{why}");
        }
    }
}
