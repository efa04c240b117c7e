//! Parse/compile throughput benchmark; the real body follows in the next commits.
fn main() {}
