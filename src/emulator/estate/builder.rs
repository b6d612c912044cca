//! The builder estates are made with: VMs with their disks, NICs and networks,
//! collections, restore points and cross-region copies, all with stable ids.

use serde_json::json;
use uuid::Uuid;

use super::{TENANT, guid};
use crate::emulator::state::{
    Collection, Disk, DiskPoint, Effect, Estate, Operation, Point, ResourceGroup, Subscription,
    Tags, Vm, VmDecor, VmDisk, key,
};

/// One data disk of a VM to build.
#[derive(Clone, Debug)]
pub struct DataSpec {
    pub sku: &'static str,
    pub size_gb: i64,
    pub caching: &'static str,
    pub write_accelerator: bool,
    pub max_shares: Option<i64>,
}

pub fn data(sku: &'static str, size_gb: i64, caching: &'static str) -> DataSpec {
    DataSpec {
        sku,
        size_gb,
        caching,
        write_accelerator: false,
        max_shares: None,
    }
}

/// The image a VM to build was created from.
#[derive(Clone, Debug)]
pub enum Image {
    /// Ubuntu 22.04 for Linux, Windows Server 2022 for Windows.
    Default,
    /// A marketplace image: publisher, offer, sku (version `latest`).
    Marketplace(&'static str, &'static str, &'static str),
    /// A custom image or a specialized disk: no `imageReference` publisher to read.
    Custom,
}

/// A VM to build, with defaults for everything not set.
#[derive(Clone, Debug)]
pub struct VmSpec {
    pub sub: String,
    pub rg: String,
    pub name: String,
    pub location: String,
    pub size: String,
    pub linux: bool,
    pub os_name: String,
    /// The instance view's `osVersion` (`None`: derived from the OS).
    pub os_version: Option<&'static str>,
    /// The guest agent's version (`None`: a current one).
    pub agent_version: Option<&'static str>,
    pub image: Image,
    pub os_sku: &'static str,
    pub os_size_gb: i64,
    pub ephemeral_os: bool,
    pub unmanaged_os: bool,
    pub data: Vec<DataSpec>,
    pub power: &'static str,
    pub security_type: Option<&'static str>,
    pub vmss: Option<(String, bool)>,
    pub availability_set: Option<String>,
    pub ppg: Option<String>,
    pub zones: Vec<String>,
    pub cmk: bool,
    pub ultra: bool,
    pub nvme: bool,
    pub tags: Tags,
    pub decor: VmDecor,
    pub age_days: f64,
}

impl VmSpec {
    pub fn new(sub: &str, rg: &str, name: &str, location: &str, size: &str, linux: bool) -> Self {
        Self {
            sub: sub.into(),
            rg: rg.into(),
            name: name.into(),
            location: location.into(),
            size: size.into(),
            linux,
            os_name: if linux {
                "ubuntu 22.04".into()
            } else {
                "Windows Server 2022 Datacenter".into()
            },
            os_version: None,
            agent_version: None,
            image: Image::Default,
            os_sku: "Premium_LRS",
            os_size_gb: if linux { 30 } else { 127 },
            ephemeral_os: false,
            unmanaged_os: false,
            data: Vec::new(),
            power: "running",
            security_type: None,
            vmss: None,
            availability_set: None,
            ppg: None,
            zones: Vec::new(),
            cmk: false,
            ultra: false,
            nvme: false,
            tags: Tags::new(),
            decor: VmDecor::default(),
            age_days: 120.0,
        }
    }
    pub fn data(mut self, d: DataSpec) -> Self {
        self.data.push(d);
        self
    }
    pub fn tag(mut self, k: &str, v: &str) -> Self {
        self.tags.insert(k.into(), v.into());
        self
    }
}

pub struct Builder {
    pub e: Estate,
    pub now: f64,
}

impl Builder {
    pub fn new(now: f64) -> Self {
        Self {
            e: Estate::default(),
            now,
        }
    }

