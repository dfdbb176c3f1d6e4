//! The symmetry of a weight matrix: the largest Young group `Δ(S_{n_1} x ... x S_{n_r})`
//! of simultaneous row-and-column permutations that fixes it up to a tolerance, and the
//! permutation that sorts its blocks.
//!
//! **Method (approximate, then checked).**
//! 1. *Alignment.* The loss is also invariant under permuting the neurons (rows) alone, so
//!    a trained matrix may carry its neurons in any order. Two row orders are tried: the
//!    input's, and the one that matches each neuron to the input coordinate of its
//!    largest entry in absolute value (greedily, largest entries first, so it is a
//!    bijection). The order that yields the larger group is kept.
//! 2. *Value classes.* The `d^2` entries are sorted and cut wherever two consecutive
//!    values differ by more than `tol * max|W|`: entries of one class count as equal.
//! 3. *Colour refinement* on the weighted complete digraph of W: start from the class of
//!    the diagonal entry; repeatedly give index i a new colour from its colour and the
//!    multiset over `j != i` of (class of `W_ij`, class of `W_ji`, colour of j), until the
//!    number of colours stops growing. The colours form the coarsest equitable partition
//!    for these classes: every group fixing W permutes indices within colours, so it is a
//!    candidate for the orbits.
//! 4. *Young check.* The Young group of that partition fixes W exactly iff W is constant
//!    on each block's diagonal, each block's off-diagonal and each pair of blocks. This is
//!    checked with the same tolerance against the block means; when it fails, the
//!    trivial partition (all blocks of size 1, which fixes every W) is returned.
//!
//! Blocks are ordered by size (largest first), ties by their smallest index; within a
//! block indices keep their order. Everything here is **approximate**: it chooses the
//! fixed space in which the proof is then attempted, and proves nothing itself.

use crate::model::partition::{IntegerPartition, Param};

/// A colour and the multiset of (class of W_ij, class of W_ji, colour of j) over j != i.
type Signature = (u32, Vec<(u32, u32, u32)>);

/// Approximate: the symmetry found, with the permutation that exhibits it.
#[derive(Clone, Debug, PartialEq)]
pub struct Symmetry {
    /// Exact: the block sizes, largest first.
    pub partition: IntegerPartition,
    /// Exact: the neuron (row) order: row k of the permuted matrix is input row `rows[k]`.
    pub rows: Vec<usize>,
    /// Exact: the coordinate (column) order: column l of the permuted matrix is input
    /// column `columns[l]`. Simultaneous permutations act with `rows = columns`.
    pub columns: Vec<usize>,
    /// Approximate: the largest deviation of an entry from the mean of its block
    /// parameter, relative to `max |W|` (at most the tolerance unless `trivial`).
    pub deviation: f64,
    /// Whether the Young check failed (or found nothing) and the trivial partition is used.
    pub trivial: bool,
}

impl Symmetry {
    /// Exact: the entry (k, l) of the permuted matrix `W'[k][l] = W[rows[k]][columns[l]]`.
    pub fn permuted(&self, w: &[f64], d: usize, k: usize, l: usize) -> f64 {
        w[self.rows[k] * d + self.columns[l]]
    }
}

/// Approximate: the neuron order matching each neuron to the coordinate of its largest
/// entry in absolute value, greedily over all entries from the largest down (ties by
/// position), so that it is a bijection: `row_of_column[j]` is the neuron put at `j`.
pub fn align(w: &[f64], d: usize) -> Vec<usize> {
    // Fast path: every row's largest entry lies in a different column.
    let argmax: Vec<usize> = (0..d)
        .map(|i| {
            (0..d)
                .max_by(|&a, &b| {
                    w[i * d + a]
                        .abs()
                        .total_cmp(&w[i * d + b].abs())
                        .then(b.cmp(&a))
                })
                .expect("d >= 1")
        })
        .collect();
    let mut row_of_column = vec![usize::MAX; d];
    let mut injective = true;
    for (i, &j) in argmax.iter().enumerate() {
        if row_of_column[j] != usize::MAX {
            injective = false;
            break;
        }
        row_of_column[j] = i;
    }
    if injective {
        return row_of_column;
    }
    let mut order: Vec<usize> = (0..d * d).collect();
    order.sort_by(|&a, &b| w[b].abs().total_cmp(&w[a].abs()).then(a.cmp(&b)));
    let mut row_used = vec![false; d];
    let mut row_of_column = vec![usize::MAX; d];
    let mut left = d;
    for pos in order {
        let (i, j) = (pos / d, pos % d);
        if !row_used[i] && row_of_column[j] == usize::MAX {
            row_used[i] = true;
            row_of_column[j] = i;
            left -= 1;
            if left == 0 {
                break;
            }
        }
    }
    row_of_column
}

