//! The emulator's `--state` file: files it refuses to load (and never touches), setting
//! a corrupt one aside, saves that fail, the journal, and crashes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::*;
use reqwest::Method;
use rpdesk::emulator::{EmulatorConfig, EstateSpec, RunningEmulator};
use serde_json::{Value, json};

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

/// Creates resource group `name` in DEV: its status and body.
async fn put_group(e: &Emu, name: &str) -> (u16, Value) {
    put_group_in(e, DEV, name).await
}

async fn put_group_in(e: &Emu, sub: &str, name: &str) -> (u16, Value) {
    e.put(
        &rg_path(sub, name),
        "2021-04-01",
        json!({ "location": "westeurope" }),
    )
    .await
}

async fn group_exists(e: &Emu, name: &str) -> bool {
    group_exists_in(e, DEV, name).await
}

async fn group_exists_in(e: &Emu, sub: &str, name: &str) -> bool {
    e.get(&rg_path(sub, name), "2021-04-01").await.0 == 200
}

/// Creates `rg-0`… `rg-{count - 1}` in `sub`, each acknowledged.
async fn put_groups(e: &Emu, sub: &str, count: usize) {
    for i in 0..count {
        assert_eq!(put_group_in(e, sub, &format!("rg-{i}")).await.0, 201);
    }
}

/// Asserts that `rg-0`… `rg-{count - 1}` exist in `sub`.
async fn assert_groups(e: &Emu, sub: &str, count: usize) {
    for i in 0..count {
        assert!(group_exists_in(e, sub, &format!("rg-{i}")).await, "rg-{i}");
    }
}

/// Asserts an ARM error saying the state file could not be saved.
fn assert_not_saved(status: u16, body: &Value, file: &Path) {
    assert_eq!(status, 507, "{body}");
    assert_eq!(code(body), "StateNotSaved", "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains(&file.display().to_string()), "{message}");
}

/// Files in `dir` whose name says they are temp files.
fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect()
}

#[tokio::test]
async fn a_write_that_cannot_be_saved_is_refused_with_507_and_undone() {
    let dir = scratch("unsaved");
    let state_dir = dir.join("state");
    let file = state_dir.join("estate.json");
    let e = start_with(with_state(&file)).await;
    assert_eq!(put_group(&e, "rg-saved").await.0, 201);
    let rpc = rpc_path(PROD, "rg-ops-prod", "jumpbox-01-rpc");

    // The state directory's place is taken by a plain file: nothing can be written there.
    std::fs::remove_dir_all(&state_dir).unwrap();
    std::fs::write(&state_dir, "not a directory").unwrap();
    let (status, body) = put_group(&e, "rg-lost").await;
    assert_not_saved(status, &body, &file);
    assert!(
        !group_exists(&e, "rg-lost").await,
        "the refused write is undone"
    );
    let r = e.send(Method::DELETE, &e.url(&rpc, CRP), None).await;
    let (status, body) = status_json(r).await;
    assert_not_saved(status, &body, &file);
    let (status, collection) = e.get(&rpc, CRP).await;
    assert_eq!(status, 200, "the refused delete is undone");
    assert_eq!(collection["properties"]["provisioningState"], "Succeeded");
    // A clock jump would save the operations it completes: refused too.
    let r = e
        .http
        .post(format!("{}/_emulator/clock/advance", e.base))
        .bearer_auth(&e.token)
        .json(&json!({ "seconds": 600 }))
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(r).await;
    assert_not_saved(status, &body, &file);
    // The admin reset is refused the same way, and the estate is not reset.
    let r = e
        .http
        .post(format!("{}/_emulator/reset", e.base))
        .bearer_auth(&e.token)
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(r).await;
    assert_not_saved(status, &body, &file);
    assert!(
        group_exists(&e, "rg-saved").await,
        "the estate was not reset"
    );

    // Once the directory is back, writes are saved again.
    std::fs::remove_file(&state_dir).unwrap();
    std::fs::create_dir_all(&state_dir).unwrap();
    assert_eq!(put_group(&e, "rg-later").await.0, 201);
    e.advance(600.0).await;
    assert_eq!(e.get(&rpc, CRP).await.0, 200, "no delete was left running");
    e.emu.shutdown().await;
    let e = start_with(with_state(&file)).await;
    assert!(group_exists(&e, "rg-saved").await);
    assert!(group_exists(&e, "rg-later").await);
    assert!(!group_exists(&e, "rg-lost").await);
    assert_eq!(e.get(&rpc, CRP).await.0, 200);
    assert!(
        temp_files(&state_dir).is_empty(),
        "{:?}",
        temp_files(&state_dir)
    );
    e.emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A small tmpfs mounted for one test and unmounted when dropped; `None` where mounting
/// is not allowed (not root), in which case the test says so and checks nothing.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(name: &str, size: &str) -> Option<Self> {
        let dir = scratch(name);
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("cannot mount a tmpfs here (not root?): the full-disk case is not run");
            return None;
        }
        Some(Self(dir))
    }

    fn remount_read_only(&self) {
        let ok = std::process::Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Writes a file until the disk is full.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.0.join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn a_full_or_read_only_disk_refuses_the_write_and_keeps_no_temp_file() {
    let Some(disk) = SmallDisk::mount("full", "16m") else {
        return;
    };
    let file = disk.0.join("estate.json");
    let e = start_with(with_state(&file)).await;
    assert_eq!(put_group(&e, "rg-before").await.0, 201);

    let filler = disk.fill();
    // Larger than what is left of the journal's last page.
    let tags: serde_json::Map<String, Value> = (0..40)
        .map(|i| (format!("tag-{i}"), json!("x".repeat(200))))
        .collect();
    let (status, body) = e
        .put(
            &rg_path(DEV, "rg-no-room"),
            "2021-04-01",
            json!({ "location": "westeurope", "tags": tags }),
        )
        .await;
    assert_not_saved(status, &body, &file);
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("No space left"), "{message}");
    assert!(!group_exists(&e, "rg-no-room").await);
    assert!(temp_files(&disk.0).is_empty(), "{:?}", temp_files(&disk.0));

    std::fs::remove_file(&filler).unwrap();
    assert_eq!(put_group(&e, "rg-after").await.0, 201);
    e.emu.shutdown().await;

    // A read-only disk: the state loads, and a write says why it cannot be saved.
    disk.remount_read_only();
    let e = start_with(with_state(&file)).await;
    assert!(group_exists(&e, "rg-before").await);
    assert!(group_exists(&e, "rg-after").await);
    assert!(!group_exists(&e, "rg-no-room").await);
    let (status, body) = put_group(&e, "rg-read-only").await;
    assert_not_saved(status, &body, &file);
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("Read-only file system"), "{message}");
    assert!(!group_exists(&e, "rg-read-only").await);
    e.emu.abandon();
}

