//! Every file xtask reads or writes goes through here.
//!
//! - [`read_text`]: a text file (spec, metadata, manifest). A UTF-8 byte-order mark is
//!   dropped (editors on Windows add one; JSON parsers refuse it); bytes that are not UTF-8
//!   are an error naming the file and the offset of the first bad byte, never a panic, never
//!   a silently skipped file.
//! - [`unchanged`]: whether a file already holds exactly some content (bytes compared, so an
//!   output file with a stray BOM or bad bytes counts as changed and is rewritten).
//! - [`Changes`] and [`commit`]: a set of writes and removals applied all together or not at
//!   all, as far as the filesystem allows (see [`commit`]).

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use alicloud_codegen::{Diagnostic, Severity};

use crate::exit::Exit;

/// Why a text file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be read at all.
    Io {
        /// The file, as shown to the user.
        file: String,
        /// What the system said.
        error: io::Error,
    },
    /// The file is not UTF-8: the diagnostic names the file and the offset of the first bad byte.
    Encoding(Box<Diagnostic>),
}

impl ReadError {
    /// The exit code this failure calls for: bad bytes are bad input, the rest is I/O.
    pub fn exit(&self) -> Exit {
        match self {
            ReadError::Io { .. } => Exit::Io,
            ReadError::Encoding(_) => Exit::BadInput,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io { file, error } => write!(f, "error: cannot read {file}: {error}"),
            ReadError::Encoding(d) => write!(f, "{d}"),
        }
    }
}

/// The UTF-8 byte-order mark.
const BOM: &str = "\u{feff}";

/// Reads `path` as UTF-8 text, without a leading byte-order mark. `shown` names the file in
/// messages (e.g. the path relative to the repository, as the generator's diagnostics do).
pub fn read_text(path: &Path, shown: &str) -> Result<String, ReadError> {
    let bytes = fs::read(path).map_err(|error| ReadError::Io {
        file: shown.to_owned(),
        error,
    })?;
    decode(bytes, shown)
}

/// UTF-8 bytes to text, without a leading byte-order mark; the offset of the first invalid
/// byte (counted from the start of the file, BOM included) otherwise.
fn decode(bytes: Vec<u8>, shown: &str) -> Result<String, ReadError> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with(BOM) {
                text.drain(..BOM.len());
            }
            Ok(text)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            Err(ReadError::Encoding(Box::new(encoding_diagnostic(
                shown, bytes, offset,
            ))))
        }
    }
}

fn encoding_diagnostic(shown: &str, bytes: &[u8], offset: usize) -> Diagnostic {
    let bad = bytes.get(offset).copied().unwrap_or_default();
    // What precedes the bad byte (valid by definition), to find the spot in an editor.
    let before = std::str::from_utf8(&bytes[..offset])
        .unwrap_or_default()
        .trim_start_matches('\u{feff}');
    let context: String = {
        let tail: Vec<char> = before.chars().rev().take(30).collect();
        tail.into_iter().rev().collect()
    };
    let guess = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        " (it starts like UTF-16)"
    } else {
        ""
    };
    Diagnostic {
        severity: Severity::Error,
        file: shown.to_owned(),
        path: format!("byte offset {offset}"),
        message: format!(
            "the file is not UTF-8{guess}: byte 0x{bad:02X} at offset {offset} is not valid UTF-8, after {context:?}"
        ),
        help: "save the file as UTF-8 (with or without a byte-order mark), e.g. \
               `iconv -f <its encoding> -t UTF-8`"
            .into(),
    }
}

/// A file's text for a log or report: bytes that are not UTF-8 are shown as U+FFFD, and an
/// unreadable file is empty (the caller names the file).
pub fn read_lossy(path: &Path) -> String {
    fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// Whether `path` is a file holding exactly `contents`.
pub fn unchanged(path: &Path, contents: &str) -> bool {
    fs::read(path).is_ok_and(|b| b == contents.as_bytes())
}

/// Files to write (created or replaced) and files to remove, applied by [`commit`].
#[derive(Debug, Default)]
pub struct Changes {
    writes: Vec<(PathBuf, String)>,
    removals: Vec<PathBuf>,
}

impl Changes {
    /// `path` is to hold `contents` (created with its folders if it does not exist).
    pub fn write(&mut self, path: PathBuf, contents: String) {
        self.writes.push((path, contents));
    }

    /// `path` is to be removed.
    pub fn remove(&mut self, path: PathBuf) {
        self.removals.push(path);
    }

    /// How many files are to be written.
    pub fn writes(&self) -> usize {
        self.writes.len()
    }

    /// How many files are to be removed.
    pub fn removals(&self) -> usize {
        self.removals.len()
    }
}

/// Why [`commit`] failed.
#[derive(Debug)]
pub struct CommitError {
    /// What went wrong, naming the file.
    pub message: String,
    /// Whether the tree is as it was before (every change undone, every temporary removed).
    pub rolled_back: bool,
    /// What could not be undone or cleaned up, each naming the file and what to do.
    pub leftovers: Vec<String>,
}

impl fmt::Display for CommitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        for l in &self.leftovers {
            write!(f, "\n  {l}")?;
        }
        Ok(())
    }
}

