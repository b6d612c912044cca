//! Cross-region copies of a restore point.

use serde_json::json;

use super::{Fixture, at, minutes_ago, now, outcome, reason, vm_id};
use crate::model::RestorePointCollection;
use crate::rules::{CopyAssessment, CopyFacts, Mode, Outcome, RuleId, Verdict, assess_copy};

/// A VM with one collection holding one succeeded point, and an empty copy target in
/// another region.
fn source() -> (Fixture, RestorePointCollection) {
    let f = Fixture::linux()
        .collection("rpc1", &vm_id("rg1", "vm1"))
        .point("p1", "ApplicationConsistent", minutes_ago(600), "Succeeded");
    let source_rpc = f.collections[0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let target = serde_json::from_value(json!({
        "id": format!("{}-eastus", source_rpc), "name": "rpc1-eastus", "location": "eastus",
        "properties": { "source": { "id": source_rpc }, "restorePoints": [] }
    }))
    .expect("collection json");
    (f, target)
}

/// The copy of the built fixture's point to eastus, into `target`, after copies sent
/// `minutes` ago.
fn copy_of(
    e: &super::Built,
    target: Option<&RestorePointCollection>,
    minutes: &[i64],
) -> CopyAssessment {
    let point = &e.collections[0].restore_points()[0];
    let mut facts = CopyFacts::new(point, &e.collections[0], "eastus");
    facts.target = target;
    facts.recent_copies = minutes.iter().map(|m| minutes_ago(*m)).collect();
    assess_copy(&facts, now())
}

#[test]
fn at_most_3_copies_per_target_collection_per_hour() {
    let rule = RuleId::AtMost3CopiesPerTargetCollectionPerHour;
    let (f, target) = source();
    let e = f.build();
    let a = copy_of(&e, Some(&target), &[50, 20]);
    assert_eq!(outcome_of(&a.results, rule), Outcome::Pass);
    assert_eq!(a.verdict, Verdict::Supported);
    let a = copy_of(&e, Some(&target), &[50, 20, 5]);
    assert_eq!(outcome_of(&a.results, rule), Outcome::Fail);
    let until = at("2026-01-10T12:10:00Z");
    assert_eq!(a.verdict, Verdict::NotYet { until: Some(until) });
    assert!(
        a.next_allowed
            .is_some_and(|(t, why)| t == until && why.contains("429"))
    );
    // A VM's own assessment does not count copies: the rule is for the copy flow.
    assert_eq!(
        outcome(&e.assess(Mode::ApplicationConsistent), rule),
        Outcome::NotApplicable
    );
}

#[test]
fn private_links_not_supported_across_regions() {
    let rule = RuleId::PrivateLinksNotSupportedAcrossRegions;
    let (f, target) = source();
    let e = f.build();
    let a = copy_of(&e, Some(&target), &[]);
    assert_eq!(outcome_of(&a.results, rule), Outcome::Warn);
    assert!(reason_of(&a.results, rule).contains("private"));
    assert_eq!(a.verdict, Verdict::Supported, "a warning never refuses");
    // A point created in the VM's region: not concerned. In another region: warned.
    let here = e.assess(Mode::CrashConsistent);
    assert_eq!(outcome(&here, rule), Outcome::NotApplicable);
    let mut f = Fixture::linux().collection("rpc-east", &vm_id("rg1", "vm1"));
    f.collections[0]["location"] = json!("eastus");
    let away = f.build().assess(Mode::CrashConsistent);
    assert_eq!(outcome(&away, rule), Outcome::Warn);
    assert!(reason(&away, rule).contains("eastus"));
}

#[test]
fn a_copy_of_a_customer_key_point_is_platform_key_encrypted() {
    let rule = RuleId::CmkBecomesPmkOnCrossRegionCopy;
    let (mut f, target) = source();
    f.collections[0]["properties"]["restorePoints"][0]["properties"]["sourceMetadata"]["storageProfile"] = json!({
        "osDisk": { "name": "vm1-os", "diskRestorePoint": { "id": "x", "encryption": {
            "type": "EncryptionAtRestWithCustomerKey", "diskEncryptionSet": { "id": "des1" } } } },
        "dataDisks": [] });
    let e = f.build();
    let a = copy_of(&e, Some(&target), &[]);
    assert_eq!(outcome_of(&a.results, rule), Outcome::Warn);
    assert!(reason_of(&a.results, rule).contains("vm1-os"));
    let (f, _) = source();
    let plain = copy_of(&f.build(), None, &[]);
    assert_eq!(outcome_of(&plain.results, rule), Outcome::Pass);
}

fn outcome_of(results: &[crate::rules::RuleResult], rule: RuleId) -> Outcome {
    results
        .iter()
        .find(|r| r.rule == rule)
        .map_or(Outcome::NotApplicable, |r| r.outcome)
}

fn reason_of(results: &[crate::rules::RuleResult], rule: RuleId) -> String {
    results
        .iter()
        .find(|r| r.rule == rule)
        .map(|r| r.reason.clone())
        .unwrap_or_default()
}

#[test]
fn copy_needs_copyable_snapshots() {
    use crate::model::SnapshotAccessState as S;
    let rule = RuleId::CopyNeedsCopyableSnapshots;
    let (f, _) = source();
    let e = f.build();
    let point = &e.collections[0].restore_points()[0];
    let with = |disks: Option<Vec<(&str, S)>>| {
        let mut facts = CopyFacts::new(point, &e.collections[0], "eastus");
        facts.disk_access = disks.map(|d| d.into_iter().map(|(n, s)| (n.to_owned(), s)).collect());
        assess_copy(&facts, now())
    };
    // Not loaded: said, not refused.
    let a = with(None);
    assert_eq!(outcome_of(&a.results, rule), Outcome::Warn);
    assert_eq!(a.verdict, Verdict::Supported);
    for ready in [S::Available, S::AvailableWithInstantAccess] {
        let a = with(Some(vec![("os", S::Available), ("data", ready)]));
        assert_eq!(outcome_of(&a.results, rule), Outcome::Pass);
        assert_eq!(a.verdict, Verdict::Supported);
    }
    for waiting in [S::Pending, S::InstantAccess, S::Unknown] {
        let a = with(Some(vec![
            ("os", S::Available),
            ("data-00", waiting.clone()),
        ]));
        assert_eq!(outcome_of(&a.results, rule), Outcome::Fail, "{waiting}");
        assert_eq!(a.verdict, Verdict::NotYet { until: None }, "{waiting}");
        let why = reason_of(&a.results, rule);
        assert!(why.contains(&format!("data-00 ({waiting})")), "{why}");
        assert!(!why.contains("os ("), "{why}");
    }
    // A VM's own assessment leaves it to the copy flow.
    assert_eq!(
        outcome(&e.assess(Mode::ApplicationConsistent), rule),
        Outcome::NotApplicable
    );
}
