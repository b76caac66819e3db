//! Facts read from the metadata's prose: the Markdown `description` of a parameter or field
//! states valid values, defaults, units and numeric ranges in words. This module reads those
//! facts, deterministically, and writes them back in our own words; the sentences themselves
//! are never copied (only values, numbers and unit words carry over).
//!
//! Phrasings recognised (surveyed over the Vpc, Adb, BssOpenApi and Sts metadata; each has a
//! fixture in `generator/tests/data/facts.json`):
//!
//! - `Valid values:` followed by a bulleted list whose items start with a bold value
//!   (`*   **Available**: …`, `-   **true** (default)`): the valid values. A list whose items
//!   state `Valid values`/`Default value` themselves lists keys of a JSON value, not values,
//!   and is ignored.
//! - `Valid values: **a**, **b**, and **c**` / `**a** and **b**` / `a, b and c` inline.
//! - `Valid values: **1** to **100**` / `1 to 100`: a numeric range.
//! - `Maximum value: **50**`, `Minimum value: 1`: one bound.
//! - `Default value: **10**`, a list item or value followed by `(default)`: the default.
//! - `Unit: seconds`: the unit (one to three words).
//! - `N to M characters`: a length; `up to N <noun>`: a count.
//!
//! What becomes a rule rather than a doc: a list of values on a string becomes an enum (every
//! generated enum keeps values it does not know, so nothing is refused), but only when the
//! metadata's example, if any, is one of the values; a range becomes a `range` constraint only
//! on a number, when every number written in the description lies inside it (a "-1 means all"
//! elsewhere in the text makes it docs only) and the example and default do too. Booleans
//! never become enums. Everything else is documentation.

use std::collections::{BTreeMap, BTreeSet};

/// The facts of one description.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// Listed valid values, in the documented order, without duplicates.
    pub values: Vec<String>,
    /// The default value.
    pub default: Option<String>,
    /// The unit (`seconds`, `Mbit/s`).
    pub unit: Option<String>,
    /// A numeric range `min`..=`max` (either side may be open).
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// A length in characters, `min`..=`max`.
    pub length: Option<(u64, u64)>,
    /// "up to N `<noun>`": the count and the noun.
    pub up_to: Option<(u64, String)>,
    /// Every number written in the description (to judge whether a range is unambiguous).
    pub numbers: Vec<f64>,
}

impl Facts {
    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.default.is_none()
            && self.unit.is_none()
            && self.range.is_none()
            && self.length.is_none()
            && self.up_to.is_none()
    }

    /// The range, when it can be enforced without refusing what the service accepts: every
    /// number of the description and the given `others` (example, default) lie inside it.
    pub fn enforceable_range(&self, others: &[f64]) -> Option<(Option<f64>, Option<f64>)> {
        let (lo, hi) = self.range?;
        let inside = |n: f64| lo.is_none_or(|l| n >= l) && hi.is_none_or(|h| n <= h);
        (self.numbers.iter().chain(others).all(|n| inside(*n))).then_some((lo, hi))
    }
}

/// Reads the facts of a Markdown description. Never fails: what is not understood is left out.
pub fn read(description: &str) -> Facts {
    let mut f = Facts {
        numbers: numbers(description),
        ..Facts::default()
    };
    if let Some(rest) = after(description, &["valid values:", "valid value:"]) {
        valid_values(rest, &mut f);
    }
    if f.range.is_none() {
        let lo = after(description, &["minimum value:"]).and_then(first_number);
        let hi = after(description, &["maximum value:"]).and_then(first_number);
        if lo.is_some() || hi.is_some() {
            f.range = Some((lo, hi));
        }
    }
    if let Some(rest) = after(description, &["default value:", "default:"]) {
        if let Some(v) = single_value(rest) {
            f.default = Some(v);
        }
    }
    if f.default.is_none() {
        f.default = default_marker(description);
    }
    if let Some(rest) = after(description, &["unit:"]) {
        let u = clean(sentence(rest));
        let words = u.split_whitespace().count();
        if (1..=3).contains(&words) && u.len() <= 24 {
            f.unit = Some(u);
        }
    }
    f.length = length(description);
    f.up_to = up_to(description);
    if let Some((Some(a), Some(b))) = f.range {
        if a > b {
            f.range = None;
        }
    }
    f
}

