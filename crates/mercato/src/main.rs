//! `mercato`: the B2B commerce platform in one binary.
#![forbid(unsafe_code)]

mod config;

use anyhow::Context;
use clap::{Parser, Subcommand};
use config::{Config, Overrides};
use mercato_app::auth::{self, ClientInfo, NewStaffUser};
use mercato_app::events::Dispatcher;
use mercato_app::jobs::{Housekeeping, Worker};
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
    /// Manages staff users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
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
            let app = App::new(db.clone(), AppSettings::default());
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
    let app = App::new(db.clone(), AppSettings::default());
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
        let worker_name = format!("{}-{}", hostname(), std::process::id());
        let worker = Worker::new(
            db.clone(),
            "default",
            &worker_name,
            vec![Arc::new(Housekeeping { db: db.clone() })],
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
    let router = mercato_web::router(AppState::new(app, options));
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
