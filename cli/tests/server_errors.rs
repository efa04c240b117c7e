//! `embargo serve` refusing what it cannot take: malformed bodies, fields the
//! document does not have, orders with nothing to screen, requests the HTTP parser
//! refuses; every refusal a JSON 4xx, none a 5xx, and no order contents in the log.
//! Against the real binary on 127.0.0.1 (see `support/server.rs`).

#[path = "support/http.rs"]
mod http;
#[path = "support/server.rs"]
mod server;

use server::{assert_json_error, Server, TempDir, PLAIN_ORDER, RULES};

#[test]
fn malformed_requests_get_json_4xx_and_no_order_contents_reach_the_log() {
    let dir = TempDir::new("bad");
    let rules = dir.write("rules.emb", RULES);
    let config = dir.write("embargo.toml", "[server]\nmax_body_bytes = 4096\n");
    let server = Server::with_rules(&rules, &["--config", config.to_str().unwrap()]);
    let secret = "Quixotic Secretname Trading";

    // Not JSON, not readable, empty.
    assert_json_error(&server.post("/v1/screen", "{\"id\": "), 400, "invalid JSON");
    assert_json_error(
        &server.post(
            "/v1/screen",
            &format!("{{\"id\":\"1\",\"parties\":[{{\"name\":\"{secret}\"}}],}}"),
        ),
        400,
        "invalid JSON",
    );
    assert_json_error(&server.post("/v1/screen", ""), 400, "empty");
    assert_json_error(&server.post("/v1/match", "  \n"), 400, "empty");
    let r = server.send(
        "POST",
        "/v1/screen",
        &[("Content-Type", "application/json")],
        Some(b"{\"id\":\"\xff\xfe\"}"),
    );
    assert_json_error(&r, 400, "invalid JSON");
    let deep = format!("{}{}", "[".repeat(2000), "]".repeat(2000));
    assert_json_error(&server.post("/v1/screen", &deep), 400, "invalid JSON");
    // Understood as JSON, but not a valid request.
    assert_json_error(&server.post("/v1/screen", "{}"), 422, "id");
    assert_json_error(&server.post("/v1/screen", r#"{"id":"  "}"#), 422, "id");
    assert_json_error(&server.post("/v1/screen", "[1,2]"), 422, "an array");
    assert_json_error(
        &server.post("/v1/screen", r#"{"orders": {"id": "1"}}"#),
        422,
        "orders",
    );
    assert_json_error(
        &server.post(
            "/v1/screen",
            r#"{"orders": [{"id": "1", "route": {"destination": "CN"}}, 5]}"#,
        ),
        422,
        "orders[1]",
    );
    assert_json_error(
        &server.post(
            "/v1/screen",
            &format!(
                r#"{{"id":"1","parties":[{{"name":"{secret}"}}],"goods":[{{"value":"ten"}}]}}"#
            ),
        ),
        422,
        "",
    );
    assert_json_error(
        &server.post("/v1/screen", r#"{"id":"1","goods":[{"quantity":-3}]}"#),
        422,
        "goods[0].quantity",
    );
    assert_json_error(
        &server.post("/v1/screen", r#"{"id":"1","goods":[{"hs":"ABCD"}]}"#),
        422,
        "goods[0].hs",
    );
    // Classify checks a declared code as screen does: 6 to 10 digits or a heading.
    for hs in ["abc", "10121"] {
        assert_json_error(
            &server.post(
                "/v1/classify",
                &format!(r#"{{"description":"steel bolts","hs":"{hs}"}}"#),
            ),
            422,
            "not an HS code",
        );
    }
    assert_eq!(
        server
            .post(
                "/v1/classify",
                r#"{"description":"steel bolts","hs":"7318"}"#
            )
            .status,
        200
    );
    assert_json_error(
        &server.post("/v1/screen", r#"{"id":"1","parties":"Komid"}"#),
        422,
        "",
    );
    assert_json_error(
        &server.post("/v1/match", r#"{"kind":"person"}"#),
        422,
        "name",
    );
    assert_json_error(
        &server.post(
            "/v1/match",
            &format!(r#"{{"name":"{secret}","kind":"boat"}}"#),
        ),
        422,
        "kind",
    );
    assert_json_error(
        &server.post("/v1/match", r#"{"name":"x","limit":0}"#),
        422,
        "limit",
    );
    assert_json_error(
        &server.post("/v1/match", r#"{"name":"x","threshold":1.5}"#),
        422,
        "threshold",
    );
    assert_json_error(&server.post("/v1/match", r#"{"name":["x"]}"#), 422, "");
    assert_json_error(&server.post("/v1/match", "\"komid\""), 422, "a string");
    assert_json_error(
        &server.post("/v1/classify", r#"{"id":1}"#),
        422,
        "description",
    );
    assert_json_error(
        &server.post("/v1/classify", r#"{"description":"x","value":-1}"#),
        422,
        "value",
    );
    assert_json_error(&server.post("/v1/compare", r#"{"a":"x"}"#), 422, "`b`");
    // Too large: declared, and streamed without a length.
    let big = format!(
        r#"{{"id":"1","parties":[{{"name":"{}"}}]}}"#,
        "A".repeat(5000)
    );
    assert_json_error(&server.post("/v1/screen", &big), 413, "4096");
    let mut c = server.conn();
    let mut raw = b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..5 {
        raw.extend_from_slice(b"400\r\n");
        raw.extend_from_slice(&[b' '; 0x400]);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    c.send_raw(&raw).unwrap();
    assert_json_error(&c.read_response().unwrap(), 413, "4096");
    // Not JSON by its type.
    let r = server.send(
        "POST",
        "/v1/screen",
        &[("Content-Type", "text/plain")],
        Some(PLAIN_ORDER.as_bytes()),
    );
    assert_json_error(&r, 415, "application/json");
    let r = server.send(
        "POST",
        "/v1/screen",
        &[("Content-Type", "multipart/form-data; boundary=x")],
        Some(b"--x--"),
    );
    assert_json_error(&r, 415, "application/json");
    // JSON without a type, or with `curl -d`'s default type, is read as JSON.
    let plain = Some(PLAIN_ORDER.as_bytes());
    let r = server.send("POST", "/v1/screen", &[], plain);
    assert_eq!(r.status, 200, "{}", r.text());
    let r = server.send(
        "POST",
        "/v1/screen",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        plain,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = server.send(
        "POST",
        "/v1/screen",
        &[("Content-Type", "application/json; charset=utf-8")],
        plain,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // Unknown routes and methods; a 405 says what is allowed.
    assert_json_error(&server.get("/v2/screen"), 404, "/v2/screen");
    let r = server.get("/v1/screen");
    assert_json_error(&r, 405, "GET");
    assert_eq!(r.header("allow"), Some("POST"));
    let r = server.send("DELETE", "/v1/ruleset", &[], None);
    assert_json_error(&r, 405, "DELETE");
    assert_eq!(r.header("allow"), Some("GET, HEAD"));

    // Still serving after all that, and the log holds statuses, not contents.
    assert_eq!(server.get("/healthz").status, 200);
    let ok = server.post(
        "/v1/screen",
        &format!(r#"{{"id":"ok","parties":[{{"name":"{secret}"}}]}}"#),
    );
    assert_eq!(ok.status, 200);
    let log = server.log_with(&["-> 422", "-> 413", "-> 400"]);
    assert!(
        log.contains("-> 422") && log.contains("-> 413") && log.contains("-> 400"),
        "{log}"
    );
    assert!(
        !log.contains("Secretname"),
        "order contents in the log:\n{log}"
    );
    assert!(!log.to_lowercase().contains("panic"), "{log}");
}

#[test]
fn unknown_fields_nulls_and_empty_orders_are_refused_as_the_document_says() {
    let dir = TempDir::new("strict");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);
    // A misspelt field must not clear an order by being ignored.
    for (body, field) in [
        (
            r#"{"id":"T1","party":[{"name":"Korea Kumsan Trading Corporation"}]}"#,
            "`party`",
        ),
        (
            r#"{"id":"T2","parties":[{"full_name":"KOMID"}]}"#,
            "`full_name`",
        ),
        (
            r#"{"id":"T3","destination":"KP","goods":[{"description":"Rolex"}]}"#,
            "`destination`",
        ),
        (
            r#"{"id":"T4","Route":{"destination":"KP"},"parties":[{"name":"x"}]}"#,
            "`Route`",
        ),
        (
            r#"{"id":"T5","goods":[{"description":"watch","hs_code":"9101"}]}"#,
            "`hs_code`",
        ),
        (
            r#"{"orders":[{"id":"T6","route":{"destination":"KP","port":"Nampo"}}]}"#,
            "`port`",
        ),
    ] {
        let r = server.post("/v1/screen", body);
        assert_json_error(&r, 422, field);
    }
    let r = server.post(
        "/v1/screen",
        r#"{"id":"T5","goods":[{"description":"watch","hs_code":"9101"}]}"#,
    );
    assert_json_error(&r, 422, "goods[0]");
    for (path, body, field) in [
        (
            "/v1/match",
            r#"{"name":"KOMID","treshold":0.5}"#,
            "`treshold`",
        ),
        (
            "/v1/classify",
            r#"{"description":"watch","hs_code":"9101"}"#,
            "`hs_code`",
        ),
        (
            "/v1/compare",
            r#"{"a":"x","b":"y","kind ":"person"}"#,
            "`kind `",
        ),
        ("/v1/reload", r#"{"dry_run":true}"#, "`dry_run`"),
    ] {
        assert_json_error(&server.post(path, body), 422, field);
    }
    // The party evidence CONTRACT.md names is taken; a date that is none is not.
    let r = server.post(
        "/v1/screen",
        r#"{"id":"E1","parties":[{"name":"KOMID","dob":"1961-04","nationality":"KP",
            "identifiers":[{"type":"passport","value":"P-123"}]}]}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_json_error(
        &server.post(
            "/v1/screen",
            r#"{"id":"E2","parties":[{"name":"x","dob":"April 1961"}]}"#,
        ),
        422,
        "parties[0].dob",
    );
    assert_json_error(
        &server.post(
            "/v1/screen",
            r#"{"id":"E3","parties":[{"name":"x","identifiers":[{"type":"passport","number":"1"}]}]}"#,
        ),
        422,
        "parties[0].identifiers[0]",
    );
    // What the order model checks (the document states the shapes it can), as the
    // CLI and the Python package do.
    for (body, needle) in [
        (
            r#"{"id":"E4","parties":[{"name":"x","dob":"1984-02-30"}]}"#,
            "not a date of birth",
        ),
        (
            r#"{"id":"E5","parties":[{"name":"x","country":"XX"}]}"#,
            "parties[0].country: `XX` is not a country",
        ),
        (
            r#"{"id":"E6","route":{"destination":"ZZ"}}"#,
            "route.destination: `ZZ` looks like a country code",
        ),
        (
            r#"{"id":"E7","route":{"imo":"IMO 123"}}"#,
            "not an IMO number",
        ),
    ] {
        assert_json_error(&server.post("/v1/screen", body), 422, needle);
    }
    assert_json_error(
        &server.post("/v1/match", r#"{"name":"KOMID","country":"Narnia"}"#),
        422,
        "`Narnia` is not a country",
    );
    // An order that says nothing is refused, not cleared.
    for body in [
        r#"{"id":"X"}"#,
        r#"{"id":"X","parties":[],"goods":[],"route":{}}"#,
        r#"{"id":"X","route":{"destination":"  ","via":[]}}"#,
    ] {
        assert_json_error(&server.post("/v1/screen", body), 422, "nothing to screen");
    }
    assert_json_error(
        &server.post("/v1/screen", r#"{"id":"X","parties":[{"role":"buyer"}]}"#),
        422,
        "parties[0]: a party needs a name",
    );
    assert_json_error(
        &server.post("/v1/screen", r#"{"id":"X","goods":[{"quantity":2}]}"#),
        422,
        "goods[0]: a goods line needs a description or an HS code",
    );
    // Typed as the document says: text is not a number, a number not text.
    assert_json_error(
        &server.post("/v1/match", r#"{"name":"KOMID","limit":"5"}"#),
        422,
        "limit: expected a whole number",
    );
    assert_json_error(
        &server.post(
            "/v1/screen",
            r#"{"id":"1","goods":[{"description":"x","value":"1,000"}]}"#,
        ),
        422,
        "goods[0].value",
    );
    assert_json_error(
        &server.post("/v1/screen", r#"{"id":"1","parties":[{"name":17}]}"#),
        422,
        "parties[0].name",
    );
    // Null where the document says nullable means absent; elsewhere it is refused.
    let doc = server.get("/openapi.json").json();
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in [
        ("GoodsLine", "quantity"),
        ("MatchRequest", "kind"),
        ("MatchRequest", "threshold"),
        ("Route", "imo"),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["nullable"], true,
            "{schema}.{field}"
        );
    }
    for (path, body) in [
        (
            "/v1/screen",
            r#"{"id":"N","goods":[{"description":"watch","quantity":null}]}"#,
        ),
        (
            "/v1/screen",
            r#"{"id":"N","route":{"destination":"CN","imo":null}}"#,
        ),
        (
            "/v1/match",
            r#"{"name":"KOMID","kind":null,"threshold":null}"#,
        ),
    ] {
        let r = server.post(path, body);
        assert_eq!(r.status, 200, "{path} {body}: {}", r.text());
    }
    assert_eq!(
        schemas["MatchRequest"]["properties"]["name"].get("nullable"),
        None
    );
    assert_json_error(&server.post("/v1/match", r#"{"name":null}"#), 422, "name");
    assert_json_error(
        &server.post("/v1/screen", r#"{"id":null,"route":{"origin":"KP"}}"#),
        422,
        "id",
    );
}

#[test]
fn the_http_parsers_own_refusals_are_json_errors_too() {
    let dir = TempDir::new("parser");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);
    let refused = |raw: &[u8]| {
        let mut c = server.conn();
        c.send_raw(raw).expect("sent");
        c.read_response().expect("an answer")
    };
    // A request line that is not HTTP; a header without a colon.
    assert_json_error(&refused(b"HELLO\x01 WORLD\r\n\r\n"), 400, "not valid HTTP");
    assert_json_error(
        &refused(b"GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"),
        400,
        "not valid HTTP",
    );
    // A URI over the parser's limit.
    let uri = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
    assert_json_error(&refused(uri.as_bytes()), 414, "URI");
    // Headers over the parser's limit, in size and in number.
    let header = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "b".repeat(500_000)
    );
    assert_json_error(&refused(header.as_bytes()), 431, "headers");
    let mut many = String::from("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    for k in 0..200 {
        many.push_str(&format!("X-H{k}: {k}\r\n"));
    }
    many.push_str("\r\n");
    assert_json_error(&refused(many.as_bytes()), 431, "headers");
    // Counted, and the server is fine.
    assert_eq!(
        server.metric("embargo_http_protocol_errors_total{status=\"400\"}"),
        Some(2.0)
    );
    assert_eq!(
        server.metric("embargo_http_protocol_errors_total{status=\"414\"}"),
        Some(1.0)
    );
    assert_eq!(
        server.metric("embargo_http_protocol_errors_total{status=\"431\"}"),
        Some(2.0)
    );
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn a_key_given_twice_is_refused_on_every_endpoint_naming_it() {
    let dir = TempDir::new("dupkey");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);
    // Each body keeps its listed party, its DPRK destination or its name only in the
    // first of two equal keys: read last-wins, every one would clear.
    let cases = [
        (
            "/v1/screen",
            r#"{"id":"x","parties":[{"name":"KOMID"}],"parties":[{"name":"Acme Ltd"}]}"#,
            "duplicate field `parties`",
        ),
        (
            "/v1/screen",
            r#"{"id":"x","parties":[{"name":"KOMID","name":"Acme Ltd"}]}"#,
            "parties[0]: duplicate field `name`",
        ),
        (
            "/v1/screen",
            r#"{"id":"x","route":{"destination":"KP","destination":"CN"}}"#,
            "route: duplicate field `destination`",
        ),
        (
            "/v1/screen",
            r#"{"orders":[{"id":"a","parties":[{"name":"KOMID"}]}],"orders":[]}"#,
            "duplicate field `orders`",
        ),
        (
            "/v1/match",
            r#"{"name":"KOMID","name":"Acme"}"#,
            "duplicate field `name`",
        ),
        (
            "/v1/classify",
            r#"{"description":"Rolex watch","description":"tea"}"#,
            "duplicate field `description`",
        ),
        (
            "/v1/compare",
            r#"{"a":"KOMID","b":"KOMID","b":"Acme"}"#,
            "duplicate field `b`",
        ),
        (
            "/v1/rescreen",
            r#"{"items":[{"order":{"id":"a","route":{"origin":"KP","origin":"CN"}}}]}"#,
            "items[0].order.route: duplicate field `origin`",
        ),
    ];
    for (path, body, want) in cases {
        assert_json_error(&server.post(path, body), 422, want);
    }
    // The same keys once each are accepted.
    let r = server.post("/v1/screen", r#"{"id":"x","parties":[{"name":"KOMID"}]}"#);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["decision"], "block");
}

#[test]
fn an_order_id_is_echoed_as_written_or_refused_with_its_field() {
    let dir = TempDir::new("ids");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);
    let body = r#"{"orders":[{"id":12345678901234567890,"parties":[{"name":"KOMID"}]},{"id":12345678901234567891,"route":{"destination":"CN"}}]}"#;
    let r = server.post("/v1/screen", body);
    assert_eq!(r.status, 200, "{}", r.text());
    let d = r.json()["decisions"].clone();
    assert_eq!(d[0]["id"], "12345678901234567890");
    assert_eq!(d[0]["decision"], "block");
    assert_eq!(d[1]["id"], "12345678901234567891");
    for id in ["1.5", "true", "1e3", "123456789012345678901234"] {
        let body = format!(r#"{{"id":{id},"route":{{"destination":"CN"}}}}"#);
        assert_json_error(&server.post("/v1/screen", &body), 422, "id");
    }
    let r = server.post("/v1/screen", r#"{"id":1e3,"route":{"destination":"CN"}}"#);
    assert!(r.text().contains("fraction or exponent"), "{}", r.text());
}

#[test]
fn a_party_name_with_nothing_to_screen_is_refused_as_a_blank_one_is() {
    let dir = TempDir::new("nothing-name");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);
    for name in ["...", "Co., Ltd.", " - "] {
        let body = format!(r#"{{"id":"x","parties":[{{"name":"{name}","country":"CN"}}]}}"#);
        assert_json_error(&server.post("/v1/screen", &body), 422, "parties[0].name: ");
        assert!(
            server
                .post("/v1/screen", &body)
                .text()
                .contains("nothing to screen"),
            "{name}"
        );
    }
}

#[test]
fn an_entity_id_with_slashes_is_found_without_encoding() {
    let dir = TempDir::new("slash-id");
    let rules = dir.write(
        "rules.emb",
        &format!(
            "{RULES}\nlist eu {{ title \"EU\" as_of \"2026-02-27\" }}\nentity eu:32017R1509/XIII.B/25 {{\n  kind organization\n  name \"ZEPHYR QUILLON HOLDINGS\"\n  country KP\n}}\n"
        ),
    );
    let server = Server::with_rules(&rules, &[]);
    for path in [
        "/v1/entities/eu:32017R1509/XIII.B/25",
        "/v1/entities/eu:32017R1509%2FXIII.B%2F25",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert_eq!(r.json()["id"], "eu:32017R1509/XIII.B/25");
        assert_eq!(r.json()["list"], "eu");
    }
    assert_json_error(
        &server.get("/v1/entities/eu:32017R1509/nothing"),
        404,
        "no entity",
    );
    let r = server.get("/v1/entities/un:KPe.001");
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn a_currency_that_is_no_iso_code_is_refused_with_its_field() {
    let dir = TempDir::new("currency");
    let rules = dir.write("rules.emb", RULES);
    let server = Server::with_rules(&rules, &[]);
    let r = server.post(
        "/v1/screen",
        r#"{"id":"x","goods":[{"description":"Rolex watch","value":1,"currency":"USX"}]}"#,
    );
    assert_json_error(
        &r,
        422,
        "goods[0].currency: `USX` is not an ISO 4217 currency code",
    );
    assert_json_error(
        &server.post(
            "/v1/classify",
            r#"{"description":"Lexus","currency":"USX","value":1}"#,
        ),
        422,
        "`USX` is not an ISO 4217",
    );
    let r = server.post(
        "/v1/classify",
        r#"{"description":"Rolex watch","currency":"eur","value":1}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
}
