//! Permutation groups of small degree, exactly: the split-off points of an axial
//! subgroup `S_{n-k} x H` (docs/arcs.md) and the group `H <= S_k` acting on them.
//!
//! Contract:
//!
//! - A [`Perm`] is a bijection of `{0, .., k-1}`, `k <= MAX_DEGREE`, stored as its array
//!   of images. Composition follows GAP: `p.then(&q)` applies `p` first, then `q`
//!   (GAP's `p * q`, `i^(pq) = (i^p)^q`). Cycle notation is 1-based, `(1 2 3)(4 5)`, the
//!   identity `()`; [`Perm::from_cycles`] also reads GAP's `(1,2,3)(4,5)`.
//! - A [`PermGroup`] is the full, sorted list of its elements (closure of generators),
//!   so every query (order, membership, subgroup, orbits) is exact. Conjugacy of two
//!   subgroups of `S_k` is decided by a canonical form: the lexicographically smallest
//!   sorted element list among all `k!` conjugates (cost `k! |G| log |G|`).
//! - [`all_subgroups`] and [`subgroup_classes`] list every subgroup of `S_k`, and one
//!   canonical representative per conjugacy class, for `k <= 5` (1, 2, 4, 11, 19
//!   classes for `k = 1..5`; 1, 2, 6, 30, 156 subgroups).
//!
//! Everything here is exact (integers); nothing is approximate or enclosed. Characters
//! and fixed-space dimensions of `S_n` built on this live in [`axial`].

pub mod axial;

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::sync::OnceLock;

/// Exact: the largest degree a [`Perm`] can have.
pub const MAX_DEGREE: usize = 8;

/// Exact: the largest degree for which [`all_subgroups`] and [`subgroup_classes`] answer.
pub const MAX_LATTICE_DEGREE: usize = 5;

/// Exact: a permutation of `{0, .., degree-1}` (points `>= degree` are fixed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Perm {
    degree: u8,
    images: [u8; MAX_DEGREE],
}

impl Perm {
    /// Exact: the identity of degree `degree` (`degree <= MAX_DEGREE`).
    ///
    /// # Panics
    /// If `degree > MAX_DEGREE`.
    pub fn identity(degree: usize) -> Perm {
        assert!(degree <= MAX_DEGREE, "degree {degree} > {MAX_DEGREE}");
        let mut images = [0u8; MAX_DEGREE];
        for (i, x) in images.iter_mut().enumerate() {
            *x = i as u8;
        }
        Perm {
            degree: degree as u8,
            images,
        }
    }

    /// Exact: the permutation `i -> images[i]` (0-based), or `None` if `images` is not a
    /// bijection of `{0, .., len-1}` or is longer than `MAX_DEGREE`.
    pub fn from_images(images: &[usize]) -> Option<Perm> {
        let k = images.len();
        if k > MAX_DEGREE {
            return None;
        }
        let mut p = Perm::identity(k);
        let mut seen = [false; MAX_DEGREE];
        for (i, &x) in images.iter().enumerate() {
            if x >= k || seen[x] {
                return None;
            }
            seen[x] = true;
            p.images[i] = x as u8;
        }
        Some(p)
    }

