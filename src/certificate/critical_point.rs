//! Certificate files: what a proof states, written deterministically, and read back with
//! validation.
//!
//! A certificate is a JSON object with a fixed key order and no timestamps (same input,
//! same bytes). Exact data (center, radius) are decimal strings denoting exact rationals;
//! enclosures are decimal strings rounded outward (lower end down, upper end up), so every
//! printed interval contains the proved one. Files are written by [`crate::output_file::write_file`],
//! so a reader never sees half a file.
//!
//! Keys: `format`, `format_version`, `relucert_version`, `kind` (`critical_point`),
//! `family` (or null), `d`, `partition`, `precision_bits`, `center` (name -> decimal),
//! `radius`, `statement`, `loss` {`lo`,`hi`}, `classification`, `index`, `reason` (when
//! inconclusive), `min_eigenvalue` {`lo`,`hi`,`kind`,`block`,`dimension`,`separated`,
//! `margin`}, `components` [{`kind`,`block`,`dimension`,`copies`,`positive_definite`,
//! `eigenvalues` [{`lo`,`hi`}]}], and, in files written by `identify`, `input`
//! ([`InputRecord`]: the matrix the point was identified from).

use crate::arith::{decimal, Interval};
use crate::error::{Error, Result};
use crate::model::partition::{IntegerPartition, Partition};
use crate::prove::critical_point::{Verdict, VerdictKind};
pub use crate::prove::Certificate;
use crate::search::families::Family;
use crate::symmetry::components::Kind;
use rug::Rational;
use serde_json::{json, Map, Value};
use std::path::Path;

/// Exact: the format name written in every certificate.
pub const FORMAT: &str = "relucert-certificate";
/// Exact: the format version.
pub const FORMAT_VERSION: u64 = 1;

/// Exact: significant digits of outward-rounded enclosures in files.
pub fn enclosure_digits(prec: u32) -> usize {
    (decimal::digits_for_prec(prec) - 2).min(40)
}

pub use crate::search::families::coordinate_names;

/// Exact: the `statement` of a critical-point certificate, a function of the partition and
/// the precision only (`verify` regenerates it and compares).
pub fn statement_text(part: &Partition, prec: u32) -> String {
    let d = part.d() as u64;
    format!(
        "The loss L on R^{{{d}x{d}}} has exactly one critical point W* in the block matrices of partition [{}] whose parameters lie within radius of center; the enclosures below hold at W*, computed in {prec}-bit interval arithmetic with outward rounding.",
        part.label()
    )
}

/// Exact: an enclosure as `{lo, hi}` decimal strings rounded outward.
pub fn interval_json(x: &Interval, digits: usize) -> Value {
    json!({"lo": x.lo_decimal(digits), "hi": x.hi_decimal(digits)})
}

/// Exact: a component's block as JSON (null, a 1-based block, or a pair).
pub fn block_json(kind: Kind) -> Value {
    let b: Vec<usize> = kind.blocks().iter().map(|b| b + 1).collect();
    match b.len() {
        0 => Value::Null,
        1 => json!(b[0]),
        _ => json!(b),
    }
}

