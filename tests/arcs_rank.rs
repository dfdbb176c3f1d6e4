//! The ranking of `arcs --extreme` (issue 25): every lattice type is listed with its
//! certified coefficient at large d (the non-Young `S_{n-3} x Z_3` and `S_{n-4} x Z_4`
//! included), a rank is printed as certified only when the printed enclosures show it
//! (re-derived here from the JSON's decimal ends, compared exactly), a planted overlap turns
//! "certified" into "not separated", and the list says where it is not every lattice type.

mod common;

use common::{json_ok, stdout_ok};
use relucert::arcs::{self, directions::Rank, ArcOptions};
use relucert::search::families::Family;
use rug::Float;
use serde_json::Value;

/// An enclosure of the JSON as (lo, hi), parsed at 1024 bits (the decimals have at most a
/// few dozen digits, so distinct decimals stay distinct and ordered).
fn ends(v: &Value) -> (Float, Float) {
    let p = |s: &Value| {
        let s = s
            .as_str()
            .unwrap_or_else(|| panic!("a decimal string, got {s}"));
        Float::with_val(1024, Float::parse(s).unwrap_or_else(|e| panic!("{s}: {e}")))
    };
    (p(&v["lo"]), p(&v["hi"]))
}

/// One ranked entry as the JSON prints it.
struct Entry {
    name: String,
    order: Option<u64>,
    value: Option<(Float, Float)>,
    status: String,
    rank: Option<u64>,
    range: Option<(u64, u64)>,
    twin_key: Option<String>,
}

fn entries(list: &[Value]) -> Vec<Entry> {
    list.iter()
        .map(|c| {
            let certified = c["leading_certified"] == true;
            let order = c["leading_order"].as_u64();
            // Without a certified coefficient nothing is printed under that name.
            assert_eq!(
                certified,
                c.get("leading_coefficient").is_some(),
                "an uncertified coefficient is never printed as the leading coefficient: {c}"
            );
            let name = c["isotropy"]["name"].as_str().unwrap().to_string();
            Entry {
                twin_key: (order == Some(4) && c["mirror_pair"] == false).then(|| name.clone()),
                name,
                order,
                value: certified.then(|| ends(&c["leading_coefficient"])),
                status: c["rank_status"].as_str().unwrap().to_string(),
                rank: c["rank"].as_u64(),
                range: c.get("rank_range").map(|r| {
                    (
                        r["lowest"].as_u64().unwrap(),
                        r["highest"].as_u64().unwrap(),
                    )
                }),
            }
        })
        .collect()
}

/// `a` certainly below `b` on small spheres, from the printed enclosures: same order by the
/// ends, a negative cubic below a quartic, a positive one above.
fn below(a: &Entry, b: &Entry) -> bool {
    let (Some((_, ahi)), Some((blo, _))) = (&a.value, &b.value) else {
        return false;
    };
    match (a.order, b.order) {
        (Some(3), Some(4)) => *ahi < 0,
        (Some(4), Some(3)) => *blo > 0,
        _ => ahi < blo,
    }
}

/// Every printed rank is backed by the printed enclosures: a certified rank `r` has every
/// other entry (but its twin, the other sign of the same quartic-led type) certified and
/// certainly below or above it, and exactly `r - 1` below; a "not separated" range starts
/// at 1 + the number certainly below and has some entry neither below nor above (or
/// uncertified); an entry without a certified coefficient is not ranked. Returns the
/// number of certified ranks.
fn ranks_follow_enclosures(list: &[Entry], what: &str) -> usize {
    let mut certified = 0;
    for (i, e) in list.iter().enumerate() {
        let others: Vec<&Entry> = list
            .iter()
            .enumerate()
            .filter(|(k, o)| *k != i && (e.twin_key.is_none() || o.twin_key != e.twin_key))
            .map(|(_, o)| o)
            .collect();
        let n_below = others.iter().filter(|o| below(o, e)).count() as u64;
        let undecided = others
            .iter()
            .filter(|o| o.value.is_none() || (!below(o, e) && !below(e, o)))
            .count() as u64;
        match e.status.as_str() {
            "certified" => {
                assert!(
                    e.value.is_some(),
                    "{what} {}: ranked without a coefficient",
                    e.name
                );
                assert_eq!(
                    undecided, 0,
                    "{what} {}: certified but not separated",
                    e.name
                );
                assert_eq!(e.rank, Some(1 + n_below), "{what} {}", e.name);
                certified += 1;
            }
            "not_separated" => {
                assert!(
                    e.rank.is_none(),
                    "{what} {}: a number for an undecided rank",
                    e.name
                );
                assert!(
                    undecided > 0,
                    "{what} {}: separated but not certified",
                    e.name
                );
                assert_eq!(
                    e.range,
                    Some((1 + n_below, 1 + n_below + undecided)),
                    "{what} {}",
                    e.name
                );
            }
            "not_ranked" => {
                assert!(e.value.is_none() && e.rank.is_none(), "{what} {}", e.name);
            }
            s => panic!("{what} {}: unknown rank status {s}", e.name),
        }
    }
    certified
}

