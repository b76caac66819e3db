//! Importing Alibaba Cloud's published API metadata (the "api-docs" JSON of a product version)
//! into spec files of our format. A pure function: a text in, [`SpecFile`] values out, no file
//! I/O (`cargo xtask import` reads and writes the files).
//!
//! What carries over is fact only: names, types and formats, locations and styles, required,
//! enum values, bounds, lengths, item counts, patterns, examples, deprecation, the response
//! schema, error codes with their messages, asynchronous callbacks, the HTTP method and the
//! endpoint. Alibaba's prose (titles, summaries, descriptions, enum titles) is never copied:
//! descriptions are written from facts, in our words, and the generated docs link to the
//! operation's page (the product's `doc_url`). An operation's description says what it acts
//! on (the verb and object of its name), whether it reads or changes resources, paging,
//! asynchrony and deprecation; a field's says the facts stated in the metadata's own
//! description ([`facts`]: valid values, which become shared enums, defaults, units, ranges,
//! lengths and counts, which become a `range` constraint only when unambiguous), ending with
//! "(Read from the reference's description.)" so that its source is plain. With
//! [`Options::include_descriptions`] (for a local crate only) the metadata's own text follows.
//!
//! Mapping decisions:
//!
//! - The file: not JSON, not an object, no usable `info.product`/`info.version` (the code
//!   must be ASCII letters, digits, `-` and `_`: it names the folder and the crate), in a
//!   style other than RPC and ROA (FC, OSS, PDS, …: the error names the style), or no `apis`
//!   object: an error, nothing is imported (and so nothing written, where importing a product
//!   without operations would remove every imported file).
//! - Operations: keyed by name, trimmed; an empty name, a name that is not UpperCamelCase
//!   (the generator derives type and module names from it) or a value that is not an object
//!   is skipped with a warning, as is a parameter that is not an object or has no name.
//! - Locations: `query` → `query`; `formData` and `body` → `body` (RPC sends both as the form
//!   body); `header` and `path` are kept as such (the checker refuses `path` in RPC products).
//! - ROA products (`info.style` `ROA`): the operation's `path` template is kept (a missing one
//!   is `/`, with a warning); the method is the first of `methods` (CS lists `post` first where
//!   it lists two); `path` parameters are required whatever the metadata says (no path without
//!   them), and a string one has at least one character (an empty segment addresses another
//!   resource); a body parameter that is an object with properties becomes one `body` parameter
//!   per property (the members of the JSON body, named as the metadata spells them), a member
//!   named like another parameter being dropped with a warning; a lone body parameter that is
//!   not an object (an array) is the `whole_body`. Body members and path segments get style
//!   `json` when structured, `plain` otherwise (no warning: they are JSON values, not wire
//!   parameters). A success response that is not an object with properties (a top-level
//!   array, a map, a string) is the `response_body` type, its list items named
//!   `<Operation>ResponseItem`; one without a schema has no body.
//! - Styles: `flat`, `repeatList`, `json`, `simple`, `spaceDelimited`, `pipeDelimited` as
//!   named; none (or `none`) → `plain` for scalars and enums, `flat` for lists, objects, maps
//!   and `any` (how the SDKs send them), with a warning. A joined style on anything but a list
//!   of scalars is replaced (`plain` for a scalar, `flat` otherwise), with a warning.
//! - Types: `integer` → `int32`/`int64` by format (`int64` without one), `number` →
//!   `float`/`double` (`double` without one), `boolean`, `string` (any format), `any`,
//!   `array` → `list<T>`, `object` with properties → an object shape, with
//!   `additionalProperties` only → `map<T>`, with neither → `any`; `$ref` →
//!   the shape of `components.schemas` (a component that is neither an object nor a string
//!   enum is an alias: references get its type).
//! - Shape names are derived from where the schema is: `<Operation><Parameter><Field>…` for
//!   request shapes, `<Operation>Response<Field>…` for response shapes, `<Component><Field>…`
//!   for components (list items take the list's name), all UpperCamelCase. A name already
//!   taken gets `2`, `3`, … with a warning; overlays rename them.
//! - Enums read from descriptions ([`facts`]) are shared: one enum shape of `product.json` per
//!   (field name, value set), named after the field (`Status`); other value sets of a field of
//!   the same name add their first values, sorted (`StatusAvailablePending`); a name taken (by
//!   another shape or a hand-curated one, [`Options::reserved`]) gets `Value`, then a number.
//!   Overlays rename them with `rename_shapes`. The enum's description lists where its values
//!   were read.
//! - Enums (string `enum`s) become enum shapes; the values are hints: empty lists, blank,
//!   duplicate or non-string values are warned about; an `enum` on a number is ignored with a
//!   warning.
//! - Constraints (request side only; responses are read leniently): `minLength`/`maxLength` →
//!   `length`, `minimum`/`maximum` with `exclusiveMinimum`/`exclusiveMaximum` (flags, or the
//!   bound itself) → `range`, `minItems`/`maxItems` → `items`, `pattern` → `pattern`. Bounds
//!   may be strings; unusable or inverted ones are warned about and left out.
//! - Examples are typed (`"86400"` → `86400` for integers, `"true"` → `true`), trimmed (with a
//!   warning), and dropped with a warning when they do not fit the type or break the
//!   metadata's own constraints; masked examples (`vco-…****`, `116.64.XX.XX`) are not
//!   checked. Examples of objects and maps are not imported.
//! - Errors: every `errorCodes` entry under a 4xx/5xx status, codes trimmed, duplicates kept
//!   once. `staticInfo` with `returnType: asynchronous` and a callback of the same product →
//!   `asynchronous` (`callbackInterval` is taken as milliseconds, or as seconds when under 100). Only `get` in `methods` →
//!   `GET`; otherwise `POST` (RPC).
//! - Endpoint: the pattern most regions follow, `{region_id}` in place of the region; a
//!   product served from one host everywhere gets that host. Every listed region goes to
//!   `endpoint.regions` with its host (the generator keeps those the pattern does not give).
//!
//! Nothing is dropped silently: whatever cannot be represented is an [`Issue`] naming the
//! operation and the parameter path. The function never panics, whatever the input.

