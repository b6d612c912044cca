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
                Some(contents) => std::fs::write(&target, contents),
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

fn failed(message: String) -> ActivityStatus {
    ActivityStatus::Failed(ErrorInfo {
        message,
        ..Default::default()
    })
}
