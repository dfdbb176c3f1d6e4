//! Tangency-point certificates: one certified point of a tangency arc, written and
//! re-checked like a critical-point certificate.
//!
//! A file states: "the critical point C of the embedded critical-point certificate exists
//! (re-proved from its center and radius), and in the fixed space of the arc's isotropy
//! (the refinement `splits` of C's partition) there is exactly one tangency point at
//! radius `r` (`grad L = mu (W - C)`, `|W - C|_F = r`) within `radius` of `center`; `mu`
//! and the loss there lie in the stated enclosures; and L restricted to the sphere
//! `S(C, r)` has a strict local minimum / maximum / a saddle there (`type`)".
//! The arc's component, splits, isotropy, eigenvalue index, direction and mirror pair say
//! which arc the point lies on. `verify` re-derives each: the splits must be an axial split
//! of the component ([`Axis::admissible`]); the isotropy is the partition the splits
//! define; the mirror pair is whether the isotropy maps the seed to its negative; the
//! eigenvector of the stated index and sign is recomputed at the re-proved critical point
//! (the same enumeration `arcs` uses), and the certified displacement `W - C` must have a
//! certainly positive component along it, larger than along every other eigenvector of
//! the block on that axis. The statement text is regenerated and compared.
//!
//! Keys: `format`, `format_version`, `relucert_version`, `kind` (`tangency_point`),
//! `family`, `d`, `partition`, `precision_bits`, `critical_point` {`center`, `radius`,
//! `classification`, `loss`}, `arc` {`component` {`kind`,`block`}, `splits`
//! \[{`block`,`parts`}\], `isotropy`, `eigenvalue_index`, `direction`, `mirror_pair`}, `r`,
//! `center` {`theta` (name -> decimal), `mu`}, `radius`, `statement`, `mu` {`lo`,`hi`},
//! `loss` {`lo`,`hi`}, `type`, `reason`.

use crate::arcs::directions::{enumerate_on, ArcDirection, ArcType, Base, Sign};
use crate::arcs::space::FixSpace;
use crate::arcs::tangency::{prove_tangency, TangencyProof};
use crate::arith::{Interval, Scalar};
use crate::certificate::critical_point::{
    self, block_json, coordinate_names, enclosure_digits, interval_json, Certificate, Relation,
};
use crate::certificate::verify::Status;
use crate::error::{Error, Result};
use crate::model::partition::{IntegerPartition, Partition};
use crate::prove::critical_point::prove;
use crate::search::families::Family;
use crate::symmetry::components::Axis;
use serde_json::{json, Map, Value};

/// A certified tangency point with the critical point it belongs to.
#[derive(Clone, Debug)]
pub struct ArcCertificate {
    /// The critical point's certificate.
    pub base: Certificate,
    /// The arc (component, axis, eigenvalue, sign).
    pub dir: ArcDirection,
    /// The certified point.
    pub proof: TangencyProof,
}

