//! The crate around the modules: `Cargo.toml` (features per API group), the crate root with
//! its documentation and example, and the list of operation modules.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc_text, ident};
use crate::model::{ProductModel, Ty};

/// The crate's `Cargo.toml`, without its generated-by header.
pub fn cargo_toml(model: &ProductModel) -> String {
    let p = &model.product;
    let crate_name = &p.crate_name;
    // Every value from the spec is written as an escaped TOML string: the checker refuses
    // product codes, versions and crate names with odd characters, and this keeps the file
    // valid even if it did not.
    format!(
        r#"[package]
name = {name}
version = "0.1.0"
description = {description}
edition.workspace = true
rust-version.workspace = true
license.workspace = true
repository.workspace = true
documentation = {documentation}
readme = "README.md"
keywords = {keywords}
categories = ["api-bindings", "web-programming::http-client"]
publish.workspace = true

[package.metadata.docs.rs]
# Every feature documented, each item marked with the feature that enables it.
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

[features]
default = ["hyper", "full"]
# The default HTTP transport (hyper with rustls; HTTP and SOCKS5 proxies); turn it off to bring your own.
hyper = ["alicloud-runtime/hyper"{credentials_hyper}]
# The reqwest transport too (`alicloud_runtime::reqwest_transport`); the default without `hyper`.
reqwest = ["alicloud-runtime/reqwest"{credentials_feature}]
# SOCKS5 proxies (`socks5://`, `socks5h://`) for the reqwest transport.
socks = ["reqwest", "alicloud-runtime/socks"]
# Server side: decoding requests and encoding responses, for emulators and tests.
decode = ["alicloud-runtime/decode"]
# A typed mock of the service (`mock::Mock`), for testing code that calls this crate.
test-util = ["decode", "alicloud-runtime/test-util"]
{group_features}
[dependencies]
alicloud-runtime.workspace = true
{credentials_dependency}serde.workspace = true
serde_json.workspace = true
"#,
        name = toml_string(crate_name),
        description = toml_string(&format!(
            "Typed, validated client for Alibaba Cloud {} API version {}.",
            p.code, p.version
        )),
        documentation = toml_string(&format!("https://docs.rs/{crate_name}")),
        keywords = keywords(&p.code),
        group_features = group_features(model),
        // `Client::from_env()` takes the full credentials chain from `alicloud-credentials`,
        // except in the crate that one is built on (STS).
        credentials_feature = if p.identity_service {
            ""
        } else {
            ", \"dep:alicloud-credentials\", \"alicloud-credentials/reqwest\""
        },
        credentials_hyper = if p.identity_service {
            ""
        } else {
            ", \"dep:alicloud-credentials\", \"alicloud-credentials/hyper\""
        },
        credentials_dependency = if p.identity_service {
            ""
        } else {
            "alicloud-credentials = { workspace = true, optional = true }\n"
        },
    )
}

/// The crate's keywords (crates.io takes five, each of letters, digits, `_`, `-` or `+`, at most
/// 20 characters, starting with a letter): four fixed ones and the product code when it
/// qualifies.
fn keywords(code: &str) -> String {
    let mut words = vec![
        "alibaba-cloud".to_owned(),
        "aliyun".into(),
        "sdk".into(),
        "api".into(),
    ];
    let own = code.to_ascii_lowercase();
    let fits = own.len() <= 20
        && own.starts_with(|c: char| c.is_ascii_alphabetic())
        && own
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-+".contains(c));
    if fits && !words.contains(&own) {
        words.push(own);
    }
    let quoted: Vec<String> = words.iter().map(|w| toml_string(w)).collect();
    format!("[{}]", quoted.join(", "))
}

