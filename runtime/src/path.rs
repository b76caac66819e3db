//! Field paths built on the stack.
//!
//! A [`Path`] is a linked list of segments borrowed from the caller's stack frames, so walking a
//! request to validate or encode it allocates nothing; a path is rendered to a `String` only when
//! a violation is reported (validation form, `TunnelOptionsSpecification[0].TunnelBgpConfig.TunnelCidr`)
//! or written into a wire key (flattened form, `TunnelOptionsSpecification.1.TunnelBgpConfig.TunnelCidr`).

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

    /// Writes the flattened wire key (`A.1.B`, 1-based indexes) of this path into `out`.
    pub fn write_wire_key(&self, out: &mut String) {
        let start = out.len();
        self.write_wire_key_inner(out, start);
    }

    fn write_wire_key_inner(&self, out: &mut String, start: usize) {
        if let Some(parent) = self.parent {
            parent.write_wire_key_inner(out, start);
        }
        let sep = |out: &mut String| {
            if out.len() > start {
                out.push('.');
            }
        };
        match self.segment {
            Segment::Root => {}
            Segment::Field(name) => {
                sep(out);
                out.push_str(name);
            }
            Segment::Index(i) => {
                sep(out);
                crate::decimal::push_decimal(out, i as u64 + 1);
            }
        }
    }

    /// The flattened wire key of this path, as a new string.
    pub fn wire_key(&self) -> String {
        let mut s = String::new();
        self.write_wire_key(&mut s);
        s
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
        assert_eq!(
            cidr.wire_key(),
            "TunnelOptionsSpecification.2.TunnelBgpConfig.TunnelCidr"
        );
        assert_eq!(root.to_string(), "");
        assert_eq!(root.field("Name").wire_key(), "Name");
        let mut buf = String::from("x=1&");
        root.field("A").index(0).write_wire_key(&mut buf);
        assert_eq!(buf, "x=1&A.1");
    }
}