    /// Exact: the permutation of degree `degree` written in 1-based cycle notation, with
    /// spaces or commas between points: `(1 2 3)(4 5)`, `(1,2,3)(4,5)`, `()`. `None` if
    /// the text is malformed, a point is out of range or repeated.
    pub fn from_cycles(degree: usize, text: &str) -> Option<Perm> {
        if degree > MAX_DEGREE {
            return None;
        }
        let mut p = Perm::identity(degree);
        let mut used = [false; MAX_DEGREE];
        let mut rest = text.trim();
        while !rest.is_empty() {
            let inner_end = rest.find(')')?;
            let inner = rest.strip_prefix('(')?.get(..inner_end - 1)?;
            rest = rest[inner_end + 1..].trim_start();
            let points: Vec<usize> = inner
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<usize>().ok().filter(|&x| x >= 1 && x <= degree))
                .collect::<Option<Vec<_>>>()?;
            for &x in &points {
                if used[x - 1] {
                    return None;
                }
                used[x - 1] = true;
            }
            for (j, &x) in points.iter().enumerate() {
                p.images[x - 1] = (points[(j + 1) % points.len()] - 1) as u8;
            }
        }
        Some(p)
    }

    /// Exact: the degree.
    pub fn degree(&self) -> usize {
        self.degree as usize
    }

    /// Exact: the image of point `i` (`i` itself for `i >= degree`).
    pub fn image(&self, i: usize) -> usize {
        if i < self.degree() {
            self.images[i] as usize
        } else {
            i
        }
    }

    /// Exact: the images of `0, .., degree-1`.
    pub fn images(&self) -> Vec<usize> {
        (0..self.degree()).map(|i| self.image(i)).collect()
    }

    /// Exact: `self` first, then `other` (GAP's `self * other`); the degree is the larger
    /// of the two.
    pub fn then(&self, other: &Perm) -> Perm {
        let k = self.degree().max(other.degree());
        let mut p = Perm::identity(k);
        for i in 0..k {
            p.images[i] = other.image(self.image(i)) as u8;
        }
        p
    }

    /// Exact: the inverse.
    pub fn inverse(&self) -> Perm {
        let mut p = Perm::identity(self.degree());
        for i in 0..self.degree() {
            p.images[self.image(i)] = i as u8;
        }
        p
    }

    /// Exact: the conjugate `g^-1 self g` (GAP's `self^g`): the permutation that maps
    /// `g(i)` to `g(self(i))`, i.e. `self` with its points renamed by `g`.
    pub fn conjugate(&self, g: &Perm) -> Perm {
        g.inverse().then(self).then(g)
    }

    /// Exact: whether this is the identity.
    pub fn is_identity(&self) -> bool {
        (0..self.degree()).all(|i| self.image(i) == i)
    }

    /// Exact: the nontrivial cycles, each starting at its smallest point, ordered by it.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        let mut seen = [false; MAX_DEGREE];
        let mut out = Vec::new();
        for i in 0..self.degree() {
            if seen[i] {
                continue;
            }
            let mut cycle = vec![i];
            seen[i] = true;
            let mut j = self.image(i);
            while j != i {
                seen[j] = true;
                cycle.push(j);
                j = self.image(j);
            }
            if cycle.len() > 1 {
                out.push(cycle);
            }
        }
        out
    }

    /// Exact: the cycle lengths, fixed points included, in decreasing order (a partition
    /// of the degree).
    pub fn cycle_type(&self) -> Vec<usize> {
        let mut t: Vec<usize> = self.cycles().iter().map(Vec::len).collect();
        t.extend(std::iter::repeat_n(1, self.fixed_points()));
        t.sort_unstable_by(|a, b| b.cmp(a));
        t
    }

    /// Exact: the number of fixed points among `0, .., degree-1`.
    pub fn fixed_points(&self) -> usize {
        (0..self.degree()).filter(|&i| self.image(i) == i).count()
    }

    /// Exact: the number of 2-cycles.
    pub fn two_cycles(&self) -> usize {
        self.cycles().iter().filter(|c| c.len() == 2).count()
    }

    /// Exact: the order (the lcm of the cycle lengths).
    pub fn order(&self) -> usize {
        self.cycles().iter().fold(1, |acc, c| lcm(acc, c.len()))
    }

    /// Exact: 1-based cycle notation with spaces, `(1 2 3)(4 5)`; `()` for the identity.
    pub fn cycle_notation(&self) -> String {
        let cycles = self.cycles();
        if cycles.is_empty() {
            return "()".into();
        }
        cycles
            .iter()
            .map(|c| {
                let pts: Vec<String> = c.iter().map(|x| (x + 1).to_string()).collect();
                format!("({})", pts.join(" "))
            })
            .collect()
    }

    /// Exact: the same permutation on `degree` points (`degree` at least every moved
    /// point plus one, at most `MAX_DEGREE`), or `None`.
    pub fn with_degree(&self, degree: usize) -> Option<Perm> {
        if degree > MAX_DEGREE || (degree..self.degree()).any(|i| self.image(i) != i) {
            return None;
        }
        let mut p = Perm::identity(degree);
        for i in 0..degree {
            p.images[i] = self.image(i) as u8;
        }
        Some(p)
    }
}

impl fmt::Display for Perm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cycle_notation())
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn lcm(a: usize, b: usize) -> usize {
    a / gcd(a, b) * b
}

