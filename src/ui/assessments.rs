//! Assessments as the UI shows them: one VM's two modes, and the fleet grid's rows.
//! Rebuilt only when the inventory changes or the minute turns (waits expire), so frames
//! stay cheap.

use crate::inventory::{Inventory, RegionCounts};
use crate::model::{ResourceId, Timestamp};
use crate::rules::{Assessment, Effect, Mode, Outcome, RuleId, Verdict, assess_both};

use super::theme::Tone;

/// Both modes of one VM, application-consistent first.
pub type VmAssessments = [Assessment; 2];

/// One VM of the fleet grid.
#[derive(Clone, Debug)]
pub struct FleetRow {
    pub vm_id: ResourceId,
    pub subscription_id: String,
    pub region: String,
    /// Application-consistent, then crash-consistent.
    pub verdicts: [Verdict; 2],
    /// Rules that did not pass (warn or fail), per mode, sorted.
    pub rules: [Vec<RuleId>; 2],
    pub recommended: Mode,
}

/// Assesses one VM, if it is loaded.
pub fn assess_vm(inv: &Inventory, vm_id: &ResourceId, now_unix: i64) -> Option<VmAssessments> {
    let counts = RegionCounts::of(inv);
    let source = inv.facts_source(vm_id, &counts)?;
    Some(assess_both(
        &source.facts(),
        Timestamp::from_unix_secs(now_unix),
    ))
}

/// Assesses every VM of the inventory, sorted by subscription, then VM name.
pub fn fleet_rows(inv: &Inventory, now_unix: i64) -> Vec<FleetRow> {
    let counts = RegionCounts::of(inv);
    let now = Timestamp::from_unix_secs(now_unix);
    let mut rows: Vec<FleetRow> = inv
        .subscription_ids()
        .iter()
        .flat_map(|sub| inv.vms_of(sub))
        .filter_map(|vm_id| {
            let source = inv.facts_source(vm_id, &counts)?;
            let [app, crash] = assess_both(&source.facts(), now);
            let failing = |a: &Assessment| {
                a.results
                    .iter()
                    .filter(|r| matches!(r.outcome, Outcome::Warn | Outcome::Fail))
                    .map(|r| r.rule)
                    .collect::<Vec<_>>()
            };
            Some(FleetRow {
                vm_id: vm_id.clone(),
                subscription_id: vm_id.subscription_id().to_owned(),
                region: crate::rules::normalize_region(&source.vm.location),
                verdicts: [app.verdict, crash.verdict],
                rules: [failing(&app), failing(&crash)],
                recommended: app.recommended_mode,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.subscription_id, a.vm_id.name().to_ascii_lowercase())
            .cmp(&(&b.subscription_id, b.vm_id.name().to_ascii_lowercase()))
    });
    rows
}

/// The fleet grid's four verdict classes (a `NotYet`'s time does not matter there).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VerdictClass {
    Supported,
    WithExclusions,
    NotYet,
    NotSupported,
}

impl VerdictClass {
    /// Every class, best first.
    pub const ALL: [VerdictClass; 4] = [
        Self::Supported,
        Self::WithExclusions,
        Self::NotYet,
        Self::NotSupported,
    ];

    /// The class of a verdict.
    pub fn of(verdict: &Verdict) -> Self {
        match verdict {
            Verdict::Supported => Self::Supported,
            Verdict::SupportedWithExclusions => Self::WithExclusions,
            Verdict::NotYet { .. } => Self::NotYet,
            Verdict::NotSupported => Self::NotSupported,
        }
    }

    /// Sentence-case label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Supported => "Supported",
            Self::WithExclusions => "Supported with exclusions",
            Self::NotYet => "Not yet",
            Self::NotSupported => "Not supported",
        }
    }

    /// Green, amber, amber, red.
    pub fn tone(self) -> Tone {
        match self {
            Self::Supported => Tone::Ok,
            Self::WithExclusions | Self::NotYet => Tone::Warn,
            Self::NotSupported => Tone::Error,
        }
    }
}

/// The tone of a rule outcome.
pub fn outcome_tone(outcome: Outcome) -> Tone {
    match outcome {
        Outcome::Pass => Tone::Ok,
        Outcome::Warn => Tone::Warn,
        Outcome::Fail => Tone::Error,
        Outcome::NotApplicable => Tone::Muted,
    }
}

/// Why each excluded disk is left out: the reasons of the exclusion rules that named it.
pub fn exclusion_reasons(a: &Assessment) -> Vec<(String, Vec<String>)> {
    a.exclude_disks
        .iter()
        .map(|id| {
            let name = id.name();
            let reasons = a
                .results
                .iter()
                .filter(|r| {
                    r.rule.rule().effect == Effect::ExcludeDisk
                        && r.outcome != Outcome::Pass
                        && r.outcome != Outcome::NotApplicable
                        && r.reason
                            .to_ascii_lowercase()
                            .contains(&name.to_ascii_lowercase())
                })
                // The rule's statement, not its reason: the reason lists every disk.
                .map(|r| r.rule.rule().statement.to_owned())
                .collect();
            (name.to_owned(), reasons)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_classes_are_green_amber_red() {
        assert_eq!(VerdictClass::of(&Verdict::Supported).tone(), Tone::Ok);
        assert_eq!(
            VerdictClass::of(&Verdict::SupportedWithExclusions).tone(),
            Tone::Warn
        );
        assert_eq!(VerdictClass::of(&Verdict::NotSupported).tone(), Tone::Error);
    }
}

/// The fleet grid as CSV: one line per VM, both verdicts, the recommended mode and the
/// rules that did not pass per mode.
pub fn fleet_csv(rows: &[FleetRow], inv: &Inventory) -> String {
    let mut out = String::from(
        "vm,subscription,resource_group,region,application_consistent,crash_consistent,recommended,application_rules,crash_rules\n",
    );
    for r in rows {
        let sub = inv
            .subs
            .get(&r.subscription_id)
            .map(|e| e.subscription.display_name.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| r.subscription_id.clone());
        let rules = |i: usize| {
            r.rules[i]
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let fields = [
            r.vm_id.name().to_owned(),
            sub,
            r.vm_id.resource_group().unwrap_or_default().to_owned(),
            r.region.clone(),
            r.verdicts[0].to_string(),
            r.verdicts[1].to_string(),
            r.recommended.to_string(),
            rules(0),
            rules(1),
        ];
        out.push_str(&crate::csv::line(&fields));
    }
    out
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    #[test]
    fn fleet_csv_has_a_header_and_one_line_per_vm() {
        let row = FleetRow {
            vm_id: ResourceId::parse(
                "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1",
            )
            .expect("valid id"),
            subscription_id: "s1".into(),
            region: "westus2".into(),
            verdicts: [Verdict::Supported, Verdict::NotSupported],
            rules: [vec![], vec![RuleId::UltraDiskExcludedForCrashConsistent]],
            recommended: Mode::ApplicationConsistent,
        };
        let csv = fleet_csv(&[row], &Inventory::default());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[1],
            "vm1,s1,rg1,westus2,supported,not supported,application-consistent,,ultra-disk-excluded-for-crash-consistent"
        );
    }
}
