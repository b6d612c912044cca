//! Every response body in Microsoft's examples (`RPDESK_ARM_EXAMPLES`, the shared
//! `arm-examples/` folder) has a counterpart the emulator produces with the same property
//! names and nesting: every key path of the example exists in the emulator's body (objects
//! recursively, arrays by their first element; the keys inside `tags` are data and are
//! skipped). Extra properties on the emulator's side are allowed, as ARM adds them too.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};

fn missing(example: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (example, actual) {
        (Value::Object(ex), Value::Object(ac)) => {
            for (k, v) in ex {
                let p = format!("{path}.{k}");
                match ac.get(k) {
                    None => out.push(p),
                    Some(_) if k == "tags" => {}
                    Some(a) => missing(v, a, &p, out),
                }
            }
        }
        (Value::Object(_), other) => out.push(format!("{path} (object expected, got {other})")),
        (Value::Array(ex), Value::Array(ac)) => {
            if let Some(first) = ex.first() {
                match ac.first() {
                    Some(a) => missing(first, a, &format!("{path}[0]"), out),
                    None => out.push(format!("{path}[0] (emulator array is empty)")),
                }
            }
        }
        (Value::Array(_), other) => out.push(format!("{path} (array expected, got {other})")),
        _ => {}
    }
}

/// Union of the key structure of several bodies (for synthetic examples that mix
/// properties no single real resource has, such as a VMSS `managedBy` and an
/// availability set).
fn merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.is_empty() {
                a.extend(b.iter().take(1).cloned());
            } else if let (Some(x), Some(y)) = (a.first_mut(), b.first()) {
                merge(x, y);
            }
        }
        (slot @ Value::Null, other) => *slot = other.clone(),
        _ => {}
    }
}

async fn op_done(e: &Emu, r: reqwest::Response) -> (u16, Value) {
    let op = r
        .headers()
        .get("azure-asyncoperation")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let out = status_json(r).await;
    if let Some(op) = op {
        assert_eq!(e.wait_op(&op).await["status"], "Succeeded", "{}", out.1);
    }
    out
}

