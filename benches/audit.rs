//! The audit benchmark: MB/s and pages/s end to end (read, extract, parse, judge, write JSON)
//! on a generated corpus, with the built-in rules and with ten times as many, on 1 and 2
//! threads; peak memory as the corpus grows; and start-up (loading and compiling the embedded
//! rules).
//!
//! ```sh
//! cargo bench --bench audit                 # 10,000 pages (generated once under target/)
//! cargo bench --bench audit -- --pages 2000 # a smaller corpus
//! ```
//!
//! Each measurement runs in a child process of this binary, so each peak-memory figure
//! (VmHWM) belongs to that run alone.

#[path = "support/corpus.rs"]
mod corpus;

use overclaim::report::JsonReporter;
use overclaim::{Engine, RunSettings, Silent};
use std::path::{Path, PathBuf};
use std::process::Command;
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let corpus = ensure_corpus(&root, pages);
    let small = ensure_corpus(&root, pages / 10);
    let rules_10x = ensure_extra_rules(&root);

    println!("startup (load + compile the embedded rules): {}", startup());
    println!();
    println!(
        "| corpus | rules | threads | MB | seconds | MB/s | pages/s | findings | peak RSS MB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let runs = [
        (&corpus, None, 2),
        (&corpus, None, 1),
        (&corpus, Some(&rules_10x), 2),
        (&corpus, Some(&rules_10x), 1),
        (&small, None, 2),
    ];
    for (dir, rules, threads) in runs {
        let label = if rules.is_some() { "10x" } else { "built-in" };
        let line = run_child(dir, rules.map(|p| p.as_path()), threads);
        println!(
            "| {} pages | {label} | {threads} | {line}",
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

fn run_child(corpus: &Path, rules: Option<&Path>, threads: usize) -> String {
    let exe = std::env::current_exe().expect("own path");
    let mut cmd = Command::new(exe);
    cmd.arg("--child").arg(corpus).arg(threads.to_string());
    if let Some(rules) = rules {
        cmd.arg(rules);
    }
    let out = cmd.output().expect("child runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// One measured audit, in this process: prints a table row's tail.
fn child(args: &[String]) {
    let corpus = PathBuf::from(&args[0]);
    let threads: usize = args[1].parse().expect("threads");
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .expect("thread pool");
    let settings = RunSettings {
        paths: vec![corpus.clone()],
        rule_dirs: args.get(2).map(PathBuf::from).into_iter().collect(),
        max_file_size: overclaim::DEFAULT_MAX_FILE_SIZE,
        ..RunSettings::default()
    };
    let bytes: u64 = std::fs::read_dir(&corpus)
        .expect("corpus")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    let start = Instant::now();
    let mut json = JsonReporter::new(std::io::BufWriter::new(std::io::sink()));
    let outcome = overclaim::run(&settings, &mut json, &Silent).unwrap_or_else(|e| panic!("{e:?}"));
    let secs = start.elapsed().as_secs_f64();
    let pages = outcome.report.files.len();
    let mb = bytes as f64 / 1e6;
    println!(
        "{mb:.1} | {secs:.2} | {:.1} | {:.0} | {} | {:.0} |",
        mb / secs,
        pages as f64 / secs,
        outcome.report.summary().findings,
        peak_rss_kb() as f64 / 1024.0
    );
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
