//! `embargo serve`: a JSON API over the library (screen, match, classify, compare,
//! entity look-up, ruleset, lists, rescreen), with health checks, Prometheus metrics, rules reload
//! (endpoint and SIGHUP) and an audit log.
//!
//! A thin shell: every answer comes from [`embargo::engine::Screener`] and the
//! request/answer types of [`embargo::api`], the same ones the CLI's JSON lines use.
//! This module only adds what a network service needs around them: limits, auth,
//! request ids, metrics, the audit trail and an atomic swap of the screener on reload.
//!
//! The parts, each depending only on those above it:
//! - `error`, `metrics`, `audit`, `schema`: leaves (error answers, counters, the
//!   audit file, the request-schema check);
//! - `openapi` (the served document), `admit` (tickets, slots, deadlines, jobs);
//! - `state` (what requests share), then `reload`, `body` (extractors), `layers`;
//! - `watch` (list versions and re-screening), `routes` (handlers and router),
//!   `conn` (one connection), `listen` (the accept loop and shutdown); this module
//!   starts it all.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

use clap::Args;

use embargo::engine::{ScreenOptions, Screener};

use super::{Context, Exit, Failure, RulesArgs};

mod admit;
mod audit;
mod body;
mod conn;
mod error;
mod layers;
mod listen;
mod metrics;
mod openapi;
mod reload;
mod routes;
mod schema;
mod state;
mod watch;

use state::{AppState, Loaded};

/// Arguments of `embargo serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    rules: RulesArgs,
    /// Address to listen on (default: `server.addr`, 127.0.0.1:8080). Port 0 picks a
    /// free port; the address actually bound is printed on stderr.
    #[arg(long, value_name = "HOST:PORT")]
    addr: Option<String>,
    /// Append one JSON line per decision to this file (default: `server.audit_log`).
    #[arg(long, value_name = "FILE")]
    audit_log: Option<PathBuf>,
    /// Worker threads of the async runtime (default: one per core).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Listen on an address other machines can reach without a bearer token
    /// (EMBARGO_TOKEN or server.token_file). Without this flag that is refused.
    #[arg(long)]
    insecure_no_token: bool,
}

/// The environment variable that holds the bearer token; it takes precedence over
/// `server.token_file`.
const TOKEN_ENV: &str = "EMBARGO_TOKEN";

/// The bearer token, when one is configured: `EMBARGO_TOKEN`, else the first line of
/// `server.token_file`. An empty token is refused rather than taken as "no auth".
fn token(ctx: &Context) -> Result<Option<String>, Failure> {
    if let Ok(t) = std::env::var(TOKEN_ENV) {
        let t = t.trim().to_string();
        if t.is_empty() {
            return Err(Failure(format!("{TOKEN_ENV} is set but empty")));
        }
        return Ok(Some(t));
    }
    let Some(path) = &ctx.settings.server.token_file else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("server.token_file {path}: {e}")))?;
    let t = text.lines().next().unwrap_or("").trim().to_string();
    if t.is_empty() {
        return Err(Failure(format!("server.token_file {path} holds no token")));
    }
    Ok(Some(t))
}

