//! `seventime resources`, `list` and `get`: every resource of the spec through one set of
//! commands, driven by `seventime::catalog` (the spec's `x-resource` marks), with no code per
//! resource.
//!
//! `list --all` streams: each page is written as it arrives, so the first records appear
//! before the last page is requested, and a reader that goes away (`| head`) stops the
//! requests.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use clap::Args;
use futures_util::TryStreamExt;
use serde_json::Value;
use std::sync::Arc;

use seventime::catalog::{self, Resource};
use seventime::custom_fields::{FieldValue, ResolvedField};
use seventime::{Client, FieldConfiguration, Page, Timestamp};

use crate::failure::{Class, Failure};
use crate::output::{self, Format, Table};

/// Arguments of `seventime list`.
#[derive(Args)]
pub struct ListArgs {
    /// The resource, as `seventime resources` names it (customers, work-orders, …).
    resource: String,

    /// Every record of every page, streamed (paginated lists; lookups always come whole).
    #[arg(long)]
    all: bool,

    /// Records per request, 1–500. Default: 100 for one page, 500 with --all.
    #[arg(long, value_name = "N")]
    limit: Option<u64>,

    /// The page to show (from 1); with --all, the first page to stream from.
    #[arg(long, value_name = "N")]
    page: Option<u64>,

    /// Only records modified at or after this moment (YYYY-MM-DD[ HH:MM[:SS]]).
    #[arg(long, value_name = "TIMESTAMP")]
    since: Option<Timestamp>,

    /// Sort by this property (for example name).
    #[arg(long, value_name = "PROPERTY")]
    sort_by: Option<String>,

    /// Sort order, with --sort-by.
    #[arg(long, value_name = "DIRECTION", value_parser = ["ascending", "descending"], requires = "sort_by")]
    sort_direction: Option<String>,

    /// A filter of the resource, as NAME=VALUE (repeatable); `seventime resources` lists them.
    #[arg(long = "filter", value_name = "NAME=VALUE", value_parser = parse_filter)]
    filters: Vec<(String, String)>,

    /// Resolve custom fields by the entity type's field configuration: `customFieldValues`
    /// (field name → typed value) in json/jsonl, a column per custom field in a table.
    #[arg(long)]
    custom_fields: bool,

    /// Table columns instead of the spec's, comma-separated: properties as on the wire
    /// (customerNumber) or, with --custom-fields, custom field names.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    columns: Vec<String>,
}

/// Arguments of `seventime get`.
#[derive(Args)]
pub struct GetArgs {
    /// The resource, as `seventime resources` names it.
    resource: String,
    /// The record's `_id`.
    id: String,
}

fn parse_filter(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!(
            "`{text}` is not NAME=VALUE; write for example --filter city=Stockholm"
        )),
    }
}

fn find(name: &str) -> Result<&'static Resource, Failure> {
    catalog::resource(name).ok_or_else(|| {
        let known: Vec<&str> = catalog::resources().iter().map(|r| r.name).collect();
        let near: Vec<&str> = known
            .iter()
            .copied()
            .filter(|k| k.contains(name) || name.contains(k.trim_end_matches('s')))
            .collect();
        let hint = if near.is_empty() {
            format!("the resources are: {}", known.join(", "))
        } else {
            format!("did you mean {}?", near.join(" or "))
        };
        Failure::new(
            Class::Usage,
            format!("unknown resource `{name}`; {hint} (`seventime resources` lists them)"),
        )
    })
}

