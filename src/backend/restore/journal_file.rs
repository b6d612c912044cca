//! The journal on disk: `<dir>/<run id>.jsonl`, appended a record at a time, each flushed
//! and fsync'd before the step it announces starts (or right after it ends), so a crash
//! loses nothing that happened.

use std::io;
use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt as _;

use crate::restore::RunState;
use crate::restore::journal::{Record, read_journal, record_line};

/// The journal of a run, open for appending.
pub struct JournalFile {
    path: PathBuf,
    file: tokio::fs::File,
}

/// Where a run's journal lives.
pub fn journal_path(dir: &Path, run_id: &str) -> PathBuf {
    dir.join(format!("{run_id}.jsonl"))
}

/// Where a run's evidence lives: `<run id>.evidence.<ext>` (`json`, `md`).
pub fn evidence_path(dir: &Path, run_id: &str, ext: &str) -> PathBuf {
    dir.join(format!("{run_id}.evidence.{ext}"))
}

impl JournalFile {
    /// Creates a new journal (never overwrites one) and makes its directory entry durable.
    pub async fn create(dir: &Path, run_id: &str) -> io::Result<Self> {
        tokio::fs::create_dir_all(dir).await?;
        let path = journal_path(dir, run_id);
        let file = tokio::fs::OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)
            .await?;
        // The new name must survive a crash too.
        if let Ok(d) = tokio::fs::File::open(dir).await {
            d.sync_all().await.ok();
        }
        Ok(Self { path, file })
    }

    /// Opens an existing journal, with the run's state as recorded.
    pub async fn open(dir: &Path, run_id: &str) -> io::Result<(Self, RunState, Option<String>)> {
        let path = journal_path(dir, run_id);
        let text = tokio::fs::read_to_string(&path).await?;
        let (state, _, torn) = read_journal(&text).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })?;
        let mut file = tokio::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .await?;
        if torn.is_some() {
            // Start the next record on a line of its own.
            file.write_all(b"\n").await?;
        }
        Ok((Self { path, file }, state, torn))
    }

    /// Appends one record, flushed and fsync'd.
    pub async fn append(&mut self, record: &Record) -> io::Result<()> {
        let line = record_line(record).map_err(io::Error::other)?;
        self.file.write_all(line.as_bytes()).await?;
        self.file.flush().await?;
        self.file.sync_data().await
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A run found in the journal folder.
#[derive(Clone, Debug)]
pub struct FoundRun {
    pub state: RunState,
    pub path: PathBuf,
    /// Something to say about the file (a torn last line).
    pub note: Option<String>,
}

/// Every readable run in `dir`, and one line per unreadable journal.
pub async fn scan(dir: &Path) -> (Vec<FoundRun>, Vec<String>) {
    let mut runs = Vec::new();
    let mut problems = Vec::new();
    let Ok(mut entries) = tokio::fs::read_dir(dir).await else {
        return (runs, problems);
    };
    while let Ok(Some(entry)) = entries.next_entry().await {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("jsonl") {
            continue;
        }
        match tokio::fs::read_to_string(&path).await {
            Ok(text) => match read_journal(&text) {
                Ok((state, _, note)) => runs.push(FoundRun { state, path, note }),
                Err(e) => problems.push(format!("{}: {e}", path.display())),
            },
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    runs.sort_by(|a, b| a.state.run_id().cmp(b.state.run_id()));
    (runs, problems)
}
