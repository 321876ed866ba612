//! The digital-maturity assessment (M1–M3): the measured report, the
//! self-assessments staff fill in, and the roadmap step of each market.
//! The judging is `core::maturity`; this module reads and saves.

use crate::auth::{ClientInfo, Principal, require_staff};
use crate::{App, AppError, FieldError};
use mercato_core::Permission;
use mercato_core::market::RoadmapStep;
use mercato_core::maturity::{
    self as rules, AnswerError, AssessmentStatus, Gap, MarketAdvice, MeasuredMaturity,
    PlatformFigures, Question,
};
use mercato_store::maturity as store;
pub use mercato_store::maturity::StoredAssessment;
use mercato_store::{Timestamp, audit};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

/// The measured maturity with what it rests on and what it advises.
#[derive(Clone, Debug, Serialize)]
pub struct MaturityReport {
    /// When the figures were read.
    #[serde(with = "time::serde::rfc3339")]
    pub measured_at: time::OffsetDateTime,
    pub figures: PlatformFigures,
    pub measured: MeasuredMaturity,
    /// Roadmap advice per market.
    pub markets: Vec<MarketAdvice>,
    /// The latest completed self-assessment, if any, and how it compares.
    pub latest_assessment: Option<LatestAssessment>,
}

/// The latest completed self-assessment beside the measured maturity.
#[derive(Clone, Debug, Serialize)]
pub struct LatestAssessment {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub completed_at: time::OffsetDateTime,
    pub result: rules::SelfAssessment,
    pub gaps: Vec<Gap>,
}

/// Reads the platform's figures and judges them. No caller check: the
/// CLI (the operator) and [`report`] use it.
pub async fn measure(app: &App) -> Result<MaturityReport, AppError> {
    let now = Timestamp::now();
    let figures = store::figures(app.db(), now).await?;
    let measured = rules::measure(&figures);
    let markets: Vec<(String, RoadmapStep)> = crate::catalog::markets(app)
        .await?
        .into_iter()
        .map(|m| (m.code, m.roadmap_step))
        .collect();
    let advice = rules::advise(&markets, &measured);
    // The latest completed one, however many drafts were started after it.
    let latest = store::latest_complete(app.db()).await?.and_then(|a| {
        let result = a.result?;
        Some(LatestAssessment {
            id: a.id,
            completed_at: a.completed_at.unwrap_or(a.updated_at).as_offset(),
            gaps: rules::gaps(&result, &measured),
            result,
        })
    });
    Ok(MaturityReport {
        measured_at: now.as_offset(),
        figures,
        measured,
        markets: advice,
        latest_assessment: latest,
    })
}

/// The report for staff with back-office access.
pub async fn report(app: &App, p: Option<&Principal>) -> Result<MaturityReport, AppError> {
    require_staff(
        p,
        Permission::AccessBackOffice,
        "see the maturity assessment",
    )?;
    measure(app).await
}

/// Saved self-assessments, newest first (back-office access).
pub async fn assessments(
    app: &App,
    p: Option<&Principal>,
    limit: u32,
) -> Result<Vec<StoredAssessment>, AppError> {
    require_staff(
        p,
        Permission::AccessBackOffice,
        "see the maturity assessment",
    )?;
    Ok(store::list(app.db(), limit.clamp(1, 200)).await?)
}

/// One saved self-assessment (back-office access).
pub async fn assessment(
    app: &App,
    p: Option<&Principal>,
    id: Uuid,
) -> Result<StoredAssessment, AppError> {
    require_staff(
        p,
        Permission::AccessBackOffice,
        "see the maturity assessment",
    )?;
    store::get(app.db(), id)
        .await?
        .ok_or(AppError::NotFound("maturity assessment"))
}

/// What saving answers gave: the assessment, and the questions still open
/// when it had to stay a draft.
#[derive(Clone, Debug)]
pub struct Saved {
    pub assessment: StoredAssessment,
    pub unanswered: Vec<&'static Question>,
}

