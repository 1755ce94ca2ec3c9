//! The settings in force for one run, and where each came from: a flag, then the environment,
//! then the chosen profile of the config file, then the built-in default.

pub mod command;
pub mod file;

use std::num::NonZeroU32;
use std::path::PathBuf;

use clap::ArgMatches;
use clap::parser::ValueSource;
use seventime::API_KEY_ENV;

use crate::Global;
use crate::failure::{Class, Failure};
use crate::keychain;
use crate::output::Format;
use file::{ConfigFile, DEFAULT_PROFILE, KeyFrom, Profile};

/// The variable choosing the profile.
pub const PROFILE_ENV: &str = "SEVENTIME_PROFILE";

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag.
    Flag(String),
    /// An environment variable.
    Env(String),
    /// The chosen profile of the config file.
    Profile,
    /// The config file's `default_profile` (for the profile itself).
    FileDefault,
    /// Built in.
    Default,
}

/// A setting's value and its origin.
#[derive(Debug, Clone)]
pub struct Setting<T> {
    /// The value in force.
    pub value: T,
    /// Where it came from, for `config show` and for messages.
    pub origin: Origin,
}

/// Where this run reads the API key from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// A file that holds only the key.
    File(PathBuf),
    /// An environment variable.
    Env(String),
    /// The keychain entry of the profile.
    Keychain,
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => write!(f, "the file {}", path.display()),
            Self::Env(name) => write!(f, "the variable {name}"),
            Self::Keychain => f.write_str(&keychain::location()),
        }
    }
}

/// The settings in force.
pub struct Settings {
    /// The config file they were read from (empty when it does not exist).
    pub file: ConfigFile,
    /// The profile in use.
    pub profile: Setting<String>,
    /// The service's base URL.
    pub base_url: Setting<String>,
    /// Seconds before a request is given up.
    pub timeout: Setting<u64>,
    /// Retries of a request that failed for a reason worth retrying.
    pub retries: Setting<u32>,
    /// Requests per second the client allows itself.
    pub rate_limit: Setting<NonZeroU32>,
    /// The output format.
    pub output: Setting<Format>,
    /// Where the API key is read from (never the key itself).
    pub key: Setting<KeySource>,
}

