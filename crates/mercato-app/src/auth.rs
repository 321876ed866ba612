//! Sign-in, sessions, bearer tokens and staff users.

use crate::password::{self, Verified};
use crate::{App, AppError, FieldError, secret};
use mercato_core::company::{CompanyDenial, company_allows};
use mercato_core::{
    ApiScope, ApiTokenId, AuditId, Email, PasswordPolicy, Permission, SessionId, StaffRole, UserId,
};
use mercato_store::audit::{self, AuditEntry};
use mercato_store::outbox::{self, NewEvent};
use mercato_store::users::NewUser;
use mercato_store::{Timestamp, login_attempts, sessions, tokens, users};
use serde_json::json;

pub use mercato_store::tokens::ApiToken;
pub use mercato_store::users::{Membership, User, UserKind};

/// Prefix of every Mercato bearer token, so secret scanners can spot leaks.
pub const TOKEN_PREFIX: &str = "mct_";

/// Where a request came from, for the audit log and rate limits.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

/// How the caller proved who they are.
#[derive(Clone, Debug)]
pub enum AuthVia {
    /// A browser session cookie; unsafe requests must echo `csrf_token`.
    Session { id: SessionId, csrf_token: String },
    /// An `Authorization: Bearer` token, narrowed by its scopes.
    Token {
        id: ApiTokenId,
        scopes: Vec<ApiScope>,
    },
}

/// An authenticated caller.
#[derive(Clone, Debug)]
pub struct Principal {
    /// Whose rights apply: the signed-in user, or the buyer a staff member
    /// acts for.
    pub user: User,
    pub via: AuthVia,
    /// The staff member acting for `user` (S9), when one is.
    pub acting_staff: Option<User>,
}

impl Principal {
    /// Whether the role allows `p` and the account's state lets it be used.
    fn role_decision(&self, p: Permission) -> Result<(), Option<CompanyDenial>> {
        if let Some(r) = self.user.staff_role {
            return if r.allows(p) { Ok(()) } else { Err(None) };
        }
        match &self.user.membership {
            Some(m) => company_allows(&m.roles, m.company_status, p).map_err(|d| match d {
                CompanyDenial::Role => None,
                other => Some(other),
            }),
            None => Err(None),
        }
    }

    fn scope_allows(&self, p: Permission) -> bool {
        match &self.via {
            AuthVia::Session { .. } => true,
            AuthVia::Token { scopes, .. } => scopes.iter().any(|s| s.covers(p)),
        }
    }

    /// Whether the caller may exercise `p`: the role (staff or company) must
    /// allow it, the company's state must permit it and, for a token, a
    /// scope must cover it.
    pub fn allows(&self, p: Permission) -> bool {
        self.role_decision(p).is_ok() && self.scope_allows(p)
    }

    /// [`Principal::allows`] or 403: `forbidden`, or `company_on_hold` /
    /// `company_pending` when only the company's state stands in the way.
    pub fn require(&self, p: Permission, doing: &'static str) -> Result<(), AppError> {
        if !self.scope_allows(p) {
            return Err(AppError::Forbidden(doing));
        }
        match self.role_decision(p) {
            Ok(()) => Ok(()),
            Err(Some(denial)) => Err(AppError::Refused {
                code: match denial {
                    CompanyDenial::OnHold => "company_on_hold",
                    _ => "company_pending",
                },
                detail: denial.to_string(),
            }),
            Err(None) => Err(AppError::Forbidden(doing)),
        }
    }

    /// Permissions this caller holds, for `GET /me`.
    pub fn permissions(&self) -> Vec<Permission> {
        let granted = match (self.user.staff_role, &self.user.membership) {
            (Some(r), _) => r.permissions().to_vec(),
            (None, Some(m)) => m.roles.permissions(),
            (None, None) => Vec::new(),
        };
        granted.into_iter().filter(|p| self.allows(*p)).collect()
    }

    /// The buyer's company membership, if the caller is (or acts for) a buyer.
    pub fn membership(&self) -> Option<&Membership> {
        self.user.membership.as_ref()
    }

    /// `(actor, on_behalf_of)` for the audit log: the staff member and the
    /// buyer when acting for one, else the user alone.
    pub fn audit_ids(&self) -> (Option<UserId>, Option<UserId>) {
        match &self.acting_staff {
            Some(staff) => (Some(staff.id), Some(self.user.id)),
            None => (Some(self.user.id), None),
        }
    }

