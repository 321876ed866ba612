//! Demo customers: two active companies (one per market) with an admin, a
//! buyer and a viewer each, and one company waiting for approval, so the
//! buyer side and the approval queue can be tried at once.

use mercato_app::auth::ClientInfo;
use mercato_app::companies::{self, CompanyInput, MemberInput};
use mercato_app::{App, AppError};

/// The password of every demo buyer (a demo credential: never in production).
pub const DEMO_BUYER_PASSWORD: &str = "mercato-demo-buyer";

struct DemoCompany {
    name: &'static str,
    vat: &'static str,
    country: &'static str,
    market: &'static str,
    group: &'static str,
    tier: &'static str,
    status: &'static str,
    /// Credit line: limit in the company's currency and payment terms in days.
    credit: Option<(&'static str, i32)>,
    /// The delivery address (recipient, street, postal code, city), so
    /// the demo buyers can check out at once.
    address: Option<(&'static str, &'static str, &'static str, &'static str)>,
    /// (e-mail, name, role)
    users: &'static [(&'static str, &'static str, &'static str)],
}

const COMPANIES: &[DemoCompany] = &[
    DemoCompany {
        name: "上海精工机械有限公司",
        vat: "91350100M000100Y43",
        country: "CN",
        market: "cn",
        group: "distributors",
        tier: "gold",
        status: "active",
        credit: Some(("50000.00", 30)),
        address: Some(("王经理", "浦东新区张江路 88 号", "201203", "上海")),
        users: &[
            ("wang@jinggong.demo.mercato.test", "王经理", "admin"),
            ("li@jinggong.demo.mercato.test", "李采购", "buyer"),
            ("zhao@jinggong.demo.mercato.test", "赵会计", "viewer"),
        ],
    },
    DemoCompany {
        name: "Nordwind Maschinenbau GmbH",
        vat: "DE136695976",
        country: "DE",
        market: "eu",
        group: "oem",
        tier: "silver",
        status: "active",
        credit: Some(("20000.00", 60)),
        address: Some(("Wareneingang Tor 3", "Hafenstraße 12", "28217", "Bremen")),
        users: &[
            ("anna@nordwind.demo.mercato.test", "Anna Becker", "admin"),
            ("jonas@nordwind.demo.mercato.test", "Jonas Weber", "buyer"),
            ("petra@nordwind.demo.mercato.test", "Petra Wolf", "approver"),
        ],
    },
    DemoCompany {
        name: "Atelier Lumière SARL",
        vat: "FR40303265045",
        country: "FR",
        market: "eu",
        group: "oem",
        tier: "",
        status: "pending",
        credit: None,
        address: None,
        users: &[("claire@lumiere.demo.mercato.test", "Claire Martin", "admin")],
    },
];

/// Creates the demo customer groups, companies and users.
pub async fn load_companies(app: &App) -> Result<(), AppError> {
    let client = ClientInfo::default();
    for (code, name) in [
        ("distributors", "Distributors"),
        ("oem", "OEM manufacturers"),
    ] {
        companies::create_group(app, None, code, name, &client).await?;
    }
    for c in COMPANIES {
        let company = companies::create_company(
            app,
            None,
            CompanyInput {
                name: Some(c.name.into()),
                vat_number: Some(c.vat.into()),
                country: Some(c.country.into()),
                market: Some(c.market.into()),
                customer_group: Some(c.group.into()),
                tier: Some(c.tier.into()),
                status: Some(c.status.into()),
                ..Default::default()
            },
            &client,
        )
        .await?;
        if let Some((limit, days)) = c.credit {
            mercato_app::stock::set_credit_line(app, None, company.id, limit, days, &client)
                .await?;
        }
        let scope = companies::CompanyScope::after_access_check(company.id);
        if let Some((recipient, line1, postal_code, city)) = c.address {
            let patch = companies::AddressPatch {
                recipient: Some(recipient.into()),
                line1: Some(line1.into()),
                postal_code: Some(postal_code.into()),
                city: Some(city.into()),
                country: Some(c.country.into()),
                ..Default::default()
            };
            companies::save_address(app, None, &scope, None, patch, &client).await?;
        }
        for (email, name, role) in c.users {
            companies::add_member(
                app,
                None,
                &scope,
                MemberInput {
                    email: (*email).into(),
                    name: (*name).into(),
                    roles: vec![(*role).into()],
                    business_unit_id: None,
                    password: Some(DEMO_BUYER_PASSWORD.into()),
                },
                &client,
            )
            .await?;
        }
    }
    Ok(())
}
