//! The grammar benchmark: how fast pest alone reads copy, with no extraction, claims, judging
//! or report. Two parsers run over the Markdown pages of the bench corpus, on 1 and 2 threads:
//! the copy grammar (`grammar/copy.pest`, compiled here as the library compiles it) and a
//! trivial pest tokenizer (letters, spaces, any other character). The first is the ceiling the
//! grammar sets on an audit's throughput; the second, pest's own cost per byte with the least
//! grammar that still tokenizes.
//!
//! ```sh
//! cargo bench --bench grammar                  # the 10,000-page corpus (generated if missing)
//! cargo bench --bench grammar -- --pages 2000
//! ```

// pest runs without its `std` feature here as in the library; its generated parsers name
// `alloc` directly.
extern crate alloc;

#[path = "support/corpus.rs"]
mod corpus;

use pest::Parser;
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;

mod copy {
    /// The copy grammar, exactly as the library compiles it.
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar/copy.pest"]
    pub struct CopyParser;
}

mod trivial {
    /// The least a pest tokenizer can do: a word is a run of ASCII letters, spaces are skipped,
    /// anything else is one token.
    #[derive(pest_derive::Parser)]
    #[grammar_inline = r#"
text = { SOI ~ piece* ~ EOI }
piece = _{ word | space | other }
word = @{ ASCII_ALPHA+ }
space = _{ (" " | "\t" | "\n" | "\r")+ }
other = { ANY }
"#]
    pub struct TrivialParser;
}

const SEED: u64 = 0x5eed;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pages = args
        .iter()
        .position(|a| a == "--pages")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000usize);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench/corpus-{pages}"));
    if std::fs::read_dir(&dir).map_or(0, Iterator::count) != pages {
        let _ = std::fs::remove_dir_all(&dir);
        corpus::generate(&dir, pages, SEED).expect("write the corpus");
    }
    let texts: Vec<String> = std::fs::read_dir(&dir)
        .expect("read the corpus")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| std::fs::read_to_string(p).expect("read a page"))
        .collect();
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    println!(
        "{} Markdown pages of {}, {mb:.1} MB, best of 3\n",
        texts.len(),
        dir.display()
    );
    println!("| parser | threads | seconds | MB/s | pairs |");
    println!("|---|---|---|---|---|");
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool");
        let copy = || {
            texts
                .par_iter()
                .map(|t| match copy::CopyParser::parse(copy::Rule::document, t) {
                    Ok(pairs) => pairs.flatten().count(),
                    Err(_) => 0,
                })
                .sum::<usize>()
        };
        let trivial = || {
            texts
                .par_iter()
                .map(
                    |t| match trivial::TrivialParser::parse(trivial::Rule::text, t) {
                        Ok(pairs) => pairs.flatten().count(),
                        Err(_) => 0,
                    },
                )
                .sum::<usize>()
        };
        for (name, parse) in [
            ("copy grammar", &copy as &(dyn Fn() -> usize + Sync)),
            ("trivial tokenizer", &trivial),
        ] {
            let (seconds, pairs) = (0..3)
                .map(|_| {
                    let started = Instant::now();
                    let pairs = pool.install(parse);
                    (started.elapsed().as_secs_f64(), pairs)
                })
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .expect("three runs");
            println!(
                "| {name} | {threads} | {seconds:.2} | {:.1} | {pairs} |",
                mb / seconds
            );
        }
    }
}
