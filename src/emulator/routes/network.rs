//! Virtual networks, subnets and network interfaces: just enough to create a VM. Stored
//! as the ARM JSON the client sent, completed with ids, etags and provisioning state.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{norm_location, page, require_scope, scope_prefix, str_at};
use crate::emulator::errors::{ArmError, ArmResult};
use crate::emulator::server::{Ctx, Reply, Req};
use crate::emulator::state::key;

fn vnet_id(sub: &str, rg: &str, name: &str) -> String {
    format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{name}"
    )
}

pub fn nic_id(sub: &str, rg: &str, name: &str) -> String {
    format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkInterfaces/{name}"
    )
}

pub fn list(
    ctx: &mut Ctx<'_>,
    req: &Req,
    sub: &str,
    rg: Option<&str>,
    kind: &str,
) -> ArmResult<Reply> {
    require_scope(ctx, sub, rg)?;
    let prefix = scope_prefix(sub, rg);
    let map = if kind == "virtualnetworks" {
        &ctx.estate.vnets
    } else {
        &ctx.estate.nics
    };
    let items: Vec<&Value> = map
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(_, v)| v)
        .collect();
    page(ctx, req, &items, |v| (*v).clone())
}

fn etag() -> String {
    format!("W/\"{}\"", Uuid::new_v4())
}

fn complete_subnet(vnet: &str, s: &Value) -> ArmResult<Value> {
    let name = str_at(s, &["name"]).ok_or_else(|| {
        ArmError::bad_request("InvalidRequestFormat", "Each subnet needs a name.")
    })?;
    super::resources::valid_name(name)?;
    let prefix = str_at(s, &["properties", "addressPrefix"])
        .or_else(|| {
            s.pointer("/properties/addressPrefixes/0")
                .and_then(Value::as_str)
        })
        .ok_or_else(|| {
            ArmError::bad_request(
                "InvalidRequestFormat",
                format!("Subnet '{name}' needs properties.addressPrefix."),
            )
        })?;
    Ok(json!({
        "name": name, "id": format!("{vnet}/subnets/{name}"), "etag": etag(),
        "type": "Microsoft.Network/virtualNetworks/subnets",
        "properties": { "provisioningState": "Succeeded", "addressPrefix": prefix,
                        "privateEndpointNetworkPolicies": "Disabled",
                        "privateLinkServiceNetworkPolicies": "Enabled" }
    }))
}

pub fn vnet(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    require_scope(ctx, sub, Some(rg))?;
    let id = vnet_id(sub, rg, name);
    let k = key(&id);
    let not_found = || ArmError::resource_not_found("Microsoft.Network/virtualNetworks", name, rg);
    match req.method {
        Method::GET => Ok(Reply::ok(
            ctx.estate.vnets.get(&k).cloned().ok_or_else(not_found)?,
        )),
        Method::PUT => {
            let body = req.json()?;
            super::resources::valid_name(name)?;
            let location = str_at(&body, &["location"])
                .map(norm_location)
                .ok_or_else(|| {
                    ArmError::bad_request(
                        "LocationRequired",
                        "The location property is required for this definition.",
                    )
                })?;
            let prefixes = body
                .pointer("/properties/addressSpace/addressPrefixes")
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty() && a.iter().all(Value::is_string))
                .cloned()
                .ok_or_else(|| {
                    ArmError::bad_request(
                        "InvalidRequestFormat",
                        "properties.addressSpace.addressPrefixes must list at least one prefix.",
                    )
                })?;
            let subnets = match body.pointer("/properties/subnets") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|s| complete_subnet(&id, s))
                    .collect::<ArmResult<Vec<_>>>()?,
                Some(_) => {
                    return Err(ArmError::bad_request(
                        "InvalidRequestFormat",
                        "properties.subnets must be an array.",
                    ));
                }
            };
            let existed = ctx.estate.vnets.contains_key(&k);
            let v = json!({
                "name": name, "id": id, "etag": etag(), "type": "Microsoft.Network/virtualNetworks",
                "location": location, "tags": body.get("tags").cloned().unwrap_or_else(|| json!({})),
                "properties": { "provisioningState": "Succeeded", "resourceGuid": Uuid::new_v4(),
                                "addressSpace": { "addressPrefixes": prefixes }, "subnets": subnets,
                                "enableDdosProtection": false }
            });
            ctx.estate.vnets.insert(k, v.clone());
            Ok(Reply::with(
                if existed {
                    StatusCode::OK
                } else {
                    StatusCode::CREATED
                },
                v,
            ))
        }
        Method::DELETE => {
            let in_use = ctx.estate.nics.values().any(|n| {
                n.pointer("/properties/ipConfigurations/0/properties/subnet/id")
                    .and_then(Value::as_str)
                    .is_some_and(|s| key(s).starts_with(&k))
            });
            if in_use {
                return Err(ArmError::bad_request(
                    "InUseSubnetCannotBeDeleted",
                    format!("Virtual network '{name}' has subnets in use by network interfaces."),
                ));
            }
            ctx.estate.vnets.remove(&k);
            Ok(Reply::empty(StatusCode::OK))
        }
        _ => Err(ArmError::method_not_allowed()),
    }
}

