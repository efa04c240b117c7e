//! Load generator for `embargo serve`: keeps-alive connections posting single-order
//! screening requests (or GETs, for a baseline), and prints one Markdown table row
//! with throughput, errors and latency percentiles.
//!
//! ```text
//! cargo run --release -p embargo-cli --example loadgen -- --addr 127.0.0.1:8080 [--path /v1/screen]
//!     [--get] [--connections 8] [--seconds 10] [--rate 2000] [--hard-every 25]
//!     [--batch N] [--label NAME] [--header] [--server-pid PID]
//! cargo run --release -p embargo-cli --example loadgen -- --print-orders N [--hard-every 25]
//! ```
//!
//! Without `--rate` the load is closed-loop (each connection sends its next request
//! when the last one is answered): the figure is the most the service answers. With
//! `--rate R` requests are sent on a fixed schedule of R per second and latency is
//! counted from when each request was due, not when it went out, so a stall shows up
//! in the percentiles instead of quietly lowering the rate (coordinated omission).
//! `--batch N` sends `{"orders": [...]}` with N orders per request (1 MB at about
//! 3,000). Answers 429 (the server's queue was full) are counted apart from errors;
//! with `--server-pid` the row also gives the server's peak resident memory.
//! Only loopback addresses are accepted; every run is bounded in time.

#[path = "../tests/support/http.rs"]
mod http;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Options {
    addr: String,
    path: String,
    get: bool,
    connections: usize,
    seconds: f64,
    rate: Option<f64>,
    label: String,
    header: bool,
    token: Option<String>,
    hard_every: usize,
    batch: usize,
    print_orders: Option<usize>,
    server_pid: Option<u32>,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        addr: "127.0.0.1:8080".into(),
        path: "/v1/screen".into(),
        get: false,
        connections: 8,
        seconds: 10.0,
        rate: None,
        label: String::new(),
        header: false,
        token: std::env::var("EMBARGO_TOKEN").ok(),
        hard_every: 25,
        batch: 1,
        print_orders: None,
        server_pid: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--addr" => o.addr = value("--addr")?,
            "--path" => o.path = value("--path")?,
            "--get" => o.get = true,
            "--connections" => {
                o.connections = value("--connections")?
                    .parse()
                    .map_err(|e| format!("--connections: {e}"))?
            }
            "--seconds" => {
                o.seconds = value("--seconds")?
                    .parse()
                    .map_err(|e| format!("--seconds: {e}"))?
            }
            "--rate" => {
                o.rate = Some(
                    value("--rate")?
                        .parse()
                        .map_err(|e| format!("--rate: {e}"))?,
                )
            }
            "--label" => o.label = value("--label")?,
            "--server-pid" => {
                o.server_pid = Some(
                    value("--server-pid")?
                        .parse()
                        .map_err(|e| format!("--server-pid: {e}"))?,
                )
            }
            "--print-orders" => {
                o.print_orders = Some(
                    value("--print-orders")?
                        .parse()
                        .map_err(|e| format!("--print-orders: {e}"))?,
                )
            }
            "--hard-every" => {
                o.hard_every = value("--hard-every")?
                    .parse()
                    .map_err(|e| format!("--hard-every: {e}"))?
            }
            "--batch" => {
                o.batch = value("--batch")?
                    .parse()
                    .map_err(|e| format!("--batch: {e}"))?
            }
            "--header" => o.header = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let addr: SocketAddr = o.addr.parse().map_err(|e| format!("--addr: {e}"))?;
    // Load is only ever sent to this machine.
    if !addr.ip().is_loopback() {
        return Err(format!("--addr {addr} is not a loopback address"));
    }
    if !(0.1..=600.0).contains(&o.seconds) {
        return Err("--seconds must lie between 0.1 and 600".into());
    }
    o.connections = o.connections.clamp(1, 1024);
    o.batch = o.batch.clamp(1, 100_000);
    if o.label.is_empty() {
        let method = if o.get { "GET" } else { "POST" };
        o.label = format!("{method} {}", o.path);
    }
    Ok(o)
}

