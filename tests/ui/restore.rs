//! The restore wizard in the real app on the demo estate, driven by labels: each target
//! reaches what Review promised (checked through ARM GETs), refusals come before any call
//! with their reason, Esc belongs to the open dialog, and an unfinished run is offered at
//! start-up.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::ui_support::*;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use rpdesk::app::App;
use rpdesk::arm::ArmClient;
use rpdesk::auth::StaticToken;
use rpdesk::backend::ConnectionSpec;
use rpdesk::inventory::NodeId;
use rpdesk::model::{PowerState, ResourceId};
use rpdesk::restore::{Phase, Plan};

/// The demo with a fast clock, its journals in a folder of the test's own.
fn restore_app(data_dir: PathBuf, state_file: Option<PathBuf>) -> Harness<'static, App> {
    demo_app(data_dir, state_file, 600.0)
}

/// The demo at `speed`, its journals in `data_dir`.
fn demo_app(data_dir: PathBuf, state_file: Option<PathBuf>, speed: f64) -> Harness<'static, App> {
    let mut options = app_options(Some(ConnectionSpec::Demo {
        estate: "demo".into(),
        state_file,
        speed,
    }));
    options.data_dir = Some(data_dir);
    let mut h = harness(options);
    wait_loaded(&mut h);
    h
}

/// A client of the app's own endpoint, for checking what the run did.
fn client(h: &Harness<'_, App>) -> ArmClient {
    let endpoint = h.state().endpoint().expect("connected");
    ArmClient::new(
        &endpoint,
        Arc::new(StaticToken::new("test")),
        crate::restore_support::fast_options(),
    )
    .expect("client")
}

/// Opens a point in the tree as a user would: subscription, VM, collection, point.
fn open_point(
    h: &mut Harness<'_, App>,
    subscription: &str,
    vm: &str,
    collection: &str,
    point: &str,
) {
    for label in [subscription, vm, collection] {
        h.get_by_label(&format!("Expand {label}")).click();
        h.run_steps(2);
    }
    h.get_by_label(point).click();
    h.run_steps(3);
}

/// Opens the wizard from the inspector's button and waits until it knows every disk.
fn open_wizard(h: &mut Harness<'_, App>) {
    h.get_by_label("Restore…").click();
    step_until(h, "the wizard's facts", Duration::from_secs(30), |app| {
        let Some(w) = &app.ui.restore_wizard else {
            return false;
        };
        let facts = app.inventory.restore_facts(&w.point_id, 0);
        w.choices.is_some()
            && facts
                .is_some_and(|f| f.subnets.is_some() && f.disks.iter().all(|d| d.details_loaded))
    });
    h.run_steps(3);
}

/// Opens a drop-down and picks an entry, as a user would.
fn pick(h: &mut Harness<'_, App>, combo: &str, entry: &str) {
    h.get_by_label(combo).click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, entry).click();
    h.run_steps(2);
}

fn next(h: &mut Harness<'_, App>) {
    h.get_by_role_and_label(Role::Button, "Next").click();
    h.run_steps(4);
}

/// Types the reason, runs, and waits for the end; returns the plan that ran.
fn run_to_end(h: &mut Harness<'_, App>) -> Plan {
    type_into(h, "Reason", "INC-4711: bad patch");
    h.get_by_label("Run restore").click();
    h.run_steps(2);
    let run_id = h
        .state()
        .ui
        .restore_wizard
        .as_ref()
        .and_then(|w| w.run_id.clone())
        .expect("a run started");
    step_until(h, "the run to end", Duration::from_secs(120), |app| {
        app.restores
            .get(&run_id)
            .is_some_and(|r| !r.busy && r.state.phase != Phase::Running)
    });
    h.run_steps(3);
    let entry = h.state().restores.get(&run_id).expect("the run").clone();
    assert_eq!(
        entry.state.phase,
        Phase::Finished,
        "{:?}",
        entry.state.phase
    );
    assert!(shown(h, "Done"), "the wizard says the run is done");
    entry.state.plan
}