/// Approximate: the class of each entry (equal classes = equal up to `tol * scale`).
fn value_classes(w: &[f64], tol: f64) -> Vec<u32> {
    let scale = w.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let gap = tol * scale;
    let mut order: Vec<usize> = (0..w.len()).collect();
    order.sort_by(|&a, &b| w[a].total_cmp(&w[b]).then(a.cmp(&b)));
    let mut class = vec![0u32; w.len()];
    let mut c = 0u32;
    for k in 1..order.len() {
        if w[order[k]] - w[order[k - 1]] > gap {
            c += 1;
        }
        class[order[k]] = c;
    }
    class
}

/// Approximate: the coarsest equitable partition of `0..d` for the value classes (colour
/// of each index, colours numbered canonically from 0).
fn refine(class: &[u32], d: usize) -> Vec<u32> {
    let mut colour: Vec<u32> = (0..d).map(|i| class[i * d + i]).collect();
    let mut count = renumber(&mut colour);
    loop {
        let sigs: Vec<Signature> = (0..d)
            .map(|i| {
                let mut m: Vec<(u32, u32, u32)> = (0..d)
                    .filter(|&j| j != i)
                    .map(|j| (class[i * d + j], class[j * d + i], colour[j]))
                    .collect();
                m.sort_unstable();
                (colour[i], m)
            })
            .collect();
        let mut sorted: Vec<&Signature> = sigs.iter().collect();
        sorted.sort();
        sorted.dedup();
        let mut next: Vec<u32> = sigs
            .iter()
            .map(|s| sorted.binary_search(&s).expect("present") as u32)
            .collect();
        let n = renumber(&mut next);
        colour = next;
        if n == count {
            return colour;
        }
        count = n;
    }
}

/// Exact: renumber colours in order of first appearance; returns their number.
fn renumber(colour: &mut [u32]) -> usize {
    let mut map: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
    for c in colour.iter_mut() {
        let n = map.len() as u32;
        *c = *map.entry(*c).or_insert(n);
    }
    map.len()
}

/// Approximate: the block partition (sizes largest first) and index order of a colouring.
fn blocks_of(colour: &[u32]) -> Vec<Vec<usize>> {
    let r = colour.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut blocks: Vec<Vec<usize>> = vec![Vec::new(); r];
    for (i, &c) in colour.iter().enumerate() {
        blocks[c as usize].push(i);
    }
    blocks.retain(|b| !b.is_empty());
    blocks.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    blocks
}

/// Approximate: the largest deviation (relative to `max |W|`) of an entry of the matrix
/// `m` (row-major, d x d) from the mean of its block parameter, for the partition laid
/// out in index order by `part`.
pub fn young_deviation(part: &IntegerPartition, m: &[f64], d: usize) -> f64 {
    let means = project(part, m, d);
    let blocks = part.block_of_index().expect("integer partition");
    let scale = m.iter().fold(0.0f64, |a, x| a.max(x.abs()));
    let mut dev = 0.0f64;
    for i in 0..d {
        for j in 0..d {
            let p = part.param_of_entry(blocks[i], blocks[j], i == j);
            let q = part.index(p).expect("every entry has a parameter");
            dev = dev.max((m[i * d + j] - means[q]).abs());
        }
    }
    if scale > 0.0 {
        dev / scale
    } else {
        0.0
    }
}

/// Approximate (f64): the orthogonal projection of a matrix laid out by `part` onto its
/// Young fixed space, in reduced coordinates (layout order): the mean of the entries each
/// parameter stands for.
pub fn project(part: &IntegerPartition, m: &[f64], d: usize) -> Vec<f64> {
    let blocks = part.block_of_index().expect("integer partition");
    // Neumaier's compensated sums: a block of 10^6 equal entries keeps its value to
    // rounding (a plain f64 sum would move the mean by about 1e-13 relative).
    let mut sum = vec![0.0f64; part.dim()];
    let mut comp = vec![0.0f64; part.dim()];
    let mut count = vec![0u64; part.dim()];
    for i in 0..d {
        for j in 0..d {
            let p = part.param_of_entry(blocks[i], blocks[j], i == j);
            let q = part.index(p).expect("every entry has a parameter");
            let x = m[i * d + j];
            let t = sum[q] + x;
            comp[q] += if sum[q].abs() >= x.abs() {
                (sum[q] - t) + x
            } else {
                (x - t) + sum[q]
            };
            sum[q] = t;
            count[q] += 1;
        }
    }
    sum.iter()
        .zip(&comp)
        .zip(&count)
        .map(|((s, c), &n)| (s + c) / n as f64)
        .collect()
}

/// Exact: the reduced parameter of each entry of a matrix laid out by `part`.
pub fn param_of_entries(part: &IntegerPartition) -> Vec<Param> {
    let blocks = part.block_of_index().expect("integer partition");
    let d = blocks.len();
    let mut out = Vec::with_capacity(d * d);
    for i in 0..d {
        for j in 0..d {
            out.push(part.param_of_entry(blocks[i], blocks[j], i == j));
        }
    }
    out
}

