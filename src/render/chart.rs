//! Line charts as self-contained SVG 1.1, for `mlscan trend`: panels with
//! their own y axis stacked over one shared x axis (one sample per
//! revision), so series in different units stay readable side by side.
//!
//! Layout in px: 960 wide; a header (title, subtitle); per panel a title, a
//! wrapping legend and a 190-high plot with "nice" y ticks (1, 2, 5 × 10^k),
//! grid lines, the unit and each line's last value at its end; under the
//! last panel at most ten x labels (always the first and last), rotated
//! when long. A panel whose unit ends in `/100` has a 0–100 axis; others
//! start at 0 when their data is non-negative and its minimum at most half
//! its maximum (and mirrored for negative data). `None`, NaN, infinite and
//! absurdly large (> 1e300) values leave gaps, as do values missing at the
//! end of a series; values beyond the x labels are ignored.

use std::fmt::Write as _;
use std::io::{self, Write};

/// A line chart: panels stacked vertically over a shared x axis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chart {
    pub title: String,
    pub subtitle: String,
    /// One per sample: a date or a short commit id.
    pub x_labels: Vec<String>,
    pub panels: Vec<Panel>,
}

/// One plot with its own y axis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Panel {
    pub title: String,
    /// The y-axis label; one ending in `/100` fixes the axis at 0–100.
    pub unit: String,
    pub series: Vec<Series>,
}

/// One line: a value per x label, `None` for a gap.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

const WIDTH: f64 = 960.0;
const PLOT_HEIGHT: f64 = 190.0;
const EDGE: f64 = 16.0;
const PANEL_GAP: f64 = 24.0;
const LEGEND_ROW: f64 = 18.0;
const FONT: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const MAX_X_LABELS: usize = 10;
/// Markers on every sample up to this many samples.
const MAX_MARKED: usize = 60;
const TICK_INTERVALS: f64 = 6.0;
const MAX_MAGNITUDE: f64 = 1e300;
/// Longest texts shown, in characters (the `title` and `desc` elements
/// keep them whole).
const TITLE_CHARS: usize = 80;
const SUBTITLE_CHARS: usize = 115;
const PANEL_TITLE_CHARS: usize = 90;
const UNIT_CHARS: usize = 26;
const X_LABEL_CHARS: usize = 24;
const NAME_CHARS: usize = 40;
/// Okabe–Ito (line colour, text colour): the light ones get a darker
/// shade for text on white.
const PALETTE: [(&str, &str); 8] = [
    ("#0072B2", "#0072B2"),
    ("#D55E00", "#D55E00"),
    ("#009E73", "#007A5A"),
    ("#CC79A7", "#A8577F"),
    ("#E69F00", "#9A6A00"),
    ("#56B4E9", "#2B7DB0"),
    ("#000000", "#000000"),
    ("#F0E442", "#8A8000"),
];
/// Dash patterns, one per round of the palette (beyond 8 series).
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];

/// Writes `chart` as an SVG document.
pub fn write_svg(chart: &Chart, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(render(chart).as_bytes())
}

/// A panel's y axis: its ticks (first and last are the range) and labels.
#[derive(Debug)]
struct Axis {
    ticks: Vec<f64>,
    labels: Vec<String>,
}

impl Axis {
    fn new(ticks: Vec<f64>) -> Axis {
        let labels = tick_labels(&ticks);
        Axis { ticks, labels }
    }

    fn lo(&self) -> f64 {
        self.ticks.first().copied().unwrap_or(0.0)
    }

    fn hi(&self) -> f64 {
        self.ticks.last().copied().unwrap_or(1.0)
    }

    /// The y coordinate of `v` in a plot spanning `top..top + PLOT_HEIGHT`.
    fn y(&self, top: f64, v: f64) -> f64 {
        let (lo, hi) = (self.lo(), self.hi());
        let span = hi - lo;
        if span > 0.0 && span.is_finite() {
            top + (hi - v) / span * PLOT_HEIGHT
        } else {
            top + PLOT_HEIGHT / 2.0
        }
    }
}

/// The usable values of a series over `n` samples.
fn clean(series: &Series, n: usize) -> Vec<Option<f64>> {
    (0..n)
        .map(|i| {
            series
                .values
                .get(i)
                .copied()
                .flatten()
                .filter(|v| v.is_finite() && v.abs() <= MAX_MAGNITUDE)
        })
        .collect()
}

/// Runs of consecutive present values, as (index, value).
fn runs(values: &[Option<f64>]) -> Vec<Vec<(usize, f64)>> {
    let mut out: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => current.push((i, *v)),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The y range to show for the data range `min..=max` under `unit`,
/// before rounding out to ticks.
fn y_range(min: f64, max: f64, unit: &str) -> (f64, f64) {
    let (mut lo, mut hi) = (min, max);
    if unit.trim_end().ends_with("/100") {
        lo = lo.min(0.0);
        hi = hi.max(100.0);
    }
    if lo >= 0.0 && lo <= hi / 2.0 {
        lo = 0.0;
    } else if hi <= 0.0 && hi >= lo / 2.0 {
        hi = 0.0;
    }
    if hi - lo <= hi.abs().max(lo.abs()) * 1e-9 {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() / 10.0 };
        return if lo >= 0.0 && lo - pad < 0.0 {
            (0.0, lo + pad)
        } else {
            (lo - pad, hi + pad)
        };
    }
    (lo, hi)
}

