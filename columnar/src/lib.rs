//! The spending import at national scale.
//!
//! Use [`contract_lens::import::import`] for the records in `data/`: it holds every row in
//! memory and is the simple path. This crate is for archives that memory cannot hold (all
//! agencies' transactions are on the order of 10^8 rows). It gives the same output, because
//! the rules are the same code; only the grouping moves into an engine:
//!
//! ```text
//!  files ──rows.rs──▶ Arrow batches ──DataFusion: sort by piid, seq──▶ one award id at a time
//!  (streamed)          (one reader)    (sorts in memory up to a limit,    │ drop_duplicates
//!                                       spills sorted runs to disk,       │ recipients, dates
//!                                       merges them)                      │ aggregate_piid
//!                                                                         ▼
//!  placements ◀──Placer (resale, company)── awards, postcard frames in a spill file
//! ```
//!
//! Every step after the sort needs only the rows of one award id (an exact duplicate shares
//! its id; an award is one id under one vehicle), so memory holds one id's rows, the
//! recipients seen (for assigning companies, which needs them all) and the engine's budget.
//! Awards wait in a file until the companies are assigned, then are placed one by one.

pub mod generate;

use contract_lens::dataset::Dataset;
use contract_lens::import::awards::{aggregate_piid, Award};
use contract_lens::import::companies::{assign_recipients, Assignment, Recipients};
use contract_lens::import::rows::Row;
use contract_lens::import::{
    add_placement, drop_duplicates, placed_companies, read_sources, spending_sources, ImportError,
    Imported, Placement, Placer, SourceConfig, SourceDates,
};
use datafusion::arrow::array::{
    Array, ArrayRef, BooleanArray, BooleanBuilder, Float64Array, Float64Builder, RecordBatch,
    StringArray, StringBuilder, UInt64Array, UInt64Builder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::streaming::StreamingTable;
use datafusion::error::DataFusionError;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::execution::TaskContext;
use datafusion::physical_plan::stream::RecordBatchReceiverStreamBuilder;
use datafusion::physical_plan::streaming::PartitionStream;
use datafusion::physical_plan::{execute_stream, ExecutionPlan, SendableRecordBatchStream};
use datafusion::prelude::{col, SessionConfig, SessionContext};
use futures::StreamExt;
use std::collections::BTreeMap;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// How much the engine may hold, and where it spills.
#[derive(Debug, Clone)]
pub struct Options {
    /// The engine's memory budget in bytes; a sort that outgrows it spills to disk.
    pub memory_limit: usize,
    /// Where spill files go (the engine's sorted runs, and the awards until they are placed).
    pub spill_dir: PathBuf,
    /// Rows per Arrow batch. While the engine merges its sorted runs, every run holds a few
    /// batches in memory, beyond its budget: 2048 rows kept the peak flat from 1M to 10M rows
    /// (8192 rows: 0.66 to 1.24 GiB, 26 runs open).
    pub batch_rows: usize,
}

impl Options {
    /// A budget of `memory_limit` bytes, spilling under `spill_dir`.
    pub fn new(memory_limit: usize, spill_dir: impl Into<PathBuf>) -> Options {
        Options {
            memory_limit,
            spill_dir: spill_dir.into(),
            batch_rows: 2048,
        }
    }
}

/// What an import read and what the engine did with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Rows kept, and exact duplicates dropped.
    pub rows: usize,
    pub duplicates: usize,
    pub awards: usize,
    /// Bytes and files the engine's sort wrote to disk.
    pub spilled_bytes: usize,
    pub spill_files: usize,
}

/// Imports `sources` like [`contract_lens::import::import`], in bounded memory, and collects
/// the companies in memory: the output of the small path, to the byte.
pub fn import(
    dataset: &Dataset,
    sources: &[SourceConfig],
    options: &Options,
) -> Result<(Imported, Report), ImportError> {
    let mut out = BTreeMap::new();
    let done = import_into(dataset, sources, options, |placer, placement| {
        add_placement(&mut out, placer, placement)
    })?;
    Ok((
        Imported {
            companies: placed_companies(out),
            sources: done.sources,
            rows: done.report.rows,
            duplicates: done.report.duplicates,
            company_of: done.assignment.company_of,
        },
        done.report,
    ))
}

/// What [`import_into`] gives besides the placements.
pub struct Done {
    pub sources: Vec<contract_lens::dataset::SpendingSource>,
    pub assignment: Assignment,
    pub report: Report,
}

