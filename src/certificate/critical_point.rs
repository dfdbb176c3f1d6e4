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
//! `eigenvalues` \[{`lo`,`hi`}\]}\], and, in files written by `identify`, `input`
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

/// Exact: the largest certificate file that is read (16 MiB). The largest file relucert
/// writes (12 blocks at 8192 bits) is well under 1 MiB; a larger or endless input is
/// refused after reading at most this many bytes plus one.
pub const MAX_FILE_BYTES: u64 = 16 << 20;
/// Exact: the longest decimal string accepted in a certificate (a centre coordinate at
/// 8192 bits has about 2500 characters).
pub const MAX_DECIMAL_CHARS: usize = 10_000;
/// Exact: the largest decimal exponent magnitude accepted (`1e-10000` .. `1e10000`).
pub const MAX_DECIMAL_EXPONENT: u32 = 10_000;
/// Exact: the precisions a certificate may state (those `certify` writes).
pub const PRECISION_BITS: std::ops::RangeInclusive<u128> = 64..=8192;

/// Exact: the text of a certificate file, reading at most [`MAX_FILE_BYTES`] + 1 bytes
/// (an endless or huge input is refused, not read whole); `Err` when unreadable (I/O),
/// too large or not UTF-8 (malformed).
pub fn read_text(path: &Path) -> Result<String> {
    use std::io::Read;
    let shown = path.display().to_string();
    let too_large = || {
        Error::malformed(
            &shown,
            format!(
                "larger than the limit of {MAX_FILE_BYTES} bytes (16 MiB) for a certificate file"
            ),
        )
    };
    let file = std::fs::File::open(path).map_err(|e| Error::io(&shown, e))?;
    if let Ok(m) = file.metadata() {
        if m.is_file() && m.len() > MAX_FILE_BYTES {
            return Err(too_large());
        }
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(&shown, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| Error::malformed(&shown, "not UTF-8 text"))
}

/// Exact: the rational a certificate decimal denotes, or `None` when `s` is not one:
/// `[+-]? (D+ (. D*)? | . D+) ([eE] [+-]? D{1,5})?` with `D` an ASCII digit, no spaces,
/// at most [`MAX_DECIMAL_CHARS`] characters and an exponent of magnitude at most
/// [`MAX_DECIMAL_EXPONENT`].
pub fn certificate_decimal(s: &str) -> Option<Rational> {
    if s.len() > MAX_DECIMAL_CHARS || !s.is_ascii() {
        return None;
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let mant_ok = match mant.split_once('.') {
        Some((int, frac)) => {
            (digits(int) && (frac.is_empty() || digits(frac))) || (int.is_empty() && digits(frac))
        }
        None => digits(mant),
    };
    if !mant_ok {
        return None;
    }
    if let Some(e) = exp {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if !digits(e) || e.len() > 5 || e.parse::<u32>().ok()? > MAX_DECIMAL_EXPONENT {
            return None;
        }
    }
    decimal::parse_decimal(s)
}

/// Exact: whether `s` is a `relucert_version`: `X.Y.Z`, three decimal numbers without
/// leading zeros of at most 9 digits each (no suffix). The version names the writer; any
/// such version is accepted, since every claim is re-proved whatever wrote it.
pub fn is_version(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 9
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        })
}

/// Exact: the largest value of a count field of 64 bits (`copies`, block numbers, parts,
/// `eigenvalue_index`, isotropy sizes).
pub const MAX_COUNT: u128 = u64::MAX as u128;
/// Exact: the largest value of a multiplicity field (`dimension`, `index`: up to `d^2`).
pub const MAX_MULTIPLICITY: u128 = u128::MAX;

struct Reader<'a> {
    path: &'a str,
}