fn factorial(k: usize) -> usize {
    (1..=k).product()
}

/// Exact: every permutation of degree `k`, in increasing order.
///
/// # Panics
/// If `k > MAX_DEGREE`.
pub fn symmetric_elements(k: usize) -> Vec<Perm> {
    assert!(k <= MAX_DEGREE, "degree {k} > {MAX_DEGREE}");
    let mut out = Vec::with_capacity(factorial(k));
    let mut current: Vec<usize> = (0..k).collect();
    loop {
        out.push(Perm::from_images(&current).expect("a permutation"));
        // Next permutation in lexicographic order.
        let Some(i) = (1..k).rev().find(|&i| current[i - 1] < current[i]) else {
            break;
        };
        let j = (i..k).rev().find(|&j| current[j] > current[i - 1]).unwrap();
        current.swap(i - 1, j);
        current[i..].reverse();
    }
    out.sort_unstable();
    out
}

/// Exact: a permutation group of degree `k <= MAX_DEGREE`, held as the sorted list of all
/// its elements.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PermGroup {
    degree: usize,
    elements: Vec<Perm>,
}

impl PermGroup {
    /// Exact: the group generated by `gens` on `degree` points (closure under
    /// multiplication; the trivial group for no generators).
    ///
    /// # Panics
    /// If `degree > MAX_DEGREE` or a generator moves a point `>= degree`.
    pub fn generate(degree: usize, gens: &[Perm]) -> PermGroup {
        let gens: Vec<Perm> = gens
            .iter()
            .map(|g| {
                g.with_degree(degree)
                    .unwrap_or_else(|| panic!("generator {g} does not fit degree {degree}"))
            })
            .collect();
        let id = Perm::identity(degree);
        let mut seen: HashSet<Perm> = HashSet::from([id]);
        let mut frontier = vec![id];
        while let Some(x) = frontier.pop() {
            for g in &gens {
                let y = x.then(g);
                if seen.insert(y) {
                    frontier.push(y);
                }
            }
        }
        let mut elements: Vec<Perm> = seen.into_iter().collect();
        elements.sort_unstable();
        PermGroup { degree, elements }
    }

    /// Exact: the trivial group on `degree` points.
    pub fn trivial(degree: usize) -> PermGroup {
        PermGroup::generate(degree, &[])
    }

    /// Exact: the symmetric group `S_degree`.
    pub fn symmetric(degree: usize) -> PermGroup {
        PermGroup {
            degree,
            elements: symmetric_elements(degree),
        }
    }

    /// Exact: the group generated by permutations written in cycle notation (1-based,
    /// spaces or commas), or `None` if one does not parse.
    pub fn from_cycles(degree: usize, gens: &[&str]) -> Option<PermGroup> {
        let gens: Vec<Perm> = gens
            .iter()
            .map(|s| Perm::from_cycles(degree, s))
            .collect::<Option<_>>()?;
        Some(PermGroup::generate(degree, &gens))
    }

    /// Exact: the degree.
    pub fn degree(&self) -> usize {
        self.degree
    }

    /// Exact: the order.
    pub fn order(&self) -> usize {
        self.elements.len()
    }

    /// Exact: all elements, in increasing order.
    pub fn elements(&self) -> &[Perm] {
        &self.elements
    }

    /// Exact: whether `p` (of the same degree) is an element.
    pub fn contains(&self, p: &Perm) -> bool {
        self.elements.binary_search(p).is_ok()
    }

    /// Exact: whether every element lies in `other` (same degree).
    pub fn is_subgroup_of(&self, other: &PermGroup) -> bool {
        self.degree == other.degree && self.elements.iter().all(|p| other.contains(p))
    }

    /// Exact: whether this is all of `S_degree`.
    pub fn is_symmetric(&self) -> bool {
        self.order() == factorial(self.degree)
    }

