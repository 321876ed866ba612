//! The digital-maturity model of the source document (FEATURES.md M1–M3):
//! four dimensions, three stages, a questionnaire written from the stage
//! descriptions (the self-assessment), the same dimensions scored from the
//! platform's own figures (measured maturity), the gap between the two, and
//! which roadmap step each market is ready for.
//!
//! Everything is a plain function over plain data: the store counts
//! ([`PlatformFigures`]), this module judges. Texts live in the locale
//! files under `maturity-…` keys named after the codes here.

use crate::market::RoadmapStep;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One of the four dimensions the source document assesses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// 用户体验: catalog, prices and personalisation, channels.
    Experience,
    /// 系统,交付与运营: integration, fulfilment, processes.
    Operations,
    /// 数据管理和分析: what is collected and how it is analysed.
    Data,
    /// 数字人才: the people.
    Talent,
}

impl Dimension {
    /// Every dimension, in the source document's order.
    pub const ALL: [Dimension; 4] = [
        Dimension::Experience,
        Dimension::Operations,
        Dimension::Data,
        Dimension::Talent,
    ];

    /// The stable code (locale keys, JSON, CLI).
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Experience => "experience",
            Dimension::Operations => "operations",
            Dimension::Data => "data",
            Dimension::Talent => "talent",
        }
    }
}

/// A maturity stage: 初期–适应, 中期–设立标准, 成熟期–规模扩展.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Stage {
    /// Early: adapting.
    Adapt = 1,
    /// Middle: setting standards.
    Standardise = 2,
    /// Mature: scaling.
    Scale = 3,
}

impl Stage {
    /// Every stage, lowest first.
    pub const ALL: [Stage; 3] = [Stage::Adapt, Stage::Standardise, Stage::Scale];

    /// 1, 2 or 3.
    pub fn number(self) -> u8 {
        self as u8
    }
}

impl TryFrom<u8> for Stage {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        match n {
            1 => Ok(Stage::Adapt),
            2 => Ok(Stage::Standardise),
            3 => Ok(Stage::Scale),
            _ => Err(format!("a stage is 1, 2 or 3, not {n}")),
        }
    }
}

impl From<Stage> for u8 {
    fn from(s: Stage) -> u8 {
        s as u8
    }
}

/// A position on the scale in tenths of a stage, 10 (stage 1) to 30
/// (stage 3): the mean of several stages, kept in integers so that the
/// same answers always give the same figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Level(pub u8);

impl Level {
    /// The mean of `stages`, rounded to the nearest tenth (halves down),
    /// or `None` for no stages.
    pub fn mean(stages: impl IntoIterator<Item = Stage>) -> Option<Level> {
        let (sum, n) = stages.into_iter().fold((0u32, 0u32), |(s, n), st| {
            (s + u32::from(st.number()), n + 1)
        });
        if n == 0 {
            return None;
        }
        // sum·10/n rounded half down: (2·sum·10 + n − 1) / (2n).
        let tenths = (20 * sum + n - 1) / (2 * n);
        Some(Level(u8::try_from(tenths).unwrap_or(30).clamp(10, 30)))
    }

    /// The mean of several levels, as [`Level::mean`].
    pub fn mean_of(levels: impl IntoIterator<Item = Level>) -> Option<Level> {
        let (sum, n) = levels
            .into_iter()
            .fold((0u32, 0u32), |(s, n), l| (s + u32::from(l.0), n + 1));
        if n == 0 {
            return None;
        }
        let tenths = (2 * sum + n - 1) / (2 * n);
        Some(Level(u8::try_from(tenths).unwrap_or(30).clamp(10, 30)))
    }

    /// The stage this level has fully reached.
    pub fn stage(self) -> Stage {
        match self.0 {
            ..20 => Stage::Adapt,
            20..30 => Stage::Standardise,
            _ => Stage::Scale,
        }
    }

    /// `2.4` for 24.
    pub fn display(self) -> String {
        format!("{}.{}", self.0 / 10, self.0 % 10)
    }
}

// ---------------------------------------------------------------------------
// The self-assessment (M1)

/// A question of the self-assessment. Its text and its three answers (one
/// per stage, taken from the source document's stage descriptions) are the
/// locale messages `maturity-q-<code>` and `maturity-q-<code>-<stage>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    pub code: &'static str,
    pub dimension: Dimension,
}

