//! `overclaim lsp`: a Language Server over standard input and output, so an editor shows
//! overclaims as the copy is written. Each open document is audited as `overclaim audit -
//! --stdin-filename PATH` would audit it (the same run, so the same findings, config, rules and
//! waivers of its folder), on open and on every change; hovering a finding shows `overclaim
//! explain` for its rule; code actions apply the suggested wording or insert a suppression
//! comment with a reason to fill in. Config and rule files are read again on every audit, so
//! an edit to them applies to the next keystroke.

use super::commands::explanation;
use crate::diagnostic::{Finding, Severity};
use crate::report::{Audited, Report, Reporter};
use crate::run::{self, RunSettings, Silent};
use crate::source::{DEFAULT_MAX_FILE_SIZE, Format};
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
    };
    let code = match server.run() {
        Ok(()) => 0,
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

/// An open document: its text and what its last audit found.
struct OpenDocument {
    text: Arc<str>,
    findings: Vec<Finding>,
}

struct Server<'c> {
    connection: &'c Connection,
    documents: HashMap<String, OpenDocument>,
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

impl Server<'_> {
    fn run(&mut self) -> Result<(), Failure> {
        for message in &self.connection.receiver {
            match message {
                Message::Request(request) => {
                    if self.connection.handle_shutdown(&request)? {
                        return Ok(());
                    }
                    self.request(request)?;
                }
                Message::Notification(notification) => self.notification(notification)?,
                Message::Response(_) => {}
            }
        }
        Ok(())
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
        let result = match request.method.as_str() {
            HoverRequest::METHOD => {
                let params: HoverParams = serde_json::from_value(request.params)?;
                serde_json::to_value(self.hover(&params))?
            }
            CodeActionRequest::METHOD => {
                let params: CodeActionParams = serde_json::from_value(request.params)?;
                serde_json::to_value(self.code_actions(&params))?
            }
            _ => {
                let response = Response::new_err(
                    request.id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("overclaim does not answer {}", request.method),
                );
                return Ok(self.connection.sender.send(response.into())?);
            }
        };
        self.respond(request.id, result)
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
        let (findings, problem) = audit_text(path, text.clone());
        let mut diagnostics: Vec<Diagnostic> =
            findings.iter().map(|f| diagnostic(&text, f)).collect();
        if let Some(problem) = problem {
            diagnostics.push(Diagnostic {
                range: Range::default(),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("overclaim".to_string()),
                message: problem,
                ..Diagnostic::default()
            });
        }
        self.documents
            .insert(uri.as_str().to_string(), OpenDocument { text, findings });
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
        let offset = offset_of(&document.text, at.position);
        let here: Vec<&Finding> = document
            .findings
            .iter()
            .filter(|f| f.span.start <= offset && offset <= f.span.end)
            .collect();
        let first = here.first()?;
        let folder = file_path(&at.text_document.uri)
            .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."));
        let engine = run::engine_in(&RunSettings::default(), &folder).ok()?;
        let text: Vec<String> = here
            .iter()
            .filter_map(|f| explanation(&engine, &f.rule))
            .map(|e| format!("```text\n{e}```"))
            .collect();
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text.join("\n\n"),
            }),
            range: Some(range_of(&document.text, first.span.start, first.span.end)),
        })
    }

    /// For each finding in the range: replace its span with the suggested wording, and (in
    /// HTML and Markdown) suppress its rule on its line with a reason to fill in.
    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(document) = self.documents.get(uri.as_str()) else {
            return Vec::new();
        };
        let text = &document.text;
        let start = offset_of(text, params.range.start);
        let end = offset_of(text, params.range.end);
        let format = file_path(uri).map_or(Format::Text, |p| Format::from_path(&p));
        let mut actions = Vec::new();
        for f in document
            .findings
            .iter()
            .filter(|f| f.span.start <= end && start <= f.span.end)
        {
            let edit = |range: Range, new_text: String| WorkspaceEdit {
                changes: Some(HashMap::from([(
                    uri.clone(),
                    vec![TextEdit { range, new_text }],
                )])),
                ..WorkspaceEdit::default()
            };
            let diagnostics = Some(vec![diagnostic(text, f)]);
            if !f.suggestion.is_empty() {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Reword as: {}", f.suggestion),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diagnostics.clone(),
                    edit: Some(edit(
                        range_of(text, f.span.start, f.span.end),
                        f.suggestion.clone(),
                    )),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }));
            }
            if matches!(format, Format::Html | Format::Markdown) {
                let line_start = text[..f.span.start].rfind('\n').map_or(0, |i| i + 1);
                let at = range_of(text, line_start, line_start);
                let comment = format!(
                    "<!-- overclaim-disable-next-line {} -- REASON: who decided and why -->\n",
                    f.rule
                );
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Suppress {} on this line (with a reason)", f.rule),
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
fn audit_text(path: PathBuf, text: Arc<str>) -> (Vec<Finding>, Option<String>) {
    let settings = RunSettings {
        paths: vec![PathBuf::from("-")],
        max_file_size: DEFAULT_MAX_FILE_SIZE,
        stdin_filename: Some(path),
        stdin_text: Some(text),
        ..RunSettings::default()
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

fn diagnostic(text: &str, f: &Finding) -> Diagnostic {
    let severity = match f.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let mut message = f.message.clone();
    if !f.suggestion.is_empty() {
        message.push_str(&format!("\nTry: {}", f.suggestion));
    }
    Diagnostic {
        range: range_of(text, f.span.start, f.span.end),
        severity: Some(severity),
        code: Some(NumberOrString::String(f.rule.clone())),
        source: Some("overclaim".to_string()),
        message,
        ..Diagnostic::default()
    }
}

/// The local path of a `file:` URI.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str().strip_prefix("file://")?;
    let decoded = percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()?;
    Some(PathBuf::from(decoded.as_ref()))
}

/// The LSP position (line, UTF-16 code units) of a byte offset.
fn position_of(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count();
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    Position::new(line as u32, character as u32)
}

fn range_of(text: &str, start: usize, end: usize) -> Range {
    Range::new(position_of(text, start), position_of(text, end))
}

/// The byte offset of an LSP position (clamped to its line).
fn offset_of(text: &str, position: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let mut units = 0;
    for (i, c) in text[line_start..line_end].char_indices() {
        if units >= position.character as usize {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    line_end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_round_trip() {
        let text = "Intro\n𝒜 “heals” eczema\n";
        let at = text.find("eczema").unwrap();
        let position = position_of(text, at);
        // 𝒜 is two UTF-16 units, the curly quotes one each.
        assert_eq!(position, Position::new(1, 11));
        assert_eq!(offset_of(text, position), at);
        assert_eq!(offset_of(text, Position::new(9, 0)), text.len());
    }

    #[test]
    fn file_uris_become_paths() {
        let uri: Uri = "file:///tmp/my%20pages/a.md".parse().unwrap();
        assert_eq!(file_path(&uri), Some(PathBuf::from("/tmp/my pages/a.md")));
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(file_path(&untitled), None);
    }
}
