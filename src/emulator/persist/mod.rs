//! `--state FILE`: the estate survives restarts. Writes are atomic (temp file in the same
//! directory, fsync, rename), so a crash mid-write leaves the previous state intact.

mod error;
mod files;

use std::path::Path;
use std::sync::Arc;

pub use self::error::{StateError, StateErrorKind};
pub use self::files::{set_aside_corrupt_state, write_atomic};
use super::server::Shared;
use super::state::Estate;

/// The estate saved in `path`, `None` when there is no such file. A file of any other
/// shape than an estate (`{}`, `[]`, a missing key) is refused like bad JSON, and the
/// file is left as it is.
pub fn load(path: &Path) -> Result<Option<Estate>, StateError> {
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

/// Serialises the estate now and writes it off the async threads.
pub async fn save_soon(shared: &Arc<Shared>) {
    let Some(path) = shared.settings.state_file.clone() else {
        return;
    };
    let _guard = shared.persist_lock.lock().await;
    let bytes = {
        let mut inner = shared.lock();
        let now = inner.clock.now();
        inner.estate.saved_at = now;
        serde_json::to_vec(&inner.estate)
    };
    let Ok(bytes) = bytes else { return };
    let result = tokio::task::spawn_blocking(move || write_atomic(&path, &bytes)).await;
    match result {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!("emulator state not saved: {e}"),
        Err(e) => tracing::warn!("emulator state writer failed: {e}"),
    }
}
