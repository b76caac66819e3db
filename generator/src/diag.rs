//! Diagnostics: every problem of a spec, with the file, the JSON path, what is wrong and how
//! to fix it.

use std::fmt;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something the generator decided that a reader may want to know (a name spelled out to
    /// keep it unique); nothing to do.
    Note,
    /// Generation goes on; the output is still right.
    Warning,
    /// Generation stops; nothing is written.
    Error,
}

/// One problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The spec file, as given to the generator (relative to the repository).
    pub file: String,
    /// JSON path inside the file, e.g. `$.operations[0].parameters[3].type`.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(
            f,
            "{sev}: {}\n  --> {} at {}\n  help: {}",
            self.message, self.file, self.path, self.help
        )
    }
}

/// A list of problems, errors first then warnings, each group in the order found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records an error.
    pub fn error(
        &mut self,
        file: &str,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Severity::Error, file, path, message, help);
    }

    /// Records a note.
    pub fn note(
        &mut self,
        file: &str,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Severity::Note, file, path, message, help);
    }

    /// Records a warning.
    pub fn warning(
        &mut self,
        file: &str,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Severity::Warning, file, path, message, help);
    }

    fn push(
        &mut self,
        severity: Severity,
        file: &str,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.0.push(Diagnostic {
            severity,
            file: file.to_owned(),
            path: path.into(),
            message: message.into(),
            help: help.into(),
        });
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Warning)
    }

    /// Adds all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Sorts errors before warnings, keeping the order found within each (stable).
    pub fn sort(&mut self) {
        self.0.sort_by_key(|d| std::cmp::Reverse(d.severity));
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self
            .0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = self.warnings().count();
        let notes = self.0.len() - errors - warnings;
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        write!(f, "{errors} error(s), {warnings} warning(s)")?;
        if notes > 0 {
            write!(f, ", {notes} note(s)")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
