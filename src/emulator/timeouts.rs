//! Connection timeouts, which axum's server does not have: without them a client that
//! opens a connection and goes quiet, trickles its headers (slowloris) or vanishes
//! without closing holds a socket and a task for ever.
//!
//! Each accepted connection is wrapped in a [`TimedStream`] that knows whether a request
//! is being handled (the handler holds an [`InFlight`] guard, reached through the
//! request's `ConnectInfo`). With no request in progress the connection is closed after
//! `idle` without a byte either way; once a new request's first byte has arrived, its
//! headers must be complete within `header`, however slowly bytes keep coming. While a
//! handler runs no timer applies (a latency fault may hold a request for minutes); the
//! handler bounds the body's arrival itself.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};

/// A TCP listener whose connections time out.
pub struct TimedListener {
    inner: TcpListener,
    idle: Duration,
    header: Duration,
}

impl TimedListener {
    pub fn new(inner: TcpListener, idle: Duration, header: Duration) -> Self {
        Self {
            inner,
            idle,
            header,
        }
    }
}

impl Listener for TimedListener {
    type Io = TimedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        // axum's own accept loop: it logs and retries failed accepts.
        let (io, addr) = Listener::accept(&mut self.inner).await;
        (TimedStream::new(io, self.idle, self.header), addr)
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// What the timers need to know about one connection, shared by its stream and the
/// handler of its current request.
#[derive(Debug)]
struct Timing {
    /// Requests being handled (HTTP/1: at most one).
    in_flight: usize,
    /// The last byte read or written, or the end of the last request.
    last: Instant,
    /// The first byte of a request whose handler has not started yet.
    head_started: Option<Instant>,
}

/// One connection's activity; the `ConnectInfo` every request carries.
#[derive(Clone, Debug)]
pub struct Activity(Arc<Mutex<Timing>>);

impl Activity {
    fn new() -> Self {
        Self(Arc::new(Mutex::new(Timing {
            in_flight: 0,
            last: Instant::now(),
            head_started: None,
        })))
    }

    fn timing(&self) -> std::sync::MutexGuard<'_, Timing> {
        // Plain bookkeeping: a panic elsewhere cannot leave it inconsistent.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Marks a request as being handled until the guard is dropped.
    pub fn begin_request(&self) -> InFlight {
        let mut t = self.timing();
        t.in_flight += 1;
        t.head_started = None;
        InFlight(self.clone())
    }

    fn transferred(&self, read: bool) {
        let mut t = self.timing();
        let now = Instant::now();
        t.last = now;
        if read && t.in_flight == 0 && t.head_started.is_none() {
            t.head_started = Some(now);
        }
    }

    /// When the connection is to be closed; `None` while a request is being handled.
    fn deadline(&self, idle: Duration, header: Duration) -> Option<Instant> {
        let t = self.timing();
        if t.in_flight > 0 {
            return None;
        }
        Some(match t.head_started {
            Some(first_byte) => first_byte + header,
            None => t.last + idle,
        })
    }
}

/// Held by a request's handler: no timer runs while it lives.
#[derive(Debug)]
pub struct InFlight(Activity);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut t = self.0.timing();
        t.in_flight = t.in_flight.saturating_sub(1);
        t.last = Instant::now();
        t.head_started = None;
    }
}

impl Connected<IncomingStream<'_, TimedListener>> for Activity {
    fn connect_info(stream: IncomingStream<'_, TimedListener>) -> Self {
        stream.io().activity.clone()
    }
}

/// A TCP stream that fails with `TimedOut` once its connection's deadline passes while
/// it waits; hyper then closes the connection.
pub struct TimedStream {
    io: TcpStream,
    activity: Activity,
    idle: Duration,
    header: Duration,
    timer: Pin<Box<Sleep>>,
}

impl TimedStream {
    fn new(io: TcpStream, idle: Duration, header: Duration) -> Self {
        Self {
            io,
            activity: Activity::new(),
            idle,
            header,
            timer: Box::pin(tokio::time::sleep(idle)),
        }
    }

    /// Called when the socket is not ready: arms the timer for the current deadline, and
    /// fails once it has passed.
    fn wait<T>(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<T>> {
        let Some(deadline) = self.activity.deadline(self.idle, self.header) else {
            return Poll::Pending;
        };
        if self.timer.deadline() != deadline {
            self.timer.as_mut().reset(deadline);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the connection was idle or its request too slow",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl TimedStream {
    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<std::io::Result<usize>>,
    ) -> Poll<std::io::Result<usize>> {
        match polled {
            Poll::Ready(Ok(n)) if n > 0 => {
                self.activity.transferred(false);
                Poll::Ready(Ok(n))
            }
            // A client that stops reading its answer is as idle as one that sends nothing.
            Poll::Pending => self.wait(cx),
            done => done,
        }
    }
}

impl AsyncRead for TimedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.io).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    this.activity.transferred(true);
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => this.wait(cx),
        }
    }
}

impl AsyncWrite for TimedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.io).poll_write(cx, buf);
        this.after_write(cx, polled)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.after_write(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}
