//! The config file: named profiles, read with the line of every value so that an error can
//! say where it is, and edited in place so that the user's comments and order survive.
//!
//! ```toml
//! default_profile = "acme"
//!
//! [profiles.acme]
//! base_url = "https://app.seventime.se"
//! timeout = 30
//! output = "table"
//! key_from = "keychain"
//! ```
//!
//! One piece on purpose: reading, checking and editing the file share its parsed document and
//! the spans that turn a key into "file, line, key" messages; split, each half would carry the
//! other's document handling. A fifth of the length is the unit tests at the end.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use toml_edit::{DocumentMut, Item, TableLike, Value};

use crate::failure::{Class, Failure};
use crate::output::Format;

/// The variable naming the config file, instead of the platform's config directory.
pub const CONFIG_ENV: &str = "SEVENTIME_CONFIG";

/// The profile used when none is named anywhere.
pub const DEFAULT_PROFILE: &str = "default";

/// The top-level key naming the profile used when neither --profile nor SEVENTIME_PROFILE does.
pub const DEFAULT_PROFILE_KEY: &str = "default_profile";

/// A setting a profile can hold: its key in the file and what it means.
pub struct ProfileKey {
    /// The key as written in the file (`base_url`).
    pub name: &'static str,
    /// One line on what it sets, for `config set --help` and errors.
    pub about: &'static str,
}

/// Every key a profile may have, in the order `config list` shows them.
pub const PROFILE_KEYS: &[ProfileKey] = &[
    ProfileKey {
        name: "base_url",
        about: "base URL of the service, e.g. \"https://app.seventime.se\"",
    },
    ProfileKey {
        name: "timeout",
        about: "seconds to wait for each attempt, a whole number from 1, e.g. 30",
    },
    ProfileKey {
        name: "retries",
        about: "times to retry a request that failed transiently, a whole number from 0",
    },
    ProfileKey {
        name: "rate_limit",
        about: "requests per second, a whole number from 1 (the service allows 4)",
    },
    ProfileKey {
        name: "output",
        about: "default output format: table, json, jsonl or csv",
    },
    ProfileKey {
        name: "key_from",
        about: "where the API key is: \"keychain\", \"file:PATH\" or \"env:VARIABLE\"",
    },
];

/// Where a profile's API key is kept. The key itself never goes in the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyFrom {
    /// The OS keychain, where `seventime login` stores it.
    Keychain,
    /// A file holding only the key.
    File(PathBuf),
    /// An environment variable.
    Env(String),
}

impl KeyFrom {
    /// Reads the `key_from` syntax. The rejected text is not repeated: it may be a pasted key.
    pub fn parse(text: &str) -> Result<Self, String> {
        let invalid = || {
            "must be \"keychain\", \"file:PATH\" or \"env:VARIABLE\"; the key itself never goes in \
             the config file (store it with `seventime login`)"
                .to_string()
        };
        if text == "keychain" {
            return Ok(Self::Keychain);
        }
        if let Some(path) = text.strip_prefix("file:") {
            if path.is_empty() {
                return Err(invalid());
            }
            return Ok(Self::File(expand_home(path)));
        }
        if let Some(name) = text.strip_prefix("env:") {
            let valid =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            return if valid {
                Ok(Self::Env(name.to_string()))
            } else {
                Err(invalid())
            };
        }
        Err(invalid())
    }
}

impl std::fmt::Display for KeyFrom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Keychain => f.write_str("keychain"),
            Self::File(path) => write!(f, "file:{}", path.display()),
            Self::Env(name) => write!(f, "env:{name}"),
        }
    }
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

/// The settings of one profile, each absent unless the file sets it.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// `base_url`.
    pub base_url: Option<String>,
    /// `timeout`, in seconds.
    pub timeout: Option<u64>,
    /// `retries`.
    pub retries: Option<u32>,
    /// `rate_limit`, requests per second.
    pub rate_limit: Option<NonZeroU32>,
    /// `output`.
    pub output: Option<Format>,
    /// `key_from`: where the profile's key is.
    pub key_from: Option<KeyFrom>,
}

