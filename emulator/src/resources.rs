//! The resource engine: state for the operations users expect to keep it, driven by a table of
//! resource kinds ([`KINDS`]) rather than a handler per operation.
//!
//! A kind names its create, describe (list), get, modify and delete actions, its ID field and
//! prefix, where its items sit in the describe answer, its `NotFound` code and the kinds its
//! records point to. Records are JSON objects keyed by the API's field names:
//!
//! * **create** makes a record from the describe answer's example item (lists emptied), with
//!   every request parameter of the same name copied in, a new ID, the region, a creation time
//!   and status `Available`; it answers the create example with the record's values;
//! * **describe** answers the records of the region whose fields equal the request's
//!   parameters of the same name (a comma-separated value matches any of its items), in ID
//!   order, paged by `PageNumber` and `PageSize`;
//! * **get** answers one record; **modify** copies the request's parameters into it;
//!   **delete** removes it; all three answer the kind's `NotFound` code for an unknown ID.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::catalog;
use crate::error::ApiError;

/// One kind of resource.
#[derive(Debug)]
pub struct ResourceKind {
    /// Name, e.g. `Vpc` (the key in state files).
    pub name: &'static str,
    /// API version of its operations.
    pub version: &'static str,
    /// The field holding its ID, e.g. `VpcId`.
    pub id_field: &'static str,
    /// The prefix of new IDs, e.g. `vpc-`.
    pub id_prefix: &'static str,
    /// The action that creates one.
    pub create: &'static str,
    /// The action that lists them.
    pub describe: &'static str,
    /// Where the items sit in the describe answer, e.g. `["Vpcs", "Vpc"]`.
    pub list_path: &'static [&'static str],
    /// Actions answering one record, at the top level of their answer.
    pub get: &'static [&'static str],
    /// Actions changing one record.
    pub modify: &'static [&'static str],
    /// Actions deleting one record.
    pub delete: &'static [&'static str],
    /// The error code for an unknown ID.
    pub not_found: &'static str,
    /// Fields naming a record of another kind, which must exist on create: (field, kind).
    pub parents: &'static [(&'static str, &'static str)],
}

const VPC: &str = "2016-04-28";

/// The kinds with state.
pub static KINDS: &[ResourceKind] = &[
    ResourceKind {
        name: "Vpc",
        version: VPC,
        id_field: "VpcId",
        id_prefix: "vpc-",
        create: "CreateVpc",
        describe: "DescribeVpcs",
        list_path: &["Vpcs", "Vpc"],
        get: &["DescribeVpcAttribute"],
        modify: &["ModifyVpcAttribute"],
        delete: &["DeleteVpc"],
        not_found: "InvalidVpcId.NotFound",
        parents: &[],
    },
    ResourceKind {
        name: "VSwitch",
        version: VPC,
        id_field: "VSwitchId",
        id_prefix: "vsw-",
        create: "CreateVSwitch",
        describe: "DescribeVSwitches",
        list_path: &["VSwitches", "VSwitch"],
        get: &["DescribeVSwitchAttributes"],
        modify: &["ModifyVSwitchAttribute"],
        delete: &["DeleteVSwitch"],
        not_found: "InvalidVSwitchId.NotFound",
        parents: &[("VpcId", "Vpc")],
    },
    ResourceKind {
        name: "EipAddress",
        version: VPC,
        id_field: "AllocationId",
        id_prefix: "eip-",
        create: "AllocateEipAddress",
        describe: "DescribeEipAddresses",
        list_path: &["EipAddresses", "EipAddress"],
        get: &[],
        modify: &["ModifyEipAddressAttribute"],
        delete: &["ReleaseEipAddress"],
        not_found: "InvalidAllocationId.NotFound",
        parents: &[],
    },
    ResourceKind {
        name: "RouteTable",
        version: VPC,
        id_field: "RouteTableId",
        id_prefix: "vtb-",
        create: "CreateRouteTable",
        describe: "DescribeRouteTableList",
        list_path: &["RouterTableList", "RouterTableListType"],
        get: &[],
        modify: &["ModifyRouteTableAttributes"],
        delete: &["DeleteRouteTable"],
        not_found: "InvalidRouteTableId.NotFound",
        parents: &[("VpcId", "Vpc")],
    },
];

