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
    facts.recent_puts = vec![minutes_ago(40), minutes_ago(30), minutes_ago(20)];
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
    ];
    for rule in catalogue() {
        let name = format!("fn {}()", rule.id.as_str().replace('-', "_"));
        assert!(sources.iter().any(|s| s.contains(&name)), "no test {name}");
    }
}
