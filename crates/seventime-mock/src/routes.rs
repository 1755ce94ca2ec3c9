//! The HTTP side of the mock: routing, authentication, rate limiting, faults and answers.
//!
//! The routes come from the client's catalog — every list and get-by-id the spec marks with
//! `x-resource` — plus the two forms of the custom-fields operation. A resource added to the
//! spec is served with no code here. How list requests select records is in `records.rs`.
//!
//! Every answer that is not a success is a JSON `types::Error`, including those for paths and
//! methods the API does not have: extractor rejections are handled here rather than left to
//! axum's plain-text defaults.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use bytes::Bytes;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use seventime::catalog::{self, Resource};
use seventime::{API_KEY_HEADER, EntityType, types};
use subtle::ConstantTimeEq;

use crate::records::{self, Collection, Query};
use crate::{Faults, Fixtures, MockConfig};

pub(crate) struct Mock {
    api_key: Vec<u8>,
    /// Each configuration serialized once, at start: the answers never change, and serializing
    /// per request was the mock's largest cost under load.
    bodies: BTreeMap<EntityType, Bytes>,
    /// The records of each resource of the catalog, in catalog order, made from `fixtures` on
    /// the first request for the resource, and changed through [`crate::Records`].
    collections: Vec<OnceLock<RwLock<Collection>>>,
    fixtures: Fixtures,
    limiter: Option<DefaultKeyedRateLimiter<Vec<u8>>>,
    clock: DefaultClock,
    faults: Faults,
    /// Requests that reached `admit`, for `RunningMock::requests_received` and numbered faults.
    received: Arc<AtomicU64>,
}

impl Mock {
    fn slot(&self, index: usize) -> &RwLock<Collection> {
        self.collections[index]
            .get_or_init(|| RwLock::new(self.fixtures.collection(&catalog::resources()[index])))
    }

