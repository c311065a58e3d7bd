//! Embeds every YAML file under `rules/` into the binary, so overclaim works with no
//! configuration on a fresh machine.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut files: Vec<String> = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "yaml" || x == "yml")
        })
        .map(|e| {
            let rel = e.path().strip_prefix(&root).expect("under rules/");
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    files.sort();
    let mut code = String::from("/// Built-in rule files: (path under rules/, contents).\n");
    code.push_str("pub const EMBEDDED: &[(&str, &str)] = &[\n");
    for rel in &files {
        writeln!(
            code,
            "    (\"{rel}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/rules/{rel}\"))),"
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out = Path::new(&out_dir).join("embedded_rules.rs");
    std::fs::write(out, code).expect("write embedded_rules.rs");
    write_rule_tests(&root, &files, Path::new(&out_dir));
}

/// One test per built-in rule, named after its id (`drug-claim.collagen-stimulation` becomes
/// `drug_claim_collagen_stimulation`), for `tests/rule_examples.rs` to include, so that
/// `cargo test collagen_stimulation` runs that rule's examples alone. Rule ids are read from
/// the `id:` line that opens each document of a rule pack (the files outside `lexicon/`,
/// `evidence/`, `regulatory/` and `jurisdictions/`). Waiver checks judge a whole run, not a
/// document: they get no generated test (the CLI tests run them) and are listed apart.
fn write_rule_tests(root: &Path, files: &[String], out_dir: &Path) {
    let mut code = String::new();
    let mut ids = Vec::new();
    let mut run_level = Vec::new();
    for rel in files.iter().filter(|f| !f.contains('/')) {
        let text = std::fs::read_to_string(root.join(rel)).expect("read rule pack");
        for document in text.split("\n---") {
            let checks_waivers = document
                .lines()
                .any(|l| l == "check: unused-waiver" || l == "check: expired-waiver");
            let id = document.lines().find_map(|l| l.strip_prefix("id:"));
            if let Some(id) = id {
                let id = id.trim().trim_matches(['"', '\'']);
                if checks_waivers {
                    run_level.push(id.to_string());
                    continue;
                }
                let name = test_name(id);
                writeln!(
                    code,
                    "#[test]\nfn {name}() {{\n    check_rule(\"{id}\");\n}}\n"
                )
                .expect("write to string");
                ids.push(id.to_string());
            }
        }
    }
    // One test per ingredient family, for its example labels.
    let mut families = Vec::new();
    for rel in files.iter().filter(|f| f.starts_with("families/")) {
        let text = std::fs::read_to_string(root.join(rel)).expect("read family");
        if let Some(id) = text.lines().find_map(|l| l.strip_prefix("id:")) {
            let id = id.trim().trim_matches(['"', '\'']);
            let name = test_name(id);
            writeln!(
                code,
                "#[test]\nfn family_{name}() {{\n    check_family(\"{id}\");\n}}\n"
            )
            .expect("write to string");
            families.push(id.to_string());
        }
    }
    writeln!(
        code,
        "/// Every ingredient family a test was generated for.\nconst FAMILIES: &[&str] = &{families:?};"
    )
    .expect("write to string");
    writeln!(
        code,
        "/// Every rule id a test was generated for.\nconst GENERATED: &[&str] = &{ids:?};\n\
         /// Rules that judge a whole run (waiver checks), exercised by the CLI tests.\n\
         const RUN_LEVEL: &[&str] = &{run_level:?};"
    )
    .expect("write to string");
    std::fs::write(out_dir.join("rule_tests.rs"), code).expect("write rule_tests.rs");
}

/// A test function name for a rule or family id: `drug-claim.x` is `drug_claim_x`.
fn test_name(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}
