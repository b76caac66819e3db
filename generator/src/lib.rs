//! The generator: spec files in, Rust source files out.
//!
//! Stages, each with one job: [`load`] parses the files (serde, unknown keys refused),
//! [`check`] finds every problem of the specs at once, [`model`] resolves types and decides
//! names, [`emit`] turns the model into token streams and [`render`] formats them into files.
//! Beside the pipeline, [`import`] turns Alibaba's published API metadata into spec files, and
//! the loader merges those with hand-curated files and overlays; [`generate_from_metadata`]
//! runs import and generation together in memory, [`select`] narrows a product to some of its
//! operations ([`Settings::operations`]), and [`synth`] writes the metadata of synthetic
//! products for tests and benchmarks.
//! Nothing here reads or writes files: the caller (xtask) hands texts in and gets texts out.
#![forbid(unsafe_code)]

pub mod check;
pub mod diag;
pub mod emit;
pub mod import;
pub mod load;
pub mod model;
pub mod names;
pub mod prelude;
pub mod render;
pub mod select;
pub mod spec;
pub mod synth;

pub use diag::{Diagnostic, Diagnostics, Severity};
pub use load::SourceFile;
pub use render::GeneratedFile;

/// Generator settings.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Folder (relative to the repository) that receives one crate per product.
    pub out_dir: String,
    /// When set, only these operations are generated (with the shapes they use); see
    /// [`select::retain_operations`]. Naming an operation no product has is an error.
    pub operations: Option<std::collections::BTreeSet<String>>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            out_dir: "generated".into(),
            operations: None,
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
    let mut products = load::load(files, &mut diags);
    if let Some(keep) = &settings.operations {
        for p in &mut products {
            select::retain_operations(p, keep, &mut diags);
        }
    }
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
    // Two files at one path would overwrite each other (and break the two-phase write of
    // `cargo xtask codegen`): the model gives every output its own name, so this is a bug.
    for pair in out.windows(2) {
        if pair[0].path == pair[1].path {
            diags.error(
                &pair[0].path,
                "$",
                format!(
                    "internal generator error: two generated files have the path {}",
                    pair[0].path
                ),
                "this is a bug of the generator, not of the spec: report it with the spec that triggers it",
            );
        }
    }
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    Ok(Output {
        files: out,
        warnings: diags,
    })
}

/// The spec files of an import, as `cargo xtask import` writes them:
/// `spec/<product>/imported/<file>`.
pub fn imported_sources(imported: &import::Imported) -> Vec<SourceFile> {
    imported
        .files
        .iter()
        .map(|f| SourceFile {
            path: format!("spec/{}/imported/{}", imported.folder, f.name),
            text: f.to_json(),
        })
        .collect()
}

/// Imports Alibaba's api-docs metadata `text` (named `source` in diagnostics) and generates
/// the product's crate, all in memory: what `cargo xtask import` followed by
/// `cargo xtask codegen` would write for a product without hand-curated files. The import's
/// warnings come first among the output's warnings.
pub fn generate_from_metadata(
    text: &str,
    source: &str,
    settings: &Settings,
) -> Result<Output, Diagnostics> {
    let imported = import::import(text, source)
        .map_err(|issues| Diagnostics(issues.into_iter().map(|i| i.diagnostic).collect()))?;
    let mut output = generate(&imported_sources(&imported), settings)?;
    let mut warnings = imported.diagnostics();
    warnings.extend(output.warnings);
    output.warnings = warnings;
    Ok(output)
}

/// The JSON Schema of the spec format, pretty-printed, as committed in `spec/spec.schema.json`.
pub fn spec_schema_json() -> String {
    let schema = schemars::schema_for!(spec::SpecFile);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
