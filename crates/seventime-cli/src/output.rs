//! Rendering results as a table for people, JSON for scripts or CSV for a spreadsheet.

use std::sync::Mutex;

use clap::ValueEnum;
use serde::Serialize;
use serde_json::Value;
use seventime::{EntityType, FieldType, ResponseValue, types};

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns, for reading.
    Table,
    /// The data as the service returned it, pretty-printed, for scripts.
    Json,
    /// One JSON value per line — one record per line for lists — for `jq` or a loader.
    Jsonl,
    /// Comma-separated values (RFC 4180) with a header line: the table's columns, values in
    /// full, nested values as compact JSON.
    Csv,
}

/// Renders any serializable value as JSON text with a final newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serializing generated types and `serde_json::Value` cannot fail (string keys only).
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Renders values as JSON lines: one compact value per line.
pub fn json_lines<'v>(values: impl IntoIterator<Item = &'v Value>) -> String {
    values.into_iter().fold(String::new(), |mut out, value| {
        out.push_str(&value.to_string());
        out.push('\n');
        out
    })
}

/// The entity types the client knows.
pub fn entity_types(format: Format) -> String {
    let records = || -> Vec<Value> {
        EntityType::KNOWN
            .iter()
            .map(|e| {
                serde_json::json!({
                    "code": e.code(),
                    "name": e.kebab_name(),
                    "label": e.label(),
                })
            })
            .collect()
    };
    match format {
        Format::Json => json(&records()),
        Format::Jsonl => json_lines(&records()),
        Format::Table | Format::Csv => {
            let mut table = Table::new(["CODE", "NAME", "LABEL"]);
            for entity in EntityType::KNOWN {
                table.row([
                    entity.code().to_string(),
                    entity.kebab_name().unwrap_or_default().to_string(),
                    entity.label().unwrap_or_default().to_string(),
                ]);
            }
            table.render_as(format)
        }
    }
}

/// The fields of an entity type.
pub fn custom_fields(fields: &types::CustomFieldList, format: Format) -> String {
    match format {
        Format::Json => return json(fields),
        Format::Jsonl => {
            let value = serde_json::to_value(fields).unwrap_or(Value::Null);
            return json_lines(
                value
                    .get("data")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
        }
        Format::Table | Format::Csv => {}
    }
    let mut table = Table::new([
        "ID", "NAME", "TYPE", "ACTIVE", "INCLUDE", "REQUIRED", "CHOICES", "OTHER",
    ]);
    for field in &fields.data {
        table.row([
            field.id.clone(),
            field.field_name.clone().unwrap_or_else(|| "-".into()),
            field.field_type.map_or_else(|| "-".into(), field_type),
            yes_no(field.is_active),
            yes_no(field.include),
            yes_no(field.required),
            field
                .select_field_data
                .iter()
                .flat_map(|choices| choices.iter())
                .map(choice)
                .collect::<Vec<_>>()
                .join(", "),
            // Properties the spec does not name are shown, not dropped.
            field
                .extra
                .iter()
                .map(|(key, value)| format!("{key}={}", compact(value)))
                .collect::<Vec<_>>()
                .join(" "),
        ]);
    }
    let mut out = table.render_as(format);
    if fields.data.is_empty() && format == Format::Table {
        out.push_str("(no fields)\n");
    }
    out
}

fn field_type(kind: FieldType) -> String {
    match kind.label() {
        Some(label) => format!("{} {label}", kind.code()),
        None => format!("{} (standard)", kind.code()),
    }
}

fn yes_no(value: Option<bool>) -> String {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "-",
    }
    .to_string()
}

/// A select-list choice: its `value` when it has one (the common shape), else the JSON.
fn choice(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Object(map) => match map.get("value") {
            Some(Value::String(text)) => text.clone(),
            _ => compact(value),
        },
        other => compact(other),
    }
}

