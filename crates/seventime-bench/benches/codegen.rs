//! Code generation: the spec to formatted sources (client, httpmock helpers, CLI), as build.rs
//! and `cargo xtask regen` run it.

use criterion::{Criterion, criterion_group, criterion_main};
use seventime_codegen::{Generated, Spec};

fn codegen(c: &mut Criterion) {
    let path = seventime_codegen::spec_path().unwrap_or_else(|error| panic!("{error}"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut group = c.benchmark_group("codegen");
    group.bench_function("load_and_validate", |b| {
        b.iter(|| Spec::parse(&path, &text).unwrap())
    });
    let spec = Spec::parse(&path, &text).unwrap();
    group.bench_function("generate_and_format", |b| {
        b.iter(|| Generated::from_spec(&spec).unwrap())
    });
    group.finish();
}

criterion_group!(benches, codegen);
criterion_main!(benches);
