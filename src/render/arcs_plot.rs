//! An SVG plot of the loss along the traced arcs against the radius `r = |W - C|_F`.
//!
//! **Approximate**: the curves are the f64 traces; certified minimizing (maximizing) arcs
//! are drawn thick in blue (red), the others thin in grey; a dot marks every arc that ends
//! at a critical point. Hand-written SVG, well-formed XML.

use crate::arcs::directions::ArcType;
use crate::arcs::trace::EndKind;
use crate::arcs::ArcResult;
use crate::certificate::critical_point::Certificate;
use crate::render::report::{format_tick, nice_step, xml_escape};
use std::fmt::Write as _;

fn proved(r: &ArcResult, want: ArcType) -> bool {
    r.proved_type() == Some(want)
}

/// Approximate: the plot (see the module doc).
pub fn svg(cert: &Certificate, results: &[ArcResult]) -> String {
    let (w, h) = (960.0, 620.0);
    let (x0, x1, y0, y1) = (90.0, 700.0, 70.0, 560.0);
    let l0 = cert.proof.loss.mid().to_f64();
    // Ranges: focus on the arcs a reader looks for (certified minimizing arcs and arcs that
    // reach a critical point); everything else is clipped to that window.
    let focus: Vec<&ArcResult> = results
        .iter()
        .filter(|r| proved(r, ArcType::Min) || r.end.kind == EndKind::CriticalPoint)
        .collect();
    let focus: Vec<&ArcResult> = if focus.is_empty() {
        results.iter().collect()
    } else {
        focus
    };
    let rmax = focus
        .iter()
        .flat_map(|r| r.trace.iter().map(|p| p.r))
        .fold(0.0f64, f64::max)
        .max(1e-3)
        * 1.1;
    let lmin = focus
        .iter()
        .flat_map(|r| r.trace.iter().map(|p| p.loss))
        .fold(l0, f64::min);
    let lmax = focus
        .iter()
        .flat_map(|r| r.trace.iter().map(|p| p.loss))
        .fold(l0, f64::max)
        .max(l0 + 1e-6);
    let ystep = nice_step(lmax - lmin);
    let (ylo, yhi) = (
        (lmin / ystep).floor() * ystep,
        (lmax / ystep).ceil() * ystep,
    );
    let xstep = nice_step(rmax);
    let xhi = (rmax / xstep).ceil() * xstep;
    let px = |r: f64| x0 + r.min(xhi) / xhi * (x1 - x0);
    let py = |l: f64| y1 - (l.clamp(ylo, yhi) - ylo) / (yhi - ylo) * (y1 - y0);
    let mut s = String::new();
    let _ = writeln!(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">");
    let _ = writeln!(
        s,
        "<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"white\"/>"
    );
    let who = crate::search::families::point_label(cert.family);
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"30\" font-size=\"18\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
        w / 2.0,
        xml_escape(&format!("Loss along the tangency arcs leaving {who} at d = {}", cert.partition.d() as u64))
    );
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"50\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333\">{}</text>",
        w / 2.0,
        xml_escape("Curves: approximate traces in the arcs' fixed spaces; thick blue/red: arcs certified minimizing/maximizing on the spheres; dots: arcs ending at a critical point")
    );
    // axes and grid
    let _ = writeln!(s, "<g stroke=\"#bbb\" stroke-width=\"0.6\">");
    let mut v = ylo;
    while v <= yhi + 1e-12 * ystep {
        let _ = writeln!(
            s,
            "<line x1=\"{x0}\" y1=\"{:.1}\" x2=\"{x1}\" y2=\"{:.1}\"/>",
            py(v),
            py(v)
        );
        v += ystep;
    }
    let mut r = 0.0;
    while r <= xhi + 1e-12 * xstep {
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{y0}\" x2=\"{:.1}\" y2=\"{y1}\"/>",
            px(r),
            px(r)
        );
        r += xstep;
    }
    let _ = writeln!(s, "</g>");
    let _ = writeln!(
        s,
        "<rect x=\"{x0}\" y=\"{y0}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"black\"/>",
        x1 - x0,
        y1 - y0
    );
    let mut v = ylo;
    while v <= yhi + 1e-12 * ystep {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
            x0 - 6.0,
            py(v) + 4.0,
            format_tick(v, ystep)
        );
        v += ystep;
    }
    let mut r = 0.0;
    while r <= xhi + 1e-12 * xstep {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            px(r),
            y1 + 16.0,
            format_tick(r, xstep)
        );
        r += xstep;
    }
    let _ = writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"middle\">radius r = |W − C|_F</text>", (x0 + x1) / 2.0, y1 + 38.0);
    let _ = writeln!(s, "<text x=\"22\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 22 {:.1})\">loss L</text>", (y0 + y1) / 2.0, (y0 + y1) / 2.0);
    // curves: grey first, then the certified min/max on top
    let mut order: Vec<&ArcResult> = results.iter().collect();
    order.sort_by_key(|r| proved(r, ArcType::Min) || proved(r, ArcType::Max));
    for res in order {
        if res.trace.is_empty() {
            continue;
        }
        let (colour, width) = if proved(res, ArcType::Min) {
            ("#1f5fbf", 2.6)
        } else if proved(res, ArcType::Max) {
            ("#c0392b", 2.6)
        } else {
            ("#9a9a9a", 0.8)
        };
        let pts: Vec<String> = std::iter::once((0.0, l0))
            .chain(
                res.trace
                    .iter()
                    .map(|p| (p.r, p.loss))
                    .take_while(|p| p.0 <= xhi),
            )
            .map(|(r, l)| format!("{:.2},{:.2}", px(r), py(l)))
            .collect();
        let _ = writeln!(
            s,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width}\" points=\"{}\"/>",
            pts.join(" ")
        );
        if res.end.kind == EndKind::CriticalPoint {
            if let Some(last) = res.trace.last() {
                let _ = writeln!(s, "<circle cx=\"{:.2}\" cy=\"{:.2}\" r=\"3.5\" fill=\"{colour}\" stroke=\"black\" stroke-width=\"0.5\"/>", px(last.r), py(last.loss));
            }
        }
    }
    let _ = writeln!(
        s,
        "<circle cx=\"{:.2}\" cy=\"{:.2}\" r=\"4\" fill=\"black\"/>",
        px(0.0),
        py(l0)
    );
    // legend
    let lx = x1 + 20.0;
    let items = [
        ("#1f5fbf", 2.6, "certified minimizing arc"),
        ("#c0392b", 2.6, "certified maximizing arc"),
        ("#9a9a9a", 0.8, "other Young arc (saddle type)"),
    ];
    for (k, (c, wdt, label)) in items.iter().enumerate() {
        let y = y0 + 20.0 + 24.0 * k as f64;
        let _ = writeln!(s, "<line x1=\"{lx}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{c}\" stroke-width=\"{wdt}\"/>", lx + 30.0);
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            lx + 38.0,
            y + 4.0,
            xml_escape(label)
        );
    }
    let y = y0 + 20.0 + 24.0 * 3.0;
    let _ = writeln!(s, "<circle cx=\"{}\" cy=\"{y}\" r=\"3.5\" fill=\"#9a9a9a\" stroke=\"black\" stroke-width=\"0.5\"/>", lx + 15.0);
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" font-size=\"12\">arc ends at a critical point</text>",
        lx + 38.0,
        y + 4.0
    );
    let y = y0 + 20.0 + 24.0 * 4.0;
    let _ = writeln!(
        s,
        "<circle cx=\"{}\" cy=\"{y}\" r=\"4\" fill=\"black\"/>",
        lx + 15.0
    );
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" font-size=\"12\">the certified critical point C</text>",
        lx + 38.0,
        y + 4.0
    );
    let _ = writeln!(s, "<text x=\"{lx}\" y=\"{}\" font-size=\"11\" fill=\"#333\">{} arcs; losses above {} clipped</text>", y + 34.0, results.len(), format_tick(yhi, ystep));
    s += "</svg>\n";
    s
}
