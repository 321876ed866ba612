//! Configuration, layered: built-in defaults < `mercato.toml` <
//! `MERCATO_*` environment variables < command-line flags. figment keeps
//! where each value came from, so a bad value names its key and its source
//! (the file, or the variable).

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Everything `mercato` can be configured with.
#[derive(Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Folder for the SQLite file, the search index and media.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default: SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// Most database connections.
    pub max_connections: u32,
    /// With `admin_password`: creates this staff admin on start when no staff user exists.
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
    /// Mark cookies Secure (set when serving over HTTPS).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` for the client address (behind your own proxy only).
    pub trust_proxy: bool,
    /// Longest a request may run, in seconds.
    pub request_timeout_secs: u64,
    /// `text` or `json`.
    pub log_format: String,
    /// SMTP server for e-mail (`smtps://user:pass@host:465`,
    /// `smtp://host:587?tls=required`); without it, messages are written to
    /// `data_dir/mail` as `.eml` files.
    pub smtp_url: Option<String>,
    /// Sender of e-mail.
    pub mail_from: String,
    /// The address buyers reach this shop at; links in e-mail point there.
    pub public_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("mercato-data"),
            database_url: None,
            max_connections: 16,
            admin_email: None,
            admin_password: None,
            secure_cookies: false,
            trust_proxy: false,
            request_timeout_secs: 30,
            log_format: "text".into(),
            smtp_url: None,
            mail_from: "Mercato <no-reply@mercato.invalid>".into(),
            public_url: None,
        }
    }
}

/// Secrets stay out of logs and error messages.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("max_connections", &self.max_connections)
            .field("admin_email", &self.admin_email)
            .field(
                "admin_password",
                &self.admin_password.as_ref().map(|_| "<redacted>"),
            )
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_proxy", &self.trust_proxy)
            .field("request_timeout_secs", &self.request_timeout_secs)
            .field("log_format", &self.log_format)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("public_url", &self.public_url)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Every configuration key, as `MERCATO_<KEY>` reads them.
const KEYS: [&str; 13] = [
    "listen",
    "data_dir",
    "database_url",
    "max_connections",
    "admin_email",
    "admin_password",
    "secure_cookies",
    "trust_proxy",
    "request_timeout_secs",
    "log_format",
    "smtp_url",
    "mail_from",
    "public_url",
];

/// Flags given on the command line (only those set override).
#[derive(Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl Config {
    /// Loads the layers. `file` is `--config` (default `mercato.toml` when it exists).
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> Result<Config, String> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => {
                return Err(format!("config file {} does not exist", path.display()));
            }
            Some(path) => fig = fig.merge(Toml::file_exact(path)),
            None if Path::new("mercato.toml").exists() => {
                fig = fig.merge(Toml::file_exact("mercato.toml"))
            }
            None => {}
        }
        fig = fig
            // Only the keys above: other MERCATO_* variables (MERCATO_LOG,
            // MERCATO_CONFIG, test switches) belong to other parts.
            .merge(Env::prefixed("MERCATO_").only(&KEYS))
            .merge(Serialized::defaults(overrides));
        let config: Config = fig.extract().map_err(|e| describe(&e))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), String> {
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(format!(
                "log_format must be \"text\" or \"json\", not {:?}",
                self.log_format
            ));
        }
        if let Some(url) = &self.database_url
            && !["sqlite:", "postgres:", "postgresql:"]
                .iter()
                .any(|s| url.starts_with(s))
        {
            return Err(format!(
                "database_url must start with sqlite:// or postgres://, not {:?}",
                redact_url(url)
            ));
        }
        if self.admin_email.is_some() != self.admin_password.is_some() {
            return Err("set both admin_email and admin_password (MERCATO_ADMIN_EMAIL, MERCATO_ADMIN_PASSWORD), or neither".into());
        }
        if self.max_connections == 0 || self.request_timeout_secs == 0 {
            return Err("max_connections and request_timeout_secs must be at least 1".into());
        }
        if let Some(url) = &self.smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(format!(
                "smtp_url must start with smtp:// or smtps://, not {:?}",
                redact_url(url)
            ));
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(format!(
                "mail_from must be an address such as \"Shop <no-reply@example.com>\", not {:?}",
                self.mail_from
            ));
        }
        Ok(())
    }

    /// The database URL in effect.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.data_dir.join("mercato.sqlite").display()
            )
        })
    }
}

/// One line per problem, each naming the key and where its value came from.
fn describe(e: &figment::Error) -> String {
    e.clone()
        .into_iter()
        .map(|err| {
            let key = err.path.join(".");
            let source = err
                .metadata
                .as_ref()
                .map(|m| match (&m.source, &err.profile) {
                    (Some(src), _) => format!("{} ({src})", m.name),
                    // Name the variable itself, e.g. MERCATO_LISTEN.
                    (None, _) if m.name.contains("environment") && !err.path.is_empty() => {
                        format!(
                            "environment variable MERCATO_{}",
                            err.path.join("_").to_uppercase()
                        )
                    }
                    (None, _) => m.name.to_string(),
                })
                .unwrap_or_else(|| "configuration".into());
            let what = err.kind.to_string();
            if key.is_empty() {
                format!("{source}: {what}")
            } else {
                format!("invalid value for `{key}` from {source}: {what}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail API returns its own error type
    fn layers_and_sources() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "mercato.toml",
                "listen = \"127.0.0.1:9000\"\nmax_connections = 4\n",
            )?;
            jail.set_env("MERCATO_MAX_CONNECTIONS", "8");
            jail.set_env("MERCATO_LOG", "debug");
            jail.set_env("MERCATO_REQUIRE_POSTGRES", "1");
            let c = Config::load(None, &Overrides::default()).unwrap();
            assert_eq!(c.listen.port(), 9000, "file beats defaults");
            assert_eq!(c.max_connections, 8, "env beats file");
            let flags = Overrides {
                listen: Some("127.0.0.1:9100".into()),
                ..Default::default()
            };
            assert_eq!(
                Config::load(None, &flags).unwrap().listen.port(),
                9100,
                "flags beat env"
            );

            jail.set_env("MERCATO_LISTEN", "not-an-address");
            let err = Config::load(None, &Overrides::default()).unwrap_err();
            assert!(
                err.contains("listen") && err.contains("MERCATO_LISTEN"),
                "{err}"
            );

            jail.clear_env();
            jail.create_file("mercato.toml", "max_connections = \"many\"\n")?;
            let err = Config::load(None, &Overrides::default()).unwrap_err();
            assert!(
                err.contains("max_connections") && err.contains("mercato.toml"),
                "{err}"
            );

            jail.create_file("mercato.toml", "colour = \"blue\"\n")?;
            let err = Config::load(None, &Overrides::default()).unwrap_err();
            assert!(err.contains("colour"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn secrets_never_print() {
        let c = Config {
            admin_password: Some("hunter2hunter2".into()),
            database_url: Some("postgres://app:s3cret@db/mercato".into()),
            ..Config::default()
        };
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("s3cret"),
            "{shown}"
        );
        assert!(shown.contains("postgres://app:***@db/mercato"));
    }
}
