//! Exports written by the app (not the UI): the save dialog runs here on the UI thread
//! (rfd, as rerun does with its main-thread token), then the file is written and the
//! outcome goes to the activity log.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use super::App;
use crate::activity::{ActivityEvent, ActivityKind, ActivityStatus};
use crate::inventory::ErrorInfo;

/// A save dialog that returns faster than this was never shown (no portal, no display):
/// nobody cancels a dialog in a quarter of a second.
const NO_DIALOG_SECS: f64 = 0.25;

impl App {
    /// Asks where to save `contents` (default `file_name`) and writes it. Without a usable
    /// dialog (no XDG portal, headless) it goes to the download folder, else home.
    pub(super) fn export_csv(&mut self, file_name: &str, contents: &str) {
        let asked = Instant::now();
        let chosen = if self.screenshot.is_some() || self.ephemeral {
            None
        } else {
            rfd::FileDialog::new()
                .set_title("Export fleet supportability")
                .set_file_name(file_name)
                .add_filter("CSV", &["csv"])
                .save_file()
        };
        let path = match chosen {
            Some(path) => path,
            None if asked.elapsed().as_secs_f64() < NO_DIALOG_SECS => {
                fallback_dir().join(file_name)
            }
            None => return, // cancelled
        };
        let id = self.next_local_activity();
        self.activity.apply(ActivityEvent::Started {
            id,
            kind: ActivityKind::Operation,
            title: format!("Export {}", path.display()),
            started: SystemTime::now(),
        });
        let started = Instant::now();
        let status = match std::fs::write(&path, contents) {
            Ok(()) => ActivityStatus::Succeeded,
            Err(e) => ActivityStatus::Failed(ErrorInfo {
                message: format!("cannot write {}: {e}", path.display()),
                ..Default::default()
            }),
        };
        self.activity.apply(ActivityEvent::Finished {
            id,
            status,
            duration: started.elapsed().max(Duration::from_millis(1)),
        });
    }

    /// Activity ids for entries the app logs itself, far from the backend's counter.
    fn next_local_activity(&mut self) -> u64 {
        self.local_activity += 1;
        (1 << 62) + self.local_activity
    }
}

/// The user's download folder, else home, else the working directory.
fn fallback_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| {
            u.download_dir()
                .map(PathBuf::from)
                .or_else(|| Some(u.home_dir().to_path_buf()))
        })
        .unwrap_or_else(|| PathBuf::from("."))
}
