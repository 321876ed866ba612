//! Authorisation overhead: the same read (one address of the caller's
//! company, by id, from a bearer token) with and without the company scope
//! check, on a real SQLite file and, when reachable, PostgreSQL.
//!
//! - `checked`: what `GET /company/addresses/{id}` does: the token lookup
//!   joined with the user's company and status, the permission rule, and the
//!   scoped query (`… AND company_id = $2`).
//! - `unchecked`: the token lookup without the company join and the address
//!   by id alone, in raw SQL: no membership, no rule, no scope.
//!
//! `cargo bench -p mercato-app --bench authz`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use mercato_app::auth::{self, ClientInfo, NewApiTokenInput, NewStaffUser};
use mercato_app::companies::{self as co, AddressPatch, CompanyInput, MemberInput};
use mercato_app::password::HashParams;
use mercato_app::{App, AppSettings, Db, DbOptions};
use mercato_core::AddressId;
use std::time::Duration;

struct Fixture {
    app: App,
    token: String,
    address: AddressId,
}

async fn fixture(url: &str) -> Fixture {
    let db = Db::connect(url, &DbOptions::default()).await.unwrap();
    db.migrate().await.unwrap();
    let settings = AppSettings {
        argon2: HashParams {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        },
        ..Default::default()
    };
    let app = App::new(db, settings);
    let client = ClientInfo::default();
    let admin = auth::create_staff_user(
        &app,
        None,
        NewStaffUser {
            email: "admin@bench.example".into(),
            name: "Admin".into(),
            password: "correct horse battery".into(),
            role: "admin".into(),
        },
        &client,
    )
    .await
    .unwrap();
    let _ = admin;
    let market = mercato_core::market::Market {
        code: "eu".into(),
        name: mercato_core::LocalizedText::default(),
        currency: "EUR".parse().unwrap(),
        languages: vec![mercato_core::Lang::parse("en").unwrap()],
        countries: vec!["DE".into()],
        time_zone: "Europe/Berlin".into(),
        roadmap_step: mercato_core::market::RoadmapStep::try_from(3).unwrap(),
        show_prices: true,
        show_stock: true,
        is_default: true,
    };
    mercato_app::catalog::save_market(&app, None, market)
        .await
        .unwrap();
    let company = co::create_company(
        &app,
        None,
        CompanyInput {
            name: Some("Bench GmbH".into()),
            country: Some("DE".into()),
            ..Default::default()
        },
        &client,
    )
    .await
    .unwrap();
    let scope = co::CompanyScope::after_access_check(company.id);
    co::add_member(
        &app,
        None,
        &scope,
        MemberInput {
            email: "buyer@bench.example".into(),
            name: "Buyer".into(),
            roles: vec!["admin".into()],
            business_unit_id: None,
            password: Some("correct horse battery".into()),
        },
        &client,
    )
    .await
    .unwrap();
    let signed = auth::sign_in(
        &app,
        "buyer@bench.example",
        "correct horse battery",
        &client,
    )
    .await
    .unwrap();
    let p = auth::authenticate_bearer(&app, &signed.token)
        .await
        .unwrap()
        .unwrap();
    let address = co::save_address(
        &app,
        Some(&p),
        &scope,
        None,
        AddressPatch {
            recipient: Some("Goods in".into()),
            line1: Some("Hafenstr. 1".into()),
            city: Some("Hamburg".into()),
            postal_code: Some("20457".into()),
            country: Some("DE".into()),
            ..Default::default()
        },
        &client,
    )
    .await
    .unwrap();
    // A long-lived token, so the benchmark never crosses an expiry.
    let created = auth::create_api_token(
        &app,
        &p,
        NewApiTokenInput {
            name: "bench".into(),
            scopes: vec!["full".into()],
            expires_in_days: None,
        },
        &client,
    )
    .await
    .unwrap();
    Fixture {
        app,
        token: created.secret,
        address: address.id,
    }
}

async fn checked(f: &Fixture) -> String {
    let p = auth::authenticate_bearer(&f.app, &f.token)
        .await
        .unwrap()
        .unwrap();
    let scope = co::own_scope(&p).unwrap();
    co::get_address(&f.app, &p, &scope, f.address)
        .await
        .unwrap()
        .address
        .city
}

async fn unchecked(f: &Fixture) -> String {
    let hash = mercato_app::secret::digest(&f.token);
    let now = mercato_app::Timestamp::now();
    macro_rules! run {
        ($pool:expr) => {{
            let (_user,): (uuid::Uuid,) = sqlx::query_as(
                "SELECT u.user_id FROM api_token t JOIN app_user u ON u.user_id = t.user_id
                  WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)",
            )
            .bind(&hash)
            .bind(now)
            .fetch_one($pool)
            .await
            .unwrap();
            let (city,): (String,) =
                sqlx::query_as("SELECT city FROM company_address WHERE address_id = $1")
                    .bind(f.address.as_uuid())
                    .fetch_one($pool)
                    .await
                    .unwrap();
            city
        }};
    }
    match f.app.db() {
        Db::Sqlite(p) => run!(p.pool()),
        Db::Pg(p) => run!(p),
    }
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut targets = vec![(
        "sqlite",
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        ),
    )];
    let pg = std::env::var("DATABASE_URL_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let name = format!("mercato_bench_{}", std::process::id());
    let pg_up = rt.block_on(Db::connect(&pg, &DbOptions::default())).is_ok();
    if pg_up {
        rt.block_on(async {
            let admin = Db::connect(&pg, &DbOptions::default()).await.unwrap();
            if let Db::Pg(p) = &admin {
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(p)
                    .await
                    .unwrap();
            }
        });
        targets.push(("postgres", mercato_testkit::with_database(&pg, &name)));
    }
    for (label, url) in targets {
        let f = rt.block_on(fixture(&url));
        assert_eq!(rt.block_on(checked(&f)), rt.block_on(unchecked(&f)));
        let mut g = c.benchmark_group(format!("authz/{label}"));
        g.measurement_time(Duration::from_secs(5));
        g.bench_function("checked", |b| b.to_async(&rt).iter(|| checked(&f)));
        g.bench_function("unchecked", |b| b.to_async(&rt).iter(|| unchecked(&f)));
        g.finish();
        rt.block_on(f.app.db().close());
    }
    if pg_up {
        rt.block_on(async {
            let admin = Db::connect(&pg, &DbOptions::default()).await.unwrap();
            if let Db::Pg(p) = &admin {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name}")))
                    .execute(p)
                    .await;
            }
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
