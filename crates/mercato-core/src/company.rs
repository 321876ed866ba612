//! Companies (B2B customer accounts), their buyers' roles, and the one rule
//! that says what a company user may do: [`company_allows`].

use crate::country::CountryCode;
use crate::role::Permission;
use serde::{Deserialize, Serialize};

/// A buyer's role inside their company (DESIGN.md §7). A user may hold
/// several; they add up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompanyRole {
    /// Manages the company's users, units, addresses and tokens; also buys.
    Admin,
    /// Places orders.
    Buyer,
    /// Approves orders that need approval; also buys.
    Approver,
    /// Sees orders and documents only.
    Viewer,
}

impl CompanyRole {
    /// Every role, in display order.
    pub const ALL: [CompanyRole; 4] = [
        CompanyRole::Admin,
        CompanyRole::Buyer,
        CompanyRole::Approver,
        CompanyRole::Viewer,
    ];

    /// The stable code used in the API and database.
    pub fn code(self) -> &'static str {
        match self {
            CompanyRole::Admin => "admin",
            CompanyRole::Buyer => "buyer",
            CompanyRole::Approver => "approver",
            CompanyRole::Viewer => "viewer",
        }
    }

    /// Parses a role code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    /// The codes, for error messages.
    pub fn codes() -> String {
        Self::ALL.map(Self::code).join(", ")
    }

    /// What this role may do.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            CompanyRole::Admin => &[
                ViewCompany,
                ManageCompanyUsers,
                ManageCompanyAccount,
                ManageApiTokens,
                PlaceOrders,
                ViewOrders,
            ],
            CompanyRole::Buyer => &[ViewCompany, PlaceOrders, ViewOrders],
            CompanyRole::Approver => &[ViewCompany, PlaceOrders, ViewOrders, ApproveOrders],
            CompanyRole::Viewer => &[ViewCompany, ViewOrders],
        }
    }
}

/// A non-empty set of company roles, sorted and without repeats.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CompanyRoles(Vec<CompanyRole>);

/// Why a list of role codes is not a valid set of company roles.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompanyRolesError {
    #[error("give at least one role ({})", CompanyRole::codes())]
    Empty,
    #[error("unknown role {0:?}; use {roles}", roles = CompanyRole::codes())]
    Unknown(String),
}

impl CompanyRoles {
    /// Parses role codes; repeats are dropped.
    pub fn parse<S: AsRef<str>>(codes: &[S]) -> Result<Self, CompanyRolesError> {
        let mut roles = Vec::with_capacity(codes.len());
        for c in codes {
            let r = CompanyRole::parse(c.as_ref())
                .ok_or_else(|| CompanyRolesError::Unknown(c.as_ref().to_string()))?;
            roles.push(r);
        }
        Self::from_roles(roles).ok_or(CompanyRolesError::Empty)
    }

    /// The set of `roles`, or `None` when empty.
    pub fn from_roles(mut roles: Vec<CompanyRole>) -> Option<Self> {
        roles.sort();
        roles.dedup();
        (!roles.is_empty()).then_some(Self(roles))
    }

    /// One role.
    pub fn one(role: CompanyRole) -> Self {
        Self(vec![role])
    }

    /// The roles.
    pub fn roles(&self) -> &[CompanyRole] {
        &self.0
    }

    /// Whether `role` is among them.
    pub fn contains(&self, role: CompanyRole) -> bool {
        self.0.contains(&role)
    }

    /// Space-separated codes, as stored.
    pub fn to_codes(&self) -> String {
        self.0
            .iter()
            .map(|r| r.code())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether any role grants `p`.
    pub fn grant(&self, p: Permission) -> bool {
        self.0.iter().any(|r| r.permissions().contains(&p))
    }

    /// Every permission the roles grant, without repeats.
    pub fn permissions(&self) -> Vec<Permission> {
        let mut out: Vec<Permission> = Vec::new();
        for r in &self.0 {
            for p in r.permissions() {
                if !out.contains(p) {
                    out.push(*p);
                }
            }
        }
        out
    }
}

/// Where a company stands with the seller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompanyStatus {
    /// Registered itself; staff have not approved it yet. May set up its
    /// account but not order.
    Pending,
    Active,
    /// Suspended by staff (unpaid invoices, a dispute): may read, not write.
    OnHold,
}

