use super::test_app;
use mercato_app::AppError;
use mercato_app::auth::{self, AuthVia, ClientInfo, NewApiTokenInput, NewStaffUser};
use mercato_core::Permission;
use mercato_testkit::db_test;

fn staff(email: &str, role: &str) -> NewStaffUser {
    NewStaffUser {
        email: email.into(),
        name: "Sam Staff".into(),
        password: "correct horse battery".into(),
        role: role.into(),
    }
}

fn client(ip: &str) -> ClientInfo {
    ClientInfo {
        ip: Some(ip.into()),
        ..Default::default()
    }
}

db_test!(async fn staff_sign_in_sessions_and_tokens(db) {
    let app = test_app(db.clone());
    let admin = auth::bootstrap_admin(&app, "admin@example.com", "correct horse battery").await.unwrap().unwrap();
    assert!(auth::bootstrap_admin(&app, "other@example.com", "correct horse battery").await.unwrap().is_none(), "bootstrap only when no staff exists");

    let signed = auth::sign_in(&app, "Admin@Example.com", "correct horse battery", &client("10.0.0.1")).await.unwrap();
    assert_eq!(signed.user.id, admin.id);
    let p = auth::authenticate_session(&app, &signed.session_secret).await.unwrap().unwrap();
    assert!(p.allows(Permission::ManageStaff));
    assert!(matches!(p.via, AuthVia::Session { .. }));
    let t = auth::authenticate_bearer(&app, &signed.token).await.unwrap().unwrap();
    assert_eq!(t.user.id, admin.id);
    assert!(auth::authenticate_bearer(&app, "mct_wrong").await.unwrap().is_none());
    assert!(auth::authenticate_session(&app, "wrong").await.unwrap().is_none());

    // A scoped integration token narrows what the admin may do.
    let created = auth::create_api_token(&app, &p, NewApiTokenInput { name: "ERP".into(), scopes: vec!["stock_write".into()], expires_in_days: None }, &client("10.0.0.1")).await.unwrap();
    let erp = auth::authenticate_bearer(&app, &created.secret).await.unwrap().unwrap();
    assert!(erp.allows(Permission::ManageStock));
    assert!(!erp.allows(Permission::ManageStaff));
    let err = auth::create_api_token(&app, &erp, NewApiTokenInput { name: "x".into(), scopes: vec!["full".into()], expires_in_days: None }, &client("10.0.0.1")).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)));
    let err = auth::create_api_token(&app, &p, NewApiTokenInput { name: "".into(), scopes: vec!["root".into()], expires_in_days: Some(0) }, &client("10.0.0.1")).await.unwrap_err();
    match err {
        AppError::Invalid(fields) => assert_eq!(fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["name", "scopes", "expires_in_days"]),
        other => panic!("{other:?}"),
    }

    // A catalog manager cannot create staff.
    let cat = auth::create_staff_user(&app, Some(&p), staff("cat@example.com", "catalog"), &client("10.0.0.1")).await.unwrap();
    let cat_in = auth::sign_in(&app, "cat@example.com", "correct horse battery", &client("10.0.0.2")).await.unwrap();
    let cat_p = auth::authenticate_session(&app, &cat_in.session_secret).await.unwrap().unwrap();
    assert_eq!(cat_p.user.id, cat.id);
    let err = auth::create_staff_user(&app, Some(&cat_p), staff("x@example.com", "admin"), &client("10.0.0.2")).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)));

    // Sign-out ends the session; the audit log saw everything.
    auth::sign_out(&app, &p, &client("10.0.0.1")).await.unwrap();
    assert!(auth::authenticate_session(&app, &signed.session_secret).await.unwrap().is_none());
    let log = mercato_store::audit::list(&db, &Default::default(), None, 50).await.unwrap();
    let actions: Vec<_> = log.iter().map(|e| e.entry.action.as_str()).collect();
    for a in ["user.create", "auth.login", "api_token.create", "auth.logout"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
});

db_test!(async fn bad_staff_input_is_refused_with_reasons(db) {
    let app = test_app(db);
    let err = auth::create_staff_user(&app, None, NewStaffUser { email: "nope".into(), name: "".into(), password: "short".into(), role: "root".into() }, &ClientInfo::default()).await.unwrap_err();
    match err {
        AppError::Invalid(fields) => {
            let codes: Vec<_> = fields.iter().map(|f| (f.field.as_str(), f.code.as_str())).collect();
            assert_eq!(codes, [("email", "invalid_email"), ("role", "unknown_role"), ("password", "weak_password")]);
        }
        other => panic!("{other:?}"),
    }
    auth::create_staff_user(&app, None, staff("dup@example.com", "admin"), &ClientInfo::default()).await.unwrap();
    let err = auth::create_staff_user(&app, None, staff("DUP@example.com", "finance"), &ClientInfo::default()).await.unwrap_err();
    assert!(matches!(err, AppError::Conflict { code: "email_taken", .. }), "{err:?}");
});

