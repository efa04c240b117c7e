//! The audit log: one JSON line per decision, appended and handed to the kernel before
//! the answer is sent, so a crash of the service loses nothing it answered.
//!
//! A line: `{"request_id","time","order","input_sha256","decision","hits","ruleset"}`
//! (plus `"item"`, the position in a batch). `input_sha256` is the SHA-256 of the
//! order as compact JSON with keys sorted, so it does not depend on whitespace, key
//! order or on whether the order came alone or in a batch, and anyone holding the
//! order can recompute it. Unless `server.log_order_contents` is on, the hits lose
//! what quotes the order (the field's text, the matched text of a goods or place hit,
//! the aligned words of a name score): the entity, category, rule and score stay.
//!
//! A write that fails (disk full) is cut back off the file, so no torn line is left to
//! be glued to the next; when even that fails, the next write starts on a new line.
//! Until a write succeeds again the log is failing: screening answers 503 and
//! `/readyz` says not ready. The first line written after a failure is an `audit_gap`
//! event saying since when and why lines were refused. SIGHUP reopens the file (after
//! rotation).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use embargo::engine::OrderDecision;
use embargo::refdata::date::civil_from_days;

/// The open audit file.
pub struct Audit {
    path: PathBuf,
    inner: Mutex<Inner>,
}

struct Inner {
    /// Unbuffered on purpose: each batch of lines goes out in one `write_all` to a
    /// file opened for appending, under this lock, so lines of concurrent requests
    /// never interleave and are in the kernel once `record` returns.
    file: File,
    /// A failed write left bytes that could not be cut off: start on a new line.
    torn: bool,
    /// Since when, and why, writes fail.
    failing: Option<(String, String)>,
    /// The size of the write that failed: what must fit again before the log counts
    /// as writable.
    needed: u64,
}

#[derive(Serialize)]
struct Line<'a> {
    request_id: &'a str,
    time: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    item: Option<usize>,
    order: &'a str,
    input_sha256: &'a str,
    decision: &'static str,
    hits: Value,
    ruleset: &'a str,
}

#[derive(Serialize)]
struct Gap<'a> {
    time: &'a str,
    event: &'static str,
    since: &'a str,
    error: &'a str,
}

/// Fields of a hit that quote the order rather than the rules or lists.
const QUOTING: [&str; 3] = ["input", "text", "explanation"];

fn strip_quotes(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for key in QUOTING {
                map.remove(key);
            }
            map.values_mut().for_each(strip_quotes);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_quotes),
        _ => {}
    }
}

