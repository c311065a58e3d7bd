//! `.overclaim.yaml`: a brand's or agency's settings, found by walking up from each audited file
//! (or named with `--config`). It sets jurisdictions and product type, adds rule folders and
//! evidence files, disables rules, overrides severities, ignores paths, and refines all of that
//! per path.
//!
//! Like rule files it has two layers: [`RawConfig`] is the YAML as written (unknown fields are
//! errors with line and column); [`Config`] has its paths resolved and globs compiled.

use crate::diagnostic::{Jurisdiction, Severity};
use crate::judge::{Product, RuleBook, RuleSelector};
use crate::knowledge::Knowledge;
use crate::rules::LoadError;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name looked for in each folder.
pub const CONFIG_FILE: &str = ".overclaim.yaml";

/// `.overclaim.yaml` as written.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// This folder is the project root: waivers and configs are not looked for above it (a
    /// folder holding `.git` is a root too).
    #[serde(default)]
    pub root: bool,
    /// Jurisdictions to judge under (default: US, EU, UK).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub jurisdictions: Option<Vec<Jurisdiction>>,
    /// What the product is (default: cosmetic).
    #[serde(default)]
    pub product: Option<Product>,
    /// Extra rule folders (same layout as the built-in `rules/`), relative to this file.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Extra evidence files, relative to this file.
    #[serde(default)]
    pub evidence: Vec<PathBuf>,
    /// Rules to switch off: an id, a prefix ending in `.` or `*`, or `pack:NAME` for a whole pack.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Severity overrides by rule id or prefix, for every jurisdiction.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Paths not to audit (globs relative to this file).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Settings for some paths only, applied in order after the ones above.
    #[serde(default)]
    pub overrides: Vec<RawOverride>,
}

/// Settings for the paths matching `paths`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOverride {
    /// Globs relative to the config file.
    pub paths: Vec<String>,
    /// Jurisdictions for these paths.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub jurisdictions: Option<Vec<Jurisdiction>>,
    /// Product type for these paths.
    #[serde(default)]
    pub product: Option<Product>,
    /// More rules to switch off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// More severity overrides.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

/// Per-file choices that do not change the rule set.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// Jurisdictions, if set.
    pub jurisdictions: Option<Vec<Jurisdiction>>,
    /// Product type, if set.
    pub product: Option<Product>,
    /// Rules switched off.
    pub disable: Vec<RuleSelector>,
    /// Severity overrides, later entries winning.
    pub severity: Vec<(RuleSelector, Severity)>,
}

impl Policy {
    fn extend(
        &mut self,
        jurisdictions: &Option<Vec<Jurisdiction>>,
        product: Option<Product>,
        disable: &[String],
        severity: &BTreeMap<String, Severity>,
    ) {
        if jurisdictions.is_some() {
            self.jurisdictions.clone_from(jurisdictions);
        }
        if product.is_some() {
            self.product = product;
        }
        self.disable
            .extend(disable.iter().map(|d| RuleSelector::parse(d)));
        self.severity
            .extend(severity.iter().map(|(k, v)| (RuleSelector::parse(k), *v)));
    }
}

/// A loaded, resolved config file.
#[derive(Debug)]
pub struct Config {
    /// The file.
    pub path: PathBuf,
    /// Its folder, which relative paths and globs start from.
    pub dir: PathBuf,
    /// Its text (to locate semantic errors).
    text: String,
    /// Rule folders, resolved.
    pub rule_dirs: Vec<PathBuf>,
    /// Evidence files, resolved.
    pub evidence: Vec<PathBuf>,
    /// Settings for every path.
    base: Policy,
    ignore: GlobSet,
    overrides: Vec<(GlobSet, Policy)>,
}

impl Config {
    /// Reads and checks a config file.
    pub fn load(path: &Path) -> Result<Config, Vec<LoadError>> {
        let text = crate::rules::read_capped(path)
            .map_err(|e| vec![error(path, None, format!("cannot read config: {e}"))])?;
        Config::parse(path, text)
    }

