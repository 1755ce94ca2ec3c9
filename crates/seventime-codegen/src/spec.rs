//! Loading the spec and checking it before progenitor sees it.
//!
//! progenitor reports many spec mistakes with an `assert!` or an `unwrap()` deep inside its
//! generator. Everything it is known to trip on is checked here first, on the raw document, where
//! the place of the mistake is still known and can be named in the message.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::SpecError;
use crate::enums::{self, NamedEnum};
use crate::resources::{self, Paginated, Resource};

/// HTTP methods an OpenAPI path item may hold operations for.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation of the raw document: its route, method and object, in document order.
pub(crate) fn operations(raw: &Value) -> impl Iterator<Item = (&String, &'static str, &Value)> {
    raw.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(route, item)| {
            METHODS
                .into_iter()
                .filter_map(move |method| Some((route, method, item.get(method)?)))
        })
}

/// A loaded, validated OpenAPI spec.
#[derive(Debug, Clone)]
pub struct Spec {
    path: PathBuf,
    display_name: String,
    openapi: OpenAPI,
    document: Value,
    named_enums: Vec<NamedEnum>,
    api_key_header: String,
    default_base_url: String,
    success_status: u16,
    resources: Vec<Resource>,
    paginated: Vec<Paginated>,
    hand_written: Vec<(String, String)>,
}

impl Spec {
    /// Reads and validates the spec at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, SpecError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|error| {
            SpecError::new(
                path,
                None,
                format!("cannot read the spec: {error}"),
                "check the path; the spec lives at openapi/seventime.yaml in the workspace",
            )
        })?;
        Self::parse(path, &text)
    }

    /// Parses and validates spec text. `path` is used in messages and in the generated header.
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Self, SpecError> {
        let path = path.as_ref();
        let raw = parse_yaml(path, text)?;
        if !raw.is_object() {
            return Err(SpecError::new(
                path,
                None,
                "the document is not a mapping",
                "an OpenAPI document starts with `openapi: 3.0.3`, `info:` and `paths:` at the top level",
            ));
        }
        check_version(path, &raw)?;
        check_refs(path, &raw, &raw, "")?;
        check_operations(path, &raw)?;
        let named_enums = enums::collect(path, &raw)?;
        let api_key_header = api_key_header(path, &raw)?;
        let default_base_url = default_base_url(path, &raw)?;
        let success_status = success_status(path, &raw)?;
        let facts = resources::collect(path, &raw, &named_enums)?;

        let openapi: OpenAPI = serde_json::from_value(for_generation(&raw)).map_err(|error| {
            SpecError::new(
                path,
                None,
                format!("the document is not a valid OpenAPI 3.0 description: {error}"),
                "compare the named object with the OpenAPI 3.0.3 specification",
            )
        })?;

        Ok(Self {
            path: path.to_path_buf(),
            display_name: display_name(path),
            openapi,
            document: raw,
            named_enums,
            api_key_header,
            default_base_url,
            success_status,
            resources: facts.resources,
            paginated: facts.paginated,
            hand_written: facts.hand_written,
        })
    }

    /// The file the spec was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The spec's path relative to the workspace root when it lies inside it (stable across
    /// machines, so it can appear in generated files), otherwise its file name.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    /// The parsed OpenAPI document.
    pub fn openapi(&self) -> &OpenAPI {
        &self.openapi
    }

    /// The document as JSON, extensions and examples included — for tools that read the spec's
    /// schemas directly (the contract tests validate responses against them).
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// The integer enums that get a named Rust enum (`x-enum-varnames`), in spec order.
    pub fn named_enums(&self) -> &[NamedEnum] {
        &self.named_enums
    }

    /// The header that carries the API key: the `name` of the `apiKey` security scheme.
    pub fn api_key_header(&self) -> &str {
        &self.api_key_header
    }

    /// The production base URL: the first entry of `servers`.
    pub fn default_base_url(&self) -> &str {
        &self.default_base_url
    }

    /// The path of the operation `operation_id`, as the spec writes it (with `{parameter}`
    /// placeholders).
    pub fn operation_path(&self, operation_id: &str) -> Option<&str> {
        operations(&self.document).find_map(|(route, _, operation)| {
            (operation.get("operationId")?.as_str()? == operation_id).then_some(route.as_str())
        })
    }

    /// The one success status every operation documents (200).
    pub fn success_status(&self) -> u16 {
        self.success_status
    }

    /// The resources (`x-resource`), by the path of their list.
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// The paginated lists (`x-paginated`), by path.
    pub fn paginated(&self) -> &[Paginated] {
        &self.paginated
    }

    /// `(schema, hand-written type)` for every schema marked `x-seventime-type`.
    pub fn hand_written_types(&self) -> &[(String, String)] {
        &self.hand_written
    }

    pub(crate) fn error(
        &self,
        location: Option<String>,
        problem: impl Into<String>,
        help: impl Into<String>,
    ) -> SpecError {
        SpecError::new(&self.path, location, problem, help)
    }
}

