//! The state file and its journal as one store. A save appends the write's changes to
//! the journal (one line, fdatasync'd), so it costs about the same at any estate size; the
//! whole estate is written only for a new history (the first save, a reset, files deleted
//! under the emulator) and when the journal has grown larger than the state file, when it
//! is folded in (compaction) off the request path.

use std::path::{Path, PathBuf};

use uuid::Uuid;

use super::super::state::Estate;
use super::batch::Batch;
use super::error::StateError;
use super::files;
use super::journal::{self, Journal, Mark};

/// The journal is folded into the state file once it is larger than the state file and
/// than this: small estates are not rewritten every few writes.
const COMPACT_MIN: u64 = 8 * 1024 * 1024;

type FileId = Option<(u64, u64)>;

#[derive(Debug)]
enum JournalState {
    Open(Journal),
    /// It continues the state file but is not open yet: append after `valid_len`.
    Resume {
        valid_len: u64,
    },
    /// There is none that continues the state file: the next save starts one.
    Fresh,
}

/// A whole-estate write prepared under the estate lock, to be written without it.
#[derive(Debug)]
pub struct Prepared {
    path: PathBuf,
    bytes: Vec<u8>,
    seq: u64,
    journal_from: u64,
    generation: u64,
}

impl Prepared {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    journal_path: PathBuf,
    /// Held while the store is open; `None` until it could be taken.
    lock: Option<std::fs::File>,
    /// The history the files on disk continue; `None` until a whole-estate write starts
    /// one (a fresh estate, or a state file written before journals existed).
    lineage: Option<Uuid>,
    /// Number of the last save.
    seq: u64,
    /// Number of the last save the state file itself holds (later ones are journaled).
    state_seq: u64,
    journal: JournalState,
    /// Which files the state file and the open journal were when last written.
    state_id: FileId,
    journal_id: FileId,
    state_len: u64,
    /// Journal size at which to compact.
    compact_at: u64,
    /// Bumped by each write of a new history: a compaction prepared before it is dropped.
    generation: u64,
    compacting: bool,
    closed: bool,
}

impl Store {
    /// Opens the store at `path`: its estate (`None` when there is no state file yet) with
    /// the journal replayed.
    pub fn open(path: &Path) -> Result<(Option<Estate>, Self), StateError> {
        let lock = files::lock(path)?.ok();
        if lock.is_some() {
            files::sweep_temp_files(path);
        }
        let mut store = Self {
            path: path.to_path_buf(),
            journal_path: journal::path_of(path),
            lock,
            lineage: None,
            seq: 0,
            state_seq: 0,
            journal: JournalState::Fresh,
            state_id: None,
            journal_id: None,
            state_len: 0,
            compact_at: COMPACT_MIN,
            generation: 0,
            compacting: false,
            closed: false,
        };
        let Some(bytes) = files::read_regular(path)? else {
            return Ok((None, store));
        };
        // serde would also take a struct from an array of its fields in order.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(StateError::corrupt(path, "it is not a JSON object"));
        }
        let mut estate: Estate =
            serde_json::from_slice(&bytes).map_err(|e| StateError::corrupt(path, e))?;
        store.state_id = files::file_id(path);
        store.set_state_len(bytes.len() as u64);
        drop(bytes);
        if let Some(mark) = estate.journal {
            let read =
                journal::replay(&store.journal_path, mark, |batch| batch.apply(&mut estate))?;
            store.lineage = Some(mark.lineage);
            store.seq = read.last_seq;
            store.state_seq = mark.seq;
            if read.continues {
                store.journal = JournalState::Resume {
                    valid_len: read.valid_len,
                };
                if store.lock.is_some() {
                    // Cuts an unfinished line now; if it cannot, the first save retries.
                    let _ = store.journal();
                }
            }
        }
        estate.commit();
        Ok((Some(estate), store))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn set_state_len(&mut self, len: u64) {
        self.state_len = len;
        self.compact_at = len.max(COMPACT_MIN);
    }

    /// Saves what changed in `estate` since its last commit; `true` when the journal is
    /// due for compaction.
    pub fn save(&mut self, estate: &mut Estate) -> std::io::Result<bool> {
        self.ready()?;
        let Some(lineage) = self.lineage.filter(|_| self.intact()) else {
            self.write_history(estate)?;
            return Ok(false);
        };
        let seq = self.seq + 1;
        let line = serde_json::to_vec(&Batch::of(estate, seq).map_err(std::io::Error::other)?)?;
        let journal = self.journal_for(lineage)?;
        journal.append(&line)?;
        let len = journal.len();
        self.seq = seq;
        Ok(!self.compacting && len > self.compact_at)
    }