impl ArcCertificate {
    /// Exact: the certificate as JSON with a fixed key order.
    pub fn to_json(&self) -> Value {
        let b = &self.base;
        let digits = enclosure_digits(b.prec);
        let mut c_center = Map::new();
        for (name, i) in coordinate_names(b.family, &b.partition) {
            c_center.insert(name, json!(b.center[i]));
        }
        let fine = &self.dir.space.fine;
        let n = fine.dim();
        let mut theta = Map::new();
        for (i, &p) in fine.params().iter().enumerate() {
            theta.insert(fine.name(p), json!(self.proof.center[i]));
        }
        let splits: Vec<Value> = self
            .dir
            .axis
            .splits
            .iter()
            .map(|(a, parts)| json!({"block": a + 1, "parts": parts.iter().map(|&x| x as u64).collect::<Vec<_>>()}))
            .collect();
        let d = b.partition.d() as u64;
        json!({
            "format": critical_point::FORMAT,
            "format_version": critical_point::FORMAT_VERSION,
            "relucert_version": env!("CARGO_PKG_VERSION"),
            "kind": "tangency_point",
            "family": b.family.map(Family::name),
            "d": d,
            "partition": b.partition.int_sizes(),
            "precision_bits": b.prec,
            "critical_point": {
                "center": c_center,
                "radius": b.radius,
                "classification": b.proof.verdict.name(),
                "loss": interval_json(&b.proof.loss, digits),
            },
            "arc": {
                "component": {"kind": self.dir.axis.kind.name(), "block": block_json(self.dir.axis.kind)},
                "splits": splits,
                "isotropy": fine.int_sizes(),
                "eigenvalue_index": self.dir.index,
                "direction": self.dir.sign.symbol(),
                "mirror_pair": self.dir.mirror_pair,
            },
            "r": self.proof.r,
            "center": {"theta": theta, "mu": self.proof.center[n]},
            "radius": self.proof.radius,
            "statement": statement_text(fine, self.proof.kind, b.prec),
            "mu": interval_json(&self.proof.mu, digits),
            "loss": interval_json(&self.proof.loss, digits),
            "type": self.proof.kind.name(),
            "reason": self.proof.reason,
        })
    }

    /// Exact: the file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = serde_json::to_string_pretty(&self.to_json()).expect("JSON serializes");
        s.push('\n');
        s.into_bytes()
    }
}

/// Exact: the `statement` of a tangency-point certificate (a function of the fine
/// partition, the proved type and the precision; `verify` regenerates and compares it).
pub fn statement_text(fine: &Partition, kind: ArcType, prec: u32) -> String {
    let what = match kind {
        ArcType::Min => "strict local minimum",
        ArcType::Max => "strict local maximum",
        ArcType::Saddle => "saddle point",
        ArcType::Inconclusive => "point of undecided type",
    };
    format!(
        "The critical point C of critical_point exists (re-proved from its center and radius). In the fixed space of partition [{}] there is exactly one point W with grad L(W) = mu (W - C) and |W - C|_F = r whose parameters and mu lie within radius of center; mu and L(W) lie in the enclosures below, and L restricted to the sphere S(C, r) has a {what} at W. Computed in {prec}-bit interval arithmetic with outward rounding.",
        fine.label()
    )
}

fn bad(path: &str, why: impl AsRef<str>) -> Error {
    Error::malformed(path, why)
}

fn keys(v: &Value, what: &str, required: &[&str], optional: &[&str], path: &str) -> Result<()> {
    crate::certificate::strict_json::expect_keys(v, what, required, optional)
        .map_err(|e| bad(path, e))
}

/// The arc a tangency certificate names, as read from its `arc` object.
struct StoredArc {
    axis: Axis,
    isotropy: Vec<u64>,
    index: usize,
    sign: Sign,
    mirror_pair: bool,
}

