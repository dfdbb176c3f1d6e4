//! Reading weight matrices: `.npy` (2-D, or a 3-D stack `N x d x d`; float64 or float32;
//! C or Fortran order), `.npz` (every array in it, each 2-D or 3-D), `.csv` (one row per
//! line) and `.json` (an array of rows, or an array of such matrices). Parsing is done by
//! the `npyz`, `zip`, `csv` and `serde_json` crates; this module only checks shapes and
//! values and applies the neuron convention and the teacher.
//!
//! **Contract.** Every returned [`Matrix`] is square with `MIN_D <= d <= MAX_D`, holds only
//! finite values, and stores the input's f64 values *exactly* (a float32 value converts
//! to f64 exactly), neurons as rows. Anything else is an [`Error::BadInput`] naming the
//! file and what is accepted. Nothing here panics on user input.

use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

/// Exact: the smallest dimension accepted.
pub const MIN_D: usize = 3;
/// Exact: the largest dimension accepted per matrix (the symmetry search is O(d^2 log d)
/// per refinement round and the input itself is d^2 numbers).
pub const MAX_D: usize = 2000;

/// Which index of the input stands for the neurons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Neurons {
    /// Row i is neuron i's weight vector (relucert's own convention).
    Rows,
    /// Column i is neuron i's weight vector (the input is transposed on reading).
    Columns,
}

impl Neurons {
    /// Exact: the name printed in every output.
    pub fn name(self) -> &'static str {
        match self {
            Neurons::Rows => "rows",
            Neurons::Columns => "columns",
        }
    }
}

/// Exact: one d x d weight matrix, neurons as rows, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    /// Where it came from: the file, with `[k]` for the k-th matrix (0-based) of a stack
    /// and `:name` for an array of an `.npz`.
    pub source: String,
    /// The file it was read from.
    pub file: String,
    /// Exact: the dimension.
    pub d: usize,
    /// Exact: the entries, row-major (`entries[i * d + j]` = neuron i, input j).
    pub entries: Vec<f64>,
}

impl Matrix {
    /// Exact: entry (i, j).
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.entries[i * self.d + j]
    }

    /// Exact: the transpose.
    pub fn transposed(&self) -> Matrix {
        let d = self.d;
        let mut t = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..d {
                t[j * d + i] = self.entries[i * d + j];
            }
        }
        Matrix {
            entries: t,
            ..self.clone()
        }
    }
}

const ACCEPTED: &str = "a square d x d matrix of finite numbers, 3 <= d <= 2000, as .npy (float64 or float32, C or Fortran order; 3-D N x d x d for a stack), .npz, .csv (one row per line) or .json (an array of rows)";

fn bad(file: &str, problem: impl Into<String>) -> Error {
    Error::bad_input(file, problem, ACCEPTED)
}

/// An array as read: its shape and its values in C (row-major) order.
struct Array {
    shape: Vec<usize>,
    values: Vec<f64>,
}

/// Exact: every matrix in `path` (one for a 2-D array, N for a stack), neurons as rows
/// under the convention `neurons`.
pub fn read_matrices(path: &Path, neurons: Neurons) -> Result<Vec<Matrix>> {
    let file = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|e| Error::io(&file, e))?;
    let arrays: Vec<(String, Array)> = match ext.as_str() {
        "npy" => vec![(String::new(), read_npy(&bytes, &file)?)],
        "npz" => read_npz(&bytes, &file)?,
        "csv" => vec![(String::new(), read_csv(&bytes, &file)?)],
        "json" => vec![(String::new(), read_json(&bytes, &file)?)],
        _ => {
            return Err(bad(
                &file,
                format!("unknown file type '.{ext}' (the extension names the format)"),
            ))
        }
    };
    let mut out = Vec::new();
    for (name, a) in arrays {
        let label = if name.is_empty() {
            file.clone()
        } else {
            format!("{file}:{name}")
        };
        out.extend(split(&label, &file, a)?);
    }
    if out.is_empty() {
        return Err(bad(&file, "no matrix in the file"));
    }
    Ok(out
        .into_iter()
        .map(|m| match neurons {
            Neurons::Rows => m,
            Neurons::Columns => m.transposed(),
        })
        .collect())
}

