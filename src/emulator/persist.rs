//! `--state FILE`: the estate survives restarts. Writes are atomic (temp file in the same
//! directory, fsync, rename), so a crash mid-write leaves the previous state intact.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use super::server::Shared;
use super::state::Estate;

pub fn load(path: &Path) -> anyhow::Result<Option<Estate>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(serde_json::from_slice(&bytes).map_err(|e| {
            anyhow::anyhow!(
                "state file {} is not an emulator estate: {e}",
                path.display()
            )
        })?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!(
            "cannot read state file {}: {e}",
            path.display()
        )),
    }
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("estate");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    // fsync the directory so the rename itself is durable.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
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
