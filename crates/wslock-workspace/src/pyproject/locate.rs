//! Finding the line and column of a key in a TOML document, for error messages.

use toml::de::{DeTable, DeValue};

/// 1-based line and column of byte `offset` in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Where the value at `key` (segments from the root; array positions as decimal indices) starts.
///
/// Walks as deep as the document allows, so a key that names a missing child still points at
/// its nearest existing parent. `None` only when the document itself does not parse or the key
/// path is empty.
pub(crate) fn line_col_of_key(text: &str, key: &[String]) -> Option<(usize, usize)> {
    let document = DeTable::parse(text).ok()?;
    let mut table = document.get_ref();
    let mut current: Option<std::ops::Range<usize>> = None;
    let mut value: Option<&DeValue<'_>> = None;
    for segment in key {
        let next = match value {
            None => table.get(segment.as_str()),
            Some(DeValue::Table(inner)) => {
                table = inner;
                table.get(segment.as_str())
            }
            Some(DeValue::Array(array)) => segment
                .parse::<usize>()
                .ok()
                .and_then(|position| array.get(position)),
            Some(_) => None,
        };
        let Some(next) = next else { break };
        current = Some(next.span());
        value = Some(next.get_ref());
    }
    current.map(|span| line_col(text, span.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_and_array_items() {
        let text = "[project]\nname = \"x\"\ndependencies = [\n  \"a\",\n  \"b c\",\n]\n";
        let key = |parts: &[&str]| parts.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            line_col_of_key(text, &key(&["project", "name"])),
            Some((2, 8))
        );
        assert_eq!(
            line_col_of_key(text, &key(&["project", "dependencies", "1"])),
            Some((5, 3))
        );
        // A missing child points at its parent.
        assert_eq!(
            line_col_of_key(text, &key(&["project", "nope"])).map(|(l, _)| l),
            Some(1)
        );
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé\nx", 7), (3, 1));
        assert_eq!(line_col("ab", 1), (1, 2));
    }
}
