//! Discovery: cold (a fresh cache, every manifest parsed) and through a warm
//! [`WorkspaceCache`] (from a member directory: the upward walk and a map lookup).

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use wslock_workspace::{discover, WorkspaceCache};

fn discovery(c: &mut Criterion) {
    let mut group = c.benchmark_group("discovery");
    for members in common::sizes() {
        let generated = common::inputs(members);
        let options = common::discovery_options(&generated);
        common::configure(&mut group, members);
        group.bench_with_input(BenchmarkId::new("cold", members), &generated, |b, g| {
            b.iter(|| discover(&g.workspace, &options).expect("discovery"))
        });
        let cache = WorkspaceCache::new();
        cache
            .discover(&generated.workspace, &options)
            .expect("discovery");
        let member = generated.workspace.join("packages/member-00000");
        group.bench_with_input(BenchmarkId::new("cached", members), &member, |b, start| {
            b.iter(|| cache.discover(start, &options).expect("discovery"))
        });
    }
    group.finish();
}

criterion_group!(benches, discovery);
criterion_main!(benches);