/// The questionnaire, dimension by dimension.
pub const QUESTIONS: [Question; 12] = {
    use Dimension::*;
    [
        Question {
            code: "catalog",
            dimension: Experience,
        },
        Question {
            code: "pricing",
            dimension: Experience,
        },
        Question {
            code: "ordering",
            dimension: Experience,
        },
        Question {
            code: "channels",
            dimension: Experience,
        },
        Question {
            code: "integration",
            dimension: Operations,
        },
        Question {
            code: "fulfilment",
            dimension: Operations,
        },
        Question {
            code: "process",
            dimension: Operations,
        },
        Question {
            code: "collection",
            dimension: Data,
        },
        Question {
            code: "analysis",
            dimension: Data,
        },
        Question {
            code: "decisions",
            dimension: Data,
        },
        Question {
            code: "team",
            dimension: Talent,
        },
        Question {
            code: "culture",
            dimension: Talent,
        },
    ]
};

/// The question with `code`.
pub fn question(code: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.code == code)
}

/// Answers given so far: question code → the stage the answer describes.
pub type Answers = BTreeMap<String, Stage>;

/// Why a submitted answer was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("there is no question {0:?}")]
    UnknownQuestion(String),
    #[error("question {question}: {value:?} is not an answer (1, 2 or 3)")]
    BadAnswer { question: String, value: String },
}

/// Parses answers as a form sends them (`code` → `"1"`/`"2"`/`"3"`; an
/// empty value is an unanswered question). All errors are reported.
pub fn parse_answers<'a>(
    raw: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Answers, Vec<AnswerError>> {
    let mut answers = Answers::new();
    let mut errors = Vec::new();
    for (code, value) in raw {
        let Some(q) = question(code) else {
            errors.push(AnswerError::UnknownQuestion(code.to_string()));
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match value
            .parse::<u8>()
            .ok()
            .and_then(|n| Stage::try_from(n).ok())
        {
            Some(stage) => {
                answers.insert(q.code.to_string(), stage);
            }
            None => errors.push(AnswerError::BadAnswer {
                question: code.to_string(),
                value: value.to_string(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// The questions `answers` leave open, in questionnaire order.
pub fn unanswered(answers: &Answers) -> Vec<&'static Question> {
    QUESTIONS
        .iter()
        .filter(|q| !answers.contains_key(q.code))
        .collect()
}

/// Whether an assessment is still being filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentStatus {
    /// Saved with questions open; can be changed.
    Draft,
    /// Every question answered and scored; kept as it was.
    Complete,
}

impl AssessmentStatus {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            AssessmentStatus::Draft => "draft",
            AssessmentStatus::Complete => "complete",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "draft" => Some(AssessmentStatus::Draft),
            "complete" => Some(AssessmentStatus::Complete),
            _ => None,
        }
    }
}

/// One dimension's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionLevel {
    pub dimension: Dimension,
    pub level: Level,
    pub stage: Stage,
}

impl DimensionLevel {
    fn new(dimension: Dimension, level: Level) -> Self {
        DimensionLevel {
            dimension,
            level,
            stage: level.stage(),
        }
    }
}

/// The result of a completed self-assessment: a level and stage per
/// dimension (the mean of its answers) and overall (the mean of the four).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfAssessment {
    pub dimensions: Vec<DimensionLevel>,
    pub overall: Level,
    pub overall_stage: Stage,
}

impl SelfAssessment {
    /// The level of `d`.
    pub fn of(&self, d: Dimension) -> Option<DimensionLevel> {
        self.dimensions.iter().copied().find(|x| x.dimension == d)
    }
}

/// Scores a complete set of answers; `Err` lists the unanswered questions
/// (the assessment stays a draft).
pub fn score(answers: &Answers) -> Result<SelfAssessment, Vec<&'static Question>> {
    let open = unanswered(answers);
    if !open.is_empty() {
        return Err(open);
    }
    let dimensions: Vec<DimensionLevel> = Dimension::ALL
        .into_iter()
        .filter_map(|d| {
            let stages = QUESTIONS
                .iter()
                .filter(|q| q.dimension == d)
                .filter_map(|q| answers.get(q.code).copied());
            Level::mean(stages).map(|l| DimensionLevel::new(d, l))
        })
        .collect();
    let overall = Level::mean_of(dimensions.iter().map(|d| d.level)).unwrap_or(Level(10));
    Ok(SelfAssessment {
        dimensions,
        overall,
        overall_stage: overall.stage(),
    })
}

// ---------------------------------------------------------------------------
// Measured maturity (M3)

