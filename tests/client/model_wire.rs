//! The model against Microsoft's own example responses, and round-trips of the model.
//!
//! `RPDESK_ARM_EXAMPLES` (and optionally `RPDESK_ARM_REPLAY`) name folders of example
//! files (`{"parameters":…, "responses":{"200":{"body":…}}}`); `.ci/run` points them at
//! the shared folders. Without them the example test says so and checks nothing.

use std::path::PathBuf;

use proptest::prelude::*;
use rpdesk::model::*;
use serde::de::DeserializeOwned;

fn example_files() -> Option<Vec<PathBuf>> {
    let examples = std::env::var("RPDESK_ARM_EXAMPLES").ok()?;
    let replay = std::env::var("RPDESK_ARM_REPLAY").unwrap_or_default();
    let mut files: Vec<PathBuf> = [examples, replay]
        .into_iter()
        .filter(|d| !d.is_empty())
        .flat_map(|d| {
            std::fs::read_dir(d)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
        })
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Some(files)
}

fn parse<T: DeserializeOwned>(body: &serde_json::Value, what: &str) -> Result<(), String> {
    serde_json::from_value::<T>(body.clone())
        .map(drop)
        .map_err(|e| format!("{what}: {e}"))
}

/// Which model type a file's responses are, from its name.
fn check_body(name: &str, body: &serde_json::Value) -> Result<&'static str, String> {
    let n = name.to_ascii_lowercase();
    let list = n.contains("list");
    let kind = if n.starts_with("getsubscriptions") {
        parse::<Page<Subscription>>(body, name).map(|_| "Page<Subscription>")
    } else if n.starts_with("diskrestorepoint") {
        if n.contains("grantaccess") {
            body.get("accessSAS")
                .and_then(|v| v.as_str())
                .map(|_| "AccessUri")
                .ok_or(format!("{name}: no accessSAS"))
        } else if list {
            parse::<Page<DiskRestorePoint>>(body, name).map(|_| "Page<DiskRestorePoint>")
        } else {
            parse::<DiskRestorePoint>(body, name).map(|_| "DiskRestorePoint")
        }
    } else if n.starts_with("restorepointcollection") {
        if list {
            parse::<Page<RestorePointCollection>>(body, name)
                .map(|_| "Page<RestorePointCollection>")
        } else {
            parse::<RestorePointCollection>(body, name).map(|_| "RestorePointCollection")
        }
    } else if n.starts_with("restorepoint") {
        parse::<RestorePoint>(body, name).map(|_| "RestorePoint")
    } else if n.starts_with("disk") {
        if list {
            parse::<Page<Disk>>(body, name).map(|_| "Page<Disk>")
        } else {
            parse::<Disk>(body, name).map(|_| "Disk")
        }
    } else if n.starts_with("virtualmachine") {
        if n.contains("instanceview") {
            parse::<VmInstanceView>(body, name).map(|_| "VmInstanceView")
        } else if list {
            parse::<Page<VirtualMachine>>(body, name).map(|_| "Page<VirtualMachine>")
        } else {
            parse::<VirtualMachine>(body, name).map(|_| "VirtualMachine")
        }
    } else {
        Err(format!("{name}: no model type for this file"))
    }?;
    Ok(kind)
}

#[test]
fn every_example_response_parses_into_the_model() {
    let Some(files) = example_files() else {
        println!("RPDESK_ARM_EXAMPLES is not set: skipping the Microsoft example check");
        return;
    };
    assert!(
        !files.is_empty(),
        "RPDESK_ARM_EXAMPLES names no example files"
    );
    let mut failures = Vec::new();
    let mut checked = 0;
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let Some(responses) = doc.get("responses").and_then(|r| r.as_object()) else {
            continue;
        };
        for (status, response) in responses {
            let Some(body) = response.get("body") else {
                continue;
            };
            match check_body(&name, body) {
                Ok(_) => checked += 1,
                Err(e) => failures.push(format!("{status} {e}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bodies failed:\n{}",
        failures.len(),
        checked + failures.len(),
        failures.join("\n")
    );
    println!("{checked} example bodies parsed");
}

fn arb_id() -> impl Strategy<Value = ResourceId> {
    (
        "[0-9a-f]{8}",
        "[A-Za-z0-9_-]{1,12}",
        "[A-Za-z0-9_.-]{1,20}",
        "[A-Za-z0-9_-]{1,20}",
    )
        .prop_map(|(sub, rg, rpc, rp)| {
            ResourceId::resource_group_id(&sub, &rg)
                .provider_child("Microsoft.Compute", "restorePointCollections", &rpc)
                .child("restorePoints", &rp)
        })
}

fn arb_mode() -> impl Strategy<Value = Option<ConsistencyMode>> {
    prop_oneof![
        Just(None),
        Just(Some(ConsistencyMode::ApplicationConsistent)),
        Just(Some(ConsistencyMode::CrashConsistent)),
        "[A-Za-z]{3,12}".prop_map(|s| Some(ConsistencyMode::parse(&s))),
    ]
}

proptest! {
    #[test]
    fn resource_ids_print_and_parse_back(id in arb_id()) {
        let again = ResourceId::parse(id.as_str()).unwrap();
        prop_assert_eq!(&again, &id);
        prop_assert_eq!(again.as_str(), id.as_str());
        prop_assert_eq!(again.parent().unwrap().child("restorePoints", id.name()), id);
    }

    #[test]
    fn restore_points_round_trip(id in arb_id(), mode in arb_mode(), secs in 0i64..4_000_000_000, excluded in 0usize..4, minutes in proptest::option::of(60i64..300)) {
        let point = RestorePoint::new(
            id.clone(),
            RestorePointProperties {
                exclude_disks: (0..excluded).map(|i| SubResource { id: format!("/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/disks/d{i}").into() }).collect(),
                consistency_mode: mode,
                time_created: Some(Timestamp::from_unix_secs(secs)),
                provisioning_state: Some(ProvisioningState::Succeeded),
                instant_access_duration_minutes: minutes,
                ..Default::default()
            },
        );
        let json = serde_json::to_string(&point).unwrap();
        let back: RestorePoint = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(serde_json::to_value(&back).unwrap(), serde_json::to_value(&point).unwrap());
        prop_assert_eq!(back.name(), id.name());
    }

    #[test]
    fn arbitrary_json_never_panics_the_model(text in "\\PC{0,200}") {
        let _ = serde_json::from_str::<VirtualMachine>(&text);
        let _ = serde_json::from_str::<RestorePointCollection>(&text);
        let _ = ArmErrorBody::parse(text.as_bytes());
    }
}