fn read_arc(arc: &Value, part: &Partition, path: &str) -> Result<StoredArc> {
    keys(
        arc,
        "arc",
        &[
            "component",
            "splits",
            "isotropy",
            "eigenvalue_index",
            "direction",
            "mirror_pair",
        ],
        &[],
        path,
    )?;
    let comp = &arc["component"];
    keys(comp, "arc.component", &["kind", "block"], &[], path)?;
    let kind = critical_point::stored_kind(comp, "arc.component", part.r(), path)?;
    let splits_v = arc["splits"]
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| bad(path, "'arc.splits' must be a non-empty array"))?;
    let mut splits: Vec<(usize, Vec<f64>)> = Vec::new();
    for s in splits_v {
        keys(s, "arc.splits[]", &["block", "parts"], &[], path)?;
        let b = s["block"]
            .as_u64()
            .filter(|&b| b >= 1 && b as usize <= part.r())
            .ok_or_else(|| bad(path, "a split's block is not a block number"))?
            as usize;
        let parts: Vec<f64> = s["parts"]
            .as_array()
            .and_then(|a| {
                a.iter()
                    .map(|x| x.as_u64().filter(|&p| p > 0).map(|p| p as f64))
                    .collect::<Option<_>>()
            })
            .ok_or_else(|| bad(path, "a split's parts must be positive integers"))?;
        if parts.len() < 2
            || parts.iter().sum::<f64>() != part.sizes()[b - 1]
            || splits.iter().any(|(a, _)| *a == b - 1)
        {
            return Err(bad(
                path,
                "a split does not divide its block (at least two parts summing to the block, each block split once)",
            ));
        }
        splits.push((b - 1, parts));
    }
    let isotropy: Vec<u64> = arc["isotropy"]
        .as_array()
        .and_then(|a| a.iter().map(Value::as_u64).collect::<Option<_>>())
        .ok_or_else(|| bad(path, "'arc.isotropy' must be an array of block sizes"))?;
    let index = critical_point::stored_count(arc, "eigenvalue_index", path)? as usize;
    let sign = match arc["direction"].as_str() {
        Some("+") => Sign::Plus,
        Some("-") => Sign::Minus,
        _ => return Err(bad(path, "'arc.direction' must be \"+\" or \"-\"")),
    };
    let mirror_pair = arc["mirror_pair"]
        .as_bool()
        .ok_or_else(|| bad(path, "'arc.mirror_pair' must be true or false"))?;
    Ok(StoredArc {
        axis: Axis { kind, splits },
        isotropy,
        index,
        sign,
        mirror_pair,
    })
}

/// Encloses: read a tangency-point certificate and re-derive it: `Err` for malformed files (exit
/// 2), otherwise the verdict (see [`Status`]).
pub fn verify_text(text: &str, path: &str) -> Result<Status> {
    let v: Value = crate::certificate::strict_json::parse(text)
        .map_err(|e| bad(path, format!("not JSON ({e})")))?;
    keys(
        &v,
        "certificate",
        &critical_point::HEADER_KEYS
            .iter()
            .chain(&[
                "critical_point",
                "arc",
                "r",
                "center",
                "radius",
                "statement",
                "mu",
                "loss",
                "type",
                "reason",
            ])
            .copied()
            .collect::<Vec<&str>>(),
        &[],
        path,
    )?;
    let cp = &v["critical_point"];
    keys(
        cp,
        "critical_point",
        &["center", "radius", "classification", "loss"],
        &[],
        path,
    )?;
    let point = critical_point::parse_point(&v, cp, "tangency_point", path)?;
    let base_loss = critical_point::stored_interval(cp, "loss", path)?;
    let base_class: crate::prove::critical_point::VerdictKind =
        critical_point::stored_string(cp, "classification", path)?
            .parse()
            .map_err(|e: String| bad(path, e))?;
    let part: IntegerPartition = point.partition.clone();
    let arc = read_arc(&v["arc"], &part, path)?;
    keys(&v["center"], "center", &["theta", "mu"], &[], path)?;
    let statement = critical_point::stored_string(&v, "statement", path)?;
    let type_claim = critical_point::stored_string(&v, "type", path)?;
    let type_claim: ArcType = type_claim.parse().map_err(|e: String| bad(path, e))?;
    let reason = critical_point::stored_string(&v, "reason", path)?;
    if !arc.axis.admissible(&part) {
        return Ok(Status::Refuted(format!(
            "arc.splits: not an axial split of the component {}",
            arc.axis.kind.label()
        )));
    }
    let Some(refinement) = arc.axis.refinement(&part) else {
        return Ok(Status::Refuted(
            "arc: a tangency arc needs a refinement (the trivial component has none)".into(),
        ));
    };
    if Some(arc.isotropy.clone()) != refinement.fine.int_sizes() {
        return Ok(Status::Refuted(
            "arc.isotropy: not the partition the splits define".into(),
        ));
    }
    if arc.mirror_pair != arc.axis.negation_symmetric() {
        return Ok(Status::Refuted(format!(
            "arc.mirror_pair: the isotropy {} map the direction to its negative",
            if arc.axis.negation_symmetric() {
                "does"
            } else {
                "does not"
            }
        )));
    }
    let fine = refinement.fine.clone();
    if statement != statement_text(&fine, type_claim, point.prec) {
        return Ok(Status::Refuted(
            "statement: not the statement this certificate's data make".into(),
        ));
    }
    verify_in(
        &v,
        &part,
        &refinement,
        &arc,
        (&point, &base_loss, base_class, type_claim),
        &reason,
        path,
    )
}

