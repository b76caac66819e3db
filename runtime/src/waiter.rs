//! Waiters: poll an operation until a status field reaches a wanted value.
//!
//! Asynchronous operations (a VPN connection change, for one) return before their work is
//! done; the resource shows a transitional status (`updating`) meanwhile. A waiter polls the
//! describing operation after an initial delay (the first poll may still see the old status),
//! then at a fixed interval, and stops on success, on a status or error code it cannot succeed
//! from, or when its attempts run out.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use crate::client::{call, CallOptions, ClientCore, OperationMeta, ToWire};
use crate::error::{OperationError, SdkError};
use crate::validate::Validate;

/// How a waiter polls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaiterSettings {
    /// Time before the first poll.
    pub initial_delay: Duration,
    /// Time between polls.
    pub interval: Duration,
    /// Polls at most.
    pub max_attempts: u32,
}

/// Why a wait ended without reaching the wanted status.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitError<E> {
    /// The resource reached a status the wait cannot succeed from (`deleting`).
    FailureStatus {
        /// The status seen.
        status: String,
        /// Polls made.
        attempts: u32,
    },
    /// The service answered an error that ends the wait (the resource does not exist).
    FailureCode(E),
    /// The attempts ran out before the wanted status was seen.
    TimedOut {
        /// Polls made.
        attempts: u32,
        /// The last status seen, if any poll answered.
        last_status: Option<String>,
    },
    /// A poll failed (after its own retries).
    Call(SdkError<E>),
}

impl<E: fmt::Display> fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::FailureStatus { status, attempts } => {
                write!(
                    f,
                    "wait failed: status became `{status}` (after {attempts} poll(s))"
                )
            }
            WaitError::FailureCode(e) => write!(f, "wait failed: {e}"),
            WaitError::TimedOut {
                attempts,
                last_status,
            } => match last_status {
                Some(s) => write!(
                    f,
                    "wait timed out after {attempts} poll(s); last status `{s}`"
                ),
                None => write!(f, "wait timed out after {attempts} poll(s); no status seen"),
            },
            WaitError::Call(e) => write!(f, "wait failed: {e}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for WaitError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::FailureCode(e) => Some(e),
            WaitError::Call(e) => Some(e),
            _ => None,
        }
    }
}

/// What a waiter looks for.
#[derive(Clone, Copy, Debug)]
pub struct Acceptors<'a> {
    /// Statuses that end the wait successfully.
    pub success: &'a [&'a str],
    /// Statuses that end it with [`WaitError::FailureStatus`].
    pub failure: &'a [&'a str],
    /// Error codes that end it with [`WaitError::FailureCode`].
    pub failure_codes: &'a [&'a str],
}

/// Polls `meta` with `request` until `status(response)` is a success value.
pub async fn wait<Req, Resp, E>(
    core: &ClientCore,
    meta: &'static OperationMeta,
    request: &Req,
    settings: WaiterSettings,
    status: impl Fn(&Resp) -> Option<String>,
    acceptors: Acceptors<'_>,
) -> Result<Resp, WaitError<E>>
where
    Req: Validate + ToWire,
    Resp: serde::de::DeserializeOwned,
    E: OperationError,
{
    poll(
        core,
        meta,
        request,
        settings,
        |r: &Resp| match status(r) {
            Some(s) if acceptors.success.contains(&s.as_str()) => WaitState::Done,
            Some(s) if acceptors.failure.contains(&s.as_str()) => WaitState::Failed(s),
            s => WaitState::Pending(s),
        },
        acceptors.failure_codes,
    )
    .await
}

/// What one poll's answer means to a wait, as a [`Poller::until`] condition says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitState {
    /// The work is done: the wait returns this answer.
    Done,
    /// Not yet, with the status seen if there is one (reported when the wait times out).
    Pending(Option<String>),
    /// The work cannot finish: the wait ends with [`WaitError::FailureStatus`] and this status.
    Failed(String),
}

