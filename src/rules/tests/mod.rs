//! Rule tests: one per rule, named after it, over VMs built as ARM JSON.

mod cadence;
mod copy;
mod disk;
mod instant_access;
mod os;
mod robust;
mod verdict;
mod vm;

use serde_json::{Value, json};

use crate::model::{Disk, RestorePointCollection, Timestamp, VirtualMachine};
use crate::rules::{Assessment, Mode, Outcome, RuleId, VmFacts, assess};

pub(super) const SUB: &str = "00000000-0000-0000-0000-000000000001";

/// The instant every test assesses at.
pub(super) fn now() -> Timestamp {
    at("2026-01-10T12:00:00Z")
}

/// A timestamp from RFC 3339 text.
pub(super) fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).expect("test timestamp")
}

/// Restore point PUTs of `mode` sent `minutes` ago.
pub(super) fn puts(mode: Mode, minutes: &[i64]) -> Vec<crate::rules::PointPut> {
    minutes
        .iter()
        .map(|m| crate::rules::PointPut {
            at: minutes_ago(*m),
            mode,
        })
        .collect()
}

/// `now` minus `minutes`.
pub(super) fn minutes_ago(minutes: i64) -> Timestamp {
    Timestamp::from_unix_secs(now().unix_secs() - minutes * 60)
}

pub(super) fn disk_id(name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/disks/{name}")
}

pub(super) fn vm_id(rg: &str, name: &str) -> String {
    format!(
        "/subscriptions/{SUB}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}"
    )
}

/// A VM with its disks and collections, as ARM JSON, edited by tests.
pub(super) struct Fixture {
    pub vm: Value,
    pub disks: Vec<Value>,
    pub collections: Vec<Value>,
}

/// The typed estate built from a fixture.
pub(super) struct Built {
    pub vm: VirtualMachine,
    pub disks: Vec<Disk>,
    pub collections: Vec<RestorePointCollection>,
}

impl Fixture {
    /// A running Linux VM in westus2, size without temp disk or Azure Boost, one managed
    /// Premium SSD OS disk with read-only caching: every rule passes.
    pub fn linux() -> Self {
        let vm = json!({
            "id": vm_id("rg1", "vm1"), "name": "vm1", "location": "westus2",
            "properties": {
                "vmId": "11111111-2222-3333-4444-555555555555",
                "hardwareProfile": { "vmSize": "Standard_D4s_v5" },
                "storageProfile": {
                    "imageReference": { "publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server" },
                    "osDisk": { "osType": "Linux", "name": "vm1-os", "createOption": "FromImage", "caching": "ReadOnly",
                                "managedDisk": { "id": disk_id("vm1-os"), "storageAccountType": "Premium_LRS" } },
                    "dataDisks": []
                },
                "instanceView": { "osName": "ubuntu", "osVersion": "24.04",
                                  "vmAgent": { "vmAgentVersion": "2.9.1.1", "statuses": [
                                      { "code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Ready" } ] },
                                  "statuses": [ { "code": "PowerState/running" } ] }
            }
        });
        let os = json!({ "id": disk_id("vm1-os"), "name": "vm1-os", "location": "westus2",
                         "sku": { "name": "Premium_LRS" }, "properties": { "diskState": "Attached" } });
        Self {
            vm,
            disks: vec![os],
            collections: Vec::new(),
        }
    }

    /// A running Windows VM from a marketplace image with the given sku.
    pub fn windows(image_sku: &str, os_name: &str) -> Self {
        let mut f = Self::linux();
        f.vm["properties"]["storageProfile"]["osDisk"]["osType"] = json!("Windows");
        f.vm["properties"]["storageProfile"]["imageReference"] = json!({ "publisher": "MicrosoftWindowsServer", "offer": "WindowsServer", "sku": image_sku });
        f.vm["properties"]["instanceView"]["osName"] = json!(os_name);
        f
    }

    /// Adds a data disk (next LUN, no caching) and its disk resource.
    pub fn data_disk(mut self, name: &str, sku: &str) -> Self {
        let disks = &mut self.vm["properties"]["storageProfile"]["dataDisks"];
        let lun = disks.as_array().map_or(0, Vec::len);
        if let Some(list) = disks.as_array_mut() {
            list.push(
                json!({ "lun": lun, "name": name, "createOption": "Attach", "caching": "None",
                              "managedDisk": { "id": disk_id(name), "storageAccountType": sku } }),
            );
        }
        self.disks.push(json!({ "id": disk_id(name), "name": name, "location": "westus2",
                                "sku": { "name": sku }, "properties": { "diskState": "Attached" } }));
        self
    }

