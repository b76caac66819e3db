//! Waiters: poll an operation until a status field reaches a wanted value.
//!
//! Asynchronous operations (a VPN connection change, for one) return before their work is
//! done; the resource shows a transitional status (`updating`) meanwhile. A waiter polls the
//! describing operation after an initial delay (the first poll may still see the old status),
//! then at a fixed interval, and stops on success, on a status or error code it cannot succeed
//! from, or when its attempts run out.

use std::fmt;
use std::time::Duration;

use crate::client::{call, ClientCore, OperationMeta, ToWire};
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
        match call::<Req, Resp, E>(core, meta, request, None).await {
            Ok(resp) => {
                let s = status(&resp);
                tracing::debug!(
                    operation = meta.action,
                    attempt,
                    status = s.as_deref().unwrap_or(""),
                    "waiter poll"
                );
                if let Some(s) = &s {
                    if acceptors.success.contains(&s.as_str()) {
                        return Ok(resp);
                    }
                    if acceptors.failure.contains(&s.as_str()) {
                        return Err(WaitError::FailureStatus {
                            status: s.clone(),
                            attempts: attempt,
                        });
                    }
                }
                last_status = s.or(last_status);
            }
            Err(SdkError::Service(e))
                if acceptors.failure_codes.contains(&e.meta().code.as_str()) =>
            {
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
