//! Small descriptive statistics over millisecond samples. Sorting makes them O(n log n),
//! which keeps the whole analysis within O(n log n) in the number of events.

/// Percentile `q` (0..=1) of `sorted` by linear interpolation between closest ranks (the
/// "type 7" estimator of R and NumPy, so figures compare with the published tables);
/// `None` when empty.
pub fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    percentile_of(sorted.len(), |i| sorted[i], q)
}

/// [`percentile`] of `len` sorted values, the value at rank `i` (from 0) being `at(i)`.
pub fn percentile_of(len: usize, at: impl Fn(usize) -> f64, q: f64) -> Option<f64> {
    if len == 0 {
        return None;
    }
    let pos = q.clamp(0.0, 1.0) * (len - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    let (a, b) = (at(lo), at(hi));
    Some(a + (b - a) * frac)
}

/// Sorted copy of `values` (NaN-free input assumed: all our samples are finite times).
pub fn sorted(values: &[f64]) -> Vec<f64> {
    sort(values.to_vec())
}

/// `values` sorted in place, for a series no longer needed in its original order.
pub fn sort(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_unstable_by(|a, b| a.total_cmp(b));
    values
}

/// Whole-number samples counted by value: exact order statistics in memory that grows with
/// the number of distinct values, not of samples (pauses in whole milliseconds repeat a lot).
#[derive(Debug, Clone, Default)]
pub struct Histogram {
    counts: std::collections::BTreeMap<u64, usize>,
    n: usize,
}

impl Histogram {
    pub fn add(&mut self, v: u64) {
        *self.counts.entry(v).or_insert(0) += 1;
        self.n += 1;
    }

    pub fn len(&self) -> usize {
        self.n
    }

    /// [`percentile`] of the samples, as if they were sorted.
    pub fn percentile(&self, q: f64) -> Option<f64> {
        percentile_of(self.n, |rank| self.nth(rank), q)
    }

    /// The sample at `rank` (from 0) in sorted order.
    fn nth(&self, rank: usize) -> f64 {
        let mut seen = 0;
        for (&v, &c) in &self.counts {
            seen += c;
            if rank < seen {
                return v as f64;
            }
        }
        0.0
    }

    /// How many samples are above `threshold`.
    pub fn count_above(&self, threshold: f64) -> usize {
        self.counts.iter().filter(|&(&v, _)| v as f64 > threshold).map(|(_, &c)| c).sum()
    }
}

/// Arithmetic mean; `None` when empty.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(values.iter().sum::<f64>() / values.len() as f64)
}

/// Coefficient of variation (population standard deviation ÷ mean); `None` with fewer than
/// two values or a zero mean.
pub fn cv(values: impl ExactSizeIterator<Item = f64> + Clone) -> Option<f64> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let m = values.clone().sum::<f64>() / n as f64;
    if m <= 0.0 {
        return None;
    }
    let var = values.map(|v| (v - m).powi(2)).sum::<f64>() / n as f64;
    Some(var.sqrt() / m)
}

/// Shannon entropy in bits of `values` binned into `bin`-wide bins. A constant-delay
/// typer gives 0 bits; spread-out human timing gives several bits.
pub fn entropy_bits(values: impl ExactSizeIterator<Item = f64>, bin: f64) -> Option<f64> {
    let n = values.len() as f64;
    if n == 0.0 || bin <= 0.0 {
        return None;
    }
    let mut counts = std::collections::HashMap::<i64, usize>::new();
    for v in values {
        *counts.entry((v / bin).floor() as i64).or_insert(0) += 1;
    }
    Some(counts.values().map(|&c| c as f64 / n).map(|p| -p * p.log2()).sum::<f64>() + 0.0)
}

/// Length of the longest run of consecutive values that are equal once rounded to `res`.
/// A run of k equal intervals counts k.
pub fn longest_equal_run(values: impl Iterator<Item = f64>, res: f64) -> usize {
    let res = res.max(1e-9);
    let mut best = 0;
    let mut run = 0;
    let mut prev: Option<i64> = None;
    for v in values {
        let b = (v / res).round() as i64;
        run = if prev == Some(b) { run + 1 } else { 1 };
        best = best.max(run);
        prev = Some(b);
    }
    best
}

/// Share of `values` in the most common `res`-wide bin.
pub fn mode_share(values: impl ExactSizeIterator<Item = f64>, res: f64) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mut counts = std::collections::HashMap::<i64, usize>::new();
    for v in values {
        *counts.entry((v / res.max(1e-9)).round() as i64).or_insert(0) += 1;
    }
    let top = counts.values().copied().max().unwrap_or(0);
    Some(top as f64 / n as f64)
}

/// Rounds to 3 decimals, so reports and JSON do not show float noise.
pub fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_interpolates_between_ranks() {
        let v = [10.0, 20.0, 30.0, 40.0];
        assert_eq!(percentile(&v, 0.5), Some(25.0));
        assert_eq!(percentile(&v, 0.0), Some(10.0));
        assert_eq!(percentile(&v, 1.0), Some(40.0));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn a_histogram_gives_the_percentiles_of_its_samples_sorted() {
        let samples = [700, 20, 20, 5, 3000, 20, 41, 2000, 5, 999];
        let mut h = Histogram::default();
        samples.iter().for_each(|&v| h.add(v));
        let sorted = sorted(&samples.map(|v| v as f64));
        for q in [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0] {
            assert_eq!(h.percentile(q), percentile(&sorted, q), "q = {q}");
        }
        assert_eq!((h.len(), h.count_above(699.5), h.count_above(3000.0)), (10, 4, 0));
        assert_eq!(Histogram::default().percentile(0.5), None);
    }

    #[test]
    fn cv_of_constant_values_is_zero_and_of_spread_values_is_exact() {
        assert_eq!(cv([100.0; 5].into_iter()), Some(0.0));
        // mean 100, population sd 50.
        assert_eq!(cv([50.0, 150.0].into_iter()), Some(0.5));
    }

    #[test]
    fn entropy_counts_bits_of_the_binned_distribution() {
        assert_eq!(entropy_bits([100.0; 8].into_iter(), 10.0), Some(0.0));
        assert_eq!(entropy_bits([5.0, 15.0, 25.0, 35.0].into_iter(), 10.0), Some(2.0));
    }

    #[test]
    fn equal_runs_and_mode_share_use_the_resolution() {
        assert_eq!(longest_equal_run([100.0, 100.4, 99.8, 130.0, 100.0].into_iter(), 1.0), 3);
        assert_eq!(longest_equal_run([100.0, 110.0, 120.0].into_iter(), 17.0), 2);
        assert_eq!(mode_share([100.0, 100.0, 100.0, 250.0].into_iter(), 1.0), Some(0.75));
    }
}
