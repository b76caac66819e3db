//! Loading: spec file texts in, parsed product specs out (no file I/O here: the caller reads the
//! files and hands their text over).
//!
//! A product folder may hold two kinds of files. *Imported* files, below
//! `spec/<product>/imported/`, are written by `cargo xtask import` from Alibaba's metadata and
//! never edited by hand. *Hand-curated* files are all the others. The loader merges them:
//!
//! - an operation declared in a hand-curated file replaces the imported operation of the same
//!   name wholesale (with the shapes of its imported file), and overlays of it are not applied;
//! - the `product` of a hand-curated file replaces the imported one, except that an endpoint
//!   without `regions` keeps the imported product's (the map is the metadata's data);
//! - every `overlays` entry of a hand-curated file patches its imported operation (see
//!   [`crate::spec::OperationOverlay`]), before anything is checked.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostics;
use crate::spec::{Operation, OperationOverlay, Product, Shape, SpecFile, FORMAT_VERSION};

mod origin;
mod overlay;

pub use origin::Origin;

/// A spec file's name (relative path, `/`-separated) and text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the repository, e.g. `spec/vpc/product.json`.
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// All spec files of one product folder, parsed.
#[derive(Clone, Debug)]
pub struct ProductSpec {
    /// The folder, e.g. `spec/vpc`.
    pub folder: String,
    /// The product, and where it was declared.
    pub product: Product,
    /// Where the product was declared.
    pub product_origin: Origin,
    /// Where `product.endpoint.regions` was declared: the product's file, or the imported
    /// product's when a hand-curated product keeps its list.
    pub regions_origin: Origin,
    /// Shapes by name, with their origin.
    pub shapes: BTreeMap<String, (Shape, Origin)>,
    /// Operations with their origin, sorted by name.
    pub operations: Vec<(Operation, Origin)>,
}

/// The product folder of a spec file: the first folder below `spec/` (`spec/vpc/x/y.json` is
/// in `spec/vpc`), or the file's own folder for paths outside `spec/`.
fn folder_of(path: &str) -> &str {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.iter().position(|p| *p == "spec") {
        Some(i) if parts.len() > i + 2 => {
            let end: usize = parts[..i + 2].iter().map(|p| p.len() + 1).sum::<usize>() - 1;
            &path[..end]
        }
        _ => path.rsplit_once('/').map_or("", |(d, _)| d),
    }
}

fn parse_help(msg: &str) -> String {
    if msg.contains("unknown field") || msg.contains("unknown variant") {
        "use one of the names listed in the message; the format is documented in spec/README.md"
            .into()
    } else if msg.contains("missing field") {
        "add the field; spec/README.md says what it holds".into()
    } else if msg.contains("invalid type") {
        "give the value the type spec/README.md documents for this field".into()
    } else {
        "fix the JSON syntax at the line and column given".into()
    }
}

/// Parses one file. Unknown keys are reported and then set aside so that parsing goes on and
/// one run reports every one of them (and the semantic problems of the rest); any other
/// structural problem ends the file's parsing with its diagnostic.
fn parse_file(f: &SourceFile, diags: &mut Diagnostics) -> Option<SpecFile> {
    let mut value: serde_json::Value = match serde_json::from_str(&f.text) {
        Ok(v) => v,
        Err(e) => {
            let msg = e.to_string();
            diags.error(&f.path, "$", msg.clone(), parse_help(&msg));
            return None;
        }
    };
    // Bounded: each round removes one key.
    for _ in 0..200 {
        let e = match serde_path_to_error::deserialize::<_, SpecFile>(&value) {
            Ok(spec) => return Some(spec),
            Err(e) => e,
        };
        let base = e.path().to_string();
        let base = if base == "." || base.is_empty() {
            "$".to_owned()
        } else {
            format!("$.{base}")
        };
        let msg = e.inner().to_string();
        let unknown = msg
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(name, _)| name.to_owned());
        // The reported path ends at the unknown key itself for plain structs, and at the
        // enclosing object for tagged enums (whose content serde buffers).
        let removed = unknown.as_deref().and_then(|name| {
            let parent = base
                .strip_suffix(name)
                .and_then(|p| p.strip_suffix('.'))
                .filter(|p| !p.is_empty());
            match parent {
                Some(parent) => {
                    let obj = pointer_mut(&mut value, parent)?.as_object_mut()?;
                    obj.remove(name).map(|_| base.clone())
                }
                None => remove_key(pointer_mut(&mut value, &base)?, name, &base),
            }
        });
        match removed {
            Some(at) => diags.error(&f.path, at, msg.clone(), parse_help(&msg)),
            None => {
                diags.error(&f.path, base, msg.clone(), parse_help(&msg));
                return None;
            }
        }
    }
    None
}

