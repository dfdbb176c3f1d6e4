//! `identify`: from a trained weight matrix to a certified, named critical point.
//!
//! **Contract.** [`identify_matrix`] takes a d x d matrix (neurons as rows, exact f64
//! entries; see [`input`]) and returns an [`Identified`] saying which of these happened:
//!
//! - **global minimum**: after matching neurons to teacher directions the matrix is the
//!   identity up to the tolerance, i.e. the input is (close to) a permutation of the
//!   teacher, where the loss is exactly 0, its least value. Nothing is certified by
//!   Krawczyk there: every neuron is parallel to a teacher neuron, which is the
//!   non-smooth set of the loss (its Hessian is not defined), so the test, which needs
//!   a continuously differentiable gradient on a box around the point, does not apply.
//!   The distance from the input to the exact permutation matrix is enclosed.
//! - **certified**: the symmetry ([`symmetry::find_symmetry`]) gives a Young fixed space;
//!   the permuted input is projected onto it (block means), Newton runs there
//!   ([`crate::search::newton`]), and the point is certified exactly as
//!   `certify --partition P --start S` does ([`crate::prove::certify_point`]); the
//!   Newton step (from the projected start to the certified point) and the Frobenius
//!   distance from the permuted input to the certified point are enclosures
//!   ([`distance`]). The point is named ([`name`]).
//! - **refused** (too far): the certified point is not proved to lie within
//!   `max_distance` of the input, so it is not reported as the input's critical point.
//! - **not certified**: no usable symmetry (more than [`MAX_BLOCKS`] blocks), Newton did
//!   not converge, or the proof failed; the reason is given.
//!
//! Only enclosures are called certified; the symmetry, the projection and Newton are
//! approximate steps that choose what is then proved.

pub mod distance;
pub mod input;
pub mod name;
pub mod symmetry;

use crate::arith::Interval;
use crate::prove::{self, Certificate, NotCertified};
use crate::search::families::{self, Family};
use crate::search::newton;
use input::Matrix;
use name::Name;
use std::collections::HashMap;
use std::sync::Mutex;
use symmetry::Symmetry;

/// Exact: the default relative tolerance of the symmetry search.
pub const DEFAULT_TOL: f64 = 1e-6;
/// Exact: the default largest accepted Frobenius distance from the input to the
/// certified point (docs/identify.md says why).
pub const DEFAULT_MAX_DISTANCE: f64 = 1e-4;
/// Exact: the most blocks a fixed space may have to be certified here (the reduced
/// problem has `r^2 + r` coordinates and its proof costs about `r^6`).
pub const MAX_BLOCKS: usize = 12;

/// How `identify` works.
#[derive(Clone, Debug)]
pub struct Options {
    /// Relative tolerance of the symmetry search (and of the global-minimum test).
    pub tol: f64,
    /// Largest accepted distance from the input to the certified point.
    pub max_distance: f64,
    /// Precision of the interval arithmetic in bits.
    pub prec: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tol: DEFAULT_TOL,
            max_distance: DEFAULT_MAX_DISTANCE,
            prec: 256,
        }
    }
}

/// What happened to one matrix.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A critical point was certified within the distance (its verdict may still be
    /// inconclusive: see the certificate).
    Certified,
    /// The input is a permutation of the teacher (up to the tolerance).
    GlobalMinimum,
    /// The point found is not proved to lie within the distance.
    TooFar {
        /// Why, with the figures.
        reason: String,
    },
    /// Nothing was certified.
    NotCertified {
        /// Why.
        reason: String,
    },
}

/// Everything `identify` found about one matrix.
#[derive(Clone, Debug)]
pub struct Identified {
    /// Where the matrix came from.
    pub source: String,
    /// Exact: its dimension.
    pub d: usize,
    /// Approximate: the symmetry found and the permutation exhibiting it.
    pub symmetry: Symmetry,
    /// The name of the point (exact given the certified centre).
    pub name: Name,
    /// Approximate: the projected start, in layout order.
    pub start: Vec<f64>,
    /// Encloses: the Frobenius norm of the move from the projected start to the
    /// certified point (when one was certified).
    pub newton_step: Option<Interval>,
    /// Approximate: the same move to Newton's point (f64), when Newton converged.
    pub approx_newton_step: Option<f64>,
    /// Encloses: the Frobenius distance from the permuted input to the certified point
    /// (or to the permutation matrix, for the global minimum).
    pub distance: Option<Interval>,
    /// The certificate (only when the outcome is [`Outcome::Certified`]).
    pub certificate: Option<Certificate>,
    /// What happened.
    pub outcome: Outcome,
}

