//! Every link in the workspace's documentation resolves: README.md, CHANGELOG.md, BENCHMARKS.md,
//! every page under `docs/`, and the doc comments of `crates/seventime/src/lib.rs` (whose links
//! to the repository must name files that exist here).
//!
//! For each markdown link `[text](target)` or reference definition `[label]: target` outside
//! fenced code blocks and code spans: a relative target must exist on disk, relative to the file
//! it is in; a `#anchor` into a markdown file must match one of its headings, slugged as GitHub
//! does; a URL into this repository (`<repository>/blob/main/…` or `/tree/main/…`, the
//! repository from the workspace `Cargo.toml`) must name a file of the workspace. Links to other
//! hosts are not checked: the tests need no network. Only `std` is used.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// The workspace root: the parent of this member's directory.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests member lives inside the workspace")
        .to_path_buf()
}

/// `repository` of the workspace `Cargo.toml`, without a trailing slash.
fn repository(root: &Path) -> String {
    let manifest = fs::read_to_string(root.join("Cargo.toml")).expect("the workspace Cargo.toml");
    manifest
        .lines()
        .find_map(|line| {
            let value = line.trim().strip_prefix("repository")?.trim_start();
            let value = value.strip_prefix('=')?.trim().trim_matches('"');
            Some(value.trim_end_matches('/').to_owned())
        })
        .expect("the workspace Cargo.toml sets `repository`")
}

/// The documents whose links are checked, relative to the root: README.md, CHANGELOG.md,
/// BENCHMARKS.md, every `docs/**/*.md`, and the crate root of the client.
fn documents(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![
        PathBuf::from("README.md"),
        PathBuf::from("CHANGELOG.md"),
        PathBuf::from("BENCHMARKS.md"),
    ];
    let mut pages = Vec::new();
    markdown_under(root, Path::new("docs"), &mut pages);
    pages.sort();
    files.extend(pages);
    files.push(PathBuf::from("crates/seventime/src/lib.rs"));
    files
}

/// Every `.md` file under `dir` (relative to `root`), recursively.
fn markdown_under(root: &Path, dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(root.join(dir)) else {
        return;
    };
    for entry in entries {
        let entry = entry.expect("a readable directory entry");
        let relative = dir.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            markdown_under(root, &relative, found);
        } else if relative
            .extension()
            .is_some_and(|extension| extension == "md")
        {
            found.push(relative);
        }
    }
}

/// One link of a document.
#[derive(Debug, Clone, PartialEq)]
struct Link {
    /// 1-based line number in the document.
    line: usize,
    /// The link as written, for messages.
    written: String,
    /// Where it points, as written.
    target: String,
}

/// The markdown of a document, with each line's number: the file itself, or for a Rust file
/// the text of its `//!` and `///` comments.
fn markdown_of(path: &Path, text: &str) -> Vec<(usize, String)> {
    let lines = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line));
    if path.extension().is_some_and(|extension| extension == "rs") {
        lines
            .filter_map(|(number, line)| {
                let trimmed = line.trim_start();
                let comment = trimmed
                    .strip_prefix("//!")
                    .or_else(|| trimmed.strip_prefix("///"))?;
                Some((
                    number,
                    comment.strip_prefix(' ').unwrap_or(comment).to_owned(),
                ))
            })
            .collect()
    } else {
        lines
            .map(|(number, line)| (number, line.to_owned()))
            .collect()
    }
}

/// The lines of `markdown` that are not inside fenced code blocks (``` or ~~~).
fn outside_fences(markdown: &[(usize, String)]) -> Vec<(usize, &str)> {
    let mut fence: Option<(char, usize)> = None;
    let mut prose = Vec::new();
    for (number, line) in markdown {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |c| trimmed.chars().take_while(|x| *x == c).count());
        match (fence, marker) {
            (None, Some(c)) if run >= 3 => fence = Some((c, run)),
            (Some((open, length)), Some(c))
                if c == open
                    && run >= length
                    && trimmed[run * c.len_utf8()..].trim().is_empty() =>
            {
                fence = None;
            }
            (None, _) => prose.push((*number, line.as_str())),
            (Some(_), _) => {}
        }
    }
    prose
}

