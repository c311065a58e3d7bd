//! overclaim: audits product labels and marketing copy for overclaims.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`source`] (find and read files) → [`extract`] (format → text + source map) → [`parse`]
//! (pest grammar → blocks, sentences, tokens) → [`claims`] (a claim frame per sentence) →
//! [`judge`] (rules + jurisdiction → findings) → [`report`] (terminal, JSON).
#![warn(missing_docs)]

pub mod audit;
pub mod claims;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod extract;
pub mod feeds;
pub mod judge;
pub mod output;
pub mod parse;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod waivers;
pub use engine::Engine;
