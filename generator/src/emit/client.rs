//! The product's `Client`: construction, and one method per operation (each operation's
//! methods are emitted with it, in [`super::operation`](mod@super::operation), and gathered here into one `impl`);
//! and the product's endpoint map (`ENDPOINTS`, the regions its pattern does not give), which
//! every operation's `META` points at.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc_text, docs};
use crate::model::ProductModel;

/// The client type and its one `impl` block holding every operation's methods: hundreds of
/// separate inherent impl blocks of one type make the compiler's overlap check quadratic.
pub fn client(model: &ProductModel, client_methods: &[TokenStream]) -> TokenStream {
    let client_doc = doc_text(&format!(
        " Client of Alibaba Cloud {} {}: one method per operation, each returning a builder that ends in `send()`.",
        model.product.code, model.product.version
    ));
    let (product, version) = (&model.product.code, &model.product.version);
    let pattern = &model.product.endpoint.pattern;
    let from_env = if model.product.identity_service {
        quote! {
            /// A client configured from the environment with the runtime's credential providers
            /// (environment variables, the CLI profile in modes that need no STS call, the ECS
            /// instance RAM role, a credentials URI), the region from `ALIBABA_CLOUD_REGION_ID`
            /// or the CLI profile, and the default HTTPS transport. This crate is what the
            /// role-assuming providers of `alicloud-credentials` call, so it cannot use them;
            /// to call STS as an assumed role, build the configuration with
            /// `alicloud_credentials::config_from_env()` and pass it to [`Client::new`].
            #[cfg(any(feature = "hyper", feature = "reqwest"))]
            pub fn from_env() -> ::std::result::Result<Self, ::alicloud_runtime::TransportError> {
                ::std::result::Result::Ok(Self::new(::alicloud_runtime::Config::from_env()?))
            }
        }
    } else {
        quote! {
            /// A client configured from the environment: credentials from the default chain of
            /// `alicloud-credentials` (environment variables, OIDC/RRSA, the CLI profile in
            /// every mode, `~/.alibabacloud/credentials`, the ECS instance RAM role, a
            /// credentials URI), the region from `ALIBABA_CLOUD_REGION_ID` or the CLI profile,
            /// and the default HTTPS transport.
            #[cfg(any(feature = "hyper", feature = "reqwest"))]
            pub fn from_env() -> ::std::result::Result<Self, ::alicloud_runtime::TransportError> {
                ::std::result::Result::Ok(Self::new(::alicloud_credentials::config_from_env()?))
            }
        }
    };
    let raw_doc = docs(if model.product.style == crate::spec::ApiStyle::Roa {
        "A call of `action` by name, for an operation this crate does not have. This product is\n\
         ROA-style (REST): give the operation's method and path template\n\
         (`.method(\"GET\").path(\"/clusters/{ClusterId}\").path_param(\"ClusterId\", id)`), query\n\
         parameters by wire name and a JSON body (`json_body`, `body_param`); any\n\
         `DeserializeOwned` answer (or JSON), through the same signing, retries and typed errors\n\
         (see [`RawCall`](::alicloud_runtime::client::RawCall))."
    } else {
        "A call of `action` by name, for an action this crate does not have: parameters by\n\
         wire name or as a flattened value, any `DeserializeOwned` answer (or JSON), through\n\
         the same signing, retries and typed errors (see [`RawCall`](::alicloud_runtime::client::RawCall))."
    });
    let endpoints = model.endpoint_map.iter().map(|(r, h)| quote!((#r, #h)));
    let count = proc_macro2::Literal::usize_unsuffixed(model.endpoint_map.len());
    quote! {
        /// The product's hosts for the regions its endpoint pattern does not give, as
        /// `(region id, host)` sorted by region id; every operation's `META` refers to it, and
        /// the runtime finds a region in it by binary search.
        pub(crate) static ENDPOINTS: [(&str, &str); #count] = [#(#endpoints),*];
        /// The product as raw calls see it: its code, API version and endpoint rule.
        static PRODUCT: ::alicloud_runtime::OperationMeta = ::alicloud_runtime::OperationMeta {
            product: #product,
            version: #version,
            action: "",
            endpoint_pattern: #pattern,
            endpoints: &ENDPOINTS,
            method: "POST",
            idempotency_token: ::std::option::Option::None,
            anonymous: false,
            errors: &[],
        };
        #[doc = #client_doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            core: ::alicloud_runtime::ClientCore,
        }
        impl Client {
            /// A client over `config`.
            pub fn new(config: ::alicloud_runtime::Config) -> Self {
                Self { core: ::alicloud_runtime::ClientCore::new(config) }
            }
            #from_env
            /// Same as [`Client::new`].
            pub fn from_config(config: ::alicloud_runtime::Config) -> Self {
                Self::new(config)
            }
            #(#client_methods)*
            #raw_doc
            pub fn raw(&self, action: impl ::std::convert::Into<::std::string::String>) -> ::alicloud_runtime::client::RawCall<crate::ErrorCode> {
                ::alicloud_runtime::client::RawCall::new(self.core.clone(), &PRODUCT, action)
            }
            /// The shared core (configuration, signing, transport, retries).
            pub fn core(&self) -> &::alicloud_runtime::ClientCore {
                &self.core
            }
        }
    }
}
