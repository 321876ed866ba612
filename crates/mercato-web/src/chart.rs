//! Charts drawn on the server as SVG (no chart script, no CDN): the
//! geometry of bar charts over time buckets and of ranked horizontal bars,
//! laid out here and drawn by the templates (which escape every label).
//! Pixel positions are floats; the values people read are the exact
//! strings the caller passes.

/// A vertical bar chart over time buckets.
pub(crate) struct Columns {
    pub width: f64,
    pub height: f64,
    /// `(x, y, width, height, tooltip)`.
    pub bars: Vec<(f64, f64, f64, f64, String)>,
    /// `(y, label)` of the value axis.
    pub ticks: Vec<(f64, String)>,
    /// `(x, label)` under some bars (not all: they would overlap).
    pub x_labels: Vec<(f64, String)>,
    /// The plot's left edge and bottom, for the axes.
    pub left: f64,
    pub bottom: f64,
}

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 64.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 190.0;

/// A "nice" axis maximum and step (1, 2 or 5 × 10ⁿ) covering `max` in
/// three to five steps.
pub(crate) fn nice_axis(max: f64) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 0.25);
    }
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    ((max / step).ceil() * step, step)
}

/// Formats an axis value without noise: `1500`, `2.5`, `1.2M`.
fn tick_text(v: f64) -> String {
    let (v, suffix) = if v >= 1e6 {
        (v / 1e6, "M")
    } else if v >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}{suffix}")
}

impl Columns {
    /// Lays out `(label, value, tooltip)` bars.
    pub fn new(points: &[(String, f64, String)]) -> Self {
        let max = points.iter().map(|p| p.1).fold(0.0, f64::max);
        let (axis_max, step) = nice_axis(max);
        let plot_h = BOTTOM - TOP;
        let n = points.len().max(1) as f64;
        let slot = (W - LEFT - 8.0) / n;
        let bar_w = (slot * 0.8).max(1.0);
        let y_of = |v: f64| BOTTOM - plot_h * (v / axis_max).clamp(0.0, 1.0);
        let bars = points
            .iter()
            .enumerate()
            .map(|(i, (_, v, tip))| {
                let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
                let y = y_of(*v);
                (
                    round1(x),
                    round1(y),
                    round1(bar_w),
                    round1(BOTTOM - y),
                    tip.clone(),
                )
            })
            .collect();
        let mut ticks = Vec::new();
        let mut t = 0.0;
        while t <= axis_max + step / 2.0 {
            ticks.push((round1(y_of(t)), tick_text(t)));
            t += step;
        }
        // About eight labels whatever the number of bars.
        let every = (points.len() / 8).max(1);
        let x_labels = points
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0)
            .map(|(i, (label, _, _))| (round1(LEFT + slot * (i as f64 + 0.5)), label.clone()))
            .collect();
        Columns {
            width: W,
            height: H,
            bars,
            ticks,
            x_labels,
            left: LEFT,
            bottom: BOTTOM,
        }
    }
}

/// Ranked horizontal bars (top products, the funnel).
pub(crate) struct Ranking {
    pub width: f64,
    pub height: f64,
    /// `(y, bar width, label, value text)`.
    pub rows: Vec<(f64, f64, String, String)>,
    pub label_width: f64,
}

const ROW: f64 = 26.0;
const LABEL_W: f64 = 220.0;
const BAR_MAX: f64 = 320.0;

impl Ranking {
    /// Lays out `(label, value, value text)` rows, longest bar for the largest.
    pub fn new(rows: &[(String, f64, String)]) -> Self {
        let max = rows.iter().map(|r| r.1).fold(0.0, f64::max);
        let rows_out = rows
            .iter()
            .enumerate()
            .map(|(i, (label, v, text))| {
                let w = if max > 0.0 { BAR_MAX * v / max } else { 0.0 };
                // Long names are cut in the chart; the table below has them whole.
                let short: String = if label.chars().count() > 28 {
                    label.chars().take(27).chain(['…']).collect()
                } else {
                    label.clone()
                };
                (
                    round1(i as f64 * ROW + 4.0),
                    round1(w.max(1.0)),
                    short,
                    text.clone(),
                )
            })
            .collect();
        Ranking {
            width: LABEL_W + BAR_MAX + 120.0,
            height: (rows.len().max(1) as f64) * ROW + 8.0,
            rows: rows_out,
            label_width: LABEL_W,
        }
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_are_nice_and_cover_the_largest_value() {
        assert_eq!(nice_axis(0.0), (1.0, 0.25));
        assert_eq!(nice_axis(97.0), (100.0, 20.0));
        assert_eq!(nice_axis(1500.0), (1500.0, 500.0));
        assert_eq!(nice_axis(3.0), (3.0, 1.0));
    }

    #[test]
    fn columns_put_the_tallest_bar_at_the_top_of_the_axis() {
        let pts: Vec<(String, f64, String)> = (0..30)
            .map(|i| (format!("d{i}"), f64::from(i), String::new()))
            .collect();
        let c = Columns::new(&pts);
        assert_eq!(c.bars.len(), 30);
        assert_eq!(c.bars[0].3, 0.0, "a zero is a flat bar");
        let tallest = c.bars.iter().map(|b| b.3).fold(0.0, f64::max);
        assert!(tallest <= BOTTOM - TOP && tallest > (BOTTOM - TOP) * 0.7);
        assert!(c.x_labels.len() <= 10);
        assert_eq!(c.ticks.first().unwrap().1, "0");
        assert!(c.bars.iter().all(|b| b.0 >= LEFT && b.0 + b.2 <= W));
    }

    #[test]
    fn rankings_scale_to_the_first_and_cut_long_names() {
        let r = Ranking::new(&[
            (
                "A very long product name that goes on and on".into(),
                200.0,
                "200".into(),
            ),
            ("B".into(), 50.0, "50".into()),
        ]);
        assert_eq!(r.rows[0].1, BAR_MAX);
        assert_eq!(r.rows[1].1, BAR_MAX / 4.0);
        assert!(r.rows[0].2.ends_with('…') && r.rows[0].2.chars().count() == 28);
        assert_eq!(tick_text(1500.0), "1500");
        assert_eq!(tick_text(25000.0), "25k");
        assert_eq!(tick_text(2.5), "2.5");
        assert_eq!(tick_text(1_200_000.0), "1.2M");
    }
}
