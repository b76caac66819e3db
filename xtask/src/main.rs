//! `cargo xtask`: the project's tasks. The command line is declared once, here ([`Cli`]); each
//! task's module does the work. `cargo xtask --help` and `cargo xtask <task> --help` describe
//! every task, flag and exit code.
//!
//! - `cargo xtask codegen [--check] [--root DIR] [--only Op1,Op2 --out DIR]` regenerates
//!   `generated/` (and `spec/spec.schema.json`) from `spec/`, writing only files whose content
//!   changed and removing files no longer generated (see [`codegen`]).
//! - `cargo xtask import <api-docs.json> [--out DIR] [--only Op1,Op2]` imports Alibaba's API
//!   metadata of a product into `spec/<product>/imported/` (see [`import`]).
//! - `cargo xtask generate <api-docs.json | DIR> [--out DIR]` generates the crate of any product
//!   from one's own metadata, into this workspace (spec, crate and workspace member) or into a
//!   folder of one's choice (see [`generate`]).
//! - `cargo xtask import-check <dir> [--keep]` imports every metadata file of `dir` into a
//!   temporary directory, checks and models each product, and fails on any error.
//! - `cargo xtask check-products <dir> [--keep] [--target-dir DIR]` imports every metadata file
//!   of `dir`, generates each product's crate into a temporary workspace and runs clippy on it
//!   with warnings denied (see [`products`]).
//! - `cargo xtask synth --ops N --out FILE` writes the api-docs metadata of a synthetic
//!   product of N operations, for benchmarks and tests; `synth --catalogue --out DIR` a folder
//!   of synthetic products the size of Alibaba's catalogue (see [`perf`]).
//! - `cargo xtask compile-cost [--metadata DIR] [--quick] [--runs N]` measures how long the generated
//!   crate takes to compile, and how much memory (see [`perf`]).
//! - `cargo xtask generate-cost [--catalogue] [--ops N,N,…] [--json FILE]` measures
//!   `generate --out` over the synthetic catalogue (the default) or synthetic products of N
//!   operations: wall time, CPU time and peak memory (see [`perf`]).
//!
//! Exit codes: [`Exit`].

use std::path::{Path, PathBuf};

use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};

mod codegen;
mod exit;
mod files;
mod generate;
mod import;
mod perf;
mod products;
mod progress;
mod workspace;

use exit::Exit;

/// See xtask/Cargo.toml: the generator's token trees are many small allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The project's tasks: code generation, metadata import and checks, measurements.
#[derive(Debug, Parser)]
#[command(
    name = "xtask",
    bin_name = "cargo xtask",
    arg_required_else_help = true,
    after_help = Exit::help()
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Regenerate generated/ (and spec/spec.schema.json) from spec/, writing only files that
    /// changed and removing files no longer generated; all or nothing.
    #[command(after_help = Exit::help())]
    Codegen(CodegenArgs),
    /// Import a product's api-docs metadata into spec/PRODUCT/imported/ (or --out DIR),
    /// writing only files that changed and removing other *.json files; on errors nothing is
    /// written.
    #[command(after_help = Exit::help())]
    Import(ImportArgs),
    /// Generate the crate of any product from a metadata file (or every *.json file of a
    /// folder): into this workspace (spec/PRODUCT/imported, generated/PRODUCT and the workspace
    /// member), or with --out DIR into a cargo workspace of its own there.
    #[command(after_help = Exit::help())]
    Generate(GenerateArgs),
    /// Import every *.json metadata file of a folder into a temporary tree, check and model
    /// each product, and compare the reference imports of generator/tests/data/imported/.
    #[command(after_help = Exit::help())]
    ImportCheck(ImportCheckArgs),
    /// Import and generate every product of a folder of metadata files into a temporary
    /// workspace, and run clippy (warnings denied) on each crate.
    #[command(after_help = Exit::help())]
    CheckProducts(CheckProductsArgs),
    /// Write the api-docs metadata of a synthetic product of N operations (for benchmarks).
    #[command(after_help = Exit::help())]
    Synth(SynthArgs),
    /// Measure clean builds of the generated code (wall time, CPU time, peak memory) and print
    /// a Markdown table.
    #[command(after_help = Exit::help())]
    CompileCost(CompileCostArgs),
    /// Measure `cargo xtask generate --out` (import, check, generate, write: wall time, CPU
    /// time, peak memory) over synthetic metadata and print a Markdown table.
    #[command(after_help = Exit::help())]
    GenerateCost(GenerateCostArgs),
}

