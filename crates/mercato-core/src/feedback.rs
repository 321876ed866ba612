//! Feedback left on any page by buyers, staff or visitors (M4): the
//! error-prone steps worth automating. Staff triage it, and the maturity
//! assessment counts how much was collected and how much was looked at.
//!
//! [`FeedbackForm::parse`] turns what a form carried into [`Feedback`] or
//! names every field that is wrong, so the form can show them all and keep
//! what was typed. [`FeedbackStatus::may_become`] is the whole triage rule.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the sender says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackKind {
    /// Something went wrong or was hard: the signal M4 is after.
    Problem,
    /// A suggestion.
    Idea,
    /// The sender did not know how to do something.
    Question,
    /// Something works well (worth keeping when automating).
    Praise,
}

impl FeedbackKind {
    /// Every kind, in the order forms offer them.
    pub const ALL: [FeedbackKind; 4] = [
        FeedbackKind::Problem,
        FeedbackKind::Idea,
        FeedbackKind::Question,
        FeedbackKind::Praise,
    ];

    /// The stored and wire name.
    pub fn code(self) -> &'static str {
        match self {
            FeedbackKind::Problem => "problem",
            FeedbackKind::Idea => "idea",
            FeedbackKind::Question => "question",
            FeedbackKind::Praise => "praise",
        }
    }

    /// Parses the wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        Self::ALL.into_iter().find(|k| k.code() == raw)
    }
}

/// Where staff are with a piece of feedback.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackStatus {
    /// Nobody has looked at it yet.
    New,
    /// Read and understood; no decision yet.
    Triaged,
    /// Worth doing: on the list.
    Planned,
    /// Done (fixed, automated, or answered).
    Done,
    /// Not acted on (duplicate, spam, out of scope).
    Dismissed,
}

impl FeedbackStatus {
    /// Every status, in workflow order.
    pub const ALL: [FeedbackStatus; 5] = [
        FeedbackStatus::New,
        FeedbackStatus::Triaged,
        FeedbackStatus::Planned,
        FeedbackStatus::Done,
        FeedbackStatus::Dismissed,
    ];

    /// The statuses staff may set (every one but `new`), for triage forms.
    pub const TRIAGE: [FeedbackStatus; 4] = [
        FeedbackStatus::Triaged,
        FeedbackStatus::Planned,
        FeedbackStatus::Done,
        FeedbackStatus::Dismissed,
    ];

    /// The stored and wire name.
    pub fn code(self) -> &'static str {
        match self {
            FeedbackStatus::New => "new",
            FeedbackStatus::Triaged => "triaged",
            FeedbackStatus::Planned => "planned",
            FeedbackStatus::Done => "done",
            FeedbackStatus::Dismissed => "dismissed",
        }
    }

    /// Parses the wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        Self::ALL.into_iter().find(|s| s.code() == raw)
    }

    /// Whether staff may move feedback that is `self` to `to`.
    ///
    /// Any status may follow any other (a dismissed idea can be planned
    /// after all, a done one reopened), and keeping the status while
    /// changing the note is fine; but nothing goes back to `new`. `new`
    /// means "nobody has looked at it": once someone has, saying otherwise
    /// would hide it from the share of triaged feedback the maturity
    /// assessment measures.
    pub fn may_become(self, to: FeedbackStatus) -> bool {
        to != FeedbackStatus::New
    }

    /// Whether someone has looked at it (every status but `new`).
    pub fn is_triaged(self) -> bool {
        self != FeedbackStatus::New
    }
}

/// Who left the feedback, by how they were signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackSource {
    /// A user of a customer company.
    Buyer,
    /// A back-office user.
    Staff,
    /// Anyone without an account (or without a company or staff role).
    Visitor,
}

impl FeedbackSource {
    /// Every source.
    pub const ALL: [FeedbackSource; 3] = [
        FeedbackSource::Buyer,
        FeedbackSource::Staff,
        FeedbackSource::Visitor,
    ];

    /// The stored and wire name.
    pub fn code(self) -> &'static str {
        match self {
            FeedbackSource::Buyer => "buyer",
            FeedbackSource::Staff => "staff",
            FeedbackSource::Visitor => "visitor",
        }
    }

    /// Parses the wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        Self::ALL.into_iter().find(|s| s.code() == raw)
    }
}

/// What the page showed when the feedback was left, kept with it. Never
/// the sender's address: rate limits use a keyed hash stored apart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedbackContext {
    /// The UI language (`zh-CN`, `en`).
    pub lang: String,
    /// The market code the page was shown in.
    pub market: Option<String>,
    /// Whether the sender was signed in.
    pub signed_in: bool,
}

/// A checked piece of feedback, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feedback {
    pub kind: FeedbackKind,
    /// Trimmed, 1 to [`MAX_MESSAGE`] characters.
    pub message: String,
    /// A path on this site (`/p/bolt?x=1`), at most [`MAX_PAGE`] characters.
    pub page: String,
}

