//! A credential store that keeps each key in a file of one directory: what
//! `SEVENTIME_KEYCHAIN_DIR` puts in the keychain's place.

use std::any::Any;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use keyring_core::api::{CredentialApi, CredentialStoreApi};
use keyring_core::{Credential, Entry, Error, Result};

/// The store: a directory, created on the first write.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// A store keeping one file per entry in `dir`.
    pub fn new(dir: PathBuf) -> Arc<Self> {
        Arc::new(Self { dir })
    }
}

impl CredentialStoreApi for Store {
    fn vendor(&self) -> String {
        "seventime directory store".into()
    }

    fn id(&self) -> String {
        self.dir.display().to_string()
    }

    fn build(
        &self,
        service: &str,
        user: &str,
        _modifiers: Option<&HashMap<&str, &str>>,
    ) -> Result<Entry> {
        // Profile names are checked before they get here; this keeps any other name from
        // reaching outside the directory.
        let safe = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if !safe(service) || !safe(user) {
            return Err(Error::Invalid(
                "user".into(),
                "only letters, digits, - and _".into(),
            ));
        }
        Ok(Entry::new_with_credential(Arc::new(File {
            dir: self.dir.clone(),
            service: service.to_string(),
            user: user.to_string(),
        })))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// One key: the file `SERVICE.USER` in the directory.
#[derive(Debug)]
struct File {
    dir: PathBuf,
    service: String,
    user: String,
}

impl File {
    fn path(&self) -> PathBuf {
        self.dir.join(format!("{}.{}", self.service, self.user))
    }
}

fn platform(error: std::io::Error) -> Error {
    Error::PlatformFailure(Box::new(error))
}

impl CredentialApi for File {
    fn set_secret(&self, secret: &[u8]) -> Result<()> {
        crate::private_file::write(&self.path(), secret).map_err(platform)
    }

    fn get_secret(&self) -> Result<Vec<u8>> {
        match std::fs::read(self.path()) {
            Ok(bytes) => Ok(bytes),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(Error::NoEntry),
            Err(error) => Err(platform(error)),
        }
    }

    fn delete_credential(&self) -> Result<()> {
        match std::fs::remove_file(self.path()) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(Error::NoEntry),
            Err(error) => Err(platform(error)),
        }
    }

    fn get_credential(&self) -> Result<Option<Arc<Credential>>> {
        Ok(None)
    }

    fn get_specifiers(&self) -> Option<(String, String)> {
        Some((self.service.clone(), self.user.clone()))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