    /// The records of the resource at `index` of the catalog, to read. A writer that panicked
    /// leaves whole records behind (each change is one assignment), so a poisoned lock is
    /// still read.
    pub(crate) fn collection(&self, index: usize) -> RwLockReadGuard<'_, Collection> {
        self.slot(index)
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The records of the resource at `index` of the catalog, to change.
    pub(crate) fn collection_mut(&self, index: usize) -> RwLockWriteGuard<'_, Collection> {
        self.slot(index)
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The mock's routes, for serving yourself (for example with `axum::serve`) or calling
/// in-process. [`crate::start`] serves it on a socket.
pub fn router(config: MockConfig) -> Router {
    router_counting(config, Arc::default())
}

/// The mock's state, counting the requests it admits or refuses in `received`.
pub(crate) fn state(config: MockConfig, received: Arc<AtomicU64>) -> Arc<Mock> {
    Arc::new(Mock {
        api_key: config.api_key.into_bytes(),
        bodies: serialize_all(&config.fixtures),
        collections: catalog::resources()
            .iter()
            .map(|_| OnceLock::new())
            .collect(),
        fixtures: config.fixtures,
        limiter: config
            .rate_limit
            .map(|per_second| RateLimiter::keyed(Quota::per_second(per_second))),
        clock: DefaultClock::default(),
        faults: config.faults,
        received,
    })
}

/// [`router`], counting the requests it admits or refuses in `received`.
pub(crate) fn router_counting(config: MockConfig, received: Arc<AtomicU64>) -> Router {
    app(state(config, received))
}

/// The routes over `state`.
pub(crate) fn app(state: Arc<Mock>) -> Router {
    let mut router = Router::new()
        .route(
            seventime::paths::LIST_CUSTOM_FIELDS,
            get(query_form).fallback(method_not_allowed),
        )
        // The spec's `{entityType}` is axum's placeholder syntax too.
        .route(
            seventime::paths::GET_CUSTOM_FIELDS,
            get(path_form).fallback(method_not_allowed),
        );
    for (index, resource) in catalog::resources().iter().enumerate() {
        router = router.route(
            resource.list.path,
            get(
                move |State(mock): State<Arc<Mock>>,
                      headers: HeaderMap,
                      RawQuery(query): RawQuery| async move {
                    list(&mock, index, &headers, query.as_deref()).await
                },
            )
            .fallback(method_not_allowed),
        );
        if let Some(operation) = &resource.get {
            router = router.route(
                operation.path,
                get(
                    move |State(mock): State<Arc<Mock>>,
                          headers: HeaderMap,
                          id: Result<Path<String>, PathRejection>| async move {
                        match id {
                            Ok(Path(id)) => get_record(&mock, index, &headers, &id).await,
                            Err(_) => error(StatusCode::BAD_REQUEST, "Invalid _id"),
                        }
                    },
                )
                .fallback(method_not_allowed),
            );
        }
    }
    router.fallback(no_such_endpoint).with_state(state)
}

/// A list operation of the resource at `index` of the catalog.
async fn list(mock: &Mock, index: usize, headers: &HeaderMap, query: Option<&str>) -> Response {
    if let Err(refused) = admit(mock, headers).await {
        return refused;
    }
    let resource: &Resource = &catalog::resources()[index];
    let pairs: Vec<(String, String)> = match query.map(serde_urlencoded::from_str).transpose() {
        Ok(pairs) => pairs.unwrap_or_default(),
        Err(_) => return error(StatusCode::BAD_REQUEST, "Malformed query string"),
    };
    let query = match Query::parse(&resource.list, pairs) {
        Ok(query) => query,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let body = records::list_body(&resource.list, &mock.collection(index), &query);
    success(mock, body)
}

/// The get-by-id of the resource at `index` of the catalog.
async fn get_record(mock: &Mock, index: usize, headers: &HeaderMap, id: &str) -> Response {
    if let Err(refused) = admit(mock, headers).await {
        return refused;
    }
    let resource = &catalog::resources()[index];
    let body = {
        let collection = mock.collection(index);
        let Some(record) = collection.get(id) else {
            return error(
                StatusCode::NOT_FOUND,
                &format!("No {} with _id {id}", resource.name),
            );
        };
        let mut body = Vec::with_capacity(record.json.len() + 10);
        body.extend_from_slice(b"{\"data\":");
        body.extend_from_slice(&record.json);
        body.push(b'}');
        body
    };
    success(mock, Bytes::from(body))
}

/// A success body, or half of it when the mock is told to break bodies.
fn success(mock: &Mock, body: Bytes) -> Response {
    if mock.faults.malformed_body {
        // Cut at a byte, not a char: a truncated body may end inside a UTF-8 sequence, as a
        // broken connection's would.
        return json_response(StatusCode::OK, body.slice(..body.len() / 2));
    }
    json_response(StatusCode::OK, body)
}

/// `GET /api/2/customFields/?entityType=<code>`; the service defaults to 100.
async fn query_form(
    State(mock): State<Arc<Mock>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let requested = match query_entity_type(query.as_deref()) {
        Ok(code) => code.unwrap_or_else(|| EntityType::TimeLog.code().to_string()),
        Err(MalformedQuery) => return error(StatusCode::BAD_REQUEST, "Malformed query string"),
    };
    answer(&mock, &headers, &requested).await
}

/// `GET /api/2/customFields/<code>`.
async fn path_form(
    State(mock): State<Arc<Mock>>,
    headers: HeaderMap,
    segment: Result<Path<String>, PathRejection>,
) -> Response {
    match segment {
        Ok(Path(requested)) => answer(&mock, &headers, &requested).await,
        // Only a segment that is not valid UTF-8 after percent-decoding gets here.
        Err(_) => error(StatusCode::BAD_REQUEST, "Invalid entity type"),
    }
}

struct MalformedQuery;

/// The `entityType` query parameter (the last one wins, as in most web frameworks).
fn query_entity_type(query: Option<&str>) -> Result<Option<String>, MalformedQuery> {
    let Some(query) = query else { return Ok(None) };
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|_| MalformedQuery)?;
    Ok(pairs
        .into_iter()
        .filter(|(name, _)| name == "entityType")
        .map(|(_, value)| value)
        .next_back())
}

/// What every API route does first: deliberate faults, the key, the rate limit.
async fn admit(mock: &Mock, headers: &HeaderMap) -> Result<(), Response> {
    let number = mock.received.fetch_add(1, Ordering::SeqCst) + 1;
    if let Some(latency) = mock.faults.latency {
        tokio::time::sleep(latency).await;
    }
    if let Some(status) = mock
        .faults
        .fail_requests
        .get(&number)
        .copied()
        .or(mock.faults.status)
    {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = error(status, "Fault injected by seventime-mock");
        if status == StatusCode::TOO_MANY_REQUESTS {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(1u32));
        }
        return Err(response);
    }