    /// Exact: a short generating set, chosen deterministically. For a Young subgroup,
    /// per orbit of size `j >= 2` (in order of the smallest point) the `j`-cycle through
    /// its points in increasing order and, for `j >= 3`, the transposition of its first
    /// two points. Otherwise greedily: each step takes the first element (in increasing
    /// order) that enlarges the generated subgroup most. Empty for the trivial group.
    pub fn generators(&self) -> Vec<Perm> {
        if self.is_young() {
            let mut gens = Vec::new();
            for o in self.orbits().iter().filter(|o| o.len() >= 2) {
                let mut images: Vec<usize> = (0..self.degree).collect();
                for (j, &x) in o.iter().enumerate() {
                    images[x] = o[(j + 1) % o.len()];
                }
                gens.push(Perm::from_images(&images).expect("a cycle"));
                if o.len() >= 3 {
                    let mut images: Vec<usize> = (0..self.degree).collect();
                    images.swap(o[0], o[1]);
                    gens.push(Perm::from_images(&images).expect("a transposition"));
                }
            }
            debug_assert_eq!(PermGroup::generate(self.degree, &gens), *self);
            return gens;
        }
        let mut gens = Vec::new();
        let mut current = PermGroup::trivial(self.degree);
        while current.order() < self.order() {
            let mut best: Option<(usize, Perm, PermGroup)> = None;
            for p in &self.elements {
                if current.contains(p) {
                    continue;
                }
                let mut g = gens.clone();
                g.push(*p);
                let next = PermGroup::generate(self.degree, &g);
                if best.as_ref().is_none_or(|(o, _, _)| next.order() > *o) {
                    best = Some((next.order(), *p, next));
                }
            }
            let (_, p, next) = best.expect("a missing element exists");
            gens.push(p);
            current = next;
        }
        gens
    }

    /// Exact: the orbits on `0, .., degree-1` (fixed points included), each sorted,
    /// ordered by their smallest point.
    pub fn orbits(&self) -> Vec<Vec<usize>> {
        let mut seen = vec![false; self.degree];
        let mut out = Vec::new();
        for i in 0..self.degree {
            if seen[i] {
                continue;
            }
            let orbit: BTreeSet<usize> = self.elements.iter().map(|p| p.image(i)).collect();
            for &j in &orbit {
                seen[j] = true;
            }
            out.push(orbit.into_iter().collect());
        }
        out
    }

    /// Exact: the conjugate group `g^-1 G g` (points renamed by `g`).
    pub fn conjugate(&self, g: &Perm) -> PermGroup {
        let mut elements: Vec<Perm> = self.elements.iter().map(|p| p.conjugate(g)).collect();
        elements.sort_unstable();
        PermGroup {
            degree: self.degree,
            elements,
        }
    }

    /// Exact: the action on an invariant set of points, relabelled `0, .., len-1` in the
    /// order given; `None` if the set is not invariant (or has repeated or out-of-range
    /// points).
    pub fn restriction(&self, points: &[usize]) -> Option<PermGroup> {
        let mut index = vec![usize::MAX; self.degree];
        for (j, &x) in points.iter().enumerate() {
            if x >= self.degree || index[x] != usize::MAX {
                return None;
            }
            index[x] = j;
        }
        let mut set: BTreeSet<Perm> = BTreeSet::new();
        for p in &self.elements {
            let imgs: Vec<usize> = points
                .iter()
                .map(|&x| index[p.image(x)])
                .collect::<Vec<_>>();
            if imgs.contains(&usize::MAX) {
                return None;
            }
            set.insert(Perm::from_images(&imgs)?);
        }
        Some(PermGroup {
            degree: points.len(),
            elements: set.into_iter().collect(),
        })
    }

    /// Exact: the canonical form under conjugation by `S_degree`: the smallest sorted
    /// element list among all conjugates (lexicographic on the permutations' images).
    /// Two subgroups of `S_degree` are conjugate iff their canonical forms are equal.
    pub fn canonical_form(&self) -> Vec<Perm> {
        let mut best: Option<Vec<Perm>> = None;
        for g in symmetric_elements(self.degree) {
            let c = self.conjugate(&g).elements;
            if best.as_ref().is_none_or(|b| c < *b) {
                best = Some(c);
            }
        }
        best.expect("S_k is not empty")
    }

    /// Exact: the canonical representative of the conjugacy class (the group whose
    /// elements are [`canonical_form`](Self::canonical_form)).
    pub fn canonical(&self) -> PermGroup {
        PermGroup {
            degree: self.degree,
            elements: self.canonical_form(),
        }
    }

    /// Exact: whether the two groups are conjugate in `S_degree` (same degree required).
    pub fn is_conjugate_to(&self, other: &PermGroup) -> bool {
        self.degree == other.degree
            && self.order() == other.order()
            && self.orbit_profile() == other.orbit_profile()
            && self.canonical_form() == other.canonical_form()
    }