impl Identified {
    /// Exact: the status word (`certified`, `global_minimum`, `inconclusive`, `too_far`,
    /// `not_certified`).
    pub fn status(&self) -> &'static str {
        match &self.outcome {
            Outcome::Certified => match &self.certificate {
                Some(c) if c.proof.verdict.index().is_none() => "inconclusive",
                _ => "certified",
            },
            Outcome::GlobalMinimum => "global_minimum",
            Outcome::TooFar { .. } => "too_far",
            Outcome::NotCertified { .. } => "not_certified",
        }
    }

    /// Exact: whether what is stated about this matrix is proved: the global minimum
    /// recognised, or a certified point with a decided classification.
    pub fn is_proved(&self) -> bool {
        match &self.outcome {
            Outcome::GlobalMinimum => true,
            Outcome::Certified => self
                .certificate
                .as_ref()
                .is_some_and(|c| c.proof.verdict.index().is_some()),
            Outcome::TooFar { .. } | Outcome::NotCertified { .. } => false,
        }
    }

    /// Exact: the classification (`strict_local_minimum`, `saddle`, `inconclusive`,
    /// `global_minimum`), when something was classified.
    pub fn classification(&self) -> Option<&'static str> {
        match &self.outcome {
            Outcome::GlobalMinimum => Some("global_minimum"),
            Outcome::Certified => self.certificate.as_ref().map(|c| c.proof.verdict.name()),
            _ => None,
        }
    }
}

/// Approximate: a family's point in layout order (f64), or `None` when it was not located.
type FamilyPoint = Option<Vec<f64>>;

/// Approximate: the family points located so far, by family and d (a batch locates each
/// once).
#[derive(Default)]
pub struct FamilyPoints {
    cache: Mutex<HashMap<(Family, u64), FamilyPoint>>,
}

impl FamilyPoints {
    /// Approximate: the family's point at d in layout order (f64), located once.
    pub fn get(&self, family: Family, d: u64) -> Option<Vec<f64>> {
        if let Some(v) = self.cache.lock().ok()?.get(&(family, d)) {
            return v.clone();
        }
        let v = families::locate(family, d as f64, Some(53)).ok().map(|l| {
            l.found
                .theta
                .iter()
                .map(|x| x.0.to_f64())
                .collect::<Vec<f64>>()
        });
        if let Ok(mut c) = self.cache.lock() {
            c.insert((family, d), v.clone());
        }
        v
    }
}

/// Exact: the permuted matrix `W'[k][l] = W[rows[k]][columns[l]]`, row-major.
pub fn permuted_matrix(m: &Matrix, s: &Symmetry) -> Vec<f64> {
    let d = m.d;
    (0..d * d)
        .map(|p| s.permuted(&m.entries, d, p / d, p % d))
        .collect()
}

/// Approximate: whether, after matching neurons to coordinates, the matrix is the
/// identity up to `tol` (relative to its largest entry); returns the matching.
pub fn global_minimum(m: &Matrix, tol: f64) -> Option<Symmetry> {
    let d = m.d;
    let rows = symmetry::align(&m.entries, d);
    let scale = m.entries.iter().fold(0.0f64, |a, x| a.max(x.abs()));
    let mut dev = 0.0f64;
    for k in 0..d {
        for l in 0..d {
            let want = if k == l { 1.0 } else { 0.0 };
            dev = dev.max((m.entries[rows[k] * d + l] - want).abs());
        }
    }
    let rel = dev / scale.max(f64::MIN_POSITIVE);
    (rel <= tol).then(|| Symmetry {
        partition: crate::model::partition::IntegerPartition::from_sizes(&[d as u64])
            .expect("d >= 1"),
        rows,
        columns: (0..d).collect(),
        deviation: rel,
        trivial: false,
    })
}

