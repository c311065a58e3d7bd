//! The baseline: the findings a catalogue already had when overclaim was adopted, kept in
//! `.overclaim-baseline.json` so that a gate fails only on what is new.
//!
//! ```json
//! {"schema": "overclaim/baseline@1", "findings": [
//!   {"path": "pages/serum.html", "rule": "drug-claim.cure-claim", "claim": "cures acne overnight", "count": 1}
//! ]}
//! ```
//!
//! A finding's fingerprint is its rule, its file (relative to the baseline's folder), its
//! record for a CSV row or JSON Lines record, and its claim sentence normalised (lowercase,
//! letters and digits only): no line numbers or offsets, so edits elsewhere in the file leave it
//! baselined, while rewording the claim makes it a new finding. A fingerprint counts how many
//! findings had it; more of them later than the count are new.
//!
//! Unlike a waiver (a reviewer's decision about one claim, with a reason and an expiry), a
//! baseline is debt: nobody judged the findings acceptable, they were only there first. The
//! entries a run no longer finds in the files it audited are reported, so the file shrinks as
//! the debt is paid (`overclaim baseline` again writes it without them).

use crate::diagnostic::Finding;
use crate::rules::LoadError;
use crate::run::folder_of;
use crate::source::lexical_absolute;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The file name `overclaim baseline` writes and `audit` reads, in the current folder.
pub const BASELINE_FILE: &str = ".overclaim-baseline.json";

/// The schema id a baseline file starts with.
const SCHEMA: &str = "overclaim/baseline@1";

/// What identifies a finding across edits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The file, relative to the baseline's folder, with `/` between folders.
    pub path: String,
    /// The CSV row or JSON Lines record, by key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The rule id.
    pub rule: String,
    /// The claim sentence, normalised by [`normalised_claim`].
    pub claim: String,
}

/// One line of the file: a fingerprint and how many findings had it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    #[serde(flatten)]
    pub fingerprint: Fingerprint,
    pub count: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    schema: String,
    findings: Vec<Entry>,
}

/// A baseline file, loaded, with how many findings of each fingerprint are still to be met.
#[derive(Debug)]
pub struct Baseline {
    /// The file as named.
    pub path: PathBuf,
    fingerprints: Fingerprints,
    remaining: HashMap<Fingerprint, usize>,
    /// Distinct fingerprints in the file.
    entries: usize,
    /// Files audited in this run, as fingerprint paths (only their entries can be stale).
    audited: HashSet<String>,
    /// Findings the baseline absorbed.
    pub absorbed: usize,
}

impl Baseline {
    /// Reads a baseline file; a malformed one is an error located by line and column.
    pub fn load(path: &Path) -> Result<Baseline, LoadError> {
        let error = |line, column, message: String| LoadError {
            path: path.display().to_string(),
            line,
            column,
            id: None,
            message,
        };
        let text = crate::rules::read_capped(path).map_err(|e| error(None, None, e))?;
        let raw: RawBaseline = serde_json::from_str(&text).map_err(|e| {
            error(
                Some(e.line()),
                Some(e.column()).filter(|c| *c > 0),
                format!("not an overclaim baseline: {e}"),
            )
        })?;
        if raw.schema != SCHEMA {
            return Err(error(
                None,
                None,
                format!("schema `{}` is not {SCHEMA}", raw.schema),
            ));
        }
        let mut remaining = HashMap::new();
        for entry in raw.findings {
            *remaining.entry(entry.fingerprint).or_insert(0) += entry.count;
        }
        let entries = remaining.len();
        Ok(Baseline {
            entries,
            path: path.to_path_buf(),
            fingerprints: Fingerprints::new(folder_of(path)),
            remaining,
            audited: HashSet::new(),
            absorbed: 0,
        })
    }

    /// Notes that a file was audited in this run: its entries not met by the end are stale.
    pub fn note_audited(&mut self, display: &str) {
        let key = self.fingerprints.path_key(display);
        self.audited.insert(key);
    }

    /// Whether the baseline holds this finding (and one fewer like it from now on).
    pub fn absorbs(&mut self, finding: &Finding) -> bool {
        let key = self.fingerprints.of(finding);
        match self.remaining.get_mut(&key) {
            Some(left) if *left > 0 => {
                *left -= 1;
                self.absorbed += 1;
                true
            }
            _ => false,
        }
    }

    /// How many distinct fingerprints the file holds.
    pub fn entries(&self) -> usize {
        self.entries
    }

    /// How many of them are for files audited in this run.
    pub fn entries_for_audited(&self) -> usize {
        self.remaining
            .keys()
            .filter(|f| self.audited.contains(&f.path))
            .count()
    }

    /// The entries that were not met as often as counted, sorted: of audited files (fixed or
    /// reworded claims), or of files that no longer exist (deleted or renamed); `overclaim
    /// baseline` would now leave them out.
    pub fn stale(&self) -> Vec<Entry> {
        let root = &self.fingerprints.root;
        let mut stale: Vec<Entry> = self
            .remaining
            .iter()
            .filter(|(fingerprint, left)| {
                **left > 0
                    && (self.audited.contains(&fingerprint.path)
                        || is_gone(root, &fingerprint.path))
            })
            .map(|(fingerprint, left)| Entry {
                fingerprint: fingerprint.clone(),
                count: *left,
            })
            .collect();
        stale.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
        stale
    }
}

/// Collects the fingerprints of a run's findings for a baseline file. The entries an earlier
/// file at the same path holds for files this run did not audit are kept (while those files
/// exist): baselining one folder or page does not forget the rest of the catalogue.
#[derive(Debug)]
pub struct BaselineWriter {
    fingerprints: Fingerprints,
    counts: BTreeMap<Fingerprint, usize>,
    earlier: Vec<Entry>,
    audited: HashSet<String>,
}

