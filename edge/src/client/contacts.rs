//! `/inboxes/{i}/contacts`: a visitor's session and contact.

use std::borrow::Cow;

use nimchat_shared::enums::AttributeModel;
use nimchat_shared::validation::is_valid_e164;
use worker::Response;

use super::{Guard, Visitor};
use crate::application::check_custom_attributes;
use crate::domain::identity::{self, IdentityClaim};
use crate::domain::secrets;
use crate::error::{ApiError, ApiResult};
use crate::http::json;
use crate::input::Fields;
use crate::store::{ContactChanges, ContactEdit, NewContact, Session};
use crate::webhooks::hooked;

/// The contact fields a visitor may set (and an agent, with more), validated.
pub(crate) fn changes(fields: Fields) -> ApiResult<ContactChanges> {
    let phone_number = fields.text("phone_number", 32)?;
    if phone_number.as_deref().is_some_and(|phone| !is_valid_e164(phone)) {
        return Err(ApiError::invalid(
            "phone_number",
            "Phone number must be in E.164 format, like +14155552671",
        ));
    }
    Ok(ContactChanges {
        name: fields.text("name", 255)?,
        email: fields.email("email")?,
        phone_number,
        avatar_url: fields.url("avatar_url")?,
        custom_attributes: fields.object("custom_attributes")?.map(Cow::into_owned),
    })
}

/// The `identifier_hash` as sent: unlike other fields, a blank one is a (wrong) hash.
fn sent_hash(body: &serde_json::Map<String, serde_json::Value>) -> ApiResult<Option<String>> {
    match body.get("identifier_hash") {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(hash)) if hash.len() <= 128 => Ok(Some(hash.trim().to_string())),
        Some(_) => Err(ApiError::invalid(
            "identifier_hash",
            "Identifier hash must be a hex string",
        )),
    }
}

/// Checks the identity hash against the contact's identifier; marks the session verified
/// when this request proves it.
async fn verify_identity(visitor: &Visitor<'_>, session: &Session, hash: Option<&str>) -> ApiResult<()> {
    let claim = IdentityClaim {
        mandatory: visitor.inbox.hmac_mandatory,
        already_verified: session.hmac_verified,
        identifier: session.identifier.as_deref(),
        hash,
    };
    let hmac_token = visitor.inbox.hmac_token.as_deref().unwrap_or_default();
    if identity::verify(hmac_token, claim)? && !session.hmac_verified {
        visitor.store().mark_session_verified(session.contact_inbox_id).await?;
    }
    Ok(())
}

/// `POST`: returns the session named by `source_id`, or opens one for the matching or a
/// new contact.
pub async fn create(visitor: &Visitor<'_>) -> ApiResult<Response> {
    let body = visitor.request.body_object()?;
    let fields = Fields::new(&body);
    let source_id = fields.text("source_id", 255)?;
    let identifier = fields.text("identifier", 255)?;
    let hash = sent_hash(&body)?;
    let wanted = changes(fields)?;
    let store = visitor.store();

    if let Some(existing) = match &source_id {
        Some(source_id) => store.session(visitor.inbox.id, source_id).await?,
        None => None,
    } {
        verify_identity(visitor, &existing, hash.as_deref()).await?;
        return json(&existing.to_wire());
    }
    let claim = IdentityClaim {
        mandatory: visitor.inbox.hmac_mandatory,
        already_verified: false,
        identifier: identifier.as_deref(),
        hash: hash.as_deref(),
    };
    let verified = identity::verify(visitor.inbox.hmac_token.as_deref().unwrap_or_default(), claim)?;
    let account_id = visitor.inbox.account_id;
    check_custom_attributes(
        store,
        account_id,
        AttributeModel::Contact,
        wanted.custom_attributes.as_ref(),
    )
    .await?;
    visitor.guard(Guard::NewContact).await?;

    let matched = store
        .matching_contact(
            account_id,
            identifier.as_deref(),
            wanted.email.as_deref(),
            wanted.phone_number.as_deref(),
        )
        .await?;
    let new = NewContact::from_changes(wanted, identifier)?;
    let source_id = secrets::given_or_new_source_id(source_id)?;
    let session = store
        .create_session(
            account_id,
            visitor.inbox.id,
            matched.ok_or(&new),
            &source_id,
            &secrets::token()?,
            verified,
        )
        .await?;
    if matched.is_none() {
        hooked(
            visitor
                .outbox()
                .contact_event(account_id, None, (&session).into())
                .await,
        );
    }
    json(&session.to_wire())
}

/// `GET`: the session; `?identifier_hash=` verifies it.
pub async fn show(visitor: &Visitor<'_>, source_id: &str) -> ApiResult<Response> {
    let session = visitor.session(source_id).await?;
    verify_identity(visitor, &session, visitor.request.query("identifier_hash").as_deref()).await?;
    json(&session.to_wire())
}

/// `PATCH`: updates the contact; an email or identifier another contact has merges the two.
/// An identifier is taken only by a contact that has none (`setUser` after an anonymous
/// chat): once set it never changes, and another one is ignored, as Chatwoot ignores it.
pub async fn update(visitor: &Visitor<'_>, source_id: &str) -> ApiResult<Response> {
    let session = visitor.session(source_id).await?;
    let body = visitor.request.body_object()?;
    let fields = Fields::new(&body);
    let hash = sent_hash(&body)?;
    let new_identifier = fields.text("identifier", 255)?.filter(|_| session.identifier.is_none());
    let wanted = changes(fields)?;
    let store = visitor.store();
    check_custom_attributes(
        store,
        session.account_id,
        AttributeModel::Contact,
        wanted.custom_attributes.as_ref(),
    )
    .await?;
    match &new_identifier {
        // The hash proves the identifier being taken.
        Some(identifier) => {
            let claimed = Session {
                identifier: Some(identifier.clone()),
                ..session.clone()
            };
            verify_identity(visitor, &claimed, hash.as_deref()).await?;
        }
        None => verify_identity(visitor, &session, hash.as_deref()).await?,
    }

    let mut contact_id = session.contact_id;
    if let Some(identifier) = &new_identifier {
        let owner = store
            .matching_contact(session.account_id, Some(identifier), None, None)
            .await?;
        if let Some(owner) = owner.filter(|owner| *owner != session.contact_id) {
            store.merge_contact(session.contact_id, owner).await?;
            contact_id = owner;
        }
    }
    if let Some(email) = &wanted.email {
        let owner = store
            .matching_contact(session.account_id, None, Some(email), None)
            .await?;
        if let Some(owner) = owner.filter(|owner| *owner != session.contact_id) {
            store.merge_contact(session.contact_id, owner).await?;
            contact_id = owner;
        }
    }
    let edit = ContactEdit {
        identifier: new_identifier.as_deref().filter(|_| contact_id == session.contact_id),
        ..ContactEdit::of(&wanted)
    };
    store.edit_contact(contact_id, &edit).await?;
    let updated = visitor.session(source_id).await?;
    hooked(
        visitor
            .outbox()
            .contact_event(session.account_id, Some((&session).into()), (&updated).into())
            .await,
    );
    json(&updated.to_public_contact())
}