#[derive(Debug, Args)]
struct CodegenArgs {
    /// Write nothing; fail naming every stale, missing or extra file.
    #[arg(long)]
    check: bool,
    /// Work on DIR/spec and DIR/generated instead of the repository's.
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Generate only these operations (comma-separated, with the shapes they use); needs
    /// --out, so a selection never replaces the repository's crates.
    #[arg(long, value_name = "OPS", value_delimiter = ',', requires = "out")]
    only: Option<Vec<String>>,
    /// Write the crates below DIR/generated instead (only with --only).
    #[arg(long, value_name = "DIR", requires = "only")]
    out: Option<PathBuf>,
    /// Also list the notes: names the generator decided for you (error codes that keep their
    /// spelling because they collide after case conversion). Otherwise only their count.
    #[arg(long)]
    notes: bool,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The product's api-docs metadata file.
    #[arg(value_name = "API-DOCS.JSON")]
    input: PathBuf,
    /// Write the imported files to DIR instead of spec/PRODUCT/imported.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Import only these operations (comma-separated) and product.json; remove nothing.
    #[arg(long, value_name = "OPS", value_delimiter = ',')]
    only: Option<Vec<String>>,
    /// Add the metadata's own descriptions to the docs, for a crate generated from your own
    /// copy of the metadata; never for what is committed.
    #[arg(long)]
    include_descriptions: bool,
}

#[derive(Debug, Args)]
struct GenerateArgs {
    /// A product's api-docs metadata file, or a folder of them.
    #[arg(value_name = "API-DOCS.JSON|DIR")]
    input: PathBuf,
    /// Write a cargo workspace of the generated crates into DIR (its crates depend on this
    /// checkout's runtime by path) instead of adding them to this workspace.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Add the metadata's own descriptions to the generated docs, for crates generated from
    /// your own copy of the metadata; never for what is committed.
    #[arg(long)]
    include_descriptions: bool,
}

#[derive(Debug, Args)]
struct ImportCheckArgs {
    /// The folder of api-docs *.json files.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Keep the temporary tree of imports (its path is printed).
    #[arg(long)]
    keep: bool,
}

#[derive(Debug, Args)]
struct CheckProductsArgs {
    /// The folder of api-docs *.json files.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Keep the temporary workspace (it is always kept on failure).
    #[arg(long)]
    keep: bool,
    /// Build into DIR instead of target/check-products.
    #[arg(long, value_name = "DIR")]
    target_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct SynthArgs {
    /// Number of operations of the synthetic product (at least 1).
    #[arg(long, value_name = "N", value_parser = positive, required_unless_present = "catalogue", conflicts_with = "catalogue")]
    ops: Option<usize>,
    /// Write a folder of synthetic products the size of Alibaba's catalogue instead.
    #[arg(long)]
    catalogue: bool,
    /// The api-docs file to write (with --catalogue, the folder).
    #[arg(long, value_name = "FILE|DIR")]
    out: PathBuf,
}

#[derive(Debug, Args)]
struct CompileCostArgs {
    /// Also measure each product of DIR's api-docs files, generated in full.
    #[arg(long, value_name = "DIR")]
    metadata: Option<PathBuf>,
    /// Debug builds only.
    #[arg(long)]
    quick: bool,
    /// Clean builds of each selection, taking turns across selections; the table gives the
    /// median and the range. On a shared 2-core machine one build moves by a third with what
    /// else runs, so compare medians of interleaved runs, never two single runs.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=50))]
    runs: u32,
}

#[derive(Debug, Args)]
struct GenerateCostArgs {
    /// Also (or only, without --catalogue) one synthetic product of each of these numbers of
    /// operations (comma-separated).
    #[arg(long, value_name = "N,N,...", value_delimiter = ',', value_parser = positive)]
    ops: Vec<usize>,
    /// The synthetic catalogue (350 products); the default when --ops is not given.
    #[arg(long)]
    catalogue: bool,
    /// Also write the points to FILE as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

fn positive(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("needs a positive number, not `{s}`")),
    }
}

/// A comma-separated list as given, each name trimmed.
fn names(list: Vec<String>) -> std::collections::BTreeSet<String> {
    list.into_iter().map(|s| s.trim().to_owned()).collect()
}