/// Builds the counterparts: demo resources plus a Windows VM with Premium SSD v2 disks,
/// an instant access collection and a point that excludes a disk, made through the API.
async fn counterparts(e: &Emu) -> BTreeMap<&'static str, Value> {
    let mut c = BTreeMap::new();
    let rg = rg_path(PROD, "rg-shapes");
    e.put(&rg, "2021-04-01", json!({ "location": "westus2" }))
        .await;
    let vnet = format!("{rg}/providers/Microsoft.Network/virtualNetworks/shapes-vnet");
    let (_, v) = e.put(&vnet, "2024-05-01", json!({ "location": "westus2", "properties": { "addressSpace": { "addressPrefixes": ["10.9.0.0/16"] },
        "subnets": [ { "name": "default", "properties": { "addressPrefix": "10.9.0.0/24" } } ] } })).await;
    let subnet = v["properties"]["subnets"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut nics = Vec::new();
    for n in ["shapes-nic-1", "shapes-nic-2"] {
        let nic = format!("{rg}/providers/Microsoft.Network/networkInterfaces/{n}");
        e.put(&nic, "2024-05-01", json!({ "location": "westus2", "properties": { "ipConfigurations": [ { "name": "ipconfig1", "properties": { "subnet": { "id": subnet } } } ] } })).await;
        nics.push(nic);
    }
    let vm = format!("{rg}/providers/Microsoft.Compute/virtualMachines/shapes-win-01");
    // Zonal: a Premium SSD v2 disk needs a zone in westus2.
    let r = e.send(Method::PUT, &e.url(&vm, CRP), Some(json!({ "location": "westus2", "zones": ["1"], "properties": {
        "hardwareProfile": { "vmSize": "Standard_E4s_v5" },
        "storageProfile": {
            "imageReference": { "publisher": "MicrosoftWindowsServer", "offer": "WindowsServer", "sku": "2022-datacenter-azure-edition", "version": "latest" },
            "osDisk": { "createOption": "FromImage", "caching": "ReadWrite", "managedDisk": { "storageAccountType": "Premium_LRS" } },
            "dataDisks": [ { "lun": 0, "createOption": "Empty", "diskSizeGB": 256, "managedDisk": { "storageAccountType": "PremiumV2_LRS" } },
                           { "lun": 1, "createOption": "Empty", "diskSizeGB": 64, "managedDisk": { "storageAccountType": "Standard_LRS" } } ],
            "diskControllerType": "NVMe" },
        "osProfile": { "computerName": "shapes-win-01", "adminUsername": "azureadmin", "adminPassword": "not-stored" },
        "userData": "c2FtcGxlIHVzZXJEYXRh",
        "networkProfile": { "networkInterfaces": [ { "id": nics[0], "properties": { "primary": true } } ] } } }))).await;
    let (s, b) = op_done(e, r).await;
    assert_eq!(s, 201, "{b}");
    let rpc = format!("{rg}/providers/Microsoft.Compute/restorePointCollections/shapes-rpc");
    let (s, b) = e.put(&rpc, CRP, json!({ "location": "westus2", "tags": { "myTag1": "tagValue1" }, "properties": { "source": { "id": vm }, "instantAccess": true } })).await;
    assert_eq!(s, 201, "{b}");
    let excluded = format!("{rg}/providers/Microsoft.Compute/disks/shapes-win-01_DataDisk_1");
    let r = e
        .send(
            Method::PUT,
            &e.url(&format!("{rpc}/restorePoints/rpName"), CRP),
            Some(json!({ "properties": {
        "excludeDisks": [ { "id": excluded } ], "instantAccessDurationMinutes": 120 } })),
        )
        .await;
    let (s, created) = op_done(e, r).await;
    assert_eq!(s, 201, "{created}");
    c.insert("RestorePoints_Create.json", created);
    c.insert("RestorePointCollections_Get.json", e.get(&rpc, CRP).await.1);
    c.insert(
        "RestorePointCollections_Get_expandRestorePoints.json",
        e.get(&format!("{rpc}?$expand=restorePoints"), CRP).await.1,
    );
    let (_, point) = e
        .get(
            &format!("{rpc}/restorePoints/rpName?$expand=instanceView"),
            CRP,
        )
        .await;
    c.insert("RestorePoints_Get_expandInstanceView.json", point.clone());
    let drps = point["properties"]["instanceView"]["diskRestorePoints"]
        .as_array()
        .unwrap();
    let os_drp = drps[0]["id"].as_str().unwrap().to_owned();
    let data_drp = drps[1]["id"].as_str().unwrap().to_owned();
    c.insert("DiskRestorePoint_Get.json", e.get(&os_drp, DRP).await.1);

    // A cross-region copy that has finished (demo: sql-prod-01 copied to centralus).
    let copy = format!(
        "{}/restorePoints/rp-019-app-copy?$expand=instanceView",
        rpc_path(PROD, "rg-sql-prod", "sql-prod-01-rpc-centralus")
    );
    let (_, cp) = e.get(&copy, CRP).await;
    let copy_drp = cp["properties"]["instanceView"]["diskRestorePoints"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    c.insert(
        "DiskRestorePoint_Get_crossRegion.json",
        e.get(&copy_drp, DRP).await.1,
    );

    // beginGetAccess: 202 then the final Location body.
    let r = e
        .send(
            Method::POST,
            &e.url(&format!("{os_drp}/beginGetAccess"), DRP),
            Some(json!({ "access": "Read", "durationInSeconds": 300, "fileFormat": "VHDX" })),
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    let loc = r.headers()["location"].to_str().unwrap().to_owned();
    e.advance(60.0).await;
    c.insert(
        "DiskRestorePoint_GrantAccess.json",
        status_json(e.send(Method::GET, &loc, None).await).await.1,
    );
    e.send(
        Method::POST,
        &e.url(&format!("{os_drp}/endGetAccess"), DRP),
        None,
    )
    .await;

    // Disk PUT (Restore is the restore-point analogue of the Copy example).
    let disk = format!("{rg}/providers/Microsoft.Compute/disks/myDisk");
    let r = e.send(Method::PUT, &e.url(&disk, DRP), Some(json!({ "location": "westus2", "properties": { "creationData": { "createOption": "Restore", "sourceResourceId": os_drp } } }))).await;
    let (s, d) = op_done(e, r).await;
    assert_eq!(s, 202, "{d}");
    c.insert("Disks_CreateOrUpdate_ByCopyingASnapshot.json", d);

    // VM PUT with a data disk restored from a disk restore point. The example grows the
    // disk to 1023 GB; this source is an instant access snapshot, which cannot grow, so the
    // disk keeps its 256 GB (same shape).
    let vm2 = format!("{rg}/providers/Microsoft.Compute/virtualMachines/myVM");
    let r = e.send(Method::PUT, &e.url(&vm2, CRP), Some(json!({ "location": "westus2", "zones": ["1"], "properties": {
        "hardwareProfile": { "vmSize": "Standard_D2_v2" },
        "storageProfile": {
            "imageReference": { "sku": "2016-Datacenter", "publisher": "MicrosoftWindowsServer", "version": "latest", "offer": "WindowsServer" },
            "osDisk": { "caching": "ReadWrite", "managedDisk": { "storageAccountType": "Standard_LRS" }, "name": "myVMosdisk", "createOption": "FromImage" },
            "dataDisks": [ { "diskSizeGB": 256, "createOption": "Restore", "sourceResource": { "id": data_drp }, "lun": 2 } ] },
        "osProfile": { "adminUsername": "azureadmin", "computerName": "myVM", "adminPassword": "not-stored" },
        "networkProfile": { "networkInterfaces": [ { "id": nics[1], "properties": { "primary": true } } ] } } }))).await;
    let (s, v2) = op_done(e, r).await;
    assert_eq!(s, 201, "{v2}");
    c.insert(
        "VirtualMachines_CreateOrUpdate_WithDataDisksFromSourceResource.json",
        v2,
    );

    // VM GET: the union over the demo's production VMs (see `merge`).
    let all = e
        .list_all(
            &format!("/subscriptions/{PROD}/providers/Microsoft.Compute/virtualMachines"),
            CRP,
        )
        .await;
    let mut union = Value::Null;
    for v in &all {
        let (_, full) = e
            .get(
                &format!("{}?$expand=userData", v["id"].as_str().unwrap()),
                CRP,
            )
            .await;
        merge(&mut union, &full);
    }
    c.insert("VirtualMachines_Get.json", union);
    c.insert(
        "VirtualMachines_InstanceView.json",
        e.get(
            &format!("{}/instanceView", vm_id(PROD, "rg-sql-prod", "sql-prod-01")),
            CRP,
        )
        .await
        .1,
    );
    c
}

#[tokio::test]
async fn every_arm_example_body_has_an_emulator_counterpart_with_the_same_shape() {
    let Some(dir) = std::env::var_os("RPDESK_ARM_EXAMPLES").map(PathBuf::from) else {
        println!(
            "note: RPDESK_ARM_EXAMPLES is not set; skipping the arm-examples shape comparison"
        );
        return;
    };
    let e = start().await;
    let counterparts = counterparts(&e).await;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no examples in {}", dir.display());
    let mut problems = Vec::new();
    let mut compared = 0;
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let example: Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        let Some(actual) = counterparts.get(name.as_str()) else {
            problems.push(format!("{name}: no counterpart"));
            continue;
        };
        for (status, resp) in example["responses"].as_object().unwrap() {
            let Some(body) = resp.get("body") else {
                continue;
            };
            let mut out = Vec::new();
            missing(body, actual, "$", &mut out);
            compared += 1;
            for m in out {
                problems.push(format!("{name} [{status}]: {m}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "shape differences:\n{}",
        problems.join("\n")
    );
    println!(
        "compared {compared} example bodies from {} files",
        files.len()
    );
}

#[test]
fn the_shape_comparison_notices_missing_and_misnested_keys() {
    let example = json!({ "a": { "b": 1, "c": [ { "d": 1 } ] }, "tags": { "x": "y" } });
    let mut out = Vec::new();
    missing(
        &example,
        &json!({ "a": { "b": 2, "c": [ { "d": 3, "e": 4 } ] }, "tags": {} }),
        "$",
        &mut out,
    );
    assert!(out.is_empty(), "{out:?}");
    missing(
        &example,
        &json!({ "a": { "c": [] }, "tags": {} }),
        "$",
        &mut out,
    );
    assert_eq!(out, ["$.a.b", "$.a.c[0] (emulator array is empty)"]);
    out.clear();
    missing(
        &example,
        &json!({ "a": { "b": 1, "c": { "d": 1 } }, "tags": {} }),
        "$",
        &mut out,
    );
    assert_eq!(out.len(), 1);
}
