//! The fork loop: solve a fork; if it asks to split, solve its parts instead; merge at the end.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use pubgrub::PubGrubError;
use rustc_hash::FxHashMap;
use wslock_graph::WorkspaceGraph;
use wslock_index::PackageSource;
use wslock_pep::{marker_string, MarkerTree, PackageName, Version};

use crate::context::Context;
use crate::env::ForkEnv;
use crate::error::ResolveError;
use crate::lookahead;
use crate::merge::{merge, FinishedFork};
use crate::options::ResolverOptions;
use crate::pkg::Pkg;
use crate::provider::{EdgeLog, ForkProvider, Rejections, Step, UnpreferredChoice};
use crate::resolution::Resolution;

/// More forks than any real workspace needs; past it, something keeps splitting.
const MAX_FORKS: usize = 256;

/// Resolves every requirement of `graph` at once against `source`: one universal resolution,
/// valid on every platform and every Python version of the workspace's `requires-python`.
///
/// Forks are solved one after another, depth first, each preferring the versions earlier forks
/// chose, so forks agree wherever they can. The next fork may be solved ahead on a second
/// thread; that result is used only where it is exactly the one solving in turn gives, so the
/// resolution does not depend on timing or on the number of cores.
pub fn resolve(
    graph: &WorkspaceGraph,
    source: &dyn PackageSource,
    options: &ResolverOptions,
) -> Result<Resolution, ResolveError> {
    let context = Context::new(graph, source, options)?;
    if !lookahead::worthwhile(&context) {
        return solve_forks(&context, graph, options);
    }
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        // Without the thread (the system refused one), the solver reads for itself.
        let _reader = std::thread::Builder::new()
            .name(lookahead::THREAD_NAME.to_string())
            .spawn_scoped(scope, || lookahead::read_ahead(&context, &stop));
        // Set however the solve ends, a panic included, so the scope never waits for the
        // whole walk.
        let _stop_reading = StopOnDrop(&stop);
        solve_forks(&context, graph, options)
    })
}

/// Tells the read-ahead thread to stop when dropped.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Solves every fork, then merges them.
///
/// The result is that of solving the forks one after another, each with the preferences of
/// those before it. On more than one core the next pending fork is solved at the same time,
/// speculatively, with the preferences known when it starts; its result is used only if the
/// preferences gained since could not have changed it ([`Solved::holds_with`]), which makes
/// it exactly the result of solving it in turn.
fn solve_forks(
    context: &Context<'_>,
    graph: &WorkspaceGraph,
    options: &ResolverOptions,
) -> Result<Resolution, ResolveError> {
    // With `environments`, each supported environment is a fork from the start (uv's rule);
    // otherwise one fork covers everything.
    let mut pending: Vec<ForkEnv> = if options.environments.is_empty() {
        vec![ForkEnv::new(
            MarkerTree::TRUE,
            context.requires_python.clone(),
        )]
    } else {
        options
            .environments
            .iter()
            .map(|marker| ForkEnv::new(marker.clone(), context.requires_python.clone()))
            .filter(|env| !env.is_empty())
            .collect()
    };
    let speculate = !options.sequential_forks
        && std::thread::available_parallelism().is_ok_and(|cores| cores.get() > 1);
    let mut speculated: Vec<(ForkEnv, Solved)> = Vec::new();
    let mut finished: Vec<FinishedFork> = Vec::new();
    let mut preferences: FxHashMap<PackageName, Version> = FxHashMap::default();
    let mut forks_made = 1;
    while !pending.is_empty() {
        let env = pending.remove(0);
        let ready = speculated
            .iter()
            .position(|(speculated_env, _)| *speculated_env == env)
            .map(|at| speculated.remove(at).1)
            .filter(|solved| {
                let holds = solved.holds_with(&preferences);
                tracing::debug!(
                    "fork `{}` solved ahead: {}",
                    describe(&env),
                    if holds { "used" } else { "solved again" }
                );
                holds
            });
        let solved = match ready {
            Some(solved) => solved,
            None => {
                let next = pending
                    .first()
                    .filter(|next| speculate && !speculated.iter().any(|(env, _)| env == *next));
                match next {
                    Some(next) => {
                        let (solved, ahead) = solve_two(context, &env, next, &preferences);
                        speculated.extend(ahead.map(|ahead| (next.clone(), ahead)));
                        solved
                    }
                    None => Solved::solve(context, &env, &preferences),
                }
            }
        };
        match solved.outcome {
            Outcome::Solution(solution) => {
                for (pkg, version) in &solution {
                    if let Pkg::Package(name) = pkg {
                        preferences
                            .entry(name.clone())
                            .or_insert_with(|| version.clone());
                    }
                }
                tracing::debug!(
                    "solved fork `{}` in {:.3}s",
                    describe(&env),
                    solved.elapsed.as_secs_f64()
                );
                finished.push(FinishedFork {
                    env,
                    solution,
                    edges: solved.edges,
                });
            }
            Outcome::Failed(error) => return Err(error),
            Outcome::Split(children) => {
                forks_made += children.len() - 1;
                if forks_made > MAX_FORKS {
                    return Err(ResolveError::TooManyForks { limit: MAX_FORKS });
                }
                tracing::debug!(
                    "fork `{}` splits in {} after {:.3}s",
                    describe(&env),
                    children.len(),
                    solved.elapsed.as_secs_f64()
                );
                for (position, child) in children.into_iter().enumerate() {
                    pending.insert(position, child);
                }
            }
        }
    }
    let started = Instant::now();
    let forks = finished.len();
    let resolution = merge(context, graph, finished);
    // The timings say where a large resolution spends its time (`wslock -vv plan`).
    tracing::debug!(
        "merged {forks} forks in {:.3}s",
        started.elapsed().as_secs_f64()
    );
    resolution
}

