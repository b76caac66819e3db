//! Items written as text, not tokens: the most repeated, most regular impls of a crate (the
//! serde impls of every struct, and every builder's setters, `peek` and `build`).
//!
//! Every other item goes from quote's tokens through syn (a full parse, which was half of
//! generating) to prettyplease. These impls are the same few lines per field in every crate, so
//! they are cheaper to write already formatted, the way prettyplease would print them: about
//! 40 % of a crate's tokens skip the parse. Each travels through the token stream as one item,
//! `__alicloud_text!("…")` (a macro call holding the text as a string literal, which syn does
//! not look into), so it keeps its place among the items around it; [`crate::render`] puts the
//! text in place of the line prettyplease prints for it, writes the prelude's names short in it
//! as in the rest of the file, and lexes the whole file as it does every file.
//!
//! Prelude names are written either by their absolute paths on lines of a fixed layout (the
//! serde impls), or marked ([`std()`](fn@std)) where the layout depends on their length: lines are then
//! laid out for the short names, which nearly every crate writes. Where a line would need a
//! layout these helpers do not write ([`signature`] says `None`), the emitter writes tokens
//! instead, so an odd name costs speed, never a badly formatted file. The output is byte for
//! byte what the tokens gave for Vpc, CS, STS and the synthetic products; crates that shadow a
//! prelude name (the obstacle course) get some signatures on one longer line.

use std::fmt::Write as _;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The macro name of a text item's placeholder.
pub const MARKER: &str = "__alicloud_text";

/// prettyplease's margin: a line whose code is longer is broken (an arm's trailing comma is
/// not counted).
pub const WIDTH: usize = 89;

/// Marks a prelude name in a text item (`\u{F8FF}Option`): when the file is put together it
/// becomes the short name, or the absolute path where the crate has an item of that name
/// ([`crate::prelude::Prelude::shorten_text`]). Lines are laid out for the short names, as
/// they are written in nearly every crate.
pub const STD: char = '\u{F8FF}';

/// A marked prelude name (see [`STD`]).
pub fn std(name: &str) -> String {
    format!("{STD}{name}")
}

/// The width of `s` as printed with prelude names short.
pub fn width(s: &str) -> usize {
    s.chars().filter(|c| *c != STD).count()
}

