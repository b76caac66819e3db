//! The validation report: every violation of a request, each with its field path, rule, value
//! (redacted when sensitive), the server error code the rule anticipates, and its severity: a
//! rule the documentation states refuses the request; a rule we inferred is an advisory, which
//! is reported but does not stop the call unless strict validation is on.

use std::fmt;

use crate::path::Path;

/// The kind of rule a value broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// A required parameter is missing.
    Required,
    /// Length in characters out of bounds.
    Length,
    /// Number out of bounds.
    Range,
    /// Starts with a forbidden prefix.
    ForbiddenPrefix,
    /// Holds a non-ASCII character.
    Ascii,
    /// Holds a character outside the allowed set.
    Charset,
    /// Holds white space.
    NoWhitespace,
    /// Not an IPv4 address.
    Ipv4,
    /// Not an IPv4 CIDR block.
    Cidr,
    /// Not a comma-separated list of IPv4 CIDR blocks.
    CidrList,
    /// A CIDR block outside the allowed block, of the wrong prefix length, or excluded.
    CidrWithin,
    /// An address outside the CIDR block of a sibling field.
    AddressInCidr,
    /// Not an autonomous system number (plain or `high.low`).
    Asn,
    /// A list with too few or too many items.
    Items,
    /// Two list items share a value that must be unique.
    UniqueItems,
    /// Parameters of mutually exclusive groups were combined.
    ExclusiveGroups,
    /// A parameter required by another parameter's value is missing.
    RequiresIf,
    /// A combination of values the service refuses.
    ForbiddenCombination,
    /// Does not match the documented pattern.
    Pattern,
    /// An extra key of a JSON object names one of its declared fields.
    ExtraField,
}

impl Rule {
    /// The rule's name, as written in the spec.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::Length => "length",
            Rule::Range => "range",
            Rule::ForbiddenPrefix => "forbidden_prefixes",
            Rule::Ascii => "ascii",
            Rule::Charset => "charset",
            Rule::NoWhitespace => "no_whitespace",
            Rule::Ipv4 => "ipv4",
            Rule::Cidr => "cidr",
            Rule::CidrList => "cidr_list",
            Rule::CidrWithin => "cidr_within",
            Rule::AddressInCidr => "address_in_cidr",
            Rule::Asn => "asn",
            Rule::Items => "items",
            Rule::UniqueItems => "unique_items",
            Rule::ExclusiveGroups => "exclusive_groups",
            Rule::RequiresIf => "requires_if",
            Rule::ForbiddenCombination => "forbidden_combination",
            Rule::Pattern => "pattern",
            Rule::ExtraField => "extra_field",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text shown instead of a sensitive value.
pub const REDACTED: &str = "<redacted>";

/// How much a broken rule weighs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The documentation states the rule: the request is refused before it is sent.
    #[default]
    Refusal,
    /// We inferred the rule (the documentation does not state it): the service may still accept
    /// the request, so it is reported but sent, unless strict validation is on.
    Advisory,
}

impl Severity {
    /// `refusal` or `advisory`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Refusal => "refusal",
            Severity::Advisory => "advisory",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What validation before a call refuses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Validation {
    /// Nothing is checked (the service still validates).
    Off,
    /// Violations of stated rules refuse the request; advisories are logged (a `tracing`
    /// warning) and the request is sent.
    #[default]
    Stated,
    /// Every violation refuses the request, advisories included.
    Strict,
}

impl From<bool> for Validation {
    /// `true` is [`Validation::Stated`], `false` is [`Validation::Off`].
    fn from(on: bool) -> Self {
        if on {
            Validation::Stated
        } else {
            Validation::Off
        }
    }
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where: `TunnelOptionsSpecification[0].TunnelBgpConfig.TunnelCidr` (0-based indexes).
    pub path: String,
    /// Which rule.
    pub rule: Rule,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The offending value, or [`REDACTED`] for a sensitive field; `None` when the violation is
    /// about absence or about several fields.
    pub value: Option<String>,
    /// The error code the service answers for this problem, when documented.
    pub error_code: Option<&'static str>,
    /// Whether the rule refuses the request or only advises (see [`Severity`]).
    pub severity: Severity,
}

impl Violation {
    /// Whether it is an advisory (an inferred rule), not a refusal.
    pub fn is_advisory(&self) -> bool {
        self.severity == Severity::Advisory
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}", self.path, self.message, self.rule)?;
        if self.is_advisory() {
            f.write_str(", advisory")?;
        }
        if let Some(code) = self.error_code {
            write!(f, ", service code {code}")?;
        }
        f.write_str("]")?;
        if let Some(v) = &self.value {
            write!(f, " (value: {v:?})")?;
        }
        Ok(())
    }
}

