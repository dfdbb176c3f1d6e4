//! Characters of `S_n` on `[n-1,1]`, `[n-2,2]`, `[n-2,1,1]` and the axial subgroups of
//! the form `K = S_{n-k} x H` (docs/arcs.md), exactly and at any `n` (cost independent of
//! `n`).
//!
//! Contract:
//!
//! - **Characters** ([`Irrep::character`]), from the fixed points `f` and 2-cycles `c` of
//!   `g`, with `pi_1(g) = f` (points) and `pi_2(g) = C(f,2) + c` (2-subsets):
//!
//!   | irreducible | decomposition used | `chi(g)` |
//!   |---|---|---|
//!   | `std = [n-1,1]` | `pi_1 = 1 + std` | `f - 1` |
//!   | `[n-2,2]` | `pi_2 = 1 + std + [n-2,2]` | `(f^2 - 3f + 2c)/2` |
//!   | `[n-2,1,1]` | `Λ^2(std)`, `chi = (chi_std(g)^2 - chi_std(g^2))/2`, `f(g^2) = f + 2c` | `(f^2 - 3f + 2 - 2c)/2` |
//!
//!   The unit tests compare them with the character tables of `S_4` and `S_5` typed in
//!   from the literature.
//! - **Fixed-space dimension** ([`fix_dimension`]): for `K = S_m x H`, `m = n - k`,
//!   `S_m` on the first `m` points and `H <= S_k` on the last `k`,
//!   `dim Fix_rho(K) = (1/|K|) sum_{g in K} chi(g)`. For `g = (s, h)` the fixed points and
//!   2-cycles add, and `chi` is a polynomial of degree 2 in `f` and 1 in `c`, so the sum
//!   over `S_m` only needs the moments of a uniform `s in S_m`: `E[f] = [m >= 1]`,
//!   `E[f^2] = [m >= 1] + [m >= 2]`, `E[c] = [m >= 2]/2` (the falling moments of the
//!   number of fixed points are 1 up to order `m`; a given pair is a 2-cycle with
//!   probability `1/(m(m-1))`). The sum over `H` is explicit (`|H| <= 120`). The result is
//!   an exact integer, independent of `n` once `m >= 2`. Tests compare it with the sum
//!   over every element of `K` and with orbit counting (below) for `n <= 8`.
//! - **Axial types** ([`axial_subgroups`]): `(k, H)`, `H` up to conjugacy in `S_k`, with
//!   `dim Fix_rho(K) = 1` and `K` the **isotropy subgroup** of the vectors of that line
//!   (the pointwise stabilizer: no `K' > K` with `dim Fix_rho(K') >= 1`, which would be
//!   `Fix(K') = Fix(K)`). Overgroups are classified, for `m >= 2` and `n >= 2k`
//!   (`m >= k`), by the lemma below; the enumeration is restricted to that range, where
//!   the answer is exact.
//!
//! **Lemma (overgroups of `S_m x H`).** Let `K' >= K = Sym(A) x H`, `|A| = m >= 2`,
//! `|B| = k`, `n = m + k`. Write `x ~ y` when `(x y) in K'`: an equivalence relation
//! (conjugate transpositions), invariant under `K'`, and `K'` contains `Sym` of each
//! class. `A` lies in one class `C`, `|C| >= m`. If `K'` maps `C` to itself, then
//! `K' = Sym(C) x H'` with `C = A ∪ U`, `U` a union of `H`-orbits, and `H' <= Sym(B \ U)`
//! contains the image of `H` there. Otherwise the images of `C` are `t >= 2` disjoint
//! classes of size `>= m`, so `2m <= n`; with `m >= k` this forces `m = k`, `C = A`, and
//! `K' = S_m wr S_2` (it preserves `{A, B}` and swaps the two). So for `n > 2k` every
//! overgroup has the form `S_{m'} x H'`, and for `n = 2k` the one extra overgroup is
//! `S_k wr S_2`, which contains `K` and has `dim Fix_rho = ` [`wreath_fix_dimension`].
//! (Its elements outside `S_k x S_k` have no fixed points, and their 2-cycles are the
//! fixed points of a uniform element of `S_k`.)
//!
//! Every quantity here is an exact integer; `n` may be as large as `u128` allows for the
//! characters (`f^2` must fit `i128`).

