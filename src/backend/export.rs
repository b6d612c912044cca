//! Writing exports (CSV) off the UI thread, with the outcome in the activity log.

use std::path::PathBuf;

use super::Backend;
use crate::activity::{ActivityKind, ActivityStatus};
use crate::inventory::ErrorInfo;

impl Backend {
    /// Writes `contents` to `path` on a blocking thread and logs how it went.
    pub fn write_export(&self, path: PathBuf, contents: String) {
        self.write_export_with(path, move || Some(contents));
    }

    /// Makes the contents with `make` and writes them to `path`, both on a blocking thread
    /// (a large CSV takes longer than a frame to make); logs how it went.
    pub fn write_export_with(
        &self,
        path: PathBuf,
        make: impl FnOnce() -> Option<String> + Send + 'static,
    ) {
        let this = self.clone();
        self.spawn(async move {
            let activity = this
                .begin_activity(
                    ActivityKind::Operation,
                    format!("Export {}", path.display()),
                )
                .await;
            let target = path.clone();
            let written = tokio::task::spawn_blocking(move || match make() {
                Some(contents) => save_export(&target, contents.as_bytes()),
                None => Err(std::io::Error::other("nothing to write")),
            })
            .await;
            let status = match written {
                Ok(Ok(())) => ActivityStatus::Succeeded,
                Ok(Err(e)) => failed(format!("cannot write {}: {e}", path.display())),
                Err(e) => failed(format!("writing {} stopped: {e}", path.display())),
            };
            this.end_activity(activity, status).await;
        });
    }
}

/// Writes an export whole or not at all: a reader (or a crash) never sees half a file,
/// and a file being replaced stays as it was if the write fails. Its folder must exist: a
/// mistyped path creates nothing.
pub fn save_export(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if !dir.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    crate::emulator::persist::write_atomic(path, bytes)
}

fn failed(message: String) -> ActivityStatus {
    ActivityStatus::Failed(ErrorInfo {
        message,
        ..Default::default()
    })
}
