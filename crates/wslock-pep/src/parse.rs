//! Parsing PEP 508 requirements and markers without the panics of `pep508_rs` 0.9.2.
//!
//! `pep508_rs` 0.9.2 (the last release) panics on two kinds of input that any `pyproject.toml`
//! or index metadata can hold; both were found by the `pep508` fuzz target and are kept in
//! `testdata/bad/fuzz-crashers/`. [`parse_requirement`] and [`parse_marker`] find them first
//! and report them as errors; everything else goes to `pep508_rs` unchanged.
//!
//! Names. `pep508_rs` checks that a name does not end in `-`, `_` or `.` only
//! when the name is the last thing in the input. When something follows, it hands the name to
//! `PackageName::new` or `ExtraName::new` with an `expect`, and the process aborts: `foo- >=1`,
//! `foo_;python_version>'3'` and `foo[bar-]` all panic instead of failing. These names are found
//! exactly where `pep508_rs` would read them and reported as it reports a name at the end of the
//! input.
//!
//! Words after a marker expression that hold a multi-byte character (`os_name == 'nt' aé`):
//! see [`crate::marker_scan`].

use std::iter::Peekable;
use std::str::{CharIndices, FromStr};

use pep508_rs::{MarkerTree, Pep508Error, Pep508ErrorSource, VerbatimUrl};

use crate::marker_scan::unaligned_word;
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
    // The marker starts after a `;`; which one depends on the URL or specifiers before it, so
    // every `;` is tried. A `;` inside a URL only adds a walk that `pep508_rs` never makes,
    // over text that is not a marker; a word it flags there needs a `;`, then non-ASCII
    // text, in the URL.
    for (at, _) in text.match_indices(';') {
        if let Some(error) = unaligned_marker_word(text, at + 1) {
            return Err(error);
        }
    }
    match crate::compatible_release::expand_compatible_python(text) {
        std::borrow::Cow::Owned(expanded) => Requirement::from_str(&expanded)
            // An error is reported against the text as written.
            .or_else(|_| Requirement::from_str(text))
            .map_err(displayable),
        std::borrow::Cow::Borrowed(_) => Requirement::from_str(text).map_err(displayable),
    }
}

/// Parses a PEP 508 marker (`python_version >= '3.10' and sys_platform == 'linux'`).
///
/// Use this instead of `MarkerTree::from_str` or `str::parse`: for every input that does not
/// make `pep508_rs` panic, the result is the same; for those that do, it is an error.
///
/// ```
/// let marker = wslock_pep::parse_marker("os_name == 'nt'")?;
/// assert_eq!(wslock_pep::marker_string(&marker).unwrap(), "os_name == 'nt'");
/// assert!(wslock_pep::parse_marker("os_name == 'nt' aé").is_err());
/// # Ok::<(), wslock_pep::Pep508Error>(())
/// ```
pub fn parse_marker(text: &str) -> Result<MarkerTree, Pep508Error<VerbatimUrl>> {
    if let Some(error) = unaligned_marker_word(text, 0) {
        return Err(error);
    }
    match crate::compatible_release::expand_compatible_python(text) {
        std::borrow::Cow::Owned(expanded) => MarkerTree::from_str(&expanded)
            .or_else(|_| MarkerTree::from_str(text))
            .map_err(displayable),
        std::borrow::Cow::Borrowed(_) => MarkerTree::from_str(text).map_err(displayable),
    }
}

/// `error` with a span that its `Display` can print.
///
/// Some `pep508_rs` errors measure the underlined span in characters (`Unexpected character
/// 'é', expected 'and', 'or' or end of input` counts the rest of the input), and `Display`
/// slices the input with it in bytes, so printing the error panics when the span ends inside
/// a multi-byte character (`os_name == 'nt' éé`). Display also asserts that a span at the end
/// of the input is at most one character long. The span is widened to the next character
/// boundary and clamped to the input.
fn displayable(mut error: Pep508Error<VerbatimUrl>) -> Pep508Error<VerbatimUrl> {
    let input = &error.input;
    let mut start = error.start.min(input.len());
    while !input.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = error
        .start
        .saturating_add(error.len)
        .clamp(start, input.len());
    while !input.is_char_boundary(end) {
        end += 1;
    }
    error.start = start;
    error.len = if start == input.len() {
        error.len.min(1)
    } else {
        end - start
    };
    error
}

