//! Count and time rules.

use super::{Fixture, at, minutes_ago, now, outcome, puts, reason, vm_id};
use crate::rules::{Mode, Outcome, RuleId, Verdict, assess};

const APP: Mode = Mode::ApplicationConsistent;
const CRASH: Mode = Mode::CrashConsistent;

fn with_collection() -> Fixture {
    Fixture::linux().collection("rpc1", &vm_id("rg1", "vm1"))
}

#[test]
fn at_most_500_points_per_vm() {
    let mut f = with_collection();
    for i in 0..500 {
        f = f.point(
            &format!("p{i}"),
            "CrashConsistent",
            minutes_ago(60 * 24 * 30 + i),
            "Succeeded",
        );
    }
    let a = f.build().assess(CRASH);
    assert_eq!(outcome(&a, RuleId::AtMost500PointsPerVm), Outcome::Fail);
    assert!(reason(&a, RuleId::AtMost500PointsPerVm).contains("500"));
    assert_eq!(a.verdict, Verdict::NotSupported);
    let mut f = with_collection();
    for i in 0..499 {
        f = f.point(
            &format!("p{i}"),
            "CrashConsistent",
            minutes_ago(60 * 24 * 30 + i),
            "Succeeded",
        );
    }
    assert_eq!(f.build().assess(CRASH).verdict, Verdict::Supported);
}

#[test]
fn at_most_10000_collections_per_subscription_region() {
    let rule = RuleId::AtMost10000CollectionsPerSubscriptionRegion;
    let e = Fixture::linux().build();
    let mut facts = e.facts();
    facts.collections_in_subscription_region = 10_000;
    let a = assess(&facts, APP, now());
    assert_eq!(outcome(&a, rule), Outcome::Fail);
    assert_eq!(a.verdict, Verdict::NotSupported);
    facts.collections_in_subscription_region = 9_999;
    assert_eq!(assess(&facts, APP, now()).verdict, Verdict::Supported);
    // With an existing collection no new one is needed.
    let e = with_collection().build();
    let mut facts = e.facts();
    facts.collections_in_subscription_region = 10_000;
    assert_eq!(outcome(&assess(&facts, APP, now()), rule), Outcome::Pass);
}

#[test]
fn no_concurrent_creation() {
    let rule = RuleId::NoConcurrentCreation;
    let e = with_collection()
        .point(
            "busy",
            "ApplicationConsistent",
            minutes_ago(500),
            "Creating",
        )
        .build();
    let a = e.assess(CRASH);
    assert_eq!(outcome(&a, rule), Outcome::Fail);
    assert!(reason(&a, rule).contains("busy"));
    assert_eq!(a.verdict, Verdict::NotYet { until: None });
    assert_eq!(a.next_allowed, None);
    let e = with_collection().build();
    let mut facts = e.facts();
    facts.creation_in_flight = true;
    assert_eq!(
        assess(&facts, APP, now()).verdict,
        Verdict::NotYet { until: None }
    );
}

#[test]
fn minimum_frequency_3h_application_1h_crash() {
    let rule = RuleId::MinimumFrequency3hApplication1hCrash;
    let e = with_collection()
        .point(
            "app",
            "ApplicationConsistent",
            minutes_ago(120),
            "Succeeded",
        )
        .point("crash", "CrashConsistent", minutes_ago(30), "Succeeded")
        .build();
    let app = e.assess(APP);
    assert_eq!(outcome(&app, rule), Outcome::Fail);
    let next = at("2026-01-10T13:00:00Z");
    assert_eq!(app.verdict, Verdict::NotYet { until: Some(next) });
    assert_eq!(app.next_allowed.as_ref().map(|(t, _)| *t), Some(next));
    let crash = e.assess(CRASH);
    assert_eq!(
        crash.verdict,
        Verdict::NotYet {
            until: Some(at("2026-01-10T12:30:00Z"))
        }
    );
    // Failed points and file-system-consistent points: the latter count as application.
    let e = with_collection()
        .point("fs", "FileSystemConsistent", minutes_ago(200), "Succeeded")
        .point("failed", "CrashConsistent", minutes_ago(10), "Failed")
        .build();
    assert_eq!(e.assess(APP).verdict, Verdict::Supported);
    assert_eq!(e.assess(CRASH).verdict, Verdict::Supported);
    let e = with_collection()
        .point("fs", "FileSystemConsistent", minutes_ago(100), "Succeeded")
        .build();
    assert_eq!(outcome(&e.assess(APP), rule), Outcome::Fail);
}

#[test]
fn at_most_3_puts_per_hour() {
    let rule = RuleId::AtMost3PutsPerHour;
    let e = with_collection().build();
    let mut facts = e.facts();
    facts.recent_puts = puts(CRASH, &[50, 20, 5]);
    let a = assess(&facts, CRASH, now());
    assert_eq!(outcome(&a, rule), Outcome::Fail);
    let until = at("2026-01-10T12:10:00Z");
    assert_eq!(a.verdict, Verdict::NotYet { until: Some(until) });
    let (t, why) = a.next_allowed.clone().unwrap_or((now(), String::new()));
    assert_eq!(t, until);
    assert!(why.contains("429"));
    // A PUT just over an hour old no longer counts.
    facts.recent_puts = puts(CRASH, &[61, 20, 5]);
    assert_eq!(outcome(&assess(&facts, CRASH, now()), rule), Outcome::Pass);
    // The other mode's PUTs do not count.
    facts.recent_puts = puts(APP, &[50, 20, 5]);
    assert_eq!(outcome(&assess(&facts, CRASH, now()), rule), Outcome::Pass);
    assert_eq!(outcome(&assess(&facts, APP, now()), rule), Outcome::Fail);
}

#[test]
fn at_most_3_puts_per_hour_counts_each_mode_on_its_own() {
    // Seed 000's throttling table has two rows for a VM: 3 application-consistent PUTs
    // and 3 crash-consistent PUTs an hour, separate budgets.
    let rule = RuleId::AtMost3PutsPerHour;
    let e = with_collection()
        .point("c1", "CrashConsistent", minutes_ago(50), "Succeeded")
        .point("c2", "CrashConsistent", minutes_ago(20), "Failed")
        .point("c3", "CrashConsistent", minutes_ago(5), "Failed")
        .build();
    let crash = e.assess(CRASH);
    assert_eq!(outcome(&crash, rule), Outcome::Fail);
    let app = e.assess(APP);
    assert_eq!(outcome(&app, rule), Outcome::Pass, "{}", reason(&app, rule));
    assert_eq!(app.verdict, Verdict::Supported);
}
