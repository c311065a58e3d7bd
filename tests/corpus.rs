//! Runs the benchmark corpus generator's own tests (the benchmark binary has no test harness).

#[path = "../benches/support/corpus.rs"]
mod corpus;
