//! How results combine into a verdict, exclusions and a recommendation.

use super::{Fixture, excluded, minutes_ago, now, vm_id};
use crate::rules::{Mode, Verdict, assess, assess_both, catalogue};

#[test]
fn block_beats_wait_and_waits_take_the_latest_time() {
    let e = Fixture::linux()
        .collection("rpc1", &vm_id("rg1", "vm1"))
        .point("a", "ApplicationConsistent", minutes_ago(170), "Succeeded")
        .build();
    let mut facts = e.facts();
    facts.recent_puts = super::puts(Mode::ApplicationConsistent, &[40, 30, 20]);
    let a = assess(&facts, Mode::ApplicationConsistent, now());
    // Throttle lifts 12:20, frequency 12:10: the later wins.
    assert_eq!(
        a.verdict,
        Verdict::NotYet {
            until: Some(super::at("2026-01-10T12:20:00Z"))
        }
    );
    facts.api_version = "2019-01-01";
    assert_eq!(
        assess(&facts, Mode::ApplicationConsistent, now()).verdict,
        Verdict::NotSupported
    );
}

#[test]
fn exclusions_are_sorted_and_deduplicated() {
    let e = Fixture::linux()
        .data_disk("zz-ultra", "UltraSSD_LRS")
        .data_disk("aa-pv2", "PremiumV2_LRS")
        .disk("zz-ultra", |d| {
            d["properties"]["maxShares"] = serde_json::json!(3)
        })
        .build();
    let [app, crash] = assess_both(&e.facts(), now());
    assert_eq!(excluded(&app), vec!["zz-ultra"]);
    assert_eq!(excluded(&crash), vec!["aa-pv2", "zz-ultra"]);
    assert_eq!(crash.verdict, Verdict::SupportedWithExclusions);
    assert_eq!(app.recommended_mode, Mode::ApplicationConsistent);
    assert_eq!(crash.recommended_mode, Mode::ApplicationConsistent);
}

#[test]
fn every_catalogued_rule_has_a_test_named_after_it() {
    let sources = [
        include_str!("disk.rs"),
        include_str!("vm.rs"),
        include_str!("os.rs"),
        include_str!("instant_access.rs"),
        include_str!("cadence.rs"),
        include_str!("copy.rs"),
    ];
    for rule in catalogue() {
        let name = format!("fn {}()", rule.id.as_str().replace('-', "_"));
        assert!(sources.iter().any(|s| s.contains(&name)), "no test {name}");
    }
}

#[test]
fn recommendation_ignores_waits() {
    // The last application-consistent point is an hour old: app waits, crash could go now.
    let e = Fixture::linux()
        .collection("rpc1", &vm_id("rg1", "vm1"))
        .point("a", "ApplicationConsistent", minutes_ago(60), "Succeeded")
        .build();
    let [app, crash] = assess_both(&e.facts(), now());
    assert!(matches!(app.verdict, Verdict::NotYet { until: Some(_) }));
    assert_eq!(crash.verdict, Verdict::Supported);
    assert_eq!(app.recommended_mode, Mode::ApplicationConsistent);
}

#[test]
fn unknown_power_state_does_not_change_the_recommendation() {
    let e = Fixture::linux()
        .vm(|v| v["properties"]["instanceView"] = serde_json::json!(null))
        .build();
    assert_eq!(
        assess(&e.facts(), Mode::CrashConsistent, now()).recommended_mode,
        Mode::ApplicationConsistent
    );
}

#[test]
fn target_collection_skips_azure_backup_and_prefers_the_vm_region() {
    let mut f = Fixture::linux()
        .collection("AzureBackupRG_westus2_1", &vm_id("rg1", "vm1"))
        .collection("rpc-east", &vm_id("rg1", "vm1"))
        .collection("rpc-west", &vm_id("rg1", "vm1"));
    f.collections[0]["id"] = serde_json::json!(format!(
        "/subscriptions/{}/resourceGroups/AzureBackupRG_westus2_1/providers/Microsoft.Compute/restorePointCollections/AzureBackupRG_westus2_1",
        super::SUB
    ));
    f.collections[1]["location"] = serde_json::json!("eastus");
    let e = f.build();
    let facts = e.facts();
    assert_eq!(facts.collections.len(), 3);
    assert_eq!(
        facts.target_collection.map(|id| id.name()),
        Some("rpc-west")
    );
}

#[test]
fn disk_rules_do_not_pass_when_disks_are_not_loaded() {
    let e = Fixture::linux()
        .vm(|v| v["properties"]["storageProfile"] = serde_json::json!(null))
        .build();
    let a = assess(&e.facts(), Mode::CrashConsistent, now());
    for rule in catalogue()
        .iter()
        .filter(|r| r.scope == crate::rules::Scope::Disk)
    {
        assert_eq!(
            super::outcome(&a, rule.id),
            crate::rules::Outcome::NotApplicable,
            "{}",
            rule.id
        );
    }
}
