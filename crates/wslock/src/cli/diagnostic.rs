//! Error reports on stderr: `error: ...` and `  hint: ...`, with the offending text of a
//! `pyproject.toml` shown under a caret when the error knows where it is.
//!
//! A manifest error carries the file and a byte span ([`ManifestError::span`]); an error of
//! the merge (a source for a package that is not a member, an undeclared index, ...) names the
//! manifest and the package, and the key it is about is found again in the file
//! ([`wslock::workspace::pyproject::value_span`]). The file is read again here, at the edge, and
//! the snippet is drawn by `annotate-snippets`, the renderer rustc and cargo use. When the file
//! cannot be read again or no longer holds the text, the report falls back to the one-line
//! message, which names the file (and, for a manifest error, the line and column).

use std::ops::Range;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use std::path::PathBuf;

use wslock::graph::GraphError;
use wslock::workspace::pyproject::value_span;
use wslock::workspace::{DiscoveryError, ManifestError};

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

/// Where in the manifests an error is, and what to say there.
#[derive(Debug, Clone)]
pub struct Pointer<'a> {
    /// The title line, in place of the message, when the snippets can be shown.
    pub title: String,
    /// The places, each shown as a snippet of its file.
    pub places: Vec<Place<'a>>,
}

/// One place in a file.
#[derive(Debug, Clone)]
pub struct Place<'a> {
    /// The file.
    pub path: &'a Path,
    /// Where in it.
    pub at: At,
    /// A label under the caret.
    pub label: Option<String>,
}

/// A position in a file: a byte span, or a key path to find.
#[derive(Debug, Clone)]
pub enum At {
    /// Bytes, as a parser reported them.
    Span(Range<usize>),
    /// A key path (`["tool", "uv", "sources", "foo"]`), found by [`value_span`].
    Key(Vec<String>),
}

fn key(parts: &[&dyn ToString]) -> Vec<String> {
    parts.iter().map(|part| part.to_string()).collect()
}

fn source_key(package: &dyn ToString) -> Vec<String> {
    key(&[&"tool", &"uv", &"sources", package])
}

fn in_key(key: &[String]) -> Option<String> {
    Some(format!("in `{}`", key.join(".")))
}

impl<'a> Pointer<'a> {
    /// A manifest error's position, when it has one.
    pub fn manifest(error: &'a ManifestError) -> Option<Self> {
        // The PEP 440/508 parsers end their message with the string and carets under the bad
        // part; the snippet shows the same thing in the file, so only the first line is kept.
        let summary = error.message.lines().next().unwrap_or_default();
        Some(Self {
            title: summary.strip_suffix(':').unwrap_or(summary).to_owned(),
            places: vec![Place {
                path: &error.path,
                at: At::Span(error.span.clone()?),
                label: error.key.as_ref().map(|key| format!("in `{key}`")),
            }],
        })
    }

    /// The entries of the manifests a discovery error (other than a manifest's own) is about.
    pub fn discovery(error: &'a DiscoveryError, manifests: &'a [PathBuf; 2]) -> Option<Self> {
        let places = match error {
            DiscoveryError::EditableConflict {
                name,
                editable,
                not_editable,
            } => {
                let key = source_key(name);
                vec![
                    Place {
                        path: editable,
                        at: At::Key(key.clone()),
                        label: Some("editable here".into()),
                    },
                    Place {
                        path: not_editable,
                        at: At::Key(key),
                        label: Some("not editable here".into()),
                    },
                ]
            }
            DiscoveryError::DuplicateMember { .. } => manifests
                .iter()
                .map(|path| Place {
                    path,
                    at: At::Key(key(&[&"project", &"name"])),
                    label: None,
                })
                .collect(),
            _ => return None,
        };
        Some(Self {
            title: error.to_string(),
            places,
        })
    }

    /// The entry of `tool.uv.sources`, `[dependency-groups]` or `requires-python` a merge
    /// error is about.
    pub fn graph(error: &'a GraphError) -> Option<Self> {
        let group = |name: &dyn ToString| key(&[&"dependency-groups", name]);
        let (path, key) = match error {
            // Only the two members that do not meet are shown; without such a pair (three or
            // more ranges that only fail together), the message's list says it better.
            GraphError::DisjointRequiresPython {
                members,
                pair: Some(pair),
            } => {
                let places: Vec<Place<'a>> = members
                    .iter()
                    .filter(|member| member.member == pair.0 || member.member == pair.1)
                    .map(|member| Place {
                        path: &member.manifest,
                        at: At::Key(key(&[&"project", &"requires-python"])),
                        label: Some(format!(
                            "`{}` requires Python {}",
                            member.member, member.specifiers
                        )),
                    })
                    .collect();
                return Some(Self {
                    title: format!(
                        "the `requires-python` ranges of members `{}` and `{}` have no Python version in common",
                        pair.0, pair.1
                    ),
                    places,
                });
            }
            GraphError::NonWorkspaceSource {
                manifest, package, ..
            }
            | GraphError::NotAMember {
                manifest, package, ..
            }
            | GraphError::ExternalWorkspaceSource {
                manifest, package, ..
            }
            | GraphError::WorkspaceSourceNotRoot {
                manifest, package, ..
            }
            | GraphError::NotAnExternalMember {
                manifest, package, ..
            }
            | GraphError::ExternalWorkspaceDiscovery {
                manifest, package, ..
            }
            | GraphError::SourceExtraMismatch {
                manifest, package, ..
            }
            | GraphError::SourceGroupMismatch {
                manifest, package, ..
            }
            | GraphError::UndeclaredIndex {
                manifest, package, ..
            } => (manifest, source_key(package)),
            GraphError::UnknownIncludedGroup {
                manifest,
                included_by,
                ..
            } => (manifest, group(included_by)),
            GraphError::GroupCycle { manifest, cycle } => (manifest, group(cycle.first()?)),
            _ => return None,
        };
        Some(Self {
            title: error.to_string(),
            places: vec![Place {
                path,
                label: in_key(&key),
                at: At::Key(key),
            }],
        })
    }
}

/// The whole report for an error: the message (as a snippet when `pointer` can be shown), then
/// the hint.
pub fn render(message: &str, hint: &str, pointer: Option<Pointer<'_>>, style: Style) -> String {
    let palette = style.palette;
    let body = pointer
        .and_then(|pointer| snippet(&pointer, palette))
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

/// The snippet report, or `None` when a file no longer holds the text a place points at (then
/// the plain message is better than part of the picture).
fn snippet(pointer: &Pointer<'_>, palette: Palette) -> Option<String> {
    let mut sources = Vec::new();
    for place in &pointer.places {
        let text = std::fs::read_to_string(place.path).ok()?;
        let span = match &place.at {
            At::Span(span) => span.clone(),
            At::Key(key) => {
                let key: Vec<&str> = key.iter().map(String::as_str).collect();
                value_span(&text, &key)?
            }
        };
        let span = first_line(&text, span)?;
        sources.push((place, text, span, place.path.display().to_string()));
    }
    if sources.is_empty() {
        return None;
    }
    let snippets = sources.iter().map(|(place, text, span, path)| {
        let mut annotation = AnnotationKind::Primary.span(span.clone());
        if let Some(label) = &place.label {
            annotation = annotation.label(label.as_str());
        }
        Snippet::source(text.as_str())
            .path(path.as_str())
            .annotation(annotation)
    });
    let report = [Level::ERROR
        .primary_title(pointer.title.as_str())
        .elements(snippets)];
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
