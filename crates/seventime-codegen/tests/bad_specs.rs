//! Every way the spec is known to go wrong fails with a message that names the file, the place
//! and what to do — never a progenitor assertion.

use seventime_codegen::{Generated, Spec, SpecError, spec_path};

fn spec_text() -> String {
    std::fs::read_to_string(spec_path().unwrap_or_else(|error| panic!("{error}")))
        .expect("the workspace spec is readable")
}

/// Applies `edit` to the real spec, asserting that the text really changed.
fn edited(from: &str, to: &str) -> String {
    let text = spec_text();
    assert!(text.contains(from), "the spec no longer contains {from:?}");
    text.replacen(from, to, 1)
}

fn error_of(text: &str) -> SpecError {
    match Spec::parse(spec_path().unwrap_or_else(|error| panic!("{error}")), text)
        .and_then(|spec| Generated::from_spec(&spec))
    {
        Ok(_) => panic!("the edited spec was accepted"),
        Err(error) => error,
    }
}

#[track_caller]
fn assert_error(error: &SpecError, location: Option<&str>, problem: &str, help: &str) {
    assert_eq!(error.location(), location, "{error}");
    assert!(error.problem().contains(problem), "{error}");
    assert!(error.help().contains(help), "{error}");
    let message = error.to_string();
    assert!(
        message.starts_with(
            &spec_path()
                .unwrap_or_else(|error| panic!("{error}"))
                .display()
                .to_string()
        ),
        "{message}"
    );
    assert!(message.contains("\n  help: "), "{message}");
}

#[test]
fn invalid_yaml_names_the_position() {
    let error = error_of(&edited(
        "  title: Seven Time API\n",
        "  title: [Seven Time API\n",
    ));
    // The bracket opened on the title's line is still open when the next line starts a
    // mapping: the error names that next line.
    let title = spec_text()
        .lines()
        .position(|line| line == "  title: Seven Time API")
        .expect("the spec has the title line");
    let position = format!("line {} column 10", title + 2);
    assert_error(
        &error,
        Some(position.as_str()),
        "not valid YAML",
        "fix the YAML syntax at that position",
    );
}

#[test]
fn a_non_mapping_document_is_rejected() {
    let error = error_of("- just\n- a list\n");
    assert_error(&error, None, "not a mapping", "openapi: 3.0.3");
}

#[test]
fn openapi_3_1_is_rejected_with_the_version_to_use() {
    let error = error_of(&edited("openapi: 3.0.3", "openapi: 3.1.0"));
    assert_error(
        &error,
        Some("openapi"),
        "OpenAPI 3.1.0 is not supported",
        "write `openapi: 3.0.3`",
    );
}

#[test]
fn an_unresolved_ref_names_where_it_is_used() {
    let error = error_of(&edited(
        "$ref: \"#/components/schemas/FieldType\"",
        "$ref: \"#/components/schemas/FieldKind\"",
    ));
    assert_error(
        &error,
        Some("components.schemas.CustomField.properties.fieldType"),
        "`$ref: #/components/schemas/FieldKind` does not resolve",
        "define the target under `components`",
    );
}

#[test]
fn an_external_ref_is_rejected() {
    let error = error_of(&edited(
        "$ref: \"#/components/schemas/FieldType\"",
        "$ref: \"common.yaml#/FieldType\"",
    ));
    assert_error(
        &error,
        Some("components.schemas.CustomField.properties.fieldType"),
        "points outside this file",
        "keep the spec in one file",
    );
}

#[test]
fn a_missing_operation_id_names_the_operation() {
    let error = error_of(&edited("      operationId: get_custom_fields\n", ""));
    assert_error(
        &error,
        Some("paths./api/2/customFields/{entityType}.get"),
        "operation GET /api/2/customFields/{entityType} has no `operationId`",
        "add a unique snake_case `operationId`",
    );
}

#[test]
fn a_duplicate_operation_id_names_both_operations() {
    let error = error_of(&edited(
        "operationId: get_custom_fields",
        "operationId: list_custom_fields",
    ));
    assert_error(
        &error,
        Some("paths./api/2/customFields/{entityType}.get"),
        "`operationId: list_custom_fields` is already used by paths./api/2/customFields/.get",
        "give every operation its own `operationId`",
    );
}

#[test]
fn error_responses_with_different_schemas_are_named() {
    let text = edited(
        "    NotFound:\n      description: Nothing exists at that address — an unknown `_id`, or an entity type without a field configuration.\n      content:\n        application/json:\n          schema:\n            $ref: \"#/components/schemas/Error\"",
        "    NotFound:\n      description: Nothing exists at that address — an unknown `_id`, or an entity type without a field configuration.\n      content:\n        application/json:\n          schema:\n            $ref: \"#/components/schemas/CustomFieldList\"",
    );
    let error = error_of(&text);
    assert_error(
        &error,
        Some("paths./api/2/contactPersons.get.responses"),
        "the error responses use different schemas (404 → #/components/schemas/CustomFieldList; 400, 401, 403, 429, 500, 503 → #/components/schemas/Error)",
        "make every error response of the operation use the same schema",
    );
}

#[test]
fn enum_varnames_of_the_wrong_length_are_counted() {
    let error = error_of(&edited("        - PaymentPlan\n", ""));
    assert_error(
        &error,
        Some("components.schemas.EntityType"),
        "`x-enum-varnames` has 20 names but `enum` has 21 codes",
        "give exactly one variant name per code",
    );
}

