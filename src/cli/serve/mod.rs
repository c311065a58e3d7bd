//! `overclaim serve`: the review page, on 127.0.0.1 only. A reviewer pastes copy or drops a
//! file; the page sends it here as it is typed and shows the JSON report of `overclaim audit -
//! --stdin-filename NAME` for it (the same run, so the same findings, config, rules and
//! waivers as the command line), records waivers into the folder's waivers file after showing
//! the diff, and exports the HTML report.
//!
//! The page is three files embedded in the binary and served from here, under a policy that
//! lets it load nothing else and reach no other host. Requests must name this server as their
//! host (so a page elsewhere cannot reach it through a rebound name) and, when a browser sends
//! them, come from its own origin; bodies are bounded.

use crate::judge::Product;
use crate::report::{self, ReportFormat};
use crate::run::{self, RunSettings};
use crate::source::{self, Format};
use crate::waivers::{self, NewWaiver, WaiverFile};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

const PAGE: &str = include_str!("page.html");
const SCRIPT: &str = include_str!("page.js");
const STYLE: &str = include_str!("page.css");

/// What the page may do: load its own script and style, talk to this server, nothing else.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";

/// What `overclaim serve` was asked for.
pub(super) struct ServeOptions {
    /// 0 picks a free port.
    pub port: u16,
    /// The folder whose config and waivers apply, or a file in it to open.
    pub path: PathBuf,
    /// Rule sources and the file-size limit, as `audit` takes them.
    pub settings: RunSettings,
}

/// Serves until the process is stopped; 2 when the page cannot be served.
pub(super) fn serve(mut options: ServeOptions) -> u8 {
    // Rule and config files are read on every audit; an engine is built when they change.
    options.settings.engines = Some(Arc::default());
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the review page: {e}");
            return 2;
        }
    };
    runtime.block_on(async move {
        let (root, opened) = if options.path.is_file() {
            let name = options.path.file_name().map(PathBuf::from);
            let root = options
                .path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            (root, name)
        } else if options.path.is_dir() {
            (options.path.clone(), None)
        } else {
            eprintln!("error: {}: no such file or folder", options.path.display());
            return 2;
        };
        // What cannot work is said now, not on every request: a broken config or rule file,
        // or a file to open that cannot be read.
        if let Err(e) = run::engine_in(&options.settings, &root) {
            for line in e.messages() {
                eprintln!("{line}");
            }
            return 2;
        }
        if let Some(name) = &opened {
            let path = root.join(name);
            if let Err(e) = read_capped(&path, options.settings.max_file_size) {
                eprintln!("error: {}: {e}", path.display());
                return 2;
            }
        }
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", options.port)).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!(
                    "error: cannot listen on 127.0.0.1:{}: {e} (--port 0 picks a free port)",
                    options.port
                );
                return 2;
            }
        };
        let port = match listener.local_addr() {
            Ok(address) => address.port(),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        };
        let limit = options.settings.max_file_size;
        let state = Arc::new(Served {
            root,
            opened,
            settings: options.settings,
            port,
        });
        let app = Router::new()
            .route("/", get(page))
            .route("/page.js", get(script))
            .route("/page.css", get(style))
            .route("/api/session", get(session))
            .route("/api/audit", post(audit))
            .route("/api/open", post(open))
            .route("/api/export", post(export))
            .route("/api/waiver", post(waiver))
            // Copy arrives as JSON, where escaping can double its size.
            .layer(DefaultBodyLimit::max(
                usize::try_from(limit.saturating_mul(2).saturating_add(1 << 16))
                    .unwrap_or(usize::MAX),
            ))
            .layer(middleware::from_fn_with_state(state.clone(), guard))
            .with_state(state);
        println!("overclaim review page: http://127.0.0.1:{port}/ (Ctrl-C stops it)");
        match axum::serve(listener, app).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: the review page stopped: {e}");
                2
            }
        }
    })
}

/// What every request shares.
struct Served {
    /// Names the page sends are files in this folder.
    root: PathBuf,
    /// The file named on the command line, opened when the page loads.
    opened: Option<PathBuf>,
    settings: RunSettings,
    port: u16,
}

type Shared = State<Arc<Served>>;