    pub fn sub(&mut self, id: &str, name: &str, tags: &[(&str, &str)]) {
        self.e.subscriptions.insert(
            id.to_ascii_lowercase(),
            Subscription {
                subscription_id: id.into(),
                display_name: name.into(),
                tenant_id: TENANT.into(),
                state: "Enabled".into(),
                tags: tags
                    .iter()
                    .map(|(k, v)| ((*k).into(), (*v).into()))
                    .collect(),
            },
        );
    }

    pub fn rg(&mut self, sub: &str, name: &str, location: &str) {
        let k = Estate::rg_key(sub, name);
        self.e.groups.get_or_insert_with(k, || ResourceGroup {
            id: format!("/subscriptions/{sub}/resourceGroups/{name}"),
            name: name.into(),
            location: location.into(),
            tags: Tags::new(),
            managed_by: None,
        });
    }

    fn rg_id(sub: &str, rg: &str) -> String {
        format!("/subscriptions/{sub}/resourceGroups/{rg}")
    }

    /// Ensures a VNet `{rg}-vnet` with subnet `default` exists; returns the subnet id.
    fn subnet(&mut self, sub: &str, rg: &str, location: &str) -> String {
        let id = format!(
            "{}/providers/Microsoft.Network/virtualNetworks/{rg}-vnet",
            Self::rg_id(sub, rg)
        );
        let subnet = format!("{id}/subnets/default");
        self.e.vnets.get_or_insert_with(key(&id), || {
            json!({
                "name": format!("{rg}-vnet"), "id": id, "etag": format!("W/\"{}\"", guid(&id)),
                "type": "Microsoft.Network/virtualNetworks", "location": location, "tags": {},
                "properties": { "provisioningState": "Succeeded", "resourceGuid": guid(&format!("{id}/guid")),
                    "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
                    "subnets": [ { "name": "default", "id": subnet, "etag": format!("W/\"{}\"", guid(&subnet)),
                        "type": "Microsoft.Network/virtualNetworks/subnets",
                        "properties": { "provisioningState": "Succeeded", "addressPrefix": "10.0.0.0/24" } } ],
                    "enableDdosProtection": false }
            })
        });
        subnet
    }

    #[allow(clippy::too_many_arguments)]
    fn disk(
        &mut self,
        sub: &str,
        rg: &str,
        name: &str,
        location: &str,
        sku: &str,
        size_gb: i64,
        vm_id: &str,
        os: Option<&str>,
        spec: &VmSpec,
        max_shares: Option<i64>,
    ) -> String {
        let id = format!(
            "{}/providers/Microsoft.Compute/disks/{name}",
            Self::rg_id(sub, rg)
        );
        let direct = sku == "UltraSSD_LRS" || sku == "PremiumV2_LRS";
        let des = spec.cmk.then(|| {
            format!(
                "{}/providers/Microsoft.Compute/diskEncryptionSets/des-{}",
                Self::rg_id(sub, rg),
                spec.rg
            )
        });
        self.e.disks.insert(
            key(&id),
            Disk {
                id: id.clone(),
                name: name.into(),
                location: location.into(),
                tags: Tags::new(),
                zones: spec.zones.clone(),
                sku: sku.into(),
                size_gb,
                os_type: os.map(str::to_owned),
                hyperv_gen: os.map(|_| "V2".to_owned()),
                create_option: if os.is_some() { "FromImage".into() } else { "Empty".into() },
                source_resource_id: None,
                source_unique_id: None,
                image_reference_id: os.map(|o| format!("/Subscriptions/{sub}/Providers/Microsoft.Compute/Locations/{location}/Publishers/{}/ArtifactTypes/VMImage/Offers/{}/Skus/{}/Versions/latest",
                    if o == "Linux" { "canonical" } else { "MicrosoftWindowsServer" },
                    if o == "Linux" { "0001-com-ubuntu-server-jammy" } else { "WindowsServer" },
                    if o == "Linux" { "22_04-lts-gen2" } else { "2022-datacenter-azure-edition" })),
                managed_by: if max_shares.is_some() { None } else { Some(vm_id.into()) },
                managed_by_extended: if max_shares.is_some() { vec![vm_id.into()] } else { Vec::new() },
                max_shares,
                encryption_type: if des.is_some() { "EncryptionAtRestWithCustomerKey".into() } else { "EncryptionAtRestWithPlatformKey".into() },
                disk_encryption_set: des,
                security_type: spec.security_type.map(|s| if s == "ConfidentialVM" { "ConfidentialVM_DiskEncryptedWithPlatformKey".to_owned() } else { s.to_owned() }),
                unique_id: guid(&format!("{id}/unique")),
                time_created: self.now - spec.age_days * 86_400.0,
                provisioning: "Succeeded".into(),
                iops: direct.then_some(if sku == "UltraSSD_LRS" { 20_000 } else { 3_000 }),
                mbps: direct.then_some(if sku == "UltraSSD_LRS" { 1_000 } else { 125 }),
                network_access_policy: "AllowAll".into(),
                public_network_access: "Enabled".into(),
                sas_until: None,
                hydration: None,
            },
        );
        id
    }