#[test]
fn enum_descriptions_of_the_wrong_length_are_counted() {
    let error = error_of(&edited("        - Multi select list\n", ""));
    assert_error(
        &error,
        Some("components.schemas.FieldType"),
        "`x-enum-descriptions` has 5 labels but `x-extensible-enum` has 6 codes",
        "give exactly one label per code",
    );
}

#[test]
fn an_enum_variant_that_is_not_a_rust_name_is_rejected() {
    let error = error_of(&edited("        - YesNo\n", "        - yes-no\n"));
    assert_error(
        &error,
        Some("components.schemas.FieldType"),
        "`yes-no` in `x-enum-varnames` cannot be a Rust variant name",
        "use PascalCase names",
    );
}

#[test]
fn the_reserved_unknown_variant_is_rejected() {
    let error = error_of(&edited("        - YesNo\n", "        - Unknown\n"));
    assert_error(
        &error,
        Some("components.schemas.FieldType"),
        "`Unknown`",
        "`Unknown` is reserved",
    );
}

#[test]
fn a_duplicate_code_is_rejected() {
    let error = error_of(&edited("1900, 2000, 2100]", "1900, 2000, 2000]"));
    assert_error(
        &error,
        Some("components.schemas.EntityType"),
        "code `2000` is listed twice",
        "list every code once",
    );
}

#[test]
fn varnames_without_codes_are_rejected() {
    let error = error_of(&edited(
        "      x-extensible-enum: [10100, 10200, 10300, 10400, 10500, 10600]\n",
        "",
    ));
    assert_error(
        &error,
        Some("components.schemas.FieldType"),
        "the schema lists none",
        "list the codes in `enum` (closed set) or `x-extensible-enum` (open set)",
    );
}

#[test]
fn a_spec_without_an_api_key_scheme_is_rejected() {
    let error = error_of(&edited(
        "      type: apiKey\n",
        "      type: http\n      scheme: basic\n",
    ));
    assert_error(
        &error,
        Some("components.securitySchemes"),
        "no `apiKey` security scheme sent in a header",
        "name: Client-Secret",
    );
}

#[test]
fn a_missing_file_names_the_path() {
    let error = Spec::load("/nonexistent/seventime.yaml").unwrap_err();
    assert_eq!(
        error.file(),
        std::path::Path::new("/nonexistent/seventime.yaml")
    );
    assert!(
        error.problem().starts_with("cannot read the spec"),
        "{error}"
    );
}

#[test]
fn a_status_that_is_not_http_is_rejected() {
    let error = error_of(&edited("        \"503\":\n", "        \"5030\":\n"));
    assert_error(
        &error,
        Some("paths./api/2/customFields/.get.responses.5030"),
        "`5030` is not an HTTP status code",
        "use a code from 100 to 599",
    );
}

/// A shape that passes the checks above but that progenitor cannot generate: two different
/// inline error schemas (the checks compare `$ref`s only). progenitor's `assert!` must come back
/// as a message, not a panic.
#[test]
fn a_progenitor_panic_becomes_a_message() {
    let error_refs: String = [
        ("400", "BadRequest"),
        ("401", "Unauthorized"),
        ("403", "Forbidden"),
        ("404", "NotFound"),
        ("429", "TooManyRequests"),
        ("500", "InternalServerError"),
        ("503", "ServiceUnavailable"),
    ]
    .iter()
    .map(|(status, name)| {
        format!("        \"{status}\":\n          $ref: \"#/components/responses/{name}\"\n")
    })
    .collect();
    let inline = "        \"400\":\n          description: object\n          content:\n            application/json:\n              schema:\n                type: object\n        \"404\":\n          description: text\n          content:\n            application/json:\n              schema:\n                type: string\n";
    let error = error_of(&edited(&error_refs, inline));
    assert_error(
        &error,
        None,
        "progenitor stopped while generating the client",
        "progenitor 0.15 does not support",
    );
}

#[test]
fn operations_must_share_one_success_status() {
    let error = error_of(&edited(
        "        \"200\":\n          $ref: \"#/components/responses/CustomFields\"\n        \"400\":\n          $ref: \"#/components/responses/BadRequest\"\n        \"401\":\n          $ref: \"#/components/responses/Unauthorized\"\n        \"403\":\n          $ref: \"#/components/responses/Forbidden\"\n        \"404\":\n          $ref: \"#/components/responses/NotFound\"\n        \"429\":\n          $ref: \"#/components/responses/TooManyRequests\"\n        \"500\":\n          $ref: \"#/components/responses/InternalServerError\"\n        \"503\":\n          $ref: \"#/components/responses/ServiceUnavailable\"\n  /api/2/customFields/{entityType}:",
        "        \"203\":\n          $ref: \"#/components/responses/CustomFields\"\n  /api/2/customFields/{entityType}:",
    ));
    assert_error(
        &error,
        Some("paths./api/2/customFields/.get.responses"),
        "the success status is 203, but paths./api/2/contactPersons.get.responses documents 200",
        "document the same success status (200) for every operation",
    );
}

#[test]
fn a_parent_resource_that_is_not_a_resource_is_named() {
    let error = error_of(&edited(
        "x-parent-resource: projects",
        "x-parent-resource: projekt",
    ));
    assert_error(
        &error,
        Some("paths./api/2/supplementOrders/.get.parameters.project.x-parent-resource"),
        "`x-parent-resource: projekt` on `project` of resource `supplement-orders` is not another resource",
        "name the `x-resource` of the records",
    );
    let error = error_of(&edited(
        "x-parent-resource: projects",
        "x-parent-resource: [projects]",
    ));
    assert_error(
        &error,
        Some("paths./api/2/supplementOrders/.get.parameters[0].x-parent-resource"),
        "must name a resource",
        "x-parent-resource: projects",
    );
}
