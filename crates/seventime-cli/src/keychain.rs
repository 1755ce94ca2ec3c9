//! The API key in the operating system's keychain: Keychain Services on macOS, the Credential
//! Manager on Windows, the Secret Service (GNOME Keyring, KWallet) elsewhere, through
//! `keyring-core`. One entry per profile.
//!
//! `SEVENTIME_KEYCHAIN_DIR` puts a plain directory in the keychain's place: the same code path
//! with a store the tests can look into, and a way to run on a machine that has no keychain
//! while saying so. Keys in it are unencrypted files readable by the user alone.

mod directory;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use keyring_core::{CredentialStore, Entry, Error};

/// The variable that replaces the keychain with a directory.
pub const KEYCHAIN_DIR_ENV: &str = "SEVENTIME_KEYCHAIN_DIR";

/// The keychain entries' service name; the profile is the entry's user name.
const SERVICE: &str = "seventime";

/// Why the keychain could not be used. Never carries the key.
#[derive(Debug)]
pub struct Unavailable(pub String);

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The store, opened once per process: opening the Secret Service connects to D-Bus.
fn store() -> Result<&'static Arc<CredentialStore>, Unavailable> {
    static STORE: OnceLock<Result<Arc<CredentialStore>, String>> = OnceLock::new();
    STORE
        .get_or_init(|| match std::env::var_os(KEYCHAIN_DIR_ENV) {
            Some(dir) if !dir.is_empty() => {
                Ok(directory::Store::new(PathBuf::from(dir)) as Arc<CredentialStore>)
            }
            _ => native().map_err(|error| describe(&error)),
        })
        .as_ref()
        .map_err(|reason| Unavailable(reason.clone()))
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn native() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(dbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn native() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn native() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(
    all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ),
    target_os = "macos",
    target_os = "windows"
)))]
fn native() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(Error::NotSupportedByStore(
        "no keychain is supported on this platform".into(),
    ))
}

/// A keychain error in words, without anything a credential holds: `Debug` of some variants
/// would print the stored bytes.
fn describe(error: &Error) -> String {
    match error {
        Error::PlatformFailure(inner) | Error::NoStorageAccess(inner) => inner.to_string(),
        Error::BadEncoding(_) => "the stored key is not UTF-8 text".into(),
        Error::BadDataFormat(..) => "the stored key is not in the expected format".into(),
        Error::Ambiguous(items) => format!("{} entries match", items.len()),
        Error::NoEntry => "no entry".into(),
        other => other.to_string(),
    }
}

fn entry(profile: &str) -> Result<Entry, Unavailable> {
    Entry::new_in_store(store()?, SERVICE, profile).map_err(|e| Unavailable(describe(&e)))
}

/// Where keys are kept, for messages: the keychain, or the directory standing in for it.
pub fn location() -> String {
    match std::env::var_os(KEYCHAIN_DIR_ENV) {
        Some(dir) if !dir.is_empty() => {
            format!(
                "the keychain stand-in {KEYCHAIN_DIR_ENV}={}",
                PathBuf::from(dir).display()
            )
        }
        _ => "the system keychain".into(),
    }
}

/// The key stored for `profile`, if any.
pub fn get(profile: &str) -> Result<Option<String>, Unavailable> {
    match entry(profile)?.get_password() {
        Ok(key) => Ok(Some(key)),
        Err(Error::NoEntry) => Ok(None),
        Err(error) => Err(Unavailable(describe(&error))),
    }
}

/// Stores `key` for `profile`, replacing any key stored before.
pub fn set(profile: &str, key: &str) -> Result<(), Unavailable> {
    entry(profile)?
        .set_password(key)
        .map_err(|e| Unavailable(describe(&e)))
}

/// Removes the key of `profile`; false when none was stored.
pub fn delete(profile: &str) -> Result<bool, Unavailable> {
    match entry(profile)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(Error::NoEntry) => Ok(false),
        Err(error) => Err(Unavailable(describe(&error))),
    }
}