pub mod facts;
mod issues;
mod schema;
mod value;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::diag::{Diagnostics, Severity};
use crate::names::{self, Name};
use crate::spec::{
    ApiStyle, Asynchronous, Auth, Constraint, Endpoint, ErrorCode, Field, HttpMethod, Operation,
    Parameter, ParameterLocation, Product, RegionHost, SpecFile, Style, FORMAT_VERSION,
};
use issues::{member, Sink};
pub use issues::{Issue, IssueKind};
use schema::{Converter, FileKey, Form, Place};
use value::{flag, text};

/// One imported spec file.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedFile {
    /// The file name inside the import folder: `product.json` or `<Operation>.json`.
    pub name: String,
    /// Its content.
    pub spec: SpecFile,
}

impl ImportedFile {
    /// The file's text: pretty-printed JSON with a final newline (deterministic: shapes are
    /// sorted by name, everything else keeps the metadata's order).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.spec).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// The import of one product version.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The product folder's name below `spec/`: the product code in lower case (`vpc`).
    pub folder: String,
    /// The files, `product.json` first, then one per operation sorted by name.
    pub files: Vec<ImportedFile>,
    /// Warnings (the files are right despite them).
    pub issues: Vec<Issue>,
    /// How many scalar fields and parameters got each kind of fact from their descriptions.
    pub fact_counts: facts::Counts,
}

impl Imported {
    /// The warnings as diagnostics.
    pub fn diagnostics(&self) -> Diagnostics {
        Diagnostics(self.issues.iter().map(|i| i.diagnostic.clone()).collect())
    }
}

/// Imports the api-docs JSON `text` (named `source` in diagnostics). Errors only when nothing
/// sensible can be produced (not JSON, no product, not RPC); every other problem is a warning
/// in [`Imported::issues`].
pub fn import(text: &str, source: &str) -> Result<Imported, Vec<Issue>> {
    import_with(text, source, &Options::default())
}

/// How to import, beyond the metadata itself.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Append the metadata's own descriptions to the docs (a local crate generated from one's
    /// own copy of the metadata; never for what is committed).
    pub include_descriptions: bool,
    /// Shape names the enums read from descriptions must not take (those of hand-curated
    /// files of the product).
    pub reserved: BTreeSet<String>,
}

