//! Beside a conversation: who has it (agent, team), its priority, snoozing and labels, and the
//! contact's panel (details, custom attributes, tags, other conversations).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use nimchat_shared::enums::Priority;
use nimchat_shared::wire::{AgentConversation, Contact, Inbox};
use serde_json::{json, Value};

use crate::api::Snooze;
use crate::fields::TextField;
use crate::i18n::{fill, status_name, t, Key};
use crate::shell::Session;

#[component]
pub fn Details(
    session: Session,
    conversation: RwSignal<Option<AgentConversation>>,
    selected: RwSignal<Option<i64>>,
) -> impl IntoView {
    let inbox = Memo::new(move |_| conversation.with(|shown| shown.as_ref().map(|c| c.conversation.inbox_id)));
    let contact = Memo::new(move |_| conversation.with(|shown| shown.as_ref().map(|c| c.conversation.contact.id)));
    view! {
        <aside class="details" aria-label=t(Key::Details)>
            {move || inbox.get().map(|inbox| view! { <Settings session conversation inbox/> })}
            {move || inbox.get().zip(contact.get()).map(|(inbox, contact)| view! { <BotHandover session inbox contact/> })}
            {move || contact.get().map(|contact| view! { <ContactPanel session contact selected/> })}
        </aside>
    }
}