impl Certificate {
    /// Exact: the certificate as a JSON value with a fixed key order.
    pub fn to_json(&self) -> Value {
        let digits = enclosure_digits(self.prec);
        let p = &self.proof;
        let part = &self.partition;
        let mut center = Map::new();
        for (name, i) in coordinate_names(self.family, part) {
            center.insert(name, json!(self.center[i]));
        }
        let d = part.d() as u64;
        let m = &p.min_eigenvalue;
        let mut v = json!({
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "relucert_version": env!("CARGO_PKG_VERSION"),
            "kind": "critical_point",
            "family": self.family.map(Family::name),
            "d": d,
            "partition": part.int_sizes().expect("integer partition"),
            "precision_bits": self.prec,
            "center": center,
            "radius": self.radius,
            "statement": statement_text(part, self.prec),
            "loss": interval_json(&p.loss, digits),
            "classification": p.verdict.name(),
            "index": p.verdict.index(),
        });
        if let Verdict::Inconclusive { reason } = &p.verdict {
            v["reason"] = json!(reason);
        }
        v["min_eigenvalue"] = json!({
            "lo": m.value.lo_decimal(digits),
            "hi": m.value.hi_decimal(digits),
            "kind": m.kind.name(),
            "block": block_json(m.kind),
            "dimension": m.dimension,
            "separated": m.separated,
            "margin": m.margin.as_ref().map(|x| interval_json(x, digits)),
        });
        v["components"] = Value::Array(
            p.components
                .iter()
                .map(|c| {
                    json!({
                        "kind": c.component.kind.name(),
                        "block": block_json(c.component.kind),
                        "dimension": c.component.dimension,
                        "copies": c.component.copies,
                        "positive_definite": c.positive_definite,
                        "eigenvalues": c.eigenvalues.iter().map(|e| interval_json(e, digits)).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        );
        v
    }

    /// Exact: the file's bytes (pretty JSON and a newline).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = serde_json::to_string_pretty(&self.to_json()).expect("JSON serializes");
        s.push('\n');
        s.into_bytes()
    }
}

/// A stored enclosure `[lo, hi]`, exact rationals from the file's decimal strings.
#[derive(Clone, Debug)]
pub struct StoredInterval {
    /// Exact: lower end.
    pub lo: Rational,
    /// Exact: upper end.
    pub hi: Rational,
}

/// How a recomputed enclosure relates to a stored claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// The recomputed enclosure lies inside the stored interval: the claim is proved.
    Proved,
    /// Disjoint: the claim is false.
    Refuted,
    /// Overlapping but not inside: not proved at this precision.
    Undecided,
}

impl StoredInterval {
    /// Exact: compare a recomputed enclosure with this stored claim.
    pub fn relation(&self, e: &Interval) -> Relation {
        if *e.lo() >= self.lo && *e.hi() <= self.hi {
            Relation::Proved
        } else if *e.hi() < self.lo || *e.lo() > self.hi {
            Relation::Refuted
        } else {
            Relation::Undecided
        }
    }
}

/// A stored component claim.
#[derive(Clone, Debug)]
pub struct StoredComponent {
    /// The component kind.
    pub kind: Kind,
    /// Exact: its dimension.
    pub dimension: u128,
    /// Exact: its number of copies.
    pub copies: usize,
    /// Whether the file claims positive definiteness.
    pub positive_definite: bool,
    /// The claimed eigenvalue enclosures.
    pub eigenvalues: Vec<StoredInterval>,
}

/// The claims about the smallest eigenvalue, as a file states them.
#[derive(Clone, Debug)]
pub struct StoredMinEigenvalue {
    /// Claimed enclosure.
    pub value: StoredInterval,
    /// Claimed component.
    pub kind: Kind,
    /// Claimed multiplicity.
    pub dimension: u128,
    /// Claimed separation from every other eigenvalue.
    pub separated: bool,
    /// Claimed margin (only with separation).
    pub margin: Option<StoredInterval>,
}

/// A certificate as read from a file (validated for form, not yet for truth).
#[derive(Clone, Debug)]
pub struct Stored {
    /// The problem and the exact box (family, partition, precision, centre, radius).
    pub point: PointData,
    /// Claimed loss enclosure.
    pub loss: StoredInterval,
    /// Claimed classification.
    pub classification: VerdictKind,
    /// Claimed index.
    pub index: Option<u128>,
    /// Claimed statement text.
    pub statement: String,
    /// Claimed smallest eigenvalue.
    pub min_eigenvalue: StoredMinEigenvalue,
    /// Claimed components.
    pub components: Vec<StoredComponent>,
    /// The input matrix the point was identified from (`identify -o`), when stated.
    pub input: Option<InputRecord>,
}

struct Reader<'a> {
    path: &'a str,
}

impl Reader<'_> {
    fn bad(&self, why: impl Into<String>) -> Error {
        Error::Malformed {
            path: self.path.to_string(),
            why: why.into(),
        }
    }
    fn field<'v>(&self, v: &'v Value, key: &str) -> Result<&'v Value> {
        v.get(key)
            .ok_or_else(|| self.bad(format!("missing key '{key}'")))
    }
    fn string(&self, v: &Value, key: &str) -> Result<String> {
        self.field(v, key)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| self.bad(format!("'{key}' must be a string")))
    }
    fn uint(&self, v: &Value, key: &str) -> Result<u128> {
        let f = self.field(v, key)?;
        match f {
            Value::Number(n) => n
                .to_string()
                .parse::<u128>()
                .map_err(|_| self.bad(format!("'{key}' must be a nonnegative integer"))),
            _ => Err(self.bad(format!("'{key}' must be a nonnegative integer"))),
        }
    }
    fn boolean(&self, v: &Value, key: &str) -> Result<bool> {
        self.field(v, key)?
            .as_bool()
            .ok_or_else(|| self.bad(format!("'{key}' must be true or false")))
    }
    fn rational(&self, s: &str, what: &str) -> Result<Rational> {
        decimal::parse_decimal(s)
            .ok_or_else(|| self.bad(format!("{what} '{s}' is not a decimal number")))
    }
    fn keys(&self, v: &Value, what: &str, required: &[&str], optional: &[&str]) -> Result<()> {
        crate::certificate::strict_json::expect_keys(v, what, required, optional)
            .map_err(|e| self.bad(e))
    }
    fn interval(&self, v: &Value, what: &str) -> Result<StoredInterval> {
        self.keys(v, what, &["lo", "hi"], &[])?;
        let lo = self.rational(&self.string(v, "lo")?, &format!("{what}.lo"))?;
        let hi = self.rational(&self.string(v, "hi")?, &format!("{what}.hi"))?;
        if lo > hi {
            return Err(self.bad(format!("{what}: lo > hi")));
        }
        Ok(StoredInterval { lo, hi })
    }
    fn block(&self, v: &Value, what: &str) -> Result<Vec<usize>> {
        match v.get("block") {
            Some(Value::Null) => Ok(vec![]),
            Some(Value::Number(n)) => Ok(vec![n
                .as_u64()
                .ok_or_else(|| self.bad(format!("{what}.block must be a block number")))?
                as usize]),
            Some(Value::Array(a)) => a
                .iter()
                .map(|x| x.as_u64().map(|b| b as usize))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| self.bad(format!("{what}.block must be block numbers"))),
            _ => Err(self.bad(format!("{what}: missing or bad 'block'"))),
        }
    }
    fn kind(&self, v: &Value, what: &str, r: usize) -> Result<Kind> {
        let name = self.string(v, "kind")?;
        let blocks = self.block(v, what)?;
        if blocks.iter().any(|&b| b == 0 || b > r) {
            return Err(self.bad(format!("{what}: block number out of range")));
        }
        Kind::from_name(&name, &blocks)
            .ok_or_else(|| self.bad(format!("{what}: unknown component '{name}'")))
    }
}

