//! While nobody can answer (no agent available, or outside the working hours), a visitor who
//! has written is asked for an e-mail address, stored on their contact so that the team can
//! answer later, and told when the team is back.

use leptos::html;
use leptos::prelude::*;
use nimchat_shared::enums::MessageType;
use nimchat_shared::validation::is_valid_email;

use super::{flag, local_time, moment, say, text};
use crate::chat::{Chat, State};
use crate::i18n::{fill_in, PartKey};

/// Whether to ask: the inbox is away, and the visitor has written in this conversation and
/// nobody has answered yet.
pub(super) fn asks(state: &State) -> bool {
    let away = state.inbox.as_ref().is_some_and(|inbox| !inbox.online);
    let said = |kind: MessageType| state.current_lines().any(|line| line.message.message_type == kind);
    let answered = said(MessageType::Outgoing) || said(MessageType::Template);
    away && said(MessageType::Incoming) && !answered && state.conversation.is_some()
}

/// The question, the address's form, then the address the team will answer; drawn while
/// [`asks`] holds.
#[component]
pub fn EmailCapture(chat: Chat) -> impl IntoView {
    let known = move || chat.with(|state| state.conversation.as_ref()?.contact.email.clone());
    let asked = move || {
        chat.with(|state| {
            let back = state
                .inbox
                .as_ref()?
                .next_online_at
                .map(|at| local_time(&moment(at), state.locale.tag(), &[("weekday", "short")]));
            let ask = state.t(PartKey::LeaveEmail);
            Some(back.map_or(ask.to_string(), |back| {
                fill_in(state.t(PartKey::BackAt), &back) + " " + ask
            }))
        })
    };
    view! {
        <div class="capture">
            <p dir="auto" hidden=flag(move || known().is_some())>{text(move || asked().unwrap_or_default())}</p>
            {email_form(chat, flag(move || known().is_some()), Box::new(move |email| chat.leave_email(email)))}
            <p class="captured" role="status" dir="auto" hidden=flag(move || known().is_none())>
                {text(move || known().map(|email| fill_in(chat.t(PartKey::WillReplyTo), &email)).unwrap_or_default())}
            </p>
        </div>
    }
}

/// An e-mail address and its button; `on_email` gets an address nimchat accepts. The browser
/// checks it as any `type=email` field, in its own words; one it lets through that nimchat's
/// rule refuses is reported the same way.
/// (`on_email` is boxed: the form's drawing code then exists once in the wasm.)
pub(super) fn email_form(chat: Chat, hidden: Signal<bool>, on_email: Box<dyn Fn(String)>) -> AnyView {
    let address = NodeRef::<html::Input>::new();
    let send = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        let Some(address) = address.get_untracked() else { return };
        let email = address.value().trim().to_string();
        if is_valid_email(&email) {
            on_email(email);
        } else {
            address.set_custom_validity(chat.t(PartKey::InvalidEmail));
            address.report_validity();
        }
    };
    view! {
        <form class="email" hidden=hidden on:submit=send>
            <input
                type="email"
                required
                node_ref=address
                aria-label=say(chat, PartKey::Email)
                placeholder=say(chat, PartKey::Email)
                on:input=move |_| {
                    if let Some(address) = address.get_untracked() {
                        address.set_custom_validity("");
                    }
                }
            />
            <button class="primary" type="submit">{say(chat, PartKey::Save)}</button>
        </form>
    }
    .into_any()
}
