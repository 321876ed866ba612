//! Card payments behind [`PaymentGateway`] (authorize, capture, void,
//! refund, signed webhooks), with a built-in test gateway that behaves
//! like a real provider: test tokens authorise, decline with the codes
//! real gateways use, or need an asynchronous confirmation that arrives
//! later as a signed webhook. A real provider plugs in by implementing
//! the trait.

use futures::future::BoxFuture;
use mercato_core::money::Money;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A webhook signing key; its `Debug` never shows it, so settings can be
/// logged.
#[derive(Clone)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    pub fn new(s: String) -> Self {
        Self(s)
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(…)")
    }
}

/// How payments are set up on this node.
#[derive(Clone, Debug)]
pub struct PaymentSettings {
    /// Signs the test gateway's webhooks (HMAC-SHA256).
    pub webhook_secret: WebhookSecret,
    /// What a buyer paying by bank transfer is told (account holder, IBAN
    /// or account number, bank).
    pub bank_details: String,
}

impl Default for PaymentSettings {
    fn default() -> Self {
        Self {
            webhook_secret: WebhookSecret::new("mercato-test-gateway-secret".to_string()),
            bank_details:
                "Mercato Demo Seller Ltd · IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX"
                    .to_string(),
        }
    }
}

/// The result of asking a provider to hold money on a card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Authorization {
    /// Held; capture it later.
    Approved { gateway_ref: String },
    /// The provider will confirm or fail it later by webhook (3-D Secure).
    Pending { gateway_ref: String },
    /// Refused, with the provider's decline code.
    Declined { code: String, message: String },
}

/// A provider that failed to answer (not a decline).
#[derive(Clone, Debug, thiserror::Error)]
#[error("payment provider: {0}")]
pub struct GatewayError(pub String);

/// What a provider's webhook says happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// `authorization.succeeded` or `authorization.failed`.
    #[serde(rename = "type")]
    pub kind: String,
    pub gateway_ref: String,
    #[serde(default)]
    pub decline_code: Option<String>,
}

/// A card payment provider.
pub trait PaymentGateway: Send + Sync {
    /// The name stored with each payment.
    fn name(&self) -> &'static str;
    /// Holds `amount` on the card behind `token` (tokens come from the
    /// provider's card form; card numbers never reach Mercato).
    fn authorize<'a>(
        &'a self,
        amount: Money,
        token: &'a str,
        reference: &'a str,
    ) -> BoxFuture<'a, Result<Authorization, GatewayError>>;
    /// Takes held money (at shipping).
    fn capture<'a>(
        &'a self,
        gateway_ref: &'a str,
        amount: Money,
    ) -> BoxFuture<'a, Result<(), GatewayError>>;
    /// Releases a hold (order cancelled or not placed).
    fn void<'a>(&'a self, gateway_ref: &'a str) -> BoxFuture<'a, Result<(), GatewayError>>;
    /// Gives captured money back.
    fn refund<'a>(
        &'a self,
        gateway_ref: &'a str,
        amount: Money,
    ) -> BoxFuture<'a, Result<(), GatewayError>>;
    /// Checks a webhook's signature and reads it.
    fn parse_webhook(&self, body: &[u8], signature: &str) -> Result<WebhookEvent, GatewayError>;
}

/// The built-in test gateway. Tokens (like a real provider's test cards):
/// `tok_visa` / `4242424242424242` approve; `tok_declined` /
/// `4000000000000002` decline with `card_declined`;
/// `tok_insufficient_funds` / `4000000000009995` with
/// `insufficient_funds`; `tok_expired` / `4000000000000069` with
/// `expired_card`; `tok_3ds` / `4000002500003155` need confirmation, which
/// arrives as a signed webhook.
pub struct TestGateway {
    secret: WebhookSecret,
}

impl TestGateway {
    pub fn new(secret: WebhookSecret) -> Self {
        Self { secret }
    }

    /// The signature the gateway puts on `body` (hex HMAC-SHA256), so tests
    /// and the back office's "simulate" button can send real webhooks.
    pub fn sign(&self, body: &[u8]) -> String {
        hex::encode(hmac_sha256(self.secret.0.as_bytes(), body))
    }
}