/// Encloses what can be proved about the critical point next to `m` (see the module
/// contract).
pub fn identify_matrix(m: &Matrix, opts: &Options, fam: &FamilyPoints) -> Identified {
    let d = m.d;
    let prec = opts.prec;
    if let Some(sym) = global_minimum(m, opts.tol) {
        let w = permuted_matrix(m, &sym);
        let sums = distance::matrix_sums(&sym.partition, &w, prec);
        let one = [Interval::point(prec, 1.0), Interval::point(prec, 0.0)];
        let dist = distance::enclose_distance(&sums, &one);
        let outcome = too_far(&dist, opts.max_distance, "the permutation matrix")
            .map_or(Outcome::GlobalMinimum, |reason| Outcome::TooFar { reason });
        return Identified {
            source: m.source.clone(),
            d,
            symmetry: sym,
            name: Name::GlobalMinimum,
            start: vec![1.0, 0.0],
            newton_step: None,
            approx_newton_step: None,
            distance: Some(dist),
            certificate: None,
            outcome,
        };
    }
    let sym = symmetry::find_symmetry(&m.entries, d, opts.tol);
    let part = sym.partition.clone();
    let w = permuted_matrix(m, &sym);
    let start = symmetry::project(&part, &w, d);
    let mut out = Identified {
        source: m.source.clone(),
        d,
        symmetry: sym,
        name: Name::Unnamed,
        start: start.clone(),
        newton_step: None,
        approx_newton_step: None,
        distance: None,
        certificate: None,
        outcome: Outcome::Certified,
    };
    let not = |reason: String| Outcome::NotCertified { reason };
    if part.r() > MAX_BLOCKS {
        out.outcome = not(format!(
            "no usable symmetry: the largest Young group fixing the matrix up to the tolerance has {} blocks{}, a fixed space of {} coordinates; certification here takes at most {MAX_BLOCKS} blocks (its cost grows like r^6)",
            part.r(),
            if out.symmetry.trivial { " (the trivial group)" } else { "" },
            part.dim()
        ));
        return out;
    }
    let found = match newton::newton_at_prec(&part, &start, newton::auto_prec(d as f64)) {
        Ok(f) => f,
        Err(e) => {
            out.outcome = not(format!("Newton from the projected input: {e}"));
            return out;
        }
    };
    let theta: Vec<f64> = found.theta.iter().map(|x| x.0.to_f64()).collect();
    out.approx_newton_step = Some(distance::approx_step(&part, &start, &theta));
    let approx = distance::approx_distance(&part, &w, &theta);
    if approx.is_nan() || approx > 2.0 * opts.max_distance {
        out.outcome = Outcome::TooFar {
            reason: format!(
                "Newton's point lies about {approx:.3e} from the input (f64 estimate), beyond --max-distance {:e}; nothing was certified",
                opts.max_distance
            ),
        };
        return out;
    }
    let mut cert = match prove::certify_point(None, &part, &found.theta, prec) {
        Ok(c) => c,
        Err(e @ NotCertified::Newton(_)) => {
            out.outcome = not(e.to_string());
            return out;
        }
        Err(NotCertified::NotProved(e)) => {
            out.outcome = not(format!("{e}; more precision (--prec) may help"));
            return out;
        }
    };
    let kbox = &cert.proof.krawczyk_box;
    out.newton_step = Some(distance::enclose_distance(
        &distance::point_sums(&part, &start, prec),
        kbox,
    ));
    let dist = distance::enclose_distance(&distance::matrix_sums(&part, &w, prec), kbox);
    out.distance = Some(dist.clone());
    if let Some(reason) = too_far(&dist, opts.max_distance, "the certified critical point") {
        out.outcome = Outcome::TooFar { reason };
        return out;
    }
    let center: Vec<f64> = cert.center.iter().map(|c| c.value().to_f64()).collect();
    let (name, family) = name::flip_name(&part, &center);
    out.name = name;
    if let (Some(f), Name::Flip { p, .. }) = (family, &out.name) {
        let close = fam.get(f, d as u64).is_some_and(|pt| {
            pt.iter()
                .zip(&center)
                .all(|(a, b)| (a - b).abs() <= 1e-6 * (1.0 + b.abs()))
        });
        if close {
            cert.family = Some(f);
            out.name = Name::Flip {
                p: *p,
                family: Some(f),
            };
        }
    }
    out.certificate = Some(cert);
    out
}

/// Exact: the refusal when the enclosure of a distance is not below `max`.
fn too_far(dist: &Interval, max: f64, what: &str) -> Option<String> {
    let ok = *dist.hi() <= max;
    (!ok).then(|| {
        format!(
            "{what} lies at distance in [{}, {}] from the input, not proved within --max-distance {max:e}",
            dist.lo_decimal(4),
            dist.hi_decimal(4)
        )
    })
}
