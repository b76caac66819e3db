//! [`Origin`]: where a spec item was declared, kept with it through every stage for diagnostics.

/// Where something was declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The file.
    pub file: String,
    /// JSON path of the item.
    pub path: String,
    /// The operation an overlay declared it for: the shape is generated into that operation's
    /// module.
    pub owner: Option<String>,
}
