//! overclaim: audits product labels and marketing copy for overclaims.
//!
//! The pipeline, one module per stage, data flowing one way:
//! `source` (find and read files) → `extract` (format → text + source map; CSV and JSON Lines
//! records are documents too) → `parse` (pest grammar → blocks, sentences, tokens) → `claims`
//! (a claim frame per sentence, seeing only the vocabulary) → `judge` (rule book + knowledge +
//! options → findings) → `report` (one reporter per format). A [`Document`] is built once per
//! file or record and read by everything after it. `rules` is the loader that compiles the
//! YAML into each stage's input; `run` drives a whole audit; `cli` is the command line.
//!
//! The public facade is small: an [`Engine`] turns a [`SourceFile`] into a [`Document`] and
//! judges it into [`Finding`]s; [`run()`] audits paths into any [`report::Reporter`].
#![warn(missing_docs)]

// pest runs without its `std` feature (no native stack probe on every grammar call: the copy
// grammar has no recursive rule, see `parse`); its generated parser names `alloc` directly.
extern crate alloc;

mod baseline;
mod claims;
pub mod cli;
mod config;
pub mod diagnostic;
mod document;
mod engine;
mod error;
mod extract;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod judge;
mod knowledge;
mod parse;
pub mod profile;
pub mod report;
mod rules;
mod run;
mod source;
mod waivers;

pub use diagnostic::Finding;
pub use document::Document;
pub use engine::{Engine, ExampleFailure, ExampleReport};
pub use error::RunError;
pub use judge::{AuditOptions, Product};
pub use rules::LoadError;
pub use run::{Auditor, EngineCache, Outcome, Progress, RunSettings, Silent, run};
pub use source::{DEFAULT_MAX_FILE_SIZE, Format, SourceFile};