/// What the store counts for the measured maturity: plain figures, read in
/// one go. Shares are of the `…_total` beside them; "recent" is the last
/// 90 days for orders, shipments and feedback, 30 for sign-ins and tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformFigures {
    pub active_products: u64,
    pub products_with_price: u64,
    pub products_with_image: u64,
    pub products_with_document: u64,
    pub products_with_specs: u64,
    /// Kinds of B2B price in use: tier breaks, group lists, customer-tier
    /// lists, company contract lists, promotions (0–5).
    pub b2b_price_kinds: u64,
    pub markets: u64,
    pub markets_showing_prices_and_stock: u64,
    pub recent_orders: u64,
    /// Placed by the buyers themselves, not by staff on their behalf.
    pub recent_orders_online: u64,
    pub stock_levels: u64,
    /// Last set by the API, an import or an order, not typed in by staff.
    pub stock_levels_automated: u64,
    /// Integration tokens used in the last 30 days.
    pub integrations_in_use: u64,
    pub recent_shipments: u64,
    pub recent_shipments_tracked: u64,
    pub recent_feedback: u64,
    pub recent_feedback_triaged: u64,
    pub companies: u64,
    /// Assigned to a customer group or tier (segmented).
    pub companies_segmented: u64,
    /// Whole months between the first and the latest order.
    pub order_history_months: u64,
    pub assessments_completed: u64,
    pub active_staff: u64,
    /// Active staff whose role is not admin: work divided by role.
    pub staff_with_roles: u64,
    pub staff_signed_in_recently: u64,
    /// Days of the last 30 on which staff opened the dashboards.
    pub report_days_recent: u64,
}

/// A measured indicator of maturity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    ProductsPriced,
    ProductsWithImages,
    ProductsWithDocuments,
    B2bPrices,
    MarketsShowingPricesAndStock,
    OrdersOnline,
    StockAutomated,
    IntegrationsInUse,
    ShipmentsTracked,
    FeedbackTriaged,
    ProductsWithSpecs,
    CustomersSegmented,
    OrderHistory,
    MaturityTracked,
    /// Dashboards looked at: decisions taken on the data.
    ReportsUsed,
    StaffRoles,
    StaffActive,
}

/// How an indicator's value reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// `part` of `whole`; thresholds are in per cent.
    Share { part: u64, whole: u64 },
    /// A count; thresholds are counts.
    Count { n: u64 },
}

impl Measure {
    /// The value compared with the thresholds: a whole percentage (rounded
    /// down, 0 of nothing) or the count.
    pub fn value(self) -> u64 {
        match self {
            Measure::Share { whole: 0, .. } => 0,
            Measure::Share { part, whole } => part.min(whole) * 100 / whole,
            Measure::Count { n } => n,
        }
    }

    /// `"45 % (9/20)"` or `"3"`.
    pub fn display(self) -> String {
        match self {
            Measure::Share { part, whole } => format!("{} % ({part}/{whole})", self.value()),
            Measure::Count { n } => n.to_string(),
        }
    }
}

impl Indicator {
    /// Every indicator, by dimension.
    pub const ALL: [Indicator; 17] = [
        Indicator::ProductsPriced,
        Indicator::ProductsWithImages,
        Indicator::ProductsWithDocuments,
        Indicator::B2bPrices,
        Indicator::MarketsShowingPricesAndStock,
        Indicator::OrdersOnline,
        Indicator::StockAutomated,
        Indicator::IntegrationsInUse,
        Indicator::ShipmentsTracked,
        Indicator::FeedbackTriaged,
        Indicator::ProductsWithSpecs,
        Indicator::CustomersSegmented,
        Indicator::OrderHistory,
        Indicator::MaturityTracked,
        Indicator::ReportsUsed,
        Indicator::StaffRoles,
        Indicator::StaffActive,
    ];

