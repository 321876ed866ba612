//! Inquiries from the storefront (P1, P2): a request for quotation, a
//! request for samples, or a plain contact message, sent by a visitor who
//! need not have an account. They are roadmap step 1's way of buying and
//! the start of lead management: staff pick them up, assign them and
//! follow up.
//!
//! [`InquiryForm::parse`] turns what a form or a JSON body carried into an
//! [`Inquiry`] or names every field that is wrong, so a form can show all
//! of them at once and keep what the visitor typed.

use crate::email::Email;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What the visitor asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InquiryKind {
    /// A request for quotation: prices for the listed lines.
    Quote,
    /// A request for samples of the listed SKUs.
    Sample,
    /// A message, optionally about products.
    Contact,
}

impl InquiryKind {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            InquiryKind::Quote => "quote",
            InquiryKind::Sample => "sample",
            InquiryKind::Contact => "contact",
        }
    }

    /// Parses the wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "quote" => Some(InquiryKind::Quote),
            "sample" => Some(InquiryKind::Sample),
            "contact" => Some(InquiryKind::Contact),
            _ => None,
        }
    }

    /// Whether the inquiry is about products, so needs at least one line.
    pub fn needs_items(self) -> bool {
        !matches!(self, InquiryKind::Contact)
    }
}

/// Where staff are with an inquiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InquiryStatus {
    /// Nobody has looked at it yet.
    New,
    /// A sales rep is working on it.
    InProgress,
    /// Answered: a quote or samples went out, or the question was answered.
    Answered,
    /// Nothing more to do (won, lost or spam).
    Closed,
}

impl InquiryStatus {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            InquiryStatus::New => "new",
            InquiryStatus::InProgress => "in_progress",
            InquiryStatus::Answered => "answered",
            InquiryStatus::Closed => "closed",
        }
    }

    /// Parses the wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "new" => Some(InquiryStatus::New),
            "in_progress" => Some(InquiryStatus::InProgress),
            "answered" => Some(InquiryStatus::Answered),
            "closed" => Some(InquiryStatus::Closed),
            _ => None,
        }
    }

    /// Every status, in workflow order.
    pub const ALL: [InquiryStatus; 4] = [
        InquiryStatus::New,
        InquiryStatus::InProgress,
        InquiryStatus::Answered,
        InquiryStatus::Closed,
    ];
}

/// One product line of an inquiry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryItem {
    pub sku: String,
    pub quantity: Decimal,
}

/// A checked inquiry, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inquiry {
    pub kind: InquiryKind,
    pub name: String,
    pub company: String,
    pub email: Email,
    pub phone: Option<String>,
    pub message: String,
    pub items: Vec<InquiryItem>,
}

/// What a form or JSON body carried, unchecked. Quantities stay text so a
/// form that typed `abc` can be shown again as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct InquiryForm {
    pub kind: String,
    pub name: String,
    pub company: String,
    pub email: String,
    pub phone: Option<String>,
    pub message: String,
    /// `(sku, quantity)` as typed.
    pub items: Vec<(String, String)>,
}

/// A field that is wrong, with a stable code and an English explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InquiryProblem {
    /// `name`, `email`, `items[2].quantity`, ….
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

/// Limits that keep one inquiry reasonable to read and store.
pub const MAX_ITEMS: usize = 200;
pub const MAX_TEXT: usize = 200;
pub const MAX_MESSAGE: usize = 5000;
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

