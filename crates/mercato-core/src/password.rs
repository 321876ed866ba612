//! The password rule. Hashing lives in the app layer (it is CPU work behind
//! a thread pool); what makes a password acceptable is a domain rule.

/// Why a password was refused, worded for the person choosing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password must be at least {min} characters long")]
    TooShort { min: usize },
    #[error("password must be at most {max} characters long")]
    TooLong { max: usize },
    #[error("password must not be the same as the e-mail address")]
    SameAsEmail,
    #[error("password is too common or too repetitive; add more different characters")]
    TooSimple,
}

/// Length-based policy as NIST SP 800-63B recommends (no composition rules),
/// plus a refusal of the trivially guessable.
#[derive(Debug, Clone, Copy)]
pub struct PasswordPolicy {
    pub min_chars: usize,
    pub max_chars: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_chars: 10,
            max_chars: 256,
        }
    }
}

const COMMON: &[&str] = &[
    "password",
    "password1",
    "password123",
    "123456789",
    "1234567890",
    "qwertyuiop",
    "iloveyou",
    "admin12345",
    "administrator",
    "letmein123",
    "welcome123",
    "changeme123",
];

impl PasswordPolicy {
    /// Checks a candidate password for the account with this e-mail.
    pub fn check(&self, password: &str, email: &str) -> Result<(), PasswordError> {
        let n = password.chars().count();
        if n < self.min_chars {
            return Err(PasswordError::TooShort {
                min: self.min_chars,
            });
        }
        if n > self.max_chars {
            return Err(PasswordError::TooLong {
                max: self.max_chars,
            });
        }
        if password.eq_ignore_ascii_case(email) {
            return Err(PasswordError::SameAsEmail);
        }
        let lower = password.to_lowercase();
        let distinct = {
            let mut cs: Vec<char> = lower.chars().collect();
            cs.sort_unstable();
            cs.dedup();
            cs.len()
        };
        if distinct < 4 || COMMON.contains(&lower.as_str()) {
            return Err(PasswordError::TooSimple);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_says_why() {
        let p = PasswordPolicy::default();
        assert_eq!(
            p.check("short", "a@b.co"),
            Err(PasswordError::TooShort { min: 10 })
        );
        assert_eq!(
            p.check("aaaaaaaaaaaa", "a@b.co"),
            Err(PasswordError::TooSimple)
        );
        assert_eq!(
            p.check("Password123", "a@b.co"),
            Err(PasswordError::TooSimple)
        );
        assert_eq!(
            p.check("ann@example.com", "ann@example.com"),
            Err(PasswordError::SameAsEmail)
        );
        assert!(p.check("correct horse battery", "a@b.co").is_ok());
    }
}
