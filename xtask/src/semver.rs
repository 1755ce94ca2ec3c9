//! `cargo xtask semver` and the verdict `cargo xtask regen` prints: what the spec edits since a
//! git ref do to the crate's users, by Rust's semver rules (`seventime_codegen::semver`), and the
//! "Unreleased" entries of CHANGELOG.md.
//!
//! Both sides are generated in memory by today's generator from the spec as it was at the ref
//! (read with `git show`) and as it is in the working tree. So the verdict covers spec edits;
//! a change of the generator itself shows in the snapshot diffs instead.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use seventime_codegen::semver::{self, Bump, Impact, Kind, Verdict};
use seventime_codegen::{SPEC_IN_WORKSPACE, Spec};

/// `cargo xtask semver [--since REF] [--check]`.
pub fn semver(since: Option<String>, check: bool) -> Result<(), String> {
    let root = seventime_codegen::workspace_root().map_err(|e| e.to_string())?;
    let reference = match since {
        Some(reference) => reference,
        None => match last_release_tag(&root)? {
            Some(tag) => tag,
            None => {
                println!(
                    "no release tag (v*) yet, so there is nothing to compare with; \
                     tag the first release (`git tag v0.1.0`) or pass --since <git-ref>"
                );
                return Ok(());
            }
        },
    };
    let verdict = verdict_since(&root, &reference)?;
    println!("spec at {reference} → working tree");
    print!("{verdict}");
    if !check {
        return Ok(());
    }
    let old = version_at(&root, &reference)?;
    let new = version_in(
        &std::fs::read_to_string(root.join("Cargo.toml"))
            .map_err(|e| format!("cannot read Cargo.toml: {e}"))?,
    )?;
    let needed = Bump::needed(verdict.impact, old[0]);
    let made = Bump::between(old, new);
    if made < needed {
        return Err(format!(
            "the spec changes since {reference} need a {needed} version bump (API impact {}), \
             but the version goes from {} to {}, a {made} bump.\n  \
             help: raise `version` under [workspace.package] in Cargo.toml",
            verdict.impact,
            dotted(old),
            dotted(new),
        ));
    }
    println!(
        "version {} → {}: a {made} bump, enough for {} changes",
        dotted(old),
        dotted(new),
        verdict.impact
    );
    Ok(())
}

/// The verdict on the spec edits from `reference` to the working tree.
pub fn verdict_since(root: &Path, reference: &str) -> Result<Verdict, String> {
    let old_text = git(root, &["show", &format!("{reference}:{SPEC_IN_WORKSPACE}")])?;
    let path = root.join(SPEC_IN_WORKSPACE);
    let old = Spec::parse(&path, &old_text).map_err(|e| {
        format!("the spec at {reference} does not load with today's generator:\n{e}")
    })?;
    let new = Spec::load(&path).map_err(|e| e.to_string())?;
    semver::verdict(&old, &new).map_err(|e| e.to_string())
}

/// The newest tag named `v…` reachable from HEAD, if any.
fn last_release_tag(root: &Path) -> Result<Option<String>, String> {
    let output = Command::new("git")
        .args(["describe", "--tags", "--abbrev=0", "--match", "v[0-9]*"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    Ok(output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .filter(|tag| !tag.is_empty()))
}

fn version_at(root: &Path, reference: &str) -> Result<[u64; 3], String> {
    version_in(&git(root, &["show", &format!("{reference}:Cargo.toml")])?)
        .map_err(|e| format!("Cargo.toml at {reference}: {e}"))
}

/// `version` under `[workspace.package]` of a workspace manifest.
fn version_in(manifest: &str) -> Result<[u64; 3], String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[workspace.package]";
        } else if in_package && let Some(value) = line.strip_prefix("version") {
            let value = value
                .trim_start()
                .trim_start_matches('=')
                .trim()
                .trim_matches('"');
            let parts: Vec<u64> = value
                .split('.')
                .map(|part| {
                    part.parse()
                        .map_err(|_| format!("version `{value}` is not x.y.z"))
                })
                .collect::<Result<_, _>>()?;
            return match parts[..] {
                [major, minor, patch] => Ok([major, minor, patch]),
                _ => Err(format!("version `{value}` is not x.y.z")),
            };
        }
    }
    Err("no `version` under [workspace.package]".into())
}