fn os_disk(vm: &rpdesk::model::VirtualMachine) -> Option<ResourceId> {
    ResourceId::parse(vm.os_disk()?.managed_disk.as_ref()?.id.as_deref()?).ok()
}

fn data_at(vm: &rpdesk::model::VirtualMachine, lun: i32) -> Option<ResourceId> {
    vm.data_disks()
        .into_iter()
        .find(|d| d.lun == lun)
        .and_then(|d| ResourceId::parse(d.managed_disk.as_ref()?.id.as_deref()?).ok())
}

/// Every disk the plan promised exists as promised: type, size, tags.
async fn assert_disks_as_planned(c: &ArmClient, plan: &Plan) {
    for p in &plan.disks {
        let d = c.get_disk(&p.disk_id).await.expect("the disk exists");
        assert_eq!(d.storage_type(), Some(&p.sku), "{}", p.disk_id.name());
        assert_eq!(d.properties.disk_size_gb, Some(p.size_gb as f64));
        assert_eq!(d.tags.get("rpdesk-run"), Some(&plan.run_id));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disks_only_from_the_wizard_creates_the_disks_review_promised() {
    let dir = crate::restore_support::temp_dir("ui-disks");
    let mut h = restore_app(dir.to_path_buf(), None);
    open_point(
        &mut h,
        "Contoso Development",
        "dev-db-01",
        "dev-db-01-rpc",
        "rp-014-app",
    );
    open_wizard(&mut h);
    assert!(
        shown(&h, "Changes made to dev-db-01 after"),
        "says what is lost"
    );
    next(&mut h);
    next(&mut h);
    assert_eq!(
        h.state()
            .ui
            .restore_wizard
            .as_ref()
            .and_then(|w| w.choices.as_ref())
            .map(|c| c.target),
        Some(rpdesk::restore::Target::DisksOnly),
        "disks only is the default"
    );
    next(&mut h);
    assert!(shown(&h, "ARM calls, in order"));
    let plan = run_to_end(&mut h);
    let c = client(&h);
    assert_disks_as_planned(&c, &plan).await;
    for p in &plan.disks {
        let d = c.get_disk(&p.disk_id).await.expect("disk");
        assert!(d.managed_by.is_none(), "unattached");
    }
    h.get_by_label("Evidence").click();
    h.run_steps(3);
    assert!(
        shown(&h, "INC-4711: bad patch"),
        "the evidence shows the reason"
    );
    assert!(
        dir.join("runs")
            .join(format!("{}.evidence.md", plan.run_id))
            .exists()
    );
    // No save dialog can open here: a path field takes its place.
    h.get_by_label("Save Markdown…").scroll_to_me();
    h.run_steps(2);
    h.get_by_label("Save Markdown…").click();
    h.run_steps(3);
    assert!(shown(&h, "No save dialog can open here"));
    let target = dir.join("ticket-evidence.md");
    h.get_by_label("Save to").scroll_to_me();
    h.run_steps(2);
    clear_and_type(&mut h, "Save to", &target.display().to_string());
    h.get_by_label("Save here").click();
    step_until(&mut h, "the evidence file", Duration::from_secs(10), |_| {
        target.exists()
    });
    let text = std::fs::read_to_string(&target).expect("written");
    assert!(text.contains("INC-4711: bad patch") && text.contains(&plan.run_id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizard_opens_from_r_the_context_menu_and_on_one_disk() {
    let dir = crate::restore_support::temp_dir("ui-open");
    let mut h = restore_app(dir.to_path_buf(), None);
    open_point(
        &mut h,
        "Contoso Development",
        "dev-db-01",
        "dev-db-01-rpc",
        "rp-014-app",
    );
    let point = crate::restore_support::db_point();
    h.key_press(egui::Key::R);
    h.run_steps(3);
    assert_eq!(
        h.state()
            .ui
            .restore_wizard
            .as_ref()
            .map(|w| w.point_id.clone()),
        Some(point.clone()),
        "R opens the wizard on the selected point"
    );
    h.get_by_role_and_label(Role::Button, "Cancel").click();
    h.run_steps(3);
    h.get_by_role_and_label(Role::Button, "rp-014-app")
        .click_secondary();
    h.run_steps(2);
    // The menu's entry, by the tree (the inspector has a "Restore…" button too).
    h.query_all_by_role_and_label(Role::Button, "Restore…")
        .min_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .expect("the context menu's entry")
        .click();
    h.run_steps(3);
    assert!(
        h.state().ui.restore_wizard.is_some(),
        "the context menu opens it"
    );
    h.get_by_role_and_label(Role::Button, "Cancel").click();
    h.run_steps(3);
    // On a disk restore point: that disk only.
    h.get_by_label("Expand rp-014-app").click();
    h.run_steps(3);
    let disk_label = h
        .state()
        .inventory
        .disk_points_of(&point)
        .iter()
        .map(|d| h.state().inventory.disk_point_label(d))
        .find(|l| l.starts_with("LUN 0"))
        .expect("a data disk restore point");
    h.get_by_label(&disk_label).click();
    h.run_steps(3);
    open_wizard(&mut h);
    let w = h.state().ui.restore_wizard.clone().expect("open");
    assert!(w.only_disk.is_some());
    let included: Vec<bool> = w
        .choices
        .expect("choices")
        .disks
        .iter()
        .map(|d| d.include)
        .collect();
    assert_eq!(included, vec![false, true], "only that disk");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fault_mid_run_pauses_it_with_the_arm_error_and_resume_finishes_it() {
    let dir = crate::restore_support::temp_dir("ui-fault");
    let mut h = restore_app(dir.to_path_buf(), None);
    let c = client(&h);
    open_point(
        &mut h,
        "Contoso Development",
        "dev-db-01",
        "dev-db-01-rpc",
        "rp-014-app",
    );
    open_wizard(&mut h);
    next(&mut h);
    next(&mut h);
    next(&mut h);
    c.emulator_add_fault(serde_json::json!({
        "kind": "serverError", "pathContains": "/disks/", "method": "PUT", "count": 6
    }))
    .await
    .expect("fault");
    type_into(&mut h, "Reason", "INC-4711: bad patch");
    h.get_by_label("Run restore").click();
    step_until(&mut h, "the pause", Duration::from_secs(60), |app| {
        app.restores
            .runs
            .values()
            .any(|r| !r.busy && matches!(r.state.phase, Phase::Paused { .. }))
    });
    h.run_steps(3);
    assert!(shown(&h, "Paused"));
    assert!(shown(&h, "InternalServerError"), "the ARM code is shown");
    c.emulator_clear_faults().await.expect("clear");
    h.get_by_role_and_label(Role::Button, "Resume").click();
    step_until(&mut h, "the end", Duration::from_secs(60), |app| {
        app.restores
            .runs
            .values()
            .any(|r| !r.busy && r.state.phase == Phase::Finished)
    });
    h.run_steps(3);
    assert!(shown(&h, "Done"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_vm_from_the_wizard_has_every_disk_at_its_lun_and_a_nic_in_its_subnet() {
    let dir = crate::restore_support::temp_dir("ui-newvm");
    let mut h = restore_app(dir.to_path_buf(), None);
    open_point(
        &mut h,
        "Contoso Production",
        "app-v6-01",
        "app-v6-01-rpc",
        "rp-014-app",
    );
    open_wizard(&mut h);
    next(&mut h);
    next(&mut h);
    h.get_by_role_and_label(Role::RadioButton, "A new VM")
        .click();
    h.run_steps(3);
    assert!(
        shown(&h, "keeps the source's computer name"),
        "the identity warning"
    );
    next(&mut h);
    let plan = run_to_end(&mut h);
    let c = client(&h);
    assert_disks_as_planned(&c, &plan).await;
    let vm = c
        .get_vm(plan.vm_id.as_ref().expect("a VM"), true)
        .await
        .expect("the VM exists");
    assert_eq!(vm.power_state(), Some(PowerState::Running));
    assert_eq!(vm.tags.get("rpdesk-run"), Some(&plan.run_id));
    assert_eq!(vm.vm_size(), "Standard_D4s_v6");
    assert!(
        vm.data_disks().len() >= 3,
        "an OS disk and at least three data disks"
    );
    for p in &plan.disks {
        match p.role.strip_prefix("LUN ") {
            Some(lun) => {
                let lun: i32 = lun.parse().expect("lun");
                assert_eq!(data_at(&vm, lun), Some(p.disk_id.clone()), "LUN {lun}");
            }
            None => assert_eq!(os_disk(&vm), Some(p.disk_id.clone())),
        }
    }
    // Caching as captured.
    let point = h
        .state()
        .inventory
        .point(&plan.point_id)
        .expect("point")
        .clone();
    for d in point.captured_disks().into_iter().skip(1) {
        let lun = d.lun.expect("lun");
        let attached = vm
            .data_disks()
            .into_iter()
            .find(|x| x.lun == lun)
            .expect("attached");
        assert_eq!(attached.caching, d.caching, "caching at LUN {lun}");
    }
    let nic = c
        .get_nic(plan.nic_id.as_ref().expect("a NIC"))
        .await
        .expect("NIC");
    let subnet = nic.properties["ipConfigurations"][0]["properties"]["subnet"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        subnet.contains("/virtualnetworks/rg-app-prod-vnet/subnets/"),
        "{subnet}"
    );
    assert_eq!(nic.tags.get("rpdesk-run"), Some(&plan.run_id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_swap_from_the_wizard_rolls_the_vm_back_and_keeps_its_old_disks() {
    let dir = crate::restore_support::temp_dir("ui-swap");
    let mut h = restore_app(dir.to_path_buf(), None);
    let c = client(&h);
    let vm_id = crate::restore_support::db_vm();
    let before = c.get_vm(&vm_id, true).await.expect("vm");
    open_point(
        &mut h,
        "Contoso Development",
        "dev-db-01",
        "dev-db-01-rpc",
        "rp-014-app",
    );
    open_wizard(&mut h);
    next(&mut h);
    next(&mut h);
    h.get_by_role_and_label(Role::RadioButton, "Roll dev-db-01 back in place")
        .click();
    h.run_steps(3);
    next(&mut h);
    assert!(
        shown(&h, "typically 5 to 15 minutes"),
        "the downtime is said"
    );
    type_into(&mut h, "Reason", "INC-4711: bad patch");
    assert!(
        h.query_by_role_and_label(Role::Button, "Run restore")
            .is_some_and(|b| b.accesskit_node().is_disabled()),
        "the VM's name must be typed first"
    );
    type_into(
        &mut h,
        "Type dev-db-01 to confirm the rollback in place",
        "dev-db-01",
    );
    let plan = run_to_end(&mut h);
    let vm = c.get_vm(&vm_id, true).await.expect("vm");
    assert_eq!(vm.power_state(), Some(PowerState::Running), "started again");
    let os = plan.disks.iter().find(|p| p.role == "OS").expect("OS");
    assert_eq!(os_disk(&vm), Some(os.disk_id.clone()));
    let data = plan
        .disks
        .iter()
        .find(|p| p.role == "LUN 0")
        .expect("LUN 0");
    assert_eq!(data_at(&vm, 0), Some(data.disk_id.clone()));
    for old in [os_disk(&before), data_at(&before, 0)] {
        let d = c.get_disk(&old.expect("old disk")).await.expect("kept");
        assert!(d.managed_by.is_none(), "detached");
        assert_eq!(d.tags.get("rpdesk-replaced-by"), Some(&plan.run_id));
    }
    assert_disks_as_planned(&c, &plan).await;
}

/// Closes the wizard and folds the tree back up to the subscription.
fn close(h: &mut Harness<'_, App>, vm: &str) {
    h.get_by_role_and_label(Role::Button, "Cancel").click();
    h.run_steps(3);
    assert!(
        h.state().ui.restore_wizard.is_none(),
        "Cancel closed the wizard"
    );
    h.get_by_label(&format!("Collapse {vm}")).click();
    h.run_steps(2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_come_before_any_call_with_their_reason() {
    let dir = crate::restore_support::temp_dir("ui-refuse");
    // Real time: the instant access window below must not run out during the test.
    let mut h = demo_app(dir.to_path_buf(), None, 1.0);

    // A point still being copied: not ready, unless the run waits.
    open_point(
        &mut h,
        "Contoso Production",
        "etl-pv2-01",
        "etl-pv2-01-rpc",
        "rp-in-progress",
    );
    open_wizard(&mut h);
    assert!(shown(&h, "Not ready"));
    assert!(shown(&h, "is not ready: still being copied"));
    assert!(
        h.get_by_role_and_label(Role::Button, "Next")
            .accesskit_node()
            .is_disabled()
    );
    h.get_by_label("Wait until ready, then restore").click();
    h.run_steps(3);
    assert!(
        !h.get_by_role_and_label(Role::Button, "Next")
            .accesskit_node()
            .is_disabled(),
        "waiting is allowed"
    );
    close(&mut h, "etl-pv2-01");

    // A point in instant access (analytics-pv2-01's, for a few more minutes): Azure makes
    // only Premium SSD v2 or Ultra disks from it.
    h.get_by_label("Expand analytics-pv2-01").click();
    h.run_steps(2);
    h.get_by_label("Expand analytics-pv2-01-rpc").click();
    h.run_steps(2);
    h.get_by_label("rp-pre-upgrade").click();
    h.run_steps(3);
    open_wizard(&mut h);
    assert!(shown(&h, "Ready · instant access"));
    next(&mut h);
    pick(&mut h, "LUN 0 type", "Premium SSD");
    assert!(shown(
        &h,
        "Azure creates only Premium SSD v2 or Ultra disks from it"
    ));
    assert!(
        h.get_by_role_and_label(Role::Button, "Next")
            .accesskit_node()
            .is_disabled()
    );
    close(&mut h, "analytics-pv2-01");

    // A point whose VM was deleted: no rollback in place, and why.
    h.get_by_label("Expand Collections without a VM").click();
    h.run_steps(2);
    h.get_by_label("Expand old-app-01-rpc").click();
    h.run_steps(2);
    h.get_by_label("rp-005-app").click();
    h.run_steps(3);
    open_wizard(&mut h);
    next(&mut h);
    next(&mut h);
    let swap = h.get_by_role_and_label(Role::RadioButton, "Roll old-app-01 back in place");
    assert!(
        swap.accesskit_node().is_disabled(),
        "no rollback without the VM"
    );
    assert!(shown(&h, "no longer exists"));
    close(&mut h, "Collections without a VM");
    h.get_by_label("Collapse Contoso Production").click();
    h.run_steps(2);

    // A taken name, Ultra as an OS disk, and a subnet in another region.
    open_point(
        &mut h,
        "Contoso Development",
        "dev-db-01",
        "dev-db-01-rpc",
        "rp-013-crash",
    );
    open_wizard(&mut h);
    next(&mut h);
    let taken = h
        .state()
        .inventory
        .disks
        .keys()
        .find(|d| d.resource_group() == Some("rg-dev-data"))
        .expect("a disk in rg-dev-data")
        .name()
        .to_owned();
    clear_and_type(&mut h, "LUN 0 name", &taken);
    assert!(shown(&h, &format!("A disk named {taken} already exists")));
    pick(&mut h, "OS type", "Ultra Disk");
    h.run_steps(3);
    assert!(shown(&h, "Ultra Disk cannot be an OS disk"));
    assert!(
        h.get_by_role_and_label(Role::Button, "Next")
            .accesskit_node()
            .is_disabled(),
        "Next waits for the fixes"
    );
    pick(&mut h, "OS type", "Premium SSD");
    h.run_steps(2);
    clear_and_type(&mut h, "LUN 0 name", "dev-db-01-data-restored");
    next(&mut h);
    h.get_by_role_and_label(Role::RadioButton, "A new VM")
        .click();
    h.run_steps(3);
    let other = {
        let app = h.state();
        let w = app.ui.restore_wizard.as_ref().expect("wizard");
        let f = app.inventory.restore_facts(&w.point_id, 0).expect("facts");
        assert!(
            w.choices
                .as_ref()
                .and_then(|c| c.new_vm.subnet_id.clone())
                .is_some(),
            "a subnet of the region is proposed"
        );
        f.subnets
            .iter()
            .flatten()
            .find(|s| !s.location.eq_ignore_ascii_case(&f.location))
            .expect("a subnet elsewhere")
            .clone()
    };
    pick(&mut h, "Subnet", &other.label());
    h.run_steps(3);
    assert!(
        shown(&h, &format!("is in {}", other.location)),
        "the subnet is refused"
    );
    assert!(
        h.get_by_role_and_label(Role::Button, "Next")
            .accesskit_node()
            .is_disabled()
    );
    assert!(
        h.state()
            .activity
            .entries()
            .iter()
            .all(|e| !e.title.starts_with("Restore")),
        "nothing was sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escape_closes_the_open_dialog_and_leaves_the_selection_alone() {
    let mut h = harness(app_options(None));
    wait_loaded(&mut h);
    open_production_vm(&mut h, "sap-hana-01");
    h.get_by_role_and_label(Role::Tab, "Supportability").click();
    h.run_steps(2);
    h.get_by_label("Create restore point…").click();
    h.run_steps(3);
    let selected = h.state().ui.selection.clone();
    assert!(matches!(selected, Some(NodeId::Vm(_))));
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(
        h.state().ui.create_dialog.is_none(),
        "Esc closed the dialog"
    );
    assert_eq!(h.state().ui.selection, selected, "and left the tree alone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unfinished_run_is_offered_at_start_up_and_resumes() {
    let dir = crate::restore_support::temp_dir("ui-resume");
    let state_file = dir.join("demo-estate.json");
    let runs = dir.join("runs");
    // A run cut short after its disk restores, on a demo estate kept in a file.
    let emu = rpdesk::emulator::RunningEmulator::start(
        rpdesk::emulator::EmulatorConfig {
            estate: rpdesk::emulator::EstateSpec::Demo,
            state_file: Some(state_file.clone()),
            speed: 600.0,
            ..Default::default()
        },
        "127.0.0.1:0".parse().expect("address"),
    )
    .await
    .expect("emulator");
    let c = crate::restore_support::client_for(&emu.base_url());
    let point = crate::restore_support::db_point();
    let inv = crate::restore_support::inventory(&c, &point).await;
    let plan = crate::restore_support::plan(
        &inv,
        &point,
        rpdesk::restore::Target::Swap,
        "r-startup",
        |ch| ch.safety_point = false,
    );
    let (exec, mut events) = crate::restore_support::executor(&c, &runs);
    let task = tokio::spawn(async move { exec.start(plan, "tester".into()).await });
    while let Some(e) = events.recv().await {
        if let rpdesk::restore::runs::RestoreEvent::Record {
            record: rpdesk::restore::journal::Record::StepStarted { step: 3, .. },
            ..
        } = e
        {
            break;
        }
    }
    task.abort();
    let _ = task.await;
    emu.shutdown().await;

    let mut h = restore_app(dir.to_path_buf(), Some(state_file));
    step_until(&mut h, "the prompt", Duration::from_secs(30), |app| {
        app.restores.scanned
    });
    h.run_steps(3);
    assert!(shown(&h, "Unfinished restore"));
    assert!(shown(&h, "rp-014-app of dev-db-01-rpc"));
    h.get_by_role_and_label(Role::Button, "Resume").click();
    step_until(&mut h, "the run to end", Duration::from_secs(120), |app| {
        app.restores
            .get("r-startup")
            .is_some_and(|r| !r.busy && r.state.phase == Phase::Finished)
    });
    h.run_steps(3);
    assert!(!shown(&h, "Unfinished restore"), "the prompt is gone");
    let c = client(&h);
    let vm = c
        .get_vm(&crate::restore_support::db_vm(), true)
        .await
        .expect("vm");
    assert_eq!(vm.power_state(), Some(PowerState::Running));
    assert_eq!(
        crate::restore_support::created_disks(&c, crate::restore_support::DEV, "r-startup")
            .await
            .len(),
        2,
        "no disk restored twice"
    );
}
