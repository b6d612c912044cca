//! Exports: the save dialog runs here on the UI thread (rfd, as rerun does with its
//! main-thread token); the backend writes the file and logs the outcome.

use std::path::PathBuf;
use std::time::Instant;

use super::App;

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
        match self.conn.backend() {
            Some(backend) => backend.write_export(path, contents.to_owned()),
            None => tracing::warn!("export of {} skipped: not connected", path.display()),
        }
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
