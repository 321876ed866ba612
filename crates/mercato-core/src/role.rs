//! Staff roles and what each may do; the permissions both staff and
//! company roles ([`crate::company::CompanyRole`]) grant.

use serde::{Deserialize, Serialize};

/// A staff member's role in the back office (DESIGN.md §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Admin,
    Catalog,
    SalesRep,
    Warehouse,
    Finance,
}

/// Something a signed-in user may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Open the back office at all.
    AccessBackOffice,
    /// Create and change staff users and their roles.
    ManageStaff,
    /// Read the audit log.
    ReadAuditLog,
    /// Create API tokens for integrations.
    ManageApiTokens,
    ManageCatalog,
    ManageCompanies,
    ManageOrders,
    ManageStock,
    ManageFinance,
    /// Price lists, tiers, contract prices; the price explainer.
    ManagePrices,
    /// Inquiries from the storefront (RFQs, samples, contact): read,
    /// assign, follow up.
    ManageInquiries,
    /// Markets and their roadmap step, the maturity assessment: how the
    /// enterprise runs the platform.
    ManageSettings,
    /// Company users: read their own company, its users, units and addresses.
    ViewCompany,
    /// Company admins: invite users and change their roles.
    ManageCompanyUsers,
    /// Company admins: the company profile, business units and addresses.
    ManageCompanyAccount,
    PlaceOrders,
    ViewOrders,
    ApproveOrders,
}

impl Permission {
    /// Whether exercising this changes something (refused while a company
    /// is on hold).
    pub fn is_write(self) -> bool {
        !matches!(
            self,
            Permission::AccessBackOffice
                | Permission::ReadAuditLog
                | Permission::ViewCompany
                | Permission::ViewOrders
        )
    }
}

impl StaffRole {
    /// Every role, in display order.
    pub const ALL: [StaffRole; 5] = [
        StaffRole::Admin,
        StaffRole::Catalog,
        StaffRole::SalesRep,
        StaffRole::Warehouse,
        StaffRole::Finance,
    ];

    /// The stable code used in the API, CLI and database.
    pub fn code(self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::Catalog => "catalog",
            StaffRole::SalesRep => "sales_rep",
            StaffRole::Warehouse => "warehouse",
            StaffRole::Finance => "finance",
        }
    }

    /// Parses a role code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What this role may do. Admin may do everything.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            StaffRole::Admin => &[
                AccessBackOffice,
                ManageStaff,
                ReadAuditLog,
                ManageApiTokens,
                ManageCatalog,
                ManageCompanies,
                ManageOrders,
                ManageStock,
                ManageFinance,
                ManagePrices,
                ManageInquiries,
                ManageSettings,
            ],
            StaffRole::Catalog => &[AccessBackOffice, ManageCatalog, ManagePrices],
            StaffRole::SalesRep => &[
                AccessBackOffice,
                ManageCompanies,
                ManageOrders,
                ManageInquiries,
            ],
            StaffRole::Warehouse => &[AccessBackOffice, ManageStock, ManageOrders],
            StaffRole::Finance => &[AccessBackOffice, ManageFinance, ManageOrders, ManagePrices],
        }
    }

    /// Whether this role grants `p`.
    pub fn allows(self, p: Permission) -> bool {
        self.permissions().contains(&p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_admin_may_do_everything() {
        for r in StaffRole::ALL {
            assert_eq!(StaffRole::parse(r.code()), Some(r));
            assert!(r.allows(Permission::AccessBackOffice));
        }
        assert!(StaffRole::Admin.allows(Permission::ManageStaff));
        assert!(!StaffRole::Catalog.allows(Permission::ManageStaff));
        assert_eq!(StaffRole::parse("root"), None);
    }
}

/// What an API token may be used for. A token never grants more than its
/// user's role allows; scopes only narrow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiScope {
    /// Everything the user may do (sign-in tokens carry this).
    Full,
    CatalogRead,
    CatalogWrite,
    OrdersRead,
    OrdersWrite,
    StockWrite,
}

impl ApiScope {
    /// Every scope.
    pub const ALL: [ApiScope; 6] = [
        ApiScope::Full,
        ApiScope::CatalogRead,
        ApiScope::CatalogWrite,
        ApiScope::OrdersRead,
        ApiScope::OrdersWrite,
        ApiScope::StockWrite,
    ];

    /// The stable code (`catalog_read`, …).
    pub fn code(self) -> &'static str {
        match self {
            ApiScope::Full => "full",
            ApiScope::CatalogRead => "catalog_read",
            ApiScope::CatalogWrite => "catalog_write",
            ApiScope::OrdersRead => "orders_read",
            ApiScope::OrdersWrite => "orders_write",
            ApiScope::StockWrite => "stock_write",
        }
    }

    /// Parses a scope code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether a token with this scope may exercise `p` (given the role allows it).
    pub fn covers(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            ApiScope::Full => true,
            ApiScope::CatalogRead => false,
            ApiScope::CatalogWrite => p == ManageCatalog,
            ApiScope::OrdersRead => matches!(p, ViewOrders | ViewCompany),
            ApiScope::OrdersWrite => {
                matches!(
                    p,
                    ManageOrders | PlaceOrders | ViewOrders | ViewCompany | ManageInquiries
                )
            }
            ApiScope::StockWrite => p == ManageStock,
        }
    }
}

#[cfg(test)]
mod scope_tests {
    use super::*;

    #[test]
    fn scopes_round_trip_and_narrow() {
        for s in ApiScope::ALL {
            assert_eq!(ApiScope::parse(s.code()), Some(s));
        }
        assert!(ApiScope::Full.covers(Permission::ManageStaff));
        assert!(ApiScope::StockWrite.covers(Permission::ManageStock));
        assert!(!ApiScope::StockWrite.covers(Permission::ManageCatalog));
    }
}