impl CompanyStatus {
    /// Every status.
    pub const ALL: [CompanyStatus; 3] = [
        CompanyStatus::Pending,
        CompanyStatus::Active,
        CompanyStatus::OnHold,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            CompanyStatus::Pending => "pending",
            CompanyStatus::Active => "active",
            CompanyStatus::OnHold => "on_hold",
        }
    }

    /// Parses a status code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}

/// Why a company user may not do something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompanyDenial {
    #[error("none of your company roles allows this")]
    Role,
    #[error("your company's account is on hold; contact your sales representative")]
    OnHold,
    #[error("your company's account is awaiting approval")]
    Pending,
}

/// The one rule for company users: the roles must grant `p`; a company on
/// hold may only read; a pending company may set up its account but not
/// order or approve.
pub fn company_allows(
    roles: &CompanyRoles,
    status: CompanyStatus,
    p: Permission,
) -> Result<(), CompanyDenial> {
    if !roles.grant(p) {
        return Err(CompanyDenial::Role);
    }
    match status {
        CompanyStatus::Active => Ok(()),
        CompanyStatus::OnHold if p.is_write() => Err(CompanyDenial::OnHold),
        CompanyStatus::Pending
            if matches!(p, Permission::PlaceOrders | Permission::ApproveOrders) =>
        {
            Err(CompanyDenial::Pending)
        }
        _ => Ok(()),
    }
}

/// A customer tier code (`gold`, `tier-2`): prices can depend on it.
pub fn parse_code(raw: &str) -> Option<String> {
    let s = raw.trim().to_lowercase();
    let ok = !s.is_empty()
        && s.len() <= 40
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then_some(s)
}

/// A postal address as a buyer enters it. Validated field by field so a
/// form can show every mistake at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress {
    pub label: Option<String>,
    pub recipient: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: CountryCode,
    pub phone: Option<String>,
}

/// The raw fields of an address.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AddressInput {
    pub label: Option<String>,
    pub recipient: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    pub phone: Option<String>,
}

/// One wrong field: `(field, code, message)`.
pub type FieldProblem = (&'static str, &'static str, String);