    /// Checks the text of a config file read from `path`.
    pub(crate) fn parse(path: &Path, text: String) -> Result<Config, Vec<LoadError>> {
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            crate::rules::parse_yaml(path, &text).map_err(|e| vec![e])?
        };
        let dir = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let mut errors = Vec::new();
        let globs = |patterns: &[String], errors: &mut Vec<LoadError>| {
            let mut builder = GlobSetBuilder::new();
            for p in patterns {
                match Glob::new(p) {
                    Ok(glob) => {
                        builder.add(glob);
                    }
                    Err(e) => errors.push(locate(path, &text, p, format!("bad glob `{p}`: {e}"))),
                }
            }
            // A set that does not build (a glob too large for the matcher) is an error, not an
            // empty set that would quietly audit everything it was meant to ignore.
            builder.build().unwrap_or_else(|e| {
                let culprit = patterns
                    .iter()
                    .find(|p| {
                        Glob::new(p)
                            .and_then(|g| GlobSetBuilder::new().add(g).build())
                            .is_err()
                    })
                    .map_or("", String::as_str);
                errors.push(locate(
                    path,
                    &text,
                    culprit,
                    format!("glob does not compile: {e}"),
                ));
                GlobSet::empty()
            })
        };
        let ignore = globs(&raw.ignore, &mut errors);
        let mut base = Policy::default();
        base.extend(&raw.jurisdictions, raw.product, &raw.disable, &raw.severity);
        let overrides = raw
            .overrides
            .iter()
            .map(|o| {
                let mut policy = Policy::default();
                policy.extend(&o.jurisdictions, o.product, &o.disable, &o.severity);
                (globs(&o.paths, &mut errors), policy)
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            rule_dirs: raw.rules.iter().map(|r| dir.join(r)).collect(),
            evidence: raw.evidence.iter().map(|e| dir.join(e)).collect(),
            path: path.to_path_buf(),
            dir,
            text,
            base,
            ignore,
            overrides,
        })
    }

    /// The nearest config file in `start` or a folder above it, within the project.
    pub fn find(start: &Path) -> Option<PathBuf> {
        find_in_project(start, CONFIG_FILE)
    }

    /// Errors for the rule folders and evidence files that lie outside the config's folder
    /// (symbolic links resolved), unless `named` (the `--rules` folders) names them too: a
    /// config found in a folder of copy may not make the tool read files elsewhere.
    pub fn check_contained(&self, named: &[PathBuf]) -> Vec<LoadError> {
        let home = resolved(&self.dir);
        let named: Vec<PathBuf> = named.iter().map(|n| resolved(n)).collect();
        let rule_dirs = self.rule_dirs.iter().map(|p| ("rule folder", p));
        let evidence = self.evidence.iter().map(|p| ("evidence file", p));
        rule_dirs
            .chain(evidence)
            .filter(|(_, path)| {
                let path = resolved(path);
                !path.starts_with(&home) && !named.contains(&path)
            })
            .map(|(what, path)| {
                // As written: a relative path was joined to the config's folder.
                let shown = path
                    .strip_prefix(&self.dir)
                    .unwrap_or(path)
                    .display()
                    .to_string();
                locate(
                    &self.path,
                    &self.text,
                    &shown,
                    format!(
                        "{what} `{shown}` is outside the config's folder; move it inside, or \
                         name the folder with --rules or the config with --config"
                    ),
                )
            })
            .collect()
    }

    fn relative<'p>(&self, file: &'p Path) -> std::borrow::Cow<'p, Path> {
        match std::path::absolute(file) {
            Ok(abs) => match abs
                .strip_prefix(std::path::absolute(&self.dir).unwrap_or_else(|_| self.dir.clone()))
            {
                Ok(rel) => std::borrow::Cow::Owned(rel.to_path_buf()),
                Err(_) => std::borrow::Cow::Borrowed(file),
            },
            Err(_) => std::borrow::Cow::Borrowed(file),
        }
    }

    /// Whether a file is one of the config's own rule or evidence files (never audited).
    pub fn owns(&self, file: &Path) -> bool {
        let Ok(file) = std::path::absolute(file) else {
            return false;
        };
        let absolute = |p: &PathBuf| std::path::absolute(p).unwrap_or_else(|_| p.clone());
        self.rule_dirs.iter().any(|d| file.starts_with(absolute(d)))
            || self.evidence.iter().any(|e| file == absolute(e))
    }

    /// Whether a file is ignored.
    pub fn ignores(&self, file: &Path) -> bool {
        self.ignore.is_match(self.relative(file).as_ref())
    }

    /// How many of its overrides match a file.
    pub fn overrides_for(&self, file: &Path) -> usize {
        let relative = self.relative(file);
        self.overrides
            .iter()
            .filter(|(globs, _)| globs.is_match(relative.as_ref()))
            .count()
    }

    /// The settings for one file: the base settings, then every matching override in order.
    pub fn policy_for(&self, file: &Path) -> Policy {
        let relative = self.relative(file);
        let mut policy = self.base.clone();
        for (globs, o) in &self.overrides {
            if globs.is_match(relative.as_ref()) {
                policy.extend(&o.jurisdictions, o.product, &[], &BTreeMap::new());
                policy.disable.extend(o.disable.iter().cloned());
                policy.severity.extend(o.severity.iter().cloned());
            }
        }
        policy
    }

    /// Checks that every jurisdiction it names is in the registry, and writes each as the
    /// registry's code (an alias such as `GB` becomes `UK`).
    pub fn resolve_jurisdictions(&mut self, knowledge: &Knowledge) -> Vec<LoadError> {
        let mut errors = Vec::new();
        let all = std::iter::once(&mut self.base).chain(self.overrides.iter_mut().map(|(_, p)| p));
        for policy in all {
            for j in policy.jurisdictions.iter_mut().flatten() {
                match knowledge.jurisdiction(j.as_str()) {
                    Some(code) => *j = code,
                    None => errors.push(locate(
                        &self.path,
                        &self.text,
                        j.as_str(),
                        format!(
                            "unknown jurisdiction `{j}`; expected {}",
                            knowledge.jurisdiction_list("or")
                        ),
                    )),
                }
            }
            if let Some(list) = &mut policy.jurisdictions {
                knowledge.in_report_order(list);
            }
        }
        errors
    }

    /// Checks that every rule id named in `disable` and `severity` exists (prefixes and packs
    /// must select at least one rule).
    pub fn check_rule_names(&self, rules: &RuleBook) -> Vec<LoadError> {
        let mut errors = Vec::new();
        let all = std::iter::once(&self.base).chain(self.overrides.iter().map(|(_, p)| p));
        for policy in all {
            let selectors = policy
                .disable
                .iter()
                .chain(policy.severity.iter().map(|(s, _)| s));
            for selector in selectors {
                let Some(message) = rules.unmatched(selector) else {
                    continue;
                };
                let needle = selector.to_string();
                errors.push(locate(&self.path, &self.text, &needle, message));
            }
        }
        errors
    }
}