    /// An audit entry for an action by this caller.
    pub fn audit(
        &self,
        action: &str,
        subject_type: &str,
        subject_id: String,
        detail: serde_json::Value,
        client: &ClientInfo,
    ) -> AuditEntry {
        let (actor, on_behalf_of) = self.audit_ids();
        let mut e = audit_entry(actor, action, subject_type, subject_id, detail, client);
        e.on_behalf_of = on_behalf_of;
        e
    }
}

pub(crate) fn audit_entry(
    actor: Option<UserId>,
    action: &str,
    subject_type: &str,
    subject_id: String,
    detail: serde_json::Value,
    client: &ClientInfo,
) -> AuditEntry {
    AuditEntry {
        id: AuditId::new(),
        occurred_at: Timestamp::now(),
        actor,
        on_behalf_of: None,
        action: action.into(),
        subject_type: subject_type.into(),
        subject_id: Some(subject_id),
        detail,
        ip: client.ip.clone(),
        request_id: client.request_id.clone(),
    }
}

/// The name a user is shown by: as given, else the e-mail's local part.
pub(crate) fn display_name(name: String, email: &Email) -> String {
    if name.is_empty() {
        email
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_string()
    } else {
        name
    }
}

/// Stores a new user (staff or buyer); a taken e-mail, in any case, is
/// `email_taken`.
pub(crate) async fn insert_user(
    tx: &mut mercato_store::Tx,
    new: &NewUser,
    now: Timestamp,
) -> Result<(), AppError> {
    users::insert(tx, new, now).await.map_err(|e| {
        if e.is_conflict_on("email") {
            AppError::Conflict {
                code: "email_taken",
                detail: format!("a user with e-mail {} already exists", new.email),
            }
        } else {
            e.into()
        }
    })
}

/// Input for a new staff user.
#[derive(Clone, Debug)]
pub struct NewStaffUser {
    pub email: String,
    pub name: String,
    pub password: String,
    pub role: String,
}

