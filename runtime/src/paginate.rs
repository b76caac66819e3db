//! Paginators: a [`Stream`] of the pages of a paged operation.
//!
//! Alibaba Cloud pages list operations two ways: `PageNumber`/`PageSize` with a `TotalCount` in
//! the answer, or `NextToken`/`MaxResults` with a `NextToken` in the answer (empty on the last
//! page). Generated code describes which one an operation uses with a [`PageStrategy`]; this
//! module does the rest.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use futures_core::Stream;

use crate::client::{call, CallOptions, ClientCore, OperationMeta, ToWire};
use crate::error::{OperationError, SdkError};
use crate::validate::Validate;

/// How to get from one page to the next.
pub struct PageStrategy<Req, Resp> {
    /// Given the request that fetched `resp`, the request of the next page, or `None` after the
    /// last page.
    pub next: fn(&Req, &Resp) -> Option<Req>,
}

impl<Req, Resp> Clone for PageStrategy<Req, Resp> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Req, Resp> Copy for PageStrategy<Req, Resp> {}

type PageFuture<Resp, E> = Pin<Box<dyn Future<Output = Result<Resp, SdkError<E>>> + Send>>;

/// The pages of a paged operation, fetched one at a time as the stream is polled. The stream
/// ends after the last page, or after yielding an error.
pub struct Pages<Req, Resp, E> {
    core: ClientCore,
    meta: &'static OperationMeta,
    options: CallOptions,
    strategy: PageStrategy<Req, Resp>,
    next: Option<Req>,
    in_flight: Option<(Req, PageFuture<Resp, E>)>,
    /// An error to yield before anything else (a request that could not be built).
    failed: Option<SdkError<E>>,
    /// Pages fetched so far; bounds a service that never says "last page".
    fetched: u32,
    max_pages: u32,
}

impl<Req, Resp, E> std::fmt::Debug for Pages<Req, Resp, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &self.meta.action)
            .field("fetched", &self.fetched)
            .field("done", &(self.next.is_none() && self.in_flight.is_none()))
            .finish()
    }
}

impl<Req, Resp, E> Pages<Req, Resp, E>
where
    Req: Validate + ToWire + Clone + Send + Sync + 'static,
    Resp: serde::de::DeserializeOwned + Send + 'static,
    E: OperationError + Send + 'static,
{
    /// The pages of `request` and the ones after it, each page a call with `options`.
    pub fn new(
        core: ClientCore,
        meta: &'static OperationMeta,
        request: Req,
        options: CallOptions,
        strategy: PageStrategy<Req, Resp>,
    ) -> Self {
        Self {
            core,
            meta,
            options,
            strategy,
            next: Some(request),
            in_flight: None,
            failed: None,
            fetched: 0,
            max_pages: 10_000,
        }
    }

    /// A stream that yields `error` once and ends (for a request that could not be built).
    pub fn failed(
        core: ClientCore,
        meta: &'static OperationMeta,
        error: SdkError<E>,
        strategy: PageStrategy<Req, Resp>,
    ) -> Self {
        Self {
            core,
            meta,
            options: CallOptions::default(),
            strategy,
            next: None,
            in_flight: None,
            failed: Some(error),
            fetched: 0,
            max_pages: 0,
        }
    }

    /// Stops after `max` pages even if the service offers more (10 000 by default).
    pub fn max_pages(mut self, max: u32) -> Self {
        self.max_pages = max;
        self
    }

    /// Collects every page (stopping at the first error).
    pub async fn collect_all(mut self) -> Result<Vec<Resp>, SdkError<E>> {
        let mut out = Vec::new();
        while let Some(page) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            out.push(page?);
        }
        Ok(out)
    }
}

impl<Req, Resp, E> Unpin for Pages<Req, Resp, E> {}

impl<Req, Resp, E> Stream for Pages<Req, Resp, E>
where
    Req: Validate + ToWire + Clone + Send + Sync + 'static,
    Resp: serde::de::DeserializeOwned + Send + 'static,
    E: OperationError + Send + 'static,
{
    type Item = Result<Resp, SdkError<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(e) = this.failed.take() {
            return Poll::Ready(Some(Err(e)));
        }
        if this.in_flight.is_none() {
            if this.fetched >= this.max_pages {
                this.next = None;
            }
            let Some(req) = this.next.take() else {
                return Poll::Ready(None);
            };
            let core = this.core.clone();
            let meta = this.meta;
            let options = this.options.clone();
            let owned = req.clone();
            let fut: PageFuture<Resp, E> =
                Box::pin(async move { call::<Req, Resp, E>(&core, meta, &owned, &options).await });
            this.in_flight = Some((req, fut));
        }
        let Some((_, fut)) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        match fut.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(result) => {
                let (req, _) = this.in_flight.take().expect("in flight");
                this.fetched += 1;
                match &result {
                    Ok(resp) => this.next = (this.strategy.next)(&req, resp),
                    Err(_) => this.next = None,
                }
                Poll::Ready(Some(result))
            }
        }
    }
}

/// Whether a `PageNumber`/`PageSize` answer has another page after it.
pub fn has_next_page(
    page_number: Option<i64>,
    page_size: Option<i64>,
    total: Option<i64>,
    items: usize,
) -> bool {
    match (page_number, page_size, total) {
        (Some(n), Some(size), Some(total)) if size > 0 => {
            n.saturating_mul(size) < total && items > 0
        }
        // Without a total, a full page suggests there may be more.
        (_, Some(size), None) if size > 0 => items as i64 >= size,
        _ => false,
    }
}

/// The `NextToken` of the next page: `None` when absent or empty.
pub fn next_token(token: Option<&String>) -> Option<String> {
    token.filter(|t| !t.is_empty()).cloned()
}