/// Applies `changes` all together or not at all, as far as the filesystem allows.
///
/// 1. Every new content is written (and synced) to a temporary file beside its target,
///    creating missing folders; a failure here removes the temporaries and the new folders.
/// 2. Each file to replace or remove is renamed aside to a backup beside it, and each
///    temporary renamed onto its target. Renames within a folder are atomic, so at every
///    moment each path holds either its old or its new content. A failure here undoes every
///    rename done, in reverse order: backups go back, created files are removed, then the
///    temporaries and new folders.
/// 3. Only then are the backups deleted.
///
/// Only a crash (or a failure while undoing, reported in [`CommitError::leftovers`]) can
/// leave a temporary or a backup behind; their names end in `.tmp-xtask` and `.bak-xtask`.
pub fn commit(changes: Changes) -> Result<(), CommitError> {
    commit_failing_at(changes, None)
}

/// [`commit`], with the `fail_at`-th rename of step 2 (from 1) failing as if the filesystem
/// had refused it: how the tests check that every failure is undone.
fn commit_failing_at(changes: Changes, fail_at: Option<usize>) -> Result<(), CommitError> {
    let mut tx = Transaction {
        fail_at,
        ..Transaction::default()
    };
    // Names of temporaries and backups must collide neither with each other, nor with files
    // on disk (a leftover of a crash), nor with the paths being changed.
    tx.taken
        .extend(changes.writes.iter().map(|(p, _)| p.clone()));
    tx.taken.extend(changes.removals.iter().cloned());
    for (target, _) in &changes.writes {
        if target.is_dir() {
            return Err(CommitError {
                message: format!(
                    "cannot write {}: it is a folder (move or delete it, then run again)",
                    target.display()
                ),
                rolled_back: true,
                leftovers: Vec::new(),
            });
        }
    }
    let mut staged = Vec::new();
    for (target, contents) in &changes.writes {
        match tx.stage(target, contents) {
            Ok(tmp) => staged.push((tmp, target)),
            Err(e) => {
                return Err(tx.roll_back(format!("cannot write {}: {e}", target.display())));
            }
        }
    }
    for (tmp, target) in staged {
        if let Err(e) = tx.replace(&tmp, target) {
            return Err(tx.roll_back(format!("cannot replace {}: {e}", target.display())));
        }
    }
    for target in &changes.removals {
        if let Err(e) = tx.set_aside(target) {
            return Err(tx.roll_back(format!("cannot remove {}: {e}", target.display())));
        }
    }
    // Committed: the backups are no longer needed.
    let mut leftovers = Vec::new();
    for step in &tx.done {
        if let Step::Aside { backup, .. } = step {
            if let Err(e) = fs::remove_file(backup) {
                leftovers.push(format!(
                    "cannot remove the backup {}: {e} (delete it by hand)",
                    backup.display()
                ));
            }
        }
    }
    if leftovers.is_empty() {
        Ok(())
    } else {
        Err(CommitError {
            message: "every file was written, but some backups remain".into(),
            rolled_back: false,
            leftovers,
        })
    }
}

/// A rename of step 2, undone in reverse order on failure.
#[derive(Debug)]
enum Step {
    /// `path` was renamed to `backup`.
    Aside { path: PathBuf, backup: PathBuf },
    /// A temporary was renamed to `path`, which did not exist or had been set aside.
    Placed { path: PathBuf },
}

#[derive(Debug, Default)]
struct Transaction {
    /// Folders created for new files, parents first.
    created_dirs: Vec<PathBuf>,
    /// Temporaries written and not yet renamed onto their target.
    temps: Vec<PathBuf>,
    /// The renames done, in order.
    done: Vec<Step>,
    /// Paths in use (see `fresh`).
    taken: HashSet<PathBuf>,
    renames: usize,
    fail_at: Option<usize>,
}

