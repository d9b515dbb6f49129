//! The RFC 822-style header block of core metadata (`METADATA`, `PKG-INFO`, `.metadata` files).
//!
//! Our own small parser rather than a mail crate: core metadata needs only "field: value"
//! lines, folded continuation lines and a body after the first blank line. Mail parsers also
//! decode RFC 2047 encoded words and charsets, which core metadata never uses and which would
//! change values such as `Requires-Dist: foo; extra == "=?x?="`. The rules follow what Python's
//! `email.parser` (compat32), and therefore `packaging.metadata`, does with the same bytes:
//! - a line starting with a space or tab continues the previous field (the line break is
//!   dropped, the whitespace kept, as RFC 5322 unfolding says);
//! - the header block ends at the first empty line, or at the first line that is neither a
//!   field nor a continuation (Python treats it as the start of the body);
//! - a continuation line before any field is ignored;
//! - field names are compared case-insensitively;
//! - bytes that are not UTF-8 are replaced, since metadata 1.x files may be Latin-1 and the
//!   fields we read (names, versions, requirements) are ASCII anyway.

/// The fields of a header block, in file order, plus the body.
#[derive(Debug, Default)]
pub(crate) struct Headers {
    /// (lowercase field name, unfolded and trimmed value)
    fields: Vec<(String, String)>,
    body: String,
}

impl Headers {
    /// Parses a header block. Never fails: malformed lines end the header block, as in Python.
    pub(crate) fn parse(bytes: &[u8]) -> Headers {
        let text = String::from_utf8_lossy(bytes);
        // A UTF-8 byte order mark is not part of the first field name.
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut headers = Headers::default();
        let mut lines = text.split_inclusive('\n');
        for line in lines.by_ref() {
            let content = line.trim_end_matches(['\n', '\r']);
            if content.is_empty() {
                break;
            }
            if content.starts_with([' ', '\t']) {
                if let Some((_, value)) = headers.fields.last_mut() {
                    value.push_str(content);
                }
                continue;
            }
            match content.split_once(':') {
                Some((field, value)) if is_field_name(field) => headers
                    .fields
                    .push((field.to_ascii_lowercase(), value.to_string())),
                _ => {
                    headers.body.push_str(line);
                    break;
                }
            }
        }
        headers.body.extend(lines);
        for (_, value) in &mut headers.fields {
            let trimmed = value.trim();
            if trimmed.len() != value.len() {
                *value = trimmed.to_string();
            }
        }
        headers
    }

    /// The first value of a field.
    pub(crate) fn first<'a>(&'a self, field: &'a str) -> Option<&'a str> {
        self.all(field).next()
    }

    /// Every value of a field, in file order (`Requires-Dist` and `Provides-Extra` repeat).
    pub(crate) fn all<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(name, _)| name.eq_ignore_ascii_case(field))
            .map(|(_, value)| value.as_str())
    }

    /// The text after the header block (the long description in core metadata).
    #[cfg(test)]
    pub(crate) fn body(&self) -> &str {
        &self.body
    }
}

/// RFC 5322 field names: printable ASCII except the colon, no spaces.
fn is_field_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|byte| (33..=126).contains(&byte) && byte != b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_repeat_fold_and_end_at_the_blank_line() {
        let text = "Metadata-Version: 2.1\r\nName: demo\r\nRequires-Dist: a>=1\r\nrequires-dist: b;\r\n  extra == 'x'\r\nSummary:   padded   \r\n\r\nBody: not a field\r\nmore\r\n";
        let headers = Headers::parse(text.as_bytes());
        assert_eq!(headers.first("name"), Some("demo"));
        assert_eq!(headers.first("NAME"), Some("demo"));
        assert_eq!(
            headers.all("Requires-Dist").collect::<Vec<_>>(),
            ["a>=1", "b;  extra == 'x'"]
        );
        assert_eq!(headers.first("summary"), Some("padded"));
        assert_eq!(headers.first("Body"), None);
        assert_eq!(headers.body(), "Body: not a field\r\nmore\r\n");
    }

    #[test]
    fn malformed_lines_start_the_body_like_python() {
        let text = "  orphan continuation\nName: demo\nthis line has no colon\nVersion: 1.0\n";
        let headers = Headers::parse(text.as_bytes());
        assert_eq!(headers.first("name"), Some("demo"));
        assert_eq!(headers.first("version"), None);
        assert!(headers.body().starts_with("this line has no colon"));

        let spaced = Headers::parse(b"Bad Field: x\nName: y\n");
        assert_eq!(spaced.first("name"), None);
    }

    #[test]
    fn description_continuations_and_latin1_do_not_break_parsing() {
        let mut bytes = b"\xef\xbb\xbfName: demo\nDescription: line one\n        |line two\nAuthor: J\xf6rg\nVersion: 1\n".to_vec();
        bytes.extend_from_slice(b"\nbody\n");
        let headers = Headers::parse(&bytes);
        assert_eq!(headers.first("name"), Some("demo"));
        assert_eq!(
            headers.first("description"),
            Some("line one        |line two")
        );
        assert_eq!(headers.first("author"), Some("J\u{fffd}rg"));
        assert_eq!(headers.first("version"), Some("1"));
        assert_eq!(headers.body(), "body\n");
        assert_eq!(Headers::parse(b"").first("name"), None);
    }
}
