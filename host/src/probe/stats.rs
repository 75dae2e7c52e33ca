//! Paired statistics of the bias probe: the exact two-sided sign test, and rank correlations
//! used by the shadow report.

/// Exact two-sided sign test: the probability, under "no systematic difference" (each non-zero
/// difference positive with probability 1/2), of a split at least as uneven as `pos`/`neg`.
/// Ties (zero differences) carry no sign and are left out, as the test prescribes. 1.0 when
/// every difference is zero.
pub fn sign_test(pos: usize, neg: usize) -> f64 {
    let n = pos + neg;
    if n == 0 {
        return 1.0;
    }
    let k = pos.min(neg);
    // P(X <= k) for X ~ Binomial(n, 1/2), in log space so that n in the thousands stays exact
    // enough without overflow.
    let ln_half_n = -(n as f64) * std::f64::consts::LN_2;
    let mut ln_c = 0.0f64; // ln C(n, 0)
    let mut tail = 0.0f64;
    for i in 0..=k {
        if i > 0 {
            ln_c += ((n - i + 1) as f64).ln() - (i as f64).ln();
        }
        tail += (ln_c + ln_half_n).exp();
    }
    (2.0 * tail).min(1.0)
}

/// Kendall's tau-b between two orders of the same items (ids, best first). Items missing from
/// either order are ignored. None with fewer than two common items.
pub fn kendall_tau(a: &[String], b: &[String]) -> Option<f64> {
    let common: Vec<&String> = a.iter().filter(|x| b.contains(x)).collect();
    if common.len() < 2 {
        return None;
    }
    let pos_b = |x: &String| b.iter().position(|y| y == x).unwrap_or(usize::MAX);
    let (mut concordant, mut discordant) = (0i64, 0i64);
    for i in 0..common.len() {
        for j in i + 1..common.len() {
            // In `a`, common[i] comes before common[j].
            if pos_b(common[i]) < pos_b(common[j]) {
                concordant += 1;
            } else {
                discordant += 1;
            }
        }
    }
    Some((concordant - discordant) as f64 / (concordant + discordant) as f64)
}

/// Share of the first `k` items of `a` also among the first `k` of `b`.
pub fn top_k_overlap(a: &[String], b: &[String], k: usize) -> Option<f64> {
    let k = k.min(a.len()).min(b.len());
    if k == 0 {
        return None;
    }
    let shared = a[..k].iter().filter(|x| b[..k].contains(x)).count();
    Some(shared as f64 / k as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_test_matches_the_binomial() {
        // 10 of 10 the same way: 2 / 1024.
        assert!((sign_test(10, 0) - 2.0 / 1024.0).abs() < 1e-12);
        // 8 vs 2: 2 * (1 + 10 + 45) / 1024.
        assert!((sign_test(2, 8) - 112.0 / 1024.0).abs() < 1e-12);
        assert_eq!(sign_test(5, 5), 1.0);
        assert_eq!(sign_test(0, 0), 1.0);
        assert!(sign_test(600, 400) < 1e-9);
    }

    #[test]
    fn tau_and_overlap() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(kendall_tau(&s(&["a", "b", "c"]), &s(&["a", "b", "c"])), Some(1.0));
        assert_eq!(kendall_tau(&s(&["a", "b", "c"]), &s(&["c", "b", "a"])), Some(-1.0));
        assert_eq!(top_k_overlap(&s(&["a", "b", "c"]), &s(&["b", "a", "d"]), 2), Some(1.0));
        assert_eq!(top_k_overlap(&s(&["a", "b", "c"]), &s(&["c", "d", "a"]), 2), Some(0.0));
    }
}