/// The axis of a panel, or `None` when it has no usable value.
fn panel_axis(panel: &Panel, n: usize) -> Option<Axis> {
    let values: Vec<f64> = panel
        .series
        .iter()
        .flat_map(|s| clean(s, n).into_iter().flatten())
        .collect();
    let min = values.iter().copied().reduce(f64::min)?;
    let max = values.iter().copied().reduce(f64::max)?;
    let (lo, hi) = y_range(min, max, &panel.unit);
    Some(Axis::new(nice_ticks(lo, hi)))
}

/// Exactly 10^k for the exponents f64 can hold.
fn pow10(k: i32) -> f64 {
    format!("1e{k}").parse().unwrap_or(f64::INFINITY)
}

/// Ticks at a step of 1, 2 or 5 × 10^k covering `lo..=hi`, about six
/// intervals (ties go to the larger step); `[lo, hi]` when none fits.
fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let fallback = vec![lo, hi];
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        return fallback;
    }
    let k0 = span.log10().floor() as i32;
    // (score, m, index of the first tick, intervals, k): tick i is
    // (first + i) × m × 10^k.
    let mut best: Option<(f64, f64, f64, f64, i32)> = None;
    for k in (k0 - 1)..=(k0 + 1) {
        for m in [1.0, 2.0, 5.0] {
            let units = |v: f64| {
                if k >= 0 {
                    v / pow10(k) / m
                } else {
                    v * pow10(-k) / m
                }
            };
            let (a, b) = (units(lo), units(hi));
            let first = (a + 1e-9 * a.abs().max(1.0)).floor();
            let intervals = (b - 1e-9 * b.abs().max(1.0)).ceil() - first;
            if !(1.0..=100.0).contains(&intervals) {
                continue;
            }
            let score = (intervals - TICK_INTERVALS).abs();
            if best.is_none_or(|(s, ..)| score <= s) {
                best = Some((score, m, first, intervals, k));
            }
        }
    }
    let Some((_, m, first, intervals, k)) = best else {
        return fallback;
    };
    let ticks: Vec<f64> = (0..=intervals as usize)
        .map(|i| {
            let units = (first + i as f64) * m;
            let v = if k >= 0 {
                units * pow10(k)
            } else {
                units / pow10(-k)
            };
            v + 0.0 // no -0
        })
        .collect();
    if ticks.len() < 2 || ticks.iter().any(|t| !t.is_finite()) {
        return fallback;
    }
    ticks
}

/// Tick labels formatted alike: a common k/M/G/T suffix and as many
/// decimals as the step needs.
fn tick_labels(ticks: &[f64]) -> Vec<String> {
    let top = ticks.iter().fold(0.0_f64, |a, t| a.max(t.abs()));
    let step = match ticks {
        [a, b, ..] => (b - a).abs(),
        _ => top,
    };
    let exponent = top >= 1e15 || (top > 0.0 && top < 1e-4) || step.is_nan() || step <= 0.0;
    if exponent {
        let digits = if step > 0.0 && top > 0.0 {
            (top.log10().floor() - step.log10().floor()).clamp(0.0, 6.0) as usize
        } else {
            2
        };
        return ticks
            .iter()
            .map(|&t| {
                if t == 0.0 {
                    "0".to_owned()
                } else {
                    format!("{t:.digits$e}")
                }
            })
            .collect();
    }
    let (scale, suffix) = SUFFIXES[suffix_index(top)];
    let decimals = (-((step / scale).log10() + 1e-9).floor()).clamp(0.0, 12.0) as usize;
    ticks
        .iter()
        .map(|&t| {
            if t == 0.0 {
                "0".to_owned()
            } else {
                format!("{:.decimals$}{suffix}", t / scale)
            }
        })
        .collect()
}

/// Compact-number scales and their suffixes.
const SUFFIXES: [(f64, &str); 5] = [(1.0, ""), (1e3, "k"), (1e6, "M"), (1e9, "G"), (1e12, "T")];

/// The index in [`SUFFIXES`] for magnitude `a`.
fn suffix_index(a: f64) -> usize {
    SUFFIXES.iter().rposition(|&(s, _)| a >= s).unwrap_or(0)
}

/// A value in about three significant digits: 0.853, 12.3, 137, 1.2k,
/// 3.4M; exponent notation from 1e15 and below 1e-3.
fn fmt_value(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 || !a.is_finite() {
        return if a.is_finite() { "0" } else { "?" }.to_owned();
    }
    if !(1e-3..1e15).contains(&a) {
        return format!("{v:.2e}");
    }
    let mut index = suffix_index(a);
    loop {
        let (scale, suffix) = SUFFIXES[index];
        let x = v / scale;
        let decimals = match (index, x.abs()) {
            (0, _) => (2.0 - a.log10().floor()).clamp(0.0, 5.0) as usize,
            (_, ax) if ax >= 100.0 => 0,
            _ => 1,
        };
        let text = format!("{x:.decimals$}");
        let digits = text
            .trim_start_matches('-')
            .split('.')
            .next()
            .map_or(0, str::len);
        // 999.7 rounds to 1000: say 1k instead.
        if digits > 3 && index + 1 < SUFFIXES.len() {
            index += 1;
            continue;
        }
        return trim_zeros(&text) + suffix;
    }
}

