//! VM PUT and PATCH.

use axum::http::StatusCode;

use super::errors::{ArmError, ArmResult};
use super::server::{Ctx, Reply, Req};

pub fn put(_ctx: &mut Ctx<'_>, _req: &Req, _sub: &str, _rg: &str, _name: &str) -> ArmResult<Reply> {
    Err(ArmError::new(
        StatusCode::NOT_IMPLEMENTED,
        "NotImplemented",
        "VM PUT is not implemented by the emulator yet.",
    ))
}

pub fn patch(
    _ctx: &mut Ctx<'_>,
    _req: &Req,
    _sub: &str,
    _rg: &str,
    _name: &str,
) -> ArmResult<Reply> {
    Err(ArmError::new(
        StatusCode::NOT_IMPLEMENTED,
        "NotImplemented",
        "VM PATCH is not implemented by the emulator yet.",
    ))
}
