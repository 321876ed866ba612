use mercato_core::{Email, SessionId, StaffRole, UserId};
use mercato_store::users::{NewUser, UserKind};
use mercato_store::{StoreError, Timestamp, sessions, users};
use mercato_testkit::db_test;

fn new_user(email: &str) -> NewUser {
    NewUser {
        id: UserId::new(),
        email: Email::parse(email).unwrap(),
        name: "Ann Admin".into(),
        password_hash: "$argon2id$fake".into(),
        kind: UserKind::Staff,
        staff_role: Some(StaffRole::Admin),
        company: None,
        email_verified: false,
    }
}

db_test!(async fn users_round_trip_and_emails_are_unique(db) {
    let u = new_user("ann@example.com");
    let mut tx = db.begin().await.unwrap();
    users::insert(&mut tx, &u, Timestamp::now()).await.unwrap();
    tx.commit().await.unwrap();

    let found = users::find_by_email(&db, &Email::parse("ANN@example.com").unwrap()).await.unwrap().unwrap();
    assert_eq!(found.id, u.id);
    assert_eq!(found.staff_role, Some(StaffRole::Admin));
    assert!(found.active);
    assert_eq!(users::count_staff(&db).await.unwrap(), 1);

    let mut tx = db.begin().await.unwrap();
    let err = users::insert(&mut tx, &new_user("Ann@Example.com"), Timestamp::now()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert!(err.is_conflict_on("email"), "{err:?}");
});

db_test!(async fn sessions_expire(db) {
    let u = new_user("s@example.com");
    let now = Timestamp::now();
    let mut tx = db.begin().await.unwrap();
    users::insert(&mut tx, &u, now).await.unwrap();
    let s = sessions::NewSession {
        id: SessionId::new(),
        secret_hash: "abc",
        user_id: u.id,
        csrf_token: "tok",
        expires_at: now.plus(time::Duration::minutes(5)),
        ip: Some("127.0.0.1"),
        user_agent: None,
    };
    sessions::insert(&mut tx, &s, now).await.unwrap();
    tx.commit().await.unwrap();

    let (live, user) = sessions::find_live(&db, "abc", now).await.unwrap().unwrap();
    assert_eq!(live.id, s.id);
    assert_eq!(user.id, u.id);
    assert!(sessions::find_live(&db, "abc", now.plus(time::Duration::minutes(6))).await.unwrap().is_none());
    assert!(sessions::find_live(&db, "nope", now).await.unwrap().is_none());
    assert_eq!(sessions::delete_expired(&db, now.plus(time::Duration::minutes(6))).await.unwrap(), 1);
});
