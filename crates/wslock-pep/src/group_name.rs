//! PEP 735 dependency-group names.

use std::fmt;
use std::str::FromStr;

use crate::names::{checked, NameError};
use pep508_rs::ExtraName;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The normalised name of a PEP 735 dependency group (`Dev_Tools` → `dev-tools`).
///
/// PEP 735 names follow the same rules and the same normalisation as extra names, so this type
/// validates through [`ExtraName`]; it is a separate type so that a group can never be passed
/// where an extra is meant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupName(String);

impl GroupName {
    /// Validates and normalises a group name.
    pub fn new(name: &str) -> Result<Self, NameError> {
        let normalised = checked(name, ExtraName::from_str)?;
        Ok(Self(normalised.as_ref().to_string()))
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for GroupName {
    type Err = NameError;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::new(name)
    }
}

impl fmt::Display for GroupName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for GroupName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for GroupName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for GroupName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::new(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_extras() {
        assert_eq!(
            GroupName::new("Lint__Tools").unwrap().as_str(),
            "lint-tools"
        );
        assert!(GroupName::new("not valid!").is_err());
        assert!(GroupName::new("-leading").is_err());
        assert!(GroupName::new("").is_err());
    }
}
