//! Set partitions of the index set, the Young fixed spaces they define, and the exact
//! bookkeeping between reduced parameters and matrix entries.
//!
//! For blocks `B_1..B_r` of sizes `n_1..n_r`, the fixed space of `Δ(S_{n_1} x ... x S_{n_r})`
//! is parametrised by `D_a`, `O_a` (only when `n_a > 1`) and `X_ab` (`a != b`); see
//! the project's docs (`docs/`). Block sizes are stored as `f64` so that they may be real
//! numbers (continuation in `d`); [`Partition::is_integral`] says whether they are
//! integers, which every certified statement requires. Every size is below 2^53, so an
//! integer size is held exactly. All bookkeeping here is **exact**: counts such as `N_p`,
//! `n_a - 1` or `d(d - 1)` enter an arithmetic through [`Partition::count`],
//! [`Partition::weight`] and [`Partition::d_minus`], which form integers in `i128` and
//! convert them with [`Scalar::int`]; no `f64` product or sum ever feeds an
//! arithmetic (a product such as `n(n - 1)` is not exact in `f64` above `n ~ 9.5e7`).

use crate::arith::Scalar;

/// A reduced parameter of a Young fixed space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Param {
    /// The diagonal entries of block `a`.
    D(usize),
    /// The off-diagonal entries inside block `a x a` (only when `n_a > 1`).
    O(usize),
    /// Every entry in rows of block `a` and columns of block `b`, `a != b`.
    X(usize, usize),
}

/// Exact: an ordered list of block sizes, each > 0 (integers for every certified use).
#[derive(Clone, Debug, PartialEq)]
pub struct Partition {
    sizes: Vec<f64>,
    params: Vec<Param>,
    /// Layout position of `D_a` (each block's parameters are contiguous).
    start: Vec<usize>,
}

/// Largest dimension relucert accepts.
pub const MAX_D: f64 = 1e12;

/// Exact: every block size is below 2^53 (so that an integer size is an exact `f64`, and
/// sums of sizes of an integral partition are exact).
pub const MAX_SIZE: f64 = 9_007_199_254_740_992.0;

impl Partition {
    /// Exact: a partition with the given block sizes; `None` unless every size is finite,
    /// > 0, and the number of blocks is at least 1.
    pub fn new(sizes: Vec<f64>) -> Option<Self> {
        if sizes.is_empty()
            || sizes
                .iter()
                .any(|&n| !(n.is_finite() && n > 0.0 && n < MAX_SIZE))
        {
            return None;
        }
        let r = sizes.len();
        let mut params = Vec::with_capacity(r * r + r);
        let mut start = Vec::with_capacity(r);
        for (a, &n) in sizes.iter().enumerate() {
            start.push(params.len());
            params.push(Param::D(a));
            if n > 1.0 {
                params.push(Param::O(a));
            }
            for b in 0..r {
                if b != a {
                    params.push(Param::X(a, b));
                }
            }
        }
        Some(Partition {
            sizes,
            params,
            start,
        })
    }

    /// Exact: integer block sizes.
    pub fn from_sizes(sizes: &[u64]) -> Option<Self> {
        Self::new(sizes.iter().map(|&n| n as f64).collect())
    }

    /// Exact: the block sizes.
    pub fn sizes(&self) -> &[f64] {
        &self.sizes
    }

    /// Exact: the number of blocks `r`.
    pub fn r(&self) -> usize {
        self.sizes.len()
    }

    /// Exact: `d = sum_a n_a` (exact while the sizes are integers below 2^53).
    pub fn d(&self) -> f64 {
        self.sizes.iter().sum()
    }

    /// Exact: whether every block size is an integer.
    pub fn is_integral(&self) -> bool {
        self.sizes.iter().all(|n| n.fract() == 0.0)
    }

    /// Exact: the block sizes as integers, when they are.
    pub fn int_sizes(&self) -> Option<Vec<u64>> {
        self.is_integral()
            .then(|| self.sizes.iter().map(|&n| n as u64).collect())
    }

