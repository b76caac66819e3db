//! Rules of ARCHITECTURE.md that a machine can check: every hand-written Rust file starts with
//! a module doc, and the files of the generator, the rules crate and the runtime import each
//! other without cycles (a module's `mod.rs` declares and re-exports its children; children
//! import their siblings by path, never items of their parent).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use alicloud_tests::repo_root;

/// Folders of hand-written Rust code, relative to the repository.
const HAND_WRITTEN: &[&str] = &[
    "benches",
    "emulator",
    "fuzz/fuzz_targets",
    "generator",
    "rules",
    "runtime",
    "tests/src",
    "tests/tests",
    "xtask",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_hand_written_rust_file_starts_with_a_module_doc() {
    let root = repo_root();
    let mut files = Vec::new();
    for d in HAND_WRITTEN {
        rust_files(&root.join(d), &mut files);
    }
    assert!(files.len() > 100, "found only {} files", files.len());
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            !first.starts_with("//!")
        })
        .map(|f| f.strip_prefix(&root).unwrap_or(f).display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not start with a `//!` module doc: {missing:#?}"
    );
}

/// The module path of each file below `src` (`emit/shape.rs` → `emit::shape`; `lib.rs` → ``).
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files
        .into_iter()
        .filter_map(|f| {
            let rel = f.strip_prefix(src).ok()?.with_extension("");
            let mut segs: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                segs.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                segs.pop();
            }
            Some((segs, f))
        })
        .collect()
}

/// `use` trees expanded into paths: `use a::{b, c::{d, e}};` → `a::b`, `a::c::d`, `a::c::e`.
fn expand_use(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim_end_matches("::");
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_use(&inner[start..i], &format!("{prefix}{head}::"), out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand_use(&inner[start..], &format!("{prefix}{head}::"), out);
    } else if !tree.is_empty() {
        let path = tree.split(" as ").next().unwrap_or(tree).trim();
        out.push(format!("{prefix}{path}"));
    }
}

/// The length of the literal or comment starting at `i`, if one does: `// …`, `/* … */`,
/// `"…"`, `r#"…"#`, `'x'`.
fn skip_len(code: &str, i: usize) -> Option<usize> {
    let rest = &code[i..];
    let b = rest.as_bytes();
    if rest.starts_with("//") {
        return Some(rest.find('\n').unwrap_or(rest.len()));
    }
    if rest.starts_with("/*") {
        return Some(rest.find("*/").map_or(rest.len(), |e| e + 2));
    }
    if let Some(raw) = rest.strip_prefix("r#\"") {
        return Some(raw.find("\"#").map_or(rest.len(), |e| e + 5));
    }
    if rest.starts_with('"') {
        let mut j = 1;
        while j < b.len() && b[j] != b'"' {
            j += if b[j] == b'\\' { 2 } else { 1 };
        }
        return Some((j + 1).min(b.len()));
    }
    if b.first() == Some(&b'\'') {
        // A char literal (`'x'`, `'\n'`); a lifetime has no closing quote.
        if b.get(2) == Some(&b'\'') {
            return Some(3);
        }
        if b.get(1) == Some(&b'\\') && b.get(3) == Some(&b'\'') {
            return Some(4);
        }
    }
    None
}