/// The value at a `$.a.b[2].c` path.
fn pointer_mut<'v>(
    root: &'v mut serde_json::Value,
    path: &str,
) -> Option<&'v mut serde_json::Value> {
    let mut cur = root;
    let rest = path.strip_prefix('$')?;
    for part in rest.split('.').filter(|p| !p.is_empty()) {
        let (name, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            cur = cur.get_mut(name)?;
        }
        for idx in indexes.split('[').filter(|s| !s.is_empty()) {
            let i: usize = idx.trim_end_matches(']').parse().ok()?;
            cur = cur.get_mut(i)?;
        }
    }
    Some(cur)
}

/// Removes the first key `name` found below `v` (depth first, in document order), returning
/// the JSON path it was at.
fn remove_key(v: &mut serde_json::Value, name: &str, at: &str) -> Option<String> {
    match v {
        serde_json::Value::Object(map) => {
            if map.remove(name).is_some() {
                return Some(format!("{at}.{name}"));
            }
            for (k, child) in map.iter_mut() {
                if let Some(p) = remove_key(child, name, &format!("{at}.{k}")) {
                    return Some(p);
                }
            }
            None
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .enumerate()
            .find_map(|(i, child)| remove_key(child, name, &format!("{at}[{i}]"))),
        _ => None,
    }
}

/// Whether `path` is an imported file of the product folder `folder`
/// (`spec/vpc/imported/X.json` in `spec/vpc`).
pub fn is_imported(path: &str, folder: &str) -> bool {
    path.strip_prefix(folder)
        .and_then(|rest| rest.strip_prefix("/imported/"))
        .is_some_and(|name| !name.is_empty())
}

/// Parses every file and groups them by folder into products, merging imported files,
/// hand-curated files and overlays (see the module docs). Problems are collected, not returned
/// early: the caller gets every problem of every file in one run.
pub fn load(files: &[SourceFile], diags: &mut Diagnostics) -> Vec<ProductSpec> {
    let mut by_folder: BTreeMap<String, Vec<(&SourceFile, SpecFile)>> = BTreeMap::new();
    for f in files {
        let Some(spec) = parse_file(f, diags) else {
            continue;
        };
        if spec.format_version != FORMAT_VERSION {
            diags.error(
                &f.path,
                "$.format_version",
                format!(
                    "format version {} is not supported (this generator reads version {FORMAT_VERSION})",
                    spec.format_version
                ),
                format!("write the file in format version {FORMAT_VERSION} (spec/README.md)"),
            );
            continue;
        }
        by_folder
            .entry(folder_of(&f.path).to_owned())
            .or_default()
            .push((f, spec));
    }
    by_folder
        .into_iter()
        .filter_map(|(folder, specs)| assemble(folder, specs, diags))
        .collect()
}

fn origin(file: &str, path: String) -> Origin {
    Origin {
        file: file.to_owned(),
        path,
        owner: None,
    }
}

/// Builds one product from the files of its folder.
fn assemble(
    folder: String,
    specs: Vec<(&SourceFile, SpecFile)>,
    diags: &mut Diagnostics,
) -> Option<ProductSpec> {
    let curated_ops: BTreeSet<String> = specs
        .iter()
        .filter(|(f, _)| !is_imported(&f.path, &folder))
        .flat_map(|(_, s)| s.operations.iter().map(|o| o.name.clone()))
        .collect();
    let mut product: Option<(Product, Origin)> = None;
    let mut imported_product: Option<(Product, Origin)> = None;
    let mut shapes: BTreeMap<String, (Shape, Origin)> = BTreeMap::new();
    let mut operations: Vec<(Operation, Origin)> = Vec::new();
    let mut overlays: Vec<(String, usize, OperationOverlay)> = Vec::new();
    for (f, spec) in specs {
        let imported = is_imported(&f.path, &folder);
        if let Some(p) = spec.product {
            let slot = if imported {
                &mut imported_product
            } else {
                &mut product
            };
            if let Some((_, first)) = slot {
                diags.error(
                    &f.path,
                    "$.product",
                    format!(
                        "a second {}`product` for folder {folder} (the first is in {})",
                        if imported { "imported " } else { "" },
                        first.file
                    ),
                    "keep `product` in one file of the folder",
                );
            } else {
                *slot = Some((p, origin(&f.path, "$.product".into())));
            }
        }
        // An imported file whose operations are all hand-curated is replaced whole, its own
        // shapes included.
        let superseded = imported
            && !spec.operations.is_empty()
            && spec
                .operations
                .iter()
                .all(|o| curated_ops.contains(&o.name));
        if superseded {
            continue;
        }
        if imported && !spec.overlays.is_empty() {
            diags.error(
                &f.path,
                "$.overlays",
                "an imported file has `overlays`",
                "imported files are written by `cargo xtask import`; put overlays in a hand-curated file, e.g. overlays/<Operation>.json",
            );
        }
        for (name, shape) in spec.shapes {
            let origin = origin(&f.path, format!("$.shapes.{name}"));
            if let Some((_, first)) = shapes.get(&name) {
                diags.error(
                    &f.path,
                    &origin.path,
                    format!("shape `{name}` is declared twice (also in {})", first.file),
                    "rename one of them or delete the copy",
                );
            } else {
                shapes.insert(name, (shape, origin));
            }
        }
        for (i, op) in spec.operations.into_iter().enumerate() {
            if imported && curated_ops.contains(&op.name) {
                continue;
            }
            let origin = origin(&f.path, format!("$.operations[{i}]"));
            if let Some((_, first)) = operations.iter().find(|(o, _)| o.name == op.name) {
                diags.error(
                    &f.path,
                    format!("{}.name", origin.path),
                    format!(
                        "operation `{}` is declared twice (also in {})",
                        op.name, first.file
                    ),
                    "delete one of the two declarations",
                );
            } else {
                operations.push((op, origin));
            }
        }
        if !imported {
            for (i, o) in spec.overlays.into_iter().enumerate() {
                overlays.push((f.path.clone(), i, o));
            }
        }
    }
    let mut overlaid: BTreeMap<String, String> = BTreeMap::new();
    for (file, i, ov) in &overlays {
        let at = format!("$.overlays[{i}]");
        if let Some(first) = overlaid.insert(ov.operation.clone(), file.clone()) {
            diags.error(
                file,
                format!("{at}.operation"),
                format!(
                    "a second overlay of operation `{}` (the first is in {first})",
                    ov.operation
                ),
                "merge the two overlays into one",
            );
            continue;
        }
        if curated_ops.contains(&ov.operation) {
            // The hand-curated declaration replaces the import and its overlay.
            continue;
        }
        match operations
            .iter()
            .position(|(o, origin)| o.name == ov.operation && is_imported(&origin.file, &folder))
        {
            Some(index) => {
                overlay::apply(ov, file, &at, index, &mut operations, &mut shapes, diags);
            }
            None => diags.error(
                file,
                format!("{at}.operation"),
                format!(
                    "there is no imported operation `{}` in {folder}",
                    ov.operation
                ),
                "import the product (`cargo xtask import`), or fix the operation's name",
            ),
        }
    }
    // A hand-curated product without a map of regions keeps the imported one.
    let mut regions_origin = None;
    if let (Some((p, _)), Some((imported, imported_origin))) = (&mut product, &imported_product) {
        if p.endpoint.regions.is_none() && imported.endpoint.regions.is_some() {
            p.endpoint.regions = imported.endpoint.regions.clone();
            regions_origin = Some(imported_origin.file.clone());
        }
    }
    match product.or(imported_product) {
        Some((product, product_origin)) => {
            operations.sort_by(|a, b| a.0.name.cmp(&b.0.name));
            let regions_origin = origin(
                regions_origin.as_deref().unwrap_or(&product_origin.file),
                "$.product.endpoint.regions".into(),
            );
            Some(ProductSpec {
                folder,
                product,
                product_origin,
                regions_origin,
                shapes,
                operations,
            })
        }
        None => {
            diags.error(
                &format!("{folder}/"),
                "$",
                format!("no file of folder {folder} declares the `product`"),
                "add a `product` object (code, version, style, endpoint, crate_name, description) to one file, e.g. product.json",
            );
            None
        }
    }
}