/// `line` as characters, with the inside of code spans replaced by spaces, so that brackets in
/// code do not read as links.
fn mask_code_spans(line: &[char]) -> Vec<char> {
    let mut masked = line.to_vec();
    let mut index = 0;
    while index < line.len() {
        if line[index] != '`' {
            index += 1;
            continue;
        }
        let run = line[index..].iter().take_while(|c| **c == '`').count();
        let start = index + run;
        // The closing run: the same number of backticks, not part of a longer run.
        let mut close = None;
        let mut at = start;
        while at < line.len() {
            if line[at] == '`' {
                let length = line[at..].iter().take_while(|c| **c == '`').count();
                if length == run {
                    close = Some(at);
                    break;
                }
                at += length;
            } else {
                at += 1;
            }
        }
        match close {
            Some(end) => {
                masked[start..end].iter_mut().for_each(|c| *c = ' ');
                index = end + run;
            }
            None => index = start,
        }
    }
    masked
}

/// The index of the character closing the bracket opened at `open` (`[`/`]` or `(`/`)`).
fn closing(chars: &[char], open: usize, opener: char, closer: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut index = open;
    while index < chars.len() {
        match chars[index] {
            '\\' => index += 1,
            c if c == opener => depth += 1,
            c if c == closer => {
                depth -= 1;
                if depth == 0 {
                    return Some(index);
                }
            }
            _ => {}
        }
        index += 1;
    }
    None
}

/// The links of one document: inline links and images, and reference definitions.
fn links(markdown: &[(usize, String)]) -> Vec<Link> {
    let mut found = Vec::new();
    for (number, line) in outside_fences(markdown) {
        let chars: Vec<char> = line.chars().collect();
        let masked = mask_code_spans(&chars);
        let text = |from: usize, to: usize| chars[from..to].iter().collect::<String>();

        // A reference definition: `[label]: target`, indented at most three spaces.
        let indent = masked.iter().take_while(|c| **c == ' ').count();
        if indent <= 3
            && masked.get(indent) == Some(&'[')
            && masked.get(indent + 1) != Some(&'^')
            && let Some(end) = closing(&masked, indent, '[', ']')
            && masked.get(end + 1) == Some(&':')
            && let Some(target) = text(end + 2, chars.len()).split_whitespace().next()
        {
            let target = target.trim_start_matches('<').trim_end_matches('>');
            found.push(Link {
                line: number,
                written: line.trim().to_owned(),
                target: target.to_owned(),
            });
            continue;
        }

        // Inline links: `[text](target)` and `[text](target "title")`; nested ones too.
        for open in 0..masked.len() {
            if masked[open] != '[' || (open > 0 && masked[open - 1] == '\\') {
                continue;
            }
            let Some(close) = closing(&masked, open, '[', ']') else {
                continue;
            };
            if masked.get(close + 1) != Some(&'(') {
                continue;
            }
            let Some(end) = closing(&masked, close + 1, '(', ')') else {
                continue;
            };
            let inside = text(close + 2, end);
            let inside = inside.trim();
            let target = match inside.strip_prefix('<') {
                Some(bracketed) => bracketed.split('>').next().unwrap_or_default(),
                None => inside.split_whitespace().next().unwrap_or_default(),
            };
            let start = if open > 0 && masked[open - 1] == '!' {
                open - 1
            } else {
                open
            };
            found.push(Link {
                line: number,
                written: text(start, end + 1),
                target: target.to_owned(),
            });
        }
    }
    found
}