/// Exact: the reason a tangency certificate must give for its type: refuted when it is
/// not the text the type implies (for a saddle: `positive on P, negative on N` with `P`, `N`
/// components of the isotropy); inconclusive when a saddle names components other than
/// the ones the re-proof found (`proved` is the re-proof's reason).
fn check_reason(fine: &Partition, claim: ArcType, reason: &str, proved: &str) -> Option<Status> {
    let refuted = |why: &str| {
        Some(Status::Refuted(format!(
            "reason: not the reason a {} type states ({why})",
            claim.name()
        )))
    };
    match claim {
        ArcType::Min | ArcType::Max => {
            let word = if claim == ArcType::Min {
                "positive"
            } else {
                "negative"
            };
            let want = format!("H - mu I {word} definite on the tangent space");
            (reason != want)
                .then(|| refuted(&format!("expected \"{want}\"")))
                .flatten()
        }
        ArcType::Saddle => {
            let named = reason
                .strip_prefix("H - mu I takes both signs on the tangent space (positive on ")
                .and_then(|t| t.strip_suffix(')'))
                .and_then(|t| t.split_once(", negative on "));
            let labels: Vec<String> = crate::symmetry::components::components(fine)
                .map(|cs| cs.iter().map(|c| c.kind.label()).collect())
                .unwrap_or_default();
            match named {
                Some((p, n)) if labels.iter().any(|l| l == p) && labels.iter().any(|l| l == n) => {
                    (reason != proved).then(|| {
                        Status::Inconclusive(
                            "reason: the re-proof found the two signs on other components".into(),
                        )
                    })
                }
                _ => refuted("expected \"H - mu I takes both signs on the tangent space (positive on P, negative on N)\" naming two components"),
            }
        }
        ArcType::Inconclusive => None,
    }
}

type BaseClaims<'a> = (
    &'a critical_point::PointData,
    &'a critical_point::StoredInterval,
    crate::prove::critical_point::VerdictKind,
    ArcType,
);

