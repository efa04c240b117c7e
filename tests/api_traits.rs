//! What embedders rely on: the types they share across threads and keep in their own
//! structures are `Send + Sync` (and the results `Clone`), checked at compile time.

fn send_sync<T: Send + Sync>() {}
fn send_sync_clone<T: Send + Sync + Clone>() {}

#[test]
fn shared_types_are_send_and_sync() {
    send_sync::<embargo::Ruleset>();
    send_sync_clone::<embargo::Screener>();
    send_sync::<embargo::Error>();
    send_sync_clone::<embargo::OrderDecision>();
    send_sync_clone::<embargo::Order>();
    send_sync_clone::<embargo::Hit>();
    send_sync_clone::<embargo::ScreenOptions>();
}

#[test]
fn errors_are_std_errors_with_a_kind() {
    fn std_error<E: std::error::Error + Send + Sync + 'static>() {}
    std_error::<embargo::Error>();
    let e = embargo::Order::from_json("{").expect_err("not JSON");
    assert_eq!(e.kind(), embargo::ErrorKind::InvalidOrder);
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(e);
    assert!(boxed.to_string().starts_with("invalid order"));
}
