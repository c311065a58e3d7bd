//! The audit benchmark: MB/s and pages/s end to end (read, extract, parse, judge, write the
//! report to standard output) on a generated corpus, with the built-in rules and with ten times
//! as many, on 1 and 2 threads; peak memory per report format; start-up (loading and compiling
//! the embedded rules); and ripgrep's literal scan of the lexicon's phrases over the same files,
//! when `rg` is on the PATH, as the yardstick for the cost of a byte.
//!
//! ```sh
//! cargo bench --bench audit                 # 10,000 pages (generated once under target/)
//! cargo bench --bench audit -- --pages 2000 # a smaller corpus
//! cargo bench --bench audit --features stage-profile -- --stages   # time per pipeline stage
//! cargo bench --bench audit -- --startup    # start-up alone
//! ```
//!
//! Each measurement runs in a child process of this binary whose standard output is
//! `/dev/null`: the report is written through the same buffered standard output as the
//! command line's, with its system calls, and each peak-memory figure (VmHWM) belongs to that
//! run alone.

#[path = "support/corpus.rs"]
mod corpus;

use overclaim::report::{ReportFormat, reporter};
use overclaim::{Engine, RunSettings, Silent};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const SEED: u64 = 0x5eed;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--child") {
        child(&args[at + 1..]);
        return;
    }
    let pages = args
        .iter()
        .position(|a| a == "--pages")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000usize);
    if args.iter().any(|a| a == "--startup") {
        println!("startup (load + compile the embedded rules): {}", startup());
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let corpus = ensure_corpus(&root, pages);
    if args.iter().any(|a| a == "--stages") {
        println!("{}", run_child(&corpus, None, 1, "json", true));
        return;
    }
    let small = ensure_corpus(&root, pages / 10);
    let rules_10x = ensure_extra_rules(&root);

    println!("startup (load + compile the embedded rules): {}", startup());
    match ripgrep(&root, &corpus) {
        Some(line) => println!("{line}"),
        None => println!("ripgrep: `rg` not on the PATH, no yardstick"),
    }
    println!();
    println!(
        "| corpus | rules | threads | format | MB | seconds | MB/s | pages/s | findings | report MB | peak RSS MB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let mut runs = vec![
        (&corpus, None, 2, "json"),
        (&corpus, None, 1, "json"),
        (&corpus, Some(&rules_10x), 2, "json"),
        (&corpus, Some(&rules_10x), 1, "json"),
    ];
    for format in ["sarif", "human", "github", "html"] {
        runs.push((&corpus, None, 2, format));
    }
    runs.push((&small, None, 2, "json"));
    for (dir, rules, threads, format) in runs {
        let label = if rules.is_some() { "10x" } else { "built-in" };
        let line = run_child(dir, rules.map(|p| p.as_path()), threads, format, false);
        println!(
            "| {} pages | {label} | {threads} | {format} | {line}",
            count_pages(dir)
        );
    }
}

/// Generates the corpus once.
fn ensure_corpus(root: &Path, pages: usize) -> PathBuf {
    let dir = root.join(format!("corpus-{pages}"));
    if count_pages(&dir) != pages {
        let _ = std::fs::remove_dir_all(&dir);
        let bytes = corpus::generate(&dir, pages, SEED).expect("write the corpus");
        eprintln!(
            "generated {pages} pages ({:.1} MB) in {}",
            bytes as f64 / 1e6,
            dir.display()
        );
    }
    dir
}

