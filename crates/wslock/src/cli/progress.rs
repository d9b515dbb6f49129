//! A progress line on stderr while a plan is resolved: how many packages and metadata files
//! the resolver has asked the sources for, and the latest one.
//!
//! Shown only when stderr is a terminal and neither `--quiet` nor `--verbose` is given; indicatif draws it at most
//! a few times a second and clears it when the plan is done, so nothing is left in the output.
//! There is no total to show a bar against (the resolver discovers packages as it goes), so it
//! is a spinner with counts, as uv's "Resolved N packages".

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use wslock::pipeline::SourceObserver;
use wslock_pep::{PackageName, Version};

/// The progress line, or nothing.
pub struct Progress {
    bar: Option<ProgressBar>,
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    packages: HashSet<PackageName>,
    metadata: HashSet<(PackageName, Version)>,
}

impl Progress {
    /// Starts the line when `visible`.
    pub fn start(visible: bool, what: &str) -> Self {
        let bar = visible.then(|| {
            let bar = ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{spinner} {prefix} {wide_msg} [{elapsed}]")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(what.to_owned());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self {
            bar,
            seen: Mutex::new(Seen::default()),
        }
    }

    /// Removes the line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn update(&self, record: impl FnOnce(&mut Seen) -> Option<String>) {
        let Some(bar) = &self.bar else { return };
        let Ok(mut seen) = self.seen.lock() else {
            return;
        };
        if let Some(latest) = record(&mut seen) {
            bar.set_message(format!(
                "{}, {} ({latest})",
                count(seen.packages.len(), "package"),
                count(seen.metadata.len(), "metadata file")
            ));
        }
    }
}

/// `1 package`, `2 packages`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

impl SourceObserver for Progress {
    fn versions(&self, name: &PackageName) {
        self.update(|seen| seen.packages.insert(name.clone()).then(|| name.to_string()));
    }

    fn metadata(&self, name: &PackageName, version: &Version) {
        self.update(|seen| {
            seen.metadata
                .insert((name.clone(), version.clone()))
                .then(|| format!("{name} {version}"))
        });
    }
}
