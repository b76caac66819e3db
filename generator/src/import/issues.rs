//! Import problems: their kinds, the sink that collects them with their JSON paths, and the
//! path step to an object member that every message uses.

use std::fmt;

use serde_json::Value;

use crate::diag::{Diagnostic, Severity};

/// The kind of an import problem, for counting and filtering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IssueKind {
    /// The text is not JSON, or not a JSON object (error).
    InvalidJson,
    /// `info` lacks a usable product code or version (error).
    MissingInfo,
    /// `apis` is missing or not an object (error).
    BadApis,
    /// A value has the wrong JSON type (an operation or a parameter that is not an object,
    /// `parameters` that are not a list, …); ignored.
    WrongType,
    /// The product is in a style other than RPC and ROA (error).
    NotRpc,
    /// A ROA operation has no usable `path`; `/` is used.
    MissingPath,
    /// The product has no operation.
    NoOperations,
    /// A name, code, value or example has blanks around it; trimmed.
    StrayWhitespace,
    /// An operation has an empty name; skipped.
    OperationWithoutName,
    /// An operation's name is not UpperCamelCase; skipped.
    BadOperationName,
    /// A parameter has no name; skipped.
    ParameterWithoutName,
    /// A field of an object has an empty name; skipped.
    FieldWithoutName,
    /// A parameter or field is declared twice; the second is skipped.
    DuplicateName,
    /// A parameter's `in` is missing or unknown; sent in the query.
    UnknownLocation,
    /// A parameter's `style` is unknown; treated as absent.
    UnknownStyle,
    /// A structured parameter has no style; flattened.
    MissingStyle,
    /// A style cannot carry the parameter's type; replaced.
    StyleMismatch,
    /// A schema has no type; imported as `any`.
    MissingType,
    /// A schema's type is unknown; imported as `any`.
    UnknownType,
    /// A number's format is unknown; the widest type is used.
    UnknownFormat,
    /// A list has no `items`; imported as `list<any>`.
    ArrayWithoutItems,
    /// A `$ref` names no component; imported as `any`.
    UnresolvedRef,
    /// A shape contains itself other than through a list or a map; the field is `any`.
    SelfReference,
    /// A derived shape name was taken; numbered.
    ShapeNameCollision,
    /// An `enum` lists no (usable) value; a plain string.
    EmptyEnum,
    /// An `enum` has odd values (not a list, blank, duplicate, not scalars).
    OddEnum,
    /// An `enum` on a non-string is ignored.
    EnumIgnored,
    /// A bound is not a number; ignored.
    BadBound,
    /// A lower bound is above the upper one; both ignored.
    InvertedBounds,
    /// A constraint does not apply to the type; ignored.
    ConstraintNotApplicable,
    /// A pattern is not a string; ignored.
    BadPattern,
    /// An example does not fit its type or constraints; dropped.
    ExampleDropped,
    /// An object has both fields and `additionalProperties`; the extra keys are not kept.
    MapWithProperties,
    /// An error code entry is unusable (status, code); skipped.
    BadErrorCode,
    /// An error code is listed twice under one status; kept once.
    DuplicateErrorCode,
    /// `staticInfo` says asynchronous but cannot be used; ignored.
    AsyncIgnored,
    /// `callbackInterval` looks like seconds rather than milliseconds.
    OddCallbackInterval,
    /// `methods` names neither GET nor POST; POST is used.
    UnknownMethods,
    /// The response is missing or not an object.
    UnusableResponse,
    /// No endpoint is listed; a pattern is derived from the product code.
    NoEndpoints,
    /// A listed endpoint cannot be used as it is (a region id or host of other characters, a
    /// region listed again with another host); left out of the map.
    UnusableEndpoint,
    /// Two operations would be written to the same file; numbered.
    FileNameCollision,
}

impl IssueKind {
    /// A stable name, e.g. `stray-whitespace`.
    pub fn as_str(self) -> &'static str {
        use IssueKind::*;
        match self {
            InvalidJson => "invalid-json",
            MissingInfo => "missing-info",
            BadApis => "bad-apis",
            WrongType => "wrong-type",
            NotRpc => "not-rpc",
            MissingPath => "missing-path",
            NoOperations => "no-operations",
            StrayWhitespace => "stray-whitespace",
            OperationWithoutName => "operation-without-name",
            BadOperationName => "bad-operation-name",
            ParameterWithoutName => "parameter-without-name",
            FieldWithoutName => "field-without-name",
            DuplicateName => "duplicate-name",
            UnknownLocation => "unknown-location",
            UnknownStyle => "unknown-style",
            MissingStyle => "missing-style",
            StyleMismatch => "style-mismatch",
            MissingType => "missing-type",
            UnknownType => "unknown-type",
            UnknownFormat => "unknown-format",
            ArrayWithoutItems => "array-without-items",
            UnresolvedRef => "unresolved-ref",
            SelfReference => "self-reference",
            ShapeNameCollision => "shape-name-collision",
            EmptyEnum => "empty-enum",
            OddEnum => "odd-enum",
            EnumIgnored => "enum-ignored",
            BadBound => "bad-bound",
            InvertedBounds => "inverted-bounds",
            ConstraintNotApplicable => "constraint-not-applicable",
            BadPattern => "bad-pattern",
            ExampleDropped => "example-dropped",
            MapWithProperties => "map-with-properties",
            BadErrorCode => "bad-error-code",
            DuplicateErrorCode => "duplicate-error-code",
            AsyncIgnored => "async-ignored",
            OddCallbackInterval => "odd-callback-interval",
            UnknownMethods => "unknown-methods",
            UnusableResponse => "unusable-response",
            NoEndpoints => "no-endpoints",
            UnusableEndpoint => "unusable-endpoint",
            FileNameCollision => "file-name-collision",
        }
    }
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One import problem: its kind and the diagnostic (the metadata file, the JSON path in it,
/// what is wrong, naming the operation and parameter path, and what to do).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// What kind of problem.
    pub kind: IssueKind,
    /// The diagnostic.
    pub diagnostic: Diagnostic,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.kind, self.diagnostic)
    }
}

/// Collects issues.
pub(crate) struct Sink {
    pub(crate) source: String,
    pub(crate) issues: Vec<Issue>,
}

impl Sink {
    pub(crate) fn push(
        &mut self,
        severity: Severity,
        kind: IssueKind,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.issues.push(Issue {
            kind,
            diagnostic: Diagnostic {
                severity,
                file: self.source.clone(),
                path: path.into(),
                message: message.into(),
                help: help.into(),
            },
        });
    }

    pub(crate) fn warn(
        &mut self,
        kind: IssueKind,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Severity::Warning, kind, path, message, help);
    }

    pub(crate) fn error(
        &mut self,
        kind: IssueKind,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Severity::Error, kind, path, message, help);
    }
}

/// The JSON path step to the member `key` of an object: `.Key` for a plain key, `["a key"]`
/// (the key as a JSON string) for one that is empty or has blanks, dots or other characters
/// that would make the path ambiguous, so that every path points at one place.
pub(crate) fn member(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        format!(".{key}")
    } else {
        format!("[{}]", Value::String(key.to_owned()))
    }
}