impl InquiryForm {
    /// Checks every field and gives the inquiry, or every problem found.
    /// Blank item rows (both cells empty) are ignored: forms offer spare rows.
    pub fn parse(&self) -> Result<Inquiry, Vec<InquiryProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field: String, code: &'static str, message: String| {
            problems.push(InquiryProblem {
                field,
                code,
                message,
            });
        };
        let kind = InquiryKind::parse(&self.kind);
        if kind.is_none() {
            problem(
                "kind".into(),
                "unknown_kind",
                "kind is one of quote, sample, contact".into(),
            );
        }
        let mut text = |field: &str, raw: &str, required: bool, max: usize| -> String {
            let v = raw.trim();
            if required && v.is_empty() {
                problem(field.into(), "required", format!("{field} is required"));
            } else if v.chars().count() > max {
                problem(
                    field.into(),
                    "too_long",
                    format!("{field} is at most {max} characters"),
                );
            } else if v.chars().any(|c| {
                c.is_control() && !(field == "message" && (c == '\n' || c == '\r' || c == '\t'))
            }) {
                problem(
                    field.into(),
                    "bad_character",
                    format!("{field} contains control characters"),
                );
            }
            v.to_string()
        };
        let name = text("name", &self.name, true, MAX_TEXT);
        let company = text("company", &self.company, true, MAX_TEXT);
        let message = text(
            "message",
            &self.message,
            kind == Some(InquiryKind::Contact),
            MAX_MESSAGE,
        );
        let phone = self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string);
        if let Some(p) = &phone
            && (p.chars().count() > 40
                || !p
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
                || !p.chars().any(|c| c.is_ascii_digit()))
        {
            problem(
                "phone".into(),
                "invalid_phone",
                "phone has digits, spaces and + - ( ) . / only, at most 40".into(),
            );
        }
        let email = match Email::parse(&self.email) {
            Ok(e) => Some(e),
            Err(e) => {
                problem("email".into(), "invalid_email", e.to_string());
                None
            }
        };
        let rows: Vec<(usize, &(String, String))> = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, (s, q))| !(s.trim().is_empty() && q.trim().is_empty()))
            .collect();
        if rows.len() > MAX_ITEMS {
            problem(
                "items".into(),
                "too_many_items",
                format!("at most {MAX_ITEMS} lines"),
            );
        }
        if kind.is_some_and(InquiryKind::needs_items) && rows.is_empty() {
            problem(
                "items".into(),
                "required",
                "name at least one product and quantity".into(),
            );
        }
        let mut items: Vec<InquiryItem> = Vec::with_capacity(rows.len());
        for (i, (sku, qty)) in rows {
            let sku = sku.trim();
            if sku.is_empty() || sku.chars().count() > 64 {
                problem(
                    format!("items[{i}].sku"),
                    "required",
                    "each line names a part number (at most 64 characters)".into(),
                );
            }
            let quantity = match qty.trim().parse::<Decimal>() {
                Ok(q) if q > Decimal::ZERO && q <= MAX_QUANTITY && q.scale() <= 4 => {
                    Some(q.normalize())
                }
                _ => {
                    problem(
                        format!("items[{i}].quantity"),
                        "invalid_quantity",
                        "quantity is a number above 0 and at most 1,000,000, with up to 4 decimals"
                            .into(),
                    );
                    None
                }
            };
            if let Some(q) = quantity {
                // The same SKU twice is one line with the quantities added.
                match items.iter_mut().find(|it| it.sku.eq_ignore_ascii_case(sku)) {
                    Some(it) => it.quantity = (it.quantity + q).min(MAX_QUANTITY),
                    None => items.push(InquiryItem {
                        sku: sku.to_string(),
                        quantity: q,
                    }),
                }
            }
        }
        match (kind, email) {
            (Some(kind), Some(email)) if problems.is_empty() => Ok(Inquiry {
                kind,
                name,
                company,
                email,
                phone,
                message,
                items,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn form() -> InquiryForm {
        InquiryForm {
            kind: "quote".into(),
            name: "Li Wei".into(),
            company: "Acme Machinery".into(),
            email: "li.wei@acme.example".into(),
            phone: Some("+86 21 5555-0100".into()),
            message: "For project 42".into(),
            items: vec![
                ("HB-M8X20".into(), "500".into()),
                (String::new(), String::new()),
                ("hb-m8x20".into(), "100".into()),
            ],
        }
    }

    #[test]
    fn a_good_quote_request_parses_and_merges_repeated_skus() {
        let i = form().parse().unwrap();
        assert_eq!(i.kind, InquiryKind::Quote);
        assert_eq!(i.email.as_str(), "li.wei@acme.example");
        assert_eq!(i.items.len(), 1);
        assert_eq!(i.items[0].quantity, Decimal::from(600));
    }

    #[test]
    fn every_problem_is_named() {
        let f = InquiryForm {
            kind: "bribe".into(),
            name: " ".into(),
            email: "nobody".into(),
            phone: Some("call me".into()),
            items: vec![("".into(), "5".into()), ("X".into(), "-1".into())],
            ..form()
        };
        let fields: Vec<String> = f
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "kind",
                "name",
                "phone",
                "email",
                "items[0].sku",
                "items[1].quantity"
            ]
        );
    }

    #[test]
    fn quotes_and_samples_need_lines_contact_needs_a_message() {
        let f = InquiryForm {
            kind: "sample".into(),
            items: vec![],
            ..form()
        };
        assert_eq!(f.parse().unwrap_err()[0].field, "items");
        let f = InquiryForm {
            kind: "contact".into(),
            message: String::new(),
            items: vec![],
            ..form()
        };
        assert_eq!(f.parse().unwrap_err()[0].field, "message");
        let f = InquiryForm {
            kind: "contact".into(),
            items: vec![],
            ..form()
        };
        assert!(f.parse().is_ok());
    }

    proptest! {
        /// Whatever is typed, parsing answers (never panics), and a parsed
        /// inquiry stays within the limits.
        #[test]
        fn parsing_never_panics(kind in ".{0,12}", name in ".{0,300}", email in ".{0,60}",
                                phone in proptest::option::of(".{0,50}"), message in ".{0,100}",
                                items in proptest::collection::vec((".{0,70}", ".{0,20}"), 0..5)) {
            let f = InquiryForm { kind, name, company: "C".into(), email, phone, message, items };
            if let Ok(i) = f.parse() {
                prop_assert!(i.name.chars().count() <= MAX_TEXT);
                prop_assert!(i.items.iter().all(|it| it.quantity > Decimal::ZERO && it.quantity <= MAX_QUANTITY));
            }
        }
    }
}