/// Approximate: the symmetry of `w` (d x d, row-major, neurons as rows) at relative
/// tolerance `tol` (see the module contract).
pub fn find_symmetry(w: &[f64], d: usize, tol: f64) -> Symmetry {
    let identity: Vec<usize> = (0..d).collect();
    let aligned = align(w, d);
    let mut best: Option<Symmetry> = None;
    for rows_of in [identity.clone(), aligned] {
        // The matrix with neuron rows_of[j] put at row j.
        let m: Vec<f64> = (0..d * d).map(|p| w[rows_of[p / d] * d + p % d]).collect();
        let class = value_classes(&m, tol);
        let colour = refine(&class, d);
        let blocks = blocks_of(&colour);
        let sizes: Vec<u64> = blocks.iter().map(|b| b.len() as u64).collect();
        let part = IntegerPartition::from_sizes(&sizes).expect("positive sizes");
        let columns: Vec<usize> = blocks.iter().flatten().copied().collect();
        let rows: Vec<usize> = columns.iter().map(|&j| rows_of[j]).collect();
        let permuted: Vec<f64> = (0..d * d)
            .map(|p| w[rows[p / d] * d + columns[p % d]])
            .collect();
        let deviation = young_deviation(&part, &permuted, d);
        let cand = if deviation <= tol {
            Symmetry {
                trivial: part.r() == d,
                partition: part,
                rows,
                columns,
                deviation,
            }
        } else {
            Symmetry {
                partition: IntegerPartition::from_sizes(&vec![1; d]).expect("d >= 1"),
                rows: identity.clone(),
                columns: identity.clone(),
                deviation: 0.0,
                trivial: true,
            }
        };
        let better = match &best {
            None => true,
            Some(b) => cand.partition.r() < b.partition.r(),
        };
        if better {
            best = Some(cand);
        }
    }
    best.expect("two candidates tried")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A matrix of partition `sizes` with distinct parameter values, laid out by blocks.
    fn block_matrix(sizes: &[u64]) -> (IntegerPartition, Vec<f64>) {
        let part = IntegerPartition::from_sizes(sizes).unwrap();
        let theta: Vec<f64> = (0..part.dim()).map(|k| 0.1 + 0.37 * k as f64).collect();
        let full = part.embed(&theta).unwrap();
        (part, full.into_iter().flatten().collect())
    }

    #[test]
    fn a_simultaneously_permuted_block_matrix_is_recognised() {
        for sizes in [vec![7u64, 1], vec![4, 3, 1], vec![5], vec![5, 2, 1]] {
            let (part, w) = block_matrix(&sizes);
            let d = part.d_u64() as usize;
            let sigma: Vec<usize> = (0..d).rev().collect();
            let pw: Vec<f64> = (0..d * d)
                .map(|p| w[sigma[p / d] * d + sigma[p % d]])
                .collect();
            let s = find_symmetry(&pw, d, 1e-9);
            assert!(!s.trivial);
            assert_eq!(s.partition.int_sizes_u64(), sizes);
            // The permuted matrix is the block matrix again (up to order inside blocks).
            let back: Vec<f64> = (0..d * d)
                .map(|p| s.permuted(&pw, d, p / d, p % d))
                .collect();
            assert!(young_deviation(&s.partition, &back, d) < 1e-14);
            let (p1, p2) = (project(&s.partition, &back, d), project(&part, &w, d));
            assert!(p1.iter().zip(&p2).all(|(a, b)| (a - b).abs() < 1e-14));
        }
    }

    #[test]
    fn a_row_permutation_alone_is_undone_by_alignment() {
        let (part, w) = block_matrix(&[6, 2]);
        let d = 8;
        // Make the diagonal dominant so that alignment can see which neuron is which.
        let w: Vec<f64> = w
            .iter()
            .enumerate()
            .map(|(p, x)| if p / d == p % d { x + 100.0 } else { *x })
            .collect();
        let rows: Vec<usize> = vec![3, 0, 7, 1, 6, 2, 5, 4];
        let pw: Vec<f64> = (0..d * d).map(|p| w[rows[p / d] * d + p % d]).collect();
        let s = find_symmetry(&pw, d, 1e-9);
        assert_eq!(s.partition.int_sizes_u64(), part.int_sizes_u64());
        let back: Vec<f64> = (0..d * d)
            .map(|p| s.permuted(&pw, d, p / d, p % d))
            .collect();
        assert!(young_deviation(&s.partition, &back, d) < 1e-14);
    }

    #[test]
    fn a_generic_matrix_has_the_trivial_partition() {
        let d = 6;
        let w: Vec<f64> = (0..d * d)
            .map(|k| ((k * k * 7 + 3) % 37) as f64 + 0.01 * k as f64)
            .collect();
        let s = find_symmetry(&w, d, 1e-9);
        assert_eq!(s.partition.r(), d);
    }
}
