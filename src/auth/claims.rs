//! Who a token belongs to, read from its claims (a JWT's middle part), for evidence
//! reports. Only names and ids leave this function; the token never does.

use base64::Engine as _;

use super::BearerToken;

/// "ops@contoso.com (object 1234…)", or "application 1f2e… (object …)" for a service
/// principal; `None` when the token is not a readable JWT (an emulator's static token).
pub fn principal_of(token: &BearerToken) -> Option<String> {
    let payload = token.secret().split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let text = |k: &str| claims.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let who = text("upn")
        .or_else(|| text("unique_name"))
        .or_else(|| text("preferred_username"))
        .or_else(|| text("email"))
        .or_else(|| text("appid").map(|a| format!("application {a}")))
        .or_else(|| text("azp").map(|a| format!("application {a}")))?;
    Some(match text("oid") {
        Some(oid) => format!("{who} (object {oid})"),
        None => who,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: serde_json::Value) -> BearerToken {
        let enc = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        BearerToken::new(format!(
            "{}.{}.signature",
            enc(br#"{"alg":"RS256"}"#),
            enc(claims.to_string().as_bytes())
        ))
    }

    #[test]
    fn a_user_or_an_application_is_named_and_the_token_is_not() {
        let t = jwt(serde_json::json!({ "upn": "ops@contoso.com", "oid": "o-1" }));
        assert_eq!(
            principal_of(&t).as_deref(),
            Some("ops@contoso.com (object o-1)")
        );
        let t = jwt(serde_json::json!({ "appid": "a-9" }));
        assert_eq!(principal_of(&t).as_deref(), Some("application a-9"));
        assert_eq!(principal_of(&BearerToken::new("rpdesk-demo")), None);
    }
}
