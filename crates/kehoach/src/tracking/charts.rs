//! Server-rendered SVG charts: they print well, need no script, and carry a
//! text alternative (a title, a description and the numbers as a table).

use crate::web::escape;

/// A vertical bar chart of labelled counts.
pub fn bars(title: &str, values: &[(String, i64)]) -> String {
    let (w, h, pad) = (640.0_f64, 220.0_f64, 30.0_f64);
    let max = values.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let n = values.len().max(1) as f64;
    let slot = (w - 2.0 * pad) / n;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-labelledby=\"chart-t chart-d\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-t\">{t}</title><desc id=\"chart-d\">{d}</desc>\
         <line x1=\"{pad}\" y1=\"{base}\" x2=\"{end}\" y2=\"{base}\" stroke=\"#4a5560\"/>",
        t = escape(title),
        d = escape(
            &values
                .iter()
                .map(|(l, v)| format!("{l}: {v}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        base = h - pad,
        end = w - pad,
    );
    for (i, (label, v)) in values.iter().enumerate() {
        let bh = (*v as f64 / max) * (h - 2.0 * pad - 10.0);
        let x = pad + i as f64 * slot + slot * 0.15;
        let bw = slot * 0.7;
        let y = h - pad - bh;
        svg.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{bh:.1}\" fill=\"#a4161a\"/>\
             <text x=\"{cx:.1}\" y=\"{ty:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1b1f24\">{v}</text>\
             <text x=\"{cx:.1}\" y=\"{ly:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#1b1f24\">{l}</text>",
            cx = x + bw / 2.0,
            ty = y - 3.0,
            ly = h - pad + 14.0,
            l = escape(label),
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_carry_a_text_alternative_and_escape_labels() {
        let svg = bars(
            "Hoạt động theo tháng",
            &[("2021-01".into(), 3), ("<b>".into(), 0)],
        );
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"chart-t\">Hoạt động theo tháng</title>"));
        assert!(svg.contains("2021-01: 3"));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        assert!(bars("empty", &[]).ends_with("</svg>"));
    }
}