/// What a form carried, unchecked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub page: String,
}

/// A field that is wrong, with a stable code and an English explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackProblem {
    /// `kind`, `message` or `page`.
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

/// Longest message, in characters: enough for a careful description,
/// short enough to read in the triage list.
pub const MAX_MESSAGE: usize = 4000;
/// Longest page path, in characters (the column holds what a URL bar shows).
pub const MAX_PAGE: usize = 500;

/// Whether `raw` is a path on this site: one leading `/`, not `//` or
/// `/\` (browsers read those as another host, so a link to it could lead
/// staff off-site), no whitespace or control characters, at most
/// [`MAX_PAGE`] characters.
pub fn is_site_path(raw: &str) -> bool {
    let mut chars = raw.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !raw.chars().any(|c| c.is_control() || c.is_whitespace())
        && raw.chars().count() <= MAX_PAGE
}

impl FeedbackForm {
    /// Checks every field and gives the feedback, or every problem found.
    pub fn parse(&self) -> Result<Feedback, Vec<FeedbackProblem>> {
        let mut problems = Vec::new();
        let kind = match self.kind.trim() {
            "" => {
                problems.push(FeedbackProblem {
                    field: "kind",
                    code: "required",
                    message: "kind is required".into(),
                });
                None
            }
            raw => {
                let kind = FeedbackKind::parse(raw);
                if kind.is_none() {
                    problems.push(FeedbackProblem {
                        field: "kind",
                        code: "unknown_kind",
                        message: "kind is one of problem, idea, question, praise".into(),
                    });
                }
                kind
            }
        };
        let message = self.message.trim();
        if message.is_empty() {
            problems.push(FeedbackProblem {
                field: "message",
                code: "required",
                message: "message is required".into(),
            });
        } else if message.chars().count() > MAX_MESSAGE {
            problems.push(FeedbackProblem {
                field: "message",
                code: "too_long",
                message: format!("message is at most {MAX_MESSAGE} characters"),
            });
        } else if message
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            problems.push(FeedbackProblem {
                field: "message",
                code: "bad_character",
                message: "message contains control characters".into(),
            });
        }
        let page = self.page.trim();
        if page.is_empty() {
            problems.push(FeedbackProblem {
                field: "page",
                code: "required",
                message: "page is required".into(),
            });
        } else if !is_site_path(page) {
            problems.push(FeedbackProblem {
                field: "page",
                code: "invalid_page",
                message: format!(
                    "page is a path on this site starting with one /, at most {MAX_PAGE} characters"
                ),
            });
        }
        match kind {
            Some(kind) if problems.is_empty() => Ok(Feedback {
                kind,
                message: message.to_string(),
                page: page.to_string(),
            }),
            _ => Err(problems),
        }
    }
}

/// How much feedback there is, by status and by source (the maturity
/// assessment's measure: how much was collected, what share was looked at).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackCounts {
    /// Every status with its count (absent: none).
    pub by_status: BTreeMap<FeedbackStatus, u64>,
    /// Every source with its count (absent: none).
    pub by_source: BTreeMap<FeedbackSource, u64>,
}

impl FeedbackCounts {
    /// Adds `n` pieces of feedback with this status and source.
    pub fn add(&mut self, status: FeedbackStatus, source: FeedbackSource, n: u64) {
        *self.by_status.entry(status).or_default() += n;
        *self.by_source.entry(source).or_default() += n;
    }

