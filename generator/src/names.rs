//! The naming authority: every Rust name the generator writes is made here, from the spec's
//! names, and decided once by the model ([`crate::model`]); emit code only reads the results.
//!
//! - [`words`] splits a spec name into words, keeping acronyms whole (`IPv6` is one word, so
//!   `CreateIPv6Translator` becomes `create_ipv6_translator`, `VPCs` is one word).
//! - [`Name`] is an identifier that knows whether it must be written raw (`r#type`), so
//!   nobody strips `r#` by hand.
//! - [`Namespace`] finds collisions among the names one scope defines (a module, an impl
//!   block, an enum) and resolves them deterministically.
//! - [`error_code_names`] names the variants of a product's `ErrorCode` from the codes'
//!   spelling.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

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

/// Mixed-case words that the usual camel-case rules would cut in two (`IPsec` → `I`, `Psec`).
const MIXED_CASE_WORDS: &[&str] = &["IPsec", "IDaaS"];

/// The suffixes of the types every operation module defines, after the operation's
/// UpperCamel name: request, its builder, response, error.
pub const OPERATION_TYPE_SUFFIXES: [&str; 4] = ["Request", "RequestBuilder", "Response", "Error"];

/// The words of a spec name: runs of letters and digits, cut at case changes the way heck
/// cuts them (`VpnGatewayId` → `Vpn`, `Gateway`, `Id`; `HTTPServer` → `HTTP`, `Server`), except
/// that an acronym stays whole when lower-case letters and a digit follow it (`IPv6`,
/// `IKEv2`), when a plural `s` follows it (`VPCs`, `EIPs`), and for the few mixed-case words
/// of `MIXED_CASE_WORDS` (`IPsec`, `IDaaS`).
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for run in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = run.chars().collect();
        let mut start = 0;
        let mut i = 0;
        while i < chars.len() {
            if let Some(w) = MIXED_CASE_WORDS
                .iter()
                .find(|w| run[i..].starts_with(**w) && word_ends(&chars, i + w.len()))
            {
                if start < i {
                    out.push(chars[start..i].iter().collect());
                }
                out.push((*w).to_owned());
                i += w.len();
                start = i;
                continue;
            }
            let c = chars[i];
            if i > start && c.is_ascii_uppercase() {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                // A capital after a small letter or digit starts a word; inside a run of
                // capitals, the last one before small letters does (`HTTPServer`), unless those
                // letters still belong to the acronym.
                let cut = prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower && !acronym_continues(&chars, i));
                if cut {
                    out.push(chars[start..i].iter().collect());
                    start = i;
                }
            }
            i += 1;
        }
        if start < chars.len() {
            out.push(chars[start..].iter().collect());
        }
    }
    out.retain(|w: &String| !w.is_empty());
    out
}