/// The crate's `README.md` (crates.io shows it): what the crate is, how to depend on it before
/// it is published, and its features.
pub fn readme(model: &ProductModel) -> String {
    let p = &model.product;
    let crate_name = &p.crate_name;
    let mut text = format!(
        "# {crate_name}\n\nTyped, validated client for Alibaba Cloud {} API version {}, generated from `{}` by `cargo xtask codegen` (alicloud-rust). The crate documentation has an example.\n\n## Using it\n\nUntil it is published, depend on it by path (or by git, from the repository it was generated into):\n\n```toml\n[dependencies]\n{crate_name} = {{ path = \"path/to/{crate_name_dir}\" }}\n```\n",
        p.code,
        p.version,
        model.folder,
        crate_name_dir = model.folder.rsplit('/').next().unwrap_or("product"),
    );
    let groups = feature_groups(model);
    if !groups.is_empty() {
        text.push_str(&features_table(&groups));
    }
    text.push_str("\n## License\n\nApache-2.0: see [LICENSE](LICENSE).\n");
    text
}

/// The operations of each API group (cargo feature).
fn feature_groups(model: &ProductModel) -> std::collections::BTreeMap<&str, Vec<&str>> {
    let mut groups: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for op in &model.operations {
        if let Some(f) = &op.feature {
            groups
                .entry(f.as_str())
                .or_default()
                .push(op.spec.name.as_str());
        }
    }
    groups
}

/// The "Features" section of the crate docs and README.
fn features_table(groups: &std::collections::BTreeMap<&str, Vec<&str>>) -> String {
    let mut doc = String::from("\n## Features\n\nEach API group is a cargo feature, all on by default (`full`). To compile only what you call, turn default features off and list the groups (plus `hyper` for the default transport):\n\n| feature | operations |\n|---|---|\n");
    for (g, ops) in groups {
        doc.push_str(&format!("| `{g}` | {} |\n", ops.len()));
    }
    doc
}

/// The crate root (`src/lib.rs`), without its generated-by header.
pub fn lib_rs(model: &ProductModel) -> String {
    let p = &model.product;
    let source = &model.folder;
    let crate_name = &p.crate_name;
    let crate_ident = crate_name.replace('-', "_");
    // The crate root is plain text in rustfmt's style, so `cargo fmt --check` accepts it; every
    // module below it is prettyplease's output and marked `#[rustfmt::skip]`.
    let mut doc = format!(
        "# {crate_name}\n\n{}\n\nTyped, validated client for Alibaba Cloud {} API version {}, generated from `{source}` by `cargo xtask codegen`: request types with builders and client-side validation, exact wire encoding, typed responses and typed errors.\n",
        p.description, p.code, p.version
    );
    doc.push_str(&crate_example(model, &crate_ident));
    let groups = feature_groups(model);
    if !groups.is_empty() {
        doc.push_str(&features_table(&groups));
    }
    // Doc text must not carry a carriage return (Rust refuses a bare CR in `//!`).
    let doc_lines: String = doc_text(&doc)
        .lines()
        .map(|l| {
            if l.is_empty() {
                "//!\n".to_owned()
            } else {
                format!("//! {l}\n")
            }
        })
        .collect();
    format!(
        "{doc_lines}#![forbid(unsafe_code)]\n#![deny(missing_docs)]\n// On docs.rs (`--cfg docsrs`, nightly): each item shows the feature that enables it.\n#![cfg_attr(docsrs, feature(doc_cfg))]\n\n#[rustfmt::skip]\nmod client;\n#[rustfmt::skip]\nmod error;\n#[rustfmt::skip]\npub mod operation;\n#[rustfmt::skip]\npub mod types;\n\npub use alicloud_runtime as runtime;\n/// The typed mock of the service (feature `test-util`).\n#[cfg(feature = \"test-util\")]\npub use alicloud_runtime::mock;\npub use alicloud_runtime::{{Config, Credentials, SdkError, ServiceError, Violation, Violations}};\npub use client::Client;\npub use error::ErrorCode;\n",
    )
}

