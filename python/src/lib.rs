//! `embargo._embargo`: the native half of the Python package `embargo`, a thin shell
//! over the library. What it adds is Python glue only: dicts to orders and back (as
//! the JSON the `embargo` command reads and writes), pyarrow objects in and out
//! through the Arrow C data interface, Python exceptions, and the GIL released while
//! the library works.
//!
//! Every call that screens, matches or classifies runs with the GIL released, on a
//! `Screener` shared by reference (`Send + Sync`): one Python object serves any number
//! of threads.

use std::path::PathBuf;

use arrow_array::RecordBatch;
use arrow_pyarrow::{FromPyArrow, IntoPyArrow, Table};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::Value;

use embargo::api::{parse_kind, ClassifyRequest, MatchRequest};
use embargo::config::Settings;
use embargo::io::arrow::{decision_schema, orders_batch, screen_batches, BatchError};
use embargo::rules::RuleSource;
use embargo::{ErrorKind, NameQuery, Order, Ruleset, ScreenOptions};

create_exception!(
    embargo,
    RulesError,
    PyException,
    "Rules that cannot be loaded or cannot decide; the message holds every diagnostic, \
     located FILE:LINE:COL with the line and a caret."
);

/// The library's errors as Python exceptions: rules faults are `RulesError`, an
/// order that cannot be read is a `ValueError`.
fn py_err(e: embargo::Error) -> PyErr {
    match e.kind() {
        ErrorKind::InvalidRules | ErrorKind::Load => RulesError::new_err(e.to_string()),
        ErrorKind::InvalidOrder => {
            PyValueError::new_err(e.order_fault().unwrap_or_default().to_string())
        }
        _ => PyRuntimeError::new_err(e.to_string()),
    }
}

/// Builds the screener for `source`: the embedded rules from the artifact compiled
/// with the package (the same ruleset and hash as their text), anything else as
/// given (a `*.embc` among `rules=` is read as the artifact it is).
fn build_screener(source: &RuleSource) -> Result<embargo::Screener, embargo::Error> {
    let ruleset = match source {
        RuleSource::Embedded => Ruleset::load(&embargo_compiled::source())?,
        other => Ruleset::load(other)?,
    };
    // The options the `embargo` command uses when no embargo.toml is found, so that
    // both give the same decisions.
    Ok(embargo::Screener::new(
        ruleset,
        ScreenOptions::from(&Settings::default()),
    ))
}

/// One path or a list of paths (`str` or `os.PathLike`).
fn paths(arg: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PathBuf>> {
    let Some(arg) = arg.filter(|a| !a.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(one) = arg.extract::<PathBuf>() {
        return Ok(vec![one]);
    }
    arg.extract::<Vec<PathBuf>>().map_err(|_| {
        PyTypeError::new_err("rules paths are a path (str or os.PathLike) or a list of them")
    })
}

/// A Python value as JSON, for the library's order and request readers; `path` names
/// the field in an error (`parties[0].name`).
fn to_json(v: &Bound<'_, PyAny>, path: &str) -> PyResult<Value> {
    let at = |what: &str| {
        PyValueError::new_err(if path.is_empty() {
            what.to_string()
        } else {
            format!("{path}: {what}")
        })
    };
    if v.is_none() {
        return Ok(Value::Null);
    }
    // Before int: a bool is an int in Python.
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if v.is_instance_of::<PyInt>() {
        if let Ok(i) = v.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = v.extract::<u64>() {
            return Ok(Value::from(u));
        }
        // Beyond 64 bits: as text, which the readers take as they take "1,000".
        return Ok(Value::String(v.str()?.to_string()));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        let x = f.value();
        return serde_json::Number::from_f64(x)
            .map(Value::Number)
            .ok_or_else(|| at(&format!("{x} is not a finite number")));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut map = serde_json::Map::with_capacity(d.len());
        for (k, item) in d.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| {
                    at(&format!(
                        "the key {} is not text",
                        k.repr().map_or_else(|_| "?".to_string(), |r| r.to_string())
                    ))
                })?
                .to_cow()?
                .into_owned();
            let inner = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            map.insert(key, to_json(&item, &inner)?);
        }
        return Ok(Value::Object(map));
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for (i, item) in v.try_iter()?.enumerate() {
            out.push(to_json(&item?, &format!("{path}[{i}]"))?);
        }
        return Ok(Value::Array(out));
    }
    // decimal.Decimal and the like: their text, which the readers parse as a number
    // where one is expected.
    if v.hasattr("__float__")? && !v.hasattr("__len__")? {
        return Ok(Value::String(v.str()?.to_string()));
    }
    Err(at(&format!(
        "a value of type {} is not text, a number, a list or a dict",
        v.get_type().name()?
    )))
}

