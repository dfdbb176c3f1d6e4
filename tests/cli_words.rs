//! Words of the command line, through the real binary: bare `relucert` prints its usage,
//! negative numbers get the tool's own line, a start on the non-smooth set is named for
//! what it is, `scan` merges mirror images, and huge runs are refused with their size
//! before any work. Every case here is cheap (no certification beyond a few points).

mod common;

use common::relucert;
use serde_json::Value;

/// The subcommands `relucert --help` lists (the usage must name every one).
const COMMANDS: &[&str] = &[
    "find", "scan", "eval", "certify", "arcs", "verify", "compare", "regen",
];

/// Exit 2 with exactly one stderr line containing every fragment; nothing on stdout.
fn one_line_refusal(args: &[&str], fragments: &[&str]) -> String {
    let (code, out, err) = relucert(args);
    assert_eq!(code, 2, "{args:?}: exit {code}, stderr {err}");
    assert!(out.is_empty(), "{args:?}: nothing on stdout, got {out}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{args:?}: one line expected, got {err}");
    for f in fragments {
        assert!(lines[0].contains(f), "{args:?}: {f:?} not in {err}");
    }
    lines[0].to_string()
}

#[test]
fn bare_relucert_prints_the_usage_and_exits_2() {
    let (code, out, err) = relucert(&[]);
    assert_eq!(code, 2, "a usage error: exit 2 (stderr {err})");
    assert!(out.is_empty(), "the usage goes to stderr: {out}");
    assert!(err.contains("Usage: relucert"), "{err}");
    for c in COMMANDS {
        assert!(
            err.lines().any(|l| l.trim_start().starts_with(c)),
            "the usage lists {c}: {err}"
        );
    }
    // The usage is the help itself (not a cut description presented as an error).
    let (hcode, help, _) = relucert(&["--help"]);
    assert_eq!(hcode, 0);
    assert_eq!(err.trim(), help.trim(), "bare relucert prints the help");
    assert!(!err.contains("characters)"), "nothing cut: {err}");
}

#[test]
fn negative_numbers_get_the_tools_own_line_naming_the_flag() {
    // (arguments, the flag as the line names it, what is accepted)
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["certify", "--family", "II", "--d", "10", "--prec", "-3"],
            "--prec -3",
            "64 <= prec <= 8192",
        ),
        (
            &["find", "--family", "II", "--d", "10", "--prec", "-53"],
            "--prec -53",
            "64 <= prec <= 8192",
        ),
        (
            &["compare", "--d", "7", "--prec", "-1"],
            "--prec -1",
            "64 <= prec <= 8192",
        ),
        (
            &["regen", "--prec", "-256"],
            "--prec -256",
            "64 <= prec <= 8192",
        ),
        (
            &["scan", "--partition", "9,1", "--starts", "-1"],
            "--starts -1",
            "1 <= starts <= 100000",
        ),
        (
            &["scan", "--partition", "9,1", "--seed", "-1"],
            "--seed -1",
            "0 <= seed",
        ),
        (
            &["arcs", "--family", "II", "--d", "10", "--radii", "-0.1"],
            "--radii -0.1",
            "positive decimals",
        ),
        (
            &["arcs", "--family", "II", "--d", "10", "--max-types", "-1"],
            "--max-types -1",
            "arc types",
        ),
        (
            &["arcs", "--family", "II", "--d", "10", "--max-r", "-2"],
            "--max-r -2",
            "0 < max-r <= 100",
        ),
        (
            &[
                "arcs",
                "--family",
                "II",
                "--d",
                "10",
                "--search-leading",
                "--search-starts",
                "-2",
            ],
            "--search-starts -2",
            "1 <= search-starts <= 10000",
        ),
        (
            &["find", "--partition", "-1,5", "--start", "1,2"],
            "--partition -1,5",
            "positive integers",
        ),
        (
            &["scan", "--partition", "5,-1"],
            "--partition 5,-1",
            "positive integers",
        ),
        (&["compare", "--d", "-7"], "--d -7", "3 <= d"),
        (
            &["compare", "--d", "7", "--max-points", "-5"],
            "--max-points -5",
            "points",
        ),
        (
            &["certify", "--family", "II", "--d", "-5"],
            "--d -5",
            "3 <= d",
        ),
    ];
    for (args, flag, accepted) in cases {
        let line = one_line_refusal(args, &[flag, "accepted:", accepted]);
        assert!(
            !line.contains("unexpected argument"),
            "{args:?}: not clap's generic error: {line}"
        );
    }
    // Negative numbers are named as such; fractions, words and overflow get their own words.
    one_line_refusal(
        &["scan", "--partition", "9,1", "--starts", "-1"],
        &["a negative number"],
    );
    one_line_refusal(
        &["scan", "--partition", "9,1", "--starts", "2.5"],
        &["--starts 2.5", "not a whole number"],
    );
    one_line_refusal(
        &["scan", "--partition", "9,1", "--seed", "abc"],
        &["--seed abc", "not a number"],
    );
    one_line_refusal(
        &[
            "certify",
            "--family",
            "II",
            "--d",
            "10",
            "--prec",
            "4294967296",
        ],
        &["--prec 4294967296", "too large", "64 <= prec <= 8192"],
    );
    // A flag whose value is missing keeps clap's line (a negative number is not taken for
    // a flag, but a flag is not taken for a value).
    one_line_refusal(
        &["scan", "--partition", "9,1", "--starts", "--json"],
        &["--starts"],
    );
}