/// `src/operation.rs`: one module per operation, each behind its group's feature.
pub fn operation_modules(model: &ProductModel) -> TokenStream {
    let mods = model.operations.iter().map(|op| {
        let m = ident(&op.module);
        let d = format!(
            " `{}`: request, builder, response and errors.",
            op.spec.name
        );
        let cfg = op.feature.as_ref().map(|f| quote!(#[cfg(feature = #f)]));
        quote!(#[doc = #d] #cfg pub mod #m;)
    });
    let served = model.operations.iter().map(|op| {
        let m = ident(&op.module);
        let cfg = op.feature.as_ref().map(|f| quote!(#[cfg(feature = #f)]));
        quote!(#cfg &#m::SERVED,)
    });
    quote! {
        //! One module per operation.
        #(#mods)*
        /// Every operation compiled in, as a server sees it (feature `decode`): emulators
        /// route on this table instead of naming each operation.
        #[cfg(feature = "decode")]
        pub static OPERATIONS: &[&::alicloud_runtime::decode::ServedOperation] = &[#(#served)*];
    }
}

/// `s` as a TOML basic string, quotes included: `"`, `\` and control characters escaped, so
/// that no text from a spec can end the string or the line in the generated Cargo.toml.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn example_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// The crate-level usage example, on the operation with the most parameters whose required
/// parameters are all strings with examples.
fn crate_example(model: &ProductModel, crate_ident: &str) -> String {
    let op = model
        .operations
        .iter()
        .filter(|op| {
            op.params.iter().filter(|p| p.required).all(|p| {
                matches!(
                    p.ty,
                    Ty::Scalar {
                        kind: crate::model::Scalar::String,
                        ..
                    }
                ) && p.example.as_ref().and_then(example_text).is_some()
            })
        })
        .max_by_key(|op| (op.params.len(), std::cmp::Reverse(op.spec.name.clone())));
    let Some(op) = op else {
        return String::new();
    };
    let mut calls = String::new();
    for p in op.params.iter().filter(|p| p.required) {
        let ex = p
            .example
            .as_ref()
            .and_then(example_text)
            .unwrap_or_default();
        calls.push_str(&format!("\n    .{}({:?})", p.rust, ex));
    }
    format!(
        r#"
## Example

```no_run
use {crate_ident}::{{Client, Config, Credentials}};

# async fn run() -> Result<(), Box<dyn std::error::Error>> {{
# let transport = {crate_ident}::runtime::transport::InMemoryTransport::always(200, "{{}}");
let config = Config::new(Credentials::new("access-key-id", "access-key-secret"), transport);
let client = Client::new(config);
let response = client
    .{method}(){calls}
    .send()
    .await?;
println!("{{response:?}}");
# Ok(())
# }}
```
"#,
        method = op.module,
    )
}

/// The `[features]` lines of the API groups: one feature per group, and `full` with all.
fn group_features(model: &ProductModel) -> String {
    let mut groups: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for op in &model.operations {
        if let Some(f) = &op.feature {
            *groups.entry(f.as_str()).or_default() += 1;
        }
    }
    let mut out = String::from(
        "# Every API group. Turn default features off and pick groups to compile only those.\n",
    );
    let all: Vec<String> = groups.keys().map(|g| toml_string(g)).collect();
    out.push_str(&format!("full = [{}]\n", all.join(", ")));
    for (g, n) in &groups {
        out.push_str(&format!("# {n} operation(s).\n{g} = []\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("Vpc"), r#""Vpc""#);
        assert_eq!(
            toml_string("2016-04-28\"\nname = \"evil\\"),
            r#""2016-04-28\"\nname = \"evil\\""#
        );
        assert_eq!(
            toml_string("a\tb\rc\u{0}d\u{7f}"),
            r#""a\tb\rc\u0000d\u007F""#
        );
        // A value that cannot end the string: the only unescaped quotes are the outer two.
        let s = toml_string("x\"y");
        assert_eq!(s.matches('"').count() - s.matches("\\\"").count(), 2);
    }
}
