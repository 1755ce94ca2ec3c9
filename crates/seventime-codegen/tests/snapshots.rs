//! Pins the generated surface: any change to the spec or the generation settings shows up here
//! as a snapshot diff to review. `cargo xtask regen` updates these snapshots; under CI they fail
//! on any drift.

use seventime_codegen::{Generated, Spec, spec_path, surface_summary};

fn generate() -> (Spec, Generated) {
    let spec = Spec::load(spec_path().unwrap_or_else(|error| panic!("{error}")))
        .unwrap_or_else(|error| panic!("{error}"));
    let generated = Generated::from_spec(&spec).unwrap_or_else(|error| panic!("{error}"));
    (spec, generated)
}

#[test]
fn surface_summary_is_pinned() {
    let (spec, generated) = generate();
    insta::assert_snapshot!("surface", surface_summary(&spec, &generated));
}

#[test]
fn client_source_is_pinned() {
    let (_, generated) = generate();
    insta::assert_snapshot!("client", generated.client);
}

#[test]
fn httpmock_source_is_pinned() {
    let (_, generated) = generate();
    insta::assert_snapshot!("httpmock", generated.httpmock);
}

#[test]
fn cli_source_is_pinned() {
    let (_, generated) = generate();
    insta::assert_snapshot!("cli", generated.cli);
}
