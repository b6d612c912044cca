//! The restore executor against the emulator over HTTP: each target reaches what the plan
//! promised; a run stopped after any step (or killed with its process) resumes to the same
//! end without duplicates; undo leaves nothing tagged with the run and a swapped VM on its
//! old disks; faults mid-run pause it with the ARM error.

use std::sync::Arc;
use std::time::Duration;

use crate::restore_support::*;
use rpdesk::model::{CachingType, PowerState, ResourceId, StorageAccountType};
use rpdesk::restore::journal::Record;
use rpdesk::restore::runs::RestoreEvent;
use rpdesk::restore::{Phase, Plan, StepKind, Target};
use serde_json::json;

fn os_disk_id(vm: &rpdesk::model::VirtualMachine) -> Option<ResourceId> {
    ResourceId::parse(vm.os_disk()?.managed_disk.as_ref()?.id.as_deref()?).ok()
}

fn data_disk_at(vm: &rpdesk::model::VirtualMachine, lun: i32) -> Option<ResourceId> {
    vm.data_disks()
        .into_iter()
        .find(|d| d.lun == lun)
        .and_then(|d| ResourceId::parse(d.managed_disk.as_ref()?.id.as_deref()?).ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disks_only_restore_creates_each_disk_as_planned_and_tagged() {
    let emu = emulator(600.0).await;
    let c = client_for(&emu.base_url());
    let point = db_point();
    let inv = inventory(&c, &point).await;
    let plan = plan(&inv, &point, Target::DisksOnly, "r-disks", |_| {});
    let dir = temp_dir("disks");
    let (exec, _events) = executor(&c, &dir);
    let state = exec
        .start(plan.clone(), "tester".into())
        .await
        .expect("journal");
    assert_eq!(state.phase, Phase::Finished, "{:?}", state.phase);
    let created = created_disks(&c, DEV, "r-disks").await;
    assert_eq!(created.len(), plan.disks.len());
    for p in &plan.disks {
        let d = c.get_disk(&p.disk_id).await.expect("the disk exists");
        assert_eq!(d.storage_type(), Some(&p.sku));
        assert_eq!(d.properties.disk_size_gb, Some(p.size_gb as f64));
        assert!(d.managed_by.is_none(), "left unattached");
        let source = d
            .properties
            .creation_data
            .and_then(|c| c.source_resource_id);
        assert!(source.is_some_and(|s| s.eq_ignore_ascii_case(p.source.as_str())));
    }
    assert!(dir.join("r-disks.evidence.json").exists());
    assert!(dir.join("r-disks.evidence.md").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_vm_gets_every_disk_at_its_captured_lun_and_a_nic_in_the_chosen_subnet() {
    let emu = emulator(600.0).await;
    let c = client_for(&emu.base_url());
    let point = point_id(PROD, "rg-app-prod", "app-v6-01-rpc", "rp-014-app");
    let inv = inventory(&c, &point).await;
    let plan = plan(&inv, &point, Target::NewVm, "r-newvm", |ch| {
        ch.new_vm.name = "app-v6-01-copy".into();
        ch.new_vm.nic_name = "app-v6-01-copy-nic".into();
    });
    let dir = temp_dir("newvm");
    let (exec, _events) = executor(&c, &dir);
    let state = exec
        .start(plan.clone(), "tester".into())
        .await
        .expect("journal");
    assert_eq!(state.phase, Phase::Finished, "{:?}", state.phase);
    let vm_id = plan.vm_id.clone().expect("a VM");
    let vm = c.get_vm(&vm_id, true).await.expect("the VM exists");
    assert_eq!(vm.power_state(), Some(PowerState::Running));
    assert_eq!(
        vm.tags.get("rpdesk-run").map(String::as_str),
        Some("r-newvm")
    );
    let captured = inv.point(&point).expect("point").captured_disks();
    assert!(
        captured.len() >= 4,
        "an OS disk and at least three data disks"
    );
    for d in captured.iter().skip(1) {
        let lun = d.lun.expect("a data disk");
        let planned = plan
            .disks
            .iter()
            .find(|p| p.role == format!("LUN {lun}"))
            .expect("planned");
        assert_eq!(
            data_disk_at(&vm, lun),
            Some(planned.disk_id.clone()),
            "LUN {lun}"
        );
        let attached = vm
            .data_disks()
            .into_iter()
            .find(|x| x.lun == lun)
            .expect("attached");
        assert_eq!(attached.caching, d.caching, "caching of LUN {lun}");
        let disk = c.get_disk(&planned.disk_id).await.expect("disk");
        assert_eq!(disk.properties.disk_size_gb, d.disk_size_gb);
        assert_eq!(
            disk.storage_type(),
            d.managed_disk
                .as_ref()
                .and_then(|m| m.storage_account_type.as_ref())
        );
    }
    let os = plan.disks.iter().find(|p| p.role == "OS").expect("OS disk");
    assert_eq!(os_disk_id(&vm), Some(os.disk_id.clone()));
    let nic = c
        .get_nic(&plan.nic_id.clone().expect("a NIC"))
        .await
        .expect("NIC");
    let subnet = nic.properties["ipConfigurations"][0]["properties"]["subnet"]["id"]
        .as_str()
        .expect("subnet")
        .to_owned();
    assert!(
        subnet
            .to_ascii_lowercase()
            .contains("/virtualnetworks/rg-app-prod-vnet/")
    );
    assert!(
        nic.properties["ipConfigurations"][0]["properties"]
            .get("publicIPAddress")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_swap_rolls_the_vm_back_keeps_the_old_disks_and_starts_it_again() {
    let emu = emulator(600.0).await;
    let c = client_for(&emu.base_url());
    let point = db_point();
    let inv = inventory(&c, &point).await;
    let before = c.get_vm(&db_vm(), true).await.expect("vm");
    let plan = plan(&inv, &point, Target::Swap, "r-swap", |_| {});
    let dir = temp_dir("swap");
    let (exec, _events) = executor(&c, &dir);
    let state = exec
        .start(plan.clone(), "tester".into())
        .await
        .expect("journal");
    assert_eq!(state.phase, Phase::Finished, "{:?}", state.phase);
    assert_swapped(&c, &plan, &before).await;
}

/// The VM runs on the restored disks; its old disks are kept, detached, tagged.
async fn assert_swapped(
    c: &rpdesk::arm::ArmClient,
    plan: &Plan,
    before: &rpdesk::model::VirtualMachine,
) {
    let vm = c.get_vm(&db_vm(), true).await.expect("vm");
    assert_eq!(vm.power_state(), Some(PowerState::Running));
    let os = plan.disks.iter().find(|p| p.role == "OS").expect("OS");
    let data = plan
        .disks
        .iter()
        .find(|p| p.role == "LUN 0")
        .expect("LUN 0");
    assert_eq!(os_disk_id(&vm), Some(os.disk_id.clone()));
    assert_eq!(data_disk_at(&vm, 0), Some(data.disk_id.clone()));
    let replaced = replaced_disks(c, DEV, &plan.run_id).await;
    assert_eq!(replaced.len(), 2, "the old OS and data disks");
    for old in [os_disk_id(before), data_disk_at(before, 0)] {
        let old = old.expect("an old disk");
        let d = c.get_disk(&old).await.expect("the old disk is kept");
        assert!(d.managed_by.is_none(), "{} is detached", old.name());
    }
    assert_eq!(
        created_disks(c, DEV, &plan.run_id).await.len(),
        2,
        "no duplicates"
    );
}

/// Runs `plan` until the journal says `stop` happened, then drops the run mid-flight.
async fn run_until(
    c: &rpdesk::arm::ArmClient,
    dir: &std::path::Path,
    plan: Plan,
    stop: impl Fn(&Record) -> bool + Send + Sync + 'static,
) {
    // The run halts inside the delivery of the stop record, right after it reached the
    // journal: exactly where a crash would leave it, however loaded the machine is.
    let stop = Arc::new(stop);
    let is_stop =
        move |e: &RestoreEvent| matches!(e, RestoreEvent::Record { record, .. } if stop(record));
    let (tx, mut events) = tokio::sync::mpsc::channel(10_000);
    let sink = rpdesk::backend::restore::Sink::halting_after(tx, is_stop.clone());
    let exec = rpdesk::backend::restore::RestoreExecutor::new(
        c.clone(),
        dir.to_path_buf(),
        sink,
        rpdesk::arm::Cancel::new(),
    );
    let task = tokio::spawn(async move { exec.start(plan, "tester".into()).await });
    loop {
        match tokio::time::timeout(Duration::from_secs(60), events.recv()).await {
            Ok(Some(e)) if is_stop(&e) => break,
            Ok(Some(_)) => {}
            Ok(None) => panic!("the run ended before the stop point"),
            Err(_) => panic!("the run stalled"),
        }
    }
    task.abort();
    let _ = task.await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_swap_stopped_after_any_step_resumes_or_undoes_without_duplicates() {
    let emu = emulator(600.0).await;
    let c = client_for(&emu.base_url());
    let point = db_point();
    let inv = inventory(&c, &point).await;
    let before = c.get_vm(&db_vm(), true).await.expect("vm");
    let steps = plan(&inv, &point, Target::Swap, "r-probe", |ch| {
        ch.safety_point = false
    })
    .steps
    .len();
    assert!(
        steps >= 7,
        "restores, deallocate, detach, attach, swap, tag, start"
    );
    // Each stop point on a fresh estate: after a step ended (then Resume, or Undo), and in
    // the middle of one (then Resume).
    for k in 0..steps {
        for (mid, undo) in [(false, false), (false, true), (true, false)] {
            let emu = emulator(600.0).await;
            let c = client_for(&emu.base_url());
            let run_id = format!(
                "r-crash-{k}-{}-{}",
                if mid { "mid" } else { "after" },
                if undo { "undo" } else { "resume" }
            );
            let plan = plan(&inv, &point, Target::Swap, &run_id, |ch| {
                ch.safety_point = false
            });
            let dir = temp_dir(&run_id);
            run_until(&c, &dir, plan.clone(), move |r| match r {
                Record::StepFinished { step, .. } => !mid && *step == k,
                Record::StepStarted { step, .. } => mid && *step == k,
                _ => false,
            })
            .await;
            // The run really was cut short there.
            let text =
                std::fs::read_to_string(dir.join(format!("{run_id}.jsonl"))).expect("journal");
            let (cut, ..) = rpdesk::restore::journal::read_journal(&text).expect("readable");
            // (After the last step only the closing record is left, written at once.)
            let last = k + 1 == steps && !mid;
            assert!(
                cut.is_unfinished() || last,
                "{run_id}: stopped before its end"
            );
            if mid {
                assert!(!cut.steps[k].is_done(), "{run_id}: stopped inside step {k}");
            }
            let (exec, _events) = executor(&c, &dir);
            if undo {
                let state = exec.undo(&run_id).await.expect("journal");
                assert_eq!(state.phase, Phase::Undone, "{run_id}: {:?}", state.phase);
                assert_on_old_disks(&c, &before, &run_id).await;
            } else {
                let state = exec.resume(&run_id).await.expect("journal");
                assert_eq!(state.phase, Phase::Finished, "{run_id}: {:?}", state.phase);
                assert_swapped(&c, &plan, &before).await;
            }
            emu.shutdown().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undo_after_a_swap_puts_the_vm_back_and_leaves_nothing_tagged() {
    let emu = emulator(600.0).await;
    let c = client_for(&emu.base_url());
    let point = db_point();
    let inv = inventory(&c, &point).await;
    let before = c.get_vm(&db_vm(), true).await.expect("vm");
    let plan = plan(&inv, &point, Target::Swap, "r-undo", |_| {});
    let dir = temp_dir("undo");
    let (exec, _events) = executor(&c, &dir);
    assert_eq!(
        exec.start(plan.clone(), "tester".into())
            .await
            .expect("journal")
            .phase,
        Phase::Finished
    );
    let state = exec.undo("r-undo").await.expect("journal");
    assert_eq!(state.phase, Phase::Undone, "{:?}", state.phase);
    assert_on_old_disks(&c, &before, "r-undo").await;
}

async fn assert_on_old_disks(
    c: &rpdesk::arm::ArmClient,
    before: &rpdesk::model::VirtualMachine,
    run_id: &str,
) {
    let vm = c.get_vm(&db_vm(), true).await.expect("vm");
    assert_eq!(os_disk_id(&vm), os_disk_id(before), "the original OS disk");
    assert_eq!(
        data_disk_at(&vm, 0),
        data_disk_at(before, 0),
        "the original data disk"
    );
    assert_eq!(
        vm.power_state(),
        Some(PowerState::Running),
        "started as it was"
    );
    assert!(
        created_disks(c, DEV, run_id).await.is_empty(),
        "nothing left tagged"
    );
    assert!(
        replaced_disks(c, DEV, run_id).await.is_empty(),
        "no replaced tag left"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undo_after_a_new_vm_deletes_the_vm_its_nic_and_disks_only() {
    let emu = emulator(600.0).await;
    let c = client_for(&emu.base_url());
    let point = db_point();
    let inv = inventory(&c, &point).await;
    let disks_before = c.list_disks(DEV).await.expect("disks").len();
    let plan = plan(&inv, &point, Target::NewVm, "r-undo-vm", |_| {});
    let dir = temp_dir("undo-vm");
    let (exec, _events) = executor(&c, &dir);
    assert_eq!(
        exec.start(plan.clone(), "tester".into())
            .await
            .expect("journal")
            .phase,
        Phase::Finished
    );
    let state = exec.undo("r-undo-vm").await.expect("journal");
    assert_eq!(state.phase, Phase::Undone, "{:?}", state.phase);
    let vm = plan.vm_id.clone().expect("vm");
    assert!(c.get_vm(&vm, false).await.unwrap_err().is_not_found());
    assert!(
        c.get_nic(&plan.nic_id.clone().expect("nic"))
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert_eq!(c.list_disks(DEV).await.expect("disks").len(), disks_before);
    assert!(
        c.get_vm(&db_vm(), false).await.is_ok(),
        "the source is untouched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_mid_run_pause_it_with_the_arm_error_then_resume_or_undo() {
    let emu = emulator(600.0).await;
    let c = client_for(&emu.base_url());
    let point = db_point();
    let inv = inventory(&c, &point).await;
    let before = c.get_vm(&db_vm(), true).await.expect("vm");
    let cases = [
        ("serverError", "InternalServerError", "/disks/", "PUT"),
        ("throttle", "TooManyRequests", "/disks/", "PUT"),
        (
            "failLro",
            "InternalOperationError",
            "/virtualmachines/dev-db-01",
            "PATCH",
        ),
    ];
    for (i, (kind, _, path, method)) in cases.iter().enumerate() {
        let run_id = format!("r-fault-{kind}");
        let plan = plan(&inv, &point, Target::Swap, &run_id, |ch| {
            ch.safety_point = false
        });
        c.emulator_add_fault(json!({
            "kind": kind, "pathContains": path, "method": method, "count": 6, "retryAfter": 1
        }))
        .await
        .expect("fault");
        let dir = temp_dir(&run_id);
        let (exec, _events) = executor(&c, &dir);
        let state = exec
            .start(plan.clone(), "tester".into())
            .await
            .expect("journal");
        let Phase::Paused {
            error: Some(error), ..
        } = &state.phase
        else {
            panic!(
                "{kind}: the run pauses with the error, not {:?}",
                state.phase
            );
        };
        assert!(error.code.is_some(), "{kind}: an ARM code ({error:?})");
        c.emulator_clear_faults().await.expect("clear");
        if i % 2 == 0 {
            let state = exec.resume(&run_id).await.expect("journal");
            assert_eq!(state.phase, Phase::Finished, "{kind}: {:?}", state.phase);
            assert_swapped(&c, &plan, &before).await;
            let state = exec.undo(&run_id).await.expect("journal");
            assert_eq!(state.phase, Phase::Undone);
        } else {
            let state = exec.undo(&run_id).await.expect("journal");
            assert_eq!(state.phase, Phase::Undone, "{kind}: {:?}", state.phase);
        }
        assert_on_old_disks(&c, &before, &run_id).await;
    }
}

/// The child half of the kill test: runs a journaled plan against an emulator the parent
/// started. Run by the parent only (`--ignored`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the child process of a_run_killed_with_its_process_resumes_to_the_same_end"]
async fn child_runs_a_restore() {
    let endpoint = std::env::var("RPDESK_CHILD_ENDPOINT").expect("endpoint");
    let dir = std::path::PathBuf::from(std::env::var("RPDESK_CHILD_DIR").expect("dir"));
    let plan: Plan =
        serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).expect("plan file"))
            .expect("plan");
    let c = client_for(&endpoint);
    let (exec, _events) = executor(&c, &dir);
    exec.start(plan, "child".into()).await.expect("journal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_with_its_process_resumes_to_the_same_end() {
    let emu = emulator(600.0).await;
    let c = client_for(&emu.base_url());
    let point = db_point();
    let inv = inventory(&c, &point).await;
    let before = c.get_vm(&db_vm(), true).await.expect("vm");
    let plan = plan(&inv, &point, Target::Swap, "r-killed", |ch| {
        ch.safety_point = false
    });
    let swap_step = plan
        .steps
        .iter()
        .position(|s| matches!(s.kind, StepKind::SwapOsDisk { .. }))
        .expect("a swap step");
    let dir = temp_dir("killed");
    std::fs::write(
        dir.join("plan.json"),
        serde_json::to_string(&plan).expect("json"),
    )
    .expect("write");
    // The test's name inside this binary: its module path without the crate.
    let module = module_path!().split_once("::").map_or("", |(_, m)| m);
    let child_test = format!("{module}::child_runs_a_restore");
    let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", child_test.as_str(), "--ignored", "--nocapture"])
        .env("RPDESK_CHILD_ENDPOINT", emu.base_url())
        .env("RPDESK_CHILD_DIR", &dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("child starts");
    // Kill it -9 once the journal says the OS disk swap has started.
    let journal = dir.join("r-killed.jsonl");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(&journal).unwrap_or_default();
        if text.contains(&format!("\"record\":\"step_started\",\"step\":{swap_step}")) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the child never reached the swap"
        );
        assert!(
            child.try_wait().expect("child").is_none(),
            "the child ended early"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().expect("kill");
    child.wait().expect("reaped");
    let (exec, _events) = executor(&c, &dir);
    let state = exec.resume("r-killed").await.expect("journal");
    assert_eq!(state.phase, Phase::Finished, "{:?}", state.phase);
    assert_swapped(&c, &plan, &before).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disk_name_taken_by_someone_else_is_never_touched() {
    let emu = emulator(600.0).await;
    let c = client_for(&emu.base_url());
    let point = db_point();
    let inv = inventory(&c, &point).await;
    let plan = plan(&inv, &point, Target::DisksOnly, "r-taken", |_| {});
    // Someone creates a disk under the planned name after the review.
    let target = plan.disks[1].clone();
    let mut foreign = rpdesk::model::DiskRestoreRequest::new(
        target.disk_id.clone(),
        "northeurope",
        target.source.clone(),
    );
    foreign.sku = Some(StorageAccountType::PremiumLrs);
    c.restore_disk(&foreign, &|_| {}, &rpdesk::arm::Cancel::new())
        .await
        .expect("foreign disk");
    let dir = temp_dir("taken");
    let (exec, _events) = executor(&c, &dir);
    let state = exec.start(plan, "tester".into()).await.expect("journal");
    let Phase::Paused { error: Some(e), .. } = &state.phase else {
        panic!("paused, not {:?}", state.phase);
    };
    assert!(e.message.contains("not created by this run"), "{e:?}");
    let d = c.get_disk(&target.disk_id).await.expect("still there");
    assert!(d.tags.is_empty(), "untouched");
    let state = exec.undo("r-taken").await.expect("journal");
    assert_eq!(state.phase, Phase::Undone);
    assert!(
        c.get_disk(&target.disk_id).await.is_ok(),
        "undo never deletes it"
    );
    let _ = CachingType::None;
}
