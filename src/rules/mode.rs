//! `Mode`: the two consistency modes a user can ask for when creating a restore point.

use serde::{Deserialize, Serialize};

use crate::model::ConsistencyMode;

/// A consistency mode a restore point can be requested in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Mode {
    /// VSS writers (Windows) or pre/post scripts (Linux); the default when omitted.
    ApplicationConsistent,
    /// Write-order consistent across disks, like a power loss.
    CrashConsistent,
}

/// Both modes, application-consistent first (the default).
pub const BOTH_MODES: &[Mode] = &[Mode::ApplicationConsistent, Mode::CrashConsistent];
/// Only application-consistent.
pub const APP_ONLY: &[Mode] = &[Mode::ApplicationConsistent];
/// Only crash-consistent.
pub const CRASH_ONLY: &[Mode] = &[Mode::CrashConsistent];

impl Mode {
    /// The mode a point was requested in. `FileSystemConsistent` is what an
    /// application-consistent request yields on Linux without scripts (seed 001: restore
    /// points "support file system consistency for VMs running Linux operating system"),
    /// so it maps to `ApplicationConsistent` for every rule, as in the emulator; an absent
    /// mode is the default (`ApplicationConsistent`); values rpdesk does not know give
    /// `None`.
    pub fn from_consistency(mode: Option<&ConsistencyMode>) -> Option<Mode> {
        match mode {
            None
            | Some(ConsistencyMode::ApplicationConsistent)
            | Some(ConsistencyMode::FileSystemConsistent) => Some(Mode::ApplicationConsistent),
            Some(ConsistencyMode::CrashConsistent) => Some(Mode::CrashConsistent),
            Some(ConsistencyMode::Other(_)) => None,
        }
    }

    /// The wire value to send as `consistencyMode`.
    pub fn to_consistency(self) -> ConsistencyMode {
        match self {
            Mode::ApplicationConsistent => ConsistencyMode::ApplicationConsistent,
            Mode::CrashConsistent => ConsistencyMode::CrashConsistent,
        }
    }

    /// "application-consistent" / "crash-consistent", for sentences.
    pub fn label(self) -> &'static str {
        match self {
            Mode::ApplicationConsistent => "application-consistent",
            Mode::CrashConsistent => "crash-consistent",
        }
    }

    /// The other mode.
    pub fn other(self) -> Mode {
        match self {
            Mode::ApplicationConsistent => Mode::CrashConsistent,
            Mode::CrashConsistent => Mode::ApplicationConsistent,
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_system_consistent_counts_as_application_consistent() {
        let fs = ConsistencyMode::FileSystemConsistent;
        assert_eq!(
            Mode::from_consistency(Some(&fs)),
            Some(Mode::ApplicationConsistent)
        );
        assert_eq!(
            Mode::from_consistency(None),
            Some(Mode::ApplicationConsistent)
        );
        assert_eq!(
            Mode::CrashConsistent.to_consistency(),
            ConsistencyMode::CrashConsistent
        );
    }
}