/// Refuses requests for another host or, from a browser, from another origin; adds the
/// page's headers to every answer.
async fn guard(State(served): Shared, request: Request, next: Next) -> Response {
    let ours = [
        format!("127.0.0.1:{}", served.port),
        format!("localhost:{}", served.port),
    ];
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if !host.is_some_and(|h| ours.iter().any(|o| o == h)) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers only as 127.0.0.1 or localhost on its port",
        );
    }
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|h| h.to_str().ok());
    if let Some(origin) = origin
        && !ours.iter().any(|o| origin == format!("http://{o}"))
    {
        return refuse(
            StatusCode::FORBIDDEN,
            "requests from other pages are refused",
        );
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

async fn page() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE)
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
}

async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE)
}

/// Copy to audit, as the page sends it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Copy {
    /// The file the copy stands for, relative to the served folder: its format, its name in
    /// the report, and the config and waivers that apply.
    name: String,
    text: String,
    /// Jurisdiction codes to judge under; the config's (or all) when absent.
    #[serde(default)]
    jurisdictions: Option<Vec<String>>,
    /// Product type name; the config's (or cosmetic) when absent.
    #[serde(default)]
    product: Option<String>,
}

/// A request the page got wrong, or a run that could not be done, said in one message.
struct Refusal(StatusCode, String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        refuse(self.0, &self.1)
    }
}

/// A JSON body, or why it could not be read (answered as JSON like every refusal).
type Body<T> = Result<axum::Json<T>, axum::extract::rejection::JsonRejection>;

fn read<T>(body: Body<T>) -> Result<T, Refusal> {
    body.map(|json| json.0)
        .map_err(|rejection| Refusal(rejection.status(), rejection.body_text()))
}

fn bad(message: impl Into<String>) -> Refusal {
    Refusal(StatusCode::BAD_REQUEST, message.into())
}

impl Served {
    /// The path a name stands for: a file in the served folder, never outside it.
    fn file(&self, name: &str) -> Result<PathBuf, Refusal> {
        let relative = Path::new(name);
        let inside = !name.is_empty()
            && !name.chars().any(char::is_control)
            && relative
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        if !inside {
            return Err(bad(format!(
                "`{name}` is not a file name inside the served folder"
            )));
        }
        Ok(self.root.join(relative))
    }

    /// The settings that audit `bytes` as the file `name`, with the server's rule sources and
    /// limits; a Word draft's name gets its copy read as text (the page holds the draft's
    /// extracted copy).
    fn settings(
        &self,
        name: &str,
        bytes: Arc<[u8]>,
        jurisdictions: Option<Vec<String>>,
        product: Option<&str>,
    ) -> Result<RunSettings, Refusal> {
        let path = self.file(name)?;
        let as_text = matches!(Format::from_path(&path), Format::Docx | Format::Odt);
        let product = match product {
            None => None,
            Some(name) => Some(
                Product::from_name(name).ok_or_else(|| bad(format!("unknown product `{name}`")))?,
            ),
        };
        Ok(RunSettings {
            paths: vec![PathBuf::from("-")],
            stdin_filename: Some(path),
            stdin_bytes: Some(bytes),
            stdin_format: as_text.then_some(Format::Text),
            jurisdictions,
            product,
            ..self.settings.clone()
        })
    }

    fn copy_settings(&self, copy: Copy) -> Result<RunSettings, Refusal> {
        if copy.jurisdictions.as_ref().is_some_and(Vec::is_empty) {
            return Err(bad(
                "choose at least one jurisdiction to judge the copy under",
            ));
        }
        self.settings(
            &copy.name,
            Arc::from(copy.text.into_bytes()),
            copy.jurisdictions,
            copy.product.as_deref(),
        )
    }
}

/// A run's report in `format`, written in memory.
async fn report_of(settings: RunSettings, format: ReportFormat) -> Result<Vec<u8>, Refusal> {
    let done = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        let outcome = {
            let mut reporter = report::reporter(format, Box::new(&mut out), false);
            run::run(&settings, reporter.as_mut(), &run::Silent)
        };
        outcome.map(|_| out)
    })
    .await;
    match done {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(e)) => Err(run_refusal(&e)),
        Err(e) => Err(Refusal(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())),
    }
}

