//! Benchmark: assess a synthetic fleet of 10,000 VMs in both modes.
//!
//! `cargo bench --bench rules` (add `--profile dev` to skip an optimized build of every
//! dependency). Prints the time per VM and mode, which the fleet grid pays per visible row.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark may stop at the first surprise

use std::hint::black_box;
use std::time::{Duration, Instant};

use rpdesk::inventory::{Inventory, RegionCounts};
use rpdesk::model::{Disk, RestorePointCollection, Timestamp, VirtualMachine};
use rpdesk::rules::{Mode, VmFacts, assess, assess_both, same_id};
use serde_json::{Value, json};

use support::Lcg;

mod support;

const VMS: usize = 10_000;
const POINTS_PER_VM: usize = 10;
const SUB: &str = "00000000-0000-0000-0000-0000000000b1";

struct Fleet {
    vms: Vec<VirtualMachine>,
    disks: Vec<Vec<Disk>>,
    collections: Vec<RestorePointCollection>,
}

fn build_fleet() -> Result<Fleet, serde_json::Error> {
    const SKUS: &[&str] = &[
        "Premium_LRS",
        "StandardSSD_LRS",
        "Standard_LRS",
        "PremiumV2_LRS",
        "UltraSSD_LRS",
        "Premium_ZRS",
    ];
    const SIZES: &[&str] = &[
        "Standard_D4s_v5",
        "Standard_D8ds_v6",
        "Standard_E4as_v7",
        "Standard_DS3_v2",
        "Standard_B2s",
    ];
    const REGIONS: &[&str] = &["westus2", "eastus", "westeurope", "southcentralus"];
    const STATES: &[&str] = &["running", "running", "running", "deallocated"];
    let mut rng = Lcg(42);
    let now = 1_768_046_400; // 2026-01-10T12:00:00Z
    let mut fleet = Fleet {
        vms: Vec::with_capacity(VMS),
        disks: Vec::with_capacity(VMS),
        collections: Vec::with_capacity(VMS),
    };
    for i in 0..VMS {
        let rg = format!("rg{}", i % 50);
        let name = format!("vm{i:05}");
        let vm_id = format!(
            "/subscriptions/{SUB}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}"
        );
        let disk_id = |d: &str| {
            format!(
                "/subscriptions/{SUB}/resourceGroups/{rg}/providers/Microsoft.Compute/disks/{d}"
            )
        };
        let data_count = rng.next(5) as usize;
        let mut data = Vec::new();
        let mut disks = vec![
            json!({ "id": disk_id(&format!("{name}-os")), "name": format!("{name}-os"),
            "sku": { "name": "Premium_LRS" }, "properties": { "maxShares": 1 } }),
        ];
        for lun in 0..data_count {
            let dname = format!("{name}-data{lun}");
            let sku = SKUS[rng.next(SKUS.len() as u64) as usize];
            let caching = if rng.next(4) == 0 {
                "ReadWrite"
            } else {
                "None"
            };
            data.push(
                json!({ "lun": lun, "name": dname, "createOption": "Attach", "caching": caching,
                "writeAcceleratorEnabled": rng.next(20) == 0,
                "managedDisk": { "id": disk_id(&dname), "storageAccountType": sku } }),
            );
            disks.push(
                json!({ "id": disk_id(&dname), "name": dname, "sku": { "name": sku },
                "properties": { "maxShares": if rng.next(15) == 0 { 2 } else { 1 } } }),
            );
        }
        let vm: Value = json!({
            "id": vm_id, "name": name, "location": REGIONS[rng.next(REGIONS.len() as u64) as usize],
            "properties": {
                "vmId": format!("00000000-0000-0000-0000-{i:012}"),
                "hardwareProfile": { "vmSize": SIZES[rng.next(SIZES.len() as u64) as usize] },
                "storageProfile": {
                    "imageReference": { "publisher": "MicrosoftWindowsServer", "offer": "WindowsServer", "sku": "2022-datacenter" },
                    "osDisk": { "osType": if i % 2 == 0 { "Windows" } else { "Linux" }, "name": format!("{name}-os"),
                                "caching": "ReadWrite", "managedDisk": { "id": disk_id(&format!("{name}-os")), "storageAccountType": "Premium_LRS" } },
                    "dataDisks": data },
                "instanceView": { "osName": "Windows Server 2022 Datacenter",
                                  "statuses": [ { "code": format!("PowerState/{}", STATES[rng.next(4) as usize]) } ] } } });
        let points: Vec<Value> = (0..POINTS_PER_VM)
            .map(|p| {
                let t = now - 3_600 * (4 * p as i64 + rng.next(4) as i64);
                json!({ "id": format!("{vm_id}-rpc/restorePoints/rp{p}"), "name": format!("rp{p}"),
                    "properties": { "consistencyMode": if p % 3 == 0 { "CrashConsistent" } else { "ApplicationConsistent" },
                        "timeCreated": Timestamp::from_unix_secs(t).to_rfc3339(), "provisioningState": "Succeeded" } })
            })
            .collect();
        let rpc = json!({ "id": format!("/subscriptions/{SUB}/resourceGroups/{rg}/providers/Microsoft.Compute/restorePointCollections/{name}-rpc"),
            "name": format!("{name}-rpc"), "location": "westus2",
            "properties": { "source": { "id": vm_id }, "restorePoints": points } });
        fleet.vms.push(serde_json::from_value(vm)?);
        fleet.disks.push(
            disks
                .into_iter()
                .map(serde_json::from_value)
                .collect::<Result<_, _>>()?,
        );
        fleet.collections.push(serde_json::from_value(rpc)?);
    }
    Ok(fleet)
}

