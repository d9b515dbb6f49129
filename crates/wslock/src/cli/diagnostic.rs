//! Error reports on stderr: `error: ...` and `  hint: ...`, with the offending text of a
//! `pyproject.toml` shown under a caret when the error knows where it is.
//!
//! The library errors carry the file and a byte span ([`ManifestError::span`]); the file is
//! read again here, at the edge, and the snippet is drawn by `annotate-snippets`, the renderer
//! rustc and cargo use. When the file cannot be read again or no longer matches the span, the
//! report falls back to the one-line message, which names the line and column.

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use wslock::workspace::ManifestError;

use super::color::Palette;

/// How an error is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Colours for the labels and the snippet.
    pub palette: Palette,
    /// Wrap long prose (resolution failures) to this many columns; `None` leaves it alone
    /// (output into a pipe or a file stays one line per sentence, stable for scripts).
    pub width: Option<usize>,
}

/// The whole report for an error: the message (with a snippet when `manifest` can show one),
/// then the hint.
pub fn render(message: &str, hint: &str, manifest: Option<&ManifestError>, style: Style) -> String {
    let palette = style.palette;
    let body = manifest
        .and_then(|error| snippet(error, palette))
        .unwrap_or_else(|| {
            let text = format!("{}: {message}", palette.error());
            match style.width {
                Some(width) => wrap(&text, width),
                None => text,
            }
        });
    let hint = format!("  {}: {hint}", palette.hint());
    let hint = match style.width {
        Some(width) => wrap_with(&hint, width, "    "),
        None => hint,
    };
    format!("{}\n{hint}\n", body.trim_end())
}

/// A warning line.
pub fn warning(message: &str, palette: Palette) -> String {
    format!("{}: {message}\n", palette.warning())
}

/// `message`, each line filled to `width` columns; continuation lines are indented by two.
pub fn wrap(message: &str, width: usize) -> String {
    wrap_with(message, width, "  ")
}

fn wrap_with(message: &str, width: usize, indent: &str) -> String {
    let options = textwrap::Options::new(width.max(40))
        .subsequent_indent(indent)
        .break_words(false);
    message
        .lines()
        .map(|line| textwrap::fill(line, &options))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The snippet report for a manifest error, or `None` when it has no position or the file
/// no longer holds the text the span points at.
fn snippet(error: &ManifestError, palette: Palette) -> Option<String> {
    let span = error.span.clone()?;
    let text = std::fs::read_to_string(&error.path).ok()?;
    let span = first_line(&text, span)?;
    // The PEP 440/508 parsers end their message with the string and carets under the bad
    // part; the snippet shows the same thing in the file, so only the first line is kept.
    let summary = error.message.lines().next().unwrap_or_default();
    let summary = summary.strip_suffix(':').unwrap_or(summary);
    let path = error.path.display().to_string();
    let mut annotation = AnnotationKind::Primary.span(span);
    if let Some(key) = &error.key {
        annotation = annotation.label(format!("in `{key}`"));
    }
    let report = [Level::ERROR.primary_title(summary).element(
        Snippet::source(text.as_str())
            .path(path.as_str())
            .annotation(annotation),
    )];
    let renderer = if palette.enabled() {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    Some(renderer.render(&report))
}

/// `span` cut at the end of its first line (a table or array can span many; the caret goes
/// under where it starts), or `None` when it does not fit `text`. An empty span (the end of
/// the file) stays empty: the renderer draws the caret after the last character.
fn first_line(text: &str, span: Range<usize>) -> Option<Range<usize>> {
    if span.start > span.end
        || span.end > text.len()
        || !text.is_char_boundary(span.start)
        || !text.is_char_boundary(span.end)
    {
        return None;
    }
    let end = text[span.clone()]
        .find('\n')
        .map_or(span.end, |newline| span.start + newline);
    Some(span.start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_each_line_with_an_indent() {
        let text = "error: no solution: because a depends on b and b depends on c, and c has no usable version, a cannot be used.\nAnd because the workspace requires a, the requirements cannot all be met.";
        let wrapped = wrap(text, 50);
        assert!(
            wrapped.lines().all(|line| line.chars().count() <= 50),
            "{wrapped}"
        );
        assert!(
            wrapped.lines().nth(1).unwrap().starts_with("  "),
            "{wrapped}"
        );
        assert!(wrapped.contains("\nAnd because"), "{wrapped}");
    }

    #[test]
    fn spans_are_cut_at_the_first_line_and_checked() {
        let text = "a = [\n  1,\n]\n";
        assert_eq!(first_line(text, 4..text.len() - 1), Some(4..5));
        assert_eq!(first_line(text, 0..100), None);
        assert_eq!(first_line("é", 1..2), None);
        assert_eq!(first_line(text, text.len()..text.len()), Some(13..13));
    }
}
