use clap::Parser;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("VIVIER_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = vivier::cli::Cli::parse();
    if let Err(err) = vivier::cli::run(cli) {
        eprintln!("error: {err:#}");
        std::process::exit(vivier::cli::exit_code(&err));
    }
}
