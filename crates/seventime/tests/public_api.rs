//! The crate's public API, item by item, pinned by a snapshot: an item added, removed or changed
//! by hand or by a glob re-export shows up in review instead of slipping out unnoticed.
//! Generated modules are listed by item name; their members are pinned by the surface snapshot
//! of `seventime-codegen`.

use std::path::Path;

use seventime_codegen::{Generated, Spec, public_api};

#[test]
fn the_public_api_is_the_chosen_one() {
    let spec = Spec::load(seventime_codegen::spec_path().unwrap_or_else(|error| panic!("{error}")))
        .unwrap_or_else(|error| panic!("{error}"));
    let generated = Generated::from_spec(&spec).unwrap_or_else(|error| panic!("{error}"));
    let lib_rs = public_api::lib_rs(Path::new(env!("CARGO_MANIFEST_DIR")));
    let items = public_api::public_items(
        &lib_rs,
        &[
            ("codegen.rs", generated.client.as_str()),
            ("httpmock.rs", generated.httpmock.as_str()),
        ],
    )
    .unwrap_or_else(|error| panic!("{error}"));

    // What the crate deliberately keeps to itself.
    for private in [
        "use Error = progenitor_client::Error",
        "use ClientInfo = progenitor_client::ClientInfo",
        "use ByteStream = progenitor_client::ByteStream",
        "mod prelude",
        "const SUCCESS_STATUS: u16",
        "struct ClientState",
    ] {
        assert!(
            !items.iter().any(|item| item == private),
            "`{private}` must not be public"
        );
    }
    assert!(
        !items.iter().any(|item| item.starts_with("fn Client::new")),
        "progenitor's `Client::new` bypasses the builder and must not be public"
    );
    insta::assert_snapshot!("public_api", items.join("\n"));
}
