//! The named families of critical points (docs/families.md) and how to reach them at any d.
//!
//! I and II live in `Fix(Δ(S_{d-1} x S_1))` with coordinates `(a, b, c, e, f) =
//! (D1, O1, X12, X21, D2)`; IIsym lives in `Fix(ΔS_d)` with `(a, b) = (D1, O1)`. A family
//! is *defined* by its branch: the asymptotic starting point below, refined by Newton at
//! large d, and continued in d (real steps) down to small d. The asymptotics were
//! identified numerically by `tools/reference.py` (limits of the scaled coordinates, to
//! about 14 digits):
//!
//! - I: `a = 1 + (8/pi)/d^2`, `b = -(4/pi)/d^2`, `c = 2/d`, `e = (4/pi)/d`,
//!   `f = -1 + (2 + 8/pi + 8/pi^2)/d`;
//! - II: `a = -1 + 2/d`, `b = 2/d`, `c = -(12/pi - 16/pi^2)/d^2`, `e = (2 - 4/pi)/d`,
//!   `f = 1 + (8/pi - 8/pi^2)/d`;
//! - IIsym: `a = -1 + 2/d`, `b = 2/d`.
//!
//! Corrections are O(d^{-1/2}) relative, so Newton converges from these for d >= 200;
//! below, the branch is followed by continuation. Everything here is **approximate**.

use crate::arith::Mpfr;
use crate::model::partition::{Param, Partition};
use crate::search::newton::{self, Found, NewtonError};
use std::f64::consts::PI;

/// A named family of critical points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Type I ("type A"): found by SGD, loss -> 0.
    I,
    /// Type II (hidden), same isotropy as I, loss -> 1/2 - 1/pi.
    II,
    /// The hidden family with full isotropy ΔS_d.
    IIsym,
}

/// Where continuation starts when the target d is smaller.
const D_START: f64 = 200.0;

impl Family {
    /// Exact: all families.
    pub const ALL: [Family; 3] = [Family::I, Family::II, Family::IIsym];

    /// Exact: the family's name as the CLI spells it.
    pub fn name(self) -> &'static str {
        match self {
            Family::I => "I",
            Family::II => "II",
            Family::IIsym => "IIsym",
        }
    }

    /// Exact: parse a family name (case-insensitive).
    pub fn parse(s: &str) -> Option<Family> {
        match s.to_ascii_lowercase().as_str() {
            "i" | "1" | "a" | "typei" => Some(Family::I),
            "ii" | "2" | "typeii" => Some(Family::II),
            "iisym" | "ii-sym" | "ii_sym" => Some(Family::IIsym),
            _ => None,
        }
    }

    /// Exact: the smallest d at which relucert follows the branch. I and IIsym reach d = 3
    /// (where they are the same point up to permuting rows and columns); as d decreases to
    /// 3, II converges to a permutation matrix (a global minimum, on the non-smooth set,
    /// loss -> 0), so it is followed for d >= 4 only.
    pub fn min_d(self) -> u64 {
        match self {
            Family::I => 3,
            Family::II => 4,
            Family::IIsym => 3,
        }
    }

    /// Exact: the first integer d at which the point is a strict local minimum (docs/families.md).
    pub fn minimum_from(self) -> u64 {
        match self {
            Family::I => 6,
            Family::II => 7,
            Family::IIsym => 6,
        }
    }

    /// Exact: the family's fixed space at dimension d (block sizes may be real); `None`
    /// unless every block size is positive (d > 1) and finite.
    pub fn partition(self, d: f64) -> Option<Partition> {
        let sizes = match self {
            Family::I | Family::II => vec![d - 1.0, 1.0],
            Family::IIsym => vec![d],
        };
        Partition::new(sizes)
    }

    /// Exact: the family's coordinate names with the parameters they stand for, in the
    /// order the family is written.
    pub fn coordinates(self) -> Vec<(&'static str, Param)> {
        match self {
            Family::I | Family::II => vec![
                ("a", Param::D(0)),
                ("b", Param::O(0)),
                ("c", Param::X(0, 1)),
                ("e", Param::X(1, 0)),
                ("f", Param::D(1)),
            ],
            Family::IIsym => vec![("a", Param::D(0)), ("b", Param::O(0))],
        }
    }

    /// Approximate: the asymptotic point at dimension d, in layout order (`None` when
    /// the family has no fixed space at d).
    pub fn asymptotic(self, d: f64) -> Option<Vec<f64>> {
        let part = self.partition(d)?;
        let vals: Vec<f64> = match self {
            Family::I => vec![
                1.0 + 8.0 / PI / (d * d),
                -4.0 / PI / (d * d),
                2.0 / d,
                4.0 / PI / d,
                -1.0 + (2.0 + 8.0 / PI + 8.0 / (PI * PI)) / d,
            ],
            Family::II => vec![
                -1.0 + 2.0 / d,
                2.0 / d,
                -(12.0 / PI - 16.0 / (PI * PI)) / (d * d),
                (2.0 - 4.0 / PI) / d,
                1.0 + (8.0 / PI - 8.0 / (PI * PI)) / d,
            ],
            Family::IIsym => vec![-1.0 + 2.0 / d, 2.0 / d],
        };
        Some(self.to_layout(&part, &vals))
    }

    /// Exact: reorder values given in the family's coordinate order into layout order.
    pub fn to_layout<T: Clone>(self, part: &Partition, vals: &[T]) -> Vec<T> {
        let coords = self.coordinates();
        let mut out: Vec<Option<T>> = vec![None; part.dim()];
        for ((_, p), v) in coords.iter().zip(vals) {
            out[part.index(*p).expect("family parameter exists")] = Some(v.clone());
        }
        out.into_iter()
            .map(|v| v.expect("every layout slot named"))
            .collect()
    }

    /// Exact: values in layout order as (name, value) pairs in the family's order.
    pub fn named<T: Clone>(self, part: &Partition, theta: &[T]) -> Vec<(String, T)> {
        self.coordinates()
            .into_iter()
            .map(|(n, p)| {
                (
                    n.to_string(),
                    theta[part.index(p).expect("family parameter exists")].clone(),
                )
            })
            .collect()
    }
}

