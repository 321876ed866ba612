//! UI text from Fluent files (`locales/<lang>/*.ftl`), embedded at compile
//! time, and the language of a request: `?lang=`, then the `mercato_lang`
//! cookie, then `Accept-Language`, then Chinese.

use axum::http::header;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};
use std::borrow::Cow;
use std::collections::HashMap;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around placeables in HTML.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Cookie remembering the chosen language.
pub const LANG_COOKIE: &str = "mercato_lang";

/// The languages the UI speaks, by code.
pub const LANGS: [&str; 2] = ["zh-CN", "en"];

/// The language a request's `?lang=` chooses, when it names one the UI
/// speaks (the one parser of that parameter).
pub fn query_lang(parts: &Parts) -> Option<&'static str> {
    parts
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.strip_prefix("lang="))
        .find_map(|code| LANGS.into_iter().find(|l| l.eq_ignore_ascii_case(code)))
}

/// Translations for one request's language.
#[derive(Clone, Debug)]
pub struct Tr {
    code: &'static str,
    id: LanguageIdentifier,
}

impl Tr {
    /// The UI in `code` (`zh-CN` or `en`; anything else falls back to Chinese).
    pub fn new(code: &str) -> Self {
        let code = LANGS
            .into_iter()
            .find(|l| l.eq_ignore_ascii_case(code))
            .unwrap_or("zh-CN");
        let id = code.parse().unwrap_or_default();
        Self { code, id }
    }

    /// The language of a request.
    pub fn from_parts(parts: &Parts) -> Self {
        let from_query = query_lang(parts).map(str::to_string);
        let from_cookie = CookieJar::from_headers(&parts.headers)
            .get(LANG_COOKIE)
            .map(|c| c.value().to_string());
        let from_header = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(',').find_map(|part| {
                    let tag = part.split(';').next().unwrap_or("").trim().to_lowercase();
                    if tag.starts_with("zh") {
                        Some("zh-CN".to_string())
                    } else if tag.starts_with("en") {
                        Some("en".to_string())
                    } else {
                        None
                    }
                })
            });
        let chosen = [from_query, from_cookie, from_header]
            .into_iter()
            .flatten()
            .find(|c| LANGS.iter().any(|l| l.eq_ignore_ascii_case(c)));
        Self::new(chosen.as_deref().unwrap_or("zh-CN"))
    }

    /// The language code (`zh-CN`, `en`), for `<html lang>`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The other language, for the switch link.
    pub fn other(&self) -> &'static str {
        if self.code == "en" { "zh-CN" } else { "en" }
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&self.id, key)
    }

    /// The message `key` with named arguments.
    pub fn t_with(&self, key: &str, args: &[(&'static str, &str)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.to_string())))
            .collect();
        LOCALES.lookup_with_args(&self.id, key, &args)
    }

    /// A validation error's message, translated by its code where the
    /// locale knows one (`error-<code>`); the app layer words it in English.
    pub fn field_error(&self, f: &mercato_app::FieldError) -> String {
        self.t_or(&format!("error-{}", f.code), &f.message)
    }

    /// `key` when the locale defines it, else `fallback` (for messages the
    /// app layer words in English, e.g. field errors by code).
    pub fn t_or(&self, key: &str, fallback: &str) -> String {
        LOCALES
            .try_lookup(&self.id, key)
            .unwrap_or_else(|| fallback.to_string())
    }
}

/// Remembers a chosen language (`?lang=`) in the response's cookie for a
/// year, so later pages follow it.
pub fn remember(res: &mut axum::response::Response, tr: &Tr) {
    let cookie = axum_extra::extract::cookie::Cookie::build((LANG_COOKIE, tr.code()))
        .path("/")
        .same_site(axum_extra::extract::cookie::SameSite::Lax)
        .max_age(time::Duration::days(365))
        .build();
    if let Ok(v) = axum::http::HeaderValue::from_str(&cookie.to_string()) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_both_languages_without_isolation_marks() {
        let zh = Tr::new("zh-CN");
        let en = Tr::new("EN");
        assert_eq!(en.t("login-title"), "Sign in");
        assert_eq!(zh.t("login-title"), "登录");
        let s = en.t_with("users-invited", &[("email", "a@b.example")]);
        assert_eq!(s, "Invitation sent to a@b.example.");
        assert_eq!(Tr::new("fr").code(), "zh-CN");
    }
}
