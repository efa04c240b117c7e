//! The audit log: one JSON line per decision, appended and handed to the kernel before
//! the answer is sent, so a crash of the service loses nothing it answered.
//!
//! A line: `{"request_id","time","order","input_sha256","decision","hits","ruleset"}`
//! (plus `"item"`, the position in a batch). `input_sha256` is the SHA-256 of the
//! order as compact JSON with keys sorted, so it does not depend on whitespace, key
//! order or on whether the order came alone or in a batch, and anyone holding the
//! order can recompute it.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use embargo::engine::{Hit, OrderDecision};
use embargo::refdata::date::civil_from_days;

/// The open audit file.
pub struct Audit {
    /// Unbuffered on purpose: each line goes out in one `write` to a file opened for
    /// appending, so it is in the kernel (and survives a crash of this process) once
    /// `record` returns, and lines of concurrent requests never interleave.
    file: Mutex<File>,
}

#[derive(Serialize)]
struct Line<'a> {
    request_id: &'a str,
    time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    item: Option<usize>,
    order: &'a str,
    input_sha256: &'a str,
    decision: &'static str,
    hits: &'a [Hit],
    ruleset: &'a str,
}

impl Audit {
    /// Opens (creating) `path` for appending.
    pub fn open(path: &Path) -> std::io::Result<Audit> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Audit {
            file: Mutex::new(file),
        })
    }

    /// Appends the lines of `decisions` (with their input digests), written and
    /// flushed before returning. `batch` numbers the items of a batch request.
    pub fn record(
        &self,
        request_id: &str,
        batch: bool,
        decisions: &[(String, OrderDecision)],
    ) -> std::io::Result<()> {
        let time = rfc3339(SystemTime::now());
        let mut buf = Vec::with_capacity(512 * decisions.len());
        for (k, (digest, d)) in decisions.iter().enumerate() {
            let line = Line {
                request_id,
                time: time.clone(),
                item: batch.then_some(k),
                order: &d.id,
                input_sha256: digest,
                decision: d.decision.as_str(),
                hits: &d.hits,
                ruleset: &d.ruleset,
            };
            serde_json::to_writer(&mut buf, &line)?;
            buf.push(b'\n');
        }
        // A poisoned lock means another writer panicked; the file itself is fine.
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(&buf)?;
        file.flush()
    }
}

/// `sha256:` + hex digest of `order` as compact JSON (keys sorted: serde_json's map).
pub fn digest(order: &Value) -> String {
    let bytes = serde_json::to_vec(order).unwrap_or_default();
    let hash = Sha256::digest(&bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in hash {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// `2026-03-01T12:34:56.789Z`.
pub fn rfc3339(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn formats_times_as_rfc3339_utc() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        // 2024-02-29 (a leap day) 23:59:59.5
        let t = UNIX_EPOCH + Duration::from_millis(1_709_251_199_500);
        assert_eq!(rfc3339(t), "2024-02-29T23:59:59.500Z");
        let t = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(rfc3339(t), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn digest_ignores_key_order_and_whitespace() {
        let a: Value = serde_json::from_str(r#"{"id":"1","goods":[]}"#).unwrap_or_default();
        let b: Value = serde_json::from_str("{ \"goods\": [], \"id\": \"1\" }").unwrap_or_default();
        assert_eq!(digest(&a), digest(&b));
        assert!(digest(&a).starts_with("sha256:"));
        assert_eq!(digest(&a).len(), 7 + 64);
    }
}