/// Imports `sources`, handing each award's placements to `put` in award id order, so that
/// the caller chooses whether the output is held or written out.
pub fn import_into(
    dataset: &Dataset,
    sources: &[SourceConfig],
    options: &Options,
    mut put: impl FnMut(&Placer, Placement<'_>),
) -> Result<Done, ImportError> {
    std::fs::create_dir_all(&options.spill_dir).map_err(|e| file_error(&options.spill_dir, e))?;
    // One file per import, even for imports running side by side in one process.
    static IMPORTS: AtomicUsize = AtomicUsize::new(0);
    let awards_path = options.spill_dir.join(format!(
        "awards-{}-{}.postcard",
        std::process::id(),
        IMPORTS.fetch_add(1, Ordering::Relaxed)
    ));
    let outcome = import_through(dataset, sources, options, &awards_path, &mut put);
    // The awards file is removed whether the import succeeded or failed.
    let removed = std::fs::remove_file(&awards_path);
    let done = outcome?;
    removed.map_err(|e| file_error(&awards_path, e))?;
    Ok(done)
}

fn import_through(
    dataset: &Dataset,
    sources: &[SourceConfig],
    options: &Options,
    awards_path: &Path,
    put: &mut impl FnMut(&Placer, Placement<'_>),
) -> Result<Done, ImportError> {
    let mut awards_file = AwardFile::create(awards_path)?;

    let source_ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let mut dates = vec![SourceDates::default(); sources.len()];
    let mut recipients = Recipients::default();
    let mut report = Report {
        rows: 0,
        duplicates: 0,
        awards: 0,
        spilled_bytes: 0,
        spill_files: 0,
    };
    let mut group: Vec<Row> = Vec::new();
    let mut take_group = |group: &mut Vec<Row>| -> Result<(), ImportError> {
        let read = group.len();
        let rows = drop_duplicates(std::mem::take(group));
        report.duplicates += read - rows.len();
        report.rows += rows.len();
        for row in &rows {
            recipients.add(row);
            dates[row.source].add(row);
        }
        let refs: Vec<&Row> = rows.iter().collect();
        for award in aggregate_piid(dataset, &refs, &source_ids)? {
            awards_file.write(&award)?;
            report.awards += 1;
        }
        Ok(())
    };

    let reader = RowReader::new(sources, options.batch_rows);
    let decorations = reader.decorations.clone();
    let failure = reader.failure.clone();
    let spill = sorted_by_award(reader, options, |batch| {
        for row in rows_of(batch) {
            if group.first().is_some_and(|first| first.piid != row.piid) {
                take_group(&mut group)?;
            }
            group.push(row);
        }
        Ok(())
    })
    .map_err(|e| match failure.lock().expect("not poisoned").take() {
        // The reader's own error, with its file and line, rather than the engine's wrapper.
        Some(own) => own,
        None => e,
    })?;
    take_group(&mut group)?;
    (report.spilled_bytes, report.spill_files) = spill;

    let decorations = decorations.lock().expect("not poisoned").take();
    let assignment = assign_recipients(dataset, &recipients, &decorations.unwrap_or_default());
    let sources = spending_sources(sources, &dates)?;
    let placer = Placer::new(dataset, &assignment);
    let mut awards = AwardFile::open(awards_file.finish()?)?;
    while let Some(award) = awards.next()? {
        placer.place(award, |placement| put(&placer, placement));
    }
    Ok(Done {
        sources,
        assignment,
        report,
    })
}

fn file_error(path: &Path, e: impl std::fmt::Display) -> ImportError {
    ImportError {
        file: path.to_path_buf(),
        line: 0,
        reason: e.to_string(),
    }
}

/// An error of no file: the engine's, or its runtime's.
fn fileless_error(reason: String) -> ImportError {
    ImportError {
        file: PathBuf::new(),
        line: 0,
        reason,
    }
}

fn engine_error(e: DataFusionError) -> ImportError {
    fileless_error(format!("query engine: {e}"))
}

/// Runs the reader's rows through the engine's sort by award id (then by the order they were
/// read), handing each sorted batch to `each`; gives the bytes and files the sort spilled.
fn sorted_by_award(
    reader: RowReader,
    options: &Options,
    mut each: impl FnMut(&RecordBatch) -> Result<(), ImportError>,
) -> Result<(usize, usize), ImportError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| fileless_error(format!("query engine runtime: {e}")))?;
    runtime.block_on(async {
        let env = RuntimeEnvBuilder::new()
            .with_memory_limit(options.memory_limit, 1.0)
            .with_temp_file_path(&options.spill_dir)
            .build_arc()
            .map_err(engine_error)?;
        let config = SessionConfig::new().with_batch_size(options.batch_rows);
        let context = SessionContext::new_with_config_rt(config, env);
        let table = StreamingTable::try_new(reader.schema.clone(), vec![Arc::new(reader)])
            .map_err(engine_error)?;
        // SELECT * FROM transactions ORDER BY piid, seq
        let frame = context
            .read_table(Arc::new(table))
            .and_then(|f| {
                f.sort(vec![
                    col("piid").sort(true, false),
                    col("seq").sort(true, false),
                ])
            })
            .map_err(engine_error)?;
        let plan = frame.create_physical_plan().await.map_err(engine_error)?;
        let mut stream = execute_stream(plan.clone(), context.task_ctx()).map_err(engine_error)?;
        while let Some(batch) = stream.next().await {
            each(&batch.map_err(engine_error)?)?;
        }
        Ok(spilled(plan.as_ref()))
    })
}