/// `path` with symbolic links resolved, or (when it does not exist) made absolute with `.` and
/// `..` taken away by name.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The nearest `name` in `start` or a folder above it, stopping at the project root: the
/// first folder that holds `.git` or a config declaring `root: true`. A folder anyone may
/// write to (`/tmp`, say) above `start` ends the search before it is looked in, so nobody
/// else can plant a config or waivers file that applies to another user's pages.
pub(crate) fn find_in_project(start: &Path, name: &str) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    for dir in start.ancestors() {
        if dir != start && writable_by_anyone(dir) {
            return None;
        }
        let candidate = dir.join(name);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() || declares_root(&dir.join(CONFIG_FILE)) {
            return None;
        }
    }
    None
}

/// Whether the config file at `path` exists and says `root: true`. One that cannot be read or
/// parsed counts as a root: the search stops rather than reach past a file it cannot judge.
fn declares_root(path: &Path) -> bool {
    path.is_file()
        && crate::rules::read_capped(path)
            .ok()
            .and_then(|text| crate::rules::parse_yaml::<RawConfig>(path, &text).ok())
            .is_none_or(|r| r.root)
}

#[cfg(unix)]
fn writable_by_anyone(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o002 != 0)
}

#[cfg(not(unix))]
fn writable_by_anyone(_dir: &Path) -> bool {
    false
}

fn error(path: &Path, line: Option<usize>, message: String) -> LoadError {
    LoadError {
        path: path.display().to_string(),
        line,
        column: None,
        id: None,
        message,
    }
}

