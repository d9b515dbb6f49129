//! Parsing PEP 508 requirements without the panics of `pep508_rs` 0.9.2.
//!
//! `pep508_rs` 0.9.2 (the last release) checks that a name does not end in `-`, `_` or `.` only
//! when the name is the last thing in the input. When something follows, it hands the name to
//! `PackageName::new` or `ExtraName::new` with an `expect`, and the process aborts: `foo- >=1`,
//! `foo_;python_version>'3'` and `foo[bar-]` all panic instead of failing (found by the
//! `pep508` fuzz target, `testdata/bad/fuzz-crashers/`). Such requirements come from any
//! `pyproject.toml` and from any index's metadata, so [`parse_requirement`] finds these names
//! first, exactly where `pep508_rs` would read them, and reports them as `pep508_rs` reports a
//! name at the end of the input.

use std::iter::Peekable;
use std::str::{CharIndices, FromStr};

use pep508_rs::{Pep508Error, Pep508ErrorSource, VerbatimUrl};

use crate::Requirement;

/// Parses a PEP 508 requirement (`name[extras] specifiers ; marker` or `name @ url ; marker`).
///
/// Use this instead of `Requirement::from_str` or `str::parse`: for every input that does not
/// make `pep508_rs` panic, the result is the same; for those that do, it is an error.
///
/// ```
/// let requirement = wslock_pep::parse_requirement("Requests[socks]>=2 ; os_name == 'nt'")?;
/// assert_eq!(requirement.name.as_ref(), "requests");
/// let error = wslock_pep::parse_requirement("requests- >=2").unwrap_err();
/// assert!(error.to_string().starts_with("Package name must end with an alphanumeric character"));
/// # Ok::<(), wslock_pep::Pep508Error>(())
/// ```
pub fn parse_requirement(text: &str) -> Result<Requirement, Pep508Error<VerbatimUrl>> {
    if let Some(error) = unterminated_name(text) {
        return Err(error);
    }
    Requirement::from_str(text)
}

/// The error for a package or extra name that ends in `-`, `_` or `.` and is followed by more
/// input, the case `pep508_rs` panics on. The scan follows `pep508_rs`'s own cursor (leading
/// whitespace, the name, whitespace, `[`, then extras separated by `,`) and gives up (`None`,
/// leaving the error to `pep508_rs`) wherever that parser would report an error itself.
fn unterminated_name(text: &str) -> Option<Pep508Error<VerbatimUrl>> {
    let mut chars = text.char_indices().peekable();
    skip_whitespace(&mut chars);
    let (last, position) = identifier(&mut chars)?;
    // A name that runs to the end of the input is reported by `pep508_rs`.
    chars.peek()?;
    if is_separator(last) {
        return Some(error(text, "Package", last, position));
    }
    skip_whitespace(&mut chars);
    chars.next_if(|&(_, char)| char == '[')?;
    let mut first = true;
    loop {
        skip_whitespace(&mut chars);
        match chars.peek()?.1 {
            ']' => return None,
            ',' if !first => {
                chars.next();
            }
            // A leading `,` or a missing `,` between extras: `pep508_rs` reports these.
            _ if !first => return None,
            ',' => return None,
            _ => {}
        }
        skip_whitespace(&mut chars);
        let (last, position) = identifier(&mut chars)?;
        match chars.peek() {
            Some(&(_, char)) if char != ',' && char != ']' && !char.is_whitespace() => return None,
            _ => {}
        }
        if is_separator(last) {
            return Some(error(text, "Extra", last, position));
        }
        first = false;
    }
}

/// Consumes a name (`[A-Za-z0-9]` then `[A-Za-z0-9._-]*`); returns its last character and that
/// character's byte position, or `None` when the next character cannot start a name.
fn identifier(chars: &mut Peekable<CharIndices<'_>>) -> Option<(char, usize)> {
    let (mut position, mut last) = chars.next_if(|&(_, char)| char.is_ascii_alphanumeric())?;
    while let Some((at, char)) =
        chars.next_if(|&(_, char)| char.is_ascii_alphanumeric() || is_separator(char))
    {
        (position, last) = (at, char);
    }
    Some((last, position))
}

fn skip_whitespace(chars: &mut Peekable<CharIndices<'_>>) {
    while chars.next_if(|&(_, char)| char.is_whitespace()).is_some() {}
}

fn is_separator(char: char) -> bool {
    matches!(char, '-' | '_' | '.')
}

/// The error `pep508_rs` gives for a name at the end of the input that ends in `last`.
fn error(text: &str, what: &str, last: char, position: usize) -> Pep508Error<VerbatimUrl> {
    Pep508Error {
        message: Pep508ErrorSource::String(format!(
            "{what} name must end with an alphanumeric character, not `{last}`"
        )),
        start: position,
        len: last.len_utf8(),
        input: text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs on which `pep508_rs` 0.9.2's `Requirement::from_str` panics.
    const PANICKED: [&str; 8] = [
        "foo- >=1",
        "foo_;python_version>'3'",
        "foo.[bar]",
        "a[with-]b",
        "a[b, c_ ]",
        "foo[a-",
        "  x-y- @ https://example.invalid/x.tar.gz",
        // The `pep508` fuzz target's first crasher (`testdata/bad/fuzz-crashers/pep508-name-dot`).
        "pk1a6.\u{18}\0g",
    ];

    #[test]
    fn names_ending_in_a_separator_are_errors_not_panics() {
        for text in PANICKED {
            let error = parse_requirement(text).unwrap_err();
            let message = error.to_string();
            assert!(
                message.contains("name must end with an alphanumeric character"),
                "{text:?}: {message}"
            );
        }
        let error = parse_requirement("a[with-]b").unwrap_err();
        assert_eq!(
            error.to_string(),
            "Extra name must end with an alphanumeric character, not `-`\na[with-]b\n      ^"
        );
    }

    #[test]
    fn everything_else_is_left_to_pep508_rs() {
        for text in [
            "foo",
            "foo-",
            "foo-bar>=1",
            "foo [ bar , baz ] ; os_name == 'nt'",
            "foo[]",
            "foo[,a-]",
            "foo[a b-]",
            "foo[-a]",
            "-foo",
            "foo @ https://example.invalid/foo-1.0.tar.gz",
            "",
        ] {
            let ours = parse_requirement(text).map_err(|error| error.to_string());
            let theirs = Requirement::from_str(text).map_err(|error| error.to_string());
            assert_eq!(ours, theirs, "{text:?}");
        }
    }
}