/// `seventime resources`: what can be listed, from the spec.
pub fn resources(format: Format) -> String {
    let described: Vec<Value> = catalog::resources()
        .iter()
        .map(|resource| {
            let filters: Vec<&str> = resource
                .list
                .parameters
                .iter()
                .map(|p| p.name)
                .filter(|name| !matches!(*name, "limit" | "page"))
                .collect();
            serde_json::json!({
                "name": resource.name,
                "list": resource.list.id,
                "paginated": resource.list.paginated,
                "get": resource.get.as_ref().map(|get| get.id),
                "filters": filters,
                "entityType": resource.entity_type.map(|e| e.code()),
                "columns": resource.columns,
            })
        })
        .collect();
    match format {
        Format::Json => output::json(&described),
        Format::Jsonl => output::json_lines(&described),
        Format::Table => {
            let mut table = Table::new(["RESOURCE", "PAGED", "GET", "SINCE", "SORT", "FILTERS"]);
            for resource in catalog::resources() {
                let has = |name: &str| resource.list.parameters.iter().any(|p| p.name == name);
                let filters: Vec<&str> = resource
                    .list
                    .parameters
                    .iter()
                    .map(|p| p.name)
                    .filter(|name| {
                        !matches!(
                            *name,
                            "limit" | "page" | "lastModified" | "sortBy" | "sortDirection"
                        )
                    })
                    .collect();
                let yes_no = |flag: bool| if flag { "yes" } else { "no" }.to_string();
                table.row([
                    resource.name.to_string(),
                    yes_no(resource.list.paginated),
                    yes_no(resource.get.is_some()),
                    yes_no(has("lastModified")),
                    yes_no(has("sortBy")),
                    if filters.is_empty() {
                        "-".to_string()
                    } else {
                        filters.join(",")
                    },
                ]);
            }
            table.render()
        }
    }
}

/// `seventime get`.
pub async fn get(
    client: &Client,
    base_url: &str,
    args: &GetArgs,
    format: Format,
) -> Result<String, Failure> {
    let resource = find(&args.resource)?;
    if resource.get.is_none() {
        return Err(Failure::new(
            Class::Usage,
            format!(
                "the API has no get-by-id for `{}`; use `seventime list {}` with --filter",
                resource.name, resource.name
            ),
        ));
    }
    let mut record = resource
        .get(client, &args.id)
        .await
        .map_err(|error| Failure::from_api(&error, base_url))?;
    let resolved = match configuration(client, base_url, resource, false).await? {
        Some(configuration) => configuration.resolve_json(&record["customFields"]),
        None => Vec::new(),
    };
    Ok(match format {
        Format::Json | Format::Jsonl => {
            if resource.entity_type.is_some() {
                annotate(&mut record, &resolved);
            }
            if format == Format::Json {
                output::json(&record)
            } else {
                output::json_lines([&record])
            }
        }
        Format::Table => {
            let mut table = Table::new(["PROPERTY", "VALUE"]);
            if let Some(fields) = record.as_object() {
                for (name, value) in fields {
                    table.row([name.clone(), cell(value)]);
                }
            }
            for field in &resolved {
                table.row([
                    format!("customFields: {}", label(field)),
                    show(&field.value),
                ]);
            }
            table.render()
        }
    })
}

/// The field configuration for `resource`'s custom fields, if its records have any. `required`:
/// the user asked for custom fields, so a resource without them is a usage error.
async fn configuration(
    client: &Client,
    base_url: &str,
    resource: &Resource,
    required: bool,
) -> Result<Option<Arc<FieldConfiguration>>, Failure> {
    let Some(entity) = resource.entity_type else {
        if required {
            let with: Vec<&str> = catalog::resources()
                .iter()
                .filter(|r| r.entity_type.is_some())
                .map(|r| r.name)
                .collect();
            return Err(Failure::new(
                Class::Usage,
                format!(
                    "`{}` records have no custom fields; these do: {}",
                    resource.name,
                    with.join(", ")
                ),
            ));
        }
        return Ok(None);
    };
    client
        .field_configuration(entity)
        .await
        .map(Some)
        .map_err(|error| Failure::from_api(&error, base_url))
}

/// A resolved field's name, or its id when the configuration does not know it.
fn label(field: &ResolvedField) -> String {
    field
        .name
        .as_deref()
        .map_or_else(|| format!("? {}", field.field_id), str::to_string)
}

/// A resolved value for a table cell; a value left raw says why.
fn show(value: &FieldValue) -> String {
    match value {
        FieldValue::Unresolved { value, reason } => {
            format!("{} (unresolved: {reason})", output::compact(value))
        }
        FieldValue::Empty => "-".to_string(),
        other => other.to_string(),
    }
}

