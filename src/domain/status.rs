//! Publication-status arithmetic: how long papers spend in each stage,
//! computed from the stage events (the audit trail), and percentiles.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::Stage;

/// One stage event as the arithmetic needs it. Events of a paper must come
/// in the order they happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageVisit {
    pub paper_id: i64,
    pub to: Stage,
    pub at: DateTime<Utc>,
}

/// A sample of durations and its median and 90th percentile (nearest rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CycleTime {
    pub samples: usize,
    pub median: Option<Duration>,
    pub p90: Option<Duration>,
}

impl CycleTime {
    pub fn of(mut durations: Vec<Duration>) -> CycleTime {
        durations.sort();
        CycleTime {
            samples: durations.len(),
            median: percentile(&durations, 50),
            p90: percentile(&durations, 90),
        }
    }
}

/// Nearest-rank percentile of sorted values: the smallest value with at
/// least `p` percent of the sample at or below it.
pub fn percentile(sorted: &[Duration], p: usize) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Whether a time falls in a half-open window; absent ends are unbounded.
fn within(at: DateTime<Utc>, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> bool {
    from.is_none_or(|from| at >= from) && to.is_none_or(|to| at < to)
}

/// Time spent in each stage: one sample per completed visit (entered, then
/// left), counted when the visit ended inside the window.
pub fn time_in_stages(
    events: &[StageVisit],
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> HashMap<Stage, CycleTime> {
    let mut samples: HashMap<Stage, Vec<Duration>> = HashMap::new();
    for pair in events.windows(2) {
        let [entered, left] = pair else { continue };
        if entered.paper_id == left.paper_id && within(left.at, from, to) {
            samples
                .entry(entered.to)
                .or_default()
                .push(left.at - entered.at);
        }
    }
    samples
        .into_iter()
        .map(|(stage, durations)| (stage, CycleTime::of(durations)))
        .collect()
}

/// From first submission to first publication, per paper published inside
/// the window.
pub fn submission_to_publication(
    events: &[StageVisit],
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> CycleTime {
    let mut submitted: HashMap<i64, DateTime<Utc>> = HashMap::new();
    let mut published: HashMap<i64, DateTime<Utc>> = HashMap::new();
    for event in events {
        match event.to {
            Stage::Submitted => {
                submitted.entry(event.paper_id).or_insert(event.at);
            }
            Stage::Published => {
                published.entry(event.paper_id).or_insert(event.at);
            }
            _ => {}
        }
    }
    let durations = published
        .iter()
        .filter(|(_, at)| within(**at, from, to))
        .filter_map(|(paper, at)| submitted.get(paper).map(|start| *at - *start))
        .collect();
    CycleTime::of(durations)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(h: i64) -> Duration {
        Duration::hours(h)
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let sorted: Vec<Duration> = (1..=10).map(hours).collect();
        assert_eq!(percentile(&sorted, 50), Some(hours(5)));
        assert_eq!(percentile(&sorted, 90), Some(hours(9)));
        assert_eq!(percentile(&sorted[..1], 90), Some(hours(1)));
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[hours(1), hours(3)], 50), Some(hours(1)));
    }

    #[test]
    fn visits_are_timed_from_entering_to_leaving() {
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        let visit = |paper_id, to, h| StageVisit {
            paper_id,
            to,
            at: t0 + hours(h),
        };
        let events = [
            visit(1, Stage::Draft, 0),
            visit(1, Stage::Submitted, 10),
            visit(1, Stage::Review, 12),
            visit(1, Stage::Published, 20),
            visit(2, Stage::Draft, 0),
            visit(2, Stage::Submitted, 30),
        ];
        let stages = time_in_stages(&events, None, None);
        assert_eq!(stages[&Stage::Draft].samples, 2);
        assert_eq!(stages[&Stage::Draft].median, Some(hours(10)));
        assert_eq!(stages[&Stage::Draft].p90, Some(hours(30)));
        assert_eq!(stages[&Stage::Submitted].median, Some(hours(2)));
        assert_eq!(stages[&Stage::Review].median, Some(hours(8)));
        assert!(
            !stages.contains_key(&Stage::Published),
            "a visit still going is no sample"
        );

        let window = time_in_stages(&events, Some(t0 + hours(11)), Some(t0 + hours(25)));
        assert_eq!(window.get(&Stage::Draft), None);
        assert_eq!(window[&Stage::Submitted].samples, 1);

        let total = submission_to_publication(&events, None, None);
        assert_eq!((total.samples, total.median), (1, Some(hours(10))));
        assert_eq!(
            submission_to_publication(&events, Some(t0 + hours(21)), None).samples,
            0
        );
    }
}
