//! Loading: spec file texts in, parsed product specs out (no file I/O here: the caller reads the
//! files and hands their text over).

use std::collections::BTreeMap;

use crate::diag::Diagnostics;
use crate::spec::{Operation, Product, Shape, SpecFile, FORMAT_VERSION};

/// A spec file's name (relative path, `/`-separated) and text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the repository, e.g. `spec/vpc/product.json`.
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// Where something was declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The file.
    pub file: String,
    /// JSON path of the item.
    pub path: String,
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

#[cfg(test)]
mod tests {
    #[test]
    fn product_folders() {
        assert_eq!(super::folder_of("spec/vpc/product.json"), "spec/vpc");
        assert_eq!(super::folder_of("spec/vpc/overlays/X.json"), "spec/vpc");
        assert_eq!(super::folder_of("a/spec/ecs/imported/Y.json"), "a/spec/ecs");
        assert_eq!(super::folder_of("other/x.json"), "other");
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

/// Parses every file and groups them by folder into products. Problems are collected, not
/// returned early: the caller gets every problem of every file in one run.
pub fn load(files: &[SourceFile], diags: &mut Diagnostics) -> Vec<ProductSpec> {
    let mut by_folder: BTreeMap<String, Vec<(&SourceFile, SpecFile)>> = BTreeMap::new();
    for f in files {
        let de = &mut serde_json::Deserializer::from_str(&f.text);
        match serde_path_to_error::deserialize::<_, SpecFile>(de) {
            Ok(spec) => {
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
            Err(e) => {
                let path = e.path().to_string();
                let path = if path == "." || path.is_empty() {
                    "$".to_owned()
                } else {
                    format!("$.{path}")
                };
                let msg = e.inner().to_string();
                diags.error(&f.path, path, msg.clone(), parse_help(&msg));
            }
        }
    }
    let mut out = Vec::new();
    for (folder, specs) in by_folder {
        let mut product: Option<(Product, Origin)> = None;
        let mut shapes: BTreeMap<String, (Shape, Origin)> = BTreeMap::new();
        let mut operations: Vec<(Operation, Origin)> = Vec::new();
        for (f, spec) in specs {
            if let Some(p) = spec.product {
                let origin = Origin {
                    file: f.path.clone(),
                    path: "$.product".into(),
                };
                if let Some((_, first)) = &product {
                    diags.error(
                        &f.path,
                        "$.product",
                        format!(
                            "a second `product` for folder {folder} (the first is in {})",
                            first.file
                        ),
                        "keep `product` in one file of the folder",
                    );
                } else {
                    product = Some((p, origin));
                }
            }
            for (name, shape) in spec.shapes {
                let origin = Origin {
                    file: f.path.clone(),
                    path: format!("$.shapes.{name}"),
                };
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
                let origin = Origin {
                    file: f.path.clone(),
                    path: format!("$.operations[{i}]"),
                };
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
        }
        match product {
            Some((product, product_origin)) => {
                operations.sort_by(|a, b| a.0.name.cmp(&b.0.name));
                out.push(ProductSpec {
                    folder,
                    product,
                    product_origin,
                    shapes,
                    operations,
                });
            }
            None => diags.error(
                &format!("{folder}/"),
                "$",
                format!("no file of folder {folder} declares the `product`"),
                "add a `product` object (code, version, style, endpoint, crate_name, description) to one file, e.g. product.json",
            ),
        }
    }
    out
}
