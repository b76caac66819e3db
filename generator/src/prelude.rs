//! Prelude names written short where nothing can shadow them.
//!
//! The emitters write every standard item by its absolute path (`::std::option::Option::Some`),
//! so that a product's own type named `Option`, `Result` or `String` (the obstacle course has
//! them) never stands in for the standard one. Those paths were 42 % of the tokens of a
//! generated crate, and every token is parsed, printed and compiled again. [`Prelude`] turns
//! them back into the prelude's short names (`Some`) in one pass over each file's tokens,
//! before it is parsed, for each name the crate cannot shadow: no item the model names (shape,
//! builder, request, response, error and waiter types) has the name
//! ([`Prelude::for_product`]). Generated code imports nothing by glob, so only a module's own
//! items could shadow the prelude there; every parsed file is then checked
//! ([`Prelude::check`]) to define and import no name written short and no glob, which guards
//! against an item the emitters name themselves (a generator bug, reported as such).
//!
//! Only standard items the Rust 2021 prelude brings into every module are shortened (their
//! short and absolute paths name the same item), and only at the start of a path (`::std`
//! after anything but a path segment), outside `use` declarations.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use proc_macro2::{Group, Punct, Spacing, TokenStream, TokenTree};

use crate::model::ProductModel;

/// The standard items of the prelude that may be written short: `::std::<module>::<item>`.
const ITEMS: [(&str, &str); 21] = [
    ("option", "Option"),
    ("result", "Result"),
    ("string", "String"),
    ("string", "ToString"),
    ("vec", "Vec"),
    ("boxed", "Box"),
    ("borrow", "ToOwned"),
    ("default", "Default"),
    ("clone", "Clone"),
    ("convert", "From"),
    ("convert", "Into"),
    ("convert", "TryFrom"),
    ("convert", "TryInto"),
    ("convert", "AsRef"),
    ("convert", "AsMut"),
    ("iter", "Iterator"),
    ("iter", "IntoIterator"),
    ("iter", "Extend"),
    ("iter", "FromIterator"),
    ("marker", "Send"),
    ("marker", "Sync"),
];

/// The enum variants of the prelude: `::std::<module>::<enum>::<variant>`.
const VARIANTS: [(&str, &str); 4] = [
    ("Option", "Some"),
    ("Option", "None"),
    ("Result", "Ok"),
    ("Result", "Err"),
];

/// Keywords that can stand before a path: `::std` after any other identifier continues a
/// path (`a::std::…`), which is left alone.
const BEFORE_PATH: &[&str] = &[
    "as", "break", "const", "continue", "dyn", "else", "enum", "extern", "fn", "for", "if", "impl",
    "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
    "trait", "type", "unsafe", "where", "while", "yield", "async", "await",
];

/// Which prelude names a crate writes short (see the module docs).
#[derive(Clone, Debug, Default)]
pub struct Prelude {
    /// The names the crate's items take, which keep their absolute paths.
    taken: BTreeSet<String>,
    /// Nothing is shortened (absolute paths everywhere).
    off: bool,
}

impl Prelude {
    /// The prelude of a product's crate: every name written short but those of the items its
    /// model names.
    pub fn for_product(model: &ProductModel) -> Prelude {
        let mut taken = BTreeSet::new();
        for s in &model.shapes {
            taken.insert(s.rust.as_str().to_owned());
            taken.insert(s.builder.as_str().to_owned());
        }
        for op in &model.operations {
            for n in [
                &op.request_type,
                &op.builder_type,
                &op.response_type,
                &op.error_type,
            ] {
                taken.insert(n.as_str().to_owned());
            }
            for w in &op.waiters {
                taken.insert(w.rust.as_str().to_owned());
            }
        }
        Prelude { taken, off: false }
    }

    /// No name written short: the tokens are left as they are.
    pub fn off() -> Prelude {
        Prelude {
            taken: BTreeSet::new(),
            off: true,
        }
    }

