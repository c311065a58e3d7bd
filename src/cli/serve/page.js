// The review page: the copy in a text box over a layer that paints its findings, the
// findings beside it. Copy is only ever put in the page as text (textContent, text nodes,
// form values), never as markup, so audited copy cannot add elements or run scripts.
"use strict";

const $ = (id) => document.getElementById(id);
// Audit this long after the last keystroke: a pause in typing, not every key.
const PAUSE_MS = 40;

const state = {
  report: null,        // the last JSON report shown
  places: [],          // [{start, end, finding}] in UTF-16 indexes of the text shown
  text: "",            // the text the places belong to
  sequence: 0,         // audits asked for
  timer: 0,
  pending: null,       // the AbortController of the audit in flight
  waiving: null,       // the finding the waiver dialog is for
  waiverBase: null,    // the waivers file's fingerprint at preview time
  cards: null,         // the cards shown, by cardKey
  jurisdictionsChosen: false,
  cardsTimer: 0,
};

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

async function post(path, body, signal) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  return answer(response);
}

async function answer(response) {
  if (!response.ok) {
    let message = response.statusText;
    try { message = (await response.json()).error || message; } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

function setStatus(text, problem) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("problem", Boolean(problem));
}

// Until the reviewer changes a box, the copy is judged as the folder's config says (as
// `overclaim audit` judges it), and the boxes show what the last report was judged under.
function chosenJurisdictions() {
  if (!state.jurisdictionsChosen) return null;
  return [...document.querySelectorAll("#jurisdictions input:checked")].map((box) => box.value);
}

function showJudgedJurisdictions(report) {
  if (state.jurisdictionsChosen || report.findings.length === 0) return;
  const judged = new Set(report.findings.flatMap((f) => f.jurisdictions || []));
  for (const box of document.querySelectorAll("#jurisdictions input")) box.checked = judged.has(box.value);
}

function copyRequest() {
  return {
    name: $("name").value.trim() || "draft.txt",
    text: $("copy").value,
    jurisdictions: chosenJurisdictions(),
    product: $("product").value || null,
  };
}

// Byte offsets of the copy's UTF-8 (the report's spans) as indexes into the JS string.
function utf16Indexes(text, offsets) {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const found = new Map();
  let bytes = 0;
  let k = 0;
  let i = 0;
  while (k < wanted.length) {
    while (k < wanted.length && wanted[k] <= bytes) found.set(wanted[k++], i);
    if (i >= text.length) break;
    const code = text.codePointAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    i += code > 0xffff ? 2 : 1;
  }
  while (k < wanted.length) found.set(wanted[k++], text.length);
  return found;
}

// Every place a finding is reported at: its span and the other places of the same claim.
function placesOf(report, text) {
  const spans = [];
  for (const finding of report.findings) {
    for (const span of [finding.span, ...(finding.also_at || [])]) spans.push([span, finding]);
  }
  const index = utf16Indexes(text, spans.flatMap(([span]) => [span.start, span.end]));
  return spans.map(([span, finding]) => ({
    start: index.get(span.start), end: index.get(span.end), finding,
  }));
}

const RANK = { error: 3, warning: 2, info: 1 };

// The painted layer: a block per line of the copy (so an edit repaints only the lines it
// changed), each finding's places in a mark of its severity; where places overlap, the most
// severe shows.
function paint() {
  const text = $("copy").value;
  const backdrop = $("backdrop");
  const lines = text.split("\n");
  const starts = [];
  let offset = 0;
  for (const line of lines) { starts.push(offset); offset += line.length + 1; }
  const lineOf = (at) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= at) low = middle; else high = middle - 1;
    }
    return low;
  };
  const placesByLine = new Map();
  for (const place of state.places) {
    if (!(place.start < place.end) || place.end > text.length) continue;
    for (let i = lineOf(place.start); i <= lineOf(place.end - 1); i++) {
      if (!placesByLine.has(i)) placesByLine.set(i, []);
      placesByLine.get(i).push(place);
    }
  }
  const blocks = backdrop.children;
  lines.forEach((line, i) => {
    const from = starts[i];
    const to = from + line.length;
    const here = (placesByLine.get(i) || []).map((p) => ({
      start: Math.max(p.start, from) - from, end: Math.min(p.end, to) - from,
      severity: p.finding.severity, rule: p.finding.rule,
    }));
    const signature = line + "\u0000" + here.map((p) => `${p.start}-${p.end}-${p.severity}-${p.rule}`).join(",");
    const existing = blocks[i];
    if (existing && existing.signature === signature) return;
    const block = element("div", {});
    block.signature = signature;
    const cuts = [...new Set([0, line.length, ...here.flatMap((p) => [p.start, p.end])])].sort((x, y) => x - y);
    for (let k = 0; k + 1 < cuts.length; k++) {
      const piece = line.slice(cuts[k], cuts[k + 1]);
      const covering = here.filter((p) => p.start <= cuts[k] && cuts[k + 1] <= p.end);
      if (covering.length === 0) { block.append(piece); continue; }
      covering.sort((x, y) => RANK[y.severity] - RANK[x.severity]);
      block.append(element("mark", { class: `sev-${covering[0].severity}`, "data-rule": covering[0].rule }, piece));
    }
    // An empty line still takes a line's height, as in the box.
    if (line.length === 0) block.append(" ");
    if (existing) existing.replaceWith(block); else backdrop.append(block);
  });
  while (blocks.length > lines.length) blocks[blocks.length - 1].remove();
  backdrop.scrollTop = $("copy").scrollTop;
}

