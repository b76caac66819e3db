//! `cargo xtask import` on the metadata corpus (`tests/data/diagnostics/metadata`): what
//! cannot be imported exits with 2 and writes nothing; untidy metadata is imported with
//! warnings and exits with 0; an unreadable file exits with 3 (README.md, "exit codes"); a
//! byte-order mark is accepted, bytes that are not UTF-8 exit with 2.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn corpus(kind: &str) -> Vec<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let dir = repo.join("tests/data/diagnostics/metadata").join(kind);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn import(input: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("import")
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .expect("xtask runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("import-exit-codes")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn what_cannot_be_imported_exits_with_2_and_writes_nothing() {
    let cases = corpus("fail");
    assert!(cases.len() >= 8, "{} cases", cases.len());
    for input in cases {
        let name = input.file_stem().unwrap().to_string_lossy().into_owned();
        // An existing import folder must be left as it was.
        let out = scratch(&name);
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("Kept.json"), "{}\n").unwrap();
        let o = import(&input, &out);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains("error: "), "{name}: {err}");
        assert!(err.contains(&format!("{name}.json at $")), "{name}: {err}");
        assert!(err.contains("nothing was written"), "{name}: {err}");
        let left: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["Kept.json"], "{name}: the folder changed");
    }
}

#[test]
fn untidy_metadata_is_imported_with_warnings_and_exits_with_0() {
    for input in corpus("warn") {
        let name = input.file_stem().unwrap().to_string_lossy().into_owned();
        let out = scratch(&name);
        let o = import(&input, &out);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert!(
            out.join("product.json").is_file(),
            "{name}: no product.json"
        );
    }
}

#[test]
fn an_unreadable_file_exits_with_3() {
    let out = scratch("unreadable");
    let o = import(&out.join("no-such-file.json"), &out);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!out.exists(), "something was written");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let input = &corpus("warn")[0];
    let plain = scratch("bom-plain");
    assert_eq!(import(input, &plain).status.code(), Some(0));
    let with_bom = scratch("bom");
    let file = scratch("bom-input").with_extension("json");
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    let bytes = fs::read(input).unwrap();
    fs::write(&file, [b"\xEF\xBB\xBF".as_slice(), &bytes].concat()).unwrap();
    let o = import(&file, &with_bom);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let names = |dir: &Path| {
        let mut n: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&with_bom), names(&plain));
    for name in names(&plain) {
        assert_eq!(
            fs::read(with_bom.join(&name)).unwrap(),
            fs::read(plain.join(&name)).unwrap(),
            "{name:?}"
        );
    }
}

#[test]
fn metadata_that_is_not_utf8_exits_with_2_naming_file_and_offset() {
    let out = scratch("latin1");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("Kept.json"), "{}\n").unwrap();
    let input = scratch("latin1-input").with_extension("json");
    let mut bytes = fs::read(&corpus("warn")[0]).unwrap();
    bytes.insert(1, 0xFF);
    fs::write(&input, &bytes).unwrap();
    let o = import(&input, &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("{} at byte offset 1", input.display())),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    let left: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["Kept.json"], "the folder changed");
}