/// Exact: the matrices of one array (2-D: one; 3-D: a stack), checked.
fn split(label: &str, file: &str, a: Array) -> Result<Vec<Matrix>> {
    let (n, rows, cols) = match a.shape.as_slice() {
        [r, c] => (1, *r, *c),
        [n, r, c] => (*n, *r, *c),
        s => {
            return Err(bad(
                label,
                format!("an array of {} dimensions (shape {s:?})", s.len()),
            ))
        }
    };
    if rows == 0 || cols == 0 || n == 0 {
        return Err(bad(label, format!("an empty array (shape {:?})", a.shape)));
    }
    if rows != cols {
        return Err(bad(label, format!("not square: {rows} x {cols}")));
    }
    let d = rows;
    if !(MIN_D..=MAX_D).contains(&d) {
        return Err(bad(label, format!("d = {d} is outside 3..2000")));
    }
    if a.values.len() != n * d * d {
        return Err(bad(label, "the data do not fill the shape"));
    }
    let stacked = a.shape.len() == 3;
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let source = if stacked {
            format!("{label}[{k}]")
        } else {
            label.to_string()
        };
        let entries = a.values[k * d * d..(k + 1) * d * d].to_vec();
        if let Some(pos) = entries.iter().position(|x| !x.is_finite()) {
            return Err(bad(
                &source,
                format!(
                    "entry ({}, {}) is {} (not a finite number)",
                    pos / d,
                    pos % d,
                    entries[pos]
                ),
            ));
        }
        out.push(Matrix {
            source,
            file: file.to_string(),
            d,
            entries,
        });
    }
    Ok(out)
}

fn read_npy(bytes: &[u8], label: &str) -> Result<Array> {
    let npy =
        npyz::NpyFile::new(bytes).map_err(|e| bad(label, format!("not a .npy file ({e})")))?;
    parse_npy(npy, label)
}

fn parse_npy<R: Read>(npy: npyz::NpyFile<R>, label: &str) -> Result<Array> {
    let shape: Vec<usize> = npy.shape().iter().map(|&n| n as usize).collect();
    let order = npy.order();
    let dtype = npy.dtype();
    let npyz::DType::Plain(ts) = &dtype else {
        return Err(bad(
            label,
            format!("dtype {} is not float64 or float32", dtype.descr()),
        ));
    };
    let float = ts.type_char() == npyz::TypeChar::Float;
    let values: Vec<f64> = match (float, ts.size_field()) {
        (true, 8) => npy
            .into_vec::<f64>()
            .map_err(|e| bad(label, format!("the data cannot be read ({e})")))?,
        // float32 -> float64 is exact.
        (true, 4) => npy
            .into_vec::<f32>()
            .map_err(|e| bad(label, format!("the data cannot be read ({e})")))?
            .into_iter()
            .map(f64::from)
            .collect(),
        _ => {
            return Err(bad(
                label,
                format!("dtype {} is not float64 or float32", dtype.descr()),
            ))
        }
    };
    let total: usize = shape.iter().product();
    if values.len() != total {
        return Err(bad(label, "truncated data"));
    }
    let values = match order {
        npyz::Order::C => values,
        npyz::Order::Fortran => fortran_to_c(&shape, &values),
    };
    Ok(Array { shape, values })
}

/// Exact: reorder column-major (Fortran) data to row-major.
fn fortran_to_c(shape: &[usize], f: &[f64]) -> Vec<f64> {
    let total: usize = shape.iter().product();
    let mut c = vec![0.0; total];
    let mut idx = vec![0usize; shape.len()];
    for (pos, slot) in c.iter_mut().enumerate() {
        // Multi-index of row-major position `pos`.
        let mut rest = pos;
        for k in (0..shape.len()).rev() {
            idx[k] = rest % shape[k];
            rest /= shape[k];
        }
        // Column-major offset of the same multi-index.
        let mut off = 0;
        let mut stride = 1;
        for k in 0..shape.len() {
            off += idx[k] * stride;
            stride *= shape[k];
        }
        *slot = f[off];
    }
    c
}

fn read_npz(bytes: &[u8], label: &str) -> Result<Vec<(String, Array)>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(label, format!("not a .npz archive ({e})")))?;
    let mut names: Vec<String> = zip
        .file_names()
        .filter(|n| n.ends_with(".npy"))
        .map(str::to_string)
        .collect();
    names.sort();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let entry = zip
            .by_name(&name)
            .map_err(|e| bad(label, format!("array {name}: {e}")))?;
        let shown = format!("{label}:{}", name.trim_end_matches(".npy"));
        let npy = npyz::NpyFile::new(entry)
            .map_err(|e| bad(&shown, format!("not a .npy array ({e})")))?;
        out.push((
            name.trim_end_matches(".npy").to_string(),
            parse_npy(npy, &shown)?,
        ));
    }
    Ok(out)
}