/// Drops trailing zeros after a decimal point.
fn trim_zeros(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text.to_owned()
    }
}

/// The indices of the x labels to show: at most `max` (at least 2), the
/// first and the last always, evenly spaced at least one step apart.
fn thin_labels(n: usize, max: usize) -> Vec<usize> {
    let max = max.max(2);
    if n <= max {
        return (0..n).collect();
    }
    let step = (n - 1).div_ceil(max - 1);
    let mut shown: Vec<usize> = (0..n - 1).step_by(step).collect();
    if shown.len() > 1 && shown.last().is_some_and(|&i| n - 1 - i < step) {
        shown.pop();
    }
    shown.push(n - 1);
    shown
}

/// Text escaped for XML content and attribute values; characters XML
/// cannot hold become U+FFFD.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters, an ellipsis marking a cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// An estimate of the rendered width of `text` at `size` px (sans-serif).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// The legend of a panel as rows of (series index, x offset) within `width`.
fn legend_rows(names: &[String], width: f64) -> Vec<Vec<(usize, f64)>> {
    let mut rows: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut x = 0.0;
    for (i, name) in names.iter().enumerate() {
        let item = 26.0 + text_width(name, 12.0) + 18.0;
        match rows.last_mut() {
            Some(row) if x + item <= width || row.is_empty() => row.push((i, x)),
            _ => {
                rows.push(vec![(i, 0.0)]);
                x = 0.0;
            }
        }
        x += item;
    }
    rows
}

/// Colour, text colour and dash pattern of the `i`-th series.
fn style(i: usize) -> (&'static str, &'static str, &'static str) {
    let (line, text) = PALETTE[i % PALETTE.len()];
    (line, text, DASHES[(i / PALETTE.len()) % DASHES.len()])
}

/// A one-sentence-per-panel description for the `desc` element.
fn description(chart: &Chart, n: usize) -> String {
    let mut text = match (chart.x_labels.first(), chart.x_labels.last()) {
        (Some(first), Some(last)) if n > 1 => {
            format!("Line chart of {n} samples, {first} to {last}.")
        }
        (Some(first), _) => format!("Line chart of 1 sample, {first}."),
        _ => "Line chart with no data.".to_owned(),
    };
    for panel in &chart.panels {
        let _ = write!(text, " {}", panel.title);
        if !panel.unit.is_empty() {
            let _ = write!(text, " ({})", panel.unit);
        }
        let ends: Vec<String> = panel
            .series
            .iter()
            .filter_map(|s| {
                let values: Vec<f64> = clean(s, n).into_iter().flatten().collect();
                let (first, last) = (values.first()?, values.last()?);
                Some(format!(
                    "{} from {} to {}",
                    s.name,
                    fmt_value(*first),
                    fmt_value(*last)
                ))
            })
            .collect();
        if ends.is_empty() {
            text.push_str(": no data.");
        } else {
            let _ = write!(text, ": {}.", ends.join("; "));
        }
    }
    text
}

