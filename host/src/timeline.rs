//! Career gaps and date irregularities, computed by the host from any parser's profile, the
//! same way for every vendor. They are facts for the recruiter to ask about, never a penalty:
//! a gap may be parental leave, illness or a job search.

use crate::model::{PartialDate, Profile};
use serde::Serialize;

/// A gap longer than this many months is reported.
pub const GAP_MONTHS: i32 = 6;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Gap {
    /// First month without a known position.
    pub from: PartialDate,
    /// Last month without a known position.
    pub to: PartialDate,
    pub months: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Irregularity {
    EndBeforeStart { experience: usize, title: String },
    InFuture { experience: usize, title: String },
    Overlap { first: usize, second: usize, months: i32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Timeline {
    pub gaps: Vec<Gap>,
    pub irregularities: Vec<Irregularity>,
}

fn index(d: &PartialDate, as_end: bool) -> i32 {
    let month = d.month.filter(|m| (1..=12).contains(m)).unwrap_or(if as_end { 12 } else { 1 });
    i32::from(d.year) * 12 + i32::from(month) - 1
}

fn from_index(i: i32) -> PartialDate {
    PartialDate { year: (i / 12) as u16, month: Some((i % 12 + 1) as u8) }
}

/// Analyses the experiences of a profile as of `today`.
pub fn analyse(profile: &Profile, today: PartialDate) -> Timeline {
    let now = index(&today, false);
    let mut out = Timeline::default();
    // Year-only dates are imprecise: gaps use the reading that makes them shortest (a start in
    // January, an end in December), overlaps the reading that makes them shortest too (a start
    // in December, an end in January). Only what is certain gets reported.
    struct Span {
        start: i32,
        end: i32,
        late_start: i32,
        early_end: i32,
        at: usize,
    }
    let mut spans: Vec<Span> = Vec::new();
    for (i, e) in profile.experiences.iter().enumerate() {
        let Some(start_date) = &e.start else { continue };
        let (start, late_start) = (index(start_date, false), index(start_date, true));
        let (end, early_end) = match (&e.end, e.current) {
            (Some(end), _) => (index(end, true), index(end, false)),
            (None, true) => (now, now),
            (None, false) => (index(start_date, true), late_start),
        };
        if start > now {
            out.irregularities.push(Irregularity::InFuture { experience: i, title: e.title.clone() });
        }
        if end < start {
            out.irregularities.push(Irregularity::EndBeforeStart { experience: i, title: e.title.clone() });
            continue;
        }
        let cap = |m: i32| m.min(now.max(start));
        spans.push(Span { start, end: cap(end), late_start, early_end: cap(early_end), at: i });
    }
    spans.sort_by_key(|s| (s.start, s.end, s.at));
    for (n, a) in spans.iter().enumerate() {
        for b in &spans[n + 1..] {
            // Overlaps of a month or two are normal hand-overs; longer ones deserve a question.
            let overlap = a.early_end.min(b.early_end) - a.late_start.max(b.late_start) + 1;
            if overlap > 2 {
                out.irregularities.push(Irregularity::Overlap { first: a.at, second: b.at, months: overlap });
            }
        }
    }
    let mut covered_until: Option<i32> = None;
    for &Span { start, end, .. } in &spans {
        if let Some(until) = covered_until {
            let missing = start - until - 1;
            if missing > GAP_MONTHS {
                out.gaps.push(Gap { from: from_index(until + 1), to: from_index(start - 1), months: missing });
            }
        }
        covered_until = Some(covered_until.map_or(end, |u| u.max(end)));
    }
    if let Some(until) = covered_until {
        let missing = now - until - 1;
        if missing > GAP_MONTHS {
            out.gaps.push(Gap { from: from_index(until + 1), to: from_index(now), months: missing + 1 });
        }
    }
    out
}

/// Total months of dated experience as of `today`, overlapping periods counted once: the figure
/// a matcher checks a posting's minimum experience against. Year-only dates run from January to
/// December; positions still held run to `today`; nothing counts past `today`. `None` when no
/// experience has a usable start date.
pub fn total_months(profile: &Profile, today: PartialDate) -> Option<u32> {
    let now = index(&today, false);
    let mut spans: Vec<(i32, i32)> = Vec::new();
    for e in &profile.experiences {
        let Some(start_date) = &e.start else { continue };
        let start = index(start_date, false);
        let end = match (&e.end, e.current) {
            (Some(end), _) => index(end, true),
            (None, true) => now,
            (None, false) => index(start_date, true),
        };
        let end = end.min(now);
        if start <= end {
            spans.push((start, end));
        }
    }
    if spans.is_empty() {
        return profile.experiences.iter().any(|e| e.start.is_some()).then_some(0);
    }
    spans.sort_unstable();
    let mut total = 0i64;
    let mut current = spans[0];
    for &(s, e) in &spans[1..] {
        if s <= current.1 + 1 {
            current.1 = current.1.max(e);
        } else {
            total += i64::from(current.1 - current.0 + 1);
            current = (s, e);
        }
    }
    total += i64::from(current.1 - current.0 + 1);
    Some(total.clamp(0, i64::from(u32::MAX)) as u32)
}

/// Today's month, for [`analyse`].
pub fn current_month() -> PartialDate {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    // Civil-from-days (Howard Hinnant), enough for a month.
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    PartialDate { year: year as u16, month: Some(month as u8) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Experience;

    fn d(year: u16, month: u8) -> Option<PartialDate> {
        Some(PartialDate { year, month: Some(month) })
    }

    fn exp(title: &str, start: Option<PartialDate>, end: Option<PartialDate>, current: bool) -> Experience {
        Experience { title: title.into(), start, end, current, ..Default::default() }
    }

    #[test]
    fn gaps_longer_than_six_months() {
        let profile = Profile {
            experiences: vec![
                exp("B", d(2021, 3), None, true),
                exp("A", d(2015, 1), d(2019, 12), false),
                exp("short pause", d(2020, 1), d(2020, 2), false),
            ],
            ..Default::default()
        };
        let t = analyse(&profile, PartialDate { year: 2026, month: Some(11) });
        assert_eq!(
            t.gaps,
            vec![Gap {
                from: PartialDate { year: 2020, month: Some(3) },
                to: PartialDate { year: 2021, month: Some(2) },
                months: 12
            }]
        );
        assert!(t.irregularities.is_empty());
    }

    #[test]
    fn irregularities() {
        let profile = Profile {
            experiences: vec![
                exp("backwards", d(2019, 5), d(2018, 1), false),
                exp("future", d(2030, 1), None, true),
                exp("X", d(2010, 1), d(2014, 12), false),
                exp("Y", d(2012, 1), d(2016, 12), false),
            ],
            ..Default::default()
        };
        let t = analyse(&profile, PartialDate { year: 2026, month: Some(11) });
        assert!(t.irregularities.iter().any(|i| matches!(i, Irregularity::EndBeforeStart { experience: 0, .. })));
        assert!(t.irregularities.iter().any(|i| matches!(i, Irregularity::InFuture { experience: 1, .. })));
        assert!(t
            .irregularities
            .iter()
            .any(|i| matches!(i, Irregularity::Overlap { first: 2, second: 3, months: 36 })));
        // Years without months: 2015-2018 covers all of 2018.
        let years = Profile {
            experiences: vec![
                exp(
                    "A",
                    Some(PartialDate { year: 2015, month: None }),
                    Some(PartialDate { year: 2018, month: None }),
                    false,
                ),
                exp("B", Some(PartialDate { year: 2019, month: None }), None, true),
            ],
            ..Default::default()
        };
        assert!(analyse(&years, PartialDate { year: 2026, month: Some(1) }).gaps.is_empty());
    }

    #[test]
    fn total_months_counts_overlaps_once() {
        let profile = Profile {
            experiences: vec![
                exp("A", d(2015, 1), d(2016, 12), false),
                exp("B", d(2016, 7), d(2017, 6), false),
                exp("C", d(2020, 1), None, true),
                exp("undated", None, None, false),
            ],
            ..Default::default()
        };
        // 2015-01..2017-06 = 30 months, 2020-01..2020-12 = 12 months.
        assert_eq!(total_months(&profile, PartialDate { year: 2020, month: Some(12) }), Some(42));
        assert_eq!(total_months(&Profile::default(), PartialDate { year: 2020, month: Some(1) }), None);
        let future = Profile { experiences: vec![exp("F", d(2030, 1), None, true)], ..Default::default() };
        assert_eq!(total_months(&future, PartialDate { year: 2020, month: Some(1) }), Some(0));
    }

    #[test]
    fn current_month_is_plausible() {
        let m = current_month();
        assert!(m.year >= 2024 && (1..=12).contains(&m.month.unwrap()));
    }
}
