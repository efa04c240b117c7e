//! The accept loop: our own rather than `axum::serve`, which offers neither a
//! connection cap nor header-read and idle timeouts, and whose graceful shutdown waits
//! for every connection however long it takes.
//!
//! - At most `cap` connections are open (`server.max_connections`, lowered to leave
//!   room under the open-file limit). At the cap the longest-idle connection is closed
//!   to let a new one in, so idle clients cannot lock out `/healthz`; when every
//!   connection is in a request, new ones wait in the kernel's backlog.
//! - A connection closes when the head of its next request has not fully arrived
//!   `header_read_timeout_ms` after its first byte, or when no request has come for
//!   `idle_timeout_ms`.
//! - On shutdown, connections finish the request they are in and close; after
//!   `shutdown_grace_ms` the work still running is told to stop (it answers 503), and
//!   a moment later whatever is left is dropped.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;

use super::conn::{ConnState, Io, Service};
use super::state::AppState;

/// The largest request head (request line and headers) accepted; one larger is
/// answered 431. Under hyper's URI limit (64 KiB), so a long URI still gets its 414.
const MAX_HEAD: usize = 96 * 1024;

/// hyper's read buffer: bounds what a connection holds of a head still arriving.
const MAX_BUFFER: usize = 128 * 1024;

/// How long stopped work gets to send its 503 before its connection is dropped.
const LAST_WORDS: Duration = Duration::from_millis(500);

/// After a failed `accept` (out of file descriptors), the pause before the next.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(20);

