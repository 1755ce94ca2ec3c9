//! The writer of `seventime list` (and of `get -o csv`): records in the chosen format, page by
//! page, and the columns and cells of a table or CSV.

use std::io::Write;
use std::sync::Arc;

use serde_json::Value;

use seventime::catalog::Resource;
use seventime::{FieldConfiguration, FieldValue};

use super::custom_fields::{annotate, show};
use crate::failure::{Class, Failure};
use crate::output::{self, Format};

/// Writes records in the chosen format, page by page, to stdout.
pub(super) struct Writer {
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
    /// Whether the CSV header line is out.
    header_written: bool,
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
    pub(super) fn new(
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
            header_written: false,
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

    /// Writes a page of records; false when stdout is closed.
    pub(super) fn page(&mut self, mut items: Vec<Value>) -> Result<bool, Failure> {
        if let Some(configuration) = &self.configuration
            && matches!(self.format, Format::Json | Format::Jsonl)
        {
            for record in &mut items {
                let resolved = configuration.resolve_json(&record["customFields"]);
                annotate(record, &resolved);
            }
        }
        let text = match self.format {
            Format::Jsonl => output::json_lines(&items),
            Format::Json => {
                let mut text = String::new();
                for record in &items {
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
            Format::Table => self.table_rows(&items),
            Format::Csv => self.csv_rows(&items),
        };
        if self.format != Format::Json {
            self.records += items.len();
        }
        self.write(&text)
    }

    fn fix_id_column(&mut self, records: &[Value]) {
        if self.with_id.is_none() {
            self.with_id = Some(
                records.is_empty() || records.iter().any(|record| record.get("_id").is_some()),
            );
        }
    }

    /// The custom fields of a record, resolved, when --custom-fields asked for them.
    fn resolved(&self, record: &Value) -> Vec<seventime::custom_fields::ResolvedField> {
        self.configuration
            .as_ref()
            .map(|c| c.resolve_json(&record["customFields"]))
            .unwrap_or_default()
    }

    /// CSV lines: the header before the first page's records, then a line per record, with
    /// values in full (a table cell shortens them).
    fn csv_rows(&mut self, records: &[Value]) -> String {
        self.fix_id_column(records);
        let columns = self.columns();
        let mut lines: Vec<Vec<String>> = Vec::new();
        if !self.header_written {
            self.header_written = true;
            lines.push(
                columns
                    .iter()
                    .map(|column| match column {
                        Column::Property(name) | Column::Custom(name) => name.clone(),
                    })
                    .collect(),
            );
        }
        for record in records {
            let resolved = self.resolved(record);
            lines.push(
                columns
                    .iter()
                    .map(|column| match column {
                        Column::Property(name) => {
                            record.get(name).map_or_else(String::new, output::csv_value)
                        }
                        Column::Custom(name) => resolved
                            .iter()
                            .find(|field| field.name.as_deref() == Some(name.as_str()))
                            .map_or_else(String::new, |field| match &field.value {
                                // A number exactly as received: the resolved value is an
                                // `f64`, which would write `7` as `7.0` and round long ones.
                                FieldValue::Number(_) => wire_value(record, &field.field_id)
                                    .map_or_else(
                                        || output::csv_value(&field.value.to_json()),
                                        output::csv_value,
                                    ),
                                other => output::csv_value(&other.to_json()),
                            }),
                    })
                    .collect(),
            );
        }
        output::csv_rows(&lines)
    }

    fn table_rows(&mut self, records: &[Value]) -> String {
        self.fix_id_column(records);
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
                let resolved = self.resolved(record);
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
            let header_line = line(&header, self.widths.as_deref().unwrap_or_default());
            text.push_str(&crate::style::header(header_line.trim_end_matches('\n')));
            text.push('\n');
        }
        for row in &rows {
            text.push_str(&line(row, self.widths.as_deref().unwrap_or_default()));
        }
        text
    }

    pub(super) fn finish(mut self) -> Result<(), Failure> {
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
            Format::Csv if !self.header_written => self.csv_rows(&[]),
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
pub(super) fn cell(value: &Value) -> String {
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

/// The value of custom field `field_id` in `record` as the service sent it.
fn wire_value<'r>(record: &'r Value, field_id: &str) -> Option<&'r Value> {
    record
        .get("customFields")?
        .as_array()?
        .iter()
        .find(|value| value.get("fieldId").and_then(Value::as_str) == Some(field_id))?
        .get("value")
}