/// Exact: read and validate a certificate file's form (every field present and well typed).
pub fn read(path: &Path) -> Result<Stored> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(&shown, e))?;
    parse(&text, &shown)
}

/// The problem and the exact box of a critical point, as a file states them.
#[derive(Clone, Debug)]
pub struct PointData {
    /// The family, if any.
    pub family: Option<Family>,
    /// The partition.
    pub partition: IntegerPartition,
    /// Precision.
    pub prec: u32,
    /// Exact: the center in layout order.
    pub center: Vec<Rational>,
    /// Exact: the center as the file writes it (decimal strings, layout order).
    pub center_text: Vec<String>,
    /// Exact: the radius.
    pub radius: Rational,
    /// Exact: the radius as the file writes it.
    pub radius_text: String,
}

/// Exact: validate the header of a certificate of the given `kind` (`format`, `format_version`,
/// `kind`, `family`, `d`, `partition`, `precision_bits` in `v`) and a critical point's
/// `center` and `radius` (in `cp`: `v` itself for critical-point files).
pub fn parse_point(v: &Value, cp: &Value, kind: &str, path: &str) -> Result<PointData> {
    let rd = Reader { path };
    if rd.string(v, "format")? != FORMAT {
        return Err(rd.bad(format!("'format' is not '{FORMAT}'")));
    }
    if rd.uint(v, "format_version")? != FORMAT_VERSION as u128 {
        return Err(rd.bad(format!(
            "unsupported format_version (this relucert reads {FORMAT_VERSION})"
        )));
    }
    if rd.string(v, "kind")? != kind {
        return Err(rd.bad(format!("'kind' is not '{kind}'")));
    }
    let family = match rd.field(v, "family")? {
        Value::Null => None,
        Value::String(s) => {
            Some(Family::parse(s).ok_or_else(|| rd.bad(format!("unknown family '{s}'")))?)
        }
        _ => return Err(rd.bad("'family' must be a string or null")),
    };
    let sizes: Vec<u64> = rd
        .field(v, "partition")?
        .as_array()
        .and_then(|a| a.iter().map(Value::as_u64).collect::<Option<Vec<_>>>())
        .ok_or_else(|| rd.bad("'partition' must be an array of positive integers"))?;
    if sizes.is_empty() || sizes.contains(&0) || sizes.len() > 12 {
        return Err(rd.bad("'partition' must hold 1 to 12 positive integers"));
    }
    let d: u128 = sizes.iter().map(|&n| n as u128).sum();
    if d != rd.uint(v, "d")? || !(3..=1_000_000_000_000).contains(&d) {
        return Err(rd.bad("'d' must equal the sum of 'partition' and lie in 3..1e12"));
    }
    let partition =
        IntegerPartition::from_sizes(&sizes).ok_or_else(|| rd.bad("invalid partition"))?;
    if let Some(f) = family {
        if f.partition(d as f64)
            .is_none_or(|p| p.sizes() != partition.sizes())
        {
            return Err(rd.bad(format!(
                "family {} does not live in partition {}",
                f.name(),
                partition.label()
            )));
        }
    }
    let prec = rd.uint(v, "precision_bits")?;
    if !(64..=8192).contains(&prec) {
        return Err(rd.bad("'precision_bits' must lie in 64..8192"));
    }
    let center_obj = rd
        .field(cp, "center")?
        .as_object()
        .ok_or_else(|| rd.bad("'center' must be an object"))?;
    let names = coordinate_names(family, &partition);
    if center_obj.len() != names.len() {
        return Err(rd.bad(format!(
            "'center' must have exactly the coordinates {:?}",
            names.iter().map(|n| &n.0).collect::<Vec<_>>()
        )));
    }
    let mut center = vec![Rational::new(); partition.dim()];
    let mut center_text = vec![String::new(); partition.dim()];
    for (name, i) in &names {
        let s = center_obj
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| rd.bad(format!("'center' lacks coordinate '{name}' as a string")))?;
        center[*i] = rd.rational(s, &format!("center.{name}"))?;
        center_text[*i] = s.to_string();
    }
    let radius_text = rd.string(cp, "radius")?;
    let radius = rd.rational(&radius_text, "radius")?;
    if radius <= 0 {
        return Err(rd.bad("'radius' must be positive"));
    }
    Ok(PointData {
        family,
        partition,
        prec: prec as u32,
        center,
        center_text,
        radius_text,
        radius,
    })
}