#[tokio::test]
async fn temp_files_a_killed_emulator_left_are_removed_at_the_next_start() {
    let dir = scratch("leftovers");
    let file = dir.join("estate.json");
    for name in [".estate.json.tmp-4242", ".estate.json.tmp-4242-7"] {
        std::fs::write(dir.join(name), "half a state file").unwrap();
    }
    std::fs::write(dir.join(".other.json.tmp-1"), "not ours").unwrap();
    let e = start_with(with_state(&file)).await;
    assert_eq!(temp_files(&dir), vec![".other.json.tmp-1".to_owned()]);
    e.emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_apps_reset_reports_a_save_that_failed_in_the_activity_log() {
    use rpdesk::activity::{ActivityEvent, ActivityStatus};
    use rpdesk::backend::{Backend, BackendEvent};

    let dir = scratch("app-reset");
    let state_dir = dir.join("state");
    let file = state_dir.join("demo-estate.json");
    let e = start_with(with_state(&file)).await;
    assert_eq!(put_group(&e, "rg-kept").await.0, 201);
    std::fs::remove_dir_all(&state_dir).unwrap();
    std::fs::write(&state_dir, "not a directory").unwrap();

    let client = rpdesk::arm::ArmClient::new(
        &e.base,
        std::sync::Arc::new(rpdesk::auth::StaticToken::new("t")),
        rpdesk::arm::ClientOptions::default(),
    )
    .unwrap();
    let (backend, mut rx) = Backend::new(
        client,
        tokio::runtime::Handle::current(),
        std::sync::Arc::new(|| {}),
    );
    backend.reset_demo();
    let status = loop {
        let event = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("the reset ends")
            .expect("backend alive");
        if let BackendEvent::Activity(ActivityEvent::Finished { status, .. }) = event {
            break status;
        }
    };
    match status {
        ActivityStatus::Failed(info) => {
            assert!(info.summary().contains("StateNotSaved"), "{info:?}");
            assert!(
                info.message.contains(&file.display().to_string()),
                "{info:?}"
            );
        }
        other => panic!("the failed save was logged as {other:?}"),
    }
    assert!(
        group_exists(&e, "rg-kept").await,
        "the estate was not reset"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Size and identity of a file: a rewrite (temp file renamed over it) changes the inode.
fn identity(path: &Path) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).unwrap();
    (m.ino(), m.len())
}

fn bytes_in(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

#[tokio::test]
async fn a_write_appends_its_change_instead_of_rewriting_the_state_file() {
    let dir = scratch("append");
    let file = dir.join("estate.json");
    let e = start_with(EmulatorConfig {
        estate: EstateSpec::Large(1000),
        throttling: false,
        ..with_state(&file)
    })
    .await;
    let sub = rpdesk::emulator::estate::large::sub_id(0);
    assert_eq!(put_group_in(&e, &sub, "rg-first").await.0, 201);
    let before = identity(&file);
    let bytes_before = bytes_in(&dir);
    assert!(before.1 > 5_000_000, "a large estate: {} bytes", before.1);
    put_groups(&e, &sub, 20).await;
    assert_eq!(identity(&file), before, "the state file was rewritten");
    let grown = bytes_in(&dir) - bytes_before;
    assert!(grown < 20 * 4096, "20 small writes added {grown} bytes");
    e.emu.shutdown().await;
    let e = start_with(with_state(&file)).await;
    assert_groups(&e, &sub, 20).await;
    e.emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn shutdown_folds_the_journal_into_the_state_file() {
    let dir = scratch("fold");
    let file = dir.join("estate.json");
    let journal = dir.join("estate.json.journal");
    let e = start_with(with_state(&file)).await;
    put_groups(&e, DEV, 5).await;
    assert!(std::fs::metadata(&journal).unwrap().len() > 0);
    e.emu.shutdown().await;
    // The state file alone now holds everything: a plain JSON estate.
    std::fs::remove_file(&journal).unwrap();
    let saved: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert!(
        saved["groups"]
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.ends_with("/rg-4"))
    );
    let e = start_with(with_state(&file)).await;
    assert_groups(&e, DEV, 5).await;
    e.emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_torn_last_journal_line_is_dropped_and_a_broken_one_before_it_refused() {
    use std::io::Write;
    let dir = scratch("torn");
    let file = dir.join("estate.json");
    let journal = dir.join("estate.json.journal");
    let e = start_with(with_state(&file)).await;
    put_groups(&e, DEV, 3).await;
    // Stopped without saving anything more, as a crash would.
    e.emu.abandon();
    let good = std::fs::read(&journal).unwrap();
    // A crash mid-append leaves half a line.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .unwrap()
        .write_all(b"{\"seq\":99,\"savedAt\":1.0,\"tables\":{\"gro")
        .unwrap();
    let e = start_with(with_state(&file)).await;
    assert_groups(&e, DEV, 3).await;
    assert_eq!(put_group(&e, "rg-after-crash").await.0, 201);
    e.emu.abandon();
    let e = start_with(with_state(&file)).await;
    assert!(
        group_exists(&e, "rg-after-crash").await,
        "appended after the torn line was cut"
    );
    e.emu.abandon();

    // A damaged line followed by good ones is not a crash: refuse, naming the journal.
    let mut damaged = good.clone();
    let second_line = damaged.iter().position(|b| *b == b'\n').unwrap() + 1;
    damaged[second_line + 2] = b'#';
    std::fs::write(&journal, &damaged).unwrap();
    let err = RunningEmulator::start(with_state(&file), "127.0.0.1:0".parse().unwrap())
        .await
        .err()
        .expect("a damaged journal is refused");
    let state_error = err.downcast_ref::<rpdesk::emulator::StateError>().unwrap();
    assert_eq!(state_error.path(), journal.as_path());
    assert!(state_error.is_corrupt());
    assert_eq!(std::fs::read(&journal).unwrap(), damaged, "left as it was");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_second_emulator_on_the_same_state_file_is_refused() {
    let dir = scratch("in-use");
    let file = dir.join("estate.json");
    let first = start_with(with_state(&file)).await;
    assert_eq!(put_group(&first, "rg-1").await.0, 201);
    let err = RunningEmulator::start(with_state(&file), "127.0.0.1:0".parse().unwrap())
        .await
        .err()
        .expect("two writers would corrupt the journal");
    let state_error = err.downcast_ref::<rpdesk::emulator::StateError>().unwrap();
    assert_eq!(
        state_error.kind(),
        rpdesk::emulator::StateErrorKind::InUse,
        "{state_error}"
    );
    assert!(err.to_string().contains(&file.display().to_string()));
    first.emu.shutdown().await;
    let again = start_with(with_state(&file)).await;
    assert!(group_exists(&again, "rg-1").await);
    again.emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_old_state_file_a_whole_json_estate_still_loads_and_takes_writes() {
    let dir = scratch("old-format");
    let file = dir.join("estate.json");
    // What every earlier version wrote: the estate as `/_emulator/estate` exports it.
    let plain = start().await;
    let rpc = rpc_path(PROD, "rg-ops-prod", "jumpbox-01-rpc");
    let r = plain
        .send(Method::DELETE, &plain.url(&rpc, CRP), None)
        .await;
    assert_eq!(r.status().as_u16(), 202);
    plain.advance(600.0).await;
    let exported = plain.admin(Method::GET, "estate", None).await;
    std::fs::write(&file, serde_json::to_vec(&exported).unwrap()).unwrap();

    let e = start_with(with_state(&file)).await;
    assert_eq!(e.get(&rpc, CRP).await.0, 404, "the old file's state");
    assert_eq!(put_group(&e, "rg-new").await.0, 201);
    e.emu.abandon();
    let e = start_with(with_state(&file)).await;
    assert_eq!(e.get(&rpc, CRP).await.0, 404);
    assert!(group_exists(&e, "rg-new").await);
    e.emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// `rpdesk emulator --state FILE` as a child process; its base URL.
fn spawn_emulator(file: &Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rpdesk"))
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--no-throttling",
            "--state",
        ])
        .arg(file)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim().trim_start_matches("listening on ").to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{line:?}");
    (child, base)
}

/// Writes `count` resource groups named `{prefix}-{i}` from 8 clients at once; the names
/// the emulator acknowledged.
async fn write_groups(base: &str, prefix: &str, count: usize) -> Vec<String> {
    let http = reqwest::Client::new();
    let mut tasks = Vec::new();
    for client in 0..8 {
        let (http, base, prefix) = (http.clone(), base.to_owned(), prefix.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            for i in (client..count).step_by(8) {
                let name = format!("{prefix}-{i}");
                let url = format!("{base}{}?api-version=2021-04-01", rg_path(DEV, &name));
                let r = http
                    .put(url)
                    .bearer_auth("t")
                    .json(&json!({ "location": "westeurope", "tags": { "i": i.to_string() } }))
                    .send()
                    .await
                    .unwrap();
                if r.status().is_success() {
                    acked.push(name);
                }
            }
            acked
        }));
    }
    let mut acked = Vec::new();
    for t in tasks {
        acked.extend(t.await.unwrap());
    }
    acked
}

async fn missing_groups(base: &str, names: &[String]) -> Vec<String> {
    let http = reqwest::Client::new();
    let mut missing = Vec::new();
    for name in names {
        let url = format!("{base}{}?api-version=2021-04-01", rg_path(DEV, name));
        let r = http.get(url).bearer_auth("t").send().await.unwrap();
        if r.status().as_u16() != 200 {
            missing.push(name.clone());
        }
    }
    missing
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_acknowledged_write_is_lost_when_the_emulator_is_killed() {
    let dir = scratch("kill9");
    let file = dir.join("estate.json");
    let mut all = Vec::new();
    for round in 0..3 {
        let (mut child, base) = spawn_emulator(&file);
        let missing = missing_groups(&base, &all).await;
        assert!(missing.is_empty(), "round {round}: lost {missing:?}");
        let acked = write_groups(&base, &format!("rg-r{round}"), 150).await;
        assert_eq!(acked.len(), 150);
        all.extend(acked);
        // kill -9 the moment the last answer arrived: nothing gets a chance to save.
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let (mut child, base) = spawn_emulator(&file);
    let missing = missing_groups(&base, &all).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        missing.is_empty(),
        "lost {} of {}: {missing:?}",
        missing.len(),
        all.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_dropped_emulator_lets_its_state_file_go() {
    // The app drops its demo emulator when it reconnects, then starts a new one.
    let dir = scratch("dropped");
    let file = dir.join("demo-estate.json");
    let first = start_with(with_state(&file)).await;
    assert_eq!(put_group(&first, "rg-1").await.0, 201);
    let old_base = first.base.clone();
    drop(first);
    let second = start_with(with_state(&file)).await;
    assert!(group_exists(&second, "rg-1").await);
    let http = reqwest::Client::new();
    let stopped = http
        .get(format!("{old_base}/subscriptions?api-version=2022-12-01"))
        .bearer_auth("t")
        .send()
        .await;
    assert!(stopped.is_err(), "the dropped one stopped serving");
    second.emu.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