/// Adds `customFieldValues` (field name → typed value) to `record`, and `customFieldIssues`
/// (field name or id → why it stayed raw) when a value could not be resolved. The raw
/// `customFields` stays as the service sent it.
fn annotate(record: &mut Value, resolved: &[ResolvedField]) {
    let Some(fields) = record.as_object_mut() else {
        return;
    };
    let mut values = serde_json::Map::new();
    let mut issues = serde_json::Map::new();
    for field in resolved {
        let key = field.name.as_deref().unwrap_or(&field.field_id).to_string();
        if let FieldValue::Unresolved { reason, .. } = &field.value {
            issues.insert(key.clone(), Value::String(reason.to_string()));
        }
        values.insert(key, field.value.to_json());
    }
    fields.insert("customFieldValues".into(), Value::Object(values));
    if !issues.is_empty() {
        fields.insert("customFieldIssues".into(), Value::Object(issues));
    }
}

/// `seventime list`: writes to stdout as pages arrive.
pub async fn list(
    client: &Client,
    base_url: &str,
    args: &ListArgs,
    format: Format,
) -> Result<(), Failure> {
    let resource = find(&args.resource)?;
    let paginated = resource.list.paginated;
    if !paginated && (args.limit.is_some() || args.page.is_some()) {
        return Err(Failure::new(
            Class::Usage,
            format!(
                "`{}` is a lookup that comes whole; --limit and --page do not apply",
                resource.name
            ),
        ));
    }
    let mut parameters: Vec<(String, String)> = Vec::new();
    if let Some(limit) = args.limit {
        parameters.push(("limit".into(), limit.to_string()));
    } else if paginated && !args.all {
        // One page, as many records as the service gives without a limit.
        parameters.push(("limit".into(), "100".into()));
    }
    if let Some(page) = args.page {
        parameters.push(("page".into(), page.to_string()));
    }
    let parameter = |name: &str, value: String| (name.to_string(), value);
    if let Some(since) = args.since {
        parameters.push(parameter("lastModified", since.to_string()));
    }
    if let Some(sort_by) = &args.sort_by {
        parameters.push(parameter("sortBy", sort_by.clone()));
    }
    if let Some(direction) = &args.sort_direction {
        parameters.push(parameter("sortDirection", direction.clone()));
    }
    parameters.extend(args.filters.iter().cloned());

    let listing = resource
        .list(client, &parameters)
        .map_err(|error| Failure::new(Class::Usage, error.to_string()))?;
    let configuration = if args.custom_fields {
        configuration(client, base_url, resource, true).await?
    } else {
        None
    };
    let mut pages = listing.pages();
    let mut writer = Writer::new(resource, format, configuration, &args.columns)?;
    let mut progress = Progress::new(args.all && paginated);
    loop {
        let page = pages.try_next().await.map_err(|error| {
            progress.clear();
            let failure = Failure::from_api(error.error(), base_url);
            Failure::new(
                failure.class,
                format!(
                    "{} (page {} of `{}`; records before it were written)",
                    failure.message,
                    error.page(),
                    error.operation()
                ),
            )
        })?;
        let Some(page) = page else { break };
        progress.page(&page);
        let done = !args.all;
        if !writer.page(page)? {
            // The reader went away: stop requesting.
            progress.clear();
            return Ok(());
        }
        if done {
            break;
        }
    }
    progress.clear();
    writer.finish()
}

/// Writes records in the chosen format, page by page, to stdout.
struct Writer {
    resource: &'static Resource,
    format: Format,
    /// Table column widths, fixed by the first page.
    widths: Option<Vec<usize>>,
    /// Whether the table starts with an `_id` column, fixed by the first page: a few lookups
    /// (user roles) have records without one.
    with_id: Option<bool>,
    records: usize,
    stdout: std::io::Stdout,
    /// With --custom-fields: the configuration the records' values resolve by.
    configuration: Option<Arc<FieldConfiguration>>,
    /// The table's columns, when --columns or --custom-fields chose them.
    chosen: Option<Vec<Column>>,
}

