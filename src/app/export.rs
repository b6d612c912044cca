//! Exports: the save dialog runs here on the UI thread (rfd, as rerun does with its
//! main-thread token); the backend writes the file and logs the outcome.

use std::path::PathBuf;
use std::time::Instant;

use super::App;

/// A save dialog that returns faster than this was never shown (no portal, no display):
/// nobody cancels a dialog in a quarter of a second.
const NO_DIALOG_SECS: f64 = 0.25;

/// How asking where to save went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SaveOutcome {
    /// Written (or being written) where the operator chose.
    Saved,
    Cancelled,
    /// No dialog could open: the caller offers a path field or a default folder.
    NoDialog,
}

impl App {
    /// Asks where to save (default `file_name`): the path chosen, or why there is none.
    pub(super) fn ask_save_path(
        &self,
        title: &str,
        file_name: &str,
        filter: &str,
        ext: &str,
    ) -> Result<PathBuf, SaveOutcome> {
        if self.screenshot.is_some() || self.ephemeral {
            return Err(SaveOutcome::NoDialog);
        }
        let asked = Instant::now();
        let chosen = rfd::FileDialog::new()
            .set_title(title)
            .set_file_name(file_name)
            .add_filter(filter, &[ext])
            .save_file();
        match chosen {
            Some(path) => Ok(path),
            None if asked.elapsed().as_secs_f64() < NO_DIALOG_SECS => Err(SaveOutcome::NoDialog),
            None => Err(SaveOutcome::Cancelled),
        }
    }

    /// Asks where to save `contents` (default `file_name`) and writes it.
    pub(super) fn save_with_dialog(
        &mut self,
        title: &str,
        file_name: &str,
        filter: &str,
        ext: &str,
        contents: String,
    ) -> SaveOutcome {
        match self.ask_save_path(title, file_name, filter, ext) {
            Ok(path) => {
                match self.conn.backend() {
                    Some(backend) => backend.write_export(path, contents),
                    None => tracing::warn!("export of {} skipped: not connected", path.display()),
                }
                SaveOutcome::Saved
            }
            Err(outcome) => outcome,
        }
    }

    /// Asks where to save a CSV and writes it. Without a usable dialog (no XDG portal,
    /// headless) it goes to the download folder, else home.
    pub(super) fn export_csv(&mut self, title: &str, file_name: &str, contents: &str) {
        let outcome = self.save_with_dialog(title, file_name, "CSV", "csv", contents.to_owned());
        if outcome == SaveOutcome::NoDialog {
            let path = fallback_dir().join(file_name);
            match self.conn.backend() {
                Some(backend) => backend.write_export(path, contents.to_owned()),
                None => tracing::warn!("export of {} skipped: not connected", path.display()),
            }
        }
    }
}

/// The user's download folder, else home, else the working directory.
pub(super) fn fallback_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| {
            u.download_dir()
                .map(PathBuf::from)
                .or_else(|| Some(u.home_dir().to_path_buf()))
        })
        .unwrap_or_else(|| PathBuf::from("."))
}