    /// Adds a VM with its disks, NIC and network; returns the VM's lower-case key.
    pub fn vm(&mut self, s: VmSpec) -> String {
        self.rg(&s.sub, &s.rg, &s.location);
        let (sub, rg, name, loc) = (
            s.sub.clone(),
            s.rg.clone(),
            s.name.clone(),
            s.location.clone(),
        );
        let id = format!(
            "{}/providers/Microsoft.Compute/virtualMachines/{name}",
            Self::rg_id(&sub, &rg)
        );
        let os_type = if s.linux { "Linux" } else { "Windows" };
        let os_name_disk = format!("{name}_OsDisk_1_{}", guid(&format!("{id}/os")).simple());
        let os_disk = if s.ephemeral_os {
            VmDisk {
                lun: None,
                name: os_name_disk,
                disk_id: None,
                storage_type: "Standard_LRS".into(),
                caching: "ReadOnly".into(),
                write_accelerator: false,
                size_gb: s.os_size_gb,
                create_option: "FromImage".into(),
                ephemeral_placement: Some("CacheDisk".into()),
                vhd_uri: None,
                source_resource: None,
                delete_option: "Delete".into(),
            }
        } else if s.unmanaged_os {
            VmDisk {
                lun: None,
                name: os_name_disk.clone(),
                disk_id: None,
                storage_type: "Standard_LRS".into(),
                caching: "ReadWrite".into(),
                write_accelerator: false,
                size_gb: s.os_size_gb,
                create_option: "FromImage".into(),
                ephemeral_placement: None,
                vhd_uri: Some(format!(
                    "https://{}vhds.blob.core.windows.net/vhds/{os_name_disk}.vhd",
                    name.replace('-', "")
                )),
                source_resource: None,
                delete_option: "Detach".into(),
            }
        } else {
            let did = self.disk(
                &sub,
                &rg,
                &os_name_disk,
                &loc,
                s.os_sku,
                s.os_size_gb,
                &id,
                Some(os_type),
                &s,
                None,
            );
            VmDisk {
                lun: None,
                name: os_name_disk,
                disk_id: Some(did),
                storage_type: s.os_sku.into(),
                caching: "ReadWrite".into(),
                write_accelerator: false,
                size_gb: s.os_size_gb,
                create_option: "FromImage".into(),
                ephemeral_placement: None,
                vhd_uri: None,
                source_resource: None,
                delete_option: "Delete".into(),
            }
        };
        let mut data_disks = Vec::new();
        for (i, d) in s.data.iter().enumerate() {
            let dname = if d.max_shares.is_some() {
                format!("{rg}-shared-quorum")
            } else {
                format!("{name}-data-{i:02}")
            };
            let exists = self.e.disks.contains_key(&key(&format!(
                "{}/providers/Microsoft.Compute/disks/{dname}",
                Self::rg_id(&sub, &rg)
            )));
            let did = if exists {
                let k = key(&format!(
                    "{}/providers/Microsoft.Compute/disks/{dname}",
                    Self::rg_id(&sub, &rg)
                ));
                if let Some(disk) = self.e.disks.get_mut(&k) {
                    disk.managed_by_extended.push(id.clone());
                    disk.id.clone()
                } else {
                    continue;
                }
            } else {
                self.disk(
                    &sub,
                    &rg,
                    &dname,
                    &loc,
                    d.sku,
                    d.size_gb,
                    &id,
                    None,
                    &s,
                    d.max_shares,
                )
            };
            data_disks.push(VmDisk {
                lun: Some(i as i64),
                name: dname,
                disk_id: Some(did),
                storage_type: d.sku.into(),
                caching: d.caching.into(),
                write_accelerator: d.write_accelerator,
                size_gb: d.size_gb,
                create_option: "Attach".into(),
                ephemeral_placement: None,
                vhd_uri: None,
                source_resource: None,
                delete_option: "Detach".into(),
            });
        }
        let subnet = self.subnet(&sub, &rg, &loc);
        let nic = format!(
            "{}/providers/Microsoft.Network/networkInterfaces/{name}-nic",
            Self::rg_id(&sub, &rg)
        );
        let n = self.e.nics.len();
        self.e.nics.insert(key(&nic), json!({
            "name": format!("{name}-nic"), "id": nic, "etag": format!("W/\"{}\"", guid(&nic)),
            "type": "Microsoft.Network/networkInterfaces", "location": loc, "tags": {},
            "properties": { "provisioningState": "Succeeded", "resourceGuid": guid(&format!("{nic}/guid")),
                "ipConfigurations": [ { "name": "ipconfig1", "id": format!("{nic}/ipConfigurations/ipconfig1"),
                    "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
                    "properties": { "provisioningState": "Succeeded", "privateIPAddress": format!("10.0.{}.{}", (n / 250) % 250, 4 + n % 250),
                        "privateIPAllocationMethod": "Dynamic", "subnet": { "id": subnet }, "primary": true, "privateIPAddressVersion": "IPv4" } } ],
                "enableAcceleratedNetworking": true, "primary": true, "nicType": "Standard",
                "virtualMachine": { "id": id } }
        }));
        let image = match s.image {
            Image::Default if s.linux => Some([
                "canonical".into(),
                "0001-com-ubuntu-server-jammy".into(),
                "22_04-lts-gen2".into(),
                "latest".into(),
            ]),
            Image::Default => Some([
                "MicrosoftWindowsServer".into(),
                "WindowsServer".into(),
                "2022-datacenter-azure-edition".into(),
                "latest".into(),
            ]),
            Image::Marketplace(publisher, offer, sku) => {
                Some([publisher.into(), offer.into(), sku.into(), "latest".into()])
            }
            Image::Custom => None,
        };
        let vm = Vm {
            id: id.clone(),
            name: name.clone(),
            location: loc,
            tags: s.tags.clone(),
            zones: s.zones.clone(),
            vm_id: guid(&format!("{id}/vmid")),
            size: s.size.clone(),
            os_type: os_type.into(),
            os_name: s.os_name.clone(),
            os_version: s.os_version.map(str::to_owned),
            agent_version: s.agent_version.map(str::to_owned),
            image,
            computer_name: name.replace('_', "-").chars().take(15).collect(),
            admin_username: "azureadmin".into(),
            os_disk,
            data_disks,
            nics: vec![nic],
            power: s.power.into(),
            provisioning: "Succeeded".into(),
            security_type: s.security_type.map(str::to_owned),
            vmss: s.vmss.clone(),
            availability_set: s.availability_set.clone(),
            ppg: s.ppg.clone(),
            disk_controller: Some(if s.nvme { "NVMe" } else { "SCSI" }.into()),
            ultra_ssd_enabled: s.ultra,
            hyperv_gen: "V2".into(),
            license_type: (!s.linux).then(|| "Windows_Server".to_owned()),
            encryption_at_host: s.cmk,
            time_created: self.now - s.age_days * 86_400.0,
            etag: 3,
            busy_until: 0.0,
            decor: s.decor.clone(),
            snapshot: None,
        };
        let k = key(&id);
        self.e.vms.insert(k.clone(), vm);
        k
    }

