//! `mercato`: the B2B commerce platform in one binary.
#![forbid(unsafe_code)]

mod assess;
mod config;
use mercato_demo::load as demo;

use anyhow::Context;
use clap::{Parser, Subcommand};
use config::{Config, Overrides};
use mercato_app::auth::{self, ClientInfo, NewStaffUser};
use mercato_app::events::Dispatcher;
use mercato_app::export;
use mercato_app::import::{self, FolderSource, ImportMode, ImportOptions};
use mercato_app::jobs::{Housekeeping, Worker};
use mercato_app::mail::{MailSender, MailSettings, MailTransport};
use mercato_app::{App, AppError, AppSettings, Db, DbOptions};
use mercato_web::{AppState, WebOptions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

#[derive(Parser)]
#[command(
    name = "mercato",
    version,
    about = "Mercato: B2B commerce in one binary"
)]
struct Cli {
    /// Configuration file (default: ./mercato.toml when present).
    #[arg(long, global = true, env = "MERCATO_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite://FILE or postgres://… (default: SQLite in the data folder).
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Folder for the embedded database, search index and media.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the platform: storefront at /, back office at /admin, API at /api/v1.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
        /// Load demo data into an empty database: for now a demo admin
        /// (admin@demo.mercato.test / mercato-demo-admin); the demo catalog
        /// arrives with the catalog capability.
        #[arg(long)]
        demo: bool,
    },
    /// Brings the database schema up to date and exits.
    Migrate,
    /// Loads the demo catalog (industrial supplies, zh-CN and en) into an empty database.
    Demo {
        /// Only markets, attributes and categories (to import a generated file next).
        #[arg(long)]
        taxonomy_only: bool,
    },
    /// Writes a generated catalog spreadsheet of at least N SKUs plus its media (for load tests).
    #[command(hide = true)]
    BenchData {
        #[arg(long, default_value_t = 100_000)]
        skus: usize,
        /// Folder to write catalog.csv and the media files into.
        #[arg(long)]
        out: PathBuf,
    },
    /// Imports data from a spreadsheet.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Exports data to a spreadsheet.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Rebuilds this node's search index from the database (stop `serve`
    /// first: one process owns the index; a running server rebuilds through
    /// POST /api/v1/admin/search/reindex).
    Reindex,
    /// Prints the digital-maturity report measured from this platform's
    /// data, the latest self-assessment beside it, and the roadmap advice
    /// per market.
    Assess {
        /// JSON instead of text (the same report as GET /api/v1/admin/maturity).
        #[arg(long)]
        json: bool,
        /// Language of the text: en or zh-CN.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Manages staff users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Products from CSV or XLSX, one row per SKU (columns: docs/catalog-import.md).
    Products {
        /// The spreadsheet (.csv or .xlsx).
        file: PathBuf,
        /// Folder the file names in `images`/`documents` are found in (default: the spreadsheet's folder).
        #[arg(long)]
        media: Option<PathBuf>,
        /// `valid-rows` applies the valid rows and reports the rest; `all-or-nothing` applies nothing if any row is bad.
        #[arg(long, default_value = "valid-rows")]
        mode: String,
        /// Check and report only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Also write the report to this file (.json or .csv).
        #[arg(long)]
        report: Vec<PathBuf>,
    },
    /// Stock levels from CSV or XLSX (columns sku, on_hand, optional
    /// warehouse); all or nothing: one bad row applies nothing.
    Stock {
        /// The spreadsheet (.csv or .xlsx).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Products in the import format (.csv or .xlsx by the file's extension).
    Products { file: PathBuf },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Creates a staff user.
    Create {
        #[arg(long)]
        email: String,
        /// The password; `-` reads it from standard input.
        #[arg(long)]
        password: String,
        /// admin, catalog, sales_rep, warehouse or finance.
        #[arg(long, default_value = "admin")]
        role: String,
        #[arg(long, default_value = "")]
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let listen = match &cli.command {
        Command::Serve { listen, .. } => listen.clone(),
        _ => None,
    };
    let overrides = Overrides {
        listen,
        data_dir: cli.data_dir.clone(),
        database_url: cli.database_url.clone(),
    };
    let config = match Config::load(cli.config.as_deref(), &overrides) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("mercato: configuration error:\n{e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mercato: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mercato: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MERCATO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve { demo, .. } => serve(config, demo).await,
        Command::Migrate => {
            let db = open_db(&config).await?;
            db.close().await;
            eprintln!("mercato: database schema is up to date");
            Ok(())
        }
        Command::Demo { taxonomy_only } => {
            let db = open_db(&config).await?;
            let app = App::new(db.clone(), settings(&config));
            let outcome = if taxonomy_only {
                demo::load_taxonomy(&app, &mercato_demo::demo_catalog())
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot load the demo taxonomy: {e}"))
            } else {
                load_demo(&app).await
            };
            db.close().await;
            outcome
        }
        Command::BenchData { skus, out } => {
            let started = Instant::now();
            let demo = tokio::task::spawn_blocking(move || mercato_demo::scaled_catalog(skus))
                .await
                .context("generating")?;
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            std::fs::write(
                out.join("catalog.csv"),
                import::write_sheet_csv(&demo.headers, &demo.rows),
            )
            .context("writing catalog.csv")?;
            for (name, bytes) in &demo.files {
                std::fs::write(out.join(name), bytes).with_context(|| format!("writing {name}"))?;
            }
            eprintln!(
                "mercato: wrote {} rows and {} media files to {} in {:.1} s",
                demo.rows.len(),
                demo.files.len(),
                out.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Import {
            what:
                ImportCommand::Products {
                    file,
                    media,
                    mode,
                    dry_run,
                    report,
                },
        } => {
            let db = open_db(&config).await?;
            let app = App::new(db.clone(), settings(&config));
            let outcome = import_products(&app, &file, media, &mode, dry_run, &report).await;
            db.close().await;
            outcome
        }
        Command::Import {
            what: ImportCommand::Stock { file },
        } => {
            let db = open_db(&config).await?;
            let app = App::new(db.clone(), settings(&config));
            let outcome = import_stock(&app, &file).await;
            db.close().await;
            outcome
        }
        Command::Assess { json, lang } => {
            let db = open_db(&config).await?;
            let app = App::new(db.clone(), settings(&config));
            let report = mercato_app::maturity::measure(&app).await;
            db.close().await;
            let report = report.map_err(|e| anyhow::anyhow!("cannot measure the maturity: {e}"))?;
            // The report is the command's output (stdout), unlike the
            // progress and errors other commands write to stderr.
            let out = if json {
                serde_json::to_string_pretty(&report)? + "\n"
            } else {
                assess::text(&report, &mercato_web::i18n::Tr::new(&lang))
            };
            use std::io::Write as _;
            std::io::stdout().write_all(out.as_bytes())?;
            Ok(())
        }
        Command::Reindex => {
            let db = open_db(&config).await?;
            let app = App::new(db.clone(), settings(&config));
            let outcome = reindex(&app, &config).await;
            db.close().await;
            outcome
        }
        Command::Export {
            what: ExportCommand::Products { file },
        } => {
            let db = open_db(&config).await?;
            let app = App::new(db.clone(), settings(&config));
            let xlsx = file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
            let bytes = if xlsx {
                export::export_xlsx(&app, None).await
            } else {
                export::export_csv(&app, None).await
            };
            db.close().await;
            let bytes = bytes.map_err(|e| anyhow::anyhow!("cannot export: {e}"))?;
            std::fs::write(&file, bytes).with_context(|| format!("writing {}", file.display()))?;
            eprintln!("mercato: exported the catalog to {}", file.display());
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    password,
                    role,
                    name,
                },
        } => {
            let password = if password == "-" {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .context("reading the password from standard input")?;
                line.trim_end_matches(['\r', '\n']).to_string()
            } else {
                password
            };
            let db = open_db(&config).await?;
            let app = App::new(db.clone(), settings(&config));
            let result = auth::create_staff_user(
                &app,
                None,
                NewStaffUser {
                    email,
                    name,
                    password,
                    role,
                },
                &ClientInfo::default(),
            )
            .await;
            db.close().await;
            match result {
                Ok(user) => {
                    eprintln!(
                        "mercato: created staff user {} ({}) with id {}",
                        user.email,
                        user.staff_role.map(|r| r.code()).unwrap_or("-"),
                        user.id
                    );
                    Ok(())
                }
                Err(AppError::Invalid(fields)) => {
                    let lines: Vec<String> = fields
                        .iter()
                        .map(|f| format!("  --{}: {}", f.field, f.message))
                        .collect();
                    anyhow::bail!("cannot create the user:\n{}", lines.join("\n"))
                }
                Err(e) => Err(anyhow::anyhow!("cannot create the user: {e}")),
            }
        }
    }
}

/// Use-case settings for this configuration.
fn settings(config: &Config) -> AppSettings {
    let transport = match &config.smtp_url {
        Some(url) => MailTransport::Smtp(url.clone()),
        None => MailTransport::Directory(config.data_dir.join("mail")),
    };
    AppSettings {
        media_dir: Some(config.data_dir.join("media")),
        mail: MailSettings {
            transport,
            from: config.mail_from.clone(),
            public_url: config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.listen)),
            ..MailSettings::default()
        },
        ..AppSettings::default()
    }
}

/// `mercato reindex`: a full rebuild with a progress bar.
async fn reindex(app: &App, config: &Config) -> anyhow::Result<()> {
    let dir = search_dir(config);
    let words = mercato_app::search::catalog_dictionary(app.db())
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the catalog's words: {e}"))?;
    let service = mercato_app::search::SearchService::open(&dir, &words).map_err(|e| {
        anyhow::anyhow!(
            "cannot open the search index in {}: {e} (is `mercato serve` running on this data folder? \
             then rebuild through POST /api/v1/admin/search/reindex)",
            dir.display()
        )
    })?;
    let started = Instant::now();
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} indexing [{bar:40}] {pos}/{len} products ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let n = mercato_app::search::rebuild(app, service.index(), &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await
    .map_err(|e| anyhow::anyhow!("cannot rebuild the search index: {e}"))?;
    bar.finish_and_clear();
    eprintln!(
        "mercato: indexed {n} products in {:.1} s into {}",
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    Ok(())
}

/// This node's search index folder.
fn search_dir(config: &Config) -> PathBuf {
    config.data_dir.join("search")
}

async fn load_demo(app: &App) -> anyhow::Result<()> {
    match demo::load(app)
        .await
        .map_err(|e| anyhow::anyhow!("cannot load the demo catalog: {e}"))?
    {
        demo::DemoOutcome::NotEmpty => {
            eprintln!("mercato: the catalog has products already; demo data not loaded")
        }
        demo::DemoOutcome::Loaded(r) => {
            if !r.applied {
                for i in &r.issues {
                    eprintln!("  row {}: {} {:?}: {}", i.row, i.column, i.value, i.reason);
                }
                anyhow::bail!("the demo catalog did not import: {}", r.summary);
            }
            eprintln!("mercato: demo catalog loaded: {}", r.summary);
        }
    }
    Ok(())
}

async fn import_products(
    app: &App,
    file: &std::path::Path,
    media: Option<PathBuf>,
    mode: &str,
    dry_run: bool,
    reports: &[PathBuf],
) -> anyhow::Result<()> {
    let mode = ImportMode::parse(mode).ok_or_else(|| {
        anyhow::anyhow!("--mode must be valid-rows or all-or-nothing, not {mode:?}")
    })?;
    let meta = std::fs::metadata(file)
        .with_context(|| format!("{}: cannot read the file", file.display()))?;
    let limit = 64 * 1024 * 1024;
    if meta.len() > limit {
        anyhow::bail!(
            "{}: the file is {} MB; the limit is {} MB — split it into several files",
            file.display(),
            meta.len() / 1_000_000,
            limit / 1_000_000
        );
    }
    let bytes =
        std::fs::read(file).with_context(|| format!("{}: cannot read the file", file.display()))?;
    let folder = media.unwrap_or_else(|| {
        file.parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."))
    });
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg:>20} [{bar:30}] {pos}/{len} {per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let progress = |what: &str, done: usize, total: usize| {
        bar.set_message(what.to_string());
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let report = import::import_products(
        app,
        None,
        &name,
        &bytes,
        &FolderSource(folder),
        ImportOptions { mode, dry_run },
        &progress,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    bar.finish_and_clear();
    for i in &report.issues {
        if i.column.is_empty() {
            eprintln!("{}:{}: {}", file.display(), i.row, i.reason);
        } else {
            eprintln!(
                "{}:{}: column {}: value {:?}: {}",
                file.display(),
                i.row,
                i.column,
                i.value,
                i.reason
            );
        }
    }
    for n in &report.notes {
        eprintln!("note: {n}");
    }
    for path in reports {
        let body = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            report.to_csv()
        } else {
            serde_json::to_vec_pretty(&report).context("serialising the report")?
        };
        std::fs::write(path, body)
            .with_context(|| format!("writing the report {}", path.display()))?;
    }
    eprintln!("{}", report.summary);
    if report.issues.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("{} problem(s) in {}", report.issues.len(), file.display())
    }
}

async fn import_stock(app: &App, file: &std::path::Path) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(file).with_context(|| format!("{}: cannot read the file", file.display()))?;
    let name = file.display().to_string();
    let client = mercato_app::auth::ClientInfo::default();
    match mercato_app::stock::import_levels(app, None, &name, &bytes, &client).await {
        Ok(levels) => {
            eprintln!("{name}: {} stock levels applied", levels.len());
            Ok(())
        }
        Err(mercato_app::AppError::Invalid(errors)) => {
            for e in &errors {
                eprintln!("{}", e.message);
            }
            anyhow::bail!(
                "{name}: nothing applied: {} problem(s); fix them and import the file again",
                errors.len()
            )
        }
        Err(e) => anyhow::bail!("{name}: {e}"),
    }
}

/// Opens (creating the data folder for SQLite) and migrates the database.
async fn open_db(config: &Config) -> anyhow::Result<Db> {
    let url = config.database_url();
    if url.starts_with("sqlite:") {
        for dir in [
            config.data_dir.clone(),
            config.data_dir.join("index"),
            config.data_dir.join("media"),
        ] {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("creating the data folder {}", dir.display()))?;
        }
    }
    let options = DbOptions {
        max_connections: config.max_connections,
        ..Default::default()
    };
    let db = Db::connect(&url, &options)
        .await
        .with_context(|| format!("opening the database {}", config::redact_url(&url)))?;
    db.migrate().await.context("migrating the database")?;
    Ok(db)
}

