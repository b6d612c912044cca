//! Why a state file cannot be used, naming the file, so that whoever starts the emulator
//! (the CLI, the app's demo) can say which file it is and, for a corrupt one, offer to set
//! it aside (`set_aside_corrupt_state`) instead of failing forever.

use std::path::{Path, PathBuf};

/// What is wrong with a state file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateErrorKind {
    /// It exists but is not an emulator estate (bad JSON, the wrong shape, a broken
    /// journal). Never repaired or deleted automatically: it may be the only copy.
    Corrupt,
    /// It cannot be read (permissions, not a regular file, I/O errors).
    Unreadable,
    /// Another emulator is using it; two writers would corrupt its journal.
    InUse,
}

/// A state file that cannot be loaded. `RunningEmulator::start` returns it inside its
/// `anyhow::Error`; `downcast_ref::<StateError>()` finds it.
#[derive(Debug)]
pub struct StateError {
    path: PathBuf,
    kind: StateErrorKind,
    message: String,
}

impl StateError {
    pub fn corrupt(path: &Path, why: impl std::fmt::Display) -> Self {
        Self {
            path: path.to_path_buf(),
            kind: StateErrorKind::Corrupt,
            message: format!(
                "state file {} is not an emulator estate: {why}",
                path.display()
            ),
        }
    }

    pub fn unreadable(path: &Path, why: impl std::fmt::Display) -> Self {
        Self {
            path: path.to_path_buf(),
            kind: StateErrorKind::Unreadable,
            message: format!("cannot read state file {}: {why}", path.display()),
        }
    }

    pub fn in_use(path: &Path, lock: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            kind: StateErrorKind::InUse,
            message: format!(
                "state file {} is in use by another emulator (it holds the lock {}); \
                 stop it or give another --state file",
                path.display(),
                lock.display()
            ),
        }
    }

    /// The file at fault (the state file, or its journal).
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn kind(&self) -> StateErrorKind {
        self.kind
    }

    pub fn is_corrupt(&self) -> bool {
        self.kind == StateErrorKind::Corrupt
    }
}

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StateError {}
