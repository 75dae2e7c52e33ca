//! `vivier eval ...`: measure a plugin against ground truth, so accuracy claims are reproducible
//! with the project's own commands.

use crate::cli::Cli;
use anyhow::Result;
use clap::Subcommand;

pub mod baseline;
pub mod draft;
pub mod parse;
pub mod rank;
pub mod rank_metrics;
pub mod record;

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Score a cv-parser against a ground-truth JSONL file (per-field precision, recall, F1).
    Parse(parse::Args),
    /// Score skills-matchers against graded relevance (nDCG@3, nDCG@10, MAP).
    Rank(rank::Args),
    /// Score a posting-drafter and the linter against cases (must_mention, must_flag, must_not_flag).
    Draft(draft::Args),
}

pub fn run(cli: &Cli, command: &EvalCommand) -> Result<()> {
    match command {
        EvalCommand::Parse(args) => parse::run(cli, args),
        EvalCommand::Rank(args) => rank::run(cli, args),
        EvalCommand::Draft(args) => draft::run(cli, args),
    }
}
