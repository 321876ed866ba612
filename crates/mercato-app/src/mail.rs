//! E-mail to users: invitations, e-mail verification, password resets and
//! lockout notices.
//!
//! A use case enqueues an `email.send` job in its own transaction, naming
//! the user and the kind of message, never a secret. The job handler makes
//! the one-time link (so no link secret is ever stored in clear, not even
//! in the job table), renders the message in the user's market language and
//! hands it to the transport: SMTP in production, a folder of `.eml` files
//! (plus a `.json` summary tests read) in development and tests.

use crate::jobs::JobHandler;
use crate::{App, AppError, secret};
use futures::future::BoxFuture;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use mercato_core::{UserId, UserLinkId};
use mercato_store::companies::{self, LinkPurpose};
use mercato_store::jobs::{Job, NewJob};
use mercato_store::{Timestamp, Tx, catalog, users};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Where mail goes.
#[derive(Clone, Debug, Default)]
pub enum MailTransport {
    /// Nowhere: messages are logged (without links) and dropped.
    #[default]
    Disabled,
    /// Each message becomes `<id>.eml` plus `<id>.json` in this folder.
    Directory(PathBuf),
    /// An SMTP server, as `smtp://user:pass@host:587?tls=required` or
    /// `smtps://…:465` (lettre's URL form).
    Smtp(String),
}

/// Mail settings.
#[derive(Clone, Debug)]
pub struct MailSettings {
    pub transport: MailTransport,
    /// The sender, e.g. `Mercato <no-reply@example.com>`.
    pub from: String,
    /// Where links in messages point, e.g. `https://shop.example.com`.
    pub public_url: String,
    pub invitation_ttl: time::Duration,
    pub verify_ttl: time::Duration,
    pub reset_ttl: time::Duration,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            transport: MailTransport::Disabled,
            from: "Mercato <no-reply@mercato.invalid>".into(),
            public_url: "http://localhost:8080".into(),
            invitation_ttl: time::Duration::days(7),
            verify_ttl: time::Duration::days(2),
            reset_ttl: time::Duration::hours(1),
        }
    }
}

/// What to tell a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    /// Join your company on Mercato: set a password.
    Invitation,
    /// Confirm your e-mail address.
    VerifyEmail,
    /// Choose a new password.
    PasswordReset,
    /// Sign-in was locked after failed attempts.
    Lockout,
    /// Your company's account was approved.
    Approved,
    /// We received your order (with its lines and total).
    OrderPlaced,
    /// The seller confirmed your order.
    OrderConfirmed,
    /// Part or all of your order has shipped (carrier and tracking).
    OrderShipped,
}

#[derive(Serialize, Deserialize)]
struct MailJob {
    user_id: UserId,
    kind: MailKind,
    /// For order messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    order_id: Option<uuid::Uuid>,
}

/// The job kind that sends mail.
pub const JOB_KIND: &str = "email.send";

/// Enqueues a message to `user` inside the business transaction.
pub async fn enqueue(tx: &mut Tx, user: UserId, kind: MailKind) -> Result<(), AppError> {
    enqueue_job(
        tx,
        MailJob {
            user_id: user,
            kind,
            order_id: None,
        },
    )
    .await
}

/// Enqueues an order message (placed, confirmed, shipped) to `user`.
pub async fn enqueue_order(
    tx: &mut Tx,
    user: UserId,
    kind: MailKind,
    order: uuid::Uuid,
) -> Result<(), AppError> {
    enqueue_job(
        tx,
        MailJob {
            user_id: user,
            kind,
            order_id: Some(order),
        },
    )
    .await
}

async fn enqueue_job(tx: &mut Tx, job: MailJob) -> Result<(), AppError> {
    let payload = serde_json::to_value(job).map_err(|e| AppError::Internal(e.to_string()))?;
    crate::jobs::enqueue(
        tx,
        &NewJob {
            queue: "default".into(),
            kind: JOB_KIND.into(),
            payload,
            priority: 10,
            run_at: Timestamp::now(),
            max_attempts: 8,
            dedupe_key: None,
        },
    )
    .await?;
    Ok(())
}

/// The `email.send` job handler.
pub struct MailSender {
    app: App,
}

impl MailSender {
    pub fn new(app: App) -> Self {
        Self { app }
    }
}

impl JobHandler for MailSender {
    fn kind(&self) -> &'static str {
        JOB_KIND
    }

    fn run<'a>(&'a self, job: &'a Job) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let j: MailJob = serde_json::from_value(job.payload.clone())
                .map_err(|e| format!("bad payload: {e}"))?;
            send(&self.app, j.user_id, j.kind, j.order_id)
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// A rendered message.
#[derive(Debug, Serialize)]
struct Rendered {
    to: String,
    subject: String,
    text: String,
    kind: MailKind,
    /// The link in the message, for tests (the `.json` file only).
    link: Option<String>,
}