/// Whether a word may end at `at` (end of the run, or a capital or digit follows).
fn word_ends(chars: &[char], at: usize) -> bool {
    chars
        .get(at)
        .is_none_or(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// At `i`, a capital after another capital and before small letters: whether those letters
/// still belong to the acronym, as a plural `s` ending the word (`VPCs`) or as one letter
/// before a digit (`IPv6`, `IKEv2`).
fn acronym_continues(chars: &[char], i: usize) -> bool {
    let mut j = i + 1;
    while j < chars.len() && chars[j].is_ascii_lowercase() {
        j += 1;
    }
    let lower = &chars[i + 1..j];
    let plural = lower == ['s'] && word_ends(chars, j);
    let versioned = lower.len() == 1 && chars.get(j).is_some_and(|c| c.is_ascii_digit());
    plural || versioned
}

/// A Rust identifier: its text, and whether it is written raw (`r#type`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name {
    text: String,
    raw: bool,
}

impl Name {
    /// The identifier for `text`, escaped if it is a keyword: raw (`r#type`) where Rust allows,
    /// with a trailing `_` otherwise (`self_`). `text` must already be identifier characters.
    pub fn new(text: impl Into<String>) -> Name {
        let text = text.into();
        if NOT_RAW.contains(&text.as_str()) {
            Name {
                text: format!("{text}_"),
                raw: false,
            }
        } else {
            let raw = KEYWORDS.contains(&text.as_str());
            Name { text, raw }
        }
    }

    /// The snake-case name (fields, methods, modules) of a spec name.
    pub fn snake(spec: &str) -> Name {
        let mut s = words(spec)
            .iter()
            .map(|w| w.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join("_");
        if s.is_empty() {
            s.push_str("field");
        }
        if s.starts_with(|c: char| c.is_ascii_digit()) {
            s.insert(0, '_');
        }
        Name::new(s)
    }

    /// The UpperCamel name (types, variants) of a spec name.
    pub fn camel(spec: &str) -> Name {
        let mut s = String::new();
        for w in words(spec) {
            let mut cs = w.chars();
            if let Some(first) = cs.next() {
                s.push(first.to_ascii_uppercase());
                s.extend(cs.map(|c| c.to_ascii_lowercase()));
            }
        }
        if s.is_empty() {
            s.push_str("Empty");
        }
        if s.starts_with(|c: char| c.is_ascii_digit()) {
            s.insert(0, 'V');
        }
        Name::new(s)
    }

    /// This name with `suffix` appended (`Tunnel` + `Builder`), escaped again; a keyword's
    /// escape goes (`Self_` + `Value` is `SelfValue`).
    pub fn suffixed(&self, suffix: &str) -> Name {
        let base = self
            .text
            .strip_suffix('_')
            .filter(|b| NOT_RAW.contains(b))
            .unwrap_or(&self.text);
        Name::new(format!("{base}{suffix}"))
    }

    /// This name with `prefix` put before it (`set_` + `name`), escaped again.
    pub fn prefixed(&self, prefix: &str) -> Name {
        Name::new(format!("{prefix}{}", self.text))
    }

    /// The identifier's text without `r#`: for file names, doc links and messages.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether it is written `r#…`.
    pub fn is_raw(&self) -> bool {
        self.raw
    }

    /// The identifier token.
    pub fn ident(&self) -> Ident {
        if self.raw {
            Ident::new_raw(&self.text, Span::call_site())
        } else {
            Ident::new(&self.text, Span::call_site())
        }
    }
}

impl fmt::Display for Name {
    /// The name as written in Rust source (`r#type`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.raw {
            f.write_str("r#")?;
        }
        f.write_str(&self.text)
    }
}

impl serde::Serialize for Name {
    /// As written in Rust source, for model dumps in tests and tools.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl ToTokens for Name {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append(self.ident());
    }
}