    /// How many have `status`.
    pub fn status(&self, status: FeedbackStatus) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }

    /// How many came from `source`.
    pub fn source(&self, source: FeedbackSource) -> u64 {
        self.by_source.get(&source).copied().unwrap_or(0)
    }

    /// How many in all.
    pub fn total(&self) -> u64 {
        self.by_status.values().sum()
    }

    /// How many someone has looked at (status other than `new`).
    pub fn triaged(&self) -> u64 {
        self.by_status
            .iter()
            .filter(|(s, _)| s.is_triaged())
            .map(|(_, n)| n)
            .sum()
    }

    /// The share looked at, 0.0 to 1.0; `None` when there is no feedback
    /// (nothing collected is not the same as nothing triaged).
    pub fn triaged_share(&self) -> Option<f64> {
        let total = self.total();
        // Counts stay far below 2^52, so the division is exact enough.
        (total > 0).then(|| self.triaged() as f64 / total as f64)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn form() -> FeedbackForm {
        FeedbackForm {
            kind: "problem".into(),
            message: "  The quick order form lost my lines.\n  ".into(),
            page: "/cart?tab=quick".into(),
        }
    }

    #[test]
    fn codes_round_trip() {
        for k in FeedbackKind::ALL {
            assert_eq!(FeedbackKind::parse(k.code()), Some(k));
        }
        for s in FeedbackStatus::ALL {
            assert_eq!(FeedbackStatus::parse(s.code()), Some(s));
        }
        for s in FeedbackSource::ALL {
            assert_eq!(FeedbackSource::parse(s.code()), Some(s));
        }
        assert_eq!(FeedbackKind::parse("complaint"), None);
        assert_eq!(FeedbackStatus::parse("open"), None);
        assert_eq!(FeedbackSource::parse(""), None);
        assert_eq!(
            serde_json::to_value(FeedbackStatus::Dismissed).unwrap(),
            "dismissed"
        );
    }

    #[test]
    fn good_feedback_parses_trimmed() {
        let f = form().parse().unwrap();
        assert_eq!(f.kind, FeedbackKind::Problem);
        assert_eq!(f.message, "The quick order form lost my lines.");
        assert_eq!(f.page, "/cart?tab=quick");
    }

    #[test]
    fn every_problem_is_named() {
        let f = FeedbackForm {
            kind: "rant".into(),
            message: " \n ".into(),
            page: "//evil.example/".into(),
        };
        let got: Vec<(&str, &str)> = f
            .parse()
            .unwrap_err()
            .iter()
            .map(|p| (p.field, p.code))
            .collect();
        assert_eq!(
            got,
            [
                ("kind", "unknown_kind"),
                ("message", "required"),
                ("page", "invalid_page")
            ]
        );
        let empty = FeedbackForm::default().parse().unwrap_err();
        assert!(empty.iter().all(|p| p.code == "required") && empty.len() == 3);
    }

    #[test]
    fn message_limits() {
        let at_limit = FeedbackForm {
            message: "字".repeat(MAX_MESSAGE),
            ..form()
        };
        assert!(at_limit.parse().is_ok(), "the limit counts characters");
        let over = FeedbackForm {
            message: "a".repeat(MAX_MESSAGE + 1),
            ..form()
        };
        assert_eq!(over.parse().unwrap_err()[0].code, "too_long");
        let control = FeedbackForm {
            message: "bell\u{7}".into(),
            ..form()
        };
        assert_eq!(control.parse().unwrap_err()[0].code, "bad_character");
        let lines = FeedbackForm {
            message: "one\r\n\ttwo".into(),
            ..form()
        };
        assert!(lines.parse().is_ok());
    }

    #[test]
    fn only_paths_on_this_site_are_pages() {
        for good in [
            "/",
            "/p/hb-m8x20",
            "/search?q=bolt&page=2",
            "/admin/orders/x",
        ] {
            assert!(is_site_path(good), "{good}");
        }
        let long = format!("/{}", "a".repeat(MAX_PAGE));
        for bad in [
            "",
            "p/x",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/a b",
            "/a\nb",
            long.as_str(),
        ] {
            assert!(!is_site_path(bad), "{bad:?}");
        }
        let at_limit = format!("/{}", "a".repeat(MAX_PAGE - 1));
        assert!(is_site_path(&at_limit));
    }

    #[test]
    fn staff_may_move_feedback_anywhere_but_back_to_new() {
        for from in FeedbackStatus::ALL {
            for to in FeedbackStatus::ALL {
                assert_eq!(
                    from.may_become(to),
                    to != FeedbackStatus::New,
                    "{from:?} → {to:?}"
                );
            }
        }
        assert!(FeedbackStatus::Dismissed.may_become(FeedbackStatus::Planned));
        assert!(FeedbackStatus::Triaged.may_become(FeedbackStatus::Triaged));
        assert!(!FeedbackStatus::New.may_become(FeedbackStatus::New));
        assert!(FeedbackStatus::TRIAGE.iter().all(|s| s.is_triaged()));
    }

    #[test]
    fn counts_add_up() {
        let mut c = FeedbackCounts::default();
        assert_eq!(c.triaged_share(), None);
        c.add(FeedbackStatus::New, FeedbackSource::Visitor, 3);
        c.add(FeedbackStatus::Triaged, FeedbackSource::Buyer, 1);
        c.add(FeedbackStatus::Done, FeedbackSource::Buyer, 2);
        c.add(FeedbackStatus::New, FeedbackSource::Staff, 2);
        assert_eq!(c.total(), 8);
        assert_eq!(c.triaged(), 3);
        assert_eq!(c.status(FeedbackStatus::New), 5);
        assert_eq!(c.status(FeedbackStatus::Planned), 0);
        assert_eq!(c.source(FeedbackSource::Buyer), 3);
        assert_eq!(c.triaged_share(), Some(0.375));
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["by_status"]["new"], 5);
        assert_eq!(json["by_source"]["visitor"], 3);
    }

    proptest! {
        /// Whatever is typed, parsing answers (never panics), and parsed
        /// feedback stays within the limits.
        #[test]
        fn parsing_never_panics(kind in ".{0,12}", message in ".{0,80}", page in ".{0,40}") {
            let f = FeedbackForm { kind, message, page };
            if let Ok(fb) = f.parse() {
                prop_assert!(!fb.message.is_empty() && fb.message.chars().count() <= MAX_MESSAGE);
                prop_assert!(is_site_path(&fb.page));
            }
        }
    }
}
