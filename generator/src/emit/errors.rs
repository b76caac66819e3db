//! Errors: the product's `ErrorCode` enum (one variant per documented code) and the
//! documentation of each operation's error type.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::docs;
use crate::model::{OperationModel, ProductModel};
use crate::names::Name;

/// An operation's error type: the runtime's `ServiceError` over the product's `ErrorCode`,
/// documented with the codes the operation answers.
pub(crate) fn error_enum(op: &OperationModel) -> TokenStream {
    let err = &op.error_type;
    // Every operation's errors are one runtime type over the product's `ErrorCode`: the code
    // for matching, retries and formatting is compiled once per product, not per operation.
    let mut d = format!(
        "Errors of `{}`: a [`ServiceError`](::alicloud_runtime::ServiceError) whose [`kind`](::alicloud_runtime::ServiceError::kind) is the product's [`ErrorCode`](crate::ErrorCode).",
        op.spec.name
    );
    if op.errors.is_empty() {
        d.push_str("\n\nThe operation documents no error codes.");
    } else {
        d.push_str("\n\nDocumented codes:\n");
        for e in &op.errors {
            let statuses: Vec<String> = e.entries.iter().map(|x| x.status.to_string()).collect();
            let mut line = format!(
                "\n- [`{}`](crate::ErrorCode::{}) (HTTP {})",
                e.code,
                e.rust,
                statuses.join(", ")
            );
            if let Some(first) = e.entries.first() {
                line.push_str(&format!(": \"{}\"", first.message));
                if !first.description.is_empty() {
                    line.push_str(&format!(" — {}", first.description));
                }
            }
            // A code documented under several statuses may come with a different message each
            // time: every row keeps its own.
            for other in e.entries.iter().skip(1) {
                if e.entries
                    .first()
                    .is_some_and(|f| f.message == other.message)
                {
                    continue;
                }
                line.push_str(&format!(" HTTP {}: \"{}\"", other.status, other.message));
                if !other.description.is_empty() {
                    line.push_str(&format!(" — {}", other.description));
                }
            }
            match e.retryable {
                Some(true) => line.push_str(" Retryable."),
                Some(false) => line.push_str(" Not retryable."),
                None => {}
            }
            d.push_str(&line);
        }
    }
    let d = docs(&d);
    quote! {
        #d
        pub type #err = ::alicloud_runtime::ServiceError<crate::ErrorCode>;
    }
}

/// The product's error codes (`src/error.rs`): one fieldless enum, in byte order of the codes,
/// with a sorted table for lookups.
pub fn error_codes(model: &ProductModel) -> TokenStream {
    let variants: Vec<&Name> = model.error_codes.iter().map(|c| &c.rust).collect();
    // Codes that collide after case conversion keep their spelling (`INVALID_PARAMETER`).
    let spelled = variants
        .iter()
        .any(|v| Name::camel(v.as_str()) != **v)
        .then(|| quote!(#[allow(non_camel_case_types, clippy::upper_case_acronyms)]));
    let codes: Vec<&str> = model.error_codes.iter().map(|c| c.code.as_str()).collect();
    let n = codes.len();
    // A code documented only by operations of some API groups is compiled with one of their
    // features, in the enum and in the table alike, so variant `i` stays entry `i` whatever
    // features are on. A code compiled out parses as no variant (`kind()` is `None`; `code()`
    // keeps the text), as any undocumented code does.
    let cfgs: Vec<Option<TokenStream>> = model
        .error_code_features()
        .iter()
        .map(|f| f.as_ref().map(super::tokens::feature_cfg))
        .collect();
    let gated_doc = cfgs.iter().any(Option::is_some).then(|| {
        docs("\nA code that only operations of some API groups document is a variant only with one\nof those features; without them, that code is not parsed to a variant (`kind()` is\n`None`; `code()` has it).")
    });
    let vdocs = model.error_codes.iter().map(|c| {
        let ops: Vec<String> = c
            .operations
            .iter()
            .take(5)
            .map(|&i| format!("`{}`", model.operations[i].spec.name))
            .collect();
        let more = c.operations.len().saturating_sub(5);
        let mut d = format!("`{}`, documented by {}", c.code, ops.join(", "));
        if more > 0 {
            d.push_str(&format!(" and {more} more operation(s)"));
        }
        d.push('.');
        let op = &model.operations[c.operations[0]];
        if let Some(m) = op
            .errors
            .iter()
            .find(|e| e.code == c.code)
            .and_then(|e| e.entries.first())
        {
            d.push_str(&format!("\n\nHTTP {}: \"{}\"", m.status, m.message));
        }
        docs(&d)
    });
    let table = (n > 0).then(|| {
        quote! {
            /// The codes in byte order; variant `i` is entry `i`.
            static CODES: &[(&str, ErrorCode)] = &[#( #cfgs (#codes, ErrorCode::#variants) ),*];
        }
    });
    let (as_str, from_code) = if n == 0 {
        (
            quote!(match self {}),
            quote!(let _ = code; ::std::option::Option::None),
        )
    } else {
        (
            quote!(CODES[self as usize].0),
            quote! {
                CODES
                    .binary_search_by(|(c, _)| (*c).cmp(code))
                    .ok()
                    .map(|i| CODES[i].1)
            },
        )
    };
    quote! {
        //! The product's error codes.

        /// Every error code the product documents, as the service writes it (`code()`), for
        /// matching on [`ServiceError::kind`](::alicloud_runtime::ServiceError::kind). Each
        /// operation's error type documents the subset it answers.
        #gated_doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #spelled
        pub enum ErrorCode {
            #( #vdocs #cfgs #variants, )*
        }
        #table
        impl ErrorCode {
            /// The code as the service writes it.
            #[inline]
            pub fn as_str(self) -> &'static str {
                #as_str
            }
        }
        impl ::std::fmt::Display for ErrorCode {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::alicloud_runtime::error::ErrorCode for ErrorCode {
            #[inline]
            fn from_code(code: &str) -> ::std::option::Option<Self> {
                #from_code
            }
            #[inline]
            fn as_str(self) -> &'static str {
                ErrorCode::as_str(self)
            }
        }
    }
}
