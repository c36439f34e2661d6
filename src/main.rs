//! `contract-lens`: the core on the command line, for maintainers and reviewers.
//!
//!     contract-lens scan [--json] FILE...     mentions in .txt/.html files (one JSON line each)
//!     contract-lens text [--json] FILE                 the text `scan` reads from a file
//!     contract-lens data check [DIR]          validate data/ (file:line: reason)
//!     contract-lens data show NAME [--json]   a company's card
//!     contract-lens data stats                counts and date range

// The CLI is native only; on wasm32 (built for the WASM tests) it is an empty program.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use contract_lens::card::Card;
    use contract_lens::dataset::{self, Dataset};
    use contract_lens::Core;
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    const USAGE: &str = "usage:
  contract-lens scan [--json] FILE...
  contract-lens text [--json] FILE
  contract-lens data check [DIR]
  contract-lens data show NAME [--json]
  contract-lens data stats
  contract-lens data import-usaspending [--source-base URL] [--dictionary FILE] [--data DIR] FILE...";

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let words: Vec<&str> = args.iter().map(String::as_str).collect();
        let result = match words.as_slice() {
            ["scan", rest @ ..] => scan(rest),
            ["text", file] => visible_text(file, false),
            ["text", "--json", file] => visible_text(file, true),
            ["data", "check"] => check(&default_data_dir()),
            ["data", "check", dir] => check(Path::new(dir)),
            ["data", "show", rest @ ..] => show(rest),
            ["data", "stats"] => stats(),
            ["data", "import-usaspending", rest @ ..] => import_usaspending(rest),
            _ => Err(USAGE.to_string()),
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("{message}");
                ExitCode::FAILURE
            }
        }
    }

    fn default_data_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
    }

    /// The blocks `scan` reads from a file: its visible text for HTML, the file itself otherwise.
    fn scanned_blocks(file: &str) -> Result<Vec<String>, String> {
        let raw = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
        let lower = file.to_ascii_lowercase();
        Ok(if lower.ends_with(".html") || lower.ends_with(".htm") {
            contract_lens::html::visible_blocks(&raw)
        } else {
            vec![raw]
        })
    }

    fn visible_text(file: &str, json: bool) -> Result<(), String> {
        let blocks = scanned_blocks(file)?;
        if json {
            println!("{}", serde_json::json!(blocks));
        } else {
            println!("{}", blocks.join("\n"));
        }
        Ok(())
    }

    fn scan(args: &[&str]) -> Result<(), String> {
        let files: Vec<&str> = args.iter().copied().filter(|a| *a != "--json").collect();
        if files.is_empty() {
            return Err(USAGE.to_string());
        }
        let core = Core::bundled();
        for file in files {
            let blocks = scanned_blocks(file)?;
            // The scanned text is the blocks joined by line breaks; offsets are into it.
            let text = blocks.join("\n");
            let utf16: Vec<u16> = text.encode_utf16().collect();
            let mut block_starts = Vec::with_capacity(blocks.len());
            let mut at = 0;
            for block in &blocks {
                block_starts.push(at);
                at += block.encode_utf16().count() + 1;
            }
            let mentions: Vec<serde_json::Value> = core
                .matcher
                .find_in_blocks(&blocks)
                .into_iter()
                .map(|m| {
                    let company = &core.dataset.companies[m.company];
                    let start = block_starts[m.block] + m.span.start;
                    let end = block_starts[m.block] + m.span.end;
                    serde_json::json!({
                        "start": start,
                        "end": end,
                        "text": String::from_utf16_lossy(&utf16[start..end]),
                        "company": company.name,
                        "id": company.id,
                        "alias": core.matcher.name(m.name),
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::json!({ "file": file, "mentions": mentions })
            );
        }
        Ok(())
    }

    fn import_usaspending(args: &[&str]) -> Result<(), String> {
        use contract_lens::import::{self, ImportOptions, SourceLinks};
        let mut files = Vec::new();
        let mut base = None;
        let mut dictionary = None;
        let mut data = default_data_dir();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || {
                args.next()
                    .map(|v| v.to_string())
                    .ok_or_else(|| USAGE.to_string())
            };
            match *arg {
                "--source-base" => base = Some(value()?),
                "--dictionary" => dictionary = Some(PathBuf::from(value()?)),
                "--data" => data = PathBuf::from(value()?),
                file => files.push(PathBuf::from(file)),
            }
        }
        if files.is_empty() {
            return Err(USAGE.to_string());
        }
        if base.as_deref().is_some_and(|b| !b.starts_with("https://")) {
            return Err("--source-base must be an https:// address".to_string());
        }
        let dataset = dataset::load_curated(&data).map_err(|e| e.to_string())?;
        let options = ImportOptions {
            files,
            dictionary,
            links: base.map_or(SourceLinks::Permalink, SourceLinks::Base),
        };
        let imported = import::import(&dataset, &options)?;
        import::write(&data.join("usaspending"), &imported)?;
        // What was written must load: the same check the build makes.
        dataset::load_dir(&data).map_err(|e| e.to_string())?;
        println!("{}", import::summary(&imported));
        Ok(())
    }

    fn check(dir: &Path) -> Result<(), String> {
        let dataset = dataset::load_dir(dir).map_err(|e| e.to_string())?;
        let curated = dataset.companies.iter().filter(|c| !c.uncurated).count();
        let awards: usize = dataset.companies.iter().map(|c| c.awards.len()).sum();
        println!(
            "{}: ok, {} companies ({curated} curated, {} from USAspending data only), {awards} imported awards",
            dir.display(),
            dataset.companies.len(),
            dataset.companies.len() - curated,
        );
        Ok(())
    }

    fn find_company(dataset: &Dataset, name: &str) -> Option<usize> {
        let wanted = name.to_lowercase();
        dataset.companies.iter().position(|c| {
            c.id == wanted
                || c.names().any(|n| n.to_lowercase() == wanted)
                || c.recipients.iter().any(|r| r.to_lowercase() == wanted)
        })
    }

    fn show(args: &[&str]) -> Result<(), String> {
        let json = args.contains(&"--json");
        let name = args
            .iter()
            .find(|a| **a != "--json")
            .ok_or_else(|| USAGE.to_string())?;
        let core = Core::bundled();
        let index = find_company(&core.dataset, name)
            .ok_or_else(|| format!("no company named {name:?}"))?;
        let card = Card::of(&core.dataset, index).expect("index comes from the dataset");
        if json {
            println!(
                "{}",
                serde_json::to_string_pretty(&card).expect("cards serialize")
            );
            return Ok(());
        }
        println!("{}", card.name);
        if let Some(parent) = &card.parent {
            println!("  owned by {parent}");
        }
        if !card.curated {
            println!("  (known from USAspending data only)");
        }
        println!(
            "  {} contract(s), {} statement(s); agencies: {}",
            card.summary.contracts,
            card.summary.statements,
            card.summary.agencies.join(", ")
        );
        for k in &card.contracts {
            let agency = [k.agency.as_deref(), k.sub_agency.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" > ");
            println!("- contract: {agency}");
            for (label, value) in [
                ("awarded to", &k.recipient),
                ("for", &k.description),
                ("start", &k.start),
                ("end", &k.end),
                ("potential end", &k.potential_end),
                ("award id", &k.award_id),
                ("product or service", &k.product_or_service),
            ] {
                if let Some(v) = value {
                    println!("    {label}: {v}");
                }
            }
            for (label, value) in [
                ("obligated", k.obligated_usd),
                ("potential", k.potential_usd),
                ("reported", k.reported_usd),
            ] {
                if let Some(v) = value {
                    println!("    {label}: ${v:.2}");
                }
            }
            if let Some(n) = k.modifications {
                println!("    modifications: {n}");
            }
            if let Some(note) = &k.note {
                println!("    note: {note}");
            }
            if let (Some(base), Some(options)) = (k.base_years, k.option_years) {
                println!("    term: {base} year(s) + {options} option year(s)");
            }
            for s in &k.sources {
                println!("    source: {}", s.url);
            }
        }
        for s in &card.statements {
            println!(
                "- statement {} by {}: {:?}",
                s.date.as_deref().unwrap_or("(undated)"),
                s.speaker,
                s.text
            );
            for src in &s.sources {
                println!("    source: {}", src.url);
            }
        }
        println!("data as of {}", card.data_as_of);
        Ok(())
    }

    fn stats() -> Result<(), String> {
        let core = Core::bundled();
        let d = &core.dataset;
        let contracts: usize = d.companies.iter().map(|c| c.contracts.len()).sum();
        let statements: usize = d.companies.iter().map(|c| c.statements.len()).sum();
        let all_contracts = || {
            d.companies
                .iter()
                .flat_map(|c| c.contracts.iter().chain(&c.awards))
        };
        let all_statements = || d.companies.iter().flat_map(|c| &c.statements);
        let sources: std::collections::BTreeSet<&str> = all_contracts()
            .flat_map(|k| &k.sources)
            .chain(all_statements().flat_map(|s| &s.sources))
            .map(|s| s.url.as_str())
            .collect();
        let dates: Vec<&str> = all_contracts()
            .flat_map(|k| [&k.start, &k.end])
            .chain(all_statements().map(|s| &s.date))
            .flatten()
            .map(String::as_str)
            .collect();
        let curated = d.companies.iter().filter(|c| !c.uncurated).count();
        let awards: usize = d.companies.iter().map(|c| c.awards.len()).sum();
        println!("companies: {} ({curated} curated)", d.companies.len());
        println!("imported awards: {awards}");
        println!("names matched: {}", core.matcher.name_count());
        println!("contracts: {contracts}");
        println!("statements: {statements}");
        println!("distinct sources: {}", sources.len());
        if let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) {
            println!("dates: {first} to {last}");
        }
        println!("data as of: {}", d.data_as_of);
        println!(
            "compiled size: {} bytes",
            contract_lens::BUNDLED_DATASET.len()
        );
        Ok(())
    }
}
