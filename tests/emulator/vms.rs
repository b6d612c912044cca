//! VM writes over real HTTP: network for a new VM, VM create from restored disks, power
//! actions, OS disk swap, delete.

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn op_of(e: &Emu, r: reqwest::Response) -> (u16, Value) {
    let op = r
        .headers()
        .get("azure-asyncoperation")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let out = status_json(r).await;
    if let Some(op) = op {
        assert_eq!(e.wait_op(&op).await["status"], "Succeeded");
    }
    out
}

#[tokio::test]
async fn a_vm_is_rebuilt_from_restored_disks_on_a_new_network() {
    let e = start().await;
    let rg = rg_path(DEV, "rg-restore");
    let (s, _) = e
        .put(&rg, "2021-04-01", json!({ "location": "northeurope" }))
        .await;
    assert_eq!(s, 201);
    let vnet = format!("{rg}/providers/Microsoft.Network/virtualNetworks/restore-vnet");
    let (s, v) = e
        .put(
            &vnet,
            "2024-05-01",
            json!({ "location": "northeurope", "properties": {
        "addressSpace": { "addressPrefixes": ["10.1.0.0/16"] },
        "subnets": [ { "name": "default", "properties": { "addressPrefix": "10.1.0.0/24" } } ] } }),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let subnet = v["properties"]["subnets"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let nic = format!("{rg}/providers/Microsoft.Network/networkInterfaces/restored-nic");
    let (s, n) = e.put(&nic, "2024-05-01", json!({ "location": "northeurope", "properties": {
        "ipConfigurations": [ { "name": "ipconfig1", "properties": { "subnet": { "id": subnet } } } ] } })).await;
    assert_eq!(s, 201, "{n}");

    // Restore both disks of a dev-db-01 point.
    let point = format!(
        "{}/restorePoints/rp-014-app",
        rpc_path(DEV, "rg-dev-data", "dev-db-01-rpc")
    );
    let (_, p) = e.get(&point, CRP).await;
    let sp = &p["properties"]["sourceMetadata"]["storageProfile"];
    let os_drp = sp["osDisk"]["diskRestorePoint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let data_drp = sp["dataDisks"][0]["diskRestorePoint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let os_disk = format!("{rg}/providers/Microsoft.Compute/disks/restored-os");
    let r = e.send(Method::PUT, &e.url(&os_disk, DRP), Some(json!({ "location": "northeurope",
        "properties": { "creationData": { "createOption": "Restore", "sourceResourceId": os_drp } } }))).await;
    let (s, d) = op_of(&e, r).await;
    assert_eq!(s, 202, "{d}");
    let (_, d) = e.get(&os_disk, DRP).await;
    assert_eq!(d["properties"]["osType"], "Linux");

    let vm = format!("{rg}/providers/Microsoft.Compute/virtualMachines/restored-db");
    let r = e.send(Method::PUT, &e.url(&vm, CRP), Some(json!({ "location": "northeurope", "properties": {
        "hardwareProfile": { "vmSize": "Standard_E4s_v5" },
        "storageProfile": {
            "osDisk": { "createOption": "Attach", "osType": "Linux", "managedDisk": { "id": os_disk } },
            "dataDisks": [ { "lun": 0, "createOption": "Restore", "sourceResource": { "id": data_drp } } ] },
        "networkProfile": { "networkInterfaces": [ { "id": nic, "properties": { "primary": true } } ] } } }))).await;
    let (s, body) = op_of(&e, r).await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["properties"]["provisioningState"], "Creating");
    assert_eq!(
        body["properties"]["storageProfile"]["dataDisks"][0]["createOption"],
        "Restore"
    );
    let (_, v) = e.get(&format!("{vm}?$expand=instanceView"), CRP).await;
    assert_eq!(v["properties"]["provisioningState"], "Succeeded");
    let (_, d) = e.get(&os_disk, DRP).await;
    assert_eq!(
        d["managedBy"].as_str().unwrap().to_ascii_lowercase(),
        vm.to_ascii_lowercase()
    );
    assert_eq!(d["properties"]["diskState"], "Attached");
    // The new VM can itself get restore points.
    let rpc = format!("{rg}/providers/Microsoft.Compute/restorePointCollections/restored-db-rpc");
    let (s, _) = e
        .put(
            &rpc,
            CRP,
            json!({ "location": "northeurope", "properties": { "source": { "id": vm } } }),
        )
        .await;
    assert_eq!(s, 201);
    let r = e
        .send(
            Method::PUT,
            &e.url(&format!("{rpc}/restorePoints/first"), CRP),
            Some(json!({ "properties": {} })),
        )
        .await;
    assert_eq!(op_of(&e, r).await.0, 201);
}

#[tokio::test]
async fn power_actions_change_the_power_state() {
    let e = start().await;
    let vm = vm_id(PROD, "rg-web-prod", "web-frontend-02");
    let power = |b: &Value| {
        b["statuses"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|s| {
                s["code"]
                    .as_str()
                    .filter(|c| c.starts_with("PowerState/"))
                    .map(str::to_owned)
            })
            .unwrap()
    };
    let r = e
        .send(Method::POST, &e.url(&format!("{vm}/deallocate"), CRP), None)
        .await;
    assert_eq!(r.status().as_u16(), 202);
    let (_, iv) = e.get(&format!("{vm}/instanceView"), CRP).await;
    assert_eq!(power(&iv), "PowerState/deallocating");
    op_of(&e, r).await;
    let (_, iv) = e.get(&format!("{vm}/instanceView"), CRP).await;
    assert_eq!(power(&iv), "PowerState/deallocated");
    let r = e
        .send(Method::POST, &e.url(&format!("{vm}/start"), CRP), None)
        .await;
    op_of(&e, r).await;
    let r = e
        .send(Method::POST, &e.url(&format!("{vm}/powerOff"), CRP), None)
        .await;
    op_of(&e, r).await;
    let (_, iv) = e.get(&format!("{vm}/instanceView"), CRP).await;
    assert_eq!(power(&iv), "PowerState/stopped");
}

#[tokio::test]
async fn os_disk_swap_through_patch_keeps_the_old_disk() {
    let e = start().await;
    let vm = vm_id(PROD, "rg-files-prod", "file-server-01");
    let point = format!(
        "{}/restorePoints/rp-001-app",
        rpc_path(PROD, "rg-files-prod", "file-server-01-rpc")
    );
    let (_, p) = e.get(&point, CRP).await;
    let drp =
        p["properties"]["sourceMetadata"]["storageProfile"]["osDisk"]["diskRestorePoint"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let old_id = p["properties"]["sourceMetadata"]["storageProfile"]["osDisk"]["managedDisk"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let new_disk = format!(
        "{}/providers/Microsoft.Compute/disks/file-server-01-os-restored",
        rg_path(PROD, "rg-files-prod")
    );
    let r = e.send(Method::PUT, &e.url(&new_disk, DRP), Some(json!({ "location": "eastus",
        "properties": { "creationData": { "createOption": "Restore", "sourceResourceId": drp } } }))).await;
    op_of(&e, r).await;
    let r = e
        .send(Method::POST, &e.url(&format!("{vm}/deallocate"), CRP), None)
        .await;
    op_of(&e, r).await;
    let r = e
        .send(
            Method::PATCH,
            &e.url(&vm, CRP),
            Some(json!({ "properties": { "storageProfile": { "osDisk": {
        "name": "file-server-01-os-restored", "managedDisk": { "id": new_disk } } } } })),
        )
        .await;
    let (s, body) = op_of(&e, r).await;
    assert_eq!(s, 200, "{body}");
    let (_, v) = e.get(&vm, CRP).await;
    assert_eq!(
        v["properties"]["storageProfile"]["osDisk"]["managedDisk"]["id"]
            .as_str()
            .unwrap()
            .to_ascii_lowercase(),
        new_disk.to_ascii_lowercase()
    );
    let (_, old) = e.get(&old_id, DRP).await;
    assert_eq!(old["properties"]["diskState"], "Unattached");
    // A Linux disk cannot become a Windows VM's OS disk.
    let linux = format!(
        "{}/providers/Microsoft.Compute/disks/linux-os",
        rg_path(PROD, "rg-files-prod")
    );
    let web_point = format!(
        "{}/restorePoints/rp-002-app",
        rpc_path(PROD, "rg-web-prod", "web-frontend-01-rpc")
    );
    let (_, wp) = e.get(&web_point, CRP).await;
    let wdrp =
        wp["properties"]["sourceMetadata"]["storageProfile"]["osDisk"]["diskRestorePoint"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let r = e.send(Method::PUT, &e.url(&linux, DRP), Some(json!({ "location": "eastus",
        "properties": { "creationData": { "createOption": "Restore", "sourceResourceId": wdrp } } }))).await;
    op_of(&e, r).await;
    let r = e.send(Method::PATCH, &e.url(&vm, CRP), Some(json!({ "properties": { "storageProfile": { "osDisk": { "managedDisk": { "id": linux } } } } }))).await;
    let (s, b) = status_json(r).await;
    assert_eq!((s, code(&b)), (400, "OperationNotAllowed"), "{b}");
}

#[tokio::test]
async fn deleting_a_vm_detaches_kept_disks() {
    let e = start().await;
    let vm = vm_id(DEV, "rg-dev-sandbox", "dev-sandbox-01");
    let (_, v) = e.get(&vm, CRP).await;
    let os = v["properties"]["storageProfile"]["osDisk"]["managedDisk"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = e.send(Method::DELETE, &e.url(&vm, CRP), None).await;
    assert_eq!(r.status().as_u16(), 202);
    op_of(&e, r).await;
    assert_eq!(e.get(&vm, CRP).await.0, 404);
    // The demo OS disks have deleteOption Delete.
    assert_eq!(e.get(&os, DRP).await.0, 404);
    let (_, nic) = e
        .get(
            &format!(
                "{}/providers/Microsoft.Network/networkInterfaces/dev-sandbox-01-nic",
                rg_path(DEV, "rg-dev-sandbox")
            ),
            "2024-05-01",
        )
        .await;
    assert!(nic["properties"].get("virtualMachine").is_none());
}

#[tokio::test]
async fn vm_etag_preconditions_are_honoured() {
    let e = start().await;
    let vm = vm_id(DEV, "rg-dev-data", "dev-db-01");
    let r = e
        .http
        .patch(e.url(&vm, CRP))
        .bearer_auth("x")
        .header("if-match", "\"999\"")
        .json(&json!({ "tags": { "a": "b" } }))
        .send()
        .await
        .unwrap();
    let (s, b) = status_json(r).await;
    assert_eq!((s, code(&b)), (412, "PreconditionFailed"));
}

#[tokio::test]
async fn scale_sets_report_their_orchestration_mode() {
    let e = start().await;
    let path = |rg: &str, name: &str| {
        format!(
            "{}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}",
            rg_path(PROD, rg)
        )
    };
    let (s, uniform) = e.get(&path("rg-checkout-prod", "checkout-vmss"), CRP).await;
    assert_eq!(s, 200, "{uniform}");
    assert_eq!(uniform["properties"]["orchestrationMode"], "Uniform");
    let (s, flex) = e.get(&path("rg-batch-prod", "batch-flex"), CRP).await;
    assert_eq!(s, 200, "{flex}");
    assert_eq!(flex["properties"]["orchestrationMode"], "Flexible");
    let (s, missing) = e.get(&path("rg-batch-prod", "nope"), CRP).await;
    assert_eq!(
        (s, missing["error"]["code"].as_str()),
        (404, Some("ResourceNotFound"))
    );
}
