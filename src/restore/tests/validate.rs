//! Refusals before any call, each with the reason on its row.

use super::*;
use crate::restore::validate::{Field, Stage, problems};
use crate::restore::{Readiness, Target};

fn messages(facts: &RestoreFacts, c: &RestoreChoices) -> Vec<String> {
    problems(facts, c).into_iter().map(|p| p.message).collect()
}

fn has(list: &[String], needle: &str) -> bool {
    list.iter().any(|m| m.contains(needle))
}

#[test]
fn defaults_include_every_disk_under_free_names_and_pass() {
    let f = facts();
    for target in [Target::DisksOnly, Target::NewVm, Target::Swap] {
        let c = choices(&f, target);
        assert!(c.disks.iter().all(|d| d.include));
        assert_eq!(c.disks[0].name, "app-01-os-rp-7");
        assert_eq!(c.disks[0].sku, StorageAccountType::PremiumLrs);
        assert_eq!(c.disks[3].size_gb, "1024");
        assert_eq!(problems(&f, &c), Vec::new(), "{target:?}");
    }
}

#[test]
fn opened_on_a_disk_restore_point_only_that_disk_is_included() {
    let f = facts();
    let c = RestoreChoices::defaults(&f, Some(&drp_id("app-01-data-1")));
    let included: Vec<bool> = c.disks.iter().map(|d| d.include).collect();
    assert_eq!(included, vec![false, false, true, false]);
    assert_eq!(c.target, Target::DisksOnly);
}

#[test]
fn a_taken_or_malformed_name_is_refused_on_its_row() {
    let f = facts();
    let mut c = choices(&f, Target::DisksOnly);
    c.disks[1].name = "app-01-data-0".into();
    c.disks[2].name = "bad name".into();
    let p = problems(&f, &c);
    assert!(
        p.iter()
            .any(|p| p.field == Field::Disk(1) && p.message.contains("already exists in rg-app"))
    );
    assert!(
        p.iter()
            .any(|p| p.field == Field::Disk(2) && p.message.contains("not ' '"))
    );
    c.disks[2].name = c.disks[3].name.clone();
    assert!(has(&messages(&f, &c), "Two disks would be named"));
}

#[test]
fn a_disk_smaller_than_its_source_is_refused() {
    let f = facts();
    let mut c = choices(&f, Target::DisksOnly);
    c.disks[3].size_gb = "512".into();
    assert!(has(&messages(&f, &c), "smaller than the source's 1024 GiB"));
    c.disks[3].size_gb = "lots".into();
    assert!(has(&messages(&f, &c), "not a whole number"));
}

#[test]
fn ultra_or_premium_v2_as_os_disk_is_refused() {
    let f = facts();
    let mut c = choices(&f, Target::NewVm);
    c.disks[0].sku = StorageAccountType::UltraSsdLrs;
    let p = problems(&f, &c);
    assert!(
        p.iter()
            .any(|p| p.field == Field::Disk(0) && p.message.contains("cannot be an OS disk"))
    );
}

#[test]
fn an_instant_access_point_restores_only_to_premium_v2_or_ultra_and_not_larger() {
    let mut f = facts();
    f.disks[2].access_state = Some(SnapshotAccessState::InstantAccess);
    f.disks[2].sku = Some(StorageAccountType::PremiumV2Lrs);
    let mut c = choices(&f, Target::DisksOnly);
    c.disks[2].sku = StorageAccountType::PremiumLrs;
    assert!(has(
        &messages(&f, &c),
        "Azure creates only Premium SSD v2 or Ultra disks from it"
    ));
    c.disks[2].sku = StorageAccountType::PremiumV2Lrs;
    c.disks[2].size_gb = "1024".into();
    assert!(has(
        &messages(&f, &c),
        "cannot be larger than the snapshot (512 GiB)"
    ));
    c.disks[2].size_gb = "512".into();
    assert_eq!(messages(&f, &c), Vec::<String>::new());
}

#[test]
fn a_4096_sector_point_restores_only_to_premium_v2_or_ultra() {
    let mut f = facts();
    f.disks[3].logical_sector_size = Some(4096);
    let c = choices(&f, Target::DisksOnly);
    assert!(has(&messages(&f, &c), "4096-byte sectors"));
}