/// The names one scope defines (a module, an impl block, an enum), to find collisions.
#[derive(Clone, Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A scope in which `reserved` are already defined (by the generated code itself).
    pub fn with_reserved(reserved: &[&str]) -> Namespace {
        Namespace {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Takes `wanted` if it is free; otherwise the first free of `alternatives`, then of
    /// `wanted` numbered `2`, `3`, … Returns the name taken, and whether it differs from
    /// `wanted` (the caller reports that).
    pub fn claim(&mut self, wanted: Name, alternatives: &[Name]) -> (Name, bool) {
        if self.taken.insert(wanted.as_str().to_owned()) {
            return (wanted, false);
        }
        for alt in alternatives {
            if self.taken.insert(alt.as_str().to_owned()) {
                return (alt.clone(), true);
            }
        }
        let base = wanted.as_str();
        // `vpc_2` for snake-case names, `Vpc2` for UpperCamel ones.
        let snake = base.ends_with(|c: char| c.is_ascii_digit())
            || base.contains('_')
            || base.chars().all(|c| !c.is_ascii_uppercase());
        let sep = if snake { "_" } else { "" };
        let base = base.trim_end_matches('_');
        (2..)
            .map(|n| Name::new(format!("{base}{sep}{n}")))
            .find(|n| self.taken.insert(n.as_str().to_owned()))
            .map(|n| (n, true))
            .unwrap_or((wanted, true))
    }
}

/// The `ErrorCode` variant name of each of a product's error codes, read from the codes'
/// spelling, never numbered:
/// - a code that collides with no other after conversion gets its UpperCamel name
///   (`Vpc.Error` → `VpcError`), except that a one-letter result is spelled out (`%s`);
/// - among codes that collide, the one already spelled that way keeps the name
///   (`InvalidParameter`), and each other one is written as spelled, its punctuation made
///   `_` (`INVALID_PARAMETER`, `Invalid_Parameter`, `IllegalParam_chargeType`): the variant
///   reads as the code users see in responses.
///
/// Returns, for each code, its name and whether it was spelled out because of a collision.
pub fn error_code_names<'a>(codes: &[&'a str]) -> BTreeMap<&'a str, (Name, bool)> {
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    // Byte order, whatever the caller's: which code keeps the shorter spelling is stable.
    let mut codes = codes.to_vec();
    codes.sort_unstable();
    codes.dedup();
    for c in &codes {
        groups
            .entry(Name::camel(c).as_str().to_owned())
            .or_default()
            .push(c);
    }
    let mut out = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    // Plain names first, so a spelled-out name never takes one.
    for (plain, group) in &groups {
        let keeper = match group.as_slice() {
            [only] => Some(*only),
            many => many.iter().find(|c| **c == plain).copied(),
        };
        if let Some(k) = keeper {
            let name = if plain.len() < 2 {
                spelled(k, false)
            } else {
                Name::new(plain.clone())
            };
            taken.insert(name.as_str().to_owned());
            out.insert(k, (name, false));
        }
    }
    for group in groups.values().filter(|g| g.len() > 1) {
        for c in group {
            if out.contains_key(c) {
                continue;
            }
            let mut name = spelled(c, false);
            if taken.contains(name.as_str()) {
                name = spelled(c, true);
            }
            if taken.contains(name.as_str()) {
                // Codes differing in a character both spellings drop: name the bytes.
                let hex: String = c.bytes().map(|b| format!("{b:02x}")).collect();
                name = Name::new(format!("{}_{hex}", name.as_str()));
            }
            taken.insert(name.as_str().to_owned());
            out.insert(*c, (name, true));
        }
    }
    out
}