/// A run that could not be done: a value the page chose (400) or the folder's rule, config or
/// waivers files (422), said as the command line says it.
fn run_refusal(error: &crate::RunError) -> Refusal {
    let status = match error {
        crate::RunError::Usage(_) => StatusCode::BAD_REQUEST,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let lines: Vec<String> = error
        .messages()
        .iter()
        .map(|line| line.strip_prefix("error: ").unwrap_or(line).to_string())
        .collect();
    Refusal(status, lines.join("\n"))
}

fn json_body(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

/// The JSON report (the `audit --format json` contract) of the copy.
async fn audit(State(served): Shared, body: Body<Copy>) -> Result<Response, Refusal> {
    let settings = served.copy_settings(read(body)?)?;
    Ok(json_body(report_of(settings, ReportFormat::Json).await?))
}

/// The HTML report of the copy, as a download.
async fn export(State(served): Shared, body: Body<Copy>) -> Result<Response, Refusal> {
    let copy = read(body)?;
    let name = copy.name.clone();
    let settings = served.copy_settings(copy)?;
    let html = report_of(settings, ReportFormat::Html).await?;
    let stem: String = Path::new(&name)
        .file_name()
        .map(|n| {
            n.to_string_lossy().replace(
                |c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-',
                "_",
            )
        })
        .unwrap_or_default();
    let disposition = format!("attachment; filename=\"{stem}.overclaim.html\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        html,
    )
        .into_response())
}

/// A file's copy as the page shows it (a Word draft's extracted text; any other file's own
/// text) and its report as the file it is.
async fn opened(served: &Served, name: &str, bytes: Vec<u8>) -> Result<Value, Refusal> {
    let path = served.file(name)?;
    let bytes: Arc<[u8]> = Arc::from(bytes);
    let walk = source::walk(
        &[PathBuf::from("-")],
        Some(&path),
        &source::Selection::default(),
    );
    let Some(candidate) = walk.candidates.first() else {
        return Err(bad("nothing to read"));
    };
    let file = source::read(candidate, served.settings.max_file_size, Some(&bytes))
        .map_err(|skipped| Refusal(StatusCode::UNPROCESSABLE_ENTITY, skipped.reason))?;
    let settings = RunSettings {
        stdin_format: None,
        ..served.settings(name, bytes, None, None)?
    };
    let report = report_of(settings, ReportFormat::Json).await?;
    let report: Value = serde_json::from_slice(&report)
        .map_err(|e| Refusal(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(json!({ "name": name, "text": file.text, "report": report }))
}

/// A dropped file (its name in `X-File-Name`): its copy and its report.
async fn open(State(served): Shared, headers: HeaderMap, body: Bytes) -> Result<Response, Refusal> {
    let name = headers
        .get("x-file-name")
        .ok_or_else(|| bad("X-File-Name is missing"))?;
    let name = percent_encoding::percent_decode(name.as_bytes())
        .decode_utf8()
        .map_err(|_| bad("X-File-Name is not UTF-8"))?;
    // A dropped file lands in the served folder, whatever folder it came from.
    let name = Path::new(name.as_ref())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(axum::Json(opened(&served, &name, body.to_vec()).await?).into_response())
}

/// What the page starts with: the file named on the command line (if any), the jurisdictions
/// and products to choose from, and where waivers go.
async fn session(State(served): Shared) -> Result<Response, Refusal> {
    let engine = {
        let served = served.clone();
        tokio::task::spawn_blocking(move || run::engine_in(&served.settings, &served.root))
            .await
            .map_err(|e| Refusal(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
            .map_err(|e| run_refusal(&e))?
    };
    let jurisdictions: Vec<Value> = engine
        .knowledge
        .jurisdictions
        .iter()
        .map(|j| json!({ "code": j.code.as_str(), "name": j.name }))
        .collect();
    let products: Vec<&str> = Product::NAMES.iter().map(|(name, _)| *name).collect();
    let opened = match &served.opened {
        Some(name) => {
            let name = name.to_string_lossy().into_owned();
            let path = served.root.join(&name);
            let bytes = read_capped(&path, served.settings.max_file_size).map_err(|e| {
                Refusal(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("{}: {e}", path.display()),
                )
            })?;
            Some(opened(&served, &name, bytes).await?)
        }
        None => None,
    };
    Ok(axum::Json(json!({
        "folder": served.root.display().to_string(),
        "opened": opened,
        "jurisdictions": jurisdictions,
        "products": products,
    }))
    .into_response())
}

/// A file's bytes, refused past `--max-file-size` as the audit refuses it.
fn read_capped(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    source::read_limited(std::fs::File::open(path)?, max)?
        .ok_or_else(|| std::io::Error::other(format!("larger than --max-file-size ({max} bytes)")))
}

/// A waiver the reviewer asks for: previewed as a diff, then written with the preview's
/// `base` (so a file changed in between is not overwritten).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverRequest {
    name: String,
    rule: String,
    #[serde(default)]
    excerpt: Option<String>,
    reviewer: String,
    reason: String,
    expires: String,
    #[serde(default)]
    write: bool,
    #[serde(default)]
    base: Option<String>,
}

/// Previews (a unified diff) or writes a waiver into the waivers file that applies to the
/// named file: the nearest one above it, or a new one in the served folder.
async fn waiver(State(served): Shared, body: Body<WaiverRequest>) -> Result<Response, Refusal> {
    let asked = read(body)?;
    let file = served.file(&asked.name)?;
    let expires =
        chrono::NaiveDate::parse_from_str(asked.expires.trim(), "%Y-%m-%d").map_err(|_| {
            bad(format!(
                "expiry `{}` is not a date (YYYY-MM-DD)",
                asked.expires
            ))
        })?;
    if expires < chrono::Local::now().date_naive() {
        return Err(bad("the expiry date has passed"));
    }
    let (reviewer, reason) = (asked.reviewer.trim(), asked.reason.trim());
    if reviewer.is_empty() || reason.is_empty() || asked.rule.trim().is_empty() {
        return Err(bad("a waiver needs a rule, a reviewer and a reason"));
    }
    let folder = file.parent().unwrap_or(&served.root).to_path_buf();
    let rule = asked.rule.trim().to_string();
    let known = {
        let (served, folder, rule) = (served.clone(), folder.clone(), rule.clone());
        tokio::task::spawn_blocking(move || {
            run::engine_in(&served.settings, &folder)
                .map(|engine| engine.book.rule(&rule).is_some())
        })
        .await
        .map_err(|e| Refusal(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(|e| run_refusal(&e))?
    };
    if !known {
        return Err(bad(format!("no rule `{rule}` is in force for this file")));
    }
    let target =
        WaiverFile::find(&folder).unwrap_or_else(|| served.root.join(waivers::WAIVERS_FILE));
    // Read as the audit reads a waivers file (size limit, UTF-8).
    let existing = if target.is_file() {
        let text = crate::rules::read_capped(&target)
            .map_err(|e| Refusal(StatusCode::CONFLICT, format!("{}: {e}", target.display())))?;
        Some(text)
    } else {
        None
    };
    let waiver_dir = std::path::absolute(target.parent().unwrap_or(Path::new(".")))
        .map_err(|e| bad(e.to_string()))?;
    let absolute = std::path::absolute(&file).map_err(|e| bad(e.to_string()))?;
    let relative = absolute.strip_prefix(&waiver_dir).unwrap_or(&absolute);
    let glob = globset::escape(&relative.to_string_lossy().replace('\\', "/"));
    let new = NewWaiver {
        path: glob,
        rule,
        excerpt: asked.excerpt.filter(|e| !e.trim().is_empty()),
        reviewer: reviewer.to_string(),
        reason: reason.to_string(),
        expires,
    };
    let text = waivers::with_waiver(&target, existing.as_deref(), &new)
        .map_err(|message| Refusal(StatusCode::CONFLICT, message))?;
    let shown = target.display().to_string();
    let before = existing.as_deref().unwrap_or("");
    let diff = similar::TextDiff::from_lines(before, &text)
        .unified_diff()
        .header(
            if existing.is_some() {
                &shown
            } else {
                "/dev/null"
            },
            &shown,
        )
        .to_string();
    let base = fingerprint(existing.as_deref());
    if asked.write {
        if asked.base.as_deref().is_none_or(str::is_empty) {
            return Err(bad("a waiver is written with the `base` of its preview"));
        }
        if asked.base.as_deref() != Some(base.as_str()) {
            return Err(Refusal(
                StatusCode::CONFLICT,
                format!("{shown} changed since the preview; preview the waiver again"),
            ));
        }
        write_beside(&target, &text)
            .map_err(|e| Refusal(StatusCode::CONFLICT, format!("cannot write {shown}: {e}")))?;
    }
    Ok(axum::Json(json!({
        "file": shown,
        "diff": diff,
        "base": base,
        "written": asked.write,
    }))
    .into_response())
}

/// A short fingerprint of a file's text (or of its absence), to tell that it changed.
fn fingerprint(text: Option<&str>) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Writes `text` to `path` through a file beside it, so a failed write leaves the old file.
fn write_beside(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    // The file keeps who may read it; a new one is readable as files the user makes are
    // (not the temporary file's owner-only mode).
    match std::fs::metadata(path) {
        Ok(old) => temporary.as_file().set_permissions(old.permissions())?,
        #[cfg(unix)]
        Err(_) => {
            use std::os::unix::fs::PermissionsExt;
            temporary
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        #[cfg(not(unix))]
        Err(_) => {}
    }
    temporary.write_all(text.as_bytes())?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}
