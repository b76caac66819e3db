//! `cargo xtask codegen` and `--check` on a copy of the repository's specs: what is reported,
//! the exit codes, and that a failed run leaves the tree as it was.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            fs::copy(&p, &dest).unwrap();
        }
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    copy_dir(&repo.join("spec"), &dir.join("spec"));
    dir
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("xtask runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file below `dir` with its bytes, sorted (temporaries and backups included).
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn check_names_every_stale_missing_and_extra_file() {
    let root = scratch("check");
    let first = xtask(&root, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let clean = xtask(&root, &["--check"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));

    let types = root.join("generated/vpc/src/types.rs");
    let mut edited = fs::read_to_string(&types).unwrap();
    edited.push_str("\n// a hand edit\n");
    fs::write(&types, edited).unwrap();
    fs::remove_file(root.join("generated/vpc/src/client.rs")).unwrap();
    fs::write(root.join("generated/vpc/src/extra.rs"), "// left over\n").unwrap();

    let check = xtask(&root, &["--check"]);
    assert_eq!(check.status.code(), Some(1));
    let err = stderr(&check);
    assert!(err.contains("stale: generated/vpc/src/types.rs"), "{err}");
    assert!(
        err.contains("missing: generated/vpc/src/client.rs"),
        "{err}"
    );
    assert!(err.contains("extra: generated/vpc/src/extra.rs"), "{err}");
    assert!(err.contains("run `cargo xtask codegen`"), "{err}");
    // --check wrote nothing.
    assert!(!root.join("generated/vpc/src/client.rs").exists());
    assert!(root.join("generated/vpc/src/extra.rs").exists());

    let fix = xtask(&root, &[]);
    assert!(fix.status.success(), "{}", stderr(&fix));
    let out = String::from_utf8_lossy(&fix.stdout);
    assert!(out.contains("2 written, 1 removed"), "{out}");
    assert!(!root.join("generated/vpc/src/extra.rs").exists());
    assert_eq!(xtask(&root, &["--check"]).status.code(), Some(0));

    // Running again writes nothing.
    let again = xtask(&root, &[]);
    assert!(String::from_utf8_lossy(&again.stdout).contains(" 0 written, 0 removed"));
}

#[test]
fn a_broken_spec_writes_nothing_and_says_why() {
    let root = scratch("broken");
    assert!(xtask(&root, &[]).status.success());
    let before = fs::read_to_string(root.join("generated/vpc/src/types.rs")).unwrap();
    let spec = root.join("spec/vpc/ModifyVpnConnectionAttribute.json");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(
        &spec,
        text.replacen("\"type\": \"string\"", "\"type\": \"strnig\"", 1),
    )
    .unwrap();
    // A change that would alter an output file if generation went on.
    let product = root.join("spec/vpc/product.json");
    let ptext = fs::read_to_string(&product).unwrap();
    fs::write(
        &product,
        ptext.replacen("\"description\": \"", "\"description\": \"CHANGED ", 1),
    )
    .unwrap();
    let run = xtask(&root, &[]);
    assert_eq!(run.status.code(), Some(2));
    let err = stderr(&run);
    assert!(
        err.contains("spec/vpc/ModifyVpnConnectionAttribute.json"),
        "{err}"
    );
    assert!(err.contains("`strnig` is not a type"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    let after = fs::read_to_string(root.join("generated/vpc/src/types.rs")).unwrap();
    assert_eq!(before, after, "a failed run changed the output");
}

#[test]
fn bad_arguments_are_refused_with_usage() {
    let o = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--frobnicate"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("unexpected argument '--frobnicate'"), "{err}");
    assert!(err.contains("Usage: cargo xtask codegen"), "{err}");
}

#[test]
fn help_describes_every_task_flag_and_exit_code() {
    let help = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let top = help(&["--help"]);
    for task in [
        "codegen",
        "import",
        "import-check",
        "check-products",
        "synth",
        "compile-cost",
    ] {
        assert!(top.contains(&format!("\n  {task} ")), "{task}: {top}");
        let sub = help(&[task, "--help"]);
        assert!(sub.contains(&format!("Usage: cargo xtask {task}")), "{sub}");
        for code in [
            "0  success",
            "1  a check found problems",
            "2  wrong arguments",
            "3  a file",
        ] {
            assert!(sub.contains(code), "{task}: {code}: {sub}");
        }
    }
    let codegen = help(&["codegen", "--help"]);
    for flag in ["--check", "--root <DIR>", "--only <OPS>", "--out <DIR>"] {
        assert!(codegen.contains(flag), "{flag}: {codegen}");
    }
}

#[test]
fn a_spec_with_a_byte_order_mark_generates_as_without_one() {
    let root = scratch("bom");
    let spec = root.join("spec/vpc/ModifyVpnConnectionAttribute.json");
    let plain = fs::read(&spec).unwrap();
    assert!(!plain.starts_with(b"\xEF\xBB\xBF"));
    fs::write(&spec, [b"\xEF\xBB\xBF".as_slice(), &plain].concat()).unwrap();
    let run = xtask(&root, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    // The output is what the file without the mark generates.
    fs::write(&spec, &plain).unwrap();
    let check = xtask(&root, &["--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn a_spec_that_is_not_utf8_is_refused_naming_file_and_offset() {
    let root = scratch("latin1");
    assert!(xtask(&root, &[]).status.success());
    // A change that would alter output files if generation went on.
    let product = root.join("spec/vpc/product.json");
    let ptext = fs::read_to_string(&product).unwrap();
    fs::write(
        &product,
        ptext.replacen("\"description\": \"", "\"description\": \"CHANGED ", 1),
    )
    .unwrap();
    // A Latin-1 `é` in the middle of a description.
    let spec = root.join("spec/vpc/ModifyVpnConnectionAttribute.json");
    let mut bytes = fs::read(&spec).unwrap();
    let marker = b"\"description\": \"";
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .unwrap()
        + marker.len();
    bytes.insert(at, 0xE9);
    fs::write(&spec, &bytes).unwrap();
    let before = snapshot(&root);

    let run = xtask(&root, &[]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "spec/vpc/ModifyVpnConnectionAttribute.json at byte offset {at}"
        )),
        "{err}"
    );
    assert!(err.contains("not UTF-8"), "{err}");
    assert!(err.contains("0xE9"), "{err}");
    assert!(err.contains("save the file as UTF-8"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(snapshot(&root), before, "a refused run changed the tree");
    // --check refuses it the same way.
    let check = xtask(&root, &["--check"]);
    assert_eq!(check.status.code(), Some(2), "{}", stderr(&check));
}

#[test]
fn a_write_failing_part_way_leaves_the_output_as_it_was() {
    let root = scratch("partial");
    assert!(xtask(&root, &[]).status.success());
    // Change the product so that every file changes, then make one of the later targets
    // impossible to write: its folder is replaced by a plain file.
    let product = root.join("spec/vpc/product.json");
    let text = fs::read_to_string(&product).unwrap();
    fs::write(
        &product,
        text.replacen(
            "\"version\": \"2016-04-28\"",
            "\"version\": \"2099-01-01\"",
            1,
        ),
    )
    .unwrap();
    let op_dir = root.join("generated/vpc/src/operation");
    fs::rename(&op_dir, root.join("moved-away")).unwrap();
    fs::write(&op_dir, "not a folder").unwrap();
    let before = snapshot(&root);

    let run = xtask(&root, &[]);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("nothing was changed"),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        snapshot(&root),
        before,
        "a failed run changed or left files behind"
    );
}
