//! The plan's steps, order, bodies, and the `az` commands shown beside them.

use serde_json::Value;

use super::*;
use crate::model::CallMethod;
use crate::restore::az::{commands, split_shell};
use crate::restore::{Plan, StepKind, TAG_REPLACED, TAG_RUN, Target, plan};

fn planned(target: Target) -> Plan {
    let f = facts();
    plan(&f, &choices(&f, target), "r-test", "demo").expect("a plan")
}

fn kinds(p: &Plan) -> Vec<&'static str> {
    p.steps
        .iter()
        .map(|s| match s.kind {
            StepKind::SafetyPoint(_) => "safety",
            StepKind::RestoreDisk { .. } => "restore",
            StepKind::CreateNic(_) => "nic",
            StepKind::CreateVm { .. } => "vm",
            StepKind::Deallocate { .. } => "deallocate",
            StepKind::DetachDataDisks { .. } => "detach",
            StepKind::AttachDataDisks { .. } => "attach",
            StepKind::SwapOsDisk { .. } => "swap-os",
            StepKind::TagReplacedDisks { .. } => "tag",
            StepKind::Start { .. } => "start",
        })
        .collect()
}

#[test]
fn disks_only_restores_each_disk_tagged_with_the_run() {
    let p = planned(Target::DisksOnly);
    assert_eq!(kinds(&p), vec!["restore"; 4]);
    for s in &p.steps {
        assert!(s.depends_on.is_empty(), "disk restores are independent");
        let body = s.calls[0].body.as_ref().expect("a body");
        assert_eq!(body["tags"][TAG_RUN], "r-test");
        assert_eq!(body["location"], "eastus");
        assert_eq!(body["zones"][0], "1");
    }
    assert_eq!(p.created_ids().len(), 4);
}

#[test]
fn a_new_vm_waits_for_every_disk_and_its_nic_and_attaches_at_the_captured_luns() {
    let p = planned(Target::NewVm);
    assert_eq!(
        kinds(&p),
        vec!["restore", "restore", "restore", "restore", "nic", "vm"]
    );
    let vm_step = &p.steps[5];
    assert_eq!(vm_step.depends_on, vec![0, 1, 2, 3, 4]);
    let call = &vm_step.calls[0];
    assert!(call.create_only, "never overwrites a VM");
    let body = call.body.as_ref().expect("a body");
    let props = &body["properties"];
    assert!(props.get("osProfile").is_none());
    assert!(props["storageProfile"].get("imageReference").is_none());
    assert_eq!(props["storageProfile"]["osDisk"]["createOption"], "Attach");
    assert_eq!(props["securityProfile"]["securityType"], "TrustedLaunch");
    assert_eq!(props["licenseType"], "RHEL_BYOS");
    assert_eq!(props["storageProfile"]["diskControllerType"], "SCSI");
    let data = props["storageProfile"]["dataDisks"]
        .as_array()
        .expect("data disks");
    let luns: Vec<i64> = data.iter().filter_map(|d| d["lun"].as_i64()).collect();
    assert_eq!(luns, vec![0, 1, 2]);
    assert_eq!(data[0]["caching"], "ReadOnly");
    assert_eq!(data[1]["caching"], "None");
    assert!(data.iter().all(|d| d["deleteOption"] == "Detach"));
    assert_eq!(body["zones"][0], "1");
    assert_eq!(body["tags"]["app"], "shop", "tags come from the live VM");
    assert_eq!(body["tags"][TAG_RUN], "r-test");
    assert_eq!(body["identity"]["type"], "SystemAssigned");
    assert!(body["identity"].get("principalId").is_none());
    let nic = p.steps[4].calls[0].body.as_ref().expect("nic body");
    let ipc = &nic["properties"]["ipConfigurations"][0]["properties"];
    assert!(ipc.get("publicIPAddress").is_none(), "no public IP");
    assert_eq!(ipc["subnet"]["id"], subnet("vnet-app", "default").as_str());
    assert!(p.warnings.iter().any(|w| w.contains("computer name")));
}

#[test]
fn a_swap_restores_first_then_stops_replaces_and_starts_keeping_the_old_disks() {
    let p = planned(Target::Swap);
    assert_eq!(
        kinds(&p),
        vec![
            "safety",
            "restore",
            "restore",
            "restore",
            "restore",
            "deallocate",
            "detach",
            "attach",
            "swap-os",
            "tag",
            "start"
        ]
    );
    assert_eq!(p.steps[1].depends_on, vec![0], "the safety point first");
    assert_eq!(
        p.steps[5].depends_on,
        vec![1, 2, 3, 4],
        "stop only once restored"
    );
    let detach = p.steps[6].calls[0].body.as_ref().expect("detach body");
    assert_eq!(
        detach["properties"]["storageProfile"]["dataDisks"],
        serde_json::json!([])
    );
    let attach = p.steps[7].calls[0].body.as_ref().expect("attach body");
    let luns: Vec<i64> = attach["properties"]["storageProfile"]["dataDisks"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|d| d["lun"].as_i64())
        .collect();
    assert_eq!(luns, vec![0, 1, 2]);
    let swap = &p.steps[8].calls[0].body.as_ref().expect("swap body")["properties"]["storageProfile"]
        ["osDisk"];
    assert_eq!(
        swap["createOption"], "FromImage",
        "the VM's original create option"
    );
    assert_eq!(swap["name"], "app-01-os-rp-7");
    assert!(swap.get("diskSizeGB").is_none());
    let tags = &p.steps[9].calls;
    assert_eq!(tags.len(), 4, "the old OS disk and three data disks");
    assert!(tags.iter().all(|c| {
        c.method == CallMethod::Patch
            && c.body
                .as_ref()
                .is_some_and(|b| b["tags"][TAG_REPLACED] == "r-test")
    }));
    assert!(tags.iter().all(|c| c.method != CallMethod::Delete));
    let original = p.original_vm.as_ref().expect("the VM before");
    assert!(original.was_running);
    assert_eq!(original.data_disks.len(), 3);
    assert!(p.downtime.is_some());
}

