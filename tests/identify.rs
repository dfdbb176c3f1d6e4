//! `relucert identify` through the binary: test matrices are made here (family points from
//! `relucert find`/`scan` expanded to dense matrices by the library, permuted, written with
//! npyz, csv or JSON), and what `identify` reports is compared with what was put in.

mod common;

use common::{num, relucert_os};
use npyz::WriterBuilder;
use relucert::model::partition::Partition;
use relucert::search::families::Family;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A small deterministic generator (splitmix64) for permutations and noise.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn gauss(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
    fn permutation(&mut self, d: usize) -> Vec<usize> {
        let mut p: Vec<usize> = (0..d).collect();
        for i in (1..d).rev() {
            p.swap(i, (self.next() % (i as u64 + 1)) as usize);
        }
        p
    }
}

/// Row-major dense matrix.
struct Dense {
    d: usize,
    w: Vec<f64>,
}

impl Dense {
    fn permuted(&self, rows: &[usize], cols: &[usize]) -> Dense {
        let d = self.d;
        Dense {
            d,
            w: (0..d * d)
                .map(|p| self.w[rows[p / d] * d + cols[p % d]])
                .collect(),
        }
    }
    fn transposed(&self) -> Dense {
        let d = self.d;
        Dense {
            d,
            w: (0..d * d).map(|p| self.w[(p % d) * d + p / d]).collect(),
        }
    }
}

/// The family's point from `relucert find --json`, expanded by the library.
fn family_matrix(family: Family, d: usize) -> (Dense, f64) {
    let v = common::json_ok(&[
        "find",
        "--family",
        &family.name(),
        "--d",
        &d.to_string(),
        "--json",
    ]);
    let part = family.partition(d as f64).unwrap();
    let vals: Vec<f64> = family
        .coordinates(&part)
        .iter()
        .map(|(n, _)| num(&v["coordinates"][n.as_str()]))
        .collect();
    let theta = family.to_layout(&part, &vals);
    (expand(&part, &theta), num(&v["loss"]))
}

fn expand(part: &Partition, theta: &[f64]) -> Dense {
    let full = part.embed(theta).unwrap();
    Dense {
        d: full.len(),
        w: full.into_iter().flatten().collect(),
    }
}

fn write_npy(path: &Path, shape: &[u64], data: &[f64], order: npyz::Order) {
    let mut out = Vec::new();
    {
        let mut w = npyz::WriteOptions::<f64>::new()
            .default_dtype()
            .shape(shape)
            .order(order)
            .writer(&mut out)
            .begin_nd()
            .unwrap();
        w.extend(data.iter().copied()).unwrap();
        w.finish().unwrap();
    }
    std::fs::write(path, out).unwrap();
}

fn write_npy_f32(path: &Path, shape: &[u64], data: &[f32]) {
    let mut out = Vec::new();
    {
        let mut w = npyz::WriteOptions::<f32>::new()
            .default_dtype()
            .shape(shape)
            .writer(&mut out)
            .begin_nd()
            .unwrap();
        w.extend(data.iter().copied()).unwrap();
        w.finish().unwrap();
    }
    std::fs::write(path, out).unwrap();
}

fn npy(dir: &Path, name: &str, m: &Dense) -> PathBuf {
    let p = dir.join(name);
    write_npy(&p, &[m.d as u64, m.d as u64], &m.w, npyz::Order::C);
    p
}

fn identify_json(args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["identify", "--json"];
    all.extend_from_slice(args);
    let (code, out, err) = relucert_os(&all);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, v, err)
}

fn lo_hi(v: &Value) -> (f64, f64) {
    (num(&v["lo"]), num(&v["hi"]))
}

/// Checks that `perm` brings `m` back to `orig` (the reported permutations are right).
fn permutation_undoes(m: &Dense, r: &Value, orig: &Dense) -> bool {
    let to_vec = |v: &Value| -> Vec<usize> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect()
    };
    let back = m.permuted(
        &to_vec(&r["neuron_permutation"]),
        &to_vec(&r["permutation"]),
    );
    back.w
        .iter()
        .zip(&orig.w)
        .all(|(a, b)| (a - b).abs() <= 1e-12)
}

