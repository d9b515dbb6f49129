//! `python_full_version ~= 'V'` in markers, read as uv reads it.
//!
//! `pep508_rs` 0.9.2 turns `python_full_version ~= '3.12.0'` into `>= '3.12' and < '4'`, as
//! if the version had two segments, and drops a pre-release the same way
//! (`~= '3.12.0b1'`). uv 0.13.8 reads the release part of `V` and applies PEP 440's `~=` to
//! it: both markers mean `python_full_version == '3.12.*'` (observed in its locks). Before
//! `pep508_rs` sees the text, each such expression is rewritten into the two comparisons `~=`
//! stands for, which `pep508_rs` handles correctly.

use std::borrow::Cow;

use pep440_rs::Version;

const KEY: &str = "python_full_version";

/// `text` with every `python_full_version ~= 'V'` written as
/// `(python_full_version >= 'R' and python_full_version == 'P.*')`, where `R` is the release
/// part of `V` and `P` is `R` without its last segment. Expressions whose version does not
/// parse or has a single segment are left for `pep508_rs` to report.
pub(crate) fn expand_compatible_python(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = text[search..].find(KEY) {
        let key_start = search + found;
        let after_key = key_start + KEY.len();
        search = after_key;
        let Some((end, version)) = compatible_operand(&text[after_key..]) else {
            continue;
        };
        let Some(expanded) = expansion(version) else {
            continue;
        };
        out.push_str(&text[copied..key_start]);
        out.push_str(&expanded);
        copied = after_key + end;
        search = copied;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// After the key: `~=`, then a quoted version. Returns the length consumed and the version.
fn compatible_operand(rest: &str) -> Option<(usize, &str)> {
    let trimmed = rest.trim_start();
    let operator_at = rest.len() - trimmed.len();
    let after_operator = trimmed.strip_prefix("~=")?;
    let value = after_operator.trim_start();
    let value_at = operator_at + 2 + (after_operator.len() - value.len());
    let quote = value.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let close = value[1..].find(quote)?;
    let version = &value[1..1 + close];
    Some((value_at + close + 2, version))
}

fn expansion(version: &str) -> Option<String> {
    let version: Version = version.trim().parse().ok()?;
    let release = version.release();
    if release.len() < 2 || version.epoch() != 0 {
        return None;
    }
    let join = |segments: &[u64]| {
        segments
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(".")
    };
    let prefix = &release[..release.len() - 1];
    Some(format!(
        "({KEY} >= '{}' and {KEY} == '{}.*')",
        join(release),
        join(prefix)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compatible_python_markers_are_expanded() {
        assert_eq!(
            expand_compatible_python("python_full_version ~= '3.12.0b1'"),
            "(python_full_version >= '3.12.0' and python_full_version == '3.12.*')"
        );
        assert_eq!(
            expand_compatible_python("x; os_name == 'nt' and python_full_version~=\"3.12.1\""),
            "x; os_name == 'nt' and (python_full_version >= '3.12.1' and python_full_version == '3.12.*')"
        );
        // Left alone: other operators and keys, one segment, no version at all.
        for text in [
            "python_full_version >= '3.12'",
            "python_version ~= '3.10'",
            "python_full_version ~= '3'",
            "python_full_version ~= 'x'",
            "python_full_version ~=",
            "python_full_version ~= '3.12",
        ] {
            assert!(
                matches!(expand_compatible_python(text), Cow::Borrowed(_)),
                "{text}"
            );
        }
    }
}

#[cfg(test)]
mod parsed {
    use crate::{marker_string, parse_marker, parse_requirement};

    /// What uv 0.13.8 writes in `uv.lock` for these markers.
    #[test]
    fn compatible_python_markers_mean_what_uv_reads() {
        for (written, uv_writes) in [
            (
                "python_full_version ~= '3.12.0b1'",
                "python_full_version == '3.12.*'",
            ),
            (
                "python_full_version ~= '3.12.0'",
                "python_full_version == '3.12.*'",
            ),
            (
                "python_version ~= '3.10'",
                "python_full_version >= '3.10' and python_full_version < '4'",
            ),
        ] {
            let marker = parse_marker(written).expect("parses");
            assert_eq!(
                marker_string(&marker).as_deref(),
                Some(uv_writes),
                "{written}"
            );
            let requirement = parse_requirement(&format!("alphix ; {written}")).expect("parses");
            assert_eq!(
                marker_string(&requirement.marker).as_deref(),
                Some(uv_writes),
                "{written}"
            );
        }
        // Errors are reported against the text as written.
        let error = parse_marker("python_full_version ~= '3.12.0' and").unwrap_err();
        assert_eq!(error.input, "python_full_version ~= '3.12.0' and");
    }
}
