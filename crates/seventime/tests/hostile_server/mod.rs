//! The scripted server of the hostile-server tests, and the client and calls they aim at it.

// Every test file compiles its own copy of this module and uses only part of it.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use seventime::{ApiError, Client, EntityType, RetryPolicy, types};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub(crate) const KEY: &str = "hostile-key-93af";

/// What the server does with one request.
#[derive(Clone)]
pub(crate) enum Reply {
    /// Writes these bytes and closes the connection.
    Raw(Vec<u8>),
    /// Reads the request and never answers.
    Silence,
    /// Writes these bytes (a head and part of a body), then keeps the connection open, silent.
    StallAfter(Vec<u8>),
    /// Closes the connection with a TCP reset.
    Reset,
}

/// A response with `Content-Length` and `Connection: close`.
pub(crate) fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut head = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    Reply::Raw(bytes)
}

pub(crate) fn json_reply(status: &str, body: &serde_json::Value) -> Reply {
    http(
        status,
        &[("content-type", "application/json")],
        body.to_string().as_bytes(),
    )
}

pub(crate) fn fields() -> serde_json::Value {
    json!({"data": [{"_id": "a1", "fieldName": "Kund", "fieldType": 100}]})
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub(crate) at: Instant,
    pub(crate) head: String,
}

/// A scripted server: request *n* gets `replies[n]` (the last reply repeats).
pub(crate) struct Hostile {
    pub(crate) url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Hostile {
    pub(crate) async fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let log = log.clone();
                let replies = replies.clone();
                tokio::spawn(async move { serve(stream, &log, &replies).await });
            }
        });
        Self { url, seen }
    }

    pub(crate) fn attempts(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, log: &Mutex<Vec<Seen>>, replies: &[Reply]) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let reply = {
        let mut log = log.lock().unwrap();
        log.push(Seen {
            at: Instant::now(),
            head: String::from_utf8_lossy(&head).into_owned(),
        });
        replies[(log.len() - 1).min(replies.len() - 1)].clone()
    };
    match reply {
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Reply::Silence => std::future::pending::<()>().await,
        Reply::StallAfter(bytes) => {
            let _ = stream.write_all(&bytes).await;
            std::future::pending::<()>().await;
        }
        Reply::Reset => {
            let _ = stream.set_zero_linger();
            drop(stream);
        }
    }
}

/// A quick policy for tests: 3 attempts, short waits, long enough to honour a 1 s Retry-After.
pub(crate) fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_delay(Duration::from_millis(20))
        .max_delay(Duration::from_secs(2))
        .max_elapsed(Duration::from_secs(5))
}

pub(crate) fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .api_key(KEY)
        .retry(policy())
        .without_rate_limit()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

pub(crate) async fn call(client: &Client) -> Result<types::CustomFieldList, ApiError> {
    Ok(client
        .get_custom_fields()
        .entity_type(EntityType::Invoice)
        .send()
        .await?
        .into_inner())
}

/// The error of a call, with the key checked absent from its renderings.
pub(crate) async fn error_of(client: &Client) -> ApiError {
    let error = call(client).await.expect_err("the server misbehaves");
    for rendering in [error.to_string(), format!("{error:?}")] {
        assert!(!rendering.contains(KEY), "the key leaked: {rendering}");
    }
    error
}