pub fn list_subnets(
    ctx: &mut Ctx<'_>,
    req: &Req,
    sub: &str,
    rg: &str,
    vnet: &str,
) -> ArmResult<Reply> {
    require_scope(ctx, sub, Some(rg))?;
    let v = ctx
        .estate
        .vnets
        .get(&key(&vnet_id(sub, rg, vnet)))
        .ok_or_else(|| {
            ArmError::resource_not_found("Microsoft.Network/virtualNetworks", vnet, rg)
        })?;
    let subnets: Vec<Value> = v
        .pointer("/properties/subnets")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    page(ctx, req, &subnets, Clone::clone)
}

pub fn subnet(
    ctx: &mut Ctx<'_>,
    req: &Req,
    sub: &str,
    rg: &str,
    vnet: &str,
    name: &str,
) -> ArmResult<Reply> {
    require_scope(ctx, sub, Some(rg))?;
    let id = vnet_id(sub, rg, vnet);
    let v = ctx.estate.vnets.get_mut(&key(&id)).ok_or_else(|| {
        ArmError::resource_not_found("Microsoft.Network/virtualNetworks", vnet, rg)
    })?;
    let subnets = v
        .pointer_mut("/properties/subnets")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| ArmError::internal("virtual network without subnets array"))?;
    let pos = subnets
        .iter()
        .position(|s| str_at(s, &["name"]).is_some_and(|n| n.eq_ignore_ascii_case(name)));
    match req.method {
        Method::GET => pos
            .and_then(|i| subnets.get(i).cloned())
            .map(Reply::ok)
            .ok_or_else(|| {
                ArmError::resource_not_found(
                    "Microsoft.Network/virtualNetworks/subnets",
                    &format!("{vnet}/{name}"),
                    rg,
                )
            }),
        Method::PUT => {
            let mut body = req.json()?;
            body["name"] = json!(name);
            let s = complete_subnet(&id, &body)?;
            let status = match pos {
                Some(i) => {
                    subnets[i] = s.clone();
                    StatusCode::OK
                }
                None => {
                    subnets.push(s.clone());
                    StatusCode::CREATED
                }
            };
            Ok(Reply::with(status, s))
        }
        Method::DELETE => {
            if let Some(i) = pos {
                subnets.remove(i);
            }
            Ok(Reply::empty(StatusCode::OK))
        }
        _ => Err(ArmError::method_not_allowed()),
    }
}

