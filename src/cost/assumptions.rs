//! What ARM cannot tell: how much of a disk is used and how fast its data changes. Both
//! are stated assumptions, set for the fleet and overridable per VM or per disk.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The default share of a disk's provisioned size that holds data.
pub const DEFAULT_USED_FRACTION: f64 = 0.60;
/// The default share of the used data that changes per day.
pub const DEFAULT_DAILY_CHURN: f64 = 0.03;
/// The daily churn Azure Backup documents as typical (2–7 % a day).
pub const TYPICAL_DAILY_CHURN: std::ops::RangeInclusive<f64> = 0.02..=0.07;

/// Used fraction and daily churn for one disk.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assumptions {
    /// Share of the provisioned size that holds data, 0–1.
    pub used_fraction: f64,
    /// Share of the used data that changes per day, 0–1.
    pub daily_churn: f64,
}

impl Default for Assumptions {
    fn default() -> Self {
        Self {
            used_fraction: DEFAULT_USED_FRACTION,
            daily_churn: DEFAULT_DAILY_CHURN,
        }
    }
}

impl Assumptions {
    /// Both values clamped to 0–1 (a typed value out of range cannot break the model).
    pub fn clamped(self) -> Self {
        Self {
            used_fraction: self.used_fraction.clamp(0.0, 1.0),
            daily_churn: self.daily_churn.clamp(0.0, 1.0),
        }
    }

    /// "60 % used, 3 %/day churn".
    pub fn describe(&self) -> String {
        format!(
            "{} % used, {} %/day churn",
            percent(self.used_fraction),
            percent(self.daily_churn)
        )
    }
}

fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}

/// Where a disk's assumptions come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssumptionLevel {
    /// The fleet-wide values.
    Fleet,
    /// An override for the disk's VM.
    Vm,
    /// An override for the disk itself.
    Disk,
}

/// Fleet values and overrides, keyed by lower-case resource id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssumptionSet {
    /// For every disk without an override.
    pub fleet: Assumptions,
    /// Per VM (all its disks), by lower-case VM id.
    pub vms: BTreeMap<String, Assumptions>,
    /// Per disk, by lower-case disk id; wins over the VM's.
    pub disks: BTreeMap<String, Assumptions>,
}

impl AssumptionSet {
    /// The assumptions for a disk of a VM, and where they come from.
    pub fn for_disk(&self, vm_key: &str, disk_key: &str) -> (Assumptions, AssumptionLevel) {
        if let Some(a) = self.disks.get(disk_key) {
            (a.clamped(), AssumptionLevel::Disk)
        } else if let Some(a) = self.vms.get(vm_key) {
            (a.clamped(), AssumptionLevel::Vm)
        } else {
            (self.fleet.clamped(), AssumptionLevel::Fleet)
        }
    }

    /// Whether any override is set.
    pub fn has_overrides(&self) -> bool {
        !self.vms.is_empty() || !self.disks.is_empty()
    }
}
