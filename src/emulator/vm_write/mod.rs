//! VM PUT (create or full update) and PATCH (partial update): sizes, tags, data disks
//! attached, created empty, copied or restored from a disk restore point, and the
//! in-place OS disk swap. Every accepted change is a long-running operation during which
//! the VM is `Updating` (and restore points are refused).

mod create;
mod disks;
mod swap;
mod update;

use axum::http::{HeaderMap, StatusCode};

use super::errors::{ArmError, ArmResult};
use super::server::{Ctx, Reply, Req};
use super::state::Vm;
use create::create;
use update::update;

pub(super) fn rg_id(sub: &str, rg: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}")
}

pub(super) fn vm_key(sub: &str, rg: &str, name: &str) -> String {
    super::routes::vms::vm_key(sub, rg, name)
}

pub(super) fn bad(msg: impl Into<String>, target: &str) -> ArmError {
    ArmError::bad_request("InvalidParameter", msg).with_target(target)
}

/// `If-Match` / `If-None-Match` against the VM's etag.
fn preconditions(headers: &HeaderMap, existing: Option<&Vm>) -> ArmResult<()> {
    let failed = |m: &str| {
        ArmError::new(
            StatusCode::PRECONDITION_FAILED,
            "PreconditionFailed",
            m.to_owned(),
        )
    };
    if let Some(v) = headers.get("if-none-match").and_then(|v| v.to_str().ok())
        && v.trim() == "*"
        && existing.is_some()
    {
        return Err(failed(
            "The virtual machine already exists (If-None-Match: *).",
        ));
    }
    if let Some(v) = headers.get("if-match").and_then(|v| v.to_str().ok()) {
        let want = v.trim();
        match existing {
            None if want != "*" => {
                return Err(failed("The virtual machine does not exist (If-Match)."));
            }
            Some(vm) if want != "*" && want.trim_matches('"') != vm.etag.to_string() => {
                return Err(failed(
                    "The etag in If-Match does not match the virtual machine's current etag.",
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

pub fn put(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    super::routes::require_scope(ctx, sub, Some(rg))?;
    let body = req.json()?;
    let k = vm_key(sub, rg, name);
    preconditions(&req.headers, ctx.estate.vms.get(&k))?;
    if ctx.estate.vms.contains_key(&k) {
        return update(ctx, &body, sub, rg, name, true);
    }
    create(ctx, &body, sub, rg, name)
}

pub fn patch(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    super::routes::require_scope(ctx, sub, Some(rg))?;
    let body = req.json()?;
    let k = vm_key(sub, rg, name);
    if !ctx.estate.vms.contains_key(&k) {
        return Err(ArmError::resource_not_found(
            "Microsoft.Compute/virtualMachines",
            name,
            rg,
        ));
    }
    preconditions(&req.headers, ctx.estate.vms.get(&k))?;
    update(ctx, &body, sub, rg, name, false)
}
