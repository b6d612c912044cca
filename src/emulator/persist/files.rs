//! File-system steps of persistence: reading only regular files, atomic replacement
//! (temp file, fsync, rename, fsync of the directory) that never leaves its temp file
//! behind, sweeping temp files a killed process left, and setting a corrupt file aside.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::error::StateError;

/// The whole file, `None` when it does not exist. Anything but a regular file is refused
/// before it is opened: opening a FIFO would block until some writer appears, and a
/// character device such as `/dev/zero` never ends.
pub fn read_regular(path: &Path) -> Result<Option<Vec<u8>>, StateError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {}
        Ok(meta) => {
            return Err(StateError::unreadable(
                path,
                format!("it is not a regular file (it is {})", file_type(&meta)),
            ));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StateError::unreadable(path, e)),
    }
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StateError::unreadable(path, e)),
    }
}

fn file_type(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    "not a file"
}

/// The directory `path` lives in (`.` for a bare file name).
pub fn dir_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "estate".to_owned())
}

/// Prefix of the temp files written next to `path`: `.NAME.tmp-`.
fn temp_prefix(path: &Path) -> String {
    format!(".{}.tmp-", name_of(path))
}

/// Replaces `path` with `bytes` atomically: a crash leaves the old file or the new one,
/// never a mix. On failure the temp file is removed, so a full disk stays no fuller. The
/// app's saves (exports, labels) use it too.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = write_temp(path, bytes)?;
    install(&tmp, path)
}

/// Writes `bytes` to a new temp file beside `path` and fsyncs it; its path. Nothing is
/// left behind on failure.
pub fn write_temp(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    // Distinct per write, so that a compaction and a reset never share a temp file.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = dir_of(path);
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        "{}{}-{}",
        temp_prefix(path),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    match written {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Renames a temp file from `write_temp` over `path` and makes the rename durable; the
/// temp file is removed if that fails.
pub fn install(tmp: &Path, path: &Path) -> std::io::Result<()> {
    if let Err(e) = std::fs::rename(tmp, path) {
        let _ = std::fs::remove_file(tmp);
        return Err(e);
    }
    sync_dir(dir_of(path));
    Ok(())
}

/// Which file `path` is now (device and inode), to notice a state file deleted or
/// replaced under a running emulator: appending to a journal nobody can find again would
/// lose every later write.
pub fn file_id(path: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        Some((meta.len(), 0))
    }
}

/// The lock that keeps a second emulator off a state file (two appenders would corrupt
/// its journal): `.NAME.lock` beside it, locked exclusively while the file is in use and
/// released by the system however the process ends. The inner `Err` says why the lock
/// file cannot be made (a missing or read-only directory): nothing can be saved there
/// either, and saving takes the lock first.
pub fn lock(path: &Path) -> Result<std::io::Result<std::fs::File>, StateError> {
    let lock_path = dir_of(path).join(format!(".{}.lock", name_of(path)));
    let file = match std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
    {
        Ok(file) => file,
        Err(e) => return Ok(Err(e)),
    };
    match file.try_lock() {
        Ok(()) => Ok(Ok(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(StateError::in_use(path, &lock_path)),
        Err(std::fs::TryLockError::Error(e)) => Err(StateError::unreadable(
            path,
            format!("cannot lock {}: {e}", lock_path.display()),
        )),
    }
}

/// fsyncs a directory so that a rename or a new file in it is durable. Best effort: some
/// file systems refuse to open or sync directories, and the data itself is synced.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Removes the temp files of `path` that a process killed mid-write left behind (they
/// would keep a full disk full). Returns how many went.
pub fn sweep_temp_files(path: &Path) -> usize {
    let prefix = temp_prefix(path);
    let Ok(entries) = std::fs::read_dir(dir_of(path)) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// Moves a state file that cannot be loaded out of the way as
/// `<file>.corrupt-<yyyymmddThhmmss>` (local time) beside it, and its journal with it
/// (`<file>.journal.corrupt-…`), so that the next start begins afresh. Never deletes and
/// never overwrites: a name already taken gets `-2`, `-3`… Returns the state file's new
/// path (the journal's when only the journal was there).
pub fn set_aside_corrupt_state(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = time::OffsetDateTime::now_utc()
        .to_offset(crate::model::local_offset())
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]"
        ))
        .map_err(std::io::Error::other)?;
    let journal = super::journal::path_of(path);
    let mut moved = None;
    for file in [path, journal.as_path()] {
        if std::fs::symlink_metadata(file).is_err() {
            continue;
        }
        let aside = free_name(&format!("{}.corrupt-{stamp}", file.display()));
        std::fs::rename(file, &aside)?;
        moved.get_or_insert(aside);
    }
    sync_dir(dir_of(path));
    moved.ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("there is no state file {} to set aside", path.display()),
        )
    })
}

/// `base`, or `base-2`, `base-3`… whichever does not exist yet.
fn free_name(base: &str) -> PathBuf {
    let mut candidate = PathBuf::from(base);
    let mut n = 2;
    while std::fs::symlink_metadata(&candidate).is_ok() {
        candidate = PathBuf::from(format!("{base}-{n}"));
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_atomic_write_leaves_no_temp_file() {
        let dir = std::env::temp_dir().join(format!("rpdesk-atomic-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // The target is a non-empty directory: the rename fails after the temp was written.
        let target = dir.join("estate.json");
        std::fs::create_dir_all(target.join("inside")).unwrap();
        assert!(write_atomic(&target, b"{}").is_err());
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["estate.json".to_owned()]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