/// Solves `env` here and, on a second thread, `next` with a copy of the same preferences.
/// Without the thread (the system refused one), only `env` is solved.
fn solve_two(
    context: &Context<'_>,
    env: &ForkEnv,
    next: &ForkEnv,
    preferences: &FxHashMap<PackageName, Version>,
) -> (Solved, Option<Solved>) {
    let known = preferences.clone();
    std::thread::scope(|scope| {
        let ahead = std::thread::Builder::new()
            .name(SPECULATIVE_THREAD_NAME.to_string())
            .spawn_scoped(scope, || Solved::solve(context, next, &known));
        let solved = Solved::solve(context, env, preferences);
        // A panic there is left for the fork's own turn, if it comes: solved then, the fork
        // panics (or not) as it would have without the second thread.
        let ahead = ahead.ok().and_then(|handle| handle.join().ok());
        (solved, ahead)
    })
}

/// The name of the thread that solves the next fork ahead of its turn.
const SPECULATIVE_THREAD_NAME: &str = "wslock-next-fork";

/// How solving one fork ended.
enum Outcome {
    /// PubGrub's choice for every package.
    Solution(FxHashMap<Pkg, Version>),
    /// The fork must be solved as these narrower forks, in this order.
    Split(Vec<ForkEnv>),
    /// The error to report.
    Failed(ResolveError),
}

/// One fork solved, with what the merge and the check of a speculative solve need.
struct Solved {
    outcome: Outcome,
    /// The requirements of each chosen version.
    edges: EdgeLog,
    /// The choices made without a preference (see [`Solved::holds_with`]).
    unpreferred: Vec<UnpreferredChoice>,
    elapsed: std::time::Duration,
}

impl Solved {
    fn solve(
        context: &Context<'_>,
        env: &ForkEnv,
        preferences: &FxHashMap<PackageName, Version>,
    ) -> Self {
        let started = Instant::now();
        let provider = ForkProvider::new(context, env, preferences);
        let outcome = pubgrub::resolve(&provider, Pkg::Root, ForkProvider::root_version());
        let (mut edges, rejections, unpreferred) = provider.into_parts();
        let outcome = match outcome {
            Ok(solution) => {
                // Every finished fork's log waits in memory for the merge, which reads only
                // the chosen versions' requirements: drop the versions PubGrub left, and the
                // slack of lists that were filtered in place (a fifth of a 10,000-member
                // plan's peak).
                edges.retain(|(pkg, version), _| solution.get(pkg) == Some(version));
                edges.values_mut().for_each(Vec::shrink_to_fit);
                edges.shrink_to_fit();
                Outcome::Solution(solution.into_iter().collect())
            }
            Err(error) => match into_step(error, env, context, &rejections) {
                Ok(children) => Outcome::Split(children),
                Err(error) => Outcome::Failed(error),
            },
        };
        Self {
            outcome,
            edges,
            unpreferred,
            elapsed: started.elapsed(),
        }
    }