/// Approximate: a located family point.
#[derive(Clone, Debug)]
pub struct Located {
    /// The family.
    pub family: Family,
    /// Its fixed space.
    pub partition: Partition,
    /// The point (layout order) and Newton's report.
    pub found: Found<Mpfr>,
    /// Precision used in bits (53 = f64).
    pub prec: u32,
}

/// Approximate: the family's critical point at dimension `d` (integer or real) at
/// precision `prec` (`None`: [`newton::auto_prec`]).
pub fn locate(family: Family, d: f64, prec: Option<u32>) -> Result<Located, NewtonError> {
    let prec = prec.unwrap_or_else(|| newton::auto_prec(d));
    let theta = if d >= D_START {
        branch_point_large(family, d)?
    } else {
        continue_down(family, d)?
    };
    let part = family.partition(d).ok_or(NewtonError::Dimension(d))?;
    let found = if prec == 53 {
        newton::newton_at_prec(&part, &theta, 53)?
    } else {
        newton::newton_at_prec(&part, &theta, prec)?
    };
    Ok(Located {
        family,
        partition: part,
        found,
        prec,
    })
}

/// Approximate (f64): a start near the branch at large d; Newton in f64 up to d = 1000,
/// beyond that the asymptotic point itself (accurate to O(d^{-3/2}) absolute), which the
/// caller's high-precision Newton refines.
fn branch_point_large(family: Family, d: f64) -> Result<Vec<f64>, NewtonError> {
    let part = family.partition(d).ok_or(NewtonError::Dimension(d))?;
    let start = family.asymptotic(d).ok_or(NewtonError::Dimension(d))?;
    if d > 1000.0 {
        return Ok(start);
    }
    Ok(newton::newton(&part, start)?.theta)
}

/// Approximate (f64): continuation from d = 200 down to `d`, in real steps, with a secant
/// predictor and step halving.
fn continue_down(family: Family, d: f64) -> Result<Vec<f64>, NewtonError> {
    let mut cur_d = D_START;
    let at = |d: f64| family.partition(d).ok_or(NewtonError::Dimension(d));
    let start = family
        .asymptotic(cur_d)
        .ok_or(NewtonError::Dimension(cur_d))?;
    let mut cur = newton::newton(&at(cur_d)?, start)?.theta;
    let mut prev: Option<(f64, Vec<f64>)> = None;
    let mut step = 0.1 * cur_d;
    while cur_d > d {
        let next_d = (cur_d - step).max(d);
        let guess: Vec<f64> = match &prev {
            Some((pd, pt)) => {
                let s = (next_d - cur_d) / (cur_d - pd);
                cur.iter().zip(pt).map(|(c, p)| c + s * (c - p)).collect()
            }
            None => cur.clone(),
        };
        match newton::newton(&at(next_d)?, guess) {
            Ok(f) if close(&f.theta, &cur, next_d) => {
                prev = Some((cur_d, std::mem::replace(&mut cur, f.theta)));
                cur_d = next_d;
                step = (step * 1.5).min(0.1 * cur_d.max(10.0));
            }
            _ => {
                step *= 0.5;
                if step < 1.0 / 256.0 {
                    return Err(NewtonError::LostBranch(cur_d));
                }
            }
        }
    }
    Ok(cur)
}

/// Approximate: whether a continuation step stayed on the branch (no jump to another point).
fn close(a: &[f64], b: &[f64], d: f64) -> bool {
    let tol = 0.5 * (1.0 + 5.0 / d);
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < tol)
}

/// Exact: coordinate names with their layout positions (family order, or layout order
/// with generic names for a plain partition).
pub fn coordinate_names(family: Option<Family>, part: &Partition) -> Vec<(String, usize)> {
    match family {
        Some(f) => f
            .coordinates()
            .into_iter()
            .map(|(n, p)| (n.to_string(), part.index(p).expect("family parameter")))
            .collect(),
        None => part
            .params()
            .iter()
            .enumerate()
            .map(|(i, &p)| (part.name(p), i))
            .collect(),
    }
}

/// Exact: how output names a point: `family II`, or `critical point` for an unnamed one.
pub fn point_label(family: Option<Family>) -> String {
    family.map_or_else(
        || "critical point".into(),
        |f| format!("family {}", f.name()),
    )
}
