//! The provider a configuration file describes, kept while the file says the same thing: the
//! file is read at every call (edits are seen), but a role provider built from it keeps its
//! cached credentials until the file changes.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use alicloud_runtime::credentials::{Credentials, CredentialsError, ProvideCredentials};

/// The last provider built, with the fingerprint of what it was built from.
#[derive(Default)]
pub(crate) struct Built(Mutex<Option<(u64, Arc<dyn ProvideCredentials>)>>);

impl Built {
    /// The provider built from text whose fingerprint is `key`, building it with `build` when
    /// the text changed.
    pub(crate) fn get_or_build(
        &self,
        key: u64,
        build: impl FnOnce() -> Result<Arc<dyn ProvideCredentials>, CredentialsError>,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let mut slot = match self.0.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some((k, p)) = slot.as_ref() {
            if *k == key {
                return Ok(p.clone());
            }
        }
        let p = build()?;
        *slot = Some((key, p.clone()));
        Ok(p)
    }
}

/// A fingerprint of a file's bytes and the section or profile chosen from it. Kept in memory
/// only, never shown.
pub(crate) fn fingerprint(bytes: &[u8], chosen: &str) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    chosen.hash(&mut h);
    h.finish()
}

/// The answer of a provider built from a file's selected profile or section: that one is
/// configured, so its "nothing here" is a real failure (a chain must not go on to another
/// identity).
pub(crate) fn configured(
    answer: Result<Credentials, CredentialsError>,
) -> Result<Credentials, CredentialsError> {
    answer.map_err(|e| {
        if e.is_not_found() {
            CredentialsError::new(e.message())
        } else {
            e
        }
    })
}
