//! `--state FILE`: the estate survives restarts, and nothing the emulator acknowledged is
//! lost. A write is answered only once its change is on disk; a change that cannot be
//! saved (a full or read-only disk, a missing directory) is undone in memory and the
//! client gets 507 `StateNotSaved` naming the file, so the emulator never shows a state
//! its file does not hold.
//!
//! Saves are atomic (temp file in the same directory, fsync, rename), so a crash
//! mid-write leaves the previous state intact; temp files a killed process left are
//! removed at the next start.

mod error;
mod files;

use std::path::Path;

use axum::http::StatusCode;

pub use self::error::{StateError, StateErrorKind};
pub use self::files::{set_aside_corrupt_state, write_atomic};
use super::errors::{ArmError, ArmResult};
use super::server::{Inner, Shared};
use super::state::Estate;

/// The estate saved in `path`, `None` when there is no such file. A file of any other
/// shape than an estate (`{}`, `[]`, a missing key) is refused like bad JSON, and the
/// file is left as it is. Temp files of earlier saves are cleared away first.
pub fn load(path: &Path) -> Result<Option<Estate>, StateError> {
    files::sweep_temp_files(path);
    let Some(bytes) = files::read_regular(path)? else {
        return Ok(None);
    };
    // serde would also take a struct from an array of its fields in order.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(StateError::corrupt(path, "it is not a JSON object"));
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| StateError::corrupt(path, e))
}

/// Saves what changed since the last save, or undoes it. Called with the estate lock held
/// right after a write was accepted, so that no one sees a change before it is saved; on
/// failure the estate is as it was at the last save and the error is the client's answer.
pub fn commit(shared: &Shared, inner: &mut Inner) -> ArmResult<()> {
    let Some(path) = &shared.settings.state_file else {
        inner.estate.commit();
        return Ok(());
    };
    let saved_at = inner.estate.saved_at;
    inner.estate.saved_at = inner.clock.now();
    match save(path, &inner.estate) {
        Ok(()) => {
            inner.estate.commit();
            Ok(())
        }
        Err(e) => {
            inner.estate.rollback();
            inner.estate.saved_at = saved_at;
            Err(not_saved(path, &e))
        }
    }
}

/// Replaces the whole estate (the admin reset) once the new one is saved; on failure the
/// old one stays.
pub fn replace(shared: &Shared, inner: &mut Inner, mut estate: Estate) -> ArmResult<()> {
    estate.saved_at = inner.clock.now();
    if let Some(path) = &shared.settings.state_file {
        save(path, &estate).map_err(|e| not_saved(path, &e))?;
    }
    estate.commit();
    inner.estate = estate;
    Ok(())
}

fn save(path: &Path, estate: &Estate) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(estate).map_err(std::io::Error::other)?;
    write_atomic(path, &bytes)
}

/// The answer to a write whose change could not be saved.
fn not_saved(path: &Path, e: &std::io::Error) -> ArmError {
    ArmError::new(
        StatusCode::INSUFFICIENT_STORAGE,
        "StateNotSaved",
        format!(
            "The change could not be saved to the state file {}: {e}. It was undone; the \
             emulator's state is as it was before this request.",
            path.display()
        ),
    )
}

/// Saves what GETs changed since the last write (operations that completed), on shutdown.
pub fn close(shared: &Shared) {
    let mut inner = shared.lock();
    if let Err(e) = commit(shared, &mut inner) {
        tracing::warn!("emulator state not saved at shutdown: {e}");
    }
}