pub fn nic(ctx: &mut Ctx<'_>, req: &Req, sub: &str, rg: &str, name: &str) -> ArmResult<Reply> {
    require_scope(ctx, sub, Some(rg))?;
    let id = nic_id(sub, rg, name);
    let k = key(&id);
    let not_found =
        || ArmError::resource_not_found("Microsoft.Network/networkInterfaces", name, rg);
    match req.method {
        Method::GET => Ok(Reply::ok(
            ctx.estate.nics.get(&k).cloned().ok_or_else(not_found)?,
        )),
        Method::PUT => {
            let body = req.json()?;
            super::resources::valid_name(name)?;
            let location = str_at(&body, &["location"])
                .map(norm_location)
                .ok_or_else(|| {
                    ArmError::bad_request(
                        "LocationRequired",
                        "The location property is required for this definition.",
                    )
                })?;
            let configs = body
                .pointer("/properties/ipConfigurations")
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty())
                .ok_or_else(|| {
                    ArmError::bad_request(
                        "InvalidRequestFormat",
                        "properties.ipConfigurations must list at least one IP configuration.",
                    )
                })?;
            let mut out = Vec::new();
            for (i, c) in configs.iter().enumerate() {
                let subnet = str_at(c, &["properties", "subnet", "id"]).ok_or_else(|| {
                    ArmError::bad_request(
                        "InvalidRequestFormat",
                        "Each IP configuration needs properties.subnet.id.",
                    )
                })?;
                let exists = subnet
                    .to_ascii_lowercase()
                    .split_once("/subnets/")
                    .and_then(|(v, s)| {
                        ctx.estate
                            .vnets
                            .get(v)
                            .and_then(|vn| vn.pointer("/properties/subnets"))
                            .and_then(Value::as_array)
                            .map(|a| {
                                a.iter().any(|x| {
                                    str_at(x, &["name"]).is_some_and(|n| n.eq_ignore_ascii_case(s))
                                })
                            })
                    })
                    .unwrap_or(false);
                if !exists {
                    return Err(ArmError::bad_request(
                        "InvalidResourceReference",
                        format!("Resource {subnet} referenced by resource {id} was not found."),
                    ));
                }
                let cname = str_at(c, &["name"]).unwrap_or("ipconfig1");
                out.push(json!({
                    "name": cname, "id": format!("{id}/ipConfigurations/{cname}"), "etag": etag(),
                    "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
                    "properties": { "provisioningState": "Succeeded", "privateIPAddress": format!("10.0.0.{}", 4 + i),
                                    "privateIPAllocationMethod": "Dynamic", "subnet": { "id": subnet },
                                    "primary": i == 0, "privateIPAddressVersion": "IPv4" }
                }));
            }
            let existed = ctx.estate.nics.get(&k).cloned();
            let vm = existed
                .as_ref()
                .and_then(|n| n.pointer("/properties/virtualMachine").cloned());
            let mut v = json!({
                "name": name, "id": id, "etag": etag(), "type": "Microsoft.Network/networkInterfaces",
                "location": location, "tags": body.get("tags").cloned().unwrap_or_else(|| json!({})),
                "properties": { "provisioningState": "Succeeded", "resourceGuid": Uuid::new_v4(),
                                "ipConfigurations": out, "enableAcceleratedNetworking": false,
                                "enableIPForwarding": false, "primary": true, "nicType": "Standard" }
            });
            if let Some(vm) = vm {
                v["properties"]["virtualMachine"] = vm;
            }
            ctx.estate.nics.insert(k, v.clone());
            Ok(Reply::with(
                if existed.is_some() {
                    StatusCode::OK
                } else {
                    StatusCode::CREATED
                },
                v,
            ))
        }
        Method::DELETE => {
            if let Some(n) = ctx.estate.nics.get(&k)
                && let Some(vm) = n
                    .pointer("/properties/virtualMachine/id")
                    .and_then(Value::as_str)
                && ctx.estate.vms.contains_key(&key(vm))
            {
                return Err(ArmError::bad_request(
                    "NicInUse",
                    format!("Network Interface {id} is used by existing resource {vm}."),
                ));
            }
            ctx.estate.nics.remove(&k);
            Ok(Reply::empty(StatusCode::OK))
        }
        _ => Err(ArmError::method_not_allowed()),
    }
}
