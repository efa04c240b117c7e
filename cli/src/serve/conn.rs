//! One connection: its state as the accept loop and the timers see it, the socket
//! wrapper that notes when a request head starts to arrive and gives the HTTP
//! parser's own error answers a JSON body, and the service that marks a connection
//! busy while a request is in the router.
//!
//! hyper answers a request it cannot parse (400), a URI over its limit (414) or
//! headers over its limit (431) by itself, with an empty body, and offers no hook to
//! change that answer. It writes that answer as the last thing on the connection and
//! without the `x-request-id` header every routed answer carries, so the socket
//! wrapper recognises it and writes the service's JSON error in its place.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::response::Response;
use axum::Router;
use hyper::body::Incoming;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tower::ServiceExt;

use super::error::error_body;
use super::state::AppState;

/// What the accept loop and the connection's timers know of a connection.
pub struct ConnState {
    /// Requests of this connection in the router.
    busy: AtomicU32,
    /// An answer left the router and is not yet flushed to the socket.
    unwritten: AtomicBool,
    /// When the connection last became idle (ms since `epoch`).
    idle_since: AtomicU64,
    /// When the first byte of the next request head arrived (ms since `epoch`, plus
    /// one; 0 while none has).
    head_started: AtomicU64,
    epoch: Instant,
    /// Chosen for eviction; not to be chosen again.
    pub closing: AtomicBool,
    /// Wakes the connection's task: evicted.
    pub evict: Notify,
}

/// Why a connection should be closed now.
#[derive(Debug, PartialEq, Eq)]
pub enum Expiry {
    /// The next request's head did not arrive in time.
    HeaderRead,
    /// No request for too long.
    Idle,
}

impl ConnState {
    /// A connection accepted now; `epoch` is common to all of them.
    pub fn new(epoch: Instant) -> ConnState {
        let c = ConnState {
            busy: AtomicU32::new(0),
            unwritten: AtomicBool::new(false),
            idle_since: AtomicU64::new(0),
            head_started: AtomicU64::new(0),
            epoch,
            closing: AtomicBool::new(false),
            evict: Notify::new(),
        };
        c.idle_since.store(c.now(), Ordering::Relaxed);
        c
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// Whether a request is in the router or its answer is still being written.
    fn in_request(&self) -> bool {
        self.busy.load(Ordering::Acquire) > 0 || self.unwritten.load(Ordering::Acquire)
    }

    /// Whether no request is in hand and none has started to arrive.
    #[cfg(test)]
    fn is_idle(&self) -> bool {
        !self.in_request() && self.head_started.load(Ordering::Acquire) == 0
    }

    /// How readily this connection may be closed to make room: `None` while a
    /// request is in hand (or it is already closing); otherwise idle ones before
    /// those with a head on its way, the longest idle first.
    pub fn eviction_rank(&self) -> Option<(bool, u64)> {
        if self.in_request() || self.closing.load(Ordering::Relaxed) {
            return None;
        }
        let head_on_its_way = self.head_started.load(Ordering::Acquire) != 0;
        Some((head_on_its_way, self.idle_since.load(Ordering::Relaxed)))
    }

    /// When this connection's current timer runs out, and what it is; `None` while a
    /// request is in hand (the request's own deadline governs then).
    pub fn expiry(&self, header: Duration, idle: Duration) -> Option<(Instant, Expiry)> {
        if self.in_request() {
            return None;
        }
        let ms = Duration::from_millis;
        match self.head_started.load(Ordering::Acquire) {
            0 => Some((
                self.epoch + ms(self.idle_since.load(Ordering::Relaxed)) + idle,
                Expiry::Idle,
            )),
            t => Some((self.epoch + ms(t - 1) + header, Expiry::HeaderRead)),
        }
    }

    fn bytes_arrived(&self) {
        if self.busy.load(Ordering::Acquire) == 0 {
            // Only the first byte of a head starts its timer.
            let _ = self.head_started.compare_exchange(
                0,
                self.now() + 1,
                Ordering::AcqRel,
                Ordering::Acquire,
            );
        }
    }
}

/// Marks a connection busy for as long as a request is in the router.
struct Busy(Arc<ConnState>);

impl Busy {
    fn new(c: Arc<ConnState>) -> Busy {
        c.busy.fetch_add(1, Ordering::AcqRel);
        // The head is complete: its timer is done.
        c.head_started.store(0, Ordering::Release);
        Busy(c)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let c = &self.0;
        c.idle_since.store(c.now(), Ordering::Relaxed);
        // hyper writes the answer next, then flushes (see `Io::poll_flush`).
        c.unwritten.store(true, Ordering::Release);
        c.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The router as hyper calls it, marking the connection busy meanwhile.
#[derive(Clone)]
pub struct Service {
    /// The service's routes.
    pub router: Router,
    /// The connection.
    pub conn: Arc<ConnState>,
}

impl hyper::service::Service<hyper::Request<Incoming>> for Service {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn call(&self, req: hyper::Request<Incoming>) -> Self::Future {
        let busy = Busy::new(self.conn.clone());
        let router = self.router.clone();
        Box::pin(async move {
            let _busy = busy;
            router.oneshot(req.map(Body::new)).await
        })
    }
}

/// The socket, as hyper sees it.
pub struct Io {
    stream: TcpStream,
    conn: Arc<ConnState>,
    state: AppState,
    /// A JSON error answer written in place of hyper's own, and how much of it is out.
    replacement: Option<(Vec<u8>, usize)>,
}

impl Io {
    /// Wraps an accepted socket.
    pub fn new(stream: TcpStream, conn: Arc<ConnState>, state: AppState) -> Io {
        Io {
            stream,
            conn,
            state,
            replacement: None,
        }
    }

    /// Writes what is left of the replacement answer.
    fn poll_replacement(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, done)) = &mut self.replacement {
            let Some(rest) = bytes.get(*done..).filter(|r| !r.is_empty()) else {
                self.replacement = None;
                break;
            };
            let n = ready!(Pin::new(&mut self.stream).poll_write(cx, rest))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *done += n;
        }
        Poll::Ready(Ok(()))
    }
}

/// The status of a response head hyper wrote by itself (one of those it writes for
/// requests it could not parse), or `None` for anything else.
fn parser_answer(buf: &[u8]) -> Option<u16> {
    let status = buf.strip_prefix(b"HTTP/1.")?.get(2..5)?;
    let status: u16 = std::str::from_utf8(status).ok()?.parse().ok()?;
    if ![400, 414, 431].contains(&status) {
        return None;
    }
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(buf.get(..end)?).to_ascii_lowercase();
    (!head.contains("\r\nx-request-id:")).then_some(status)
}

/// The JSON answer written instead of hyper's empty one.
fn json_answer(status: u16) -> Vec<u8> {
    let (reason, message) = match status {
        414 => ("URI Too Long", "the request URI is too long"),
        431 => (
            "Request Header Fields Too Large",
            "the request headers are too large or too many",
        ),
        _ => (
            "Bad Request",
            "the request is not valid HTTP/1.1 (a malformed request line or header)",
        ),
    };
    let body = error_body(status, message);
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

impl AsyncRead for Io {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.conn.bytes_arrived();
        }
        polled
    }
}