fn verify_in(
    v: &Value,
    part: &IntegerPartition,
    refinement: &crate::model::partition::Refinement,
    arc: &StoredArc,
    (point, base_loss, base_class, type_claim): BaseClaims,
    reason: &str,
    path: &str,
) -> Result<Status> {
    let prec = point.prec;
    let fine = &refinement.fine;
    let center = &v["center"];
    let theta_obj = center["theta"]
        .as_object()
        .ok_or_else(|| bad(path, "'center.theta' must be an object"))?;
    if theta_obj.len() != fine.dim() {
        return Err(bad(
            path,
            "'center.theta' must hold exactly the fixed space's coordinates",
        ));
    }
    let mut z = Vec::with_capacity(fine.dim() + 1);
    for &p in fine.params() {
        let name = fine.name(p);
        let s = theta_obj
            .get(&name)
            .and_then(Value::as_str)
            .ok_or_else(|| bad(path, format!("'center.theta' lacks '{name}'")))?;
        z.push(critical_point::certificate_decimal(s).ok_or_else(|| {
            bad(
                path,
                format!("center.theta.{name} '{s}' is not a decimal number (ASCII digits, at most {} characters, exponent within +-{})", critical_point::MAX_DECIMAL_CHARS, critical_point::MAX_DECIMAL_EXPONENT),
            )
        })?);
    }
    z.push(critical_point::stored_rational(center, "mu", path)?);
    let radius = critical_point::stored_rational(v, "radius", path)?;
    let r = critical_point::stored_rational(v, "r", path)?;
    if radius <= 0 || r <= 0 {
        return Err(bad(path, "'radius' and 'r' must be positive"));
    }
    let mu_claim = critical_point::stored_interval(v, "mu", path)?;
    let loss_claim = critical_point::stored_interval(v, "loss", path)?;
    // Re-prove the critical point, then the tangency point.
    let base = match prove(part, &point.center, &point.radius, prec) {
        Ok(p) => p,
        Err(e) => return Ok(Status::Inconclusive(format!("critical point: {e}"))),
    };
    if let Err(st) = crate::certificate::verify::check_family(
        point.family,
        part,
        prec,
        &point.center,
        &point.radius,
    ) {
        return Ok(st);
    }
    if base_class == crate::prove::critical_point::VerdictKind::Inconclusive {
        return Ok(Status::Inconclusive(
            "critical_point.classification: the file states inconclusive (it certifies no classification)".into(),
        ));
    }
    if base.verdict.kind() != base_class {
        return Ok(Status::Refuted(format!(
            "critical_point.classification: the proof gives {}",
            base.verdict.name()
        )));
    }
    if let Some(st) = relation_status(
        base_loss.relation(&base.loss),
        "critical_point.loss",
        &base.loss,
    ) {
        return Ok(st);
    }
    let c_box = refinement.embed(&base.krawczyk_box);
    let t = match prove_tangency(
        &FixSpace::young(fine.clone()),
        &c_box,
        &z,
        &radius,
        &r,
        prec,
    ) {
        Ok(t) => t,
        Err(e) => return Ok(Status::Inconclusive(format!("tangency point: {e}"))),
    };
    if let Some(st) = relation_status(mu_claim.relation(&t.mu), "mu", &t.mu) {
        return Ok(st);
    }
    if let Some(st) = relation_status(loss_claim.relation(&t.loss), "loss", &t.loss) {
        return Ok(st);
    }
    if type_claim == ArcType::Inconclusive {
        return Ok(Status::Inconclusive(format!(
            "type: the file states inconclusive (it certifies no type; the proof gives {})",
            t.kind.name()
        )));
    }
    if t.kind != type_claim {
        let msg = format!(
            "type: the file says {}, the proof gives {}",
            type_claim.name(),
            t.kind.name()
        );
        return Ok(if t.kind == ArcType::Inconclusive {
            Status::Inconclusive(msg)
        } else {
            Status::Refuted(msg)
        });
    }
    if let Some(st) = check_reason(fine, type_claim, reason, &t.reason) {
        return Ok(st);
    }
    // The arc: re-derive its direction at the re-proved critical point.
    let decimal = |t: &String| crate::arith::decimal::Decimal::parse(t).expect("validated");
    let cert = Certificate {
        family: point.family,
        partition: part.clone(),
        prec,
        center: point.center_text.iter().map(decimal).collect(),
        radius: decimal(&point.radius_text),
        proof: base,
    };
    let Some(base) = Base::new(&cert) else {
        return Ok(Status::Inconclusive(
            "arc: the critical point's center".into(),
        ));
    };
    let axis = arc.axis.clone();
    let kind = axis.kind;
    let dirs = enumerate_on(&base, &|k| {
        if k == kind {
            vec![axis.clone().into()]
        } else {
            vec![]
        }
    });
    let Some(dir) = dirs
        .iter()
        .find(|d| d.index == arc.index && d.sign == arc.sign)
    else {
        return Ok(Status::Refuted(format!(
            "arc: no admissible direction with eigenvalue_index {} and direction {}",
            arc.index,
            arc.sign.symbol()
        )));
    };
    Ok(check_side(fine, &z, &radius, &c_box, dir, &dirs, prec))
}

