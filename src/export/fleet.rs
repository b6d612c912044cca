//! The supportability assessment as a table: one row per VM × consistency mode, with the
//! verdict, the disks Azure requires left out, and the rules that fail or warn with their
//! reasons. Assessing a VM takes tens of microseconds, so a fleet is read a slice at a
//! time ([`FleetJob::step`]).

use serde::Serialize;

use super::table::table;
use crate::csv::Table;
use crate::inventory::{Inventory, RegionCounts};
use crate::model::{ResourceId, Timestamp};
use crate::rules::{Assessment, Outcome, Verdict, assess_both};

/// The CSV columns (the keys of each JSON object, in order).
pub const HEADER: &[&str] = &[
    "vm",
    "vm_id",
    "subscription_id",
    "subscription",
    "resource_group",
    "region",
    "mode",
    "verdict",
    "not_before",
    "recommended",
    "excluded_disks",
    "failing_rules",
    "warning_rules",
    "reasons",
];

/// One VM in one mode.
#[derive(Clone, Debug, Serialize)]
pub struct SupportRow {
    pub vm: String,
    pub vm_id: String,
    pub subscription_id: String,
    /// The subscription's display name.
    pub subscription: String,
    pub resource_group: String,
    pub region: String,
    /// `application-consistent` or `crash-consistent`.
    pub mode: &'static str,
    /// `supported`, `supported with exclusions`, `not yet` or `not supported`.
    pub verdict: &'static str,
    /// When Azure accepts the next point in this mode, if not now and known (RFC 3339).
    pub not_before: Option<String>,
    /// This is the mode rpdesk recommends for the VM.
    pub recommended: bool,
    /// Ids of the disks a point in this mode must leave out.
    pub excluded_disks: Vec<String>,
    /// Rules that refuse the point (now or until the configuration changes).
    pub failing_rules: Vec<&'static str>,
    /// Rules that let the point be created with something left out or not guaranteed.
    pub warning_rules: Vec<&'static str>,
    /// The reasons of the failing rules, then of the warning ones, in the same order.
    pub reasons: Vec<String>,
}

/// The rows as a CSV table.
pub fn fleet_table(rows: &[SupportRow]) -> Table {
    table(HEADER, rows)
}

/// Lower-case verdict text, the time aside.
pub fn verdict_text(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Supported => "supported",
        Verdict::SupportedWithExclusions => "supported with exclusions",
        Verdict::NotYet { .. } => "not yet",
        Verdict::NotSupported => "not supported",
    }
}

/// The assessment of a fleet being read a slice at a time.
#[derive(Debug)]
pub struct FleetJob {
    vms: Vec<ResourceId>,
    next: usize,
    counts: RegionCounts,
    now: Timestamp,
    rows: Vec<SupportRow>,
}

impl FleetJob {
    /// Assesses `vms` (every VM of the inventory when `None`), at `now_unix`.
    pub fn new(inv: &Inventory, vms: Option<Vec<ResourceId>>, now_unix: i64) -> Self {
        let vms = vms.unwrap_or_else(|| {
            inv.subscription_ids()
                .iter()
                .flat_map(|s| inv.vms_of(s).iter().cloned())
                .collect()
        });
        Self {
            vms,
            next: 0,
            counts: RegionCounts::of(inv),
            now: Timestamp::from_unix_secs(now_unix),
            rows: Vec::new(),
        }
    }

    /// Assesses up to `budget` VMs; true once all are. A VM gone meanwhile is skipped.
    pub fn step(&mut self, inv: &Inventory, budget: usize) -> bool {
        let end = self.next.saturating_add(budget).min(self.vms.len());
        for vm_id in &self.vms[self.next..end] {
            let Some(source) = inv.facts_source(vm_id, &self.counts) else {
                continue;
            };
            let region = crate::rules::normalize_region(&source.vm.location);
            let both = assess_both(&source.facts(), self.now);
            let sub = vm_id.subscription_id();
            let subscription = inv
                .subs
                .get(sub)
                .map(|e| e.subscription.display_name.clone())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| sub.to_owned());
            for a in &both {
                self.rows.push(row(vm_id, &subscription, &region, a));
            }
        }
        self.next = end;
        self.is_done()
    }

    /// Whether every VM is assessed.
    pub fn is_done(&self) -> bool {
        self.next >= self.vms.len()
    }

    /// VMs assessed, of how many.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.vms.len())
    }

    /// The rows, two per VM (application-consistent first).
    pub fn finish(self) -> Vec<SupportRow> {
        self.rows
    }
}

fn row(vm_id: &ResourceId, subscription: &str, region: &str, a: &Assessment) -> SupportRow {
    let with = |outcome: Outcome| a.results.iter().filter(move |r| r.outcome == outcome);
    SupportRow {
        vm: vm_id.name().to_owned(),
        vm_id: vm_id.as_str().to_owned(),
        subscription_id: vm_id.subscription_id().to_owned(),
        subscription: subscription.to_owned(),
        resource_group: vm_id.resource_group().unwrap_or_default().to_owned(),
        region: region.to_owned(),
        mode: a.mode.label(),
        verdict: verdict_text(&a.verdict),
        not_before: match a.verdict {
            Verdict::NotYet { until: Some(t) } => Some(t.to_rfc3339()),
            _ => None,
        },
        recommended: a.recommended_mode == a.mode,
        excluded_disks: a
            .exclude_disks
            .iter()
            .map(|d| d.as_str().to_owned())
            .collect(),
        failing_rules: with(Outcome::Fail).map(|r| r.rule.as_str()).collect(),
        warning_rules: with(Outcome::Warn).map(|r| r.rule.as_str()).collect(),
        reasons: with(Outcome::Fail)
            .chain(with(Outcome::Warn))
            .map(|r| r.reason.clone())
            .collect(),
    }
}