// After an edit, before its audit returns: places before the edit stay, places after it move
// with the text, places the edit touched wait for the audit.
function carryPlaces(before, after) {
  let prefix = 0;
  const shortest = Math.min(before.length, after.length);
  while (prefix < shortest && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix
    && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const shift = after.length - before.length;
  const editEnd = before.length - suffix;
  state.places = state.places.flatMap((p) => {
    if (p.end <= prefix) return [p];
    if (p.start >= editEnd) return [{ ...p, start: p.start + shift, end: p.end + shift }];
    return [];
  });
  state.text = after;
}

function show(report, text, elapsed) {
  state.report = report;
  state.text = text;
  state.places = placesOf(report, text);
  showJudgedJurisdictions(report);
  paint();
  // The highlights are painted first; the cards follow in the next task.
  clearTimeout(state.cardsTimer);
  state.cardsTimer = setTimeout(renderFindings, 0);
  // Which text the findings shown are for (its length): scripts driving the page wait on it.
  document.body.dataset.auditedLength = String(text.length);
  const summary = report.summary;
  const parts = [`${summary.findings} finding${summary.findings === 1 ? "" : "s"}`];
  if (summary.error) parts.push(`${summary.error} error${summary.error === 1 ? "" : "s"}`);
  if (summary.warning) parts.push(`${summary.warning} warning${summary.warning === 1 ? "" : "s"}`);
  if (summary.waived) parts.push(`${summary.waived} waived`);
  if (summary.suppressed) parts.push(`${summary.suppressed} suppressed`);
  const skipped = report.skipped.map((s) => `not audited: ${s.reason}`);
  if (elapsed !== undefined) parts.push(`audited in ${Math.round(elapsed)} ms`);
  setStatus([...skipped, parts.join(" · ")].join(" — "), skipped.length > 0);
}

async function audit() {
  clearTimeout(state.timer);
  if (state.pending) state.pending.abort();
  const controller = new AbortController();
  state.pending = controller;
  const sequence = ++state.sequence;
  const request = copyRequest();
  const started = performance.now();
  try {
    const response = await post("/api/audit", request, controller.signal);
    const report = await response.json();
    // Only the newest audit of the text still in the box is shown.
    if (sequence !== state.sequence || request.text !== $("copy").value) return;
    show(report, request.text, performance.now() - started);
  } catch (error) {
    if (error.name !== "AbortError" && sequence === state.sequence) setStatus(error.message, true);
  } finally {
    if (state.pending === controller) state.pending = null;
  }
}

function auditSoon() {
  clearTimeout(state.timer);
  state.timer = setTimeout(audit, PAUSE_MS);
}

// A suggestion is wording to put in place of the claim unless it is a template with
// [placeholders] or directions in brackets: those are shown, never pasted.
function isWording(suggestion) {
  return Boolean(suggestion) && !/[[(;]/.test(suggestion);
}

function severityBadge(severity, label) {
  return element("span", { class: `badge sev-${severity}` }, label || severity);
}

// A card's identity across audits: the same claim keeps its card while the copy around it
// is edited, so typing rebuilds only the cards of claims that changed.
function cardKey(finding) {
  return [finding.rule, finding.text, finding.claim, finding.severity,
    JSON.stringify(finding.severities), finding.suggestion].join("\u0000");
}

function whereOf(finding) {
  return finding.part ? ` (${finding.part})` : ` (line ${finding.span.line})`;
}

function findingCard(finding) {
  const report = state.report;
  const rule = report.rules[finding.rule] || {};
  const card = element("article", { class: `sev-${finding.severity}`, "data-rule": finding.rule });
  card.finding = finding;
  card.append(element("h3", {}, severityBadge(finding.severity), rule.title || finding.rule, element("code", {}, finding.rule)));
  card.where = element("span", {}, whereOf(finding));
  card.append(element("p", {}, element("span", { class: "quote" }, `“${finding.text}”`), card.where));
  card.append(element("p", {}, finding.message));
  const severities = element("p", { class: "severities" });
  for (const [code, severity] of Object.entries(finding.severities || {})) {
    severities.append(severityBadge(severity, `${code} ${severity}`));
  }
  card.append(severities);
  if (finding.evidence) {
    const topic = report.evidence[finding.evidence.topic];
    const evidence = element("details", {}, element("summary", {},
      `Evidence: ${finding.evidence.topic} — best level ${finding.evidence.best_level}, supports ${finding.evidence.supports}`));
    for (const study of (topic && topic.studies) || []) evidence.append(element("p", {}, study));
    card.append(evidence);
  }
  const why = element("details", {}, element("summary", {}, "Why, and where"), element("p", {}, rule.why || ""));
  for (const [code, ids] of Object.entries(rule.positions || {})) {
    const list = element("ul", {});
    for (const id of ids) {
      const position = report.positions[id];
      if (!position) continue;
      const link = element("a", { href: position.url, rel: "noreferrer noopener", target: "_blank" }, position.instrument);
      list.append(element("li", {}, `${code}: `, link));
    }
    why.append(list);
  }
  card.append(why);
  for (const related of finding.related || []) {
    card.append(element("p", {}, "Also ", element("code", {}, related.rule), ` on “${related.text}”`));
  }
  const actions = element("div", { class: "actions" });
  if (finding.suggestion) {
    card.append(element("p", { class: "suggestion" }, "Suggested: ", finding.suggestion));
    if (isWording(finding.suggestion)) {
      const accept = element("button", { type: "button", class: "accept" }, "Accept suggestion");
      accept.addEventListener("click", () => acceptSuggestion(card.finding));
      actions.append(accept);
    }
  }
  const waive = element("button", { type: "button", class: "waive" }, "Waive…");
  waive.addEventListener("click", () => openWaiver(card.finding));
  actions.append(waive);
  card.append(actions);
  card.addEventListener("click", (event) => {
    if (event.target.closest("button, a, summary")) return;
    const place = state.places.find((p) => p.finding === card.finding);
    if (place) {
      const box = $("copy");
      box.focus();
      box.setSelectionRange(place.start, place.end);
      select(card.finding);
    }
  });
  return card;
}

// The cards of the report shown: a claim's card is kept while the claim stays, so its open
// panels stay open as the copy around it is edited.
function renderFindings() {
  const pane = $("findings");
  const findings = state.report.findings;
  if (findings.length === 0) {
    state.cards = new Map();
    const empty = $("copy").value.trim() === "" ? "Paste or drop copy to review it." : "No overclaims found.";
    pane.replaceChildren(element("p", {}, empty));
    return;
  }
  const kept = state.cards || new Map();
  const cards = new Map();
  const shown = findings.map((finding, index) => {
    let key = cardKey(finding);
    while (cards.has(key)) key += "\u0001";
    let card = kept.get(key);
    if (card) {
      card.finding = finding;
      card.where.textContent = whereOf(finding);
    } else {
      card = findingCard(finding);
    }
    card.id = `finding-${index}`;
    cards.set(key, card);
    return card;
  });
  state.cards = cards;
  const current = [...pane.children];
  if (current.length !== shown.length || current.some((node, i) => node !== shown[i])) {
    pane.replaceChildren(...shown);
  }
}

// Shows the finding at the caret beside the copy.
function select(finding) {
  document.querySelectorAll("article.current").forEach((n) => n.classList.remove("current"));
  if (!finding) return;
  const index = state.report.findings.indexOf(finding);
  const card = $(`finding-${index}`);
  if (card) { card.classList.add("current"); card.scrollIntoView({ block: "nearest" }); }
}

function followCaret() {
  const at = $("copy").selectionStart;
  const place = state.places.find((p) => p.start <= at && at <= p.end);
  select(place && place.finding);
}

function acceptSuggestion(finding) {
  const place = state.places.find((p) => p.finding === finding);
  if (!place) return;
  const box = $("copy");
  box.focus();
  box.setSelectionRange(place.start, place.end);
  // As typing it would: the browser's undo can take it back.
  if (!document.execCommand("insertText", false, finding.suggestion)) {
    box.setRangeText(finding.suggestion, place.start, place.end, "end");
    box.dispatchEvent(new Event("input"));
  }
}

function openWaiver(finding) {
  state.waiving = finding;
  state.waiverBase = null;
  $("waive-rule").textContent = finding.rule;
  $("waive-excerpt").value = finding.text;
  $("waive-reviewer").value = localStorage.getItem("overclaim.reviewer") || "";
  $("waive-reason").value = "";
  const expires = new Date();
  expires.setMonth(expires.getMonth() + 6);
  $("waive-expires").value = expires.toISOString().slice(0, 10);
  $("waive-diff").replaceChildren();
  $("waive-error").textContent = "";
  $("waive-write").disabled = true;
  $("waive").showModal();
}

function waiverRequest(write) {
  return {
    name: $("name").value.trim() || "draft.txt",
    rule: state.waiving.rule,
    excerpt: $("waive-excerpt").value,
    reviewer: $("waive-reviewer").value,
    reason: $("waive-reason").value,
    expires: $("waive-expires").value,
    write,
    base: state.waiverBase,
  };
}

async function previewWaiver() {
  $("waive-error").textContent = "";
  try {
    const preview = await (await post("/api/waiver", waiverRequest(false))).json();
    state.waiverBase = preview.base;
    const lines = preview.diff.split("\n").map((line) => {
      const kind = line.startsWith("+") && !line.startsWith("+++") ? "add"
        : line.startsWith("-") && !line.startsWith("---") ? "del" : "";
      return element("span", { class: kind }, `${line}\n`);
    });
    $("waive-diff").replaceChildren(...lines);
    $("waive-write").textContent = `Write to ${preview.file}`;
    $("waive-write").disabled = false;
  } catch (error) {
    $("waive-error").textContent = error.message;
  }
}

async function writeWaiver() {
  try {
    const written = await (await post("/api/waiver", waiverRequest(true))).json();
    localStorage.setItem("overclaim.reviewer", $("waive-reviewer").value);
    $("waive").close();
    await audit();
    setStatus(`${$("status").textContent} · waiver written to ${written.file}`);
  } catch (error) {
    $("waive-error").textContent = error.message;
    $("waive-write").disabled = true;
  }
}

async function openFile(file) {
  setStatus(`Opening ${file.name}…`);
  try {
    const response = await answer(await fetch("/api/open", {
      method: "POST",
      headers: { "content-type": "application/octet-stream", "x-file-name": encodeURIComponent(file.name) },
      body: file,
    }));
    load(await response.json());
  } catch (error) {
    setStatus(`${file.name}: ${error.message}`, true);
  }
}

// Puts an opened file's copy in the box with its report (audited as the file it is).
function load(opened) {
  $("name").value = opened.name;
  const box = $("copy");
  box.value = opened.text;
  // The box keeps line ends as \n: copy it changed must be audited again as it now reads.
  if (box.value === opened.text) show(opened.report, opened.text);
  else audit();
}

async function exportReport() {
  try {
    const response = await post("/api/export", copyRequest());
    const disposition = response.headers.get("content-disposition") || "";
    const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || "overclaim-report.html";
    const url = URL.createObjectURL(await response.blob());
    const link = element("a", { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (error) {
    setStatus(`export: ${error.message}`, true);
  }
}

async function start() {
  let session;
  try {
    session = await (await answer(await fetch("/api/session"))).json();
  } catch (error) {
    setStatus(error.message, true);
    return;
  }
  const fieldset = $("jurisdictions");
  for (const j of session.jurisdictions) {
    const box = element("input", { type: "checkbox", value: j.code });
    box.checked = true;
    box.addEventListener("change", () => { state.jurisdictionsChosen = true; audit(); });
    fieldset.append(element("label", { title: j.name }, box, ` ${j.code}`));
  }
  $("product").append(element("option", { value: "" }, "as the config says"));
  for (const product of session.products) $("product").append(element("option", { value: product }, product));
  $("product").addEventListener("change", audit);
  $("name").addEventListener("change", audit);
  const box = $("copy");
  box.addEventListener("input", () => {
    carryPlaces(state.text, box.value);
    paint();
    auditSoon();
  });
  box.addEventListener("scroll", () => { $("backdrop").scrollTop = box.scrollTop; });
  box.addEventListener("click", followCaret);
  box.addEventListener("keyup", followCaret);
  $("file").addEventListener("change", () => { if ($("file").files[0]) openFile($("file").files[0]); });
  const editor = $("editor");
  editor.addEventListener("dragover", (event) => { event.preventDefault(); editor.classList.add("dropping"); });
  editor.addEventListener("dragleave", () => editor.classList.remove("dropping"));
  editor.addEventListener("drop", (event) => {
    editor.classList.remove("dropping");
    const file = event.dataTransfer.files[0];
    if (!file) return;
    event.preventDefault();
    openFile(file);
  });
  $("export").addEventListener("click", exportReport);
  $("waive-preview").addEventListener("click", previewWaiver);
  $("waive-write").addEventListener("click", writeWaiver);
  $("waive-cancel").addEventListener("click", () => $("waive").close());
  setStatus(`Folder: ${session.folder}`);
  if (session.opened) load(session.opened);
  else audit();
}

document.addEventListener("DOMContentLoaded", start);
