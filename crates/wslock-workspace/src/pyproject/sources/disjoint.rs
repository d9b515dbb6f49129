//! The rule for lists of sources: entries that can apply to the same requirement (the same
//! `extra` and `group`) must have disjoint markers, so that in every environment at most one of
//! them applies.

use super::{KeyPath, Source};
use crate::error::ManifestErrorKind;
use crate::pyproject::FieldError;

/// Entries for the same `extra` and `group` must never apply together, or lowering would give
/// one requirement two sources in some environment. An unmarked entry applies everywhere.
///
/// Every pair is compared (uv compares only neighbours: see the docs of [`super`]). Pairs are visited
/// nearest-first, so when uv reports a neighbouring pair we usually report the same one.
pub(super) fn check_disjoint(
    entries: &[Source],
    items: &[toml::Value],
    key: &KeyPath,
) -> Result<(), FieldError> {
    for later in 1..entries.len() {
        for earlier in (0..later).rev() {
            let (left, right) = (&entries[earlier], &entries[later]);
            if left.extra != right.extra || left.group != right.group {
                continue;
            }
            if left.marker.is_disjoint(&right.marker) {
                continue;
            }
            let (Some(left_text), Some(right_text)) = (
                left.marker.contents().map(|contents| contents.to_string()),
                right.marker.contents().map(|contents| contents.to_string()),
            ) else {
                // Point at the entry that lacks a marker (the later one when both do).
                let unmarked = if right.marker.is_true() {
                    later
                } else {
                    earlier
                };
                return Err(FieldError::new(
                    key.child(&unmarked.to_string()).path(),
                    ManifestErrorKind::InvalidSource,
                    "When multiple sources are provided, each source must include a platform marker (e.g., `marker = \"sys_platform == 'linux'\"`)",
                ));
            };
            let mut replacement = left.marker.negate();
            replacement.and(right.marker.clone());
            let replacement = replacement
                .contents()
                .map_or_else(|| "true".to_string(), |contents| contents.to_string());
            let entry_key = key.child(&later.to_string());
            // `marker` is present (the marker is not TRUE); fall back to the entry if the
            // value is somehow not a table.
            let at = match items.get(later).and_then(toml::Value::as_table) {
                Some(table) if table.contains_key("marker") => entry_key.child("marker"),
                _ => entry_key,
            };
            return Err(FieldError::new(
                at.path(),
                ManifestErrorKind::InvalidSource,
                format!(
                    "Source markers must be disjoint, but the following markers overlap: `{left_text}` and `{right_text}`; hint: replace `{right_text}` with `{replacement}`"
                ),
            ));
        }
    }
    Ok(())
}