/// HMAC-SHA256 (RFC 2104) over `sha2`, to avoid a crate for twelve lines.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(msg);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

fn test_ref() -> String {
    format!("test_{}", uuid::Uuid::now_v7().simple())
}

impl PaymentGateway for TestGateway {
    fn name(&self) -> &'static str {
        "test"
    }

    fn authorize<'a>(
        &'a self,
        amount: Money,
        token: &'a str,
        _reference: &'a str,
    ) -> BoxFuture<'a, Result<Authorization, GatewayError>> {
        Box::pin(async move {
            let decline = |code: &str, message: &str| Authorization::Declined {
                code: code.to_string(),
                message: message.to_string(),
            };
            if amount.is_negative() || amount.amount().is_zero() {
                return Ok(decline("invalid_amount", "the amount must be positive"));
            }
            Ok(match token.trim() {
                "tok_visa" | "4242424242424242" => Authorization::Approved {
                    gateway_ref: test_ref(),
                },
                "tok_3ds" | "4000002500003155" => Authorization::Pending {
                    gateway_ref: test_ref(),
                },
                "tok_declined" | "4000000000000002" => {
                    decline("card_declined", "the card was declined")
                }
                "tok_insufficient_funds" | "4000000000009995" => {
                    decline("insufficient_funds", "the card has insufficient funds")
                }
                "tok_expired" | "4000000000000069" => {
                    decline("expired_card", "the card has expired")
                }
                _ => decline("invalid_token", "the card token is not valid"),
            })
        })
    }

    fn capture<'a>(
        &'a self,
        gateway_ref: &'a str,
        _amount: Money,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        Box::pin(async move {
            if gateway_ref.starts_with("test_") {
                Ok(())
            } else {
                Err(GatewayError(format!("unknown authorisation {gateway_ref}")))
            }
        })
    }

    fn void<'a>(&'a self, gateway_ref: &'a str) -> BoxFuture<'a, Result<(), GatewayError>> {
        Box::pin(async move {
            if gateway_ref.starts_with("test_") {
                Ok(())
            } else {
                Err(GatewayError(format!("unknown authorisation {gateway_ref}")))
            }
        })
    }

    fn refund<'a>(
        &'a self,
        gateway_ref: &'a str,
        amount: Money,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        self.capture(gateway_ref, amount)
    }

    fn parse_webhook(&self, body: &[u8], signature: &str) -> Result<WebhookEvent, GatewayError> {
        let expected = self.sign(body);
        // Constant time: a forger learns nothing from how fast we refuse.
        if !crate::secret::constant_time_eq(&expected, signature.trim()) {
            return Err(GatewayError("bad webhook signature".into()));
        }
        serde_json::from_slice(body).map_err(|e| GatewayError(format!("webhook body: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[tokio::test]
    async fn test_cards_behave_like_a_provider() {
        let g = TestGateway::new(WebhookSecret::new("s".into()));
        let m = Money::parse("10.00", mercato_core::Currency::parse("EUR").unwrap()).unwrap();
        assert!(matches!(
            g.authorize(m, "tok_visa", "SO-1").await.unwrap(),
            Authorization::Approved { .. }
        ));
        assert!(matches!(
            g.authorize(m, "tok_3ds", "SO-1").await.unwrap(),
            Authorization::Pending { .. }
        ));
        match g.authorize(m, "4000000000009995", "SO-1").await.unwrap() {
            Authorization::Declined { code, .. } => assert_eq!(code, "insufficient_funds"),
            other => panic!("{other:?}"),
        }
        let body = br#"{"type":"authorization.succeeded","gateway_ref":"test_1"}"#;
        let sig = g.sign(body);
        assert_eq!(
            g.parse_webhook(body, &sig).unwrap().kind,
            "authorization.succeeded"
        );
        assert!(g.parse_webhook(body, "00").is_err());
        assert!(
            g.parse_webhook(br#"{"type":"x","gateway_ref":"y"}"#, &sig)
                .is_err()
        );
    }
}
