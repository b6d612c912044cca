//! The export dialog's exports: where to save (the save dialog, else the dialog's path
//! field), then the inventory read a slice per frame (the window stays responsive on a
//! 100,000-point fleet, the dialog shows how far it got), then the text made and written
//! off the UI thread with the outcome in the activity log.

use std::path::PathBuf;

use super::App;
use super::export::{SaveOutcome, fallback_dir};
use crate::export::{Export, ExportJob, Level, Meta};

/// An export being read from the inventory.
pub(super) struct RunningExport {
    job: ExportJob,
    export: Export,
    path: PathBuf,
    meta: Meta,
}

impl App {
    /// Starts `export` to `path`, or where the save dialog says; without a dialog, the
    /// export dialog shows a path field (the default file in the download folder).
    pub(super) fn start_export(&mut self, export: Export, path: Option<PathBuf>) {
        if self.export_job.is_some() {
            return;
        }
        let format = export.format();
        let file_name = export.file_name();
        let chosen = match path {
            Some(p) => Ok(p),
            None => self.ask_save_path(export.title(), &file_name, format.filter(), format.ext()),
        };
        let path = match chosen {
            Ok(path) => path,
            Err(SaveOutcome::NoDialog) => {
                if let Some(dialog) = self.ui.export_dialog.as_mut() {
                    let path = fallback_dir().join(&file_name);
                    dialog.path = Some(path.display().to_string());
                }
                return;
            }
            Err(_) => return,
        };
        let now_unix = Self::now_unix();
        let job = ExportJob::new(&self.inventory, &export, now_unix);
        if let Some(dialog) = self.ui.export_dialog.as_mut() {
            dialog.progress = Some(job.progress());
        }
        let connection = self
            .conn
            .spec()
            .map(|s| s.label())
            .unwrap_or_else(|| "not connected".into());
        self.export_job = Some(RunningExport {
            job,
            export,
            path,
            meta: Meta {
                connection,
                generated_unix: now_unix,
            },
        });
        self.egui_ctx.request_repaint();
    }

    /// Reads one slice of a running export; when all is read, hands the rest to the
    /// backend and closes the dialog.
    pub(super) fn drive_export(&mut self) {
        let Some(run) = self.export_job.as_mut() else {
            return;
        };
        if !run.job.step(&self.inventory) {
            let progress = run.job.progress();
            if let Some(dialog) = self.ui.export_dialog.as_mut() {
                dialog.progress = Some(progress);
            }
            self.egui_ctx.request_repaint();
            return;
        }
        let Some(run) = self.export_job.take() else {
            return;
        };
        self.ui.export_dialog = None;
        let format = run.export.format();
        let level = match run.export {
            Export::Inventory { level, .. } => level,
            Export::Fleet { .. } => Level::Points,
        };
        let data = run.job.finish();
        let meta = run.meta;
        match self.conn.backend() {
            Some(backend) => {
                backend.write_export_with(run.path, move || Some(data.render(format, level, &meta)))
            }
            None => tracing::warn!("export of {} skipped: not connected", run.path.display()),
        }
    }
}