/// Creates a staff user. `actor` is `None` for the CLI and first-start
/// bootstrap, which act as the operator of the machine; otherwise the
/// actor needs [`Permission::ManageStaff`].
pub async fn create_staff_user(
    app: &App,
    actor: Option<&Principal>,
    input: NewStaffUser,
    client: &ClientInfo,
) -> Result<User, AppError> {
    if let Some(p) = actor {
        p.require(Permission::ManageStaff, "create staff users")?;
    }
    let mut errors = Vec::new();
    let email = Email::parse(&input.email)
        .map_err(|e| errors.push(FieldError::new("email", "invalid_email", e.to_string())))
        .ok();
    let role = StaffRole::parse(&input.role);
    if role.is_none() {
        let known: Vec<_> = StaffRole::ALL.iter().map(|r| r.code()).collect();
        errors.push(FieldError::new(
            "role",
            "unknown_role",
            format!("role must be one of {}", known.join(", ")),
        ));
    }
    if let Err(e) = PasswordPolicy::default().check(&input.password, input.email.trim()) {
        errors.push(FieldError::new("password", "weak_password", e.to_string()));
    }
    let name = input.name.trim().to_string();
    if name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "too_long",
            "name must be at most 200 characters",
        ));
    }
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let name = display_name(name, &email);

    let password_hash = password::hash(input.password, app.settings().argon2).await?;
    let new = NewUser {
        id: UserId::new(),
        email: email.clone(),
        name,
        password_hash,
        kind: UserKind::Staff,
        staff_role: Some(role),
        company: None,
        email_verified: false,
    };
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    insert_user(&mut tx, &new, now).await?;
    let detail = json!({ "email": email.as_str(), "role": role.code() });
    audit::record(
        &mut tx,
        &audit_entry(
            actor.map(|p| p.user.id),
            "user.create",
            "user",
            new.id.to_string(),
            detail.clone(),
            client,
        ),
    )
    .await?;
    outbox::append(
        &mut tx,
        &NewEvent {
            aggregate_type: "user".into(),
            aggregate_id: new.id.to_string(),
            event_type: "user.created".into(),
            payload: detail,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    app.events().notify();
    users::find(app.db(), new.id)
        .await?
        .ok_or(AppError::NotFound("user"))
}

/// Creates the first admin from `MERCATO_ADMIN_EMAIL`/`_PASSWORD` when no
/// staff user exists yet; returns it, or `None` when staff already exist.
pub async fn bootstrap_admin(
    app: &App,
    email: &str,
    password: &str,
) -> Result<Option<User>, AppError> {
    if users::count_staff(app.db()).await? > 0 {
        return Ok(None);
    }
    let input = NewStaffUser {
        email: email.into(),
        name: "Administrator".into(),
        password: password.into(),
        role: "admin".into(),
    };
    match create_staff_user(app, None, input, &ClientInfo::default()).await {
        Ok(u) => Ok(Some(u)),
        // Another node bootstrapped at the same moment.
        Err(AppError::Conflict {
            code: "email_taken",
            ..
        }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// What a successful sign-in hands back. The secrets exist only here.
#[derive(Debug)]
pub struct SignedIn {
    pub user: User,
    /// Goes into the session cookie.
    pub session_secret: String,
    pub csrf_token: String,
    pub session_expires_at: Timestamp,
    /// Short-lived bearer token for API use.
    pub token: String,
    pub token_expires_at: Timestamp,
}

/// Signs a user in: checks the rate limit, the password, and opens a
/// session plus a short-lived bearer token. Wrong e-mail and wrong
/// password are indistinguishable, in answer and in time.
pub async fn sign_in(
    app: &App,
    email: &str,
    password_input: &str,
    client: &ClientInfo,
) -> Result<SignedIn, AppError> {
    let s = app.settings();
    let now = Timestamp::now();
    let email_key = email.trim().to_lowercase();
    let ip = client.ip.clone().unwrap_or_else(|| "unknown".into());
    let (by_email, by_ip) =
        login_attempts::recent_failures(app.db(), &email_key, &ip, now.plus(-s.login_window))
            .await?;
    if by_email >= s.login_max_failures_per_email || by_ip >= s.login_max_failures_per_ip {
        tracing::warn!(ip = %ip, "sign-in rate limit hit");
        return Err(AppError::RateLimited {
            retry_after_secs: s.login_window.whole_seconds().unsigned_abs(),
        });
    }

    let user = match Email::parse(email) {
        Ok(e) => users::find_by_email(app.db(), &e).await?,
        Err(_) => None,
    };
    let verified = match &user {
        Some(u) if u.active && u.has_password() => {
            password::verify(
                password_input.to_string(),
                u.password_hash.clone(),
                s.argon2,
            )
            .await?
        }
        _ => {
            password::burn_time(s.argon2).await;
            Verified::No
        }
    };
    let (user, rehash) = match (user, verified) {
        (Some(u), Verified::Yes) => (u, None),
        (Some(u), Verified::YesRehash(h)) => (u, Some(h)),
        (user, _) => {
            login_attempts::record(app.db(), &email_key, &ip, false, now).await?;
            // The attempt that locks the account tells its owner, once.
            if let Some(u) = user
                && by_email + 1 == s.login_max_failures_per_email
            {
                let mut tx = app.db().begin().await?;
                crate::mail::enqueue(&mut tx, u.id, crate::mail::MailKind::Lockout).await?;
                tx.commit().await?;
            }
            return Err(AppError::InvalidCredentials);
        }
    };
    login_attempts::record(app.db(), &email_key, &ip, true, now).await?;
    users::record_login(app.db(), user.id, now, rehash.as_deref()).await?;

    let session_secret = secret::generate();
    let csrf_token = secret::generate();
    let token = format!("{TOKEN_PREFIX}{}", secret::generate());
    let session_expires_at = now.plus(s.session_idle);
    let token_expires_at = now.plus(s.login_token_ttl);
    let session_id = SessionId::new();
    let token_id = ApiTokenId::new();

    let mut tx = app.db().begin().await?;
    let secret_hash = secret::digest(&session_secret);
    sessions::insert(
        &mut tx,
        &sessions::NewSession {
            id: session_id,
            secret_hash: &secret_hash,
            user_id: user.id,
            csrf_token: &csrf_token,
            expires_at: session_expires_at,
            ip: client.ip.as_deref(),
            user_agent: client.user_agent.as_deref(),
        },
        now,
    )
    .await?;
    let token_hash = secret::digest(&token);
    tokens::insert(
        &mut tx,
        &tokens::NewApiToken {
            id: token_id,
            user_id: user.id,
            name: "sign-in",
            kind: "login",
            token_hash: &token_hash,
            prefix: &token[..12],
            scopes: &[ApiScope::Full.code().to_string()],
            expires_at: Some(token_expires_at),
        },
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        &audit_entry(
            Some(user.id),
            "auth.login",
            "session",
            session_id.to_string(),
            json!({}),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(SignedIn {
        user,
        session_secret,
        csrf_token,
        session_expires_at,
        token,
        token_expires_at,
    })
}

/// Ends the caller's session (or revokes the bearer token used).
pub async fn sign_out(
    app: &App,
    principal: &Principal,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    let subject = match &principal.via {
        AuthVia::Session { id, .. } => {
            sessions::delete(&mut tx, *id).await?;
            ("session", id.to_string())
        }
        AuthVia::Token { id, .. } => {
            tokens::revoke(&mut tx, *id, principal.user.id, now).await?;
            ("api_token", id.to_string())
        }
    };
    audit::record(
        &mut tx,
        &principal.audit("auth.logout", subject.0, subject.1, json!({}), client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Writes to `last_seen_at`/`last_used_at` at most this often, so that
/// reading pages does not turn into a write per request.
const TOUCH_EVERY: time::Duration = time::Duration::minutes(1);

/// The caller behind a session cookie secret, sliding the session's expiry.
pub async fn authenticate_session(
    app: &App,
    session_secret: &str,
) -> Result<Option<Principal>, AppError> {
    let now = Timestamp::now();
    let Some((session, user)) =
        sessions::find_live(app.db(), &secret::digest(session_secret), now).await?
    else {
        return Ok(None);
    };
    if !user.active {
        return Ok(None);
    }
    if now.as_offset() - session.last_seen_at.as_offset() > TOUCH_EVERY {
        sessions::touch(
            app.db(),
            session.id,
            now,
            now.plus(app.settings().session_idle),
        )
        .await?;
    }
    let via = AuthVia::Session {
        id: session.id,
        csrf_token: session.csrf_token,
    };
    if let Some(buyer_id) = session.acting_for {
        // Re-checked on every request: a rep unassigned since, or a buyer
        // disabled since, ends the acting at once.
        if let Some(buyer) = users::find(app.db(), buyer_id).await?
            && buyer.active
            && let Some(m) = &buyer.membership
            && crate::companies::staff_may_access(app, &user, m.company_id).await?
        {
            return Ok(Some(Principal {
                user: buyer,
                via,
                acting_staff: Some(user),
            }));
        }
    }
    Ok(Some(Principal {
        user,
        via,
        acting_staff: None,
    }))
}

/// The caller behind a bearer token.
pub async fn authenticate_bearer(app: &App, token: &str) -> Result<Option<Principal>, AppError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let now = Timestamp::now();
    let Some((t, user)) = tokens::find_live(app.db(), &secret::digest(token), now).await? else {
        return Ok(None);
    };
    if !user.active {
        return Ok(None);
    }
    if t.last_used_at
        .is_none_or(|at| now.as_offset() - at.as_offset() > TOUCH_EVERY)
    {
        tokens::touch(app.db(), t.id, now).await?;
    }
    let scopes = t.scopes.iter().filter_map(|s| ApiScope::parse(s)).collect();
    Ok(Some(Principal {
        user,
        via: AuthVia::Token { id: t.id, scopes },
        acting_staff: None,
    }))
}

/// Input for a long-lived integration token.
#[derive(Clone, Debug)]
pub struct NewApiTokenInput {
    pub name: String,
    pub scopes: Vec<String>,
    /// `None` for a token that lives until revoked.
    pub expires_in_days: Option<u32>,
}

/// A created token; `secret` is shown once and never stored.
#[derive(Debug)]
pub struct CreatedApiToken {
    pub token: ApiToken,
    pub secret: String,
}

/// Creates a scoped token for the caller's own use in integrations.
pub async fn create_api_token(
    app: &App,
    principal: &Principal,
    input: NewApiTokenInput,
    client: &ClientInfo,
) -> Result<CreatedApiToken, AppError> {
    if let AuthVia::Token { scopes, .. } = &principal.via
        && !scopes.contains(&ApiScope::Full)
    {
        return Err(AppError::Forbidden("create tokens with a scoped token"));
    }
    if principal.acting_staff.is_some() {
        return Err(AppError::Forbidden(
            "create tokens while acting for a customer",
        ));
    }
    // Company tokens are for the company's own systems: its admins make them.
    if principal.membership().is_some() {
        principal.require(Permission::ManageApiTokens, "create API tokens")?;
    }
    let mut errors = Vec::new();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new(
            "name",
            "invalid_name",
            "name must be 1 to 100 characters",
        ));
    }
    let mut scopes = Vec::new();
    for s in &input.scopes {
        match ApiScope::parse(s) {
            Some(scope) if !scopes.contains(&scope) => scopes.push(scope),
            Some(_) => {}
            None => {
                let known: Vec<_> = ApiScope::ALL.iter().map(|s| s.code()).collect();
                errors.push(FieldError::new(
                    "scopes",
                    "unknown_scope",
                    format!("unknown scope {s:?}; use {}", known.join(", ")),
                ));
            }
        }
    }
    if input.scopes.is_empty() {
        errors.push(FieldError::new(
            "scopes",
            "required",
            "name at least one scope",
        ));
    }
    if input.expires_in_days.is_some_and(|d| d == 0 || d > 3650) {
        errors.push(FieldError::new(
            "expires_in_days",
            "out_of_range",
            "expires_in_days must be 1 to 3650",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }

    let now = Timestamp::now();
    let secret = format!("{TOKEN_PREFIX}{}", secret::generate());
    let id = ApiTokenId::new();
    let scope_codes: Vec<String> = scopes.iter().map(|s| s.code().to_string()).collect();
    let expires_at = input
        .expires_in_days
        .map(|d| now.plus(time::Duration::days(i64::from(d))));
    let mut tx = app.db().begin().await?;
    let hash = secret::digest(&secret);
    tokens::insert(
        &mut tx,
        &tokens::NewApiToken {
            id,
            user_id: principal.user.id,
            name: &name,
            kind: "integration",
            token_hash: &hash,
            prefix: &secret[..12],
            scopes: &scope_codes,
            expires_at,
        },
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        &audit_entry(
            Some(principal.user.id),
            "api_token.create",
            "api_token",
            id.to_string(),
            json!({ "name": name, "scopes": scope_codes }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    let token = ApiToken {
        id,
        user_id: principal.user.id,
        name,
        kind: "integration".into(),
        prefix: secret[..12].to_string(),
        scopes: scope_codes,
        created_at: now,
        expires_at,
        last_used_at: None,
    };
    Ok(CreatedApiToken { token, secret })
}

/// The caller's integration tokens.
pub async fn list_api_tokens(app: &App, principal: &Principal) -> Result<Vec<ApiToken>, AppError> {
    Ok(tokens::list_for_user(app.db(), principal.user.id).await?)
}

/// Revokes one of the caller's tokens.
pub async fn revoke_api_token(
    app: &App,
    principal: &Principal,
    id: ApiTokenId,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    if !tokens::revoke(&mut tx, id, principal.user.id, now).await? {
        return Err(AppError::NotFound("token"));
    }
    audit::record(
        &mut tx,
        &principal.audit(
            "api_token.revoke",
            "api_token",
            id.to_string(),
            json!({}),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every staff member's integration tokens (never their secrets), with
/// their owners, for staff who manage API tokens.
pub async fn list_staff_api_tokens(
    app: &App,
    principal: &Principal,
) -> Result<Vec<tokens::StaffToken>, AppError> {
    require_staff(
        Some(principal),
        Permission::ManageApiTokens,
        "see the staff's API tokens",
    )?;
    Ok(tokens::list_staff_integration(app.db()).await?)
}

/// Revokes any staff member's integration token (an integration retired,
/// a secret leaked, its owner gone), for staff who manage API tokens. The
/// audit entry names the owner.
pub async fn revoke_staff_api_token(
    app: &App,
    principal: &Principal,
    id: ApiTokenId,
    client: &ClientInfo,
) -> Result<(), AppError> {
    require_staff(
        Some(principal),
        Permission::ManageApiTokens,
        "revoke API tokens",
    )?;
    let now = Timestamp::now();
    let mut tx = app.db().begin().await?;
    let Some(owner) = tokens::revoke_staff_integration(&mut tx, id, now).await? else {
        return Err(AppError::NotFound("token"));
    };
    audit::record(
        &mut tx,
        &principal.audit(
            "api_token.revoke",
            "api_token",
            id.to_string(),
            json!({ "owner": owner.to_string() }),
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An audit entry by `p`, or by the operator (CLI, demo loader) for `None`.
pub(crate) fn audit_by(
    p: Option<&Principal>,
    action: &str,
    subject_type: &str,
    subject_id: String,
    detail: serde_json::Value,
    client: &ClientInfo,
) -> mercato_store::audit::AuditEntry {
    match p {
        Some(p) => p.audit(action, subject_type, subject_id, detail, client),
        None => audit_entry(None, action, subject_type, subject_id, detail, client),
    }
}

/// Staff (or the operator, `None`) with `perm`; company users are refused
/// even where a role would allow it, since they act for their company only.
pub(crate) fn require_staff(
    p: Option<&Principal>,
    perm: Permission,
    doing: &'static str,
) -> Result<(), AppError> {
    let Some(p) = p else { return Ok(()) };
    if p.membership().is_some() {
        return Err(AppError::Forbidden(doing));
    }
    p.require(perm, doing)
}
