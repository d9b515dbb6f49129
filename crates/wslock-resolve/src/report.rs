//! Turning PubGrub's derivation tree into prose that names members and PEP 440 ranges:
//! "Because member `a` depends on x>=2 and member `b` depends on x<2, ...".

use std::collections::HashSet;
use std::ops::Bound;
use std::sync::Arc;

use pubgrub::DefaultStringReporter;
use pubgrub::{DerivationTree, Derived, External, Map, ReportFormatter, Reporter, Term};
use wslock_pep::{PackageName, Ranges, Version};

use crate::pkg::Pkg;
use crate::provider::Rejections;

type Tree = DerivationTree<Pkg, Ranges<Version>, String>;
type Ext = External<Pkg, Ranges<Version>, String>;
type Terms = Map<Pkg, Term<Ranges<Version>>>;

/// Explains a failed resolution. `unknown` names the packages the source does not list at all,
/// so the text can say so instead of "no usable version".
pub(crate) fn explain(
    tree: &Tree,
    members: &HashSet<PackageName>,
    member_order: &[PackageName],
    unknown: &HashSet<PackageName>,
    rejections: &Rejections,
) -> String {
    let formatter = WorkspaceFormatter {
        members,
        member_order,
        unknown,
        rejections,
    };
    DefaultStringReporter::report_with_formatter(&without_member_proxies(tree), &formatter)
}

/// The derivation with the [`Pkg::Members`] proxies of a large workspace taken out, so that it
/// reads as the same workspace would with its members pinned directly: a proxy's terms become
/// the root's, its pins the root's requirements, and the steps that only say "the root pins
/// this proxy" are skipped.
fn without_member_proxies(tree: &Tree) -> Tree {
    match tree {
        DerivationTree::External(External::FromDependencyOf(
            Pkg::Members(..),
            _,
            dependency,
            range,
        )) => DerivationTree::External(External::FromDependencyOf(
            Pkg::Root,
            Ranges::full(),
            dependency.clone(),
            range.clone(),
        )),
        DerivationTree::External(_) => tree.clone(),
        DerivationTree::Derived(derived) => {
            let cause1 = without_member_proxies(&derived.cause1);
            let cause2 = without_member_proxies(&derived.cause2);
            if pins_a_proxy(&cause1) {
                return cause2;
            }
            if pins_a_proxy(&cause2) {
                return cause1;
            }
            let mut terms = Terms::default();
            for (pkg, term) in &derived.terms {
                let pkg = match pkg {
                    Pkg::Members(..) => Pkg::Root,
                    other => other.clone(),
                };
                // Proxies and the root are all "the workspace": one term says it.
                terms.entry(pkg).or_insert_with(|| term.clone());
            }
            DerivationTree::Derived(Derived {
                terms,
                shared_id: derived.shared_id,
                cause1: Arc::new(cause1),
                cause2: Arc::new(cause2),
            })
        }
    }
}

/// Whether `tree` only says that the root (or a proxy) pins a member proxy.
fn pins_a_proxy(tree: &Tree) -> bool {
    matches!(
        tree,
        DerivationTree::External(External::FromDependencyOf(_, _, Pkg::Members(..), _))
    )
}

/// Every package name the derivation mentions.
pub(crate) fn mentioned(tree: &Tree) -> Vec<PackageName> {
    tree.packages()
        .into_iter()
        .filter_map(|pkg| pkg.name().cloned())
        .collect()
}

struct WorkspaceFormatter<'a> {
    members: &'a HashSet<PackageName>,
    /// The name-ordered members that [`Pkg::Members`] proxies index into.
    member_order: &'a [PackageName],
    unknown: &'a HashSet<PackageName>,
    /// Why versions were passed over, by package: they say what "no usable version" means.
    rejections: &'a Rejections,
}

impl WorkspaceFormatter<'_> {
    /// ` (x 1.0 requires Python >=3.13, outside >=3.9, <3.13)`, or nothing.
    fn why_not(&self, pkg: &Pkg) -> String {
        match pkg.name().and_then(|name| self.rejections.get(name)) {
            Some(reasons) if !reasons.is_empty() => format!(" ({})", reasons.join("; ")),
            _ => String::new(),
        }
    }
}

