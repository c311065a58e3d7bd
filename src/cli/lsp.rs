//! `overclaim lsp`: a Language Server over standard input and output, so an editor shows
//! overclaims as the copy is written. Each open document is audited as `overclaim audit -
//! --stdin-filename PATH` would audit it (the same run, so the same findings, config, rules and
//! waivers of its folder), on open and on every change; hovering a finding shows `overclaim
//! explain` for its rule; code actions apply the suggested wording or insert a suppression
//! comment with a reason to fill in. Config and rule files are read again on every audit, so
//! an edit to them applies to the next keystroke.

use super::commands::explanation;
use crate::diagnostic::{Finding, LineIndex, LineStarts, Severity};
use crate::report::{Audited, Report, Reporter};
use crate::run::{self, EngineCache, RunSettings, Silent};
use crate::source::Format;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument,
    Notification as NotificationKind, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as RequestKind};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Diagnostic, DiagnosticSeverity, Hover, HoverContents,
    HoverParams, HoverProviderCapability, MarkupContent, MarkupKind, NumberOrString, Position,
    PublishDiagnosticsParams, Range, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Runs the server until the client says `exit`; the exit code is the process's.
pub(super) fn serve() -> u8 {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let capabilities = match serde_json::to_value(capabilities) {
        Ok(value) => value,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if let Err(e) = connection.initialize(capabilities) {
        eprintln!("error: the language client did not initialize: {e}");
        return 2;
    }
    let mut server = Server {
        connection: &connection,
        documents: HashMap::new(),
        engines: Arc::default(),
    };
    let code = match server.run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    };
    drop(connection);
    match io_threads.join() {
        Ok(()) => code,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// An open document: its text, where its lines start, and what its last audit found.
struct OpenDocument {
    text: Arc<str>,
    lines: LineStarts,
    findings: Vec<Finding>,
}

impl OpenDocument {
    fn index(&self) -> LineIndex<'_> {
        self.lines.index(&self.text)
    }

    /// The editor's range of a byte span.
    fn range(&self, start: usize, end: usize) -> Range {
        let index = self.index();
        let position = |offset| {
            let (line, character) = index.utf16_position(offset);
            Position::new(line as u32, character as u32)
        };
        Range::new(position(start), position(end))
    }

    /// The byte offset of an editor's position (clamped to its line).
    fn offset(&self, position: Position) -> usize {
        self.index()
            .utf16_offset(position.line as usize, position.character as usize)
    }

    /// Every place a finding is reported at, `(start, end, finding)`: its span, and the other
    /// places of a claim it reports once per page.
    fn places(&self) -> impl Iterator<Item = (usize, usize, &Finding)> {
        self.findings.iter().flat_map(|f| {
            std::iter::once((f.span.start, f.span.end))
                .chain(f.also_at.iter().map(|s| (s.start, s.end)))
                .map(move |(start, end)| (start, end, f))
        })
    }
}

struct Server<'c> {
    connection: &'c Connection,
    documents: HashMap<String, OpenDocument>,
    /// Config and rule files are read on every audit; an engine is built when they change.
    engines: Arc<EngineCache>,
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

impl Server<'_> {
    /// Serves until `exit`: 0 after `shutdown`, 1 without it (as the protocol says).
    fn run(&mut self) -> Result<u8, Failure> {
        // Messages are read ahead as they arrive (the connection hands them over one at a
        // time), so a change already superseded by a later one is seen while it waits.
        let (forward, incoming) = std::sync::mpsc::channel();
        let receiver = self.connection.receiver.clone();
        std::thread::spawn(move || {
            for message in receiver {
                if forward.send(message).is_err() {
                    return;
                }
            }
        });
        let mut backlog: std::collections::VecDeque<Message> = Default::default();
        let mut shut_down = false;
        loop {
            let message = match backlog.pop_front() {
                Some(message) => message,
                None => match incoming.recv() {
                    Ok(message) => message,
                    Err(_) => return Ok(0),
                },
            };
            match message {
                Message::Request(request) if shut_down => {
                    let response = Response::new_err(
                        request.id,
                        lsp_server::ErrorCode::InvalidRequest as i32,
                        "the server is shut down".to_string(),
                    );
                    self.connection.sender.send(response.into())?;
                }
                Message::Request(request) if request.method == "shutdown" => {
                    shut_down = true;
                    self.respond(request.id, serde_json::Value::Null)?;
                }
                Message::Request(request) => self.request(request)?,
                Message::Notification(notification) if notification.method == "exit" => {
                    return Ok(if shut_down { 0 } else { 1 });
                }
                Message::Notification(notification) => {
                    // A change superseded by one already waiting is not audited: typing fast
                    // costs one audit, of the latest text.
                    backlog.extend(incoming.try_iter());
                    let superseded = changed_document(&notification).is_some_and(|uri| {
                        backlog.iter().any(|later| match later {
                            Message::Notification(n) => changed_document(n) == Some(uri.clone()),
                            _ => false,
                        })
                    });
                    if !superseded && let Err(e) = self.notification(notification) {
                        eprintln!("overclaim lsp: {e}");
                    }
                }
                Message::Response(_) => {}
            }
        }
    }

    fn notification(&mut self, notification: Notification) -> Result<(), Failure> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let params: lsp_types::DidOpenTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                let document = params.text_document;
                self.audit(document.uri, document.text.into(), Some(document.version))
            }
            DidChangeTextDocument::METHOD => {
                let params: lsp_types::DidChangeTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                // Full synchronisation: the last change is the whole text.
                let Some(change) = params.content_changes.into_iter().last() else {
                    return Ok(());
                };
                let document = params.text_document;
                self.audit(document.uri, change.text.into(), Some(document.version))
            }
            DidCloseTextDocument::METHOD => {
                let params: lsp_types::DidCloseTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                self.documents.remove(params.text_document.uri.as_str());
                self.publish(params.text_document.uri, Vec::new(), None)
            }
            _ => Ok(()),
        }
    }

    fn request(&mut self, request: Request) -> Result<(), Failure> {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            HoverRequest::METHOD => serde_json::from_value::<HoverParams>(request.params)
                .map(|params| serde_json::to_value(self.hover(&params))),
            CodeActionRequest::METHOD => serde_json::from_value::<CodeActionParams>(request.params)
                .map(|params| serde_json::to_value(self.code_actions(&params))),
            _ => {
                let response = Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("overclaim does not answer {}", request.method),
                );
                return Ok(self.connection.sender.send(response.into())?);
            }
        };
        match result {
            Ok(result) => self.respond(id, result?),
            Err(e) => {
                let response = Response::new_err(
                    id,
                    lsp_server::ErrorCode::InvalidParams as i32,
                    format!("invalid parameters: {e}"),
                );
                Ok(self.connection.sender.send(response.into())?)
            }
        }
    }

    fn respond(&self, id: RequestId, result: serde_json::Value) -> Result<(), Failure> {
        Ok(self
            .connection
            .sender
            .send(Response::new_ok(id, result).into())?)
    }

    /// Audits a document's text as the command line would audit it on standard input, named
    /// by its path, and publishes the findings.
    fn audit(&mut self, uri: Uri, text: Arc<str>, version: Option<i32>) -> Result<(), Failure> {
        let Some(path) = file_path(&uri) else {
            return Ok(());
        };
        let (findings, problem) = audit_text(path, text.clone(), &self.engines);
        let document = OpenDocument {
            lines: LineStarts::of(&text),
            text,
            findings,
        };
        let mut diagnostics: Vec<Diagnostic> = document
            .places()
            .map(|(start, end, f)| diagnostic(&document, start, end, f))
            .collect();
        if let Some(problem) = problem {
            diagnostics.push(Diagnostic {
                range: Range::default(),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("overclaim".to_string()),
                message: problem,
                ..Diagnostic::default()
            });
        }
        self.documents.insert(uri.as_str().to_string(), document);
        self.publish(uri, diagnostics, version)
    }

    fn publish(
        &self,
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    ) -> Result<(), Failure> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        let notification = Notification::new(PublishDiagnostics::METHOD.to_string(), params);
        Ok(self.connection.sender.send(notification.into())?)
    }

    /// `overclaim explain` for each rule whose finding covers the position.
    fn hover(&self, params: &HoverParams) -> Option<Hover> {
        let at = &params.text_document_position_params;
        let document = self.documents.get(at.text_document.uri.as_str())?;
        let offset = document.offset(at.position);
        let here: Vec<(usize, usize, &Finding)> = document
            .places()
            .filter(|&(start, end, _)| start <= offset && offset <= end)
            .collect();
        let &(first_start, first_end, _) = here.first()?;
        let folder = file_path(&at.text_document.uri)
            .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."));
        let settings = RunSettings {
            engines: Some(self.engines.clone()),
            ..RunSettings::default()
        };
        let engine = run::engine_in(&settings, &folder).ok()?;
        let text: Vec<String> = here
            .iter()
            .flat_map(|(_, _, f)| std::iter::once(&f.rule).chain(f.related.iter().map(|r| &r.rule)))
            .filter_map(|rule| explanation(&engine, rule))
            .map(|e| format!("```text\n{e}```"))
            .collect();
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text.join("\n\n"),
            }),
            range: Some(document.range(first_start, first_end)),
        })
    }

    /// For each finding in the range: replace its span with the suggested wording, and (in
    /// HTML and Markdown) suppress its rule on its line with a reason to fill in.
    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(document) = self.documents.get(uri.as_str()) else {
            return Vec::new();
        };
        let start = document.offset(params.range.start);
        let end = document.offset(params.range.end);
        let format = file_path(uri).map_or(Format::Text, |p| Format::from_path(&p));
        let mut actions = Vec::new();
        for (f_start, f_end, f) in document
            .places()
            .filter(|&(f_start, f_end, _)| f_start <= end && start <= f_end)
        {
            let edit = |range: Range, new_text: String| WorkspaceEdit {
                changes: Some(HashMap::from([(
                    uri.clone(),
                    vec![TextEdit { range, new_text }],
                )])),
                ..WorkspaceEdit::default()
            };
            let diagnostics = Some(vec![diagnostic(document, f_start, f_end, f)]);
            if is_wording(&f.suggestion) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Reword as: {}", f.suggestion),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diagnostics.clone(),
                    edit: Some(edit(document.range(f_start, f_end), f.suggestion.clone())),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }));
            }
            if matches!(format, Format::Html | Format::Markdown) {
                let line_start = document.index().line_start_of(f_start);
                let at = document.range(line_start, line_start);
                let rules: Vec<&str> = std::iter::once(f.rule.as_str())
                    .chain(f.related.iter().map(|r| r.rule.as_str()))
                    .collect();
                let comment = format!(
                    "<!-- overclaim-disable-next-line {} -- REASON: who decided and why -->\n",
                    rules.join(", ")
                );
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Suppress {} on this line (with a reason)", rules.join(", ")),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics,
                    edit: Some(edit(at, comment)),
                    ..CodeAction::default()
                }));
            }
        }
        actions
    }
}

