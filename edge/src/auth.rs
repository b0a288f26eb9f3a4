//! Who is calling (contract §0.1): the platform token, a user's or agent bot's access token,
//! in any of the four header dialects, and the caller's membership of an account.

use nimchat_shared::enums::{Role, SenderType};
use subtle::ConstantTimeEq;
use worker::Env;

use crate::error::{ApiError, ApiResult};
use crate::http::ApiRequest;
use crate::store::{Membership, Placement, Store, TokenOwner};

/// A credential as sent, before anyone has looked it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// `api_access_token`, `Authorization: Bearer` or `?access_token=`.
    Token(String),
    /// Rocket.Chat's `X-Auth-Token` with `X-User-Id`: both must match.
    TokenForUser { token: String, user_id: String },
}

impl Credential {
    pub fn token(&self) -> &str {
        match self {
            Credential::Token(token) | Credential::TokenForUser { token, .. } => token,
        }
    }

    /// Reads the first dialect present, from header and query-parameter lookups.
    pub fn read(header: impl Fn(&str) -> Option<String>, query: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let present = |value: Option<String>| {
            value
                .map(|text| text.trim().to_string())
                .filter(|text| !text.is_empty())
        };
        if let Some(token) = present(header("api_access_token")) {
            return Some(Credential::Token(token));
        }
        let bearer = present(header("authorization")).and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            present(Some(token.to_string())).filter(|_| scheme.eq_ignore_ascii_case("bearer"))
        });
        if let Some(token) = bearer {
            return Some(Credential::Token(token));
        }
        if let Some(token) = present(header("x-auth-token")) {
            let user_id = present(header("x-user-id")).unwrap_or_default();
            return Some(Credential::TokenForUser { token, user_id });
        }
        present(query("access_token")).map(Credential::Token)
    }

    fn from_request(request: &ApiRequest) -> Option<Self> {
        Credential::read(|name| request.header(name), |key| request.query(key))
    }
}

/// Compares secrets without revealing through timing how much of them matched.
pub fn secrets_match(given: &str, expected: &str) -> bool {
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

/// Guards the Platform API. With no `PLATFORM_TOKEN` configured, nobody gets in.
pub fn require_platform(request: &ApiRequest, env: &Env) -> ApiResult<()> {
    let expected = env
        .secret("PLATFORM_TOKEN")
        .map(|secret| secret.to_string())
        .unwrap_or_default();
    match Credential::from_request(request) {
        Some(Credential::Token(token)) if !expected.is_empty() && secrets_match(&token, &expected) => Ok(()),
        _ => Err(ApiError::Unauthorized),
    }
}

/// Who an access token belongs to; also who acts (writes a message, changes a status, hands a
/// contact over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    User(i64),
    AgentBot(i64),
}

impl Principal {
    /// As a message's sender.
    pub fn sender(self) -> (SenderType, i64) {
        match self {
            Principal::User(id) => (SenderType::User, id),
            Principal::AgentBot(id) => (SenderType::AgentBot, id),
        }
    }

    /// The name activity messages give them in `account_id`.
    pub async fn name(self, store: &Store, account_id: i64) -> ApiResult<String> {
        let name = match self {
            Principal::User(id) => store
                .agent(account_id, id)
                .await?
                .map(|agent| agent.person.available_name),
            Principal::AgentBot(id) => store.agent_bot_for_account(id, account_id).await?.map(|bot| bot.name),
        };
        name.ok_or(ApiError::NotFound)
    }
}

pub async fn principal(request: &ApiRequest, store: &Store) -> ApiResult<Principal> {
    let credential = Credential::from_request(request).ok_or(ApiError::Unauthorized)?;
    let owner = store
        .token_owner(credential.token())
        .await?
        .ok_or(ApiError::Unauthorized)?;
    principal_of(owner, &credential)
}

/// The token's owner, if the credential's other parts agree with it (Rocket.Chat's user id).
fn principal_of(owner: TokenOwner, credential: &Credential) -> ApiResult<Principal> {
    match (owner, credential) {
        (TokenOwner::User(id), Credential::TokenForUser { user_id, .. }) if *user_id != id.to_string() => {
            Err(ApiError::Unauthorized)
        }
        (TokenOwner::User(id), _) => Ok(Principal::User(id)),
        (TokenOwner::AgentBot(_), Credential::TokenForUser { .. }) => Err(ApiError::Unauthorized),
        (TokenOwner::AgentBot(id), _) => Ok(Principal::AgentBot(id)),
    }
}