/// The text after the first of `keys` (compared ignoring ASCII case).
fn after<'a>(text: &'a str, keys: &[&str]) -> Option<&'a str> {
    let lower = text.to_ascii_lowercase();
    keys.iter()
        .filter_map(|k| lower.find(k).map(|i| i + k.len()))
        .min()
        .map(|i| &text[i..])
}

/// The first sentence of `text`: up to a line break or a period followed by a blank.
fn sentence(text: &str) -> &str {
    let t = text.trim_start_matches([' ', '\t']);
    let mut end = t.len();
    if let Some(i) = t.find('\n') {
        end = end.min(i);
    }
    if let Some(i) = t.find(". ") {
        end = end.min(i);
    }
    t[..end].trim().trim_end_matches('.')
}

/// Text without Markdown emphasis and code marks, trimmed of punctuation.
fn clean(s: &str) -> String {
    s.replace("**", "")
        .replace('`', "")
        .trim()
        .trim_end_matches(['.', ',', ';', ':'])
        .trim()
        .to_owned()
}

/// A value token: no blanks, made of the characters values are made of.
fn is_value(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.:/+".contains(c))
}

fn parse_num(s: &str) -> Option<f64> {
    let s = clean(s);
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn first_number(text: &str) -> Option<f64> {
    let s = sentence(text);
    parse_num(s.split_whitespace().next()?)
}

/// One value: the first sentence, when it is a single token (`**10**`, `ikev2`).
fn single_value(text: &str) -> Option<String> {
    let s = sentence(text);
    let first = s.split([',', ';', '(']).next()?.trim();
    let v = clean(first);
    is_value(&v).then_some(v)
}

/// Every number in the text: digit runs, with a minus sign when one stands right before
/// (after a blank, a bold mark or the start).
fn numbers(text: &str) -> Vec<f64> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < b.len()
                && (b[i].is_ascii_digit()
                    || (b[i] == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            // Part of a word or an identifier (`ipv4`, `cn-hangzhou-1`, `10.0.0.0/8`) counts
            // too: conservative, it only makes a range less likely to be enforced.
            let negative = start > 0
                && b[start - 1] == b'-'
                && (start == 1 || matches!(b[start - 2], b' ' | b'*' | b'`' | b'('));
            if let Ok(n) = text[start..i].parse::<f64>() {
                out.push(if negative { -n } else { n });
            }
        } else {
            i += 1;
        }
    }
    out
}

fn valid_values(rest: &str, f: &mut Facts) {
    let t = rest.trim_start_matches([' ', '\t', '\r', '\n']);
    if t.starts_with("* ") || t.starts_with("- ") {
        bullets(t, f);
        return;
    }
    let s = sentence(rest);
    // A range: `**1** to **100**`, `1 to 100`.
    if let Some((a, b)) = s.split_once(" to ") {
        if let (Some(lo), Some(hi)) = (parse_num(a), first_number(b)) {
            f.range = Some((Some(lo), Some(hi)));
        }
        return;
    }
    // A list: `**a**, **b**, and **c**`, `a and b`.
    let mut values = Vec::new();
    for part in s.split(',') {
        for piece in part.split(" and ").flat_map(|p| p.split(" or ")) {
            let v = clean(
                piece
                    .trim()
                    .trim_start_matches("and ")
                    .trim_start_matches("or "),
            );
            let v = v
                .strip_suffix("(default)")
                .map(str::trim)
                .unwrap_or(&v)
                .to_owned();
            if v.is_empty() {
                continue;
            }
            if !is_value(&v) {
                return;
            }
            if piece.contains("(default)") {
                f.default = Some(v.clone());
            }
            values.push(v);
        }
    }
    push_values(f, values);
}