db_test!(async fn repeated_wrong_passwords_are_rate_limited(db) {
    let app = test_app(db);
    auth::create_staff_user(&app, None, staff("rl@example.com", "admin"), &ClientInfo::default()).await.unwrap();
    for _ in 0..5 {
        let err = auth::sign_in(&app, "rl@example.com", "wrong password!", &client("10.1.1.1")).await.unwrap_err();
        assert!(matches!(err, AppError::InvalidCredentials));
    }
    // Now even the right password waits: guessing has been going on.
    let err = auth::sign_in(&app, "rl@example.com", "correct horse battery", &client("10.1.1.1")).await.unwrap_err();
    assert!(matches!(err, AppError::RateLimited { retry_after_secs } if retry_after_secs > 0), "{err:?}");
    // An unknown e-mail answers exactly like a wrong password.
    let err = auth::sign_in(&app, "ghost@example.com", "whatever123", &client("10.1.1.2")).await.unwrap_err();
    assert!(matches!(err, AppError::InvalidCredentials));
});

db_test!(async fn changed_hash_parameters_rehash_on_sign_in(db) {
    let app = test_app(db.clone());
    let u = auth::create_staff_user(&app, None, staff("re@example.com", "admin"), &ClientInfo::default()).await.unwrap();
    assert!(u.password_hash.contains("m=1024,t=1"));
    let stronger = mercato_app::App::new(db.clone(), mercato_app::AppSettings {
        argon2: mercato_app::password::HashParams { memory_kib: 2048, iterations: 1, parallelism: 1 },
        ..Default::default()
    });
    auth::sign_in(&stronger, "re@example.com", "correct horse battery", &client("10.2.2.2")).await.unwrap();
    let after = mercato_store::users::find(&db, u.id).await.unwrap().unwrap();
    assert!(after.password_hash.contains("m=2048"), "{}", after.password_hash);
});

db_test!(async fn two_admins_demoting_each_other_at_once_leave_one(db) {
    // Each sees the other as an admin left over; the lock on the admins'
    // rows makes the second wait for the first and see what it did.
    let app = test_app(db);
    let a = auth::create_staff_user(&app, None, staff("a@example.com", "admin"), &client("10.0.0.1")).await.unwrap();
    let b = auth::create_staff_user(&app, None, staff("b@example.com", "admin"), &client("10.0.0.1")).await.unwrap();
    let session = |email: &'static str| {
        let app = app.clone();
        async move {
            let s = auth::sign_in(&app, email, "correct horse battery", &client("10.0.0.2")).await.unwrap();
            auth::authenticate_session(&app, &s.session_secret).await.unwrap().unwrap()
        }
    };
    let (pa, pb) = (session("a@example.com").await, session("b@example.com").await);
    for round in 0..5 {
        let demote = |p: auth::Principal, target| {
            let app = app.clone();
            async move {
                let patch = mercato_app::staff::StaffPatch { role: Some("catalog".into()), active: None };
                mercato_app::staff::update(&app, &p, target, patch, &ClientInfo::default()).await
            }
        };
        let (ra, rb) = tokio::join!(demote(pa.clone(), b.id), demote(pb.clone(), a.id));
        let refused: Vec<_> = [&ra, &rb].into_iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(refused.len(), 1, "round {round}: exactly one of the two wins: {ra:?} {rb:?}");
        assert!(matches!(refused[0], AppError::Conflict { code: "last_admin", .. }), "{:?}", refused[0]);
        let admins = mercato_app::staff::list(&app, if ra.is_ok() { &pa } else { &pb }, Some("admin")).await.unwrap();
        assert_eq!(admins.len(), 1, "round {round}");
        // Make both admins again for the next round (the winner promotes).
        let (winner, loser) = if ra.is_ok() { (&pa, b.id) } else { (&pb, a.id) };
        let patch = mercato_app::staff::StaffPatch { role: Some("admin".into()), active: None };
        mercato_app::staff::update(&app, winner, loser, patch, &ClientInfo::default()).await.unwrap();
    }
});
