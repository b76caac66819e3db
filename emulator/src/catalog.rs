//! Routing: every operation the generated crates compile in, found by API version and action.
//!
//! The table is the generated `operation::OPERATIONS` of each product crate (feature `decode`),
//! so a new operation in a spec is served as soon as the crate is regenerated.

use std::collections::HashMap;
use std::sync::OnceLock;

use alicloud_runtime::decode::ServedOperation;

use crate::error::ApiError;

/// The operations of every product served, by (version, action).
fn table() -> &'static HashMap<(&'static str, &'static str), &'static ServedOperation> {
    static TABLE: OnceLock<HashMap<(&'static str, &'static str), &'static ServedOperation>> =
        OnceLock::new();
    TABLE.get_or_init(|| {
        alicloud_vpc::operation::OPERATIONS
            .iter()
            .map(|op| ((op.meta.version, op.meta.action), *op))
            .collect()
    })
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
    fn every_vpc_operation_is_routed_and_its_example_is_json() {
        assert_eq!(table().len(), alicloud_vpc::operation::OPERATIONS.len());
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