/// The config file as read: its profiles, and warnings about what it had that is unknown.
/// Its `Debug` leaves the file's text out: a key pasted into it by mistake stays out of logs.
pub struct ConfigFile {
    /// Where it is (or would be).
    pub path: PathBuf,
    /// Whether the file exists; a missing file is an empty one.
    pub exists: bool,
    text: String,
    /// The top-level `default_profile`.
    pub default_profile: Option<String>,
    /// The `[profiles.NAME]` tables, by name.
    pub profiles: BTreeMap<String, Profile>,
    /// Unknown keys, with their line: warned about, not refused, so that a file written for a
    /// newer `seventime` still works with this one.
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigFile")
            .field("path", &self.path)
            .field("exists", &self.exists)
            .field("default_profile", &self.default_profile)
            .field("profiles", &self.profiles)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

/// The config file's path: `SEVENTIME_CONFIG`, else `seventime/config.toml` in the platform's
/// config directory (`~/.config` on Linux, `~/Library/Application Support` on macOS,
/// `%APPDATA%` on Windows).
pub fn path() -> Result<PathBuf, Failure> {
    if let Some(path) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        // Absolute, so that a key file kept beside it is recorded by a path that still holds
        // when the command runs from another directory.
        return std::path::absolute(&path).map_err(|e| {
            Failure::new(
                Class::Usage,
                format!(
                    "{CONFIG_ENV}={} is not a usable path ({e}); give the config file's path",
                    PathBuf::from(&path).display()
                ),
            )
        });
    }
    dirs::config_dir()
        .map(|dir| dir.join("seventime").join("config.toml"))
        .ok_or_else(|| {
            Failure::new(
                Class::Usage,
                format!("cannot tell where the config directory is (no home directory); set {CONFIG_ENV} to a file"),
            )
        })
}

/// Checks a profile name: it becomes a TOML key, a keychain entry and a file name.
pub fn check_profile_name(name: &str) -> Result<(), String> {
    if !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a profile name: use 1 to 64 letters, digits, - and _"
        ))
    }
}