use super::{subgroup_classes, PermGroup, MAX_LATTICE_DEGREE};
use crate::symmetry::components::Kind;

/// Exact: one of the three nontrivial irreducibles of `S_n` in `std ⊗ std`: `std`,
/// `[n-2,2]`, `[n-2,1,1]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Irrep {
    /// `[n-1, 1]`.
    Std,
    /// `[n-2, 2]`.
    Two,
    /// `[n-2, 1, 1] = Λ^2(std)`.
    OneOne,
}

impl Irrep {
    /// Exact: the three, in the order `std`, `n-2,2`, `n-2,1,1`.
    pub const ALL: [Irrep; 3] = [Irrep::Std, Irrep::Two, Irrep::OneOne];

    /// Exact: the name as certificates write it (`Kind::name`).
    pub fn name(self) -> &'static str {
        match self {
            Irrep::Std => "std",
            Irrep::Two => "n-2,2",
            Irrep::OneOne => "n-2,1,1",
        }
    }

    /// Exact: the inverse of [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Irrep> {
        Irrep::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Exact: the irreducible of a component of one block (`None` for the trivial and
    /// `std x std` components).
    pub fn of_kind(kind: Kind) -> Option<Irrep> {
        match kind {
            Kind::Std(_) => Some(Irrep::Std),
            Kind::Two(_) => Some(Irrep::Two),
            Kind::OneOne(_) => Some(Irrep::OneOne),
            Kind::Trivial | Kind::StdStd(..) => None,
        }
    }

    /// Exact: the partition of `n` labelling it (`None` if `n` is too small for it:
    /// `n >= 2`, `4`, `3`).
    pub fn partition(self, n: u128) -> Option<Vec<u128>> {
        match self {
            Irrep::Std if n >= 2 => Some(vec![n - 1, 1]),
            Irrep::Two if n >= 4 => Some(vec![n - 2, 2]),
            Irrep::OneOne if n >= 3 => Some(vec![n - 2, 1, 1]),
            _ => None,
        }
    }

    /// Exact: the dimension `n-1`, `n(n-3)/2`, `(n-1)(n-2)/2` (0 where it does not
    /// exist).
    pub fn dimension(self, n: u128) -> u128 {
        if self.partition(n).is_none() {
            return 0;
        }
        match self {
            Irrep::Std => n - 1,
            Irrep::Two => n * (n - 3) / 2,
            Irrep::OneOne => (n - 1) * (n - 2) / 2,
        }
    }

    /// The doubled character as `A f^2 + B f + C c + D`.
    fn doubled_coefficients(self) -> [i128; 4] {
        match self {
            Irrep::Std => [0, 2, 0, -2],
            Irrep::Two => [1, -3, 2, 0],
            Irrep::OneOne => [1, -3, -2, 2],
        }
    }

    /// Exact: `chi(g)` for a permutation of `S_n` with `fix` fixed points and
    /// `two_cycles` 2-cycles (formulas in the module doc; valid for every `n` at which the
    /// irreducible exists). `None` if `fix^2` overflows `i128`.
    pub fn character(self, fix: u128, two_cycles: u128) -> Option<i128> {
        let [a, b, c, d] = self.doubled_coefficients();
        let f = i128::try_from(fix).ok()?;
        let t = i128::try_from(two_cycles).ok()?;
        let doubled = a * f.checked_mul(f)? + b * f + c * t + d;
        debug_assert_eq!(doubled % 2, 0);
        Some(doubled / 2)
    }
}

