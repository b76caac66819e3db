//! What the client core logs: the call span, retries, and never a secret.
//!
//! This lives in its own test binary, apart from `retries.rs`, because capturing `tracing`
//! output from a scoped subscriber is only reliable if no other thread in the process can hit
//! the runtime's callsites first (see [`capture`]). Every test in this file must install its
//! subscriber through [`capture`] before it runs any runtime code.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use alicloud_runtime::transport::{json_response, TransportError, TransportErrorKind};
use alicloud_runtime::Credentials;
use tracing::subscriber::Interest;
use tracing::Dispatch;

mod common;
use common::{core_with, error_body, ok, scripted, tiny_retries, wire, META, SECRET, STS_TOKEN};

// -- logs ---------------------------------------------------------------------------------

/// A subscriber writing every span and event field into one string.
struct Capture {
    out: Arc<Mutex<String>>,
    next_id: AtomicU64,
}

struct Visitor<'a>(&'a mut String);

impl tracing::field::Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut out = self.out.lock().unwrap();
        let _ = write!(out, "\nspan {} ", span.metadata().name());
        span.record(&mut Visitor(&mut out));
        tracing::span::Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst))
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Visitor(&mut self.out.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut out = self.out.lock().unwrap();
        out.push_str("\nevent ");
        event.record(&mut Visitor(&mut out));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// A subscriber that records nothing and asks to be consulted on every call (`sometimes`).
struct Undecided;

impl tracing::Subscriber for Undecided {
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> Interest {
        Interest::sometimes()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        false
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// A fresh capturing dispatch, to install with `with_subscriber` around the code under test.
///
/// Why the two `Undecided` dispatches: tracing-core caches each callsite's interest the first
/// time the callsite is hit. While exactly one `Dispatch` exists in the process, it computes that
/// interest from the *hitting thread's* default dispatcher rather than from the registered
/// dispatches (the `has_just_one` shortcut; tokio-rs/tracing#2874, #3611). A test thread with
/// no subscriber that first reaches, say, the `retrying` event while our capture exists only
/// on another thread caches `Interest::never()` for it, for the life of the process, and the
/// capture then silently misses the event. That was the flake in `logs_never_show_secrets`
/// (about 1 run in 20 on a loaded machine, when it shared a binary with the retry tests).
///
/// With two live dispatches pinned for the whole process, tracing-core always takes its
/// general path: interest is the combination over every registered dispatch, computed under
/// the registry lock (so it cannot interleave with a capture being registered), and
/// `Undecided` makes it `sometimes` for every callsite, so whether a call is recorded is
/// decided per call by the dispatcher current on that thread. They must exist before any
/// runtime callsite is hit, which is why every test here starts with `capture()` and why
/// the binary holds no test that bypasses it; `get_or_init` makes concurrent tests wait for
/// the pinning to finish.
fn capture() -> (Dispatch, Arc<Mutex<String>>) {
    static PINNED: OnceLock<[Dispatch; 2]> = OnceLock::new();
    PINNED.get_or_init(|| [Dispatch::new(Undecided), Dispatch::new(Undecided)]);
    let out: Arc<Mutex<String>> = Arc::default();
    let capture = Capture {
        out: out.clone(),
        next_id: AtomicU64::new(1),
    };
    (Dispatch::new(capture), out)
}

#[tokio::test]
async fn logs_never_show_secrets() {
    use tracing::instrument::WithSubscriber as _;
    let (dispatch, out) = capture();
    let t = scripted(|n, _| match n {
        0 => Ok(json_response(503, &error_body("ServiceUnavailable", "R0"))),
        1 => Err(TransportError::new(TransportErrorKind::Connect, "refused")),
        _ => Ok(ok()),
    });
    let creds = Credentials::new("STS.AKID", SECRET).with_security_token(STS_TOKEN);
    let c = core_with(t, creds, tiny_retries(3));
    let mut w = wire();
    w.query
        .push_raw("IkeConfig", r#"{"Psk":"psk-secret-value"}"#);
    c.invoke(&META, w).with_subscriber(dispatch).await.unwrap();
    let logs = out.lock().unwrap().clone();
    // The capture works: the call, its attempts and the retries are there.
    assert!(logs.contains("span alicloud.call"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    for s in [SECRET, STS_TOKEN, "psk-secret-value"] {
        assert!(!logs.contains(s), "{s} in logs:\n{logs}");
    }
}
