//! relucert's axial types `S_{n-k} x H` (`symmetry::permgroup::axial`) against GAP's list of
//! axial isotropy subgroups of `S_n` (`tools/gap/axial.g`, output committed as
//! `tools/gap/axial_n5_8.json` and `tools/gap/axial_n9_10.json`).
//!
//! For every `n` and irreducible in those files:
//!
//! - every relucert type matches exactly one GAP class: same `k`, same order
//!   `(n-k)! |H|`, same orbit lengths, and GAP's `H` (its pointwise stabilizer of the
//!   largest orbit on which it is the full symmetric group, acting on the other points)
//!   conjugate in `S_k` to relucert's;
//! - every GAP class of the form `S_{n-k} x H` with `k <= 5` and `n >= 2k` (the range in
//!   which relucert decides isotropy exactly) is one of relucert's types;
//! - every other GAP class is in [`KNOWN`], by `(n, irreducible, order, structure,
//!   orbits)` with the reason, and every entry of [`KNOWN`] is a GAP class.
//!
//! At n = 11, 12 relucert's list equals the one `tools/gap/axial_large.g` finds from
//! explicit fixed vectors and their stabilizers (`tools/gap/axial_large_n11_12.json`).
//! Then the large-n list: it is the same for every `n >= 11` (and pinned here).

use relucert::symmetry::permgroup::axial::{axial_subgroups, AxialType, Irrep};
use relucert::symmetry::permgroup::PermGroup;
use serde_json::Value;

const GAP_FILES: [&str; 2] = ["tools/gap/axial_n5_8.json", "tools/gap/axial_n9_10.json"];

/// Not of the form: no orbit of size >= 2 carries its full symmetric group.
const NO_SYM: &str = "no full symmetric group on an orbit of size >= 2 (not S_{n-k} x H)";
/// Of the form, but the split-off part is the larger one.
const MINORITY: &str = "S_{n-k} x H with n - k < k: outside relucert's range n >= 2k";

/// A GAP class relucert does not list: (n, irreducible, order, structure, orbits, reason).
type Known = (
    u128,
    &'static str,
    u128,
    &'static str,
    &'static [u128],
    &'static str,
);