async fn send(
    app: &App,
    user_id: UserId,
    kind: MailKind,
    order_id: Option<uuid::Uuid>,
) -> Result<(), AppError> {
    let Some(user) = users::find(app.db(), user_id).await? else {
        return Ok(()); // deleted since: nothing to say
    };
    let settings = &app.settings().mail;
    let link = match kind {
        MailKind::Invitation => Some((
            LinkPurpose::Invitation,
            settings.invitation_ttl,
            "accept-invitation",
        )),
        MailKind::VerifyEmail => Some((
            LinkPurpose::VerifyEmail,
            settings.verify_ttl,
            "verify-email",
        )),
        MailKind::PasswordReset => Some((
            LinkPurpose::PasswordReset,
            settings.reset_ttl,
            "reset-password",
        )),
        MailKind::Lockout
        | MailKind::Approved
        | MailKind::OrderPlaced
        | MailKind::OrderConfirmed
        | MailKind::OrderShipped => None,
    };
    let link = match link {
        Some((purpose, ttl, page)) => {
            let secret = secret::generate();
            let now = Timestamp::now();
            let mut tx = app.db().begin().await?;
            companies::insert_link(
                &mut tx,
                UserLinkId::new(),
                user.id,
                purpose,
                &secret::digest(&secret),
                now.plus(ttl),
                now,
            )
            .await?;
            tx.commit().await?;
            Some(format!(
                "{}/account/{page}?token={secret}",
                settings.public_url.trim_end_matches('/')
            ))
        }
        None => None,
    };
    let chinese = match &user.membership {
        Some(m) => {
            let market = companies::get(
                app.db(),
                &companies::CompanyScope::after_access_check(m.company_id),
            )
            .await?
            .map(|c| c.market_code);
            let markets = catalog::list_markets(app.db()).await?;
            markets
                .iter()
                .find(|mk| Some(&mk.code) == market.as_ref())
                .and_then(|mk| mk.languages.first())
                .is_some_and(|l| l.as_str().starts_with("zh"))
        }
        None => false,
    };
    let company = user
        .membership
        .as_ref()
        .map(|m| m.company_name.as_str())
        .unwrap_or("");
    let (subject, text) = match order_id {
        Some(id) => {
            let Some(o) =
                mercato_store::orders::get(app.db(), mercato_store::orders::OrderReader::Staff, id)
                    .await?
            else {
                return Ok(());
            };
            let shipments = mercato_store::orders::shipments(app.db(), id).await?;
            let url = format!(
                "{}/account/orders/{id}",
                settings.public_url.trim_end_matches('/')
            );
            render_order(kind, chinese, &user.name, &o, shipments.last(), &url)
        }
        None => render(kind, chinese, &user.name, company, link.as_deref()),
    };
    let message = Rendered {
        to: user.email.as_str().to_string(),
        subject,
        text,
        kind,
        link,
    };
    deliver(settings, &message).await
}

fn render(
    kind: MailKind,
    chinese: bool,
    name: &str,
    company: &str,
    link: Option<&str>,
) -> (String, String) {
    let link = link.unwrap_or_default();
    match (kind, chinese) {
        (MailKind::Invitation, false) => (
            format!("You are invited to order for {company}"),
            format!(
                "Hello {name},\n\nyou have been invited to order for {company}. Choose your password here (the link works for 7 days, once):\n\n{link}\n"
            ),
        ),
        (MailKind::Invitation, true) => (
            format!("邀请您代表{company}采购"),
            format!(
                "{name}，您好：\n\n您已受邀代表{company}在线采购。请在 7 天内通过以下链接设置密码（仅可使用一次）：\n\n{link}\n"
            ),
        ),
        (MailKind::VerifyEmail, false) => (
            "Confirm your e-mail address".into(),
            format!(
                "Hello {name},\n\nplease confirm your e-mail address for {company}:\n\n{link}\n\nWe review new company accounts and write again when yours is approved.\n"
            ),
        ),
        (MailKind::VerifyEmail, true) => (
            "请确认您的电子邮箱".into(),
            format!(
                "{name}，您好：\n\n请点击以下链接确认{company}的电子邮箱：\n\n{link}\n\n我们会审核新的企业账户，通过后另行通知。\n"
            ),
        ),
        (MailKind::PasswordReset, false) => (
            "Choose a new password".into(),
            format!(
                "Hello {name},\n\nsomeone asked to reset the password of this account. If it was you, choose a new one here within an hour:\n\n{link}\n\nIf it was not you, ignore this message; your password stays as it is.\n"
            ),
        ),
        (MailKind::PasswordReset, true) => (
            "重置密码".into(),
            format!(
                "{name}，您好：\n\n有人申请重置此账户的密码。如果是您本人，请在一小时内通过以下链接设置新密码：\n\n{link}\n\n如果不是您本人，请忽略此邮件，您的密码不会改变。\n"
            ),
        ),
        (MailKind::Lockout, false) => (
            "Sign-in to your account was paused".into(),
            format!(
                "Hello {name},\n\nafter several wrong passwords, sign-in to your account is paused for 15 minutes. If this was not you, reset your password and tell your administrator.\n"
            ),
        ),
        (MailKind::Lockout, true) => (
            "账户登录已暂停".into(),
            format!(
                "{name}，您好：\n\n由于多次输入错误密码，您的账户登录已暂停 15 分钟。如果不是您本人操作，请重置密码并告知管理员。\n"
            ),
        ),
        (MailKind::Approved, false) => (
            format!("{company} can now order"),
            format!(
                "Hello {name},\n\nthe account of {company} has been approved. You can now order.\n"
            ),
        ),
        (MailKind::Approved, true) => (
            format!("{company}的企业账户已通过审核"),
            format!("{name}，您好：\n\n{company}的企业账户已通过审核，现在可以下单了。\n"),
        ),
        // Order messages come from `render_order`; without an order there is
        // nothing to say beyond this.
        (MailKind::OrderPlaced | MailKind::OrderConfirmed | MailKind::OrderShipped, _) => (
            "Mercato".into(),
            format!("Hello {name},\n\nthere is news about your order.\n"),
        ),
    }
}

