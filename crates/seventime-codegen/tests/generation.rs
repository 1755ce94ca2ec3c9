//! Generation from the real spec and from edited copies of it.

use seventime_codegen::{Generated, Spec, spec_path, surface_summary};

fn spec_text() -> String {
    std::fs::read_to_string(spec_path().unwrap_or_else(|error| panic!("{error}")))
        .expect("the workspace spec is readable")
}

fn generate(text: &str) -> (Spec, Generated) {
    let spec = Spec::parse(spec_path().unwrap_or_else(|error| panic!("{error}")), text)
        .unwrap_or_else(|error| panic!("{error}"));
    let generated = Generated::from_spec(&spec).unwrap_or_else(|error| panic!("{error}"));
    (spec, generated)
}

#[test]
fn output_is_deterministic_byte_for_byte() {
    let text = spec_text();
    let (_, first) = generate(&text);
    let (_, second) = generate(&text);
    assert_eq!(first, second);
}

#[test]
fn output_says_it_is_generated_and_from_which_file() {
    let (_, generated) = generate(&spec_text());
    for source in [&generated.client, &generated.httpmock] {
        let header = source.lines().next().unwrap();
        assert!(header.starts_with("// @generated"), "{header}");
        assert!(header.contains("openapi/seventime.yaml"), "{header}");
    }
}

/// rustdoc reports an `ignore` block as an ignored test on every run; the operations' usage
/// examples are text instead, and each operation still has one.
#[test]
fn usage_examples_are_text_not_ignored_doctests() {
    let (spec, generated) = generate(&spec_text());
    for source in [&generated.client, &generated.httpmock, &generated.cli] {
        assert!(
            !source.contains("```ignore"),
            "an `ignore` doctest is generated"
        );
    }
    let operations = spec.operation_count();
    let examples = generated
        .client
        .matches("```text\nlet response = client.")
        .count();
    assert_eq!(examples, operations, "one usage example per operation");
}

