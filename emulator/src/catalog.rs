//! Routing: every operation the generated crates compile in (Vpc, STS, CS), found by API
//! version and action (RPC) or by method and path (ROA).
//!
//! The table is the generated `operation::OPERATIONS` of each product crate (feature `decode`),
//! so a new operation in a spec is served as soon as the crate is regenerated.

use std::collections::HashMap;
use std::sync::OnceLock;

use alicloud_runtime::decode::ServedOperation;

use crate::error::ApiError;

/// Every operation served: Vpc and STS (RPC), CS (ROA).
pub(crate) fn operations() -> impl Iterator<Item = &'static ServedOperation> {
    alicloud_vpc::operation::OPERATIONS
        .iter()
        .chain(alicloud_sts::operation::OPERATIONS)
        .chain(alicloud_cs::operation::OPERATIONS)
        .copied()
}

/// The operations of every product served, by (version, action).
fn table() -> &'static HashMap<(&'static str, &'static str), &'static ServedOperation> {
    static TABLE: OnceLock<HashMap<(&'static str, &'static str), &'static ServedOperation>> =
        OnceLock::new();
    TABLE.get_or_init(|| {
        operations()
            .map(|op| ((op.meta.version, op.meta.action), op))
            .collect()
    })
}

/// ROA operations, each with the number of literal segments of its path template: when two
/// templates match a path (`/clusters/{ClusterId}` and `/clusters/resources`), the one with
/// more literal segments is the more specific.
fn roa_table() -> &'static [(usize, &'static ServedOperation)] {
    static TABLE: OnceLock<Vec<(usize, &'static ServedOperation)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        operations()
            .filter_map(|op| {
                let path = op.path?;
                let literal = path
                    .split('/')
                    .filter(|s| !s.is_empty() && !s.starts_with('{'))
                    .count();
                Some((literal, op))
            })
            .collect()
    })
}

/// Whether a product served answers ROA requests under API version `version`.
pub(crate) fn is_roa_version(version: &str) -> bool {
    roa_table().iter().any(|(_, op)| op.meta.version == version)
}

/// A ROA path's parameters: (name, decoded value).
pub(crate) type PathParams = Vec<(String, String)>;

/// The ROA operation `method path` (the path as received, percent-encoded) of API version
/// `version` (any, when the request names none), with its path parameters, decoded. A path
/// no operation has gets `InvalidAction.NotFound` (404), as the gateway answers an unknown
/// URL; a path known under other methods only gets the same.
pub(crate) fn find_roa(
    version: Option<&str>,
    method: &str,
    path: &str,
) -> Result<(&'static ServedOperation, PathParams), ApiError> {
    roa_table()
        .iter()
        .filter(|(_, op)| op.meta.method.eq_ignore_ascii_case(method))
        .filter(|(_, op)| version.is_none_or(|v| v == op.meta.version))
        .filter_map(|(literal, op)| {
            let params = alicloud_runtime::decode::match_path(op.path?, path)?;
            Some((*literal, *op, params))
        })
        .max_by_key(|(literal, _, _)| *literal)
        .map(|(_, op, params)| (op, params))
        .ok_or_else(action_not_found)
}

/// The operation `action` of API version `version`: `InvalidVersion` (400) when no product
/// served has that version, `InvalidAction.NotFound` (404) when the version has no such action.
pub(crate) fn find(
    version: Option<&str>,
    action: Option<&str>,
) -> Result<&'static ServedOperation, ApiError> {
    let version = version.unwrap_or_default();
    static VERSIONS: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    let versions = VERSIONS.get_or_init(|| table().keys().map(|(v, _)| *v).collect());
    if !versions.contains(version) {
        return Err(ApiError::new(
            400,
            "InvalidVersion",
            "Specified parameter Version is not valid.",
        ));
    }
    table()
        .get(&(version, action.unwrap_or_default()))
        .copied()
        .ok_or_else(action_not_found)
}

/// The operation `action` of the product with API version `version`, if served.
pub(crate) fn get(version: &str, action: &str) -> Option<&'static ServedOperation> {
    table().get(&(version, action)).copied()
}

pub(crate) fn action_not_found() -> ApiError {
    ApiError::new(
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cs_operation_is_routed_by_method_and_path() {
        let cs = alicloud_cs::operation::OPERATIONS;
        assert!(cs.len() > 100, "{}", cs.len());
        for op in cs {
            // The template with each `{Name}` filled in routes back to the operation.
            let template = op.path.expect("a ROA path");
            let path: String = template
                .split('/')
                .map(|s| if s.starts_with('{') { "x%2Ay" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let (found, params) = find_roa(Some("2015-12-15"), op.meta.method, &path).unwrap();
            assert_eq!(
                found.meta.action, op.meta.action,
                "{} {path}",
                op.meta.method
            );
            assert!(params.iter().all(|(_, v)| v == "x*y"), "{params:?}");
            let _: serde_json::Value = serde_json::from_str(op.response_example).unwrap();
        }
        assert_eq!(
            find_roa(None, "GET", "/no/such/path").unwrap_err().code,
            "InvalidAction.NotFound"
        );
    }

    #[test]
    fn every_vpc_operation_is_routed_and_its_example_is_json() {
        assert_eq!(
            table().len(),
            alicloud_vpc::operation::OPERATIONS.len()
                + alicloud_sts::operation::OPERATIONS.len()
                + alicloud_cs::operation::OPERATIONS.len()
        );
        assert!(table().len() > 300, "{}", table().len());
        for op in alicloud_vpc::operation::OPERATIONS {
            let found = find(Some("2016-04-28"), Some(op.meta.action)).unwrap();
            assert_eq!(found.meta.action, op.meta.action);
            let v: serde_json::Value = serde_json::from_str(op.response_example).unwrap();
            assert!(v.get("RequestId").is_some(), "{}", op.meta.action);
        }
        assert_eq!(
            find(Some("2016-04-28"), Some("NoSuchThing"))
                .unwrap_err()
                .code,
            "InvalidAction.NotFound"
        );
        assert_eq!(
            find(Some("1999-01-01"), Some("CreateVpc"))
                .unwrap_err()
                .code,
            "InvalidVersion"
        );
    }
}
