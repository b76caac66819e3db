//! Lenient readers of metadata values: the metadata writes numbers and booleans as JSON
//! values or as strings (`"maximum": "50"`, `"required": "true"`), with stray blanks.

use serde_json::{Number, Value};

/// A string value, as is.
pub(super) fn text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}

/// A boolean written as `true`/`false` or as the strings `"true"`/`"false"`.
pub(super) fn flag(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A number written as a JSON number or as a numeric string; integers stay integers.
pub(super) fn number(v: &Value) -> Option<Number> {
    match v {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => parse_number(s.trim()),
        _ => None,
    }
}

/// Parses decimal text as an integer when it is one, as a finite float otherwise.
pub(super) fn parse_number(s: &str) -> Option<Number> {
    if let Ok(i) = s.parse::<i64>() {
        return Some(Number::from(i));
    }
    if let Ok(u) = s.parse::<u64>() {
        return Some(Number::from(u));
    }
    let f = s.parse::<f64>().ok().filter(|f| f.is_finite())?;
    Number::from_f64(f)
}

/// A non-negative whole count (`minLength`, `maxItems`, …).
pub(super) fn count(v: &Value) -> Option<u64> {
    let n = number(v)?;
    if let Some(u) = n.as_u64() {
        return Some(u);
    }
    let f = n.as_f64()?;
    (f >= 0.0 && f.fract() == 0.0 && f <= u64::MAX as f64).then_some(f as u64)
}

/// The text of a scalar value: strings as they are, numbers and booleans written out.
pub(super) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether a parameter or field named `name` holds a secret, by its name: the metadata never
/// marks secrets, and a value redacted needlessly costs only a `<redacted>` in `Debug`, while
/// one not redacted leaks. Exact names for keys and tokens whose names say only "key" or
/// "token" (where most such names are not secret: `TagKey`, `NextToken`, `ClientToken`);
/// suffixes for passwords, secrets and private keys.
pub(super) fn secret_by_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "accesskeysecret"
            | "securitytoken"
            | "accesstoken"
            | "oidctoken"
            | "samlassertion"
            | "psk"
            | "presharedkey"
            | "authkey"
    ) || ["password", "secret", "privatekey"]
        .iter()
        .any(|s| lower.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_readers() {
        assert_eq!(flag(Some(&json!("True "))), Some(true));
        assert_eq!(flag(Some(&json!(false))), Some(false));
        assert_eq!(flag(Some(&json!("yes"))), None);
        assert_eq!(number(&json!(" 50")), Some(Number::from(50)));
        assert_eq!(number(&json!("-2")), Some(Number::from(-2)));
        assert_eq!(
            number(&json!("18446744073709551615")),
            Some(Number::from(u64::MAX))
        );
        assert_eq!(number(&json!("0.5")).and_then(|n| n.as_f64()), Some(0.5));
        assert_eq!(number(&json!("NaN")), None);
        assert_eq!(number(&json!("")), None);
        assert_eq!(count(&json!("10")), Some(10));
        assert_eq!(count(&json!(-1)), None);
        assert_eq!(count(&json!(2.5)), None);
        assert_eq!(scalar_text(&json!(3)), Some("3".into()));
    }

    #[test]
    fn secrets_are_recognised_by_name_and_keys_and_tokens_are_not() {
        for name in [
            "AccessKeySecret",
            "SecurityToken",
            "OIDCToken",
            "SAMLAssertion",
            "Psk",
            "AuthKey",
            "Password",
            "AccountPassword",
            "ClientSecret",
            "PrivateKey",
        ] {
            assert!(secret_by_name(name), "{name}");
        }
        for name in [
            "TagKey",
            "NextToken",
            "ClientToken",
            "AccessKeyId",
            "KeyName",
            "Token",
            "PublicKey",
        ] {
            assert!(!secret_by_name(name), "{name}");
        }
    }
}
