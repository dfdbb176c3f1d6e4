//! Certifying a critical point: Krawczyk box, loss, the symmetry-reduced spectrum with
//! rigorous eigenvalue enclosures, definiteness, classification.
//!
//! **Contract.** [`prove`] takes an exact center (decimal rationals), an exact radius and
//! a precision, and either returns a [`Proof`], every enclosure of which holds for the
//! unique critical point in the box, or the reason nothing could be proved. The verdict
//! is *strict local minimum* only if every component block is positive definite by
//! interval Cholesky over the whole box (and then every eigenvalue enclosure is positive),
//! *saddle* only if every eigenvalue enclosure excludes 0 and some are negative (the index
//! is the sum of their dimensions), and *inconclusive* otherwise, naming the enclosure
//! that contains 0. [`search_radius`] picks the smallest radius (a power of ten) at which
//! Krawczyk succeeds; it is the only step that tries several candidates, and the radius it
//! returns is part of the statement, re-checked by `verify`.

use crate::arith::{decimal, Interval};
use crate::model::partition::IntegerPartition;
use crate::prove::definite::cholesky_positive;
use crate::prove::eigen::enclose_eigenvalues;
use crate::prove::krawczyk::{krawczyk, KrawczykFailure, KrawczykProof};
use crate::symmetry::components::{self, Component, Kind};
use rug::Rational;

/// The verdict about a critical point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every block positive definite over the box.
    StrictLocalMinimum,
    /// Every eigenvalue enclosure excludes 0 and `index` eigenvalues (with multiplicity)
    /// are negative.
    Saddle {
        /// Exact: the Morse index.
        index: u128,
    },
    /// Some enclosure contains 0.
    Inconclusive {
        /// Why (which component and eigenvalue).
        reason: String,
    },
}

/// Exact: the three classifications, without their data (what a file states).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictKind {
    /// `strict_local_minimum`.
    StrictLocalMinimum,
    /// `saddle`.
    Saddle,
    /// `inconclusive`.
    Inconclusive,
}

impl VerdictKind {
    /// Exact: the name certificates use.
    pub fn name(self) -> &'static str {
        match self {
            VerdictKind::StrictLocalMinimum => "strict_local_minimum",
            VerdictKind::Saddle => "saddle",
            VerdictKind::Inconclusive => "inconclusive",
        }
    }
}

impl std::fmt::Display for VerdictKind {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for VerdictKind {
    type Err = String;
    /// Exact: the inverse of [`VerdictKind::name`].
    fn from_str(s: &str) -> Result<Self, String> {
        [
            VerdictKind::StrictLocalMinimum,
            VerdictKind::Saddle,
            VerdictKind::Inconclusive,
        ]
        .into_iter()
        .find(|k| k.name() == s)
        .ok_or_else(|| {
            format!("unknown classification '{s}' (strict_local_minimum, saddle, inconclusive)")
        })
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Verdict::Saddle { index } => write!(f, "saddle of index {index}"),
            v => f.write_str(v.name()),
        }
    }
}

impl Verdict {
    /// Exact: the classification without its data.
    pub fn kind(&self) -> VerdictKind {
        match self {
            Verdict::StrictLocalMinimum => VerdictKind::StrictLocalMinimum,
            Verdict::Saddle { .. } => VerdictKind::Saddle,
            Verdict::Inconclusive { .. } => VerdictKind::Inconclusive,
        }
    }

    /// Exact: the name certificates use.
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::StrictLocalMinimum => "strict_local_minimum",
            Verdict::Saddle { .. } => "saddle",
            Verdict::Inconclusive { .. } => "inconclusive",
        }
    }

    /// Exact: the index (0 for a minimum; `None` when inconclusive).
    pub fn index(&self) -> Option<u128> {
        match self {
            Verdict::StrictLocalMinimum => Some(0),
            Verdict::Saddle { index } => Some(*index),
            Verdict::Inconclusive { .. } => None,
        }
    }
}

/// Encloses: one component's eigenvalues over the box.
#[derive(Clone, Debug)]
pub struct ComponentProof {
    /// The component (kind, dimension, copies).
    pub component: Component,
    /// Encloses: the block's eigenvalues, ascending.
    pub eigenvalues: Vec<Interval>,
    /// Whether interval Cholesky proved the block positive definite.
    pub positive_definite: bool,
}

/// Encloses: the smallest Hessian eigenvalue and where it lives.
#[derive(Clone, Debug)]
pub struct MinEigenvalue {
    /// Encloses: the eigenvalue.
    pub value: Interval,
    /// The component holding it.
    pub kind: Kind,
    /// Exact: its multiplicity (the component's dimension).
    pub dimension: u128,
    /// Encloses: the next larger eigenvalue of the Hessian minus this one; present only
    /// when `separated` (without separation the smallest eigenvalue need not lie in
    /// `value`, and no margin is proved).
    pub margin: Option<Interval>,
    /// Whether the enclosure is disjoint from (below) every other eigenvalue enclosure,
    /// i.e. the component holding the smallest eigenvalue is certified.
    pub separated: bool,
}