impl WorkspaceFormatter<'_> {
    fn is_member(&self, name: &PackageName) -> bool {
        self.members.contains(name)
    }

    /// `member `a``, `x>=1,<2`, `x[fast]==2.0`, `group `test` of member `a``.
    fn describe(&self, pkg: &Pkg, range: &Ranges<Version>) -> String {
        match pkg {
            Pkg::Root => "the workspace".into(),
            Pkg::Members(start, end) => {
                let name = |index: usize| {
                    self.member_order
                        .get(index)
                        .map_or_else(|| format!("#{index}"), ToString::to_string)
                };
                let last = (*end as usize).saturating_sub(1);
                format!(
                    "the members `{}` to `{}`",
                    name(*start as usize),
                    name(last)
                )
            }
            Pkg::Package(name) if self.is_member(name) => format!("member `{name}`"),
            Pkg::Extra(name, extra) if self.is_member(name) => format!("member `{name}[{extra}]`"),
            Pkg::Group(name, group) => format!("group `{group}` of member `{name}`"),
            Pkg::Package(name) => format!("{name}{}", specifiers(range)),
            Pkg::Extra(name, extra) => format!("{name}[{extra}]{}", specifiers(range)),
        }
    }

    fn describe_term(&self, pkg: &Pkg, term: &Term<Ranges<Version>>) -> String {
        match term {
            Term::Positive(range) => self.describe(pkg, range),
            Term::Negative(range) => format!("not {}", self.describe(pkg, range)),
        }
    }
}

/// A range as PEP 440 specifiers: `>=1,<2`, `==2.0`, `!=1.5`; empty for any version.
///
/// `==V` allows the local versions of `V` too, which the range bounds with a sentinel local
/// part (`wslock_pep::local_aware_range`); it is written back as the user wrote it, never as
/// `<=V+18446744073709551615`.
fn specifiers(range: &Ranges<Version>) -> String {
    if range == &Ranges::full() {
        return String::new();
    }
    if let Some(version) = range.as_singleton() {
        return format!("=={version}");
    }
    let segments: Vec<String> = range
        .iter()
        .map(|(lower, upper)| {
            match (lower, upper) {
                (Bound::Included(low), Bound::Included(high))
                    if is_local_sentinel(high) && high.clone().without_local() == *low =>
                {
                    return format!("=={low}");
                }
                // What PubGrub is left with once `V` itself is ruled out.
                (Bound::Excluded(low), Bound::Included(high))
                    if is_local_sentinel(high) && high.clone().without_local() == *low =>
                {
                    return format!(" (a local version of {low})");
                }
                _ => {}
            }
            let mut parts = Vec::new();
            match lower {
                Bound::Included(v) => parts.push(format!(">={v}")),
                Bound::Excluded(v) if is_local_sentinel(v) => {
                    parts.push(format!(">{}", v.clone().without_local()));
                }
                Bound::Excluded(v) => parts.push(format!(">{v}")),
                Bound::Unbounded => {}
            }
            match upper {
                Bound::Included(v) if is_local_sentinel(v) => {
                    parts.push(format!("<={}", v.clone().without_local()));
                }
                Bound::Included(v) => parts.push(format!("<={v}")),
                Bound::Excluded(v) => parts.push(format!("<{v}")),
                Bound::Unbounded => {}
            }
            parts.join(",")
        })
        .collect();
    segments.join(" or ")
}

/// Whether `version` carries the sentinel local part that bounds "every local version".
fn is_local_sentinel(version: &Version) -> bool {
    matches!(
        version.local(),
        [wslock_pep::LocalSegment::Number(u64::MAX)]
    )
}