fn parse_yaml(path: &Path, text: &str) -> Result<Value, SpecError> {
    // The message goes on one line of a build failure; the position is reported separately, so
    // the parser's multi-line source snippet is turned off.
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    serde_saphyr::from_str_with_options(text, options).map_err(|error| {
        let position = error.location().map(|at| (at.line(), at.column()));
        let location = position.map(|(line, column)| format!("line {line} column {column}"));
        let message = error.to_string();
        let mut message = message.trim_start_matches("error: ");
        if let Some((line, column)) = position {
            message = message
                .trim_start_matches(&format!("line {line} column {column}: "))
                .trim_end_matches(&format!(" at line {line}, column {column}"));
        }
        SpecError::new(
            path,
            location,
            format!("the file is not valid YAML: {}", message.trim()),
            "fix the YAML syntax at that position (indentation, quoting, a missing `:` or bracket)",
        )
    })
}

fn display_name(path: &Path) -> String {
    let absolute = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let workspace = crate::workspace_root()
        .ok()
        .and_then(|root| root.canonicalize().ok())
        .unwrap_or_default();
    match absolute.strip_prefix(&workspace) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
    }
}

fn check_version(path: &Path, raw: &Value) -> Result<(), SpecError> {
    match raw.get("openapi") {
        Some(Value::String(version)) if version.trim().starts_with("3.0.") => Ok(()),
        Some(Value::String(version)) => Err(SpecError::new(
            path,
            Some("openapi".into()),
            format!("OpenAPI {version} is not supported: progenitor 0.15 reads OpenAPI 3.0.x only"),
            "write `openapi: 3.0.3` and use 3.0 constructs (for example `nullable: true` instead of `type: [T, \"null\"]`)",
        )),
        Some(other) => Err(SpecError::new(
            path,
            Some("openapi".into()),
            format!("`openapi` must be a version string, found {other}"),
            "write `openapi: 3.0.3` (quoted or not)",
        )),
        None => Err(SpecError::new(
            path,
            None,
            "the document has no `openapi` version field",
            "start the document with `openapi: 3.0.3`",
        )),
    }
}

/// progenitor ignores `securitySchemes`, so the client attaches the key itself; the header it
/// uses comes from here. Exactly one `apiKey` scheme sent in a header is supported.
fn api_key_header(path: &Path, raw: &Value) -> Result<String, SpecError> {
    let schemes = raw
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let headers: Vec<(&String, &str)> = schemes
        .into_iter()
        .flatten()
        .filter(|(_, scheme)| {
            scheme.get("type").and_then(Value::as_str) == Some("apiKey")
                && scheme.get("in").and_then(Value::as_str) == Some("header")
        })
        .filter_map(|(id, scheme)| Some((id, scheme.get("name")?.as_str()?)))
        .collect();
    match headers[..] {
        [(_, header)] if http_token(header) => Ok(header.to_string()),
        [(id, header)] => Err(SpecError::new(
            path,
            Some(format!("components.securitySchemes.{id}.name")),
            format!("`{header}` is not a valid HTTP header name"),
            "use the header name the service documents, `Client-Secret`",
        )),
        [] => Err(SpecError::new(
            path,
            Some("components.securitySchemes".into()),
            "no `apiKey` security scheme sent in a header is defined",
            "define one (`type: apiKey`, `in: header`, `name: Client-Secret`); the client sends the API key in that header",
        )),
        _ => Err(SpecError::new(
            path,
            Some("components.securitySchemes".into()),
            "more than one `apiKey` header scheme is defined",
            "keep a single `apiKey` scheme: the client sends one key",
        )),
    }
}

