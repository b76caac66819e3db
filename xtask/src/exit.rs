//! The exit codes of `cargo xtask`, declared once: scripts and CI test them, so each number
//! keeps its meaning. `--help` prints the same table ([`Exit::help`]).

use std::process::{ExitCode, Termination};

/// How a task ended, and the process's exit code.
///
/// | code | variant | meaning |
/// |---|---|---|
/// | 0 | [`Exit::Ok`] | success (`--help` too) |
/// | 1 | [`Exit::CheckFailed`] | a check found problems: `codegen --check` found stale, missing or extra files; `import-check`, `check-products` or `compile-cost` found a failing product or build (or no metadata file) |
/// | 2 | [`Exit::BadInput`] | the arguments are wrong, or the specs or the metadata have errors (including a file that is not UTF-8); nothing was written |
/// | 3 | [`Exit::Io`] | a file could not be read, written or removed, or a command could not be run |
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// 0: success.
    Ok = 0,
    /// 1: a check found problems.
    CheckFailed = 1,
    /// 2: wrong arguments, or errors in the specs or the metadata; nothing written.
    BadInput = 2,
    /// 3: a file could not be read or written.
    Io = 3,
}

impl Exit {
    /// Every code, in order.
    pub const ALL: [Exit; 4] = [Exit::Ok, Exit::CheckFailed, Exit::BadInput, Exit::Io];

    /// The process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// What the code means, for `--help`.
    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Ok => "success",
            Exit::CheckFailed => {
                "a check found problems: `codegen --check` found stale, missing or extra files; \
                 `import-check`, `check-products` or `compile-cost` found a failing product or build"
            }
            Exit::BadInput => {
                "wrong arguments, or the specs or the metadata have errors (a file that is not \
                 UTF-8 included); nothing was written"
            }
            Exit::Io => "a file could not be read, written or removed, or a command could not be run",
        }
    }

    /// The table of exit codes, for the end of every `--help`.
    pub fn help() -> String {
        let mut out = String::from("Exit codes:");
        for e in Exit::ALL {
            out.push_str(&format!("\n  {}  {}", e.code(), e.meaning()));
        }
        out
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

impl Termination for Exit {
    fn report(self) -> ExitCode {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_numbers_scripts_rely_on() {
        // README.md, .ci/run and xtask/tests pin these.
        assert_eq!(Exit::Ok.code(), 0);
        assert_eq!(Exit::CheckFailed.code(), 1);
        assert_eq!(Exit::BadInput.code(), 2);
        assert_eq!(Exit::Io.code(), 3);
        let help = Exit::help();
        for e in Exit::ALL {
            assert!(
                help.contains(&format!("  {}  {}", e.code(), e.meaning())),
                "{help}"
            );
        }
    }
}
