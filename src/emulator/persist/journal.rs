//! The journal beside a state file (`FILE.journal`): one JSON line per save, appended and
//! fdatasync'd before the write is answered. The first line names the lineage of the state
//! file it continues; each later line is a [`Batch`] numbered after the state file's
//! `journal.seq`.
//!
//! Crash rules: lines are only ever appended at the end of the last good line, so a crash
//! can leave at most one unfinished line, at the very end; it was never acknowledged and is
//! dropped. Any other line that does not parse means the file was damaged, and loading
//! stops with an error naming it rather than losing what follows.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::batch::Batch;
use super::error::StateError;
use super::files;

/// Format of the journal's first line.
const FORMAT: u32 = 1;

/// Where a state file stands in its journal: written into the state file, so that after a
/// crash between writing a new state file and trimming the journal, the lines the state
/// file already holds are skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// Changes with each whole-state write that starts a new history (first save, reset).
    pub lineage: Uuid,
    /// The last journal line the state file includes.
    pub seq: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    journal: u32,
    lineage: Uuid,
}

pub fn path_of(state: &Path) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

/// What reading a journal found.
#[derive(Debug, Default)]
pub struct Read {
    /// The journal continues the state file (its lineage matches).
    pub continues: bool,
    /// End of the last complete line: where appending resumes.
    pub valid_len: u64,
    /// The last line applied (or the state file's own seq).
    pub last_seq: u64,
}

/// Reads the journal of a state file marked `mark`, applying each line after it through
/// `apply`. A missing journal, or one of another lineage (left from an earlier history),
/// continues nothing.
pub fn replay(
    path: &Path,
    mark: Mark,
    mut apply: impl FnMut(Batch) -> Result<(), String>,
) -> Result<Read, StateError> {
    let Some(bytes) = files::read_regular(path)? else {
        return Ok(Read::default());
    };
    let mut lines = Lines {
        bytes: &bytes,
        at: 0,
    };
    let Some((header, _)) = lines.next() else {
        // Created by an atomic write, a journal always has its whole first line; an empty
        // file can only be one a user truncated.
        return Ok(Read::default());
    };
    let header: Header = serde_json::from_slice(header)
        .map_err(|e| StateError::corrupt(path, format!("its first line: {e}")))?;
    if header.journal != FORMAT {
        return Err(StateError::corrupt(
            path,
            format!("journal format {} is not {FORMAT}", header.journal),
        ));
    }
    if header.lineage != mark.lineage {
        return Ok(Read::default());
    }
    let mut read = Read {
        continues: true,
        valid_len: lines.at as u64,
        last_seq: mark.seq,
    };
    // Line 1 is the header.
    for (number, (line, end)) in (2..).zip(lines) {
        let bad = |why: String| StateError::corrupt(path, format!("line {number}: {why}"));
        let batch: Batch = serde_json::from_slice(line).map_err(|e| bad(e.to_string()))?;
        if batch.seq > read.last_seq {
            if batch.seq != read.last_seq + 1 {
                return Err(bad(format!(
                    "save {} follows save {}",
                    batch.seq, read.last_seq
                )));
            }
            read.last_seq = batch.seq;
            apply(batch).map_err(bad)?;
        }
        read.valid_len = end as u64;
    }
    Ok(read)
}

/// Complete lines (ending in `\n`) with the offset after each; an unfinished last line is
/// not one.
struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = (&'a [u8], usize);
    fn next(&mut self) -> Option<Self::Item> {
        let rest = &self.bytes[self.at..];
        let n = rest.iter().position(|b| *b == b'\n')?;
        let line = &rest[..n];
        self.at += n + 1;
        Some((line, self.at))
    }
}

/// The journal open for appending.
#[derive(Debug)]
pub struct Journal {
    file: File,
    /// End of the last complete line.
    len: u64,
}

impl Journal {
    /// Starts a journal continuing the state file of `lineage`, replacing any other.
    pub fn create(path: &Path, lineage: Uuid) -> std::io::Result<Self> {
        Self::replace(path, &Self::header(lineage)?)
    }

    /// Replaces the journal with `bytes` (a header and the lines to keep) atomically.
    pub fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<Self> {
        files::write_atomic(path, bytes)?;
        Self::open(path, bytes.len() as u64)
    }

    /// Opens an existing journal to append after its first `valid_len` bytes, cutting an
    /// unfinished line a crash left.
    pub fn open(path: &Path, valid_len: u64) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)?;
        if file.metadata()?.len() != valid_len {
            file.set_len(valid_len)?;
            file.sync_data()?;
        }
        Ok(Self {
            file,
            len: valid_len,
        })
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    /// Appends one line and makes it durable. On failure the file is cut back to its last
    /// complete line (best effort; the next append overwrites from there anyway).
    pub fn append(&mut self, line: &[u8]) -> std::io::Result<()> {
        let written = (|| {
            self.file.seek(SeekFrom::Start(self.len))?;
            self.file.write_all(line)?;
            self.file.write_all(b"\n")?;
            self.file.sync_data()
        })();
        match written {
            Ok(()) => {
                self.len += line.len() as u64 + 1;
                Ok(())
            }
            Err(e) => {
                let _ = self.file.set_len(self.len);
                Err(e)
            }
        }
    }

    /// The bytes after `from` (lines appended since), to carry into a trimmed journal.
    pub fn tail(&mut self, from: u64) -> std::io::Result<Vec<u8>> {
        use std::io::Read as _;
        let mut tail = Vec::new();
        self.file.seek(SeekFrom::Start(from))?;
        (&mut self.file)
            .take(self.len.saturating_sub(from))
            .read_to_end(&mut tail)?;
        Ok(tail)
    }

    /// The header line of a journal of `lineage`, for a trimmed copy.
    pub fn header(lineage: Uuid) -> std::io::Result<Vec<u8>> {
        let mut header = serde_json::to_vec(&Header {
            journal: FORMAT,
            lineage,
        })
        .map_err(std::io::Error::other)?;
        header.push(b'\n');
        Ok(header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_lines_only() {
        let lines: Vec<_> = Lines {
            bytes: b"a\nbc\nunfinished",
            at: 0,
        }
        .collect();
        assert_eq!(lines, vec![(&b"a"[..], 2), (&b"bc"[..], 5)]);
    }
}
