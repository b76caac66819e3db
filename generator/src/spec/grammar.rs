//! The spec's small grammars: type expressions (`list<Tag>`, `map<string>`, `int64`) and the
//! paths of rules and conditions (`Tunnels[].BgpConfig.LocalAsn`), and ROA path templates
//! (`/clusters/{ClusterId}`). Parsed here once, for the
//! checker, the model and emit alike.

/// A scalar type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// Text.
    String,
    /// `true`/`false`.
    Boolean,
    /// 32-bit integer.
    Int32,
    /// 64-bit integer.
    Int64,
    /// 32-bit float (held as `f64`).
    Float,
    /// 64-bit float.
    Double,
}

impl Scalar {
    /// The scalar a type name names (`string`, `int32`, …).
    pub fn parse(s: &str) -> Option<Scalar> {
        Some(match s {
            "string" => Scalar::String,
            "boolean" => Scalar::Boolean,
            "int32" => Scalar::Int32,
            "int64" => Scalar::Int64,
            "float" => Scalar::Float,
            "double" => Scalar::Double,
            _ => return None,
        })
    }

    /// Whether it is a number.
    pub fn is_number(self) -> bool {
        matches!(
            self,
            Scalar::Int32 | Scalar::Int64 | Scalar::Float | Scalar::Double
        )
    }

    /// Whether it is an integer.
    pub fn is_integer(self) -> bool {
        matches!(self, Scalar::Int32 | Scalar::Int64)
    }
}

/// A type expression as written in the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExpr {
    /// A scalar.
    Scalar(Scalar),
    /// Free-form JSON.
    Any,
    /// A list.
    List(Box<TypeExpr>),
    /// A map with string keys.
    Map(Box<TypeExpr>),
    /// A shape, by name.
    Named(String),
}

/// Parses `string`, `list<T>`, `map<T>`, `any` or a shape name.
pub fn parse_type(s: &str) -> Result<TypeExpr, String> {
    let t = s.trim();
    if t != s {
        return Err(format!("type `{s}` has surrounding blanks"));
    }
    if let Some(sc) = Scalar::parse(t) {
        return Ok(TypeExpr::Scalar(sc));
    }
    if t == "any" {
        return Ok(TypeExpr::Any);
    }
    for (prefix, list) in [("list<", true), ("map<", false)] {
        if let Some(rest) = t.strip_prefix(prefix) {
            let inner = rest
                .strip_suffix('>')
                .ok_or_else(|| format!("type `{s}` lacks its closing `>`"))?;
            let inner = Box::new(parse_type(inner)?);
            return Ok(if list {
                TypeExpr::List(inner)
            } else {
                TypeExpr::Map(inner)
            });
        }
    }
    if !t.is_empty()
        && t.starts_with(|c: char| c.is_ascii_uppercase())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Ok(TypeExpr::Named(t.to_owned()));
    }
    Err(format!(
        "`{s}` is not a type: use string, boolean, int32, int64, float, double, any, list<T>, map<T> or the UpperCamelCase name of a shape"
    ))
}

/// One step of a rule path: a field's wire name, and whether `[]` follows it (the step then
/// stands for any item of that list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step<'a> {
    /// The field's wire name.
    pub field: &'a str,
    /// `Name[]`: any item of the list.
    pub any_item: bool,
}

/// A path in a rule or condition: dotted wire names, each optionally followed by `[]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RulePath<'a> {
    /// The steps, outermost first.
    pub steps: Vec<Step<'a>>,
}

impl<'a> RulePath<'a> {
    /// Splits `path`; whether each step names a field is for the caller to resolve.
    pub fn parse(path: &'a str) -> RulePath<'a> {
        let steps = path
            .split('.')
            .map(|s| match s.strip_suffix("[]") {
                Some(field) => Step {
                    field,
                    any_item: true,
                },
                None => Step {
                    field: s,
                    any_item: false,
                },
            })
            .collect();
        RulePath { steps }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_paths_split_into_steps() {
        let p = RulePath::parse("Tunnels[].BgpConfig.LocalAsn");
        assert_eq!(
            p.steps,
            [
                Step {
                    field: "Tunnels",
                    any_item: true
                },
                Step {
                    field: "BgpConfig",
                    any_item: false
                },
                Step {
                    field: "LocalAsn",
                    any_item: false
                },
            ]
        );
    }

    #[test]
    fn types_parse() {
        assert_eq!(
            parse_type("list<map<int64>>"),
            Ok(TypeExpr::List(Box::new(TypeExpr::Map(Box::new(
                TypeExpr::Scalar(Scalar::Int64)
            )))))
        );
        assert_eq!(parse_type("Tag"), Ok(TypeExpr::Named("Tag".into())));
        assert!(parse_type("list<Tag").is_err());
        assert!(parse_type(" string").is_err());
    }
}

/// A piece of a path template: literal text, or the wire name of a path parameter.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Sent as written.
    Text(&'a str),
    /// `{Name}`: the parameter's value, percent-encoded.
    Param(&'a str),
}

/// Splits a path template into pieces; `None` when a `{` or `}` is unbalanced or a `{}` is
/// empty (the checker reports it).
pub fn path_pieces(template: &str) -> Option<Vec<Piece<'_>>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return None;
        }
        let close = rest[open..].find('}')? + open;
        let name = &rest[open + 1..close];
        if name.is_empty() || name.contains('{') {
            return None;
        }
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        out.push(Piece::Param(name));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Some(out)
}

#[cfg(test)]
mod path_tests {
    use super::*;

    #[test]
    fn templates_split_into_path_pieces() {
        assert_eq!(
            path_pieces("/clusters/{ClusterId}/nodes"),
            Some(vec![
                Piece::Text("/clusters/"),
                Piece::Param("ClusterId"),
                Piece::Text("/nodes")
            ])
        );
        assert_eq!(
            path_pieces("/a/{x}{y}"),
            Some(vec![
                Piece::Text("/a/"),
                Piece::Param("x"),
                Piece::Param("y")
            ])
        );
        assert_eq!(path_pieces("/plain"), Some(vec![Piece::Text("/plain")]));
        for bad in ["/a/{", "/a/}", "/a/{}", "/a/{{x}}", "/a/{x"] {
            assert_eq!(path_pieces(bad), None, "{bad}");
        }
    }
}