    /// Exact: the orbit lengths in decreasing order (fixed points included).
    pub fn orbit_profile(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.orbits().iter().map(Vec::len).collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    }

    /// Exact: whether the group is the product of the full symmetric groups on its
    /// orbits (a Young subgroup).
    pub fn is_young(&self) -> bool {
        self.order()
            == self
                .orbits()
                .iter()
                .map(|o| factorial(o.len()))
                .product::<usize>()
    }

    /// Exact: a readable name, built from the finest splitting of the orbits into sets on
    /// which the group is a direct product of its restrictions. Transitive factors are
    /// named `S_j`, `A_j`, `Z_j`, `V_4`, `D_8`, `D_10`, `F_20`; fixed points are `S_1`; a
    /// factor that acts on several orbits at once is named by its abstract type and the
    /// orbit lengths, e.g. `Z_2(2,2)` for `<(1 2)(3 4)>` and `S_3(3,2)` for
    /// `<(1 2 3), (1 2)(4 5)>`. Factors are listed by decreasing size, ` x ` between them;
    /// the trivial group on 0 points is `1`.
    pub fn name(&self) -> String {
        let orbits = self.orbits();
        let parts = self.finest_product_split(&orbits);
        let mut named: Vec<(usize, String)> = parts
            .iter()
            .map(|part| {
                let points: Vec<usize> = {
                    let mut v: Vec<usize> = part.iter().flat_map(|&o| orbits[o].clone()).collect();
                    v.sort_unstable();
                    v
                };
                let r = self
                    .restriction(&points)
                    .expect("a union of orbits is invariant");
                let name = if part.len() == 1 {
                    transitive_name(&r)
                } else {
                    let mut lens: Vec<usize> = part.iter().map(|&o| orbits[o].len()).collect();
                    lens.sort_unstable_by(|a, b| b.cmp(a));
                    let lens: Vec<String> = lens.iter().map(usize::to_string).collect();
                    format!("{}({})", abstract_name(&r), lens.join(","))
                };
                (points.len(), name)
            })
            .collect();
        if named.is_empty() {
            return "1".into();
        }
        named.sort_by_key(|x| std::cmp::Reverse(x.0));
        named
            .into_iter()
            .map(|(_, s)| s)
            .collect::<Vec<_>>()
            .join(" x ")
    }

    /// The set partition of the orbits (by index) with the most parts such that the group
    /// is the direct product of its restrictions to the parts.
    fn finest_product_split(&self, orbits: &[Vec<usize>]) -> Vec<Vec<usize>> {
        let mut best: Option<Vec<Vec<usize>>> = None;
        for split in set_partitions(orbits.len()) {
            if best.as_ref().is_some_and(|b| b.len() >= split.len()) {
                continue;
            }
            let product: usize = split
                .iter()
                .map(|part| {
                    let points: Vec<usize> = part
                        .iter()
                        .flat_map(|&o| orbits[o].iter().copied())
                        .collect();
                    self.restriction(&points).expect("invariant").order()
                })
                .product();
            if product == self.order() {
                best = Some(split);
            }
        }
        best.unwrap_or_default()
    }
}

/// All set partitions of `{0, .., r-1}` (restricted growth strings), parts in order of
/// their smallest element.
fn set_partitions(r: usize) -> Vec<Vec<Vec<usize>>> {
    let mut out = Vec::new();
    let mut labels = vec![0usize; r];
    fn rec(i: usize, max: usize, labels: &mut Vec<usize>, out: &mut Vec<Vec<Vec<usize>>>) {
        if i == labels.len() {
            let mut parts: Vec<Vec<usize>> = vec![Vec::new(); max];
            for (j, &l) in labels.iter().enumerate() {
                parts[l].push(j);
            }
            out.push(parts);
            return;
        }
        for l in 0..=max {
            labels[i] = l;
            rec(i + 1, max.max(l + 1), labels, out);
        }
    }
    rec(0, 0, &mut labels, &mut out);
    out
}