fn extreme_json(family: &str, d: &str) -> Value {
    json_ok(&["arcs", "--family", family, "--d", d, "--extreme", "--json"])
}

/// The candidate list of a run, checked; returns (entries, summary).
fn candidates(v: &Value, what: &str) -> (Vec<Entry>, Value) {
    let list = entries(v["candidates"].as_array().expect("candidates"));
    let summary = v["candidates_summary"].clone();
    let certified_ranks = ranks_follow_enclosures(&list, what);
    assert_eq!(summary["rank_certified"], certified_ranks as u64, "{what}");
    assert_eq!(
        summary["listed"].as_u64().unwrap() + summary["without_direction"].as_u64().unwrap(),
        list.len() as u64,
        "{what}"
    );
    // "certified minimizing candidate" only with rank 1 certified against a complete list.
    let firsts: Vec<&Entry> = list.iter().filter(|e| e.rank == Some(1)).collect();
    let complete = summary["every_lattice_type"] == true && summary["without_direction"] == 0;
    assert_eq!(
        summary["certified_minimizing"].is_array(),
        complete && !firsts.is_empty(),
        "{what}: {summary}"
    );
    // The traced arcs' ranks follow their enclosures too (per component and eigenvalue).
    let arcs = v["arcs"].as_array().unwrap();
    let mut keys: Vec<String> = arcs
        .iter()
        .map(|a| format!("{} {}", a["component"], a["eigenvalue_index"]))
        .collect();
    keys.dedup();
    for key in keys {
        let group: Vec<Value> = arcs
            .iter()
            .filter(|a| format!("{} {}", a["component"], a["eigenvalue_index"]) == key)
            .cloned()
            .collect();
        ranks_follow_enclosures(&entries(&group), &format!("{what} arcs {key}"));
    }
    (list, summary)
}

/// Issue 25's acceptance: at d = 10^10 and 10^12, II lists all 12 directions of the
/// smallest eigenvalue (the two non-Young types included) with certified effective
/// quartics, every rank certified by disjoint enclosures, and the Young `(d-3,1,1)` axis
/// the certified minimizing candidate. Z_3's coefficient agrees with the independent
/// high-precision value of the issue (q_eff ≈ -3315.73 at 10^12).
#[test]
fn ii_lists_every_lattice_type_with_certified_ranks_at_large_d() {
    for d in ["1e10", "1e12"] {
        let what = format!("II d={d}");
        let v = extreme_json("II", d);
        let (list, summary) = candidates(&v, &what);
        assert_eq!(list.len(), 12, "{what}");
        assert_eq!(summary["every_lattice_type"], true, "{what}");
        for e in &list {
            assert_eq!(e.order, Some(4), "{what} {}", e.name);
            assert_eq!(e.status, "certified", "{what} {}", e.name);
        }
        for h in [" x Z_3 x ", " x Z_4 x "] {
            assert!(
                list.iter().any(|e| e.name.contains(h) && e.value.is_some()),
                "{what}: {h} missing"
            );
        }
        let best = summary["certified_minimizing"]
            .as_array()
            .expect("certified");
        assert_eq!(best.len(), 1, "{what}");
        assert!(
            best[0].as_str().unwrap().ends_with("x S_1 x S_1 x S_1) ±"),
            "{best:?}"
        );
        if d == "1e12" {
            let z3 = list.iter().find(|e| e.name.contains(" x Z_3 x ")).unwrap();
            let (lo, hi) = z3.value.as_ref().unwrap();
            assert!(
                *lo > -3315.74 && *hi < -3315.72,
                "Z_3 at 10^12: {lo} {hi} (independent value -3315.73)"
            );
            // The independent value puts Z_3 at rank 4 and Z_4 at rank 9.
            let z4 = list.iter().find(|e| e.name.contains(" x Z_4 x ")).unwrap();
            assert_eq!((z3.rank, z4.rank), (Some(4), Some(9)));
        }
    }
}