/// [`import`] with [`Options`].
pub fn import_with(text: &str, source: &str, options: &Options) -> Result<Imported, Vec<Issue>> {
    let mut sink = Sink {
        source: source.to_owned(),
        issues: Vec::new(),
    };
    let doc: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            sink.error(
                IssueKind::InvalidJson,
                "$",
                format!("the metadata is not JSON: {e}"),
                "fix the JSON at that line and column, or fetch the product version's api-docs.json again (a cut-off download ends early)",
            );
            return Err(sink.issues);
        }
    };
    let Some(doc) = doc.as_object() else {
        sink.error(
            IssueKind::InvalidJson,
            "$",
            format!(
                "the metadata is {}, not a JSON object with `info` and `apis`",
                json_type(&doc)
            ),
            "give the api-docs.json file of a product version",
        );
        return Err(sink.issues);
    };
    let Some(info) = doc.get("info").filter(|i| i.is_object()) else {
        sink.error(
            IssueKind::MissingInfo,
            "$.info",
            format!(
                "`info` is {}, not the object that names the product ({{\"style\", \"product\", \"version\"}})",
                doc.get("info").map_or("missing", json_type)
            ),
            "give the api-docs.json file of a product version",
        );
        return Err(sink.issues);
    };
    let code = text_of(info.get("product"), "$.info.product", &mut sink);
    let version = text_of(info.get("version"), "$.info.version", &mut sink);
    let style = info.get("style").and_then(Value::as_str).map(str::trim);
    if code.is_none() {
        sink.error(
            IssueKind::MissingInfo,
            "$.info.product",
            "`info.product`, the product code, is missing, empty or not a string",
            "give the api-docs.json file of a product version; its `info.product` is the code, e.g. Vpc",
        );
    }
    if version.is_none() {
        sink.error(
            IssueKind::MissingInfo,
            "$.info.version",
            "`info.version`, the API version, is missing, empty or not a string",
            "give the api-docs.json file of a product version; its `info.version` is the version, e.g. 2016-04-28",
        );
    }
    let (Some(code), Some(version)) = (code, version) else {
        return Err(sink.issues);
    };
    let api_style = match style {
        None => ApiStyle::Rpc,
        Some(s) if s.eq_ignore_ascii_case("rpc") => ApiStyle::Rpc,
        Some(s) if s.eq_ignore_ascii_case("roa") => ApiStyle::Roa,
        Some(other) => {
            sink.error(
                IssueKind::NotRpc,
                "$.info.style",
                format!(
                    "product {code} is {other}-style; only RPC- and ROA-style products can be imported"
                ),
                format!("the generator does not support {other}-style products (their own signing, hosts or paths); import an RPC- or ROA-style product's metadata"),
            );
            return Err(sink.issues);
        }
    };
    // The same rules as the checker's: the code names the folder and the crate, and both are
    // written into the generated Cargo.toml and docs, so a code or version the checker would
    // refuse later is refused here, before anything is written.
    if let Some(why) = crate::check::product_code_problem(&code) {
        sink.error(
            IssueKind::MissingInfo,
            "$.info.product",
            format!("product code {code:?} {why}: it cannot name the spec folder or the crate"),
            "give the api-docs.json file of a product version; product codes are ASCII letters, digits, `-` and `_`, e.g. Vpc or R-kvstore",
        );
    }
    if let Some(why) = crate::check::version_problem(&version) {
        sink.error(
            IssueKind::MissingInfo,
            "$.info.version",
            format!("API version {version:?} {why}"),
            "give the api-docs.json file of a product version; versions are dates such as 2016-04-28",
        );
    }
    if sink
        .issues
        .iter()
        .any(|i| i.diagnostic.severity == Severity::Error)
    {
        return Err(sink.issues);
    }
    let folder: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();

    // Operations, by trimmed name. Without `apis` (or with something else than an object in
    // its place) this is not a product's metadata: importing it would write a product without
    // operations and remove every imported operation file, so it is an error.
    let Some(apis) = doc.get("apis").and_then(Value::as_object) else {
        sink.error(
            IssueKind::BadApis,
            "$.apis",
            match doc.get("apis") {
                None => "the metadata has no `apis`, the object of the product's operations by name".to_owned(),
                Some(other) => format!(
                    "`apis` is {}, not the object of the product's operations by name",
                    json_type(other)
                ),
            },
            "give the api-docs.json file of a product version: its `apis` maps each operation name to the operation",
        );
        return Err(sink.issues);
    };
    let empty = Map::new();
    if apis.is_empty() {
        sink.warn(
            IssueKind::NoOperations,
            "$.apis",
            format!("product {code} lists no operation"),
            "nothing to do if the product has none; otherwise get a complete api-docs.json",
        );
    }
    let mut ops: BTreeMap<String, (&str, &Value)> = BTreeMap::new();
    for (key, api) in apis {
        let name = key.trim();
        let at = format!("$.apis{}", member(key));
        if name.is_empty() {
            sink.warn(
                IssueKind::OperationWithoutName,
                at,
                "an operation has an empty name; skipped",
                "nothing can be called under an empty name: if the operation is needed, declare it in a hand-curated spec file under its action name",
            );
            continue;
        }
        if name != key {
            sink.warn(
                IssueKind::StrayWhitespace,
                &at,
                format!("operation name {key:?} has stray blanks; trimmed"),
                "nothing to do: the trimmed name is the action the service knows",
            );
        }
        if ops.contains_key(name) {
            sink.warn(
                IssueKind::DuplicateName,
                at,
                format!("operation `{name}` is listed twice; the second is skipped"),
                "nothing to do if both are the same operation; otherwise declare the second in a hand-curated spec file",
            );
            continue;
        }
        if !crate::check::is_type_name(name) {
            // The generator needs UpperCamelCase names (they become type and module names);
            // every RPC action is one, so another name is a mistake of the metadata.
            sink.warn(
                IssueKind::BadOperationName,
                at,
                format!(
                    "operation `{name}` is not named in UpperCamelCase (ASCII letters and digits, starting with an upper-case letter), which the generator requires; skipped"
                ),
                "declare the operation in a hand-curated spec file under the action name the service accepts, if it is needed",
            );
            continue;
        }
        if !api.is_object() {
            sink.warn(
                IssueKind::WrongType,
                at,
                format!(
                    "operation `{name}` is {}, not an object describing the operation; skipped",
                    json_type(api)
                ),
                "declare the operation in a hand-curated spec file if it is needed",
            );
            continue;
        }
        ops.insert(name.to_owned(), (key.as_str(), api));
    }

    let mut reserved: BTreeSet<String> = ["Self", "Client", "Error", "Config"]
        .into_iter()
        .map(String::from)
        .collect();
    for name in ops.keys() {
        let stem = Name::camel(name);
        for suffix in names::OPERATION_TYPE_SUFFIXES {
            reserved.insert(stem.suffixed(suffix).as_str().to_owned());
        }
    }
    let components = doc
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let op_names: BTreeSet<String> = ops.keys().cloned().collect();
    let mut conv = Converter::new(&mut sink, components, reserved);
    conv.include_descriptions = options.include_descriptions;
    let mut operations = Vec::new();
    let group_of = groups(doc.get("directories"));
    for (name, (key, api)) in &ops {
        let mut op = operation(
            &mut conv,
            name,
            key,
            api,
            (&code, &version, api_style),
            &op_names,
        );
        op.group = group_of.get(name.as_str()).cloned();
        operations.push(op);
    }
    conv.finish_components();
    conv.break_direct_cycles();
    let mut shapes = std::mem::take(&mut conv.shapes);
    let fact_counts = std::mem::take(&mut conv.fact_counts);
    let mut taken = conv.taken.clone();
    taken.extend(options.reserved.iter().cloned());
    let fact_enums = conv.fact_enums.name(&mut taken);
    drop(conv);
    resolve_fact_enums(fact_enums, &mut shapes, &mut operations);

    let endpoint = endpoint(doc.get("endpoints"), &folder, &mut sink);
    let product = Product {
        code: code.clone(),
        version: version.clone(),
        style: api_style,
        endpoint,
        crate_name: format!("alicloud-{folder}"),
        description: String::new(),
        doc_url: Some(format!(
            "https://www.alibabacloud.com/help/en/{folder}/developer-reference/api-{folder}-{version}-"
        )),
        // STS is what the role-assuming credential providers call (see `Product`).
        identity_service: code.eq_ignore_ascii_case("Sts"),
    };
    let schema = Some("../../spec.schema.json".to_owned());
    let mut files = vec![ImportedFile {
        name: "product.json".into(),
        spec: SpecFile {
            schema: schema.clone(),
            format_version: FORMAT_VERSION,
            product: Some(product),
            shapes: shapes.remove(&FileKey::Product).unwrap_or_default(),
            operations: Vec::new(),
            overlays: Vec::new(),
        },
    }];
    let mut file_names: BTreeSet<String> = BTreeSet::from(["product.json".to_owned()]);
    for op in operations {
        let stem: String = op
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let mut file_name = format!("{stem}.json");
        let mut n = 2;
        while file_names.contains(&file_name.to_ascii_lowercase()) {
            file_name = format!("{stem}_{n}.json");
            n += 1;
        }
        if file_name != format!("{stem}.json") || stem != op.name {
            sink.warn(
                IssueKind::FileNameCollision,
                format!("$.apis{}", member(&op.name)),
                format!(
                    "operation `{}` is written to {file_name} (its name is not a plain file name, or is taken ignoring case)",
                    op.name
                ),
                "nothing to do: the file name does not change the operation",
            );
        }
        file_names.insert(file_name.to_ascii_lowercase());
        files.push(ImportedFile {
            name: file_name,
            spec: SpecFile {
                schema: schema.clone(),
                format_version: FORMAT_VERSION,
                product: None,
                shapes: shapes
                    .remove(&FileKey::Operation(op.name.clone()))
                    .unwrap_or_default(),
                operations: vec![op],
                overlays: Vec::new(),
            },
        });
    }
    Ok(Imported {
        folder,
        files,
        issues: sink.issues,
        fact_counts,
    })
}