/// Encloses: everything proved about the critical point in the box.
#[derive(Clone, Debug)]
pub struct Proof {
    /// Encloses: the loss at the critical point.
    pub loss: Interval,
    /// Encloses: per component, the eigenvalues.
    pub components: Vec<ComponentProof>,
    /// The verdict.
    pub verdict: Verdict,
    /// Encloses: the smallest eigenvalue.
    pub min_eigenvalue: MinEigenvalue,
    /// Encloses: K(X), a box around the critical point far smaller than the radius.
    pub krawczyk_box: Vec<Interval>,
}

/// Why nothing could be proved.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum NotProved {
    /// Krawczyk failed.
    #[error("no unique critical point proved in the box: {0}")]
    Krawczyk(#[from] KrawczykFailure),
    /// An eigenvalue enclosure failed.
    #[error("eigenvalue enclosure failed for component {0}")]
    Eigen(String),
    /// Certified statements need integer block sizes.
    #[error("the partition's block sizes are not integers (certification needs integer sizes)")]
    NotIntegral,
    /// The box touches the non-smooth set while computing a block.
    #[error("component {0}: the box touches the non-smooth set")]
    NonSmooth(String),
}

/// Encloses: the exact center and radius as intervals at `prec`.
pub fn enclose_center(center: &[Rational], prec: u32) -> Vec<Interval> {
    center
        .iter()
        .map(|q| Interval::from_rational(prec, q))
        .collect()
}

/// Encloses: prove what can be proved at the given center, radius and precision.
pub fn prove(
    part: &IntegerPartition,
    center: &[Rational],
    radius: &Rational,
    prec: u32,
) -> Result<Proof, NotProved> {
    let c = enclose_center(center, prec);
    let r = Interval::from_rational(prec, radius);
    let kp = krawczyk(part, &c, &r)?;
    prove_from(part, kp, prec)
}

/// Encloses: everything that follows from a successful Krawczyk test (the components,
/// their eigenvalue enclosures and definiteness over the box, the verdict, the smallest
/// eigenvalue), without running the test again.
pub fn prove_from(
    part: &IntegerPartition,
    kp: KrawczykProof,
    prec: u32,
) -> Result<Proof, NotProved> {
    let comps = components::components_of(part);
    let mut proofs = Vec::with_capacity(comps.len());
    for comp in comps {
        let label = comp.kind.label();
        let block = components::block(part, &kp.outer, comp.kind)
            .map_err(|_| NotProved::NonSmooth(label.clone()))?;
        let eigenvalues = enclose_eigenvalues(&block).map_err(|_| NotProved::Eigen(label))?;
        let positive_definite = cholesky_positive(&block).is_ok();
        proofs.push(ComponentProof {
            component: comp,
            eigenvalues,
            positive_definite,
        });
    }
    let verdict = classify(&proofs, prec);
    let min_eigenvalue = smallest(&proofs);
    Ok(Proof {
        loss: kp.loss,
        components: proofs,
        verdict,
        min_eigenvalue,
        krawczyk_box: kp.k,
    })
}

fn classify(proofs: &[ComponentProof], prec: u32) -> Verdict {
    if proofs.iter().all(|p| p.positive_definite) {
        return Verdict::StrictLocalMinimum;
    }
    let mut index: u128 = 0;
    for p in proofs {
        for (k, e) in p.eigenvalues.iter().enumerate() {
            // Each enclosure must be certainly positive or certainly negative (both false
            // on a NaN end, which is then inconclusive).
            if e.is_negative() {
                index += p.component.dimension;
            } else if !e.is_positive() {
                return Verdict::Inconclusive {
                    reason: format!(
                        "eigenvalue {} of component {} is enclosed in {} which contains 0 at {prec} bits; more precision may help",
                        k + 1,
                        p.component.kind.label(),
                        e
                    ),
                };
            }
        }
    }
    if index == 0 {
        // Every enclosure positive: a minimum, proved by the eigenvalue enclosures.
        Verdict::StrictLocalMinimum
    } else {
        Verdict::Saddle { index }
    }
}