/// The polling loop behind every waiter: `decide` reads each answer; an error code among
/// `failure_codes` ends the wait at once, any other error after the call's own retries.
async fn poll<Req, Resp, E>(
    core: &ClientCore,
    meta: &'static OperationMeta,
    request: &Req,
    settings: WaiterSettings,
    mut decide: impl FnMut(&Resp) -> WaitState,
    failure_codes: &[&str],
) -> Result<Resp, WaitError<E>>
where
    Req: Validate + ToWire,
    Resp: serde::de::DeserializeOwned,
    E: OperationError,
{
    let mut last_status = None;
    let max = settings.max_attempts.max(1);
    for attempt in 1..=max {
        let delay = if attempt == 1 {
            settings.initial_delay
        } else {
            settings.interval
        };
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        match call::<Req, Resp, E>(core, meta, request, &CallOptions::default()).await {
            Ok(resp) => {
                let state = decide(&resp);
                tracing::debug!(
                    operation = meta.action,
                    attempt,
                    state = ?state,
                    "waiter poll"
                );
                match state {
                    WaitState::Done => return Ok(resp),
                    WaitState::Failed(status) => {
                        return Err(WaitError::FailureStatus {
                            status,
                            attempts: attempt,
                        })
                    }
                    WaitState::Pending(s) => last_status = s.or(last_status),
                }
            }
            Err(SdkError::Service(e)) if failure_codes.contains(&e.meta().code.as_str()) => {
                return Err(WaitError::FailureCode(e));
            }
            Err(e) => return Err(WaitError::Call(e)),
        }
    }
    Err(WaitError::TimedOut {
        attempts: max,
        last_status,
    })
}

/// Waits for an asynchronous operation's work by polling the operation its documentation
/// names, until a condition of the caller's.
///
/// The service documents *which* operation to poll, how often and how many times, but not
/// what answer means "done" (a status value, an item appearing in a list, an item gone), so
/// the condition is the caller's: [`Poller::until`]. Interval and attempts default to the
/// documented ones and can be changed.
#[derive(Debug)]
#[must_use = "a poller does nothing until `until` is awaited"]
pub struct Poller<Req, Resp, E> {
    core: ClientCore,
    meta: &'static OperationMeta,
    request: Req,
    settings: WaiterSettings,
    failure_codes: Vec<String>,
    answer: PhantomData<fn() -> (Resp, E)>,
}

impl<Req, Resp, E> Poller<Req, Resp, E>
where
    Req: Validate + ToWire,
    Resp: serde::de::DeserializeOwned,
    E: OperationError,
{
    /// A poller of `meta` with `request`; generated clients make these (`wait_for_*`).
    pub fn new(
        core: ClientCore,
        meta: &'static OperationMeta,
        request: Req,
        settings: WaiterSettings,
    ) -> Self {
        Poller {
            core,
            meta,
            request,
            settings,
            failure_codes: Vec::new(),
            answer: PhantomData,
        }
    }

    /// Time between polls.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.settings.interval = interval;
        self
    }

    /// Polls at most.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.settings.max_attempts = attempts;
        self
    }

    /// Time before the first poll (by default one interval: the first poll may otherwise
    /// still see the state from before the change).
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.settings.initial_delay = delay;
        self
    }

    /// Error codes that end the wait at once with [`WaitError::FailureCode`] (a poll of a
    /// resource being deleted may answer `…NotFound`: match on it to treat it as done).
    pub fn failure_codes<I, S>(mut self, codes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.failure_codes = codes.into_iter().map(Into::into).collect();
        self
    }

    /// The settings in effect.
    pub fn settings(&self) -> WaiterSettings {
        self.settings
    }

    /// The operation polled.
    pub fn operation(&self) -> &'static str {
        self.meta.action
    }

    /// Polls until `done` says [`WaitState::Done`] (returning that answer) or
    /// [`WaitState::Failed`], an error ends it, or the attempts run out.
    pub async fn until(self, done: impl FnMut(&Resp) -> WaitState) -> Result<Resp, WaitError<E>> {
        let codes: Vec<&str> = self.failure_codes.iter().map(String::as_str).collect();
        poll(
            &self.core,
            self.meta,
            &self.request,
            self.settings,
            done,
            &codes,
        )
        .await
    }
}