/// GAP's axial classes that relucert does not list.
#[rustfmt::skip]
const KNOWN: &[Known] = &[
    (5, "n-2,2", 8, "D8", &[4, 1], NO_SYM),
    (5, "n-2,2", 10, "D10", &[5], NO_SYM),
    (5, "n-2,1,1", 4, "C2 x C2", &[2, 2, 1], MINORITY),
    (5, "n-2,1,1", 4, "C4", &[4, 1], NO_SYM),
    (5, "n-2,1,1", 6, "C6", &[3, 2], MINORITY),
    (6, "n-2,2", 10, "D10", &[5, 1], NO_SYM),
    (6, "n-2,2", 48, "C2 x S4", &[6], NO_SYM), // S_2 wr S_3
    (6, "n-2,2", 72, "(S3 x S3) : C2", &[6], NO_SYM), // S_3 wr S_2
    (6, "n-2,1,1", 6, "S3", &[3, 3], NO_SYM),
    (6, "n-2,1,1", 8, "C4 x C2", &[4, 2], MINORITY),
    (6, "n-2,1,1", 8, "D8", &[4, 2], NO_SYM),
    (6, "n-2,1,1", 18, "C3 x S3", &[6], NO_SYM),
    (6, "n-2,1,1", 24, "C2 x A4", &[6], NO_SYM),
    (7, "n-2,2", 48, "C2 x S4", &[6, 1], NO_SYM), // S_2 wr S_3
    (7, "n-2,2", 72, "(S3 x S3) : C2", &[6, 1], NO_SYM), // S_3 wr S_2
    (7, "n-2,1,1", 18, "C3 x S3", &[6, 1], NO_SYM),
    (7, "n-2,1,1", 21, "C7 : C3", &[7], NO_SYM),
    (7, "n-2,1,1", 24, "C2 x A4", &[6, 1], NO_SYM),
    (7, "n-2,1,1", 24, "C2 x C2 x S3", &[3, 2, 2], MINORITY), // Young (3,2,2)
    (7, "n-2,1,1", 24, "C4 x S3", &[4, 3], MINORITY),
    (7, "n-2,1,1", 36, "S3 x S3", &[3, 3, 1], MINORITY), // Young (3,3,1)
    (8, "n-2,2", 384, "(C2 x C2 x C2 x C2) : S4", &[8], NO_SYM), // S_2 wr S_4
    (8, "n-2,2", 1152, "(C2 x C2 x C2 x C2) : ((S3 x S3) : C2)", &[8], NO_SYM), // S_4 wr S_2
    (8, "n-2,1,1", 16, "QD16", &[8], NO_SYM),
    (8, "n-2,1,1", 21, "C7 : C3", &[7, 1], NO_SYM),
    (8, "n-2,1,1", 24, "S4", &[4, 4], NO_SYM),
    (8, "n-2,1,1", 24, "SL(2,3)", &[8], NO_SYM),
    (8, "n-2,1,1", 32, "(C4 x C4) : C2", &[8], NO_SYM),
    (8, "n-2,1,1", 36, "C6 x S3", &[6, 2], MINORITY),
    (8, "n-2,1,1", 48, "C2 x C2 x A4", &[6, 2], MINORITY),
    (8, "n-2,1,1", 64, "((C4 x C2) : C2) : C4", &[8], NO_SYM),
    (8, "n-2,1,1", 72, "(S3 x S3) : C2", &[6, 2], NO_SYM),
    (8, "n-2,1,1", 72, "C2 x S3 x S3", &[3, 3, 2], MINORITY), // Young (3,3,2)
    (9, "n-2,2", 72, "(S3 x S3) : C2", &[9], NO_SYM),
    (9, "n-2,2", 384, "(C2 x C2 x C2 x C2) : S4", &[8, 1], NO_SYM), // S_2 wr S_4
    (9, "n-2,2", 1152, "(C2 x C2 x C2 x C2) : ((S3 x S3) : C2)", &[8, 1], NO_SYM), // S_4 wr S_2
    (9, "n-2,2", 1296, "(C3 x C3 x C3) : (C2 x S4)", &[9], NO_SYM), // S_3 wr S_3
    (9, "n-2,1,1", 16, "QD16", &[8, 1], NO_SYM),
    (9, "n-2,1,1", 24, "SL(2,3)", &[8, 1], NO_SYM),
    (9, "n-2,1,1", 32, "(C4 x C4) : C2", &[8, 1], NO_SYM),
    (9, "n-2,1,1", 42, "C2 x (C7 : C3)", &[7, 2], MINORITY),
    (9, "n-2,1,1", 48, "C2 x S4", &[6, 3], NO_SYM),
    (9, "n-2,1,1", 64, "((C4 x C2) : C2) : C4", &[8, 1], NO_SYM),
    (9, "n-2,1,1", 108, "C3 x S3 x S3", &[6, 3], MINORITY),
    (9, "n-2,1,1", 144, "C2 x S3 x A4", &[6, 3], MINORITY),
    (9, "n-2,1,1", 162, "((C3 x C3 x C3) : C3) : C2", &[9], NO_SYM),
    (9, "n-2,1,1", 288, "C2 x S4 x S3", &[4, 3, 2], MINORITY), // Young (4,3,2)
    (9, "n-2,1,1", 576, "S4 x S4", &[4, 4, 1], MINORITY), // Young (4,4,1)
    (9, "n-2,1,1", 648, "(C3 x C3 x C3) : (C2 x A4)", &[9], NO_SYM),
    (10, "n-2,2", 72, "(S3 x S3) : C2", &[9, 1], NO_SYM),
    (10, "n-2,2", 120, "S5", &[10], NO_SYM),
    (10, "n-2,2", 1296, "(C3 x C3 x C3) : (C2 x S4)", &[9, 1], NO_SYM), // S_3 wr S_3
    (10, "n-2,2", 3840, "C2 x ((C2 x C2 x C2 x C2) : S5)", &[10], NO_SYM), // S_2 wr S_5
    (10, "n-2,2", 28800, "(A5 x A5) : D8", &[10], NO_SYM), // S_5 wr S_2
    (10, "n-2,1,1", 20, "C5 : C4", &[10], NO_SYM),
    (10, "n-2,1,1", 24, "S4", &[6, 4], NO_SYM),
    (10, "n-2,1,1", 32, "C2 x QD16", &[8, 2], MINORITY),
    (10, "n-2,1,1", 48, "C2 x SL(2,3)", &[8, 2], MINORITY),
    (10, "n-2,1,1", 64, "C2 x ((C4 x C4) : C2)", &[8, 2], MINORITY),
    (10, "n-2,1,1", 120, "S5", &[5, 5], NO_SYM),
    (10, "n-2,1,1", 126, "S3 x (C7 : C3)", &[7, 3], MINORITY),
    (10, "n-2,1,1", 128, "C2 x ((C2 x C2 x C2 x C2) : C4)", &[8, 2], MINORITY),
    (10, "n-2,1,1", 162, "((C3 x C3 x C3) : C3) : C2", &[9, 1], NO_SYM),
    (10, "n-2,1,1", 288, "(C3 x C3) : ((C2 x C2 x C2 x C2) : C2)", &[6, 4], NO_SYM),
    (10, "n-2,1,1", 432, "C3 x S4 x S3", &[6, 4], MINORITY),
    (10, "n-2,1,1", 576, "C2 x S4 x A4", &[6, 4], MINORITY),
    (10, "n-2,1,1", 648, "(C3 x C3 x C3) : (C2 x A4)", &[9, 1], NO_SYM),
    (10, "n-2,1,1", 864, "S3 x S4 x S3", &[4, 3, 3], MINORITY), // Young (4,3,3)
    (10, "n-2,1,1", 1152, "C2 x S4 x S4", &[4, 4, 2], MINORITY), // Young (4,4,2)
    (10, "n-2,1,1", 1152, "(C2 x C2 x C2 x C2) : ((S3 x S3) : C2)", &[8, 2], NO_SYM),
];