/// The findings of `overclaim audit - --stdin-filename PATH` on `text`, and a problem that
/// stopped or limited the audit (a broken config, a skipped document).
fn audit_text(
    path: PathBuf,
    text: Arc<str>,
    engines: &Arc<EngineCache>,
) -> (Vec<Finding>, Option<String>) {
    let settings = RunSettings {
        engines: Some(engines.clone()),
        ..RunSettings::for_copy(path, Arc::<[u8]>::from(text))
    };
    let mut collected = Collected::default();
    match run::run(&settings, &mut collected, &Silent) {
        Ok(_) => {
            let problem = collected
                .skipped
                .first()
                .map(|reason| format!("overclaim did not audit this document: {reason}"));
            (collected.findings, problem)
        }
        Err(e) => (Vec::new(), Some(format!("overclaim: {e}"))),
    }
}

/// A reporter that keeps the findings and skips of a run.
#[derive(Default)]
struct Collected {
    findings: Vec<Finding>,
    skipped: Vec<String>,
}

impl Reporter for Collected {
    fn document(&mut self, audited: &Audited<'_>) -> std::io::Result<()> {
        self.findings.extend_from_slice(audited.findings);
        Ok(())
    }

    fn skipped(&mut self, skipped: &crate::diagnostic::Skipped) -> std::io::Result<()> {
        self.skipped.push(skipped.reason.clone());
        Ok(())
    }

