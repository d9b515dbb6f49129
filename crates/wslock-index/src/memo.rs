//! Per-key memoisation that lets different keys be computed in parallel while concurrent
//! callers of one key wait for a single computation.

use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rustc_hash::FxHashMap;

/// One key's value, empty until computed; its own lock serialises the computation.
type Slot<V> = Arc<Mutex<Option<Arc<V>>>>;

/// `key → Arc<value>`, filled on first successful use. Errors are not stored, so a failed
/// fetch is retried by the next caller. Keys are package names and versions, looked up on
/// every question the resolver asks: FxHash rather than SipHash.
pub(crate) struct Memo<K, V> {
    slots: Mutex<FxHashMap<K, Slot<V>>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            slots: Mutex::new(FxHashMap::default()),
        }
    }
}

impl<K: Eq + Hash + Clone, V> Memo<K, V> {
    /// The stored value for `key`, or the result of `init`, stored when it succeeds.
    ///
    /// The map lock is held only to find the key's slot; the slot's own lock is held while
    /// `init` runs, so other keys proceed in parallel. `init` must not ask this memo for the
    /// same key (it would wait for itself).
    pub(crate) fn get_or_try_insert<E>(
        &self,
        key: &K,
        init: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        let slot = lock(&self.slots).entry(key.clone()).or_default().clone();
        let mut value = lock(&slot);
        if let Some(value) = &*value {
            return Ok(value.clone());
        }
        let computed = Arc::new(init()?);
        *value = Some(computed.clone());
        Ok(computed)
    }
}

/// A poisoned lock only means another thread panicked while holding it; the map itself is
/// still consistent (values are written in one assignment), so keep going.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn computes_once_per_key_and_retries_errors() {
        let memo: Memo<u32, String> = Memo::default();
        let calls = AtomicUsize::new(0);
        let failed: Result<Arc<String>, &str> = memo.get_or_try_insert(&1, || {
            calls.fetch_add(1, Ordering::SeqCst);
            Err("boom")
        });
        assert!(failed.is_err());
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    let value = memo
                        .get_or_try_insert(&1, || {
                            calls.fetch_add(1, Ordering::SeqCst);
                            Ok::<_, &str>("one".to_string())
                        })
                        .unwrap();
                    assert_eq!(*value, "one");
                });
            }
        });
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