fn dotted(version: [u64; 3]) -> String {
    format!("{}.{}.{}", version[0], version[1], version[2])
}

/// `Ok` when `root` is the top of a git checkout, so that `HEAD:<path>` names its files; else
/// why not (no git, no checkout, or a copy vendored inside another project's checkout).
pub(crate) fn history(root: &Path) -> Result<(), String> {
    if !root.join(".git").exists() {
        return Err(format!(
            "{} is not a git checkout (no .git)",
            root.display()
        ));
    }
    let top = git(root, &["rev-parse", "--show-toplevel"])?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(Path::new(top.trim()), root) {
        Ok(())
    } else {
        Err(format!(
            "{} is inside the git checkout {}, not the top of its own",
            root.display(),
            top.trim()
        ))
    }
}

pub(crate) fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("`git {}`: {e}", args.join(" ")))
}

/// The changelog, in the repository root.
pub(crate) const CHANGELOG: &str = "CHANGELOG.md";
const START: &str =
    "<!-- api-changes:start: `cargo xtask regen` rewrites what is between these markers -->";
const END: &str = "<!-- api-changes:end -->";

/// The changelog with its generated "Unreleased" entries: those committed at HEAD plus the
/// changes of the working tree's spec against HEAD's. Returns the new text.
pub(crate) fn changelog(
    current: &str,
    at_head: Option<&str>,
    verdict: &Verdict,
) -> Result<String, String> {
    let (before, _, after) = split(current).ok_or_else(|| {
        format!(
            "{CHANGELOG} has no `{START}` … `{END}` block under \"## [Unreleased]\"; put one back"
        )
    })?;
    let mut entries: BTreeSet<(Kind, Impact, String)> = at_head
        .and_then(split)
        .map(|(_, block, _)| parse_block(block))
        .unwrap_or_default();
    for change in &verdict.changes {
        entries.insert((
            change.kind,
            change.impact,
            format!("`{}` {}", change.item, change.reason),
        ));
    }
    Ok(format!(
        "{before}{START}\n{}{END}{after}",
        render_block(&entries)
    ))
}

fn split(text: &str) -> Option<(&str, &str, &str)> {
    let start = text.find(START)?;
    let end = text[start..].find(END)? + start;
    Some((
        &text[..start],
        &text[start + START.len()..end],
        &text[end + END.len()..],
    ))
}

const SECTIONS: [(Kind, &str); 3] = [
    (Kind::Added, "Added"),
    (Kind::Changed, "Changed"),
    (Kind::Removed, "Removed"),
];

fn render_block(entries: &BTreeSet<(Kind, Impact, String)>) -> String {
    if entries.is_empty() {
        return "\nNo change to the generated API since the last release.\n\n".into();
    }
    let impact = entries
        .iter()
        .map(|(_, impact, _)| *impact)
        .max()
        .unwrap_or(Impact::Patch);
    let mut out = format!("\nAPI impact of the spec changes: **{impact}**\n");
    for (kind, title) in SECTIONS {
        let mut lines: Vec<&(Kind, Impact, String)> =
            entries.iter().filter(|(k, _, _)| *k == kind).collect();
        if lines.is_empty() {
            continue;
        }
        lines.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
        out.push_str(&format!("\n### {title}\n\n"));
        for (_, impact, text) in lines {
            out.push_str(&format!("- {impact}: {text}\n"));
        }
    }
    out.push('\n');
    out
}