    fn finish(&mut self, _report: &Report) -> std::io::Result<()> {
        Ok(())
    }
}

/// A finding's diagnostic at one of its places: its message, the other rules the claim
/// matched, and the suggested wording.
fn diagnostic(document: &OpenDocument, start: usize, end: usize, f: &Finding) -> Diagnostic {
    let severity = match f.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let mut message = f.message.clone();
    for related in &f.related {
        message.push_str(&format!("\nAlso {}: {}", related.rule, related.message));
    }
    if !f.suggestion.is_empty() {
        message.push_str(&format!("\nTry: {}", f.suggestion));
    }
    Diagnostic {
        range: document.range(start, end),
        severity: Some(severity),
        code: Some(NumberOrString::String(f.rule.clone())),
        source: Some("overclaim".to_string()),
        message,
        ..Diagnostic::default()
    }
}

/// Whether a suggestion is wording to put in place of the claim, not advice about it: a
/// template with `[placeholders]`, or directions in brackets ("(omit; if needed: …)", "(only
/// with that study on file)"), is shown in the diagnostic but never pasted into the copy.
fn is_wording(suggestion: &str) -> bool {
    !suggestion.is_empty() && !suggestion.contains(['[', '(', ';'])
}

/// The local path of a `file:` URI.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str().strip_prefix("file://")?;
    let decoded = percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()?;
    Some(PathBuf::from(decoded.as_ref()))
}