    /// Writes `estate` whole as the start of a new history (replacing everything saved).
    pub fn write_history(&mut self, estate: &mut Estate) -> std::io::Result<()> {
        self.ready()?;
        let lineage = Uuid::new_v4();
        let seq = self.seq + 1;
        let previous = estate.journal.replace(Mark { lineage, seq });
        let written = serde_json::to_vec(&*estate)
            .map_err(std::io::Error::other)
            .and_then(|bytes| files::write_atomic(&self.path, &bytes).map(|()| bytes.len()));
        let len = match written {
            Ok(len) => len,
            Err(e) => {
                estate.journal = previous;
                return Err(e);
            }
        };
        self.lineage = Some(lineage);
        self.seq = seq;
        self.state_seq = seq;
        self.generation += 1;
        self.state_id = files::file_id(&self.path);
        self.set_state_len(len as u64);
        // The state file holds everything: without a new journal now, the next save makes
        // one before it appends.
        self.journal = JournalState::Fresh;
        if let Err(e) = self.journal_for(lineage) {
            tracing::warn!("emulator journal not started: {e}");
        }
        Ok(())
    }

    /// Refuses saves once closed, and takes the lock first (the directory may only now
    /// exist).
    fn ready(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Err(std::io::Error::other("the emulator is stopping"));
        }
        if self.lock.is_none() {
            std::fs::create_dir_all(files::dir_of(&self.path))?;
            let lock = files::lock(&self.path).map_err(|e| std::io::Error::other(e.to_string()))?;
            self.lock = Some(lock?);
        }
        Ok(())
    }

    /// Whether the files are still the ones last written: a state file deleted or
    /// replaced under the emulator makes the next save write the whole estate again.
    fn intact(&self) -> bool {
        files::file_id(&self.path) == self.state_id
            && match self.journal {
                JournalState::Open(_) => files::file_id(&self.journal_path) == self.journal_id,
                _ => true,
            }
    }

    fn journal(&mut self) -> std::io::Result<&mut Journal> {
        let lineage = self
            .lineage
            .ok_or_else(|| std::io::Error::other("no state file to continue"))?;
        self.journal_for(lineage)
    }

    /// The open journal, opening or starting it as needed.
    fn journal_for(&mut self, lineage: Uuid) -> std::io::Result<&mut Journal> {
        let opened = match self.journal {
            JournalState::Open(_) => None,
            JournalState::Resume { valid_len } => {
                Some(Journal::open(&self.journal_path, valid_len)?)
            }
            JournalState::Fresh => Some(Journal::create(&self.journal_path, lineage)?),
        };
        if let Some(j) = opened {
            self.journal_id = files::file_id(&self.journal_path);
            self.journal = JournalState::Open(j);
        }
        match &mut self.journal {
            JournalState::Open(j) => Ok(j),
            _ => Err(std::io::Error::other("the journal is not open")),
        }
    }

    /// Serialises `estate` for a compaction (under the estate lock); `None` when none is
    /// possible or one is running.
    pub fn prepare_compaction(&mut self, estate: &mut Estate) -> Option<Prepared> {
        let lineage = self.lineage?;
        let journal_from = match &self.journal {
            JournalState::Open(j) => j.len(),
            _ => return None,
        };
        if self.closed || self.compacting {
            return None;
        }
        estate.journal = Some(Mark {
            lineage,
            seq: self.seq,
        });
        match serde_json::to_vec(&*estate) {
            Ok(bytes) => {
                self.compacting = true;
                Some(Prepared {
                    path: self.path.clone(),
                    bytes,
                    seq: self.seq,
                    journal_from,
                    generation: self.generation,
                })
            }
            Err(e) => {
                tracing::warn!("emulator state not compacted: {e}");
                None
            }
        }
    }

    /// Installs a compacted state file written to `tmp` (under the estate lock), then
    /// trims the journal to the lines saved since. Failures cost nothing but disk space:
    /// the old state file and the whole journal stay valid.
    pub fn finish_compaction(&mut self, prepared: Prepared, tmp: std::io::Result<PathBuf>) {
        self.compacting = false;
        let installed = tmp.and_then(|tmp| {
            if self.closed || self.generation != prepared.generation || !self.intact() {
                let _ = std::fs::remove_file(&tmp);
                return Err(std::io::Error::other("the state was replaced meanwhile"));
            }
            files::install(&tmp, &self.path)
        });
        if let Err(e) = installed {
            tracing::warn!("emulator state not compacted: {e}");
            self.compact_at = self.compact_at.saturating_add(COMPACT_MIN);
            return;
        }
        tracing::debug!("emulator state compacted at save {}", prepared.seq);
        self.state_id = files::file_id(&self.path);
        self.state_seq = prepared.seq;
        self.set_state_len(prepared.bytes.len() as u64);
        let Some(lineage) = self.lineage else { return };
        let trimmed = (|| {
            let JournalState::Open(j) = &mut self.journal else {
                return Ok(None);
            };
            let mut bytes = Journal::header(lineage)?;
            bytes.extend(j.tail(prepared.journal_from)?);
            Journal::replace(&self.journal_path, &bytes).map(Some)
        })();
        match trimmed {
            Ok(Some(j)) => {
                self.journal_id = files::file_id(&self.journal_path);
                self.journal = JournalState::Open(j);
            }
            Ok(None) => {}
            // The journal's lines up to the compaction are skipped at the next start.
            Err(e) => tracing::warn!("emulator journal not trimmed: {e}"),
        }
    }

    /// Whether the journal holds saves the state file does not (closing folds them in).
    pub fn has_journaled(&self) -> bool {
        self.seq > self.state_seq
    }

    /// No more saves; the lock goes.
    pub fn close(&mut self) {
        self.closed = true;
        self.journal = JournalState::Fresh;
        self.lock = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::EstateSpec;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("rpdesk-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("estate.json")
    }

    /// A store with the demo estate saved whole, and that estate.
    fn saved_demo(path: &Path) -> (Store, Estate) {
        let (none, mut store) = Store::open(path).unwrap();
        assert!(none.is_none());
        let mut estate = crate::emulator::estate::build(&EstateSpec::Demo, 1.0e9);
        estate.commit();
        store.write_history(&mut estate).unwrap();
        (store, estate)
    }

    fn add_group(store: &mut Store, estate: &mut Estate, name: &str) {
        let mut group = estate.groups.values().next().cloned().unwrap();
        group.name = name.to_owned();
        estate.groups.insert(name.to_owned(), group);
        store.save(estate).unwrap();
        estate.commit();
    }

    /// Writes a prepared compaction and installs it.
    fn finish(store: &mut Store, prepared: Prepared) {
        let tmp = files::write_temp(prepared.path(), prepared.bytes());
        store.finish_compaction(prepared, tmp);
    }

    fn reopened(path: &Path) -> Estate {
        let (estate, mut store) = Store::open(path).unwrap();
        store.close();
        estate.unwrap()
    }

    #[test]
    fn a_compaction_keeps_the_saves_made_while_it_was_written() {
        let path = scratch("compact");
        let (mut store, mut estate) = saved_demo(&path);
        add_group(&mut store, &mut estate, "before");
        let prepared = store.prepare_compaction(&mut estate).unwrap();
        assert!(
            store.prepare_compaction(&mut estate).is_none(),
            "one at a time"
        );
        // Saves go on while the compacted state file is written.
        add_group(&mut store, &mut estate, "during");
        finish(&mut store, prepared);

        let journal = std::fs::read_to_string(journal::path_of(&path)).unwrap();
        assert_eq!(
            journal.lines().count(),
            2,
            "the header and the save made since"
        );
        assert!(journal.contains("during") && !journal.contains("before"));
        add_group(&mut store, &mut estate, "after");
        store.close();
        let back = reopened(&path);
        for name in ["before", "during", "after"] {
            assert!(back.groups.contains_key(name), "{name}");
        }
        let _ = std::fs::remove_dir_all(files::dir_of(&path));
    }

    #[test]
    fn a_compaction_overtaken_by_a_reset_is_dropped() {
        let path = scratch("overtaken");
        let (mut store, mut estate) = saved_demo(&path);
        add_group(&mut store, &mut estate, "old-history");
        let prepared = store.prepare_compaction(&mut estate).unwrap();
        let mut fresh = crate::emulator::estate::build(&EstateSpec::Empty, 1.0e9);
        store.write_history(&mut fresh).unwrap();
        finish(&mut store, prepared);
        store.close();
        let back = reopened(&path);
        assert!(back.groups.is_empty(), "the reset stands");
        let leftovers: Vec<_> = std::fs::read_dir(files::dir_of(&path))
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        let _ = std::fs::remove_dir_all(files::dir_of(&path));
    }

    #[test]
    fn a_crash_between_the_new_state_file_and_the_trimmed_journal_loses_nothing() {
        let path = scratch("half-compacted");
        let (mut store, mut estate) = saved_demo(&path);
        add_group(&mut store, &mut estate, "one");
        add_group(&mut store, &mut estate, "two");
        let journal_before = std::fs::read(journal::path_of(&path)).unwrap();
        let prepared = store.prepare_compaction(&mut estate).unwrap();
        finish(&mut store, prepared);
        add_group(&mut store, &mut estate, "three");
        store.close();
        // As if the journal had not been trimmed: its early lines are in the state file.
        let mut untrimmed = journal_before;
        let now = std::fs::read(journal::path_of(&path)).unwrap();
        let header_end = now.iter().position(|b| *b == b'\n').unwrap() + 1;
        untrimmed.extend_from_slice(&now[header_end..]);
        std::fs::write(journal::path_of(&path), untrimmed).unwrap();
        let back = reopened(&path);
        for name in ["one", "two", "three"] {
            assert!(back.groups.contains_key(name), "{name}");
        }
        let _ = std::fs::remove_dir_all(files::dir_of(&path));
    }
}