/// The open connections.
struct Registry {
    conns: Mutex<HashMap<u64, Arc<ConnState>>>,
    next: AtomicU64,
    /// A connection closed.
    freed: Notify,
    epoch: Instant,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<ConnState>>> {
        self.conns.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn len(&self) -> usize {
        self.lock().len()
    }

    fn add(&self) -> (u64, Arc<ConnState>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let c = Arc::new(ConnState::new(self.epoch));
        self.lock().insert(id, c.clone());
        (id, c)
    }

    fn remove(&self, id: u64) {
        self.lock().remove(&id);
        self.freed.notify_one();
    }

    /// Tells the connection that is readiest to go to close; false when every one is
    /// in a request.
    fn evict_one(&self) -> bool {
        let conns = self.lock();
        let chosen = conns
            .values()
            .filter_map(|c| c.eviction_rank().map(|rank| (rank, c)))
            .min_by_key(|(rank, _)| *rank)
            .map(|(_, c)| c.clone());
        drop(conns);
        match chosen {
            Some(c) => {
                c.closing.store(true, Ordering::Relaxed);
                c.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

/// The open-file limit of this process, when there is one.
#[cfg(unix)]
fn open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes only into the struct it is handed, which lives here.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    (rc == 0 && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<u64> {
    None
}

/// The connection cap: the setting, lowered to leave an eighth of the open-file limit
/// (at least 32) for the listener, the audit log, rule files and the runtime.
pub fn connection_cap(setting: usize) -> (usize, Option<u64>) {
    let limit = open_file_limit();
    let cap = match limit {
        Some(l) => {
            let room = l.saturating_sub((l / 8).max(32)).max(1);
            setting.min(usize::try_from(room).unwrap_or(usize::MAX))
        }
        None => setting,
    };
    (cap.max(1), limit)
}

/// Serves `router` on `listener` until `stop` resolves, then shuts down as the module
/// says.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    state: AppState,
    cap: usize,
    stop: impl std::future::Future<Output = ()>,
) {
    let server = &state.settings.server;
    let header = Duration::from_millis(server.header_read_timeout_ms.max(1));
    let idle = Duration::from_millis(server.idle_timeout_ms.max(1));
    let grace = Duration::from_millis(server.shutdown_grace_ms);
    let registry = Arc::new(Registry {
        conns: Mutex::new(HashMap::new()),
        next: AtomicU64::new(0),
        freed: Notify::new(),
        epoch: Instant::now(),
    });
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut last_accept_error: Option<Instant> = None;
    tokio::pin!(stop);
    loop {
        while tasks.try_join_next().is_some() {}
        if registry.len() >= cap && !registry.evict_one() {
            // Every connection is in a request: let new ones wait in the backlog.
            tokio::select! {
                () = &mut stop => break,
                () = registry.freed.notified() => continue,
            }
        }
        let accepted = tokio::select! {
            () = &mut stop => break,
            a = listener.accept() => a,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, most likely: make room and try again. Said
                // once a second at most: this can repeat every few milliseconds.
                if last_accept_error.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
                    eprintln!("embargo: accept failed: {e}; closing an idle connection");
                    last_accept_error = Some(Instant::now());
                }
                registry.evict_one();
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        // Small answers go out at once rather than waiting for more to send.
        let _ = stream.set_nodelay(true);
        let (id, conn) = registry.add();
        state.connections.store(registry.len(), Ordering::Relaxed);
        let task = Connection {
            stream,
            conn,
            router: router.clone(),
            state: state.clone(),
            header,
            idle,
            shutdown: shutdown_rx.clone(),
        };
        let registry = registry.clone();
        let st = state.clone();
        tasks.spawn(async move {
            task.run().await;
            registry.remove(id);
            st.connections.store(registry.len(), Ordering::Relaxed);
        });
    }

    // Readiness turns false first, so a balancer stops sending new requests while
    // the ones in flight are answered.
    state.set_stopping();
    eprintln!("embargo: shutting down");
    drop(listener);
    let _ = shutdown_tx.send(true);
    let drain = async { while tasks.join_next().await.is_some() {} };
    if tokio::time::timeout(grace, drain).await.is_err() {
        eprintln!(
            "embargo: {} connection(s) still busy after {} ms (server.shutdown_grace_ms); stopping their work",
            tasks.len(),
            grace.as_millis()
        );
        state.admission.stop_all();
        let drain = async { while tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(LAST_WORDS, drain).await.is_err() {
            tasks.abort_all();
        }
    }
}

/// One accepted connection and what it needs.
struct Connection {
    stream: tokio::net::TcpStream,
    conn: Arc<ConnState>,
    router: Router,
    state: AppState,
    header: Duration,
    idle: Duration,
    shutdown: watch::Receiver<bool>,
}

impl Connection {
    async fn run(mut self) {
        let service = Service {
            router: self.router,
            conn: self.conn.clone(),
        };
        let io = TokioIo::new(Io::new(self.stream, self.conn.clone(), self.state.clone()));
        let served = http1::Builder::new()
            .keep_alive(true)
            .max_header_size(MAX_HEAD)
            .max_buf_size(MAX_BUFFER)
            .serve_connection(io, service);
        tokio::pin!(served);
        let metrics = &self.state.metrics;
        let mut stopping = false;
        // The timers are read, not notified: the task looks at the connection's
        // state at its next expiry, and at least every `check` (the shorter timeout),
        // so a request costs no extra wake-up and a timer fires at most `check` late.
        let check = self.header.min(self.idle);
        loop {
            let now = Instant::now();
            let wake = self
                .conn
                .expiry(self.header, self.idle)
                .map_or(now + check, |(at, _)| at.min(now + check));
            tokio::select! {
                _ = served.as_mut() => return,
                () = self.conn.evict.notified() => {
                    metrics.connections_evicted.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                changed = self.shutdown.changed(), if !stopping => {
                    stopping = true;
                    if changed.is_ok() {
                        served.as_mut().graceful_shutdown();
                    }
                }
                () = tokio::time::sleep_until(wake.into()) => {
                    // While a request is in hand its own deadline governs.
                    let expired = self
                        .conn
                        .expiry(self.header, self.idle)
                        .is_some_and(|(at, _)| at <= Instant::now());
                    if expired {
                        metrics.connections_timed_out.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                }
            }
            // Stopping, with no request in hand (idle, or a head still on its way,
            // which hyper would wait for): there is nothing to finish.
            if stopping && self.conn.eviction_rank().is_some() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_room_under_the_file_limit() {
        let (cap, limit) = connection_cap(usize::MAX);
        if let Some(l) = limit {
            assert!((cap as u64) < l, "{cap} under {l}");
            assert!(cap as u64 >= l / 2);
        }
        assert_eq!(connection_cap(3).0, 3);
    }
}
