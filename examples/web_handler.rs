//! Embed the screener in a web handler of your own: one `Screener`, built once and
//! shared by every request (it is `Send + Sync` and cheap to clone), screening the
//! orders posted to `POST /check`. Screening is CPU work, so it runs on tokio's
//! blocking pool rather than on the async workers.
//!
//! The example starts the server on a free port of 127.0.0.1, posts one order to it
//! the way a client would, prints the answer and stops. Run with
//! `cargo run --release --example web_handler`. (`embargo serve` is the full service:
//! limits, auth, audit log, reload, metrics.)

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use embargo::{Order, OrderDecision, Ruleset, ScreenOptions, Screener};
use std::io::{Read, Write};

async fn check(
    State(screener): State<Screener>,
    body: String,
) -> Result<Json<OrderDecision>, (StatusCode, String)> {
    let order =
        Order::from_json(&body).map_err(|e| (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    tokio::task::spawn_blocking(move || screener.screen(&order))
        .await
        .map(Json)
        .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let screener = Screener::new(Ruleset::embedded()?, ScreenOptions::default());
    let app = Router::new()
        .route("/check", post(check))
        .with_state(screener);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });

    // A client posting an order (plain HTTP/1.1 over a socket, to need no client crate).
    let order = r#"{"id":"WEB-1","parties":[{"role":"consignee","name":"Ocean Maritime Management Co Ltd"}],"route":{"destination":"Nampo"}}"#;
    let request = format!(
        "POST /check HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{order}",
        order.len()
    );
    let response = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
        let mut stream = std::net::TcpStream::connect(addr)?;
        stream.write_all(request.as_bytes())?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        Ok(response)
    })
    .await??;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    println!("{}", head.lines().next().unwrap_or(""));
    let decision: serde_json::Value = serde_json::from_str(body)?;
    println!("{} {}", decision["id"], decision["decision"]);
    for hit in decision["hits"].as_array().into_iter().flatten() {
        // One hit per real party: the entry that matched, and its entries on other lists.
        println!(
            "  {} {} {} also {}",
            hit["rule"], hit["field"], hit["entity"], hit["also"]
        );
    }
    Ok(())
}