/// The moments `[E 1, E f, E f^2, 2 E c]` of the fixed points `f` and 2-cycles `c` of a
/// uniform element of `S_m`.
fn moments(m: u128) -> [i128; 4] {
    let at_least = |j: u128| i128::from(m >= j);
    [1, at_least(1), at_least(1) + at_least(2), at_least(2)]
}

/// Exact: `dim Fix_rho(S_{n-k} x H)` for `H <= S_k` (`k = h.degree()`) on the last `k`
/// of `n` points; `None` if `k > n`. Cost `O(|H|)`, independent of `n`.
pub fn fix_dimension(n: u128, rho: Irrep, h: &PermGroup) -> Option<u128> {
    let k = h.degree() as u128;
    let m = n.checked_sub(k)?;
    if rho.partition(n).is_none() {
        return Some(0);
    }
    let [a, b, c, d] = rho.doubled_coefficients();
    let [_, mu1, mu2, beta2] = moments(m);
    // 4 E_s[chi(f_s + F, c_s + C)] = 2 E[2 chi] with 2 chi = A f^2 + B f + C c + D.
    let mut total: i128 = 0;
    for g in h.elements() {
        let ff = g.fixed_points() as i128;
        let cc = g.two_cycles() as i128;
        total += 2 * a * (mu2 + 2 * ff * mu1 + ff * ff)
            + 2 * b * (mu1 + ff)
            + c * (beta2 + 2 * cc)
            + 2 * d;
    }
    let denom = 4 * h.order() as i128;
    assert_eq!(total % denom, 0, "a character inner product is an integer");
    let dim = total / denom;
    assert!(dim >= 0, "a dimension is not negative");
    Some(dim as u128)
}

/// Exact: `dim Fix_rho(S_k wr S_2)` in `S_{2k}` (`A`, `B` of size `k` each, swapped),
/// `k >= 1`: `(1/2)(dim Fix_rho(S_k x S_k) + E_p[chi(0, fix(p))])`, `p` uniform in
/// `S_k` (module doc).
pub fn wreath_fix_dimension(k: usize, rho: Irrep) -> u128 {
    let n = 2 * k as u128;
    if rho.partition(n).is_none() {
        return 0;
    }
    let [a, b, c, d] = rho.doubled_coefficients();
    let [_, mu1, mu2, beta2] = moments(k as u128);
    // Inside S_k x S_k: f = f1 + f2, c = c1 + c2 (independent): 4 E[chi].
    let base = 2 * a * (2 * mu2 + 2 * mu1 * mu1) + 2 * b * (2 * mu1) + c * (2 * beta2) + 2 * d;
    // The swapping coset: f = 0, c = fix(p): 4 E[chi(0, f_p)].
    let swap = 2 * (c * mu1 + d);
    let total = base + swap;
    assert_eq!(total % 8, 0, "a character inner product is an integer");
    (total / 8) as u128
}

/// Exact: one axial type `K = S_{n-k} x H`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AxialType {
    /// Exact: the number of points split off the block.
    pub k: usize,
    /// Exact: `H <= S_k` on the split-off points `0, .., k-1` (the canonical
    /// representative of its class, [`PermGroup::canonical`]).
    pub h: PermGroup,
    /// Exact: a readable name, `S_{n-k} x ` and [`PermGroup::name`] (fixed split-off
    /// points written `S_1`), e.g. `S_{n-3} x Z_3`, `S_{n-2} x S_1 x S_1`.
    pub name: String,
    /// Exact: generators of `H` in 1-based cycle notation on the split-off points
    /// (empty for the trivial group).
    pub generators: Vec<String>,
    /// Exact: whether `K` is a Young subgroup (`H` the product of the symmetric groups
    /// on its orbits).
    pub young: bool,
}

impl AxialType {
    fn new(k: usize, h: PermGroup) -> AxialType {
        let name = if k == 0 {
            "S_n".to_string()
        } else {
            format!("S_{{n-{k}}} x {}", h.name())
        };
        AxialType {
            k,
            name,
            generators: h.generators().iter().map(|g| g.cycle_notation()).collect(),
            young: h.is_young(),
            h,
        }
    }