/// Bytes and files spilled anywhere in `plan`.
fn spilled(plan: &dyn ExecutionPlan) -> (usize, usize) {
    let own = plan.metrics().map_or((0, 0), |m| {
        (m.spilled_bytes().unwrap_or(0), m.spill_count().unwrap_or(0))
    });
    plan.children()
        .into_iter()
        .fold(own, |(bytes, files), child| {
            let (b, f) = spilled(child.as_ref());
            (bytes + b, files + f)
        })
}

/// Columns of a row in the engine: its fields, and `seq`, the order it was read in.
macro_rules! columns {
    ($m:ident) => {
        $m! {
            strings: [file, piid, parent_piid, modification, agency, sub_agency, recipient,
                      recipient_parent, duns, parent_duns, award_description, description,
                      product_or_service, award_key, link],
            dates: [action_date, start, end, potential_end],
            amounts: [obligation, total_obligated, potential],
            flags: [sub_agency_is_code, vehicle],
            counts: [source, line]
        }
    };
}

macro_rules! schema {
    (strings: [$($s:ident),*], dates: [$($d:ident),*], amounts: [$($a:ident),*],
     flags: [$($f:ident),*], counts: [$($c:ident),*]) => {
        fn schema() -> SchemaRef {
            Arc::new(Schema::new(vec![
                Field::new("seq", DataType::UInt64, false),
                $(Field::new(stringify!($s), DataType::Utf8, false),)*
                $(Field::new(stringify!($d), DataType::Utf8, true),)*
                $(Field::new(stringify!($a), DataType::Float64, true),)*
                $(Field::new(stringify!($f), DataType::Boolean, false),)*
                $(Field::new(stringify!($c), DataType::UInt64, false),)*
            ]))
        }
    };
}
columns!(schema);

macro_rules! batch_builder {
    (strings: [$($s:ident),*], dates: [$($d:ident),*], amounts: [$($a:ident),*],
     flags: [$($f:ident),*], counts: [$($c:ident),*]) => {
        /// Rows into one Arrow batch, column by column.
        #[derive(Default)]
        struct BatchBuilder {
            seq: UInt64Builder,
            $($s: StringBuilder,)*
            $($d: StringBuilder,)*
            $($a: Float64Builder,)*
            $($f: BooleanBuilder,)*
            $($c: UInt64Builder,)*
            len: usize,
        }

        impl BatchBuilder {
            fn push(&mut self, seq: u64, row: Row) {
                self.seq.append_value(seq);
                $(self.$s.append_value(&row.$s);)*
                $(self.$d.append_option(row.$d.as_deref());)*
                $(self.$a.append_option(row.$a);)*
                $(self.$f.append_value(row.$f);)*
                $(self.$c.append_value(row.$c as u64);)*
                self.len += 1;
            }

            fn finish(&mut self, schema: &SchemaRef) -> Result<RecordBatch, DataFusionError> {
                self.len = 0;
                let columns: Vec<ArrayRef> = vec![
                    Arc::new(self.seq.finish()),
                    $(Arc::new(self.$s.finish()),)*
                    $(Arc::new(self.$d.finish()),)*
                    $(Arc::new(self.$a.finish()),)*
                    $(Arc::new(self.$f.finish()),)*
                    $(Arc::new(self.$c.finish()),)*
                ];
                Ok(RecordBatch::try_new(schema.clone(), columns)?)
            }
        }

        /// The rows of a sorted batch, back as the importer's rows.
        fn rows_of(batch: &RecordBatch) -> Vec<Row> {
            fn column<'b, T: 'static>(batch: &'b RecordBatch, name: &str) -> &'b T {
                batch
                    .column_by_name(name)
                    .and_then(|c| c.as_any().downcast_ref::<T>())
                    .expect("the engine keeps the schema it was given")
            }
            $(let $s = column::<StringArray>(batch, stringify!($s));)*
            $(let $d = column::<StringArray>(batch, stringify!($d));)*
            $(let $a = column::<Float64Array>(batch, stringify!($a));)*
            $(let $f = column::<BooleanArray>(batch, stringify!($f));)*
            $(let $c = column::<UInt64Array>(batch, stringify!($c));)*
            (0..batch.num_rows())
                .map(|i| Row {
                    $($s: $s.value(i).to_string(),)*
                    $($d: $d.is_valid(i).then(|| $d.value(i).to_string()),)*
                    $($a: $a.is_valid(i).then(|| $a.value(i)),)*
                    $($f: $f.value(i),)*
                    $($c: $c.value(i) as _,)*
                })
                .collect()
        }
    };
}
columns!(batch_builder);

/// The sources' rows as one stream of batches, read on a blocking thread of the engine's.
struct RowReader {
    schema: SchemaRef,
    sources: Vec<SourceConfig>,
    batch_rows: usize,
    /// The sources' readable recipient names, once every file is read.
    decorations: Arc<Mutex<Option<BTreeMap<String, String>>>>,
    /// A records file's own error, kept whole for the caller.
    failure: Arc<Mutex<Option<ImportError>>>,
}

impl RowReader {
    fn new(sources: &[SourceConfig], batch_rows: usize) -> RowReader {
        RowReader {
            schema: schema(),
            sources: sources.to_vec(),
            batch_rows,
            decorations: Arc::default(),
            failure: Arc::default(),
        }
    }
}

impl std::fmt::Debug for RowReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowReader")
            .field("sources", &self.sources.len())
            .finish()
    }
}