fn http_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn default_base_url(path: &Path, raw: &Value) -> Result<String, SpecError> {
    let url = raw
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            SpecError::new(
                path,
                Some("servers".into()),
                "the document names no server",
                "add `servers: [{url: https://app.seventime.se}]`; the first server is the client's default base URL",
            )
        })?;
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains('{') {
        return Err(SpecError::new(
            path,
            Some("servers[0].url".into()),
            format!("`{url}` is not an absolute http(s) URL"),
            "write the production URL in full, for example `https://app.seventime.se` (server variables are not supported)",
        ));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// progenitor reports a success body that does not decode without its status. The client can
/// still name the status because every operation documents the same single success status, which
/// this check guarantees.
fn success_status(path: &Path, raw: &Value) -> Result<u16, SpecError> {
    let mut found: Option<(u16, String)> = None;
    for (route, method, operation) in operations(raw) {
        let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
            continue;
        };
        let location = format!("paths.{route}.{method}.responses");
        let codes: Vec<&String> = responses.keys().filter(|s| s.starts_with('2')).collect();
        let [code] = codes[..] else {
            return Err(SpecError::new(
                path,
                Some(location),
                format!("the operation documents {} success statuses", codes.len()),
                "document exactly one success status (200): the client's error layer reports an undecodable success body with that status",
            ));
        };
        let Ok(code) = code.parse::<u16>() else {
            return Err(SpecError::new(
                path,
                Some(location),
                format!("the success status `{code}` is a range, not a code"),
                "document the success status as a code, `\"200\"`",
            ));
        };
        match &found {
            Some((first, at)) if *first != code => {
                return Err(SpecError::new(
                    path,
                    Some(location),
                    format!("the success status is {code}, but {at} documents {first}"),
                    "document the same success status (200) for every operation: the client's error layer relies on it",
                ));
            }
            Some(_) => {}
            None => found = Some((code, location)),
        }
    }
    Ok(found.map_or(200, |(code, _)| code))
}

/// Walks the whole document and resolves every `$ref` against it.
fn check_refs(path: &Path, root: &Value, node: &Value, at: &str) -> Result<(), SpecError> {
    match node {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                let location = Some(if at.is_empty() {
                    "$ref".into()
                } else {
                    at.to_string()
                });
                let Value::String(reference) = reference else {
                    return Err(SpecError::new(
                        path,
                        location,
                        "`$ref` must be a string",
                        "write the reference as a string such as \"#/components/schemas/Name\"",
                    ));
                };
                let Some(pointer) = reference.strip_prefix('#') else {
                    return Err(SpecError::new(
                        path,
                        location,
                        format!("`$ref: {reference}` points outside this file"),
                        "keep the spec in one file: move the target under `components` and use a `#/components/...` reference",
                    ));
                };
                if root.pointer(pointer).is_none() {
                    return Err(SpecError::new(
                        path,
                        location,
                        format!("`$ref: {reference}` does not resolve: nothing is defined there"),
                        "define the target under `components` or correct the reference (names are case-sensitive)",
                    ));
                }
            }
            for (key, value) in map {
                let child = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                check_refs(path, root, value, &child)?;
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(index, item)| check_refs(path, root, item, &format!("{at}[{index}]"))),
        _ => Ok(()),
    }
}