    /// Exact: the parameters in layout order (per block: `D_a`, `O_a`, then `X_ab`).
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// Exact: `dim Fix = r^2 + #{a : n_a > 1}`.
    pub fn dim(&self) -> usize {
        self.params.len()
    }

    /// Exact: the position of a parameter in the layout.
    pub fn index(&self, p: Param) -> Option<usize> {
        let r = self.r();
        match p {
            Param::D(a) if a < r => Some(self.start[a]),
            Param::O(a) if a < r && self.has_o(a) => Some(self.start[a] + 1),
            Param::X(a, b) if a < r && b < r && a != b => {
                let skip = usize::from(self.has_o(a));
                Some(self.start[a] + 1 + skip + if b < a { b } else { b - 1 })
            }
            _ => None,
        }
    }

    /// Exact: whether block `a` has an `O` parameter.
    pub fn has_o(&self, a: usize) -> bool {
        self.sizes[a] > 1.0
    }

    /// Exact: block size `a` as an integer, when it is one.
    pub fn int_size(&self, a: usize) -> Option<i128> {
        let n = self.sizes[a];
        (n.fract() == 0.0).then_some(n as i128)
    }

    /// Exact: `d` as an integer, when every size is one.
    pub fn int_d(&self) -> Option<i128> {
        (0..self.r()).map(|a| self.int_size(a)).sum()
    }

    /// Exact: `n_a - k` in the arithmetic of `like`: an exact integer conversion for an
    /// integer size, else `n_a` (an exact `f64`) minus `k` in `like`'s arithmetic (so an
    /// interval encloses it).
    pub fn count<S: Scalar>(&self, like: &S, a: usize, k: i64) -> S {
        match self.int_size(a) {
            Some(n) => like.int(n - i128::from(k)),
            None => like.cst(self.sizes[a]) - like.int(i128::from(k)),
        }
    }

    /// Exact: `d - k` in the arithmetic of `like` (as [`Partition::count`]).
    pub fn d_minus<S: Scalar>(&self, like: &S, k: i64) -> S {
        match self.int_d() {
            Some(d) => like.int(d - i128::from(k)),
            None => {
                let mut acc = like.int(-i128::from(k));
                for a in 0..self.r() {
                    acc = acc + like.cst(self.sizes[a]);
                }
                acc
            }
        }
    }

    /// Approximate: the weight `N_p` (number of matrix entries) as an f64 (rounded above
    /// 2^53; for approximate computations only).
    pub fn weight_f64(&self, p: Param) -> f64 {
        match p {
            Param::D(a) => self.sizes[a],
            Param::O(a) => self.sizes[a] * (self.sizes[a] - 1.0),
            Param::X(a, b) => self.sizes[a] * self.sizes[b],
        }
    }

    /// Exact: the weight `N_p` in the arithmetic of `like`: for integer sizes the integer
    /// product formed in `i128` and converted once with [`Scalar::int`]; for real
    /// sizes the product of exact sizes in `like`'s arithmetic.
    pub fn weight<S: Scalar>(&self, like: &S, p: Param) -> S {
        let (a, b, same) = match p {
            Param::D(a) => return self.count(like, a, 0),
            Param::O(a) => (a, a, true),
            Param::X(a, b) => (a, b, false),
        };
        match (self.int_size(a), self.int_size(b)) {
            (Some(na), Some(nb)) => like.int(na * if same { na - 1 } else { nb }),
            _ => self.count(like, a, 0) * self.count(like, b, i64::from(same)),
        }
    }

    /// Exact: all weights in layout order, in the arithmetic of `like`.
    pub fn weights<S: Scalar>(&self, like: &S) -> Vec<S> {
        self.params.iter().map(|&p| self.weight(like, p)).collect()
    }

    /// Exact: a parameter's name, 1-based: `D1`, `O1`, `X12` (`X1_12` when r >= 10).
    pub fn name(&self, p: Param) -> String {
        match p {
            Param::D(a) => format!("D{}", a + 1),
            Param::O(a) => format!("O{}", a + 1),
            Param::X(a, b) if self.r() < 10 => format!("X{}{}", a + 1, b + 1),
            Param::X(a, b) => format!("X{}_{}", a + 1, b + 1),
        }
    }

