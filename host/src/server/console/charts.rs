//! Inline SVG charts drawn on the server: no script, readable by screen readers through their
//! title and description, and always next to a table holding the same figures.

use crate::server::routes::explanation::escape;
use std::fmt::Write;

const W: f64 = 640.0;
const H: f64 = 200.0;
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 12.0;

pub enum Kind {
    Bars,
    Line,
}

/// A chart of `points` (label, value); `id` must be unique in the page.
pub fn chart(id: &str, title: &str, desc: &str, unit: &str, points: &[(String, f64)], kind: Kind) -> String {
    let max = points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let top = if max <= 0.0 { 1.0 } else { nice_ceiling(max) };
    let plot_w = W - LEFT - 8.0;
    let plot_h = H - BOTTOM - TOP;
    let step = if points.is_empty() { plot_w } else { plot_w / points.len() as f64 };
    let y = |v: f64| TOP + plot_h - v / top * plot_h;
    let mut s = format!(
        "<figure><svg role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {W} {H}\" width=\"100%\" \
         style=\"max-width:{W}px\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(title),
        escape(desc)
    );
    for i in 0..=4 {
        let v = top * i as f64 / 4.0;
        let yy = y(v);
        let _ = write!(
            s,
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#929292\" stroke-width=\"0.5\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            W - 8.0,
            LEFT - 4.0,
            yy + 4.0,
            fmt_num(v)
        );
    }
    match kind {
        Kind::Bars => {
            for (i, (_, v)) in points.iter().enumerate() {
                let h = (v / top * plot_h).max(0.0);
                let _ = write!(
                    s,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"#000091\"/>",
                    LEFT + i as f64 * step + step * 0.15,
                    y(*v),
                    step * 0.7
                );
            }
        }
        Kind::Line => {
            let path: Vec<String> = points
                .iter()
                .enumerate()
                .map(|(i, (_, v))| format!("{:.1},{:.1}", LEFT + i as f64 * step + step / 2.0, y(*v)))
                .collect();
            let _ = write!(
                s,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"#b60000\" stroke-width=\"2\"/>",
                path.join(" ")
            );
            for p in &path {
                let (cx, cy) = p.split_once(',').unwrap_or(("0", "0"));
                let _ = write!(s, "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"2.5\" fill=\"#b60000\"/>");
            }
        }
    }
    // A label under the first, middle and last points keeps the axis readable at any width.
    let n = points.len();
    for i in [0, n / 2, n.saturating_sub(1)] {
        if let Some((label, _)) = points.get(i) {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                LEFT + i as f64 * step + step / 2.0,
                H - 8.0,
                escape(label)
            );
        }
    }
    let _ = write!(s, "</svg><figcaption>{} ({})</figcaption></figure>", escape(title), escape(unit));
    s
}

fn nice_ceiling(v: f64) -> f64 {
    let mag = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if v <= m * mag {
            return m * mag;
        }
    }
    10.0 * mag
}

fn fmt_num(v: f64) -> String {
    if v >= 10.0 || v == v.trunc() {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value() {
        let pts = vec![("1".to_owned(), 5.0), ("2".to_owned(), 10.0), ("3".to_owned(), 0.0)];
        let svg = chart("c", "Appels", "Appels par jour", "appels", &pts, Kind::Bars);
        assert_eq!(svg.matches("<rect").count(), 3);
        // 10 is the top of the scale: its bar fills the plot height.
        assert!(svg.contains(&format!("height=\"{:.1}\"", H - BOTTOM - TOP)), "{svg}");
        assert!(svg.contains("role=\"img\"") && svg.contains("<title id=\"c-t\">Appels</title>"));
        let line = chart("l", "Latence", "ms", "ms", &pts, Kind::Line);
        assert_eq!(line.matches("<circle").count(), 3);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(0.3), 0.5);
    }
}