fn count_pages(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

/// Nine times the built-in rule count of extra rules, so the run has ten times the rules:
/// four in five are phrase rules (a brand's banned words), one in five combines lexicon classes.
fn ensure_extra_rules(root: &Path) -> PathBuf {
    let dir = root.join("rules-10x");
    let builtin = Engine::builtin()
        .expect("built-in rules load")
        .rule_ids()
        .count();
    let extra = builtin * 9;
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create rules dir");
    let verbs = [
        "verb.stimulate",
        "verb.repair",
        "verb.heal",
        "verb.suppress",
        "verb.eliminate",
    ];
    let targets = [
        "target.dermal-structure",
        "target.cells",
        "target.visible-sign",
        "target.pigment",
        "target.hair",
    ];
    let mut yaml = String::new();
    for i in 0..extra {
        let matcher = if i % 5 == 4 {
            format!(
                "{{ concepts: [{}, {}], within: {} }}",
                verbs[i % verbs.len()],
                targets[(i / 5) % targets.len()],
                3 + i % 6
            )
        } else {
            format!(
                "{{ any: [\"brandword{i} formula\", \"banned{i}*\", \"never say {i} ... again\"] }}"
            )
        };
        yaml.push_str(&format!(
            "id: bench.rule-{i}\ntitle: Generated rule {i}\ncategory: absolute\nmatch: {matcher}\nunless: [negated]\n\
             jurisdictions: {{ US: {{ severity: info, positions: [us-ftc.deception] }} }}\nmessage: m\nsuggest: s\n\
             examples: {{ flag: [x.], pass: [y.] }}\n---\n"
        ));
    }
    std::fs::write(dir.join("generated.yaml"), yaml).expect("write rules");
    dir
}

/// Median time to load and compile the embedded rules.
fn startup() -> String {
    let mut times: Vec<f64> = (0..15)
        .map(|_| {
            let start = Instant::now();
            let engine = Engine::builtin().expect("rules load");
            std::hint::black_box(engine);
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    format!(
        "median {:.1} ms, min {:.1} ms",
        times[times.len() / 2],
        times[0]
    )
}

fn run_child(
    corpus: &Path,
    rules: Option<&Path>,
    threads: usize,
    format: &str,
    stages: bool,
) -> String {
    let exe = std::env::current_exe().expect("own path");
    let mut cmd = Command::new(exe);
    cmd.arg("--child")
        .arg(corpus)
        .arg(threads.to_string())
        .arg(format)
        .arg(if stages { "stages" } else { "whole" });
    if let Some(rules) = rules {
        cmd.arg(rules);
    }
    let null = std::fs::File::create("/dev/null").expect("open /dev/null");
    let out = cmd.stdout(Stdio::from(null)).output().expect("child runs");
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

/// Counts the bytes that pass through, so the report's size is known without keeping it.
struct Counting<W> {
    inner: W,
    bytes: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes.set(self.bytes.get() + n as u64);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// One measured audit, in this process, writing the report to standard output (the parent
/// makes it `/dev/null`) through a buffer like the command line's: prints a table row's tail,
/// or the stage profile, on standard error.
fn child(args: &[String]) {
    let corpus = PathBuf::from(&args[0]);
    let threads: usize = args[1].parse().expect("threads");
    let format = match args[2].as_str() {
        "json" => ReportFormat::Json,
        "sarif" => ReportFormat::Sarif,
        "human" => ReportFormat::Human,
        "github" => ReportFormat::Github,
        "html" => ReportFormat::Html,
        other => panic!("unknown format {other}"),
    };
    let stages = args[3] == "stages";
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .expect("thread pool");
    let settings = RunSettings {
        paths: vec![corpus.clone()],
        rule_dirs: args.get(4).map(PathBuf::from).into_iter().collect(),
        max_file_size: overclaim::DEFAULT_MAX_FILE_SIZE,
        ..RunSettings::default()
    };
    let bytes: u64 = std::fs::read_dir(&corpus)
        .expect("corpus")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    let written = std::rc::Rc::new(std::cell::Cell::new(0));
    let stdout = Counting {
        inner: std::io::BufWriter::with_capacity(256 * 1024, std::io::stdout()),
        bytes: written.clone(),
    };
    let start = Instant::now();
    let mut report = reporter(format, Box::new(stdout), false);
    let outcome =
        overclaim::run(&settings, report.as_mut(), &Silent).unwrap_or_else(|e| panic!("{e:?}"));
    drop(report);
    let secs = start.elapsed().as_secs_f64();
    let pages = outcome.report.files.len();
    let mb = bytes as f64 / 1e6;
    if stages {
        eprintln!("{}", stage_profile(secs, mb));
        return;
    }
    eprintln!(
        "{mb:.1} | {secs:.2} | {:.1} | {:.0} | {} | {:.1} | {:.0} |",
        mb / secs,
        pages as f64 / secs,
        outcome.report.summary().findings,
        written.get() as f64 / 1e6,
        peak_rss_kb() as f64 / 1024.0
    );
}

/// The stage table of a one-thread run of `secs` over `mb` megabytes; the rest of the time is
/// the walk, start-up, waivers and the run's own bookkeeping. The report is written on the main
/// thread while the worker audits the next chunk, so the stages may add up to more than `secs`.
fn stage_profile(secs: f64, mb: f64) -> String {
    let Some(stages) = overclaim::profile::seconds() else {
        return "build with `--features stage-profile` for the stage profile".into();
    };
    let mut out = format!(
        "one thread, {mb:.1} MB in {secs:.2} s ({:.1} MB/s)\n\n| stage | seconds | share | MB/s alone |\n|---|---|---|---|\n",
        mb / secs
    );
    let mut counted = 0.0;
    for (stage, s) in stages {
        counted += s;
        let alone = if s > 0.0 {
            format!("{:.0}", mb / s)
        } else {
            "–".to_string()
        };
        out.push_str(&format!(
            "| {} | {s:.2} | {:.0} % | {alone} |\n",
            stage.name(),
            100.0 * s / secs,
        ));
    }
    let rest = (secs - counted).max(0.0);
    out.push_str(&format!(
        "| other (walk, start-up, waivers, bookkeeping; 0 when the report overlapped the audit) | {rest:.2} | {:.0} % | |",
        100.0 * rest / secs
    ));
    out
}

/// ripgrep's literal scan of every phrase of the built-in lexicon (case-insensitive, counting
/// matching lines) over the corpus, on 2 threads: the yardstick for the cost of a byte.
fn ripgrep(root: &Path, corpus: &Path) -> Option<String> {
    let mut phrases = std::collections::BTreeSet::new();
    let lexicon = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/lexicon");
    for entry in std::fs::read_dir(lexicon).ok()? {
        let text = std::fs::read_to_string(entry.ok()?.path()).ok()?;
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
        for class in yaml["classes"].as_sequence().into_iter().flatten() {
            for word in class["words"].as_sequence().into_iter().flatten() {
                if let Some(w) = word.as_str() {
                    phrases.insert(w.trim_end_matches('*').to_string());
                }
            }
        }
    }
    let patterns = root.join("lexicon-phrases.txt");
    let list: Vec<&str> = phrases.iter().map(String::as_str).collect();
    std::fs::write(&patterns, list.join("\n")).ok()?;
    let time = || {
        let start = Instant::now();
        let status = Command::new("rg")
            .args(["-F", "-i", "-c", "-j", "2", "-f"])
            .arg(&patterns)
            .arg(corpus)
            .stdout(Stdio::null())
            .status()
            .ok()?;
        (status.code() == Some(0)).then(|| start.elapsed().as_secs_f64())
    };
    time()?;
    let secs = (0..3).filter_map(|_| time()).fold(f64::INFINITY, f64::min);
    let mb = std::fs::read_dir(corpus)
        .ok()?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum::<u64>() as f64
        / 1e6;
    Some(format!(
        "ripgrep: {} literal phrases, `rg -F -i -c -j 2 -f` over {mb:.1} MB: best of 3 {secs:.2} s, {:.0} MB/s",
        list.len(),
        mb / secs
    ))
}

/// Peak resident memory of this process (VmHWM), in KiB.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
