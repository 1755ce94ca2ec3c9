//! `seventime sync`: mirrors the tenant into a SQLite file with `seventime-sync`, showing
//! progress on a terminal and a summary at the end.

mod progress;

use std::num::NonZeroU32;

use clap::Args;
use seventime::{Client, Timestamp};
use seventime_sync::{Mirror, Mode, Options, SchemaChange, SyncError};

use crate::failure::{Class, Failure};
use crate::output::{self, Format, Table};
use crate::style;
use progress::Progress;

/// `seventime sync`'s arguments.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The database: a SQLite file (created when missing), `sqlite:PATH`, or a PostgreSQL URL
    /// (`postgres://USER@HOST:PORT/DATABASE`; the password from the URL or `PGPASSWORD`).
    #[arg(
        long,
        env = "SEVENTIME_DB",
        // A PostgreSQL URL in the variable may hold a password: `--help` does not print it.
        hide_env_values = true,
        default_value = "seventime.db",
        value_name = "URL"
    )]
    db: String,
    /// Only these resources (as `seventime resources` names them), comma-separated.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    resources: Vec<String>,
    /// Read every resource whole and mark the records no longer found as deleted.
    #[arg(long)]
    full: bool,
    /// Read incremental resources from this moment (YYYY-MM-DD[ HH:MM[:SS]], UTC) instead of
    /// the saved cursor.
    #[arg(long, value_name = "TIME")]
    since: Option<Timestamp>,
    /// Make every Nth run a full pass, which finds deleted records.
    #[arg(long, value_name = "N")]
    full_every: Option<NonZeroU32>,
    /// Records per request (1–500).
    #[arg(long, default_value_t = 500, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=500))]
    page_size: u64,
    /// Resources read at the same time (the rate limit paces them together).
    #[arg(long, default_value_t = 4, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=64))]
    concurrency: u64,
    /// Print what the run would do (tables to create or change, how each resource would be
    /// read) and send nothing.
    #[arg(long)]
    pub dry_run: bool,
}

impl SyncArgs {
    fn options(&self) -> Options {
        let mut options = Options::default()
            .full(self.full)
            .full_every(self.full_every)
            .page_size(self.page_size)
            .concurrency(self.concurrency as usize);
        if !self.resources.is_empty() {
            options = options.resources(self.resources.iter().map(|r| r.trim().to_string()));
        }
        if let Some(since) = self.since {
            options = options.since(since);
        }
        options
    }
}

/// Opens the mirror: before any request, so that a wrong `--db` costs nothing. For
/// `--dry-run`, a database that does not exist is not created.
pub fn open(args: &SyncArgs) -> Result<Mirror, Failure> {
    if args.dry_run {
        Mirror::open_for_plan(&args.db)
    } else {
        Mirror::open(&args.db)
    }
    .map_err(failure)
}

/// `--dry-run`: the plan, with nothing sent.
pub fn plan(
    mirror: &Mirror,
    args: &SyncArgs,
    rate: NonZeroU32,
    format: Format,
) -> Result<String, Failure> {
    let plan = mirror.plan(&args.options()).map_err(failure)?;
    if matches!(format, Format::Json | Format::Jsonl) {
        let value = serde_json::json!({
            "database": mirror.database(),
            "schemaChanges": plan.schema_changes.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "resources": plan.resources.iter().map(|read| serde_json::json!({
                "resource": read.resource,
                "mode": read.mode.to_string(),
                "requestsAtLeast": read.requests,
            })).collect::<Vec<_>>(),
        });
        return Ok(output::json(&value));
    }
    let mut text = format!(
        "{}\n",
        style::header(&format!("Plan for {}", mirror.database()))
    );
    if plan.schema_changes.is_empty() {
        text.push_str("tables: up to date\n");
    }
    for change in &plan.schema_changes {
        text.push_str(&format!("  {change}\n"));
    }
    let mut table = Table::new(["RESOURCE", "REQUESTS", "READ"]);
    for read in &plan.resources {
        table.row([
            read.resource.to_string(),
            read.requests
                .map_or_else(|| "?".to_string(), |n| format!("≥ {n}")),
            read.mode.to_string(),
        ]);
    }
    text.push_str(&table.render_as(format));
    let known: u64 = plan.resources.iter().filter_map(|read| read.requests).sum();
    let unknown = plan
        .resources
        .iter()
        .filter(|read| read.requests.is_none())
        .count();
    text.push_str(&format!(
        "At least {known} {} ({:.1} s at {} per second){}.\n",
        if known == 1 { "request" } else { "requests" },
        known as f64 / f64::from(rate.get()),
        rate,
        if unknown > 0 {
            format!(
                ", and `?` for {unknown} {} the database holds nothing of yet: one request per {} records",
                if unknown == 1 { "resource" } else { "resources" },
                args.page_size
            )
        } else {
            String::new()
        }
    ));
    text.push_str("Nothing was sent or written (--dry-run).\n");
    Ok(text)
}

/// `seventime sync`.
pub async fn run(
    client: &Client,
    mirror: &Mirror,
    args: &SyncArgs,
    format: Format,
) -> Result<String, Failure> {
    let progress = Progress::new(!style::quiet());
    let summary = mirror
        .sync(client, &args.options(), &|event| progress.event(event))
        .await
        .map_err(failure);
    progress.clear();
    let summary = summary?;
    let created = summary
        .schema_changes
        .iter()
        .filter(|c| matches!(c, SchemaChange::CreateTable { .. }))
        .count();
    if created > 0 {
        style::note(&format!(
            "created {created} tables in {}",
            mirror.database()
        ));
    }
    for change in &summary.schema_changes {
        match change {
            SchemaChange::CreateTable { .. } => {}
            change if change.is_refused() => style::warning(&change.to_string()),
            change => style::note(&change.to_string()),
        }
    }
    for resource in &summary.resources {
        for note in &resource.notes {
            style::note(&format!("{}: {note}", resource.resource));
        }
    }
    if matches!(format, Format::Json | Format::Jsonl) {
        let value: serde_json::Value =
            serde_json::from_str(&seventime_sync::summary_json(&summary))
                .unwrap_or(serde_json::Value::Null);
        return Ok(output::json(&value));
    }
    let mut table = Table::new([
        "RESOURCE", "READ", "FETCHED", "INSERTED", "UPDATED", "DELETED", "REQUESTS", "SECONDS",
    ]);
    for r in &summary.resources {
        table.row([
            r.resource.to_string(),
            match &r.mode {
                Mode::Full { .. } => "full".to_string(),
                Mode::Incremental { .. } => "incremental".to_string(),
                Mode::Skipped { .. } => "skipped".to_string(),
                _ => r.mode.to_string(),
            },
            r.fetched.to_string(),
            r.inserted.to_string(),
            r.updated.to_string(),
            r.deleted.to_string(),
            r.requests.to_string(),
            format!("{:.1}", r.duration.as_secs_f64()),
        ]);
    }
    style::note(&format!(
        "run {} of {}: {} resources",
        summary.run,
        mirror.database(),
        summary.resources.len()
    ));
    Ok(table.render_as(format))
}

fn failure(error: SyncError) -> Failure {
    let class = match &error {
        SyncError::Usage(_) => Class::Usage,
        SyncError::Locked { .. } => Class::Usage,
        SyncError::Api { .. } => error
            .api_error()
            .map_or(Class::Network, |source| Failure::from_api(source, "").class),
        _ => Class::Internal,
    };
    Failure::new(class, error.to_string())
}
