//! Markers and specifiers in the spelling uv writes into `uv.lock`.

use wslock_pep::{marker_string, MarkerTree, VersionSpecifiers};

/// uv treats `platform_system` as an alias of `sys_platform` for the three platforms it knows
/// and writes the `sys_platform` form (resolver-notes A2, cause 1; seen in a uv 0.13.8 lock:
/// `platform_system == 'Windows'` is written `sys_platform == 'win32'`). `pep508_rs` keeps the
/// two variables apart, so we rewrite the canonical text and parse it again, which lets the
/// marker algebra merge the result with any `sys_platform` terms already there.
const PLATFORM_SYSTEM_ALIASES: [(&str, &str); 3] = [
    ("Windows", "win32"),
    ("Darwin", "darwin"),
    ("Linux", "linux"),
];

/// `marker` with uv's `platform_system` aliases applied.
pub(crate) fn uv_marker(marker: &MarkerTree) -> MarkerTree {
    let Some(text) = marker_string(marker) else {
        return marker.clone();
    };
    if !text.contains("platform_system") {
        return marker.clone();
    }
    let mut rewritten = text.clone();
    for (system, platform) in PLATFORM_SYSTEM_ALIASES {
        for operator in ["==", "!="] {
            rewritten = rewritten.replace(
                &format!("platform_system {operator} '{system}'"),
                &format!("sys_platform {operator} '{platform}'"),
            );
        }
    }
    if rewritten == text {
        return marker.clone();
    }
    // The rewritten text only renames variables of a marker we printed ourselves, so it parses;
    // if it ever did not, the marker as given is still a correct (if differently spelled) one.
    rewritten.parse().unwrap_or_else(|_| marker.clone())
}

/// The marker text, or `None` for the always-true marker.
pub(crate) fn marker_text(marker: &MarkerTree) -> Option<String> {
    marker_string(marker)
}

/// Specifiers in uv's order: by version, ties broken by operator (`<2,>=1.0` → `>=1.0,<2`;
/// `>=22,~=22.0` → `~=22.0,>=22`).
///
/// `pep440_rs` sorts by version only and keeps the written order on ties; uv also orders ties,
/// so that equal spellings of one interval compare and print the same.
pub(crate) fn uv_specifiers(specifiers: &VersionSpecifiers) -> VersionSpecifiers {
    let mut sorted: Vec<_> = specifiers.iter().cloned().collect();
    sorted.sort_by(|a, b| {
        a.version()
            .cmp(b.version())
            .then_with(|| a.operator().cmp(b.operator()))
    });
    // `FromIterator` sorts by version again, stably, which keeps this order.
    sorted.into_iter().collect()
}

/// Specifiers as uv writes them in a lock: sorted by version, ties broken by operator, joined
/// by `,` (`<2,>=1.0` → `>=1.0,<2`; `>=22,~=22.0` → `~=22.0,>=22`).
pub fn specifiers_string(specifiers: &VersionSpecifiers) -> String {
    let parts: Vec<String> = uv_specifiers(specifiers)
        .iter()
        .map(ToString::to_string)
        .collect();
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> MarkerTree {
        text.parse().unwrap()
    }

    #[test]
    fn platform_system_is_written_as_sys_platform() {
        let text = |marker: &str| marker_text(&uv_marker(&m(marker)));
        assert_eq!(
            text("platform_system == 'Windows'").unwrap(),
            "sys_platform == 'win32'"
        );
        assert_eq!(
            text("platform_system != 'Windows' and platform_machine == 'x86_64'").unwrap(),
            "platform_machine == 'x86_64' and sys_platform != 'win32'"
        );
        assert_eq!(
            text("platform_system == 'Java'").unwrap(),
            "platform_system == 'Java'"
        );
        assert_eq!(
            text("platform_system == 'Linux' and sys_platform == 'linux'").unwrap(),
            "sys_platform == 'linux'"
        );
        assert_eq!(
            text("python_version >= '3.8'").unwrap(),
            "python_full_version >= '3.8'"
        );
        assert!(text("platform_system == 'Linux' or platform_system != 'Linux'").is_none());
    }

    #[test]
    fn specifiers_sort_like_uv() {
        let s = |text: &str| specifiers_string(&text.parse().unwrap());
        assert_eq!(s("<2,>=1.0"), ">=1.0,<2");
        assert_eq!(s(">=22,!=22.1,<24,~=22.0"), "~=22.0,>=22,!=22.1,<24");
        assert_eq!(
            s(">=3.11,>=3.10,<3.14,!=3.12.*"),
            ">=3.10,>=3.11,!=3.12.*,<3.14"
        );
        assert_eq!(s(""), "");
        let ordered = uv_specifiers(&">=22,!=22.1,<24,~=22.0".parse().unwrap());
        assert_eq!(
            ordered,
            uv_specifiers(&"~=22.0,>=22,<24,!=22.1".parse().unwrap())
        );
    }
}
