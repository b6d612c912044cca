//! `--state FILE`: the estate survives restarts, and nothing the emulator acknowledged is
//! lost, even to `kill -9`.
//!
//! - `FILE` is the whole estate as JSON (what earlier versions wrote, and still load);
//!   `FILE.journal` holds one JSON line per save since (see `journal`). A write is answered
//!   only once its line is fdatasync'd, so a write costs the size of its change, not of the
//!   estate. When the journal outgrows the state file it is folded in off the request
//!   path; stopping the emulator folds it in too, leaving a plain JSON estate.
//! - A change that cannot be saved (a full or read-only disk, a missing directory) is
//!   undone in memory and the client gets 507 `StateNotSaved` naming the file: the
//!   emulator never shows a state its files do not hold.
//! - Whole-file writes are atomic (temp file, fsync, rename); temp files a killed process
//!   left are removed at the next start; `.FILE.lock` keeps a second emulator off.
//! - A state file or journal that cannot be loaded stops the start with a [`StateError`]
//!   naming it, and is never changed; [`set_aside_corrupt_state`] moves it aside.

mod batch;
mod error;
mod files;
mod journal;
mod store;

use std::sync::Arc;

use axum::http::StatusCode;

pub use self::error::{StateError, StateErrorKind};
pub use self::files::{set_aside_corrupt_state, write_atomic};
pub use self::journal::Mark;
pub use self::store::Store;
use super::errors::{ArmError, ArmResult};
use super::server::{Inner, Shared};
use super::state::Estate;

/// Saves what changed since the last save, or undoes it. Called with the estate lock held
/// right after a write was accepted, so that no one sees a change before it is saved; on
/// failure the estate is as it was at the last save and the error is the client's answer.
pub fn commit(shared: &Arc<Shared>, inner: &mut Inner) -> ArmResult<()> {
    if save(inner)? {
        compact_soon(shared);
    }
    Ok(())
}

/// `commit`'s work; `true` when the journal is due for compaction.
fn save(inner: &mut Inner) -> ArmResult<bool> {
    let Some(store) = inner.store.as_mut() else {
        inner.estate.commit();
        return Ok(false);
    };
    let saved_at = inner.estate.saved_at;
    inner.estate.saved_at = inner.clock.now();
    match store.save(&mut inner.estate) {
        Ok(compaction_due) => {
            inner.estate.commit();
            Ok(compaction_due)
        }
        Err(e) => {
            let error = not_saved(store, &e);
            inner.estate.rollback();
            inner.estate.saved_at = saved_at;
            Err(error)
        }
    }
}

/// Replaces the whole estate (the admin reset) once the new one is saved; on failure the
/// old one stays.
pub fn replace(inner: &mut Inner, mut estate: Estate) -> ArmResult<()> {
    estate.saved_at = inner.clock.now();
    if let Some(store) = inner.store.as_mut() {
        store
            .write_history(&mut estate)
            .map_err(|e| not_saved(store, &e))?;
    }
    estate.commit();
    inner.estate = estate;
    Ok(())
}

/// The answer to a write whose change could not be saved.
fn not_saved(store: &Store, e: &std::io::Error) -> ArmError {
    ArmError::new(
        StatusCode::INSUFFICIENT_STORAGE,
        "StateNotSaved",
        format!(
            "The change could not be saved to the state file {}: {e}. It was undone; the \
             emulator's state is as it was before this request.",
            store.path().display()
        ),
    )
}

/// Folds the journal into the state file on a blocking thread, the estate lock held only
/// to serialise the estate and to install the result.
fn compact_soon(shared: &Arc<Shared>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let shared = shared.clone();
    runtime.spawn_blocking(move || compact(&shared));
}

fn compact(shared: &Shared) {
    let prepared = {
        let mut guard = shared.lock();
        let inner = &mut *guard;
        let Some(store) = inner.store.as_mut() else {
            return;
        };
        store.prepare_compaction(&mut inner.estate)
    };
    let Some(prepared) = prepared else { return };
    let tmp = files::write_temp(prepared.path(), prepared.bytes());
    if let Some(store) = shared.lock().store.as_mut() {
        store.finish_compaction(prepared, tmp);
    }
}

/// On shutdown: saves what GETs changed since the last write (operations that completed),
/// folds the journal into the state file, and lets the file go.
pub fn close(shared: &Shared) {
    {
        let mut inner = shared.lock();
        if inner.store.is_none() {
            return;
        }
        if let Err(e) = save(&mut inner) {
            tracing::warn!("emulator state not saved at shutdown: {e}");
        }
    }
    if shared
        .lock()
        .store
        .as_ref()
        .is_some_and(Store::has_journaled)
    {
        compact(shared);
    }
    if let Some(store) = shared.lock().store.as_mut() {
        store.close();
    }
}

/// Lets the state file go without saving anything more, as a crash would (what was
/// acknowledged is saved already).
pub fn abandon(shared: &Shared) {
    if let Some(store) = shared.lock().store.as_mut() {
        store.close();
    }
}
