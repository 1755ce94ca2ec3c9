//! The semver verdict of `cargo xtask regen`, on a table of spec edits: each edit is applied to
//! the workspace spec, both versions are generated, and the verdict and its reasons must be the
//! ones a Rust user would see (the Cargo book's "SemVer Compatibility" rules, applied to the
//! generated code). Cases marked `reverse` apply the edit to the *old* spec instead, to test the
//! opposite direction of an edit the spec loader would refuse on the new side.

mod case;
mod edit;
mod enums;
mod envelopes;
mod operations;
mod parameters;
mod properties;
mod schemas;
mod wire_only;

use serde_json::Value;
use seventime_codegen::semver::{self, Impact, Verdict};
use seventime_codegen::{Spec, Surface, spec_path};

use case::Case;

/// The whole table, its parts in one fixed order.
fn cases() -> Vec<Case> {
    [
        wire_only::cases(),
        operations::cases(),
        parameters::cases(),
        properties::cases(),
        schemas::cases(),
        enums::cases(),
        envelopes::cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The spec as JSON, edited by `edit`, loaded under the workspace spec's path.
fn load(original: &Value, edit: Option<fn(&mut Value)>) -> Result<Spec, String> {
    let mut document = original.clone();
    if let Some(edit) = edit {
        edit(&mut document);
    }
    let path = spec_path().map_err(|e| e.to_string())?;
    // JSON is YAML: the loader reads the edited document as it reads the file.
    Spec::parse(path, &document.to_string()).map_err(|e| e.to_string())
}

fn surface(spec: &Spec) -> Result<Surface, String> {
    let client = seventime_codegen::Generated::client_only(spec).map_err(|e| e.to_string())?;
    Surface::from_client(spec, &client).map_err(|e| e.to_string())
}

/// What went wrong with one case, if anything.
fn check(case: &Case, original: &Value, unedited: &Surface) -> Option<String> {
    let edited = match load(original, Some(case.edit)).and_then(|spec| surface(&spec)) {
        Ok(surface) => surface,
        Err(error) => return Some(format!("the edited spec does not generate: {error}")),
    };
    let verdict: Verdict = if case.reverse {
        semver::compare(&edited, unedited)
    } else {
        semver::compare(unedited, &edited)
    };
    let lines: Vec<String> = verdict.changes.iter().map(ToString::to_string).collect();
    let mut problems = Vec::new();
    if verdict.impact != case.impact {
        problems.push(format!(
            "impact {} instead of {}",
            verdict.impact, case.impact
        ));
    }
    if case.reasons.is_empty() && !lines.is_empty() {
        problems.push("changes where none were expected".to_string());
    }
    for reason in case.reasons {
        if !lines.iter().any(|line| line.contains(reason)) {
            problems.push(format!("no change says `{reason}`"));
        }
    }
    (!problems.is_empty()).then(|| format!("{}\n{verdict}", problems.join("; ")))
}

#[test]
fn every_spec_edit_of_the_table_gets_its_verdict_and_reasons() {
    let path = spec_path().unwrap_or_else(|error| panic!("{error}"));
    let original = Spec::load(&path)
        .unwrap_or_else(|error| panic!("{error}"))
        .document()
        .clone();
    let unedited = load(&original, None)
        .and_then(|spec| surface(&spec))
        .unwrap_or_else(|error| panic!("{error}"));
    let cases = cases();
    assert!(cases.len() >= 30, "the table must hold at least 30 edits");

    // Generation dominates; two threads halve the wall time on this 2-core machine.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let halves = cases.chunks(cases.len().div_ceil(2));
        let workers: Vec<_> = halves
            .map(|half| {
                let (original, unedited) = (&original, &unedited);
                scope.spawn(move || {
                    half.iter()
                        .filter_map(|case| {
                            check(case, original, unedited)
                                .map(|problem| format!("{}: {problem}", case.name))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|_| vec!["a worker panicked".to_string()])
            })
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} edits got the wrong verdict:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn an_unchanged_spec_is_a_patch_with_no_changes() {
    let path = spec_path().unwrap_or_else(|error| panic!("{error}"));
    let spec = Spec::load(&path).unwrap_or_else(|error| panic!("{error}"));
    let surface = surface(&spec).unwrap_or_else(|error| panic!("{error}"));
    let verdict = semver::compare(&surface, &surface);
    assert_eq!(verdict.impact, Impact::Patch);
    assert!(verdict.changes.is_empty(), "{verdict}");
}
