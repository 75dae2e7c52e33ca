//! Small-sample statistics for the fairness report: pure functions, no I/O.
//!
//! - Rates: Clopper-Pearson ("exact") intervals, found by bisection on the binomial tails.
//! - Ratio of two rates: the conservative exact interval that combines the two Clopper-Pearson
//!   intervals at level 1 - α/2 each (Bonferroni): it covers the true ratio with probability at
//!   least 1 - α whatever the counts.
//! - Odds ratio of one 2×2 table: the conditional (Fisher) analysis, as R's `fisher.test`:
//!   conditional maximum-likelihood estimate, exact interval from the noncentral hypergeometric
//!   distribution, two-sided p summing the tables no more likely than the one observed.
//! - Pooled over postings: Mantel-Haenszel odds ratio (Robins-Breslow-Greenland interval) and risk
//!   ratio (Greenland-Robins interval), Cochran-Mantel-Haenszel test with continuity correction,
//!   as R's `mantelhaen.test(correct = TRUE)`.
//!
//! A 2×2 table is `[a, b, c, d]`: a selected and b not selected in the focal group, c selected
//! and d not selected in the reference group.

pub type Table = [u64; 4];

/// z for a two-sided 95 % interval.
pub const Z_95: f64 = 1.959_963_984_540_054;

fn ln_factorial(n: u64) -> f64 {
    // Exact sum for small n, Stirling's series beyond (error below 1e-12 from n = 30).
    if n < 30 {
        return (2..=n).map(|k| (k as f64).ln()).sum();
    }
    let x = n as f64 + 1.0;
    (x - 0.5) * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI).ln() + 1.0 / (12.0 * x) - 1.0 / (360.0 * x.powi(3))
        + 1.0 / (1260.0 * x.powi(5))
}

fn ln_choose(n: u64, k: u64) -> f64 {
    ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k)
}

/// P(X >= x) for X ~ Binomial(n, p).
fn binom_upper_tail(x: u64, n: u64, p: f64) -> f64 {
    if x == 0 {
        return 1.0;
    }
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let (lp, lq) = (p.ln(), (1.0 - p).ln());
    (x..=n).map(|k| (ln_choose(n, k) + k as f64 * lp + (n - k) as f64 * lq).exp()).sum::<f64>().min(1.0)
}