/// What an action does to a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verb {
    Create,
    Describe,
    Get,
    Modify,
    Delete,
}

fn route(version: &str, action: &str) -> Option<(&'static ResourceKind, Verb)> {
    KINDS.iter().filter(|k| k.version == version).find_map(|k| {
        let verb = if k.create == action {
            Verb::Create
        } else if k.describe == action {
            Verb::Describe
        } else if k.get.contains(&action) {
            Verb::Get
        } else if k.modify.contains(&action) {
            Verb::Modify
        } else if k.delete.contains(&action) {
            Verb::Delete
        } else {
            return None;
        };
        Some((k, verb))
    })
}

/// Whether `action` of `version` reads or changes the records (the others answer their
/// synthesised body).
pub(crate) fn has_state(version: &str, action: &str) -> bool {
    route(version, action).is_some()
}

/// Whether `action` of `version` changes state (its answers are worth keeping for a
/// `ClientToken`, and the state file is rewritten after it).
pub(crate) fn mutates(version: &str, action: &str) -> bool {
    matches!(
        route(version, action),
        Some((_, Verb::Create | Verb::Modify | Verb::Delete))
    )
}

/// Every record: by kind name, then by ID.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Records(pub BTreeMap<String, BTreeMap<String, Map<String, Value>>>);

impl Records {
    /// The records of `kind`, by ID.
    pub fn of(&self, kind: &str) -> Vec<&Map<String, Value>> {
        self.0
            .get(kind)
            .map_or_else(Vec::new, |m| m.values().collect())
    }

    /// The record of `kind` whose ID is `id`.
    pub fn find(&self, kind: &str, id: &str) -> Option<&Map<String, Value>> {
        self.0.get(kind)?.get(id)
    }

