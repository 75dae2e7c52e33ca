//! Developer tool: prints the text the parser reads from a file, then the parsed CV as JSON.
//! `cargo run -p vivier-cv-parser --release --example dump -- FILE [--text]`

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: dump FILE [--text]");
        std::process::exit(2);
    };
    let bytes = std::fs::read(path).expect("read");
    if args.iter().any(|a| a == "--text") {
        match vivier_cv_parser::parse::document_text(path, "", &bytes) {
            Ok(t) => println!("{t}"),
            Err(e) => println!("ERROR {e:?}"),
        }
        return;
    }
    match vivier_cv_parser::parse_document(path, "", &bytes) {
        Ok(cv) => println!("{cv:#?}"),
        Err(e) => println!("ERROR {e:?}"),
    }
}