    /// Whether the crate may write `name` short (before looking at a file).
    pub fn short(&self, name: &str) -> bool {
        !self.off
            && !self.taken.contains(name)
            && (ITEMS.iter().any(|(_, i)| *i == name) || VARIANTS.iter().any(|(_, v)| *v == name))
    }

    /// `tokens` (one file's) with the absolute paths of the prelude names this crate may
    /// write short written short. [`Prelude::check`] then makes sure the file defines none.
    pub fn shorten(&self, tokens: TokenStream) -> TokenStream {
        let allowed: Vec<&str> = ITEMS
            .iter()
            .map(|(_, i)| *i)
            .chain(VARIANTS.iter().map(|(_, v)| *v))
            .filter(|n| self.short(n))
            .collect();
        if allowed.is_empty() {
            return tokens;
        }
        rewrite(tokens, &allowed)
    }

    /// `text` (a text item's, see [`crate::emit::text`]) with the absolute paths of the
    /// prelude names this crate may write short written short, as [`Prelude::shorten`] does
    /// for tokens. Text items write `::std::` only to start a path and never in a `use`.
    /// Prelude names marked by [`crate::emit::text::std`] become the short name, or the
    /// absolute path where the crate cannot write it short; a mark before anything but a
    /// prelude name is left for the caller to report.
    pub fn shorten_text(&self, text: &str) -> String {
        let text = unmark(text);
        if self.off {
            return text;
        }
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        let segment = |s: &str| s.find(|c: char| !ident(c)).unwrap_or(s.len());
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find("::std::") {
            out.push_str(&rest[..at]);
            let path = &rest[at + "::std::".len()..];
            let module = &path[..segment(path)];
            let after = &path[module.len()..];
            let item = after.strip_prefix("::").map(|a| &a[..segment(a)]);
            // The rule of `short_path` for tokens: the variant short when it may be, else the
            // item short when it may be (`Result::Ok`), else the whole path as it is.
            let short = item
                .filter(|i| {
                    !out.ends_with(|c: char| ident(c) || c == ':')
                        && ITEMS.iter().any(|(m, it)| m == &module && it == i)
                })
                .and_then(|item| {
                    let tail = &after[2 + item.len()..];
                    let variant = tail.strip_prefix("::").map(|v| &v[..segment(v)]);
                    match variant.filter(|v| {
                        VARIANTS.iter().any(|(e, n)| *e == item && n == v) && self.short(v)
                    }) {
                        Some(v) => Some((v, module.len() + 4 + item.len() + v.len())),
                        None => self
                            .short(item)
                            .then_some((item, module.len() + 2 + item.len())),
                    }
                });
            match short {
                Some((name, len)) => {
                    out.push_str(name);
                    rest = &path[len..];
                }
                None => {
                    out.push_str("::std::");
                    rest = path;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// What in `file` could shadow a name this crate writes short, or `None`: an item (at
    /// any depth of modules, function bodies and blocks) or an import of that name, or a glob
    /// import. The crate's names come from its model ([`Prelude::for_product`]); this guards
    /// against an item the emitters name themselves, which would be a generator bug.
    pub fn check(&self, file: &syn::File) -> Option<String> {
        if self.off {
            return None;
        }
        let mut problem = None;
        items(&file.items, &mut |name: Option<&syn::Ident>| {
            if problem.is_some() {
                return;
            }
            match name {
                None => problem = Some("a glob import".to_owned()),
                Some(n) => {
                    let n = n.to_string();
                    if self.short(&n) {
                        problem = Some(format!("an item or import named `{n}`"));
                    }
                }
            }
        });
        problem.map(|p| {
            format!("{p} would shadow a prelude name written short (see generator/src/prelude.rs)")
        })
    }
}

/// Calls `found` with the name of every item of `items` (and of the items nested in them),
/// and with `None` for a glob import.
fn items(items: &[syn::Item], found: &mut dyn FnMut(Option<&syn::Ident>)) {
    use syn::Item;
    for item in items {
        match item {
            Item::Struct(i) => found(Some(&i.ident)),
            Item::Enum(i) => found(Some(&i.ident)),
            Item::Union(i) => found(Some(&i.ident)),
            Item::Type(i) => found(Some(&i.ident)),
            Item::Trait(i) => {
                found(Some(&i.ident));
                for t in &i.items {
                    if let syn::TraitItem::Fn(f) = t {
                        if let Some(b) = &f.default {
                            block(b, found);
                        }
                    }
                }
            }
            Item::TraitAlias(i) => found(Some(&i.ident)),
            Item::Const(i) => {
                found(Some(&i.ident));
                expr(&i.expr, found);
            }
            Item::Static(i) => {
                found(Some(&i.ident));
                expr(&i.expr, found);
            }
            Item::ExternCrate(i) => found(Some(i.rename.as_ref().map_or(&i.ident, |r| &r.1))),
            Item::Fn(f) => {
                found(Some(&f.sig.ident));
                block(&f.block, found);
            }
            Item::Mod(m) => {
                found(Some(&m.ident));
                if let Some((_, inner)) = &m.content {
                    self::items(inner, found);
                }
            }
            Item::Macro(m) => {
                if let Some(i) = &m.ident {
                    found(Some(i));
                }
            }
            Item::Use(u) => use_tree(&u.tree, found),
            Item::Impl(i) => {
                for it in &i.items {
                    if let syn::ImplItem::Fn(f) = it {
                        block(&f.block, found);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The items declared in a block's statements (and in the blocks nested in them).
fn block(b: &syn::Block, found: &mut dyn FnMut(Option<&syn::Ident>)) {
    for stmt in &b.stmts {
        match stmt {
            syn::Stmt::Item(i) => items(std::slice::from_ref(i), found),
            syn::Stmt::Expr(e, _) => expr(e, found),
            syn::Stmt::Local(l) => {
                if let Some(init) = &l.init {
                    expr(&init.expr, found);
                }
            }
            syn::Stmt::Macro(_) => {}
        }
    }
}

/// The items of the blocks an expression is made of.
fn expr(e: &syn::Expr, found: &mut dyn FnMut(Option<&syn::Ident>)) {
    use syn::Expr;
    match e {
        Expr::Block(b) => block(&b.block, found),
        Expr::Unsafe(b) => block(&b.block, found),
        Expr::Async(b) => block(&b.block, found),
        Expr::Const(b) => block(&b.block, found),
        Expr::Loop(b) => block(&b.body, found),
        Expr::While(b) => block(&b.body, found),
        Expr::ForLoop(b) => block(&b.body, found),
        Expr::If(i) => {
            block(&i.then_branch, found);
            if let Some((_, e)) = &i.else_branch {
                expr(e, found);
            }
        }
        Expr::Match(m) => {
            for arm in &m.arms {
                expr(&arm.body, found);
            }
        }
        Expr::Closure(c) => expr(&c.body, found),
        _ => {}
    }
}

fn use_tree(tree: &syn::UseTree, found: &mut dyn FnMut(Option<&syn::Ident>)) {
    match tree {
        syn::UseTree::Path(p) => use_tree(&p.tree, found),
        syn::UseTree::Name(n) => found(Some(&n.ident)),
        syn::UseTree::Rename(r) => found(Some(&r.rename)),
        syn::UseTree::Glob(_) => found(None),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_tree(t, found);
            }
        }
    }
}

/// Shortens the paths of `tokens` in place (each group's tokens are taken out, not copied:
/// a copy of every file's token tree cost more than the shorter paths saved).
fn rewrite(tokens: TokenStream, allowed: &[&str]) -> TokenStream {
    let mut tokens: Vec<TokenTree> = tokens.into_iter().collect();
    // Tokens are moved down from `read` to `write` (a path shrinks to one token).
    let mut write = 0;
    let mut read = 0;
    let mut in_use = false;
    while read < tokens.len() {
        match &tokens[read] {
            TokenTree::Group(_) => {
                let placeholder = TokenTree::Punct(Punct::new(';', Spacing::Alone));
                if let TokenTree::Group(g) = std::mem::replace(&mut tokens[read], placeholder) {
                    let (delimiter, span) = (g.delimiter(), g.span());
                    let mut stream = g.stream();
                    // The group gone, its stream is the only owner of its tokens.
                    drop(g);
                    if !in_use {
                        stream = rewrite(stream, allowed);
                    }
                    let mut group = Group::new(delimiter, stream);
                    group.set_span(span);
                    tokens[read] = TokenTree::Group(group);
                }
            }
            TokenTree::Ident(id) if id == "use" => in_use = true,
            TokenTree::Punct(p) if p.as_char() == ';' => in_use = false,
            _ => {}
        }
        if !in_use {
            if let Some((short, len)) =
                short_path(&tokens[read..], allowed).filter(|_| starts_path(&tokens[..write]))
            {
                tokens.swap(write, read + short);
                write += 1;
                read += len;
                continue;
            }
        }
        tokens.swap(write, read);
        write += 1;
        read += 1;
    }
    tokens.truncate(write);
    tokens.into_iter().collect()
}

/// `text` with each prelude name marked by [`crate::emit::text::std`] written as its absolute
/// path, which [`Prelude::shorten_text`] then shortens where the crate may; a mark before
/// anything but a prelude name is left for the caller to report.
fn unmark(text: &str) -> String {
    use crate::emit::text::STD;
    if !text.contains(STD) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 256);
    let mut parts = text.split(STD);
    out.push_str(parts.next().unwrap_or_default());
    for part in parts {
        let end = part
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(part.len());
        let (name, rest) = part.split_at(end);
        if let Some((item, _)) = VARIANTS.iter().find(|(_, v)| *v == name) {
            let _ = write!(out, "::std::{}::{item}::{name}", item.to_lowercase());
        } else if let Some((module, _)) = ITEMS.iter().find(|(_, i)| *i == name) {
            let _ = write!(out, "::std::{module}::{name}");
        } else {
            out.push(STD);
            out.push_str(name);
        }
        out.push_str(rest);
    }
    out
}

/// A prelude path at the start of `tokens` that may be written short: the index of its last
/// identifier (the short name) and the path's length in tokens.
fn short_path(tokens: &[TokenTree], allowed: &[&str]) -> Option<(usize, usize)> {
    if !(path_sep(tokens, 0)
        && ident_is(tokens.get(2), "std")
        && path_sep(tokens, 3)
        && path_sep(tokens, 6))
    {
        return None;
    }
    let (Some(TokenTree::Ident(module)), Some(TokenTree::Ident(item))) =
        (tokens.get(5), tokens.get(8))
    else {
        return None;
    };
    let &(_, item) = ITEMS.iter().find(|(m, i)| module == m && item == i)?;
    if path_sep(tokens, 9) {
        if let Some(TokenTree::Ident(v)) = tokens.get(11) {
            if VARIANTS
                .iter()
                .any(|(e, n)| *e == item && v == n && allowed.contains(n))
            {
                return Some((11, 12));
            }
        }
    }
    allowed.contains(&item).then_some((8, 9))
}

fn is_punct(t: Option<&TokenTree>, c: char, spacing: Option<Spacing>) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c && spacing.is_none_or(|s| p.spacing() == s))
}

fn ident_is(t: Option<&TokenTree>, s: &str) -> bool {
    matches!(t, Some(TokenTree::Ident(i)) if i == s)
}

/// `::` at `at` in `tokens`.
fn path_sep(tokens: &[TokenTree], at: usize) -> bool {
    is_punct(tokens.get(at), ':', Some(Spacing::Joint)) && is_punct(tokens.get(at + 1), ':', None)
}

/// Whether a `::` after the tokens `before` starts a path (rather than continuing one).
fn starts_path(before: &[TokenTree]) -> bool {
    match before.last() {
        None | Some(TokenTree::Group(_)) | Some(TokenTree::Literal(_)) => true,
        Some(TokenTree::Ident(i)) => BEFORE_PATH.iter().any(|k| i == k),
        // `T>::std` continues a path (`<T as Tr>::std`); `->` and `=>` do not.
        Some(TokenTree::Punct(p)) => {
            p.as_char() != '>'
                || p.spacing() == Spacing::Alone
                || before.len() >= 2
                    && (is_punct(before.get(before.len() - 2), '-', Some(Spacing::Joint))
                        || is_punct(before.get(before.len() - 2), '=', Some(Spacing::Joint)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn text(t: TokenStream) -> String {
        t.to_string()
    }

    #[test]
    fn prelude_paths_are_written_short() {
        let p = Prelude::default();
        let t = p.shorten(quote! {
            pub struct A { pub x: ::std::option::Option<::std::vec::Vec<::std::string::String>> }
            fn f() -> ::std::result::Result<(), ::std::fmt::Error> {
                let _ = ::std::option::Option::Some(::std::string::String::from("a"));
                let _: ::std::option::Option<i32> = ::std::option::Option::None;
                ::std::result::Result::Ok(())
            }
            impl ::std::default::Default for A { fn default() -> Self { todo!() } }
        });
        assert_eq!(
            text(t),
            text(quote! {
                pub struct A { pub x: Option<Vec<String>> }
                fn f() -> Result<(), ::std::fmt::Error> {
                    let _ = Some(String::from("a"));
                    let _: Option<i32> = None;
                    Ok(())
                }
                impl Default for A { fn default() -> Self { todo!() } }
            })
        );
    }

    #[test]
    fn a_file_defining_or_importing_a_name_written_short_is_refused() {
        let p = Prelude::default();
        for (tokens, what) in [
            (
                quote!(
                    pub struct Option;
                ),
                "`Option`",
            ),
            (
                quote!(
                    pub enum Result {
                        A,
                    }
                ),
                "`Result`",
            ),
            (
                quote!(
                    use a::b::Vec;
                ),
                "`Vec`",
            ),
            (
                quote!(
                    use c::{d::Thing as Box};
                ),
                "`Box`",
            ),
            (
                quote!(
                    use crate::types::*;
                ),
                "a glob import",
            ),
            (
                quote!(
                    mod m {
                        pub type String = u8;
                    }
                ),
                "`String`",
            ),
            (
                quote!(impl X { fn f() { if a { struct Default; } } }),
                "`Default`",
            ),
            (
                quote!(
                    fn Some() {}
                ),
                "`Some`",
            ),
        ] {
            let file: syn::File = syn::parse2(tokens.clone()).unwrap();
            let problem = p.check(&file).unwrap_or_else(|| panic!("{tokens}"));
            assert!(problem.contains(what), "{tokens}: {problem}");
        }
        let fine: syn::File = syn::parse2(quote! {
            pub struct A;
            pub enum B { Some, None }
            impl ::std::str::FromStr for A { type Err = (); fn from_str(_: &str) -> Result<A, ()> { Ok(A) } }
            use a::b::C;
        })
        .unwrap();
        assert_eq!(p.check(&fine), None);
        // A crate whose model names `Option` does not write it short: its own `Option` is fine.
        let own = Prelude {
            taken: ["Option".to_owned()].into(),
            off: false,
        };
        let file: syn::File = syn::parse2(quote!(
            pub struct Option;
        ))
        .unwrap();
        assert_eq!(own.check(&file), None);
        assert_eq!(Prelude::off().check(&file), None);
    }

    #[test]
    fn impl_items_and_continued_paths_shadow_nothing() {
        let t = Prelude::default().shorten(quote! {
            impl ::std::str::FromStr for X {
                type Err = ::std::string::String;
                fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                    ::std::result::Result::Err(a::std::string::String::new())
                }
            }
        });
        let s = text(t);
        assert!(s.contains("type Err = String ;"), "{s}");
        assert!(s.contains("-> Result < Self , Self :: Err >"), "{s}");
        assert!(
            s.contains("Err (a :: std :: string :: String :: new ())"),
            "{s}"
        );
        // A `use` declaration keeps its path.
        let s = text(Prelude::default().shorten(quote! {
            use ::std::string::String as S;
            fn f() -> ::std::vec::Vec<::std::string::String> { todo!() }
        }));
        assert!(s.contains("use :: std :: string :: String as S"), "{s}");
        assert!(s.contains("-> Vec < String >"), "{s}");
    }

    #[test]
    fn the_crate_s_own_names_and_off_keep_absolute_paths() {
        let crate_option = Prelude {
            taken: ["Option".to_owned(), "None".to_owned()].into(),
            off: false,
        };
        let tokens = quote!(
            fn f() -> ::std::option::Option<::std::string::String> {
                ::std::option::Option::None
            }
        );
        let s = text(crate_option.shorten(tokens.clone()));
        assert!(s.contains(":: std :: option :: Option < String >"), "{s}");
        assert!(s.contains(":: std :: option :: Option :: None"), "{s}");
        assert!(!crate_option.short("Option") && crate_option.short("String"));
        assert!(!crate_option.short("Debug"));
        assert_eq!(text(Prelude::off().shorten(tokens.clone())), text(tokens));
    }

    #[test]
    fn text_items_are_shortened_as_tokens_are() {
        let text = "fn f() -> ::std::result::Result<::std::option::Option<u8>, ()> {\n    \
                    ::std::result::Result::Ok(::std::option::Option::None)\n}\n";
        assert_eq!(
            Prelude::default().shorten_text(text),
            "fn f() -> Result<Option<u8>, ()> {\n    Ok(None)\n}\n"
        );
        // Only whole paths at the start of a path; the crate's own names stay long.
        let odd = "a::std::option::Option ::std::option::OptionX ::std::fmt::Debug";
        assert_eq!(Prelude::default().shorten_text(odd), odd);
        let crate_option = Prelude {
            taken: ["Option".to_owned(), "None".to_owned()].into(),
            off: false,
        };
        assert_eq!(
            crate_option.shorten_text(text),
            "fn f() -> Result<::std::option::Option<u8>, ()> {\n    Ok(::std::option::Option::None)\n}\n"
        );
        assert_eq!(Prelude::off().shorten_text(text), text);
    }

    #[test]
    fn marked_names_are_written_short_or_long() {
        use crate::emit::text::std;
        let text = format!(
            "fn f(v: {}<{}>) -> {}<(), E> {{ {}(()) }} // {}x",
            std("Option"),
            std("String"),
            std("Result"),
            std("Ok"),
            std("NotPrelude")
        );
        assert_eq!(
            Prelude::default().shorten_text(&text),
            format!(
                "fn f(v: Option<String>) -> Result<(), E> {{ Ok(()) }} // {}x",
                std("NotPrelude")
            )
        );
        let crate_option = Prelude {
            taken: ["Option".to_owned(), "Ok".to_owned()].into(),
            off: false,
        };
        assert!(crate_option.shorten_text(&text).starts_with(
            "fn f(v: ::std::option::Option<String>) -> Result<(), E> { Result::Ok(()) }"
        ));
        assert!(Prelude::off().shorten_text(&text).starts_with(
            "fn f(v: ::std::option::Option<::std::string::String>) -> ::std::result::Result<(), E>"
        ));
    }
}
