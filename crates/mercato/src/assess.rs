//! `mercato assess`: the measured digital maturity (M3), the latest
//! self-assessment beside it (M1) and the roadmap advice per market (M2),
//! as text in the back office's words, or as JSON for scripts.

use mercato_app::maturity::MaturityReport;
use mercato_core::market::RoadmapStep;
use mercato_core::maturity::{Dimension, Stage};
use mercato_web::i18n::Tr;
use std::fmt::Write as _;

/// The report as text in `tr`'s language.
pub fn text(r: &MaturityReport, tr: &Tr) -> String {
    let stage = |s: Stage| tr.t(&format!("maturity-stage-{}", s.number()));
    let step = |s: RoadmapStep| tr.t(&format!("maturity-step-{}", u8::from(s)));
    let ind = |code: &str| tr.t(&format!("maturity-ind-{code}"));
    let m = &r.measured;
    let mut out = String::new();
    let when = r
        .measured_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let _ = writeln!(out, "{} — {when}", tr.t("maturity-title"));
    let _ = writeln!(
        out,
        "{}: {} · {}",
        tr.t("maturity-measured"),
        m.overall.display(),
        stage(m.overall_stage)
    );
    if let Some(a) = &r.latest_assessment {
        let _ = writeln!(
            out,
            "{}: {} · {}",
            tr.t("maturity-self"),
            a.result.overall.display(),
            stage(a.result.overall_stage)
        );
    }
    for d in Dimension::ALL {
        let Some(level) = m.of(d) else { continue };
        let _ = writeln!(
            out,
            "\n{}: {} · {}",
            tr.t(&format!("maturity-dim-{}", d.code())),
            level.level.display(),
            stage(level.stage)
        );
        if let Some(g) = r
            .latest_assessment
            .as_ref()
            .and_then(|a| a.gaps.iter().find(|g| g.dimension == d))
        {
            let verdict = serde_json::to_value(g.verdict)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} {} — {}",
                tr.t("maturity-self"),
                g.self_level.display(),
                tr.t(&format!("maturity-verdict-{verdict}"))
            );
        }
        for reading in m.readings.iter().filter(|x| x.indicator.dimension() == d) {
            let next = reading
                .next_at
                .map(|n| format!("  → {} {n}", tr.t("maturity-next-at")))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:<60} {:>16}  {}{next}",
                ind(reading.indicator.code()),
                reading.measure.display(),
                stage(reading.stage),
            );
        }
    }
    let _ = writeln!(out, "\n{}", tr.t("maturity-roadmap"));
    for a in &r.markets {
        let _ = write!(
            out,
            "  {}: {} {}; {} {}",
            a.market,
            tr.t("maturity-current-step"),
            step(a.current),
            tr.t("maturity-ready-for"),
            step(a.ready_for),
        );
        match a.next {
            Some(n) if a.shortfalls.is_empty() => {
                let _ = writeln!(out, "; {}: {}", step(n), tr.t("maturity-nothing-missing"));
            }
            Some(n) => {
                let needs: Vec<String> = a
                    .shortfalls
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {} → {}",
                            ind(s.indicator.code()),
                            s.reading.measure.display(),
                            stage(s.needs)
                        )
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "; {} {}: {}",
                    tr.t("maturity-next-step"),
                    step(n),
                    needs.join("; ")
                );
            }
            None => {
                let _ = writeln!(out, "; {}", tr.t("maturity-last-step"));
            }
        }
    }
    out
}