/// One axial class as GAP wrote it.
#[derive(Debug)]
struct GapClass {
    order: u128,
    structure: String,
    orbits: Vec<u128>,
    /// `(k, H)` when K is conjugate to `S_{n-k} x H`, `n - k >= 2`; GAP writes `H` only
    /// for `k <= 5`.
    form: Option<(usize, Option<PermGroup>)>,
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn load(path: &str) -> Vec<(u128, Irrep, Vec<GapClass>)> {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{path}: {e}"));
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["generator"], "tools/gap/axial.g");
    let mut out = Vec::new();
    for case in json["cases"].as_array().unwrap() {
        let n = case["n"].as_u64().unwrap() as u128;
        let rho = Irrep::from_name(case["irrep"].as_str().unwrap()).unwrap();
        let partition: Vec<u128> = case["partition"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as u128)
            .collect();
        assert_eq!(Some(partition), rho.partition(n));
        let classes = case["axial"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let form = if c["form"].is_null() {
                    None
                } else {
                    let k = c["form"]["k"].as_u64().unwrap() as usize;
                    let h = (!c["form"]["h_generators"].is_null()).then(|| {
                        let gens = strings(&c["form"]["h_generators"]);
                        let refs: Vec<&str> = gens.iter().map(String::as_str).collect();
                        let h = PermGroup::from_cycles(k, &refs).expect("GAP cycle notation");
                        assert_eq!(h.order() as u64, c["form"]["h_order"].as_u64().unwrap());
                        h
                    });
                    assert_eq!(h.is_some(), k <= 5, "GAP writes H exactly for k <= 5");
                    Some((k, h))
                };
                GapClass {
                    order: c["order"].as_u64().unwrap() as u128,
                    structure: c["structure"].as_str().unwrap().to_string(),
                    orbits: c["orbits"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_u64().unwrap() as u128)
                        .collect(),
                    form,
                }
            })
            .collect();
        out.push((n, rho, classes));
    }
    out
}