/// The conversation's assignee, team, priority, snooze and labels.
#[component]
fn Settings(session: Session, conversation: RwSignal<Option<AgentConversation>>, inbox: i64) -> impl IntoView {
    let agents = session.loaded_once(move |client| async move { client.inbox_agents(inbox).await });
    let teams = session.loaded_once(|client| async move { client.teams().await });
    let labels = session.loaded_once(|client| async move { client.labels().await });
    let id = move || conversation.with_untracked(|shown| shown.as_ref().map_or(0, |c| c.conversation.id));
    let read = move |pick: fn(&AgentConversation) -> Option<i64>| {
        conversation.with(|shown| shown.as_ref().and_then(pick).unwrap_or(0))
    };
    let assignee = move || read(|c| c.conversation.assignee.as_ref().map(|a| a.id));
    let team = move || read(|c| c.meta.team.as_ref().map(|t| t.id));
    let priority = move || conversation.with(|shown| shown.as_ref().and_then(|c| c.priority));
    let attached = move || conversation.with(|shown| shown.as_ref().map(|c| c.labels.clone()).unwrap_or_default());
    let assign = move |field: &'static str, value: String| {
        let chosen = value.parse().unwrap_or(0);
        session.apply(async move { session.client().assign(id(), field, chosen).await });
    };
    let toggle_label = move |title: String, on: bool| {
        let mut titles = attached();
        titles.retain(|each| *each != title);
        if on {
            titles.push(title);
        }
        session.apply(async move { session.client().set_labels(id(), &titles).await });
    };
    view! {
        <section class="settings" aria-labelledby="settings-title">
            <h3 id="settings-title">{t(Key::Conversation)}</h3>
            <label>
                {t(Key::Agent)}
                <select class="assignee-choice" on:change=move |event| assign("assignee_id", event_target_value(&event))>
                    <option value="0" selected=move || assignee() == 0>{t(Key::Nobody)}</option>
                    {move || agents.get().into_iter().map(|agent| {
                        let agent_id = agent.person.id;
                        view! { <option value=agent_id.to_string() selected=move || assignee() == agent_id>{agent.person.available_name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {t(Key::Team)}
                <select class="team-choice" on:change=move |event| assign("team_id", event_target_value(&event))>
                    <option value="0" selected=move || team() == 0>{t(Key::NoTeam)}</option>
                    {move || teams.get().into_iter().map(|each| {
                        let team_id = each.id;
                        view! { <option value=team_id.to_string() selected=move || team() == team_id>{each.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {t(Key::Priority)}
                <select class="priority-choice" on:change=move |event| {
                    let chosen = Priority::parse(&event_target_value(&event));
                    session.apply(async move { session.client().set_priority(id(), chosen).await });
                }>
                    <option value="none" selected=move || priority().is_none()>{t(Key::PriorityNone)}</option>
                    {Priority::ALL.iter().map(|&each| view! {
                        <option value=each.as_str() selected=move || priority() == Some(each)>{priority_name(each)}</option>
                    }).collect_view()}
                </select>
            </label>
            <div class="snooze" role="group" aria-label=t(Key::Snooze)>
                {t(Key::Snooze)}" "
                {Snooze::ALL.into_iter().map(|each| view! {
                    <button type="button" on:click=move |_| session.apply(async move { session.client().snooze(id(), each).await })>
                        {snooze_name(each)}
                    </button>
                }).collect_view()}
            </div>
            <fieldset class="labels">
                <legend>{t(Key::Labels)}</legend>
                {move || labels.get().into_iter().map(|label| {
                    let title = label.title.clone();
                    let checked = { let title = title.clone(); move || attached().contains(&title) };
                    view! {
                        <label class="label-choice">
                            <input type="checkbox" prop:checked=checked
                                on:change=move |event| toggle_label(title.clone(), event_target_checked(&event))/>
                            <span class="swatch" style=format!("background: {}", label.color)></span>
                            {label.title}
                        </label>
                    }
                }).collect_view()}
                {move || labels.with(Vec::is_empty).then(|| view! { <p class="placeholder">{t(Key::NoLabels)}</p> })}
            </fieldset>
        </section>
    }
}

fn priority_name(priority: Priority) -> &'static str {
    t(match priority {
        Priority::Urgent => Key::Urgent,
        Priority::High => Key::High,
        Priority::Medium => Key::Medium,
        Priority::Low => Key::Low,
    })
}

fn snooze_name(snooze: Snooze) -> &'static str {
    t(match snooze {
        Snooze::AnHour => Key::AnHour,
        Snooze::Tomorrow => Key::Tomorrow,
        Snooze::NextWeek => Key::NextWeek,
    })
}

/// Who answers the contact here when the inbox has a bot (contract 5.1): the bot, until an
/// agent takes over; and back.
#[component]
fn BotHandover(session: Session, inbox: i64, contact: i64) -> impl IntoView {
    // `(service, source_id)` of the contact's session here; `None` for an inbox without a bot.
    let session_here = RwSignal::new(None::<(String, String)>);
    let owner = RwSignal::new(None::<String>);
    spawn_local(async move {
        let client = session.client();
        let found = async {
            let inbox = client.get::<Inbox>(&format!("/inboxes/{inbox}")).await?;
            if inbox.agent_bot_id.is_none() {
                return Ok(None);
            }
            let service = if inbox.channel_type == "Channel::Api" {
                "api"
            } else {
                "livechat"
            };
            let details = client.contact(contact).await?;
            Ok(details
                .contact_inboxes
                .into_iter()
                .find(|each| each.inbox.id == inbox.id)
                .map(|each| (service.to_string(), each.source_id)))
        };
        match found.await {
            Ok(known) => session_here.set(known),
            Err(failure) => session.fail.run(failure),
        }
    });
    // Who answers changes with handovers, so it is read again after every event.
    Effect::new(move |_| {
        session.revision.track();
        let Some((service, source_id)) = session_here.get() else {
            return;
        };
        spawn_local(async move {
            match session.client().handover(&service, &source_id, None).await {
                Ok(item) => owner.set(item["owner"].as_str().map(str::to_string)),
                Err(failure) => session.fail.run(failure),
            }
        });
    });
    let hand = move |to_team: bool| {
        if let Some((service, source_id)) = session_here.get_untracked() {
            session.apply(async move { session.client().handover(&service, &source_id, Some(to_team)).await });
        }
    };
    move || {
        owner.get().map(|owner| {
            let with_bot = owner == "external";
            view! {
                <section class="handover" aria-labelledby="handover-title">
                    <h3 id="handover-title">{t(Key::Bot)}</h3>
                    <p>{t(if with_bot { Key::BotAnswers } else { Key::TeamAnswers })}</p>
                    <button type="button" class="hand" on:click=move |_| hand(with_bot)>
                        {t(if with_bot { Key::TakeFromBot } else { Key::HandToBot })}
                    </button>
                </section>
            }
        })
    }
}

/// The contact: how to reach them, what the site told about them, their tags and their
/// other conversations.
#[component]
fn ContactPanel(session: Session, contact: i64, selected: RwSignal<Option<i64>>) -> impl IntoView {
    let shown = RwSignal::new(None::<(Contact, Vec<String>, Vec<AgentConversation>)>);
    // The contact as it was when editing began; the form lives outside what events redraw.
    let editing = RwSignal::new(None::<Contact>);
    Effect::new(move |_| {
        session.revision.get();
        spawn_local(async move {
            let client = session.client();
            let found = futures::join!(
                client.contact(contact),
                client.contact_labels(contact),
                client.contact_conversations(contact),
            );
            match found {
                (Ok(details), Ok(tags), Ok(conversations)) => shown.set(Some((details, tags, conversations))),
                (Err(failure), ..) | (_, Err(failure), _) | (.., Err(failure)) => session.fail.run(failure),
            }
        });
    });
    let panel = move || {
        shown.get().map(|(details, tags, conversations)| {
            let open_one = selected.get_untracked();
            let before = details.clone();
            let others: Vec<_> = conversations
                .into_iter()
                .filter(|each| Some(each.conversation.id) != open_one)
                .collect();
            view! {
                <section class="contact" aria-labelledby="contact-title">
                    <h3 id="contact-title">{t(Key::Contact)}</h3>
                    <button type="button" class="edit-contact" on:click=move |_| editing.set(Some(before.clone()))>
                        {t(Key::EditContact)}
                    </button>
                    <dl>
                        <dt>{t(Key::Name)}</dt><dd class="contact-name">{details.name}</dd>
                        <dt>{t(Key::Email)}</dt><dd>{details.email.unwrap_or_else(|| "—".into())}</dd>
                        <dt>{t(Key::Phone)}</dt><dd>{details.phone_number.unwrap_or_else(|| "—".into())}</dd>
                        {details.custom_attributes.into_iter().map(|(key, value)| view! {
                            <dt>{key}</dt><dd class="attribute">{attribute_text(&value)}</dd>
                        }).collect_view()}
                    </dl>
                    <p class="tags">
                        {fill(Key::Tags, &[&if tags.is_empty() { t(Key::TagsNone).to_string() } else { tags.join(", ") }])}
                    </p>
                    <h4>{t(Key::OtherConversations)}</h4>
                    {if others.is_empty() {
                        view! { <p class="placeholder">{t(Key::NoneYet)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="others">
                                {others.into_iter().map(|each| {
                                    let other = each.conversation.id;
                                    view! {
                                        <li><button type="button" on:click=move |_| selected.set(Some(other))>
                                            {format!("#{other} · {}", status_name(each.conversation.status.as_str()))}
                                        </button></li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }
        })
    };
    view! {
        {panel}
        {move || editing.get().map(|contact| view! { <ContactEditor session contact editing/> })}
    }
}

/// The contact's name, e-mail and phone, changed by an agent.
#[component]
fn ContactEditor(session: Session, contact: Contact, editing: RwSignal<Option<Contact>>) -> impl IntoView {
    let text = |value: Option<String>| RwSignal::new(value.unwrap_or_default());
    let (name, email, phone) = (
        text(Some(contact.name)),
        text(contact.email),
        text(contact.phone_number),
    );
    let id = contact.id;
    let save = move |event: SubmitEvent| {
        event.prevent_default();
        let body = json!({"name": name.get_untracked(), "email": email.get_untracked(),
                          "phone_number": phone.get_untracked()});
        spawn_local(async move {
            match session.client().patch(&format!("/contacts/{id}"), &body).await {
                Ok(_) => {
                    editing.set(None);
                    session.changed();
                }
                Err(failure) => session.fail.run(failure),
            }
        });
    };
    view! {
        <form class="contact-form" on:submit=save aria-label=t(Key::EditContact)>
            <TextField label=Key::Name value=name/>
            <TextField label=Key::Email value=email kind="email"/>
            <TextField label=Key::Phone value=phone kind="tel"/>
            <div class="actions">
                <button type="submit">{t(Key::Save)}</button>
                <button type="button" on:click=move |_| editing.set(None)>{t(Key::Close)}</button>
            </div>
        </form>
    }
}

/// A custom attribute's value as text: strings bare, anything else as JSON.
fn attribute_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