/// The demo admin `serve --demo` creates when no staff user exists.
const DEMO_ADMIN: (&str, &str) = ("admin@demo.mercato.test", "mercato-demo-admin");

async fn serve(config: Config, demo: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let db = open_db(&config).await?;
    // Only the server owns the search index (one writer per folder).
    let search_words = mercato_app::search::catalog_dictionary(&db)
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the catalog's words: {e}"))?;
    let app = App::new(
        db.clone(),
        AppSettings {
            search_dir: Some(search_dir(&config)),
            search_words,
            ..settings(&config)
        },
    );
    if demo {
        match auth::bootstrap_admin(&app, DEMO_ADMIN.0, DEMO_ADMIN.1).await {
            Ok(Some(_)) => tracing::warn!(
                "demo data: created staff admin {} with password {} (a demo credential: never use --demo in production)",
                DEMO_ADMIN.0,
                DEMO_ADMIN.1
            ),
            Ok(None) => tracing::info!("demo data: staff users exist already; nothing added"),
            Err(e) => anyhow::bail!("cannot load demo data: {e}"),
        }
        load_demo(&app).await?;
    }
    if let (Some(email), Some(password)) = (&config.admin_email, &config.admin_password) {
        match auth::bootstrap_admin(&app, email, password).await {
            Ok(Some(u)) => {
                tracing::info!(email = %u.email, "created the first staff admin from MERCATO_ADMIN_EMAIL")
            }
            Ok(None) => {}
            Err(e) => anyhow::bail!(
                "cannot create the first admin from MERCATO_ADMIN_EMAIL/MERCATO_ADMIN_PASSWORD: {e}"
            ),
        }
    }

    let (stop_tx, stop_rx) = watch::channel(false);
    let stopped = |mut rx: watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let mut background = Vec::new();
    {
        let app = app.clone();
        let dispatcher = Dispatcher::new(db.clone(), Vec::new());
        let stop = stopped(stop_rx.clone());
        background.push(tokio::spawn(async move {
            dispatcher
                .run(app.events(), Duration::from_millis(500), stop)
                .await
        }));
    }
    {
        let app = app.clone();
        let stop = stopped(stop_rx.clone());
        background.push(tokio::spawn(async move {
            mercato_app::search::run_indexer(app, Duration::from_millis(500), stop).await
        }));
    }
    {
        let worker_name = format!("{}-{}", hostname(), std::process::id());
        let worker = Worker::new(
            db.clone(),
            "default",
            &worker_name,
            vec![
                Arc::new(Housekeeping { db: db.clone() }),
                Arc::new(MailSender::new(app.clone())),
            ],
        );
        background.push(tokio::spawn(
            worker.run(Duration::from_secs(1), stopped(stop_rx.clone())),
        ));
    }
    {
        // Schedules housekeeping hourly; the dedupe key keeps one pending.
        let db = db.clone();
        let stop = stopped(stop_rx.clone());
        background.push(tokio::spawn(async move {
            tokio::pin!(stop);
            let mut tick = tokio::time::interval(Duration::from_secs(3600));
            loop {
                tokio::select! {
                    _ = tick.tick() => {
                        let enqueue = async {
                            let mut tx = db.begin().await?;
                            mercato_app::jobs::enqueue(&mut tx, &Housekeeping::job()).await?;
                            tx.commit().await?;
                            Ok::<(), AppError>(())
                        };
                        if let Err(e) = enqueue.await {
                            tracing::warn!(error = %e, "could not schedule housekeeping");
                        }
                    }
                    _ = &mut stop => return,
                }
            }
        }));
    }

    let options = WebOptions {
        secure_cookies: config.secure_cookies,
        trust_proxy: config.trust_proxy,
        request_timeout: Duration::from_secs(config.request_timeout_secs),
        ..Default::default()
    };
    {
        // Dashboard rollups: closed days summed in the background, so a
        // dashboard request seldom has a day to sum itself.
        let stop = stopped(stop_rx.clone());
        background.push(tokio::spawn(mercato_app::reports::run_rollups(
            app.clone(),
            Duration::from_secs(300),
            stop,
        )));
    }
    let state = AppState::new(app.clone(), options);
    {
        // Storefront traffic is counted in memory and stored every 10 s,
        // and once more after the last request has been answered.
        let stop = stopped(stop_rx.clone());
        background.push(tokio::spawn(mercato_app::traffic::run_flusher(
            app,
            state.traffic.clone(),
            Duration::from_secs(10),
            stop,
        )));
    }
    let router = mercato_web::router(state);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let addr = listener
        .local_addr()
        .context("reading the listening address")?;
    tracing::info!(
        %addr,
        database = %config::redact_url(&config.database_url()),
        startup_ms = started.elapsed().as_millis() as u64,
        "Mercato is ready: back office http://{addr}/admin  API http://{addr}/api/v1  health http://{addr}/readyz"
    );
    mercato_web::serve(listener, router, shutdown_signal())
        .await
        .context("serving HTTP")?;

    tracing::info!("shutting down: stopping background work");
    let _ = stop_tx.send(true);
    for task in background {
        let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
    }
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "mercato".into())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