/// Every violation found in a request (never empty when returned as an error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    /// The violations.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }

    /// The number of violations.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The violations at `path`.
    pub fn at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Violation> + 'a {
        self.0.iter().filter(move |v| v.path == path)
    }

    /// The violations of rules the documentation states: any of them refuses the request.
    pub fn refusals(&self) -> impl Iterator<Item = &Violation> + '_ {
        self.0.iter().filter(|v| !v.is_advisory())
    }

    /// The advisories: violations of rules we inferred, which do not stop a call unless
    /// validation is strict.
    pub fn advisories(&self) -> impl Iterator<Item = &Violation> + '_ {
        self.0.iter().filter(|v| v.is_advisory())
    }

    /// Whether any violation is a refusal.
    pub fn has_refusals(&self) -> bool {
        self.refusals().next().is_some()
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let advisories = self.advisories().count();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        if advisories == self.0.len() {
            write!(
                f,
                "request breaks {advisories} inferred rule{} (advisory)",
                plural(advisories)
            )?;
        } else {
            write!(
                f,
                "request failed validation ({} problem{}",
                self.0.len(),
                plural(self.0.len())
            )?;
            if advisories > 0 {
                write!(f, ", {advisories} of them advisory")?;
            }
            f.write_str(")")?;
        }
        for v in &self.0 {
            write!(f, "\n  - {v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// How a value shows in a violation.
#[derive(Clone, Copy)]
pub enum Shown<'a> {
    /// The value itself.
    Value(&'a dyn fmt::Display),
    /// A sensitive value: shown as [`REDACTED`].
    Redacted,
    /// No single value (absence, or a rule over several fields).
    Nothing,
}

/// Collects violations while generated code walks a request.
#[derive(Debug, Default)]
pub struct Validator {
    found: Vec<Violation>,
}

impl Validator {
    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a violation at `path` when `outcome` is an error; the error text is the message.
    /// Nothing is allocated when the check passed.
    // Inlined into generated validators: a passed check (nearly every one) is then a test, not
    // a call.
    #[inline]
    pub fn check(
        &mut self,
        path: &Path<'_>,
        rule: Rule,
        outcome: Result<(), String>,
        value: Shown<'_>,
        error_code: Option<&'static str>,
    ) {
        if let Err(message) = outcome {
            self.report(path.to_string(), rule, message, value, error_code);
        }
    }

    /// Records a violation of a stated rule (a refusal).
    pub fn report(
        &mut self,
        path: String,
        rule: Rule,
        message: String,
        value: Shown<'_>,
        error_code: Option<&'static str>,
    ) {
        self.record(Severity::Refusal, path, rule, message, value, error_code);
    }

    /// Records that the required field `field` of the value at `path` is not set: the
    /// [`Rule::Required`] refusal the service answers with `MissingParameter`. One call in
    /// generated code instead of the five arguments of [`report`](Self::report) per field.
    pub fn missing(&mut self, path: &Path<'_>, field: &'static str) {
        self.report(
            crate::path::join(path, field),
            Rule::Required,
            String::from("is required"),
            Shown::Nothing,
            Some("MissingParameter"),
        );
    }

    /// Records a violation of an inferred rule (an advisory).
    pub fn advise(
        &mut self,
        path: String,
        rule: Rule,
        message: String,
        value: Shown<'_>,
        error_code: Option<&'static str>,
    ) {
        self.record(Severity::Advisory, path, rule, message, value, error_code);
    }

    /// Records a violation of the given severity.
    pub fn record(
        &mut self,
        severity: Severity,
        path: String,
        rule: Rule,
        message: String,
        value: Shown<'_>,
        error_code: Option<&'static str>,
    ) {
        let value = match value {
            Shown::Value(v) => Some(v.to_string()),
            Shown::Redacted => Some(REDACTED.to_owned()),
            Shown::Nothing => None,
        };
        self.found.push(Violation {
            path,
            rule,
            message,
            value,
            error_code,
            severity,
        });
    }

    /// Checks that fields of different groups are not set together. `groups` lists each group's
    /// name and its fields with whether each is set; one violation is reported, at the first set
    /// field of the second group that has any (the field that brought the clash).
    pub fn exclusive_groups(
        &mut self,
        severity: Severity,
        path: &Path<'_>,
        groups: &[(&str, &[(&str, bool)])],
        error_code: Option<&'static str>,
    ) {
        // The common case, at most one group in use, allocates nothing.
        let in_use = groups
            .iter()
            .filter(|(_, fields)| fields.iter().any(|(_, on)| *on))
            .count();
        if in_use < 2 {
            return;
        }
        let set: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|(name, fields)| {
                (
                    *name,
                    fields
                        .iter()
                        .filter(|(_, on)| *on)
                        .map(|(f, _)| *f)
                        .collect(),
                )
            })
            .filter(|(_, fields): &(&str, Vec<&str>)| !fields.is_empty())
            .collect();
        if set.len() < 2 {
            return;
        }
        let list = |fields: &[&str]| fields.join(", ");
        let mut message = format!(
            "{} ({} parameters) cannot be combined with {} ({} parameters)",
            list(&set[1].1),
            set[1].0,
            list(&set[0].1),
            set[0].0
        );
        for (name, fields) in &set[2..] {
            message.push_str(&format!(" or {} ({name} parameters)", list(fields)));
        }
        self.record(
            severity,
            crate::path::join(path, set[1].1[0]),
            Rule::ExclusiveGroups,
            message,
            Shown::Nothing,
            error_code,
        );
    }

    /// `Ok` when nothing was found, else every violation.
    pub fn finish(self) -> Result<(), Violations> {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(Violations(self.found))
        }
    }
}

/// Types that can check themselves (generated for every request and object shape).
pub trait Validate {
    /// Records every violation in `self`, whose path is `path`.
    fn validate_at(&self, path: &Path<'_>, v: &mut Validator);
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &Path<'_>, v: &mut Validator) {
        if let Some(x) = self {
            x.validate_at(path, v);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &Path<'_>, v: &mut Validator) {
        for (i, x) in self.iter().enumerate() {
            x.validate_at(&path.index(i), v);
        }
    }
}

impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
    fn validate_at(&self, path: &Path<'_>, v: &mut Validator) {
        for (k, x) in self {
            x.validate_at(&path.field(k), v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_renders_path_rule_code_and_redacts() {
        let mut v = Validator::new();
        let root = Path::ROOT;
        let p = root.field("IkeConfig");
        let psk = p.field("Psk");
        v.check(&psk, Rule::Length, Ok(()), Shown::Redacted, None);
        v.check(
            &psk,
            Rule::Charset,
            Err("holds a space".into()),
            Shown::Redacted,
            Some("InvalidPsk"),
        );
        let name = root.field("Name");
        v.check(
            &name,
            Rule::ForbiddenPrefix,
            Err("must not start with http://".into()),
            Shown::Value(&"http://x"),
            None,
        );
        let err = v.finish().unwrap_err();
        assert_eq!(err.len(), 2);
        assert_eq!(err.0[0].path, "IkeConfig.Psk");
        assert_eq!(err.0[0].value.as_deref(), Some(REDACTED));
        assert_eq!(err.0[0].error_code, Some("InvalidPsk"));
        let text = err.to_string();
        assert!(text.contains("2 problems"), "{text}");
        assert!(
            text.contains(
                "Name: must not start with http:// [forbidden_prefixes] (value: \"http://x\")"
            ),
            "{text}"
        );
        assert!(Validator::new().finish().is_ok());
    }

    #[test]
    fn advisories_are_marked_and_counted_apart() {
        let mut v = Validator::new();
        let root = Path::ROOT;
        v.advise(
            root.field("RemoteSubnet").to_string(),
            Rule::ForbiddenCombination,
            "IKEv1 with several blocks".into(),
            Shown::Nothing,
            Some("ModifyIkeV1WithMultiRoutes.Invalid"),
        );
        let only = v.finish().unwrap_err();
        assert!(!only.has_refusals());
        assert_eq!(only.advisories().count(), 1);
        assert_eq!(
            only.to_string(),
            "request breaks 1 inferred rule (advisory)\n  - RemoteSubnet: IKEv1 with several blocks [forbidden_combination, advisory, service code ModifyIkeV1WithMultiRoutes.Invalid]"
        );
        let mut v = Validator::new();
        v.report(
            "Name".into(),
            Rule::Length,
            "too long".into(),
            Shown::Nothing,
            None,
        );
        v.exclusive_groups(
            Severity::Advisory,
            &root,
            &[("one", &[("A", true)]), ("two", &[("B", true)])],
            None,
        );
        let both = v.finish().unwrap_err();
        assert!(both.has_refusals());
        assert_eq!(both.refusals().count(), 1);
        assert_eq!(
            both.at("B").next().map(|x| x.severity),
            Some(Severity::Advisory)
        );
        assert!(both
            .to_string()
            .starts_with("request failed validation (2 problems, 1 of them advisory)"));
    }
}
