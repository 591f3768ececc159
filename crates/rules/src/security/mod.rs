//! Security: the seed's OWASP rules for Rust backends.

mod argon2_weak_params;
mod auth_route_without_rate_limit;
mod command_injection;
mod common;
mod hardcoded_secret;
mod insecure_cookie;
mod jwt_validation_disabled;
mod non_constant_time_comparison;
mod permissive_cors;
mod routers;
mod secret_in_logs;
mod sql_injection;
mod static_salt;
mod tls_verification_disabled;
mod weak_password_hash;

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![
        Box::new(sql_injection::SqlInjection),
        Box::new(command_injection::CommandInjection),
        Box::new(weak_password_hash::WeakPasswordHash::default()),
        Box::new(argon2_weak_params::Argon2WeakParams),
        Box::new(static_salt::StaticSalt),
        Box::new(jwt_validation_disabled::JwtValidationDisabled),
        Box::new(permissive_cors::PermissiveCors),
        Box::new(tls_verification_disabled::TlsVerificationDisabled),
        Box::new(hardcoded_secret::HardcodedSecret),
        Box::new(secret_in_logs::SecretInLogs),
        Box::new(non_constant_time_comparison::NonConstantTimeComparison),
        Box::new(auth_route_without_rate_limit::AuthRouteWithoutRateLimit::default()),
        Box::new(insecure_cookie::InsecureCookie),
    ]
}