fn facts<'a>(fleet: &'a Fleet, i: usize) -> VmFacts<'a> {
    let disks = &fleet.disks[i];
    let mut f = VmFacts::new(&fleet.vms[i])
        .with_disks(|id| disks.iter().find(|d| same_id(d.id.as_str(), id)));
    f.collections = vec![&fleet.collections[i]];
    f.target_collection = Some(&fleet.collections[i].id);
    f.collections_in_subscription_region = 2_500;
    f
}

/// The same fleet as the app holds it: an `Inventory` fed the backend's events.
fn inventory(fleet: &Fleet) -> Inventory {
    support::inventory(
        SUB,
        fleet.vms.clone(),
        fleet.disks.iter().flatten().cloned().collect(),
        &fleet.collections,
    )
}

/// What the Supportability tab and the fleet grid pay: facts built from the inventory
/// (collections rebuilt with their points) plus both modes.
fn bench_from_inventory(fleet: &Fleet, now: Timestamp) {
    let inv = inventory(fleet);
    let ids: Vec<_> = fleet.vms.iter().map(|v| v.id.clone()).collect();
    let mut best_counts = Duration::MAX;
    let mut best_rows = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let counts = black_box(RegionCounts::of(&inv));
        best_counts = best_counts.min(start.elapsed());
        let start = Instant::now();
        for id in &ids {
            if let Some(source) = inv.facts_source(id, &counts) {
                black_box(assess_both(&source.facts(), now));
            }
        }
        best_rows = best_rows.min(start.elapsed());
    }
    println!(
        "from the inventory: collection counts {:.2} ms once; facts + assess_both for {VMS} VMs: {:.1} ms total, {:.1} µs per VM row (best of 3)",
        best_counts.as_secs_f64() * 1e3,
        best_rows.as_secs_f64() * 1e3,
        best_rows.as_secs_f64() * 1e6 / VMS as f64
    );
}

fn main() -> Result<(), serde_json::Error> {
    let setup = Instant::now();
    let fleet = build_fleet()?;
    println!(
        "built {VMS} synthetic VMs ({POINTS_PER_VM} points each) in {:.2?}",
        setup.elapsed()
    );
    let now = Timestamp::from_unix_secs(1_768_046_400);

    let mut best_both = Duration::MAX;
    let mut best_one = Duration::MAX;
    let mut verdicts = [0usize; 4];
    for round in 0..5 {
        let start = Instant::now();
        for i in 0..VMS {
            let f = facts(&fleet, i);
            let both = black_box(assess_both(&f, now));
            if round == 0 {
                for a in &both {
                    let k = match a.verdict {
                        rpdesk::rules::Verdict::Supported => 0,
                        rpdesk::rules::Verdict::SupportedWithExclusions => 1,
                        rpdesk::rules::Verdict::NotYet { .. } => 2,
                        rpdesk::rules::Verdict::NotSupported => 3,
                    };
                    verdicts[k] += 1;
                }
            }
        }
        best_both = best_both.min(start.elapsed());
        let start = Instant::now();
        for i in 0..VMS {
            black_box(assess(&facts(&fleet, i), Mode::CrashConsistent, now));
        }
        best_one = best_one.min(start.elapsed());
    }
    let per = |d: Duration| d.as_secs_f64() * 1e6 / VMS as f64;
    println!(
        "verdicts over {} VM-modes: supported {}, with exclusions {}, not yet {}, not supported {}",
        2 * VMS,
        verdicts[0],
        verdicts[1],
        verdicts[2],
        verdicts[3]
    );
    println!(
        "assess_both (facts + both modes) for {VMS} VMs: {:.1} ms total, {:.1} µs per VM (best of 5)",
        best_both.as_secs_f64() * 1e3,
        per(best_both)
    );
    println!(
        "assess (facts + one mode, recommendation included) for {VMS} VMs: {:.1} ms total, {:.1} µs per VM-row (best of 5)",
        best_one.as_secs_f64() * 1e3,
        per(best_one)
    );
    bench_from_inventory(&fleet, now);
    Ok(())
}
