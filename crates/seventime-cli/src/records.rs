//! `seventime resources`, `list` and `get`: every resource of the spec through one set of
//! commands, driven by `seventime::catalog` (the spec's `x-resource` marks), with no code per
//! resource.
//!
//! `list --all` streams: each page is written as it arrives, so the first records appear
//! before the last page is requested, and a reader that goes away (`| head`) stops the
//! requests.

mod custom_fields;
mod progress;
mod writer;

use clap::Args;
use futures_util::TryStreamExt;
use serde_json::Value;

use seventime::catalog::{self, Resource};
use seventime::{Client, Timestamp};

use crate::completions::ResourceName;
use crate::failure::{Class, Failure};
use crate::output::{self, Format, Table};
use custom_fields::{annotate, configuration, label, show};
use progress::Progress;
use writer::{Writer, cell};

/// Arguments of `seventime list`.
#[derive(Args)]
pub struct ListArgs {
    /// The resource, as `seventime resources` names it (customers, work-orders, …).
    #[arg(value_parser = ResourceName, hide_possible_values = true)]
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

    /// Table and CSV columns instead of the spec's, comma-separated: properties as on the
    /// wire (customerNumber) or, with --custom-fields, custom field names.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    columns: Vec<String>,
}

/// Arguments of `seventime get`.
#[derive(Args)]
pub struct GetArgs {
    /// The resource, as `seventime resources` names it.
    #[arg(value_parser = ResourceName, hide_possible_values = true)]
    resource: String,
    /// The record's `_id`.
    id: String,

    /// With -o csv: a column per custom field, by name.
    #[arg(long)]
    custom_fields: bool,

    /// With -o csv: the columns instead of the spec's, as for `list`.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    columns: Vec<String>,
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
        Format::Table | Format::Csv => {
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
            table.render_as(format)
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
    if format != Format::Csv && (args.custom_fields || !args.columns.is_empty()) {
        return Err(Failure::new(
            Class::Usage,
            "--custom-fields and --columns choose the columns of `get -o csv`; add `-o csv`, or use `list` for a table",
        ));
    }
    let mut record = resource
        .get(client, &args.id)
        .await
        .map_err(|error| Failure::from_api(&error, base_url))?;
    if format == Format::Csv {
        // The columns of `list -o csv`, so that a record got and records listed line up.
        let configuration = if args.custom_fields {
            configuration(client, base_url, resource, true).await?
        } else {
            None
        };
        let mut writer = Writer::new(resource, format, configuration, &args.columns)?;
        if writer.page(vec![record])? {
            writer.finish()?;
        }
        return Ok(String::new());
    }
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
        Format::Table | Format::Csv => {
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
    let mut progress = Progress::new(args.all && paginated && !crate::style::quiet());
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
        if !writer.page(page.items)? {
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