    /// Whether solving again with `preferences`, which hold every preference this solve had
    /// and maybe more, would give the same result. Only the choice of a version reads the
    /// preferences, and a choice made with a preference is the same under more of them. A
    /// choice made without one is the same if there still is none, or if the new one changes
    /// nothing ([`UnpreferredChoice::same_with`]). Every choice being the same, PubGrub takes
    /// the same path.
    ///
    /// An error is never kept: a failed read is not remembered by the sources (a network
    /// error may not happen again), so the fork is solved again in its turn.
    fn holds_with(&self, preferences: &FxHashMap<PackageName, Version>) -> bool {
        if matches!(self.outcome, Outcome::Failed(_)) {
            return false;
        }
        self.unpreferred.iter().all(|choice| {
            preferences
                .get(&choice.name)
                .is_none_or(|preferred| choice.same_with(preferred))
        })
    }
}

fn describe(env: &ForkEnv) -> String {
    marker_string(&env.marker).unwrap_or_else(|| "all environments".into())
}

/// A failed solve: the forks it asks for, or the error to report.
fn into_step(
    error: PubGrubError<ForkProvider<'_>>,
    env: &ForkEnv,
    context: &Context<'_>,
    rejections: &Rejections,
) -> Result<Vec<ForkEnv>, ResolveError> {
    let step = match error {
        PubGrubError::NoSolution(tree) => {
            let members = context.members.keys().cloned().collect();
            let unknown = crate::report::mentioned(&tree)
                .into_iter()
                .filter(|name| !context.members.contains_key(name))
                .filter(|name| {
                    context
                        .source
                        .versions(name)
                        .is_ok_and(|listing| !listing.is_listed())
                })
                .collect();
            let mut explanation = crate::report::explain(
                &tree,
                &members,
                &context.member_order,
                &unknown,
                rejections,
            );
            if !env.marker.is_true() {
                explanation = format!("in environments where `{}`: {explanation}", describe(env));
            }
            return Err(ResolveError::NoSolution { explanation });
        }
        PubGrubError::ErrorRetrievingDependencies { source, .. } => source,
        PubGrubError::ErrorChoosingVersion { source, .. } => source,
        PubGrubError::ErrorInShouldCancel(source) => source,
    };
    match step {
        Step::Fork(children) => Ok(children),
        Step::Failed(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solved(outcome: Outcome, unpreferred: Vec<UnpreferredChoice>) -> Solved {
        Solved {
            outcome,
            edges: EdgeLog::default(),
            unpreferred,
            elapsed: std::time::Duration::ZERO,
        }
    }

    #[test]
    fn a_fork_solved_ahead_holds_only_if_no_new_preference_could_change_it() {
        let version = |text: &str| text.parse::<Version>().unwrap();
        let name: PackageName = "p".parse().unwrap();
        let choice = || UnpreferredChoice {
            name: name.clone(),
            range: wslock_pep::Ranges::full(),
            first: Some(version("2")),
        };
        let ahead = solved(Outcome::Solution(FxHashMap::default()), vec![choice()]);
        let mut preferences = FxHashMap::default();
        assert!(ahead.holds_with(&preferences), "no preference for `p` yet");
        preferences.insert(name.clone(), version("2"));
        assert!(
            ahead.holds_with(&preferences),
            "prefers what was tried first"
        );
        preferences.insert(name.clone(), version("1"));
        assert!(!ahead.holds_with(&preferences), "would try 1 first");
    }

    /// Sources do not remember failed reads, so an error found ahead is never kept.
    #[test]
    fn a_fork_that_failed_ahead_is_solved_again() {
        let error = ResolveError::TooManyForks { limit: MAX_FORKS };
        let ahead = solved(Outcome::Failed(error), Vec::new());
        assert!(!ahead.holds_with(&FxHashMap::default()));
        let split = solved(Outcome::Split(Vec::new()), Vec::new());
        assert!(split.holds_with(&FxHashMap::default()));
    }
}