/// The document that a notification changes or closes.
fn changed_document(notification: &Notification) -> Option<String> {
    match notification.method.as_str() {
        DidChangeTextDocument::METHOD | DidCloseTextDocument::METHOD => notification
            .params
            .pointer("/textDocument/uri")
            .and_then(|uri| uri.as_str())
            .map(str::to_string),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_round_trip() {
        let text = "Intro\n𝒜 “heals” eczema\n";
        let document = OpenDocument {
            text: text.into(),
            lines: LineStarts::of(text),
            findings: Vec::new(),
        };
        let at = text.find("eczema").unwrap();
        let range = document.range(at, text.len());
        // 𝒜 is two UTF-16 units, the curly quotes one each.
        assert_eq!(range.start, Position::new(1, 11));
        assert_eq!(document.offset(range.start), at);
        assert_eq!(document.offset(Position::new(9, 0)), text.len());
        assert_eq!(range.end, Position::new(2, 0));
    }

    #[test]
    fn templates_and_directions_are_advice_not_wording() {
        assert!(is_wording("skin looks firmer and plumper"));
        assert!(!is_wording("in a study of N people [reference]"));
        assert!(!is_wording("omit; if needed: \"not evaluated by the FDA\""));
        assert!(!is_wording("well tolerated (only with that study on file)"));
        assert!(!is_wording(""));
    }

    #[test]
    fn file_uris_become_paths() {
        let uri: Uri = "file:///tmp/my%20pages/a.md".parse().unwrap();
        assert_eq!(file_path(&uri), Some(PathBuf::from("/tmp/my pages/a.md")));
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(file_path(&untitled), None);
    }
}
