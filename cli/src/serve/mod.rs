//! `embargo serve`: a JSON API over the library (screen, match, classify, compare,
//! entity look-up, ruleset), with health checks, Prometheus metrics, rules reload
//! (endpoint and SIGHUP) and an audit log.
//!
//! A thin shell: every answer comes from [`embargo::engine::Screener`] and the
//! request/answer types of [`embargo::api`], the same ones the CLI's JSON lines use.
//! This module only adds what a network service needs around them: limits, auth,
//! request ids, metrics, the audit trail and an atomic swap of the screener on reload.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

use clap::Args;

use embargo::engine::{ScreenOptions, Screener};

use super::{Context, Exit, Failure, RulesArgs};

mod audit;
mod body;
mod layers;
mod metrics;
mod routes;
mod state;

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
    let runtime = runtime
        .build()
        .map_err(|e| Failure(format!("cannot start the async runtime: {e}")))?;

    let state = AppState::new(
        ctx.settings.clone(),
        args.rules.clone(),
        Loaded::new(screener),
        audit,
        token,
    );
    runtime.block_on(serve(addr, state))?;
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
    // Tests and scripts read the port from this line (`--addr 127.0.0.1:0`).
    eprintln!("embargo: listening on http://{local} ({auth})");

    spawn_sighup_reload(state.clone());
    let app = routes::router(state.clone());
    let shutdown_state = state.clone();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // Readiness turns false first, so a balancer stops sending new requests
            // while the ones in flight are answered.
            shutdown_state.set_ready(false);
            eprintln!("embargo: shutting down");
        })
        .await
        .map_err(|e| Failure(format!("server error: {e}")))?;
    Ok(())
}

/// Resolves on Ctrl-C, or SIGTERM on unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed there is no Ctrl-C to wait for.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {},
                    _ = term.recv() => {},
                }
            }
            Err(_) => ctrl_c.await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

/// Reloads the rules on every SIGHUP, as `POST /v1/reload` does.
fn spawn_sighup_reload(state: AppState) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hup) = signal(SignalKind::hangup()) else {
            eprintln!("embargo: cannot listen for SIGHUP; reload with POST /v1/reload");
            return;
        };
        tokio::spawn(async move {
            while hup.recv().await.is_some() {
                // The outcome is logged by `reload` itself.
                let _ = state.reload().await;
            }
        });
    }
    #[cfg(not(unix))]
    drop(state);
}
