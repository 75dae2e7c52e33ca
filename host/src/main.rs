use clap::Parser;

fn main() {
    // The bounded compile of an untrusted component runs in a child process of this binary
    // (see vivier_runtime::runtime::compile): no logging set-up, no CLI parsing.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(vivier::runtime::compile::CHILD_SUBCOMMAND) {
        std::process::exit(vivier::runtime::compile::child_main(&args[1..]));
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("VIVIER_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = vivier::cli::Cli::parse();
    if let Err(err) = vivier::cli::run(cli) {
        eprintln!("error: {}", vivier::text::terminal_safe_with(&format!("{err:#}"), true));
        std::process::exit(vivier::cli::exit_code(&err));
    }
}