/// Orders of the kind an order-entry system sends, all different so no cache helps.
/// `hard_every`: one order in that many names a party on (or close to) a DPRK list,
/// the costliest kind to screen (deeper name searches, more hits, longer answers);
/// the others are ordinary trade, some with luxury goods or near-DPRK routes.
fn orders(n: usize, hard_every: usize) -> Vec<String> {
    const BUYERS: [(&str, &str); 10] = [
        ("Acme Tools GmbH", "DE"),
        ("Jiangsu Overseas Group Co", "CN"),
        ("Northwind Traders Ltd", "GB"),
        ("Dalian Ocean Shipping Agency", "CN"),
        ("Blue Harbor Logistics LLC", "US"),
        ("Societe Generale des Eaux", "FR"),
        ("Golden Star Trading FZE", "AE"),
        ("Mitsui Chemical Supply KK", "JP"),
        ("Pacific Rim Foods Pty Ltd", "AU"),
        ("Andes Copper Exports SA", "CL"),
    ];
    const LISTED: [(&str, &str); 4] = [
        ("Korea Mining Development Trading Corporation", "KP"),
        ("Tanchon Commercial Bank", "KP"),
        ("Ocean Maritime Management Company", "KP"),
        ("Hyoksin Textile Co", "CN"),
    ];
    const SELLERS: [&str; 4] = [
        "Global Machinery Export Inc",
        "Rotterdam Parts BV",
        "Singapore Electronics Pte Ltd",
        "Istanbul Textiles AS",
    ];
    const GOODS: [(&str, &str, f64); 8] = [
        ("Hydraulic pumps, spare parts", "8413.60", 12_000.0),
        ("Lexus LX570 SUV, 2020", "8703.24", 95_000.0),
        ("Cotton T-shirts, assorted", "6109.10", 4_000.0),
        ("Rolex Submariner wristwatch", "9101.21", 11_000.0),
        ("Frozen fish fillets", "0304.89", 20_000.0),
        ("Laptop computers", "8471.30", 30_000.0),
        ("Cognac Hennessy XO 70cl", "2208.20", 6_000.0),
        ("Steel bolts M8", "7318.15", 800.0),
    ];
    const PORTS: [(&str, &str, &str); 5] = [
        ("CN", "KR", "Busan"),
        ("AE", "CN", "Ningbo"),
        ("DE", "US", "Rotterdam"),
        ("CN", "RU", "Vladivostok"),
        ("JP", "CN", "Dalian"),
    ];
    (0..n)
        .map(|k| {
            let (buyer, country) = if hard_every > 0 && k % hard_every == 0 {
                LISTED[k / hard_every % LISTED.len()]
            } else {
                BUYERS[k % BUYERS.len()]
            };
            let seller = SELLERS[k / 3 % SELLERS.len()];
            let (description, hs, value) = GOODS[k / 2 % GOODS.len()];
            let (origin, destination, via) = PORTS[k / 5 % PORTS.len()];
            serde_json::json!({
                "id": format!("LOAD-{k}"),
                "parties": [
                    {"role": "buyer", "name": buyer, "country": country},
                    {"role": "seller", "name": seller},
                ],
                "goods": [{"description": description, "hs": hs, "quantity": 1 + k % 7,
                           "value": value, "currency": "USD"}],
                "route": {"origin": origin, "destination": destination, "via": [via]},
            })
            .to_string()
        })
        .collect()
}

struct Outcome {
    latencies: Vec<Duration>,
    errors: usize,
    refused: usize,
    first_error: Option<String>,
}