impl PartitionStream for RowReader {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _context: Arc<TaskContext>) -> SendableRecordBatchStream {
        let mut builder = RecordBatchReceiverStreamBuilder::new(self.schema.clone(), 2);
        let tx = builder.tx();
        let (schema, sources, batch_rows) =
            (self.schema.clone(), self.sources.clone(), self.batch_rows);
        let (decorations, failure) = (self.decorations.clone(), self.failure.clone());
        builder.spawn_blocking(move || {
            let mut batch = BatchBuilder::default();
            let mut seq = 0u64;
            // The consumer stops reading when it fails (an unknown agency, say): that error is
            // the one to report, not this thread's failed send.
            let mut consumer_gone = false;
            let mut send = |batch: RecordBatch| -> Result<(), ImportError> {
                tx.blocking_send(Ok(batch)).map_err(|_| {
                    consumer_gone = true;
                    fileless_error("the engine stopped reading".into())
                })
            };
            let read = read_sources(&sources, |row| {
                batch.push(seq, row);
                seq += 1;
                if batch.len == batch_rows {
                    send(batch.finish(&schema).map_err(engine_error)?)?;
                }
                Ok(())
            })
            .and_then(|names| {
                send(batch.finish(&schema).map_err(engine_error)?)?;
                Ok(names)
            });
            match read {
                Ok(names) => {
                    *decorations.lock().expect("not poisoned") = Some(names);
                    Ok(())
                }
                Err(_) if consumer_gone => Ok(()),
                // The engine's error type carries no file and line: the reader's is kept apart.
                Err(e) => {
                    let message = e.to_string();
                    *failure.lock().expect("not poisoned") = Some(e);
                    Err(DataFusionError::Execution(message))
                }
            }
        });
        builder.build()
    }
}

/// Awards written one after another (a length, then the award as postcard), read back in the
/// same order once the companies are assigned.
struct AwardFile<T> {
    path: PathBuf,
    inner: T,
}

impl AwardFile<BufWriter<std::fs::File>> {
    fn create(path: &Path) -> Result<Self, ImportError> {
        let file = std::fs::File::create(path).map_err(|e| file_error(path, e))?;
        Ok(AwardFile {
            path: path.to_path_buf(),
            inner: BufWriter::with_capacity(1 << 20, file),
        })
    }

    fn write(&mut self, award: &Award) -> Result<(), ImportError> {
        let bytes = postcard::to_stdvec(award).map_err(|e| file_error(&self.path, e))?;
        self.inner
            .write_all(&(bytes.len() as u32).to_le_bytes())
            .and_then(|()| self.inner.write_all(&bytes))
            .map_err(|e| file_error(&self.path, e))
    }

    fn finish(mut self) -> Result<PathBuf, ImportError> {
        self.inner.flush().map_err(|e| file_error(&self.path, e))?;
        Ok(self.path)
    }
}

impl AwardFile<BufReader<std::fs::File>> {
    fn open(path: PathBuf) -> Result<Self, ImportError> {
        let file = std::fs::File::open(&path).map_err(|e| file_error(&path, e))?;
        Ok(AwardFile {
            path,
            inner: BufReader::with_capacity(1 << 20, file),
        })
    }

    fn next(&mut self) -> Result<Option<Award>, ImportError> {
        let mut length = [0u8; 4];
        match self.inner.read_exact(&mut length) {
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            other => other.map_err(|e| file_error(&self.path, e))?,
        }
        let mut bytes = vec![0u8; u32::from_le_bytes(length) as usize];
        self.inner
            .read_exact(&mut bytes)
            .map_err(|e| file_error(&self.path, e))?;
        postcard::from_bytes(&bytes)
            .map(Some)
            .map_err(|e| file_error(&self.path, e))
    }
}
