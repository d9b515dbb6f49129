//! What a user sees besides a command's output: `--help` with examples, errors that show the
//! offending text of a `pyproject.toml` under a caret, colours (`--color`, `NO_COLOR`), shell
//! completions and the exit status of usage errors.

mod common;

use std::path::Path;

use common::{redact, workspaces_dir, wslock, Run};

const TOKEN: &str = "[WORKSPACES]";

/// Runs `wslock` with `args` and the fixture corpus as the only ceiling; `NO_COLOR` and the
/// like come from `env` only (see [`common::wslock`]).
fn run(args: &[&str], env: &[(&str, &str)]) -> Run {
    let dir = workspaces_dir();
    let mut all: Vec<(&str, &Path)> = vec![("WSLOCK_ROOTS", &dir), ("HOME", &dir)];
    all.extend(env.iter().map(|(key, value)| (*key, Path::new(*value))));
    wslock(args, &all)
}

fn fixture(name: &str) -> String {
    workspaces_dir().join(name).display().to_string()
}

/// `wslock --help` and each subcommand's, with their examples.
#[test]
fn help_of_every_command_has_examples() {
    for command in [
        "",
        "members",
        "graph",
        "requirements",
        "plan",
        "completions",
    ] {
        let args: Vec<&str> = [command, "--help"]
            .into_iter()
            .filter(|arg| !arg.is_empty())
            .collect();
        let help = run(&args, &[]);
        assert_eq!(help.status, 0, "{command}: {}", help.stderr);
        assert!(help.stdout.contains("Examples:\n  wslock "), "{command}");
        let name = if command.is_empty() {
            "wslock"
        } else {
            command
        };
        insta::assert_snapshot!(format!("help-{name}"), help.stdout);
    }
}

/// Errors in a manifest show the file, line and column, and the text at fault under a caret:
/// a TOML syntax error, a bad specifier, a bad requirement, an unknown key and a bad name.
#[test]
fn manifest_errors_point_into_the_file() {
    let dir = workspaces_dir();
    for name in [
        "error-invalid-toml",
        "error-invalid-requires-python",
        "error-invalid-dev-dependency",
        "error-unknown-field",
        "error-invalid-package-name",
        "error-duplicate-extra",
    ] {
        let failed = run(&["members", &fixture(name)], &[]);
        assert_eq!(failed.status, 2, "{name}: {}", failed.stderr);
        assert!(failed.stdout.is_empty(), "{name}");
        let stderr = redact(&failed.stderr, &dir, TOKEN);
        assert!(stderr.contains(" --> [WORKSPACES]/"), "{name}: {stderr}");
        assert!(stderr.contains('^'), "{name}: {stderr}");
        assert!(
            stderr.lines().last().unwrap().starts_with("  hint: "),
            "{stderr}"
        );
        insta::assert_snapshot!(format!("caret-{name}"), stderr);
    }
}

/// Errors found after parsing point at the entries they are about, in one file or two: a source
/// for a package that is not a member, two members with one name, conflicting `editable`
/// values, members whose `requires-python` ranges do not meet.
#[test]
fn merge_and_member_errors_point_at_the_entries() {
    let dir = workspaces_dir();
    for (name, snippets) in [
        ("error-intermediate-project-member-source/libs/inner", 1),
        ("error-duplicate-package", 2),
        ("error-editable-conflict", 2),
        ("error-disjoint-requires-python", 2),
    ] {
        let failed = run(&["graph", &fixture(name)], &[]);
        assert_eq!(failed.status, 2, "{name}: {}", failed.stderr);
        let stderr = redact(&failed.stderr, &dir, TOKEN);
        let shown = stderr.matches("/pyproject.toml:").count();
        assert_eq!(shown, snippets, "{name}: {stderr}");
        let fixture_name = name.split('/').next().unwrap();
        insta::assert_snapshot!(format!("pointer-{fixture_name}"), stderr);
    }
}

/// `--color always` colours the labels and the snippet; `never`, a pipe, and `NO_COLOR` with
/// `auto` do not. An explicit `--color always` wins over `NO_COLOR`, as the convention asks.
#[test]
fn color_follows_the_flag_and_no_color() {
    const ESC: char = '\u{1b}';
    let start = fixture("error-invalid-toml");
    let colored = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["members", start.as_str()];
        all.extend(args);
        let failed = run(&all, env);
        assert_eq!(failed.status, 2, "{}", failed.stderr);
        failed.stderr.contains(ESC)
    };
    assert!(colored(&["--color", "always"], &[]));
    assert!(colored(&["--color=always"], &[("NO_COLOR", "1")]));
    assert!(!colored(&["--color", "never"], &[]));
    assert!(!colored(&[], &[]), "stderr is a pipe here");
    assert!(!colored(&["--color", "auto"], &[("NO_COLOR", "1")]));

    // The plain and the coloured report say the same thing.
    let plain = run(&["members", &start, "--color", "never"], &[]).stderr;
    let painted = run(&["members", &start, "--color", "always"], &[]).stderr;
    assert_eq!(strip_ansi(&painted), plain);
    assert!(
        painted.contains("\u{1b}[1m\u{1b}[36mhint\u{1b}[0m: "),
        "{painted:?}"
    );

    // Warnings are labelled the same way.
    let warned = run(
        &[
            "--color",
            "always",
            "members",
            &fixture("dev-groups-extras"),
        ],
        &[],
    );
    assert_eq!(warned.status, 0, "{}", warned.stderr);
    assert!(
        warned
            .stderr
            .starts_with("\u{1b}[1m\u{1b}[33mwarning\u{1b}[0m: "),
        "{:?}",
        warned.stderr
    );
}

/// Removes ANSI escape sequences (`ESC [ ... letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `wslock completions SHELL` prints a script for each shell clap_complete supports, naming
/// every subcommand.
#[test]
fn completions_are_generated_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = run(&["completions", shell], &[]);
        assert_eq!(script.status, 0, "{shell}: {}", script.stderr);
        assert!(script.stderr.is_empty(), "{shell}: {}", script.stderr);
        for word in [
            "wslock",
            "members",
            "graph",
            "requirements",
            "plan",
            "find-links",
        ] {
            assert!(script.stdout.contains(word), "{shell} script lacks {word}");
        }
    }
    let unknown = run(&["completions", "tcsh"], &[]);
    assert_eq!(unknown.status, 2);
    assert!(
        unknown.stderr.contains("possible values"),
        "{}",
        unknown.stderr
    );
}

/// Usage errors exit with 2, like bad input; `--help` and `--version` with 0.
#[test]
fn usage_errors_exit_with_status_two() {
    for args in [
        &[][..],
        &["plan", "--bogus"],
        &["members", "--format", "yaml"],
        &["--color", "sometimes", "members"],
        &["nonsense"],
    ] {
        let failed = run(args, &[]);
        assert_eq!(failed.status, 2, "{args:?}: {}", failed.stderr);
        assert!(failed.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(run(&["--version"], &[]).status, 0);
}
