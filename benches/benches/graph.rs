//! The member graph and the merge of every member's requirements (`WorkspaceGraph::build`).

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use wslock_graph::{Selection, WorkspaceGraph};
use wslock_workspace::discover;

fn graph(c: &mut Criterion) {
    let mut group = c.benchmark_group("graph");
    for members in common::sizes() {
        let generated = common::inputs(members);
        let found = discover(&generated.workspace, &common::discovery_options(&generated))
            .expect("discovery");
        common::configure(&mut group, members);
        group.bench_with_input(
            BenchmarkId::new("build", members),
            found.workspace(),
            |b, workspace| {
                b.iter(|| WorkspaceGraph::build(workspace, &Selection::All).expect("graph"))
            },
        );
    }
    group.finish();
}

criterion_group!(benches, graph);
criterion_main!(benches);