fn smallest(proofs: &[ComponentProof]) -> MinEigenvalue {
    // All (component, eigenvalue) pairs, the candidate being the smallest lower end.
    let all: Vec<(&ComponentProof, &Interval)> = proofs
        .iter()
        .flat_map(|p| p.eigenvalues.iter().map(move |e| (p, e)))
        .collect();
    let (pmin, emin) = all
        .iter()
        .min_by(|a, b| a.1.lo().total_cmp(b.1.lo()))
        .copied()
        .expect("at least one eigenvalue");
    let others: Vec<&Interval> = all
        .iter()
        .filter(|(p, e)| !(std::ptr::eq(*p, pmin) && std::ptr::eq(*e, emin)))
        .map(|(_, e)| *e)
        .collect();
    // Separated only when decided: both ends of the candidate are numbers and its upper
    // end lies strictly below every other lower end (each comparison false on NaN).
    let numbers = all
        .iter()
        .all(|(_, e)| !e.lo().is_nan() && !e.hi().is_nan());
    let separated = numbers && others.iter().all(|e| emin.hi() < e.lo());
    // The next eigenvalue is at least the smallest other lower end and at most the
    // smallest other upper end; the margin is proved only under separation.
    let margin = separated.then(|| {
        let lo = others.iter().map(|e| e.lo()).min_by(|a, b| a.total_cmp(b));
        let hi = others.iter().map(|e| e.hi()).min_by(|a, b| a.total_cmp(b));
        match (lo, hi) {
            (Some(lo), Some(hi)) => {
                Interval::from_floats(emin.precision(), lo, hi).map(|next| next - emin.clone())
            }
            _ => None,
        }
    });
    MinEigenvalue {
        value: emin.clone(),
        kind: pmin.component.kind,
        dimension: pmin.component.dimension,
        margin: margin.flatten(),
        separated,
    }
}

/// The outcome of [`search_radius`]: the radius as a decimal string and its proof.
pub struct Searched {
    /// Exact: the radius (a power of ten, e.g. `1e-53`).
    pub radius: String,
    /// The proof at that radius.
    pub proof: Proof,
}

/// Exact: the centers as decimal strings (`digits` significant digits of the floats).
pub fn center_strings(theta: &[rug::Float], digits: usize) -> Vec<String> {
    theta
        .iter()
        .map(|x| decimal::to_decimal(x, digits))
        .collect()
}

/// Encloses: try radii `10^-k` from small to large until Krawczyk succeeds, then prove.
pub fn search_radius(
    part: &IntegerPartition,
    center: &[Rational],
    prec: u32,
) -> Result<Searched, NotProved> {
    let digits = prec as f64 * std::f64::consts::LOG10_2;
    let k_max = (digits * 0.7).floor() as i64;
    let k_min = (digits * 0.15).floor().max(1.0) as i64;
    let c = enclose_center(center, prec);
    let mut last = None;
    let mut k = k_max;
    while k >= k_min {
        let radius = format!("1e-{k}");
        let r = decimal::parse_decimal(&radius).expect("1e-k is a decimal");
        match krawczyk(part, &c, &Interval::from_rational(prec, &r)) {
            Ok(kp) => {
                // One Krawczyk run per proof: the successful test is passed on.
                let proof = prove_from(part, kp, prec)?;
                return Ok(Searched { radius, proof });
            }
            Err(e) => last = Some(e),
        }
        k -= 3;
    }
    Err(NotProved::Krawczyk(
        last.expect("at least one radius tried"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proof_with(eigs: Vec<Interval>, pd: bool) -> Vec<ComponentProof> {
        vec![ComponentProof {
            component: Component {
                kind: Kind::Trivial,
                dimension: 1,
                copies: eigs.len(),
            },
            eigenvalues: eigs,
            positive_definite: pd,
        }]
    }

    #[test]
    fn classification_and_separation_are_undecided_on_a_nan_end() {
        let pos = |a: f64, b: f64| {
            Interval::from_decimal_bounds(64, &a.to_string(), &b.to_string()).unwrap()
        };
        for which in [0, 1] {
            let nan = Interval::with_nan_end(1.0, 2.0, which);
            let p = proof_with(vec![nan.clone(), pos(3.0, 4.0)], false);
            assert!(
                matches!(classify(&p, 64), Verdict::Inconclusive { .. }),
                "a NaN-ended eigenvalue is neither positive nor negative"
            );
            let m = smallest(&p);
            assert!(!m.separated && m.margin.is_none(), "no separation on NaN");
            // The NaN-ended enclosure as the other eigenvalue.
            let p = proof_with(
                vec![pos(0.5, 0.6), Interval::with_nan_end(1.0, 2.0, which)],
                false,
            );
            let m = smallest(&p);
            assert!(
                !m.separated && m.margin.is_none(),
                "no separation from a NaN"
            );
            let neg = Interval::with_nan_end(-2.0, -1.0, which);
            assert!(matches!(
                classify(&proof_with(vec![neg, pos(1.0, 2.0)], false), 64),
                Verdict::Inconclusive { .. }
            ));
        }
        // Honest inputs: decided.
        let p = proof_with(vec![pos(0.5, 0.6), pos(1.0, 2.0)], false);
        assert_eq!(classify(&p, 64), Verdict::StrictLocalMinimum);
        let m = smallest(&p);
        assert!(m.separated);
        let margin = m.margin.expect("separated: margin proved");
        assert!(margin.contains(&rug::Float::with_val(64, 0.4)));
        // Overlapping enclosures: not separated, and no margin is stated.
        let m = smallest(&proof_with(vec![pos(0.5, 1.1), pos(1.0, 2.0)], false));
        assert!(!m.separated && m.margin.is_none());
    }
}