fn unaligned_marker_word(text: &str, start: usize) -> Option<Pep508Error<VerbatimUrl>> {
    let (start, end) = unaligned_word(text, start)?;
    Some(Pep508Error {
        message: Pep508ErrorSource::String(format!(
            "Expected `and`, `or`, `)` or the end of the marker, found `{}`",
            &text[start..end]
        )),
        start,
        len: end - start,
        input: text.to_string(),
    })
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

    /// Inputs on which `pep508_rs` 0.9.2 panics while parsing the marker.
    const MARKER_PANICKED: [&str; 3] = [
        "os_name == 'nt' aé",
        "(os_name == 'nt')é",
        // The `pep508` fuzz target's crasher (`testdata/bad/fuzz-crashers/pep508-marker-utf8`).
        "(sys_platform == '11(!swin32.=3.8*,\0\0\0\u{1f}~~=k' or platform_system == 'D2arwin') andp0kZZZreZZqs\0\0\0ZZ|1(v1+lo@ca\u{3d4}",
    ];

    #[test]
    fn unaligned_marker_words_are_errors_not_panics() {
        for marker in MARKER_PANICKED {
            let error = parse_marker(marker).unwrap_err().to_string();
            assert!(
                error.starts_with("Expected `and`, `or`, `)`"),
                "{marker:?}: {error}"
            );
            let requirement = format!("name>=1 ; {marker}");
            let error = parse_requirement(&requirement).unwrap_err().to_string();
            assert!(
                error.starts_with("Expected `and`, `or`, `)`"),
                "{requirement:?}: {error}"
            );
        }
        let error = parse_marker("os_name == 'nt' aé").unwrap_err();
        assert_eq!(
            error.to_string(),
            "Expected `and`, `or`, `)` or the end of the marker, found `aé`\nos_name == 'nt' aé\n                ^^"
        );
    }

    #[test]
    fn markers_without_those_words_are_left_to_pep508_rs() {
        for text in [
            "platform_release == 'aéé' and os_name == 'é é'",
            "(platform_version == 'éé') or (sys_platform == 'linux')",
            "os_name == 'nt' aa",
            "os_namé == 'nt'",
            "",
        ] {
            let ours = parse_marker(text).map_err(|error| error.to_string());
            let theirs = MarkerTree::from_str(text).map_err(|error| error.to_string());
            assert_eq!(ours, theirs, "{text:?}");
        }
    }

    #[test]
    fn errors_can_be_printed() {
        for text in ["os_name == 'nt' éé", "os_name == 'nt' )éé"] {
            let error = parse_marker(text).unwrap_err().to_string();
            assert!(
                error.starts_with("Unexpected character"),
                "{text:?}: {error}"
            );
            let requirement = format!("name ; {text}");
            let error = parse_requirement(&requirement).unwrap_err().to_string();
            assert!(
                error.starts_with("Unexpected character"),
                "{requirement:?}: {error}"
            );
        }
        assert_eq!(
            parse_marker("os_name == 'nt' éé").unwrap_err().to_string(),
            "Unexpected character 'é', expected 'and', 'or' or end of input\nos_name == 'nt' éé\n                ^"
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
            "foo @ https://example.invalid/a;é/foo-1.0.tar.gz ; os_name == 'é'",
            "foo ; platform_release == 'aéé'",
            "",
        ] {
            let ours = parse_requirement(text).map_err(|error| error.to_string());
            let theirs = Requirement::from_str(text).map_err(|error| error.to_string());
            assert_eq!(ours, theirs, "{text:?}");
        }
    }
}