fn worker(o: Arc<Options>, k: usize, bodies: Arc<Vec<String>>, stop: Arc<AtomicBool>) -> Outcome {
    let mut out = Outcome {
        latencies: Vec::with_capacity(65_536),
        errors: 0,
        refused: 0,
        first_error: None,
    };
    let auth = o.token.as_ref().map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(a) = &auth {
        headers.push(("Authorization", a.as_str()));
    }
    let mut conn = None;
    // Fixed-rate mode: this connection's share of the schedule.
    let interval = o
        .rate
        .map(|r| Duration::from_secs_f64(o.connections as f64 / r.max(0.001)));
    let start = Instant::now();
    let mut due = start
        + interval.map_or(Duration::ZERO, |i| {
            i.mul_f64(k as f64 / o.connections as f64)
        });
    let mut n = k;
    while !stop.load(Ordering::Relaxed) {
        if interval.is_some() {
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
        }
        let sent = if interval.is_some() {
            due
        } else {
            Instant::now()
        };
        if conn.is_none() {
            conn = http::Conn::connect(&o.addr).ok();
        }
        let result = match conn.as_mut() {
            None => Err("cannot connect".to_string()),
            Some(c) if o.get => c
                .send("GET", &o.path, &headers[1..], None)
                .map_err(|e| e.to_string()),
            Some(c) => {
                let body = &bodies[n % bodies.len()];
                c.send("POST", &o.path, &headers, Some(body.as_bytes()))
                    .map_err(|e| e.to_string())
            }
        };
        match result {
            Ok(r) if r.status == 200 => out.latencies.push(sent.elapsed()),
            Ok(r) if r.status == 429 => {
                out.refused += 1;
                // Refused before its body was read: the server closes the connection
                // unless it had the whole body already.
                if r.header("connection") == Some("close") {
                    conn = None;
                }
            }
            Ok(r) => {
                out.errors += 1;
                out.first_error
                    .get_or_insert(format!("{} {}", r.status, r.text()));
            }
            Err(e) => {
                out.errors += 1;
                out.first_error.get_or_insert(e);
                conn = None;
            }
        }
        n += o.connections;
        if let Some(i) = interval {
            due += i;
        }
    }
    out
}

/// CPU seconds (user + system) a process has used so far, from `/proc` (Linux);
/// `None` elsewhere. Clock ticks are taken to be 100 per second, as on every Linux
/// build that matters here.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// The peak resident memory of a process so far, in MB, from `/proc` (Linux).
fn peak_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Request bodies: single orders, or batches of `batch` orders.
fn bodies(o: &Options) -> Vec<String> {
    if o.batch <= 1 {
        return orders(4096, o.hard_every);
    }
    let all = orders(o.batch * 4, o.hard_every);
    all.chunks(o.batch)
        .map(|c| format!("{{\"orders\":[{}]}}", c.join(",")))
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[k.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn main() {
    let o = match parse_args() {
        Ok(o) => Arc::new(o),
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::exit(1);
        }
    };
    if let Some(n) = o.print_orders {
        // The same orders as JSON lines, for `embargo screen`: the engine alone.
        for body in orders(n, o.hard_every) {
            println!("{body}");
        }
        return;
    }
    let bodies = Arc::new(bodies(&o));
    let stop = Arc::new(AtomicBool::new(false));
    let cpu_before = o.server_pid.and_then(cpu_seconds);
    let started = Instant::now();
    let handles: Vec<_> = (0..o.connections)
        .map(|k| {
            let (o, bodies, stop) = (o.clone(), bodies.clone(), stop.clone());
            std::thread::spawn(move || worker(o, k, bodies, stop))
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(o.seconds));
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut refused = 0;
    let mut first_error = None;
    for h in handles {
        if let Ok(out) = h.join() {
            latencies.extend(out.latencies);
            errors += out.errors;
            refused += out.refused;
            first_error = first_error.or(out.first_error);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    // Server CPU per answered request: a figure the other load on a shared machine
    // does not move much, unlike requests per second.
    let cpu_per_request = match (cpu_before, o.server_pid.and_then(cpu_seconds)) {
        (Some(a), Some(b)) if !latencies.is_empty() => {
            format!("{:.0}", (b - a) * 1e6 / latencies.len() as f64)
        }
        _ => "-".to_string(),
    };
    let peak = o
        .server_pid
        .and_then(peak_rss_mb)
        .map_or("-".to_string(), |mb| format!("{mb:.0}"));
    if o.header {
        println!("| load | connections | target req/s | requests | errors | req/s | p50 ms | p99 ms | max ms | server CPU µs/req | 429s | server peak RSS MB |");
        println!(
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        );
    }
    println!(
        "| {} | {} | {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {} | {} |",
        o.label,
        o.connections,
        o.rate.map_or("max".to_string(), |r| format!("{r:.0}")),
        latencies.len(),
        errors,
        latencies.len() as f64 / elapsed,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
        cpu_per_request,
        refused,
        peak,
    );
    if let Some(e) = first_error {
        eprintln!(
            "loadgen: first error: {}",
            e.chars().take(300).collect::<String>()
        );
    }
}
