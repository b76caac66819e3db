//! The spec layer: the vocabulary every stage after loading speaks.
//!
//! - [`format`](mod@format): what a spec file may say, as serde types (re-exported here);
//! - [`grammar`]: the small grammars inside it, type expressions and rule paths, parsed once;
//! - [`view`]: one view of parameters and fields for the stages that treat them alike.

pub mod format;
pub mod grammar;
pub mod view;

pub use format::*;