/// Who calls an account's routes: one of its users, or an agent bot (which only the routes
/// of contract 0.1 take, for the inboxes it is connected to).
pub enum AccountCaller {
    Member(Membership),
    AgentBot(i64),
}

/// The caller of `account_id`'s routes (from the directory), and where the account lives. A
/// user who is no member sees the account as absent.
pub async fn account_caller(
    request: &ApiRequest,
    directory: &Store,
    account_id: i64,
) -> ApiResult<(AccountCaller, Placement)> {
    let credential = Credential::from_request(request).ok_or(ApiError::Unauthorized)?;
    let found = directory
        .token_owner_in_account(credential.token(), Some(account_id))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let caller = match (principal_of(found.owner, &credential)?, found.role) {
        (Principal::User(user_id), Some(role)) => AccountCaller::Member(Membership {
            account_id,
            user_id,
            role,
        }),
        (Principal::User(_), None) => return Err(ApiError::NotFound),
        (Principal::AgentBot(bot), _) => AccountCaller::AgentBot(bot),
    };
    Ok((caller, found.placement.ok_or(ApiError::NotFound)?))
}

/// The calling user's membership of `account_id`, and where the account lives; an agent bot
/// may not.
pub async fn member(request: &ApiRequest, directory: &Store, account_id: i64) -> ApiResult<(Membership, Placement)> {
    match account_caller(request, directory, account_id).await? {
        (AccountCaller::Member(membership), placement) => Ok((membership, placement)),
        (AccountCaller::AgentBot(_), _) => Err(ApiError::Forbidden),
    }
}

impl Membership {
    pub fn is_administrator(&self) -> bool {
        self.role == Role::Administrator
    }

    pub fn require_administrator(&self) -> ApiResult<()> {
        if self.is_administrator() {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(headers: &[(&str, &str)], query: &[(&str, &str)]) -> Option<Credential> {
        let headers: HashMap<String, String> = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let query: HashMap<String, String> = query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Credential::read(|name| headers.get(name).cloned(), |key| query.get(key).cloned())
    }

    #[test]
    fn every_dialect_is_read() {
        let token = Some(Credential::Token("t".into()));
        assert_eq!(read(&[("api_access_token", "t")], &[]), token);
        assert_eq!(read(&[("authorization", "Bearer t")], &[]), token);
        assert_eq!(read(&[("authorization", "bearer  t ")], &[]), token);
        assert_eq!(read(&[], &[("access_token", "t")]), token);
        assert_eq!(
            read(&[("x-auth-token", "t"), ("x-user-id", "7")], &[]),
            Some(Credential::TokenForUser {
                token: "t".into(),
                user_id: "7".into()
            })
        );
    }

    #[test]
    fn missing_or_malformed_credentials_are_none() {
        assert_eq!(read(&[], &[]), None);
        assert_eq!(read(&[("api_access_token", "  ")], &[]), None);
        assert_eq!(read(&[("authorization", "Basic dXNlcjpwdw==")], &[]), None);
        assert_eq!(read(&[("authorization", "Bearer")], &[]), None);
    }

    #[test]
    fn a_rocket_chat_user_id_must_name_the_token_owner() {
        let for_user = |user_id: &str| Credential::TokenForUser {
            token: "t".into(),
            user_id: user_id.into(),
        };
        assert_eq!(
            principal_of(TokenOwner::User(7), &for_user("7")).ok(),
            Some(Principal::User(7))
        );
        assert!(principal_of(TokenOwner::User(7), &for_user("8")).is_err());
        assert!(principal_of(TokenOwner::AgentBot(3), &for_user("3")).is_err());
        assert_eq!(
            principal_of(TokenOwner::AgentBot(3), &Credential::Token("t".into())).ok(),
            Some(Principal::AgentBot(3))
        );
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(secrets_match("abc", "abc"));
        assert!(!secrets_match("abd", "abc"));
        assert!(!secrets_match("ab", "abc"));
        assert!(!secrets_match("", "abc"));
    }
}
