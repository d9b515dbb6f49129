//! The whole `wslock plan`: discovery, merge, a fresh find-links source, resolution, the lock
//! plan and its uv.lock text, as the CLI runs it (less process start-up and printing).

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use wslock::pipeline::{plan_workspace, SourceOptions};
use wslock_workspace::discover;

fn plan(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    for members in common::sizes() {
        let generated = common::inputs(members);
        let options = common::discovery_options(&generated);
        let sources = SourceOptions::new()
            .no_index(true)
            .find_links(generated.find_links.to_string_lossy().into_owned());
        common::configure(&mut group, members);
        group.bench_with_input(
            BenchmarkId::new("find-links", members),
            &generated,
            |b, g| {
                b.iter(|| {
                    let found = discover(&g.workspace, &options).expect("discovery");
                    let planned = plan_workspace(found.workspace(), &sources, &Default::default())
                        .expect("plan");
                    planned.plan.to_toml()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, plan);
criterion_main!(benches);