    /// Removes a VM with its NICs and disks, as a delete with everything it owned does;
    /// its collections and their points stay, pointing at the missing VM.
    pub fn remove_vm(&mut self, vm_key: &str) {
        let Some(vm) = self.e.vms.remove(vm_key) else {
            return;
        };
        for n in &vm.nics {
            self.e.nics.remove(&key(n));
        }
        for d in vm.all_disks() {
            if let Some(id) = &d.disk_id {
                self.e.disks.remove(&key(id));
            }
        }
    }

    /// Adds a collection for a VM (or, with `source_override`, pointing elsewhere).
    #[allow(clippy::too_many_arguments)]
    pub fn collection(
        &mut self,
        vm_key: &str,
        sub: &str,
        rg: &str,
        name: &str,
        location: &str,
        instant: bool,
        source_override: Option<String>,
    ) -> String {
        self.rg(sub, rg, location);
        let id = format!(
            "{}/providers/Microsoft.Compute/restorePointCollections/{name}",
            Self::rg_id(sub, rg)
        );
        let (source_id, source_location) = match (source_override, self.e.vms.get(vm_key)) {
            (Some(s), Some(vm)) => (s, vm.location.clone()),
            (None, Some(vm)) => (vm.id.clone(), vm.location.clone()),
            (Some(s), None) => (s, location.to_owned()),
            (None, None) => (String::new(), location.to_owned()),
        };
        let k = key(&id);
        self.e.collections.insert(
            k.clone(),
            Collection {
                id: id.clone(),
                name: name.into(),
                location: location.into(),
                tags: Tags::new(),
                source_id,
                source_location,
                instant_access: instant,
                uuid: guid(&format!("{id}/uuid")),
                provisioning: "Succeeded".into(),
                points: Vec::new(),
            },
        );
        k
    }