/// At d = 10 and 1000, and for I at 10^12, every printed rank follows the enclosures; at
/// d = 10 the blocks are too small for the whole lattice list (n = 9 < 10), so the list
/// says so and no "certified minimizing candidate" is printed, while d = 1000 is complete.
#[test]
fn ranks_follow_the_enclosures_and_small_d_is_not_every_type() {
    for (f, d) in [
        ("I", "10"),
        ("II", "10"),
        ("I", "1000"),
        ("II", "1000"),
        ("I", "1e12"),
    ] {
        let what = format!("{f} d={d}");
        let v = extreme_json(f, d);
        let (list, summary) = candidates(&v, &what);
        assert!(list.len() >= 8, "{what}");
        let small = d == "10";
        assert_eq!(summary["every_lattice_type"], !small, "{what}");
        if small {
            let why = summary["incomplete"][0].as_str().unwrap();
            assert!(why.contains("n = 9 < 10"), "{why}");
            assert!(summary["certified_minimizing"].is_null());
            let text = stdout_ok(&["arcs", "--family", f, "--d", d, "--extreme"]);
            assert!(
                !text
                    .lines()
                    .any(|l| l.starts_with("certified minimizing candidate")),
                "{text}"
            );
            assert!(text.contains("not every one, see below"), "{text}");
            assert!(
                text.contains("not a certified minimizing candidate"),
                "{text}"
            );
        } else {
            assert!(summary["certified_minimizing"].is_array(), "{what}");
        }
    }
    // From n = 10 (d = 11) on, every type with at most 5 points split off is listed.
    let v = extreme_json("II", "11");
    let (_, summary) = candidates(&v, "II d=11");
    assert_eq!(summary["every_lattice_type"], true);
}

/// The text table prints the ranks of the JSON, and its enclosures with enough digits that
/// separated neighbours print disjoint (Z_3 and the Young `(n-3,3)` type differ by ~1e-8
/// at 10^12, a relative 3e-12).
#[test]
fn the_text_table_agrees_with_the_json() {
    let text = stdout_ok(&["arcs", "--family", "II", "--d", "1e12", "--extreme"]);
    let v = extreme_json("II", "1e12");
    let list = entries(v["candidates"].as_array().unwrap());
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("candidates for the minimizing arc"))
        .filter(|l| l.starts_with("| ") && !l.starts_with("| rank"))
        .collect();
    assert_eq!(rows.len(), list.len(), "{text}");
    assert!(text.contains("12 directions (type and sign) listed, 12 with a certified leading coefficient, 12 with a certified rank"), "{text}");
    let p = |s: &str| Float::with_val(1024, Float::parse(s).unwrap());
    let printed: Vec<(Float, Float)> = rows
        .iter()
        .zip(&list)
        .map(|(row, e)| {
            let cells: Vec<&str> = row.split(" | ").collect();
            assert_eq!(
                cells[0].trim_start_matches("| "),
                e.rank.unwrap().to_string()
            );
            assert_eq!(cells[1], e.name);
            let inner = cells[3]
                .trim_end_matches(" |")
                .trim_start_matches("eff. quartic [")
                .trim_end_matches(']');
            let (lo, hi) = inner.split_once(", ").unwrap();
            (p(lo), p(hi))
        })
        .collect();
    for (i, a) in list.iter().enumerate() {
        for (k, b) in list.iter().enumerate() {
            let twins = a.twin_key.is_some() && a.twin_key == b.twin_key;
            if a.rank < b.rank && !twins {
                assert!(printed[i].1 < printed[k].0, "{} vs {}", rows[i], rows[k]);
            }
        }
    }
    assert!(text.contains("certified minimizing candidate: Δ(S_999999999997 x S_1 x S_1 x S_1) ±"));
}