/// The whole SVG document.
fn render(chart: &Chart) -> String {
    let n = chart.x_labels.len();
    let axes: Vec<Option<Axis>> = chart.panels.iter().map(|p| panel_axis(p, n)).collect();
    let x_labels: Vec<String> = chart
        .x_labels
        .iter()
        .map(|l| truncate(l, X_LABEL_CHARS))
        .collect();
    let names: Vec<Vec<String>> = chart
        .panels
        .iter()
        .map(|p| {
            p.series
                .iter()
                .map(|s| truncate(&s.name, NAME_CHARS))
                .collect()
        })
        .collect();

    // Horizontal layout, shared by all panels.
    let tick_w = axes
        .iter()
        .flatten()
        .flat_map(|a| a.labels.iter())
        .map(|l| text_width(l, 11.0))
        .fold(0.0, f64::max);
    let has_unit = chart.panels.iter().any(|p| !p.unit.trim().is_empty());
    let mut left = (EDGE + if has_unit { 20.0 } else { 0.0 } + tick_w + 8.0).max(56.0);
    let end_w = chart
        .panels
        .iter()
        .flat_map(|p| p.series.iter())
        .filter_map(|s| clean(s, n).last().copied().flatten())
        .map(|v| text_width(&fmt_value(v), 11.0))
        .fold(0.0, f64::max);
    let mut right = if end_w > 0.0 { end_w + 14.0 } else { EDGE };
    let label_w = x_labels
        .iter()
        .map(|l| text_width(l, 11.0))
        .fold(0.0, f64::max);
    let flat_w = WIDTH - left.max(label_w / 2.0 + 8.0) - right.max(label_w / 2.0 + 8.0);
    let flat_fit = (flat_w / (label_w + 12.0)).floor().max(1.0) as usize + 1;
    let rotated = n > 1 && flat_fit < n.min(MAX_X_LABELS);
    let shown = if rotated {
        thin_labels(n, MAX_X_LABELS)
    } else {
        thin_labels(n, flat_fit.min(MAX_X_LABELS))
    };
    if rotated {
        let first_w = shown
            .first()
            .and_then(|&i| x_labels.get(i))
            .map_or(0.0, |l| text_width(l, 11.0));
        left = left.max(first_w * 0.71 + 16.0);
    } else if !x_labels.is_empty() {
        left = left.max(label_w / 2.0 + 8.0);
        right = right.max(label_w / 2.0 + 8.0);
    }
    let plot_w = WIDTH - left - right;
    let x_of = |i: usize| {
        if n > 1 {
            left + plot_w * i as f64 / (n - 1) as f64
        } else {
            left + plot_w / 2.0
        }
    };

    // Vertical layout.
    let mut body = String::new();
    let mut y = 4.0;
    if !chart.title.is_empty() {
        y += 26.0;
        let _ = writeln!(
            body,
            r##"<text x="{EDGE}" y="{y:.1}" font-size="18" font-weight="bold" fill="#111">{}</text>"##,
            escape(&truncate(&chart.title, TITLE_CHARS))
        );
    }
    if !chart.subtitle.is_empty() {
        y += 22.0;
        let _ = writeln!(
            body,
            r##"<text x="{EDGE}" y="{y:.1}" font-size="13" fill="#555">{}</text>"##,
            escape(&truncate(&chart.subtitle, SUBTITLE_CHARS))
        );
    }
    y += 14.0;

    if n == 0 || chart.panels.is_empty() {
        no_data(&mut body, left, plot_w, y);
        y += PLOT_HEIGHT + EDGE;
    }
    let mut last_bottom = None;
    for (p, (panel, axis)) in chart.panels.iter().zip(&axes).enumerate() {
        if n == 0 {
            break;
        }
        let _ = writeln!(body, "<g>");
        let _ = writeln!(
            body,
            r##"<text x="{left:.1}" y="{:.1}" font-size="14" font-weight="bold" fill="#111">{}</text>"##,
            y + 16.0,
            escape(&truncate(&panel.title, PANEL_TITLE_CHARS))
        );
        let rows = legend_rows(&names[p], WIDTH - EDGE - left);
        for (r, row) in rows.iter().enumerate() {
            let row_y = y + 24.0 + r as f64 * LEGEND_ROW;
            for &(i, dx) in row {
                let (colour, _, dash) = style(i);
                let x = left + dx;
                let _ = writeln!(
                    body,
                    r##"<line x1="{x:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2"{}/>"##,
                    row_y + 9.0,
                    x + 20.0,
                    row_y + 9.0,
                    dash_attr(dash)
                );
                let _ = writeln!(
                    body,
                    r##"<text x="{:.1}" y="{:.1}" font-size="12" fill="#222">{}</text>"##,
                    x + 26.0,
                    row_y + 13.0,
                    escape(&names[p][i])
                );
            }
        }
        let top = y + 24.0 + rows.len() as f64 * LEGEND_ROW + 8.0;
        let bottom = top + PLOT_HEIGHT;
        match axis {
            Some(axis) => {
                draw_grid(&mut body, axis, left, plot_w, top, &shown, &x_of);
                draw_series(&mut body, panel, axis, n, top, &x_of);
            }
            None => no_data(&mut body, left, plot_w, top),
        }
        let _ = writeln!(
            body,
            r##"<path d="M{left:.1},{top:.1} V{bottom:.1} H{:.1}" fill="none" stroke="#333" stroke-width="1"/>"##,
            left + plot_w
        );
        for &i in &shown {
            let x = x_of(i);
            let _ = writeln!(
                body,
                r##"<line x1="{x:.1}" y1="{bottom:.1}" x2="{x:.1}" y2="{:.1}" stroke="#333" stroke-width="1"/>"##,
                bottom + 4.0
            );
        }
        if !panel.unit.trim().is_empty() {
            let _ = writeln!(
                body,
                r##"<text transform="translate({:.1} {:.1}) rotate(-90)" text-anchor="middle" font-size="12" fill="#444">{}</text>"##,
                EDGE + 4.0,
                top + PLOT_HEIGHT / 2.0,
                escape(&truncate(panel.unit.trim(), UNIT_CHARS))
            );
        }
        let _ = writeln!(body, "</g>");
        last_bottom = Some(bottom);
        y = bottom + PANEL_GAP;
    }
    if let Some(bottom) = last_bottom {
        for &i in &shown {
            let Some(label) = x_labels.get(i) else {
                continue;
            };
            let x = x_of(i);
            if rotated {
                let _ = writeln!(
                    body,
                    r##"<text transform="translate({x:.1} {:.1}) rotate(-45)" text-anchor="end" font-size="11" fill="#444">{}</text>"##,
                    bottom + 14.0,
                    escape(label)
                );
            } else {
                let _ = writeln!(
                    body,
                    r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#444">{}</text>"##,
                    bottom + 18.0,
                    escape(label)
                );
            }
        }
        let band = if rotated { label_w * 0.71 + 22.0 } else { 26.0 };
        y = bottom + band + 12.0;
    }

    let height = y.ceil();
    let title = if chart.title.is_empty() {
        "Chart"
    } else {
        &chart.title
    };
    let mut svg = String::new();
    svg.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{FONT}">"#
    );
    let _ = writeln!(svg, "<title>{}</title>", escape(title));
    let _ = writeln!(svg, "<desc>{}</desc>", escape(&description(chart, n)));
    let _ = writeln!(
        svg,
        r##"<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>"##
    );
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    svg
}