/// An order message: what was ordered or shipped, and where to follow it.
fn render_order(
    kind: MailKind,
    chinese: bool,
    name: &str,
    o: &mercato_store::orders::Order,
    shipment: Option<&mercato_store::orders::Shipment>,
    url: &str,
) -> (String, String) {
    let (number, total) = (&o.number, o.totals.total);
    let tracking = shipment
        .map(|s| {
            let no = s.tracking_number.as_deref().unwrap_or("-");
            let link = s.tracking_url.as_deref().unwrap_or("");
            format!("{} {no} {link}", s.carrier)
        })
        .unwrap_or_default();
    match (kind, chinese) {
        (MailKind::OrderPlaced, false) => (
            format!("Order {number} received"),
            format!(
                "Hello {name},\n\nthank you for your order {number} ({total}). We will confirm it shortly.\n\nFollow it here: {url}\n"
            ),
        ),
        (MailKind::OrderPlaced, true) => (
            format!("已收到订单 {number}"),
            format!(
                "{name}，您好：\n\n感谢您的订单 {number}（{total}），我们将尽快确认。\n\n查看订单：{url}\n"
            ),
        ),
        (MailKind::OrderConfirmed, false) => (
            format!("Order {number} confirmed"),
            format!("Hello {name},\n\nyour order {number} has been confirmed.\n\n{url}\n"),
        ),
        (MailKind::OrderConfirmed, true) => (
            format!("订单 {number} 已确认"),
            format!("{name}，您好：\n\n您的订单 {number} 已确认。\n\n{url}\n"),
        ),
        (_, false) => (
            format!("Order {number} has shipped"),
            format!("Hello {name},\n\nyour order {number} is on its way: {tracking}\n\n{url}\n"),
        ),
        (_, true) => (
            format!("订单 {number} 已发货"),
            format!("{name}，您好：\n\n您的订单 {number} 已发货：{tracking}\n\n{url}\n"),
        ),
    }
}

async fn deliver(settings: &MailSettings, m: &Rendered) -> Result<(), AppError> {
    let internal = |e: &dyn std::fmt::Display| AppError::Internal(format!("mail: {e}"));
    let build = || -> Result<Message, AppError> {
        Message::builder()
            .from(settings.from.parse().map_err(|e| internal(&e))?)
            .to(m.to.parse().map_err(|e| internal(&e))?)
            .subject(m.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(m.text.clone())
            .map_err(|e| internal(&e))
    };
    match &settings.transport {
        MailTransport::Disabled => {
            tracing::info!(kind = ?m.kind, "mail transport disabled; message dropped");
            Ok(())
        }
        MailTransport::Directory(dir) => {
            let message = build()?;
            let id = uuid::Uuid::now_v7();
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| internal(&e))?;
            let json = serde_json::to_vec_pretty(m).map_err(|e| internal(&e))?;
            tokio::fs::write(dir.join(format!("{id}.eml")), message.formatted())
                .await
                .map_err(|e| internal(&e))?;
            // The summary last: a reader that sees it sees a whole message.
            tokio::fs::write(dir.join(format!("{id}.json")), json)
                .await
                .map_err(|e| internal(&e))?;
            Ok(())
        }
        MailTransport::Smtp(url) => {
            let message = build()?;
            let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map_err(|e| internal(&e))?
                .build();
            transport.send(message).await.map_err(|e| internal(&e))?;
            Ok(())
        }
    }
}