#[test]
fn family_ii_at_d_50_permuted_is_named_and_certified_as_rows_and_as_columns() {
    let dir = tempfile::tempdir().unwrap();
    let (ii, loss) = family_matrix(Family::II, 50);
    let mut rng = Rng(7);
    let p = rng.permutation(50);
    let m = ii.permuted(&p, &p);
    let rows = npy(dir.path(), "ii.npy", &m);
    let cols = npy(dir.path(), "ii_t.npy", &m.transposed());
    for (file, conv) in [(&rows, "rows"), (&cols, "columns")] {
        let f = file.to_str().unwrap();
        let (code, v, err) = identify_json(&[f, "--neurons", conv]);
        assert_eq!(code, 0, "{err}");
        let r = &v[0];
        assert_eq!(r["neurons"], conv);
        assert_eq!(r["name"], "II");
        assert_eq!(r["flip"], 49);
        assert_eq!(r["partition"], serde_json::json!([49, 1]));
        assert_eq!(r["classification"], "strict_local_minimum");
        assert_eq!(r["status"], "certified");
        let (lo, hi) = lo_hi(&r["loss"]);
        assert!(
            lo <= loss + 1e-12 && loss - 1e-12 <= hi,
            "find's loss {loss} in [{lo}, {hi}]"
        );
        // The input was the f64 family point: it is within rounding of the certified one.
        let (_, dhi) = lo_hi(&r["distance"]);
        assert!(dhi < 1e-10, "distance {dhi}");
        assert!(
            permutation_undoes(&m, r, &ii),
            "the reported permutation sorts the input"
        );
    }
    // The text output states the convention.
    let (code, out, _) = relucert_os(["identify", cols.to_str().unwrap(), "--neurons", "columns"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("neurons as columns") && out.contains(": II, certified"),
        "{out}"
    );
    // Read with the wrong convention, the transposed matrix is not family II.
    let (_, v, _) = identify_json(&[cols.to_str().unwrap()]);
    assert_ne!(v[0]["name"], "II");
}

#[test]
fn a_row_permutation_alone_is_undone_and_family_i_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (i, _) = family_matrix(Family::I, 12);
    let mut rng = Rng(3);
    let (pr, pc) = (rng.permutation(12), rng.permutation(12));
    let m = i.permuted(&pr, &pc);
    let f = npy(dir.path(), "i.npy", &m);
    let (code, v, err) = identify_json(&[f.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v[0]["name"], "I");
    assert_eq!(v[0]["flip"], 1);
    assert!(permutation_undoes(&m, &v[0], &i));
}

#[test]
fn a_permuted_identity_is_the_global_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let d = 20;
    let p = Rng(11).permutation(d);
    let m = Dense {
        d,
        w: (0..d * d)
            .map(|k| if p[k / d] == k % d { 1.0 } else { 0.0 })
            .collect(),
    };
    let f = npy(dir.path(), "perm.npy", &m);
    let (code, v, _) = identify_json(&[f.to_str().unwrap()]);
    assert_eq!(code, 0);
    let r = &v[0];
    assert_eq!(r["name"], "global minimum");
    assert_eq!(r["classification"], "global_minimum");
    assert_eq!(r["loss"], serde_json::json!({"lo": "0", "hi": "0"}));
    assert!(r["reason"].as_str().unwrap().contains("non-smooth"));
    assert_eq!(lo_hi(&r["distance"]), (0.0, 0.0));
    // -o writes nothing for it (there is no box to re-prove).
    let out = dir.path().join("c.json");
    let (code, text, _) =
        relucert_os(["identify", f.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(text.contains("global minimum") && text.contains("loss = 0 exactly"));
    assert!(!out.exists());
}

#[test]
fn a_random_gaussian_matrix_is_refused_without_a_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(5);
    for d in [5usize, 30] {
        let m = Dense {
            d,
            w: (0..d * d)
                .map(|_| rng.gauss() / (d as f64).sqrt())
                .collect(),
        };
        let f = npy(dir.path(), &format!("g{d}.npy"), &m);
        let out = dir.path().join(format!("g{d}.cert.json"));
        let (code, text, err) =
            relucert_os(["identify", f.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(code, 3, "d = {d}: {text} {err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            err.contains("refused") || err.contains("not certified"),
            "{err}"
        );
        assert!(!out.exists(), "no certificate");
    }
}

#[test]
fn noise_of_1e_9_is_accepted_and_1e_3_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (ii, _) = family_matrix(Family::II, 20);
    let mut rng = Rng(9);
    let noisy = |eps: f64, rng: &mut Rng| Dense {
        d: 20,
        w: ii.w.iter().map(|x| x + eps * rng.gauss()).collect(),
    };
    let small = npy(dir.path(), "n9.npy", &noisy(1e-9, &mut rng));
    let (code, v, err) = identify_json(&[small.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v[0]["name"], "II");
    let (lo, hi) = lo_hi(&v[0]["distance"]);
    // 400 entries of noise 1e-9: a distance of about 2e-8.
    assert!(lo > 1e-9 && hi < 1e-6, "[{lo}, {hi}]");
    let big = npy(dir.path(), "n3.npy", &noisy(1e-3, &mut rng));
    let (code, v, _) = identify_json(&[big.to_str().unwrap()]);
    assert_eq!(code, 3);
    assert_eq!(v[0]["status"], "not_certified", "no symmetry at tol 1e-6");
    // With a tolerance wide enough to see the symmetry, the distance refuses it.
    let (code, v, err) = identify_json(&[big.to_str().unwrap(), "--tol", "1e-1"]);
    assert_eq!(code, 3, "{err}");
    assert_eq!(v[0]["status"], "too_far");
    assert_eq!(v[0]["partition"], serde_json::json!([19, 1]));
    assert!(v[0]["reason"].as_str().unwrap().contains("--max-distance"));
    // ... unless the user allows that distance.
    let (code, v, err) = identify_json(&[
        big.to_str().unwrap(),
        "--tol",
        "1e-1",
        "--max-distance",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    let (lo, hi) = lo_hi(&v[0]["distance"]);
    assert!(lo > 5e-3 && hi < 1.0, "[{lo}, {hi}]");
}

#[test]
fn bad_npy_files_are_refused_with_one_line_and_good_variants_read() {
    let dir = tempfile::tempdir().unwrap();
    let (ii, _) = family_matrix(Family::II, 10);
    let d = dir.path();
    let bad = |name: &str, want: &str| {
        let (code, out, err) = relucert_os(["identify", d.join(name).to_str().unwrap()]);
        assert_eq!(code, 2, "{name}: {out} {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(
            err.contains(want) && err.contains("accepted"),
            "{name}: {err}"
        );
    };
    write_npy(&d.join("rect.npy"), &[10, 9], &ii.w[..90], npyz::Order::C);
    bad("rect.npy", "not square");
    write_npy(&d.join("empty.npy"), &[0, 0], &[], npyz::Order::C);
    bad("empty.npy", "empty");
    let mut nan = ii.w.clone();
    nan[13] = f64::NAN;
    write_npy(&d.join("nan.npy"), &[10, 10], &nan, npyz::Order::C);
    bad("nan.npy", "entry (1, 3) is NaN");
    let full = npy(d, "full.npy", &ii);
    let bytes = std::fs::read(&full).unwrap();
    std::fs::write(d.join("trunc.npy"), &bytes[..bytes.len() - 40]).unwrap();
    bad("trunc.npy", "trunc.npy");
    std::fs::write(d.join("junk.npy"), b"not an npy file").unwrap();
    bad("junk.npy", "not a .npy file");
    write_npy(
        &d.join("small.npy"),
        &[2, 2],
        &[1.0, 0.0, 0.0, 1.0],
        npyz::Order::C,
    );
    bad("small.npy", "outside 3..2000");
    std::fs::write(d.join("m.txt"), b"1").unwrap();
    bad("m.txt", "unknown file type");
    // Fortran order: the same matrix written column-major is read as the same matrix.
    write_npy(
        &d.join("fortran.npy"),
        &[10, 10],
        &ii.transposed().w,
        npyz::Order::Fortran,
    );
    let f32s: Vec<f32> = ii.w.iter().map(|&x| x as f32).collect();
    write_npy_f32(&d.join("f32.npy"), &[10, 10], &f32s);
    for name in ["fortran.npy", "f32.npy"] {
        let (code, v, err) = identify_json(&[d.join(name).to_str().unwrap()]);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(v[0]["name"], "II", "{name}");
    }
    // float32 rounding moves the entries by about 1e-8: the distance says so.
    let (_, v, _) = identify_json(&[d.join("f32.npy").to_str().unwrap()]);
    assert!(lo_hi(&v[0]["distance"]).0 > 1e-9);
}

#[test]
fn csv_and_json_inputs_and_a_stack() {
    let dir = tempfile::tempdir().unwrap();
    let (ii, loss) = family_matrix(Family::IIsym, 8);
    let d = ii.d;
    let rows: Vec<Vec<f64>> = ii.w.chunks(d).map(<[f64]>::to_vec).collect();
    let json = dir.path().join("m.json");
    std::fs::write(&json, serde_json::to_string(&rows).unwrap()).unwrap();
    let csv = dir.path().join("m.csv");
    let mut w = csv::Writer::from_path(&csv).unwrap();
    for r in &rows {
        // Rust's shortest round-trip formatting: the f64 values are read back exactly.
        w.write_record(r.iter().map(|x| format!("{x:e}"))).unwrap();
    }
    w.flush().unwrap();
    // A stack: the IIsym point and family I at d = 8.
    let (i8, _) = family_matrix(Family::I, 8);
    let stack = dir.path().join("stack.npy");
    let both: Vec<f64> = ii.w.iter().chain(&i8.w).copied().collect();
    write_npy(&stack, &[2, 8, 8], &both, npyz::Order::C);
    let (code, v, err) = identify_json(&[
        json.to_str().unwrap(),
        csv.to_str().unwrap(),
        stack.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["IIsym", "IIsym", "IIsym", "I"]);
    assert!(v[2]["file"].as_str().unwrap().ends_with("stack.npy[0]"));
    for r in v.as_array().unwrap().iter().take(3) {
        let (lo, hi) = lo_hi(&r["loss"]);
        assert!(lo <= loss + 1e-12 && loss - 1e-12 <= hi);
    }
    // The text output ends with the summary table.
    let (_, out, _) = relucert_os(["identify", json.to_str().unwrap(), stack.to_str().unwrap()]);
    let table: Vec<&str> = out.lines().skip_while(|l| !l.starts_with("type")).collect();
    assert!(
        table[0].contains("count") && table[0].contains("min eigenvalue"),
        "{out}"
    );
    assert!(
        table
            .iter()
            .any(|l| l.starts_with("IIsym ") && l.contains("  2  ")),
        "{out}"
    );
    // A malformed CSV row.
    std::fs::write(dir.path().join("bad.csv"), "1,2,3\n4,5\n7,8,9\n").unwrap();
    let (code, _, err) = relucert_os(["identify", dir.path().join("bad.csv").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_three_block_point_from_scan_is_certified_in_its_own_space() {
    let dir = tempfile::tempdir().unwrap();
    let v = common::json_ok(&[
        "scan",
        "--partition",
        "6,1,1",
        "--starts",
        "40",
        "--seed",
        "1",
        "--json",
    ]);
    let part = Partition::from_sizes(&[6, 1, 1]).unwrap();
    // A point whose two singletons differ (X12 != X13): its symmetry is exactly 6,1,1.
    let pt = v["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            let c = &p["coordinates"];
            (num(&c["X12"]) - num(&c["X13"])).abs() > 1e-2
                && (num(&c["D2"]) - num(&c["D3"])).abs() > 1e-2
                && (num(&c["D1"]).abs() - 1.0).abs() > 1e-2
        })
        .expect("scan finds a three-block point");
    let theta: Vec<f64> = part
        .params()
        .iter()
        .map(|&p| num(&pt["coordinates"][part.name(p)]))
        .collect();
    let m = expand(&part, &theta);
    let p = Rng(13).permutation(8);
    let f = npy(dir.path(), "three.npy", &m.permuted(&p, &p));
    let cert = dir.path().join("three.cert.json");
    let (code, v, err) = identify_json(&[f.to_str().unwrap(), "-o", cert.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let r = &v[0];
    assert_eq!(r["partition"], serde_json::json!([6, 1, 1]));
    assert_eq!(r["name"], "unnamed");
    assert_eq!(r["classification"], pt["classification"]);
    let (lo, hi) = lo_hi(&r["loss"]);
    let loss = num(&pt["loss"]);
    assert!(lo <= loss + 1e-12 && loss - 1e-12 <= hi);
    // The certificate records the input and verifies.
    let c: Value = serde_json::from_str(&std::fs::read_to_string(&cert).unwrap()).unwrap();
    assert_eq!(c["input"]["neurons"], "rows");
    assert_eq!(c["input"]["permutation"], r["permutation"]);
    assert_eq!(c["input"]["sha256"].as_str().unwrap().len(), 64);
    let (code, out, err) = relucert_os(["verify", cert.to_str().unwrap()]);
    assert_eq!(code, 0, "{out} {err}");
    // A certificate whose input permutation is not a permutation is malformed.
    let mut broken = c.clone();
    broken["input"]["permutation"][0] = broken["input"]["permutation"][1].clone();
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, serde_json::to_string_pretty(&broken).unwrap()).unwrap();
    let (code, _, err) = relucert_os(["verify", bad.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("input.permutation"), "{err}");
}

#[test]
fn a_non_orthonormal_teacher_is_refused_and_an_orthonormal_one_reduces() {
    let dir = tempfile::tempdir().unwrap();
    let (ii, _) = family_matrix(Family::II, 6);
    let d = 6;
    // V: a permutation matrix with signs changed is orthonormal and exact in f64.
    let p = Rng(17).permutation(d);
    let v = Dense {
        d,
        w: (0..d * d)
            .map(|k| if p[k / d] == k % d { 1.0 } else { 0.0 })
            .collect(),
    };
    // The trained matrix for teacher V is W V (so that W V V^T = W).
    let wv = Dense {
        d,
        w: (0..d * d)
            .map(|k| {
                (0..d)
                    .map(|t| ii.w[(k / d) * d + t] * v.w[t * d + k % d])
                    .sum()
            })
            .collect(),
    };
    let (fw, fv) = (npy(dir.path(), "w.npy", &wv), npy(dir.path(), "v.npy", &v));
    let (code, r, err) = identify_json(&[fw.to_str().unwrap(), "--teacher", fv.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r[0]["name"], "II");
    let mut skew = v.w.clone();
    skew[0] += 0.5;
    let fs = npy(dir.path(), "skew.npy", &Dense { d, w: skew });
    let (code, _, err) = relucert_os([
        "identify",
        fw.to_str().unwrap(),
        "--teacher",
        fs.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1);
    assert!(err.contains("not orthonormal"), "{err}");
}

#[test]
fn certify_and_find_report_the_newton_step_and_honour_max_distance() {
    let dir = tempfile::tempdir().unwrap();
    // A rough start near family I at d = 10 (layout D1, O1, X12, D2, X21).
    let start = [1.0, -0.016, 0.18, -0.7, 0.13];
    let s = "1.0,-0.016,0.18,-0.7,0.13";
    let found = common::json_ok(&["find", "--partition", "9,1", "--start", s, "--json"]);
    // The step computed here from find's point: sqrt(sum_p N_p (theta_p - start_p)^2).
    let weights = [9.0, 72.0, 9.0, 1.0, 9.0];
    let names = ["D1", "O1", "X12", "D2", "X21"];
    let want: f64 = names
        .iter()
        .zip(&start)
        .zip(&weights)
        .map(|((n, s0), w)| w * (num(&found["coordinates"][*n]) - s0).powi(2))
        .sum::<f64>()
        .sqrt();
    assert!((num(&found["newton_step"]) - want).abs() < 1e-12 * want.max(1.0));
    let v = common::json_ok(&["certify", "--partition", "9,1", "--start", s, "--json"]);
    let (lo, hi) = lo_hi(&v["newton_step"]);
    assert!(
        lo <= want * (1.0 + 1e-9) && want * (1.0 - 1e-9) <= hi,
        "{want} in [{lo}, {hi}]"
    );
    // Refused below the step, with no certificate; accepted above it.
    let out = dir.path().join("c.json");
    let o = out.to_str().unwrap();
    let below = format!("{:e}", want / 2.0);
    let (code, _, err) = relucert_os([
        "certify",
        "--partition",
        "9,1",
        "--start",
        s,
        "--max-distance",
        &below,
        "-o",
        o,
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("refused") && err.contains("--max-distance"),
        "{err}"
    );
    assert!(!out.exists());
    let (code, _, _) = relucert_os([
        "find",
        "--partition",
        "9,1",
        "--start",
        s,
        "--max-distance",
        &below,
    ]);
    assert_eq!(code, 3);
    let above = format!("{:e}", want * 2.0);
    let (code, _, err) = relucert_os([
        "certify",
        "--partition",
        "9,1",
        "--start",
        s,
        "--max-distance",
        &above,
        "-o",
        o,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.exists());
    // --max-distance needs a start.
    let (code, _, err) = relucert_os([
        "certify",
        "--family",
        "I",
        "--d",
        "10",
        "--max-distance",
        "1",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("needs --partition and --start"), "{err}");
}

#[test]
fn an_npz_archive_is_a_stack_and_o_dir_writes_one_verified_certificate_each() {
    let dir = tempfile::tempdir().unwrap();
    let (i, _) = family_matrix(Family::I, 7);
    let (ii, _) = family_matrix(Family::II, 7);
    let path = dir.path().join("two.npz");
    {
        let file = std::fs::File::create(&path).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        for (name, m) in [("first", &i), ("second", &ii)] {
            let opts = zip::write::FileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file(format!("{name}.npy"), opts).unwrap();
            let mut buf = Vec::new();
            {
                let mut w = npyz::WriteOptions::<f64>::new()
                    .default_dtype()
                    .shape(&[7, 7])
                    .writer(&mut buf)
                    .begin_nd()
                    .unwrap();
                w.extend(m.w.iter().copied()).unwrap();
                w.finish().unwrap();
            }
            std::io::Write::write_all(&mut zip, &buf).unwrap();
        }
        zip.finish().unwrap();
    }
    let out = dir.path().join("certs");
    std::fs::create_dir(&out).unwrap();
    let (code, v, err) = identify_json(&[path.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["I", "II"]);
    assert!(v[1]["file"].as_str().unwrap().ends_with("two.npz:second"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    let mut args = vec!["verify".to_string()];
    args.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
    let (code, text, err) = relucert_os(&args);
    assert_eq!(code, 0, "{text} {err}");
    // The recorded digest is the file's.
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(std::fs::read(&path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let c: Value = serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(c["input"]["sha256"], digest.as_str());
    assert_eq!(c["family"], "I");
}
