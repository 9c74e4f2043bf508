//! Credentials: argon2id password hashes and the JWTs a login hands out.

mod password;
mod token;

pub use password::{hash_password, verify_password};
pub use token::{Claims, IssuedToken, JwtKeys, TOKEN_AUDIENCE, TOKEN_ISSUER};