    /// Exact: `|K| = (n-k)! |H|`, or `None` if it overflows `u128` (or `k > n`).
    pub fn order(&self, n: u128) -> Option<u128> {
        let m = n.checked_sub(self.k as u128)?;
        let mut f: u128 = self.h.order() as u128;
        for i in 2..=m {
            f = f.checked_mul(i)?;
        }
        Some(f)
    }

    /// Exact: the orbit lengths of `K` on the `n` points in decreasing order (`n - k`,
    /// then those of `H`).
    pub fn orbit_profile(&self, n: u128) -> Vec<u128> {
        let mut v: Vec<u128> = self.h.orbit_profile().iter().map(|&x| x as u128).collect();
        v.push(n - self.k as u128);
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    }
}

/// Exact: whether no subgroup `K' > K = S_{n-k} x H` (`k = h.degree()`) has a nonzero
/// fixed vector in `rho`, every overgroup being one of those of the lemma in the module
/// doc. When `dim Fix_rho(K) = 1` this says exactly that `K` is the isotropy subgroup of
/// the vectors of its fixed line. `None` unless `n >= 2k`, `n - k >= 2` and `k <= 5`.
pub fn is_isotropy(n: u128, rho: Irrep, h: &PermGroup) -> Option<bool> {
    let k = h.degree();
    let m = n.checked_sub(k as u128)?;
    if m < 2 || m < k as u128 || k > MAX_LATTICE_DEGREE {
        return None;
    }
    let orbits = h.orbits();
    // U = union of a subset of the orbits; B' = the rest.
    for mask in 0u32..(1 << orbits.len()) {
        let rest: Vec<usize> = {
            let mut v: Vec<usize> = orbits
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) == 0)
                .flat_map(|(_, o)| o.iter().copied())
                .collect();
            v.sort_unstable();
            v
        };
        let image = h
            .restriction(&rest)
            .expect("a union of orbits is invariant");
        for bigger in super::all_subgroups(rest.len()).expect("k <= 5") {
            if mask == 0 && bigger == h {
                continue;
            }
            if !image.is_subgroup_of(bigger) {
                continue;
            }
            if fix_dimension(n, rho, bigger).expect("k' <= k <= n") >= 1 {
                return Some(false);
            }
        }
    }
    if m == k as u128 && h.is_symmetric() && wreath_fix_dimension(k, rho) >= 1 {
        return Some(false);
    }
    Some(true)
}

