//! The generator: spec files in, Rust source files out.
//!
//! Stages, each with one job: [`load`] parses the files (serde, unknown keys refused),
//! [`check`] finds every problem of the specs at once, [`model`] resolves types and decides
//! names, [`emit`] turns the model into token streams and [`render`] formats them into files.
//! Beside the pipeline, [`import`] turns Alibaba's published API metadata into spec files, and
//! the loader merges those with hand-curated files and overlays.
//! Nothing here reads or writes files: the caller (xtask) hands texts in and gets texts out.
#![forbid(unsafe_code)]

pub mod check;
pub mod diag;
pub mod emit;
pub mod import;
pub mod load;
pub mod model;
pub mod names;
pub mod render;
pub mod spec;

pub use diag::{Diagnostic, Diagnostics, Severity};
pub use load::SourceFile;
pub use render::GeneratedFile;

/// Generator settings.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Folder (relative to the repository) that receives one crate per product.
    pub out_dir: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            out_dir: "generated".into(),
        }
    }
}

/// What a successful run produced.
#[derive(Clone, Debug)]
pub struct Output {
    /// Every generated file, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Warnings (the output is right despite them).
    pub warnings: Diagnostics,
}

/// Generates the crates of every product in `files`. Either every file is produced, or none
/// and the diagnostics say why.
pub fn generate(files: &[SourceFile], settings: &Settings) -> Result<Output, Diagnostics> {
    let mut diags = Diagnostics::default();
    let products = load::load(files, &mut diags);
    for p in &products {
        check::check(p, &mut diags);
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    let mut out = Vec::new();
    for p in &products {
        if let Some(model) = model::build(p, &mut diags) {
            out.extend(render::product_files(&model, &settings.out_dir, &mut diags));
        }
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Output {
        files: out,
        warnings: diags,
    })
}

/// The JSON Schema of the spec format, pretty-printed, as committed in `spec/spec.schema.json`.
pub fn spec_schema_json() -> String {
    let schema = schemars::schema_for!(spec::SpecFile);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