/// A column of the table.
#[derive(Clone)]
enum Column {
    /// A property of the record, as on the wire.
    Property(String),
    /// A custom field, by its `fieldName`.
    Custom(String),
}

impl Writer {
    fn new(
        resource: &'static Resource,
        format: Format,
        configuration: Option<Arc<FieldConfiguration>>,
        columns: &[String],
    ) -> Result<Self, Failure> {
        let custom_names: Vec<String> = configuration
            .iter()
            .flat_map(|c| c.custom_fields())
            .filter_map(|field| field.field_name.clone())
            .collect();
        let chosen = if !columns.is_empty() {
            let mut chosen = Vec::new();
            for name in columns {
                let name = name.trim();
                if let Some(custom) = custom_names.iter().find(|c| c.eq_ignore_ascii_case(name)) {
                    chosen.push(Column::Custom(custom.clone()));
                } else if name.is_empty() {
                    return Err(Failure::new(Class::Usage, "--columns has an empty name"));
                } else {
                    chosen.push(Column::Property(name.to_string()));
                }
            }
            Some(chosen)
        } else if configuration.is_some() {
            let mut chosen: Vec<Column> = std::iter::once("_id")
                .chain(resource.columns.iter().copied())
                .map(|c| Column::Property(c.to_string()))
                .collect();
            chosen.extend(custom_names.into_iter().map(Column::Custom));
            Some(chosen)
        } else {
            None
        };
        Ok(Self {
            resource,
            format,
            widths: None,
            with_id: None,
            records: 0,
            stdout: std::io::stdout(),
            configuration,
            chosen,
        })
    }

    fn columns(&self) -> Vec<Column> {
        if let Some(chosen) = &self.chosen {
            return chosen.clone();
        }
        let mut columns = Vec::new();
        if self.with_id.unwrap_or(true) {
            columns.push(Column::Property("_id".into()));
        }
        columns.extend(
            self.resource
                .columns
                .iter()
                .map(|c| Column::Property(c.to_string())),
        );
        columns
    }

    /// Writes a page; false when stdout is closed.
    fn page(&mut self, mut page: Page<Value>) -> Result<bool, Failure> {
        if let Some(configuration) = &self.configuration
            && self.format != Format::Table
        {
            for record in &mut page.items {
                let resolved = configuration.resolve_json(&record["customFields"]);
                annotate(record, &resolved);
            }
        }
        let text = match self.format {
            Format::Jsonl => output::json_lines(&page.items),
            Format::Json => {
                let mut text = String::new();
                for record in &page.items {
                    text.push_str(if self.records == 0 { "[\n" } else { ",\n" });
                    let pretty = serde_json::to_string_pretty(record).unwrap_or_default();
                    for (n, line) in pretty.lines().enumerate() {
                        if n > 0 {
                            text.push('\n');
                        }
                        text.push_str("  ");
                        text.push_str(line);
                    }
                    self.records += 1;
                }
                text
            }
            Format::Table => self.table_rows(&page.items),
        };
        if self.format != Format::Json {
            self.records += page.items.len();
        }
        self.write(&text)
    }

    fn table_rows(&mut self, records: &[Value]) -> String {
        if self.with_id.is_none() {
            self.with_id = Some(
                records.is_empty() || records.iter().any(|record| record.get("_id").is_some()),
            );
        }
        let columns = self.columns();
        let header: Vec<String> = columns
            .iter()
            .map(|column| match column {
                Column::Property(name) => heading(name),
                Column::Custom(name) => name.to_uppercase(),
            })
            .collect();
        let rows: Vec<Vec<String>> = records
            .iter()
            .map(|record| {
                let resolved = self
                    .configuration
                    .as_ref()
                    .map(|c| c.resolve_json(&record["customFields"]))
                    .unwrap_or_default();
                columns
                    .iter()
                    .map(|column| match column {
                        Column::Property(name) => {
                            record.get(name).map_or_else(|| "-".to_string(), cell)
                        }
                        Column::Custom(name) => resolved
                            .iter()
                            .find(|field| field.name.as_deref() == Some(name.as_str()))
                            .map_or_else(|| "-".to_string(), |field| show(&field.value)),
                    })
                    .collect()
            })
            .collect();
        let mut text = String::new();
        if self.widths.is_none() {
            self.widths = Some(
                (0..columns.len())
                    .map(|i| {
                        std::iter::once(&header)
                            .chain(&rows)
                            .map(|row| row[i].chars().count())
                            .max()
                            .unwrap_or(0)
                    })
                    .collect(),
            );
            text.push_str(&line(&header, self.widths.as_deref().unwrap_or_default()));
        }
        for row in &rows {
            text.push_str(&line(row, self.widths.as_deref().unwrap_or_default()));
        }
        text
    }

