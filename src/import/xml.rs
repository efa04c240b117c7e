//! Streaming XML: the document is read event by event, and each list record (one
//! `<INDIVIDUAL>`, one `<sdnEntry>`) is handed over as a small tree of its own, so
//! memory stays bounded by the largest record, not the list.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use quick_xml::errors::{Error as XmlError, SyntaxError};
use quick_xml::events::Event;
use quick_xml::Reader;

use super::error::ImportError;
use super::read::open;

/// An element with its text and children.
#[derive(Debug, Default, Clone)]
pub(crate) struct Node {
    /// Local name (namespace prefix dropped).
    pub name: String,
    /// Attributes, unescaped.
    pub attrs: Vec<(String, String)>,
    /// Concatenated text content directly inside the element, trimmed.
    pub text: String,
    /// Child elements in order.
    pub children: Vec<Node>,
    /// The line the element starts on.
    pub line: u64,
}

impl Node {
    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child called `name`, or "".
    pub fn text_of(&self, name: &str) -> &str {
        self.child(name).map(|c| c.text.as_str()).unwrap_or("")
    }

    /// An attribute's value, or "".
    pub fn attr(&self, name: &str) -> &str {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

/// Reads the records of an XML list.
pub(crate) struct XmlRecords {
    path: PathBuf,
    reader: Reader<Box<dyn BufRead>>,
    buf: Vec<u8>,
    /// Names of the elements that are records.
    records: &'static [&'static str],
    /// Open elements outside any record.
    depth: usize,
    /// The document's root element (name and attributes), once seen.
    pub root: Option<Node>,
    line: u64,
    /// Records returned so far.
    pub count: usize,
}

impl XmlRecords {
    /// Opens `path`; every element named in `records` is returned as one record.
    pub fn open(path: &Path, records: &'static [&'static str]) -> Result<Self, ImportError> {
        let mut reader = Reader::from_reader(open(path)?);
        reader.config_mut().check_end_names = true;
        Ok(XmlRecords {
            path: path.to_path_buf(),
            reader,
            buf: Vec::new(),
            records,
            depth: 0,
            root: None,
            line: 1,
            count: 0,
        })
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The next record, or `None` at the end of a complete document.
    ///
    /// # Errors
    ///
    /// Unreadable or ill-formed XML, and a document that stops before its root
    /// element closes.
    pub fn next_record(&mut self) -> Result<Option<Node>, ImportError> {
        // Elements of the record being built, innermost last.
        let mut stack: Vec<Node> = Vec::new();
        loop {
            self.buf.clear();
            let event = self
                .reader
                .read_event_into(&mut self.buf)
                .map_err(|e| xml_error(&self.path, self.line, e))?;
            let newlines = event.iter().filter(|&&b| b == b'\n').count() as u64;
            let line = self.line;
            self.line += newlines;
            match event {
                Event::Start(start) => {
                    let name = local_name(&start);
                    if !stack.is_empty() || self.records.contains(&name.as_str()) {
                        stack.push(element(&self.path, line, &start)?);
                    } else {
                        if self.root.is_none() {
                            self.root = Some(element(&self.path, line, &start)?);
                        }
                        self.depth += 1;
                    }
                }
                Event::Empty(start) => {
                    let name = local_name(&start);
                    if !stack.is_empty() || self.records.contains(&name.as_str()) {
                        stack.push(element(&self.path, line, &start)?);
                        if let Some(done) = close(&mut stack) {
                            self.count += 1;
                            return Ok(Some(done));
                        }
                    }
                }
                Event::End(_) => {
                    if stack.is_empty() {
                        self.depth = self.depth.saturating_sub(1);
                    } else if let Some(done) = close(&mut stack) {
                        self.count += 1;
                        return Ok(Some(done));
                    }
                }
                Event::Text(t) => {
                    if let Some(top) = stack.last_mut() {
                        let s = t.unescape().map_err(|e| xml_error(&self.path, line, e))?;
                        top.text.push_str(&s);
                    }
                }
                Event::CData(c) => {
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&String::from_utf8_lossy(&c));
                    }
                }
                Event::Eof => {
                    if let Some(open) = stack.last().or(if self.depth > 0 {
                        self.root.as_ref()
                    } else {
                        None
                    }) {
                        return Err(ImportError::truncated(
                            &self.path,
                            Some(self.line),
                            format!("the document ends inside <{}>", open.name),
                        ));
                    }
                    if self.root.is_none() {
                        return Err(ImportError::truncated(
                            &self.path,
                            Some(self.line),
                            "no XML document in the file",
                        ));
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
    }
}

fn local_name(start: &quick_xml::events::BytesStart<'_>) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).into_owned()
}

fn element(
    path: &Path,
    line: u64,
    start: &quick_xml::events::BytesStart<'_>,
) -> Result<Node, ImportError> {
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| xml_error(path, line, e.into()))?;
        let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
        let value = attr
            .unescape_value()
            .map_err(|e| xml_error(path, line, e))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Node {
        name: local_name(start),
        attrs,
        line,
        ..Node::default()
    })
}

/// Closes the innermost open element: it joins its parent, or, when it is the
/// record itself, is returned.
fn close(stack: &mut Vec<Node>) -> Option<Node> {
    let mut node = stack.pop()?;
    let trimmed = node.text.trim();
    if trimmed.len() != node.text.len() {
        node.text = trimmed.to_string();
    }
    match stack.last_mut() {
        Some(parent) => {
            parent.children.push(node);
            None
        }
        None => Some(node),
    }
}

fn xml_error(path: &Path, line: u64, err: XmlError) -> ImportError {
    match err {
        XmlError::Io(io) => ImportError::io(
            path,
            Some(line),
            std::sync::Arc::try_unwrap(io)
                .unwrap_or_else(|a| std::io::Error::new(a.kind(), a.to_string())),
        ),
        XmlError::Syntax(
            e @ (SyntaxError::UnclosedTag
            | SyntaxError::UnclosedComment
            | SyntaxError::UnclosedCData
            | SyntaxError::UnclosedDoctype
            | SyntaxError::UnclosedPIOrXmlDecl),
        ) => ImportError::truncated(path, Some(line), format!("the document ends early: {e}")),
        other => ImportError::malformed(path, line, None, format!("ill-formed XML: {other}")),
    }
}
