//! What every benchmark shares: the inputs (generated once, cached under `target/`) and the
//! sizes to run.

#![allow(dead_code)] // each benchmark uses a part

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BenchmarkGroup, SamplingMode};
use wslock_benches::{generate_cached, Generated, Spec, SIZES};
use wslock_workspace::{CeilingSettings, DiscoveryOptions};

/// The sizes to run: 10, 100 and 1,000 members, and 10,000 with `WSLOCK_BENCH_LARGE=1` (a
/// plan of it takes seconds, so ten samples take minutes). `WSLOCK_BENCH_SIZES=10,100`
/// picks sizes explicitly.
pub fn sizes() -> Vec<usize> {
    if let Ok(list) = std::env::var("WSLOCK_BENCH_SIZES") {
        return list
            .split(',')
            .filter_map(|size| size.trim().parse().ok())
            .collect();
    }
    let large = std::env::var_os("WSLOCK_BENCH_LARGE").is_some_and(|v| v != "0");
    SIZES
        .into_iter()
        .filter(|&size| large || size < 10_000)
        .collect()
}

/// The inputs for `members` members (and as many externals), seed 0, generated on first use
/// into `target/wslock-bench-inputs/` and reused while the generator's output is unchanged.
pub fn inputs(members: usize) -> Generated {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let out = target
        .join("wslock-bench-inputs")
        .join(format!("members-{members}"));
    generate_cached(&Spec::new(members), &out).expect("generating benchmark inputs")
}

/// Discovery bounded by the generated directory, as the CLI with `--root` would be.
pub fn discovery_options(generated: &Generated) -> DiscoveryOptions {
    DiscoveryOptions::new().ceilings(CeilingSettings::new().with_root(&generated.dir))
}

/// Fewer, longer samples for the big sizes, so a run stays within minutes.
pub fn configure<M: criterion::measurement::Measurement>(
    group: &mut BenchmarkGroup<'_, M>,
    members: usize,
) {
    if members >= 1_000 {
        group.sample_size(10);
        group.sampling_mode(SamplingMode::Flat);
        group.measurement_time(Duration::from_secs(if members >= 10_000 { 60 } else { 15 }));
    }
}