/// The JSON type of a value, for messages: "a string", "a list", …
pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value without its prose (descriptions and titles), to compare declarations.
fn facts(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "description" | "title" | "summary"))
                .map(|(k, v)| (k.clone(), facts(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(facts).collect()),
        other => other.clone(),
    }
}

/// A trimmed, non-empty string (a warning when it had blanks).
fn text_of(v: Option<&Value>, at: &str, sink: &mut Sink) -> Option<String> {
    let s = v?.as_str()?;
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if t != s {
        sink.warn(
            IssueKind::StrayWhitespace,
            at,
            format!("{s:?} has stray blanks; trimmed"),
            "nothing to do: the trimmed text is used",
        );
    }
    Some(t.to_owned())
}

fn operation(
    conv: &mut Converter<'_>,
    name: &str,
    key: &str,
    api: &Value,
    (code, version, api_style): (&str, &str, ApiStyle),
    op_names: &BTreeSet<String>,
) -> Operation {
    let roa = api_style == ApiStyle::Roa;
    let json = format!("$.apis{}", member(key));
    let owner = format!("operation `{name}`");
    let stem = Name::camel(name).as_str().trim_end_matches('_').to_owned();

    // Method.
    let methods: Vec<String> = api
        .get("methods")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|m| m.trim().to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default();
    // ROA: the first method listed, as the official SDKs send it (CS lists `post` before
    // `delete` or `put` where it lists two).
    let roa_method = methods.iter().find_map(|m| match m.as_str() {
        "get" => Some(HttpMethod::Get),
        "post" => Some(HttpMethod::Post),
        "put" => Some(HttpMethod::Put),
        "delete" => Some(HttpMethod::Delete),
        _ => None,
    });
    let http_method = if let (true, Some(m)) = (roa, roa_method) {
        m
    } else if methods.iter().any(|m| m == "post") {
        HttpMethod::Post
    } else if methods.iter().any(|m| m == "get") {
        HttpMethod::Get
    } else {
        conv.sink.warn(
            IssueKind::UnknownMethods,
            format!("{json}.methods"),
            format!(
                "{owner}: `methods` names neither GET nor POST{}; POST is used",
                if roa { " (nor PUT, DELETE)" } else { "" }
            ),
            "set `http_method` with an overlay if POST is wrong",
        );
        HttpMethod::Post
    };

    // Authentication: the metadata's `security` lists schemes; `AK` is a signature with an
    // access key. An operation that lists only unsigned schemes (`Anonymous`, and `ARS_OIDC`
    // for AssumeRoleWithOIDC, whose OIDC token is its proof) is sent without a signature.
    let schemes: Vec<&str> = api
        .get("security")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_object)
                .flat_map(|o| o.keys().map(String::as_str))
                .collect()
        })
        .unwrap_or_default();
    let auth = if !schemes.is_empty()
        && schemes
            .iter()
            .all(|s| matches!(*s, "Anonymous" | "ARS_OIDC"))
    {
        Auth::Anonymous
    } else {
        Auth::Signed
    };
    // ROA: the path template.
    let path = roa.then(|| match text(api.get("path")).map(str::trim) {
        Some(p) if p.starts_with('/') => p.to_owned(),
        other => {
            conv.sink.warn(
                IssueKind::MissingPath,
                format!("{json}.path"),
                format!(
                    "{owner}: the ROA operation's `path` is {}; `/` is used",
                    other.map_or_else(|| "missing".to_owned(), |p| format!("{p:?}, not a path"))
                ),
                "set `path` with an overlay",
            );
            "/".to_owned()
        }
    });
    // ROA: a lone body parameter that is not an object is the whole body (the SDKs send it
    // so: `InstallClusterAddons` posts a JSON array); an object's properties are the members
    // of the JSON object body.
    let body_params = api
        .get("parameters")
        .and_then(Value::as_array)
        .map_or(0, |ps| {
            ps.iter()
                .filter(|p| text(p.get("in")).map(str::trim) == Some("body"))
                .count()
        });

    // Parameters.
    let mut parameters: Vec<Parameter> = Vec::new();
    let mut seen: BTreeMap<&str, &Value> = BTreeMap::new();
    let params = match api.get("parameters") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) => Some(a),
        Some(other) => {
            conv.sink.warn(
                IssueKind::WrongType,
                format!("{json}.parameters"),
                format!(
                    "{owner}: `parameters` is {}, not a list; the operation gets no parameter",
                    json_type(other)
                ),
                "add the parameters with an overlay (`add_parameters`)",
            );
            None
        }
    };
    for (i, p) in params.into_iter().flatten().enumerate() {
        let at = format!("{json}.parameters[{i}]");
        if !p.is_object() {
            conv.sink.warn(
                IssueKind::WrongType,
                &at,
                format!(
                    "{owner}: parameter #{i} is {}, not an object; skipped",
                    json_type(p)
                ),
                "add the parameter with an overlay (`add_parameters`) if it is needed",
            );
            continue;
        }
        let raw_name = p.get("name").and_then(Value::as_str).unwrap_or_default();
        let pname = raw_name.trim();
        if pname.is_empty() {
            let what = match p.get("name") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(_)) => " (its `name` is blank)".to_owned(),
                Some(other) => format!(" (its `name` is {})", json_type(other)),
            };
            conv.sink.warn(
                IssueKind::ParameterWithoutName,
                &at,
                format!("{owner}: parameter #{i} has no name{what}; skipped"),
                "nothing can be sent without a wire name; add it with an overlay if its name is known",
            );
            continue;
        }
        if pname != raw_name {
            conv.sink.warn(
                IssueKind::StrayWhitespace,
                format!("{at}.name"),
                format!("{owner}: parameter name {raw_name:?} has stray blanks; trimmed"),
                "nothing to do: the trimmed name is sent",
            );
        }
        if let Some(first) = seen.get(pname) {
            let same = facts(first) == facts(p);
            conv.sink.warn(
                IssueKind::DuplicateName,
                &at,
                if same {
                    format!("{owner}: parameter `{pname}` is declared twice, identically; kept once")
                } else {
                    format!("{owner}: parameter `{pname}` is declared twice, differently; the first is kept")
                },
                if same {
                    "nothing to do: both declarations say the same"
                } else {
                    "check the first declaration; correct it with an overlay if the second is right"
                },
            );
            continue;
        }
        seen.insert(pname, p);
        let location =
            match text(p.get("in")).map(str::trim) {
                Some("query") => ParameterLocation::Query,
                Some("formData") | Some("body") => ParameterLocation::Body,
                Some("header") => ParameterLocation::Header,
                Some("path") => ParameterLocation::Path,
                other => {
                    conv.sink.warn(
                        IssueKind::UnknownLocation,
                        format!("{at}.in"),
                        format!(
                        "{owner}, parameter `{pname}`: location {} is unknown; sent in the query",
                        other.map(|o| format!("`{o}`")).unwrap_or_else(|| "(none)".into())
                    ),
                        "set `location` with an overlay if the query is wrong",
                    );
                    ParameterLocation::Query
                }
            };
        let place = Place {
            file: FileKey::Operation(name.to_owned()),
            base: format!("{stem}{}", schema::type_name(pname)),
            owner: owner.clone(),
            role: "parameter",
            path: pname.to_owned(),
            json: format!("{at}.schema"),
            request: true,
        };
        let placeholder = serde_json::json!({ "type": "any" });
        let schema = match p.get("schema") {
            Some(s @ Value::Object(_)) => s,
            _ => {
                conv.sink.warn(
                    IssueKind::MissingType,
                    format!("{at}.schema"),
                    format!("{owner}, parameter `{pname}`: no schema; imported as `any`"),
                    "give the parameter its type with an overlay",
                );
                &placeholder
            }
        };
        if roa && location == ParameterLocation::Body {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                roa_members(conv, &mut parameters, props, &place, &stem);
                continue;
            }
        }
        let typed = conv.convert(schema, &place);
        let location = match location {
            ParameterLocation::Body
                if roa && body_params == 1 && !matches!(typed.form, Form::Object) =>
            {
                ParameterLocation::WholeBody
            }
            other => other,
        };
        // A ROA body member, whole body or path segment is a JSON value or a segment, not a
        // wire parameter: its style only says whether it is structured.
        let style =
            if roa && location != ParameterLocation::Query && location != ParameterLocation::Header
            {
                if typed.form.is_single() {
                    Style::Plain
                } else {
                    Style::Json
                }
            } else {
                style(conv, p.get("style"), &typed.form, &at, &owner, pname)
            };
        // An empty path segment would address another resource (`DELETE /clusters/` is not
        // `DELETE /clusters/{ClusterId}`): a string path parameter has at least one character.
        let mut typed = typed;
        if location == ParameterLocation::Path
            && typed.ty == "string"
            && !typed
                .constraints
                .iter()
                .any(|c| matches!(c, Constraint::Length { min: Some(m), .. } if *m >= 1))
        {
            typed.constraints.push(Constraint::Length {
                min: Some(1),
                max: None,
                error_code: None,
            });
        }
        // Every RPC product names its idempotency token `ClientToken`; the metadata does not
        // mark it, so the importer does (the client fills it and keeps it across retries).
        let idempotency_token = pname == "ClientToken" && typed.ty == "string";
        parameters.push(Parameter {
            name: pname.to_owned(),
            description: typed.note,
            ty: typed.ty,
            // A path cannot be built without its segments, whatever the metadata says.
            required: location == ParameterLocation::Path
                || flag(schema.get("required")).unwrap_or(false),
            location,
            style,
            sensitive: value::secret_by_name(pname),
            example: typed.example,
            idempotency_token,
            deprecated: typed.deprecated,
            constraints: typed.constraints,
            pattern: typed.pattern,
        });
    }

    // A body member named like a path, query or header parameter (CreateTrigger's
    // `cluster_id`, in both the path and the body): one request cannot have two fields of one
    // name, so the member is dropped (the other carries the value).
    if roa {
        let others: BTreeSet<String> = parameters
            .iter()
            .filter(|p| p.location != ParameterLocation::Body)
            .map(|p| p.name.clone())
            .collect();
        parameters.retain(|p| {
            let clash = p.location == ParameterLocation::Body && others.contains(&p.name);
            if clash {
                conv.sink.warn(
                    IssueKind::DuplicateName,
                    format!("{json}.parameters"),
                    format!(
                        "{owner}: body member `{}` has the name of another parameter; dropped (the other is sent)",
                        p.name
                    ),
                    "nothing to do when both carry the same value; otherwise add the member with an overlay under a parameter of its own",
                );
            }
            !clash
        });
    }
    let (response, response_body) = response(conv, api, name, &json, &owner, &stem, roa);
    let errors = errors(conv, api.get("errorCodes"), &json, &owner);
    let asynchronous = asynchronous(
        conv,
        api.get("staticInfo"),
        &json,
        &owner,
        code,
        version,
        op_names,
    );

    let description = operation_description(
        conv.include_descriptions,
        name,
        api,
        &parameters,
        asynchronous.as_ref(),
    );
    Operation {
        name: name.to_owned(),
        description,
        http_method,
        auth,
        path,
        ram: None,
        asynchronous,
        deprecated: flag(api.get("deprecated")).unwrap_or(false),
        parameters,
        rules: Vec::new(),
        response,
        response_body,
        errors,
        waiters: Vec::new(),
        group: None,
    }
}

