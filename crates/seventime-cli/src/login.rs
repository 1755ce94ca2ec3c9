//! `seventime login`, `logout` and `whoami`: a key checked and stored once per profile, and
//! one request that says whether it still works.

use std::io::{IsTerminal, Read};

use clap::Args;
use seventime::{ApiError, ApiKey, Client};

use crate::config::file::{KeyFrom, insecure_key_path};
use crate::config::{KeySource, Origin, Settings};
use crate::failure::{Class, Failure};
use crate::keychain;
use crate::output::{self, Format, Table};
use crate::session::{self, Session};
use crate::style;

/// Arguments of `seventime login`.
#[derive(Args)]
pub struct LoginArgs {
    /// Where no keychain is available: keep the key in a file next to the config file,
    /// readable by you alone (mode 0600), unencrypted.
    #[arg(long)]
    insecure_file: bool,
}

/// The one cheap request that tells whether a key is accepted: the field configuration of
/// the service's default entity type, a short list every key may read.
async fn check(client: &Client) -> Result<(), ApiError> {
    client
        .list_custom_fields()
        .send()
        .await
        .map(|_| ())
        .map_err(ApiError::from)
}

/// Reads the key: from the terminal without echo, or from stdin when it is piped.
fn read_new_key(profile: &str) -> Result<String, Failure> {
    let key = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!(
            "API key for profile `{profile}` (Seven Time: Settings → Integrations → API; input hidden): "
        ))
        .map_err(|e| Failure::new(Class::Internal, format!("cannot read from the terminal: {e}")))?
    } else {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| {
            Failure::new(Class::Usage, format!("cannot read the key from stdin: {e}"))
        })?;
        text
    };
    let key = key.trim_end_matches(['\r', '\n']).to_string();
    if key.is_empty() {
        return Err(Failure::new(
            Class::Usage,
            "no key given: paste it at the prompt, or pipe it in (`seventime login < key.txt`)",
        ));
    }
    Ok(key)
}

/// `seventime login`.
pub async fn login(settings: &Settings, args: &LoginArgs, mock: bool) -> Result<String, Failure> {
    if mock {
        return Err(Failure::new(
            Class::Usage,
            "--mock generates its own key; log in without it, with --base-url or a profile",
        ));
    }
    let profile = settings.profile.value.as_str();
    let key = read_new_key(profile)?;
    ApiKey::new(key.clone()).map_err(|e| Failure::new(Class::Auth, e.to_string()))?;
    let base_url = settings.base_url.value.as_str();
    let client = session::client(settings, base_url, key.clone())?;
    check(&client).await.map_err(|error| {
        let failure = Failure::from_api(&error, base_url);
        let message = match &error {
            ApiError::Unauthorized(response) => format!(
                "the service at {base_url} refused this key ({response}); nothing was stored"
            ),
            _ => format!("{}; nothing was stored", failure.message),
        };
        Failure::new(failure.class, message)
    })?;

    let insecure = insecure_key_path(&settings.file.path, profile);
    let key_from = if args.insecure_file {
        KeyFrom::File(insecure.clone())
    } else {
        KeyFrom::Keychain
    };
    // The profile remembers where its key is, and the base URL it was checked against when
    // that was chosen for this login. Prepared before the key is stored, so that a setting
    // that cannot be written stops the login before it leaves a key nothing points at.
    let mut file = settings
        .file
        .with_setting(profile, "key_from", &key_from.to_string())?;
    if matches!(settings.base_url.origin, Origin::Flag(_) | Origin::Env(_)) {
        file = file.with_setting(profile, "base_url", base_url)?;
    }

    let place = if args.insecure_file {
        crate::private_file::write(&insecure, key.as_bytes()).map_err(|e| {
            Failure::new(
                Class::Internal,
                format!("cannot write the key file {}: {e}", insecure.display()),
            )
        })?;
        format!(
            "{} (readable by you alone, not encrypted)",
            insecure.display()
        )
    } else {
        keychain::set(profile, &key).map_err(|why| {
            Failure::new(
                Class::Usage,
                format!(
                    "the key works, but there is no keychain to store it in ({why}); nothing was stored. Run `seventime login --insecure-file` to keep it in {} (readable by you alone), or set {}",
                    insecure.display(),
                    seventime::API_KEY_ENV
                ),
            )
        })?;
        // A key an earlier `login --insecure-file` left in plain text goes now that the
        // keychain holds the key.
        remove_if_present(&insecure)?;
        keychain::location()
    };

    if let Err(failure) = file.save() {
        // Undo what nothing would point at; the keychain entry is harmless (the next login
        // replaces it) and removing it could fail for the same reason.
        if args.insecure_file {
            let _ = std::fs::remove_file(&insecure);
        }
        return Err(failure);
    }
    style::note(&format!(
        "logged in: profile `{profile}` at {base_url}; the key is in {place}"
    ));
    Ok(String::new())
}