impl Settings {
    /// Resolves every setting. `creating`: the command may name a profile the file does not
    /// have yet (login, config set).
    pub fn resolve(global: &Global, matches: &ArgMatches, creating: bool) -> Result<Self, Failure> {
        let file = ConfigFile::load(file::path()?)?;
        let profile = match (&global.profile, matches.value_source("profile")) {
            (Some(name), Some(ValueSource::CommandLine)) => Setting {
                value: name.clone(),
                origin: Origin::Flag("--profile".into()),
            },
            (Some(name), _) => Setting {
                value: name.clone(),
                origin: Origin::Env(PROFILE_ENV.into()),
            },
            (None, _) => match &file.default_profile {
                Some(name) => Setting {
                    value: name.clone(),
                    origin: Origin::FileDefault,
                },
                None => Setting {
                    value: DEFAULT_PROFILE.to_string(),
                    origin: Origin::Default,
                },
            },
        };
        file::check_profile_name(&profile.value)
            .map_err(|message| Failure::new(Class::Usage, message))?;
        let known = file.profiles.get(&profile.value);
        if known.is_none() && !creating && profile.value != DEFAULT_PROFILE {
            return Err(Failure::new(
                Class::Usage,
                format!(
                    "no profile `{}` in {} (profiles: {}); create it with `seventime login --profile {}` or `seventime config set base_url URL --profile {}`",
                    profile.value,
                    file.path.display(),
                    file.profile_names(),
                    profile.value,
                    profile.value
                ),
            ));
        }
        let empty = Profile::default();
        let from_file = known.unwrap_or(&empty);

        let pick = |id: &str, env: &str, flag: &str| -> Origin {
            match matches.value_source(id) {
                Some(ValueSource::CommandLine) => Origin::Flag(flag.into()),
                Some(ValueSource::EnvVariable) => Origin::Env(env.into()),
                _ => Origin::Default,
            }
        };
        // A flag or variable wins; otherwise the profile's value, if it has one.
        fn layered<T: Clone>(cli: T, origin: Origin, profile: Option<T>) -> Setting<T> {
            match (origin, profile) {
                (Origin::Default, Some(value)) => Setting {
                    value,
                    origin: Origin::Profile,
                },
                (origin, _) => Setting { value: cli, origin },
            }
        }
        let base_url = layered(
            global.base_url.clone(),
            pick("base_url", seventime::BASE_URL_ENV, "--base-url"),
            from_file.base_url.clone(),
        );
        let timeout = layered(
            global.timeout,
            pick("timeout", crate::TIMEOUT_ENV, "--timeout"),
            from_file.timeout,
        );
        let retries = layered(
            global.retries,
            pick("retries", crate::RETRIES_ENV, "--retries"),
            from_file.retries,
        );
        let rate_limit = layered(
            global.rate_limit,
            pick("rate_limit", crate::RATE_LIMIT_ENV, "--rate-limit"),
            from_file.rate_limit,
        );
        let output = layered(
            global.output,
            pick("output", crate::OUTPUT_ENV, "--output"),
            from_file.output,
        );
        let key = if let Some(path) = &global.client_secret_file {
            Setting {
                value: KeySource::File(path.clone()),
                origin: Origin::Flag("--client-secret-file".into()),
            }
        } else if std::env::var_os(API_KEY_ENV).is_some_and(|v| !v.is_empty()) {
            Setting {
                value: KeySource::Env(API_KEY_ENV.into()),
                origin: Origin::Env(API_KEY_ENV.into()),
            }
        } else {
            match &from_file.key_from {
                Some(KeyFrom::Keychain) => Setting {
                    value: KeySource::Keychain,
                    origin: Origin::Profile,
                },
                Some(KeyFrom::File(path)) => Setting {
                    value: KeySource::File(path.clone()),
                    origin: Origin::Profile,
                },
                Some(KeyFrom::Env(name)) => Setting {
                    value: KeySource::Env(name.clone()),
                    origin: Origin::Profile,
                },
                None => Setting {
                    value: KeySource::Keychain,
                    origin: Origin::Default,
                },
            }
        };
        Ok(Self {
            file,
            profile,
            base_url,
            timeout,
            retries,
            rate_limit,
            output,
            key,
        })
    }

    /// Where a value of origin `origin` came from, in words.
    pub fn describe(&self, origin: &Origin) -> String {
        match origin {
            Origin::Flag(flag) => flag.clone(),
            Origin::Env(name) => name.clone(),
            Origin::Profile => format!(
                "profile `{}` in {}",
                self.profile.value,
                self.file.path.display()
            ),
            Origin::FileDefault => format!("default_profile in {}", self.file.path.display()),
            Origin::Default => "built-in default".into(),
        }
    }

    /// Reads the API key from its source. The error says where it looked and what to do.
    pub fn read_key(&self) -> Result<String, Failure> {
        let missing = |detail: String| {
            Failure::new(
                Class::Auth,
                format!(
                    "no API key for profile `{}` ({detail}): run `seventime login`, set {API_KEY_ENV}, or pass --client-secret-file FILE (keys are created in Seven Time under Settings → Integrations → API), or try --mock",
                    self.profile.value
                ),
            )
        };
        match &self.key.value {
            KeySource::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    let named = match &self.key.origin {
                        Origin::Flag(_) => "--client-secret-file".to_string(),
                        other => format!("the key file of {}", self.describe(other)),
                    };
                    Failure::new(
                        Class::Auth,
                        format!("cannot read {named} {}: {e}", path.display()),
                    )
                })?;
                // Files end with a line break more often than not; it is never part of the key.
                Ok(text.trim_end_matches(['\r', '\n']).to_string())
            }
            KeySource::Env(name) => match std::env::var(name) {
                Ok(key) if !key.is_empty() => Ok(key),
                _ => Err(missing(format!("{name} is not set"))),
            },
            KeySource::Keychain => match keychain::get(&self.profile.value) {
                Ok(Some(key)) => Ok(key),
                Ok(None) => Err(missing(format!("none stored in {}", keychain::location()))),
                Err(why) => Err(missing(format!("no keychain to look in: {why}"))),
            },
        }
    }
}
