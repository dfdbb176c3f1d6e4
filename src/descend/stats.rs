//! Binomial statistics of run counts: the Wilson score interval and the exact one-sided
//! Clopper-Pearson upper bound. **Approximate**: f64 formulas for statistical
//! statements about the sampling, not enclosures.

/// Exact: the two-sided 95 % normal quantile.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Approximate: a proportion with its 95 % interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Proportion {
    /// The estimate k/n.
    pub est: f64,
    /// The lower end of the interval.
    pub lo: f64,
    /// The upper end of the interval.
    pub hi: f64,
}

/// Approximate: k/n with its 95 % Wilson score interval (all zero when n = 0).
pub fn wilson(k: usize, n: usize) -> Proportion {
    if n == 0 {
        return Proportion {
            est: 0.0,
            lo: 0.0,
            hi: 0.0,
        };
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Proportion {
        est: p,
        lo: (centre - half).max(0.0),
        hi: (centre + half).min(1.0),
    }
}

/// Approximate: P(X <= k) for X ~ Binomial(n, p), summed in logarithms.
fn binomial_cdf(k: usize, n: usize, p: f64) -> f64 {
    if p <= 0.0 {
        return 1.0;
    }
    if p >= 1.0 {
        return if k >= n { 1.0 } else { 0.0 };
    }
    let (lp, lq) = (p.ln(), (-p).ln_1p());
    let mut lt = n as f64 * lq;
    let mut sum = lt.exp();
    for i in 0..k.min(n) {
        lt += ((n - i) as f64 / (i + 1) as f64).ln() + lp - lq;
        sum += lt.exp();
    }
    sum.min(1.0)
}

/// Approximate: the exact one-sided Clopper-Pearson upper bound at level `1 - alpha` on
/// the probability of an event seen k times in n runs: the p with P(X <= k; n, p) =
/// alpha (`1 - alpha^(1/n)` when k = 0, close to the rule of three 3/n at alpha = 0.05);
/// 1 when k = n or n = 0.
pub fn clopper_pearson_upper(k: usize, n: usize, alpha: f64) -> f64 {
    if n == 0 || k >= n {
        return 1.0;
    }
    if k == 0 {
        return 1.0 - alpha.powf(1.0 / n as f64);
    }
    let (mut lo, mut hi) = (k as f64 / n as f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if binomial_cdf(k, n, mid) > alpha {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// Approximate: the z-score of the observed share k/n against a published share p0
/// (`(k/n - p0) / sqrt(p0 (1 - p0) / n)`).
pub fn z_score(k: usize, n: usize, p0: f64) -> f64 {
    let p = k as f64 / n as f64;
    (p - p0) / (p0 * (1.0 - p0) / n as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_textbook_value() {
        // 81 of 263 (Wikipedia's example, Wilson 95 %): [0.2553, 0.3662].
        let w = wilson(81, 263);
        assert!(
            (w.lo - 0.2553).abs() < 1e-4 && (w.hi - 0.3662).abs() < 1e-4,
            "{w:?}"
        );
        let w = wilson(0, 10);
        assert_eq!(w.lo, 0.0);
        assert!(w.hi > 0.25 && w.hi < 0.31);
    }

    #[test]
    fn clopper_pearson_solves_its_equation() {
        // k = 0: 1 - 0.05^(1/500), just below 3/500.
        let u = clopper_pearson_upper(0, 500, 0.05);
        assert!(u < 3.0 / 500.0 && u > 0.0059, "{u}");
        // k > 0: the binomial tail at the bound is alpha, and the bound exceeds k/n.
        for (k, n) in [(1usize, 20usize), (5, 100), (160, 500)] {
            let u = clopper_pearson_upper(k, n, 0.05);
            assert!(u > k as f64 / n as f64);
            assert!((binomial_cdf(k, n, u) - 0.05).abs() < 1e-9, "{k}/{n}: {u}");
        }
        // A known value: 1 of 20 gives 0.2161 (one-sided 95 %).
        assert!((clopper_pearson_upper(1, 20, 0.05) - 0.2161).abs() < 5e-4);
    }
}