fn parse_block(block: &str) -> BTreeSet<(Kind, Impact, String)> {
    let mut entries = BTreeSet::new();
    let mut kind = None;
    for line in block.lines() {
        if let Some(title) = line.strip_prefix("### ") {
            kind = SECTIONS
                .iter()
                .find(|(_, t)| *t == title.trim())
                .map(|(k, _)| *k);
        } else if let (Some(kind), Some(entry)) = (kind, line.strip_prefix("- ")) {
            let (impact, text) = match entry.split_once(": ") {
                Some(("major", text)) => (Impact::Major, text),
                Some(("minor", text)) => (Impact::Minor, text),
                Some(("patch", text)) => (Impact::Patch, text),
                _ => continue,
            };
            entries.insert((kind, impact, text.to_string()));
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use seventime_codegen::semver::Change;

    fn verdict(changes: Vec<Change>) -> Verdict {
        Verdict::from_changes(changes)
    }

    fn change(impact: Impact, kind: Kind, item: &str) -> Change {
        Change {
            impact,
            kind,
            item: item.into(),
            reason: "reason".into(),
        }
    }

    const EMPTY: &str = "# Changelog\n\n## [Unreleased]\n\n<!-- api-changes:start: `cargo xtask regen` rewrites what is between these markers -->\n<!-- api-changes:end -->\n\n## [0.1.0]\n";

    #[test]
    fn committed_entries_stay_and_the_working_tree_adds_its_own() {
        let committed = changelog(
            EMPTY,
            None,
            &verdict(vec![change(Impact::Minor, Kind::Added, "Client::a")]),
        )
        .unwrap();
        let next = changelog(
            &committed,
            Some(&committed),
            &verdict(vec![change(Impact::Major, Kind::Removed, "types::B")]),
        )
        .unwrap();
        assert!(next.contains("- minor: `Client::a` reason"), "{next}");
        assert!(
            next.contains("### Removed\n\n- major: `types::B` reason"),
            "{next}"
        );
        assert!(
            next.contains("API impact of the spec changes: **major**"),
            "{next}"
        );
        assert!(next.ends_with("## [0.1.0]\n"), "{next}");
        // Running again changes nothing, and an edit undone before committing leaves no entry.
        assert_eq!(
            changelog(
                &next,
                Some(&committed),
                &verdict(vec![change(Impact::Major, Kind::Removed, "types::B")])
            )
            .unwrap(),
            next
        );
        assert_eq!(
            changelog(&next, Some(&committed), &verdict(vec![])).unwrap(),
            committed
        );
    }

    #[test]
    fn a_changelog_without_the_markers_is_an_error_that_says_so() {
        let error = changelog("# Changelog\n", None, &verdict(vec![])).unwrap_err();
        assert!(error.contains("api-changes:start"), "{error}");
    }

    #[test]
    fn the_workspace_version_is_read_from_its_table() {
        let manifest = "[workspace]\nmembers = []\n\n[workspace.package]\nversion = \"0.4.2\"\nedition = \"2024\"\n\n[package]\nversion = \"9.9.9\"\n";
        assert_eq!(version_in(manifest).unwrap(), [0, 4, 2]);
        assert!(version_in("[package]\nversion = \"1.0.0\"\n").is_err());
    }

    #[test]
    fn history_is_there_only_at_the_top_of_a_checkout() {
        let base = std::env::temp_dir().join(format!("xtask-history-{}", std::process::id()));
        let checkout = base.join("checkout");
        let inside = checkout.join("vendor").join("seventime-rs");
        std::fs::create_dir_all(&inside).unwrap();
        git(&checkout, &["init", "--quiet"]).unwrap();

        let at_top = history(&checkout);
        let vendored = history(&inside);
        let no_git = history(&base);
        std::fs::remove_dir_all(&base).unwrap();

        assert_eq!(at_top, Ok(()));
        // A copy vendored into another project's checkout has no .git of its own: its HEAD
        // would be the other project's.
        assert!(
            vendored
                .unwrap_err()
                .contains("is not a git checkout (no .git)")
        );
        assert!(
            no_git
                .unwrap_err()
                .contains("is not a git checkout (no .git)")
        );
    }
}