    /// The stable code (locale keys `maturity-ind-<code>`, JSON, CLI).
    pub fn code(self) -> &'static str {
        match self {
            Indicator::ProductsPriced => "products_priced",
            Indicator::ProductsWithImages => "products_with_images",
            Indicator::ProductsWithDocuments => "products_with_documents",
            Indicator::B2bPrices => "b2b_prices",
            Indicator::MarketsShowingPricesAndStock => "markets_showing_prices_and_stock",
            Indicator::OrdersOnline => "orders_online",
            Indicator::StockAutomated => "stock_automated",
            Indicator::IntegrationsInUse => "integrations_in_use",
            Indicator::ShipmentsTracked => "shipments_tracked",
            Indicator::FeedbackTriaged => "feedback_triaged",
            Indicator::ProductsWithSpecs => "products_with_specs",
            Indicator::CustomersSegmented => "customers_segmented",
            Indicator::OrderHistory => "order_history",
            Indicator::MaturityTracked => "maturity_tracked",
            Indicator::ReportsUsed => "reports_used",
            Indicator::StaffRoles => "staff_roles",
            Indicator::StaffActive => "staff_active",
        }
    }

    /// The dimension it measures.
    pub fn dimension(self) -> Dimension {
        use Indicator::*;
        match self {
            ProductsPriced
            | ProductsWithImages
            | ProductsWithDocuments
            | B2bPrices
            | MarketsShowingPricesAndStock => Dimension::Experience,
            OrdersOnline | StockAutomated | IntegrationsInUse | ShipmentsTracked
            | FeedbackTriaged => Dimension::Operations,
            ProductsWithSpecs | CustomersSegmented | OrderHistory | MaturityTracked
            | ReportsUsed => Dimension::Data,
            StaffRoles | StaffActive => Dimension::Talent,
        }
    }

    /// The capability (FEATURES.md ID) that moves this indicator; none for
    /// the people, whom no software switch moves.
    pub fn capability(self) -> Option<&'static str> {
        use Indicator::*;
        Some(match self {
            ProductsPriced => "C2",
            ProductsWithImages => "C3",
            ProductsWithDocuments => "C8",
            B2bPrices => "P4",
            MarketsShowingPricesAndStock => "S3",
            OrdersOnline => "P6",
            StockAutomated => "S2",
            IntegrationsInUse => "S15",
            ShipmentsTracked => "S4",
            FeedbackTriaged => "M4",
            ProductsWithSpecs => "C4",
            CustomersSegmented => "D3",
            OrderHistory => "D2",
            MaturityTracked => "M1",
            ReportsUsed => "D2",
            StaffRoles | StaffActive => return None,
        })
    }

    /// The value reaching stage 2 and stage 3 (per cent for shares).
    /// Written from the source document: stage 1 has no prices or stock
    /// online, re-keys data by hand, and has one or two people on it.
    pub fn thresholds(self) -> [u64; 2] {
        use Indicator::*;
        match self {
            ProductsPriced => [50, 90],
            ProductsWithImages => [50, 90],
            ProductsWithDocuments => [20, 60],
            // Tier and group prices are stage 2; contract prices, tiers of
            // customers and promotions on top are stage 3.
            B2bPrices => [2, 4],
            MarketsShowingPricesAndStock => [50, 100],
            OrdersOnline => [30, 80],
            StockAutomated => [50, 90],
            // The ERP connected is stage 2; an API architecture with
            // suppliers and partners is stage 3.
            IntegrationsInUse => [1, 3],
            ShipmentsTracked => [50, 90],
            FeedbackTriaged => [50, 90],
            ProductsWithSpecs => [50, 90],
            CustomersSegmented => [30, 80],
            // Months of order history: enough to see what happened, then
            // enough to see seasons and predict.
            OrderHistory => [3, 12],
            MaturityTracked => [1, 2],
            // Days of the last 30 with a dashboard opened: about weekly,
            // then most working days (decisions taken on the figures).
            ReportsUsed => [4, 12],
            StaffRoles => [30, 60],
            StaffActive => [50, 80],
        }
    }

    /// This indicator's measure in `f`.
    pub fn measure(self, f: &PlatformFigures) -> Measure {
        use Indicator::*;
        let share = |part, whole| Measure::Share { part, whole };
        let count = |n| Measure::Count { n };
        match self {
            ProductsPriced => share(f.products_with_price, f.active_products),
            ProductsWithImages => share(f.products_with_image, f.active_products),
            ProductsWithDocuments => share(f.products_with_document, f.active_products),
            B2bPrices => count(f.b2b_price_kinds),
            MarketsShowingPricesAndStock => share(f.markets_showing_prices_and_stock, f.markets),
            OrdersOnline => share(f.recent_orders_online, f.recent_orders),
            StockAutomated => share(f.stock_levels_automated, f.stock_levels),
            IntegrationsInUse => count(f.integrations_in_use),
            ShipmentsTracked => share(f.recent_shipments_tracked, f.recent_shipments),
            FeedbackTriaged => share(f.recent_feedback_triaged, f.recent_feedback),
            ProductsWithSpecs => share(f.products_with_specs, f.active_products),
            CustomersSegmented => share(f.companies_segmented, f.companies),
            OrderHistory => count(f.order_history_months),
            MaturityTracked => count(f.assessments_completed),
            ReportsUsed => count(f.report_days_recent),
            StaffRoles => share(f.staff_with_roles, f.active_staff),
            StaffActive => share(f.staff_signed_in_recently, f.active_staff),
        }
    }

    /// The stage a measure reaches.
    pub fn stage(self, m: Measure) -> Stage {
        let [two, three] = self.thresholds();
        let v = m.value();
        if v >= three {
            Stage::Scale
        } else if v >= two {
            Stage::Standardise
        } else {
            Stage::Adapt
        }
    }
}

