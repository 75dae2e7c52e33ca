//! Ranking metrics with graded relevance (TalentCLEF-style protocol): nDCG@k and average
//! precision. Pure functions, so the figures `vivier eval rank` prints can be checked by hand.

/// Grades at or above this count as relevant for average precision.
pub const RELEVANT_GRADE: u8 = 2;

/// Gain of a grade: 2^g − 1 (a perfect fit is worth far more than a marginal one).
fn gain(grade: u8) -> f64 {
    (2f64).powi(i32::from(grade)) - 1.0
}

fn dcg(grades: impl Iterator<Item = u8>, k: usize) -> f64 {
    grades.take(k).enumerate().map(|(i, g)| gain(g) / ((i as f64) + 2.0).log2()).sum()
}

/// nDCG@k of a ranking: `ranked` are the grades in the system's order; the ideal order is the
/// same grades sorted. 1.0 when no item is relevant at all (nothing to get wrong).
pub fn ndcg_at(ranked: &[u8], k: usize) -> f64 {
    let mut ideal = ranked.to_vec();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(ideal.into_iter(), k);
    if best == 0.0 {
        return 1.0;
    }
    dcg(ranked.iter().copied(), k) / best
}

/// Average precision with grades ≥ `threshold` as relevant; 1.0 when none is relevant.
pub fn average_precision(ranked: &[u8], threshold: u8) -> f64 {
    let relevant = ranked.iter().filter(|g| **g >= threshold).count();
    if relevant == 0 {
        return 1.0;
    }
    let mut hits = 0usize;
    let mut sum = 0.0;
    for (i, g) in ranked.iter().enumerate() {
        if *g >= threshold {
            hits += 1;
            sum += hits as f64 / (i + 1) as f64;
        }
    }
    sum / relevant as f64
}

/// The three figures of one ranking.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Figures {
    pub ndcg3: f64,
    pub ndcg10: f64,
    pub map: f64,
}

impl Figures {
    pub fn of(ranked: &[u8]) -> Self {
        Figures {
            ndcg3: ndcg_at(ranked, 3),
            ndcg10: ndcg_at(ranked, 10),
            map: average_precision(ranked, RELEVANT_GRADE),
        }
    }

    /// Arithmetic mean over postings (macro-average).
    pub fn mean(all: &[Figures]) -> Self {
        let n = all.len().max(1) as f64;
        Figures {
            ndcg3: all.iter().map(|f| f.ndcg3).sum::<f64>() / n,
            ndcg10: all.iter().map(|f| f.ndcg10).sum::<f64>() / n,
            map: all.iter().map(|f| f.map).sum::<f64>() / n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn hand_checked_example() {
        // System order of grades: 2, 3, 0, 1.
        // DCG@3 = (2²−1)/log2(2) + (2³−1)/log2(3) + 0 = 3 + 7/1.584963 = 7.416508
        // Ideal 3, 2, 1, 0: IDCG@3 = 7 + 3/1.584963 + 1/2 = 9.392789
        let ranked = [2, 3, 0, 1];
        let expected3 = (3.0 + 7.0 / 3f64.log2()) / (7.0 + 3.0 / 3f64.log2() + 0.5);
        assert!(close(ndcg_at(&ranked, 3), expected3));
        assert!((ndcg_at(&ranked, 3) - 0.789599).abs() < 1e-5);
        // @10 adds the grade-1 item at position 4: +1/log2(5) to DCG; IDCG@10 = IDCG@3 (+0).
        let expected10 = (3.0 + 7.0 / 3f64.log2() + 1.0 / 5f64.log2()) / (7.0 + 3.0 / 3f64.log2() + 0.5);
        assert!(close(ndcg_at(&ranked, 10), expected10));
        // Relevant (≥ 2) at positions 1 and 2: AP = (1/1 + 2/2) / 2 = 1.
        assert!(close(average_precision(&ranked, 2), 1.0));
        // Relevant at positions 2 and 4: AP = (1/2 + 2/4) / 2 = 0.5.
        assert!(close(average_precision(&[0, 3, 1, 2], 2), 0.5));
        // Perfect order.
        assert!(close(ndcg_at(&[3, 2, 1, 0], 3), 1.0));
        // Nothing relevant: nothing to get wrong.
        assert!(close(ndcg_at(&[0, 0], 3), 1.0));
        assert!(close(average_precision(&[0, 1], 2), 1.0));
        let f = Figures::mean(&[Figures::of(&[3, 2, 1, 0]), Figures::of(&[0, 3, 1, 2])]);
        assert!(close(f.map, 0.75));
    }
}