/// Loads the rules, binds the address, prints it on stderr and serves until SIGINT
/// or SIGTERM.
pub fn run(ctx: &Context, args: &ServeArgs) -> Result<Exit, Failure> {
    let server = &ctx.settings.server;
    let addr_text = args.addr.clone().unwrap_or_else(|| server.addr.clone());
    // `localhost:8080` as well as `127.0.0.1:8080`; a name resolves to its first address.
    let addr: SocketAddr = addr_text
        .to_socket_addrs()
        .map_err(|e| Failure(format!("--addr `{addr_text}`: {e}")))?
        .next()
        .ok_or_else(|| Failure(format!("--addr `{addr_text}`: no address")))?;
    let token = token(ctx)?;
    if token.is_none() && !addr.ip().is_loopback() && !args.insecure_no_token {
        return Err(Failure(format!(
            "refusing to listen on {addr} without a bearer token: anyone who can reach it \
             could screen, read the ruleset and reload it. Set EMBARGO_TOKEN or \
             server.token_file, listen on a loopback address, or pass --insecure-no-token"
        )));
    }
    let audit_path = args
        .audit_log
        .clone()
        .or_else(|| server.audit_log.as_ref().map(PathBuf::from));
    let audit = match &audit_path {
        Some(p) => {
            Some(audit::Audit::open(p).map_err(|e| Failure(format!("{}: {e}", p.display())))?)
        }
        None => None,
    };

    let ruleset = ctx.ruleset(&args.rules)?;
    let screener = Screener::new(ruleset, ScreenOptions::from(&ctx.settings));
    eprintln!("embargo: {}", state::summary(screener.ruleset()));
    for warning in screener.staleness_warnings() {
        eprintln!("embargo: {warning}");
    }

    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    if let Some(n) = args.threads.filter(|n| *n > 0) {
        runtime.worker_threads(n);
    }
    // Screening never runs on more threads than there are slots, but tokio starts a
    // new blocking thread whenever none is idle at that instant, and each screening
    // thread keeps its own name memo: under churn the pool grew past 170 threads and
    // its memory with it. A few more threads than slots serve reloads and file I/O.
    runtime.max_blocking_threads(server.max_concurrency.clamp(1, 4096) + 4);
    let runtime = runtime
        .build()
        .map_err(|e| Failure(format!("cannot start the async runtime: {e}")))?;

    let state = AppState::new(
        ctx.settings.clone(),
        args.rules.clone(),
        Loaded::new(screener),
        audit,
        token,
    )
    .map_err(Failure)?;
    let served = runtime.block_on(serve(addr, state));
    // Work abandoned at shutdown may still be running on the blocking pool; it was
    // told to stop, and the process does not wait for it beyond this.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    served?;
    Ok(Exit::Ok)
}

async fn serve(addr: SocketAddr, state: AppState) -> Result<(), Failure> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure(format!("cannot listen on {addr}: {e}")))?;
    let auth = if state.has_token() {
        "bearer token required"
    } else {
        "no auth"
    };
    let (cap, limit) = listen::connection_cap(state.settings.server.max_connections);
    let limit = limit.map_or_else(String::new, |l| format!(", open-file limit {l}"));
    // The signal handlers are in place before anyone can learn the address, so a
    // signal sent right after start is never met by the default action.
    let stop = shutdown_signal();
    spawn_sighup(state.clone());
    // Tests and scripts read the port from this line (`--addr 127.0.0.1:0`).
    eprintln!("embargo: listening on http://{local} ({auth}; at most {cap} connections{limit})");
    let app = routes::router(state.clone());
    listen::serve(listener, app, state, cap, stop).await;
    Ok(())
}

/// A future that resolves on Ctrl-C, or SIGTERM on unix; the handlers are installed
/// when it is made, not when it is first polled.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        // If a handler cannot be installed there is no such signal to wait for.
        let mut term = signal(SignalKind::terminate()).ok();
        let mut int = signal(SignalKind::interrupt()).ok();
        async move {
            let term = async {
                match term.as_mut() {
                    Some(s) => drop(s.recv().await),
                    None => std::future::pending().await,
                }
            };
            let int = async {
                match int.as_mut() {
                    Some(s) => drop(s.recv().await),
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = term => {},
                () = int => {},
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// On every SIGHUP, reopens the audit log and reloads the rules as `POST /v1/reload`
/// does.
fn spawn_sighup(state: AppState) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hup) = signal(SignalKind::hangup()) else {
            eprintln!("embargo: cannot listen for SIGHUP; reload with POST /v1/reload");
            return;
        };
        tokio::spawn(async move {
            while hup.recv().await.is_some() {
                reload::hangup(&state).await;
            }
        });
    }
    #[cfg(not(unix))]
    drop(state);
}