    let Some(given) = headers.get(API_KEY_HEADER) else {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            &format!("Missing {API_KEY_HEADER} header"),
        ));
    };
    // Constant time for keys of equal length; the length of the accepted key is not a secret
    // worth protecting in a mock.
    if !bool::from(given.as_bytes().ct_eq(&mock.api_key)) {
        return Err(error(StatusCode::UNAUTHORIZED, "Invalid client secret"));
    }

    if let Some(limiter) = &mock.limiter
        && let Err(not_until) = limiter.check_key(&mock.api_key)
    {
        let wait = not_until.wait_time_from(mock.clock.now());
        // Retry-After counts whole seconds; round up so a client that honours it is never early.
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let mut response = error(StatusCode::TOO_MANY_REQUESTS, "Too many requests");
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        return Err(response);
    }
    Ok(())
}

async fn answer(mock: &Mock, headers: &HeaderMap, requested: &str) -> Response {
    if let Err(refused) = admit(mock, headers).await {
        return refused;
    }
    let entity = match requested.trim().parse::<i32>().map(EntityType::from_code) {
        Ok(entity) if entity.is_known() => entity,
        _ => return error(StatusCode::BAD_REQUEST, "Invalid entity type"),
    };
    let Some(body) = mock.bodies.get(&entity) else {
        return error(
            StatusCode::NOT_FOUND,
            &format!(
                "No field configuration for entity type {} ({})",
                entity.code(),
                entity.label().unwrap_or("unknown")
            ),
        );
    };
    success(mock, body.clone())
}

fn serialize_all(fixtures: &Fixtures) -> BTreeMap<EntityType, Bytes> {
    fixtures
        .entity_types()
        .filter_map(|entity| {
            let fields: &types::CustomFieldList = fixtures.get(entity)?;
            // Serializing generated types to a Vec cannot fail (string keys only).
            let body = serde_json::to_vec(fields).ok()?;
            Some((entity, Bytes::from(body)))
        })
        .collect()
}

async fn method_not_allowed(request: Request) -> Response {
    let mut response = error(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!(
            "Method {} is not allowed on {}; the API is read-only (GET)",
            request.method(),
            request.uri().path()
        ),
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

async fn no_such_endpoint(request: Request) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!(
            "No endpoint {} {}; the API serves GET on /api/2/customFields/ and on the paths of the resources (`seventime resources` lists them)",
            request.method(),
            request.uri().path()
        ),
    )
}

fn error(status: StatusCode, message: &str) -> Response {
    let body = types::Error::builder()
        .error_message(message.to_string())
        .extra(serde_json::Map::new());
    match types::Error::try_from(body) {
        Ok(error) => json_body(status, &error),
        // Every field of the builder is set above; should that change, the message still goes
        // out in the documented shape.
        Err(_) => json_body(status, &serde_json::json!({ "errorMessage": message })),
    }
}

fn json_body<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_string(body) {
        Ok(text) => json_response(status, text),
        Err(error) => {
            tracing::error!(%error, "cannot serialize a response");
            json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                r#"{"errorMessage":"Internal server error"}"#,
            )
        }
    }
}

fn json_response(status: StatusCode, body: impl Into<axum::body::Body>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.into(),
    )
        .into_response()
}