/// Exact: the axial types `K = S_{n-k} x H` of `rho` with `k <= min(kmax, 5)`,
/// `n - k >= max(k, 2)`: `H` runs over the conjugacy classes of subgroups of `S_k`, and
/// `(k, H)` is listed when `dim Fix_rho(K) = 1` and `K` is the isotropy subgroup of that
/// line ([`is_isotropy`]); so no type is a subgroup of another listed one with the same
/// fixed line (which is how a smaller `k`, or a larger `H`, "covers" it). Ordered by `k`,
/// then by `|H|`. Different `(k, H)` give non-conjugate subgroups of `S_n` in this range
/// (`S_{n-k}` is the full symmetric group on the largest orbit of `K`, unique up to
/// conjugacy). Cost independent of `n`.
pub fn axial_subgroups(n: u128, rho: Irrep, kmax: usize) -> Vec<AxialType> {
    let mut out = Vec::new();
    for k in 0..=kmax.min(MAX_LATTICE_DEGREE) {
        let kk = k as u128;
        if n < kk + 2 || n < 2 * kk {
            break;
        }
        for h in subgroup_classes(k).expect("k <= 5") {
            if fix_dimension(n, rho, h) == Some(1) && is_isotropy(n, rho, h) == Some(true) {
                out.push(AxialType::new(k, h.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{symmetric_elements, Perm, PermGroup};
    use super::*;

    /// Character tables of S_4 and S_5 (James & Kerber; Fulton & Harris §3.1), columns by
    /// cycle type, rows by partition.
    const S4_CLASSES: [&[usize]; 5] = [&[1, 1, 1, 1], &[2, 1, 1], &[2, 2], &[3, 1], &[4]];
    const S4_TABLE: [(Irrep, [i128; 5]); 3] = [
        (Irrep::Std, [3, 1, -1, 0, -1]),    // [3,1]
        (Irrep::Two, [2, 0, 2, -1, 0]),     // [2,2]
        (Irrep::OneOne, [3, -1, -1, 0, 1]), // [2,1,1]
    ];
    const S5_CLASSES: [&[usize]; 7] = [
        &[1, 1, 1, 1, 1],
        &[2, 1, 1, 1],
        &[2, 2, 1],
        &[3, 1, 1],
        &[3, 2],
        &[4, 1],
        &[5],
    ];
    const S5_TABLE: [(Irrep, [i128; 7]); 3] = [
        (Irrep::Std, [4, 2, 0, 1, -1, 0, -1]),   // [4,1]
        (Irrep::Two, [5, 1, 1, -1, 1, -1, 0]),   // [3,2]
        (Irrep::OneOne, [6, 0, -2, 0, 0, 0, 1]), // [3,1,1]
    ];

    fn fix_and_two(ct: &[usize]) -> (u128, u128) {
        let f = ct.iter().filter(|&&x| x == 1).count() as u128;
        let c = ct.iter().filter(|&&x| x == 2).count() as u128;
        (f, c)
    }

    #[test]
    fn characters_match_the_tables_of_s4_and_s5() {
        for (rho, row) in S4_TABLE {
            for (ct, want) in S4_CLASSES.iter().zip(row) {
                let (f, c) = fix_and_two(ct);
                assert_eq!(rho.character(f, c), Some(want), "S_4 {rho:?} {ct:?}");
            }
            assert_eq!(rho.dimension(4) as i128, row[0]);
        }
        for (rho, row) in S5_TABLE {
            for (ct, want) in S5_CLASSES.iter().zip(row) {
                let (f, c) = fix_and_two(ct);
                assert_eq!(rho.character(f, c), Some(want), "S_5 {rho:?} {ct:?}");
            }
            assert_eq!(rho.dimension(5) as i128, row[0]);
        }
    }

    #[test]
    fn orthonormality_over_s5_and_s6() {
        // <chi, chi> = 1 and <chi, 1> = 0, summed over all elements.
        for n in [5usize, 6] {
            let all = symmetric_elements(n);
            for rho in Irrep::ALL {
                let (mut s1, mut s2) = (0i128, 0i128);
                for g in &all {
                    let x = rho
                        .character(g.fixed_points() as u128, g.two_cycles() as u128)
                        .unwrap();
                    s1 += x;
                    s2 += x * x;
                }
                assert_eq!((s1, s2), (0, all.len() as i128), "n = {n}, {rho:?}");
            }
        }
    }

    /// K = S_m x H as a group of degree n = m + k.
    fn full_group(m: usize, h: &PermGroup) -> PermGroup {
        let n = m + h.degree();
        let mut gens = Vec::new();
        if m >= 2 {
            gens.push(Perm::from_cycles(n, "(1 2)").unwrap());
            let cyc: Vec<usize> = (1..m).chain([0]).chain(m..n).collect();
            gens.push(Perm::from_images(&cyc).unwrap());
        }
        for g in h.generators() {
            let imgs: Vec<usize> = (0..m).chain(g.images().iter().map(|&x| x + m)).collect();
            gens.push(Perm::from_images(&imgs).unwrap());
        }
        PermGroup::generate(n, &gens)
    }

    fn brute_dimension(k: &PermGroup, rho: Irrep) -> u128 {
        let s: i128 = k
            .elements()
            .iter()
            .map(|g| {
                rho.character(g.fixed_points() as u128, g.two_cycles() as u128)
                    .unwrap()
            })
            .sum();
        assert_eq!(s % k.order() as i128, 0);
        (s / k.order() as i128) as u128
    }

    /// Orbit counting, independent of the characters: Fix(K) on C^n has dimension
    /// #orbits r; on 2-subsets #orbits o2; on Λ^2(C^n) the number o2+ of 2-subset orbits
    /// whose stabilizer never swaps the pair. pi_2 = 1 + std + [n-2,2] and
    /// Λ^2(C^n) = std + [n-2,1,1].
    fn orbit_dimension(k: &PermGroup, rho: Irrep) -> u128 {
        let n = k.degree();
        let r = k.orbits().len() as u128;
        let mut seen = std::collections::HashSet::new();
        let (mut o2, mut o2plus) = (0u128, 0u128);
        for i in 0..n {
            for j in (i + 1)..n {
                if seen.contains(&(i, j)) {
                    continue;
                }
                o2 += 1;
                let mut reversible = false;
                for g in k.elements() {
                    let (a, b) = (g.image(i), g.image(j));
                    seen.insert((a.min(b), a.max(b)));
                    if a == j && b == i {
                        reversible = true;
                    }
                }
                if !reversible {
                    o2plus += 1;
                }
            }
        }
        match rho {
            Irrep::Std => r - 1,
            Irrep::Two => o2 - r,
            Irrep::OneOne => o2plus - (r - 1),
        }
    }

    #[test]
    fn fix_dimension_three_ways() {
        for n in 4..=8usize {
            for k in 0..=n.min(5) {
                for h in subgroup_classes(k).unwrap() {
                    let full = full_group(n - k, h);
                    assert_eq!(full.order(), (1..=n - k).product::<usize>() * h.order());
                    for rho in Irrep::ALL {
                        let want = brute_dimension(&full, rho);
                        assert_eq!(orbit_dimension(&full, rho), want, "n {n} {rho:?} {h:?}");
                        assert_eq!(
                            fix_dimension(n as u128, rho, h),
                            Some(want),
                            "n {n}, k {k}, {rho:?}, H = {}",
                            h.name()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn wreath_dimension_against_the_group() {
        for k in 2..=4usize {
            let n = 2 * k;
            // S_k x S_k and the swap i <-> i + k.
            let sk = PermGroup::symmetric(k);
            let mut gens: Vec<Perm> = full_group(k, &sk).generators();
            let swap: Vec<usize> = (k..n).chain(0..k).collect();
            gens.push(Perm::from_images(&swap).unwrap());
            let wr = PermGroup::generate(n, &gens);
            assert_eq!(wr.order(), 2 * (1..=k).product::<usize>().pow(2));
            for rho in Irrep::ALL {
                assert_eq!(wreath_fix_dimension(k, rho), brute_dimension(&wr, rho));
                assert_eq!(wreath_fix_dimension(k, rho), orbit_dimension(&wr, rho));
            }
        }
    }

    #[test]
    fn large_n_is_exact_and_cheap() {
        let n = 1_000_000_000_000u128;
        assert_eq!(
            Irrep::OneOne.character(n, 0),
            Some(((n - 1) * (n - 2) / 2) as i128)
        );
        let z3 = PermGroup::from_cycles(3, &["(1 2 3)"]).unwrap();
        assert_eq!(fix_dimension(n, Irrep::OneOne, &z3), Some(1));
        assert_eq!(is_isotropy(n, Irrep::OneOne, &z3), Some(true));
        // Z_3 fixes the two-valued std vector of the split (n-3, 3) only: not isotropy.
        assert_eq!(fix_dimension(n, Irrep::Std, &z3), Some(1));
        assert_eq!(is_isotropy(n, Irrep::Std, &z3), Some(false));
    }
}