/// Root of an increasing function on [lo, hi] by bisection.
fn bisect(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Clopper-Pearson interval of x successes out of n at confidence `level` (e.g. 0.95).
/// None when n is 0.
pub fn clopper_pearson(x: u64, n: u64, level: f64) -> Option<(f64, f64)> {
    if n == 0 || x > n {
        return None;
    }
    let alpha = 1.0 - level;
    // The upper tail P(X >= x; p) increases with p; the lower tail P(X <= x; p) decreases.
    let lower = if x == 0 { 0.0 } else { bisect(0.0, 1.0, |p| binom_upper_tail(x, n, p) - alpha / 2.0) };
    let upper = if x == n { 1.0 } else { bisect(0.0, 1.0, |p| alpha / 2.0 - (1.0 - binom_upper_tail(x + 1, n, p))) };
    Some((lower, upper))
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Ratio {
    pub estimate: f64,
    pub lower: f64,
    /// `f64::INFINITY` when the reference group's lower bound is 0.
    pub upper: f64,
}

/// Ratio of the rates x1/n1 over x2/n2 with its conservative exact interval. None when a group
/// is empty or the reference rate is 0 (no ratio to estimate).
pub fn rate_ratio(x1: u64, n1: u64, x2: u64, n2: u64, level: f64) -> Option<Ratio> {
    if n1 == 0 || n2 == 0 || x2 == 0 {
        return None;
    }
    let each = 1.0 - (1.0 - level) / 2.0;
    let (l1, u1) = clopper_pearson(x1, n1, each)?;
    let (l2, u2) = clopper_pearson(x2, n2, each)?;
    let estimate = (x1 as f64 / n1 as f64) / (x2 as f64 / n2 as f64);
    let upper = if l2 > 0.0 { u1 / l2 } else { f64::INFINITY };
    Some(Ratio { estimate, lower: l1 / u2, upper })
}

/// The conditional distribution of `a` given the margins of a 2×2 table, at odds ratio ψ.
struct Conditional {
    support: Vec<u64>,
    /// ln of the central (ψ = 1) probabilities, unnormalised.
    base: Vec<f64>,
}

impl Conditional {
    fn new([a, b, c, d]: Table) -> Self {
        let (m1, m2, t) = (a + b, c + d, a + c);
        let lo = t.saturating_sub(m2);
        let hi = t.min(m1);
        let support: Vec<u64> = (lo..=hi).collect();
        let base = support.iter().map(|&x| ln_choose(m1, x) + ln_choose(m2, t - x)).collect();
        Self { support, base }
    }

    fn probabilities(&self, ln_psi: f64) -> Vec<f64> {
        let w: Vec<f64> = self.base.iter().zip(&self.support).map(|(b, &x)| b + x as f64 * ln_psi).collect();
        let max = w.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = w.iter().map(|v| (v - max).exp()).collect();
        let sum: f64 = e.iter().sum();
        e.into_iter().map(|v| v / sum).collect()
    }

    fn mean(&self, ln_psi: f64) -> f64 {
        self.probabilities(ln_psi).iter().zip(&self.support).map(|(p, &x)| p * x as f64).sum()
    }

    fn upper_tail(&self, a: u64, ln_psi: f64) -> f64 {
        self.probabilities(ln_psi).iter().zip(&self.support).filter(|(_, &x)| x >= a).map(|(p, _)| p).sum()
    }

    fn lower_tail(&self, a: u64, ln_psi: f64) -> f64 {
        self.probabilities(ln_psi).iter().zip(&self.support).filter(|(_, &x)| x <= a).map(|(p, _)| p).sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Fisher {
    /// Conditional maximum-likelihood estimate of the odds ratio.
    pub odds_ratio: f64,
    pub lower: f64,
    pub upper: f64,
    pub p_value: f64,
}

const LN_PSI_RANGE: f64 = 40.0;

/// Fisher's exact analysis of a 2×2 table. None when a margin is 0 (nothing to compare).
pub fn fisher(table: Table, level: f64) -> Option<Fisher> {
    let [a, b, c, d] = table;
    if a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0 {
        return None;
    }
    let dist = Conditional::new(table);
    let (lo, hi) = (dist.support[0], *dist.support.last().expect("non-empty support"));
    let alpha = 1.0 - level;
    let r = LN_PSI_RANGE;
    let odds_ratio = if a == lo {
        0.0
    } else if a == hi {
        f64::INFINITY
    } else {
        bisect(-r, r, |l| dist.mean(l) - a as f64).exp()
    };
    let lower = if a == lo { 0.0 } else { bisect(-r, r, |l| dist.upper_tail(a, l) - alpha / 2.0).exp() };
    let upper = if a == hi { f64::INFINITY } else { bisect(-r, r, |l| alpha / 2.0 - dist.lower_tail(a, l)).exp() };
    let central = dist.probabilities(0.0);
    let observed = central[(a - lo) as usize];
    let p_value = central.iter().filter(|&&p| p <= observed * (1.0 + 1e-7)).sum::<f64>().min(1.0);
    Some(Fisher { odds_ratio, lower, upper, p_value })
}

/// Upper tail of the χ² distribution with one degree of freedom.
pub fn chi2_1_sf(x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    erfc((x / 2.0).sqrt())
}

/// Complementary error function (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct MantelHaenszel {
    /// Strata with at least two people and both groups present.
    pub strata: usize,
    pub odds_ratio: Ratio,
    /// None when no focal or no reference person was selected in any stratum.
    pub risk_ratio: Option<Ratio>,
    /// Cochran-Mantel-Haenszel statistic with continuity correction.
    pub chi2: f64,
    pub p_value: f64,
}

/// Mantel-Haenszel analysis of 2×2 tables, one per stratum (posting). None when no stratum
/// informs the comparison.
pub fn mantel_haenszel(tables: &[Table], z: f64) -> Option<MantelHaenszel> {
    let (mut r_sum, mut s_sum, mut pr, mut ps_qr, mut qs) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut rr_num, mut rr_den, mut rr_var_num) = (0.0, 0.0, 0.0);
    let (mut observed, mut expected, mut variance) = (0.0, 0.0, 0.0);
    let mut strata = 0;
    for &[a, b, c, d] in tables {
        let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
        let (m1, m2) = (a + b, c + d);
        let n = m1 + m2;
        if n < 2.0 || m1 == 0.0 || m2 == 0.0 {
            continue;
        }
        strata += 1;
        let t = a + c;
        let (p, q, r, s) = ((a + d) / n, (b + c) / n, a * d / n, b * c / n);
        r_sum += r;
        s_sum += s;
        pr += p * r;
        ps_qr += p * s + q * r;
        qs += q * s;
        rr_num += a * m2 / n;
        rr_den += c * m1 / n;
        rr_var_num += (m1 * m2 * t - a * c * n) / (n * n);
        observed += a;
        expected += m1 * t / n;
        variance += m1 * m2 * t * (n - t) / (n * n * (n - 1.0));
    }
    if strata == 0 || variance <= 0.0 || r_sum <= 0.0 || s_sum <= 0.0 {
        return None;
    }
    let or = r_sum / s_sum;
    let se = (pr / (2.0 * r_sum * r_sum) + ps_qr / (2.0 * r_sum * s_sum) + qs / (2.0 * s_sum * s_sum)).sqrt();
    let odds_ratio = Ratio { estimate: or, lower: (or.ln() - z * se).exp(), upper: (or.ln() + z * se).exp() };
    let risk_ratio = (rr_num > 0.0 && rr_den > 0.0).then(|| {
        let rr = rr_num / rr_den;
        let se = (rr_var_num / (rr_num * rr_den)).sqrt();
        Ratio { estimate: rr, lower: (rr.ln() - z * se).exp(), upper: (rr.ln() + z * se).exp() }
    });
    let dev = ((observed - expected).abs() - 0.5).max(0.0);
    let chi2 = dev * dev / variance;
    Some(MantelHaenszel { strata, odds_ratio, risk_ratio, chi2, p_value: chi2_1_sf(chi2) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-12)
    }

    #[test]
    fn clopper_pearson_matches_published_values() {
        // R: binom.test(3, 10)$conf.int = 0.06673951 0.65245285
        let (l, u) = clopper_pearson(3, 10, 0.95).unwrap();
        assert!(close(l, 0.066_739_51, 1e-6) && close(u, 0.652_452_85, 1e-6), "{l} {u}");
        // Edges: 0/10 → [0, 1 - 0.025^(1/10)], 10/10 → [0.025^(1/10), 1].
        let (l, u) = clopper_pearson(0, 10, 0.95).unwrap();
        assert_eq!(l, 0.0);
        assert!(close(u, 1.0 - 0.025f64.powf(0.1), 1e-7), "{u}");
        let (l, u) = clopper_pearson(10, 10, 0.95).unwrap();
        assert!(close(l, 0.025f64.powf(0.1), 1e-7) && u == 1.0);
        assert!(clopper_pearson(1, 0, 0.95).is_none());
    }

    #[test]
    fn ln_factorial_is_accurate_past_the_exact_range() {
        let exact: f64 = (2..=200u64).map(|k| (k as f64).ln()).sum();
        assert!(close(ln_factorial(200), exact, 1e-12));
    }

    #[test]
    fn fisher_matches_r_on_the_tea_tasting_table() {
        // R: fisher.test(matrix(c(3, 1, 1, 3), 2)): p = 0.4857, odds ratio 6.408309,
        // 95 % CI 0.2117329 621.9337505.
        let f = fisher([3, 1, 1, 3], 0.95).unwrap();
        assert!(close(f.p_value, 0.485_714, 1e-4), "{f:?}");
        assert!(close(f.odds_ratio, 6.408_309, 1e-5), "{f:?}");
        assert!(close(f.lower, 0.211_732_9, 1e-4), "{f:?}");
        // R's upper limit is found by uniroot on 1/ψ with tolerance 1.2e-4, which leaves it 0.7 %
        // off: at 621.93, P(X ≤ 3) is 0.02517. The exact limit solves P(X ≤ 3; ψ) = 0.025.
        let lower_tail = |psi: f64| {
            let w: Vec<f64> = (0..=4).map(|x| [1.0, 16.0, 36.0, 16.0, 1.0][x] * psi.powi(x as i32)).collect();
            w[..4].iter().sum::<f64>() / w.iter().sum::<f64>()
        };
        assert!(close(lower_tail(f.upper), 0.025, 1e-9) && close(f.upper, 621.933_750_5, 1e-2), "{f:?}");
        assert!(fisher([0, 0, 3, 4], 0.95).is_none());
        let edge = fisher([0, 5, 3, 4], 0.95).unwrap();
        assert_eq!((edge.odds_ratio, edge.lower), (0.0, 0.0));
    }

    #[test]
    fn rate_ratio_interval_contains_the_estimate_and_widens_when_small() {
        let big = rate_ratio(60, 200, 120, 200, 0.95).unwrap();
        assert!(close(big.estimate, 0.5, 1e-12) && big.lower < 0.5 && big.upper > 0.5 && big.upper < 1.0);
        let small = rate_ratio(3, 10, 6, 10, 0.95).unwrap();
        assert!(small.lower < big.lower && small.upper > 1.0);
        assert!(rate_ratio(3, 10, 0, 10, 0.95).is_none());
    }

    /// UC Berkeley admissions 1973, by department: admitted/rejected for men (focal) and women.
    const UCB: [Table; 6] = [
        [512, 313, 89, 19],
        [353, 207, 17, 8],
        [120, 205, 202, 391],
        [138, 279, 131, 244],
        [53, 138, 94, 299],
        [22, 351, 24, 317],
    ];

    #[test]
    fn mantel_haenszel_matches_r_on_ucb_admissions() {
        // R: mantelhaen.test(UCBAdmissions): X-squared = 1.4269, p = 0.2323,
        // common odds ratio 0.9046968, 95 % CI 0.7719074 1.0603298.
        let mh = mantel_haenszel(&UCB, Z_95).unwrap();
        assert_eq!(mh.strata, 6);
        assert!(close(mh.odds_ratio.estimate, 0.904_696_8, 1e-6), "{mh:?}");
        assert!(
            close(mh.odds_ratio.lower, 0.771_907_4, 1e-5) && close(mh.odds_ratio.upper, 1.060_329_8, 1e-5),
            "{mh:?}"
        );
        assert!(close(mh.chi2, 1.4269, 1e-3) && close(mh.p_value, 0.2323, 1e-3), "{mh:?}");
        assert!(mantel_haenszel(&[[0, 0, 3, 4]], Z_95).is_none());
    }

    #[test]
    fn chi2_tail_matches_known_quantiles() {
        assert!(close(chi2_1_sf(3.841_458_8), 0.05, 1e-5));
        assert!(close(chi2_1_sf(6.634_896_6), 0.01, 1e-5));
        assert_eq!(chi2_1_sf(0.0), 1.0);
    }
}
