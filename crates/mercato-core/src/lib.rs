//! Mercato's domain: plain types and rules with no I/O, no async and no
//! knowledge of HTTP or SQL. Everything here can be unit- and property-tested.
//!
//! Error strategy: each module has its own `thiserror` enum naming what was
//! wrong with the input; the web layer maps them to problem responses once.
#![forbid(unsafe_code)]

pub mod attribute;
pub mod audit;
pub mod cart;
pub mod catalog;
pub mod company;
pub mod completeness;
pub mod country;
pub mod document_number;
pub mod email;
pub mod feedback;
pub mod id;
pub mod inquiry;
pub mod locale;
pub mod market;
pub mod maturity;
pub mod money;
pub mod order;
pub mod password;
pub mod pricing;
pub mod promotion;
pub mod report;
pub mod role;
pub mod saved_view;
pub mod shipping;
pub mod stock;
pub mod tax;
pub mod traffic;
pub mod vat;

pub use company::{CompanyRole, CompanyRoles, CompanyStatus, PostalAddress};
pub use country::CountryCode;
pub use document_number::{DocumentNumber, DocumentSeries};
pub use email::Email;
pub use id::*;
pub use locale::{Lang, LocalizedText};
pub use money::{Currency, Money, MoneyError, Rounding, allocate};
pub use password::{PasswordError, PasswordPolicy};
pub use role::{ApiScope, Permission, StaffChangeRefusal, StaffRole, StaffStanding};
pub use vat::{VatError, VatNumber};