/// A text item, as the placeholder that carries it through the file's token stream.
pub fn item(text: &str) -> TokenStream {
    let lit = Literal::string(text);
    quote!(__alicloud_text!(#lit);)
}

/// `s` as a Rust string literal.
pub fn lit(s: &str) -> String {
    Literal::string(s).to_string()
}

/// Writes `{head}({args}){tail}` at `indent` spaces: on one line when it fits, else with one
/// argument per line and a trailing comma, as prettyplease writes a call that does not fit.
pub fn call(out: &mut String, indent: usize, head: &str, args: &[&str], tail: &str) {
    pad(out, indent);
    out.push_str(head);
    out.push('(');
    if indent + call_len(head, args) + width(tail) <= WIDTH {
        out.push_str(&args.join(", "));
    } else {
        out.push('\n');
        for a in args {
            pad(out, indent + 4);
            out.push_str(a);
            out.push_str(",\n");
        }
        pad(out, indent);
    }
    out.push(')');
    out.push_str(tail);
    out.push('\n');
}

/// Writes a match arm `{pattern} => {call},` at `indent`: on one line when it fits, else the
/// call alone in a block, as prettyplease does.
pub fn arm(out: &mut String, indent: usize, pattern: &str, head: &str, args: &[&str]) {
    if indent + width(pattern) + 4 + call_len(head, args) <= WIDTH {
        pad(out, indent);
        out.push_str(pattern);
        out.push_str(" => ");
        out.push_str(head);
        out.push('(');
        out.push_str(&args.join(", "));
        out.push_str("),\n");
    } else {
        pad(out, indent);
        out.push_str(pattern);
        out.push_str(" => {\n");
        call(out, indent + 4, head, args, "");
        pad(out, indent);
        out.push_str("}\n");
    }
}

/// The length of `{head}({args})` on one line.
fn call_len(head: &str, args: &[&str]) -> usize {
    width(head)
        + 2
        + args.iter().map(|a| width(a)).sum::<usize>()
        + 2 * args.len().saturating_sub(1)
}

/// Writes a function's signature and opening brace at `indent` (`{head}({params}) -> {ret} {`)
/// as prettyplease lays it out: on one line when it fits; else a parameter per line and
/// `) -> {ret} {`, the return type's generic arguments a line each when that does not fit
/// either. `None`, with nothing written, for what this does not lay out (a parameter line that
/// does not fit, nested generic arguments to break): the caller writes tokens instead.
pub fn signature(
    out: &mut String,
    indent: usize,
    head: &str,
    params: &[&str],
    ret: Option<&str>,
) -> Option<()> {
    let arrow = ret.map_or(String::new(), |r| format!(" -> {r}"));
    if indent + width(head) + 2 + params.iter().map(|p| width(p) + 2).sum::<usize>()
        - 2 * usize::from(!params.is_empty())
        + width(&arrow)
        + 2
        <= WIDTH
    {
        pad(out, indent);
        let _ = writeln!(out, "{head}({}){arrow} {{", params.join(", "));
        return Some(());
    }
    if params.iter().any(|p| indent + 4 + width(p) + 1 > WIDTH) {
        return None;
    }
    let mut s = String::new();
    pad(&mut s, indent);
    s.push_str(head);
    s.push_str("(\n");
    for p in params {
        pad(&mut s, indent + 4);
        s.push_str(p);
        s.push_str(",\n");
    }
    pad(&mut s, indent);
    if indent + 1 + width(&arrow) + 2 <= WIDTH {
        let _ = writeln!(s, "){arrow} {{");
    } else {
        // `Name<A, B>` with A and B free of generics: a line each.
        let r = ret?;
        let (name, args) = r.strip_suffix('>')?.split_once('<')?;
        if args.contains('<') {
            return None;
        }
        let _ = writeln!(s, ") -> {name}<");
        for a in args.split(", ") {
            if indent + 4 + width(a) + 1 > WIDTH {
                return None;
            }
            pad(&mut s, indent + 4);
            s.push_str(a);
            s.push_str(",\n");
        }
        pad(&mut s, indent);
        s.push_str("> {\n");
    }
    out.push_str(&s);
    Some(())
}

/// Writes the first line of a trait impl, `{head} for {ty} {`, or two lines (`for {ty} {` on
/// the second) when it does not fit, as prettyplease does.
pub fn impl_header(out: &mut String, head: &str, ty: &str) {
    out.push_str(head);
    out.push_str(if head.len() + 5 + ty.len() + 2 <= WIDTH {
        " for "
    } else {
        "\nfor "
    });
    out.push_str(ty);
    out.push_str(" {\n");
}

/// `n` spaces.
pub fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_stays_on_one_line_while_it_fits() {
        let mut out = String::new();
        call(&mut out, 8, "f", &["&mut m", "\"K\"", "&self.k"], "?;");
        assert_eq!(out, "        f(&mut m, \"K\", &self.k)?;\n");
    }

    #[test]
    fn a_call_that_does_not_fit_takes_a_line_per_argument() {
        let long = "x".repeat(70);
        let mut out = String::new();
        call(&mut out, 8, "f", &["&mut m", &long], "?;");
        assert_eq!(
            out,
            format!("        f(\n            &mut m,\n            {long},\n        )?;\n")
        );
        assert!(out.lines().all(|l| l.len() <= WIDTH), "{out}");
    }

    #[test]
    fn an_arm_that_does_not_fit_holds_its_call_in_a_block() {
        let mut out = String::new();
        arm(&mut out, 12, "\"A\"", "g", &["map", "&mut self.a"]);
        assert_eq!(out, "            \"A\" => g(map, &mut self.a),\n");
        let field = format!("&mut self.{}", "a".repeat(54));
        let mut out = String::new();
        arm(&mut out, 12, "\"A\"", "g", &["map", &field]);
        assert_eq!(
            out,
            format!("            \"A\" => {{\n                g(map, {field})\n            }}\n")
        );
    }

    #[test]
    fn the_placeholder_carries_the_text_intact() {
        let text = "impl X {\n    const A: &str = \"q\\\"\";\n}\n";
        let tokens = item(text);
        let mac: syn::ItemMacro = syn::parse2(tokens).unwrap();
        assert!(mac.mac.path.is_ident(MARKER));
        let back: syn::LitStr = syn::parse2(mac.mac.tokens).unwrap();
        assert_eq!(back.value(), text);
    }

    #[test]
    fn signatures_are_laid_out_as_prettyplease_does() {
        let mut out = String::new();
        signature(&mut out, 4, "pub fn peek", &["&self"], Some("&Req")).unwrap();
        assert_eq!(out, "    pub fn peek(&self) -> &Req {\n");
        // Too long for one line: the parameters a line each, the return type after them.
        let ret = format!(
            "{}<{}, ::alicloud_runtime::BuildError>",
            std("Result"),
            "R".repeat(30)
        );
        let mut out = String::new();
        signature(&mut out, 4, "pub fn build", &["self"], Some(&ret)).unwrap();
        assert_eq!(
            out,
            format!("    pub fn build(\n        self,\n    ) -> {ret} {{\n",)
        );
        // The return type too long as well: its arguments a line each.
        let ret = format!(
            "{}<{}, ::alicloud_runtime::BuildError>",
            std("Result"),
            "R".repeat(60)
        );
        let mut out = String::new();
        signature(&mut out, 4, "pub fn build", &["self"], Some(&ret)).unwrap();
        assert_eq!(
            out,
            format!(
                "    pub fn build(\n        self,\n    ) -> {}<\n        {},\n        ::alicloud_runtime::BuildError,\n    > {{\n",
                std("Result"),
                "R".repeat(60)
            )
        );
        // Marked names count as short.
        assert_eq!(width(&std("Option")), 6);
        // What it does not lay out writes nothing.
        let mut out = String::new();
        let param = format!("value: {}", "V".repeat(90));
        assert!(signature(&mut out, 4, "pub fn f", &["mut self", &param], Some("Self")).is_none());
        let nested = format!("A<B<{}>, C>", "x".repeat(90));
        assert!(signature(&mut out, 4, "pub fn f", &["self"], Some(&nested)).is_none());
        assert!(out.is_empty());
    }
}
