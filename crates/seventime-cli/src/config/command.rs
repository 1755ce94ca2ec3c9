//! `seventime config show|set|list`: the settings in force and the config file, without
//! opening it in an editor.

use clap::{Args, Subcommand};
use serde_json::{Value, json};

use super::Settings;
use super::file::{DEFAULT_PROFILE_KEY, PROFILE_KEYS, Profile};
use crate::failure::Failure;
use crate::output::{self, Format, Table};

/// `seventime config …`.
#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Show the settings in force and where each came from (the key only as set or unset).
    #[command(after_help = "Examples:
  seventime config show
  seventime --profile acme config show -o json
  SEVENTIME_TIMEOUT=5 seventime config show      # the timeout now comes from the variable")]
    Show,
    /// Set a setting of the profile (--profile, SEVENTIME_PROFILE or the default one), or
    /// `default_profile`, in the config file.
    #[command(after_help = "Examples:
  seventime config set base_url https://app.seventime.se --profile acme
  seventime config set output csv --profile acme
  seventime config set key_from env:ACME_SEVENTIME_KEY --profile acme
  seventime config set default_profile acme")]
    Set(SetArgs),
    /// List the profiles of the config file and their settings.
    #[command(after_help = "Examples:
  seventime config list
  seventime config list -o json")]
    List,
}

/// Arguments of `config set`.
#[derive(Args)]
pub struct SetArgs {
    /// The setting.
    #[arg(value_parser = setting_names())]
    key: String,
    /// Its value.
    value: String,
}

fn setting_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        PROFILE_KEYS
            .iter()
            .map(|key| clap::builder::PossibleValue::new(key.name).help(key.about))
            .chain([clap::builder::PossibleValue::new(DEFAULT_PROFILE_KEY)
                .help("the profile used when neither --profile nor SEVENTIME_PROFILE names one")]),
    )
}

/// Runs a `config` command; the text is its output, the notes go to stderr.
pub fn run(
    command: &ConfigCommand,
    settings: &Settings,
    format: Format,
) -> Result<String, Failure> {
    match command {
        ConfigCommand::Show => Ok(show(settings, format)),
        ConfigCommand::List => Ok(list(settings, format)),
        ConfigCommand::Set(args) => {
            settings
                .file
                .with_setting(&settings.profile.value, &args.key, &args.value)?
                .save()?;
            let target = if args.key == DEFAULT_PROFILE_KEY {
                DEFAULT_PROFILE_KEY.to_string()
            } else {
                format!("profiles.{}.{}", settings.profile.value, args.key)
            };
            crate::style::note(&format!(
                "set {target} = {} in {}",
                args.value,
                settings.file.path.display()
            ));
            Ok(String::new())
        }
    }
}

fn show(settings: &Settings, format: Format) -> String {
    let key_state = match settings.read_key() {
        Ok(key) => match seventime::ApiKey::new(key) {
            Ok(_) => "set".to_string(),
            Err(_) => "unset (what is stored is empty or not a usable key)".to_string(),
        },
        // The reason names where the key was looked for, never a key.
        Err(failure) => format!("unset ({})", failure.message),
    };
    let row = |name: &'static str, value: String, origin: &super::Origin| {
        (name, value, settings.describe(origin))
    };
    let rows: Vec<(&str, String, String)> = vec![
        row(
            "profile",
            settings.profile.value.clone(),
            &settings.profile.origin,
        ),
        row(
            "base_url",
            settings.base_url.value.clone(),
            &settings.base_url.origin,
        ),
        row(
            "timeout",
            settings.timeout.value.to_string(),
            &settings.timeout.origin,
        ),
        row(
            "retries",
            settings.retries.value.to_string(),
            &settings.retries.origin,
        ),
        row(
            "rate_limit",
            settings.rate_limit.value.to_string(),
            &settings.rate_limit.origin,
        ),
        row(
            "output",
            format_name(settings.output.value).to_string(),
            &settings.output.origin,
        ),
        row(
            "key",
            format!("{key_state} ({})", settings.key.value),
            &settings.key.origin,
        ),
        (
            "config_file",
            settings.file.path.display().to_string(),
            if settings.file.exists {
                "exists".into()
            } else {
                "does not exist yet".into()
            },
        ),
    ];
    match format {
        Format::Json | Format::Jsonl => {
            let object: serde_json::Map<String, Value> = rows
                .iter()
                .map(|(name, value, from)| {
                    ((*name).to_string(), json!({ "value": value, "from": from }))
                })
                .collect();
            if format == Format::Json {
                output::json(&object)
            } else {
                output::json_lines([&Value::Object(object)])
            }
        }
        Format::Table | Format::Csv => {
            let mut table = Table::new(["SETTING", "VALUE", "FROM"]);
            for (name, value, from) in rows {
                table.row([name.to_string(), value, from]);
            }
            table.render_as(format)
        }
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Table => "table",
        Format::Json => "json",
        Format::Jsonl => "jsonl",
        Format::Csv => "csv",
    }
}

fn profile_values(profile: &Profile) -> Vec<(&'static str, String)> {
    let mut values = Vec::new();
    let mut add = |name: &'static str, value: Option<String>| {
        if let Some(value) = value {
            values.push((name, value));
        }
    };
    add("base_url", profile.base_url.clone());
    add("timeout", profile.timeout.map(|v| v.to_string()));
    add("retries", profile.retries.map(|v| v.to_string()));
    add("rate_limit", profile.rate_limit.map(|v| v.to_string()));
    add("output", profile.output.map(|v| format_name(v).to_string()));
    add(
        "key_from",
        profile.key_from.as_ref().map(ToString::to_string),
    );
    values
}

fn list(settings: &Settings, format: Format) -> String {
    let file = &settings.file;
    match format {
        Format::Json | Format::Jsonl => {
            let profiles: serde_json::Map<String, Value> = file
                .profiles
                .iter()
                .map(|(name, profile)| {
                    let values: serde_json::Map<String, Value> = profile_values(profile)
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), Value::String(v)))
                        .collect();
                    (name.clone(), Value::Object(values))
                })
                .collect();
            let value = json!({
                "file": file.path.display().to_string(),
                "default_profile": file.default_profile,
                "profiles": profiles,
            });
            if format == Format::Json {
                output::json(&value)
            } else {
                output::json_lines([&value])
            }
        }
        Format::Table | Format::Csv => {
            let mut table = Table::new(["PROFILE", "SETTING", "VALUE"]);
            for (name, profile) in &file.profiles {
                let marked = if file.default_profile.as_deref() == Some(name) {
                    format!("{name} (default)")
                } else {
                    name.clone()
                };
                let values = profile_values(profile);
                if values.is_empty() {
                    table.row([marked.clone(), "-".into(), "-".into()]);
                }
                for (key, value) in values {
                    table.row([marked.clone(), key.to_string(), value]);
                }
            }
            let mut text = table.render_as(format);
            if file.profiles.is_empty() && format == Format::Table {
                text.push_str(&format!(
                    "(no profiles in {}; `seventime login --profile NAME` makes one)\n",
                    file.path.display()
                ));
            }
            text
        }
    }
}