#[test]
fn a_stopped_vm_is_not_started_after_the_swap() {
    let mut f = facts();
    if let Some(v) = f.live_vm.as_mut() {
        v.vm = serde_json::from_value({
            let mut raw = serde_json::to_value(&v.vm).expect("json");
            raw["properties"]["instanceView"]["statuses"][0]["code"] =
                Value::from("PowerState/deallocated");
            raw
        })
        .expect("vm");
    }
    let p = plan(&f, &choices(&f, Target::Swap), "r-test", "demo").expect("plan");
    assert!(!kinds(&p).contains(&"start"));
}

/// What each `az` command says, as flag → values.
fn flags(words: &[String]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for w in words {
        if w.starts_with("--") {
            out.push((w.clone(), Vec::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.push(w.clone());
        }
    }
    out
}

fn flag<'a>(f: &'a [(String, Vec<String>)], name: &str) -> Option<&'a [String]> {
    f.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_slice())
}

#[test]
fn the_az_commands_say_exactly_what_the_calls_send() {
    for target in [Target::DisksOnly, Target::NewVm, Target::Swap] {
        let p = planned(target);
        let cmds = commands(&p);
        for (i, step) in p.steps.iter().enumerate() {
            let mine: Vec<_> = cmds.iter().filter(|c| c.step == i).collect();
            assert!(!mine.is_empty(), "step {i} has a command");
            for (c, call) in mine.iter().zip(&step.calls) {
                let words = split_shell(&c.text).expect("valid shell");
                let f = flags(&words);
                let body = call.body.clone().unwrap_or(Value::Null);
                match &step.kind {
                    StepKind::RestoreDisk { request, .. } => {
                        assert_eq!(words[..3], ["az", "disk", "create"]);
                        assert_eq!(
                            flag(&f, "--name"),
                            Some(&[request.disk_id.name().to_owned()][..])
                        );
                        assert_eq!(
                            flag(&f, "--resource-group").map(|v| v[0].as_str()),
                            request.disk_id.resource_group()
                        );
                        assert_eq!(
                            flag(&f, "--source").map(|v| v[0].as_str()),
                            body["properties"]["creationData"]["sourceResourceId"].as_str()
                        );
                        assert_eq!(
                            flag(&f, "--size-gb").map(|v| v[0].clone()),
                            Some(body["properties"]["diskSizeGB"].to_string())
                        );
                        assert_eq!(
                            flag(&f, "--sku").map(|v| v[0].as_str()),
                            body["sku"]["name"].as_str()
                        );
                        assert_eq!(
                            flag(&f, "--zone").map(|v| v[0].as_str()),
                            body["zones"][0].as_str()
                        );
                        assert_eq!(
                            flag(&f, "--location").map(|v| v[0].as_str()),
                            body["location"].as_str()
                        );
                        let tags: Vec<String> = body["tags"]
                            .as_object()
                            .expect("tags")
                            .iter()
                            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                            .collect();
                        assert_eq!(flag(&f, "--tags").map(<[String]>::to_vec), Some(tags));
                    }
                    StepKind::CreateNic(nic) => {
                        assert_eq!(words[..4], ["az", "network", "nic", "create"]);
                        assert_eq!(
                            flag(&f, "--subnet").map(|v| v[0].as_str()),
                            Some(nic.subnet_id.as_str())
                        );
                        assert_eq!(
                            flag(&f, "--name").map(|v| v[0].as_str()),
                            Some(nic.nic_id.name())
                        );
                    }
                    StepKind::Deallocate { vm_id } | StepKind::Start { vm_id } => {
                        assert_eq!(words[..2], ["az", "vm"]);
                        assert_eq!(format!("{}/{}", vm_id, words[2]), call.path);
                        assert_eq!(
                            flag(&f, "--ids").map(|v| v[0].as_str()),
                            Some(vm_id.as_str())
                        );
                    }
                    StepKind::SafetyPoint(sp) => {
                        assert_eq!(words[..3], ["az", "restore-point", "create"]);
                        assert_eq!(
                            flag(&f, "--name").map(|v| v[0].as_str()),
                            Some(sp.point_name.as_str())
                        );
                        assert_eq!(
                            flag(&f, "--consistency-mode").map(|v| v[0].as_str()),
                            body["properties"]["consistencyMode"].as_str()
                        );
                    }
                    _ => {
                        assert_eq!(words[..2], ["az", "rest"]);
                        assert_eq!(
                            flag(&f, "--method").map(|v| v[0].to_ascii_uppercase()),
                            Some(call.method.as_str().to_owned())
                        );
                        assert_eq!(
                            flag(&f, "--url").map(|v| v[0].clone()),
                            Some(call.path_and_query())
                        );
                        let sent: Value =
                            serde_json::from_str(&flag(&f, "--body").expect("a body")[0])
                                .expect("json");
                        assert_eq!(sent, body, "step {i}");
                        assert_eq!(flag(&f, "--headers").is_some(), call.create_only);
                    }
                }
            }
        }
    }
}
