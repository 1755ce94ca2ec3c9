//! Decoding a field configuration into the generated types vs. into `serde_json::Value`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use seventime::types::CustomFieldList;
use std::hint::black_box;

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode");
    for count in [1_000usize, 50_000] {
        let body = seventime_bench::field_list(count);
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::new("typed", count), &body, |b, body| {
            b.iter(|| serde_json::from_str::<CustomFieldList>(black_box(body)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("value", count), &body, |b, body| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(body)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
