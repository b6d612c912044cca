//! The emulator's `--state` file: files it refuses to load (and never touches), setting
//! a corrupt one aside, saves that fail, the journal, and crashes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rpdesk::emulator::{EmulatorConfig, EstateSpec, RunningEmulator};

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rpdesk-state-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn with_state(file: &Path) -> EmulatorConfig {
    EmulatorConfig {
        estate: EstateSpec::Demo,
        state_file: Some(file.to_path_buf()),
        ..Default::default()
    }
}

/// Starts (and stops) an emulator on `file` on a thread of its own, giving up after 10 s:
/// a start that blocks its thread is a failure, not a hung test.
fn try_start(file: &Path) -> Result<(), String> {
    let config = with_state(file);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let outcome = rt.block_on(async {
            match RunningEmulator::start(config, "127.0.0.1:0".parse().unwrap()).await {
                Ok(e) => {
                    e.shutdown().await;
                    Ok(())
                }
                Err(e) => Err(format!("{e:#}")),
            }
        });
        let _ = tx.send(outcome);
    });
    rx.recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| Err("the start hung".to_owned()))
}

#[test]
fn state_files_of_the_wrong_shape_are_refused_naming_the_path_and_kept() {
    let dir = scratch("shape");
    let file = dir.join("estate.json");
    for text in [
        "{}",
        "[]",
        "null",
        "\"estate\"",
        "{\"subscriptions\":{},\"groups\":{}}",
        "{\"subscriptions\":[],\"groups\":{},\"vms\":{},\"disks\":{},\"collections\":{},\
         \"snapshots\":[],\"vnets\":{},\"nics\":{},\"operations\":{},\"put_log\":{},\
         \"pending\":[],\"saved_at\":0}",
    ] {
        std::fs::write(&file, text).unwrap();
        match try_start(&file) {
            Ok(()) => panic!("{text} was loaded as an estate"),
            Err(message) => {
                assert!(
                    message.contains(&file.display().to_string()),
                    "{text}: {message}"
                );
                assert!(message.contains("not an emulator estate"), "{message}");
            }
        }
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            text,
            "the refused file is left as it was"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_fifo_as_state_file_fails_at_once_instead_of_hanging() {
    let dir = scratch("fifo");
    let fifo = dir.join("estate.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let message = match try_start(&fifo) {
        Ok(()) => panic!("a FIFO was taken as a state file"),
        Err(message) => message,
    };
    assert!(message.contains(&fifo.display().to_string()), "{message}");
    assert!(message.contains("not a regular file"), "{message}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_corrupt_state_file_stops_the_start_with_an_error_naming_it() {
    let dir = scratch("corrupt");
    let file = dir.join("demo-estate.json");
    std::fs::write(&file, "{\"subscriptions\": {").unwrap();
    let err = RunningEmulator::start(with_state(&file), "127.0.0.1:0".parse().unwrap())
        .await
        .err()
        .expect("a corrupt file is refused");
    let state_error = err
        .downcast_ref::<rpdesk::emulator::StateError>()
        .expect("a typed error the app can offer a reset for");
    assert_eq!(state_error.path(), file.as_path());
    assert!(state_error.is_corrupt(), "{state_error}");
    assert!(err.to_string().contains(&file.display().to_string()));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "{\"subscriptions\": {"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_corrupt_state_file_is_set_aside_under_a_dated_name_never_deleted() {
    let dir = scratch("aside");
    let file = dir.join("demo-estate.json");
    std::fs::write(&file, "broken 1").unwrap();
    let first = rpdesk::emulator::set_aside_corrupt_state(&file).unwrap();
    assert!(!file.exists(), "the bad file no longer blocks the start");
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "broken 1");
    let name = first.file_name().unwrap().to_string_lossy().into_owned();
    let stamp = name
        .strip_prefix("demo-estate.json.corrupt-")
        .unwrap_or_else(|| panic!("{name}"));
    assert_eq!(stamp.len(), 15, "{name}");
    assert!(
        stamp
            .char_indices()
            .all(|(i, c)| if i == 8 { c == 'T' } else { c.is_ascii_digit() }),
        "{name}"
    );
    assert_eq!(first.parent(), file.parent());

    // A second bad file in the same second keeps the first one.
    std::fs::write(&file, "broken 2").unwrap();
    let second = rpdesk::emulator::set_aside_corrupt_state(&file).unwrap();
    assert_ne!(first, second);
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "broken 1");
    assert_eq!(std::fs::read_to_string(&second).unwrap(), "broken 2");

    let missing = rpdesk::emulator::set_aside_corrupt_state(&dir.join("none.json"));
    assert!(missing.is_err());
    let _ = std::fs::remove_dir_all(&dir);
}