/// A planted overlap on real directions (II, d = 100): widening one certified enclosure
/// until it meets its neighbour's turns both ranks into "not separated" and leaves the
/// others certified; planted at rank 1, no certified minimizing candidate remains. An
/// uncertified coefficient leaves every rank undecided.
#[test]
fn a_planted_overlap_turns_certified_into_not_separated() {
    let cert = common::cert(Family::II, 100, 128);
    let opts = ArcOptions {
        extreme_only: true,
        ..ArcOptions::default()
    };
    let listing = arcs::listing_for(&cert, &opts, &|_, _| {});
    let c = arcs::smallest_candidates(&cert, &listing);
    assert!(c.listed.iter().all(|x| x.rank.certified().is_some()));
    assert!(c.certified_minimizing().is_some());
    let rank_of = |c: &arcs::Candidates, name: &str| -> Vec<Rank> {
        c.listed
            .iter()
            .filter(|x| {
                relucert::arcs::directions::isotropy(x.dir)
                    .name
                    .ends_with(name)
            })
            .map(|x| x.rank.clone())
            .collect()
    };
    // Z_3 (rank 4) and the Young (n-3,3) pair (rank 5) are neighbours.
    assert_eq!(rank_of(&c, " x Z_3 x S_1)"), vec![Rank::Certified(4)]);
    let index = |name: &str| {
        listing
            .directions
            .iter()
            .position(|d| {
                d.extreme == relucert::arcs::directions::Extreme::Smallest
                    && relucert::arcs::directions::isotropy(d).name.ends_with(name)
            })
            .unwrap()
    };
    let coef = |l: &relucert::arcs::directions::Enumeration, k: usize| {
        l.directions[k]
            .certified_leading
            .as_ref()
            .unwrap()
            .coefficient
            .clone()
    };
    let plant = |l: &mut relucert::arcs::directions::Enumeration, k: usize, reach: usize| {
        let (a, b) = (coef(l, k), coef(l, reach));
        let lo = a.lo().clone().min(b.lo());
        let hi = a.hi().clone().max(b.hi());
        let hull = relucert::arith::Interval::from_floats(a.precision(), &lo, &hi).unwrap();
        l.directions[k]
            .certified_leading
            .as_mut()
            .unwrap()
            .coefficient = hull;
    };
    let mut planted = listing.clone();
    plant(
        &mut planted,
        index(" x Z_3 x S_1)"),
        index(" x S_1 x S_3 x S_1)"),
    );
    let c = arcs::smallest_candidates(&cert, &planted);
    // Z_3 now meets both signs of the (n-3,3) type; each of those meets Z_3 only (its
    // twin, the other sign, carries the same quantity).
    assert_eq!(
        rank_of(&c, " x Z_3 x S_1)"),
        vec![Rank::NotSeparated {
            lowest: 4,
            highest: 6,
            overlapping: 2,
            uncertified: 0
        }]
    );
    let pair = Rank::NotSeparated {
        lowest: 4,
        highest: 5,
        overlapping: 1,
        uncertified: 0,
    };
    assert_eq!(rank_of(&c, " x S_1 x S_3 x S_1)"), vec![pair.clone(), pair]);
    assert_eq!(
        c.listed
            .iter()
            .filter(|x| x.rank.certified().is_some())
            .count(),
        c.listed.len() - 3
    );
    assert!(c.certified_minimizing().is_some(), "rank 1 is not involved");
    // Planted at rank 1: no certified minimizing candidate.
    let mut planted = listing.clone();
    let first = index(" x S_1 x S_1 x S_1)");
    plant(&mut planted, first, index(" x S_1 x S_2 x S_1)"));
    let c = arcs::smallest_candidates(&cert, &planted);
    assert!(c.listed.iter().all(|x| x.rank.certified() != Some(1)));
    assert!(c.certified_minimizing().is_none());
    // One coefficient not certified: it is not ranked and no rank is certified.
    let mut planted = listing.clone();
    planted.directions[index(" x Z_4 x S_1)")].certified_leading =
        Err(relucert::arcs::leading::LeadingFailure::Eigenline);
    let c = arcs::smallest_candidates(&cert, &planted);
    assert!(matches!(
        rank_of(&c, " x Z_4 x S_1)")[0],
        Rank::NotRanked { .. }
    ));
    assert!(c.listed.iter().all(|x| x.rank.certified().is_none()));
    assert!(c.certified_minimizing().is_none());
}
