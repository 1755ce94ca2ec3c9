//! Per-request overhead: the generated client (key, hooks, retries as shipped; the limiter off,
//! since pacing is the point of a limiter) vs. a hand-written reqwest call of the same request,
//! both against the same in-process mock on 127.0.0.1 with keep-alive, both decoding into
//! `types::CustomFieldList`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use reqwest::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use seventime::types::CustomFieldList;
use seventime::{Client, EntityType};

const KEY: &str = "bench-key";

fn per_request(c: &mut Criterion) {
    // The server on a runtime (and thread) of its own, the client on the benchmark's thread: a
    // shared work-stealing runtime on two cores adds scheduling noise as large as what is
    // measured.
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut config = seventime_mock::MockConfig::new(KEY);
    config.rate_limit = None;
    let mock = server.block_on(seventime_mock::start(config)).unwrap();

    let generated = Client::builder()
        .base_url(mock.url())
        .api_key(KEY)
        .without_rate_limit()
        .build()
        .unwrap();
    // The same timeouts the generated client ships with: a per-request timer is real work.
    let http = reqwest::Client::builder()
        .connect_timeout(seventime::defaults::CONNECT_TIMEOUT)
        .timeout(seventime::defaults::TIMEOUT)
        .build()
        .unwrap();
    let url = format!(
        "{}{}?entityType=400",
        mock.url(),
        seventime::paths::LIST_CUSTOM_FIELDS
    );
    let user_agent = format!("seventime-rs/{}", env!("CARGO_PKG_VERSION"));

    let generated_call = || async {
        generated
            .list_custom_fields()
            .entity_type(EntityType::Invoice)
            .send()
            .await
            .unwrap()
            .into_inner()
    };
    let reqwest_call = || async {
        http.get(&url)
            .header(seventime::API_KEY_HEADER, KEY)
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/json")
            .header(USER_AGENT, &user_agent)
            .send()
            .await
            .unwrap()
            .json::<CustomFieldList>()
            .await
            .unwrap()
    };

    // Both benchmarks send the same interleaved mix — one request of each kind per iteration —
    // and time only their own, so that the state of the connections, the server and the machine
    // is the same for both.
    let mut group = c.benchmark_group("request");
    group.bench_function("generated", |b| {
        b.to_async(&runtime).iter_custom(|iterations| async move {
            let mut timed = Duration::ZERO;
            for _ in 0..iterations {
                black_box(reqwest_call().await);
                let started = Instant::now();
                black_box(generated_call().await);
                timed += started.elapsed();
            }
            timed
        })
    });
    group.bench_function("reqwest", |b| {
        b.to_async(&runtime).iter_custom(|iterations| async move {
            let mut timed = Duration::ZERO;
            for _ in 0..iterations {
                black_box(generated_call().await);
                let started = Instant::now();
                black_box(reqwest_call().await);
                timed += started.elapsed();
            }
            timed
        })
    });
    group.finish();
    server.block_on(mock.shutdown());
}

criterion_group!(benches, per_request);
criterion_main!(benches);