/// One indicator's reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub indicator: Indicator,
    pub measure: Measure,
    pub stage: Stage,
    /// The value that reaches the next stage (none at stage 3).
    pub next_at: Option<u64>,
}

/// The measured maturity: every reading, a level per dimension (the mean
/// of its readings' stages) and overall.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasuredMaturity {
    pub readings: Vec<Reading>,
    pub dimensions: Vec<DimensionLevel>,
    pub overall: Level,
    pub overall_stage: Stage,
}

impl MeasuredMaturity {
    /// The level of `d`.
    pub fn of(&self, d: Dimension) -> Option<DimensionLevel> {
        self.dimensions.iter().copied().find(|x| x.dimension == d)
    }

    /// The reading of `i`.
    pub fn reading(&self, i: Indicator) -> Option<Reading> {
        self.readings.iter().copied().find(|r| r.indicator == i)
    }
}

/// Scores the platform's figures.
pub fn measure(f: &PlatformFigures) -> MeasuredMaturity {
    let readings: Vec<Reading> = Indicator::ALL
        .into_iter()
        .map(|i| {
            let measure = i.measure(f);
            let stage = i.stage(measure);
            let [two, three] = i.thresholds();
            let next_at = match stage {
                Stage::Adapt => Some(two),
                Stage::Standardise => Some(three),
                Stage::Scale => None,
            };
            Reading {
                indicator: i,
                measure,
                stage,
                next_at,
            }
        })
        .collect();
    let dimensions: Vec<DimensionLevel> = Dimension::ALL
        .into_iter()
        .filter_map(|d| {
            let stages = readings
                .iter()
                .filter(|r| r.indicator.dimension() == d)
                .map(|r| r.stage);
            Level::mean(stages).map(|l| DimensionLevel::new(d, l))
        })
        .collect();
    let overall = Level::mean_of(dimensions.iter().map(|d| d.level)).unwrap_or(Level(10));
    MeasuredMaturity {
        readings,
        dimensions,
        overall,
        overall_stage: overall.stage(),
    }
}

/// How the self-assessment and the data compare on one dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Within half a stage of each other.
    Agree,
    /// The enterprise rates itself higher than its data shows.
    SelfAhead,
    /// The data shows more than the enterprise credits itself with.
    MeasuredAhead,
}

/// The gap on one dimension, and the readings that explain it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub dimension: Dimension,
    pub self_level: Level,
    pub measured_level: Level,
    pub verdict: Verdict,
    /// When the self-assessment is ahead: the readings below the stage the
    /// enterprise claims, lowest first. When the data is ahead: the
    /// readings above the claimed stage.
    pub explained_by: Vec<Indicator>,
}

