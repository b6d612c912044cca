//! Odd input from the server never panics the engine.

use proptest::prelude::*;
use serde_json::json;

use super::{Fixture, now};
use crate::rules::{Mode, RuleId, assess};

proptest! {
    #[test]
    fn assess_never_panics_on_odd_names(
        size in ".{0,24}",
        location in ".{0,16}",
        os_name in ".{0,24}",
        api in ".{0,12}",
        caching in prop::sample::select(vec!["None", "ReadOnly", "ReadWrite", "Weird", ""]),
        sku in prop::sample::select(vec!["Premium_LRS", "UltraSSD_LRS", "PremiumV2_LRS", "Nope", ""]),
    ) {
        let e = Fixture::linux()
            .data_disk("d1", sku)
            .data_entry(0, |d| d["caching"] = json!(caching))
            .vm(|v| {
                v["location"] = json!(location);
                v["properties"]["hardwareProfile"]["vmSize"] = json!(size);
                v["properties"]["instanceView"]["osName"] = json!(os_name);
            })
            .build();
        let mut facts = e.facts();
        facts.api_version = &api;
        for mode in [Mode::ApplicationConsistent, Mode::CrashConsistent] {
            let a = assess(&facts, mode, now());
            prop_assert_eq!(a.results.len(), RuleId::ALL.len());
        }
    }
}
