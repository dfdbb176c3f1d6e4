//! Shared test helpers: the committed reference values of `tools/reference.py`, the binary
//! runner, and structural checks of the LaTeX, CSV and SVG outputs.
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

/// Whether a stderr line is a plain progress line (`relucert: WHAT: N/M done (T s)...`),
/// which the binary prints every 5 s of long work off a terminal: on a loaded machine any
/// run may print some, so no test may assume a silent stderr.
pub fn is_progress_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("relucert: ") else {
        return false;
    };
    rest.split(": ").nth(1).is_some_and(|tail| {
        let count = tail.split(' ').next().unwrap_or("");
        tail.contains(" done (")
            && count
                .split_once('/')
                .is_some_and(|(a, b)| a.parse::<u64>().is_ok() && b.parse::<u64>().is_ok())
    })
}

/// The stderr lines that are not progress lines: what a test may assert on.
pub fn diagnostics(err: &str) -> Vec<&str> {
    err.lines().filter(|l| !is_progress_line(l)).collect()
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

/// Exact: LaTeX structure: balanced braces, tabulars, column counts, escaped text.
pub fn check_latex(t: &str) -> Result<usize, String> {
    if !t.is_ascii() {
        return Err("non-ASCII characters in LaTeX output".into());
    }
    let b = t.as_bytes();
    let mut depth = 0i64;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!("unbalanced '}}' at byte {i}"));
                }
            }
            b'%' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if depth != 0 {
        return Err(format!("{depth} unclosed '{{'"));
    }
    let begins = t.matches("\\begin{tabular}").count();
    if begins == 0 || begins != t.matches("\\end{tabular}").count() {
        return Err("unmatched \\begin{tabular} / \\end{tabular}".into());
    }
    let mut tables = 0;
    let mut lines = t.lines();
    while let Some(line) = lines.next() {
        let Some(spec) = line.strip_prefix("\\begin{tabular}{") else {
            continue;
        };
        tables += 1;
        let spec = spec.strip_suffix('}').ok_or("tabular spec")?;
        let cols = spec
            .chars()
            .filter(|c| matches!(c, 'l' | 'r' | 'c'))
            .count();
        let mut rows = 0;
        for row in lines.by_ref() {
            if row == "\\end{tabular}" {
                break;
            }
            if row == "\\hline" {
                continue;
            }
            let body = row
                .strip_suffix(" \\\\")
                .ok_or_else(|| format!("row does not end with \\\\: {row}"))?;
            let rb = body.as_bytes();
            let (mut cells, mut dollars) = (1, 0);
            let mut j = 0;
            while j < rb.len() {
                match rb[j] {
                    b'\\' => j += 1,
                    b'&' => cells += 1,
                    b'$' => dollars += 1,
                    b'_' if dollars % 2 == 0 => {
                        return Err(format!("unescaped '_' in text mode: {row}"))
                    }
                    _ => {}
                }
                j += 1;
            }
            if cells != cols {
                return Err(format!("{cells} cells, {cols} columns: {row}"));
            }
            if dollars % 2 != 0 {
                return Err(format!("unbalanced $: {row}"));
            }
            rows += 1;
        }
        if rows < 2 {
            return Err("a tabular without body rows".into());
        }
    }
    Ok(tables)
}

/// Exact: split one CSV line (RFC 4180 quoting).
pub fn csv_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            _ => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// Exact: a small XML well-formedness check (prolog, comments, one root element, matched
/// tags, quoted and unique attributes, valid entity references).
pub fn check_xml(s: &str) -> Result<String, String> {
    fn entity(t: &str) -> Result<usize, String> {
        let end = t.find(';').ok_or("unterminated entity")?;
        let name = &t[1..end];
        let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
            || name
                .strip_prefix("#x")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || name
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if ok {
            Ok(end + 1)
        } else {
            Err(format!("bad entity &{name};"))
        }
    }
    fn text(t: &str) -> Result<(), String> {
        let mut i = 0;
        while let Some(k) = t[i..].find('&') {
            i += k;
            i += entity(&t[i..])?;
        }
        Ok(())
    }
    let name_end = |t: &str| {
        t.find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(t.len())
    };
    let mut rest = s.trim_start_matches('\u{feff}');
    if rest.starts_with("<?xml") {
        rest = &rest[rest.find("?>").ok_or("unterminated prolog")? + 2..];
    }
    let mut stack: Vec<String> = Vec::new();
    let mut root: Option<String> = None;
    loop {
        let lt = rest.find('<');
        let chunk = &rest[..lt.unwrap_or(rest.len())];
        if stack.is_empty() && !chunk.trim().is_empty() {
            return Err(format!("text outside the root: {chunk:?}"));
        }
        text(chunk)?;
        let Some(lt) = lt else { break };
        rest = &rest[lt..];
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->").ok_or("unterminated comment")? + 3..];
        } else if let Some(r) = rest.strip_prefix("</") {
            let n = name_end(r);
            let name = &r[..n];
            let after = r[n..].trim_start();
            let after = after.strip_prefix('>').ok_or("bad end tag")?;
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            rest = after;
        } else {
            let r = &rest[1..];
            let n = name_end(r);
            let name = r[..n].to_string();
            if name.is_empty() || !name.chars().next().unwrap().is_alphabetic() {
                return Err(format!("bad tag name {name:?}"));
            }
            if stack.is_empty() {
                if root.is_some() {
                    return Err("more than one root element".into());
                }
                root = Some(name.clone());
            }
            let mut a = &r[n..];
            let mut seen: Vec<String> = Vec::new();
            loop {
                a = a.trim_start();
                if let Some(x) = a.strip_prefix("/>") {
                    rest = x;
                    break;
                }
                if let Some(x) = a.strip_prefix('>') {
                    stack.push(name.clone());
                    rest = x;
                    break;
                }
                let eq = a
                    .find('=')
                    .ok_or(format!("attribute without value in <{name}>"))?;
                let an = a[..eq].trim();
                if an.is_empty() || an.contains(|c: char| c.is_whitespace() || c == '<' || c == '>')
                {
                    return Err(format!("bad attribute name {an:?} in <{name}>"));
                }
                if seen.iter().any(|x| x == an) {
                    return Err(format!("duplicate attribute {an} in <{name}>"));
                }
                seen.push(an.to_string());
                let v = a[eq + 1..].trim_start();
                let q = v.chars().next().ok_or("truncated tag")?;
                if q != '"' && q != '\'' {
                    return Err(format!("unquoted attribute {an} in <{name}>"));
                }
                let close = v[1..].find(q).ok_or("unterminated attribute")?;
                let value = &v[1..1 + close];
                if value.contains('<') {
                    return Err(format!("'<' in attribute {an}"));
                }
                text(value)?;
                a = &v[close + 2..];
            }
        }
    }
    if let Some(open) = stack.pop() {
        return Err(format!("<{open}> is not closed"));
    }
    root.ok_or_else(|| "no root element".into())
}
