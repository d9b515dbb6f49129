//! A tiny deterministic random number generator, so a seed gives the same workspace on every
//! machine and every version of every dependency (a `rand` upgrade could change its streams).

/// SplitMix64 (Steele, Lea and Flood): one `u64` of state, good enough statistics for shaping
/// synthetic inputs, and trivially reproducible.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// An independent stream for one purpose (`"member", 42`), so adding a draw in one place
    /// does not shift every later draw elsewhere.
    pub(crate) fn fork(seed: u64, purpose: &str, index: usize) -> Rng {
        let mut state = seed ^ 0x5851_f42d_4c95_7f2d;
        for byte in purpose.bytes() {
            state = mix(state ^ u64::from(byte));
        }
        Rng::new(mix(state ^ index as u64))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.state)
    }

    /// A number in `0..bound` (`bound > 0`); the modulo bias is irrelevant at these sizes.
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    /// True with probability `percent / 100`.
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One of `weighted` (value, weight) pairs.
    pub(crate) fn pick<T: Copy>(&mut self, weighted: &[(T, usize)]) -> T {
        let total: usize = weighted.iter().map(|(_, weight)| weight).sum();
        let mut roll = self.below(total);
        for (value, weight) in weighted {
            if roll < *weight {
                return *value;
            }
            roll -= weight;
        }
        weighted[weighted.len() - 1].0
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_independent() {
        let draws = |mut rng: Rng| (0..4).map(|_| rng.next_u64()).collect::<Vec<_>>();
        assert_eq!(draws(Rng::new(7)), draws(Rng::new(7)));
        assert_ne!(draws(Rng::new(7)), draws(Rng::new(8)));
        assert_ne!(
            draws(Rng::fork(7, "member", 1)),
            draws(Rng::fork(7, "member", 2))
        );
        let mut rng = Rng::new(1);
        assert!((0..1000).all(|_| rng.below(3) < 3));
    }
}