/// Every operation needs a unique `operationId` (it names the Rust method), and its error
/// responses must share one schema, as must its success responses: progenitor 0.15 asserts
/// `response_types.len() <= 1` otherwise.
fn check_operations(path: &Path, raw: &Value) -> Result<(), SpecError> {
    if raw.get("paths").and_then(Value::as_object).is_none() {
        return Err(SpecError::new(
            path,
            Some("paths".into()),
            "the document has no `paths` mapping",
            "describe at least one operation under `paths:`",
        ));
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (route, method, operation) in operations(raw) {
        let location = format!("paths.{route}.{method}");
        let operation_id = match operation.get("operationId") {
            Some(Value::String(id)) if !id.trim().is_empty() => id.clone(),
            _ => {
                return Err(SpecError::new(
                    path,
                    Some(location),
                    format!(
                        "operation {} {route} has no `operationId`",
                        method.to_uppercase()
                    ),
                    "add a unique snake_case `operationId`; it becomes the Rust method name (for example `list_custom_fields`)",
                ));
            }
        };
        if let Some(first) = seen.insert(operation_id.clone(), location.clone()) {
            return Err(SpecError::new(
                path,
                Some(location),
                format!("`operationId: {operation_id}` is already used by {first}"),
                "give every operation its own `operationId`; each becomes a distinct Rust method",
            ));
        }
        check_response_schemas(path, raw, operation, &location)?;
    }
    Ok(())
}

fn check_response_schemas(
    path: &Path,
    raw: &Value,
    operation: &Value,
    location: &str,
) -> Result<(), SpecError> {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        return Err(SpecError::new(
            path,
            Some(location.to_string()),
            "the operation has no `responses`",
            "describe at least the success response, for example `\"200\"`",
        ));
    };
    let mut success: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut errors: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (status, response) in responses {
        if !valid_status(status) {
            return Err(SpecError::new(
                path,
                Some(format!("{location}.responses.{status}")),
                format!("`{status}` is not an HTTP status code"),
                "use a code from 100 to 599, a range such as `4XX`, or `default`",
            ));
        }
        let schema = response_schema(raw, response);
        let class = if status.starts_with('2') {
            &mut success
        } else if status.starts_with(['4', '5']) || status == "default" {
            &mut errors
        } else {
            continue;
        };
        class.entry(schema).or_default().push(status);
    }
    for (kind, class) in [("success", &success), ("error", &errors)] {
        if class.len() > 1 {
            let described = class
                .iter()
                .map(|(schema, statuses)| format!("{} → {schema}", statuses.join(", ")))
                .collect::<Vec<_>>()
                .join("; ");
            return Err(SpecError::new(
                path,
                Some(format!("{location}.responses")),
                format!("the {kind} responses use different schemas ({described})"),
                format!(
                    "make every {kind} response of the operation use the same schema (for errors: `$ref: \"#/components/schemas/Error\"`); progenitor 0.15 supports one {kind} type per operation"
                ),
            ));
        }
    }
    Ok(())
}

fn valid_status(status: &str) -> bool {
    match status.as_bytes() {
        b"default" => true,
        [class @ b'1'..=b'5', b'X', b'X'] => *class != 0,
        _ => status
            .parse::<u16>()
            .is_ok_and(|code| (100..=599).contains(&code)),
    }
}

/// A name for the JSON schema of a response, following response `$ref`s: the schema's own
/// `$ref` when it has one, `inline schema` otherwise, `no body` when there is no JSON content.
fn response_schema(raw: &Value, response: &Value) -> String {
    let response = match response.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| raw.pointer(pointer))
            .unwrap_or(response),
        None => response,
    };
    match response
        .get("content")
        .and_then(|content| content.get("application/json"))
        .and_then(|media| media.get("schema"))
    {
        Some(schema) => schema
            .get("$ref")
            .and_then(Value::as_str)
            .map_or_else(|| "inline schema".to_string(), str::to_string),
        None => "no body".to_string(),
    }
}

/// The document progenitor generates from: the spec as written, with one adjustment of how
/// types come out in Rust.
///
/// typify generates an optional array property as `Vec<T>` that is left out when empty, so an
/// empty list the service sent (`"documents": []`) would vanish on re-encoding. Marked
/// `nullable`, the property becomes `Option<Vec<T>>`, which keeps `[]` apart from absent. The
/// contract tests validate against the spec as written, so the service is not assumed to send
/// `null` there; the client merely accepts it.
fn for_generation(raw: &Value) -> Value {
    let mut document = raw.clone();
    if let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            keep_empty_arrays(schema);
        }
    }
    document
}

fn keep_empty_arrays(schema: &mut Value) {
    let required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, property) in properties.iter_mut() {
            if property.get("type").and_then(Value::as_str) == Some("array")
                && !required.contains(name)
                && let Some(property) = property.as_object_mut()
            {
                property.insert("nullable".into(), Value::Bool(true));
            }
            keep_empty_arrays(property);
        }
    }
    if let Some(items) = schema.get_mut("items") {
        keep_empty_arrays(items);
    }
}
