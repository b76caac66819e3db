//! Rust names for spec names: case conversion with heck, keywords, and collisions.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers as they are (strict and reserved keywords of editions up
/// to 2024, `gen` included).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// The identifier text for a snake-case field, method or module name (`r#type`, `self_`).
pub fn snake(name: &str) -> String {
    let mut s: String = name
        .to_snake_case()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        s.push_str("field");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    escape(s)
}

/// The identifier text for a type or variant name.
pub fn camel(name: &str) -> String {
    let mut s: String = name
        .to_upper_camel_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if s.is_empty() {
        s.push_str("Empty");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    escape(s)
}

fn escape(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// Makes `names` unique by appending `2`, `3`, … to later duplicates, in order. Returns the
/// indexes that were renamed.
pub fn dedupe(names: &mut [String]) -> Vec<usize> {
    let mut renamed = Vec::new();
    for i in 0..names.len() {
        if names[..i].contains(&names[i]) {
            let base = names[i].trim_start_matches("r#").to_owned();
            let sep = if base.ends_with('_') {
                ""
            } else if base.ends_with(|c: char| c.is_ascii_digit())
                || base.contains('_')
                || base.chars().all(|c| !c.is_ascii_uppercase())
            {
                "_"
            } else {
                ""
            };
            let mut n = 2;
            loop {
                let candidate = format!("{base}{sep}{n}");
                if !names.contains(&candidate) {
                    names[i] = candidate;
                    break;
                }
                n += 1;
            }
            renamed.push(i);
        }
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            snake("TunnelOptionsSpecification"),
            "tunnel_options_specification"
        );
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("gen"), "r#gen");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("3des"), "_3des");
        assert_eq!(camel("3des"), "V3des");
        assert_eq!(camel("VpnGateway.Configuring"), "VpnGatewayConfiguring");
        assert_eq!(camel("Self"), "Self_");
        let mut v = vec![
            "invalid_vpc".to_owned(),
            "invalid_vpc".to_owned(),
            "a".into(),
        ];
        assert_eq!(dedupe(&mut v), vec![1]);
        assert_eq!(v[1], "invalid_vpc_2");
        let mut v = vec![
            "InvalidVpcNotFound".to_owned(),
            "InvalidVpcNotFound".to_owned(),
        ];
        dedupe(&mut v);
        assert_eq!(v[1], "InvalidVpcNotFound2");
    }
}
