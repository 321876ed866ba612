use mercato_store::{Db, Timestamp};
use mercato_testkit::{TestDb, db_test};

#[test]
fn migration_folders_have_the_same_versions() {
    let (sqlite, postgres) = Db::embedded_migration_versions();
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres must have the same versions"
    );
}

#[test]
fn migration_files_on_disk_pair_up() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let names = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_schemas_have_the_same_tables_columns_and_nullability() {
    let sqlite = TestDb::sqlite().await;
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    let s = sqlite.db.describe_schema().await.unwrap();
    let p = pg.db.describe_schema().await.unwrap();
    // SQLite declares TEXT for timestamps and JSON, PostgreSQL timestamptz
    // and jsonb: describe_schema folds both into type families.
    let only_sqlite: Vec<_> = s.iter().filter(|c| !p.contains(c)).collect();
    let only_pg: Vec<_> = p.iter().filter(|c| !s.contains(c)).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "schema drift:\n sqlite only: {only_sqlite:#?}\n postgres only: {only_pg:#?}"
    );
}

db_test!(async fn ids_are_uuid_blobs_on_sqlite_and_timestamps_sort(db) {
    let mut tx = db.begin().await.unwrap();
    let user = mercato_store::users::NewUser {
        id: mercato_core::UserId::new(),
        email: mercato_core::Email::parse("enc@example.com").unwrap(),
        name: "Enc".into(),
        password_hash: "x".into(),
        kind: mercato_store::users::UserKind::Staff,
        staff_role: None,
        company: None,
        email_verified: false,
    };
    let now = Timestamp::now();
    mercato_store::users::insert(&mut tx, &user, now).await.unwrap();
    tx.commit().await.unwrap();
    if let Db::Sqlite(p) = &db {
        let (ty, len, ts): (String, i64, String) =
            sqlx::query_as("SELECT typeof(user_id), length(user_id), created_at FROM app_user").fetch_one(p.pool()).await.unwrap();
        assert_eq!((ty.as_str(), len), ("blob", 16));
        assert_eq!(ts.len(), "2026-11-29T04:30:00.000000Z".len());
    }
    let found = mercato_store::users::find(&db, user.id).await.unwrap().unwrap();
    assert_eq!(found.created_at, now, "timestamps round-trip to the microsecond");
});

db_test!(async fn ping_and_foreign_keys_are_enforced(db) {
    db.ping().await.unwrap();
    let mut tx = db.begin().await.unwrap();
    let orphan = mercato_store::sessions::NewSession {
        id: mercato_core::SessionId::new(),
        secret_hash: "h",
        user_id: mercato_core::UserId::new(),
        csrf_token: "c",
        expires_at: Timestamp::now(),
        ip: None,
        user_agent: None,
    };
    let err = mercato_store::sessions::insert(&mut tx, &orphan, Timestamp::now()).await.unwrap_err();
    assert!(matches!(err, mercato_store::StoreError::Conflict { .. }), "{err:?}");
});
