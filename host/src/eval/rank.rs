//! `vivier eval rank`.

use crate::cli::Cli;
use anyhow::{bail, Result};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_cli: &Cli, _args: &Args) -> Result<()> {
    bail!("`vivier eval rank` is not available yet")
}
