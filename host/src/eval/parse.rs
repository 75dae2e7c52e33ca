//! `vivier eval parse`.

use crate::cli::Cli;
use anyhow::{bail, Result};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_cli: &Cli, _args: &Args) -> Result<()> {
    bail!("`vivier eval parse` is not available yet")
}
