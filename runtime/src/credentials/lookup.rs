//! Where providers read their settings: [`EnvLookup`], the process environment or a stand-in
//! for it. Each provider's module names the variables it reads.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

type LookupFn = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Reads environment variables: the process environment, or a function or map standing in for
/// it (so that tests never mutate the process environment). Empty values count as unset.
#[derive(Clone)]
pub struct EnvLookup(Arc<LookupFn>);

impl EnvLookup {
    /// The process environment.
    pub fn process() -> Self {
        Self(Arc::new(|name| std::env::var(name).ok()))
    }

    /// Variables answered by `f`.
    pub fn from_fn(f: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    /// Variables from `(name, value)` pairs.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let map: HashMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self(Arc::new(move |name| map.get(name).cloned()))
    }

    /// The value of `name`, if set and not empty.
    pub fn get(&self, name: &str) -> Option<String> {
        (self.0)(name).filter(|v| !v.trim().is_empty())
    }

    pub(super) fn is_true(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }
}

impl fmt::Debug for EnvLookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnvLookup")
    }
}