#[test]
fn the_values_the_new_parsers_accept_still_work() {
    // The same parsers must not refuse what they accepted before: a plain integer, with
    // a leading plus or spaces, at the edges of the ranges.
    let (code, out, err) = relucert(&[
        "scan",
        "--partition",
        "4,1",
        "--starts",
        "+3",
        "--seed",
        " 18446744073709551615",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["starts"], 3);
    assert_eq!(v["seed"], 18446744073709551615u64);
    let (code, _, err) = relucert(&["find", "--family", "II", "--d", "10", "--prec", "53"]);
    assert_eq!(code, 0, "find still takes 53 bits: {err}");
    let (code, _, err) = relucert(&["eval", "--family", "II", "--d", "10", "--prec", "64"]);
    assert_eq!(code, 0, "{err}");
    // Out of range but not negative: the range check's line, as before.
    one_line_refusal(
        &["certify", "--family", "II", "--d", "10", "--prec", "63"],
        &["--prec 63", "precision out of range", "64 <= prec <= 8192"],
    );
}

#[test]
fn a_start_at_w_equals_i_is_named_the_global_minimum_not_a_zero_row() {
    // Partition 8,2: layout D1, O1, X12, D2, O2, X21. W = I is D = 1, O = X = 0.
    for cmd in ["find", "eval", "certify"] {
        let line = one_line_refusal(
            &[cmd, "--partition", "8,2", "--start", "1,0,0,1,0,0"],
            &[
                "--start 1,0,0,1,0,0",
                "W = I",
                "global minimum",
                "non-smooth set",
                "accepted:",
            ],
        );
        let problem = line.split("; accepted:").next().unwrap();
        assert!(
            !problem.contains("zero row"),
            "{cmd}: W = I has no zero row: {line}"
        );
    }
    // Other points of the non-smooth set get their own reason.
    let line = one_line_refusal(
        &["find", "--partition", "8,2", "--start", "0,0,0,0,0,0"],
        &["every row is zero", "non-smooth set"],
    );
    assert!(!line.contains("W = I"), "{line}");
    one_line_refusal(
        &["find", "--partition", "8,2", "--start", "2,0,0,1,0,0"],
        &["a row of block 0 and its own target are parallel"],
    );
    one_line_refusal(
        &["find", "--partition", "8,2", "--start", "-1,0,0,1,0,0"],
        &["a row of block 0 and its own target are antiparallel"],
    );
    one_line_refusal(
        &["find", "--partition", "8,2", "--start", "1,1,0,1,0,0"],
        &["two rows of block 0 are parallel"],
    );
    one_line_refusal(
        // 1,1,1: D1,X12,X13, D2,X21,X23, D3,X31,X32; the row of block 1 is e_0.
        &[
            "find",
            "--partition",
            "1,1,1",
            "--start",
            "0.3,0.5,0.2,0,1,0,0.9,0.1,0.2",
        ],
        &["a row of block 1 and a target of block 0 are parallel"],
    );
    one_line_refusal(
        &["find", "--partition", "8,2", "--start", "1e308,0,0,1,0,0"],
        &["overflows f64"],
    );
    // A start off the set still converges (the README's IIsym example).
    let (code, out, err) = relucert(&[
        "find",
        "--partition",
        "8,2",
        "--start",
        "-0.8,0.2,0.05,-0.8,0.2,0.05",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("critical point"), "{out}");
}

#[test]
fn huge_d_lists_are_refused_with_their_size_and_cost_before_any_work() {
    // The bound counts families too, and follows --max-points.
    one_line_refusal(
        &["compare", "--d", "7,8", "--max-points", "3"],
        &["4 (family, d) points", "--max-points 3"],
    );
    one_line_refusal(
        &[
            "compare",
            "--d",
            "7,8",
            "--families",
            "I,II,IIsym",
            "--max-points",
            "5",
        ],
        &["6 (family, d) points", "3 families"],
    );
    // arcs --sweep follows --max-points too.
    one_line_refusal(
        &["arcs", "--sweep", "--d", "7,8", "--max-points", "1"],
        &["4 (family, d) points", "--max-points 1"],
    );
    // The small cases come first: without the check they run (and fail the test) in
    // seconds, where the large ones below would compute for hours.
    // compare: 100000 values of d x 2 families, far past the default bound of 2000.
    let line = one_line_refusal(
        &["compare", "--d", "7..=100006"],
        &[
            "--d 7..=100006",
            "200000 (family, d) points",
            "100000 values of d x 2 families",
            "roughly",
            "--max-points 2000",
        ],
    );
    assert!(
        line.contains(" min ") || line.contains(" h "),
        "a cost: {line}"
    );
    // arcs --sweep: 994 values of d x 2 families, past its default bound of 200.
    one_line_refusal(
        &["arcs", "--sweep", "--d", "7..=1000"],
        &["1988 (family, d) points", "--max-points 200", "roughly"],
    );
    // --max-points belongs to --sweep among the arcs modes.
    one_line_refusal(
        &["arcs", "--family", "II", "--d", "10", "--max-points", "5"],
        &["--max-points", "only with --sweep"],
    );
    // Within the bound the run goes ahead: 2 points, well under the announce threshold.
    let (code, out, err) = relucert(&["compare", "--d", "7", "--max-points", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains('7'), "{out}");
    assert!(
        !err.contains("(family, d) points"),
        "a short run is not announced: {err}"
    );
}

/// The full d x d matrix `P W Q^T` for row and column permutations given as index maps
/// (`row[i]` is where row i goes, `col[j]` where column j goes).
fn permuted(w: &[Vec<f64>], row: &[usize], col: &[usize]) -> Vec<Vec<f64>> {
    let d = w.len();
    let mut out = vec![vec![0.0; d]; d];
    for i in 0..d {
        for j in 0..d {
            out[row[i]][col[j]] = w[i][j];
        }
    }
    out
}

/// The reduced parameters read off a full matrix of the fixed space (first index of each
/// block), checked to rebuild the matrix exactly (so the matrix is in the fixed space).
fn read_back(part: &relucert::model::partition::Partition, w: &[Vec<f64>]) -> Option<Vec<f64>> {
    use relucert::model::partition::Param;
    let offsets = part.offsets()?;
    let theta: Vec<f64> = part
        .params()
        .iter()
        .map(|&p| match p {
            Param::D(a) => w[offsets[a]][offsets[a]],
            Param::O(a) => w[offsets[a]][offsets[a] + 1],
            Param::X(a, b) => w[offsets[a]][offsets[b]],
        })
        .collect();
    (part.embed(&theta)? == w).then_some(theta)
}

#[test]
fn mirror_images_are_recognised_exactly_for_the_loss_symmetries_of_the_fixed_space() {
    use relucert::model::{dense, partition::Partition};
    use relucert::search::scan::mirror_image;
    let swap = |d: usize, pairs: &[(usize, usize)]| -> Vec<usize> {
        let mut v: Vec<usize> = (0..d).collect();
        for &(i, j) in pairs {
            v.swap(i, j);
        }
        v
    };
    let id = |d: usize| -> Vec<usize> { (0..d).collect() };
    // (sizes, row map, column map), each a permutation pair that maps the fixed space to
    // itself: swapping the two blocks of 4 (rows and columns), the columns of the block
    // of size 2 alone, the rows of the singletons alone, the columns of the singletons.
    let blocks_4_4 = |d| swap(d, &[(0, 4), (1, 5), (2, 6), (3, 7)]);
    let halves_5_5 = swap(10, &[(0, 5), (1, 6), (2, 7), (3, 8), (4, 9)]);
    let cases: Vec<(Vec<u64>, Vec<usize>, Vec<usize>)> = vec![
        (vec![4, 4, 2], blocks_4_4(10), blocks_4_4(10)),
        (vec![4, 4, 2], id(10), swap(10, &[(8, 9)])),
        (vec![4, 4, 2], swap(10, &[(8, 9)]), id(10)),
        (vec![8, 1, 1], swap(10, &[(8, 9)]), id(10)),
        (vec![8, 1, 1], id(10), swap(10, &[(8, 9)])),
        (vec![5, 5], halves_5_5.clone(), halves_5_5),
    ];
    let mut checked = 0;
    for (sizes, row, col) in cases {
        let part = Partition::from_sizes(&sizes).unwrap();
        // A generic point (not critical): the symmetry is of the loss, everywhere.
        let theta: Vec<f64> = (0..part.dim())
            .map(|k| 0.9 * ((k as f64 + 1.0) * 1.7).sin() + 0.05 * k as f64)
            .collect();
        let w = part.embed(&theta).unwrap();
        let w2 = permuted(&w, &row, &col);
        let image = read_back(&part, &w2).expect("the permutation maps the fixed space to itself");
        assert_ne!(image, theta, "{sizes:?}: a non-trivial image");
        assert!(
            mirror_image(&part, &theta, &image, 1e-9),
            "{sizes:?}: P W Q^T recognised as an image"
        );
        assert!(
            mirror_image(&part, &image, &theta, 1e-9),
            "{sizes:?}: and back"
        );
        // The loss is the same (computed on the full matrices): a symmetry indeed.
        let (l1, l2) = (dense::loss(&w).unwrap(), dense::loss(&w2).unwrap());
        assert!(
            (l1 - l2).abs() < 1e-12 * l1.abs().max(1.0),
            "{sizes:?}: {l1} vs {l2}"
        );
        // A point that is not an image: swap D and O of the block of size >= 4 (not a
        // permutation of rows and columns), which changes the loss.
        let mut other = theta.clone();
        other.swap(0, 1);
        let lo = dense::loss(&part.embed(&other).unwrap()).unwrap();
        assert!((lo - l1).abs() > 1e-6, "{sizes:?}: a different point");
        assert!(
            !mirror_image(&part, &theta, &other, 1e-9),
            "{sizes:?}: D1 <-> O1 is not a symmetry"
        );
        checked += 1;
    }
    assert_eq!(checked, 6);
    // The same point is its own image; a point moved by 1e-3 is not.
    let part = Partition::from_sizes(&[5, 5]).unwrap();
    let theta = [0.3, 0.1, -0.2, 0.7, 0.05, 0.15];
    assert!(mirror_image(&part, &theta, &theta, 1e-9));
    let mut moved = theta;
    moved[2] += 1e-3;
    assert!(!mirror_image(&part, &theta, &moved, 1e-6));
}

#[test]
fn scan_lists_no_two_points_that_are_mirror_images() {
    // 5,5: the block swap maps the fixed space to itself; before merging, this scan
    // listed 21 points, 6 of them swapped copies of others.
    let (code, out, err) = relucert(&[
        "scan",
        "--partition",
        "5,5",
        "--starts",
        "100",
        "--seed",
        "1",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let points = v["points"].as_array().unwrap();
    let coords = |p: &Value| -> Vec<f64> {
        ["D1", "O1", "X12", "D2", "O2", "X21"]
            .iter()
            .map(|k| p["coordinates"][k].as_str().unwrap().parse().unwrap())
            .collect()
    };
    // The swap written out by hand: (D1, O1, X12, D2, O2, X21) -> (D2, O2, X21, D1, O1, X12).
    let swapped = |c: &[f64]| vec![c[3], c[4], c[5], c[0], c[1], c[2]];
    let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6);
    for (i, p) in points.iter().enumerate() {
        for q in &points[i + 1..] {
            assert!(
                !close(&swapped(&coords(p)), &coords(q)),
                "mirror images listed twice: {p} and {q}"
            );
        }
    }
    // Merged images are counted, with their starts.
    let merged: u64 = points
        .iter()
        .map(|p| p["mirror_images_merged"].as_u64().unwrap())
        .sum();
    assert!(merged >= 1, "this scan meets swapped pairs: {out}");
    let hits: u64 = points.iter().map(|p| p["hits"].as_u64().unwrap()).sum();
    assert!(hits <= 100, "{hits} starts counted of 100");
    // Every point that absorbed an image has at least two starts.
    for p in points {
        if p["mirror_images_merged"].as_u64().unwrap() > 0 {
            assert!(p["hits"].as_u64().unwrap() >= 2, "{p}");
        }
    }
    // The text says what was merged.
    let (code, text, err) = relucert(&["scan", "--partition", "5,5", "--starts", "100"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("mirror image merged") || text.contains("mirror images merged"),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.contains(". loss ")).count(),
        points.len(),
        "text and JSON list the same points"
    );
}

#[test]
fn arc_type_enumeration_reports_every_axis_to_its_progress_callback() {
    use relucert::arcs::{self, directions, ArcOptions};
    use relucert::search::families::Family;
    use std::sync::Mutex;
    let cert = common::cert(Family::II, 10, 128);
    let part = &cert.partition;
    for opts in [
        ArcOptions::default(),
        ArcOptions {
            extreme_only: true,
            ..ArcOptions::default()
        },
    ] {
        // The axes the enumeration walks, counted independently through the public lists.
        let kinds = directions::extreme_kinds(&cert);
        let expected: usize = cert
            .proof
            .components
            .iter()
            .map(|c| {
                let k = c.component.kind;
                if !opts.extreme_only {
                    directions::default_types(part, k, opts.all_axial).len()
                } else if kinds.contains(&k) {
                    directions::extreme_axes(part, k).len()
                } else {
                    0
                }
            })
            .sum();
        assert!(expected > 1, "several axes to report");
        let calls = Mutex::new(Vec::new());
        let dirs = arcs::directions_for_with_progress(&cert, &opts, &|done, total| {
            calls.lock().unwrap().push((done, total));
        });
        let calls = calls.into_inner().unwrap();
        assert!(!calls.is_empty(), "progress is reported");
        assert!(calls.iter().all(|&(_, t)| t == expected), "{calls:?}");
        assert!(
            calls.windows(2).all(|w| w[0].0 < w[1].0),
            "done increases: {calls:?}"
        );
        assert_eq!(calls.last().unwrap().0, expected, "every axis reported");
        // The same directions as without a callback.
        let plain = arcs::directions_for(&cert, &opts);
        assert_eq!(dirs.len(), plain.len());
        assert!(dirs
            .iter()
            .zip(&plain)
            .all(|(a, b)| a.axis == b.axis && a.index == b.index && a.sign == b.sign));
    }
    // A refused count enumerates nothing and reports nothing.
    let opts = ArcOptions {
        max_types: 1,
        ..ArcOptions::default()
    };
    let called = Mutex::new(0usize);
    let dirs = arcs::directions_for_with_progress(&cert, &opts, &|_, _| {
        *called.lock().unwrap() += 1;
    });
    assert!(dirs.is_empty());
    assert_eq!(called.into_inner().unwrap(), 0);
}