/// A bulleted list of bold values.
fn bullets(t: &str, f: &mut Facts) {
    let mut values = Vec::new();
    for line in t.lines() {
        if line.trim().is_empty() {
            continue;
        }
        // Indented lines belong to the item above (notes, nested lists).
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some(item) = line.strip_prefix("* ").or_else(|| line.strip_prefix("- ")) else {
            break;
        };
        let item = item.trim_start();
        let Some(body) = item.strip_prefix("**") else {
            return;
        };
        let Some(end) = body.find("**") else { return };
        let v = body[..end].trim().to_owned();
        let tail = &body[end + 2..];
        let lower = tail.to_ascii_lowercase();
        if lower.contains("valid value") || lower.contains("default value:") {
            // The items are keys of a JSON value, each with its own values.
            return;
        }
        if !is_value(&v) {
            return;
        }
        if lower.trim_start().starts_with("(default)") {
            f.default = Some(v.clone());
        }
        values.push(v);
    }
    push_values(f, values);
}

fn push_values(f: &mut Facts, values: Vec<String>) {
    let mut seen = BTreeSet::new();
    f.values = values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .collect();
}

impl Facts {
    /// The values are `true` and `false` (in any case): a boolean, whatever the declared type.
    pub fn values_are_booleans(&self) -> bool {
        !self.values.is_empty()
            && self
                .values
                .iter()
                .all(|v| v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false"))
    }
}

/// `**value** (default)` anywhere.
fn default_marker(text: &str) -> Option<String> {
    let i = text.find("** (default)")?;
    let start = text[..i].rfind("**")? + 2;
    let v = text[start..i].trim().to_owned();
    is_value(&v).then_some(v)
}

/// `N to M characters`.
fn length(text: &str) -> Option<(u64, u64)> {
    let i = text.find(" characters")?;
    let words: Vec<&str> = text[..i].split_whitespace().rev().take(3).collect();
    if let [hi, "to", lo] = words.as_slice() {
        let lo = clean(lo).parse().ok()?;
        let hi = clean(hi).parse().ok()?;
        return (lo <= hi).then_some((lo, hi));
    }
    None
}

/// `up to N <noun>`.
fn up_to(text: &str) -> Option<(u64, String)> {
    let lower = text.to_ascii_lowercase();
    let i = lower.find("up to ")? + "up to ".len();
    let mut words = text[i..].split_whitespace();
    let n = clean(words.next()?).parse().ok()?;
    // The noun: at most two words, up to punctuation or a joining word.
    let mut noun: Vec<String> = Vec::new();
    for w in words.take(2) {
        let word: String = w
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if word.is_empty() || STOP_WORDS.contains(&word.to_ascii_lowercase().as_str()) {
            break;
        }
        noun.push(word);
        if w.ends_with([',', '.', ';', ':', ')']) {
            break;
        }
    }
    (!noun.is_empty()).then(|| (n, noun.join(" ")))
}

const STOP_WORDS: [&str; 16] = [
    "in", "at", "per", "and", "or", "to", "for", "of", "that", "which", "can", "are", "is", "be",
    "each", "the",
];

/// Writes a number without a needless `.0`.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// What became of a field's facts, for its documentation.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outcome {
    /// The values became the field's enum.
    pub enum_type: bool,
    /// The range became a constraint.
    pub range_rule: bool,
    /// The metadata's own bounds already check a range or a length (documented with them).
    pub checked_range: bool,
    pub checked_length: bool,
    /// The field is a boolean: its listed values are `true` and `false`, said by its type.
    pub boolean: bool,
}

