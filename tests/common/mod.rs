//! Shared test helpers: the committed reference values of `tools/reference.py`.
#![allow(dead_code)]

use serde_json::Value;

/// The reference file produced by `tools/reference.py` (never by relucert).
pub fn reference() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/reference.json"
    ))
    .expect("tests/data/reference.json is committed");
    serde_json::from_str(&text).expect("reference.json parses")
}

/// The reference point of a family at d: (coordinates in family order, loss), as strings.
pub fn reference_point(family: &str, d: u64) -> Option<(Vec<(String, String)>, String)> {
    let r = reference();
    let p = r["points"].as_array()?.iter().find(|p| {
        p["family"].as_str() == Some(family) && p["d"].as_str() == Some(&d.to_string())
    })?;
    let coords = p["coordinates"]
        .as_object()?
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    Some((coords, p["loss"].as_str()?.to_string()))
}

/// The reference dense spectrum of a family at d: (value, multiplicity) pairs.
pub fn reference_spectrum(family: &str, d: u64) -> Option<Vec<(f64, usize)>> {
    let r = reference();
    let s = r["spectra"]
        .as_array()?
        .iter()
        .find(|s| s["family"].as_str() == Some(family) && s["d"].as_u64() == Some(d))?;
    Some(
        s["eigenvalues"]
            .as_array()?
            .iter()
            .map(|e| {
                (
                    e["value"].as_str().unwrap().parse().unwrap(),
                    e["multiplicity"].as_u64().unwrap() as usize,
                )
            })
            .collect(),
    )
}

/// Run the real binary: (exit code, stdout, stderr).
pub fn relucert(args: &[&str]) -> (i32, String, String) {
    relucert_os(args)
}

/// Run the real binary with path-like arguments: (exit code, stdout, stderr).
pub fn relucert_os<I, S>(args: I) -> (i32, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_relucert"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The binary's stdout for `args`, which must exit 0.
pub fn stdout_ok(args: &[&str]) -> String {
    let (code, out, err) = relucert(args);
    assert_eq!(code, 0, "{args:?} failed: {err}");
    out
}

/// The binary's JSON output for `args`, which must exit 0.
pub fn json_ok(args: &[&str]) -> Value {
    let out = stdout_ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: bad JSON ({e}): {out}"))
}

/// A decimal string of a JSON report as an f64.
pub fn num(v: &Value) -> f64 {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a decimal string, got {v}"))
}

/// A family's certificate at d (the test fails, naming it, when certification fails).
pub fn cert(family: relucert::Family, d: u64, prec: u32) -> relucert::Certificate {
    relucert::certify_family(family, d, prec)
        .unwrap_or_else(|e| panic!("{} d={d}: {e}", family.name()))
}