/// The name of a transitive group (by degree and order; degree 4, order 4 split by an
/// element of order 4).
fn transitive_name(g: &PermGroup) -> String {
    let (k, o) = (g.degree(), g.order());
    if o == factorial(k) {
        return format!("S_{k}");
    }
    if k >= 4 && 2 * o == factorial(k) {
        return format!("A_{k}");
    }
    if g.elements().iter().any(|p| p.order() == o) {
        return format!("Z_{o}");
    }
    match (k, o) {
        (4, 4) => "V_4".into(),
        (k, o) if o == 2 * k => format!("D_{o}"),
        (5, 20) => "F_20".into(),
        _ => format!("T{k}_{o}"),
    }
}

/// An abstract name by order and element orders (enough for degree <= 5).
fn abstract_name(g: &PermGroup) -> String {
    let o = g.order();
    let commutative = g
        .elements()
        .iter()
        .all(|a| g.elements().iter().all(|b| a.then(b) == b.then(a)));
    if g.elements().iter().any(|p| p.order() == o) {
        format!("Z_{o}")
    } else if o == 4 {
        "V_4".into()
    } else if o == 6 && !commutative {
        "S_3".into()
    } else {
        format!("G_{o}")
    }
}

/// The subgroups and class representatives of `S_0 .. S_5`, computed once.
struct Lattices {
    all: Vec<Vec<PermGroup>>,
    classes: Vec<Vec<PermGroup>>,
}

fn lattices() -> &'static Lattices {
    static CELL: OnceLock<Lattices> = OnceLock::new();
    CELL.get_or_init(|| {
        let all: Vec<Vec<PermGroup>> = (0..=MAX_LATTICE_DEGREE).map(compute_subgroups).collect();
        let classes = all
            .iter()
            .enumerate()
            .map(|(k, groups)| {
                let mut reps: BTreeSet<(usize, Vec<Perm>)> = BTreeSet::new();
                for g in groups {
                    reps.insert((g.order(), g.canonical_form()));
                }
                reps.into_iter()
                    .map(|(_, elements)| PermGroup {
                        degree: k,
                        elements,
                    })
                    .collect()
            })
            .collect();
        Lattices { all, classes }
    })
}

/// Exact: every subgroup of `S_k` (`k <= MAX_LATTICE_DEGREE`), ordered by order and then
/// by element list; `None` for larger `k`. (Computed once per process.)
pub fn all_subgroups(k: usize) -> Option<&'static [PermGroup]> {
    lattices().all.get(k).map(Vec::as_slice)
}

/// Every subgroup of `S_k`, `k <= MAX_LATTICE_DEGREE`.
fn compute_subgroups(k: usize) -> Vec<PermGroup> {
    let all = symmetric_elements(k);
    // Breadth-first over "add one element": every subgroup is reached from the trivial
    // group through a chain of subgroups, each generated by its predecessor and one more
    // element. Each group keeps the generators it was reached with (short lists).
    let mut found: HashSet<Vec<Perm>> = HashSet::new();
    let trivial = PermGroup::trivial(k);
    found.insert(trivial.elements.clone());
    let mut queue: Vec<(PermGroup, Vec<Perm>)> = vec![(trivial, Vec::new())];
    let mut out = Vec::new();
    while let Some((g, gens)) = queue.pop() {
        // <G, p> = <G, p'> for every p' in the double coset G p G (each lies in the
        // other's group), so one p per double coset suffices.
        let mut done: HashSet<Perm> = HashSet::new();
        for p in &all {
            if g.contains(p) || done.contains(p) {
                continue;
            }
            for a in &g.elements {
                for b in &g.elements {
                    done.insert(a.then(p).then(b));
                }
            }
            let mut more = gens.clone();
            more.push(*p);
            let h = PermGroup::generate(k, &more);
            if found.insert(h.elements.clone()) {
                queue.push((h, more));
            }
        }
        out.push(g);
    }
    out.sort_by(|a, b| (a.order(), &a.elements).cmp(&(b.order(), &b.elements)));
    out
}