    /// Adds a succeeded point `age_hours` ago, capturing every disk of the VM except the
    /// excluded ones (matched by disk name suffix or exact id).
    #[allow(clippy::too_many_arguments)]
    pub fn point(
        &mut self,
        coll_key: &str,
        vm_key: &str,
        name: &str,
        age_hours: f64,
        mode: &str,
        exclude_names: &[String],
        ia_minutes: Option<i64>,
    ) {
        let Some(snapshot) = self.e.snapshot_of(vm_key) else {
            return;
        };
        let Some(snap) = self.e.snapshots.get(snapshot) else {
            return;
        };
        let Some(coll) = self.e.collections.get(coll_key) else {
            return;
        };
        let excluded: Vec<String> = snap
            .disks
            .iter()
            .filter(|d| exclude_names.iter().any(|x| d.name.eq_ignore_ascii_case(x)))
            .map(|d| d.disk_id.clone())
            .collect();
        // Ephemeral OS disks have no disk resource; their exclusion is by name-based id.
        let mut exclude = excluded.clone();
        if let Some(vm) = self.e.vms.get(vm_key)
            && vm.os_disk.ephemeral_placement.is_some()
        {
            exclude.push(format!(
                "{}/providers/Microsoft.Compute/disks/{}",
                vm.id
                    .rsplit_once("/providers/")
                    .map(|x| x.0)
                    .unwrap_or_default(),
                vm.os_disk.name
            ));
        }
        let created = self.now - age_hours * 3600.0;
        let disks: Vec<DiskPoint> = snap
            .disks
            .iter()
            .enumerate()
            .filter(|(_, d)| !excluded.iter().any(|x| x.eq_ignore_ascii_case(&d.disk_id)))
            .map(|(i, d)| DiskPoint {
                disk: i,
                uid: guid(&format!("{coll_key}/{name}/{}", d.name)),
                family_id: Uuid::from_u128(coll.uuid.as_u128() ^ d.source_unique_id.as_u128()),
                sas_until: None,
                source_drp: None,
                encryption: None,
            })
            .collect();
        let secs = 15.0 + 4.0 * disks.len() as f64;
        let p = Point {
            name: name.into(),
            consistency: mode.into(),
            exclude,
            instant_access_minutes: ia_minutes,
            created,
            ready_at: created + secs,
            provisioning: "Succeeded".into(),
            snapshot,
            disks,
            copy: None,
            failure: None,
        };
        if let Some(c) = self.e.collections.get_mut(coll_key) {
            c.points.push(p);
        }
    }