/// `seventime logout`.
pub fn logout(settings: &Settings) -> Result<String, Failure> {
    let profile = settings.profile.value.as_str();
    let file = &settings.file;
    let mut removed = Vec::new();
    let profile_key = file.profiles.get(profile).and_then(|p| p.key_from.clone());
    let ours = insecure_key_path(&file.path, profile);
    // Whatever `key_from` says now, a key file `login --insecure-file` wrote is removed.
    if remove_if_present(&ours)? {
        removed.push(ours.display().to_string());
    }
    match &profile_key {
        Some(KeyFrom::File(path)) if *path == ours => {
            if let Some(updated) = file.without_setting(profile, "key_from") {
                updated.save()?;
            }
        }
        Some(KeyFrom::File(path)) => style::note(&format!(
            "profile `{profile}` reads its key from {}, which logout leaves alone",
            path.display()
        )),
        Some(KeyFrom::Env(name)) => style::note(&format!(
            "profile `{profile}` reads its key from the variable {name}, which logout cannot unset"
        )),
        _ => {}
    }
    match keychain::delete(profile) {
        Ok(true) => removed.push(keychain::location()),
        Ok(false) => {}
        // Nothing can be stored where there is no keychain; say so only if nothing else was.
        Err(why) if removed.is_empty() && profile_key.is_none() => {
            return Err(Failure::new(
                Class::Usage,
                format!("no keychain to remove the key from ({why})"),
            ));
        }
        Err(_) => {}
    }
    if removed.is_empty() {
        style::note(&format!("no key was stored for profile `{profile}`"));
    } else {
        style::note(&format!(
            "logged out: removed the key of profile `{profile}` from {}",
            removed.join(" and ")
        ));
    }
    Ok(String::new())
}

/// Removes the key file `path`; `false` when there was none.
fn remove_if_present(path: &std::path::Path) -> Result<bool, Failure> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Failure::new(
            Class::Internal,
            format!("cannot remove the key file {}: {e}", path.display()),
        )),
    }
}

/// `seventime whoami`: one request with the key in force.
pub async fn whoami(settings: &Settings, mock: bool, format: Format) -> Result<String, Failure> {
    let profile = &settings.profile.value;
    let describe_key = || {
        if mock {
            "generated for the embedded mock".to_string()
        } else {
            format!(
                "{} (from {})",
                settings.key.value,
                settings.describe(&settings.key.origin)
            )
        }
    };
    let in_profile = |failure: Failure, base_url: &str| {
        Failure::new(
            failure.class,
            format!("profile `{profile}` at {base_url}: {}", failure.message),
        )
    };
    let session = Session::connect(settings, mock)
        .await
        .map_err(|f| in_profile(f, &settings.base_url.value))?;
    let outcome = check(&session.client).await;
    let base_url = session.base_url.clone();
    session.close().await;
    if let Err(error) = outcome {
        let failure = Failure::from_api(&error, &base_url);
        let hint = match failure.class {
            Class::Auth => match &settings.key.value {
                KeySource::Keychain => format!(
                    "the key is not accepted ({}); run `seventime login --profile {profile}`",
                    reason(&error)
                ),
                source => format!(
                    "the key from {source} is not accepted ({}); replace it, or run `seventime login --profile {profile}`",
                    reason(&error)
                ),
            },
            _ => failure.message.clone(),
        };
        return Err(in_profile(Failure::new(failure.class, hint), &base_url));
    }
    let rows = [
        ("profile", profile.clone()),
        ("base_url", base_url),
        ("key", describe_key()),
        ("status", "accepted".to_string()),
    ];
    Ok(match format {
        Format::Json | Format::Jsonl => {
            let object: serde_json::Map<String, serde_json::Value> = rows
                .iter()
                .map(|(k, v)| ((*k).to_string(), serde_json::Value::String(v.clone())))
                .collect();
            if format == Format::Json {
                output::json(&object)
            } else {
                output::json_lines([&serde_json::Value::Object(object)])
            }
        }
        Format::Table | Format::Csv => {
            let mut table = Table::new(["PROFILE", "BASE URL", "KEY", "STATUS"]);
            table.row(rows.map(|(_, v)| v));
            table.render_as(format)
        }
    })
}

fn reason(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized(response) => response.to_string(),
        other => other.to_string(),
    }
}