/// `StructureDescription` up to the order of its top-level direct factors (GAP may write
/// `S4 x S5` or `S5 x S4` depending on the class representative it was given).
fn same_structure(a: &str, b: &str) -> bool {
    fn factors(s: &str) -> Vec<&str> {
        let (mut out, mut depth, mut start) = (Vec::new(), 0i32, 0usize);
        for (i, c) in s.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                'x' if depth == 0 && s[..i].ends_with(' ') && s[i + 1..].starts_with(' ') => {
                    out.push(&s[start..i - 1]);
                    start = i + 2;
                }
                _ => {}
            }
        }
        out.push(&s[start..]);
        out.sort_unstable();
        out
    }
    factors(a) == factors(b)
}

fn matches(t: &AxialType, n: u128, g: &GapClass) -> bool {
    match &g.form {
        None => false,
        Some((k, Some(h))) => {
            *k == t.k
                && Some(g.order) == t.order(n)
                && g.orbits == t.orbit_profile(n)
                && h.is_conjugate_to(&t.h)
        }
        Some((_, None)) => false,
    }
}

#[test]
fn structure_names_up_to_factor_order() {
    assert!(same_structure("S3 x S4 x S3", "S3 x S3 x S4"));
    assert!(same_structure("(C2 x C2) : S3", "(C2 x C2) : S3"));
    assert!(!same_structure("(C2 x C2) : S3", "S3 : (C2 x C2)"));
    assert!(!same_structure("C2 x S4", "C2 x A4"));
}

#[test]
fn relucert_agrees_with_gap_for_n_5_to_10() {
    let mut known_seen = vec![false; KNOWN.len()];
    let mut cases = 0;
    for file in GAP_FILES {
        for (n, rho, classes) in load(file) {
            cases += 1;
            let ours = axial_subgroups(n, rho, 5);
            for t in &ours {
                let hits = classes.iter().filter(|g| matches(t, n, g)).count();
                assert_eq!(
                    hits,
                    1,
                    "n = {n}, {}: {} {:?} in GAP",
                    rho.name(),
                    t.name,
                    t.generators
                );
            }
            for g in &classes {
                let in_range = g
                    .form
                    .as_ref()
                    .is_some_and(|(k, _)| *k <= 5 && n >= 2 * *k as u128);
                if in_range {
                    assert!(
                        ours.iter().any(|t| matches(t, n, g)),
                        "n = {n}, {}: GAP class {g:?} missing from relucert's list",
                        rho.name()
                    );
                    continue;
                }
                let known = KNOWN.iter().position(|&(kn, kr, ko, ks, kb, _)| {
                    kn == n
                        && kr == rho.name()
                        && ko == g.order
                        && same_structure(ks, &g.structure)
                        && kb == g.orbits
                });
                let Some(i) = known else {
                    panic!(
                        "n = {n}, {}: GAP class {g:?} is neither listed nor known",
                        rho.name()
                    );
                };
                assert!(!known_seen[i], "KNOWN entry {i} matches twice");
                known_seen[i] = true;
                let reason = KNOWN[i].5;
                let expected = if g.form.is_some() { MINORITY } else { NO_SYM };
                assert_eq!(reason, expected, "reason of {:?}", KNOWN[i]);
            }
        }
    }
    assert_eq!(cases, 18, "n = 5..10, three irreducibles");
    for (i, seen) in known_seen.iter().enumerate() {
        assert!(seen, "KNOWN entry {:?} is not a GAP class", KNOWN[i]);
    }
}

