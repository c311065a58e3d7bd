//! The pathological-input benchmark: for each class of hostile or merely odd input, the time
//! per MB of a whole audit (extract, parse, judge) at two sizes, beside ordinary copy. A class
//! whose cost grows faster than its input shows as a rising time per MB from the small size
//! to the large one; each class should stay within 3x of ordinary copy per MB.
//!
//! ```sh
//! cargo bench --bench pathological                   # 256 KB and 1 MB of each class
//! cargo bench --bench pathological -- --kb 128       # 128 KB and 512 KB
//! ```
//!
//! Rule, config and waivers files are measured by loading them (deeply nested YAML).

use overclaim::{Engine, Format, RunSettings, SourceFile};
use std::path::Path;
use std::time::Instant;

/// One class: its name, its format, and a generator of about `bytes` of it.
struct Class {
    name: &'static str,
    format: Format,
    make: fn(usize) -> String,
}

const ORDINARY: &str = "Our hydrating serum leaves skin feeling soft and smooth. Apply two drops \
    morning and evening after cleansing. In a consumer panel of 32 women, 84% said their skin \
    felt more hydrated after two weeks [1]. Heals eczema and is FDA approved.\n\n";

fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len() + 1)
}

fn classes() -> Vec<Class> {
    vec![
        Class {
            name: "ordinary copy (text)",
            format: Format::Text,
            make: |n| repeat_to(ORDINARY, n),
        },
        Class {
            name: "ordinary copy (HTML)",
            format: Format::Html,
            make: |n| repeat_to(&format!("<p>{}</p>\n", ORDINARY.trim()), n),
        },
        Class {
            name: "run of '.'",
            format: Format::Text,
            make: |n| format!("Heals eczema. {} Cures acne.\n", ".".repeat(n)),
        },
        Class {
            name: "run of '?'",
            format: Format::Text,
            make: |n| format!("Heals eczema. {} Cures acne.\n", "?".repeat(n)),
        },
        Class {
            name: "run of '('",
            format: Format::Text,
            make: |n| format!("Heals eczema. {} Cures acne.\n", "(".repeat(n)),
        },
        Class {
            name: "run of '[1]' citations",
            format: Format::Text,
            make: |n| {
                format!(
                    "Exosomes heal scars {}.\n\nReferences\n\n1. A study of scars.\n",
                    "[1]".repeat(n / 3)
                )
            },
        },
        Class {
            name: "reference list",
            format: Format::Text,
            make: |n| {
                let mut out = String::from("Exosomes heal scars [1].\n\nReferences\n\n");
                let mut i = 1;
                while out.len() < n {
                    out.push_str(&format!(
                        "{i}. Exosome therapy for acne scars, trial {i}.\n"
                    ));
                    i += 1;
                }
                out
            },
        },
        Class {
            name: "one sentence of concept hits",
            format: Format::Text,
            make: |n| {
                format!(
                    "{} heals eczema.\n",
                    repeat_to("collagen exosome wrinkle ", n)
                )
            },
        },
        Class {
            name: "unclosed hidden elements",
            format: Format::Html,
            make: |n| {
                format!(
                    "<p>Heals eczema.</p>{}<p>Cures acne.</p>",
                    repeat_to("<div hidden><span style=\"display:none\">", n)
                )
            },
        },
        Class {
            name: "suppression comments",
            format: Format::Html,
            make: |n| {
                repeat_to(
                    "<!-- overclaim-disable-next-line drug-claim. -->\n<p>Heals eczema.</p>\n",
                    n,
                )
            },
        },
        Class {
            // Many labels in one file: every free-from claim against every listed ingredient
            // was quadratic (a 10 MB file of bench pages took 157 s).
            name: "free-from claims and ingredient lists",
            format: Format::Text,
            make: |n| {
                repeat_to(
                    "Paraben-free and fragrance-free. Vegan.\n\nIngredients: Aqua, Glycerin, \
                     Niacinamide, Squalane, Tocopherol, Sodium Hyaluronate, Allantoin.\n\n",
                    n,
                )
            },
        },
        Class {
            name: "open disable comments",
            format: Format::Html,
            make: |n| {
                repeat_to(
                    "<!-- overclaim-disable absolute. -->\n<p>Heals eczema.</p>\n",
                    n,
                )
            },
        },
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kb = args
        .iter()
        .position(|a| a == "--kb")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(256usize);
    let (small, large) = (kb * 1024, kb * 4 * 1024);
    let engine = Engine::builtin().expect("built-in rules load");
    let options = engine.options();
    println!(
        "| class | ms/MB at {kb} KB | ms/MB at {} KB | growth | vs ordinary |",
        kb * 4
    );
    println!("|---|---|---|---|---|");
    let mut ordinary = None;
    for class in classes() {
        let per_mb = |bytes: usize| {
            let text = (class.make)(bytes);
            let mb = text.len() as f64 / (1024.0 * 1024.0);
            let file = SourceFile {
                display: "bench".to_string(),
                format: class.format,
                text,
                warning: None,
                parts: Vec::new(),
            };
            let start = Instant::now();
            let findings = engine.audit(&engine.analyse(file), &options).len();
            std::hint::black_box(findings);
            start.elapsed().as_secs_f64() * 1000.0 / mb
        };
        let (a, b) = (per_mb(small), per_mb(large));
        let base = *ordinary.get_or_insert(b);
        println!(
            "| {} | {a:.0} | {b:.0} | {:.2}x | {:.2}x |",
            class.name,
            b / a,
            b / base
        );
    }
    yaml_rows(kb);
}

/// Loading a user rule pack, a config and a waivers file nested `depth` deep (in YAML flow
/// style, so the nesting costs two bytes a level).
fn yaml_rows(kb: usize) {
    let dir = std::env::temp_dir().join(format!("overclaim-bench-yaml-{}", std::process::id()));
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).expect("temp folder");
    let page = dir.join("page.txt");
    std::fs::write(&page, "Soft skin.\n").expect("temp file");
    for (bytes, label) in [(kb * 1024, kb), (kb * 4 * 1024, kb * 4)] {
        let nested = format!("{}{}", "[".repeat(bytes / 2), "]".repeat(bytes / 2));
        let rule_file = rules.join("nested.yaml");
        std::fs::write(&rule_file, format!("id: x.y\ntitle: {nested}\n")).expect("temp file");
        let start = Instant::now();
        let refused = Engine::for_settings(&RunSettings {
            rule_dirs: vec![rules.clone()],
            ..RunSettings::default()
        })
        .is_err();
        println!(
            "| nested YAML rule pack, {label} KB | {:.0} ms (refused: {refused}) | | | |",
            start.elapsed().as_secs_f64() * 1000.0
        );
        std::fs::remove_file(&rule_file).expect("temp file");
        for name in [".overclaim.yaml", ".overclaim-waivers.yaml"] {
            let file = dir.join(name);
            std::fs::write(&file, format!("disable: {nested}\nwaivers: {nested}\n")).expect("temp");
            let start = Instant::now();
            let refused = run_on(&page).is_err();
            println!(
                "| nested YAML {name}, {label} KB | {:.0} ms (refused: {refused}) | | | |",
                start.elapsed().as_secs_f64() * 1000.0
            );
            std::fs::remove_file(&file).expect("temp file");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn run_on(page: &Path) -> Result<(), overclaim::RunError> {
    let settings = RunSettings {
        paths: vec![page.to_path_buf()],
        max_file_size: overclaim::DEFAULT_MAX_FILE_SIZE,
        ..RunSettings::default()
    };
    let mut sink = overclaim::report::JsonReporter::new(Box::new(std::io::sink()));
    overclaim::run(&settings, &mut sink, &overclaim::Silent).map(|_| ())
}