/// Compares a self-assessment with the measured maturity, dimension by
/// dimension. Half a stage (5 tenths) or more apart is a gap.
pub fn gaps(own: &SelfAssessment, measured: &MeasuredMaturity) -> Vec<Gap> {
    Dimension::ALL
        .into_iter()
        .filter_map(|d| {
            let s = own.of(d)?;
            let m = measured.of(d)?;
            let diff = i16::from(s.level.0) - i16::from(m.level.0);
            let verdict = match diff {
                5.. => Verdict::SelfAhead,
                ..=-5 => Verdict::MeasuredAhead,
                _ => Verdict::Agree,
            };
            let mut explained: Vec<Reading> = measured
                .readings
                .iter()
                .copied()
                .filter(|r| r.indicator.dimension() == d)
                .filter(|r| match verdict {
                    Verdict::SelfAhead => r.stage < s.stage,
                    Verdict::MeasuredAhead => r.stage > s.stage,
                    Verdict::Agree => false,
                })
                .collect();
            explained.sort_by_key(|r| r.stage);
            Some(Gap {
                dimension: d,
                self_level: s.level,
                measured_level: m.level,
                verdict,
                explained_by: explained.into_iter().map(|r| r.indicator).collect(),
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Roadmap advice (M2)

/// What a roadmap step needs before a market should be switched to it:
/// readings at a stage, cumulative (step 3 needs what step 2 needs).
pub fn step_requirements(step: RoadmapStep) -> Vec<(Indicator, Stage)> {
    use Indicator::*;
    use Stage::*;
    let mut needs = Vec::new();
    if step >= RoadmapStep::OnlineBuying {
        // Buyers can only buy what has a price and a picture, and see stock.
        needs.extend([
            (ProductsPriced, Scale),
            (ProductsWithImages, Standardise),
            (MarketsShowingPricesAndStock, Standardise),
        ]);
    }
    if step >= RoadmapStep::Personalisation {
        // Personal prices and accounts need orders flowing online and
        // customers sorted into groups.
        needs.extend([
            (OrdersOnline, Standardise),
            (B2bPrices, Standardise),
            (CustomersSegmented, Standardise),
        ]);
    }
    if step >= RoadmapStep::Scale {
        // Another market doubles the work unless systems are connected and
        // the team has roles.
        needs.extend([
            (IntegrationsInUse, Standardise),
            (StockAutomated, Standardise),
            (StaffRoles, Standardise),
            (B2bPrices, Scale),
        ]);
    }
    needs
}

/// A requirement not yet met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    pub indicator: Indicator,
    pub needs: Stage,
    pub reading: Reading,
}

/// Advice for one market: the step it is on, the highest step its data
/// supports, and what stands between it and the next step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketAdvice {
    pub market: String,
    pub current: RoadmapStep,
    /// The highest step whose requirements are all met.
    pub ready_for: RoadmapStep,
    /// The step to work towards: the one after `current` (none at step 4).
    pub next: Option<RoadmapStep>,
    /// What `next` still needs, weakest first.
    pub shortfalls: Vec<Shortfall>,
}

impl MarketAdvice {
    /// Whether the market could be switched up a step now.
    pub fn can_advance(&self) -> bool {
        self.ready_for > self.current
    }
}

fn shortfalls(step: RoadmapStep, m: &MeasuredMaturity) -> Vec<Shortfall> {
    let mut out: Vec<Shortfall> = Vec::new();
    for (indicator, needs) in step_requirements(step) {
        let Some(reading) = m.reading(indicator) else {
            continue;
        };
        if reading.stage >= needs {
            continue;
        }
        // A later step may ask more of the same indicator: keep the higher.
        match out.iter_mut().find(|s| s.indicator == indicator) {
            Some(s) if s.needs < needs => s.needs = needs,
            Some(_) => {}
            None => out.push(Shortfall {
                indicator,
                needs,
                reading,
            }),
        }
    }
    out.sort_by_key(|s| (s.reading.stage, s.reading.measure.value()));
    out
}

/// Advises each market (code, current step) from the measured maturity.
pub fn advise(markets: &[(String, RoadmapStep)], m: &MeasuredMaturity) -> Vec<MarketAdvice> {
    let ready_for = RoadmapStep::ALL
        .into_iter()
        .take_while(|s| shortfalls(*s, m).is_empty())
        .last()
        .unwrap_or(RoadmapStep::DigitalCatalog);
    markets
        .iter()
        .map(|(code, current)| {
            let next = RoadmapStep::ALL.into_iter().find(|s| s > current);
            MarketAdvice {
                market: code.clone(),
                current: *current,
                ready_for,
                next,
                shortfalls: next.map(|n| shortfalls(n, m)).unwrap_or_default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(pairs: &[(&str, u8)]) -> Answers {
        pairs
            .iter()
            .map(|(c, s)| (c.to_string(), Stage::try_from(*s).unwrap()))
            .collect()
    }

    fn all(stage: u8) -> Answers {
        QUESTIONS
            .iter()
            .map(|q| (q.code.to_string(), Stage::try_from(stage).unwrap()))
            .collect()
    }

    #[test]
    fn levels_are_means_in_tenths_rounded_half_down() {
        use Stage::*;
        let cases: &[(&[Stage], u8)] = &[
            (&[Adapt], 10),
            (&[Scale, Scale], 30),
            (&[Adapt, Standardise], 15),
            (&[Adapt, Adapt, Standardise], 13),       // 1.333…
            (&[Adapt, Standardise, Standardise], 17), // 1.666…
            (&[Adapt, Scale, Scale, Scale], 25),
            (
                &[
                    Adapt,
                    Adapt,
                    Adapt,
                    Standardise,
                    Standardise,
                    Standardise,
                    Scale,
                    Scale,
                ],
                19,
            ), // 1.875 → 1.9
            (
                &[
                    Adapt,
                    Adapt,
                    Adapt,
                    Adapt,
                    Adapt,
                    Adapt,
                    Adapt,
                    Standardise,
                    Standardise,
                    Standardise,
                    Standardise,
                    Standardise,
                    Standardise,
                    Standardise,
                    Standardise,
                    Scale,
                    Scale,
                    Scale,
                    Scale,
                    Scale,
                ],
                19,
            ), // 1.9 exactly
        ];
        for (stages, tenths) in cases {
            assert_eq!(
                Level::mean(stages.iter().copied()),
                Some(Level(*tenths)),
                "{stages:?}"
            );
        }
        assert_eq!(Level::mean([]), None);
        // 1.25 → 1.2 (half down), 1.35 → 1.3
        assert_eq!(Level::mean_of([Level(10), Level(15)]), Some(Level(12)));
        assert_eq!(Level::mean_of([Level(10), Level(17)]), Some(Level(13)));
        assert_eq!(Level(19).stage(), Stage::Adapt);
        assert_eq!(Level(20).stage(), Stage::Standardise);
        assert_eq!(Level(29).stage(), Stage::Standardise);
        assert_eq!(Level(30).stage(), Stage::Scale);
        assert_eq!(Level(24).display(), "2.4");
    }

    #[test]
    fn every_dimension_has_questions_and_indicators() {
        for d in Dimension::ALL {
            assert!(
                QUESTIONS.iter().filter(|q| q.dimension == d).count() >= 2,
                "{d:?}"
            );
            assert!(
                Indicator::ALL.iter().filter(|i| i.dimension() == d).count() >= 2,
                "{d:?}"
            );
        }
        let mut codes: Vec<_> = QUESTIONS.iter().map(|q| q.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), QUESTIONS.len());
        for i in Indicator::ALL {
            let [two, three] = i.thresholds();
            assert!(0 < two && two < three, "{i:?}");
        }
    }

    #[test]
    fn answers_parse_with_every_error_reported() {
        let ok = parse_answers([("catalog", "2"), ("team", " 3 "), ("pricing", "")]).unwrap();
        assert_eq!(ok, answers(&[("catalog", 2), ("team", 3)]));
        let errs = parse_answers([("catalog", "4"), ("nope", "1"), ("team", "x")]).unwrap_err();
        assert_eq!(errs.len(), 3);
        assert_eq!(errs[1], AnswerError::UnknownQuestion("nope".into()));
    }

    #[test]
    fn a_half_filled_assessment_names_what_is_missing() {
        let open = score(&answers(&[("catalog", 2), ("pricing", 1)])).unwrap_err();
        assert_eq!(open.len(), QUESTIONS.len() - 2);
        assert_eq!(open[0].code, "ordering");
    }

    #[test]
    fn scoring_table() {
        // All answers at one stage give that stage everywhere.
        for n in 1..=3 {
            let r = score(&all(n)).unwrap();
            assert_eq!(r.overall, Level(n * 10));
            assert!(r.dimensions.iter().all(|d| d.stage.number() == n));
        }
        // Mixed: experience 3,3,2,1 → 2.25 → 2.2 (half down); operations
        // 1,1,2 → 1.3; data 2,2,2 → 2.0; talent 1,2 → 1.5; overall
        // (22+13+20+15)/4 = 17.5 → 1.7
        let mut a = all(2);
        a.extend(answers(&[
            ("catalog", 3),
            ("pricing", 3),
            ("ordering", 2),
            ("channels", 1),
            ("integration", 1),
            ("fulfilment", 1),
            ("team", 1),
        ]));
        let r = score(&a).unwrap();
        let levels: Vec<u8> = r.dimensions.iter().map(|d| d.level.0).collect();
        assert_eq!(levels, [22, 13, 20, 15]);
        assert_eq!(r.overall, Level(17));
        assert_eq!(r.overall_stage, Stage::Adapt);
        assert_eq!(
            r.of(Dimension::Experience).unwrap().stage,
            Stage::Standardise
        );
    }

    fn figures() -> PlatformFigures {
        PlatformFigures {
            active_products: 100,
            products_with_price: 95,
            products_with_image: 60,
            products_with_document: 10,
            products_with_specs: 100,
            b2b_price_kinds: 2,
            markets: 2,
            markets_showing_prices_and_stock: 1,
            recent_orders: 10,
            recent_orders_online: 2,
            stock_levels: 0,
            stock_levels_automated: 0,
            integrations_in_use: 0,
            recent_shipments: 4,
            recent_shipments_tracked: 4,
            recent_feedback: 0,
            recent_feedback_triaged: 0,
            companies: 10,
            companies_segmented: 5,
            order_history_months: 4,
            assessments_completed: 0,
            active_staff: 5,
            staff_with_roles: 1,
            staff_signed_in_recently: 5,
            report_days_recent: 4,
        }
    }

    #[test]
    fn indicators_read_thresholds_inclusively() {
        use Indicator::*;
        let m = measure(&figures());
        let stage = |i| m.reading(i).unwrap().stage;
        assert_eq!(stage(ProductsPriced), Stage::Scale); // 95 ≥ 90
        assert_eq!(stage(ProductsWithImages), Stage::Standardise); // 60
        assert_eq!(stage(ProductsWithDocuments), Stage::Adapt); // 10 < 20
        assert_eq!(stage(B2bPrices), Stage::Standardise); // 2
        assert_eq!(stage(MarketsShowingPricesAndStock), Stage::Standardise); // 50
        assert_eq!(stage(OrdersOnline), Stage::Adapt); // 20 < 30
        assert_eq!(stage(StockAutomated), Stage::Adapt); // nothing to share
        assert_eq!(stage(ShipmentsTracked), Stage::Scale);
        assert_eq!(stage(StaffRoles), Stage::Adapt); // 20 %
        assert_eq!(stage(StaffActive), Stage::Scale);
        assert_eq!(stage(ReportsUsed), Stage::Standardise); // 4 days: weekly
        assert_eq!(m.reading(OrdersOnline).unwrap().next_at, Some(30));
        assert_eq!(m.reading(ProductsPriced).unwrap().next_at, None);
        // experience 3,2,1,2,2 → 2.0; operations 1,1,1,3,1 → 1.4;
        // data 3 (specs), 2 (50 % segmented), 2 (4 months), 1, 2 (4 days
        // with dashboards) → 2.0;
        // talent 1,3 → 2.0; overall 7.4/4 = 1.85 → 1.8 (half down)
        let levels: Vec<u8> = m.dimensions.iter().map(|d| d.level.0).collect();
        assert_eq!(levels, [20, 14, 20, 20]);
        assert_eq!(m.overall, Level(18));
        assert_eq!(Measure::Share { part: 1, whole: 3 }.display(), "33 % (1/3)");
        assert_eq!(Measure::Share { part: 0, whole: 0 }.value(), 0);
    }

    #[test]
    fn gaps_are_explained_by_the_readings_that_disagree() {
        let m = measure(&figures());
        let mut a = all(2);
        a.extend(answers(&[
            ("integration", 3),
            ("fulfilment", 3),
            ("process", 3),
        ]));
        let own = score(&a).unwrap();
        let g = gaps(&own, &m);
        assert_eq!(g.len(), 4);
        let ops = &g[1];
        assert_eq!(ops.dimension, Dimension::Operations);
        assert_eq!(ops.verdict, Verdict::SelfAhead); // 3.0 against 1.4
        assert_eq!(
            ops.explained_by,
            [
                Indicator::OrdersOnline,
                Indicator::StockAutomated,
                Indicator::IntegrationsInUse,
                Indicator::FeedbackTriaged
            ]
        );
        assert_eq!(g[0].verdict, Verdict::Agree); // 2.0 and 2.0
        // Claiming stage 1 on data when the data shows 2.0: measured ahead.
        let mut low = all(2);
        low.extend(answers(&[
            ("collection", 1),
            ("analysis", 1),
            ("decisions", 1),
        ]));
        let g = gaps(&score(&low).unwrap(), &m);
        assert_eq!(g[2].verdict, Verdict::MeasuredAhead);
        assert!(g[2].explained_by.contains(&Indicator::ProductsWithSpecs));
    }

    #[test]
    fn advice_names_the_next_step_and_what_it_lacks() {
        let m = measure(&figures());
        let markets = vec![
            ("cn".to_string(), RoadmapStep::DigitalCatalog),
            ("de".to_string(), RoadmapStep::OnlineBuying),
            ("us".to_string(), RoadmapStep::Scale),
        ];
        let advice = advise(&markets, &m);
        // Priced 95 %, images 60 %, half the markets show prices and stock:
        // online buying is supported; personalisation lacks online orders.
        assert_eq!(advice[0].ready_for, RoadmapStep::OnlineBuying);
        assert!(advice[0].can_advance());
        assert_eq!(advice[0].next, Some(RoadmapStep::OnlineBuying));
        assert!(advice[0].shortfalls.is_empty());
        assert!(!advice[1].can_advance());
        assert_eq!(advice[1].next, Some(RoadmapStep::Personalisation));
        let lacking: Vec<Indicator> = advice[1].shortfalls.iter().map(|s| s.indicator).collect();
        assert_eq!(lacking, [Indicator::OrdersOnline]);
        assert_eq!(advice[2].next, None);
        assert!(advice[2].shortfalls.is_empty());
        // Nothing priced: only the digital catalog.
        let bare = measure(&PlatformFigures::default());
        assert_eq!(
            advise(&markets, &bare)[0].ready_for,
            RoadmapStep::DigitalCatalog
        );
    }

    #[test]
    fn later_steps_ask_more_of_an_indicator_without_listing_it_twice() {
        let m = measure(&PlatformFigures::default());
        let s = shortfalls(RoadmapStep::Scale, &m);
        let b2b: Vec<_> = s
            .iter()
            .filter(|x| x.indicator == Indicator::B2bPrices)
            .collect();
        assert_eq!(b2b.len(), 1);
        assert_eq!(b2b[0].needs, Stage::Scale);
    }
}