/// An error at the first occurrence of `needle` in the config text.
fn locate(path: &Path, text: &str, needle: &str, message: String) -> LoadError {
    let found = text.lines().enumerate().find_map(|(n, line)| {
        line.find(needle)
            .map(|col| (n + 1, line[..col].chars().count() + 1))
    });
    LoadError {
        path: path.display().to_string(),
        line: found.map(|f| f.0),
        column: found.map(|f| f.1),
        id: None,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join(CONFIG_FILE);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn unknown_fields_are_errors_with_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "product: cosmetic\njurisdiction: [EU]\n");
        let errors = Config::load(&path).unwrap_err();
        let e = errors[0].to_string();
        assert!(e.ends_with(":2:1: unknown field `jurisdiction`, expected one of `root`, `jurisdictions`, `product`, `rules`, `evidence`, `disable`, `severity`, `ignore`, `overrides`"), "{e}");
        let path = write(dir.path(), "product: cosmetics\n");
        let e = Config::load(&path).unwrap_err()[0].to_string();
        assert!(
            e.contains(":1:10: product: unknown variant `cosmetics`"),
            "{e}"
        );
    }

    #[test]
    fn overrides_apply_to_their_paths_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "jurisdictions: [US]\ndisable: [absolute.]\nignore: ['drafts/**']\noverrides:\n  - paths: ['eu/**']\n    jurisdictions: [EU, UK]\n    severity: { drug-claim.: info }\n",
        );
        let config = Config::load(&path).unwrap();
        assert!(config.ignores(&dir.path().join("drafts/a.html")));
        assert!(!config.ignores(&dir.path().join("eu/a.html")));
        let eu = config.policy_for(&dir.path().join("eu/a.html"));
        assert_eq!(
            eu.jurisdictions,
            Some(vec![Jurisdiction::new("EU"), Jurisdiction::new("UK")])
        );
        assert_eq!(eu.severity.len(), 1);
        assert_eq!(eu.disable, vec![RuleSelector::Prefix("absolute.".into())]);
        let us = config.policy_for(&dir.path().join("us/a.html"));
        assert_eq!(us.jurisdictions, Some(vec![Jurisdiction::new("US")]));
        assert!(us.severity.is_empty());
    }

    #[test]
    fn configs_are_found_walking_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "");
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        let found = Config::find(&dir.path().join("a/b")).unwrap();
        assert_eq!(found, std::path::absolute(&path).unwrap());
    }

    #[test]
    fn discovery_stops_at_the_project_root() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "");
        std::fs::write(
            dir.path().join(crate::waivers::WAIVERS_FILE),
            "waivers: []\n",
        )
        .unwrap();
        let project = dir.path().join("project");
        std::fs::create_dir_all(project.join(".git")).unwrap();
        std::fs::create_dir_all(project.join("pages")).unwrap();
        assert_eq!(Config::find(&project.join("pages")), None);
        assert_eq!(
            find_in_project(&project.join("pages"), crate::waivers::WAIVERS_FILE),
            None
        );

        let brand = dir.path().join("brand");
        std::fs::create_dir_all(brand.join("pages")).unwrap();
        write(&brand, "root: true\n");
        assert!(Config::find(&brand.join("pages")).is_some());
        assert_eq!(
            find_in_project(&brand.join("pages"), crate::waivers::WAIVERS_FILE),
            None
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_anyone_can_write_ends_the_search() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "");
        let shared = dir.path().join("shared");
        std::fs::create_dir_all(shared.join("mine")).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
        assert_eq!(Config::find(&shared.join("mine")), None);
        // Copy audited in such a folder still gets the config kept there.
        write(&shared, "");
        assert!(Config::find(&shared).is_some());
    }

    #[test]
    fn rule_folders_and_evidence_outside_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("brand");
        std::fs::create_dir_all(home.join("rules")).unwrap();
        std::fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
        let path = write(
            &home,
            "rules: [rules, ../elsewhere]\nevidence: [/etc/passwd]\n",
        );
        let config = Config::load(&path).unwrap();
        let errors: Vec<String> = config
            .check_contained(&[])
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains(":1:") && errors[0].contains("`../elsewhere` is outside"));
        assert!(errors[1].contains(":2:") && errors[1].contains("`/etc/passwd`"));
        let named = [dir.path().join("elsewhere")];
        assert_eq!(config.check_contained(&named).len(), 1);
    }
}