/// The properties of a ROA operation's object body parameter, as body parameters: the members
/// of the JSON body under their own (usually snake_case) names. A member named like a
/// parameter already declared (`cluster_id` both in the path and in the body) is skipped with
/// a warning: one request cannot have two fields of one name.
fn roa_members(
    conv: &mut Converter<'_>,
    parameters: &mut Vec<Parameter>,
    props: &Map<String, Value>,
    place: &Place,
    stem: &str,
) {
    for (key, prop) in props {
        let wire = key.trim();
        let at = format!("{}.properties{}", place.json, member(key));
        if wire.is_empty() {
            conv.sink.warn(
                IssueKind::FieldWithoutName,
                &at,
                format!("{}: a body member has an empty name; skipped", place.owner),
                "add it with an overlay (`add_parameters`) if its name is known",
            );
            continue;
        }
        if parameters.iter().any(|p| p.name == wire) {
            conv.sink.warn(
                IssueKind::DuplicateName,
                &at,
                format!(
                    "{}: body member `{wire}` has the name of another parameter; skipped (the other is sent)",
                    place.owner
                ),
                "nothing to do when both carry the same value; otherwise rename one with an overlay",
            );
            continue;
        }
        let child = Place {
            base: format!("{stem}{}", schema::type_name(wire)),
            path: wire.to_owned(),
            json: at,
            ..place.clone()
        };
        let typed = conv.convert(prop, &child);
        parameters.push(Parameter {
            name: wire.to_owned(),
            description: typed.note,
            ty: typed.ty,
            required: flag(prop.get("required")).unwrap_or(false),
            location: ParameterLocation::Body,
            style: if typed.form.is_single() {
                Style::Plain
            } else {
                Style::Json
            },
            sensitive: false,
            example: typed.example,
            idempotency_token: false,
            deprecated: typed.deprecated,
            constraints: typed.constraints,
            pattern: typed.pattern,
        });
    }
}

