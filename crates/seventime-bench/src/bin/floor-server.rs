//! The floor for the mock's throughput: plain hyper on tokio answering every request with the
//! bytes the mock sends for `GET /api/2/customFields/400` — no routing, no key check, no rate
//! limit, no serialization.
//!
//! Usage: `floor-server <PORT>` (127.0.0.1 only). Prints the URL, serves until killed.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use seventime::EntityType;
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let fixtures = seventime_mock::Fixtures::builtin();
    let fields = fixtures
        .get(EntityType::Invoice)
        .expect("the built-in fixtures have an invoice configuration");
    let body = Bytes::from(serde_json::to_vec(fields).map_err(std::io::Error::other)?);

    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    // Ignored write errors: a reader that took the URL and left must not stop the server.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "http://{}", listener.local_addr()?);
    let _ = stdout.flush();
    drop(stdout);
    loop {
        let (stream, _) = listener.accept().await?;
        let body = body.clone();
        tokio::spawn(async move {
            let service = service_fn(move |_: Request<Incoming>| {
                let body = body.clone();
                async move {
                    let mut response = Response::new(Full::new(body));
                    response.headers_mut().insert(
                        hyper::header::CONTENT_TYPE,
                        hyper::header::HeaderValue::from_static("application/json; charset=utf-8"),
                    );
                    Ok::<_, Infallible>(response)
                }
            });
            // A client closing its connection is the normal end of a benchmark.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
