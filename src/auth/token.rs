//! JWTs: HS256 only, with issuer, audience, subject, expiry and not-before all
//! required. jsonwebtoken skips the issuer and audience checks when a token
//! simply leaves those claims out, unless they are listed as required, so
//! they are.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const TOKEN_ISSUER: &str = "imprint";
pub const TOKEN_AUDIENCE: &str = "imprint-api";
/// Clock skew tolerated between servers, in seconds.
const LEEWAY_SECONDS: u64 = 5;

/// What an Imprint token says. `ver` is the user's token version at login:
/// bumping it in the database revokes every token issued before.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub ver: i32,
}

impl Claims {
    /// The user id the token names, if `sub` is one.
    pub fn user_id(&self) -> Option<i64> {
        self.sub.parse().ok()
    }
}

/// A freshly signed token and when it stops working.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// The signing secret, held once, with the validation rules fixed beside it.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    lifetime: Duration,
}

impl JwtKeys {
    pub fn new(secret: &[u8], lifetime: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.set_issuer(&[TOKEN_ISSUER]);
        validation.set_audience(&[TOKEN_AUDIENCE]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECONDS;
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            lifetime,
        }
    }

    pub fn issue(
        &self,
        user_id: i64,
        token_version: i32,
        now: DateTime<Utc>,
    ) -> anyhow::Result<IssuedToken> {
        let expires_at = now + self.lifetime;
        let claims = Claims {
            sub: user_id.to_string(),
            iss: TOKEN_ISSUER.into(),
            aud: TOKEN_AUDIENCE.into(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: expires_at.timestamp(),
            ver: token_version,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok(IssuedToken { token, expires_at })
    }

    /// The claims of a token that is well-formed, signed with our key, and
    /// valid now; `None` for anything else (the reason is not the caller's
    /// business, and is logged at debug).
    pub fn verify(&self, token: &str) -> Option<Claims> {
        match jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation) {
            Ok(data) => Some(data.claims),
            Err(err) => {
                tracing::debug!(error = %err, "token refused");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issued_token_verifies_with_the_same_key_only() -> anyhow::Result<()> {
        let keys = JwtKeys::new(&[7; 32], Duration::hours(1));
        let issued = keys.issue(42, 3, Utc::now())?;
        let claims = keys.verify(&issued.token);
        assert_eq!(claims.as_ref().and_then(Claims::user_id), Some(42));
        assert_eq!(claims.map(|c| c.ver), Some(3));
        let other = JwtKeys::new(&[8; 32], Duration::hours(1));
        assert_eq!(other.verify(&issued.token), None);
        Ok(())
    }

    #[test]
    fn an_expired_token_is_refused() -> anyhow::Result<()> {
        let keys = JwtKeys::new(&[7; 32], Duration::minutes(5));
        let issued = keys.issue(42, 0, Utc::now() - Duration::hours(1))?;
        assert_eq!(keys.verify(&issued.token), None);
        Ok(())
    }
}