impl Transaction {
    /// A path beside `path` ending in `suffix` that no file has and no other part of this
    /// transaction uses.
    fn fresh(&mut self, path: &Path, suffix: &str) -> PathBuf {
        let name = path.file_name().unwrap_or_default();
        for n in 1.. {
            let mut candidate: OsString = name.to_os_string();
            candidate.push(".");
            if n > 1 {
                candidate.push(format!("{n}."));
            }
            candidate.push(suffix);
            let candidate = path.with_file_name(candidate);
            if !self.taken.contains(&candidate) && fs::symlink_metadata(&candidate).is_err() {
                self.taken.insert(candidate.clone());
                return candidate;
            }
        }
        unreachable!("an unbounded range ends")
    }

    /// Creates the missing folders of `dir`, remembering them to remove on failure.
    fn create_dirs(&mut self, dir: &Path) -> io::Result<()> {
        let mut missing = Vec::new();
        let mut d = dir;
        while !d.as_os_str().is_empty() && fs::symlink_metadata(d).is_err() {
            missing.push(d.to_path_buf());
            match d.parent() {
                Some(p) => d = p,
                None => break,
            }
        }
        for m in missing.into_iter().rev() {
            fs::create_dir(&m)?;
            self.created_dirs.push(m);
        }
        Ok(())
    }

    /// Writes `contents` to a temporary beside `target`; returns its path.
    fn stage(&mut self, target: &Path, contents: &str) -> io::Result<PathBuf> {
        if let Some(dir) = target.parent() {
            self.create_dirs(dir)?;
        }
        let tmp = self.fresh(target, "tmp-xtask");
        let mut f = fs::File::create(&tmp)?;
        // Remembered as soon as it exists, so that a half-written temporary is removed too.
        self.temps.push(tmp.clone());
        f.write_all(contents.as_bytes())?;
        f.sync_all()?;
        Ok(tmp)
    }

