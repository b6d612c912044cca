//! Estates the emulator starts with (`demo`, `large:N`, `empty`) and the builder they
//! share. Ids and GUIDs are derived from names by hashing, so an estate is the same on
//! every start; times are relative to the start of the virtual clock.

mod builder;
pub mod demo;
pub mod large;

pub use builder::{Builder, DataSpec, Image, VmSpec, data};
use uuid::Uuid;

use super::EstateSpec;
use super::state::Estate;

pub const TENANT: &str = "4b1e8c2a-9d3f-4a6e-b5c7-0e2f1a3d5c00";

pub fn build(spec: &EstateSpec, now: f64) -> Estate {
    match spec {
        EstateSpec::Demo => demo::build(now),
        EstateSpec::Large(n) => large::build(*n, now),
        EstateSpec::Empty => Estate::default(),
    }
}

/// A stable GUID from a name: FNV-1a over two seeds, each finished with the splitmix64
/// mixer so that similar names give unrelated GUIDs. Not cryptographic, just stable.
pub fn guid(name: &str) -> Uuid {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x8422_2325_cbf2_9ce4;
    for byte in name.bytes() {
        a = (a ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        b = (b ^ u64::from(byte))
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(5);
    }
    let raw = (u128::from(mix(a)) << 64) | u128::from(mix(b ^ a.rotate_left(17)));
    // Stamp version 4 / RFC 4122 variant bits so the text looks like any Azure GUID.
    let raw = (raw & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    Uuid::from_u128(raw)
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_and_unrelated_for_similar_names() {
        assert_eq!(guid("vm-00001"), guid("vm-00001"));
        let (a, b) = (guid("vm-00001").to_string(), guid("vm-00002").to_string());
        assert_ne!(a[..8], b[..8]);
        assert_eq!(&a[14..15], "4");
    }
}