    /// How many records there are of every kind.
    pub fn len(&self) -> usize {
        self.0.values().map(BTreeMap::len).sum()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The answer of `action` over `records`, when the action is one of a kind's; `None` leaves
/// the action to the synthesised answer. `request` is the decoded, validated request.
pub(crate) fn handle(
    records: &mut Records,
    version: &str,
    action: &str,
    request: &Value,
    example: &str,
    now: &str,
) -> Option<Result<Value, ApiError>> {
    let (kind, verb) = route(version, action)?;
    let req = request.as_object().cloned().unwrap_or_default();
    let answer: Value = serde_json::from_str(example).unwrap_or_else(|_| Value::Object(Map::new()));
    Some(match verb {
        Verb::Create => create(records, kind, &req, answer, now),
        Verb::Describe => Ok(describe(records, kind, &req, answer)),
        Verb::Get => get(records, kind, &req, answer),
        Verb::Modify => modify(records, kind, &req, answer),
        Verb::Delete => delete(records, kind, &req, answer),
    })
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `v` as text, without a copy when it is a string.
fn as_text(v: &Value) -> std::borrow::Cow<'_, str> {
    match v {
        Value::String(s) => std::borrow::Cow::Borrowed(s),
        other => std::borrow::Cow::Owned(other.to_string()),
    }
}

fn region(req: &Map<String, Value>) -> String {
    req.get("RegionId").map(text).unwrap_or_default()
}

/// Whether `record` is in the request's region (any, when the request names none: some
/// operations take no `RegionId`).
fn in_region(record: &Map<String, Value>, region: &str) -> bool {
    region.is_empty() || record.get("RegionId").map(as_text).unwrap_or_default() == region
}

fn not_found(kind: &ResourceKind, id: &str) -> ApiError {
    ApiError::new(
        404,
        kind.not_found,
        format!("The specified {} \"{id}\" does not exist.", kind.id_field),
    )
}

/// The ID of the record `req` names, when it exists in the request's region.
fn existing(
    records: &Records,
    kind: &ResourceKind,
    req: &Map<String, Value>,
) -> Result<String, ApiError> {
    let id = req.get(kind.id_field).map(text).unwrap_or_default();
    match records.find(kind.name, &id) {
        Some(r) if in_region(r, &region(req)) => Ok(id),
        _ => Err(not_found(kind, &id)),
    }
}

/// The describe answer's example item of `kind`, every list in it emptied: a template for
/// new records with each field typed as the service answers it.
fn template(kind: &ResourceKind) -> Map<String, Value> {
    let mut item = example_item(kind.version, kind.describe, kind.list_path);
    for v in item.values_mut() {
        empty_lists(v);
    }
    item
}

/// The first item of the list at `list_path` in the synthesised answer of `action`: every
/// field the service documents for one item, each in its JSON type.
pub(crate) fn example_item(version: &str, action: &str, list_path: &[&str]) -> Map<String, Value> {
    let example = catalog::get(version, action)
        .and_then(|op| serde_json::from_str::<Value>(op.response_example).ok());
    let mut at = example.as_ref();
    for step in list_path {
        at = at.and_then(|v| v.get(step));
    }
    let at = if list_path.is_empty() {
        at
    } else {
        at.and_then(|v| v.as_array()).and_then(|a| a.first())
    };
    at.and_then(|v| v.as_object()).cloned().unwrap_or_default()
}

/// `value` reshaped after `like`, a documented example: an object keeps only the members
/// `like` documents (nulls dropped), a list's items follow `like`'s first item, and a scalar
/// takes `like`'s JSON type, so that the answer reads as the typed clients expect it.
pub(crate) fn conform(like: &Value, value: &Value) -> Value {
    match (like, value) {
        (Value::Object(l), Value::Object(v)) => Value::Object(
            v.iter()
                .filter(|(_, x)| !x.is_null())
                .filter_map(|(k, x)| l.get(k).map(|lk| (k.clone(), conform(lk, x))))
                .collect(),
        ),
        (Value::Array(l), Value::Array(v)) => match l.first() {
            Some(first) => Value::Array(v.iter().map(|x| conform(first, x)).collect()),
            None => value.clone(),
        },
        (Value::Object(_) | Value::Array(_), _) | (_, Value::Object(_) | Value::Array(_)) => {
            value.clone()
        }
        (Value::Number(_), Value::Bool(_)) | (Value::Bool(_), Value::Number(_)) => value.clone(),
        _ => coerce(like, value),
    }
}

fn empty_lists(v: &mut Value) {
    match v {
        Value::Array(a) => a.clear(),
        Value::Object(m) => m.values_mut().for_each(empty_lists),
        _ => {}
    }
}

/// `value` in the JSON type of `like` (a request's `"5"` for a numeric field, and back).
fn coerce(like: &Value, value: &Value) -> Value {
    match (like, value) {
        (Value::String(_), Value::String(_)) => value.clone(),
        (Value::String(_), v) if !v.is_object() && !v.is_array() => Value::String(text(v)),
        (Value::Number(_), Value::String(s)) => s
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| s.parse::<f64>().map(Value::from))
            .unwrap_or_else(|_| value.clone()),
        (Value::Bool(_), Value::String(s)) => s
            .to_ascii_lowercase()
            .parse::<bool>()
            .map(Value::Bool)
            .unwrap_or_else(|_| value.clone()),
        _ => value.clone(),
    }
}

/// Copies the request's scalar parameters into the fields of the same name `record` has
/// (except `skip`).
fn copy_in(record: &mut Map<String, Value>, req: &Map<String, Value>, skip: &[&str]) {
    for (k, v) in req {
        if skip.contains(&k.as_str()) || v.is_object() || v.is_array() {
            continue;
        }
        if let Some(old) = record.get(k) {
            let new = coerce(old, v);
            record.insert(k.clone(), new);
        }
    }
}

/// Fills each top-level field of `answer` that `record` also has with the record's value.
fn fill(answer: &mut Value, record: &Map<String, Value>) {
    if let Some(a) = answer.as_object_mut() {
        for (k, v) in a.iter_mut() {
            if let Some(r) = record.get(k) {
                *v = r.clone();
            }
        }
    }
}

fn new_id(records: &Records, kind: &ResourceKind) -> String {
    loop {
        let raw = uuid::Uuid::new_v4().simple().to_string();
        let id = format!("{}{}", kind.id_prefix, &raw[..22]);
        if records.find(kind.name, &id).is_none() {
            return id;
        }
    }
}

fn create(
    records: &mut Records,
    kind: &ResourceKind,
    req: &Map<String, Value>,
    mut answer: Value,
    now: &str,
) -> Result<Value, ApiError> {
    let mut region = region(req);
    for (field, parent) in kind.parents {
        if let Some(id) = req.get(*field).map(text) {
            let p = KINDS.iter().find(|k| k.name == *parent);
            match records.find(parent, &id).filter(|r| in_region(r, &region)) {
                // A child without a region of its own is in its parent's.
                Some(r) if region.is_empty() => {
                    region = r.get("RegionId").map(text).unwrap_or_default();
                }
                Some(_) => {}
                None => {
                    if let Some(p) = p {
                        return Err(not_found(p, &id));
                    }
                }
            }
        }
    }
    let mut record = template(kind);
    copy_in(&mut record, req, &[kind.id_field]);
    let id = new_id(records, kind);
    record.insert(kind.id_field.to_owned(), Value::String(id.clone()));
    record.insert("RegionId".to_owned(), Value::String(region));
    for stamp in ["CreationTime", "CreateTime", "AllocationTime"] {
        if record.get(stamp).is_some_and(Value::is_string) {
            record.insert(stamp.to_owned(), Value::String(now.to_owned()));
        }
    }
    if record.contains_key("Status") {
        record.insert("Status".to_owned(), Value::String("Available".to_owned()));
    }
    fill(&mut answer, &record);
    records
        .0
        .entry(kind.name.to_owned())
        .or_default()
        .insert(id, record);
    Ok(answer)
}

/// Parameters that steer a describe call rather than filter it.
const NOT_FILTERS: [&str; 5] = [
    "RegionId",
    "PageNumber",
    "PageSize",
    "DryRun",
    "ClientToken",
];

fn describe(
    records: &Records,
    kind: &ResourceKind,
    req: &Map<String, Value>,
    answer: Value,
) -> Value {
    // A request naming one ID looks it up instead of going through every record.
    let candidates = match req.get(kind.id_field).map(as_text) {
        Some(id) if !id.contains(',') => records.find(kind.name, &id).into_iter().collect(),
        _ => records.of(kind.name),
    };
    list_answer(candidates, req, kind.list_path, answer, |r| {
        Value::Object(Map::clone(r))
    })
}

/// A describe answer: the `candidates` of the request's region whose fields equal its
/// parameters of the same name, paged by `PageNumber` / `PageSize` with `TotalCount`, each
/// item of the page written by `show` into the list at `list_path` of `answer`. The VPN lists
/// (`crate::vpn`) go through here too.
pub(crate) fn list_answer(
    candidates: Vec<&Map<String, Value>>,
    req: &Map<String, Value>,
    list_path: &[&str],
    mut answer: Value,
    show: impl Fn(&Map<String, Value>) -> Value,
) -> Value {
    let region = region(req);
    let matching: Vec<&Map<String, Value>> = candidates
        .into_iter()
        .filter(|r| in_region(r, &region))
        .filter(|r| {
            req.iter().all(|(k, want)| {
                if NOT_FILTERS.contains(&k.as_str()) || want.is_object() || want.is_array() {
                    return true;
                }
                match r.get(k) {
                    // A field the records lack is no filter of ours.
                    None => true,
                    Some(have) => {
                        let have = as_text(have);
                        as_text(want).split(',').any(|w| w.trim() == have)
                    }
                }
            })
        })
        .collect();
    let number = req
        .get("PageNumber")
        .map(text)
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1);
    let size = req
        .get("PageSize")
        .map(text)
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(10);
    let page: Vec<Value> = matching
        .iter()
        .skip((number - 1).saturating_mul(size))
        .take(size)
        .map(|r| show(r))
        .collect();
    if let Some(top) = answer.as_object_mut() {
        for (k, v) in [
            ("TotalCount", matching.len()),
            ("PageNumber", number),
            ("PageSize", size),
        ] {
            if let Some(slot) = top.get_mut(k) {
                *slot = coerce(slot, &Value::from(v));
            }
        }
    }
    let mut at = &mut answer;
    for (i, step) in list_path.iter().enumerate() {
        let Some(obj) = at.as_object_mut() else {
            break;
        };
        let last = i + 1 == list_path.len();
        let slot = obj.entry(step.to_string()).or_insert_with(|| {
            if last {
                Value::Array(Vec::new())
            } else {
                Value::Object(Map::new())
            }
        });
        if last {
            *slot = Value::Array(page.clone());
            break;
        }
        at = slot;
    }
    answer
}