/// JSON text as Python objects (dicts, lists, str, int, float, bool, None).
fn from_json<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

fn to_json_text<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// An order dict, read and validated as a `screen` JSON line is.
fn order_of(order: &Bound<'_, PyAny>) -> PyResult<Order> {
    if !order.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err(format!(
            "an order is a dict, not {}",
            order.get_type().name()?
        )));
    }
    Order::from_value(to_json(order, "")?).map_err(py_err)
}

/// A sanctions screener: the compiled rules with their name index and goods
/// classifier, built once and shared by any number of threads.
#[pyclass(frozen, module = "embargo")]
struct Screener {
    inner: embargo::Screener,
}

#[pymethods]
impl Screener {
    /// Screener(rules=None, add_rules=None): the embedded rules, exactly `rules`
    /// (files or folders), or the embedded rules plus `add_rules`, as the command's
    /// --rules and --add-rules. Raises RulesError with every located diagnostic.
    #[new]
    #[pyo3(signature = (rules=None, add_rules=None))]
    fn new(
        py: Python<'_>,
        rules: Option<&Bound<'_, PyAny>>,
        add_rules: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let rules = paths(rules)?;
        let add_rules = paths(add_rules)?;
        let source = match (rules.is_empty(), add_rules.is_empty()) {
            (true, true) => RuleSource::Embedded,
            (false, true) => RuleSource::Paths(rules),
            (true, false) => RuleSource::EmbeddedWith(add_rules),
            (false, false) => {
                return Err(PyValueError::new_err(
                    "give rules= (exactly these rules) or add_rules= (the embedded rules and these), not both",
                ))
            }
        };
        let inner = py.detach(|| build_screener(&source)).map_err(py_err)?;
        Ok(Screener { inner })
    }

    /// The ruleset's content hash (`sha256:...`), as each decision's `ruleset`.
    #[getter]
    fn ruleset(&self) -> String {
        self.inner.ruleset().hash().to_string()
    }

    /// screen(order: dict) -> dict: the decision on one order, as a `screen` JSON
    /// line. Raises ValueError naming the field of an order that cannot be screened.
    fn screen<'py>(
        &self,
        py: Python<'py>,
        order: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let order = order_of(order)?;
        let text = py.detach(|| to_json_text(&self.inner.screen(&order)))?;
        from_json(py, &text)
    }

    /// match(name, kind=None, country=None, limit=None, threshold=None) -> list of
    /// dict: the listed entities the name matches, by descending score, as `match`.
    #[pyo3(name = "match", signature = (name, kind=None, country=None, limit=None, threshold=None))]
    fn match_name<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        kind: Option<&str>,
        country: Option<&str>,
        limit: Option<f64>,
        threshold: Option<f64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = MatchRequest {
            name: Some(name.to_string()),
            kind: kind.map(str::to_string),
            country: country.map(str::to_string),
            limit,
            threshold,
            ..MatchRequest::default()
        };
        let defaults = Settings::default();
        let mut query = NameQuery::new(request.name().map_err(PyValueError::new_err)?);
        query.kind = request.kind().map_err(PyValueError::new_err)?;
        query.country = request
            .country_code()
            .map_err(PyValueError::new_err)?
            .map(str::to_string);
        let limit = request
            .limit()
            .map_err(PyValueError::new_err)?
            .unwrap_or(defaults.matching.limit);
        let threshold = request
            .threshold()
            .map_err(PyValueError::new_err)?
            .unwrap_or(defaults.matching.threshold);
        let text = py.detach(|| to_json_text(&self.inner.match_name(&query, threshold, limit)))?;
        from_json(py, &text)
    }

    /// classify(description, hs=None, value=None, currency=None, quantity=None) ->
    /// list of dict: the goods categories of one line, as `classify`.
    #[pyo3(signature = (description, hs=None, value=None, currency=None, quantity=None))]
    fn classify<'py>(
        &self,
        py: Python<'py>,
        description: Option<String>,
        hs: Option<&Bound<'py, PyAny>>,
        value: Option<&Bound<'py, PyAny>>,
        currency: Option<String>,
        quantity: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut body = serde_json::Map::new();
        body.insert(
            "description".into(),
            description.map_or(Value::Null, Value::String),
        );
        for (field, v) in [("hs", hs), ("value", value), ("quantity", quantity)] {
            if let Some(v) = v {
                body.insert(field.into(), to_json(v, field)?);
            }
        }
        body.insert(
            "currency".into(),
            currency.map_or(Value::Null, Value::String),
        );
        let request: ClassifyRequest = serde_json::from_value(Value::Object(body))
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let line = request.line().map_err(PyValueError::new_err)?;
        let text = py.detach(|| to_json_text(&self.inner.classify(&line)))?;
        from_json(py, &text)
    }

    /// screen_arrow(data, threads=None) -> pyarrow.Table: decisions for a pyarrow
    /// Table, RecordBatch or RecordBatchReader of orders in the flat layout, one row
    /// per order in input order, screened in parallel with the GIL released. Raises
    /// ValueError naming the row and field of the first order that cannot be read.
    #[pyo3(signature = (data, threads=None))]
    fn screen_arrow<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let batches = record_batches(data)?;
        let pool = match threads {
            None => None,
            Some(0) => return Err(PyValueError::new_err("threads must be 1 or more")),
            Some(n) => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| PyRuntimeError::new_err(e.to_string()))?,
            ),
        };
        let screened = py.detach(|| {
            let run = || screen_batches(&self.inner, &batches);
            match &pool {
                Some(p) => p.install(run),
                None => run(),
            }
        });
        let decisions = screened.map_err(|e| match e {
            BatchError::Layout(_) | BatchError::Row(_) => PyValueError::new_err(e.to_string()),
        })?;
        Table::try_new(decisions, decision_schema())
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?
            .into_pyarrow(py)
    }
}

