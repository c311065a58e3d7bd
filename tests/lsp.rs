//! `overclaim lsp` end to end, driven by a scripted client over stdio: initialize, didOpen,
//! diagnostics (the same findings as `overclaim audit` on the same file), hover (the rule's
//! explanation), codeAction (reword, suppress), didChange (the suppression and a config edited
//! meanwhile both apply), shutdown and exit.

mod common;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

struct Client {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_overclaim"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let mut output = BufReader::new(child.stdout.take().unwrap());
        let (send, messages) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = 0;
                loop {
                    let mut header = String::new();
                    if output.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                output.read_exact(&mut body).unwrap();
                if send.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            input,
            messages,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn request(&mut self, id: u64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.next(|m| m["id"] == id);
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message the server sends that `wanted` accepts (others are passed over).
    fn next(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(30))
                .expect("the server answers within 30 s");
            if wanted(&message) {
                return message;
            }
        }
    }

    fn diagnostics(&mut self, version: u64) -> Vec<Value> {
        let published = self.next(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
        });
        published["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .clone()
    }
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

const PAGE: &str = "# Night serum\n\nHeals eczema overnight.\n\nA miracle cream for tired skin.\n\nSkin feels softer after a week.\n\nOur FDA approved formula.\n\nStill FDA approved.\n";

#[test]
fn the_language_server_publishes_explains_fixes_and_follows_edits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.md");
    std::fs::write(&path, PAGE).unwrap();
    let uri = format!("file://{}", path.display());
    let mut client = Client::start();
    let init = client.request(
        1,
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    client.notify("initialized", json!({}));

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": PAGE}}),
    );
    let diagnostics = client.diagnostics(1);
    // The same findings as the command line's on the same file: rule and start line, at each
    // place (a claim reported once per page is shown at its other places too).
    let report = common::audit_json(&[path.to_str().unwrap()]);
    let mut from_cli: Vec<(String, u64)> = Vec::new();
    for f in report["findings"].as_array().unwrap() {
        let rule = f["rule"].as_str().unwrap().to_string();
        let also = f["also_at"].as_array().into_iter().flatten();
        for span in std::iter::once(&f["span"]).chain(also) {
            from_cli.push((rule.clone(), span["line"].as_u64().unwrap() - 1));
        }
    }
    from_cli.sort();
    let mut from_server: Vec<(String, u64)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    from_server.sort();
    assert!(
        from_cli.contains(&("regulatory-status.fda-approved-cosmetic".to_string(), 10)),
        "the repeated claim's second place: {from_cli:?}"
    );
    assert!(
        codes(&diagnostics)
            .iter()
            .any(|c| c.starts_with("absolute.")),
        "the miracle claim, which the config below switches off: {diagnostics:?}"
    );
    assert_eq!(from_server, from_cli);
    let eczema = diagnostics
        .iter()
        .find(|d| d["code"] == "drug-claim.disease-treatment")
        .expect("the eczema claim")
        .clone();
    assert_eq!(eczema["range"]["start"], json!({"line": 2, "character": 0}));

    let hover = client.request(
        2,
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 8}}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("drug-claim.disease-treatment"), "{shown}");
    assert!(shown.contains("What it says"), "{shown}");
    let at_second_place = client.request(
        5,
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 10, "character": 8}}),
    );
    assert!(
        at_second_place["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("regulatory-status.fda-approved-cosmetic")
    );
    // Parameters the server cannot read get an error, and the server goes on.
    client.send(
        json!({"jsonrpc": "2.0", "id": 6, "method": "textDocument/hover", "params": {"foo": 1}}),
    );
    let refused = client.next(|m| m["id"] == 6);
    assert_eq!(refused["error"]["code"], -32602, "{refused}");

    let actions = client.request(
        3,
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": eczema["range"], "context": {"diagnostics": [eczema]}}),
    );
    let actions = actions.as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.iter().any(|t| t.starts_with("Reword as: ")),
        "{titles:?}"
    );
    let suppress = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Suppress drug-claim.disease-treatment")
        })
        .expect("a suppression");
    let edit = &suppress["edit"]["changes"][&uri][0];
    assert_eq!(edit["range"]["start"], json!({"line": 2, "character": 0}));
    let comment = edit["newText"].as_str().unwrap();

    // The editor applies the suppression, and meanwhile a config switches off the absolutes.
    let edited = PAGE.replacen("Heals eczema", &format!("{comment}Heals eczema"), 1);
    std::fs::write(dir.path().join(".overclaim.yaml"), "disable: [absolute.]\n").unwrap();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    let after = codes(&client.diagnostics(2));
    assert!(
        !after.iter().any(|c| c == "drug-claim.disease-treatment"),
        "suppressed: {after:?}"
    );
    assert!(
        !after.iter().any(|c| c.starts_with("absolute.")),
        "the config edited after the server started applies: {after:?}"
    );

    client.request(4, "shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert!(status.success(), "{status}");
}
