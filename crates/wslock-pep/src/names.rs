//! Checked constructors for PEP 508 names.
//!
//! `pep508_rs` 0.9.2 accepts the empty string as a package, extra or group name; uv (and
//! PEP 508) do not. Every name wslock reads from a file goes through these functions.

use std::str::FromStr;

use pep508_rs::{ExtraName, PackageName};

/// A string that is not a valid PEP 508 name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid package, extra or group name: \"{0}\"; names must start and end with an ASCII letter or digit and may only contain `-`, `_`, `.`, ASCII letters and digits")]
pub struct NameError(String);

impl NameError {
    /// The rejected text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Validates and PEP 503-normalises a package name.
pub fn package_name(text: &str) -> Result<PackageName, NameError> {
    checked(text, PackageName::from_str)
}

/// Validates and normalises an extra name.
pub fn extra_name(text: &str) -> Result<ExtraName, NameError> {
    checked(text, ExtraName::from_str)
}

pub(crate) fn checked<T, E>(
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, NameError> {
    if text.is_empty() {
        return Err(NameError(String::new()));
    }
    parse(text).map_err(|_| NameError(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_pep_508_rejects_including_the_empty_name() {
        assert_eq!(package_name("Foo_Bar.baz").unwrap().as_ref(), "foo-bar-baz");
        assert_eq!(extra_name("With_B").unwrap().as_ref(), "with-b");
        for bad in ["", "-x", "x-", "pakët", "a b"] {
            assert!(package_name(bad).is_err(), "{bad:?}");
            assert!(extra_name(bad).is_err(), "{bad:?}");
        }
    }
}
