//! Finding where a key sits in a TOML document, for error messages: a byte span for the
//! snippet under the caret, and the 1-based line and column printed in the message.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// 1-based line and column of byte `offset` in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The largest char boundary at or before `offset`, so a span from anywhere never splits a
/// character.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Which part of a `key = value` entry an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The value: a string that does not parse, a wrong type.
    Value,
    /// The key itself: an unknown key, a duplicate name.
    Key,
}

/// The byte span of the value (or key) at `key` (segments from the root; array positions as
/// decimal indices).
///
/// Walks as deep as the document allows, so a key that names a missing child still points at
/// its nearest existing parent. `None` only when the document itself does not parse or the key
/// path is empty.
pub(crate) fn span_of_key(text: &str, key: &[String], target: Target) -> Option<Range<usize>> {
    let document = DeTable::parse(text).ok()?;
    let mut table = document.get_ref();
    let mut current: Option<Range<usize>> = None;
    let mut value: Option<&DeValue<'_>> = None;
    let last = key.len().saturating_sub(1);
    for (depth, segment) in key.iter().enumerate() {
        let next = match value {
            None => table.get_key_value(segment.as_str()),
            Some(DeValue::Table(inner)) => {
                table = inner;
                table.get_key_value(segment.as_str())
            }
            Some(DeValue::Array(array)) => {
                let item = segment
                    .parse::<usize>()
                    .ok()
                    .and_then(|position| array.get(position));
                match item {
                    Some(item) => {
                        current = Some(item.span());
                        value = Some(item.get_ref());
                        continue;
                    }
                    None => break,
                }
            }
            Some(_) => None,
        };
        let Some((name, next)) = next else { break };
        current = Some(if depth == last && target == Target::Key {
            name.span()
        } else {
            next.span()
        });
        value = Some(next.get_ref());
    }
    current
}

/// The byte span of the value at `key` in the TOML `text`, for pointing at it in an error
/// message; `None` unless the whole key path exists. Table keys match exactly or, failing
/// that, after PEP 503 normalisation, so `["tool", "uv", "sources", "foo-bar"]` finds a
/// source written as `Foo_Bar = ...`; array positions are decimal indices.
///
/// Errors found after parsing (in the merge of requirements, say) carry the manifest and the
/// names involved but no position; a front end that wants to show the text reads the file
/// again and asks this.
///
/// ```
/// use wslock_workspace::pyproject::value_span;
///
/// let text = "[tool.uv.sources]\nFoo_Bar = { index = \"internal\" }\n";
/// let span = value_span(text, &["tool", "uv", "sources", "foo-bar"]).unwrap();
/// assert_eq!(&text[span], "{ index = \"internal\" }");
/// assert_eq!(value_span(text, &["tool", "uv", "sources", "other"]), None);
/// ```
pub fn value_span(text: &str, key: &[&str]) -> Option<Range<usize>> {
    let document = DeTable::parse(text).ok()?;
    let mut table = document.get_ref();
    let mut value: Option<&DeValue<'_>> = None;
    let mut span = None;
    for segment in key {
        let next = match value {
            None => find_key(table, segment),
            Some(DeValue::Table(inner)) => {
                table = inner;
                find_key(table, segment)
            }
            Some(DeValue::Array(array)) => segment
                .parse::<usize>()
                .ok()
                .and_then(|position| array.get(position)),
            Some(_) => None,
        }?;
        span = Some(next.span());
        value = Some(next.get_ref());
    }
    span
}

fn find_key<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t toml::Spanned<DeValue<'i>>> {
    table.get(key).or_else(|| {
        let wanted = normalise(key);
        table
            .iter()
            .find(|(name, _)| normalise(name.get_ref()) == wanted)
            .map(|(_, value)| value)
    })
}

/// PEP 503: lowercase, runs of `-`, `_` and `.` as one `-`.
fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
            continue;
        }
        if separator && !out.is_empty() {
            out.push('-');
        }
        separator = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Narrows `span` (a whole string value, quotes included) to the part a PEP 440/508 parser
/// underlined in `message`, which those parsers end with the string and a line of carets:
///
/// ```text
/// invalid specifiers `>=3.10,<<4`: Failed to parse version: ...:
/// >=3.10,<<4
///        ^^^
/// ```
///
/// Only a basic or literal string without escapes maps character for character onto the file,
/// so anything else keeps the whole value.
pub(crate) fn narrow_to_carets(text: &str, span: Range<usize>, message: &str) -> Range<usize> {
    let mut lines = message.lines().rev();
    let (Some(carets), Some(written)) = (lines.next(), lines.next()) else {
        return span;
    };
    let offset = carets.len() - carets.trim_start_matches(' ').len();
    let width = carets[offset..].len();
    if width == 0 || !carets[offset..].trim_end_matches('^').is_empty() {
        return span;
    }
    let Some(raw) = text.get(span.clone()) else {
        return span;
    };
    let quoted = [("\"", "\""), ("'", "'")].iter().any(|(open, close)| {
        raw.strip_prefix(open)
            .and_then(|rest| rest.strip_suffix(close))
            == Some(written)
    });
    // The carets count characters; the span counts bytes.
    let mut chars = written
        .char_indices()
        .map(|(index, _)| index)
        .chain([written.len()]);
    let start = chars.clone().nth(offset);
    let end = chars.nth(offset + width);
    match (quoted, start, end) {
        (true, Some(start), Some(end)) => span.start + 1 + start..span.start + 1 + end,
        _ => span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_nested_keys_and_array_items() {
        let text = "[project]\nname = \"x\"\ndependencies = [\n  \"a\",\n  \"b c\",\n]\n";
        let at =
            |parts: &[&str], target| span_of_key(text, &key(parts), target).map(|span| &text[span]);
        assert_eq!(at(&["project", "name"], Target::Value), Some("\"x\""));
        assert_eq!(at(&["project", "name"], Target::Key), Some("name"));
        assert_eq!(
            at(&["project", "dependencies", "1"], Target::Value),
            Some("\"b c\"")
        );
        // A missing child points at its parent.
        let parent = span_of_key(text, &key(&["project", "nope"]), Target::Value).unwrap();
        assert_eq!(line_col(text, parent.start).0, 1);
    }

    #[test]
    fn narrows_to_what_the_pep_parser_underlined() {
        let text = "requires-python = \">=3.10,<<4\"\n";
        let span = span_of_key(text, &key(&["requires-python"]), Target::Value).unwrap();
        let message = "invalid specifiers: no such operator:\n>=3.10,<<4\n       ^^^";
        assert_eq!(&text[narrow_to_carets(text, span.clone(), message)], "<<4");
        // Without carets, or when the file spells the string differently, the whole value.
        assert_eq!(narrow_to_carets(text, span.clone(), "bad"), span);
        let escaped = "requires-python = \">=3.10,\\u003c<4\"\n";
        let whole = span_of_key(escaped, &key(&["requires-python"]), Target::Value).unwrap();
        let message = "invalid:\n>=3.10,<<4\n       ^^^";
        assert_eq!(narrow_to_carets(escaped, whole.clone(), message), whole);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé\nx", 7), (3, 1));
        assert_eq!(line_col("ab", 1), (1, 2));
        // An offset inside a character counts from its start.
        assert_eq!(line_col("é", 1), (1, 1));
    }
}
