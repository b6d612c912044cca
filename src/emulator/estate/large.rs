//! `large:N`: a deterministic generated fleet for scale work — N VMs over max(1, N/500)
//! subscriptions, 50 VMs per resource group, a mix of disk types and sizes, one
//! collection per VM with ten daily points each.

use super::{Builder, DataSpec, VmSpec};
use crate::emulator::state::Estate;

const REGIONS: &[&str] = &[
    "eastus",
    "westus2",
    "westeurope",
    "northeurope",
    "eastus2",
    "centralus",
];
const SKUS: &[&str] = &[
    "Premium_LRS",
    "StandardSSD_LRS",
    "Standard_LRS",
    "Premium_ZRS",
    "PremiumV2_LRS",
];
const SIZES: &[i64] = &[64, 128, 256, 512, 1024, 2048];
const POINTS_PER_VM: usize = 10;

pub fn sub_id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{:012x}", i + 1)
}

pub fn build(n: usize, now: f64) -> Estate {
    let mut b = Builder::new(now);
    let subs = (n / 500).max(1);
    for s in 0..subs {
        b.sub(
            &sub_id(s),
            &format!("Contoso Scale {:03}", s + 1),
            &[("env", "scale")],
        );
    }
    for i in 0..n {
        let sub = sub_id(i % subs);
        let region = REGIONS[(i / 7) % REGIONS.len()];
        let rg = format!("rg-fleet-{:04}", i / 50);
        let name = format!("vm-{i:05}");
        let mut s = VmSpec::new(
            &sub,
            &rg,
            &name,
            region,
            if i % 3 == 0 {
                "Standard_D4s_v5"
            } else {
                "Standard_D2s_v5"
            },
            i % 4 != 0,
        );
        s.os_sku = if i % 5 == 0 {
            "StandardSSD_LRS"
        } else {
            "Premium_LRS"
        };
        for d in 0..(i % 3) {
            let sku = SKUS[(i + d) % SKUS.len()];
            s.data.push(DataSpec {
                sku,
                size_gb: SIZES[(i * 7 + d) % SIZES.len()],
                caching: if sku == "PremiumV2_LRS" {
                    "None"
                } else {
                    "ReadOnly"
                },
                write_accelerator: false,
                max_shares: None,
            });
        }
        s.age_days = 30.0 + (i % 200) as f64;
        let vm = b.vm(s);
        let c = b.collection(&vm, &sub, &rg, &format!("{name}-rpc"), region, false, None);
        for p in 0..POINTS_PER_VM {
            let age = 5.0 + (POINTS_PER_VM - 1 - p) as f64 * 24.0 + (i % 12) as f64;
            let mode = if p % 4 == 3 && i % 3 == 0 {
                "CrashConsistent"
            } else {
                "ApplicationConsistent"
            };
            b.point(&c, &vm, &format!("rp-{p:02}"), age, mode, &[], None);
        }
    }
    b.e
}