/// The field's documentation in our words: the facts, and where they come from.
pub fn field_note(f: &Facts, outcome: Outcome, schema_default: Option<&str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !f.values.is_empty() && !outcome.enum_type && !outcome.boolean {
        parts.push(format!(
            "Documented values: {}.",
            f.values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(d) = f.default.as_deref().or(schema_default) {
        parts.push(format!("Default: `{d}`."));
    }
    if let Some(u) = &f.unit {
        parts.push(format!("Unit: {}.", u.replace(['<', '>', '[', ']'], "")));
    }
    if let Some((lo, hi)) = f.range {
        if !outcome.range_rule && !outcome.checked_range {
            let text = match (lo, hi) {
                (Some(a), Some(b)) => format!("{} to {}", number_text(a), number_text(b)),
                (Some(a), None) => format!("at least {}", number_text(a)),
                (None, Some(b)) => format!("at most {}", number_text(b)),
                (None, None) => String::new(),
            };
            if !text.is_empty() {
                parts.push(format!("Documented range: {text} (not checked)."));
            }
        }
    }
    if let Some((a, b)) = f.length.filter(|_| !outcome.checked_length) {
        parts.push(format!(
            "Documented length: {a} to {b} characters (not checked)."
        ));
    }
    if let Some((n, noun)) = &f.up_to {
        parts.push(format!("Documented limit: up to {n} {noun} (not checked)."));
    }
    if parts.is_empty() {
        return String::new();
    }
    parts.push("(Read from the reference's description.)".into());
    parts.join(" ")
}

/// The kinds of facts counted by `import-check`.
pub const KINDS: [&str; 7] = [
    "enum",
    "values",
    "default",
    "unit",
    "range",
    "range-rule",
    "length",
];

/// Counts of fields per kind of fact.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts(pub BTreeMap<&'static str, usize>);

impl Counts {
    pub(crate) fn add(&mut self, f: &Facts, outcome: Outcome, schema_default: bool) {
        let mut bump = |k: &'static str| *self.0.entry(k).or_default() += 1;
        if outcome.enum_type {
            bump("enum");
        } else if !f.values.is_empty() {
            bump("values");
        }
        if f.default.is_some() || schema_default {
            bump("default");
        }
        if f.unit.is_some() {
            bump("unit");
        }
        if outcome.range_rule {
            bump("range-rule");
        } else if f.range.is_some() {
            bump("range");
        }
        if f.length.is_some() || f.up_to.is_some() {
            bump("length");
        }
    }
}

/// Enums found in descriptions, shared by value set: each (field name, values) gets one
/// placeholder type while the metadata is converted, and a name once every use is known.
#[derive(Debug, Default)]
pub struct FactEnums {
    entries: Vec<(String, Vec<String>, BTreeSet<String>)>,
    index: BTreeMap<(String, Vec<String>), usize>,
}

const PLACEHOLDER: &str = "__facts_enum_";

impl FactEnums {
    /// The placeholder type of the enum of `values` on a field named `field`, used at `place`.
    pub fn placeholder(&mut self, field: &str, values: &[String], place: &str) -> String {
        let key = (field.to_owned(), values.to_vec());
        let i = match self.index.get(&key) {
            Some(i) => *i,
            None => {
                self.entries
                    .push((field.to_owned(), values.to_vec(), BTreeSet::new()));
                self.index.insert(key, self.entries.len() - 1);
                self.entries.len() - 1
            }
        };
        self.entries[i].2.insert(place.to_owned());
        format!("{PLACEHOLDER}{i}__")
    }

    /// Names every enum, avoiding `taken` (and adding to it): the field's name when one value
    /// set uses it, or the one used most (ties: the smaller set of values, then the earlier in
    /// order); the others add their first values (`StatusAvailablePending`), then a number.
    /// Returns (placeholder, name, values, places).
    pub fn name(
        &self,
        taken: &mut BTreeSet<String>,
    ) -> Vec<(String, String, Vec<String>, BTreeSet<String>)> {
        let mut by_field: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, (field, _, _)) in self.entries.iter().enumerate() {
            by_field.entry(field.as_str()).or_default().push(i);
        }
        let mut names: BTreeMap<usize, String> = BTreeMap::new();
        for (field, mut ids) in by_field {
            let base = super::schema::type_name(field);
            ids.sort_by(|a, b| {
                let (ea, eb) = (&self.entries[*a], &self.entries[*b]);
                eb.2.len()
                    .cmp(&ea.2.len())
                    .then(ea.1.len().cmp(&eb.1.len()))
                    .then(ea.1.cmp(&eb.1))
            });
            for (rank, i) in ids.into_iter().enumerate() {
                let values = &self.entries[i].1;
                let mut sorted: Vec<&String> = values.iter().collect();
                sorted.sort();
                // The field's name; then, for another value set or a name taken, the field's
                // name with its first values (as many as it takes), then `Value`.
                let mut candidates: Vec<String> = Vec::new();
                if rank == 0 {
                    candidates.push(base.clone());
                }
                for k in 2..=sorted.len().max(2) {
                    let suffix: String = sorted
                        .iter()
                        .take(k)
                        .map(|v| super::schema::type_name(v))
                        .collect();
                    candidates.push(format!("{base}{suffix}"));
                }
                candidates.push(format!("{base}Value"));
                let mut candidate = candidates
                    .iter()
                    .find(|c| !taken.contains(*c) && c.len() <= 60)
                    .cloned()
                    .unwrap_or_else(|| format!("{base}Value"));
                if candidate.len() > 60 {
                    candidate = format!("{base}Value");
                }
                let mut name = candidate.clone();
                let mut n = 2;
                while taken.contains(&name) {
                    name = format!("{candidate}{n}");
                    n += 1;
                }
                taken.insert(name.clone());
                names.insert(i, name);
            }
        }
        self.entries
            .iter()
            .enumerate()
            .map(|(i, (_, values, places))| {
                (
                    format!("{PLACEHOLDER}{i}__"),
                    names.remove(&i).unwrap_or_default(),
                    values.clone(),
                    places.clone(),
                )
            })
            .collect()
    }
}

/// Replaces placeholders in a type expression.
pub fn resolve(ty: &str, names: &BTreeMap<String, String>) -> String {
    if !ty.contains(PLACEHOLDER) {
        return ty.to_owned();
    }
    let mut out = ty.to_owned();
    for (p, n) in names {
        out = out.replace(p.as_str(), n);
    }
    out
}

/// The description of a shared enum: where its values were read.
pub fn enum_note(places: &BTreeSet<String>) -> String {
    const SHOWN: usize = 4;
    let mut s = String::from("Values listed in the reference's description of ");
    let shown: Vec<String> = places
        .iter()
        .take(SHOWN)
        .map(|p| format!("`{p}`"))
        .collect();
    s.push_str(&shown.join(", "));
    if places.len() > SHOWN {
        s.push_str(&format!(" and {} more", places.len() - SHOWN));
    }
    s.push('.');
    s
}

/// The verb of an operation name, conjugated, and the words of what it acts on:
/// `DescribeVpcs` → ("Describes", "vpcs").
fn verb_and_object(name: &str) -> (String, String) {
    let words = split_words(name);
    let Some((verb, rest)) = words.split_first() else {
        return (String::new(), String::new());
    };
    let verb = match verb.as_str() {
        v if v.ends_with('y') && !v.ends_with("ay") => format!("{}ies", &v[..v.len() - 1]),
        v if v.ends_with("ch") || v.ends_with("sh") || v.ends_with('s') || v.ends_with('x') => {
            format!("{v}es")
        }
        v => format!("{v}s"),
    };
    (verb, rest.join(" "))
}

fn split_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        // An acronym keeps a version (`IPv6`) or a plural `s` (`VPCs`) that follows it.
        let next = chars.get(i + 1).copied();
        let after = chars.get(i + 2).copied();
        let acronym_tail = (next == Some('v') && after.is_some_and(|d| d.is_ascii_digit()))
            || (next == Some('s') && !after.is_some_and(|d| d.is_ascii_lowercase()));
        let boundary = c.is_ascii_uppercase()
            && !cur.is_empty()
            && (!chars[i - 1].is_ascii_uppercase()
                || (next.is_some_and(|n| n.is_ascii_lowercase()) && !acronym_tail));
        if boundary {
            words.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    // A lone capital starts a product word (`VSwitch`, `VRouter`), not a word of its own.
    let mut merged: Vec<String> = Vec::new();
    let mut carry = String::new();
    for w in words {
        if w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase()) {
            carry.push_str(&w);
        } else {
            merged.push(format!("{carry}{w}"));
            carry.clear();
        }
    }
    if !carry.is_empty() {
        merged.push(carry);
    }
    merged
}

/// What an operation does, in our words, from facts: its name (verb and object), whether it
/// reads or writes (the metadata's `operationType` and its tag), paging, asynchrony and deprecation.
pub fn operation_sentence(
    name: &str,
    operation_type: (Option<&str>, Option<&str>),
    paging: Option<(&str, &str)>,
    asynchronous: Option<&str>,
    deprecated: bool,
) -> String {
    let (verb, object) = verb_and_object(name);
    let mut s = if object.is_empty() {
        format!("{verb}.")
    } else {
        format!("{verb} {object}.")
    };
    // The metadata states access twice (`operationType` and its tag); they disagree at times,
    // so "reads only" needs both to say so (or one, when the other is missing).
    let (access, tag) = operation_type;
    let writes_access = matches!(access, Some("write") | Some("readAndWrite"));
    let reads_access = access == Some("read");
    let writes_tag = matches!(tag, Some("create") | Some("update") | Some("delete"));
    let reads_tag = matches!(tag, Some("get") | Some("list"));
    if (reads_access || reads_tag) && !writes_access && !writes_tag {
        s.push_str(" Reads only: it changes nothing.");
    } else if writes_tag && !reads_access {
        s.push_str(&format!(
            " Changes resources ({}).",
            match tag {
                Some("create") => "creates",
                Some("delete") => "deletes",
                _ => "updates",
            }
        ));
    } else if writes_access || writes_tag {
        s.push_str(" May change resources.");
    }
    if let Some((a, b)) = paging {
        s.push_str(&format!(" Paged: `{a}` and `{b}` select the page."));
    }
    if let Some(poll) = asynchronous {
        s.push_str(&format!(
            " Asynchronous: it returns before the work is done; poll `{poll}` to see it finish."
        ));
    }
    if deprecated {
        s.push_str(" Deprecated by the service.");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_names() {
        assert_eq!(
            verb_and_object("DescribeVpcs"),
            ("Describes".into(), "Vpcs".into())
        );
        assert_eq!(
            verb_and_object("ModifyVpnConnectionAttribute"),
            ("Modifies".into(), "Vpn Connection Attribute".into())
        );
        assert_eq!(
            verb_and_object("AttachVbrToVpconn").0,
            "Attaches".to_owned()
        );
        assert_eq!(
            split_words("CreateIPv6Gateway"),
            ["Create", "IPv6", "Gateway"]
        );
        assert_eq!(split_words("DescribeVSwitches"), ["Describe", "VSwitches"]);
        assert_eq!(split_words("ListVPCs"), ["List", "VPCs"]);
    }

    #[test]
    fn numbers_with_signs() {
        assert_eq!(
            numbers("set **-1** or 0 to 63, ipv4"),
            vec![-1.0, 0.0, 63.0]
        );
        assert_eq!(numbers("cn-hangzhou-1"), vec![1.0]);
    }
}