#[test]
fn spec_facts_reach_the_generated_constants() {
    let (spec, generated) = generate(&spec_text());
    assert_eq!(spec.api_key_header(), "Client-Secret");
    assert_eq!(spec.default_base_url(), "https://app.seventime.se");
    assert!(
        generated
            .client
            .contains(r#"pub const API_KEY_HEADER: &str = "Client-Secret";"#)
    );
    assert!(
        generated
            .client
            .contains(r#"pub const DEFAULT_BASE_URL: &str = "https://app.seventime.se";"#)
    );
}

#[test]
fn both_operations_are_generated_with_the_named_enum_as_parameter() {
    let (spec, generated) = generate(&spec_text());
    let summary = surface_summary(&spec, &generated);
    assert!(summary.contains(
        "list_custom_fields: GET /api/2/customFields/ (builder::ListCustomFields)\n  .entity_type(EntityType) optional, query entityType\n"
    ));
    assert!(summary.contains(
        "get_custom_fields: GET /api/2/customFields/{entityType} (builder::GetCustomFields)\n  .entity_type(EntityType) required, path entityType\n"
    ));
    assert!(summary.contains("  ok: types::CustomFieldList\n  err: types::Error\n"));
}

#[test]
fn adding_a_code_to_the_spec_adds_a_variant() {
    let text = spec_text()
        .replace("1900, 2000, 2100]", "1900, 2000, 2100, 2200]")
        .replace(
            "        - PaymentPlan\n",
            "        - PaymentPlan\n        - ServiceReport\n",
        )
        .replace(
            "        - Payment plan\n",
            "        - Payment plan\n        - Service report\n",
        );
    let (spec, generated) = generate(&text);
    let entity = &spec.named_enums()[0];
    let last = entity.variants.last().unwrap();
    assert_eq!(
        (last.code, last.name.as_str(), last.label.as_str()),
        (2200, "ServiceReport", "Service report")
    );
    assert!(generated.client.contains("    ServiceReport,\n"));
    assert!(generated.client.contains("2200 => Self::ServiceReport,"));
    assert!(
        generated
            .client
            .contains(r#""servicereport" => return Ok(Self::ServiceReport),"#)
    );
    assert!(surface_summary(&spec, &generated).contains("\n  ServiceReport = 2200\n"));
}

#[test]
fn a_spec_outside_the_workspace_is_named_by_its_file_name() {
    let spec = Spec::parse("/elsewhere/other.yaml", &spec_text()).unwrap();
    assert_eq!(spec.display_name(), "other.yaml");
}

#[test]
fn adding_a_paginated_resource_reaches_every_consumer() {
    let paths = r##"  /api/2/timeReports:
    get:
      tags: [timeReports]
      operationId: list_time_reports
      summary: List time reports.
      description: A new resource, added to show that it flows to every consumer.
      x-resource: time-reports
      x-paginated: true
      parameters:
        - $ref: "#/components/parameters/Limit"
        - $ref: "#/components/parameters/Page"
        - $ref: "#/components/parameters/LastModified"
        - name: user
          in: query
          required: false
          description: Only reports of this user.
          schema:
            type: string
      responses:
        "200":
          description: A page of time reports.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/TimeReportPage"
              examples:
                documented:
                  value:
                    meta: {totalResources: 1, totalPages: 1, currentPage: 1}
                    data:
                      - {_id: 5f0c1e2d3a4b5c6d7e8f9a0b, hours: 7.5}
        "401":
          $ref: "#/components/responses/Unauthorized"
components:
"##;
    let schemas = r##"  schemas:
    TimeReport:
      type: object
      required: [_id]
      x-table-columns: [hours]
      properties:
        _id: {type: string}
        hours: {type: number}
      additionalProperties: {}
    TimeReportPage:
      type: object
      required: [meta, data]
      properties:
        meta: {$ref: "#/components/schemas/PageMeta"}
        data: {type: array, items: {$ref: "#/components/schemas/TimeReport"}}
      additionalProperties: {}
"##;
    let text = spec_text()
        .replacen("components:\n", paths, 1)
        .replacen("  schemas:\n", schemas, 1);
    let (spec, generated) = generate(&text);
    let client = &generated.client;
    for expected in [
        "pub fn list_time_reports(&self) -> builder::ListTimeReports<'_>",
        "impl<'a> crate::PagedRequest for builder::ListTimeReports<'a>",
        "type Item = types::TimeReport;",
        "const MAX_PAGE_SIZE: u64 = 500;",
        "pub fn into_paginator(self) -> crate::Paginator<Self>",
        "name: \"time-reports\"",
        "\"user\" => request.user(value.clone()),",
        "\"lastModified\" => {",
    ] {
        assert!(client.contains(expected), "the client lacks {expected:?}");
    }
    assert!(
        generated
            .cli
            .contains("CliCommand::ListTimeReports => Self::cli_list_time_reports(),")
    );
    assert!(
        generated
            .httpmock
            .contains("fn list_time_reports<F>(&self, config_fn: F)")
    );
    let examples: serde_json::Value = serde_json::from_str(&generated.examples).unwrap();
    assert_eq!(
        examples["time-reports"],
        serde_json::json!([{"_id": "5f0c1e2d3a4b5c6d7e8f9a0b", "hours": 7.5}])
    );
    assert!(
        surface_summary(&spec, &generated).contains("list_time_reports: GET /api/2/timeReports")
    );
}

/// The client crate packages a copy of the spec (a published crate cannot read the workspace);
/// the copy must be the workspace spec, byte for byte.
#[test]
fn the_client_crate_packages_the_workspace_spec_unchanged() {
    let root = seventime_codegen::workspace_root().unwrap_or_else(|error| panic!("{error}"));
    let copy = root
        .join("crates")
        .join(seventime_codegen::CLIENT_CRATE)
        .join(seventime_codegen::SPEC_IN_CLIENT_CRATE);
    let copy = std::fs::read_to_string(&copy)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", copy.display()));
    assert!(
        copy == spec_text(),
        "crates/seventime/openapi/seventime.yaml differs from openapi/seventime.yaml: run `cargo xtask regen`"
    );
}