    /// Every rename of step 2 goes through here, so that a test can make any of them fail.
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        self.renames += 1;
        if self.fail_at == Some(self.renames) {
            return Err(io::Error::other(format!(
                "injected failure at rename {}",
                self.renames
            )));
        }
        fs::rename(from, to)
    }

    /// Puts the staged `tmp` in place of `target`, setting the old file aside first.
    fn replace(&mut self, tmp: &Path, target: &Path) -> io::Result<()> {
        if fs::symlink_metadata(target).is_ok() {
            self.set_aside(target)?;
        }
        self.rename(tmp, target)?;
        self.temps.retain(|t| t != tmp);
        self.done.push(Step::Placed {
            path: target.to_path_buf(),
        });
        Ok(())
    }

    /// Renames `path` to a backup beside it.
    fn set_aside(&mut self, path: &Path) -> io::Result<()> {
        let backup = self.fresh(path, "bak-xtask");
        self.rename(path, &backup)?;
        self.done.push(Step::Aside {
            path: path.to_path_buf(),
            backup,
        });
        Ok(())
    }

    /// Undoes everything done so far; `message` says what failed.
    fn roll_back(mut self, message: String) -> CommitError {
        let mut leftovers = Vec::new();
        while let Some(step) = self.done.pop() {
            match step {
                Step::Placed { path } => {
                    if let Err(e) = fs::remove_file(&path) {
                        leftovers.push(format!(
                            "cannot remove the new {}: {e} (restore it from git)",
                            path.display()
                        ));
                    }
                }
                Step::Aside { path, backup } => {
                    if let Err(e) = fs::rename(&backup, &path) {
                        leftovers.push(format!(
                            "cannot put {} back from {}: {e} (rename it by hand)",
                            path.display(),
                            backup.display()
                        ));
                    }
                }
            }
        }
        for tmp in &self.temps {
            match fs::remove_file(tmp) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => leftovers.push(format!(
                    "cannot remove the temporary {}: {e} (delete it by hand)",
                    tmp.display()
                )),
            }
        }
        for dir in self.created_dirs.iter().rev() {
            if let Err(e) = fs::remove_dir(dir) {
                leftovers.push(format!(
                    "cannot remove the new folder {}: {e} (delete it by hand)",
                    dir.display()
                ));
            }
        }
        CommitError {
            message,
            rolled_back: leftovers.is_empty(),
            leftovers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Every folder and file below `root`, files with their bytes.
    fn snapshot(root: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                let rel = p.strip_prefix(root).unwrap().display().to_string();
                if p.is_dir() {
                    out.insert(rel, None);
                    stack.push(p);
                } else {
                    out.insert(rel, Some(fs::read(&p).unwrap()));
                }
            }
        }
        out
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "alicloud-xtask-files-{}-{name}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::write(dir.join("a.rs"), "old a").unwrap();
        fs::write(dir.join("sub/c.rs"), "old c").unwrap();
        fs::write(dir.join("gone.rs"), "gone").unwrap();
        fs::write(dir.join("kept.rs"), "kept").unwrap();
        // A leftover of a crashed run, with the name a backup of `a.rs` would take first.
        fs::write(dir.join("a.rs.bak-xtask"), "leftover").unwrap();
        dir
    }

    /// Replaces two files, creates two (one in new folders), removes one: 7 renames.
    fn changes(dir: &Path) -> Changes {
        let mut c = Changes::default();
        c.write(dir.join("a.rs"), "new a".into());
        c.write(dir.join("sub/c.rs"), "new c".into());
        c.write(dir.join("new/deeper/d.rs"), "new d".into());
        c.write(dir.join("sub/e.rs"), "new e".into());
        c.remove(dir.join("gone.rs"));
        c
    }
    const RENAMES: usize = 7;

    #[test]
    fn a_failure_at_any_rename_leaves_the_tree_as_it_was() {
        // The first, every middle one and the last.
        for k in 1..=RENAMES {
            let dir = scratch(&format!("fail-{k}"));
            let before = snapshot(&dir);
            let err = commit_failing_at(changes(&dir), Some(k)).unwrap_err();
            assert!(
                err.message
                    .contains(&format!("injected failure at rename {k}")),
                "rename {k}: {err}"
            );
            assert!(err.rolled_back, "rename {k}: {err}");
            assert_eq!(
                snapshot(&dir),
                before,
                "rename {k} failing changed the tree"
            );
            fs::remove_dir_all(&dir).unwrap();
        }
    }

    #[test]
    fn without_a_failure_every_change_is_made_and_nothing_else() {
        let dir = scratch("ok");
        // One past the last rename: no rename fails, which also proves RENAMES is the count.
        commit_failing_at(changes(&dir), Some(RENAMES + 1)).unwrap();
        let after = snapshot(&dir);
        let expect: BTreeMap<String, Option<Vec<u8>>> = [
            ("a.rs", Some("new a")),
            ("a.rs.bak-xtask", Some("leftover")),
            ("kept.rs", Some("kept")),
            ("new", None),
            ("new/deeper", None),
            ("new/deeper/d.rs", Some("new d")),
            ("sub", None),
            ("sub/c.rs", Some("new c")),
            ("sub/e.rs", Some("new e")),
        ]
        .into_iter()
        .map(|(p, c)| (p.to_owned(), c.map(|c| c.as_bytes().to_vec())))
        .collect();
        assert_eq!(after, expect);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failure_while_staging_removes_the_temporaries_and_new_folders() {
        let dir = scratch("stage");
        let before = snapshot(&dir);
        let mut c = changes(&dir);
        // A file's folder is a plain file: its staging fails after others were staged.
        c.write(dir.join("kept.rs/x.rs"), "x".into());
        let err = commit(c).unwrap_err();
        assert!(err.message.contains("kept.rs"), "{err}");
        assert!(err.rolled_back, "{err}");
        assert_eq!(snapshot(&dir), before);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_folder_in_place_of_a_file_is_refused_before_anything_is_written() {
        let dir = scratch("folder");
        let before = snapshot(&dir);
        let mut c = changes(&dir);
        c.write(dir.join("sub"), "x".into());
        let err = commit(c).unwrap_err();
        assert!(err.message.contains("it is a folder"), "{err}");
        assert_eq!(snapshot(&dir), before);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn text_without_bom_and_bad_bytes_located() {
        assert_eq!(decode(b"\xEF\xBB\xBF{}".to_vec(), "x.json").unwrap(), "{}");
        assert_eq!(decode(b"{}".to_vec(), "x.json").unwrap(), "{}");
        // Only one BOM is dropped: a second is content.
        assert_eq!(
            decode(b"\xEF\xBB\xBF\xEF\xBB\xBF{}".to_vec(), "x.json").unwrap(),
            "\u{feff}{}"
        );
        let err = decode(b"\xEF\xBB\xBF{\"a\": \"caf\xE9\"}".to_vec(), "spec/x.json").unwrap_err();
        assert_eq!(err.exit(), Exit::BadInput);
        let shown = err.to_string();
        assert!(shown.contains("spec/x.json at byte offset 13"), "{shown}");
        assert!(shown.contains("0xE9"), "{shown}");
        assert!(shown.contains(r#"after "{\"a\": \"caf""#), "{shown}");
        let utf16 = decode(b"\xFF\xFE{\x00".to_vec(), "u.json").unwrap_err();
        assert!(utf16.to_string().contains("UTF-16"), "{utf16}");
        assert!(utf16.to_string().contains("offset 0"), "{utf16}");
    }
}
