//! Progress of multi-product runs (`import-check`, `check-products`, `generate` of a folder),
//! and the table each ends with.
//!
//! The bar is drawn on standard error, and only when standard error is a terminal: in CI or
//! when piped, there is no bar at all (no control characters in logs), only the plain lines.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `len` steps named `what`, hidden when standard error is not a terminal.
pub fn bar(len: usize, what: &str) -> ProgressBar {
    bar_for(len, what, std::io::stderr().is_terminal())
}

/// A bar of `len` steps, drawn only when `terminal`.
pub fn bar_for(len: usize, what: &str, terminal: bool) -> ProgressBar {
    if !terminal {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    // The template is a constant: should it not parse, the default style does as well.
    if let Ok(style) =
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {elapsed} {wide_msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(what.to_owned());
    bar
}

/// Prints a line above the bar (or plainly, when there is none).
pub fn line(bar: &ProgressBar, text: &str) {
    if bar.is_hidden() {
        println!("{text}");
    } else {
        bar.println(text);
    }
}

/// A Markdown table: the header, then the rows, columns separated by `|`.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n|", header.join(" | "));
    for _ in header {
        out.push_str("---|");
    }
    out.push('\n');
    for r in rows {
        out.push_str(&format!("| {} |\n", r.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_bar_outside_a_terminal() {
        let bar = bar_for(3, "generate", false);
        assert!(bar.is_hidden());
        bar.inc(1);
        bar.finish_and_clear();
    }

    #[test]
    fn a_bar_in_a_terminal() {
        // Drawn to stderr; in a test harness stderr is captured, the bar itself exists.
        let bar = bar_for(3, "generate", true);
        assert_eq!(bar.length(), Some(3));
        bar.inc(2);
        assert_eq!(bar.position(), 2);
        bar.finish_and_clear();
    }

    #[test]
    fn tables_are_markdown() {
        let t = table(&["a", "b"], &[vec!["1".into(), "2".into()]]);
        assert_eq!(t, "| a | b |\n|---|---|\n| 1 | 2 |\n");
    }
}