    /// Exact: the block sizes written `n1,n2,...` (integers without a fraction).
    pub fn label(&self) -> String {
        self.sizes
            .iter()
            .map(|n| format_size(*n))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Exact: the offsets of the blocks in `0..d` (integer sizes only).
    pub fn offsets(&self) -> Option<Vec<usize>> {
        let sizes = self.int_sizes()?;
        let mut off = Vec::with_capacity(sizes.len());
        let mut acc = 0usize;
        for n in sizes {
            off.push(acc);
            acc += n as usize;
        }
        Some(off)
    }

    /// Exact: the block of each index `0..d` (integer sizes only).
    pub fn block_of_index(&self) -> Option<Vec<usize>> {
        let sizes = self.int_sizes()?;
        Some(
            sizes
                .iter()
                .enumerate()
                .flat_map(|(a, &n)| std::iter::repeat_n(a, n as usize))
                .collect(),
        )
    }

    /// Exact: the parameter that owns matrix entry `(i, j)`, given the blocks of `i`, `j`.
    pub fn param_of_entry(&self, bi: usize, bj: usize, same_index: bool) -> Param {
        if bi != bj {
            Param::X(bi, bj)
        } else if same_index {
            Param::D(bi)
        } else {
            Param::O(bi)
        }
    }

    /// Exact: the full `d x d` matrix of a reduced point (integer sizes, small d only).
    pub fn embed<S: Scalar>(&self, theta: &[S]) -> Option<Vec<Vec<S>>> {
        let blocks = self.block_of_index()?;
        let d = blocks.len();
        let mut w = Vec::with_capacity(d);
        for i in 0..d {
            let row = (0..d)
                .map(|j| {
                    let p = self.param_of_entry(blocks[i], blocks[j], i == j);
                    theta[self.index(p).expect("every entry has a parameter")].clone()
                })
                .collect();
            w.push(row);
        }
        Some(w)
    }
}

/// Exact: a partition whose block sizes are all integers, as every certified statement
/// needs (the isotypic decomposition, the dense check and the certificate files are only
/// defined for them). It dereferences to its [`Partition`].
#[derive(Clone, Debug, PartialEq)]
pub struct IntegerPartition(Partition);

impl IntegerPartition {
    /// Exact: the partition with these integer sizes (`None` unless each is positive and
    /// below 2^53, and there is at least one).
    pub fn from_sizes(sizes: &[u64]) -> Option<IntegerPartition> {
        Partition::from_sizes(sizes).and_then(|p| p.integral())
    }

    /// Exact: the block sizes as integers.
    pub fn int_sizes_u64(&self) -> Vec<u64> {
        self.0.sizes.iter().map(|&n| n as u64).collect()
    }

    /// Exact: `d` as an integer.
    pub fn d_u64(&self) -> u64 {
        self.0.sizes.iter().map(|&n| n as u64).sum()
    }

