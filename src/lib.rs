//! rpdesk: Restore Point Desk. See `DESIGN.md` in the shared folder for the contract;
//! data flows ARM → `arm` → `backend` → domain modules → `ui`.

pub mod emulator;
pub mod model;
