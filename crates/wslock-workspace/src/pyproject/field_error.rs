//! Errors found while validating one key of a manifest, before the file path is attached.

use crate::error::ManifestErrorKind;

/// A validation failure at a key path (`["tool", "uv", "sources", "foo", "0"]`).
///
/// Validators know the key but not the file; [`super::parse`] attaches the path and finds the
/// line and column of the key in the document, so every check reports position the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// Key segments from the document root; array positions are written as decimal indices.
    pub key: Vec<String>,
    /// What is wrong, in words.
    pub message: String,
    /// The kind of problem.
    pub kind: ManifestErrorKind,
}

impl FieldError {
    /// A failure at `key` (segments from the document root).
    pub(crate) fn new(
        key: impl IntoIterator<Item = impl Into<String>>,
        kind: ManifestErrorKind,
        message: impl Into<String>,
    ) -> Self {
        Self {
            key: key.into_iter().map(Into::into).collect(),
            message: message.into(),
            kind,
        }
    }
}
