//! What `assess` returns: the verdict, one result per rule, the disks to exclude.

use serde::Serialize;

use crate::model::{ResourceId, Timestamp};

use super::catalogue::RuleId;
use super::mode::Mode;

/// Whether a restore point in the assessed mode will be accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// Azure accepts it with every disk included.
    Supported,
    /// Azure accepts it when created with `Assessment::exclude_disks`.
    SupportedWithExclusions,
    /// Azure refuses it until the configuration changes.
    NotSupported,
    /// Azure refuses it now and will accept it later: at `until` when known, else when
    /// the event it waits for (an in-flight creation, ...) is over.
    NotYet {
        /// Earliest time it may be accepted, when known.
        until: Option<Timestamp>,
    },
}

/// How one rule came out for this VM and mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Outcome {
    /// Checked and fine.
    Pass,
    /// The point is created, but something is left out, not guaranteed or changed.
    Warn,
    /// Azure refuses the point (now or until the configuration changes).
    Fail,
    /// The rule does not concern this VM or mode.
    NotApplicable,
}

/// One rule's result, with its reason in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleResult {
    /// The rule.
    pub rule: RuleId,
    /// How it came out.
    pub outcome: Outcome,
    /// Why, naming the VM or disk.
    pub reason: String,
}

/// The encryption type of a disk restore point with platform-managed keys.
pub const PLATFORM_KEY: &str = "EncryptionAtRestWithPlatformKey";

/// A disk the point will hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CapturedDisk {
    /// The managed disk.
    pub id: ResourceId,
    /// `diskRestorePoint.encryption.type` its disk restore point will have. The source's
    /// encryption is not carried, and rpdesk asks for no key per disk, so it is always
    /// [`PLATFORM_KEY`].
    pub encryption: &'static str,
}

/// The assessment of one VM for one mode.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assessment {
    /// The mode assessed.
    pub mode: Mode,
    /// The overall answer.
    pub verdict: Verdict,
    /// One result per rule, sorted by rule.
    pub results: Vec<RuleResult>,
    /// Disk ids to send as `excludeDisks`, sorted.
    pub exclude_disks: Vec<ResourceId>,
    /// The managed disks the point will hold, OS disk first.
    pub captured: Vec<CapturedDisk>,
    /// The mode rpdesk suggests for this VM.
    pub recommended_mode: Mode,
    /// When the next point may be created, and why, if not now.
    pub next_allowed: Option<(Timestamp, String)>,
    /// Instant access could be enabled for a point in this mode.
    pub instant_access_eligible: bool,
    /// The point will have instant access (its collection has it and it is eligible).
    pub instant_access: bool,
}

impl Assessment {
    /// The result of one rule.
    pub fn result(&self, rule: RuleId) -> Option<&RuleResult> {
        self.results
            .binary_search_by_key(&rule, |r| r.rule)
            .ok()
            .and_then(|i| self.results.get(i))
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Supported => f.write_str("supported"),
            Verdict::SupportedWithExclusions => f.write_str("supported with exclusions"),
            Verdict::NotSupported => f.write_str("not supported"),
            Verdict::NotYet { until: Some(t) } => write!(f, "not before {t}"),
            Verdict::NotYet { until: None } => f.write_str("not yet"),
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Outcome::Pass => "pass",
            Outcome::Warn => "warn",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "n/a",
        })
    }
}