#[test]
fn a_pending_point_is_refused_unless_the_run_waits_for_it() {
    let mut f = facts();
    f.disks[2].access_state = Some(SnapshotAccessState::Pending);
    f.disks[2].completion_percent = Some(37.0);
    assert!(matches!(f.disks[2].readiness(), Readiness::NotReady { .. }));
    let mut c = choices(&f, Target::DisksOnly);
    let p = problems(&f, &c);
    assert!(p.iter().any(|p| p.stage == Stage::Source
        && p.field == Field::Disk(2)
        && p.message.contains("37%")));
    c.wait_until_ready = true;
    assert_eq!(problems(&f, &c), Vec::new());
}

#[test]
fn premium_v2_needs_a_zone_in_a_zonal_region() {
    let f = facts();
    let mut c = choices(&f, Target::DisksOnly);
    c.disks[3].sku = StorageAccountType::PremiumV2Lrs;
    c.disks[3].zone = String::new();
    assert!(has(
        &messages(&f, &c),
        "needs an availability zone in eastus"
    ));
    c.disks[3].zone = "2".into();
    assert_eq!(messages(&f, &c), Vec::<String>::new());
}

#[test]
fn a_swap_is_refused_when_the_vm_is_gone_saying_why() {
    let mut f = facts();
    f.live_vm = None;
    f.vm_missing_reason = Some("app-01 was deleted".into());
    let c = choices(&f, Target::Swap);
    assert!(has(&messages(&f, &c), "app-01 was deleted"));
}

#[test]
fn a_swap_keeps_the_os_disk_size_and_encryption_set() {
    let mut f = facts();
    let des = format!(
        "{}/providers/Microsoft.Compute/diskEncryptionSets/des-1",
        rg("rg-app")
    );
    if let Some(d) = f.live_vm.as_mut().and_then(|v| v.os_disk.as_mut()) {
        d.disk_encryption_set_id = Some(des.clone());
        d.size_gb = Some(256.0);
    }
    let mut c = choices(&f, Target::Swap);
    assert_eq!(c.disks[0].size_gb, "256");
    assert_eq!(c.disks[0].disk_encryption_set_id, des);
    assert_eq!(problems(&f, &c), Vec::new());
    c.disks[0].size_gb = "300".into();
    c.disks[0].disk_encryption_set_id.clear();
    let m = messages(&f, &c);
    assert!(has(&m, "Must be 256 GiB"));
    assert!(has(&m, "encrypted with des-1"));
}

#[test]
fn a_subnet_in_another_region_is_refused() {
    let f = facts();
    let mut c = choices(&f, Target::NewVm);
    assert_eq!(c.new_vm.subnet_id, Some(subnet("vnet-app", "default")));
    c.new_vm.subnet_id = Some(subnet("vnet-eu", "default"));
    let p = problems(&f, &c);
    assert!(
        p.iter()
            .any(|p| p.field == Field::Subnet && p.message.contains("is in westeurope"))
    );
}

#[test]
fn a_new_vm_name_that_is_taken_is_refused() {
    let f = facts();
    let mut c = choices(&f, Target::NewVm);
    assert_eq!(c.new_vm.name, "app-01-restored");
    c.new_vm.name = "app-01".into();
    assert!(has(&messages(&f, &c), "A VM named app-01 already exists"));
}

#[test]
fn review_needs_a_reason_and_a_swap_needs_the_typed_name() {
    let f = facts();
    let mut c = choices(&f, Target::Swap);
    c.reason = "  ".into();
    c.confirm_name = "app-1".into();
    let p = problems(&f, &c);
    assert!(p.iter().any(|p| p.field == Field::Reason));
    assert!(
        p.iter()
            .any(|p| p.field == Field::ConfirmName && p.message.contains("app-01"))
    );
}

#[test]
fn a_vm_target_requires_the_os_disk() {
    let f = facts();
    let mut c = choices(&f, Target::NewVm);
    c.disks[0].include = false;
    assert!(has(&messages(&f, &c), "The OS disk is required"));
}
