//! Instant access rules.

use serde_json::json;

use super::{Fixture, now, outcome, reason, vm_id};
use crate::rules::{Mode, Outcome, RuleId, Verdict, assess};

const APP: Mode = Mode::ApplicationConsistent;
const CRASH: Mode = Mode::CrashConsistent;

/// A westus2 VM with a Premium SSD v2 data disk and a collection with instant access.
fn eligible() -> Fixture {
    let mut f = Fixture::linux()
        .data_disk("pv2", "PremiumV2_LRS")
        .collection("rpc1", &vm_id("rg1", "vm1"));
    if let Some(c) = f.collections.last_mut() {
        c["properties"]["instantAccess"] = json!(true);
    }
    f
}

#[test]
fn instant_access_eligibility() {
    let rule = RuleId::InstantAccessEligibility;
    let e = eligible().build();
    let app = e.assess(APP);
    assert_eq!(outcome(&app, rule), Outcome::Pass);
    assert!(app.instant_access_eligible);
    assert!(
        app.instant_access,
        "the point gets the collection's instant access"
    );
    assert_eq!(app.verdict, Verdict::Supported);
    // Crash-consistent in an instant access collection is created without instant
    // access (seed 000: not supported for crash-consistent points), not refused.
    let crash = e.assess(CRASH);
    assert_eq!(outcome(&crash, rule), Outcome::Warn);
    assert!(reason(&crash, rule).contains("without it"));
    assert!(!crash.instant_access_eligible);
    assert!(!crash.instant_access);
    assert_eq!(
        crash.verdict,
        Verdict::SupportedWithExclusions,
        "the PV2 disk is left out"
    );
    // ... unless a duration is sent with it.
    let mut facts = e.facts();
    facts.instant_access_duration_minutes = Some(120);
    let refused = assess(&facts, CRASH, now());
    assert_eq!(
        outcome(&refused, RuleId::InstantAccessDuration60To300),
        Outcome::Fail
    );
    assert_eq!(refused.verdict, Verdict::NotSupported);
    // Region not listed: the point is created without instant access.
    let east = eligible()
        .vm(|v| v["location"] = json!("eastus"))
        .build()
        .assess(APP);
    assert_eq!(outcome(&east, rule), Outcome::Warn);
    assert!(reason(&east, rule).contains("eastus"));
    assert!(!east.instant_access);
    // No Premium SSD v2 / Ultra data disk, and not requested: just not eligible.
    let plain = Fixture::linux().build().assess(APP);
    assert_eq!(outcome(&plain, rule), Outcome::NotApplicable);
    assert!(!plain.instant_access_eligible);
    // Old api-version.
    let old = eligible().build();
    let mut facts = old.facts();
    facts.api_version = "2024-11-01";
    assert_eq!(outcome(&assess(&facts, APP, now()), rule), Outcome::Warn);
    facts.instant_access_duration_minutes = Some(60);
    assert_eq!(outcome(&assess(&facts, APP, now()), rule), Outcome::Fail);
}

#[test]
fn instant_access_duration_60_to_300() {
    let rule = RuleId::InstantAccessDuration60To300;
    let e = eligible().build();
    let mut facts = e.facts();
    assert_eq!(outcome(&assess(&facts, APP, now()), rule), Outcome::Pass);
    for (minutes, expected) in [
        (59, Outcome::Fail),
        (60, Outcome::Pass),
        (300, Outcome::Pass),
        (301, Outcome::Fail),
    ] {
        facts.instant_access_duration_minutes = Some(minutes);
        let a = assess(&facts, APP, now());
        assert_eq!(outcome(&a, rule), expected, "{minutes} min");
    }
    assert_eq!(
        outcome(&Fixture::linux().build().assess(APP), rule),
        Outcome::NotApplicable
    );
}

#[test]
fn instant_access_at_most_50_concurrent_per_subscription_region() {
    let rule = RuleId::InstantAccessAtMost50ConcurrentPerSubscriptionRegion;
    let e = eligible().build();
    let mut facts = e.facts();
    facts.instant_access_in_flight_in_subscription_region = 49;
    assert_eq!(outcome(&assess(&facts, APP, now()), rule), Outcome::Pass);
    facts.instant_access_in_flight_in_subscription_region = 50;
    let a = assess(&facts, APP, now());
    assert_eq!(outcome(&a, rule), Outcome::Fail);
    assert_eq!(a.verdict, Verdict::NotYet { until: None });
}

#[test]
fn instant_access_counts_only_captured_disks_and_its_limit_only_instant_points() {
    // The Premium SSD v2 disk is shared, so it is excluded: the point captures no
    // Premium SSD v2 / Ultra data disk and is created without instant access (as the
    // emulator does), unless a duration is sent, which is refused.
    let e = eligible()
        .disk("pv2", |d| d["properties"]["maxShares"] = json!(2))
        .build();
    let mut facts = e.facts();
    let app = assess(&facts, APP, now());
    assert_eq!(
        outcome(&app, RuleId::InstantAccessEligibility),
        Outcome::Warn,
        "{}",
        reason(&app, RuleId::InstantAccessEligibility)
    );
    assert!(reason(&app, RuleId::InstantAccessEligibility).contains("without instant access"));
    assert_eq!(app.verdict, Verdict::SupportedWithExclusions);
    facts.instant_access_duration_minutes = Some(120);
    assert_eq!(assess(&facts, APP, now()).verdict, Verdict::NotSupported);
    // The 50-creation limit is for instant access points: a crash-consistent point in
    // the same collection is not held back by it.
    let e = eligible().build();
    let mut facts = e.facts();
    facts.instant_access_in_flight_in_subscription_region = 50;
    let crash = assess(&facts, CRASH, now());
    assert_eq!(
        outcome(
            &crash,
            RuleId::InstantAccessAtMost50ConcurrentPerSubscriptionRegion
        ),
        Outcome::NotApplicable
    );
    assert_eq!(crash.verdict, Verdict::SupportedWithExclusions);
}

#[test]
fn instant_access_needs_feature_registration() {
    // Seed 000 names the subscription feature instant access needs; ARM's VM model does
    // not say whether it is registered, so rpdesk says so whenever it offers instant access.
    let rule = RuleId::InstantAccessNeedsFeatureRegistration;
    let app = eligible().build().assess(APP);
    assert_eq!(outcome(&app, rule), Outcome::Warn);
    let why = reason(&app, rule);
    assert!(
        why.contains(crate::rules::INSTANT_ACCESS_FEATURE_REGISTER_COMMAND),
        "{why}"
    );
    assert_eq!(app.verdict, Verdict::Supported, "a note never refuses");
    assert_eq!(
        outcome(&Fixture::linux().build().assess(APP), rule),
        Outcome::NotApplicable
    );
}
