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
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("embedded_rules.rs");
    std::fs::write(out, code).expect("write embedded_rules.rs");
}