impl PostalAddress {
    /// Validates every field; returns all problems at once.
    pub fn parse(input: AddressInput) -> Result<Self, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut required = |field: &'static str, v: String, max: usize| -> String {
            let v = v.trim().to_string();
            if v.is_empty() {
                problems.push((field, "required", format!("{field} is required")));
            } else if v.chars().count() > max {
                problems.push((
                    field,
                    "too_long",
                    format!("{field} must be at most {max} characters"),
                ));
            }
            v
        };
        let recipient = required("recipient", input.recipient, 200);
        let line1 = required("line1", input.line1, 200);
        let city = required("city", input.city, 100);
        let postal_code = required("postal_code", input.postal_code, 20);
        let mut optional = |field: &'static str, v: Option<String>, max: usize| {
            let v = v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            if v.as_ref().is_some_and(|s| s.chars().count() > max) {
                problems.push((
                    field,
                    "too_long",
                    format!("{field} must be at most {max} characters"),
                ));
            }
            v
        };
        let label = optional("label", input.label, 100);
        let line2 = optional("line2", input.line2, 200);
        let region = optional("region", input.region, 100);
        let phone = optional("phone", input.phone, 40);
        if phone.as_ref().is_some_and(|p| {
            !p.chars()
                .all(|c| c.is_ascii_digit() || " +-()/.".contains(c))
        }) {
            problems.push((
                "phone",
                "invalid_phone",
                "phone may hold digits, spaces and + - ( ) / . only".into(),
            ));
        }
        let country = match CountryCode::parse(&input.country) {
            Ok(c) => Some(c),
            Err(e) => {
                problems.push(("country", "invalid_country", e.to_string()));
                None
            }
        };
        match country {
            Some(country) if problems.is_empty() => Ok(PostalAddress {
                label,
                recipient,
                line1,
                line2,
                city,
                region,
                postal_code,
                country,
                phone,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    #[test]
    fn roles_parse_sort_and_dedupe() {
        let r = CompanyRoles::parse(&["viewer", "admin", "viewer"]).ok();
        assert_eq!(
            r.as_ref().map(|r| r.to_codes()),
            Some("admin viewer".to_string())
        );
        assert_eq!(
            CompanyRoles::parse::<&str>(&[]),
            Err(CompanyRolesError::Empty)
        );
        assert!(matches!(
            CompanyRoles::parse(&["owner"]),
            Err(CompanyRolesError::Unknown(_))
        ));
    }

    #[test]
    fn the_permission_table() {
        let viewer = CompanyRoles::one(CompanyRole::Viewer);
        let buyer = CompanyRoles::one(CompanyRole::Buyer);
        let admin = CompanyRoles::one(CompanyRole::Admin);
        let active = CompanyStatus::Active;
        assert_eq!(company_allows(&viewer, active, ViewOrders), Ok(()));
        assert_eq!(
            company_allows(&viewer, active, PlaceOrders),
            Err(CompanyDenial::Role)
        );
        assert_eq!(
            company_allows(&buyer, active, ManageCompanyUsers),
            Err(CompanyDenial::Role)
        );
        assert_eq!(company_allows(&admin, active, ManageCompanyUsers), Ok(()));
        // No company role reaches into the back office.
        for r in CompanyRole::ALL {
            for p in [
                AccessBackOffice,
                ManageCatalog,
                ManageCompanies,
                ManageStaff,
            ] {
                assert!(!r.permissions().contains(&p), "{r:?} {p:?}");
            }
        }
    }

    #[test]
    fn on_hold_reads_only_and_pending_cannot_order() {
        let admin = CompanyRoles::one(CompanyRole::Admin);
        assert_eq!(
            company_allows(&admin, CompanyStatus::OnHold, ManageCompanyAccount),
            Err(CompanyDenial::OnHold)
        );
        assert_eq!(
            company_allows(&admin, CompanyStatus::OnHold, ViewCompany),
            Ok(())
        );
        assert_eq!(
            company_allows(&admin, CompanyStatus::Pending, ManageCompanyUsers),
            Ok(())
        );
        assert_eq!(
            company_allows(&admin, CompanyStatus::Pending, PlaceOrders),
            Err(CompanyDenial::Pending)
        );
    }

    #[test]
    fn addresses_report_every_problem() {
        let bad = PostalAddress::parse(AddressInput {
            recipient: " ".into(),
            country: "XX".into(),
            phone: Some("call me".into()),
            ..Default::default()
        });
        let fields: Vec<&str> = bad.err().unwrap_or_default().iter().map(|p| p.0).collect();
        assert_eq!(
            fields,
            [
                "recipient",
                "line1",
                "city",
                "postal_code",
                "phone",
                "country"
            ]
        );
        let ok = PostalAddress::parse(AddressInput {
            recipient: "Receiving dock 3".into(),
            line1: "Industriestr. 5".into(),
            city: "Stuttgart".into(),
            postal_code: "70565".into(),
            country: "de".into(),
            line2: Some("  ".into()),
            ..Default::default()
        });
        let ok = ok.ok();
        assert_eq!(ok.as_ref().map(|a| a.country.as_str()), Some("DE"));
        assert_eq!(ok.and_then(|a| a.line2), None);
    }

    #[test]
    fn tier_codes() {
        assert_eq!(parse_code(" Gold "), Some("gold".into()));
        assert_eq!(parse_code("a b"), None);
        assert_eq!(parse_code(""), None);
    }
}
