//! What Azure enforces on the calls of a restore — restoring disks from disk restore
//! points, building a VM from restored disks, swapping disks into an existing VM — each
//! refused over real HTTP with Azure's status, code and message.

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};

const DR: &str = "3c9b7e25-8d41-4f6a-a0c3-5e7b1d2f9a03";
const NET: &str = "2024-05-01";

fn disk_path(sub: &str, rg: &str, name: &str) -> String {
    format!(
        "{}/providers/Microsoft.Compute/disks/{name}",
        rg_path(sub, rg)
    )
}

fn message(b: &Value) -> &str {
    b["error"]["message"].as_str().unwrap_or("")
}

fn target(b: &Value) -> &str {
    b["error"]["target"].as_str().unwrap_or("")
}

/// Sends a write and, when it starts an operation, waits for the operation to end.
async fn write(e: &Emu, method: Method, path: &str, api: &str, body: Value) -> (u16, Value) {
    let r = e.send(method, &e.url(path, api), Some(body)).await;
    let op = r
        .headers()
        .get("azure-asyncoperation")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let out = status_json(r).await;
    if let Some(op) = op {
        assert_eq!(e.wait_op(&op).await["status"], "Succeeded", "{path}");
    }
    out
}

/// The disk restore point of the OS disk (`lun` None) or of a data disk of a point.
async fn drp(e: &Emu, sub: &str, rg: &str, rpc: &str, rp: &str, lun: Option<i64>) -> String {
    let (s, p) = e
        .get(
            &format!("{}/restorePoints/{rp}", rpc_path(sub, rg, rpc)),
            CRP,
        )
        .await;
    assert_eq!(s, 200, "{p}");
    let sp = &p["properties"]["sourceMetadata"]["storageProfile"];
    let disk = match lun {
        None => &sp["osDisk"],
        Some(l) => sp["dataDisks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["lun"] == l)
            .unwrap(),
    };
    disk["diskRestorePoint"]["id"].as_str().unwrap().to_owned()
}

/// A Disk PUT restoring `drp` with `extra` merged into the body (`zones`, `sku`,
/// `properties.diskSizeGB`, ...).
fn restore_body(location: &str, drp: &str, extra: Value) -> Value {
    let mut body = json!({ "location": location,
        "properties": { "creationData": { "createOption": "Restore", "sourceResourceId": drp } } });
    if let Some(m) = extra.as_object() {
        for (k, v) in m {
            if k == "properties" {
                for (pk, pv) in v.as_object().unwrap() {
                    body["properties"][pk] = pv.clone();
                }
            } else {
                body[k] = v.clone();
            }
        }
    }
    body
}

async fn restore(e: &Emu, disk: &str, location: &str, drp: &str, extra: Value) -> (u16, Value) {
    write(
        e,
        Method::PUT,
        disk,
        DRP,
        restore_body(location, drp, extra),
    )
    .await
}

/// A NIC on the demo network of a resource group (`{rg}-vnet`, subnet `default`).
async fn nic(e: &Emu, sub: &str, rg: &str, location: &str, name: &str) -> String {
    let subnet = format!(
        "{}/providers/Microsoft.Network/virtualNetworks/{rg}-vnet/subnets/default",
        rg_path(sub, rg)
    );
    let path = format!(
        "{}/providers/Microsoft.Network/networkInterfaces/{name}",
        rg_path(sub, rg)
    );
    let (s, b) = e.put(&path, NET, json!({ "location": location, "properties": {
        "ipConfigurations": [ { "name": "ipconfig1", "properties": { "subnet": { "id": subnet } } } ] } })).await;
    assert_eq!(s, 201, "{b}");
    path
}

/// A VM PUT that attaches `os_disk` as the OS disk.
fn attach_vm_body(location: &str, os_disk: &str, nic: &str) -> Value {
    json!({ "location": location, "properties": {
        "hardwareProfile": { "vmSize": "Standard_D2s_v5" },
        "storageProfile": { "osDisk": { "createOption": "Attach", "managedDisk": { "id": os_disk } } },
        "networkProfile": { "networkInterfaces": [ { "id": nic, "properties": { "primary": true } } ] } } })
}

/// dev-db-01's newest OS disk restored as `name` in rg-dev-data (northeurope, no zone).
async fn restored_dev_db_os(e: &Emu, name: &str) -> String {
    let src = drp(e, DEV, "rg-dev-data", "dev-db-01-rpc", "rp-014-app", None).await;
    let disk = disk_path(DEV, "rg-dev-data", name);
    let (s, b) = restore(e, &disk, "northeurope", &src, json!({})).await;
    assert_eq!(s, 202, "{b}");
    disk
}

#[tokio::test]
async fn attached_os_disk_with_os_profile_is_refused() {
    let e = start().await;
    let os = restored_dev_db_os(&e, "restored-os").await;
    let nic = nic(&e, DEV, "rg-dev-data", "northeurope", "restored-nic").await;
    let mut body = attach_vm_body("northeurope", &os, &nic);
    body["properties"]["osProfile"] =
        json!({ "computerName": "restored", "adminUsername": "azureadmin" });
    let vm = vm_id(DEV, "rg-dev-data", "restored-db");
    let (s, b) = e.put(&vm, CRP, body).await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(message(&b), "Parameter 'osProfile' is not allowed.");
    assert_eq!(target(&b), "osProfile");
    let (s, b) = write(
        &e,
        Method::PUT,
        &vm,
        CRP,
        attach_vm_body("northeurope", &os, &nic),
    )
    .await;
    assert_eq!(s, 201, "{b}");
}

#[tokio::test]
async fn attached_os_disk_with_image_reference_is_refused() {
    let e = start().await;
    let os = restored_dev_db_os(&e, "restored-os").await;
    let nic = nic(&e, DEV, "rg-dev-data", "northeurope", "restored-nic").await;
    let mut body = attach_vm_body("northeurope", &os, &nic);
    body["properties"]["storageProfile"]["imageReference"] = json!({ "publisher": "canonical",
        "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts-gen2", "version": "latest" });
    let (s, b) = e
        .put(&vm_id(DEV, "rg-dev-data", "restored-db"), CRP, body)
        .await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(
        message(&b),
        "Cannot attach an existing OS disk if the VM is created from a platform, user or a shared gallery image."
    );
    assert_eq!(target(&b), "osDisk");
}

/// file-server-01 (Windows, built FromImage) with its newest OS disk restored beside it.
async fn file_server_with_restored_os(e: &Emu, extra: Value) -> (String, String) {
    let vm = vm_id(PROD, "rg-files-prod", "file-server-01");
    let src = drp(
        e,
        PROD,
        "rg-files-prod",
        "file-server-01-rpc",
        "rp-021-app",
        None,
    )
    .await;
    let disk = disk_path(PROD, "rg-files-prod", "file-server-01-os-restored");
    let (s, b) = restore(e, &disk, "eastus", &src, extra).await;
    assert_eq!(s, 202, "{b}");
    let (s, _) = write(e, Method::POST, &format!("{vm}/deallocate"), CRP, json!({})).await;
    assert_eq!(s, 202);
    (vm, disk)
}

#[tokio::test]
async fn os_disk_swap_refuses_any_changed_os_disk_property_and_keeps_the_original_create_option() {
    let e = start().await;
    let (vm, disk) = file_server_with_restored_os(&e, json!({})).await;
    let changes = [
        ("createOption", json!("Attach")),
        ("osType", json!("Linux")),
        ("caching", json!("None")),
        ("writeAcceleratorEnabled", json!(true)),
        ("diskSizeGB", json!(256)),
        (
            "diffDiskSettings",
            json!({ "option": "Local", "placement": "CacheDisk" }),
        ),
    ];
    for (property, value) in changes {
        let mut os = json!({ "managedDisk": { "id": disk } });
        os[property] = value;
        let body = json!({ "properties": { "storageProfile": { "osDisk": os } } });
        for method in [Method::PATCH, Method::PUT] {
            let mut body = body.clone();
            if method == Method::PUT {
                body["location"] = json!("eastus");
            }
            let r = e.send(method.clone(), &e.url(&vm, CRP), Some(body)).await;
            let (s, b) = status_json(r).await;
            assert_eq!(
                (s, code(&b)),
                (409, "PropertyChangeNotAllowed"),
                "{method} {property}: {b}"
            );
            assert_eq!(
                message(&b),
                format!("Changing property 'osDisk.{property}' is not allowed.")
            );
        }
    }
    // The current values, in any case, and the new disk's own size are accepted.
    let (s, b) = write(&e, Method::PATCH, &vm, CRP, json!({ "properties": { "storageProfile": { "osDisk": {
        "createOption": "fromimage", "osType": "windows", "caching": "readwrite", "diskSizeGB": 127,
        "writeAcceleratorEnabled": false, "name": "file-server-01-os-restored", "managedDisk": { "id": disk } } } } })).await;
    assert_eq!(s, 200, "{b}");
    let (_, v) = e.get(&vm, CRP).await;
    let os = &v["properties"]["storageProfile"]["osDisk"];
    assert_eq!(os["createOption"], "FromImage", "{os}");
    assert_eq!(os["name"], "file-server-01-os-restored");
    assert!(
        os["managedDisk"]["id"]
            .as_str()
            .unwrap()
            .eq_ignore_ascii_case(&disk)
    );
}

#[tokio::test]
async fn os_disk_swap_needs_a_disk_of_the_same_size() {
    let e = start().await;
    let (vm, disk) =
        file_server_with_restored_os(&e, json!({ "properties": { "diskSizeGB": 256 } })).await;
    let r = e
        .send(
            Method::PATCH,
            &e.url(&vm, CRP),
            Some(json!({ "properties": { "storageProfile": { "osDisk": { "managedDisk": { "id": disk } } } } })),
        )
        .await;
    let (s, b) = status_json(r).await;
    assert_eq!((s, code(&b)), (409, "ResizeDiskError"), "{b}");
    assert!(message(&b).contains("256 GB"), "{b}");
    assert!(message(&b).contains("127 GB"), "{b}");
}

#[tokio::test]
async fn os_disk_swap_needs_both_disks_in_the_same_disk_encryption_set() {
    let e = start().await;
    // sql-prod-01's disks use a disk encryption set, which restore points do not carry.
    let vm = vm_id(PROD, "rg-sql-prod", "sql-prod-01");
    let src = drp(
        &e,
        PROD,
        "rg-sql-prod",
        "sql-prod-01-rpc",
        "rp-021-app",
        None,
    )
    .await;
    let plain = disk_path(PROD, "rg-sql-prod", "sql-os-restored-pmk");
    let (s, b) = restore(&e, &plain, "eastus", &src, json!({})).await;
    assert_eq!(s, 202, "{b}");
    let swap = |id: &str| json!({ "properties": { "storageProfile": { "osDisk": { "managedDisk": { "id": id } } } } });
    let r = e
        .send(Method::PATCH, &e.url(&vm, CRP), Some(swap(&plain)))
        .await;
    let (s, b) = status_json(r).await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert!(
        message(&b).starts_with("An OS disk swap needs both disks in the same disk encryption set"),
        "{b}"
    );
    // The same restore with the VM's disk encryption set (its id in another case) swaps.
    let (_, current) = e
        .get(
            e.get(&vm, CRP).await.1["properties"]["storageProfile"]["osDisk"]["managedDisk"]["id"]
                .as_str()
                .unwrap(),
            DRP,
        )
        .await;
    let des = current["properties"]["encryption"]["diskEncryptionSetId"]
        .as_str()
        .unwrap()
        .to_ascii_uppercase();
    let cmk = disk_path(PROD, "rg-sql-prod", "sql-os-restored-cmk");
    let (s, b) = restore(
        &e,
        &cmk,
        "eastus",
        &src,
        json!({ "properties": { "encryption": { "diskEncryptionSetId": des } } }),
    )
    .await;
    assert_eq!(s, 202, "{b}");
    let (s, b) = write(&e, Method::PATCH, &vm, CRP, swap(&cmk)).await;
    assert_eq!(s, 200, "{b}");
}

#[tokio::test]
async fn disk_encryption_set_without_a_type_means_customer_managed_keys() {
    let e = start().await;
    let des = format!(
        "{}/providers/Microsoft.Compute/diskEncryptionSets/des-rg-dev-data",
        rg_path(DEV, "rg-dev-data")
    );
    let disk = disk_path(DEV, "rg-dev-data", "cmk-disk");
    let (s, b) = write(
        &e,
        Method::PUT,
        &disk,
        DRP,
        json!({ "location": "northeurope",
        "properties": { "creationData": { "createOption": "Empty" }, "diskSizeGB": 64,
                        "encryption": { "diskEncryptionSetId": des } } }),
    )
    .await;
    assert_eq!(s, 202, "{b}");
    let (_, d) = e.get(&disk, DRP).await;
    assert_eq!(
        d["properties"]["encryption"]["type"],
        "EncryptionAtRestWithCustomerKey"
    );
    assert_eq!(d["properties"]["encryption"]["diskEncryptionSetId"], des);
}

/// api-gateway-01 (westus2, zone 1) with its data disk restored as `name`.
async fn api_gateway_data_restored(e: &Emu, name: &str, zones: Value) -> String {
    let src = drp(
        e,
        PROD,
        "rg-api-prod",
        "api-gateway-01-rpc",
        "rp-014-app",
        Some(0),
    )
    .await;
    let disk = disk_path(PROD, "rg-api-prod", name);
    let extra = if zones.is_null() {
        json!({})
    } else {
        json!({ "zones": zones })
    };
    let (s, b) = restore(e, &disk, "westus2", &src, extra).await;
    assert_eq!(s, 202, "{b}");
    disk
}

fn add_data_disk(lun: i64, id: &str, caching: &str) -> Value {
    json!({ "properties": { "storageProfile": { "dataDisks": [
        { "lun": lun, "createOption": "Attach", "caching": caching, "managedDisk": { "id": id } } ] } } })
}

#[tokio::test]
async fn disk_outside_the_zone_of_a_zonal_vm_is_refused() {
    let e = start().await;
    let vm = vm_id(PROD, "rg-api-prod", "api-gateway-01");
    for (name, zones) in [
        ("restored-regional", Value::Null),
        ("restored-z2", json!(["2"])),
    ] {
        let disk = api_gateway_data_restored(&e, name, zones).await;
        let r = e
            .send(
                Method::PATCH,
                &e.url(&vm, CRP),
                Some(add_data_disk(1, &disk, "ReadOnly")),
            )
            .await;
        let (s, b) = status_json(r).await;
        assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{name}: {b}");
        assert_eq!(
            message(&b),
            format!("Disk {name} cannot be attached to the VM because it is not in zone '1'.")
        );
    }
    let disk = api_gateway_data_restored(&e, "restored-z1", json!(["1"])).await;
    let (s, b) = write(
        &e,
        Method::PATCH,
        &vm,
        CRP,
        add_data_disk(1, &disk, "ReadOnly"),
    )
    .await;
    assert_eq!(s, 200, "{b}");
}

#[tokio::test]
async fn zonal_disk_on_a_vm_that_is_not_zonal_is_refused() {
    let e = start().await;
    let src = drp(
        &e,
        DEV,
        "rg-dev-data",
        "dev-db-01-rpc",
        "rp-014-app",
        Some(0),
    )
    .await;
    let disk = disk_path(DEV, "rg-dev-data", "restored-data-z1");
    let (s, b) = restore(&e, &disk, "northeurope", &src, json!({ "zones": ["1"] })).await;
    assert_eq!(s, 202, "{b}");
    let r = e
        .send(
            Method::PATCH,
            &e.url(&vm_id(DEV, "rg-dev-data", "dev-db-01"), CRP),
            Some(add_data_disk(1, &disk, "ReadOnly")),
        )
        .await;
    let (s, b) = status_json(r).await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(
        message(&b),
        "Disk restored-data-z1 is in zone '1' and cannot be attached to a VM that is not zonal."
    );
}

#[tokio::test]
async fn vm_create_refuses_an_os_disk_from_another_zone() {
    let e = start().await;
    let os = restored_dev_db_os(&e, "restored-os").await;
    let nic = nic(&e, DEV, "rg-dev-data", "northeurope", "restored-nic").await;
    let mut body = attach_vm_body("northeurope", &os, &nic);
    body["zones"] = json!(["2"]);
    let (s, b) = e
        .put(&vm_id(DEV, "rg-dev-data", "restored-db"), CRP, body)
        .await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(
        message(&b),
        "Disk restored-os cannot be attached to the VM because it is not in zone '2'."
    );
}

/// An empty Premium SSD v2 disk with an OS type in westus2 zone 1.
async fn premium_v2_disk(e: &Emu, name: &str, size: i64, os: Option<&str>) -> String {
    let disk = disk_path(PROD, "rg-analytics-prod", name);
    let mut body = json!({ "location": "westus2", "zones": ["1"], "sku": { "name": "PremiumV2_LRS" },
        "properties": { "creationData": { "createOption": "Empty" }, "diskSizeGB": size } });
    if let Some(os) = os {
        body["properties"]["osType"] = json!(os);
    }
    let (s, b) = write(e, Method::PUT, &disk, DRP, body).await;
    assert_eq!(s, 202, "{b}");
    disk
}

#[tokio::test]
async fn premium_v2_os_disk_is_refused_at_create_and_in_a_swap() {
    let e = start().await;
    let disk = premium_v2_disk(&e, "pv2-os", 30, Some("Linux")).await;
    let nic = nic(&e, PROD, "rg-analytics-prod", "westus2", "pv2-nic").await;
    let mut body = attach_vm_body("westus2", &disk, &nic);
    body["zones"] = json!(["1"]);
    let (s, b) = e
        .put(&vm_id(PROD, "rg-analytics-prod", "pv2-vm"), CRP, body)
        .await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(
        message(&b),
        "Storage account type 'PremiumV2_LRS' can only be used for data disks."
    );
    assert_eq!(target(&b), "osDisk.managedDisk");
    let r = e.send(Method::PATCH, &e.url(&vm_id(PROD, "rg-analytics-prod", "analytics-pv2-01"), CRP),
        Some(json!({ "properties": { "storageProfile": { "osDisk": { "managedDisk": { "id": disk } } } } }))).await;
    let (s, b) = status_json(r).await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(target(&b), "osDisk.managedDisk");
}

#[tokio::test]
async fn host_caching_on_a_premium_v2_data_disk_is_refused() {
    let e = start().await;
    let vm = vm_id(PROD, "rg-analytics-prod", "analytics-pv2-01");
    let disk = premium_v2_disk(&e, "pv2-data", 256, None).await;
    let r = e
        .send(
            Method::PATCH,
            &e.url(&vm, CRP),
            Some(add_data_disk(2, &disk, "ReadOnly")),
        )
        .await;
    let (s, b) = status_json(r).await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(
        message(&b),
        "Host caching is not supported for disks of type 'PremiumV2_LRS': set caching to None."
    );
    let (s, b) = write(&e, Method::PATCH, &vm, CRP, add_data_disk(2, &disk, "None")).await;
    assert_eq!(s, 200, "{b}");
}

#[tokio::test]
async fn host_caching_on_a_premium_v2_disk_restored_inside_a_vm_put_is_refused() {
    let e = start().await;
    let os_src = drp(
        &e,
        PROD,
        "rg-analytics-prod",
        "analytics-pv2-01-rpc",
        "rp-010-app",
        None,
    )
    .await;
    let data_src = drp(
        &e,
        PROD,
        "rg-analytics-prod",
        "analytics-pv2-01-rpc",
        "rp-010-app",
        Some(1),
    )
    .await;
    let os = disk_path(PROD, "rg-analytics-prod", "analytics-os-restored");
    let (s, b) = restore(&e, &os, "westus2", &os_src, json!({ "zones": ["1"] })).await;
    assert_eq!(s, 202, "{b}");
    let nic = nic(&e, PROD, "rg-analytics-prod", "westus2", "restored-nic").await;
    let mut body = attach_vm_body("westus2", &os, &nic);
    body["zones"] = json!(["1"]);
    body["properties"]["storageProfile"]["dataDisks"] = json!([{ "lun": 0, "createOption": "Restore",
        "caching": "ReadWrite", "sourceResource": { "id": data_src } }]);
    let vm = vm_id(PROD, "rg-analytics-prod", "analytics-restored");
    let (s, b) = e.put(&vm, CRP, body.clone()).await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert!(
        message(&b).starts_with("Host caching is not supported"),
        "{b}"
    );
    body["properties"]["storageProfile"]["dataDisks"][0]["caching"] = json!("None");
    let (s, b) = write(&e, Method::PUT, &vm, CRP, body).await;
    assert_eq!(s, 201, "{b}");
}

#[tokio::test]
async fn restore_smaller_than_the_disk_restore_point_is_refused() {
    let e = start().await;
    // dev-db-01's data disk is 1024 GB.
    let src = drp(
        &e,
        DEV,
        "rg-dev-data",
        "dev-db-01-rpc",
        "rp-014-app",
        Some(0),
    )
    .await;
    let disk = disk_path(DEV, "rg-dev-data", "restored-data");
    let (s, b) = restore(
        &e,
        &disk,
        "northeurope",
        &src,
        json!({ "properties": { "diskSizeGB": 512 } }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(
        message(&b),
        "The requested size 512 GB is smaller than the source disk restore point (1024 GB): a disk can only keep or grow its size."
    );
    assert_eq!(target(&b), "diskSizeGB");
    // The same inside a VM write.
    let r = e.send(Method::PATCH, &e.url(&vm_id(DEV, "rg-dev-data", "dev-db-01"), CRP),
        Some(json!({ "properties": { "storageProfile": { "dataDisks": [
            { "lun": 1, "createOption": "Restore", "diskSizeGB": 100, "sourceResource": { "id": src } } ] } } }))).await;
    let (s, b) = status_json(r).await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(target(&b), "diskSizeGB");
    // Growing is fine, and the disk keeps the size asked for.
    let (s, b) = restore(
        &e,
        &disk,
        "northeurope",
        &src,
        json!({ "properties": { "diskSizeGB": 2048 } }),
    )
    .await;
    assert_eq!(s, 202, "{b}");
    assert_eq!(e.get(&disk, DRP).await.1["properties"]["diskSizeGB"], 2048);
}

#[tokio::test]
async fn instant_access_snapshot_restores_only_to_premium_v2_or_ultra_and_not_larger() {
    let e = start().await;
    // rp-pre-upgrade is within its instant access window; its LUN 0 disk is 2048 GB.
    let src = drp(
        &e,
        PROD,
        "rg-analytics-prod",
        "analytics-pv2-01-rpc",
        "rp-pre-upgrade",
        Some(0),
    )
    .await;
    let (_, d) = e.get(&src, DRP).await;
    assert_eq!(
        d["properties"]["snapshotAccessState"],
        "AvailableWithInstantAccess"
    );
    let disk = disk_path(PROD, "rg-analytics-prod", "restored-ia");
    let (s, b) = restore(
        &e,
        &disk,
        "westus2",
        &src,
        json!({ "zones": ["1"], "sku": { "name": "Premium_LRS" } }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(
        message(&b),
        "Only Ultra Disks and Premium SSD v2 can be created from instant access snapshots."
    );
    let (s, b) = restore(
        &e,
        &disk,
        "westus2",
        &src,
        json!({ "zones": ["1"], "properties": { "diskSizeGB": 4096 } }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert!(message(&b).contains("(2048 GB)"), "{b}");
    let (s, b) = restore(&e, &disk, "westus2", &src, json!({ "zones": ["1"] })).await;
    assert_eq!(s, 202, "{b}");
}

#[tokio::test]
async fn snapshot_with_4096_byte_sectors_restores_only_to_premium_v2_or_ultra() {
    let e = start().await;
    // An old analytics point: its instant access ended long ago.
    let src = drp(
        &e,
        PROD,
        "rg-analytics-prod",
        "analytics-pv2-01-rpc",
        "rp-001-app",
        Some(1),
    )
    .await;
    let (_, d) = e.get(&src, DRP).await;
    assert_eq!(d["properties"]["logicalSectorSize"], 4096);
    assert_eq!(d["properties"]["snapshotAccessState"], "Available");
    let disk = disk_path(PROD, "rg-analytics-prod", "restored-4k");
    let (s, b) = restore(
        &e,
        &disk,
        "westus2",
        &src,
        json!({ "zones": ["1"], "sku": { "name": "StandardSSD_LRS" } }),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(
        message(&b),
        "Snapshots with a 4096 logical sector size can only be used to create Ultra Disks and Premium SSD v2 disks."
    );
    let (s, b) = restore(
        &e,
        &disk,
        "westus2",
        &src,
        json!({ "zones": ["1"], "sku": { "name": "UltraSSD_LRS" } }),
    )
    .await;
    assert_eq!(s, 202, "{b}");
}

#[tokio::test]
async fn premium_v2_disk_restore_point_is_pending_until_its_background_copy_ends() {
    let e = start().await;
    let rpc = rpc_path(PROD, "rg-analytics-prod", "etl-pv2-01-rpc");
    let (_, p) = e
        .get(
            &format!("{rpc}/restorePoints/rp-in-progress?$expand=instanceView"),
            CRP,
        )
        .await;
    assert_eq!(p["properties"]["provisioningState"], "Succeeded");
    let views = p["properties"]["instanceView"]["diskRestorePoints"]
        .as_array()
        .unwrap()
        .clone();
    // The OS disk (Premium SSD) is usable at once; the Premium SSD v2 disk is copying.
    assert_eq!(views[0]["snapshotAccessState"], "Available");
    assert_eq!(views[0]["replicationStatus"]["completionPercent"], 100);
    assert_eq!(views[1]["snapshotAccessState"], "Pending");
    let pct = views[1]["replicationStatus"]["completionPercent"]
        .as_i64()
        .unwrap();
    assert!((0..100).contains(&pct), "{pct}");
    let src = views[1]["id"].as_str().unwrap().to_owned();
    let (_, d) = e.get(&src, DRP).await;
    assert_eq!(d["properties"]["snapshotAccessState"], "Pending");
    assert_eq!(d["properties"]["completionPercent"], pct);
    let disk = disk_path(PROD, "rg-analytics-prod", "etl-restored");
    let (s, b) = restore(&e, &disk, "westus2", &src, json!({ "zones": ["3"] })).await;
    assert_eq!((s, code(&b)), (409, "OperationNotAllowed"), "{b}");
    // Older points finished copying long ago.
    let old = drp(
        &e,
        PROD,
        "rg-analytics-prod",
        "etl-pv2-01-rpc",
        "rp-005-app",
        Some(0),
    )
    .await;
    let (_, d) = e.get(&old, DRP).await;
    assert_eq!(d["properties"]["snapshotAccessState"], "Available");
    assert_eq!(d["properties"]["completionPercent"], 100);
    // 512 GB × 40 virtual seconds after the point was taken, the copy is done.
    e.advance(512.0 * 40.0).await;
    let (_, d) = e.get(&src, DRP).await;
    assert_eq!(d["properties"]["snapshotAccessState"], "Available");
    assert_eq!(d["properties"]["completionPercent"], 100);
    let (s, b) = restore(&e, &disk, "westus2", &src, json!({ "zones": ["3"] })).await;
    assert_eq!(s, 202, "{b}");
}

#[tokio::test]
async fn premium_v2_disk_without_a_zone_in_a_region_with_zones_is_refused() {
    let e = start().await;
    let empty = |location: &str| {
        json!({ "location": location, "sku": { "name": "PremiumV2_LRS" },
        "properties": { "creationData": { "createOption": "Empty" }, "diskSizeGB": 64 } })
    };
    let (s, b) = e
        .put(
            &disk_path(PROD, "rg-analytics-prod", "pv2-regional"),
            DRP,
            empty("westus2"),
        )
        .await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(
        message(&b),
        "An availability zone is required for Premium SSD v2 and Ultra Disks in region 'westus2'."
    );
    assert_eq!(target(&b), "zones");
    // westus has no availability zones.
    let (s, b) = e
        .put(
            &disk_path(DR, "rg-dr-web", "pv2-regional"),
            DRP,
            empty("westus"),
        )
        .await;
    assert_eq!(s, 202, "{b}");
    // A restore is a creation like any other.
    let src = drp(
        &e,
        PROD,
        "rg-analytics-prod",
        "etl-pv2-01-rpc",
        "rp-005-app",
        Some(0),
    )
    .await;
    let (s, b) = restore(
        &e,
        &disk_path(PROD, "rg-analytics-prod", "etl-restored"),
        "westus2",
        &src,
        json!({}),
    )
    .await;
    assert_eq!((s, code(&b)), (400, "InvalidParameter"), "{b}");
    assert_eq!(target(&b), "zones");
}

#[tokio::test]
async fn attached_os_disk_with_another_security_type_is_refused() {
    let e = start().await;
    // dr-dc-01 is a trusted launch VM: its restored OS disk is trusted launch too.
    let src = drp(&e, DR, "rg-dr-identity", "dr-dc-01-rpc", "rp-028-app", None).await;
    let os = disk_path(DR, "rg-dr-identity", "dc-os-restored");
    let (s, b) = restore(&e, &os, "centralus", &src, json!({})).await;
    assert_eq!(s, 202, "{b}");
    assert_eq!(
        e.get(&os, DRP).await.1["properties"]["securityProfile"]["securityType"],
        "TrustedLaunch"
    );
    let nic = nic(&e, DR, "rg-dr-identity", "centralus", "dc-restored-nic").await;
    let vm = vm_id(DR, "rg-dr-identity", "dc-restored");
    let mut body = attach_vm_body("centralus", &os, &nic);
    let (s, b) = e.put(&vm, CRP, body.clone()).await;
    assert_eq!((s, code(&b)), (400, "BadRequest"), "{b}");
    assert_eq!(
        message(&b),
        "Security type of VM is not compatible with the security type of attached OS Disk."
    );
    body["properties"]["securityProfile"] = json!({ "securityType": "TrustedLaunch",
        "uefiSettings": { "secureBootEnabled": true, "vTpmEnabled": true } });
    let (s, b) = write(&e, Method::PUT, &vm, CRP, body).await;
    assert_eq!(s, 201, "{b}");
}

#[tokio::test]
async fn standard_os_disk_on_a_trusted_launch_vm_is_refused() {
    let e = start().await;
    let os = restored_dev_db_os(&e, "restored-os").await;
    let nic = nic(&e, DEV, "rg-dev-data", "northeurope", "restored-nic").await;
    let mut body = attach_vm_body("northeurope", &os, &nic);
    body["properties"]["securityProfile"] = json!({ "securityType": "TrustedLaunch" });
    let (s, b) = e
        .put(&vm_id(DEV, "rg-dev-data", "restored-db"), CRP, body)
        .await;
    assert_eq!((s, code(&b)), (400, "BadRequest"), "{b}");
}

#[tokio::test]
async fn restored_premium_v2_disk_hydrates_in_virtual_time_and_other_disks_report_100() {
    let e = start().await;
    let src = drp(
        &e,
        PROD,
        "rg-analytics-prod",
        "etl-pv2-01-rpc",
        "rp-005-app",
        Some(0),
    )
    .await;
    let disk = disk_path(PROD, "rg-analytics-prod", "etl-restored");
    let r = e
        .send(
            Method::PUT,
            &e.url(&disk, DRP),
            Some(restore_body("westus2", &src, json!({ "zones": ["3"] }))),
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    // Hydration starts when the create operation ends.
    let (_, d) = e.get(&disk, DRP).await;
    assert_eq!(d["properties"]["completionPercent"], 0);
    let mut seen = Vec::new();
    for _ in 0..8 {
        e.advance(60.0).await;
        let (_, d) = e.get(&disk, DRP).await;
        seen.push(d["properties"]["completionPercent"].as_i64().unwrap());
    }
    // 512 GB × 0.5 s = 256 virtual seconds of hydration after a create of about a minute.
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(seen.iter().any(|p| (1..100).contains(p)), "{seen:?}");
    assert_eq!(seen.last(), Some(&100), "{seen:?}");
    // A restored Premium SSD reports 100 at once; an empty disk has no copy to report.
    let os = restored_dev_db_os(&e, "restored-os").await;
    assert_eq!(
        e.get(&os, DRP).await.1["properties"]["completionPercent"],
        100
    );
    let (_, sandbox) = e
        .get(&vm_id(DEV, "rg-dev-sandbox", "dev-sandbox-01"), CRP)
        .await;
    let from_image = sandbox["properties"]["storageProfile"]["osDisk"]["managedDisk"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        e.get(&from_image, DRP).await.1["properties"]
            .get("completionPercent")
            .is_none()
    );
}

#[tokio::test]
async fn hydrating_premium_v2_disk_cannot_be_attached_to_a_vm_that_is_not_zonal() {
    let e = start().await;
    // westus has no zones: give dr-web-01 a Premium SSD v2 disk and take a point of it.
    let vm = vm_id(DR, "rg-dr-web", "dr-web-01");
    let (s, b) = write(&e, Method::PATCH, &vm, CRP, json!({ "properties": { "storageProfile": { "dataDisks": [
        { "lun": 0, "createOption": "Attach", "managedDisk": { "id": disk_path(DR, "rg-dr-web", "dr-web-01-data-00") } },
        { "lun": 1, "createOption": "Empty", "diskSizeGB": 512, "caching": "None",
          "managedDisk": { "storageAccountType": "PremiumV2_LRS" } } ] } } })).await;
    assert_eq!(s, 200, "{b}");
    e.advance(60.0).await;
    let rpc = rpc_path(DR, "rg-dr-web", "dr-web-01-rpc");
    let (s, b) = write(
        &e,
        Method::PUT,
        &format!("{rpc}/restorePoints/with-pv2"),
        CRP,
        json!({ "properties": {} }),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let src = drp(&e, DR, "rg-dr-web", "dr-web-01-rpc", "with-pv2", Some(1)).await;
    e.advance(512.0 * 40.0).await;
    let disk = disk_path(DR, "rg-dr-web", "pv2-restored");
    let (s, b) = restore(&e, &disk, "westus", &src, json!({})).await;
    assert_eq!(s, 202, "{b}");
    let pct = e.get(&disk, DRP).await.1["properties"]["completionPercent"]
        .as_i64()
        .unwrap();
    assert!(pct < 100, "{pct}");
    let attach = json!({ "properties": { "storageProfile": { "dataDisks": [
        { "lun": 0, "createOption": "Attach", "managedDisk": { "id": disk_path(DR, "rg-dr-web", "dr-web-01-data-00") } },
        { "lun": 1, "createOption": "Attach", "managedDisk": { "id": disk_path(DR, "rg-dr-web", "dr-web-01_DataDisk_1") } },
        { "lun": 2, "createOption": "Attach", "caching": "None", "managedDisk": { "id": disk } } ] } } });
    let r = e
        .send(Method::PATCH, &e.url(&vm, CRP), Some(attach.clone()))
        .await;
    let (s, b) = status_json(r).await;
    assert_eq!((s, code(&b)), (409, "OperationNotAllowed"), "{b}");
    assert!(
        message(&b).starts_with(
            "Disk 'pv2-restored' cannot be attached to a VM that is not zonal while its background copy is in progress ("
        ),
        "{b}"
    );
    e.advance(300.0).await;
    let (s, b) = write(&e, Method::PATCH, &vm, CRP, attach).await;
    assert_eq!(s, 200, "{b}");
}

#[tokio::test]
async fn nic_of_an_existing_vm_cannot_be_deleted_and_vm_delete_accepts_force_deletion_false() {
    let e = start().await;
    let nic = format!(
        "{}/providers/Microsoft.Network/networkInterfaces/dev-sandbox-01-nic",
        rg_path(DEV, "rg-dev-sandbox")
    );
    let (s, b) = status_json(e.send(Method::DELETE, &e.url(&nic, NET), None).await).await;
    assert_eq!((s, code(&b)), (400, "NicInUse"), "{b}");
    let vm = vm_id(DEV, "rg-dev-sandbox", "dev-sandbox-01");
    let r = e
        .send(
            Method::DELETE,
            &e.url(&format!("{vm}?forceDeletion=false"), CRP),
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 202);
    let op = r.headers()["azure-asyncoperation"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(e.wait_op(&op).await["status"], "Succeeded");
    assert_eq!(e.get(&vm, CRP).await.0, 404);
    let r = e.send(Method::DELETE, &e.url(&nic, NET), None).await;
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(e.get(&nic, NET).await.0, 404);
}

#[tokio::test]
async fn attached_disk_cannot_be_deleted() {
    let e = start().await;
    let disk = disk_path(DEV, "rg-dev-data", "dev-db-01-data-00");
    let (s, b) = status_json(e.send(Method::DELETE, &e.url(&disk, DRP), None).await).await;
    assert_eq!((s, code(&b)), (409, "OperationNotAllowed"), "{b}");
}

#[tokio::test]
async fn if_none_match_star_refuses_to_overwrite_an_existing_vm() {
    let e = start().await;
    let vm = vm_id(DEV, "rg-dev-data", "dev-db-01");
    let r = e
        .http
        .put(e.url(&vm, CRP))
        .bearer_auth("x")
        .header("if-none-match", "*")
        .json(&json!({ "location": "northeurope", "properties": {} }))
        .send()
        .await
        .unwrap();
    let (s, b) = status_json(r).await;
    assert_eq!((s, code(&b)), (412, "PreconditionFailed"), "{b}");
}

#[tokio::test]
async fn tags_sent_on_disk_nic_and_vm_puts_are_stored_and_returned() {
    let e = start().await;
    let tags = json!({ "rpdesk-run": "run-1", "rpdesk-source": "drp" });
    let os = disk_path(DEV, "rg-dev-data", "restored-os");
    let src = drp(&e, DEV, "rg-dev-data", "dev-db-01-rpc", "rp-014-app", None).await;
    let (s, b) = restore(&e, &os, "northeurope", &src, json!({ "tags": tags })).await;
    assert_eq!(s, 202, "{b}");
    assert_eq!(e.get(&os, DRP).await.1["tags"], tags);
    let subnet = format!(
        "{}/providers/Microsoft.Network/virtualNetworks/rg-dev-data-vnet/subnets/default",
        rg_path(DEV, "rg-dev-data")
    );
    let nic = format!(
        "{}/providers/Microsoft.Network/networkInterfaces/tagged-nic",
        rg_path(DEV, "rg-dev-data")
    );
    let (s, b) = e.put(&nic, NET, json!({ "location": "northeurope", "tags": tags, "properties": {
        "ipConfigurations": [ { "name": "ipconfig1", "properties": { "subnet": { "id": subnet } } } ] } })).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(e.get(&nic, NET).await.1["tags"], tags);
    let vm = vm_id(DEV, "rg-dev-data", "tagged-vm");
    let mut body = attach_vm_body("northeurope", &os, &nic);
    body["tags"] = tags.clone();
    let (s, b) = write(&e, Method::PUT, &vm, CRP, body).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(e.get(&vm, CRP).await.1["tags"], tags);
}
