//! Virtual machines: list (all, by group, by location), get (`$expand=instanceView|userData`),
//! instance view, PUT/PATCH (see `vm_write`), power actions and delete.

use axum::http::{Method, StatusCode};

use super::{norm_location, page, require_scope, scope_prefix};
use crate::emulator::errors::{ArmError, ArmResult};
use crate::emulator::lro;
use crate::emulator::render;
use crate::emulator::server::{Ctx, Reply, Req};
use crate::emulator::state::{Effect, Vm, key};

pub fn vm_key(sub: &str, rg: &str, name: &str) -> String {
    key(&format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}"
    ))
}

pub fn list(
    ctx: &mut Ctx<'_>,
    req: &Req,
    sub: &str,
    rg: Option<&str>,
    location: Option<&str>,
) -> ArmResult<Reply> {
    require_scope(ctx, sub, rg)?;
    let prefix = scope_prefix(sub, rg);
    let loc = location.map(norm_location);
    // `$filter='virtualMachineScaleSet/id' eq '<id>'` is the one filter ARM supports here.
    let vmss_filter = req.q("$filter").and_then(|f| {
        let (lhs, rhs) = f.split_once(" eq ")?;
        lhs.contains("virtualMachineScaleSet/id")
            .then(|| rhs.trim().trim_matches('\'').to_ascii_lowercase())
    });
    let expand_iv = req.expand_has("instanceView");
    if expand_iv && vmss_filter.is_none() {
        return Err(ArmError::bad_request(
            "InvalidParameter",
            "The $expand=instanceView option of a VM list can only be specified together with a valid $filter option.",
        )
        .with_target("$expand"));
    }
    let status_only = req
        .q("statusOnly")
        .is_some_and(|s| s.eq_ignore_ascii_case("true"));
    let vms: Vec<&Vm> = ctx
        .estate
        .vms
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(_, v)| v)
        .filter(|v| loc.as_ref().is_none_or(|l| v.location == *l))
        .filter(|v| {
            vmss_filter.as_ref().is_none_or(|f| {
                v.vmss
                    .as_ref()
                    .is_some_and(|(id, _)| id.eq_ignore_ascii_case(f))
            })
        })
        .collect();
    let e = &*ctx.estate;
    let now = ctx.now;
    page(ctx, req, &vms, |v| {
        render::vm(e, v, expand_iv || status_only, false, now)
    })
}

/// A scale set, as far as its member VMs describe it: enough for `orchestrationMode`,
/// which tells Flexible members (restore points per VM) from Uniform instances (refused).
pub fn scale_set(ctx: &mut Ctx<'_>, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    require_scope(ctx, sub, Some(rg))?;
    let id = format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}"
    );
    let member = ctx.estate.vms.values().find(|v| {
        v.vmss
            .as_ref()
            .is_some_and(|(ss, _)| ss.eq_ignore_ascii_case(&id))
    });
    let Some(vm) = member else {
        return Err(ArmError::resource_not_found(
            "Microsoft.Compute/virtualMachineScaleSets",
            name,
            rg,
        ));
    };
    let uniform = vm.vmss.as_ref().is_some_and(|(_, u)| *u);
    Ok(Reply::ok(serde_json::json!({
        "id": id, "name": name, "type": "Microsoft.Compute/virtualMachineScaleSets",
        "location": vm.location,
        "properties": {
            "orchestrationMode": if uniform { "Uniform" } else { "Flexible" },
            "provisioningState": "Succeeded"
        }
    })))
}

fn find<'a>(ctx: &'a Ctx<'_>, sub: &str, rg: &str, name: &str) -> ArmResult<&'a Vm> {
    require_scope(ctx, sub, Some(rg))?;
    ctx.estate
        .vms
        .get(&vm_key(sub, rg, name))
        .ok_or_else(|| ArmError::resource_not_found("Microsoft.Compute/virtualMachines", name, rg))
}

pub fn vm(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    match req.method {
        Method::GET => {
            let v = find(ctx, sub, rg, name)?;
            Ok(Reply::ok(render::vm(
                ctx.estate,
                v,
                req.expand_has("instanceView"),
                req.expand_has("userData"),
                ctx.now,
            )))
        }
        Method::PUT => crate::emulator::vm_write::put(ctx, req, sub, rg, name),
        Method::PATCH => crate::emulator::vm_write::patch(ctx, req, sub, rg, name),
        Method::DELETE => delete(ctx, sub, rg, name),
        _ => Err(ArmError::method_not_allowed()),
    }
}

fn delete(ctx: &mut Ctx<'_>, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    require_scope(ctx, sub, Some(rg))?;
    let k = vm_key(sub, rg, name);
    let Some(v) = ctx.estate.vms.get_mut(&k) else {
        return Ok(Reply::empty(StatusCode::NO_CONTENT));
    };
    if v.provisioning == "Deleting" {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!("Virtual machine '{name}' is already being deleted."),
        ));
    }
    v.provisioning = "Deleting".into();
    v.power = "stopping".into();
    let loc = v.location.clone();
    let op = lro::start(ctx, sub, &loc, 45.0, Effect::DeleteVm { vm: k }, None);
    Ok(lro::headers(ctx, Reply::empty(StatusCode::ACCEPTED), op))
}

pub fn action(
    ctx: &mut Ctx<'_>,
    req: &Req,
    sub: &str,
    rg: &str,
    name: &str,
    action: &str,
) -> ArmResult<Reply> {
    let k = vm_key(sub, rg, name);
    if action == "instanceview" {
        if req.method != Method::GET {
            return Err(ArmError::method_not_allowed());
        }
        let v = find(ctx, sub, rg, name)?;
        return Ok(Reply::ok(render::vm_instance_view(v, ctx.now)));
    }
    let (transitional, target, secs) = match action {
        "deallocate" => ("deallocating", "deallocated", 60.0),
        "start" => ("starting", "running", 45.0),
        "poweroff" => ("stopping", "stopped", 30.0),
        "restart" => ("starting", "running", 40.0),
        _ => {
            return Err(ArmError::new(
                StatusCode::NOT_FOUND,
                "InvalidResourceType",
                format!(
                    "The resource type 'virtualMachines/{action}' could not be found in the namespace 'Microsoft.Compute'."
                ),
            ));
        }
    };
    if req.method != Method::POST {
        return Err(ArmError::method_not_allowed());
    }
    find(ctx, sub, rg, name)?;
    let Some(v) = ctx.estate.vms.get_mut(&k) else {
        return Err(ArmError::resource_not_found(
            "Microsoft.Compute/virtualMachines",
            name,
            rg,
        ));
    };
    if v.provisioning == "Deleting" {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!(
                "Operation '{action}' is not allowed on VM '{name}' since the VM is being deleted."
            ),
        ));
    }
    if action == "restart" && v.power != "running" {
        return Err(ArmError::conflict(
            "OperationNotAllowed",
            format!(
                "Operation 'restart' is not allowed on VM '{name}' since the VM is not running."
            ),
        ));
    }
    let previous = v.power.clone();
    v.power = transitional.into();
    v.provisioning = "Updating".into();
    v.busy_until = ctx.now + secs;
    let loc = v.location.clone();
    let op = lro::start(
        ctx,
        sub,
        &loc,
        secs,
        Effect::VmPower {
            vm: k,
            power: target.into(),
            previous,
        },
        None,
    );
    Ok(lro::headers(ctx, Reply::empty(StatusCode::ACCEPTED), op))
}