impl Reader<'_> {
    fn bad(&self, why: impl Into<String>) -> Error {
        Error::malformed(self.path, why.into())
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
    /// A JSON integer in `0..=max` (digits only: no sign, fraction or exponent).
    fn uint_max(&self, v: &Value, key: &str, max: u128) -> Result<u128> {
        let f = self.field(v, key)?;
        let n = match f {
            Value::Number(n) => n.to_string().parse::<u128>().ok(),
            _ => None,
        };
        n.filter(|&n| n <= max)
            .ok_or_else(|| self.bad(format!("'{key}' must be an integer in 0..={max}")))
    }
    fn uint(&self, v: &Value, key: &str) -> Result<u128> {
        self.uint_max(v, key, MAX_MULTIPLICITY)
    }
    fn boolean(&self, v: &Value, key: &str) -> Result<bool> {
        self.field(v, key)?
            .as_bool()
            .ok_or_else(|| self.bad(format!("'{key}' must be true or false")))
    }
    fn rational(&self, s: &str, what: &str) -> Result<Rational> {
        certificate_decimal(s).ok_or_else(|| {
            self.bad(format!(
                "{what} '{s}' is not a decimal number (ASCII digits, at most {MAX_DECIMAL_CHARS} characters, exponent within +-{MAX_DECIMAL_EXPONENT})"
            ))
        })
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
    /// A component `kind` with its `block`, written exactly as the writer writes it: null
    /// for `trivial`, one block number for `std`, `n-2,2`, `n-2,1,1`, a list of two for
    /// `std x std`, every block in `1..=r`.
    fn kind(&self, v: &Value, what: &str, r: usize) -> Result<Kind> {
        let name = self.string(v, "kind")?;
        let stored = self.field(v, "block")?;
        let blocks: Option<Vec<usize>> = match stored {
            Value::Null => Some(vec![]),
            Value::Number(n) => n.as_u64().map(|b| vec![b as usize]),
            Value::Array(a) => a
                .iter()
                .map(|x| x.as_u64().map(|b| b as usize))
                .collect::<Option<Vec<_>>>(),
            _ => None,
        };
        let blocks = blocks
            .filter(|b| b.iter().all(|&b| (1..=r).contains(&b)))
            .ok_or_else(|| {
                self.bad(format!(
                    "{what}.block must be null, a block number in 1..={r} or a list of them"
                ))
            })?;
        let kind = Kind::from_name(&name, &blocks).ok_or_else(|| {
            self.bad(format!(
                "{what}: unknown component '{name}' with {} blocks",
                blocks.len()
            ))
        })?;
        if block_json(kind) != *stored {
            return Err(self.bad(format!(
                "{what}.block must be written {} for component '{name}'",
                block_json(kind)
            )));
        }
        Ok(kind)
    }
}

/// Exact: read and validate a certificate file's form (every field present and well typed).
pub fn read(path: &Path) -> Result<Stored> {
    let text = read_text(path)?;
    parse(&text, &path.display().to_string())
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
    if rd.uint_max(v, "format_version", MAX_COUNT)? != FORMAT_VERSION as u128 {
        return Err(rd.bad(format!(
            "unsupported format_version (this relucert reads {FORMAT_VERSION})"
        )));
    }
    let version = rd.string(v, "relucert_version")?;
    if !is_version(&version) {
        return Err(rd.bad(format!(
            "relucert_version '{version}' is not a version X.Y.Z (three numbers without leading zeros)"
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
    let prec = rd.uint_max(v, "precision_bits", MAX_COUNT)?;
    if !PRECISION_BITS.contains(&prec) {
        return Err(rd.bad(format!(
            "'precision_bits' must lie in {}..={}",
            PRECISION_BITS.start(),
            PRECISION_BITS.end()
        )));
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

/// Exact: a component `kind` and its `block` in `v`, validated and written exactly as the
/// writer writes them (`r` blocks in the partition; `what` names the object in errors).
pub fn stored_kind(v: &Value, what: &str, r: usize, path: &str) -> Result<Kind> {
    Reader { path }.kind(v, what, r)
}

/// Exact: a count field of `v`: a JSON integer in `0..=`[`MAX_COUNT`].
pub fn stored_count(v: &Value, key: &str, path: &str) -> Result<u64> {
    Ok(Reader { path }.uint_max(v, key, MAX_COUNT)? as u64)
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
    rd.keys(&v, "certificate", &keys, &CRITICAL_OPTIONAL_KEYS)?;
    let statement = rd.string(&v, "statement")?;
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
    // `reason` says why nothing was decided: present exactly when inconclusive.
    match (v.get("reason"), classification) {
        (Some(_), VerdictKind::Inconclusive) => {
            rd.string(&v, "reason")?;
        }
        (Some(_), _) => {
            return Err(rd.bad("'reason' belongs only to an inconclusive classification"))
        }
        (None, VerdictKind::Inconclusive) => {
            return Err(rd.bad("an inconclusive classification needs its 'reason'"))
        }
        (None, _) => {}
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
            copies: rd.uint_max(c, "copies", MAX_COUNT)? as usize,
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

/// Exact: the optional keys of a critical-point certificate (`reason`: only, and always,
/// with an inconclusive classification; `input`: written by `identify -o`, see
/// [`InputRecord`]). A new optional object is added here and validated in [`parse`].
pub const CRITICAL_OPTIONAL_KEYS: [&str; 2] = ["reason", "input"];

/// Exact: the keys a critical-point certificate has after the header (the optional ones
/// are [`CRITICAL_OPTIONAL_KEYS`]).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_decimals_are_ascii_bounded_and_exact() {
        for (s, ok) in [
            ("1", true),
            ("-0.5", true),
            ("+.5e-3", true),
            ("1.", true),
            ("1e-10000", true),
            ("1e+10000", true),
            ("1e-10001", false),
            ("1e000001", false),
            ("", false),
            (".", false),
            ("e5", false),
            (" 1", false),
            ("1 ", false),
            ("\u{661}", false),
            ("1.\u{669}", false),
            ("0x10", false),
            ("1e", false),
            ("--1", false),
        ] {
            assert_eq!(certificate_decimal(s).is_some(), ok, "{s:?}");
        }
        let long = format!("0.{}", "1".repeat(MAX_DECIMAL_CHARS - 2));
        assert!(certificate_decimal(&long).is_some());
        assert!(certificate_decimal(&format!("{long}1")).is_none());
        assert_eq!(
            certificate_decimal("-1.25e-2").unwrap(),
            Rational::from((-1, 80))
        );
    }

    #[test]
    fn versions_are_three_numbers() {
        for (s, ok) in [
            ("0.1.0", true),
            ("99.0.0", true),
            ("123456789.0.1", true),
            ("1234567890.0.1", false),
            ("0.0.0-evil", false),
            ("1.2", false),
            ("01.2.3", false),
            ("1.2.3.4", false),
            ("1..3", false),
            ("", false),
        ] {
            assert_eq!(is_version(s), ok, "{s:?}");
        }
        assert!(is_version(env!("CARGO_PKG_VERSION")));
    }
}
