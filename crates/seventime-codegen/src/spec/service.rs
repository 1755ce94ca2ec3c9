//! What the spec says about the service as a whole — the API-key header, the base URL and the
//! success status — each checked where it is read.

use std::path::Path;

use serde_json::Value;

use crate::SpecError;
use crate::document::operations;

/// progenitor ignores `securitySchemes`, so the client attaches the key itself; the header it
/// uses comes from here. Exactly one `apiKey` scheme sent in a header is supported.
pub(super) fn api_key_header(path: &Path, raw: &Value) -> Result<String, SpecError> {
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

pub(super) fn default_base_url(path: &Path, raw: &Value) -> Result<String, SpecError> {
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
pub(super) fn success_status(path: &Path, raw: &Value) -> Result<u16, SpecError> {
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
