//! The user's global gitignore: where git's configuration says it is.
//!
//! The "only ignored files" check ([`super::ignored`]) applies it inside a repository, as the
//! `ignore` crate does for uv. The configuration files are read through the
//! [`ManifestStore`]'s logged reader, like every other file discovery opens.

use std::path::{Path, PathBuf};

use crate::store::ManifestStore;

/// Where git's user-level configuration lives, read from the process environment once per
/// expansion.
///
/// The global gitignore is found as the `ignore` crate finds it for uv: the first
/// `core.excludesFile` in `$GIT_CONFIG_GLOBAL`, `~/.gitconfig`, then
/// `$XDG_CONFIG_HOME/git/config` (`~/.config/git/config`), else the default
/// `$XDG_CONFIG_HOME/git/ignore`. Unlike the crate, the system configuration
/// (`$GIT_CONFIG_SYSTEM`, `/etc/gitconfig`) is never read: it is outside the user's control
/// and outside the tree (a departure documented in `docs/workspace-discovery.md`). Like the
/// crate, the configuration is scanned for the key, not parsed as git does (`include` is not
/// followed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GitEnvironment {
    /// The home directory.
    pub home: Option<PathBuf>,
    /// `$XDG_CONFIG_HOME`, when set and not empty.
    pub xdg_config_home: Option<PathBuf>,
    /// `$GIT_CONFIG_GLOBAL`, when set and not empty.
    pub git_config_global: Option<PathBuf>,
}

impl GitEnvironment {
    /// Reads the locations from the process environment.
    pub fn from_process() -> Self {
        let non_empty = |name: &str| {
            std::env::var_os(name)
                .filter(|value| !value.is_empty())
                .map(PathBuf::from)
        };
        Self {
            home: non_empty("HOME").or_else(std::env::home_dir),
            xdg_config_home: non_empty("XDG_CONFIG_HOME"),
            git_config_global: non_empty("GIT_CONFIG_GLOBAL"),
        }
    }

    /// The global excludes file, if git's user configuration names one or a default applies.
    /// Configuration files are read through `store`, so they appear in its log.
    pub(super) fn excludes_file(&self, store: &ManifestStore) -> Option<PathBuf> {
        let config_dir = self
            .xdg_config_home
            .clone()
            .or_else(|| self.home.as_ref().map(|home| home.join(".config")));
        let configs = [
            self.git_config_global.clone(),
            self.home.as_ref().map(|home| home.join(".gitconfig")),
            config_dir
                .as_ref()
                .map(|dir| dir.join("git").join("config")),
        ];
        for config in configs.into_iter().flatten() {
            if !config.is_file() {
                continue;
            }
            let Ok(bytes) = store.read_bytes(&config) else {
                continue;
            };
            if let Some(file) = excludes_file_setting(&bytes, self.home.as_deref()) {
                return Some(file);
            }
        }
        config_dir.map(|dir| dir.join("git").join("ignore"))
    }
}

/// The value of the first `excludesFile = ...` line, as the crate's scan finds it (any section,
/// key case-insensitive, optional quotes, no spaces in the value), with `~` replaced by the home
/// directory.
fn excludes_file_setting(config: &[u8], home: Option<&Path>) -> Option<PathBuf> {
    let text = String::from_utf8_lossy(config);
    text.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("excludesfile") {
            return None;
        }
        let value = value.trim();
        let value = value.strip_prefix('"').unwrap_or(value).trim_start();
        let value = value.strip_suffix('"').unwrap_or(value).trim_end();
        if value.is_empty() || value.contains(char::is_whitespace) {
            return None;
        }
        let value = match home {
            Some(home) => value.replace('~', &home.to_string_lossy()),
            None => value.to_string(),
        };
        Some(PathBuf::from(value))
    })
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn excludes_file_is_scanned_like_the_crate_does() {
        let home = Path::new("/home/me");
        let find = |text: &str| excludes_file_setting(text.as_bytes(), Some(home));
        assert_eq!(
            find("[core]\n\texcludesFile = ~/.gitignore_global\n"),
            Some(PathBuf::from("/home/me/.gitignore_global"))
        );
        assert_eq!(
            find("[core]\n  EXCLUDESFILE=\"/etc/ignore\"\r\n"),
            Some(PathBuf::from("/etc/ignore"))
        );
        assert_eq!(find("[core]\n\teditor = vim\n"), None);
        assert_eq!(find("excludesfile = has space\n"), None);
    }

    #[test]
    fn the_global_excludes_file_comes_from_the_user_configuration_only() {
        let temp = tempfile::tempdir().unwrap();
        let home = temp.path().join("home");
        fs::create_dir_all(home.join(".config/git")).unwrap();
        let store = ManifestStore::default();
        let git = GitEnvironment {
            home: Some(home.clone()),
            ..GitEnvironment::default()
        };
        // Nothing configured: git's default, and no configuration file was opened.
        assert_eq!(
            git.excludes_file(&store),
            Some(home.join(".config/git/ignore"))
        );
        assert!(store.reads().is_empty());

        fs::write(
            home.join(".config/git/config"),
            "[core]\nexcludesfile = ~/xdg-ignore\n",
        )
        .unwrap();
        assert_eq!(git.excludes_file(&store), Some(home.join("xdg-ignore")));
        fs::write(
            home.join(".gitconfig"),
            "[core]\nexcludesfile = ~/home-ignore\n",
        )
        .unwrap();
        assert_eq!(git.excludes_file(&store), Some(home.join("home-ignore")));
        let global = temp.path().join("global-config");
        fs::write(&global, "[core]\nexcludesfile = /g\n").unwrap();
        let git = GitEnvironment {
            git_config_global: Some(global.clone()),
            ..git
        };
        assert_eq!(git.excludes_file(&store), Some(PathBuf::from("/g")));
        assert_eq!(store.reads().last(), Some(&global));
        assert!(
            !store.reads().iter().any(|read| read.starts_with("/etc")),
            "{:?}",
            store.reads()
        );
    }
}