/// The record batches of a pyarrow Table, RecordBatch or RecordBatchReader (anything
/// with `__arrow_c_stream__` or `__arrow_c_array__`), taken over without copying
/// their columns.
fn record_batches(data: &Bound<'_, PyAny>) -> PyResult<Vec<RecordBatch>> {
    if data.hasattr("__arrow_c_stream__")? {
        return Ok(Table::from_pyarrow_bound(data)?.into_inner().0);
    }
    if data.hasattr("__arrow_c_array__")? {
        return Ok(vec![RecordBatch::from_pyarrow_bound(data)?]);
    }
    Err(PyTypeError::new_err(format!(
        "expected a pyarrow Table or RecordBatch (an Arrow stream or array), not {}",
        data.get_type().name()?
    )))
}

/// compare(a, b, kind=None) -> float: the similarity of two names in [0, 1], as
/// `compare` and every hit's score.
#[pyfunction]
#[pyo3(signature = (a, b, kind=None))]
fn compare(py: Python<'_>, a: &str, b: &str, kind: Option<&str>) -> PyResult<f64> {
    let kind = kind
        .map_or(Ok(None), parse_kind)
        .map_err(PyValueError::new_err)?;
    Ok(py.detach(|| embargo::compare(a, b, kind)))
}

/// orders_to_arrow(orders) -> pyarrow.Table: order dicts in the flat column layout
/// of CSV orders, list columns for parties and goods. Raises ValueError naming the
/// order and field of one that cannot be screened.
#[pyfunction]
fn orders_to_arrow<'py>(
    py: Python<'py>,
    orders: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut read = Vec::new();
    for (k, item) in orders.try_iter()?.enumerate() {
        let item = item?;
        let order = order_of(&item).map_err(|e| {
            let id = item
                .get_item("id")
                .ok()
                .and_then(|i| i.str().ok())
                .map(|s| format!(" (order {s})"))
                .unwrap_or_default();
            let kind = e.get_type(py);
            PyErr::from_type(kind, format!("orders[{k}]{id}: {}", e.value(py)))
        })?;
        read.push(order);
    }
    let batch = orders_batch(&read).map_err(PyValueError::new_err)?;
    let schema = batch.schema();
    Table::try_new(vec![batch], schema)
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?
        .into_pyarrow(py)
}

/// The native half of the `embargo` package.
#[pymodule]
fn _embargo(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Screener>()?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(orders_to_arrow, m)?)?;
    m.add("RulesError", m.py().get_type::<RulesError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