/// Exact: a stored `{lo, hi}` enclosure under `key` of `v`, validated.
pub fn stored_interval(v: &Value, key: &str, path: &str) -> Result<StoredInterval> {
    let rd = Reader { path };
    rd.interval(rd.field(v, key)?, key)
}

/// Exact: a string field of `v`, validated.
pub fn stored_string(v: &Value, key: &str, path: &str) -> Result<String> {
    Reader { path }.string(v, key)
}

/// Exact: an exact decimal under `key` of `v`, validated.
pub fn stored_rational(v: &Value, key: &str, path: &str) -> Result<Rational> {
    let rd = Reader { path };
    rd.rational(&rd.string(v, key)?, key)
}

/// Exact: validate a certificate's text (see [`read`]); `path` only names it in errors.
pub fn parse(text: &str, path: &str) -> Result<Stored> {
    let rd = Reader { path };
    let v: Value = crate::certificate::strict_json::parse(text)
        .map_err(|e| rd.bad(format!("not JSON ({e})")))?;
    let keys: Vec<&str> = HEADER_KEYS.iter().chain(&CRITICAL_KEYS).copied().collect();
    rd.keys(&v, "certificate", &keys, &["reason", "input"])?;
    let statement = rd.string(&v, "statement")?;
    rd.string(&v, "relucert_version")?;
    let point = parse_point(&v, &v, "critical_point", path)?;
    let partition = &point.partition;
    let loss = rd.interval(rd.field(&v, "loss")?, "loss")?;
    let classification = rd.string(&v, "classification")?;
    let classification: VerdictKind = classification.parse().map_err(|e: String| rd.bad(e))?;
    let index = match rd.field(&v, "index")? {
        Value::Null => None,
        _ => Some(rd.uint(&v, "index")?),
    };
    let r = partition.r();
    let me = rd.field(&v, "min_eigenvalue")?;
    rd.keys(
        me,
        "min_eigenvalue",
        &[
            "lo",
            "hi",
            "kind",
            "block",
            "dimension",
            "separated",
            "margin",
        ],
        &[],
    )?;
    let margin = match me.get("margin") {
        None | Some(Value::Null) => None,
        Some(m) => Some(rd.interval(m, "min_eigenvalue.margin")?),
    };
    let interval_part = json!({"lo": me["lo"], "hi": me["hi"]});
    let min_eigenvalue = StoredMinEigenvalue {
        value: rd.interval(&interval_part, "min_eigenvalue")?,
        kind: rd.kind(me, "min_eigenvalue", r)?,
        dimension: rd.uint(me, "dimension")?,
        separated: rd.boolean(me, "separated")?,
        margin,
    };
    if v.get("reason").is_some() {
        rd.string(&v, "reason")?;
        if classification != VerdictKind::Inconclusive {
            return Err(rd.bad("'reason' belongs only to an inconclusive classification"));
        }
    }
    let comps = rd
        .field(&v, "components")?
        .as_array()
        .ok_or_else(|| rd.bad("'components' must be an array"))?;
    let mut components = Vec::with_capacity(comps.len());
    for (i, c) in comps.iter().enumerate() {
        let what = format!("components[{i}]");
        rd.keys(
            c,
            &what,
            &[
                "kind",
                "block",
                "dimension",
                "copies",
                "positive_definite",
                "eigenvalues",
            ],
            &[],
        )?;
        let eig = rd
            .field(c, "eigenvalues")?
            .as_array()
            .ok_or_else(|| rd.bad(format!("{what}.eigenvalues must be an array")))?;
        components.push(StoredComponent {
            kind: rd.kind(c, &what, r)?,
            dimension: rd.uint(c, "dimension")?,
            copies: rd.uint(c, "copies")? as usize,
            positive_definite: rd.boolean(c, "positive_definite")?,
            eigenvalues: eig
                .iter()
                .enumerate()
                .map(|(k, e)| rd.interval(e, &format!("{what}.eigenvalues[{k}]")))
                .collect::<Result<_>>()?,
        });
    }
    let input = match v.get("input") {
        None => None,
        Some(i) => Some(parse_input(i, partition.d_u64(), path)?),
    };
    Ok(Stored {
        point,
        loss,
        classification,
        index,
        statement,
        min_eigenvalue,
        components,
        input,
    })
}