/// The first directory (depth first, in document order) that lists each operation, by
/// operation name. The metadata's `directories` are a tree of `{title, children}` whose leaves
/// are operation names.
fn groups(dirs: Option<&Value>) -> BTreeMap<String, String> {
    fn walk(node: &Value, title: Option<&str>, out: &mut BTreeMap<String, String>) {
        match node {
            Value::String(op) => {
                if let Some(t) = title {
                    out.entry(op.trim().to_owned())
                        .or_insert_with(|| t.to_owned());
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, title, out)),
            Value::Object(o) => {
                // The top-level directory names the group; nested ones refine it.
                let own = o.get("title").and_then(Value::as_str).map(str::trim);
                let t = title.or(own).filter(|t| !t.is_empty());
                if let Some(children) = o.get("children") {
                    walk(children, t, out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    if let Some(d) = dirs {
        walk(d, None, &mut out);
    }
    out
}

fn style(
    conv: &mut Converter<'_>,
    raw: Option<&Value>,
    form: &Form,
    at: &str,
    owner: &str,
    pname: &str,
) -> Style {
    let single = form.is_single();
    let list_of_single = matches!(form, Form::List(inner) if inner.is_single());
    let fallback = if single { Style::Plain } else { Style::Flat };
    let declared = match raw.and_then(Value::as_str).map(str::trim) {
        None | Some("") | Some("none") => None,
        Some("flat") => Some(Style::Flat),
        Some("repeatList") => Some(Style::RepeatList),
        Some("json") => Some(Style::Json),
        Some("simple") => Some(Style::Simple),
        Some("spaceDelimited") => Some(Style::SpaceDelimited),
        Some("pipeDelimited") => Some(Style::PipeDelimited),
        Some(other) => {
            conv.sink.warn(
                IssueKind::UnknownStyle,
                format!("{at}.style"),
                format!("{owner}, parameter `{pname}`: style `{other}` is unknown; ignored"),
                "set `style` with an overlay",
            );
            None
        }
    };
    match declared {
        None => {
            if !single {
                conv.sink.warn(
                    IssueKind::MissingStyle,
                    format!("{at}.style"),
                    format!("{owner}, parameter `{pname}`: a structured value without a style; flattened (Name.1.Field), as the SDKs send it"),
                    "set `style` with an overlay if the service expects JSON",
                );
            }
            fallback
        }
        Some(s @ (Style::Simple | Style::SpaceDelimited | Style::PipeDelimited))
            if !list_of_single =>
        {
            conv.sink.warn(
                IssueKind::StyleMismatch,
                format!("{at}.style"),
                format!(
                    "{owner}, parameter `{pname}`: style {s:?} joins a list of scalars, which this is not; sent as {fallback:?}"
                ),
                "set `style` with an overlay",
            );
            fallback
        }
        Some(s) => s,
    }
}

fn response(
    conv: &mut Converter<'_>,
    api: &Value,
    name: &str,
    json: &str,
    owner: &str,
    stem: &str,
    roa: bool,
) -> (Vec<Field>, Option<String>) {
    let responses = api.get("responses").and_then(Value::as_object);
    let chosen = responses.and_then(|r| {
        r.get("200").map(|v| ("200".to_owned(), v)).or_else(|| {
            r.iter()
                .filter(|(k, _)| k.trim().starts_with('2'))
                .min_by(|a, b| a.0.cmp(b.0))
                .map(|(k, v)| (k.clone(), v))
        })
    });
    let Some((status, resp)) = chosen else {
        if roa {
            // ROA operations that answer with no body (status only) document none.
            return (Vec::new(), None);
        }
        conv.sink.warn(
            IssueKind::UnusableResponse,
            format!("{json}.responses"),
            format!("{owner}: no success response is documented; the response has no fields"),
            "add the fields with an overlay (`add_response`)",
        );
        return (Vec::new(), None);
    };
    let at = format!("{json}.responses{}.schema", member(&status));
    let place = Place {
        file: FileKey::Operation(name.to_owned()),
        base: format!("{stem}Response"),
        owner: owner.to_owned(),
        role: "response field",
        path: String::new(),
        json: at.clone(),
        request: false,
    };
    let schema = resp.get("schema");
    if let Some(r) = schema.and_then(|s| s.get("$ref")).and_then(Value::as_str) {
        if let Some(fields) = conv.component_fields(r.trim(), &place) {
            return (fields, None);
        }
    }
    if roa {
        let has_props = schema.and_then(|s| s.get("properties")).is_some();
        let ty = schema.and_then(|s| s.get("type")).and_then(Value::as_str);
        match ty {
            // The body is the value itself: a JSON array at the top level, a map (an object
            // with `additionalProperties` only), or a string.
            Some("array" | "string" | "integer" | "number" | "boolean") | Some("object")
                if !has_props || ty != Some("object") =>
            {
                // Items of a top-level list are named after the response: `<Op>ResponseItem`.
                let whole = Place {
                    base: format!("{stem}ResponseItem"),
                    ..place
                };
                let typed = conv.convert(schema.unwrap_or(&Value::Null), &whole);
                return (Vec::new(), Some(typed.ty));
            }
            // No schema: the operation answers with no body (or one nobody documents).
            None if !has_props => return (Vec::new(), None),
            _ => {}
        }
    }
    let Some(props) = schema
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
    else {
        conv.sink.warn(
            IssueKind::UnusableResponse,
            &at,
            format!(
                "{owner}: the response is not an object with fields; the response has no fields"
            ),
            "add the fields with an overlay (`add_response`)",
        );
        return (Vec::new(), None);
    };
    let mut fields: Vec<Field> = Vec::new();
    for (key, prop) in props {
        let wire = key.trim();
        let child = Place {
            base: format!("{stem}Response{}", schema::type_name(wire)),
            path: wire.to_owned(),
            json: format!("{at}.properties{}", member(key)),
            ..place.clone()
        };
        if wire.is_empty() {
            conv.sink.warn(
                IssueKind::FieldWithoutName,
                &child.json,
                format!("{owner}: a response field has an empty name; dropped"),
                "nothing can be read under an empty name: add the field with an overlay (`add_response`) if its name is known",
            );
            continue;
        }
        if wire != key {
            conv.sink.warn(
                IssueKind::StrayWhitespace,
                &child.json,
                format!("{owner}: response field name {key:?} has stray blanks; trimmed"),
                "nothing to do: the trimmed name is read",
            );
        }
        if fields.iter().any(|f| f.name == wire) {
            conv.sink.warn(
                IssueKind::DuplicateName,
                &child.json,
                format!(
                    "{owner}: response field `{wire}` is declared twice; the second is dropped"
                ),
                "nothing to do if both declare the same field; otherwise correct its type with an overlay (`response`)",
            );
            continue;
        }
        let typed = conv.convert(prop, &child);
        fields.push(Field {
            name: wire.to_owned(),
            description: typed.note,
            ty: typed.ty,
            required: false,
            sensitive: value::secret_by_name(wire),
            example: typed.example,
            constraints: Vec::new(),
            pattern: None,
            deprecated: typed.deprecated,
        });
    }
    (fields, None)
}

fn errors(
    conv: &mut Converter<'_>,
    codes: Option<&Value>,
    json: &str,
    owner: &str,
) -> Vec<ErrorCode> {
    let Some(codes) = codes.and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut by_status: BTreeMap<u16, Vec<(String, &Value)>> = BTreeMap::new();
    for (status, list) in codes {
        let at = format!("{json}.errorCodes{}", member(status));
        match status.trim().parse::<u16>() {
            Ok(s) if (400..=599).contains(&s) => {
                for (i, e) in list.as_array().into_iter().flatten().enumerate() {
                    by_status
                        .entry(s)
                        .or_default()
                        .push((format!("{at}[{i}]"), e));
                }
            }
            _ => conv.sink.warn(
                IssueKind::BadErrorCode,
                at,
                format!("{owner}: error codes under `{status}`, which is not an HTTP error status; skipped"),
                "add them with an overlay (`add_errors`) under the right status",
            ),
        }
    }
    let mut out: Vec<ErrorCode> = Vec::new();
    for (status, entries) in by_status {
        for (at, e) in entries {
            let raw = e
                .get("errorCode")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let code = raw.trim();
            if code.is_empty() {
                conv.sink.warn(
                    IssueKind::BadErrorCode,
                    &at,
                    format!("{owner}: an error entry under HTTP {status} has no code; skipped"),
                    "nothing to do: an error without a code cannot be told apart; add it with an overlay (`add_errors`) if its code is known",
                );
                continue;
            }
            if code != raw {
                conv.sink.warn(
                    IssueKind::StrayWhitespace,
                    format!("{at}.errorCode"),
                    format!("{owner}: error code {raw:?} has stray blanks; trimmed"),
                    "nothing to do: the trimmed code is what the service sends",
                );
            }
            let message = e
                .get("errorMessage")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if let Some(first) = out.iter().find(|x| x.status == status && x.code == code) {
                conv.sink.warn(
                    IssueKind::DuplicateErrorCode,
                    &at,
                    format!(
                        "{owner}: error code `{code}` is listed twice under HTTP {status}{}; kept once",
                        if first.message == message {
                            String::new()
                        } else {
                            " with another message".into()
                        }
                    ),
                    "nothing to do: the first message is kept; change it with an overlay (`errors`) if the other is right",
                );
                continue;
            }
            out.push(ErrorCode {
                status,
                code: code.to_owned(),
                message,
                description: String::new(),
                // Unknown: the metadata never says; an overlay states it when someone knows.
                retryable: None,
            });
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn asynchronous(
    conv: &mut Converter<'_>,
    info: Option<&Value>,
    json: &str,
    owner: &str,
    code: &str,
    version: &str,
    op_names: &BTreeSet<String>,
) -> Option<Asynchronous> {
    let info = info?;
    let returns = info.get("returnType").and_then(Value::as_str)?.trim();
    if !returns.eq_ignore_ascii_case("asynchronous") {
        return None;
    }
    let at = format!("{json}.staticInfo");
    let mut ignored = |why: String| {
        conv.sink.warn(
            IssueKind::AsyncIgnored,
            &at,
            format!("{owner}: asynchronous, but {why}; not recorded"),
            "set `asynchronous` with an overlay",
        );
        None
    };
    let Some(callback) = info.get("callback").and_then(Value::as_str) else {
        return ignored("no callback operation is named".into());
    };
    let parts: Vec<&str> = callback.split("::").map(str::trim).collect();
    let (product, ver, poll) = match parts.as_slice() {
        [p, v, o] => (*p, *v, *o),
        [o] => (code, version, *o),
        _ => {
            return ignored(format!(
                "callback `{callback}` is not Product::Version::Operation"
            ))
        }
    };
    if !product.eq_ignore_ascii_case(code) || ver != version {
        return ignored(format!(
            "callback `{callback}` is an operation of another product or version"
        ));
    }
    if !op_names.contains(poll) {
        return ignored(format!(
            "callback operation `{poll}` is not an operation of the product"
        ));
    }
    let interval = info.get("callbackInterval").and_then(value::count);
    let attempts = info.get("maxCallbackTimes").and_then(value::count);
    let (Some(interval), Some(attempts)) =
        (interval.filter(|i| *i > 0), attempts.filter(|a| *a > 0))
    else {
        return ignored("callbackInterval or maxCallbackTimes is missing or zero".into());
    };
    // The metadata states intervals in milliseconds (3000), but a few say `3`: polling every
    // 3 ms would give up before anything changed, so small values are taken as seconds.
    let interval_ms = if interval < 100 {
        let ms = interval.saturating_mul(1000);
        conv.sink.warn(
            IssueKind::OddCallbackInterval,
            format!("{at}.callbackInterval"),
            format!("{owner}: callbackInterval {interval} looks like seconds, not milliseconds; taken as {ms} ms"),
            "set `asynchronous.interval_ms` with an overlay if that is wrong",
        );
        ms
    } else {
        interval
    };
    Some(Asynchronous {
        poll_operation: poll.to_owned(),
        interval_ms,
        max_attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        progress: None,
        waiter: None,
    })
}

/// The endpoint: the pattern of the most regions (the regional one on a tie, then the first
/// by name), or the most common host; and every listed region with its host, sorted by region
/// id. An entry the client could not use as it is (a region id or host of other characters, a
/// region listed again with another host) is left out with a warning.
fn endpoint(endpoints: Option<&Value>, folder: &str, sink: &mut Sink) -> Endpoint {
    let mut patterns: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut regions: BTreeMap<String, String> = BTreeMap::new();
    for (i, e) in endpoints
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let region = e.get("regionId").and_then(Value::as_str).map(str::trim);
        let host = e.get("endpoint").and_then(Value::as_str).map(str::trim);
        let (Some(region), Some(host)) = (region, host) else {
            continue;
        };
        if region.is_empty() || host.is_empty() {
            continue;
        }
        let at = format!("$.endpoints[{i}]");
        if !crate::check::is_region_id(region) {
            sink.warn(
                IssueKind::UnusableEndpoint,
                format!("{at}.regionId"),
                format!("region id {region:?} cannot be part of a host name; left out"),
                "set the region's host in a hand-curated product.json if it is needed",
            );
            continue;
        }
        if let Some(why) = crate::check::host_problem(host) {
            sink.warn(
                IssueKind::UnusableEndpoint,
                format!("{at}.endpoint"),
                format!(
                    "the host {host:?} of region {region} is not a host name ({why}); left out"
                ),
                "set the region's host in a hand-curated product.json if it is needed",
            );
            continue;
        }
        match regions.get(region) {
            Some(first) if first == host => continue,
            Some(first) => {
                sink.warn(
                    IssueKind::UnusableEndpoint,
                    format!("{at}.endpoint"),
                    format!("region {region} is listed again with another host, {host}; {first} is kept"),
                    "set the region's host in a hand-curated product.json if the other one is right",
                );
                continue;
            }
            None => {}
        }
        let pattern = if host.contains(region) {
            host.replacen(region, "{region_id}", 1)
        } else {
            host.to_owned()
        };
        patterns.entry(pattern).or_default().push(region.to_owned());
        regions.insert(region.to_owned(), host.to_owned());
    }
    if regions.is_empty() {
        let pattern = format!("{folder}.{{region_id}}.aliyuncs.com");
        sink.warn(
            IssueKind::NoEndpoints,
            "$.endpoints",
            format!("no endpoint is listed; using {pattern}"),
            "set `endpoint` in a hand-curated product.json if it is wrong",
        );
        return Endpoint {
            pattern,
            regions: None,
        };
    }
    let pattern = patterns
        .iter()
        .max_by(|a, b| {
            let ka = (a.1.len(), a.0.contains("{region_id}"));
            let kb = (b.1.len(), b.0.contains("{region_id}"));
            ka.cmp(&kb).then_with(|| b.0.cmp(a.0))
        })
        .map(|(p, _)| p.clone())
        .unwrap_or_default();
    Endpoint {
        pattern,
        regions: Some(
            regions
                .into_iter()
                .map(|(region_id, host)| RegionHost { region_id, host })
                .collect(),
        ),
    }
}

/// The operation's description, in our words, from facts ([`facts::operation_sentence`]); with
/// `include_descriptions`, the metadata's own summary follows.
fn operation_description(
    include_descriptions: bool,
    name: &str,
    api: &Value,
    parameters: &[Parameter],
    asynchronous: Option<&Asynchronous>,
) -> String {
    let operation_type = (
        text(api.get("operationType")).map(str::trim),
        text(api.get("systemTags").and_then(|t| t.get("operationType"))).map(str::trim),
    );
    let has = |n: &str| parameters.iter().any(|p| p.name == n);
    let paging = [("PageNumber", "PageSize"), ("NextToken", "MaxResults")]
        .into_iter()
        .find(|(a, b)| has(a) && has(b));
    let mut s = facts::operation_sentence(
        name,
        operation_type,
        paging,
        asynchronous.map(|a| a.poll_operation.as_str()),
        flag(api.get("deprecated")).unwrap_or(false),
    );
    if include_descriptions {
        for key in ["summary", "description"] {
            if let Some(t) = text(api.get(key)).map(str::trim).filter(|t| !t.is_empty()) {
                s.push_str("\n\n");
                s.push_str(t);
            }
        }
    }
    s
}

/// Gives the enums read from descriptions their names: each becomes an enum shape of
/// `product.json` (shared by every field with its values) and its placeholder type is
/// replaced everywhere.
fn resolve_fact_enums(
    named: Vec<(String, String, Vec<String>, BTreeSet<String>)>,
    shapes: &mut BTreeMap<FileKey, BTreeMap<String, crate::spec::Shape>>,
    operations: &mut [Operation],
) {
    use crate::spec::{EnumValue, Shape};
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (placeholder, name, values, places) in named {
        names.insert(placeholder, name.clone());
        shapes.entry(FileKey::Product).or_default().insert(
            name,
            Shape::Enum {
                description: facts::enum_note(&places),
                values: values
                    .into_iter()
                    .map(|value| EnumValue {
                        value,
                        description: String::new(),
                        rust_name: None,
                    })
                    .collect(),
            },
        );
    }
    if names.is_empty() {
        return;
    }
    for file in shapes.values_mut() {
        for shape in file.values_mut() {
            if let Shape::Object { fields, .. } = shape {
                for f in fields {
                    f.ty = facts::resolve(&f.ty, &names);
                }
            }
        }
    }
    for op in operations {
        for p in &mut op.parameters {
            p.ty = facts::resolve(&p.ty, &names);
        }
        for f in &mut op.response {
            f.ty = facts::resolve(&f.ty, &names);
        }
    }
}
