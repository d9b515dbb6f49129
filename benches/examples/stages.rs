//! Where the time of one `wslock plan` goes, stage by stage, on a generated workspace.
//!
//! ```text
//! cargo run --release -p wslock-benches --example stages -- 10000
//! ```
//!
//! The inputs are generated (once) as the benchmarks generate them, under
//! `target/wslock-bench-inputs/`. Each stage runs once, in pipeline order, as `wslock plan`
//! runs it: discovery with a fresh cache, the merge, the sources, the resolution (every fork
//! and the merge of the forks), the lock plan, its TOML.

use std::path::{Path, PathBuf};
use std::time::Instant;

use wslock::pipeline::{index_set, SourceOptions};
use wslock_benches::{generate_cached, Spec};
use wslock_graph::{Selection, WorkspaceGraph};
use wslock_lock::LockPlan;
use wslock_resolve::{resolve, ResolverOptions};
use wslock_workspace::{discover, CeilingSettings, DiscoveryOptions};

fn main() {
    let members: usize = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1_000);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let out = target
        .join("wslock-bench-inputs")
        .join(format!("members-{members}"));
    let generated = generate_cached(&Spec::new(members), &out).expect("generating inputs");

    let total = Instant::now();
    let mut lap = Instant::now();
    let mut report = |stage: &str| {
        println!("{stage:<12} {:>9.3} s", lap.elapsed().as_secs_f64());
        lap = Instant::now();
    };
    let options =
        DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(&generated.dir));
    let found = discover(&generated.workspace, &options).expect("discovery");
    report("discovery");
    let graph = WorkspaceGraph::build(found.workspace(), &Selection::All).expect("graph");
    report("graph");
    let sources = SourceOptions::new()
        .no_index(true)
        .find_links(generated.find_links.to_string_lossy().into_owned());
    let source = index_set(found.workspace(), &graph, &sources).expect("sources");
    report("sources");
    if std::env::var_os("STAGES_PREFETCH").is_some() {
        let names: Vec<wslock_pep::PackageName> = (0..members)
            .map(|i| wslock_benches::external_name(i).parse().expect("name"))
            .collect();
        wslock_index::prefetch_versions(&source, &names).expect("versions");
        let wanted: Vec<(wslock_pep::PackageName, wslock_pep::Version)> = names
            .iter()
            .flat_map(|name| {
                let listing =
                    wslock_index::PackageSource::versions(&source, name).expect("versions");
                listing
                    .iter()
                    .map(|info| (name.clone(), info.version.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        wslock_index::prefetch_metadata(&source, &wanted).expect("metadata");
        report("prefetch");
    }
    let resolution = resolve(&graph, &source, &ResolverOptions::default()).expect("resolution");
    report("resolve");
    let plan = LockPlan::builder(&resolution, &graph)
        .workspace(found.workspace())
        .build()
        .expect("plan");
    report("lock plan");
    let text = plan.to_toml();
    report("toml");
    println!(
        "{:<12} {:>9.3} s  ({} packages, {} bytes)",
        "total",
        total.elapsed().as_secs_f64(),
        plan.packages.len(),
        text.len()
    );
}
