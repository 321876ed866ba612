//! The binary as an operator uses it: start, bootstrap, stop, CLI commands,
//! configuration errors. Runs the real `mercato` executable.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use mercato_testkit::TestDb;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mercato");
const PASSWORD: &str = "correct horse battery";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn mercato(dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .env_remove("MERCATO_LISTEN")
        .env_remove("MERCATO_DATABASE_URL")
        .env_remove("MERCATO_DATA_DIR");
    c
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

async fn wait_ready(base: &str, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(r) = reqwest::get(format!("{base}/readyz")).await
            && r.status() == 200
        {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("mercato exited early with {status}");
        }
        assert!(Instant::now() < deadline, "mercato did not become ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn stop(mut child: Child) -> String {
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "mercato did not stop on SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "exit status {:?}: {}",
        out.status,
        text(&out)
    );
    text(&out)
}

/// Starts, checks readiness, bootstrap admin and sign-in, stops with SIGTERM.
async fn serve_round_trip(dir: &Path, extra_args: &[&str]) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = mercato(dir)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(extra_args)
        .env("MERCATO_ADMIN_EMAIL", "boot@example.com")
        .env("MERCATO_ADMIN_PASSWORD", PASSWORD)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_ready(&base, &mut child).await;
    let res = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "email": "boot@example.com", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the bootstrap admin can sign in");
    let log = stop(child).await;
    assert!(
        log.contains("stopped"),
        "graceful shutdown is logged: {log}"
    );
    assert!(
        !log.contains(PASSWORD),
        "the admin password never reaches the log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_with_no_arguments_creates_the_data_folder_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    serve_round_trip(dir.path(), &[]).await;
    for p in [
        "mercato-data/mercato.sqlite",
        "mercato-data/index",
        "mercato-data/media",
    ] {
        assert!(dir.path().join(p).exists(), "{p} missing");
    }
    // A second start on the existing folder works and does not re-bootstrap.
    serve_round_trip(dir.path(), &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_on_postgresql() {
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    serve_round_trip(dir.path(), &["--database-url", &pg.url]).await;
    assert!(
        !dir.path().join("mercato-data/mercato.sqlite").exists(),
        "no SQLite file when running on PostgreSQL"
    );
}

#[test]
fn user_create_and_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = mercato(dir.path())
        .args([
            "user",
            "create",
            "--email",
            "ops@example.com",
            "--password",
            PASSWORD,
            "--role",
            "admin",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("created staff user ops@example.com"));

    let out = mercato(dir.path())
        .args([
            "user",
            "create",
            "--email",
            "OPS@example.com",
            "--password",
            PASSWORD,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("already exists"), "{}", text(&out));

    let out = mercato(dir.path())
        .args([
            "user",
            "create",
            "--email",
            "x@example.com",
            "--password",
            "short",
            "--role",
            "boss",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let msg = text(&out);
    assert!(
        msg.contains("--password") && msg.contains("--role") && msg.contains("at least 10"),
        "{msg}"
    );
    assert!(!msg.contains("panicked"));
}

#[test]
fn bad_configuration_names_the_key_and_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let out = mercato(dir.path())
        .args(["migrate"])
        .env("MERCATO_LISTEN", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let msg = text(&out);
    assert!(
        msg.contains("listen") && msg.contains("MERCATO_LISTEN"),
        "{msg}"
    );

    std::fs::write(dir.path().join("mercato.toml"), "max_connections = -3\n").unwrap();
    let out = mercato(dir.path()).args(["migrate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let msg = text(&out);
    assert!(
        msg.contains("max_connections") && msg.contains("mercato.toml"),
        "{msg}"
    );
    std::fs::remove_file(dir.path().join("mercato.toml")).unwrap();

    let out = mercato(dir.path())
        .args(["migrate", "--database-url", "mysql://nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("database_url"), "{}", text(&out));

    let out = mercato(dir.path()).args(["migrate"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_demo_signs_in_with_the_demo_admin() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = mercato(dir.path())
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_ready(&base, &mut child).await;
    let res = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "email": "admin@demo.mercato.test", "password": "mercato-demo-admin" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // The server builds its search index by itself and finds part numbers.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let v: serde_json::Value = reqwest::get(format!("{base}/api/v1/products?q=hb933-m8x20-a2"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if v["total"].as_u64().unwrap_or(0) > 0 {
            assert_eq!(v["items"][0]["matched_sku"], "HB933-M8X20-A2", "{v}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the demo catalog was not indexed: {v}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // One process owns the index: a second one is told what to do instead.
    let out = mercato(dir.path()).args(["reindex"]).output().unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out).contains("admin/search/reindex"),
        "{}",
        text(&out)
    );
    let log = stop(child).await;
    assert!(log.contains("demo data"), "{log}");
}

#[test]
fn import_and_export_products_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = mercato(dir.path())
        .args(["demo", "--taxonomy-only"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let csv = "sku,product,name.en,name.zh-CN,unit,pack_size,images\nW-1,washer-m8,Washer M8,垫圈 M8,box,100,washer.png\nW-2,washer-m8,,,box,\"1,5\",\n";
    std::fs::write(dir.path().join("p.csv"), csv).unwrap();
    std::fs::write(dir.path().join("washer.png"), b"not really a png").unwrap();

    let out = mercato(dir.path())
        .args([
            "import",
            "products",
            "p.csv",
            "--dry-run",
            "--report",
            "r.json",
            "--report",
            "r.csv",
        ])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "problems make the exit code non-zero"
    );
    let msg = text(&out);
    assert!(
        msg.contains("p.csv:3: column pack_size: value \"1,5\""),
        "{msg}"
    );
    assert!(msg.contains("p.csv:2: column images"), "{msg}");
    assert!(msg.contains("Dry run"), "{msg}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["applied"], false);
    assert!(
        std::fs::read_to_string(dir.path().join("r.csv"))
            .unwrap()
            .contains("row,column,value,reason")
    );

    let good =
        "sku,product,name.en,name.zh-CN,unit,pack_size\nW-1,washer-m8,Washer M8,垫圈 M8,box,100\n";
    std::fs::write(dir.path().join("good.csv"), good).unwrap();
    let out = mercato(dir.path())
        .args(["import", "products", "good.csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let out = mercato(dir.path()).args(["reindex"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("indexed 1 products"), "{}", text(&out));
    let out = mercato(dir.path())
        .args(["export", "products", "out.xlsx"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        &std::fs::read(dir.path().join("out.xlsx")).unwrap()[..2],
        b"PK"
    );
    let out = mercato(dir.path())
        .args(["export", "products", "out.csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(dir.path().join("out.csv"))
            .unwrap()
            .contains("垫圈 M8")
    );

    // Stock levels: all or nothing, every bad row named by file, line and column.
    std::fs::write(
        dir.path().join("stock.csv"),
        "sku,on_hand,warehouse\nW-1,40,\nNOPE,3,\nW-1,many,\n",
    )
    .unwrap();
    let out = mercato(dir.path())
        .args(["import", "stock", "stock.csv"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let msg = text(&out);
    assert!(
        msg.contains("stock.csv line 3: sku: there is no SKU"),
        "{msg}"
    );
    assert!(msg.contains("stock.csv line 4: on_hand"), "{msg}");
    assert!(msg.contains("nothing applied"), "{msg}");
    std::fs::write(dir.path().join("stock.csv"), "sku,on_hand\nw-1,40\n").unwrap();
    let out = mercato(dir.path())
        .args(["import", "stock", "stock.csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("1 stock levels applied"),
        "{}",
        text(&out)
    );

    let out = mercato(dir.path())
        .args(["import", "products", "missing.csv"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("missing.csv"), "{}", text(&out));
}

#[test]
fn assess_prints_the_measured_maturity_for_people_and_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let out = mercato(dir.path())
        .args(["demo", "--taxonomy-only"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let out = mercato(dir.path()).args(["assess"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    // Nothing sold, nothing priced: stage 1 everywhere, each market on
    // the digital catalog at most, told what online buying needs.
    assert!(report.contains("Digital maturity"), "{report}");
    assert!(
        report.contains("Measured from the platform: 1.0 · Stage 1 · adapt"),
        "{report}"
    );
    assert!(report.contains("Active products with a price"), "{report}");
    assert!(
        report.contains("Data supports 1 · Digital catalog"),
        "{report}"
    );
    let out = mercato(dir.path())
        .args(["assess", "--lang", "zh-CN"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("数字化成熟度"));
    let out = mercato(dir.path())
        .args(["assess", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["measured"]["overall"], 10);
    assert_eq!(json["measured"]["readings"].as_array().unwrap().len(), 17);
    assert!(!json["markets"].as_array().unwrap().is_empty(), "{json}");
    assert_eq!(json["markets"][0]["ready_for"], 1);
}