    fn finish(mut self) -> Result<(), Failure> {
        let tail = match self.format {
            Format::Json if self.records == 0 => "[]\n".to_string(),
            Format::Json => "\n]\n".to_string(),
            Format::Table if self.records == 0 => {
                let mut text = String::new();
                if self.widths.is_none() {
                    text.push_str(&self.table_rows(&[]));
                }
                text.push_str("(no records)\n");
                text
            }
            _ => String::new(),
        };
        self.write(&tail).map(|_| ())
    }

    fn write(&mut self, text: &str) -> Result<bool, Failure> {
        let mut stdout = self.stdout.lock();
        match stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
        {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
            Err(error) => Err(Failure::new(
                Class::Internal,
                format!("cannot write the output: {error}"),
            )),
        }
    }
}

/// `customerNumber` → `CUSTOMER NUMBER`.
fn heading(property: &str) -> String {
    if property == "_id" {
        return "ID".to_string();
    }
    let mut out = String::new();
    for (i, c) in property.trim_start_matches('_').chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_uppercase());
    }
    out
}

fn line(cells: &[String], widths: &[usize]) -> String {
    let mut text = String::new();
    for (cell, width) in cells.iter().zip(widths) {
        text.push_str(cell);
        text.extend(std::iter::repeat_n(
            ' ',
            width.saturating_sub(cell.chars().count()) + 2,
        ));
    }
    let mut text = text.trim_end().to_string();
    text.push('\n');
    text
}

/// A value in one table cell: text as is, nested values in short.
fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => "-".to_string(),
        Value::Bool(true) => "yes".to_string(),
        Value::Bool(false) => "no".to_string(),
        Value::Array(items) if items.is_empty() => "-".to_string(),
        Value::Array(items) => format!("[{} items]", items.len()),
        other => output::compact(other),
    };
    let text = text.replace(['\n', '\r', '\t'], " ");
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// A one-line progress display on stderr for `--all`, only when stderr is a terminal.
struct Progress {
    enabled: bool,
    started: Instant,
    records: u64,
}

impl Progress {
    fn new(wanted: bool) -> Self {
        Self {
            enabled: wanted && std::io::stderr().is_terminal(),
            started: Instant::now(),
            records: 0,
        }
    }

    fn page(&mut self, page: &Page<Value>) {
        self.records += page.items.len() as u64;
        if !self.enabled {
            return;
        }
        let total_pages = page.total_pages.max(page.number);
        let fraction = page.number as f64 / total_pages.max(1) as f64;
        let elapsed = self.started.elapsed().as_secs_f64();
        let eta = if fraction > 0.0 && fraction < 1.0 {
            format!(" · about {:.0} s left", elapsed / fraction - elapsed)
        } else {
            String::new()
        };
        let width = 24usize;
        let filled = ((fraction * width as f64).round() as usize).min(width);
        eprint!(
            "\r[{}{}] page {}/{} · {}/{} records{eta}\x1b[K",
            "#".repeat(filled),
            " ".repeat(width - filled),
            page.number,
            total_pages,
            self.records,
            page.total_records,
        );
    }

    fn clear(&self) {
        if self.enabled {
            eprint!("\r\x1b[K");
        }
    }
}
