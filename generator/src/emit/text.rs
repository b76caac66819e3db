//! Items written as text, not tokens: the most repeated, most regular impls of a crate (the
//! serde impls of every struct).
//!
//! Every other item goes from quote's tokens through syn (a full parse, which is half of
//! generating) to prettyplease. These impls are the same few lines per field in every crate, so
//! they are cheaper to write already formatted, the way prettyplease would print them: about a
//! fifth of a crate's tokens skip the parse. Each travels through the token stream as one item,
//! `__alicloud_text!("…")` (a macro call holding the text as a string literal, which syn does
//! not look into), so it keeps its place among the items around it; [`crate::render`] puts the
//! text in place of the line prettyplease prints for it, writes the prelude's names short in it
//! as in the rest of the file, and lexes the whole file as it does every file.
//!
//! Text items write standard items by their absolute paths (`::std::result::Result`) like the
//! token emitters, and only on lines of a fixed layout: the lines whose length varies (a field's
//! match arm, its serialising call) name no prelude item, so where they are broken does not
//! depend on how the prelude's names end up written.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The macro name of a text item's placeholder.
pub const MARKER: &str = "__alicloud_text";

/// prettyplease's margin: a line whose code is longer is broken (an arm's trailing comma is
/// not counted).
const WIDTH: usize = 89;

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
    if indent + call_len(head, args) + tail.len() <= WIDTH {
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
    if indent + pattern.len() + 4 + call_len(head, args) <= WIDTH {
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
    head.len() + 2 + args.iter().map(|a| a.len()).sum::<usize>() + 2 * args.len().saturating_sub(1)
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
}