fn read_csv(bytes: &[u8], label: &str) -> Result<Array> {
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(bytes);
    let mut values = Vec::new();
    let mut rows = 0;
    let mut cols = None;
    for (i, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| bad(label, format!("line {}: {e}", i + 1)))?;
        if cols.is_some_and(|c| c != rec.len()) {
            return Err(bad(
                label,
                format!("row {} has {} entries", i + 1, rec.len()),
            ));
        }
        cols = Some(rec.len());
        for (j, field) in rec.iter().enumerate() {
            let x: f64 = field.parse().map_err(|_| {
                bad(
                    label,
                    format!(
                        "row {}, column {}: '{}' is not a number",
                        i + 1,
                        j + 1,
                        field
                    ),
                )
            })?;
            values.push(x);
        }
        rows += 1;
    }
    Ok(Array {
        shape: vec![rows, cols.unwrap_or(0)],
        values,
    })
}

fn read_json(bytes: &[u8], label: &str) -> Result<Array> {
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| bad(label, format!("not JSON ({e})")))?;
    let number = |x: &serde_json::Value| -> Result<f64> {
        // A JSON number as f64 (the decimal rounded to nearest, as any JSON reader does).
        match x {
            serde_json::Value::Number(n) => n
                .to_string()
                .parse::<f64>()
                .map_err(|_| bad(label, format!("'{n}' is not a number"))),
            other => Err(bad(label, format!("'{other}' is not a number"))),
        }
    };
    let rows_of = |m: &serde_json::Value| -> Result<(usize, usize, Vec<f64>)> {
        let rows = m
            .as_array()
            .ok_or_else(|| bad(label, "a matrix must be an array of rows"))?;
        let mut cols = None;
        let mut values = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let r = r
                .as_array()
                .ok_or_else(|| bad(label, format!("row {} is not an array", i + 1)))?;
            if cols.is_some_and(|c| c != r.len()) {
                return Err(bad(label, format!("row {} has {} entries", i + 1, r.len())));
            }
            cols = Some(r.len());
            for x in r {
                values.push(number(x)?);
            }
        }
        Ok((rows.len(), cols.unwrap_or(0), values))
    };
    let top = v
        .as_array()
        .ok_or_else(|| bad(label, "the top level must be an array of rows"))?;
    // An array of matrices (3 levels) is a stack.
    if top
        .first()
        .and_then(|r| r.as_array())
        .and_then(|r| r.first())
        .is_some_and(|x| x.is_array())
    {
        let mut values = Vec::new();
        let mut dims = None;
        for m in top {
            let (r, c, v) = rows_of(m)?;
            if dims.is_some_and(|x| x != (r, c)) {
                return Err(bad(label, "the matrices of the stack differ in shape"));
            }
            dims = Some((r, c));
            values.extend(v);
        }
        let (r, c) = dims.unwrap_or((0, 0));
        return Ok(Array {
            shape: vec![top.len(), r, c],
            values,
        });
    }
    let (r, c, values) = rows_of(&v)?;
    Ok(Array {
        shape: vec![r, c],
        values,
    })
}

/// Exact: the SHA-256 of a file's bytes, as lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    use sha2::Digest;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path.display(), e))?;
    let digest = sha2::Sha256::digest(&bytes);
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Exact: the largest tolerated deviation of `V V^T` from the identity, entrywise.
pub const TEACHER_TOL: f64 = 1e-10;

/// Approximate (f64, rounded to nearest): `W V^T` for an orthonormal teacher `V` (checked:
/// `|V V^T - I| <= TEACHER_TOL` entrywise, else bad input). The result is what is then
/// identified and certified; its entries are the f64 products, not `W V^T` exactly.
pub fn apply_teacher(m: &Matrix, v: &Matrix) -> Result<Matrix> {
    let d = m.d;
    if v.d != d {
        return Err(Error::bad_input(
            format!("--teacher {}", v.source),
            format!("V is {} x {}, W is {d} x {d}", v.d, v.d),
            "an orthonormal d x d teacher matrix of the same d",
        ));
    }
    for i in 0..d {
        for j in 0..d {
            let dot: f64 = (0..d).map(|k| v.at(i, k) * v.at(j, k)).sum();
            let want = if i == j { 1.0 } else { 0.0 };
            if (dot - want).abs() > TEACHER_TOL {
                return Err(Error::bad_input(
                    format!("--teacher {}", v.source),
                    format!(
                        "V is not orthonormal: (V V^T)[{i}][{j}] = {dot:e} (tolerance {TEACHER_TOL:e})"
                    ),
                    "an orthonormal d x d teacher matrix (rows orthonormal)",
                ));
            }
        }
    }
    let mut entries = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..d {
            entries[i * d + j] = (0..d).map(|k| m.at(i, k) * v.at(j, k)).sum();
        }
    }
    Ok(Matrix {
        entries,
        ..m.clone()
    })
}