impl AsyncWrite for Io {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_replacement(cx))?;
        if let Some(status) = parser_answer(buf) {
            self.state.metrics.protocol_error(status);
            self.replacement = Some((json_answer(status), 0));
            // The whole of hyper's answer is taken: ours goes out in its place.
            if self.poll_replacement(cx).is_ready() {
                self.replacement = None;
            }
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replacement(cx))?;
        ready!(Pin::new(&mut self.stream).poll_flush(cx))?;
        // hyper flushes once its buffer is out: any answer it held has been written.
        self.conn.unwritten.store(false, Ordering::Release);
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replacement(cx))?;
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_only_the_parsers_own_answers() {
        let canned =
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        assert_eq!(parser_answer(canned), Some(431));
        assert_eq!(
            parser_answer(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n"),
            Some(400)
        );
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nx-request-id: a-1\r\n\r\n{}";
        assert_eq!(parser_answer(ours), None);
        assert_eq!(parser_answer(b"HTTP/1.1 100 Continue\r\n\r\n"), None);
        assert_eq!(parser_answer(b"{\"error\":\"HTTP/1.1 400 \"}"), None);
        assert_eq!(parser_answer(b"HTTP/1.1 414"), None, "an incomplete head");
    }

    #[test]
    fn the_replacement_is_a_json_error() {
        let out = String::from_utf8(json_answer(414)).expect("text");
        let (head, body) = out.split_once("\r\n\r\n").expect("head and body");
        assert!(head.starts_with("HTTP/1.1 414 URI Too Long\r\n"));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let v: serde_json::Value = serde_json::from_str(body).expect("JSON");
        assert_eq!(v["status"], 414);
    }

    #[test]
    fn timers_follow_the_connection() {
        let c = Arc::new(ConnState::new(Instant::now()));
        let (h, i) = (Duration::from_secs(1), Duration::from_secs(60));
        assert_eq!(c.expiry(h, i).map(|e| e.1), Some(Expiry::Idle));
        assert!(c.is_idle());
        c.bytes_arrived();
        assert_eq!(c.expiry(h, i).map(|e| e.1), Some(Expiry::HeaderRead));
        assert!(!c.is_idle(), "a head on its way is not idle");
        assert!(
            c.eviction_rank().is_some_and(|r| r.0),
            "but may go after idle ones"
        );
        let busy = Busy::new(c.clone());
        assert_eq!(c.expiry(h, i), None);
        assert_eq!(c.eviction_rank(), None, "a request in the router stays");
        c.bytes_arrived();
        assert_eq!(c.expiry(h, i), None, "body bytes are not a head");
        drop(busy);
        assert_eq!(c.expiry(h, i), None, "the answer is not out yet");
        c.unwritten.store(false, Ordering::Release);
        assert_eq!(c.expiry(h, i).map(|e| e.1), Some(Expiry::Idle));
    }
}