    /// A cross-region copy of `src_point` into `target` that started `started_min_ago`
    /// and takes `duration_min` minutes in total.
    pub fn copy(
        &mut self,
        target: &str,
        src_coll: &str,
        src_point: &str,
        name: &str,
        started_min_ago: f64,
        duration_min: f64,
    ) {
        let Some(sc) = self.e.collections.get(src_coll) else {
            return;
        };
        let Some(sp) = sc.point(src_point) else {
            return;
        };
        let Some(tc) = self.e.collections.get(target) else {
            return;
        };
        let Some(mut snap) = self.e.snapshots.get(sp.snapshot).cloned() else {
            return;
        };
        snap.location = tc.location.clone();
        let started = self.now - started_min_ago * 60.0;
        let disks = sp
            .disks
            .iter()
            .map(|d| DiskPoint {
                disk: d.disk,
                uid: guid(&format!("{target}/{name}/{}", d.uid)),
                family_id: d.family_id,
                sas_until: None,
                source_drp: Some(crate::emulator::render::drp_id(&self.e, sc, sp, d)),
                encryption: None,
            })
            .collect();
        let done = started + duration_min * 60.0;
        let p = Point {
            name: name.into(),
            consistency: sp.consistency.clone(),
            exclude: sp.exclude.clone(),
            instant_access_minutes: None,
            created: started,
            ready_at: done,
            provisioning: if done <= self.now {
                "Succeeded".into()
            } else {
                "Creating".into()
            },
            snapshot: 0,
            disks,
            copy: Some(Box::new(crate::emulator::state::CopyInfo {
                source_point_id: format!("{}/restorePoints/{}", sc.id, sp.name),
                source_location: sc.location.clone(),
                started,
                duration: duration_min * 60.0,
            })),
            failure: None,
        };
        let sub = tc.id.split('/').nth(2).unwrap_or_default().to_owned();
        let location = tc.location.clone();
        self.e.snapshots.push(snap);
        let p = Point {
            snapshot: self.e.snapshots.len() - 1,
            ..p
        };
        let pending = p.provisioning == "Creating";
        if let Some(c) = self.e.collections.get_mut(target) {
            c.points.push(p);
        }
        if pending {
            let id = guid(&format!("{target}/{name}/op"));
            self.e.operations.insert(
                id.to_string(),
                Operation {
                    id,
                    subscription: sub,
                    location,
                    started,
                    done_at: done,
                    failure: None,
                    effect: Effect::PointReady {
                        collection: target.into(),
                        point: name.into(),
                    },
                    applied: false,
                    result: None,
                },
            );
            self.e.pending.edit().push(id.to_string());
        }
    }
}
