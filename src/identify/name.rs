//! Naming a critical point found in a Young fixed space.
//!
//! **The flip rule.** A neuron is *flipped* when the entry of its weight vector that is
//! largest in absolute value is negative (at the family points this is the diagonal
//! entry: about -1 for a flipped neuron, about +1 for one aligned with its teacher
//! neuron). All neurons of one block share their weight pattern, so a block is flipped or
//! not as a whole. A point with two blocks exactly one of which is flipped is `flip(p)`,
//! p the size of the flipped block; a point with one block, flipped, is `flip(d)`.
//!
//! The named families are members: I is `flip(1)` (partition `d-1,1`, the singleton
//! flipped), II is `flip(d-1)` (the block of size d-1 flipped), IIsym is `flip(d)`. A
//! fixed space may hold several critical points with the same flipped block, so the
//! family name is given only when the family's own point (located by
//! [`crate::search::families::locate`]) is the one found (see
//! [`super::identify_matrix`]). Any other pattern is "unnamed" with its partition.
//! Everything here is **exact** given the coordinates (a decision on f64 values).

use crate::model::partition::{Param, Partition};
use crate::search::families::Family;

/// What an identified point is called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Name {
    /// A permutation of the teacher: the global minimum (loss 0), on the non-smooth set.
    GlobalMinimum,
    /// A two-block (or one-block) point with `p` flipped neurons; `family` is I, II or
    /// IIsym when it is that family's point.
    Flip {
        /// Exact: the number of flipped neurons.
        p: u64,
        /// The named family it is, when confirmed.
        family: Option<Family>,
    },
    /// Any other point; its partition is reported beside the name.
    Unnamed,
}

impl Name {
    /// Exact: the name as printed (`II`, `flip(7)`, `global minimum`, `unnamed`).
    pub fn label(&self) -> String {
        match self {
            Name::GlobalMinimum => "global minimum".into(),
            Name::Flip {
                family: Some(f), ..
            } => f.name(),
            Name::Flip { p, family: None } => format!("flip({p})"),
            Name::Unnamed => "unnamed".into(),
        }
    }

    /// Exact: the flip number, when the point has one.
    pub fn flip(&self) -> Option<u64> {
        match self {
            Name::Flip { p, .. } => Some(*p),
            _ => None,
        }
    }
}

/// Exact: whether the neurons of block `a` are flipped at `theta` (layout order of
/// `part`); `None` when the largest entries in absolute value have both signs (a tie).
pub fn block_flipped(part: &Partition, theta: &[f64], a: usize) -> Option<bool> {
    let mut entries = vec![theta[part.index(Param::D(a))?]];
    if part.has_o(a) {
        entries.push(theta[part.index(Param::O(a))?]);
    }
    for b in 0..part.r() {
        if b != a {
            entries.push(theta[part.index(Param::X(a, b))?]);
        }
    }
    let big = entries.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let neg = entries.iter().any(|&x| x == -big);
    let pos = entries.contains(&big);
    match (neg, pos) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// Exact: the flip name of a point of `part`'s fixed space (`Flip` with no family, or
/// `Unnamed`), and which family name the flip number corresponds to, if any (I for
/// `flip(1)` on `d-1,1`, II for `flip(d-1)` on `d-1,1`, IIsym for `flip(d)` on `d`).
pub fn flip_name(part: &Partition, theta: &[f64]) -> (Name, Option<Family>) {
    let Some(sizes) = part.int_sizes() else {
        return (Name::Unnamed, None);
    };
    let d: u64 = sizes.iter().sum();
    let flipped: Option<Vec<bool>> = (0..part.r())
        .map(|a| block_flipped(part, theta, a))
        .collect();
    let Some(flipped) = flipped else {
        return (Name::Unnamed, None);
    };
    match (sizes.as_slice(), flipped.as_slice()) {
        ([_], [true]) => (Name::Flip { p: d, family: None }, Some(Family::IIsym)),
        ([n0, n1], [f0, f1]) if f0 != f1 => {
            let (p, other) = if *f0 { (*n0, *n1) } else { (*n1, *n0) };
            let family = match (p, other) {
                (1, _) => Some(Family::I),
                (_, 1) => Some(Family::II),
                _ => None,
            };
            // The family's layout is d-1,1 (largest block first).
            let family = family.filter(|_| *n0 >= *n1);
            (Name::Flip { p, family: None }, family)
        }
        _ => (Name::Unnamed, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::families;

    #[test]
    fn the_three_families_are_flip_1_d_minus_1_and_d() {
        for d in [6u64, 10, 30] {
            for (f, want) in [(Family::I, 1), (Family::II, d - 1), (Family::IIsym, d)] {
                let loc = families::locate(f, d as f64, Some(53)).unwrap();
                let theta: Vec<f64> = loc.found.theta.iter().map(|x| x.0.to_f64()).collect();
                let (name, fam) = flip_name(&loc.partition, &theta);
                assert_eq!(name.flip(), Some(want), "{} at d = {d}", f.name());
                assert_eq!(fam, Some(f));
            }
        }
    }

    #[test]
    fn both_or_no_blocks_flipped_is_unnamed() {
        let part = Partition::from_sizes(&[3, 2]).unwrap();
        // D1, O1, X12, D2, O2, X21: both blocks' largest entries positive.
        let theta = [1.0, 0.1, 0.2, 0.9, 0.1, 0.3];
        assert_eq!(flip_name(&part, &theta).0, Name::Unnamed);
        let theta = [-1.0, 0.1, 0.2, 0.9, 0.1, 0.3];
        assert_eq!(flip_name(&part, &theta).0.flip(), Some(3));
        let theta = [-1.0, 1.0, 0.2, 0.9, 0.1, 0.3];
        assert_eq!(
            flip_name(&part, &theta).0,
            Name::Unnamed,
            "a tie is undecided"
        );
    }
}
