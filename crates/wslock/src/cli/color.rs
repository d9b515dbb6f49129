//! `--color auto|always|never` and the `NO_COLOR` convention (<https://no-color.org>).

use anstyle::{AnsiColor, Style};
use clap::ValueEnum;

/// When to colour what wslock writes to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal and `NO_COLOR` is unset or empty.
    #[default]
    Auto,
    /// Always colour, even into a pipe or a file (for pagers such as `less -R`).
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream, given whether it is a terminal and the value of `NO_COLOR`.
    /// An explicit `--color` wins over `NO_COLOR`, as the convention asks.
    pub fn enabled(self, is_terminal: bool, no_color: Option<&str>) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => is_terminal && no_color.is_none_or(str::is_empty),
        }
    }

    /// The same decision for clap's own output (help, usage errors).
    pub fn for_clap(self) -> clap::ColorChoice {
        match self {
            Self::Auto => clap::ColorChoice::Auto,
            Self::Always => clap::ColorChoice::Always,
            Self::Never => clap::ColorChoice::Never,
        }
    }

    /// `--color` as given on the command line, read before clap parses it, so that clap's own
    /// messages (help, usage errors) follow it too. The last occurrence wins, as with clap;
    /// anything after `--` is an argument, not an option.
    pub fn from_args<I: IntoIterator<Item = std::ffi::OsString>>(args: I) -> Self {
        let mut choice = Self::Auto;
        let mut args = args.into_iter().skip(1);
        while let Some(arg) = args.next() {
            let Some(arg) = arg.to_str() else { continue };
            if arg == "--" {
                break;
            }
            let value = match arg.strip_prefix("--color") {
                Some("") => args.next().and_then(|next| next.into_string().ok()),
                Some(rest) => rest.strip_prefix('=').map(str::to_owned),
                None => None,
            };
            if let Some(parsed) = value.and_then(|value| Self::from_str(&value, false).ok()) {
                choice = parsed;
            }
        }
        choice
    }
}

/// How labels are drawn: bold and coloured, or plain.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    enabled: bool,
}

impl Palette {
    /// Coloured labels when `enabled`.
    pub fn new(enabled: bool) -> Self {
        Self { enabled }
    }

    /// Whether colours are on.
    pub fn enabled(self) -> bool {
        self.enabled
    }

    fn paint(self, style: Style, text: &str) -> String {
        if self.enabled {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    /// `error:`, bold red.
    pub fn error(self) -> String {
        self.paint(label(AnsiColor::Red), "error")
    }

    /// `warning:`, bold yellow.
    pub fn warning(self) -> String {
        self.paint(label(AnsiColor::Yellow), "warning")
    }

    /// `hint:`, bold cyan.
    pub fn hint(self) -> String {
        self.paint(label(AnsiColor::Cyan), "hint")
    }
}

fn label(color: AnsiColor) -> Style {
    Style::new().bold().fg_color(Some(color.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<std::ffi::OsString> {
        text.split(' ').map(Into::into).collect()
    }

    #[test]
    fn no_color_only_matters_for_auto() {
        assert!(ColorChoice::Auto.enabled(true, None));
        assert!(ColorChoice::Auto.enabled(true, Some("")));
        assert!(!ColorChoice::Auto.enabled(true, Some("1")));
        assert!(!ColorChoice::Auto.enabled(false, None));
        assert!(ColorChoice::Always.enabled(false, Some("1")));
        assert!(!ColorChoice::Never.enabled(true, None));
    }

    #[test]
    fn reads_color_before_clap() {
        assert_eq!(
            ColorChoice::from_args(args("wslock --color never members")),
            ColorChoice::Never
        );
        assert_eq!(
            ColorChoice::from_args(args("wslock members --color=always")),
            ColorChoice::Always
        );
        assert_eq!(
            ColorChoice::from_args(args("wslock members -- --color=always")),
            ColorChoice::Auto
        );
        assert_eq!(
            ColorChoice::from_args(args("wslock --color bogus")),
            ColorChoice::Auto
        );
    }

    #[test]
    fn plain_labels_have_no_escapes() {
        assert_eq!(Palette::new(false).error(), "error");
        assert!(Palette::new(true).error().contains("\u{1b}["));
    }
}
