//! The product's `Client`: construction, and one method per operation (each operation's
//! methods are emitted with it, in [`super::operation`](mod@super::operation), and gathered here into one `impl`).

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::doc_text;
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
    quote! {
        /// The product as raw calls see it: its code, API version and endpoint rule.
        static PRODUCT: ::alicloud_runtime::OperationMeta = ::alicloud_runtime::OperationMeta {
            product: #product,
            version: #version,
            action: "",
            endpoint_pattern: #pattern,
            method: "POST",
            idempotency_token: ::std::option::Option::None,
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
            /// A client configured from the environment: credentials from the default chain
            /// (`ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET`/`_SECURITY_TOKEN`, the CLI profile
            /// `~/.aliyun/config.json`, the ECS instance RAM role) and the default HTTPS transport.
            /// Set the region with [`Client::from_config`] and [`::alicloud_runtime::Config::with_region`]
            /// when the requests' `RegionId` should not pick the endpoint.
            #[cfg(feature = "reqwest")]
            pub fn from_env() -> ::std::result::Result<Self, ::alicloud_runtime::TransportError> {
                ::std::result::Result::Ok(Self::new(::alicloud_runtime::Config::from_env()?))
            }
            /// Same as [`Client::new`].
            pub fn from_config(config: ::alicloud_runtime::Config) -> Self {
                Self::new(config)
            }
            #(#client_methods)*
            /// A call of `action` by name, for an action this crate does not have: parameters by
            /// wire name or as a flattened value, any `DeserializeOwned` answer (or JSON), through
            /// the same signing, retries and typed errors (see [`RawCall`](::alicloud_runtime::client::RawCall)).
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