fn listing(n: u128, rho: Irrep) -> Vec<String> {
    axial_subgroups(n, rho, 5)
        .iter()
        .map(|t| format!("{} <{}>", t.name, t.generators.join(", ")))
        .collect()
}

/// The large-n list (k <= 5), the same for every n >= 11 (2k < n and n - k >= 2 for every
/// k <= 5, where the dimensions and the overgroups no longer depend on n).
#[test]
fn the_large_n_list() {
    let want: [(Irrep, &[&str]); 3] = [
        (
            Irrep::Std,
            &[
                "S_{n-1} x S_1 <>",
                "S_{n-2} x S_2 <(1 2)>",
                "S_{n-3} x S_3 <(1 2 3), (1 2)>",
                "S_{n-4} x S_4 <(1 2 3 4), (1 2)>",
                "S_{n-5} x S_5 <(1 2 3 4 5), (1 2)>",
            ],
        ),
        (
            Irrep::Two,
            &[
                "S_{n-2} x S_2 <(1 2)>",
                "S_{n-3} x S_3 <(1 2 3), (1 2)>",
                "S_{n-4} x S_4 <(1 2 3 4), (1 2)>",
                "S_{n-5} x S_5 <(1 2 3 4 5), (1 2)>",
            ],
        ),
        (
            Irrep::OneOne,
            &[
                "S_{n-2} x S_1 x S_1 <>",
                "S_{n-3} x S_2 x S_1 <(2 3)>",
                "S_{n-3} x Z_3 <(1 2 3)>",
                "S_{n-4} x S_2 x S_2 <(1 2), (3 4)>",
                "S_{n-4} x Z_4 <(1 3 2 4)>",
                "S_{n-4} x S_3 x S_1 <(2 3 4), (2 3)>",
                "S_{n-5} x S_3 x S_2 <(1 2), (3 4 5), (3 4)>",
                "S_{n-5} x S_4 x S_1 <(2 3 4 5), (2 3)>",
            ],
        ),
    ];
    for (rho, list) in want {
        let got = listing(11, rho);
        println!("{}: {got:#?}", rho.name());
        assert_eq!(got, list, "{}", rho.name());
        for n in [12u128, 13, 20, 100, 1000, 1_000_000_000_000] {
            assert_eq!(listing(n, rho), got, "n = {n}, {}", rho.name());
        }
    }
}

/// At n = 11 and 12 (where every k <= 5 has n > 2k) GAP lists the axial types
/// `S_{n-k} x H` by another route (`tools/gap/axial_large.g`: the explicit fixed vector
/// and its stabilizer in S_n by backtrack, no overgroup lemma); the two lists are equal.
#[test]
fn relucert_agrees_with_gap_explicit_stabilizers_at_n_11_12() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/gap/axial_large_n11_12.json");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(json["generator"], "tools/gap/axial_large.g");
    let mut cases = 0;
    for case in json["cases"].as_array().unwrap() {
        cases += 1;
        let n = case["n"].as_u64().unwrap() as u128;
        let rho = Irrep::from_name(case["irrep"].as_str().unwrap()).unwrap();
        let theirs: Vec<(usize, PermGroup)> = case["axial"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let k = c["k"].as_u64().unwrap() as usize;
                let gens = strings(&c["h_generators"]);
                let refs: Vec<&str> = gens.iter().map(String::as_str).collect();
                let h = PermGroup::from_cycles(k, &refs).unwrap();
                assert_eq!(h.order() as u64, c["h_order"].as_u64().unwrap());
                (k, h)
            })
            .collect();
        let ours = axial_subgroups(n, rho, 5);
        assert_eq!(ours.len(), theirs.len(), "n = {n}, {}", rho.name());
        for t in &ours {
            let hits = theirs
                .iter()
                .filter(|(k, h)| *k == t.k && h.is_conjugate_to(&t.h))
                .count();
            assert_eq!(hits, 1, "n = {n}, {}: {}", rho.name(), t.name);
        }
    }
    assert_eq!(cases, 6);
}
