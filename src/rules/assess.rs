//! `assess`: runs every rule of the catalogue over a VM's facts for one mode and turns
//! the results into a verdict, the disks to exclude and the next allowed time;
//! `assess_copy` does the same for a cross-region copy of one point.

use crate::model::{ResourceId, Timestamp};

use super::assessment::{Assessment, CapturedDisk, Outcome, PLATFORM_KEY, RuleResult, Verdict};
use super::catalogue::{Effect, RuleId, Scope};
use super::check::{CHECKS, Ctx, Finding};
use super::copy_rules::{COPY_CHECKS, CopyAssessment, CopyFacts};
use super::facts::VmFacts;
use super::mode::Mode;
use super::slots::disk_slots;

/// Assesses a restore point in `mode` for the VM described by `facts`, at time `now`.
pub fn assess(facts: &VmFacts, mode: Mode, now: Timestamp) -> Assessment {
    let this = evaluate(facts, mode, now);
    let other = evaluate(facts, mode.other(), now);
    let recommended_mode = recommend(&this, &other);
    Assessment {
        recommended_mode,
        ..this.assessment
    }
}

/// Assesses both modes: application-consistent first.
pub fn assess_both(facts: &VmFacts, now: Timestamp) -> [Assessment; 2] {
    let app = evaluate(facts, Mode::ApplicationConsistent, now);
    let crash = evaluate(facts, Mode::CrashConsistent, now);
    let recommended_mode = recommend(&app, &crash);
    [
        Assessment {
            recommended_mode,
            ..app.assessment
        },
        Assessment {
            recommended_mode,
            ..crash.assessment
        },
    ]
}

/// Assesses a cross-region copy of one restore point at time `now`.
pub fn assess_copy(facts: &CopyFacts<'_>, now: Timestamp) -> CopyAssessment {
    let mut tally = Tally::default();
    for &(rule, check) in COPY_CHECKS {
        tally.add(rule, check(facts, now));
    }
    tally.results.sort_by_key(|r| r.rule);
    let verdict = tally.verdict(false);
    CopyAssessment {
        next_allowed: tally.next_allowed(&verdict),
        verdict,
        results: tally.results,
    }
}

/// Rule results as they come, and what they add up to.
#[derive(Default)]
struct Tally {
    results: Vec<RuleResult>,
    /// A rule other than a wait refused.
    blocked: bool,
    /// A wait rule refused.
    waiting: bool,
    /// The latest known time a wait lifts, with its reason.
    wait: Option<(Timestamp, String)>,
}

impl Tally {
    fn add(&mut self, rule: RuleId, finding: Finding) {
        if finding.outcome == Outcome::Fail {
            if rule.rule().effect == Effect::WaitUntil {
                self.waiting = true;
                if let Some(until) = finding.until
                    && self.wait.as_ref().is_none_or(|(t, _)| until > *t)
                {
                    self.wait = Some((until, finding.reason.clone()));
                }
            } else {
                self.blocked = true;
            }
        }
        self.results.push(RuleResult {
            rule,
            outcome: finding.outcome,
            reason: finding.reason,
        });
    }

    fn verdict(&self, any_excluded: bool) -> Verdict {
        if self.blocked {
            Verdict::NotSupported
        } else if self.waiting {
            Verdict::NotYet {
                until: self.wait.as_ref().map(|(t, _)| *t),
            }
        } else if any_excluded {
            Verdict::SupportedWithExclusions
        } else {
            Verdict::Supported
        }
    }

    /// The rule itself is in `results`; the reason says what to wait for.
    fn next_allowed(&self, verdict: &Verdict) -> Option<(Timestamp, String)> {
        match verdict {
            Verdict::NotYet { .. } => self.wait.clone(),
            _ => None,
        }
    }
}

/// An assessment plus what the recommendation needs.
struct Evaluation {
    assessment: Assessment,
    /// A rule other than a wait refused the point.
    blocked: bool,
    /// Some disk is left out.
    excluded: bool,
}

fn evaluate(facts: &VmFacts, mode: Mode, now: Timestamp) -> Evaluation {
    let mut cx = Ctx {
        facts,
        mode,
        now,
        slots: disk_slots(facts.vm, &facts.disks),
        instant_access_eligible: false,
        instant_access: false,
    };
    let mut tally = Tally {
        results: Vec::with_capacity(CHECKS.len()),
        ..Tally::default()
    };
    let disks_unknown = facts.vm.properties.storage_profile.is_none();
    for &(rule, check) in CHECKS {
        let finding = if !rule.rule().modes.contains(&mode) {
            Finding::na(format!("applies to {} points only", mode.other()))
        } else if disks_unknown && rule.rule().scope == Scope::Disk {
            Finding::na(format!("the disks of VM '{}' are not loaded", cx.vm_name()))
        } else {
            check(&mut cx)
        };
        tally.add(rule, finding);
    }
    tally.results.sort_by_key(|r| r.rule);

    let mut exclude_disks: Vec<ResourceId> = cx
        .slots
        .iter()
        .filter(|s| s.excluded)
        .filter_map(|s| {
            s.disk
                .map(|d| d.id.clone())
                .or_else(|| ResourceId::parse(s.id?).ok())
                .or_else(|| {
                    s.ephemeral
                        .then(|| disk_id_by_name(facts, s.name))
                        .flatten()
                })
        })
        .collect();
    exclude_disks.sort();
    exclude_disks.dedup();
    let any_excluded = cx.slots.iter().any(|s| s.excluded);
    let captured = cx
        .included()
        .filter_map(|s| {
            s.disk
                .map(|d| d.id.clone())
                .or_else(|| ResourceId::parse(s.id?).ok())
        })
        .map(|id| CapturedDisk {
            id,
            encryption: PLATFORM_KEY,
        })
        .collect();

    let verdict = tally.verdict(any_excluded);
    let next_allowed = tally.next_allowed(&verdict);
    let blocked = tally.blocked;
    Evaluation {
        assessment: Assessment {
            mode,
            verdict,
            results: tally.results,
            exclude_disks,
            captured,
            recommended_mode: mode,
            next_allowed,
            instant_access_eligible: cx.instant_access_eligible,
            instant_access: cx.instant_access,
        },
        blocked,
        excluded: any_excluded,
    }
}

/// The id a managed disk named `name` would have in the VM's resource group: what an
/// ephemeral OS disk (no disk resource, no `managedDisk.id`) is excluded by.
fn disk_id_by_name(facts: &VmFacts, name: &str) -> Option<ResourceId> {
    let vm = &facts.vm.id;
    ResourceId::parse(&format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/disks/{name}",
        vm.subscription_id(),
        vm.resource_group()?
    ))
    .ok()
}

/// Prefers the mode that is not refused by the configuration, then the one that leaves
/// no disk out, then the one with fewer "consistency not guaranteed" warnings, then
/// application-consistent (Azure's default). Waits are ignored: timing is what
/// `next_allowed` is for, and recommending crash-consistent whenever the 3 h window is
/// running would quietly trade consistency for frequency.
fn recommend(a: &Evaluation, b: &Evaluation) -> Mode {
    let key = |x: &Evaluation| {
        let warns = x
            .assessment
            .results
            .iter()
            .filter(|r| r.outcome == Outcome::Warn && r.rule.rule().effect == Effect::Warn)
            .count();
        let default_last = x.assessment.mode != Mode::ApplicationConsistent;
        (x.blocked, x.excluded, warns, default_last)
    };
    if key(b) < key(a) {
        b.assessment.mode
    } else {
        a.assessment.mode
    }
}