/// A code written as an identifier keeping its letters' case: `.`, `-`, spaces and other
/// separators become `_` (or, `long`, a word each: `_Dot_`), other symbols a word (`%` →
/// `Percent`); it starts with a letter.
fn spelled(code: &str, long: bool) -> Name {
    let mut s = String::new();
    for c in code.chars() {
        let word = match c {
            c if c.is_ascii_alphanumeric() => {
                s.push(c);
                continue;
            }
            '_' if !long => "_",
            '.' | '-' | ' ' | ':' | '/' if !long => "_",
            '.' => "_Dot_",
            '_' => "_Underscore_",
            '-' => "_Dash_",
            ' ' => "_Space_",
            ':' => "_Colon_",
            '/' => "_Slash_",
            '%' => "Percent_",
            '&' => "And_",
            '+' => "Plus_",
            '@' => "At_",
            '#' => "Hash_",
            '$' => "Dollar_",
            _ => "_",
        };
        s.push_str(word);
    }
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    let s = s.trim_matches('_').to_owned();
    let s = if s.starts_with(|c: char| c.is_ascii_alphabetic()) && s.len() > 1 {
        s
    } else {
        format!("Code_{s}")
    };
    Name::new(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snake(s: &str) -> String {
        Name::snake(s).to_string()
    }

    fn camel(s: &str) -> String {
        Name::camel(s).to_string()
    }

    #[test]
    fn words_keep_acronyms_whole() {
        assert_eq!(words("VpnGatewayId"), ["Vpn", "Gateway", "Id"]);
        assert_eq!(words("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(
            words("CreateIPv6Translator"),
            ["Create", "IPv6", "Translator"]
        );
        assert_eq!(words("IPv4Address"), ["IPv4", "Address"]);
        assert_eq!(words("IkeVersion"), ["Ike", "Version"]);
        assert_eq!(words("IKEv2"), ["IKEv2"]);
        assert_eq!(words("DescribeVPCs"), ["Describe", "VPCs"]);
        assert_eq!(words("EIPsList"), ["EIPs", "List"]);
        assert_eq!(words("IPsecExtendInfo"), ["IPsec", "Extend", "Info"]);
        assert_eq!(words("IDaaSInstanceId"), ["IDaaS", "Instance", "Id"]);
        assert_eq!(words("VPCId"), ["VPC", "Id"]);
        assert_eq!(words("Tag.1.Key"), ["Tag", "1", "Key"]);
        assert_eq!(words("snake_case_name"), ["snake", "case", "name"]);
        assert_eq!(words("Ipv6CidrBlock"), ["Ipv6", "Cidr", "Block"]);
    }

    #[test]
    fn names() {
        assert_eq!(
            snake("TunnelOptionsSpecification"),
            "tunnel_options_specification"
        );
        assert_eq!(snake("CreateIPv6Translator"), "create_ipv6_translator");
        assert_eq!(snake("DescribeVpcs"), "describe_vpcs");
        assert_eq!(snake("DescribeVPCs"), "describe_vpcs");
        assert_eq!(camel("IPv6CidrBlock"), "Ipv6CidrBlock");
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("gen"), "r#gen");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("3des"), "_3des");
        assert_eq!(camel("3des"), "V3des");
        assert_eq!(camel("VpnGateway.Configuring"), "VpnGatewayConfiguring");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(Name::snake("type").as_str(), "type");
        assert!(Name::snake("type").is_raw());
        assert_eq!(
            Name::camel("Tunnel").suffixed("Builder").as_str(),
            "TunnelBuilder"
        );
    }

    #[test]
    fn namespaces_resolve_collisions_deterministically() {
        let mut ns = Namespace::with_reserved(&["new", "core"]);
        assert_eq!(
            ns.claim(Name::new("new"), &[Name::new("new_action")]),
            (Name::new("new_action"), true)
        );
        assert_eq!(
            ns.claim(Name::new("describe"), &[]),
            (Name::new("describe"), false)
        );
        assert_eq!(
            ns.claim(Name::new("describe"), &[]),
            (Name::new("describe_2"), true)
        );
        assert_eq!(
            ns.claim(Name::new("InvalidVpc"), &[]),
            (Name::new("InvalidVpc"), false)
        );
        assert_eq!(
            ns.claim(Name::new("InvalidVpc"), &[]),
            (Name::new("InvalidVpc2"), true)
        );
    }

    #[test]
    fn error_codes_are_named_from_their_spelling() {
        let codes = [
            "INVALID_PARAMETER",
            "IllegalParam.ChargeType",
            "IllegalParam.chargeType",
            "Internal.Error",
            "InternalError",
            "InvalidParameter",
            "Invalid_Parameter",
            "Invalid.Parameter",
            "Parameter.Illegal",
            "ParameterIllegal",
            "Vpc.Error",
            "%s",
        ];
        let names = error_code_names(&codes);
        let name = |c: &str| names[c].0.as_str().to_owned();
        assert_eq!(name("InvalidParameter"), "InvalidParameter");
        assert_eq!(name("INVALID_PARAMETER"), "INVALID_PARAMETER");
        assert_eq!(name("Invalid.Parameter"), "Invalid_Parameter");
        assert_eq!(name("Invalid_Parameter"), "Invalid_Underscore_Parameter");
        assert_eq!(name("InternalError"), "InternalError");
        assert_eq!(name("Internal.Error"), "Internal_Error");
        assert_eq!(name("IllegalParam.ChargeType"), "IllegalParam_ChargeType");
        assert_eq!(name("IllegalParam.chargeType"), "IllegalParam_chargeType");
        assert_eq!(name("ParameterIllegal"), "ParameterIllegal");
        assert_eq!(name("Parameter.Illegal"), "Parameter_Illegal");
        assert_eq!(name("Vpc.Error"), "VpcError");
        assert_eq!(name("%s"), "Percent_s");
        let all: BTreeSet<&str> = names.values().map(|(n, _)| n.as_str()).collect();
        assert_eq!(all.len(), codes.len(), "names are unique: {names:?}");
        for (n, _) in names.values() {
            assert!(n.as_str().len() > 1);
            assert!(!n.as_str().ends_with(|c: char| c.is_ascii_digit()), "{n}");
        }
    }
}
