//! Password hashing with Argon2id (PHC strings). Hashing costs tens of
//! milliseconds of CPU and ~19 MiB, so it runs on tokio's blocking pool,
//! never on the async worker threads.

use crate::AppError;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// Argon2id cost parameters. The defaults are OWASP's minimum
/// recommendation and argon2's own: m = 19 MiB, t = 2, p = 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for HashParams {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl HashParams {
    fn argon2(self) -> Result<Argon2<'static>, AppError> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| AppError::Internal(format!("argon2 parameters: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// The outcome of checking a password.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Right, but hashed with other parameters: here is a new hash to store.
    YesRehash(String),
}

/// Hashes `password` with a fresh random salt.
pub async fn hash(password: String, params: HashParams) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let h = params
            .argon2()?
            .hash_password(password.as_bytes())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(h.to_string())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Checks `password` against a stored PHC string.
pub async fn verify(
    password: String,
    stored: String,
    params: HashParams,
) -> Result<Verified, AppError> {
    tokio::task::spawn_blocking(move || verify_blocking(&password, &stored, params))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

fn verify_blocking(password: &str, stored: &str, params: HashParams) -> Result<Verified, AppError> {
    let Ok(parsed) = PasswordHash::new(stored) else {
        // A malformed stored hash can never match; treat as a wrong password.
        return Ok(Verified::No);
    };
    if Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_err()
    {
        return Ok(Verified::No);
    }
    let current = Params::try_from(&parsed).ok().map(|p| HashParams {
        memory_kib: p.m_cost(),
        iterations: p.t_cost(),
        parallelism: p.p_cost(),
    });
    let is_argon2id = parsed.algorithm.as_str() == "argon2id";
    if is_argon2id && current == Some(params) {
        return Ok(Verified::Yes);
    }
    let fresh = params
        .argon2()?
        .hash_password(password.as_bytes())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Verified::YesRehash(fresh.to_string()))
}

/// A hash of nothing, verified against when an e-mail is unknown so that
/// "no such user" takes as long as "wrong password".
pub(crate) async fn burn_time(params: HashParams) {
    let _ = tokio::task::spawn_blocking(move || {
        if let Ok(a) = params.argon2() {
            let _ = a.hash_password(b"timing-equaliser");
        }
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: HashParams = HashParams {
        memory_kib: 1024,
        iterations: 1,
        parallelism: 1,
    };

    #[tokio::test]
    async fn hash_and_verify() {
        let h = hash("correct horse battery".into(), FAST).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));
        assert_eq!(
            verify("correct horse battery".into(), h.clone(), FAST)
                .await
                .unwrap(),
            Verified::Yes
        );
        assert_eq!(
            verify("wrong".into(), h.clone(), FAST).await.unwrap(),
            Verified::No
        );
        assert_eq!(
            verify("x".into(), "not a hash".into(), FAST).await.unwrap(),
            Verified::No
        );
        let stronger = HashParams {
            memory_kib: 2048,
            ..FAST
        };
        match verify("correct horse battery".into(), h, stronger)
            .await
            .unwrap()
        {
            Verified::YesRehash(new) => assert!(new.contains("m=2048")),
            other => panic!("expected a rehash, got {other:?}"),
        }
    }
}