/// The certified displacement `W - C` lies on the stated side of the stated eigenvector,
/// and along it more than along any other eigenvector of the block on that axis.
fn check_side(
    fine: &Partition,
    z: &[rug::Rational],
    radius: &rug::Rational,
    c_box: &[Interval],
    dir: &ArcDirection,
    dirs: &[ArcDirection],
    prec: u32,
) -> Status {
    let rad = Interval::from_rational(prec, radius);
    let w = fine.weights(&rad);
    let delta: Vec<Interval> = (0..fine.dim())
        .map(|p| Interval::from_rational(prec, &z[p]).inflate(rad.hi()) - c_box[p].clone())
        .collect();
    // The component of the displacement along an exact float vector (the approximate
    // eigenvector as stored); `None` if the vector is not finite.
    let along = |u: &[crate::arith::Mpfr]| -> Option<Interval> {
        let mut acc = rad.cst(0.0);
        for p in 0..fine.dim() {
            let up = Interval::from_float(prec, &u[p].0)?;
            acc = acc + w[p].clone() * delta[p].clone() * up;
        }
        Some(acc)
    };
    let Some(s) = along(&dir.u) else {
        return Status::Inconclusive("arc.direction: the eigenvector is not finite".into());
    };
    if s.is_negative() {
        return Status::Refuted(format!(
            "arc.direction: the point lies on the {} side of the eigenvector",
            if dir.sign == Sign::Plus { "-" } else { "+" }
        ));
    }
    if !s.is_positive() {
        return Status::Inconclusive("arc.direction: the side is not decided".into());
    }
    for other in dirs
        .iter()
        .filter(|o| o.index != dir.index && o.sign == Sign::Plus)
    {
        let Some(t) = along(&other.u).map(|t| t.abs()) else {
            return Status::Inconclusive(
                "arc.eigenvalue_index: an eigenvector is not finite".into(),
            );
        };
        if t.lo() > s.hi() {
            return Status::Refuted(format!(
                "arc.eigenvalue_index: the point lies closer to eigenvector {} of the block",
                other.index
            ));
        }
        if t.hi().partial_cmp(s.lo()) != Some(std::cmp::Ordering::Less) {
            return Status::Inconclusive("arc.eigenvalue_index: not decided".into());
        }
    }
    Status::Verified
}

fn relation_status(rel: Relation, what: &str, got: &Interval) -> Option<Status> {
    match rel {
        Relation::Proved => None,
        Relation::Refuted => Some(Status::Refuted(format!(
            "{what}: the stored interval excludes the proved enclosure {got}"
        ))),
        Relation::Undecided => Some(Status::Inconclusive(format!(
            "{what}: the proved enclosure {got} is not inside the stored interval"
        ))),
    }
}

/// Exact: the certificates of the tangency points of `results` proved to be of type `want` at
/// every radius (minimizing or maximizing arcs), each with a file name that says which
/// point it is: `<who>-d<d>-<component>-<isotropy>-<direction>-r<r>.json`.
pub fn point_certificates(
    cert: &Certificate,
    results: &[crate::arcs::ArcResult],
    want: ArcType,
) -> Vec<(String, ArcCertificate)> {
    let who = cert.family.map_or_else(
        || format!("P{}", cert.partition.label().replace(',', "_")),
        |f| f.name().to_string(),
    );
    let d = cert.partition.d() as u64;
    let mut out = Vec::new();
    for r in results {
        let proofs: Vec<&crate::arcs::tangency::TangencyProof> = r
            .certified
            .iter()
            .filter_map(|x| x.proof.as_ref().ok())
            .collect();
        // Files only for arcs whose every radius was certified, all of type `want`.
        if !r.all_radii_proved() || r.proved_type() != Some(want) {
            continue;
        }
        let comp = r.dir.axis.kind.name().replace(' ', "").replace(',', "_");
        let iso = r.dir.space.fine.label().replace(',', "_");
        let sign = if r.dir.mirror_pair {
            "pm"
        } else if r.dir.sign == Sign::Plus {
            "plus"
        } else {
            "minus"
        };
        for p in proofs {
            let name = format!(
                "{who}-d{d}-{comp}-{iso}-j{}-{sign}-r{}.json",
                r.dir.index, p.r
            );
            out.push((
                name,
                ArcCertificate {
                    base: cert.clone(),
                    dir: r.dir.clone(),
                    proof: p.clone(),
                },
            ));
        }
    }
    out
}
