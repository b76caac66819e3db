//! Hand-written SVG charts of the measured figures under `benches/data/` (drawn by
//! `cargo run -p alicloud-benches --bin charts`): horizontal bar charts, stacked or not, and
//! line charts on logarithmic axes. Plain SVG 1.1 text, no scripts or external resources, so
//! that GitHub renders it inline in `RESULTS.md`.

use std::fmt::Write as _;

/// One segment of a bar: its name (for the legend), value and fill colour.
#[derive(Clone, Debug)]
pub struct Segment {
    /// Legend name.
    pub name: String,
    /// Length, in the chart's unit.
    pub value: f64,
    /// An SVG colour (`#4e79a7`).
    pub color: &'static str,
}

/// One bar: a label and its segments, drawn end to end from zero.
#[derive(Clone, Debug)]
pub struct Bar {
    /// Label left of the bar.
    pub label: String,
    /// Segments, from zero outwards.
    pub segments: Vec<Segment>,
    /// Text right of the bar (the total, a range); the total with `unit` when `None`.
    pub note: Option<String>,
}

/// One line of a line chart.
#[derive(Clone, Debug)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// An SVG colour.
    pub color: &'static str,
    /// Points `(x, y)`, both > 0 (the axes are logarithmic).
    pub points: Vec<(f64, f64)>,
}

/// Colours that stay apart for colour-blind readers (Tableau 10).
pub const PALETTE: [&str; 6] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1",
];

/// Text escaped for SVG content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A number as the charts print it: three significant digits, no trailing zeros.
pub fn number(v: f64) -> String {
    let digits = if v == 0.0 {
        0
    } else {
        (2 - v.abs().log10().floor() as i32).max(0) as usize
    };
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

const FONT: &str = "font-family=\"Helvetica, Arial, sans-serif\"";

fn header(out: &mut String, width: f64, height: f64, title: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" {FONT} font-size=\"12\">\n\
         <rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n\
         <text x=\"{x}\" y=\"22\" font-size=\"15\" font-weight=\"bold\" text-anchor=\"middle\">{t}</text>\n",
        x = width / 2.0,
        t = escape(title)
    );
}

/// A "nice" axis maximum at or above `max` (1, 2 or 5 times a power of ten) and its tick step.
fn nice_axis(max: f64) -> (f64, f64) {
    let max = if max > 0.0 { max } else { 1.0 };
    let magnitude = 10f64.powf(max.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * magnitude >= max {
            let top = m * magnitude;
            let step = if m == 1.0 || m == 10.0 {
                top / 5.0
            } else {
                top / m
            };
            return (top, step);
        }
    }
    (10.0 * magnitude, 2.0 * magnitude)
}

