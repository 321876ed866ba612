-- The digital-maturity assessment and feedback (M1 M3 M4), kept in step
-- with ../sqlite/0012_maturity_feedback.sql.

-- A self-assessment over the four dimensions (core::maturity). A draft
-- keeps half-given answers; a completed one also keeps its result and the
-- platform's measured maturity at that moment, so progress shows over time
-- even after the questionnaire or the measures change.
CREATE TABLE maturity_assessment (
    assessment_id  UUID PRIMARY KEY,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'complete')),
    answers        JSONB NOT NULL,                 -- JSON {"question_code": stage}
    result         JSONB,                           -- JSON core::maturity::SelfAssessment, when complete
    measured       JSONB,                           -- JSON core::maturity::MeasuredMaturity, when complete
    created_by     UUID NOT NULL REFERENCES app_user (user_id),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    completed_at   TIMESTAMPTZ
);
CREATE INDEX maturity_assessment_by_time ON maturity_assessment (created_at);

-- Feedback left on any page by buyers, staff or visitors (M4): the
-- error-prone steps worth automating. Staff triage it.
CREATE TABLE feedback (
    feedback_id    UUID PRIMARY KEY,
    source         TEXT NOT NULL CHECK (source IN ('buyer', 'staff', 'visitor')),
    kind           TEXT NOT NULL CHECK (kind IN ('problem', 'idea', 'question', 'praise')),
    status         TEXT NOT NULL CHECK (status IN ('new', 'triaged', 'planned', 'done', 'dismissed')),
    message        TEXT NOT NULL,
    page           TEXT NOT NULL,                  -- the path it was left on
    context        JSONB NOT NULL,                  -- JSON: language, market, what the page showed
    user_id        UUID REFERENCES app_user (user_id),
    company_id     UUID REFERENCES company (company_id),
    staff_note     TEXT NOT NULL DEFAULT '',
    triaged_by     UUID REFERENCES app_user (user_id),
    -- Keyed hash of the sender's address: rate limits without keeping the IP.
    client_key     TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX feedback_by_status ON feedback (status, created_at);
CREATE INDEX feedback_by_client ON feedback (client_key, created_at);