fn open(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

impl Inner {
    /// Appends `lines` in one go, or leaves the file as it was (or marked torn).
    fn append(&mut self, lines: &[u8], now: &str) -> std::io::Result<()> {
        let mut buf = Vec::with_capacity(lines.len() + 256);
        if self.torn {
            buf.push(b'\n');
        }
        if let Some((since, error)) = &self.failing {
            let gap = Gap {
                time: now,
                event: "audit_gap",
                since,
                error,
            };
            serde_json::to_writer(&mut buf, &gap)?;
            buf.push(b'\n');
        }
        buf.extend_from_slice(lines);
        if buf.is_empty() {
            return Ok(());
        }
        // Where the file ends now: a failed write is cut back to here. Appends from
        // this process are serialized by the lock around `Inner`.
        let before = self.file.metadata().map(|m| m.len()).ok();
        let written = self.file.write_all(&buf).and_then(|()| self.file.flush());
        match written {
            Ok(()) => {
                self.torn = false;
                self.failing = None;
                self.needed = 0;
                Ok(())
            }
            Err(e) => {
                let cut = before.is_some_and(|len| self.file.set_len(len).is_ok());
                // Not cut back (a device, or the truncation failed too): whatever part
                // went out must not run into the next line.
                self.torn |= !cut;
                if self.failing.is_none() {
                    self.failing = Some((now.to_string(), e.to_string()));
                }
                self.needed = self.needed.max(buf.len() as u64);
                Err(e)
            }
        }
    }
}

impl Audit {
    /// Opens (creating) `path` for appending.
    pub fn open(path: &Path) -> std::io::Result<Audit> {
        Ok(Audit {
            path: path.to_path_buf(),
            inner: Mutex::new(Inner {
                file: open(path)?,
                torn: false,
                failing: None,
                needed: 0,
            }),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A poisoned lock means another writer panicked; the file itself is fine.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends the lines of `decisions` (with their input digests), written before
    /// returning. `batch` numbers the items of a batch request; `redact` drops what
    /// quotes the order from the hits.
    pub fn record(
        &self,
        request_id: &str,
        batch: bool,
        decisions: &[(String, OrderDecision)],
        redact: bool,
    ) -> std::io::Result<()> {
        let time = rfc3339(SystemTime::now());
        let mut buf = Vec::with_capacity(512 * decisions.len());
        for (k, (digest, d)) in decisions.iter().enumerate() {
            let mut hits = serde_json::to_value(&d.hits)?;
            if redact {
                strip_quotes(&mut hits);
            }
            let line = Line {
                request_id,
                time: &time,
                item: batch.then_some(k),
                order: &d.id,
                input_sha256: digest,
                decision: d.decision.as_str(),
                hits,
                ruleset: &d.ruleset,
            };
            serde_json::to_writer(&mut buf, &line)?;
            buf.push(b'\n');
        }
        self.lock().append(&buf, &time)
    }

    /// Why the log cannot be written, after trying once more (writing the gap line
    /// that a recovered log starts with); `None` when it can.
    pub fn failure(&self) -> Option<String> {
        let mut inner = self.lock();
        inner.failing.as_ref()?;
        // A short gap line may fit where the decisions that failed do not: first make
        // sure a write of their size would.
        if let Err(e) = room_for(&inner.file, inner.needed) {
            return Some(e.to_string());
        }
        let now = rfc3339(SystemTime::now());
        match inner.append(&[], &now) {
            Ok(()) => None,
            Err(e) => Some(e.to_string()),
        }
    }

    /// Opens the file at the configured path again (it was rotated away); on failure
    /// the old file stays in use.
    pub fn reopen(&self) -> std::io::Result<()> {
        let file = open(&self.path)?;
        let mut inner = self.lock();
        inner.file = file;
        inner.torn = false;
        Ok(())
    }

    /// The configured path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Whether `needed` more bytes fit at the end of `file`: the blocks are reserved,
/// then the file is cut back to its length. Disk full and file-size limits both
/// show here, as they would for the write.
#[cfg(target_os = "linux")]
fn room_for(file: &File, needed: u64) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let end = file.metadata()?.len();
    let (Ok(offset), Ok(len)) = (libc::off_t::try_from(end), libc::off_t::try_from(needed)) else {
        return Ok(());
    };
    if len == 0 {
        return Ok(());
    }
    // SAFETY: fallocate acts on a descriptor this `File` owns and reads no memory of
    // ours; the length it adds is cut off again below.
    let rc = unsafe { libc::fallocate(file.as_raw_fd(), 0, offset, len) };
    let reserved = if rc == 0 {
        Ok(())
    } else {
        let e = std::io::Error::last_os_error();
        match e.raw_os_error() {
            // A file system or device that cannot reserve space: the gap line decides.
            Some(libc::EOPNOTSUPP) | Some(libc::ENODEV) | Some(libc::ESPIPE) => return Ok(()),
            _ => Err(e),
        }
    };
    // Cut back whatever was added, even by a failed call.
    if file.metadata()?.len() != end {
        file.set_len(end)?;
    }
    reserved
}

#[cfg(not(target_os = "linux"))]
fn room_for(_file: &File, _needed: u64) -> std::io::Result<()> {
    Ok(())
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
    use serde_json::json;
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

    #[test]
    fn redaction_keeps_the_evidence_of_the_lists_and_rules() {
        let mut hits = json!([
            {"rule": "listed", "kind": "entity", "field": "parties[0].name",
             "entity": "un:KPe.001", "name": "KOMID", "score": 0.93,
             "explanation": "komid~komid secretword", "input": "Komid secretword"},
            {"rule": "luxury", "kind": "goods", "field": "goods[0]", "category": "watches",
             "input": "Rolex Oyster", "evidence": [{"kind": "term", "text": "Rolex", "start": 0, "end": 5}]}
        ]);
        strip_quotes(&mut hits);
        assert_eq!(
            hits,
            json!([
                {"rule": "listed", "kind": "entity", "field": "parties[0].name",
                 "entity": "un:KPe.001", "name": "KOMID", "score": 0.93},
                {"rule": "luxury", "kind": "goods", "field": "goods[0]", "category": "watches",
                 "evidence": [{"kind": "term", "start": 0, "end": 5}]}
            ])
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_device_that_refuses_writes_marks_the_log_failing() {
        // /dev/full refuses every write with ENOSPC and cannot be truncated.
        let audit = Audit::open(Path::new("/dev/full")).expect("opens");
        assert!(
            audit.record("r1", false, &[], false).is_ok(),
            "nothing to write"
        );
        let mut inner = audit.lock();
        assert!(inner.append(b"{}\n", "t").is_err());
        assert!(inner.torn && inner.failing.is_some());
        drop(inner);
        assert!(audit.failure().is_some());
    }
}