fn main() -> Exit {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help to stdout and errors (with the usage) to stderr.
            let _ = e.print();
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Exit::Ok,
                _ => Exit::BadInput,
            };
        }
    };
    let repo = workspace_root();
    match cli.task {
        Task::Codegen(a) => {
            let root = a.root.unwrap_or_else(|| repo.clone());
            // The schema of the format belongs to the repository, not to other spec trees.
            let with_schema = root == repo && a.out.is_none();
            let settings = alicloud_codegen::Settings {
                operations: a.only.map(names),
                ..alicloud_codegen::Settings::default()
            };
            let dest = a.out.unwrap_or_else(|| root.clone());
            let options = codegen::Options {
                check: a.check,
                with_schema,
                notes: a.notes,
            };
            codegen::run(&root, &dest, &settings, options)
        }
        Task::Import(a) => import::run_import(
            &repo,
            &a.input,
            a.out,
            a.only.map(names),
            a.include_descriptions,
        ),
        Task::Generate(a) => {
            generate::run(&repo, &a.input, a.out.as_deref(), a.include_descriptions)
        }
        Task::ImportCheck(a) => import::run_import_check(&repo, &a.dir, a.keep),
        Task::CheckProducts(a) => {
            let target = a
                .target_dir
                .unwrap_or_else(|| repo.join("target/check-products"));
            products::run(&repo, &a.dir, a.keep, &target)
        }
        Task::Synth(a) => match a.ops {
            Some(ops) => perf::run_synth(ops, &a.out),
            None => perf::run_synth_catalogue(&a.out),
        },
        Task::CompileCost(a) => {
            perf::run_compile_cost(&repo, a.metadata.as_deref(), a.quick, a.runs as usize)
        }
        Task::GenerateCost(a) => {
            let catalogue = a.catalogue || a.ops.is_empty();
            perf::run_generate_cost(catalogue, &a.ops, a.json.as_deref())
        }
    }
}

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_documented_invocation_parses() {
        for line in [
            "codegen",
            "codegen --check",
            "codegen --check --root tests/obstacle",
            "codegen --only ModifyVpnConnectionAttribute --out DIR",
            "codegen --only A,B --out DIR --root R",
            "import path/to/vpc-2016-04-28.api-docs.json",
            "import f.json --out DIR --only Op1,Op2",
            "import-check ../shared/metadata",
            "import-check ../shared/metadata --keep",
            "check-products ../shared/metadata",
            "check-products ../shared/metadata --keep --target-dir T",
            "synth --ops 100 --out FILE",
            "synth --catalogue --out DIR",
            "generate f.json",
            "generate ../shared/metadata --out DIR",
            "generate sts.json --out DIR --include-descriptions",
            "compile-cost",
            "compile-cost --metadata ../shared/metadata --quick",
            "compile-cost --quick --runs 5",
            "generate-cost",
            "generate-cost --catalogue --ops 1,10,100 --json F",
        ] {
            let args = std::iter::once("xtask").chain(line.split(' '));
            if let Err(e) = Cli::try_parse_from(args) {
                panic!("`cargo xtask {line}`: {e}");
            }
        }
    }

    #[test]
    fn wrong_invocations_are_refused() {
        for line in [
            "codegen --frobnicate",
            "codegen --only A",
            "codegen --out DIR",
            "import",
            "import a.json b.json",
            "import-check",
            "synth --ops 0 --out F",
            "synth --ops many --out F",
            "synth --ops 3",
            "synth --out F",
            "synth --ops 3 --catalogue --out F",
            "generate",
            "generate a.json b.json",
            "compile-cost --metadata",
            "compile-cost --runs 0",
            "compile-cost --runs some",
            "generate-cost --ops 0",
            "generate-cost --ops ten",
            "frobnicate",
        ] {
            let args = std::iter::once("xtask").chain(line.split(' '));
            assert!(
                Cli::try_parse_from(args).is_err(),
                "`cargo xtask {line}` was accepted"
            );
        }
    }

    #[test]
    fn only_lists_are_split_and_trimmed() {
        let cli =
            Cli::try_parse_from(["xtask", "codegen", "--only", "A, B", "--out", "D"]).unwrap();
        let Task::Codegen(a) = cli.task else {
            panic!("{cli:?}")
        };
        assert_eq!(
            names(a.only.unwrap()),
            ["A".to_owned(), "B".to_owned()].into()
        );
    }
}