    /// Exact: the underlying partition.
    pub fn partition(&self) -> &Partition {
        &self.0
    }
}

impl std::ops::Deref for IntegerPartition {
    type Target = Partition;
    fn deref(&self) -> &Partition {
        &self.0
    }
}

impl Partition {
    /// Exact: this partition as an [`IntegerPartition`], when every size is an integer.
    pub fn integral(&self) -> Option<IntegerPartition> {
        self.is_integral().then(|| IntegerPartition(self.clone()))
    }
}

/// Exact: a block size as text (`9`, or `8.5` for a real size).
pub fn format_size(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A refinement: every fine block lies inside one coarse block (`parent`).
#[derive(Clone, Debug)]
pub struct Refinement {
    /// The coarse partition.
    pub coarse: Partition,
    /// The fine partition.
    pub fine: Partition,
    /// `parent[b]` is the coarse block containing fine block `b`.
    pub parent: Vec<usize>,
}

impl Refinement {
    /// Exact: split coarse block `a` into parts of the given sizes (summing to `n_a`); the
    /// first part keeps index `a`, the others are appended after the last block.
    pub fn split(coarse: &Partition, a: usize, parts: &[f64]) -> Option<Refinement> {
        Self::split_many(coarse, &[(a, parts.to_vec())])
    }

    /// Exact: several blocks split at once (each `(a, parts)` as in [`Refinement::split`]).
    pub fn split_many(coarse: &Partition, splits: &[(usize, Vec<f64>)]) -> Option<Refinement> {
        let mut sizes = coarse.sizes.clone();
        let mut parent: Vec<usize> = (0..coarse.r()).collect();
        for (a, parts) in splits {
            let a = *a;
            if a >= coarse.r() || parts.is_empty() {
                return None;
            }
            let total: f64 = parts.iter().sum();
            if (total - coarse.sizes[a]).abs() > 1e-9 * coarse.sizes[a].max(1.0) {
                return None;
            }
            sizes[a] = parts[0];
            for &n in &parts[1..] {
                sizes.push(n);
                parent.push(a);
            }
        }
        Some(Refinement {
            coarse: coarse.clone(),
            fine: Partition::new(sizes)?,
            parent,
        })
    }

    /// Exact: the coarse parameter whose entries contain those of fine parameter `q`.
    pub fn coarse_param(&self, q: Param) -> Param {
        match q {
            Param::D(b) => Param::D(self.parent[b]),
            Param::O(b) => Param::O(self.parent[b]),
            Param::X(b, c) => {
                let (pb, pc) = (self.parent[b], self.parent[c]);
                if pb == pc {
                    Param::O(pb)
                } else {
                    Param::X(pb, pc)
                }
            }
        }
    }

    /// Exact: the embedding of a coarse point into the fine fixed space (copying).
    pub fn embed<S: Scalar>(&self, theta: &[S]) -> Vec<S> {
        self.fine
            .params()
            .iter()
            .map(|&q| {
                let p = self.coarse_param(q);
                theta[self.coarse.index(p).expect("coarse parameter exists")].clone()
            })
            .collect()
    }

    /// Exact: the fine block of each index `0..d`, laid out inside the coarse layout (each
    /// coarse block's indices go to its fine blocks in increasing fine index), so that
    /// [`Refinement::embed_full`] and `coarse.embed` agree on shared points.
    pub fn fine_block_of_index(&self) -> Option<Vec<usize>> {
        let coarse_blocks = self.coarse.block_of_index()?;
        let fine_sizes = self.fine.int_sizes()?;
        let mut remaining: Vec<u64> = fine_sizes.clone();
        let mut out = Vec::with_capacity(coarse_blocks.len());
        for &a in &coarse_blocks {
            let b = (0..self.fine.r())
                .find(|&b| self.parent[b] == a && remaining[b] > 0)
                .expect("sizes add up");
            remaining[b] -= 1;
            out.push(b);
        }
        Some(out)
    }

    /// Exact: the full `d x d` matrix of a point of the fine fixed space, in the coarse
    /// partition's index layout (integer sizes, small d only).
    pub fn embed_full<S: Scalar>(&self, theta: &[S]) -> Option<Vec<Vec<S>>> {
        let blocks = self.fine_block_of_index()?;
        let d = blocks.len();
        Some(
            (0..d)
                .map(|i| {
                    (0..d)
                        .map(|j| {
                            let p = self.fine.param_of_entry(blocks[i], blocks[j], i == j);
                            theta[self.fine.index(p).expect("every entry has a parameter")].clone()
                        })
                        .collect()
                })
                .collect(),
        )
    }

    /// Exact: for each coarse parameter, the fine parameters (layout indices) it spreads to.
    pub fn groups(&self) -> Vec<Vec<usize>> {
        let mut groups = vec![Vec::new(); self.coarse.dim()];
        for (qi, &q) in self.fine.params().iter().enumerate() {
            let p = self.coarse_param(q);
            groups[self.coarse.index(p).expect("coarse parameter exists")].push(qi);
        }
        groups
    }
}

impl Refinement {
    /// Exact: the refinement of `fine` by the coarser partition that merges blocks `b` and
    /// `c` (`b < c`; the merged block keeps index `b`, later blocks shift down).
    pub fn merge(fine: &Partition, b: usize, c: usize) -> Option<Refinement> {
        if b >= c || c >= fine.r() {
            return None;
        }
        let mut sizes = Vec::with_capacity(fine.r() - 1);
        let mut parent = Vec::with_capacity(fine.r());
        for (x, &n) in fine.sizes().iter().enumerate() {
            if x == c {
                sizes[b] += n;
                parent.push(b);
            } else {
                parent.push(sizes.len());
                sizes.push(n);
            }
        }
        Some(Refinement {
            coarse: Partition::new(sizes)?,
            fine: fine.clone(),
            parent,
        })
    }

    /// Approximate: the coarsest partition whose fixed space contains `theta` (a point of
    /// `fine`'s fixed space), found by merging blocks while every group of fine parameters
    /// that would be identified agrees to `tol` (relative); returns the refinement from it
    /// to `fine` and the point's coarse coordinates.
    pub fn coarsest(fine: &Partition, theta: &[f64], tol: f64) -> (Refinement, Vec<f64>) {
        let identity = Refinement {
            coarse: fine.clone(),
            fine: fine.clone(),
            parent: (0..fine.r()).collect(),
        };
        let mut current = identity;
        let mut coarse_theta = theta.to_vec();
        'outer: loop {
            let part = current.coarse.clone();
            for b in 0..part.r() {
                for c in (b + 1)..part.r() {
                    let m = Refinement::merge(&part, b, c).expect("valid pair");
                    let groups = m.groups();
                    let ok = groups.iter().all(|g| {
                        let v0 = coarse_theta[g[0]];
                        g.iter()
                            .all(|&q| (coarse_theta[q] - v0).abs() <= tol * (1.0 + v0.abs()))
                    });
                    if ok {
                        coarse_theta = groups.iter().map(|g| coarse_theta[g[0]]).collect();
                        let parent = current.parent.iter().map(|&x| m.parent[x]).collect();
                        current = Refinement {
                            coarse: m.coarse,
                            fine: fine.clone(),
                            parent,
                        };
                        continue 'outer;
                    }
                }
            }
            return (current, coarse_theta);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimension_and_weights_count_every_entry_once() {
        for sizes in [
            vec![3u64, 2, 1],
            vec![4, 1, 1, 2],
            vec![5],
            vec![2, 2, 2],
            vec![9, 1],
        ] {
            let p = Partition::from_sizes(&sizes).unwrap();
            let r = sizes.len();
            let big = sizes.iter().filter(|&&n| n >= 2).count();
            assert_eq!(p.dim(), r * r + big);
            for (i, &q) in p.params().iter().enumerate() {
                assert_eq!(p.index(q), Some(i));
            }
            let d = p.d();
            let total: f64 = p.params().iter().map(|&q| p.weight_f64(q)).sum();
            assert_eq!(total, d * d);
        }
    }

    #[test]
    fn refinement_groups_partition_the_fine_parameters() {
        let p = Partition::from_sizes(&[5, 1]).unwrap();
        let r = Refinement::split(&p, 0, &[3.0, 1.0, 1.0]).unwrap();
        assert_eq!(r.fine.sizes(), &[3.0, 1.0, 1.0, 1.0]);
        let groups = r.groups();
        let total: usize = groups.iter().map(Vec::len).sum();
        assert_eq!(total, r.fine.dim());
        // O_1 spreads to O_1', and the six X's among {1', p, q}.
        let o1 = p.index(Param::O(0)).unwrap();
        assert_eq!(groups[o1].len(), 7);
        // weights are conserved inside each group
        for (pi, g) in groups.iter().enumerate() {
            let w: f64 = g
                .iter()
                .map(|&qi| r.fine.weight_f64(r.fine.params()[qi]))
                .sum();
            assert_eq!(w, p.weight_f64(p.params()[pi]));
        }
    }
}
