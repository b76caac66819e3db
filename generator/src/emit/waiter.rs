//! Waiting: status waiters (`wait_until_*`, from a spec's `waiters`) and polls of an
//! asynchronous operation's work (`wait_for_*`).

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc_text, ident};
use crate::model::{OperationModel, ProductModel, Ty, WaiterModel};

/// For an asynchronous operation, the client method that polls the operation its spec names,
/// with the documented interval and attempts; the caller states what answer means done,
/// which the metadata does not say.
pub(crate) fn poll_method(model: &ProductModel, op: &OperationModel) -> Option<TokenStream> {
    let a = op.spec.asynchronous.as_ref()?;
    let name = op.poll_method.as_ref()?;
    let poll = model
        .operations
        .iter()
        .find(|o| o.spec.name == a.poll_operation)?;
    let module = &poll.module;
    let (req, resp, err) = (&poll.request_type, &poll.response_type, &poll.error_type);
    // Both operations must be compiled in.
    let cfg = match (&op.feature, &poll.feature) {
        (Some(a), Some(b)) if a != b => Some(quote!(#[cfg(all(feature = #a, feature = #b))])),
        (Some(f), _) | (None, Some(f)) => Some(quote!(#[cfg(feature = #f)])),
        (None, None) => None,
    };
    let (interval, attempts) = (a.interval_ms, a.max_attempts);
    let mut doc = format!(
        " Waits for the work of a `{}` call to finish: polls `{}` with `request` every {interval} ms, at most {attempts} times (the documented settings; the first poll comes one interval after the call), until the condition given to [`Poller::until`](::alicloud_runtime::waiter::Poller::until) holds.",
        op.spec.name, poll.spec.name
    );
    match &a.progress {
        Some(progress) => doc.push_str(&format!(" {progress}")),
        None => doc.push_str(" The service does not document which answer means done, so the condition is yours: a status, an item appearing in a list or leaving it."),
    }
    // The waiter the spec names for the documented end state, when the poll operation has it.
    if let Some(w) = a
        .waiter
        .as_ref()
        .and_then(|n| poll.waiters.iter().find(|w| &w.spec.name == n))
    {
        doc.push_str(&format!(
            "\n\n [`Client::{}`](crate::Client::{}) waits for that state with its own acceptors.",
            w.method, w.method
        ));
    }
    let doc = doc_text(&doc);
    Some(quote! {
        #cfg
        #[doc = #doc]
        #[inline]
        pub fn #name(
            &self,
            request: crate::operation::#module::#req,
        ) -> ::alicloud_runtime::waiter::Poller<
            crate::operation::#module::#req,
            crate::operation::#module::#resp,
            crate::operation::#module::#err,
        > {
            ::alicloud_runtime::waiter::Poller::new(
                self.core.clone(),
                &crate::operation::#module::META,
                request,
                ::alicloud_runtime::waiter::WaiterSettings {
                    initial_delay: ::std::time::Duration::from_millis(#interval),
                    interval: ::std::time::Duration::from_millis(#interval),
                    max_attempts: #attempts,
                },
            )
        }
    })
}

/// A waiter's interval when its spec gives none.
const DEFAULT_INTERVAL_MS: u64 = 2000;
/// A waiter's attempts when its spec gives none.
const DEFAULT_MAX_ATTEMPTS: u32 = 30;

/// A status waiter's type, polling `op` until its status field says done.
pub(crate) fn waiter(op: &OperationModel, waiter: &WaiterModel) -> TokenStream {
    let w = &waiter.spec;
    let status_field = &op.response[waiter.status];
    let (req, resp, err) = (&op.request_type, &op.response_type, &op.error_type);
    let name = &waiter.rust;
    // Defaults come from the waiter's own spec, never from whichever operation happens to poll
    // through it: a waiter is shared by every caller.
    let (interval, attempts) = (
        w.interval_ms.unwrap_or(DEFAULT_INTERVAL_MS),
        w.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS),
    );
    let origin = if w.interval_ms.is_some() || w.max_attempts.is_some() {
        "its spec"
    } else {
        "the generator's defaults"
    };
    let field = ident(&status_field.rust);
    let status_expr = match &status_field.ty {
        Ty::Enum(_) => quote!(r.#field.as_ref().map(|s| s.as_str().to_owned())),
        _ => quote!(r.#field.as_ref().map(|s| s.to_string())),
    };
    let success = &w.success;
    let failure = &w.failure;
    let codes = &w.failure_codes;
    let list = |v: &[String]| {
        v.iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let doc = format!(
        " Polls `{}` until `{}` is {}.\n\n Fails at once on {}{}. By default (from {origin}) it polls every {interval} ms, at most {attempts} times, starting one interval after it is called.",
        op.spec.name,
        w.status_field,
        list(success),
        if failure.is_empty() { "no status".to_owned() } else { format!("status {}", list(failure)) },
        if codes.is_empty() { String::new() } else { format!(" and on error {}", list(codes)) },
    );
    let doc = doc_text(&doc);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            client: crate::Client,
            request: #req,
            settings: ::alicloud_runtime::waiter::WaiterSettings,
        }
        impl #name {
            /// The waiter behind [`crate::Client`]'s method for it.
            #[inline]
            pub(crate) fn new(client: crate::Client, request: #req) -> Self {
                #name {
                    client,
                    request,
                    settings: ::alicloud_runtime::waiter::WaiterSettings {
                        initial_delay: ::std::time::Duration::from_millis(#interval),
                        interval: ::std::time::Duration::from_millis(#interval),
                        max_attempts: #attempts,
                    },
                }
            }
            /// Time between polls.
            #[inline]
            pub fn interval(mut self, interval: ::std::time::Duration) -> Self {
                self.settings.interval = interval;
                self
            }
            /// Polls at most.
            #[inline]
            pub fn max_attempts(mut self, attempts: u32) -> Self {
                self.settings.max_attempts = attempts;
                self
            }
            /// Time before the first poll (the first poll may otherwise still see the old status).
            #[inline]
            pub fn initial_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.settings.initial_delay = delay;
                self
            }
            /// Polls until the wanted status, returning the last response.
            #[inline]
            pub async fn wait(self) -> ::std::result::Result<#resp, ::alicloud_runtime::waiter::WaitError<#err>> {
                ::alicloud_runtime::waiter::wait(
                    self.client.core(),
                    &META,
                    &self.request,
                    self.settings,
                    |r: &#resp| #status_expr,
                    ::alicloud_runtime::waiter::Acceptors {
                        success: &[#(#success),*],
                        failure: &[#(#failure),*],
                        failure_codes: &[#(#codes),*],
                    },
                )
                .await
            }
        }
    }
}
