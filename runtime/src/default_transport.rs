//! The transport that [`Config::from_env`](crate::Config::from_env), the credentials chains and
//! `Client::from_env()` of the generated crates build: the hyper one when the `hyper` feature is
//! on (the default), else the reqwest one.
//!
//! A module of its own so that `transport` (the trait, which both transports import) does not
//! import them back.

/// The transport [`Config::from_env`](crate::Config::from_env) and the credentials chains use:
/// [`HyperTransport`](crate::hyper_transport::HyperTransport) with the `hyper` feature (the
/// default), else [`ReqwestTransport`](crate::reqwest_transport::ReqwestTransport). Both have
/// the same builder methods, so `DefaultTransport::builder()` works with either.
///
/// hyper is the default because it is the cheaper of the two per call: `benches/src/bin/e2e.rs`
/// measures both on loopback (see `benches/RESULTS.md`).
#[cfg(feature = "hyper")]
pub type DefaultTransport = crate::hyper_transport::HyperTransport;
/// The transport [`Config::from_env`](crate::Config::from_env) and the credentials chains use:
/// [`ReqwestTransport`](crate::reqwest_transport::ReqwestTransport), since the `hyper` feature
/// (the default transport) is off.
#[cfg(all(feature = "reqwest", not(feature = "hyper")))]
pub type DefaultTransport = crate::reqwest_transport::ReqwestTransport;