fn get(
    records: &Records,
    kind: &ResourceKind,
    req: &Map<String, Value>,
    mut answer: Value,
) -> Result<Value, ApiError> {
    let id = existing(records, kind, req)?;
    if let Some(r) = records.find(kind.name, &id) {
        fill(&mut answer, r);
    }
    Ok(answer)
}

fn modify(
    records: &mut Records,
    kind: &ResourceKind,
    req: &Map<String, Value>,
    answer: Value,
) -> Result<Value, ApiError> {
    let id = existing(records, kind, req)?;
    if let Some(r) = records.0.get_mut(kind.name).and_then(|m| m.get_mut(&id)) {
        copy_in(r, req, &[kind.id_field, "RegionId"]);
    }
    Ok(answer)
}

fn delete(
    records: &mut Records,
    kind: &ResourceKind,
    req: &Map<String, Value>,
    answer: Value,
) -> Result<Value, ApiError> {
    let id = existing(records, kind, req)?;
    // A record others still point to stays, as the service refuses to delete it.
    for child in KINDS {
        for (field, parent) in child.parents {
            if *parent == kind.name
                && records
                    .of(child.name)
                    .iter()
                    .any(|r| r.get(*field).map(as_text).as_deref() == Some(id.as_str()))
            {
                return Err(ApiError::new(
                    400,
                    format!("DependencyViolation.{}", child.name),
                    format!(
                        "The specified {} \"{id}\" still has a {} in it.",
                        kind.id_field, child.name
                    ),
                ));
            }
        }
    }
    if let Some(m) = records.0.get_mut(kind.name) {
        m.remove(&id);
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(records: &mut Records, action: &str, req: Value) -> Result<Value, ApiError> {
        let op = catalog::get(VPC, action).unwrap();
        handle(
            records,
            VPC,
            action,
            &req,
            op.response_example,
            "2026-01-01T00:00:00Z",
        )
        .unwrap()
    }

    #[test]
    fn every_kind_names_served_actions_and_finds_its_items() {
        for k in KINDS {
            for a in [k.create, k.describe]
                .iter()
                .chain(k.get)
                .chain(k.modify)
                .chain(k.delete)
            {
                assert!(catalog::get(k.version, a).is_some(), "{}: {a}", k.name);
            }
            let t = template(k);
            assert!(t.contains_key(k.id_field), "{}: {t:?}", k.name);
        }
    }

    #[test]
    fn a_vpc_lives_and_dies() {
        let mut r = Records::default();
        let made = call(
            &mut r,
            "CreateVpc",
            serde_json::json!({"RegionId": "cn-a", "VpcName": "one"}),
        )
        .unwrap();
        let id = made["VpcId"].as_str().unwrap().to_owned();
        assert!(id.starts_with("vpc-"));
        let listed = call(
            &mut r,
            "DescribeVpcs",
            serde_json::json!({"RegionId": "cn-a", "VpcName": "one"}),
        )
        .unwrap();
        assert_eq!(listed["TotalCount"], 1);
        assert_eq!(listed["Vpcs"]["Vpc"][0]["VpcId"], id.as_str());
        let other = call(
            &mut r,
            "DescribeVpcs",
            serde_json::json!({"RegionId": "cn-b"}),
        )
        .unwrap();
        assert_eq!(other["TotalCount"], 0);
        call(
            &mut r,
            "ModifyVpcAttribute",
            serde_json::json!({"RegionId": "cn-a", "VpcId": id, "VpcName": "two"}),
        )
        .unwrap();
        assert_eq!(r.find("Vpc", &id).unwrap()["VpcName"], "two");
        call(
            &mut r,
            "DeleteVpc",
            serde_json::json!({"RegionId": "cn-a", "VpcId": id}),
        )
        .unwrap();
        let gone = call(
            &mut r,
            "DeleteVpc",
            serde_json::json!({"RegionId": "cn-a", "VpcId": id}),
        )
        .unwrap_err();
        assert_eq!(gone.code, "InvalidVpcId.NotFound");
        assert!(r.is_empty());
    }
}