/// Exact: the matrix a certificate of `identify` was made from: how its neurons were
/// read, the permutations that bring it to the certified point's block layout (row k of
/// the permuted matrix is input neuron `neuron_permutation[k]`, column l is input
/// coordinate `permutation[l]`), and the SHA-256 of the file (hex).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputRecord {
    /// Exact: the matrix's name (the file, with `[k]` or `:name` inside a stack).
    pub source: String,
    /// Exact: `rows` or `columns`.
    pub neurons: String,
    /// Exact: the coordinate (column) permutation, 0-based.
    pub permutation: Vec<usize>,
    /// Exact: the neuron (row) permutation, 0-based.
    pub neuron_permutation: Vec<usize>,
    /// Exact: the SHA-256 of the input file, 64 lowercase hex digits.
    pub sha256: String,
}

impl InputRecord {
    /// Exact: the `input` object of a certificate (fixed key order).
    pub fn to_json(&self) -> Value {
        json!({
            "source": self.source,
            "neurons": self.neurons,
            "permutation": self.permutation,
            "neuron_permutation": self.neuron_permutation,
            "sha256": self.sha256,
        })
    }
}

/// Exact: validate an `input` object (keys, `neurons` in rows/columns, both permutations
/// permutations of `0..d`, `sha256` 64 hex digits).
pub fn parse_input(v: &Value, d: u64, path: &str) -> Result<InputRecord> {
    let rd = Reader { path };
    rd.keys(
        v,
        "input",
        &[
            "source",
            "neurons",
            "permutation",
            "neuron_permutation",
            "sha256",
        ],
        &[],
    )?;
    let neurons = rd.string(v, "neurons")?;
    if neurons != "rows" && neurons != "columns" {
        return Err(rd.bad("input.neurons must be 'rows' or 'columns'"));
    }
    let perm = |key: &str| -> Result<Vec<usize>> {
        let p: Vec<usize> = rd
            .field(v, key)?
            .as_array()
            .and_then(|a| a.iter().map(|x| x.as_u64().map(|n| n as usize)).collect())
            .ok_or_else(|| rd.bad(format!("input.{key} must be an array of indices")))?;
        let mut seen = vec![false; p.len()];
        let ok = p.len() as u64 == d
            && p.iter()
                .all(|&i| i < seen.len() && !std::mem::replace(&mut seen[i], true));
        if !ok {
            return Err(rd.bad(format!("input.{key} is not a permutation of 0..{d}")));
        }
        Ok(p)
    };
    let sha256 = rd.string(v, "sha256")?;
    if sha256.len() != 64
        || !sha256
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(rd.bad("input.sha256 must be 64 lowercase hex digits"));
    }
    Ok(InputRecord {
        source: rd.string(v, "source")?,
        neurons,
        permutation: perm("permutation")?,
        neuron_permutation: perm("neuron_permutation")?,
        sha256,
    })
}

/// Exact: the header keys every certificate of either kind starts with.
pub const HEADER_KEYS: [&str; 8] = [
    "format",
    "format_version",
    "relucert_version",
    "kind",
    "family",
    "d",
    "partition",
    "precision_bits",
];

/// Exact: the keys a critical-point certificate has after the header (`reason` is
/// optional).
const CRITICAL_KEYS: [&str; 8] = [
    "center",
    "radius",
    "statement",
    "loss",
    "classification",
    "index",
    "min_eigenvalue",
    "components",
];
