//! Back-office digital maturity (M1–M3) and markets (M2): the measured
//! maturity beside the latest self-assessment with a radar chart drawn as
//! SVG on the server, the gap explained, the roadmap advice per market,
//! the questionnaire (drafts keep half-given answers), the history, and
//! the markets screen that switches a market's roadmap step.

use crate::AppState;
use crate::admin::{BackOffice, Settings, Staff, StaffBar, Ui, check_csrf, utc_time};
use crate::extract::Client;
use crate::problem::Problem;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use mercato_app::AppError;
use mercato_app::maturity::{self, MaturityReport, StoredAssessment};
use mercato_core::Permission;
use mercato_core::market::RoadmapStep;
use mercato_core::maturity::{
    AssessmentStatus, Dimension, Indicator, Level, Measure, QUESTIONS, Stage, Verdict,
};
use uuid::Uuid;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/maturity", get(overview))
        .route(
            "/admin/maturity/assessments",
            get(new_assessment).post(create_assessment),
        )
        .route(
            "/admin/maturity/assessments/{id}",
            get(assessment_page).post(update_assessment),
        )
        .route("/admin/markets", get(markets_page))
        .route("/admin/markets/{code}", post(update_market))
}

// ---------------------------------------------------------------------------
// The radar chart

/// A radar chart of the four dimensions, laid out for the template (which
/// escapes every label); levels run from the centre to 3.0 at the rim.
pub(crate) struct Radar {
    /// Polygon points of the rings at stage 1, 2 and 3.
    rings: Vec<String>,
    /// `(x2, y2, label x, label y, text-anchor, label)` per axis.
    axes: Vec<(f32, f32, f32, f32, &'static str, String)>,
    /// `(css class, legend, polygon points)`.
    series: Vec<(&'static str, String, String)>,
}

const CX: f32 = 340.0;
const CY: f32 = 130.0;
const RIM: f32 = 100.0;

/// Where a level lies on dimension axis `i` (clockwise from the top).
fn point(i: usize, level: u8) -> (f32, f32) {
    let r = RIM * f32::from(level) / 30.0;
    match i {
        0 => (CX, CY - r),
        1 => (CX + r, CY),
        2 => (CX, CY + r),
        _ => (CX - r, CY),
    }
}

fn polygon(levels: &[u8]) -> String {
    levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (x, y) = point(i, *l);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Radar {
    fn new(ui: &Ui, series: Vec<(&'static str, String, [u8; 4])>) -> Self {
        let anchors = ["middle", "start", "middle", "end"];
        let axes = Dimension::ALL
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let (x2, y2) = point(i, 30);
                let (lx, ly) = match i {
                    0 => (x2, y2 - 10.0),
                    1 => (x2 + 8.0, y2 + 4.0),
                    2 => (x2, y2 + 18.0),
                    _ => (x2 - 8.0, y2 + 4.0),
                };
                (
                    x2,
                    y2,
                    lx,
                    ly,
                    anchors[i],
                    ui.word("maturity-dim", d.code()),
                )
            })
            .collect();
        Radar {
            rings: [10u8, 20, 30].iter().map(|l| polygon(&[*l; 4])).collect(),
            axes,
            series: series
                .into_iter()
                .map(|(class, legend, levels)| (class, legend, polygon(&levels)))
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------
// The overview

struct DimensionRow {
    name: String,
    measured: String,
    measured_stage: String,
    own: Option<(String, String)>,
    /// `(code, words)` of the comparison.
    verdict: Option<(&'static str, String)>,
    explained: Vec<String>,
}

struct ReadingRow {
    dimension: String,
    name: String,
    capability: &'static str,
    value: String,
    stage: u8,
    stage_name: String,
    next: String,
    advice: String,
    href: Option<&'static str>,
}

struct MarketRow {
    code: String,
    current: String,
    ready_for: String,
    can_advance: bool,
    next: Option<String>,
    shortfalls: Vec<String>,
}

struct HistoryRow {
    id: Uuid,
    when: String,
    status: String,
    overall: String,
    dimensions: Vec<String>,
}

#[derive(Template)]
#[template(path = "maturity.html")]
struct OverviewPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    measured_at: String,
    overall_measured: String,
    overall_own: Option<String>,
    radar: Radar,
    dimensions: Vec<DimensionRow>,
    readings: Vec<ReadingRow>,
    markets: Vec<MarketRow>,
    history: Vec<HistoryRow>,
    draft: Option<Uuid>,
    can_assess: bool,
    can_set_markets: bool,
}

/// Where staff act on an indicator.
fn indicator_href(i: Indicator) -> Option<&'static str> {
    use Indicator::*;
    match i {
        ProductsPriced | ProductsWithImages | ProductsWithDocuments | ProductsWithSpecs => {
            Some("/admin/completeness")
        }
        MarketsShowingPricesAndStock => Some("/admin/markets"),
        CustomersSegmented => Some("/admin/companies"),
        OrdersOnline | ShipmentsTracked => Some("/admin/orders"),
        FeedbackTriaged => Some("/admin/feedback"),
        StockAutomated => Some("/admin/import"),
        IntegrationsInUse => Some("/api/openapi.json"),
        MaturityTracked => Some("/admin/maturity/assessments"),
        ReportsUsed => Some("/admin/dashboard"),
        B2bPrices | OrderHistory | StaffRoles | StaffActive => None,
    }
}

fn stage_name(ui: &Ui, s: Stage) -> String {
    ui.word("maturity-stage", &s.number().to_string())
}

fn step_name(ui: &Ui, s: RoadmapStep) -> String {
    ui.word("maturity-step", &u8::from(s).to_string())
}

/// `"≥ 30 %"` or `"≥ 3"`: the value that reaches the next stage.
fn threshold(m: Measure, at: u64) -> String {
    match m {
        Measure::Share { .. } => format!("≥ {at} %"),
        Measure::Count { .. } => format!("≥ {at}"),
    }
}

async fn overview(
    State(s): State<AppState>,
    ui: Ui,
    Staff(p, csrf, _): Staff<BackOffice>,
) -> Response {
    let report = match maturity::report(&s.app, Some(&p)).await {
        Ok(r) => r,
        Err(e) => return Problem::from(e).into_response(),
    };
    let history = match maturity::assessments(&s.app, Some(&p), 50).await {
        Ok(h) => h,
        Err(e) => return Problem::from(e).into_response(),
    };
    let page = overview_page(&ui, StaffBar::of(&p), csrf, &report, &history, &p);
    ui.page(&page, StatusCode::OK)
}

fn overview_page(
    ui: &Ui,
    staff: StaffBar,
    csrf_token: String,
    report: &MaturityReport,
    history: &[StoredAssessment],
    p: &mercato_app::auth::Principal,
) -> OverviewPage {
    let m = &report.measured;
    let own = report.latest_assessment.as_ref();
    let indicator_name = |i: Indicator| ui.word("maturity-ind", i.code());
    let dimensions = Dimension::ALL
        .into_iter()
        .map(|d| {
            let measured = m.of(d).map(|x| x.level).unwrap_or(Level(10));
            let mine = own.and_then(|a| a.result.of(d));
            let gap = own.and_then(|a| a.gaps.iter().find(|g| g.dimension == d));
            DimensionRow {
                name: ui.word("maturity-dim", d.code()),
                measured: measured.display(),
                measured_stage: stage_name(ui, measured.stage()),
                own: mine.map(|x| (x.level.display(), stage_name(ui, x.stage))),
                verdict: gap.map(|g| {
                    let code = match g.verdict {
                        Verdict::Agree => "agree",
                        Verdict::SelfAhead => "self_ahead",
                        Verdict::MeasuredAhead => "measured_ahead",
                    };
                    (code, ui.word("maturity-verdict", code))
                }),
                explained: gap
                    .map(|g| {
                        g.explained_by
                            .iter()
                            .filter_map(|i| m.reading(*i))
                            .map(|r| {
                                format!(
                                    "{} — {} ({})",
                                    indicator_name(r.indicator),
                                    r.measure.display(),
                                    stage_name(ui, r.stage)
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let readings = m
        .readings
        .iter()
        .map(|r| ReadingRow {
            dimension: ui.word("maturity-dim", r.indicator.dimension().code()),
            name: indicator_name(r.indicator),
            capability: r.indicator.capability().unwrap_or(""),
            value: r.measure.display(),
            stage: r.stage.number(),
            stage_name: stage_name(ui, r.stage),
            next: r
                .next_at
                .map(|at| threshold(r.measure, at))
                .unwrap_or_default(),
            advice: ui.word("maturity-advice", r.indicator.code()),
            href: indicator_href(r.indicator),
        })
        .collect();
    let markets = report
        .markets
        .iter()
        .map(|a| MarketRow {
            code: a.market.clone(),
            current: step_name(ui, a.current),
            ready_for: step_name(ui, a.ready_for),
            can_advance: a.can_advance(),
            next: a.next.map(|n| step_name(ui, n)),
            shortfalls: a
                .shortfalls
                .iter()
                .map(|s| {
                    ui.t_with(
                        "maturity-shortfall",
                        &[
                            ("indicator", indicator_name(s.indicator).as_str()),
                            ("value", s.reading.measure.display().as_str()),
                            ("stage", stage_name(ui, s.needs).as_str()),
                        ],
                    )
                })
                .collect(),
        })
        .collect();
    let mut series = vec![(
        "measured",
        ui.t("maturity-measured"),
        levels(|d| m.of(d).map(|x| x.level)),
    )];
    if let Some(a) = own {
        series.push((
            "self",
            ui.t("maturity-self"),
            levels(|d| a.result.of(d).map(|x| x.level)),
        ));
    }
    OverviewPage {
        measured_at: utc_time(report.measured_at),
        overall_measured: format!(
            "{} · {}",
            m.overall.display(),
            stage_name(ui, m.overall_stage)
        ),
        overall_own: own.map(|a| {
            format!(
                "{} · {}",
                a.result.overall.display(),
                stage_name(ui, a.result.overall_stage)
            )
        }),
        radar: Radar::new(ui, series),
        dimensions,
        readings,
        markets,
        history: history.iter().map(|a| history_row(ui, a)).collect(),
        draft: history
            .iter()
            .find(|a| a.status == AssessmentStatus::Draft)
            .map(|a| a.id),
        can_assess: p.allows(Permission::ManageSettings),
        can_set_markets: p.allows(Permission::ManageSettings),
        ui: ui.clone(),
        staff,
        csrf_token,
    }
}

fn levels(of: impl Fn(Dimension) -> Option<Level>) -> [u8; 4] {
    Dimension::ALL.map(|d| of(d).map_or(10, |l| l.0))
}

fn history_row(ui: &Ui, a: &StoredAssessment) -> HistoryRow {
    HistoryRow {
        id: a.id,
        when: utc_time(a.completed_at.unwrap_or(a.updated_at).as_offset()),
        status: ui.word("maturity-status", a.status.code()),
        overall: a
            .result
            .as_ref()
            .map(|r| r.overall.display())
            .unwrap_or_default(),
        dimensions: Dimension::ALL
            .iter()
            .map(|d| {
                a.result
                    .as_ref()
                    .and_then(|r| r.of(*d))
                    .map(|x| x.level.display())
                    .unwrap_or_default()
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------
// The questionnaire

struct QuestionBlock {
    dimension: String,
    questions: Vec<QuestionRow>,
}

struct QuestionRow {
    code: &'static str,
    text: String,
    /// `(stage, words, chosen)`.
    options: Vec<(u8, String, bool)>,
    missing: bool,
}

#[derive(Template)]
#[template(path = "maturity_assessment.html")]
struct AssessmentPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    /// Where the form posts.
    action: String,
    blocks: Vec<QuestionBlock>,
    /// Read-only: a completed assessment.
    complete: bool,
    when: String,
    /// Per dimension `(name, level, stage)` and overall, when complete.
    result: Vec<(String, String, String)>,
    overall: String,
    radar: Option<Radar>,
    notice: Option<String>,
    errors: Vec<String>,
}

fn questionnaire(
    ui: &Ui,
    answers: &std::collections::BTreeMap<String, String>,
    show_missing: bool,
) -> Vec<QuestionBlock> {
    Dimension::ALL
        .into_iter()
        .map(|d| QuestionBlock {
            dimension: ui.word("maturity-dim", d.code()),
            questions: QUESTIONS
                .iter()
                .filter(|q| q.dimension == d)
                .map(|q| {
                    let chosen = answers.get(q.code).map(String::as_str).unwrap_or("");
                    QuestionRow {
                        code: q.code,
                        text: ui.t(&format!("maturity-q-{}", q.code)),
                        options: Stage::ALL
                            .iter()
                            .map(|s| {
                                let n = s.number();
                                (
                                    n,
                                    ui.t(&format!("maturity-q-{}-{n}", q.code)),
                                    chosen == n.to_string(),
                                )
                            })
                            .collect(),
                        missing: show_missing && chosen.is_empty(),
                    }
                })
                .collect(),
        })
        .collect()
}

async fn new_assessment(ui: Ui, Staff(p, csrf, _): Staff<Settings>) -> Response {
    let page = AssessmentPage {
        staff: StaffBar::of(&p),
        csrf_token: csrf,
        action: "/admin/maturity/assessments".into(),
        blocks: questionnaire(&ui, &Default::default(), false),
        complete: false,
        when: String::new(),
        result: Vec::new(),
        overall: String::new(),
        radar: None,
        notice: None,
        errors: Vec::new(),
        ui: ui.clone(),
    };
    ui.page(&page, StatusCode::OK)
}

async fn assessment_page(
    State(s): State<AppState>,
    ui: Ui,
    Path(id): Path<Uuid>,
    Staff(p, csrf, _): Staff<BackOffice>,
) -> Response {
    let a = match maturity::assessment(&s.app, Some(&p), id).await {
        Ok(a) => a,
        Err(e) => return Problem::from(e).into_response(),
    };
    let answers = a
        .answers
        .iter()
        .map(|(k, v)| (k.clone(), v.number().to_string()))
        .collect();
    let page = assessment_view(&ui, StaffBar::of(&p), csrf, &a, &answers, None, Vec::new());
    ui.page(&page, StatusCode::OK)
}

fn assessment_view(
    ui: &Ui,
    staff: StaffBar,
    csrf_token: String,
    a: &StoredAssessment,
    answers: &std::collections::BTreeMap<String, String>,
    notice: Option<String>,
    errors: Vec<String>,
) -> AssessmentPage {
    let complete = a.status == AssessmentStatus::Complete;
    let result = a
        .result
        .as_ref()
        .map(|r| {
            r.dimensions
                .iter()
                .map(|d| {
                    (
                        ui.word("maturity-dim", d.dimension.code()),
                        d.level.display(),
                        stage_name(ui, d.stage),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let radar = a.result.as_ref().map(|r| {
        let mut series = vec![(
            "self",
            ui.t("maturity-self"),
            levels(|d| r.of(d).map(|x| x.level)),
        )];
        if let Some(m) = &a.measured {
            series.insert(
                0,
                (
                    "measured",
                    ui.t("maturity-measured-then"),
                    levels(|d| m.of(d).map(|x| x.level)),
                ),
            );
        }
        Radar::new(ui, series)
    });
    AssessmentPage {
        ui: ui.clone(),
        staff,
        csrf_token,
        action: format!("/admin/maturity/assessments/{}", a.id),
        blocks: questionnaire(ui, answers, notice.is_some()),
        complete,
        when: utc_time(a.completed_at.unwrap_or(a.updated_at).as_offset()),
        result,
        overall: a
            .result
            .as_ref()
            .map(|r| {
                format!(
                    "{} · {}",
                    r.overall.display(),
                    stage_name(ui, r.overall_stage)
                )
            })
            .unwrap_or_default(),
        radar,
        notice,
        errors,
    }
}

async fn create_assessment(
    State(s): State<AppState>,
    Client(client): Client,
    ui: Ui,
    staff: Staff<Settings>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    save_answers(s, client, ui, staff, None, fields).await
}

async fn update_assessment(
    State(s): State<AppState>,
    Client(client): Client,
    ui: Ui,
    Path(id): Path<Uuid>,
    staff: Staff<Settings>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    save_answers(s, client, ui, staff, Some(id), fields).await
}

/// Saves the questionnaire. "Save draft" keeps what is given; "Finish"
/// scores a complete set, or saves a half-filled one as a draft and says
/// which questions are open.
async fn save_answers(
    s: AppState,
    client: mercato_app::auth::ClientInfo,
    ui: Ui,
    Staff(p, csrf, _): Staff<Settings>,
    id: Option<Uuid>,
    fields: Vec<(String, String)>,
) -> Response {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    if let Err(r) = check_csrf(field("csrf_token"), &csrf) {
        return r;
    }
    let finish = field("action") == "finish";
    let answers: Vec<(String, String)> = fields
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("q_").map(|q| (q.to_string(), v.clone())))
        .collect();
    let typed: std::collections::BTreeMap<String, String> = answers.iter().cloned().collect();
    let ui = ui.at(match id {
        Some(id) => format!("/admin/maturity/assessments/{id}"),
        None => "/admin/maturity/assessments".into(),
    });
    match maturity::save(&s.app, Some(&p), id, &answers, finish, &client).await {
        Ok(saved) if saved.assessment.status == AssessmentStatus::Complete => Redirect::to(
            &format!("/admin/maturity/assessments/{}", saved.assessment.id),
        )
        .into_response(),
        Ok(saved) => {
            let notice = if finish {
                let open: Vec<String> = saved
                    .unanswered
                    .iter()
                    .map(|q| ui.t(&format!("maturity-q-{}", q.code)))
                    .collect();
                ui.t_with(
                    "maturity-draft-missing",
                    &[
                        ("count", open.len().to_string().as_str()),
                        ("questions", open.join(" · ").as_str()),
                    ],
                )
            } else {
                ui.t("maturity-draft-saved")
            };
            let page = assessment_view(
                &ui,
                StaffBar::of(&p),
                csrf,
                &saved.assessment,
                &typed,
                Some(notice),
                Vec::new(),
            );
            ui.page(&page, StatusCode::OK)
        }
        Err(AppError::Invalid(errors)) => {
            let errors = errors.iter().map(|e| ui.field_error(e)).collect();
            let page = AssessmentPage {
                staff: StaffBar::of(&p),
                csrf_token: csrf,
                action: match id {
                    Some(id) => format!("/admin/maturity/assessments/{id}"),
                    None => "/admin/maturity/assessments".into(),
                },
                blocks: questionnaire(&ui, &typed, false),
                complete: false,
                when: String::new(),
                result: Vec::new(),
                overall: String::new(),
                radar: None,
                notice: None,
                errors,
                ui: ui.clone(),
            };
            ui.page(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

// ---------------------------------------------------------------------------
// Markets and their roadmap step (M2)

struct MarketLine {
    code: String,
    name: String,
    currency: String,
    languages: String,
    step: u8,
    show_prices: bool,
    show_stock: bool,
    ready_for: String,
    can_advance: bool,
}

#[derive(Template)]
#[template(path = "markets.html")]
struct MarketsPage {
    ui: Ui,
    staff: StaffBar,
    csrf_token: String,
    markets: Vec<MarketLine>,
    /// `(step, name)`.
    steps: Vec<(u8, String)>,
    saved: Option<String>,
}

async fn markets_page(
    State(s): State<AppState>,
    ui: Ui,
    Staff(p, csrf, _): Staff<Settings>,
    uri: axum::http::Uri,
) -> Response {
    let saved = uri
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("saved=")))
        .map(|code| ui.t_with("admin-markets-saved", &[("market", code)]));
    markets_view(&s, &ui, StaffBar::of(&p), csrf, saved).await
}

async fn markets_view(
    s: &AppState,
    ui: &Ui,
    staff: StaffBar,
    csrf_token: String,
    saved: Option<String>,
) -> Response {
    let report = match maturity::measure(&s.app).await {
        Ok(r) => r,
        Err(e) => return Problem::from(e).into_response(),
    };
    let markets = match mercato_app::catalog::markets(&s.app).await {
        Ok(m) => m,
        Err(e) => return Problem::from(e).into_response(),
    };
    let lang = mercato_core::Lang::parse(ui.tr.code()).ok();
    let lines = markets
        .iter()
        .map(|m| {
            let advice = report.markets.iter().find(|a| a.market == m.code);
            MarketLine {
                code: m.code.clone(),
                name: lang
                    .as_ref()
                    .and_then(|l| m.name.resolve(l, &[]))
                    .unwrap_or(&m.code)
                    .to_string(),
                currency: m.currency.to_string(),
                languages: m
                    .languages
                    .iter()
                    .map(|l| l.as_str().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                step: u8::from(m.roadmap_step),
                show_prices: m.show_prices,
                show_stock: m.show_stock,
                ready_for: advice
                    .map(|a| step_name(ui, a.ready_for))
                    .unwrap_or_default(),
                can_advance: advice.is_some_and(|a| a.can_advance()),
            }
        })
        .collect();
    let page = MarketsPage {
        ui: ui.clone(),
        staff,
        csrf_token,
        markets: lines,
        steps: RoadmapStep::ALL
            .iter()
            .map(|st| (u8::from(*st), step_name(ui, *st)))
            .collect(),
        saved,
    };
    ui.page(&page, StatusCode::OK)
}

#[derive(serde::Deserialize)]
struct MarketForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    roadmap_step: String,
    #[serde(default)]
    show_prices: Option<String>,
    #[serde(default)]
    show_stock: Option<String>,
}

async fn update_market(
    State(s): State<AppState>,
    Client(client): Client,
    Path(code): Path<String>,
    Staff(p, csrf, _): Staff<Settings>,
    Form(form): Form<MarketForm>,
) -> Response {
    if let Err(r) = check_csrf(&form.csrf_token, &csrf) {
        return r;
    }
    let Some(step) = form
        .roadmap_step
        .parse::<u8>()
        .ok()
        .and_then(|n| RoadmapStep::try_from(n).ok())
    else {
        return Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_roadmap_step",
            "roadmap_step is 1, 2, 3 or 4",
        )
        .into_response();
    };
    match maturity::set_market_roadmap(
        &s.app,
        Some(&p),
        &code,
        step,
        form.show_prices.is_some(),
        form.show_stock.is_some(),
        &client,
    )
    .await
    {
        Ok(()) => Redirect::to(&format!("/admin/markets?saved={code}")).into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}