/// A horizontal bar chart: each bar's segments end to end, a linear axis from zero in `unit`,
/// a legend of the distinct segment names, and each bar's total (or note) at its end.
pub fn bar_chart(title: &str, unit: &str, bars: &[Bar]) -> String {
    let (left, right, top, row) = (230.0, 200.0, 44.0, 34.0);
    let plot_w = 520.0;
    let mut legend: Vec<(&str, &str)> = Vec::new();
    for s in bars.iter().flat_map(|b| &b.segments) {
        if !legend.iter().any(|(n, _)| *n == s.name) {
            legend.push((&s.name, s.color));
        }
    }
    let plot_h = row * bars.len() as f64;
    let height = top + plot_h + 40.0 + 20.0 * legend.len().div_ceil(3) as f64 + 10.0;
    let width = left + plot_w + right;
    let max = bars
        .iter()
        .map(|b| b.segments.iter().map(|s| s.value).sum::<f64>())
        .fold(0.0, f64::max);
    let (axis_max, step) = nice_axis(max);
    let x = |v: f64| left + v / axis_max * plot_w;
    let mut out = String::new();
    header(&mut out, width, height, title);
    // Grid and ticks.
    let mut tick = 0.0;
    while tick <= axis_max + step / 2.0 {
        let _ = write!(
            out,
            "<line x1=\"{px:.1}\" y1=\"{top}\" x2=\"{px:.1}\" y2=\"{bottom}\" stroke=\"#dddddd\"/>\n\
             <text x=\"{px:.1}\" y=\"{ty}\" text-anchor=\"middle\" fill=\"#555555\">{label}</text>\n",
            px = x(tick),
            bottom = top + plot_h,
            ty = top + plot_h + 16.0,
            label = number(tick)
        );
        tick += step;
    }
    let _ = writeln!(
        out,
        "<text x=\"{cx}\" y=\"{y}\" text-anchor=\"middle\" fill=\"#555555\">{u}</text>",
        cx = left + plot_w / 2.0,
        y = top + plot_h + 32.0,
        u = escape(unit)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = top + row * i as f64 + 6.0;
        let h = row - 12.0;
        let _ = writeln!(
            out,
            "<text x=\"{lx}\" y=\"{ty:.1}\" text-anchor=\"end\">{label}</text>",
            lx = left - 8.0,
            ty = y + h / 2.0 + 4.0,
            label = escape(&bar.label)
        );
        let mut at = 0.0;
        for s in &bar.segments {
            let _ = writeln!(
                out,
                "<rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{c}\"><title>{n}: {v} {u}</title></rect>",
                x0 = x(at),
                w = (x(at + s.value) - x(at)).max(0.0),
                c = s.color,
                n = escape(&s.name),
                v = number(s.value),
                u = escape(unit)
            );
            at += s.value;
        }
        let note = bar
            .note
            .clone()
            .unwrap_or_else(|| format!("{} {unit}", number(at)));
        let _ = writeln!(
            out,
            "<text x=\"{nx:.1}\" y=\"{ty:.1}\">{n}</text>",
            nx = x(at) + 6.0,
            ty = y + h / 2.0 + 4.0,
            n = escape(&note)
        );
    }
    let ly = top + plot_h + 50.0;
    for (i, (name, color)) in legend.iter().enumerate() {
        let lx = left + (i % 3) as f64 * 180.0;
        let y = ly + 20.0 * (i / 3) as f64;
        let _ = write!(
            out,
            "<rect x=\"{lx}\" y=\"{ry}\" width=\"12\" height=\"12\" fill=\"{color}\"/>\n\
             <text x=\"{tx}\" y=\"{ty}\">{n}</text>\n",
            ry = y - 10.0,
            tx = lx + 18.0,
            ty = y,
            n = escape(name)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// A line chart with logarithmic axes (decades labelled), each point marked and its y value
/// written beside it.
pub fn log_line_chart(title: &str, x_label: &str, y_label: &str, series: &[Series]) -> String {
    let (left, top, plot_w, plot_h) = (80.0, 44.0, 520.0, 300.0);
    let width = left + plot_w + 40.0;
    let height = top + plot_h + 60.0 + 20.0 * series.len() as f64;
    let all = || series.iter().flat_map(|s| s.points.iter().copied());
    let decade = |v: f64, up: bool| {
        let l = v.max(f64::MIN_POSITIVE).log10();
        if up {
            l.ceil()
        } else {
            l.floor()
        }
    };
    let (x0, x1) = (
        all()
            .map(|p| decade(p.0, false))
            .fold(f64::INFINITY, f64::min),
        all()
            .map(|p| decade(p.0, true))
            .fold(f64::NEG_INFINITY, f64::max),
    );
    let (y0, y1) = (
        all()
            .map(|p| decade(p.1, false))
            .fold(f64::INFINITY, f64::min),
        all()
            .map(|p| decade(p.1, true))
            .fold(f64::NEG_INFINITY, f64::max),
    );
    let (x0, x1) = if x0.is_finite() && x1 > x0 {
        (x0, x1)
    } else {
        (0.0, 1.0)
    };
    let (y0, y1) = if y0.is_finite() && y1 > y0 {
        (y0, y1)
    } else {
        (0.0, 1.0)
    };
    let px = |v: f64| left + (v.log10() - x0) / (x1 - x0) * plot_w;
    let py = |v: f64| top + plot_h - (v.log10() - y0) / (y1 - y0) * plot_h;
    let mut out = String::new();
    header(&mut out, width, height, title);
    for d in (x0 as i32)..=(x1 as i32) {
        let v = 10f64.powi(d);
        let _ = write!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{b}\" stroke=\"#dddddd\"/>\n\
             <text x=\"{x:.1}\" y=\"{ty}\" text-anchor=\"middle\" fill=\"#555555\">{l}</text>\n",
            x = px(v),
            b = top + plot_h,
            ty = top + plot_h + 16.0,
            l = number(v)
        );
    }
    for d in (y0 as i32)..=(y1 as i32) {
        let v = 10f64.powi(d);
        let _ = write!(
            out,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{r}\" y2=\"{y:.1}\" stroke=\"#dddddd\"/>\n\
             <text x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\" fill=\"#555555\">{l}</text>\n",
            y = py(v),
            r = left + plot_w,
            tx = left - 6.0,
            ty = py(v) + 4.0,
            l = number(v)
        );
    }
    let _ = write!(
        out,
        "<text x=\"{cx}\" y=\"{xy}\" text-anchor=\"middle\" fill=\"#555555\">{xl}</text>\n\
         <text x=\"16\" y=\"{cy}\" text-anchor=\"middle\" fill=\"#555555\" transform=\"rotate(-90 16 {cy})\">{yl}</text>\n",
        cx = left + plot_w / 2.0,
        xy = top + plot_h + 34.0,
        xl = escape(x_label),
        cy = top + plot_h / 2.0,
        yl = escape(y_label)
    );
    for (i, s) in series.iter().enumerate() {
        let path: Vec<String> = s
            .points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y)))
            .collect();
        let _ = writeln!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
            path.join(" "),
            s.color
        );
        for &(x, y) in &s.points {
            let _ = write!(
                out,
                "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"3.5\" fill=\"{c}\"><title>{n}: {xv} → {yv}</title></circle>\n\
                 <text x=\"{tx:.1}\" y=\"{ty:.1}\" font-size=\"11\" fill=\"{c}\">{yv}</text>\n",
                cx = px(x),
                cy = py(y),
                c = s.color,
                n = escape(&s.name),
                xv = number(x),
                yv = number(y),
                tx = px(x) + 6.0,
                ty = py(y) - 6.0
            );
        }
        let ly = top + plot_h + 56.0 + 20.0 * i as f64;
        let _ = write!(
            out,
            "<rect x=\"{left}\" y=\"{ry}\" width=\"12\" height=\"12\" fill=\"{c}\"/>\n\
             <text x=\"{tx}\" y=\"{ly}\">{n}</text>\n",
            ry = ly - 10.0,
            c = s.color,
            tx = left + 18.0,
            n = escape(&s.name)
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that `svg` is well-formed XML with an `svg` root, and returns its text content.
    fn well_formed(svg: &str) -> String {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(svg);
        let mut stack: Vec<Vec<u8>> = Vec::new();
        let mut text = String::new();
        let mut roots = 0;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => {
                    if stack.is_empty() {
                        roots += 1;
                        assert_eq!(e.name().as_ref(), b"svg", "the root is <svg>");
                    }
                    stack.push(e.name().as_ref().to_vec());
                }
                Event::End(e) => {
                    let open = stack.pop().expect("an end tag closes an open element");
                    assert_eq!(open, e.name().as_ref(), "tags nest");
                    text.push('\n');
                }
                Event::Empty(_) => assert!(!stack.is_empty(), "inside <svg>"),
                Event::Text(t) => text.push_str(&t.decode().expect("UTF-8 text")),
                // quick-xml hands entity references over on their own.
                Event::GeneralRef(r) => {
                    let name = r.decode().expect("UTF-8 name");
                    let c = match name.as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        other => panic!("unexpected entity &{other};"),
                    };
                    text.push(c);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(stack.is_empty(), "every element is closed: {stack:?}");
        assert_eq!(roots, 1);
        text
    }

    #[test]
    fn bar_chart_is_well_formed_and_shows_the_values() {
        let bars = vec![
            Bar {
                label: "ours <hyper> & co".into(),
                segments: vec![
                    Segment {
                        name: "floor".into(),
                        value: 14.3,
                        color: PALETTE[0],
                    },
                    Segment {
                        name: "client".into(),
                        value: 44.5,
                        color: PALETTE[1],
                    },
                ],
                note: None,
            },
            Bar {
                label: "Python SDK".into(),
                segments: vec![Segment {
                    name: "peer".into(),
                    value: 755.0,
                    color: PALETTE[3],
                }],
                note: Some("660–850 µs".into()),
            },
        ];
        let svg = bar_chart("Call \"cost\"", "µs per call", &bars);
        let text = well_formed(&svg);
        for want in [
            "Call \"cost\"",
            "ours <hyper> & co",
            "58.8 µs",
            "660–850 µs",
            "floor: 14.3 µs",
            "client: 44.5 µs",
            "peer: 755 µs",
            "µs per call",
        ] {
            assert!(text.contains(want), "{want:?} missing from\n{text}");
        }
    }

    #[test]
    fn log_line_chart_is_well_formed_and_shows_the_values() {
        let series = vec![
            Series {
                name: "time (s)".into(),
                color: PALETTE[0],
                points: vec![(1.0, 0.016), (10.0, 0.05), (100.0, 0.431), (1000.0, 4.21)],
            },
            Series {
                name: "peak memory (MiB)".into(),
                color: PALETTE[1],
                points: vec![(1.0, 21.0), (1000.0, 812.0)],
            },
        ];
        let svg = log_line_chart("Codegen", "operations", "value", &series);
        let text = well_formed(&svg);
        for want in [
            "0.016",
            "0.05",
            "0.431",
            "4.21",
            "21",
            "812",
            "time (s)",
            "peak memory (MiB)",
            "operations",
            "1000",
        ] {
            assert!(text.contains(want), "{want:?} missing from\n{text}");
        }
    }

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(number(14.349), "14.3");
        assert_eq!(number(0.01612), "0.0161");
        assert_eq!(number(755.0), "755");
        assert_eq!(number(1000.0), "1000");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(2.0), "2");
    }
}
