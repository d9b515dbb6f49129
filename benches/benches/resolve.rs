//! Universal resolution: from a fresh find-links source (every listing and `METADATA` read, as
//! one `wslock plan` does), from the index snapshot, and against a warm source (the solver and
//! the fork merge alone).

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use wslock_graph::{Selection, WorkspaceGraph};
use wslock_index::{FlatIndex, IndexSet, Snapshot};
use wslock_resolve::{resolve, ResolverOptions};
use wslock_workspace::discover;

fn find_links(dir: &std::path::Path) -> IndexSet {
    IndexSet::builder()
        .find_links(FlatIndex::directory(dir))
        .build()
        .expect("index set")
}

fn resolution(c: &mut Criterion) {
    let mut group = c.benchmark_group("resolve");
    let options = ResolverOptions::default();
    for members in common::sizes() {
        let generated = common::inputs(members);
        let found = discover(&generated.workspace, &common::discovery_options(&generated))
            .expect("discovery");
        let graph = WorkspaceGraph::build(found.workspace(), &Selection::All).expect("graph");
        common::configure(&mut group, members);
        group.bench_with_input(
            BenchmarkId::new("find-links", members),
            &graph,
            |b, graph| {
                b.iter(|| {
                    let source = find_links(&generated.find_links);
                    resolve(graph, &source, &options).expect("resolution")
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("snapshot", members), &graph, |b, graph| {
            b.iter(|| {
                let source = Snapshot::read(&generated.snapshot).expect("snapshot");
                resolve(graph, &source, &options).expect("resolution")
            })
        });
        let warm = find_links(&generated.find_links);
        resolve(&graph, &warm, &options).expect("resolution");
        group.bench_with_input(BenchmarkId::new("warm", members), &graph, |b, graph| {
            b.iter(|| resolve(graph, &warm, &options).expect("resolution"))
        });
    }
    group.finish();
}

criterion_group!(benches, resolution);
criterion_main!(benches);
