//! The generation settings — kept here and nowhere else — and the generated sources.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use progenitor_impl::{
    GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl,
};
use quote::quote;

use crate::{CLIENT_CRATE, Spec, SpecError, catalog, enums, pagination};

/// The progenitor settings every consumer of the spec generates with.
fn settings(spec: &Spec) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // Every operation must pass through the client crate's `ClientHooks` impl: that is where
        // the API key is attached (progenitor ignores `securitySchemes`), and where retries and
        // rate limiting belong. `Expected` makes a missing impl a compile error instead of a
        // silent fallback to progenitor's no-op hooks.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(crate::ClientState))
        // Callers compare decoded values (and tests compare decode → encode round trips).
        .with_derive("PartialEq")
        // progenitor's generated CLI bounds every printed value by `JsonSchema`.
        .with_derive("schemars::JsonSchema");
    for named in spec.named_enums() {
        settings.with_replacement(
            &named.name,
            format!("{CLIENT_CRATE}::{}", named.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    // Schemas the client has a hand-written type for (`x-seventime-type`), such as the
    // timestamps of `lastModified` filters.
    for (schema, rust) in spec.hand_written_types() {
        settings.with_replacement(
            schema,
            format!("{CLIENT_CRATE}::{rust}"),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

/// Rust sources generated from the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The client: named enums, `types`, `builder`, `Client` and its operations. Included by the
    /// client crate from `OUT_DIR/codegen.rs`.
    pub client: String,
    /// progenitor's typed httpmock helpers (`MockServerExt`), for the client crate's `httpmock`
    /// feature. Included from `OUT_DIR/httpmock.rs`.
    pub httpmock: String,
    /// progenitor's clap CLI: one subcommand per operation. Included by the `seventime` CLI
    /// crate from `OUT_DIR/cli.rs`.
    pub cli: String,
    /// The records of the spec's documented response examples, per resource, as JSON
    /// (`{"customers": [{...}, ...], ...}`): the mock's built-in data. Included by the mock
    /// crate from `OUT_DIR/examples.json`.
    pub examples: String,
}

impl Generated {
    /// Generates every source from `spec`.
    pub fn from_spec(spec: &Spec) -> Result<Self, SpecError> {
        let client = Self::client_only(spec)?;

        let httpmock = run_progenitor(spec, "httpmock helpers", |generator| {
            generator.httpmock(spec.openapi(), CLIENT_CRATE)
        })?;
        let httpmock = format(spec, "httpmock helpers", httpmock)?;

        let cli = run_progenitor(spec, "CLI", |generator| {
            generator.cli(spec.openapi(), CLIENT_CRATE)
        })?;
        let cli = format(spec, "CLI", cli)?;

        Ok(Self {
            client,
            httpmock,
            cli,
            examples: documented_records(spec),
        })
    }

    /// Generates only the client ([`Generated::client`]): what the surface and the semver
    /// verdict read.
    pub fn client_only(spec: &Spec) -> Result<String, SpecError> {
        let enums = spec
            .named_enums()
            .iter()
            .map(|named| enums::generate(named, spec.display_name()));
        let client = run_progenitor(spec, "client", |generator| {
            generator.generate_tokens(spec.openapi())
        })?;
        let client = narrow_client(spec, client)?;
        let constants = constants(spec);
        let pagination = pagination::tokens(spec);
        let catalog = catalog::tokens(spec);
        let client = format(
            spec,
            "client",
            quote! {
                #constants
                /// The spec's named integer enums (`x-enum-varnames`); the client crate
                /// re-exports all of them at its root.
                pub mod named_enums {
                    #(#enums)*
                }
                #client
                #pagination
                #catalog
            },
        )?;

        Ok(client)
    }
}

/// Narrows progenitor's client to the API the crate means to offer.
///
/// progenitor gives `Client` two public constructors, `new` (which panics when TLS cannot be
/// set up, and has its own 15 s timeouts) and `new_with_client`, that take the client crate's
/// `ClientState`. Callers build clients with `ClientBuilder` instead, so `new` goes and
/// `new_with_client`, which the builder calls, becomes crate-private. The
/// `prelude` module (a glob-import of `Client`) is dropped: the crate exports `Client` itself.
/// And every struct with named fields and every enum of `types` becomes `#[non_exhaustive]`
/// ([`non_exhaustive_types`]), and the operations' usage examples become text
/// ([`examples_as_text`]).
fn narrow_client(spec: &Spec, tokens: TokenStream) -> Result<TokenStream, SpecError> {
    let mut file = syn::parse2::<syn::File>(tokens).map_err(|error| {
        spec.error(
            None,
            format!("progenitor's client is not valid Rust: {error}"),
            "a name in the spec (operationId, schema or property) probably produced an invalid identifier; rename it",
        )
    })?;
    file.items
        .retain(|item| !matches!(item, syn::Item::Mod(module) if module.ident == "prelude"));
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item
            && module.ident == "types"
            && let Some((_, items)) = &mut module.content
        {
            non_exhaustive_types(items);
        }
    }
    let mut found = Vec::new();
    for item in &mut file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let is_client = block.trait_.is_none()
            && matches!(&*block.self_ty, syn::Type::Path(path) if path.path.is_ident("Client"));
        if !is_client {
            continue;
        }
        let before = block.items.len();
        block.items.retain(
            |member| !matches!(member, syn::ImplItem::Fn(function) if function.sig.ident == "new"),
        );
        if block.items.len() < before {
            found.push("new");
        }
        for member in &mut block.items {
            if let syn::ImplItem::Fn(function) = member {
                examples_as_text(&mut function.attrs);
                if function.sig.ident == "new_with_client" {
                    function.vis = syn::parse_quote!(pub(crate));
                    found.push("new_with_client");
                }
            }
        }
    }
    if found != ["new", "new_with_client"] {
        return Err(spec.error(
            None,
            format!(
                "expected progenitor's `Client::new` and `Client::new_with_client`, found {found:?}"
            ),
            "the pinned progenitor changed how it writes `Client`; update `narrow_client` in seventime-codegen",
        ));
    }
    Ok(quote!(#file))
}

/// Turns the usage examples progenitor writes on each operation method (fenced as `ignore`,
/// since they name variables they do not define) into plain text.
///
/// An `ignore` block is a doctest that never runs, and rustdoc reports each one as "ignored" in
/// every `cargo test`: 67 lines a reader has to learn to disregard. The examples show the builder
/// chain, which text shows as well; the crate's runnable examples and doctests are hand-written.
fn examples_as_text(attrs: &mut [syn::Attribute]) {
    for attr in attrs {
        if let syn::Meta::NameValue(doc) = &mut attr.meta
            && doc.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &mut doc.value
            && text.value().contains("```ignore")
        {
            let value = text.value().replace("```ignore", "```text");
            *text = syn::LitStr::new(&value, text.span());
        }
    }
}

/// Marks the structs with named fields and the enums of the generated `types` module
/// `#[non_exhaustive]`, so that an additive spec edit stays additive in Rust.
///
/// Without it, adding an optional property to a schema adds a public field, which breaks every
/// struct literal of that type in callers' code (a major change under Rust's semver rules), and
/// adding a value to a string enum breaks every exhaustive `match` on it. The trade-off: callers
/// cannot write struct literals of generated types (they use the generated builders,
/// `types::Customer::builder()`, or deserialize) and must give matches on generated enums a
/// wildcard arm. For a client whose types mostly come *from* the service, that is the better
/// side: the service's types grow, and growing must not break callers. Tuple structs
/// (newtypes over a list or a value) are left alone: they wrap one type and do not grow.
fn non_exhaustive_types(items: &mut [syn::Item]) {
    for item in items {
        match item {
            syn::Item::Struct(s) if matches!(s.fields, syn::Fields::Named(_)) => {
                s.attrs.push(syn::parse_quote!(#[non_exhaustive]));
            }
            syn::Item::Enum(e) => e.attrs.push(syn::parse_quote!(#[non_exhaustive])),
            _ => {}
        }
    }
}

/// Facts of the spec that progenitor does not carry into code but the client needs.
fn constants(spec: &Spec) -> TokenStream {
    let header = spec.api_key_header();
    let header_doc = format!(
        " The header that carries the API key (`securitySchemes` of `{}`).",
        spec.display_name()
    );
    let url = spec.default_base_url();
    let url_doc = format!(
        " The production service (`servers[0]` of `{}`).",
        spec.display_name()
    );
    let success = proc_macro2::Literal::u16_unsuffixed(spec.success_status());
    let success_doc = format!(
        " The success status every operation of `{}` documents.",
        spec.display_name()
    );
    let paths =
        crate::document::operations(spec.document()).filter_map(|(route, method, operation)| {
            let id = operation.get("operationId")?.as_str()?;
            let name = quote::format_ident!("{}", id.to_shouty_snake_case());
            let doc = format!(" `{} {route}`: the path of `{id}`.", method.to_uppercase());
            Some(quote! {
                #[doc = #doc]
                pub const #name: &str = #route;
            })
        });
    let paths_doc = format!(
        " The path of every operation of `{}`, by operationId, as the spec writes it (with \
         `{{parameter}}` placeholders).",
        spec.display_name()
    );
    quote! {
        #[doc = #success_doc]
        pub(crate) const SUCCESS_STATUS: u16 = #success;
        #[doc = #paths_doc]
        pub mod paths {
            #(#paths)*
        }
        #[doc = #url_doc]
        pub const DEFAULT_BASE_URL: &str = #url;
        #[doc = #header_doc]
        pub const API_KEY_HEADER: &str = #header;
    }
}

/// Runs one progenitor generator, turning its errors — and its panics, since several spec
/// shapes it does not support end in an `assert!` — into a [`SpecError`] that names the spec.
fn run_progenitor(
    spec: &Spec,
    what: &str,
    generate: impl FnOnce(&mut Generator) -> progenitor_impl::Result<TokenStream>,
) -> Result<TokenStream, SpecError> {
    let mut generator = Generator::new(&settings(spec));
    let outcome = quietly(|| generate(&mut generator));

    let help = "the spec uses a construct progenitor 0.15 does not support; simplify the schema or operation named in the message";
    match outcome {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(spec.error(
            None,
            format!("progenitor could not generate the {what}: {error}"),
            help,
        )),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_string());
            Err(spec.error(
                None,
                format!("progenitor stopped while generating the {what}: {message}"),
                help,
            ))
        }
    }
}

thread_local! {
    /// Whether a panic on this thread is caught by [`quietly`] and must not be printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, catching a panic without printing it: the default hook would print the assertion
/// and a backtrace hint before our message, and the payload is all we need.
///
/// The panic hook is process-wide, so swapping it around `f` would race with other threads
/// (parallel tests): one could restore the silent hook over another's and leave every later
/// panic unprinted. Instead one hook is installed, once, that stays silent only for the thread
/// inside `quietly` and hands every other panic to the hook it replaced.
fn quietly<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was_quiet = QUIET.with(|quiet| quiet.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|quiet| quiet.set(was_quiet));
    outcome
}

/// Formats generated tokens and puts the "generated" header on top.
fn format(spec: &Spec, what: &str, tokens: TokenStream) -> Result<String, SpecError> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| {
        spec.error(
            None,
            format!("the generated {what} is not valid Rust: {error}"),
            "a name in the spec (operationId, schema or property) probably produced an invalid identifier; rename it",
        )
    })?;
    Ok(format!(
        "// @generated by seventime-codegen from {spec} — do not edit by hand.\n\
         // Edit {spec} and run `cargo xtask regen`.\n\n{body}",
        spec = spec.display_name(),
        body = prettyplease::unparse(&file),
    ))
}

/// Every record of every documented example of a resource's list and get-by-id, in spec order,
/// each `_id` once.
fn documented_records(spec: &Spec) -> String {
    use serde_json::Value;

    let document = spec.document();
    let mut all = serde_json::Map::new();
    for resource in spec.resources() {
        let mut records: Vec<Value> = Vec::new();
        for operation in resource.list.iter().chain(resource.get.iter()) {
            let route = operation.path.replace('~', "~0").replace('/', "~1");
            let pointer =
                format!("/paths/{route}/get/responses/200/content/application~1json/examples");
            let examples = document.pointer(&pointer).and_then(Value::as_object);
            for example in examples.into_iter().flat_map(|e| e.values()) {
                let data = example.pointer("/value/data");
                let found: Vec<&Value> = match data {
                    Some(Value::Array(items)) => items.iter().collect(),
                    Some(item @ Value::Object(_)) => vec![item],
                    _ => Vec::new(),
                };
                for record in found {
                    let id = record.get("_id");
                    if id.is_none() || !records.iter().any(|r| r.get("_id") == id) {
                        records.push(record.clone());
                    }
                }
            }
        }
        all.insert(resource.name.clone(), Value::Array(records));
    }
    // A map of JSON values always serializes.
    serde_json::to_string_pretty(&Value::Object(all)).unwrap_or_default()
}
