//! The native half of the `overclaim` Python package: an `Auditor` class over
//! [`overclaim::Auditor`], whose findings are the dicts of the command line's JSON report.
//!
//! Findings cross into Python as JSON text: `overclaim::report::finding_json` writes each one
//! exactly as `overclaim audit --format json` does, and Python's own `json.loads` turns the
//! batch into lists of dicts in one call, keeping the report's field order. The auditing and
//! the writing of that text run with the GIL released.

use overclaim::report::finding_json;
use overclaim::{Finding, Format, Product, RunError, RunSettings};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::path::PathBuf;

/// The name findings carry as their `path` when the caller gives none.
const UNNAMED: &str = "<text>";

/// Audits marketing copy for overclaims with one set of compiled rules.
///
/// Building an Auditor loads and compiles the rule packs, which takes a moment: build one and
/// reuse it for every text (in Spark, one per partition iterator; in a process pool, one per
/// worker). Its methods may be called from several threads at once.
///
/// Settings are those of `overclaim audit`: `config` is a config file (by default the
/// `overclaim.yaml` found from the current directory upwards, if any), `jurisdictions` a list
/// of codes such as ["EU", "UK"], `product` one of "cosmetic", "drug", "device" or
/// "supplement", `rules` a list of extra rule folders, `no_default_rules` leaves the built-in
/// rule packs out, `select` and `ignore` are lists of rule selectors (ids, "prefix." or
/// "pack:NAME"). Anything the tool rejects raises ValueError with its message.
#[pyclass(frozen, module = "overclaim")]
struct Auditor {
    inner: overclaim::Auditor,
}

#[pymethods]
impl Auditor {
    #[new]
    #[pyo3(signature = (
        config=None, jurisdictions=None, product=None, rules=None, no_default_rules=false,
        select=None, ignore=None
    ))]
    fn new(
        config: Option<PathBuf>,
        jurisdictions: Option<Vec<String>>,
        product: Option<String>,
        rules: Option<Vec<PathBuf>>,
        no_default_rules: bool,
        select: Option<Vec<String>>,
        ignore: Option<Vec<String>>,
    ) -> PyResult<Auditor> {
        let product = product.map(|name| parse_product(&name)).transpose()?;
        let settings = RunSettings {
            config,
            jurisdictions,
            product,
            rule_dirs: rules.unwrap_or_default(),
            no_default_rules,
            select: select.unwrap_or_default(),
            ignore: ignore.unwrap_or_default(),
            ..RunSettings::default()
        };
        let inner = overclaim::Auditor::new(&settings).map_err(value_error)?;
        Ok(Auditor { inner })
    }

    /// The codes of the jurisdictions texts are judged under, in report order.
    #[getter]
    fn jurisdictions(&self) -> Vec<String> {
        self.inner.jurisdictions()
    }

    /// Audits one text read as `format` ("html", "markdown", "text" or "label").
    ///
    /// Returns one dict per finding, in text order, with the fields of a finding in
    /// `overclaim audit --format json`; `path` is `name` and the span's offsets, lines and
    /// columns are those of `text`.
    #[pyo3(
        signature = (text, format=String::from("html"), name=String::from(UNNAMED)),
        text_signature = "(self, text, format='html', name='<text>')"
    )]
    fn audit_text<'py>(
        &self,
        py: Python<'py>,
        text: String,
        format: String,
        name: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let format = parse_format(&format)?;
        let json = py.detach(|| findings_json(&self.inner.audit_text(&text, format, &name)));
        json_loads(py, &json)
    }

    /// Audits many texts, all read as `format`, on all cores with the GIL released.
    ///
    /// `texts` is any iterable of str (a list, a pandas Series); `names`, when given, one
    /// name per text for the findings' `path` (else "<text>"). Returns one list per text, in
    /// the order of `texts`, each what `audit_text` gives for that text.
    #[pyo3(
        signature = (texts, format=String::from("html"), names=None),
        text_signature = "(self, texts, format='html', names=None)"
    )]
    fn audit_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        format: String,
        names: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let format = parse_format(&format)?;
        let texts = strings(texts, "texts")?;
        let names = match names {
            Some(names) => strings(names, "names")?,
            None => vec![UNNAMED.to_string(); texts.len()],
        };
        if names.len() != texts.len() {
            return Err(PyValueError::new_err(format!(
                "{} texts but {} names: give one name per text",
                texts.len(),
                names.len()
            )));
        }
        let json = py.detach(|| {
            let batch: Vec<(&str, Format, &str)> = texts
                .iter()
                .zip(&names)
                .map(|(text, name)| (text.as_str(), format, name.as_str()))
                .collect();
            let lists: Vec<String> = self
                .inner
                .audit_batch(&batch)
                .iter()
                .map(|findings| findings_json(findings))
                .collect();
            format!("[{}]", lists.join(","))
        });
        json_loads(py, &json)
    }

    /// `Auditor(jurisdictions=['EU', 'UK'])`: the list as Python writes it.
    fn __repr__(&self) -> String {
        let codes: Vec<String> = self
            .inner
            .jurisdictions()
            .iter()
            .map(|code| format!("'{code}'"))
            .collect();
        format!("Auditor(jurisdictions=[{}])", codes.join(", "))
    }
}

/// The findings of one text as a JSON array of the report's finding objects.
fn findings_json(findings: &[Finding]) -> String {
    let objects: Vec<String> = findings.iter().map(finding_json).collect();
    format!("[{}]", objects.join(","))
}

/// Python's `json.loads` of text this module wrote.
fn json_loads<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (json,))
}

/// The texts of an iterable of str; a lone str is refused, not read as its characters.
fn strings(items: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<String>> {
    if items.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be an iterable of str, not a str"
        )));
    }
    items
        .try_iter()?
        .enumerate()
        .map(|(i, item)| {
            let item = item?;
            item.extract::<String>().map_err(|_| {
                let kind = item
                    .get_type()
                    .name()
                    .map_or_else(|_| "?".to_string(), |n| n.to_string());
                PyTypeError::new_err(format!("{what}[{i}] is {kind}, not str"))
            })
        })
        .collect()
}

/// The copy format named `name`; the binary formats (docx, odt) are files, not texts.
fn parse_format(name: &str) -> PyResult<Format> {
    match name.to_ascii_lowercase().as_str() {
        "html" | "htm" => Ok(Format::Html),
        "markdown" | "md" => Ok(Format::Markdown),
        "text" | "txt" => Ok(Format::Text),
        "label" => Ok(Format::Label),
        _ => Err(PyValueError::new_err(format!(
            "unknown format {name:?}: expected \"html\", \"markdown\", \"text\" or \"label\""
        ))),
    }
}

/// The product type named `name`.
fn parse_product(name: &str) -> PyResult<Product> {
    Product::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = Product::NAMES.iter().map(|(n, _)| *n).collect();
        PyValueError::new_err(format!(
            "unknown product {name:?}: expected one of {}",
            known.join(", ")
        ))
    })
}

/// A run error as ValueError with the tool's message: every located problem of a broken rule
/// or config file, one per line, then the count.
fn value_error(error: RunError) -> PyErr {
    let message = match &error {
        RunError::Config(problems) => problems
            .iter()
            .map(ToString::to_string)
            .chain(std::iter::once(error.to_string()))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => error.to_string(),
    };
    PyValueError::new_err(message)
}

/// The module `overclaim._overclaim`, re-exported by the `overclaim` package.
#[pymodule]
fn _overclaim(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Auditor>()?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
