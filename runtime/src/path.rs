//! Field paths built on the stack.
//!
//! A [`Path`] is a linked list of segments borrowed from the caller's stack frames, so walking a
//! request to validate it allocates nothing; a path is rendered to a `String` only when a
//! violation is reported (`TunnelOptionsSpecification[0].TunnelBgpConfig.TunnelCidr`). Wire keys
//! are built by the encoder itself (`ParamList::enter` in `wire`).

use std::fmt::{self, Write as _};

/// One step of a [`Path`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    /// The root of a request (renders as nothing).
    Root,
    /// A field, by its wire name.
    Field(&'a str),
    /// A list item, by its 0-based index.
    Index(usize),
}

/// A path from the request root to a field, borrowed from the stack.
#[derive(Clone, Copy, Debug)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

impl Path<'static> {
    /// The root path.
    pub const ROOT: Path<'static> = Path {
        parent: None,
        segment: Segment::Root,
    };
}

impl<'a> Path<'a> {
    /// The path of field `name` below `self`.
    pub fn field(&'a self, name: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Field(name),
        }
    }

    /// The path of list item `index` (0-based) below `self`.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The last segment.
    pub fn segment(&self) -> Segment<'a> {
        self.segment
    }

    fn write_validation(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write_validation(out);
        }
        match self.segment {
            Segment::Root => {}
            Segment::Field(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Segment::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
}

/// The validation form of `base` followed by the dotted relative path `rel` (`A[0].B` + `C.D`).
pub fn join(base: &Path<'_>, rel: &str) -> String {
    let mut s = base.to_string();
    if !s.is_empty() && !rel.is_empty() {
        s.push('.');
    }
    s.push_str(rel);
    s
}

impl fmt::Display for Path<'_> {
    /// Renders the validation form: `TunnelOptionsSpecification[0].TunnelBgpConfig.TunnelCidr`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_validation(&mut s);
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_both_forms() {
        let root = Path::ROOT;
        let list = root.field("TunnelOptionsSpecification");
        let item = list.index(1);
        let bgp = item.field("TunnelBgpConfig");
        let cidr = bgp.field("TunnelCidr");
        assert_eq!(
            cidr.to_string(),
            "TunnelOptionsSpecification[1].TunnelBgpConfig.TunnelCidr"
        );
        assert_eq!(root.to_string(), "");
    }
}