pub fn compact(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// A value of a generated operation, rendered without knowing its type: a `{"data": [...]}`
/// list of objects becomes a table with a column per property, anything else is JSON.
pub fn any(value: &Value, format: Format) -> String {
    if format == Format::Jsonl {
        return match value.get("data") {
            Some(Value::Array(rows)) => json_lines(rows),
            _ => json_lines([value]),
        };
    }
    let tabular = matches!(format, Format::Table | Format::Csv);
    let rows = match value.get("data").and_then(Value::as_array) {
        Some(rows) if tabular && rows.iter().all(Value::is_object) => rows,
        // One record as a one-row table, in CSV.
        _ if format == Format::Csv && value.is_object() => std::slice::from_ref(value),
        _ => return json(value),
    };
    let mut columns: Vec<&str> = Vec::new();
    for row in rows.iter().filter_map(Value::as_object) {
        for key in row.keys() {
            if !columns.contains(&key.as_str()) {
                columns.push(key);
            }
        }
    }
    let mut table = Table::new(columns.iter().map(|c| c.to_string()));
    for row in rows {
        table.row(columns.iter().map(|column| match row.get(*column) {
            Some(value) if format == Format::Csv => csv_value(value),
            Some(value) => compact(value),
            None if format == Format::Csv => String::new(),
            None => "-".into(),
        }));
    }
    table.render_as(format)
}

/// A value in a CSV field: text as is, numbers and booleans as JSON writes them, nothing for
/// null, nested values as compact JSON.
pub fn csv_value(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Renders rows as CSV: fields quoted as RFC 4180 says where they need it, lines ended with
/// `\n` (not RFC 4180's CRLF), as the Unix tools that read it next expect.
pub fn csv_rows<'r, R, S>(rows: impl IntoIterator<Item = R>) -> String
where
    R: IntoIterator<Item = &'r S>,
    S: AsRef<[u8]> + ?Sized + 'r,
{
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for row in rows {
        // Writing into memory cannot fail.
        let _ = writer.write_record(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Left-aligned columns separated by two spaces; no trailing spaces.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Self {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// The table in `format`: aligned columns, or CSV with the same header and cells.
    pub fn render_as(&self, format: Format) -> String {
        if format == Format::Csv {
            csv_rows(std::iter::once(&self.header).chain(&self.rows))
        } else {
            self.render()
        }
    }

    pub fn render(&self) -> String {
        // One line per row: line breaks inside a value would break the columns.
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| cell.replace(['\n', '\r', '\t'], " "))
                    .collect()
            })
            .collect();
        let width = |column: usize| {
            std::iter::once(&self.header)
                .chain(&rows)
                .filter_map(|row| row.get(column))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..self.header.len()).map(width).collect();
        let mut out = String::new();
        for (n, row) in std::iter::once(&self.header).chain(&rows).enumerate() {
            let mut line = String::new();
            for (cell, width) in row.iter().zip(&widths) {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', width - cell.chars().count() + 2));
            }
            let line = line.trim_end();
            if n == 0 {
                out.push_str(&crate::style::header(line));
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        out
    }
}

/// The generated CLI's output sink: it renders each result into a buffer that `main` writes,
/// so that a closed pipe or a full disk is handled in one place.
pub struct Collector {
    format: Format,
    output: Mutex<String>,
}

impl Collector {
    pub fn new(format: Format) -> Self {
        Self {
            format,
            output: Mutex::new(String::new()),
        }
    }

    pub fn into_output(self) -> String {
        self.output.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, text: String) {
        self.output
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_str(&text);
    }

    fn push_value<T: Serialize>(&self, value: &T) {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.push(any(&value, self.format));
    }
}

impl crate::generated::CliConfig for &Collector {
    fn success_item<T>(&self, value: &ResponseValue<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        self.push_value(&**value);
    }

    fn success_no_item(&self, _: &ResponseValue<()>) {}

    // Errors are classified and reported by `main`, once, with their exit code.
    fn error<T>(&self, _: &progenitor_client::Error<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
    }

    fn list_start<T>(&self)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
    }

    fn list_item<T>(&self, value: &T)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
        self.push_value(value);
    }

    fn list_end_success<T>(&self)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
    }

    fn list_end_error<T>(&self, _: &progenitor_client::Error<T>)
    where
        T: schemars::JsonSchema + Serialize + std::fmt::Debug,
    {
    }
}
