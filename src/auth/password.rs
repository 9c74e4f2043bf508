//! argon2id with the crate's recommended parameters. Hashing is slow on
//! purpose, so it runs on the blocking pool, never on the async workers,
//! and only a couple at a time: each takes 19 MiB, and a burst of logins
//! must not turn into gigabytes of memory (or a denial of service).

use std::sync::LazyLock;

use tokio::sync::Semaphore;

/// Hashes computed at once; the rest wait their turn.
static HASHING: Semaphore = Semaphore::const_new(2);

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Hashes a password into a PHC string (`$argon2id$v=19$...`).
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    let _turn = HASHING.acquire().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|err| anyhow::anyhow!("hashing a password failed: {err}"))
    })
    .await?
}

/// Checks a password against a stored hash. With no stored hash (unknown
/// account) it checks against a dummy, so both cases cost the same time and
/// a caller cannot tell an unknown e-mail from a wrong password.
pub async fn verify_password(password: String, stored_hash: Option<String>) -> bool {
    let Ok(_turn) = HASHING.acquire().await else {
        return false;
    };
    let checked = tokio::task::spawn_blocking(move || {
        let stored = stored_hash.as_deref().unwrap_or(DUMMY_HASH.as_str());
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        matches && stored_hash.is_some()
    })
    .await;
    checked.unwrap_or(false)
}

static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(b"no account has this password", &salt)
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() -> anyhow::Result<()> {
        let hash = hash_password("correct horse battery".into()).await?;
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".into(), Some(hash.clone())).await);
        assert!(!verify_password("wrong horse battery".into(), Some(hash)).await);
        assert!(!verify_password("no account has this password".into(), None).await);
        Ok(())
    }
}