impl ReportFormatter<Pkg, Ranges<Version>, String> for WorkspaceFormatter<'_> {
    type Output = String;

    fn format_external(&self, external: &Ext) -> String {
        match external {
            External::NotRoot(pkg, _) => format!("we are resolving {pkg}"),
            External::NoVersions(pkg, _)
                if pkg.name().is_some_and(|name| self.unknown.contains(name)) =>
            {
                format!("{pkg} is not in the package source")
            }
            External::NoVersions(pkg, range) if range == &Ranges::full() => {
                format!("there is no usable version of {pkg}{}", self.why_not(pkg))
            }
            External::NoVersions(pkg, range) => format!(
                "there is no usable version of {}{}",
                self.describe(pkg, range),
                self.why_not(pkg)
            ),
            External::FromDependencyOf(Pkg::Root | Pkg::Members(..), _, dependency, range) => {
                format!(
                    "the workspace requires {}",
                    self.describe(dependency, range)
                )
            }
            External::FromDependencyOf(pkg, range, dependency, dependency_range) => format!(
                "{} depends on {}",
                self.describe(pkg, range),
                self.describe(dependency, dependency_range)
            ),
            External::Custom(pkg, range, message) => {
                format!("{} {message}", self.describe(pkg, range))
            }
        }
    }

    fn format_terms(&self, terms: &Terms) -> String {
        let mut listed: Vec<(&Pkg, &Term<Ranges<Version>>)> = terms.iter().collect();
        listed.sort_by(|a, b| a.0.cmp(b.0));
        match listed.as_slice() {
            [] => "resolution failed".into(),
            [(Pkg::Root | Pkg::Members(..), Term::Positive(_))] => {
                "the workspace's requirements cannot all be met".into()
            }
            [(pkg, Term::Positive(range))] => {
                format!("{} cannot be used", self.describe(pkg, range))
            }
            [(pkg, Term::Negative(range))] => format!("{} is required", self.describe(pkg, range)),
            [(p1, Term::Positive(r1)), (p2, Term::Negative(r2))] => self.format_external(
                &External::FromDependencyOf((*p1).clone(), r1.clone(), (*p2).clone(), r2.clone()),
            ),
            [(p1, Term::Negative(r1)), (p2, Term::Positive(r2))] => self.format_external(
                &External::FromDependencyOf((*p2).clone(), r2.clone(), (*p1).clone(), r1.clone()),
            ),
            slice => {
                let names: Vec<String> = slice
                    .iter()
                    .map(|(p, t)| self.describe_term(p, t))
                    .collect();
                match names.split_last() {
                    Some((last, rest)) => {
                        format!("{} and {last} cannot be used together", rest.join(", "))
                    }
                    None => "resolution failed".into(),
                }
            }
        }
    }

    fn explain_both_external(&self, first: &Ext, second: &Ext, terms: &Terms) -> String {
        format!(
            "Because {} and {}, {}.",
            self.format_external(first),
            self.format_external(second),
            self.format_terms(terms)
        )
    }

    fn explain_both_ref(
        &self,
        id1: usize,
        d1: &Derived<Pkg, Ranges<Version>, String>,
        id2: usize,
        d2: &Derived<Pkg, Ranges<Version>, String>,
        terms: &Terms,
    ) -> String {
        format!(
            "Because {} ({id1}) and {} ({id2}), {}.",
            self.format_terms(&d1.terms),
            self.format_terms(&d2.terms),
            self.format_terms(terms)
        )
    }

    fn explain_ref_and_external(
        &self,
        id: usize,
        derived: &Derived<Pkg, Ranges<Version>, String>,
        external: &Ext,
        terms: &Terms,
    ) -> String {
        format!(
            "Because {} ({id}) and {}, {}.",
            self.format_terms(&derived.terms),
            self.format_external(external),
            self.format_terms(terms)
        )
    }

    fn and_explain_external(&self, external: &Ext, terms: &Terms) -> String {
        format!(
            "And because {}, {}.",
            self.format_external(external),
            self.format_terms(terms)
        )
    }

    fn and_explain_ref(
        &self,
        id: usize,
        derived: &Derived<Pkg, Ranges<Version>, String>,
        terms: &Terms,
    ) -> String {
        format!(
            "And because {} ({id}), {}.",
            self.format_terms(&derived.terms),
            self.format_terms(terms)
        )
    }

    fn and_explain_prior_and_external(&self, prior: &Ext, external: &Ext, terms: &Terms) -> String {
        format!(
            "And because {} and {}, {}.",
            self.format_external(prior),
            self.format_external(external),
            self.format_terms(terms)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(text: &str) -> Ranges<Version> {
        let specifiers: wslock_pep::VersionSpecifiers = text.parse().expect("specifiers");
        wslock_pep::specifier_ranges(&specifiers)
    }

    #[test]
    fn ranges_are_written_as_the_specifiers_a_user_writes() {
        assert_eq!(specifiers(&range("==2.0")), "==2.0");
        assert_eq!(specifiers(&range("<=2.0")), "<=2.0");
        assert_eq!(specifiers(&range(">2.0")), ">2.0");
        assert_eq!(specifiers(&range(">=1.0,<2")), ">=1.0,<2");
        assert_eq!(specifiers(&range("!=1.5")), "<1.5 or >1.5");
        assert_eq!(specifiers(&range("")), "");
        let two: Version = "2.0".parse().expect("version");
        let only_locals = range("==2.0").intersection(&Ranges::strictly_higher_than(two));
        assert_eq!(specifiers(&only_locals), " (a local version of 2.0)");
    }
}
