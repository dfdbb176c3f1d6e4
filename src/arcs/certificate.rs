//! Tangency-point certificates: one certified point of a tangency arc, written and
//! re-checked like a critical-point certificate.
//!
//! A file states: "the critical point C of the embedded critical-point certificate exists
//! (re-proved from its center and radius), and in the fixed space of the arc's isotropy
//! (the refinement `splits` of C's partition) there is exactly one tangency point at
//! radius `r` (`grad L = mu (W - C)`, `|W - C|_F = r`) within `radius` of `center`; `mu`
//! and the loss there lie in the stated enclosures; and L restricted to the sphere
//! `S(C, r)` has a strict local minimum / maximum / a saddle there (`type`)".
//! The arc's component, eigenvalue and sign say which arc the point lies on (how it was
//! found); they are checked for form, the statement does not depend on them.
//!
//! Keys: `format`, `format_version`, `relucert_version`, `kind` (`tangency_point`),
//! `family`, `d`, `partition`, `precision_bits`, `critical_point` {`center`, `radius`,
//! `classification`, `loss`}, `arc` {`component` {`kind`,`block`}, `splits`
//! [{`block`,`parts`}], `isotropy`, `eigenvalue_index`, `direction`, `mirror_pair`}, `r`,
//! `center` {`theta` (name -> decimal), `mu`}, `radius`, `statement`, `mu` {`lo`,`hi`},
//! `loss` {`lo`,`hi`}, `type`, `reason`.

use super::certify::{prove_tangency, TangencyProof};
use super::directions::ArcDirection;
use crate::arith::decimal;
use crate::certify::certificate::{
    self, block_json, coordinate_names, enclosure_digits, interval_json, Certificate, Relation,
};
use crate::certify::point::prove;
use crate::certify::verify::Status;
use crate::error::{Error, Result};
use crate::families::Family;
use crate::symmetry::components::{Axis, Kind};
use crate::symmetry::partition::Partition;
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
        let fine = &self.dir.fine;
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
            "format": certificate::FORMAT,
            "format_version": certificate::FORMAT_VERSION,
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
            "statement": format!(
                "The critical point C of critical_point exists (re-proved from its center and radius). In the fixed space of partition [{}] there is exactly one point W with grad L(W) = mu (W - C) and |W - C|_F = r whose parameters and mu lie within radius of center; mu and L(W) lie in the enclosures below, and L restricted to the sphere S(C, r) has a {} at W. Computed in {}-bit interval arithmetic with outward rounding.",
                fine.label(),
                match self.proof.kind.name() {
                    "min" => "strict local minimum",
                    "max" => "strict local maximum",
                    "saddle" => "saddle point",
                    _ => "point of undecided type",
                },
                b.prec
            ),
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

fn bad(path: &str, why: impl Into<String>) -> Error {
    Error::Malformed {
        path: path.to_string(),
        why: why.into(),
    }
}