    /// Edits the VM JSON.
    pub fn vm(mut self, edit: impl FnOnce(&mut Value)) -> Self {
        edit(&mut self.vm);
        self
    }

    /// Edits one data disk entry of the VM (by LUN).
    pub fn data_entry(mut self, lun: usize, edit: impl FnOnce(&mut Value)) -> Self {
        edit(&mut self.vm["properties"]["storageProfile"]["dataDisks"][lun]);
        self
    }

    /// Edits the OS disk entry of the VM.
    pub fn os_entry(mut self, edit: impl FnOnce(&mut Value)) -> Self {
        edit(&mut self.vm["properties"]["storageProfile"]["osDisk"]);
        self
    }

    /// Edits a disk resource by name.
    pub fn disk(mut self, name: &str, edit: impl FnOnce(&mut Value)) -> Self {
        if let Some(d) = self.disks.iter_mut().find(|d| d["name"] == name) {
            edit(d);
        }
        self
    }

    /// Adds a collection named `name` whose source is `source` (a VM id).
    pub fn collection(mut self, name: &str, source: &str) -> Self {
        self.collections.push(json!({
            "id": format!("/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/restorePointCollections/{name}"),
            "name": name, "location": "westus2",
            "properties": { "source": { "id": source }, "provisioningState": "Succeeded", "restorePoints": [] }
        }));
        self
    }

    /// Adds a point to the last collection.
    pub fn point(mut self, name: &str, mode: &str, time: Timestamp, state: &str) -> Self {
        if let Some(c) = self.collections.last_mut() {
            let id = format!(
                "{}/restorePoints/{name}",
                c["id"].as_str().unwrap_or_default()
            );
            let vm_id = self.vm["properties"]["vmId"].clone();
            if let Some(points) = c["properties"]["restorePoints"].as_array_mut() {
                points.push(json!({ "id": id, "name": name, "properties": {
                    "consistencyMode": mode, "timeCreated": time.to_rfc3339(), "provisioningState": state,
                    "sourceMetadata": { "vmId": vm_id } } }));
            }
        }
        self
    }

    /// Parses the JSON into model types.
    pub fn build(self) -> Built {
        Built {
            vm: serde_json::from_value(self.vm).expect("vm json"),
            disks: self
                .disks
                .into_iter()
                .map(|d| serde_json::from_value(d).expect("disk json"))
                .collect(),
            collections: self
                .collections
                .into_iter()
                .map(|c| serde_json::from_value(c).expect("collection json"))
                .collect(),
        }
    }
}

impl Built {
    /// Facts as the backend would build them: disks resolved, collections matched.
    pub fn facts(&self) -> VmFacts<'_> {
        VmFacts::new(&self.vm)
            .with_disks(|id| {
                self.disks
                    .iter()
                    .find(|d| crate::rules::same_id(d.id.as_str(), id))
            })
            .with_collections(&self.collections)
    }

    /// Assesses with the default facts.
    pub fn assess(&self, mode: Mode) -> Assessment {
        assess(&self.facts(), mode, now())
    }
}

/// The outcome of `rule` in `a`.
pub(super) fn outcome(a: &Assessment, rule: RuleId) -> Outcome {
    a.result(rule).map_or(Outcome::NotApplicable, |r| r.outcome)
}

/// The reason of `rule` in `a`.
pub(super) fn reason(a: &Assessment, rule: RuleId) -> String {
    a.result(rule).map(|r| r.reason.clone()).unwrap_or_default()
}

/// Names of the excluded disks.
pub(super) fn excluded(a: &Assessment) -> Vec<String> {
    a.exclude_disks
        .iter()
        .map(|d| d.name().to_owned())
        .collect()
}

#[test]
fn baseline_vm_is_supported_in_both_modes_with_no_failures() {
    let e = Fixture::linux().build();
    for mode in [Mode::ApplicationConsistent, Mode::CrashConsistent] {
        let a = e.assess(mode);
        assert_eq!(
            a.verdict,
            crate::rules::Verdict::Supported,
            "{mode}: {:#?}",
            a.results
        );
        assert!(
            a.results
                .iter()
                .all(|r| r.outcome != Outcome::Fail && r.outcome != Outcome::Warn),
            "{:#?}",
            a.results
        );
        assert_eq!(a.results.len(), RuleId::ALL.len());
        assert!(a.results.windows(2).all(|w| w[0].rule < w[1].rule));
        assert_eq!(a.recommended_mode, Mode::ApplicationConsistent);
    }
}