/// `code` without comments, literals and `quote!` invocations: what they hold is text, or
/// code of the generated crate (`crate::types::…` there is not ours).
fn scrub(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut i = 0;
    while i < code.len() {
        if let Some(n) = skip_len(code, i) {
            out.push(' ');
            i += n;
            continue;
        }
        if code[i..].starts_with("quote!") {
            let after = &code[i + "quote!".len()..];
            let open = code.len() - after.trim_start().len();
            let d = code.as_bytes().get(open).copied();
            let close = match d {
                Some(b'(') => b')',
                Some(b'{') => b'}',
                Some(b'[') => b']',
                _ => b'\0',
            };
            if close != b'\0' {
                let mut depth = 0;
                let mut j = open;
                while j < code.len() {
                    if let Some(n) = skip_len(code, j) {
                        j += n;
                        continue;
                    }
                    let c = code.as_bytes()[j];
                    if Some(c) == d {
                        depth += 1;
                    } else if c == close {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                out.push(' ');
                i = j + 1;
                continue;
            }
        }
        let c = code[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The offset of the `}` closing the block that opens at `open` (a `{` in scrubbed code).
fn block_end(code: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    for (j, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + j);
                }
            }
            _ => {}
        }
    }
    None
}

/// Every module path a file names (`crate::…`, `super::…`, `self::…`, `mod x;`), outside its
/// test module, resolved to module paths.
fn named_paths(module: &[String], text: &str) -> Vec<Vec<String>> {
    let mut code = scrub(text);
    // Test modules (`#[cfg(test)] mod tests { … }`) may import anything.
    while let Some(at) = code.find("#[cfg(test)]") {
        let Some(open) = code[at..].find('{').map(|o| at + o) else {
            code.truncate(at);
            break;
        };
        let end = block_end(&code, open).map_or(code.len(), |e| e + 1);
        code.replace_range(at..end, " ");
    }
    // Inline modules (`mod object { … }`): their `super::`/`self::` paths stay in this file.
    let mut inline: Vec<(usize, usize)> = Vec::new();
    for (i, _) in code.match_indices("mod ") {
        let head: String = code[i + 4..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$' || c.is_whitespace())
            .collect();
        let open = i + 4 + head.len();
        if code[open..].starts_with('{') {
            if let Some(end) = block_end(&code, open) {
                inline.push((open, end));
            }
        }
    }
    let in_inline = |at: usize| inline.iter().any(|(a, b)| (*a..*b).contains(&at));
    let mut raw: Vec<String> = Vec::new();
    let visibility = |t: &str| -> String {
        let t = t.trim_start();
        for v in ["pub(crate) ", "pub(super) ", "pub "] {
            if let Some(rest) = t.strip_prefix(v) {
                return rest.to_owned();
            }
        }
        t.to_owned()
    };
    let mut offset = 0;
    for stmt in code.split(';') {
        let at = offset;
        offset += stmt.len() + 1;
        let lines: Vec<&str> = stmt.lines().collect();
        if let Some(k) = lines
            .iter()
            .rposition(|l| visibility(l).starts_with("use "))
        {
            let text = visibility(&lines[k..].join(" "));
            let mut paths = Vec::new();
            expand_use(&text["use ".len()..], "", &mut paths);
            let inside = in_inline(at + stmt.len().saturating_sub(1));
            raw.extend(
                paths
                    .into_iter()
                    .filter(|p| !inside || p.starts_with("crate::")),
            );
        }
        if let Some(last) = lines.last().map(|l| visibility(l)) {
            if let Some(name) = last.strip_prefix("mod ") {
                if !name.contains('{') {
                    raw.push(format!("self::{}", name.trim()));
                }
            }
        }
    }
    // Paths in code (`crate::names::Name::camel(..)`).
    for (i, _) in code.match_indices("crate::") {
        if i > 0 && code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest: String = code[i..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        raw.push(rest);
    }
    // `self` is the file's own module; for `foo.rs` and `foo/mod.rs` alike, `super` is the
    // module above it.
    raw.into_iter()
        .filter_map(|p| {
            let segs: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
            let (first, rest) = segs.split_first()?;
            let mut base: Vec<String> = match *first {
                "crate" => Vec::new(),
                "self" => module.to_vec(),
                "super" => module[..module.len().saturating_sub(1)].to_vec(),
                _ => return None,
            };
            let mut rest = rest.iter().peekable();
            while rest.peek() == Some(&&"super") {
                base.pop();
                rest.next();
            }
            base.extend(rest.map(|s| (*s).to_owned()));
            Some(base)
        })
        .collect()
}

fn cycles_in(src: &Path) -> Vec<String> {
    let mods = modules(src);
    let mut edges: BTreeMap<&Vec<String>, BTreeSet<&Vec<String>>> = BTreeMap::new();
    for (m, file) in &mods {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for path in named_paths(m, &text) {
            // The deepest module the path names; the crate root only for `crate::Item` (a
            // longer path that names no module is a path of generated code in a `quote!`).
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| mods.contains_key(p))
                .filter(|t| !t.is_empty() || path.len() == 1);
            if let Some(t) = target {
                let (t, _) = mods.get_key_value(&t).expect("present");
                if t != m {
                    edges.entry(m).or_default().insert(t);
                }
            }
        }
    }
    // Every cycle through each module, found by depth-first search.
    let mut found = BTreeSet::new();
    for start in edges.keys() {
        let mut stack = vec![(*start, vec![*start])];
        let mut seen = BTreeSet::new();
        while let Some((node, trail)) = stack.pop() {
            for next in edges.get(node).into_iter().flatten() {
                if next == start {
                    let names: Vec<String> = trail
                        .iter()
                        .chain([start])
                        .map(|m| {
                            if m.is_empty() {
                                "crate".into()
                            } else {
                                m.join("::")
                            }
                        })
                        .collect();
                    found.insert(names.join(" -> "));
                } else if seen.insert(*next) {
                    let mut t = trail.clone();
                    t.push(next);
                    stack.push((next, t));
                }
            }
        }
    }
    found.into_iter().collect()
}

#[test]
fn no_file_imports_another_that_imports_it_back() {
    let root = repo_root();
    for crate_src in ["runtime/src", "rules/src", "generator/src"] {
        let src = root.join(crate_src);
        assert!(
            modules(&src).len() > 1 || crate_src == "rules/src",
            "{crate_src}: no files"
        );
        let cycles = cycles_in(&src);
        assert!(
            cycles.is_empty(),
            "{crate_src} has file-level import cycles (see ARCHITECTURE.md for how to break them):\n{}",
            cycles.join("\n")
        );
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    // The checker must be able to fail: a parent whose child imports the parent's own item.
    let dir = std::env::temp_dir().join(format!("arch-cycle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("a")).expect("temp dir");
    std::fs::write(dir.join("lib.rs"), "//! x\nmod a;\n").expect("write");
    std::fs::write(
        dir.join("a/mod.rs"),
        "//! a\nmod b;\npub use b::B;\npub struct A;\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("a/b.rs"),
        "//! b\nuse super::A;\npub struct B(A);\n",
    )
    .expect("write");
    let cycles = cycles_in(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        cycles,
        ["a -> a::b -> a", "a::b -> a -> a::b"],
        "{cycles:?}"
    );
}