impl BaselineWriter {
    /// A writer for a baseline file at `path`, starting from the entries of the file there,
    /// if there is one; one that is not a baseline is an error (it is not replaced).
    pub fn new(path: &Path) -> Result<BaselineWriter, LoadError> {
        let earlier = match path.exists() {
            true => Baseline::load(path)?
                .remaining
                .into_iter()
                .map(|(fingerprint, count)| Entry { fingerprint, count })
                .collect(),
            false => Vec::new(),
        };
        Ok(BaselineWriter {
            fingerprints: Fingerprints::new(folder_of(path)),
            counts: BTreeMap::new(),
            earlier,
            audited: HashSet::new(),
        })
    }

    /// Notes a file this run audited: the earlier file's entries for it are replaced.
    pub fn note_audited(&mut self, display: &str) {
        let key = self.fingerprints.path_key(display);
        self.audited.insert(key);
    }

    /// Takes in the earlier file's entries for files not audited that still exist; returns how
    /// many entries were kept, and how many were dropped because their file is gone.
    pub fn keep_earlier(&mut self) -> (usize, usize) {
        let (mut kept, mut gone) = (0, 0);
        for entry in std::mem::take(&mut self.earlier) {
            if self.audited.contains(&entry.fingerprint.path) {
                continue;
            }
            if is_gone(&self.fingerprints.root, &entry.fingerprint.path) {
                gone += 1;
                continue;
            }
            kept += 1;
            *self.counts.entry(entry.fingerprint).or_insert(0) += entry.count;
        }
        (kept, gone)
    }

    /// Counts one finding.
    pub fn add(&mut self, finding: &Finding) {
        let key = self.fingerprints.of(finding);
        *self.counts.entry(key).or_insert(0) += 1;
    }

    /// Findings counted, and distinct files they are in.
    pub fn totals(&self) -> (usize, usize) {
        let files: HashSet<&str> = self.counts.keys().map(|f| f.path.as_str()).collect();
        (self.counts.values().sum(), files.len())
    }

    /// The file's text: one entry per line, sorted by path, record, rule and claim, so that a
    /// baseline's diff in review shows which findings came or went.
    pub fn to_json(&self) -> String {
        let mut out = format!("{{\"schema\":\"{SCHEMA}\",\"findings\":[");
        for (i, (fingerprint, count)) in self.counts.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            let entry = Entry {
                fingerprint: fingerprint.clone(),
                count: *count,
            };
            // Strings and a number: serialising cannot fail.
            out.push_str(&serde_json::to_string(&entry).unwrap_or_default());
        }
        out.push_str("\n]}\n");
        out
    }
}

/// Fingerprints of findings relative to one folder. A file's findings come together, so its
/// path is made relative once for them, not once per finding.
#[derive(Debug)]
struct Fingerprints {
    root: PathBuf,
    last: Option<(String, String)>,
}

impl Fingerprints {
    fn new(root: PathBuf) -> Fingerprints {
        Fingerprints { root, last: None }
    }

    fn path_key(&mut self, display: &str) -> String {
        match &self.last {
            Some((shown, key)) if shown == display => key.clone(),
            _ => {
                let key = relative_key(display, &self.root);
                self.last = Some((display.to_string(), key.clone()));
                key
            }
        }
    }

    fn of(&mut self, finding: &Finding) -> Fingerprint {
        Fingerprint {
            path: self.path_key(&finding.path),
            record: finding.record.clone(),
            rule: finding.rule.clone(),
            claim: normalised_claim(&finding.claim),
        }
    }
}

/// A claim sentence reduced to what its words say: lowercase letters and digits, one space
/// between words; case, punctuation, markup spacing and line breaks do not count.
pub fn normalised_claim(claim: &str) -> String {
    let mut out = String::with_capacity(claim.len());
    for word in claim
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// A report's path as the baseline writes it: relative to `root` (whatever way the command
/// line named it; `../` for a file outside it), `/` between folders, so the baseline holds
/// wherever the repository is checked out.
fn relative_key(display: &str, root: &Path) -> String {
    let path = lexical_absolute(Path::new(display));
    match pathdiff::diff_paths(&path, lexical_absolute(root)) {
        Some(relative) => {
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            parts.join("/")
        }
        None => path.display().to_string(),
    }
}

/// Whether the file an entry names no longer exists (standard input's name never does).
fn is_gone(root: &Path, key: &str) -> bool {
    key != "<stdin>" && !root.join(key).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_compare_by_their_words() {
        assert_eq!(
            normalised_claim("  Cures  ACNE,\n overnight! "),
            "cures acne overnight"
        );
        assert_eq!(normalised_claim("Réduit l’acné."), "réduit l acné");
    }

    #[test]
    fn paths_are_relative_to_the_baseline_however_they_were_named() {
        let root = Path::new(".");
        assert_eq!(relative_key("./samples/a.html", root), "samples/a.html");
        assert_eq!(relative_key("samples/x/../a.html", root), "samples/a.html");
        let absolute = std::path::absolute("samples/a.html").unwrap();
        assert_eq!(
            relative_key(&absolute.display().to_string(), root),
            "samples/a.html"
        );
        assert_eq!(
            relative_key("samples/a.html", Path::new("samples")),
            "a.html"
        );
        assert_eq!(
            relative_key("samples/a.html", Path::new("ci/baselines")),
            "../../samples/a.html"
        );
    }
}