/// Exact: one representative per conjugacy class of subgroups of `S_k` (`k <=
/// MAX_LATTICE_DEGREE`), each the canonical one ([`PermGroup::canonical`]), ordered by
/// order and then by element list; `None` for larger `k`. (Computed once per process.)
pub fn subgroup_classes(k: usize) -> Option<&'static [PermGroup]> {
    lattices().classes.get(k).map(Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(k: usize, s: &str) -> Perm {
        Perm::from_cycles(k, s).unwrap()
    }

    #[test]
    fn cycle_notation_round_trips() {
        let x = p(5, "(1 2 3)(4 5)");
        assert_eq!(x.images(), vec![1, 2, 0, 4, 3]);
        assert_eq!(x.cycle_notation(), "(1 2 3)(4 5)");
        assert_eq!(p(5, "(4,5)(1,2,3)"), x);
        assert_eq!(p(5, "(3 1 2)(5 4)"), x);
        assert_eq!(Perm::identity(4).cycle_notation(), "()");
        assert_eq!(p(4, "()"), Perm::identity(4));
        assert_eq!(x.cycle_type(), vec![3, 2]);
        assert_eq!(x.order(), 6);
        assert_eq!((x.fixed_points(), x.two_cycles()), (0, 1));
        for bad in ["(1 2", "(1 1)", "(1 6)", "(0 1)", "1 2", "(1 2)(2 3)"] {
            assert!(Perm::from_cycles(5, bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn composition_follows_gap() {
        // GAP: (1,2)*(2,3) = (1,3,2): 1 -> 2 -> 3, 3 -> 3 -> 2, 2 -> 1 -> 1.
        let a = p(3, "(1 2)");
        let b = p(3, "(2 3)");
        assert_eq!(a.then(&b), p(3, "(1 3 2)"));
        let c = p(4, "(1 2 3 4)");
        assert!(c.then(&c.inverse()).is_identity());
        // (1 2)^(1 2 3) = (2 3): conjugation renames points.
        assert_eq!(a.conjugate(&p(3, "(1 2 3)")), p(3, "(2 3)"));
    }

    #[test]
    fn symmetric_groups_and_closure() {
        for k in 0..=6 {
            assert_eq!(symmetric_elements(k).len(), factorial(k));
            let s = PermGroup::generate(
                k,
                &(if k >= 2 {
                    vec![
                        p(k, "(1 2)"),
                        Perm::from_images(&((1..k).chain([0]).collect::<Vec<_>>())).unwrap(),
                    ]
                } else {
                    vec![]
                }),
            );
            assert_eq!(s, PermGroup::symmetric(k));
        }
        let z3 = PermGroup::from_cycles(3, &["(1 2 3)"]).unwrap();
        assert_eq!(z3.order(), 3);
        assert!(z3.is_subgroup_of(&PermGroup::symmetric(3)));
        assert!(!z3.is_young());
    }

    #[test]
    fn subgroup_counts() {
        let classes: Vec<usize> = (1..=5)
            .map(|k| subgroup_classes(k).unwrap().len())
            .collect();
        assert_eq!(classes, vec![1, 2, 4, 11, 19]);
        let all: Vec<usize> = (1..=5).map(|k| all_subgroups(k).unwrap().len()).collect();
        assert_eq!(all, vec![1, 2, 6, 30, 156]);
        assert!(all_subgroups(6).is_none());
    }

    #[test]
    fn conjugacy() {
        let a = PermGroup::from_cycles(4, &["(1 3 2 4)"]).unwrap();
        let b = PermGroup::from_cycles(4, &["(1 2 3 4)"]).unwrap();
        assert!(a.is_conjugate_to(&b));
        let v_regular = PermGroup::from_cycles(4, &["(1 2)(3 4)", "(1 3)(2 4)"]).unwrap();
        let v_young = PermGroup::from_cycles(4, &["(1 2)", "(3 4)"]).unwrap();
        assert_eq!(v_regular.order(), v_young.order());
        assert!(!v_regular.is_conjugate_to(&v_young));
        assert!(!v_regular.is_conjugate_to(&b));
    }

    #[test]
    fn names_of_the_classes_of_s5() {
        let names: Vec<String> = subgroup_classes(5)
            .unwrap()
            .iter()
            .map(PermGroup::name)
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 19, "names are distinct: {names:?}");
        for n in [
            "S_1 x S_1 x S_1 x S_1 x S_1",
            "Z_3 x S_1 x S_1",
            "Z_2(2,2) x S_1",
            "S_3(3,2)",
            "Z_3 x S_2",
            "V_4 x S_1",
            "D_8 x S_1",
            "F_20",
            "A_5",
        ] {
            assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
        }
    }
}
