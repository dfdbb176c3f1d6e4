//! Basin probes: start at a family's certified point plus a perturbation of Frobenius
//! norm r in a uniformly random direction of the full d^2 space, descend, and count how
//! many runs return.
//!
//! **Contract.** The family's point is located in f64 ([`crate::search::families::locate`])
//! and certified through [`crate::identify::identify_matrix`] like any endpoint. Each
//! perturbed start is approximate (f64); where each run ends is assigned and certified by
//! [`super::classify::assign`], with the whole probe sharing one assignment (one
//! certification per distinct point). A run *returns* when it is assigned to a point with
//! the family's name. Run i at radius index k is seeded by
//! [`super::run_seed`]`(seed + k * 0x9e3779b97f4a7c15, d, i)`: deterministic whatever the
//! thread count.

use super::classify::{self, Assignment};
use super::{descend_from, run_seed, Options, RunEnd};
use crate::identify::name::Name;
use crate::identify::FamilyPoints;
use crate::random::SplitMix64;
use crate::search::families::{self, Family};
use rayon::prelude::*;

/// One radius of a probe.
#[derive(Clone, Debug)]
pub struct Shell {
    /// Exact: the perturbation's Frobenius norm.
    pub radius: f64,
    /// Exact: the run indices (into [`Probe::ends`]) of this radius.
    pub runs: Vec<usize>,
}

/// A basin probe of one family at one d.
#[derive(Clone, Debug)]
pub struct Probe {
    /// The family probed.
    pub family: Family,
    /// Exact: the dimension.
    pub d: usize,
    /// Exact: the seed.
    pub seed: u64,
    /// How runs were made.
    pub options: Options,
    /// The radii, in the order given.
    pub shells: Vec<Shell>,
    /// Approximate: every run's end (run index = position).
    pub ends: Vec<RunEnd>,
    /// Encloses: where the runs ended, certified.
    pub assignment: Assignment,
}

/// Exact: whether an endpoint is the family's point.
pub fn is_family(name: &Name, f: Family) -> bool {
    matches!(name, Name::Flip { family: Some(g), .. } if *g == f)
}

impl Probe {
    /// Exact: the endpoint index each run was assigned to (`None`: not assigned).
    pub fn endpoint_of(&self) -> Vec<Option<usize>> {
        let mut of = vec![None; self.ends.len()];
        for (k, e) in self.assignment.endpoints.iter().enumerate() {
            for &r in &e.runs {
                of[r] = Some(k);
            }
        }
        of
    }

    /// Exact: how many runs of each shell returned to the family's point.
    pub fn returned(&self) -> Vec<usize> {
        let of = self.endpoint_of();
        self.shells
            .iter()
            .map(|s| {
                s.runs
                    .iter()
                    .filter(|&&r| {
                        of[r].is_some_and(|k| {
                            is_family(&self.assignment.endpoints[k].identified.name, self.family)
                        })
                    })
                    .count()
            })
            .collect()
    }

    /// Exact: the measured basin radius: the largest radius at which at least half the
    /// runs returned (`None` when at no radius).
    pub fn basin_radius(&self) -> Option<f64> {
        self.shells
            .iter()
            .zip(self.returned())
            .filter(|(s, k)| 2 * k >= s.runs.len() && !s.runs.is_empty())
            .map(|(s, _)| s.radius)
            .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))))
    }
}

/// Approximate: the family's point at d as a d x d matrix (f64, row-major), if located.
pub fn family_matrix(f: Family, d: usize) -> Option<Vec<f64>> {
    let loc = families::locate(f, d as f64, Some(53)).ok()?;
    let theta: Vec<f64> = loc.found.theta.iter().map(|x| x.0.to_f64()).collect();
    Some(loc.partition.embed(&theta)?.into_iter().flatten().collect())
}

/// Encloses (the assignment; descent is approximate): probe the basin of `f` at d with
/// `runs` runs per radius. `None` when the family's point cannot be located at d.
#[allow(clippy::too_many_arguments)]
pub fn probe(
    f: Family,
    d: usize,
    radii: &[f64],
    runs: usize,
    seed: u64,
    opts: &Options,
    fam: &FamilyPoints,
    ran: &(dyn Fn(&RunEnd) + Sync),
) -> Option<Probe> {
    let base = family_matrix(f, d)?;
    let jobs: Vec<(usize, usize)> = (0..radii.len())
        .flat_map(|k| (0..runs).map(move |i| (k, i)))
        .collect();
    let ends: Vec<RunEnd> = jobs
        .par_iter()
        .enumerate()
        .map(|(index, &(k, i))| {
            let s = seed.wrapping_add((k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let mut rng = SplitMix64::new(run_seed(s, d, i));
            let u: Vec<f64> = (0..d * d).map(|_| rng.normal()).collect();
            let n = u.iter().map(|x| x * x).sum::<f64>().sqrt();
            let w0: Vec<f64> = base
                .iter()
                .zip(&u)
                .map(|(b, x)| b + radii[k] * x / n)
                .collect();
            let r = descend_from(w0, d, index, opts);
            ran(&r);
            r
        })
        .collect();
    let shells = radii
        .iter()
        .enumerate()
        .map(|(k, &radius)| Shell {
            radius,
            runs: (k * runs..(k + 1) * runs).collect(),
        })
        .collect();
    let assignment = classify::assign(d, &ends, opts, fam, &|_| {});
    Some(Probe {
        family: f,
        d,
        seed,
        options: opts.clone(),
        shells,
        ends,
        assignment,
    })
}