/// ` stroke-dasharray="…"` for a non-empty pattern.
fn dash_attr(dash: &str) -> String {
    if dash.is_empty() {
        String::new()
    } else {
        format!(r#" stroke-dasharray="{dash}""#)
    }
}

/// The "no data" message centred in a plot area.
fn no_data(body: &mut String, left: f64, plot_w: f64, top: f64) {
    let _ = writeln!(
        body,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="14" fill="#777">no data</text>"##,
        left + plot_w / 2.0,
        top + PLOT_HEIGHT / 2.0
    );
}

/// Horizontal grid lines with tick labels; faint verticals at the shown x
/// labels.
fn draw_grid(
    body: &mut String,
    axis: &Axis,
    left: f64,
    plot_w: f64,
    top: f64,
    shown: &[usize],
    x_of: &dyn Fn(usize) -> f64,
) {
    for &i in shown {
        let x = x_of(i);
        let _ = writeln!(
            body,
            r##"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{:.1}" stroke="#f0f0f0" stroke-width="1"/>"##,
            top + PLOT_HEIGHT
        );
    }
    for (tick, label) in axis.ticks.iter().zip(&axis.labels) {
        let y = axis.y(top, *tick);
        let _ = writeln!(
            body,
            r##"<line x1="{left:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e0e0e0" stroke-width="1"/>"##,
            left + plot_w
        );
        let _ = writeln!(
            body,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" fill="#444">{}</text>"##,
            left - 6.0,
            y + 4.0,
            escape(label)
        );
    }
}

/// The lines, markers and end labels of a panel's series.
fn draw_series(
    body: &mut String,
    panel: &Panel,
    axis: &Axis,
    n: usize,
    top: f64,
    x_of: &dyn Fn(usize) -> f64,
) {
    // Labels of the lines that reach the last sample, nudged apart:
    // (y, text, colour).
    let mut edge_labels: Vec<(f64, String, &str)> = Vec::new();
    for (s, series) in panel.series.iter().enumerate() {
        let (colour, text_colour, dash) = style(s);
        let values = clean(series, n);
        let runs = runs(&values);
        let _ = writeln!(body, "<g>\n<title>{}</title>", escape(&series.name));
        let mut d = String::new();
        for run in runs.iter().filter(|r| r.len() > 1) {
            for (j, &(i, v)) in run.iter().enumerate() {
                let op = if j == 0 { 'M' } else { 'L' };
                let sep = if d.is_empty() { "" } else { " " };
                let _ = write!(d, "{sep}{op}{:.1},{:.1}", x_of(i), axis.y(top, v));
            }
        }
        if !d.is_empty() {
            let _ = writeln!(
                body,
                r#"<path d="{d}" fill="none" stroke="{colour}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"{}/>"#,
                dash_attr(dash)
            );
        }
        for run in &runs {
            if run.len() > 1 && n > MAX_MARKED {
                continue;
            }
            let r = if run.len() == 1 { 3.0 } else { 2.5 };
            for &(i, v) in run {
                let _ = writeln!(
                    body,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="{r}" fill="{colour}"/>"#,
                    x_of(i),
                    axis.y(top, v)
                );
            }
        }
        let _ = writeln!(body, "</g>");
        if let Some(&(i, v)) = runs.last().and_then(|r| r.last()) {
            let y = axis.y(top, v);
            if i + 1 == n {
                edge_labels.push((y, fmt_value(v), text_colour));
            } else {
                let _ = writeln!(
                    body,
                    r#"<text x="{:.1}" y="{:.1}" font-size="11" fill="{text_colour}">{}</text>"#,
                    x_of(i) + 6.0,
                    y - 6.0,
                    fmt_value(v)
                );
            }
        }
    }
    edge_labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    for i in 1..edge_labels.len() {
        edge_labels[i].0 = edge_labels[i].0.max(edge_labels[i - 1].0 + 12.0);
    }
    let limit = top + PLOT_HEIGHT + 4.0;
    let mut floor = limit;
    for label in edge_labels.iter_mut().rev() {
        label.0 = label.0.min(floor);
        floor = label.0 - 12.0;
    }
    for (y, text, colour) in &edge_labels {
        let _ = writeln!(
            body,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" fill="{colour}">{text}</text>"#,
            x_of(n.saturating_sub(1)) + 6.0,
            y + 4.0
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(chart: &Chart) -> String {
        let mut out = Vec::new();
        write_svg(chart, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_well_formed(&text);
        text
    }

    fn series(name: &str, values: &[Option<f64>]) -> Series {
        Series {
            name: name.to_owned(),
            values: values.to_vec(),
        }
    }

    fn one_panel(labels: &[&str], series: Vec<Series>) -> Chart {
        Chart {
            title: "T".to_owned(),
            subtitle: String::new(),
            x_labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            panels: vec![Panel {
                title: "P".to_owned(),
                unit: "index".to_owned(),
                series,
            }],
        }
    }

    /// The `d` attributes of the series paths (stroke-width 2).
    fn paths(svg: &str) -> Vec<&str> {
        svg.lines()
            .filter(|l| l.starts_with("<path d=\"M") && l.contains("stroke-width=\"2\""))
            .filter_map(|l| l.split('"').nth(1))
            .collect()
    }

    /// Checks that `text` is well-formed XML with one root element: tags
    /// balance, attributes are quoted and unique, and `<`/`&` appear only
    /// as markup or entity references.
    fn assert_well_formed(text: &str) {
        let mut rest = text
            .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
            .expect("XML declaration");
        let mut stack: Vec<&str> = Vec::new();
        let mut roots = 0;
        while let Some(open) = rest.find('<') {
            check_chars(&rest[..open]);
            assert!(
                !stack.is_empty() || rest[..open].trim().is_empty(),
                "text outside the root"
            );
            rest = &rest[open..];
            if let Some(comment) = rest.strip_prefix("<!--") {
                rest = &comment[comment.find("-->").expect("comment end") + 3..];
                continue;
            }
            let close = rest.find('>').expect("tag end");
            let tag = &rest[1..close];
            rest = &rest[close + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name), "unbalanced </{name}>");
                continue;
            }
            let empty = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "bad name {name:?}"
            );
            let mut seen = Vec::new();
            while !attrs.trim().is_empty() {
                let (key, after) = attrs.trim_start().split_once("=\"").expect("key=\"value\"");
                let (value, after) = after.split_once('"').expect("closing quote");
                assert!(!seen.contains(&key), "duplicate attribute {key}");
                seen.push(key);
                check_chars(value);
                attrs = after;
            }
            if stack.is_empty() {
                roots += 1;
            }
            if !empty {
                stack.push(name);
            }
        }
        check_chars(rest);
        assert!(rest.trim().is_empty(), "text after the root");
        assert!(stack.is_empty(), "unclosed {stack:?}");
        assert_eq!(roots, 1);
    }

    /// No raw `<`, only known entities after `&`, no XML-invalid character.
    fn check_chars(text: &str) {
        assert!(!text.contains('<'), "raw < in {text:?}");
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "bad entity in {text:?}"
            );
        }
        assert!(
            text.chars()
                .all(|c| (c >= ' ' || matches!(c, '\t' | '\n' | '\r'))
                    && !matches!(c, '\u{FFFE}' | '\u{FFFF}')),
            "invalid character in {text:?}"
        );
    }

    #[test]
    fn ticks_are_one_two_five_steps() {
        let expected: Vec<f64> = (0..=7).map(|i| f64::from(i) * 20.0).collect();
        assert_eq!(nice_ticks(0.0, 137.0), expected);
        assert_eq!(nice_ticks(0.5, 0.9), [0.5, 0.6, 0.7, 0.8, 0.9]);
        assert_eq!(nice_ticks(0.0, 100.0), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(-3.0, 7.0), [-4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(
            nice_ticks(1200.0, 2450.0),
            [
                1200.0, 1400.0, 1600.0, 1800.0, 2000.0, 2200.0, 2400.0, 2600.0
            ]
        );
        assert_eq!(nice_ticks(3.0, 3.0), [3.0, 3.0]);
        assert_eq!(nice_ticks(0.0, f64::INFINITY), [0.0, f64::INFINITY]);
    }

    #[test]
    fn tick_labels_share_suffix_and_decimals() {
        assert_eq!(
            tick_labels(&nice_ticks(0.5, 0.9)),
            ["0.5", "0.6", "0.7", "0.8", "0.9"]
        );
        assert_eq!(tick_labels(&[0.0, 0.05, 0.1]), ["0", "0.05", "0.10"]);
        assert_eq!(tick_labels(&[1200.0, 1400.0]), ["1.2k", "1.4k"]);
        assert_eq!(tick_labels(&[0.0, 2e6, 4e6]), ["0", "2M", "4M"]);
        assert_eq!(tick_labels(&[0.0, 5e15]), ["0", "5e15"]);
    }

    #[test]
    fn y_range_rules() {
        // Non-negative and near zero: from 0.
        assert_eq!(y_range(20.0, 137.0, "index"), (0.0, 137.0));
        // Far from zero: the data range.
        assert_eq!(y_range(40.0, 60.0, "index"), (40.0, 60.0));
        // Negative and near zero: up to 0.
        assert_eq!(y_range(-10.0, -4.0, ""), (-10.0, 0.0));
        // Scores out of 100: the whole scale.
        assert_eq!(y_range(61.0, 74.0, "/100"), (0.0, 100.0));
        assert_eq!(y_range(61.0, 104.0, "score /100"), (0.0, 104.0));
        // Flat: padded by a tenth, or 0..1 at zero.
        assert_eq!(y_range(5.0, 5.0, ""), (4.5, 5.5));
        assert_eq!(y_range(0.0, 0.0, ""), (0.0, 1.0));
        assert_eq!(y_range(-5.0, -5.0, ""), (-5.5, -4.5));
    }

    #[test]
    fn values_are_compact() {
        let cases = [
            (0.0, "0"),
            (0.853, "0.853"),
            (12.34, "12.3"),
            (137.25, "137"),
            (999.7, "1k"),
            (1234.0, "1.2k"),
            (137_400.0, "137k"),
            (3.4e6, "3.4M"),
            (-2.5e9, "-2.5G"),
            (2e15, "2.00e15"),
            (0.0001, "1.00e-4"),
        ];
        for (v, text) in cases {
            assert_eq!(fmt_value(v), text, "{v}");
        }
    }

    #[test]
    fn labels_are_thinned_keeping_first_and_last() {
        assert_eq!(thin_labels(0, 10), Vec::<usize>::new());
        assert_eq!(thin_labels(1, 10), [0]);
        assert_eq!(thin_labels(5, 10), [0, 1, 2, 3, 4]);
        assert_eq!(
            thin_labels(100, 10),
            [0, 11, 22, 33, 44, 55, 66, 77, 88, 99]
        );
        // 10 would sit next to 11: dropped.
        assert_eq!(thin_labels(12, 10), [0, 2, 4, 6, 8, 11]);
        assert_eq!(thin_labels(50, 1), [0, 49]);
    }

    #[test]
    fn long_labels_are_rotated_short_ones_not() {
        let labels: Vec<String> = (0..40)
            .map(|i| format!("2024-05-{:02}", i % 28 + 1))
            .collect();
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        let values: Vec<Option<f64>> = (0..40).map(|i| Some(f64::from(i))).collect();
        let flat = svg(&one_panel(&refs, vec![series("repo", &values)]));
        assert!(!flat.contains("rotate(-45)"));
        assert_eq!(
            flat.matches("text-anchor=\"middle\" font-size=\"11\"")
                .count(),
            8
        );

        let long: Vec<String> = (0..40).map(|i| format!("release-candidate-{i}")).collect();
        let refs: Vec<&str> = long.iter().map(String::as_str).collect();
        let rotated = svg(&one_panel(&refs, vec![series("repo", &values)]));
        assert_eq!(rotated.matches("rotate(-45)").count(), 8);
        assert!(rotated.contains(">release-candidate-0<"));
        assert!(rotated.contains(">release-candidate-39<"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape(r#"a&b<c>"d'e"#), "a&amp;b&lt;c&gt;&quot;d&apos;e");
        assert_eq!(escape("x\u{1}y\nz"), "x\u{FFFD}y z");
        assert_eq!(truncate("ünïcödé", 4), "ünï…");
        assert_eq!(truncate("ünï", 4), "ünï");
        let nasty = r#"<script>&"'"#;
        let mut chart = one_panel(&[nasty, "b"], vec![series(nasty, &[Some(1.0), Some(2.0)])]);
        chart.title = nasty.to_owned();
        chart.subtitle = "\u{0}\u{FFFF}".to_owned();
        chart.panels[0].title = nasty.to_owned();
        chart.panels[0].unit = nasty.to_owned();
        let text = svg(&chart);
        assert!(!text.contains("<script"));
        assert!(text.contains("<title>&lt;script&gt;&amp;&quot;&apos;</title>"));
    }

    #[test]
    fn gaps_break_the_line() {
        let chart = one_panel(
            &["a", "b", "c", "d", "e", "f"],
            vec![series(
                "repo",
                &[
                    Some(1.0),
                    Some(2.0),
                    None,
                    Some(4.0),
                    Some(f64::NAN),
                    Some(6.0),
                ],
            )],
        );
        let text = svg(&chart);
        let d = paths(&text);
        assert_eq!(d.len(), 1);
        // Two points, then two single points (4 and 6) drawn as dots.
        assert_eq!(d[0].matches('M').count(), 1);
        assert_eq!(d[0].matches('L').count(), 1);
        assert_eq!(text.matches("r=\"3\"").count(), 2);

        let chart = one_panel(
            &["a", "b", "c", "d", "e"],
            vec![series(
                "repo",
                &[
                    Some(1.0),
                    Some(2.0),
                    Some(f64::INFINITY),
                    Some(4.0),
                    Some(5.0),
                ],
            )],
        );
        let d = paths(&svg(&chart))[0].to_owned();
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(d.matches('L').count(), 2, "{d}");
    }

    #[test]
    fn a_single_sample_is_a_point() {
        let text = svg(&one_panel(
            &["abc1234"],
            vec![series("repo", &[Some(42.0)])],
        ));
        assert!(paths(&text).is_empty());
        assert_eq!(text.matches("<circle").count(), 1);
        assert!(text.contains(">abc1234</text>"));
        assert!(text.contains(">42</text>"));
    }

    #[test]
    fn empty_charts_say_no_data() {
        let text = svg(&Chart::default());
        assert!(text.contains(">no data</text>"));
        assert!(text.contains("<title>Chart</title>"));

        let gaps = one_panel(&["a", "b"], vec![series("repo", &[None, Some(f64::NAN)])]);
        let text = svg(&gaps);
        assert!(text.contains(">no data</text>"));
        assert!(paths(&text).is_empty());

        let no_panels = Chart {
            x_labels: vec!["a".to_owned()],
            ..Chart::default()
        };
        assert!(svg(&no_panels).contains(">no data</text>"));
    }

    #[test]
    fn markers_only_up_to_sixty_samples() {
        let labels: Vec<String> = (0..61).map(|i| i.to_string()).collect();
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        let values: Vec<Option<f64>> = (0..61).map(|i| Some(f64::from(i))).collect();
        assert_eq!(
            svg(&one_panel(&refs[..60], vec![series("s", &values)]))
                .matches("<circle")
                .count(),
            60
        );
        assert_eq!(
            svg(&one_panel(&refs, vec![series("s", &values)]))
                .matches("<circle")
                .count(),
            0
        );
    }

    #[test]
    fn many_series_get_dashes_and_the_legend_wraps() {
        let all: Vec<Series> = (0..20)
            .map(|i| {
                series(
                    &format!("component-{i}"),
                    &[Some(f64::from(i)), Some(f64::from(i) + 1.0)],
                )
            })
            .collect();
        let text = svg(&one_panel(&["a", "b"], all));
        assert_eq!(text.matches("stroke-dasharray=\"6 3\"").count(), 16); // 8 lines, 8 swatches
        assert_eq!(text.matches("stroke-dasharray=\"2 3\"").count(), 8);
        let legend_rows: std::collections::BTreeSet<&str> = text
            .lines()
            .filter(|l| l.contains("font-size=\"12\" fill=\"#222\""))
            .filter_map(|l| l.split('"').nth(3))
            .collect();
        assert!(legend_rows.len() >= 3, "{legend_rows:?}");
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let odd = [
            vec![Some(1e300), Some(-1e300)],
            vec![Some(f64::MAX), Some(f64::MIN_POSITIVE)],
            vec![Some(5e-324), Some(0.0)],
            vec![Some(1e16), Some(1e16 + 2.0)],
            vec![Some(-0.0), Some(-0.0)],
            vec![Some(7.0)],
            vec![],
        ];
        for values in odd {
            let text = svg(&one_panel(&["a", "b"], vec![series("s", &values)]));
            assert!(
                !text.contains("NaN") && !text.contains("inf"),
                "{values:?}\n{text}"
            );
        }
    }

    #[test]
    fn output_is_deterministic() {
        let chart = trend_chart();
        assert_eq!(svg(&chart), svg(&chart));
    }

    /// A year of monthly samples: the complexity index of the repository
    /// and three components (one born in April), and explainability.
    fn trend_chart() -> Chart {
        let months: Vec<String> = (1..=12).map(|m| format!("2024-{m:02}-01")).collect();
        let values = |v: &[f64]| v.iter().map(|&x| Some(x)).collect::<Vec<_>>();
        let mut pipelines = values(&[
            0.0, 0.0, 0.0, 9.5, 11.0, 12.5, 14.0, 14.2, 18.0, 21.5, 22.0, 23.4,
        ]);
        pipelines[..3].fill(None);
        let mut explain_models = values(&[
            71.0, 70.0, 69.0, 66.0, 64.0, 63.0, 63.0, 60.0, 58.0, 55.0, 54.0, 52.0,
        ]);
        explain_models[7] = None;
        Chart {
            title: "Complexity trend: acme/recsys".to_owned(),
            subtitle: "12 monthly samples, first-parent history of main".to_owned(),
            x_labels: months,
            panels: vec![
                Panel {
                    title: "Complexity index".to_owned(),
                    unit: "index".to_owned(),
                    series: vec![
                        Series {
                            name: "repository".to_owned(),
                            values: values(&[
                                41.0, 43.5, 44.0, 52.0, 55.5, 57.0, 61.0, 60.5, 68.0, 74.5, 77.0,
                                81.3,
                            ]),
                        },
                        Series {
                            name: "models".to_owned(),
                            values: values(&[
                                30.0, 31.0, 31.5, 35.0, 36.0, 36.0, 39.5, 40.0, 44.0, 49.0, 50.5,
                                52.1,
                            ]),
                        },
                        Series {
                            name: "features & <transforms>".to_owned(),
                            values: values(&[
                                18.0, 19.5, 19.0, 21.0, 24.0, 23.5, 24.0, 23.0, 25.5, 27.0, 27.5,
                                28.0,
                            ]),
                        },
                        Series {
                            name: "pipelines".to_owned(),
                            values: pipelines,
                        },
                    ],
                },
                Panel {
                    title: "Explainability".to_owned(),
                    unit: "/100".to_owned(),
                    series: vec![
                        Series {
                            name: "repository".to_owned(),
                            values: values(&[
                                78.0, 77.0, 77.5, 74.0, 72.0, 71.5, 70.0, 69.0, 66.5, 63.0, 62.0,
                                61.0,
                            ]),
                        },
                        Series {
                            name: "models".to_owned(),
                            values: explain_models,
                        },
                    ],
                },
            ],
        }
    }

    #[test]
    fn trend_chart_snapshot() {
        insta::assert_snapshot!("trend_chart", svg(&trend_chart()));
    }
}
