//! Typed identifiers: one UUIDv7 newtype per entity, so a `UserId` can never
//! be passed where a `CompanyId` is expected. v7 ids sort by creation time,
//! which keeps B-tree inserts local on both databases.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            /// The raw UUID, for storage and wire formats.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    )*};
}

id_type! {
    /// A person who signs in: staff now, buyers once company accounts exist.
    UserId;
    /// A signed-in browser session.
    SessionId;
    /// A bearer token for API use.
    ApiTokenId;
    /// A background job.
    JobId;
    /// An entry in the audit log.
    AuditId;
    /// A company (a B2B customer account).
    CompanyId;
    /// A department or site inside a company.
    BusinessUnitId;
    /// An entry of a company's address book.
    AddressId;
    /// A customer group (prices and offers by group).
    CustomerGroupId;
    /// A one-time link sent by e-mail (invitation, verification, reset).
    UserLinkId;
    /// A product.
    ProductId;
    /// A variant (SKU) of a product.
    VariantId;
    /// A node of the category tree.
    CategoryId;
    /// A brand.
    BrandId;
    /// An image, video or document attached to a product.
    MediaId;
    /// A spreadsheet import run.
    ImportId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_round_trip() {
        let a = UserId::new();
        let b = UserId::new();
        assert!(a < b);
        let parsed: UserId = a.to_string().parse().unwrap();
        assert_eq!(a, parsed);
        assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{a}\""));
    }
}