impl ConfigFile {
    /// Reads the file at `path`; a file that does not exist reads as empty.
    pub fn load(path: PathBuf) -> Result<Self, Failure> {
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(path, text, true),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Self::parse(path, String::new(), false)
            }
            Err(error) => Err(Failure::new(
                Class::Usage,
                format!("cannot read the config file {}: {error}", path.display()),
            )),
        }
    }

    fn parse(path: PathBuf, text: String, exists: bool) -> Result<Self, Failure> {
        let fail = |line: Option<usize>, message: String| {
            let at = line.map(|l| format!(" line {l}")).unwrap_or_default();
            Failure::new(
                Class::Usage,
                format!("config file {}{at}: {message}", path.display()),
            )
        };
        let document = toml_edit::Document::parse(text.as_str()).map_err(|error| {
            let line = error.span().map(|span| line_of(&text, span.start));
            // One line: the parser's own report quotes the file, which may hold a pasted key.
            fail(
                line,
                format!("not valid TOML: {}", error.message().trim_end()),
            )
        })?;
        let line = |span: Option<std::ops::Range<usize>>| span.map(|s| line_of(&text, s.start));

        let mut file = Self {
            path: path.clone(),
            exists,
            text: text.clone(),
            default_profile: None,
            profiles: BTreeMap::new(),
            warnings: Vec::new(),
        };
        for (key, item) in document.iter() {
            let key_line = line(document.key(key).and_then(|k| k.span()));
            match key {
                DEFAULT_PROFILE_KEY => {
                    let name = item.as_str().ok_or_else(|| {
                        fail(
                            key_line,
                            format!("`{DEFAULT_PROFILE_KEY}` must be a profile name in quotes"),
                        )
                    })?;
                    check_profile_name(name).map_err(|e| fail(key_line, e))?;
                    file.default_profile = Some(name.to_string());
                }
                "profiles" => {
                    let profiles = item.as_table_like().ok_or_else(|| {
                        fail(
                            key_line,
                            "`profiles` must be a table: write [profiles.NAME]".into(),
                        )
                    })?;
                    for (name, profile) in profiles.iter() {
                        let name_line = line(profiles.key(name).and_then(|k| k.span()));
                        check_profile_name(name).map_err(|e| fail(name_line, e))?;
                        let table = profile.as_table_like().ok_or_else(|| {
                            fail(
                                name_line,
                                format!("`profiles.{name}` must be a table of settings"),
                            )
                        })?;
                        let profile =
                            read_profile(name, table, &mut file.warnings, &|span| line(span))
                                .map_err(|(l, message)| fail(l, message))?;
                        file.profiles.insert(name.to_string(), profile);
                    }
                }
                other => file.warnings.push(format!(
                    "config file {}{}: unknown key `{other}` ignored (known: {DEFAULT_PROFILE_KEY}, profiles)",
                    path.display(),
                    key_line.map(|l| format!(" line {l}")).unwrap_or_default()
                )),
            }
        }
        for warning in &mut file.warnings {
            if !warning.starts_with("config file") {
                *warning = format!("config file {}{warning}", path.display());
            }
        }
        Ok(file)
    }

    /// The file with `key` set to `value` in `profile` (or at the top level for
    /// `default_profile`), checked as the file would be read. Nothing is written.
    pub fn with_setting(&self, profile: &str, key: &str, value: &str) -> Result<Self, Failure> {
        let mut document: DocumentMut = self.text.parse().map_err(|_| {
            Failure::new(
                Class::Usage,
                format!("config file {}: not valid TOML", self.path.display()),
            )
        })?;
        let usage = |message: String| Failure::new(Class::Usage, message);
        if key == DEFAULT_PROFILE_KEY {
            check_profile_name(value).map_err(usage)?;
            document[DEFAULT_PROFILE_KEY] = toml_edit::value(value);
        } else {
            let typed = typed_value(key, value).map_err(|message| {
                usage(format!(
                    "{key}: {message} (`seventime config set --help` lists the keys)"
                ))
            })?;
            let profiles = document.entry("profiles").or_insert_with(|| {
                let mut table = toml_edit::Table::new();
                // `[profiles.NAME]` headers, without an empty `[profiles]` above them.
                table.set_implicit(true);
                Item::Table(table)
            });
            let Some(profiles) = profiles.as_table_like_mut() else {
                return Err(usage(format!(
                    "config file {}: `profiles` is not a table",
                    self.path.display()
                )));
            };
            let table = profiles
                .entry(profile)
                .or_insert(Item::Table(toml_edit::Table::new()));
            let Some(table) = table.as_table_like_mut() else {
                return Err(usage(format!(
                    "config file {}: `profiles.{profile}` is not a table",
                    self.path.display()
                )));
            };
            table.insert(key, Item::Value(typed));
        }
        // What is written must read back.
        Self::parse(self.path.clone(), document.to_string(), true)
    }

    /// The file without `key` in `profile`; None when it was not set.
    pub fn without_setting(&self, profile: &str, key: &str) -> Option<Self> {
        let mut document: DocumentMut = self.text.parse().ok()?;
        let table = document
            .get_mut("profiles")?
            .as_table_like_mut()?
            .get_mut(profile)?
            .as_table_like_mut()?;
        table.remove(key)?;
        Self::parse(self.path.clone(), document.to_string(), true).ok()
    }

    /// The file's text.
    #[cfg(test)]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Writes this as the file, in one step.
    pub fn save(&self) -> Result<(), Failure> {
        crate::private_file::write(&self.path, self.text.as_bytes()).map_err(|error| {
            Failure::new(
                Class::Internal,
                format!(
                    "cannot write the config file {}: {error}",
                    self.path.display()
                ),
            )
        })
    }

    /// The profile names, for messages.
    pub fn profile_names(&self) -> String {
        if self.profiles.is_empty() {
            "none yet".to_string()
        } else {
            self.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(0, |before| before.matches('\n').count())
        + 1
}

type Located = (Option<usize>, String);

fn read_profile(
    name: &str,
    table: &dyn TableLike,
    warnings: &mut Vec<String>,
    line: &dyn Fn(Option<std::ops::Range<usize>>) -> Option<usize>,
) -> Result<Profile, Located> {
    let mut profile = Profile::default();
    for (key, item) in table.iter() {
        let at = line(table.key(key).and_then(|k| k.span()));
        let Some(value) = item.as_value() else {
            return Err((
                at,
                format!("`profiles.{name}.{key}` must be a value, not a table"),
            ));
        };
        let wrong = |message: String| (at, format!("`profiles.{name}.{key}` {message}"));
        match key {
            "base_url" => profile.base_url = Some(string(value).map_err(wrong)?.to_string()),
            "timeout" => {
                profile.timeout = Some(whole(value, 1).map_err(wrong)?);
            }
            "retries" => {
                let n = whole(value, 0).map_err(wrong)?;
                profile.retries = Some(u32::try_from(n).map_err(|_| wrong("is too large".into()))?);
            }
            "rate_limit" => {
                let n = whole(value, 1).map_err(wrong)?;
                profile.rate_limit = Some(
                    u32::try_from(n)
                        .ok()
                        .and_then(NonZeroU32::new)
                        .ok_or_else(|| wrong("is too large".into()))?,
                );
            }
            "output" => {
                let text = string(value).map_err(wrong)?;
                profile.output =
                    Some(Format::from_str(text, false).map_err(|_| {
                        wrong(format!("is `{text}`; use table, json, jsonl or csv"))
                    })?);
            }
            "key_from" => {
                let text = string(value).map_err(wrong)?;
                profile.key_from = Some(KeyFrom::parse(text).map_err(wrong)?);
            }
            other => {
                let known: Vec<&str> = PROFILE_KEYS.iter().map(|k| k.name).collect();
                warnings.push(format!(
                    "{}: unknown key `profiles.{name}.{other}` ignored (known: {})",
                    at.map(|l| format!(" line {l}")).unwrap_or_default(),
                    known.join(", ")
                ));
            }
        }
    }
    Ok(profile)
}

fn string(value: &Value) -> Result<&str, String> {
    value
        .as_str()
        .ok_or_else(|| "must be text in quotes".to_string())
}

fn whole(value: &Value, least: i64) -> Result<u64, String> {
    match value.as_integer() {
        Some(n) if n >= least => u64::try_from(n).map_err(|_| "is negative".to_string()),
        _ => Err(format!(
            "must be a whole number from {least}, without quotes"
        )),
    }
}

/// A value typed in `config set KEY VALUE`, as the TOML value the key takes.
fn typed_value(key: &str, text: &str) -> Result<Value, String> {
    let number = |least: u64| match text.parse::<u64>() {
        Ok(n) if n >= least => i64::try_from(n)
            .map(Value::from)
            .map_err(|_| "is too large".to_string()),
        _ => Err(format!("`{text}` is not a whole number from {least}")),
    };
    match key {
        "base_url" => Ok(Value::from(text)),
        "timeout" | "rate_limit" => number(1),
        "retries" => number(0),
        "output" => Format::from_str(text, false)
            .map(|_| Value::from(text))
            .map_err(|_| format!("`{text}` is not table, json, jsonl or csv")),
        "key_from" => KeyFrom::parse(text).map(|_| Value::from(text)),
        other => {
            let known: Vec<&str> = PROFILE_KEYS.iter().map(|k| k.name).collect();
            Err(format!(
                "`{other}` is not a setting; the settings are {} and {DEFAULT_PROFILE_KEY}",
                known.join(", ")
            ))
        }
    }
}

/// Where `login --insecure-file` keeps the key of `profile`: `keys/PROFILE` beside the config
/// file `config`.
pub fn insecure_key_path(config: &Path, profile: &str) -> PathBuf {
    config
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join("keys")
        .join(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConfigFile, Failure> {
        ConfigFile::parse(PathBuf::from("/c/config.toml"), text.to_string(), true)
    }

    #[test]
    fn a_wrong_type_names_the_line_and_the_key() {
        let error =
            parse("[profiles.acme]\nbase_url = \"https://x\"\ntimeout = \"30\"\n").unwrap_err();
        assert_eq!(
            error.message,
            "config file /c/config.toml line 3: `profiles.acme.timeout` must be a whole number from 1, without quotes"
        );
    }

    #[test]
    fn broken_toml_names_the_line_without_quoting_it() {
        let error = parse("[profiles.acme]\nkey_from = keychain\n").unwrap_err();
        assert!(
            error
                .message
                .starts_with("config file /c/config.toml line 2: not valid TOML"),
            "{}",
            error.message
        );
        assert!(!error.message.contains('\n'));
    }

    #[test]
    fn unknown_keys_are_warned_about_with_their_line() {
        let file = parse("[profiles.acme]\nbase_uri = \"x\"\n").unwrap();
        assert_eq!(file.warnings.len(), 1);
        assert!(
            file.warnings[0].starts_with(
                "config file /c/config.toml line 2: unknown key `profiles.acme.base_uri` ignored"
            ),
            "{}",
            file.warnings[0]
        );
        assert!(file.profiles["acme"].base_url.is_none());
    }

    #[test]
    fn a_pasted_key_is_refused_without_repeating_it() {
        let error = parse("[profiles.acme]\nkey_from = \"s3cr3t-key-value\"\n").unwrap_err();
        assert!(!error.message.contains("s3cr3t"), "{}", error.message);
        assert!(
            error.message.contains("seventime login"),
            "{}",
            error.message
        );
    }

    #[test]
    fn setting_keeps_comments_and_reads_back() {
        let file = parse("# my tenants\n[profiles.acme]\ntimeout = 5 # slow link\n").unwrap();
        let file = file.with_setting("acme", "output", "csv").unwrap();
        let text = file.text();
        assert!(
            text.contains("# my tenants") && text.contains("# slow link"),
            "{text}"
        );
        let again = file.with_setting("beta", "retries", "0").unwrap();
        let text = again.text();
        assert_eq!(again.profiles["acme"].output, Some(Format::Csv));
        assert_eq!(again.profiles["acme"].timeout, Some(5));
        assert_eq!(again.profiles["beta"].retries, Some(0));
        assert!(!text.contains("[profiles]\n"), "{text}");
    }

    #[test]
    fn setting_refuses_what_reading_would() {
        let file = parse("").unwrap();
        for (key, value) in [
            ("timeout", "0"),
            ("output", "xml"),
            ("colour", "x"),
            ("key_from", "abc"),
        ] {
            assert!(
                file.with_setting("acme", key, value).is_err(),
                "{key}={value}"
            );
        }
    }
}