/// Read a tangency-point certificate and re-derive it: `Err` for malformed files (exit
/// 2), otherwise the verdict (see [`Status`]).
pub fn verify_text(text: &str, path: &str) -> Result<Status> {
    let v: Value = serde_json::from_str(text).map_err(|e| bad(path, format!("not JSON ({e})")))?;
    let cp = v
        .get("critical_point")
        .ok_or_else(|| bad(path, "missing 'critical_point'"))?;
    let point = certificate::parse_point(&v, cp, "tangency_point", path)?;
    let base_loss = certificate::stored_interval(cp, "loss", path)?;
    let base_class = certificate::stored_string(cp, "classification", path)?;
    let part: Partition = point.partition.clone();
    // The arc's fixed space.
    let arc = v.get("arc").ok_or_else(|| bad(path, "missing 'arc'"))?;
    let comp = arc
        .get("component")
        .ok_or_else(|| bad(path, "missing 'arc.component'"))?;
    let blocks: Vec<usize> = match comp.get("block") {
        Some(Value::Null) => vec![],
        Some(Value::Number(n)) => {
            vec![n.as_u64().ok_or_else(|| bad(path, "bad arc block"))? as usize]
        }
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_u64().map(|b| b as usize))
            .collect::<Option<_>>()
            .ok_or_else(|| bad(path, "bad arc blocks"))?,
        _ => return Err(bad(path, "missing 'arc.component.block'")),
    };
    if blocks.iter().any(|&b| b == 0 || b > part.r()) {
        return Err(bad(path, "arc block out of range"));
    }
    let kind = Kind::from_name(&certificate::stored_string(comp, "kind", path)?, &blocks)
        .ok_or_else(|| bad(path, "unknown arc component"))?;
    let splits_v = arc
        .get("splits")
        .and_then(Value::as_array)
        .ok_or_else(|| bad(path, "'arc.splits' must be an array"))?;
    let mut splits = Vec::new();
    for s in splits_v {
        let b = s
            .get("block")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad(path, "bad split block"))? as usize;
        let parts: Vec<f64> = s
            .get("parts")
            .and_then(Value::as_array)
            .and_then(|a| {
                a.iter()
                    .map(|x| x.as_u64().filter(|&p| p > 0).map(|p| p as f64))
                    .collect::<Option<_>>()
            })
            .ok_or_else(|| bad(path, "bad split parts"))?;
        if b == 0
            || b > part.r()
            || parts.len() < 2
            || parts.iter().sum::<f64>() != part.sizes()[b - 1]
        {
            return Err(bad(path, "a split does not divide its block"));
        }
        splits.push((b - 1, parts));
    }
    let axis = Axis { kind, splits };
    let Some(refinement) = axis.refinement(&part) else {
        if !axis.splits.is_empty() || kind != Kind::Trivial {
            return Err(bad(path, "the splits do not define a refinement"));
        }
        return verify_in(&v, &part, None, (&point, &base_loss, &base_class), path);
    };
    let iso: Vec<u64> = arc
        .get("isotropy")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().map(Value::as_u64).collect::<Option<_>>())
        .ok_or_else(|| bad(path, "bad 'arc.isotropy'"))?;
    if Some(iso) != refinement.fine.int_sizes() {
        return Ok(Status::Refuted(
            "arc.isotropy: not the partition the splits define".into(),
        ));
    }
    verify_in(
        &v,
        &part,
        Some(&refinement),
        (&point, &base_loss, &base_class),
        path,
    )
}

fn verify_in(
    v: &Value,
    part: &Partition,
    refinement: Option<&crate::symmetry::partition::Refinement>,
    (point, base_loss, base_class): (&certificate::PointData, &certificate::StoredInterval, &str),
    path: &str,
) -> Result<Status> {
    let prec = point.prec;
    let fine = refinement.map_or_else(|| part.clone(), |r| r.fine.clone());
    let center = v
        .get("center")
        .ok_or_else(|| bad(path, "missing 'center'"))?;
    let theta_obj = center
        .get("theta")
        .and_then(Value::as_object)
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
        z.push(
            decimal::parse_decimal(s)
                .ok_or_else(|| bad(path, format!("center.theta.{name} is not a decimal")))?,
        );
    }
    z.push(certificate::stored_rational(center, "mu", path)?);
    let radius = certificate::stored_rational(v, "radius", path)?;
    let r = certificate::stored_rational(v, "r", path)?;
    if radius <= 0 || r <= 0 {
        return Err(bad(path, "'radius' and 'r' must be positive"));
    }
    let mu_claim = certificate::stored_interval(v, "mu", path)?;
    let loss_claim = certificate::stored_interval(v, "loss", path)?;
    let type_claim = certificate::stored_string(v, "type", path)?;
    let type_claim = type_claim.as_str();
    if !["min", "max", "saddle", "inconclusive"].contains(&type_claim) {
        return Err(bad(path, format!("unknown type '{type_claim}'")));
    }
    // Re-prove the critical point, then the tangency point.
    let base = match prove(part, &point.center, &point.radius, prec) {
        Ok(p) => p,
        Err(e) => return Ok(Status::Inconclusive(format!("critical point: {e}"))),
    };
    if base.verdict.name() != base_class {
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
    let c_box = refinement.map_or_else(|| base.k.clone(), |r| r.embed(&base.k));
    let t = match prove_tangency(&fine, &c_box, &z, &radius, &r, prec) {
        Ok(t) => t,
        Err(e) => return Ok(Status::Inconclusive(format!("tangency point: {e}"))),
    };
    if let Some(st) = relation_status(mu_claim.relation(&t.mu), "mu", &t.mu) {
        return Ok(st);
    }
    if let Some(st) = relation_status(loss_claim.relation(&t.loss), "loss", &t.loss) {
        return Ok(st);
    }
    if t.kind.name() != type_claim {
        let msg = format!(
            "type: the file says {type_claim}, the proof gives {}",
            t.kind.name()
        );
        return Ok(if t.kind.name() == "inconclusive" {
            Status::Inconclusive(msg)
        } else {
            Status::Refuted(msg)
        });
    }
    Ok(Status::Verified)
}

fn relation_status(rel: Relation, what: &str, got: &crate::arith::Interval) -> Option<Status> {
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
