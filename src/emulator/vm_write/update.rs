//! VM updates (PUT of an existing VM, PATCH): size, tags, data disks, OS disk swap.

use serde_json::Value;

use super::create::nics_of;
use super::disks::{attach_all, data_disk, detach};
use super::swap::os_disk_swap;
use super::{bad, vm_key};
use crate::emulator::disk_rules::host_caching;
use crate::emulator::errors::{ArmError, ArmResult};
use crate::emulator::lro;
use crate::emulator::render;
use crate::emulator::routes::{norm_location, parse_tags, str_at};
use crate::emulator::server::{Ctx, Reply};
use crate::emulator::state::{Effect, Tags, VmDisk, key};

pub(super) fn update(
    ctx: &mut Ctx<'_>,
    body: &Value,
    sub: &str,
    rg: &str,
    name: &str,
    full: bool,
) -> ArmResult<Reply> {
    let k = vm_key(sub, rg, name);
    let vm = ctx.estate.vms.get(&k).cloned().ok_or_else(|| {
        ArmError::resource_not_found("Microsoft.Compute/virtualMachines", name, rg)
    })?;
    if vm.provisioning == "Deleting" {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!("Virtual machine '{name}' is being deleted."),
        ));
    }
    let creating_point = crate::emulator::rules::collections_of(ctx.estate, &vm.id)
        .flat_map(|c| c.points.iter())
        .any(|p| p.copy.is_none() && p.provisioning == "Creating");
    if creating_point {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!(
                "Changes cannot be made to Virtual Machine '{name}' while the operation 'Create Restore Point' is in progress."
            ),
        ));
    }
    if let Some(l) = str_at(body, &["location"]).map(norm_location)
        && l != vm.location
    {
        return Err(ArmError::bad_request(
            "PropertyChangeNotAllowed",
            "Changing property 'location' is not allowed.",
        ));
    }
    let mut next = vm.clone();
    if let Some(t) = parse_tags(body)? {
        next.tags = t;
    } else if full {
        next.tags = Tags::new();
    }
    if let Some(s) = str_at(body, &["properties", "hardwareProfile", "vmSize"]) {
        next.size = s.to_owned();
    }
    if let Some(u) = body
        .pointer("/properties/additionalCapabilities/ultraSSDEnabled")
        .and_then(Value::as_bool)
    {
        next.ultra_ssd_enabled = u;
    }
    let mut new_disks = Vec::new();
    let mut detached: Vec<String> = Vec::new();
    // OS disk swap: a different managed disk id for the OS disk.
    if let Some(os) = body.pointer("/properties/storageProfile/osDisk")
        && let Some(new_id) = str_at(os, &["managedDisk", "id"])
        && !vm
            .os_disk
            .disk_id
            .as_deref()
            .is_some_and(|cur| cur.eq_ignore_ascii_case(new_id))
    {
        if let Some(old) = &vm.os_disk.disk_id {
            detached.push(old.clone());
        }
        next.os_disk = os_disk_swap(ctx, &vm, os, new_id)?;
    }
    if let Some(list) = body.pointer("/properties/storageProfile/dataDisks") {
        let list = list
            .as_array()
            .ok_or_else(|| bad("dataDisks must be an array.", "storageProfile.dataDisks"))?;
        let mut data = Vec::new();
        for v in list {
            let lun = v.get("lun").and_then(Value::as_i64);
            if v.get("toBeDetached").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            // A disk already at this lun stays as it is.
            if let Some(cur) = vm
                .data_disks
                .iter()
                .find(|d| Some(d.lun) == Some(lun) && lun.is_some())
            {
                let same = str_at(v, &["managedDisk", "id"]).is_none_or(|id| {
                    cur.disk_id
                        .as_deref()
                        .is_some_and(|c| c.eq_ignore_ascii_case(id))
                });
                if same {
                    let mut keep = cur.clone();
                    if let Some(c) = str_at(v, &["caching"]) {
                        host_caching(&keep.storage_type, c, "dataDisks.caching")?;
                        keep.caching = c.to_owned();
                    }
                    if let Some(w) = v.get("writeAcceleratorEnabled").and_then(Value::as_bool) {
                        keep.write_accelerator = w;
                    }
                    data.push(keep);
                    continue;
                }
            }
            let nd = data_disk(
                ctx,
                v,
                sub,
                rg,
                name,
                &vm.id,
                &vm.location,
                &vm.zones,
                next.ultra_ssd_enabled,
            )?;
            if data.iter().any(|d: &VmDisk| d.lun == nd.slot.lun) {
                return Err(bad("Two data disks use the same lun.", "dataDisks.lun"));
            }
            if let Some(d) = nd.create {
                new_disks.push(d);
            }
            data.push(nd.slot);
        }
        for old in &vm.data_disks {
            let kept = data
                .iter()
                .any(|d| d.disk_id.is_some() && d.disk_id == old.disk_id);
            if !kept && let Some(id) = &old.disk_id {
                detached.push(id.clone());
            }
        }
        next.data_disks = data;
    }
    if let Some(nics) = nics_of(ctx, body, &vm.id)? {
        next.nics = nics;
    }
    for d in new_disks {
        ctx.estate.disks.insert(key(&d.id), d);
    }
    for id in &detached {
        detach(ctx, id, &vm.id);
    }
    next.etag += 1;
    next.snapshot = None;
    next.provisioning = "Updating".into();
    next.busy_until = ctx.now + 30.0;
    attach_all(ctx, &next);
    let loc = next.location.clone();
    ctx.estate.vms.insert(k.clone(), next);
    let op = lro::start(
        ctx,
        sub,
        &loc,
        30.0,
        Effect::VmReady { vm: k.clone() },
        None,
    );
    let vm = ctx
        .estate
        .vms
        .get(&k)
        .ok_or_else(|| ArmError::internal("vm vanished"))?;
    let reply = Reply::ok(render::vm(ctx.estate, vm, false, false, ctx.now));
    Ok(lro::headers(ctx, reply, op))
}