/// Saves answers (`question code → "1" | "2" | "3"`, empty for open) as a
/// new assessment (`id` none) or into a draft. With `finish`, a complete
/// set is scored and kept with the measured maturity of the moment; an
/// incomplete one is saved as a draft and the open questions returned, so
/// nothing typed is lost. Unknown questions or answers are refused
/// (nothing saved). Completed assessments never change (409).
pub async fn save(
    app: &App,
    p: Option<&Principal>,
    id: Option<Uuid>,
    raw: &[(String, String)],
    finish: bool,
    client: &ClientInfo,
) -> Result<Saved, AppError> {
    require_staff(
        p,
        Permission::ManageSettings,
        "fill in the maturity assessment",
    )?;
    let answers = rules::parse_answers(raw.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|errors| AppError::Invalid(errors.iter().map(field_error).collect()))?;
    let now = Timestamp::now();
    let existing = match id {
        Some(id) => {
            let a = store::get(app.db(), id)
                .await?
                .ok_or(AppError::NotFound("maturity assessment"))?;
            if a.status == AssessmentStatus::Complete {
                return Err(completed());
            }
            Some(a)
        }
        None => None,
    };
    let unanswered = rules::unanswered(&answers);
    let (status, result, measured, completed_at) = match (finish, rules::score(&answers)) {
        (true, Ok(result)) => {
            let figures = store::figures(app.db(), now).await?;
            (
                AssessmentStatus::Complete,
                Some(result),
                Some(rules::measure(&figures)),
                Some(now),
            )
        }
        _ => (AssessmentStatus::Draft, None, None, None),
    };
    let a = StoredAssessment {
        id: existing.as_ref().map_or_else(Uuid::now_v7, |a| a.id),
        status,
        answers,
        result,
        measured,
        created_by: existing
            .as_ref()
            .map(|a| a.created_by)
            .or_else(|| p.map(|p| p.user.id.as_uuid()))
            .ok_or_else(|| {
                AppError::invalid("created_by", "no_user", "an assessment is made by a user")
            })?,
        created_at: existing.as_ref().map_or(now, |a| a.created_at),
        updated_at: now,
        completed_at,
    };
    let mut tx = app.db().begin().await?;
    if existing.is_some() {
        if !store::update_draft(&mut tx, &a).await? {
            return Err(completed());
        }
    } else {
        store::insert(&mut tx, &a).await?;
    }
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "maturity.assessment_saved",
            "maturity_assessment",
            a.id.to_string(),
            json!({
                "status": a.status.code(),
                "answered": a.answers.len(),
                "overall": a.result.as_ref().map(|r| r.overall.display()),
            }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Saved {
        unanswered: if status == AssessmentStatus::Complete {
            Vec::new()
        } else {
            unanswered
        },
        assessment: a,
    })
}

fn completed() -> AppError {
    AppError::Conflict {
        code: "assessment_complete",
        detail: "a completed assessment is kept as it was; start a new one".into(),
    }
}

fn field_error(e: &AnswerError) -> FieldError {
    match e {
        AnswerError::UnknownQuestion(q) => FieldError::new(q, "unknown_question", e.to_string()),
        AnswerError::BadAnswer { question, .. } => {
            FieldError::new(question, "invalid_answer", e.to_string())
        }
    }
}

/// Moves a market to another roadmap step and sets whether it shows prices
/// and stock (`manage_settings`; M2: the steps are switchable per market).
/// Audited; the storefront follows at the next request.
pub async fn set_market_roadmap(
    app: &App,
    p: Option<&Principal>,
    code: &str,
    step: RoadmapStep,
    show_prices: bool,
    show_stock: bool,
    client: &ClientInfo,
) -> Result<(), AppError> {
    require_staff(
        p,
        Permission::ManageSettings,
        "change a market's roadmap step",
    )?;
    let mut market = crate::catalog::market(app, Some(code)).await?;
    let before = (market.roadmap_step, market.show_prices, market.show_stock);
    market.roadmap_step = step;
    market.show_prices = show_prices;
    market.show_stock = show_stock;
    crate::catalog::save_market(app, None, market).await?;
    let mut tx = app.db().begin().await?;
    audit::record(
        &mut tx,
        &crate::auth::audit_by(
            p,
            "market.roadmap_changed",
            "market",
            code.to_string(),
            json!({
                "from": { "step": before.0, "show_prices": before.1, "show_stock": before.2 },
                "to": { "step": step, "show_prices": show_prices, "show_stock": show_stock },
            }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
