//! Executing one undo step. Deletions delete only what carries the run's tag; a swapped VM
//! goes back on its original disks at their LUNs and is started if it ran before.

#![allow(clippy::result_large_err)]

use super::steps::{Done, StepCtx, StepFail, is_ours};
use crate::arm::Cancel;
use crate::model::{PowerState, ResourceId};
use crate::restore::vm_patch::{attach_call, detach_call, has_any_data_disk, swap_os_call};
use crate::restore::{OriginalVm, TAG_REPLACED, UndoStep};

/// Runs one undo step.
pub async fn execute_undo(ctx: &StepCtx, step: &UndoStep) -> Result<Done, StepFail> {
    match step {
        UndoStep::PutBackVm { original, restored } => put_back(ctx, original, restored).await,
        UndoStep::UntagReplaced { disk_ids } => {
            let mut done = skipped("no tag to remove");
            for id in disk_ids {
                let mut disk = match ctx.client.get_disk(id).await {
                    Ok(d) => d,
                    Err(e) if e.is_not_found() => continue,
                    Err(e) => return Err(e.into()),
                };
                if disk.tags.get(TAG_REPLACED) != Some(&ctx.run_id) {
                    continue;
                }
                disk.tags.remove(TAG_REPLACED);
                ctx.client
                    .patch_disk_tags(id, &disk.tags, &Cancel::new())
                    .await?;
                done = Done::default();
            }
            Ok(done)
        }
        UndoStep::DeleteVm { vm_id } => match ctx.client.get_vm(vm_id, false).await {
            Err(e) if e.is_not_found() => Ok(skipped("not there")),
            Err(e) => Err(e.into()),
            Ok(vm) if !is_ours(&vm.tags, &ctx.run_id) => Ok(not_ours()),
            Ok(_) => {
                (ctx.report)(format!("Deleting VM {}", vm_id.name()), None);
                ctx.client
                    .delete_vm(vm_id, &ctx.progress("Deleting"), &Cancel::new())
                    .await?;
                Ok(Done::default())
            }
        },
        UndoStep::DeleteNic { nic_id } => match ctx.client.get_nic(nic_id).await {
            Err(e) if e.is_not_found() => Ok(skipped("not there")),
            Err(e) => Err(e.into()),
            Ok(nic) if !is_ours(&nic.tags, &ctx.run_id) => Ok(not_ours()),
            Ok(_) => {
                ctx.client.delete_nic(nic_id, &Cancel::new()).await?;
                Ok(Done::default())
            }
        },
        UndoStep::DeleteDisk { disk_id } => match ctx.client.get_disk(disk_id).await {
            Err(e) if e.is_not_found() => Ok(skipped("not there")),
            Err(e) => Err(e.into()),
            Ok(d) if !is_ours(&d.tags, &ctx.run_id) => Ok(not_ours()),
            Ok(d) if d.managed_by.is_some() => Err(StepFail::Refused(format!(
                "{} is attached to {}: detach it first (rpdesk does not detach a disk from a VM it did not change)",
                disk_id.name(),
                d.managed_by
                    .as_deref()
                    .and_then(|m| m.rsplit('/').next())
                    .unwrap_or("a VM")
            ))),
            Ok(_) => {
                ctx.client
                    .delete_disk(disk_id, &ctx.progress("Deleting"), &Cancel::new())
                    .await?;
                Ok(Done::default())
            }
        },
    }
}

fn skipped(note: &str) -> Done {
    Done {
        skipped: true,
        note: Some(note.to_owned()),
        ..Default::default()
    }
}

fn not_ours() -> Done {
    skipped("not created by this run: left alone")
}

/// Whether the VM is on its original disks, with none of the restored ones attached.
fn on_original_disks(
    vm: &crate::model::VirtualMachine,
    original: &OriginalVm,
    restored: &[ResourceId],
) -> bool {
    let os_now = vm
        .os_disk()
        .and_then(|d| d.managed_disk.as_ref()?.id.as_deref())
        .and_then(|id| ResourceId::parse(id).ok());
    let data_in_place = original.data_disks.iter().all(|want| {
        vm.data_disks().iter().any(|d| {
            Some(d.lun) == want.lun
                && crate::restore::vm_patch::data_disk_id(d).as_ref() == Some(&want.disk_id)
        })
    });
    os_now == original.os_disk_id && data_in_place && !has_any_data_disk(vm, restored)
}

async fn put_back(
    ctx: &StepCtx,
    original: &OriginalVm,
    restored: &[ResourceId],
) -> Result<Done, StepFail> {
    let vm_id = &original.vm_id;
    let mut vm = match ctx.client.get_vm(vm_id, true).await {
        Ok(vm) => vm,
        Err(e) if e.is_not_found() => return Ok(skipped("the VM is gone")),
        Err(e) => return Err(e.into()),
    };
    let mut changed = false;
    if !on_original_disks(&vm, original, restored) {
        ctx.deallocate(vm_id).await?;
        vm = ctx.client.get_vm(vm_id, false).await?;
        if let Some(call) = detach_call(&vm, restored) {
            ctx.send(&call, "Detaching the restored data disks").await?;
            vm = ctx.client.get_vm(vm_id, false).await?;
        }
        if let Some(call) = attach_call(&vm, &original.data_disks) {
            ctx.send(&call, "Attaching the original data disks").await?;
            vm = ctx.client.get_vm(vm_id, false).await?;
        }
        if let (Some(os), Some(name)) = (&original.os_disk_id, &original.os_disk_name)
            && let Some(call) = swap_os_call(&vm, os, name)
        {
            ctx.send(&call, "Swapping the original OS disk back")
                .await?;
        }
        changed = true;
    }
    if original.was_running {
        let power = ctx.client.get_vm(vm_id, true).await?.power_state();
        if !matches!(power, Some(PowerState::Running | PowerState::Starting)) {
            ctx.start(vm_id).await?;
            changed = true;
        }
    }
    Ok(if changed {
        Done::default()
    } else {
        skipped("already on its original disks")
    })
}
