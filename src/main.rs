//! `contract-lens`: the core on the command line, for maintainers and reviewers. Run
//! `contract-lens --help` for the commands.

// The CLI is native only; on wasm32 (built for the WASM tests) it is an empty program.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Parser, Subcommand};
    use contract_lens::card::{Card, ContractView};
    use contract_lens::dataset::Dataset;
    use contract_lens::import::{self, SourceConfig};
    use contract_lens::load;
    use contract_lens::Core;
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    /// Contract Lens: find companies with US government contracts in text, and read the data.
    #[derive(Parser)]
    #[command(version)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Mentions in .txt or .html files, one JSON object per file and line.
        Scan {
            /// Accepted for symmetry with `text`; the output is always JSON lines.
            #[arg(long)]
            json: bool,
            #[arg(required = true)]
            files: Vec<PathBuf>,
        },
        /// The text `scan` reads from a file: an HTML file's visible text, one block per line.
        Text {
            /// The blocks as a JSON array.
            #[arg(long)]
            json: bool,
            file: PathBuf,
        },
        /// The dataset: check, show, stats, import.
        Data {
            #[command(subcommand)]
            command: DataCommand,
        },
    }

    #[derive(Subcommand)]
    enum DataCommand {
        /// Validates a data directory and its import (problems as file:line: reason).
        Check { dir: Option<PathBuf> },
        /// A company's card, by id, name, alias or recipient name.
        Show {
            name: String,
            #[arg(long)]
            json: bool,
        },
        /// Counts, and the dates each spending source covers.
        Stats,
        /// Imports spending records and writes one reviewable TOML file per company: the sources
        /// data/dataset.toml lists (what the build imports), or the FILEs given.
        ImportUsaspending {
            /// Where to write the files (replaced); by default target/usaspending/.
            #[arg(long)]
            out: Option<PathBuf>,
            /// Rows of the FILEs link to URL/<file>#L<line> instead of their permalinks.
            #[arg(long, value_name = "URL")]
            source_base: Option<String>,
            /// Column dictionary for headerless 2018-schema FILEs.
            #[arg(long, value_name = "FILE")]
            dictionary: Option<PathBuf>,
            /// The data directory whose curated companies and agencies the import uses.
            #[arg(long, value_name = "DIR")]
            data: Option<PathBuf>,
            files: Vec<PathBuf>,
        },
    }

    pub fn main() -> ExitCode {
        let result = match Cli::parse().command {
            Command::Scan { files, .. } => scan(&files),
            Command::Text { json, file } => visible_text(&file, json),
            Command::Data { command } => match command {
                DataCommand::Check { dir } => check(&dir.unwrap_or_else(default_data_dir)),
                DataCommand::Show { name, json } => show(&name, json),
                DataCommand::Stats => stats(),
                DataCommand::ImportUsaspending {
                    out,
                    source_base,
                    dictionary,
                    data,
                    files,
                } => import_usaspending(out, source_base, dictionary, data, files),
            },
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
    fn scanned_blocks(file: &Path) -> Result<Vec<String>, String> {
        let raw = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let html = file
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case("html") || x.eq_ignore_ascii_case("htm"));
        Ok(if html {
            contract_lens::html::visible_blocks(&raw)
        } else {
            vec![raw]
        })
    }

    fn visible_text(file: &Path, json: bool) -> Result<(), String> {
        let blocks = scanned_blocks(file)?;
        if json {
            println!("{}", serde_json::json!(blocks));
        } else {
            println!("{}", blocks.join("\n"));
        }
        Ok(())
    }

    fn scan(files: &[PathBuf]) -> Result<(), String> {
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
                    let (id, company) = core
                        .bundle
                        .company_head(m.company)
                        .expect("a mention's company is in the bundle");
                    let start = block_starts[m.block] + m.span.start;
                    let end = block_starts[m.block] + m.span.end;
                    let text = String::from_utf16_lossy(&utf16[start..end]);
                    serde_json::json!({
                        "start": start,
                        "end": end,
                        "alias": core.matcher.name_as_found(m.name, &text),
                        "text": text,
                        "company": company,
                        "id": id,
                    })
                })
                .collect();
            println!(
                "{}",
                serde_json::json!({ "file": file.display().to_string(), "mentions": mentions })
            );
        }
        Ok(())
    }

    fn import_usaspending(
        out: Option<PathBuf>,
        source_base: Option<String>,
        dictionary: Option<PathBuf>,
        data: Option<PathBuf>,
        files: Vec<PathBuf>,
    ) -> Result<(), String> {
        let data = data.unwrap_or_else(default_data_dir);
        let dataset = load::load_curated(&data).map_err(|e| e.to_string())?;
        let sources: Vec<SourceConfig> = if files.is_empty() {
            load::spending_sources(&data).map_err(|e| e.to_string())?
        } else {
            vec![SourceConfig {
                id: "given".into(),
                name: "the files given".into(),
                agencies: Vec::new(),
                gaps: String::new(),
                url: String::new(),
                files,
                dictionary,
                row_links: source_base,
                manifest: None,
                recipient_names: None,
            }]
        };
        let imported = import::import(&dataset, &sources).map_err(|e| e.to_string())?;
        let out = out.unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/usaspending")
        });
        import::write(&out, &imported)?;
        println!("{}", import::summary(&imported));
        println!("written to {}", out.display());
        Ok(())
    }

    fn check(dir: &Path) -> Result<(), String> {
        let dataset = load::load_dir(dir).map_err(|e| e.to_string())?;
        let curated = dataset.companies.iter().filter(|c| !c.uncurated).count();
        let awards: usize = dataset.companies.iter().map(|c| c.awards.len()).sum();
        println!(
            "{}: ok, {} companies ({curated} curated, {} from spending records only), {awards} imported awards",
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

    fn show(name: &str, json: bool) -> Result<(), String> {
        let dataset = contract_lens::bundled_dataset();
        let index =
            find_company(&dataset, name).ok_or_else(|| format!("no company named {name:?}"))?;
        let card = Card::of(&dataset, index).expect("index comes from the dataset");
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
            println!("  (known from spending records only)");
        }
        let s = &card.summary;
        println!(
            "  {} contract(s) ({} via resellers), {} statement(s); agencies: {}",
            s.contracts,
            s.via_awards,
            s.statements,
            s.agencies.join(", ")
        );
        println!(
            "  net obligated ${:.2}; potential ${:.2} (vehicle ceilings not added to their orders)",
            s.obligated_usd, s.potential_usd
        );
        for k in &card.contracts {
            print_contract(k);
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
        println!("curated facts as of {}", card.data_as_of);
        for source in &card.spending_sources {
            println!(
                "spending records: {} ({} to {}); {}",
                source.name, source.first_action, source.last_action, source.gaps
            );
        }
        Ok(())
    }

    fn print_contract(k: &ContractView) {
        let agency = [k.agency.as_deref(), k.sub_agency.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" > ");
        println!(
            "- {}: {agency}",
            if k.vehicle { "vehicle" } else { "contract" }
        );
        let actions = k.actions.map(|n| n.to_string());
        for (label, value) in [
            ("awarded to", &k.recipient),
            ("named in the record as", &k.via_evidence),
            ("for", &k.description),
            ("start", &k.start),
            ("end", &k.end),
            ("potential end", &k.potential_end),
            ("first action in the records", &k.first_action),
            ("last action in the records", &k.last_action),
            ("actions in the records", &actions),
            ("latest modification", &k.latest_modification),
            ("award id", &k.award_id),
            ("order under", &k.parent_award_id),
            ("product or service", &k.product_or_service),
        ] {
            if let Some(v) = value {
                println!("    {label}: {v}");
            }
        }
        for (label, value) in [
            ("obligated (net)", k.obligated_usd),
            ("de-obligated", k.deobligated_usd),
            ("potential", k.potential_usd),
            ("reported", k.reported_usd),
        ] {
            if let Some(v) = value {
                println!("    {label}: ${v:.2}");
            }
        }
        if k.from_spending_data && k.obligated_usd.is_none() {
            println!("    no obligations in these records");
        }
        if k.potential_below_obligated {
            println!("    the potential value is below the amount obligated");
        }
        if let Some(note) = &k.note {
            println!("    note: {note}");
        }
        if let Some(method) = &k.method {
            println!("    method: {method}");
        }
        if let (Some(base), Some(options)) = (k.base_years, k.option_years) {
            println!("    term: {base} year(s) + {options} option year(s)");
        }
        for s in &k.sources {
            println!("    source: {}", s.url);
        }
    }

    fn stats() -> Result<(), String> {
        let core = Core::bundled();
        let d = &core.bundle.to_dataset();
        let contracts: usize = d.companies.iter().map(|c| c.contracts.len()).sum();
        let statements: usize = d.companies.iter().map(|c| c.statements.len()).sum();
        let curated = d.companies.iter().filter(|c| !c.uncurated).count();
        let awards = || d.companies.iter().flat_map(|c| &c.awards);
        let via = awards().filter(|a| a.via_evidence.is_some()).count();
        println!("companies: {} ({curated} curated)", d.companies.len());
        println!(
            "imported awards: {} ({via} of them shown on a maker's card via a reseller)",
            awards().count() - via
        );
        println!("names matched: {}", core.matcher.name_count());
        println!("curated contracts: {contracts}");
        println!("statements: {statements}");
        println!("curated facts as of: {}", d.data_as_of);
        for source in &d.spending_sources {
            let rows = awards()
                .filter(|a| a.via_evidence.is_none() && a.spending_sources.contains(&source.id))
                .count();
            println!(
                "spending source {}: {} to {} ({rows} awards), agencies {}",
                source.id,
                source.first_action,
                source.last_action,
                source.agencies.join(", ")
            );
        }
        println!(
            "compiled size: {} bytes of company records (deflated in chunks), {} of head, {} of matcher",
            contract_lens::BUNDLED_RECORDS.len(),
            contract_lens::BUNDLED_HEAD.len(),
            contract_lens::BUNDLED_MATCHER.len()
        );
        Ok(())
    }
}