/// A heading's anchor as GitHub makes it: lower case, punctuation other than `-` and `_`
/// dropped, spaces turned into `-`. Link syntax in the heading counts by its text only.
fn slug(heading: &str) -> String {
    let chars: Vec<char> = heading.chars().collect();
    let mut text = String::new();
    let mut index = 0;
    while index < chars.len() {
        // `[text](target)` reads as `text`.
        if chars[index] == ']'
            && chars.get(index + 1) == Some(&'(')
            && let Some(end) = closing(&chars, index + 1, '(', ')')
        {
            index = end + 1;
            continue;
        }
        text.push(chars[index]);
        index += 1;
    }
    text.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Every anchor of a markdown document: its headings' slugs (a repeated slug gets `-1`, `-2`, …
/// as on GitHub), and the `id`s and `name`s of HTML elements.
fn anchors(markdown: &str) -> BTreeSet<String> {
    let lines = markdown_of(Path::new("page.md"), markdown);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut anchors = BTreeSet::new();
    for (_, line) in outside_fences(&lines) {
        let trimmed = line.trim_start();
        let level = trimmed.chars().take_while(|c| *c == '#').count();
        let is_heading = (1..=6).contains(&level)
            && line.len() - trimmed.len() <= 3
            && trimmed[level..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace);
        if is_heading {
            let text = trimmed[level..].trim().trim_end_matches('#').trim_end();
            let base = slug(text);
            let count = seen.entry(base.clone()).or_insert(0);
            anchors.insert(if *count == 0 {
                base.clone()
            } else {
                format!("{base}-{count}")
            });
            *count += 1;
        }
        for attribute in ["id=\"", "name=\""] {
            let mut rest = line;
            while let Some(at) = rest.find(attribute) {
                rest = &rest[at + attribute.len()..];
                if let Some(end) = rest.find('"') {
                    anchors.insert(rest[..end].to_owned());
                }
            }
        }
    }
    anchors
}

/// `%XX` escapes decoded (as in `Rabatt%20%25`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        if bytes[index] == b'%'
            && let (Some(high), Some(low)) = (hex(index + 1), hex(index + 2))
        {
            decoded.push((high * 16 + low) as u8);
            index += 3;
            continue;
        }
        decoded.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// `path` with `.` and `..` resolved lexically; `None` when it climbs out of the root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Normal(part) => parts.push(part),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// Where one link of `document` points, relative to the root, with its anchor: `None` for a
/// link this test does not check (another host, another scheme, an intra-doc link of rustdoc).
enum Destination {
    /// A file or directory of the workspace (`path` relative to the root; empty for the
    /// document itself) and the anchor, if any.
    Local(String, Option<String>),
    /// Not checked.
    Elsewhere,
}

fn destination(document: &Path, target: &str, repository: &str) -> Destination {
    let in_rust = document
        .extension()
        .is_some_and(|extension| extension == "rs");
    let (path, anchor) = match target.split_once('#') {
        Some((path, anchor)) => (path, Some(percent_decode(anchor))),
        None => (target, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    for kind in ["blob", "tree"] {
        if let Some(rest) = path.strip_prefix(&format!("{repository}/{kind}/main/")) {
            return Destination::Local(percent_decode(rest), anchor);
        }
    }
    let has_scheme = path
        .split_once(':')
        .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains('/'));
    // In Rust doc comments, anything but a URL into the repository is rustdoc's business.
    if has_scheme || in_rust {
        return Destination::Elsewhere;
    }
    let decoded = percent_decode(path);
    if decoded.is_empty() {
        return Destination::Local(String::new(), anchor);
    }
    let joined = match decoded.strip_prefix('/') {
        // GitHub reads `/path` from the repository's root.
        Some(from_root) => PathBuf::from(from_root),
        None => document.parent().unwrap_or(Path::new("")).join(&decoded),
    };
    match normalize(&joined) {
        Some(resolved) => Destination::Local(resolved.to_string_lossy().into_owned(), anchor),
        None => Destination::Local(format!("../{decoded}"), anchor),
    }
}

/// The problems of every link of `documents` (relative to `root`), one message each, and the
/// number of links checked.
fn check(root: &Path, documents: &[PathBuf], repository: &str) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut anchor_cache: HashMap<PathBuf, BTreeSet<String>> = HashMap::new();
    for document in documents {
        let name = document.display();
        let text = match fs::read_to_string(root.join(document)) {
            Ok(text) => text,
            Err(error) => {
                problems.push(format!("{name}: cannot be read: {error}"));
                continue;
            }
        };
        for link in links(&markdown_of(document, &text)) {
            let Destination::Local(path, anchor) = destination(document, &link.target, repository)
            else {
                continue;
            };
            checked += 1;
            let at = format!("{name}:{}: link `{}`", link.line, link.written);
            if link.target.is_empty() {
                problems.push(format!("{at}: the target is empty"));
                continue;
            }
            let file = if path.is_empty() {
                document.clone()
            } else {
                PathBuf::from(&path)
            };
            if path.starts_with("../") {
                problems.push(format!(
                    "{at}: `{}` points outside the workspace",
                    link.target
                ));
                continue;
            }
            let on_disk = root.join(&file);
            if !on_disk.exists() {
                problems.push(format!(
                    "{at}: `{}` does not exist (resolved from {name} to `{}`)",
                    link.target,
                    file.display()
                ));
                continue;
            }
            let Some(anchor) = anchor.filter(|anchor| !anchor.is_empty()) else {
                continue;
            };
            if file.extension().is_none_or(|extension| extension != "md") {
                continue; // Anchors into source files (`#L10`) are GitHub's, not headings.
            }
            let known = anchor_cache
                .entry(file.clone())
                .or_insert_with(|| anchors(&fs::read_to_string(&on_disk).unwrap_or_default()));
            if !known.contains(&anchor) {
                problems.push(format!(
                    "{at}: `{}` has no heading with the anchor `#{anchor}` (its anchors: {})",
                    file.display(),
                    known
                        .iter()
                        .map(|a| format!("#{a}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    }
    (problems, checked)
}

#[test]
fn every_documentation_link_resolves() {
    let root = root();
    let repository = repository(&root);
    let documents = documents(&root);
    assert!(
        documents.iter().any(|path| path.starts_with("docs")),
        "no page under docs/ was found in {}",
        root.display()
    );
    let (problems, checked) = check(&root, &documents, &repository);
    assert!(
        checked > 0,
        "no link was found in {documents:?}: is the parser broken?"
    );
    assert!(
        problems.is_empty(),
        "{} broken documentation link(s) of {checked}:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn every_docs_page_is_linked_from_the_readme_the_index_and_the_crate_docs() {
    let root = root();
    let repository = repository(&root);
    let mut pages = Vec::new();
    markdown_under(&root, Path::new("docs"), &mut pages);
    pages.sort();
    let mut problems = Vec::new();
    for from in ["README.md", "docs/README.md", "crates/seventime/src/lib.rs"] {
        let document = Path::new(from);
        let text = fs::read_to_string(root.join(document)).expect("a readable document");
        let linked: BTreeSet<PathBuf> = links(&markdown_of(document, &text))
            .iter()
            .filter_map(
                |link| match destination(document, &link.target, &repository) {
                    Destination::Local(path, _) if !path.is_empty() => Some(PathBuf::from(path)),
                    _ => None,
                },
            )
            .collect();
        for page in &pages {
            if page != document && !linked.contains(page) {
                problems.push(format!("{from} does not link the page {}", page.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker on a small made-up workspace: it must report each kind of broken link, and
/// nothing for good links or links in code.
#[test]
fn the_checker_reports_broken_links_and_only_those() {
    let repository = "https://github.com/example/project";
    let root = std::env::temp_dir().join(format!("seventime-doc-links-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("docs")).expect("a temporary directory");
    fs::write(root.join("CHANGELOG.md"), "# Changelog\n").expect("a file");
    fs::write(
        root.join("docs/guide.md"),
        "# The guide\n\n## Going on — fast, `well`\n\n## Twice\n\n## Twice\n\n```sh\n# not a heading\n```\n",
    )
    .expect("a file");
    let readme = "\
# Readme

Good: [guide](docs/guide.md), [section](docs/guide.md#going-on--fast-well),
[repeat](docs/guide.md#twice-1), [self](#readme), [changes][log], ![img](CHANGELOG.md),
[blob](https://github.com/example/project/blob/main/CHANGELOG.md), [web](https://example.com/x),
`[in code](nowhere.md)`.

Bad: [missing](docs/nothing.md), [anchor](docs/guide.md#not-there),
[fenced heading](docs/guide.md#not-a-heading), [own](#nope),
[blob](https://github.com/example/project/blob/main/docs/gone.md), [up](../../outside.md).

```text
[in a fence](nowhere.md)
```

[log]: CHANGELOG.md
[dead]: docs/dead.md
";
    fs::write(root.join("README.md"), readme).expect("a file");
    let documents = [PathBuf::from("README.md"), PathBuf::from("docs/guide.md")];
    let (problems, checked) = check(&root, &documents, repository);
    let _ = fs::remove_dir_all(&root);

    let expected = [
        "README.md:8: link `[missing](docs/nothing.md)`: `docs/nothing.md` does not exist",
        "README.md:8: link `[anchor](docs/guide.md#not-there)`: `docs/guide.md` has no heading with the anchor `#not-there`",
        "README.md:9: link `[fenced heading](docs/guide.md#not-a-heading)`: `docs/guide.md` has no heading",
        "README.md:9: link `[own](#nope)`: `README.md` has no heading with the anchor `#nope`",
        "README.md:10: link `[blob](https://github.com/example/project/blob/main/docs/gone.md)`: `https://github.com/example/project/blob/main/docs/gone.md` does not exist",
        "README.md:10: link `[up](../../outside.md)`: `../../outside.md` points outside the workspace",
        "README.md:17: link `[dead]: docs/dead.md`: `docs/dead.md` does not exist",
    ];
    for (problem, expected) in problems.iter().zip(expected) {
        assert!(
            problem.starts_with(expected),
            "expected\n  {expected}\ngot\n  {problem}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    // The 7 good links (the one to another host is not checked) and the 7 bad ones.
    assert_eq!(checked, 14, "{problems:#?}");
}

#[test]
fn slugs_follow_github() {
    assert_eq!(slug("The `seventime` command"), "the-seventime-command");
    assert_eq!(
        slug("Where the spec deviates from the vendor docs"),
        "where-the-spec-deviates-from-the-vendor-docs"
    );
    assert_eq!(
        slug("Checks: `x-resource`, time_log & more!"),
        "checks-x-resource-time_log--more"
    );
    assert_eq!(slug("See [the guide](guide.md)"), "see-the-guide");
    assert_eq!(slug("Åtta dagar"), "åtta-dagar");
}
