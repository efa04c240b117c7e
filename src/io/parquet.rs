//! Parquet files of orders and of decisions (feature `arrow`), read and written a
//! record batch at a time, so memory holds a row group's worth whatever the file's
//! size.
//!
//! Orders are in the flat layout ([`super::flat`]) with the column types
//! [`super::arrow::ArrowLayout`] reads; a row that cannot be read is a
//! [`super::Rejected`] with its row number (from 1) in its `line`, as a CSV row has
//! its line.
//! Decisions have the columns of [`super::arrow::decision_schema`].

use std::fs::File;
use std::io::Write;
use std::path::Path;

use arrow_array::RecordBatch;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::arrow::{decision_schema, ArrowLayout, DecisionBuilder};
use super::{OrderReader, Record};
use crate::engine::OrderDecision;

/// The first bytes of every Parquet file.
pub const MAGIC: &[u8] = b"PAR1";

/// The orders of a Parquet file, one per row.
pub struct ParquetOrders {
    reader: ParquetRecordBatchReader,
    layout: ArrowLayout,
    batch: Option<RecordBatch>,
    /// Next row of `batch`.
    row: usize,
    /// Rows handed out so far.
    rows: u64,
    name: String,
}

impl ParquetOrders {
    /// Opens `path` and reads its schema as the flat layout (`ignored` as for CSV),
    /// to be read `batch_size` rows at a time. Fails when the file is no Parquet file,
    /// or its columns are not the layout.
    pub fn open(path: &Path, ignored: &[String], batch_size: usize) -> Result<Self, String> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| format!("{name}: {e}"))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| format!("{name}: not a readable Parquet file: {e}"))?;
        let layout =
            ArrowLayout::new(builder.schema(), ignored).map_err(|e| format!("{name}: {e}"))?;
        let reader = builder
            .with_batch_size(batch_size.max(1))
            .build()
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(ParquetOrders {
            reader,
            layout,
            batch: None,
            row: 0,
            rows: 0,
            name,
        })
    }
}

impl OrderReader for ParquetOrders {
    /// Rows read so far: a Parquet file has no lines, and its rows are what the
    /// summary accounts for.
    fn lines_read(&self) -> u64 {
        self.rows
    }

    fn unit(&self) -> &'static str {
        "row"
    }
}

impl Iterator for ParquetOrders {
    type Item = std::io::Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(batch) = &self.batch {
                if self.row < batch.num_rows() {
                    self.rows += 1;
                    let record = self.layout.order(batch, self.row, self.rows);
                    self.row += 1;
                    return Some(Ok(record));
                }
            }
            match self.reader.next()? {
                Ok(batch) => {
                    self.batch = Some(batch);
                    self.row = 0;
                }
                // A page that cannot be decoded is the file's fault, not one row's:
                // which rows it held is not known.
                Err(e) => {
                    return Some(Err(std::io::Error::other(format!(
                        "{}: after row {}: {e}",
                        self.name, self.rows
                    ))))
                }
            }
        }
    }
}

/// Rows per row group of a decisions file: small enough that the writer's buffer
/// stays a few tens of MB, large enough for Spark and DuckDB to read efficiently.
const ROW_GROUP_ROWS: usize = 64 * 1024;

/// A Parquet file of decisions being written.
pub struct ParquetDecisions<W: Write + Send> {
    writer: ArrowWriter<W>,
    builder: DecisionBuilder,
}

impl<W: Write + Send> ParquetDecisions<W> {
    /// Starts a file of decisions on `out` (snappy-compressed, as Spark writes).
    pub fn new(out: W) -> std::io::Result<Self> {
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .build();
        let writer = ArrowWriter::try_new(out, decision_schema(), Some(props))
            .map_err(std::io::Error::other)?;
        Ok(ParquetDecisions {
            writer,
            builder: DecisionBuilder::default(),
        })
    }

    /// Adds one decision; it is written with the next [`ParquetDecisions::flush`].
    pub fn push(&mut self, decision: &OrderDecision) {
        self.builder.push(decision);
    }

    /// Writes the decisions pushed so far as one record batch.
    pub fn flush(&mut self) -> std::io::Result<()> {
        if self.builder.is_empty() {
            return Ok(());
        }
        let batch = self.builder.finish().map_err(std::io::Error::other)?;
        self.writer.write(&batch).map_err(std::io::Error::other)
    }

    /// Writes what is left and the file's footer, and gives back the output.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.flush()?;
        self.writer.into_inner().map_err(std::io::Error::other)
    }
}

impl<W: Write + Send> crate::batch::Sink<OrderDecision> for ParquetDecisions<W> {
    fn put(&mut self, decision: OrderDecision) -> std::io::Result<()> {
        self.push(&decision);
        Ok(())
    }

    fn chunk_done(&mut self) -> std::io::Result<()> {
        self.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::arrow::orders_batch;
    use crate::order::Order;

    #[test]
    fn rows_are_numbered_and_bad_ones_rejected() {
        let orders: Vec<Order> = (0..5)
            .map(|i| {
                Order::from_json(&format!(
                    r#"{{"id": "o{i}", "goods": [{{"description": "cognac", "value": {i}}}], "route": {{"origin": "CN"}}}}"#
                ))
            })
            .collect::<Result<_, _>>()
            .expect("orders");
        let mut batch = orders_batch(&orders).expect("batch");
        // Row 4 loses its goods description: a goods line with a value alone.
        let schema = batch.schema();
        let k = schema.index_of("goods_description").expect("column");
        let mut columns = batch.columns().to_vec();
        let mut b =
            arrow_array::builder::ListBuilder::new(arrow_array::builder::StringBuilder::new());
        for i in 0..5 {
            b.values().append_option((i != 3).then_some("cognac"));
            b.append(true);
        }
        columns[k] = std::sync::Arc::new(b.finish());
        batch = RecordBatch::try_new(schema.clone(), columns).expect("batch");

        let path = std::env::temp_dir().join(format!("embargo-pq-{}.parquet", std::process::id()));
        let file = File::create(&path).expect("create");
        let mut w = ArrowWriter::try_new(file, schema, None).expect("writer");
        w.write(&batch).expect("write");
        w.close().expect("close");

        let reader = ParquetOrders::open(&path, &[], 2).expect("open");
        let records: Vec<Record> = reader.map(|r| r.expect("io")).collect();
        let _ = std::fs::remove_file(&path);
        let numbers: Vec<(u64, bool)> = records
            .iter()
            .map(|r| match r {
                Ok((n, _)) => (*n, true),
                Err(rej) => (rej.line, false),
            })
            .collect();
        assert_eq!(
            numbers,
            [(1, true), (2, true), (3, true), (4, false), (5, true)]
        );
        let rej = records[3].as_ref().expect_err("row 4");
        assert_eq!(rej.id.as_deref(), Some("o3"));
        assert!(
            rej.error.contains("goods[0] has no description or HS code"),
            "{}",
            rej.error
        );
    }
}
