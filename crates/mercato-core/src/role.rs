//! Staff roles and what each may do; the permissions both staff and
//! company roles ([`crate::company::CompanyRole`]) grant.

use crate::id::UserId;
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

/// A staff account's standing: its role and whether it may sign in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaffStanding {
    pub role: StaffRole,
    pub active: bool,
}

impl StaffStanding {
    /// Whether this account can manage staff now (an active administrator).
    pub fn is_active_admin(self) -> bool {
        self.active && self.role == StaffRole::Admin
    }
}

/// Why a change to a staff account is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StaffChangeRefusal {
    /// Nobody would be left to manage staff (or to undo the change).
    #[error(
        "the last active administrator cannot be demoted or disabled; make someone else administrator first"
    )]
    LastAdmin,
    /// Administrators do not demote or disable themselves: another one
    /// must, so a slip of the mouse cannot lock anyone out.
    #[error(
        "you cannot change your own role or disable your own account; ask another administrator"
    )]
    OwnAccount,
}

/// The rule for changing a staff account. `actor` (`None`: the operator at
/// the machine) changes `target` from `before` to `after`; `active_admins`
/// is how many active administrators there are now, `target` included
/// when it is one. The last active administrator is named first: for a
/// lone admin demoting themselves it is the reason that matters.
pub fn check_staff_change(
    actor: Option<UserId>,
    target: UserId,
    before: StaffStanding,
    after: StaffStanding,
    active_admins: usize,
) -> Result<(), StaffChangeRefusal> {
    if before.is_active_admin() && !after.is_active_admin() && active_admins <= 1 {
        return Err(StaffChangeRefusal::LastAdmin);
    }
    if actor == Some(target) && after != before {
        return Err(StaffChangeRefusal::OwnAccount);
    }
    Ok(())
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

    fn standing(role: StaffRole, active: bool) -> StaffStanding {
        StaffStanding { role, active }
    }

    #[test]
    fn admins_neither_demote_themselves_nor_the_last_admin() {
        let (me, other) = (UserId::new(), UserId::new());
        let admin = standing(StaffRole::Admin, true);
        let catalog = standing(StaffRole::Catalog, true);
        let disabled_admin = standing(StaffRole::Admin, false);
        // Another admin may be demoted or disabled while one remains.
        assert_eq!(
            check_staff_change(Some(me), other, admin, catalog, 2),
            Ok(())
        );
        assert_eq!(
            check_staff_change(Some(me), other, admin, disabled_admin, 2),
            Ok(())
        );
        // Not oneself, even with other admins around.
        assert_eq!(
            check_staff_change(Some(me), me, admin, catalog, 3),
            Err(StaffChangeRefusal::OwnAccount)
        );
        assert_eq!(
            check_staff_change(Some(me), me, admin, disabled_admin, 3),
            Err(StaffChangeRefusal::OwnAccount)
        );
        // Saving one's own unchanged standing is no change.
        assert_eq!(check_staff_change(Some(me), me, admin, admin, 1), Ok(()));
        // The last one: refused for anyone, the operator included, and
        // named before "yourself".
        for actor in [Some(me), None] {
            assert_eq!(
                check_staff_change(actor, me, admin, catalog, 1),
                Err(StaffChangeRefusal::LastAdmin)
            );
        }
        // Changes that keep or add admins are never about the last one.
        assert_eq!(check_staff_change(None, other, catalog, admin, 0), Ok(()));
        assert_eq!(
            check_staff_change(
                Some(me),
                other,
                catalog,
                standing(StaffRole::Finance, false),
                1
            ),
            Ok(())
        );
        // A disabled admin is not one of the active ones.
        assert_eq!(
            check_staff_change(Some(me), other, disabled_admin, catalog, 1),
            Ok(())
        );
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn any_standing() -> impl Strategy<Value = StaffStanding> {
            (0..StaffRole::ALL.len(), any::<bool>()).prop_map(|(r, active)| StaffStanding {
                role: StaffRole::ALL[r],
                active,
            })
        }

        proptest! {
            /// Whatever staff exist and whoever changes whom, an allowed
            /// change never leaves a staff with an active admin without one.
            #[test]
            fn an_active_admin_always_remains(
                staff in proptest::collection::vec(any_standing(), 1..6),
                actor in 0usize..6,
                target in 0usize..6,
                after in any_standing(),
            ) {
                let ids: Vec<UserId> = staff.iter().map(|_| UserId::new()).collect();
                let target = target % staff.len();
                let actor = ids[actor % staff.len()];
                let admins = staff.iter().filter(|s| s.is_active_admin()).count();
                prop_assume!(admins > 0);
                if check_staff_change(Some(actor), ids[target], staff[target], after, admins).is_ok() {
                    let mut next = staff.clone();
                    next[target] = after;
                    prop_assert!(next.iter().any(|s| s.is_active_admin()));
                    prop_assert!(actor != ids[target] || after == staff[target]);
                }
            }
        }
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
