//! Web-widget inboxes: create and edit one (look, greeting and welcome texts, working hours,
//! pre-chat form, CSAT, allowed domains, verified identities, agents), with the snippet a
//! site owner pastes.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use nimchat_shared::enums::ReplyTime;
use nimchat_shared::wire::{Inbox, WorkingHoursDay};
use serde_json::{json, Value};

use crate::fields::{TextField, Toggle};
use crate::i18n::{fill, t, Key};
use crate::shell::Session;

/// Day names by `day_of_week`, Sunday first.
const DAYS: [Key; 7] = [
    Key::Sunday,
    Key::Monday,
    Key::Tuesday,
    Key::Wednesday,
    Key::Thursday,
    Key::Friday,
    Key::Saturday,
];

#[component]
pub fn Inboxes(session: Session) -> impl IntoView {
    let inboxes = session.loaded(|client| async move { client.inboxes().await });
    // `Some(None)`: a new inbox is being made.
    let editing = RwSignal::new(None::<Option<Inbox>>);
    view! {
        <h2>{t(Key::Inboxes)}</h2>
        <ul class="rows">
            <For each=move || inboxes.get() key=|inbox| (inbox.id, inbox.name.clone(), inbox.widget_color.clone()) let:inbox>
                {
                    let name = inbox.name.clone();
                    view! {
                        <li>
                            <span class="swatch" style=format!("background: {}", inbox.widget_color)></span>
                            <strong>{name.clone()}</strong>
                            <span class="muted">{t(if inbox.channel_type == "Channel::Api" { Key::Api } else { Key::WebWidget })}</span>
                            <button type="button" class="edit" aria-label=fill(Key::EditNamed, &[&name])
                                on:click=move |_| editing.set(Some(Some(inbox.clone())))>{t(Key::Edit)}</button>
                        </li>
                    }
                }
            </For>
        </ul>
        <button type="button" class="new-inbox" on:click=move |_| editing.set(Some(None))>{t(Key::NewInbox)}</button>
        {move || editing.get().map(|inbox| view! { <InboxForm session inbox editing/> })}
    }
}

#[component]
fn InboxForm(session: Session, inbox: Option<Inbox>, editing: RwSignal<Option<Option<Inbox>>>) -> impl IntoView {
    let text = |value: Option<&str>| RwSignal::new(value.unwrap_or_default().to_string());
    let name = text(inbox.as_ref().map(|i| i.name.as_str()));
    let website = text(inbox.as_ref().and_then(|i| i.website_url.as_deref()));
    let color = text(Some(inbox.as_ref().map_or("#1f5fd1", |i| i.widget_color.as_str())));
    let welcome_title = text(inbox.as_ref().and_then(|i| i.welcome_title.as_deref()));
    let welcome_tagline = text(inbox.as_ref().and_then(|i| i.welcome_tagline.as_deref()));
    let greeting_message = text(inbox.as_ref().and_then(|i| i.greeting_message.as_deref()));
    let allowed_domains = text(inbox.as_ref().map(|i| i.allowed_domains.as_str()));
    let out_of_office = text(inbox.as_ref().and_then(|i| i.out_of_office_message.as_deref()));
    let timezone = text(Some(inbox.as_ref().map_or("UTC", |i| i.timezone.as_str())));
    let reply_time = RwSignal::new(inbox.as_ref().map_or(ReplyTime::InAFewMinutes, |i| i.reply_time));
    // A new inbox starts with the edge's defaults.
    let flag_or = |pick: fn(&Inbox) -> bool, new: bool| RwSignal::new(inbox.as_ref().map_or(new, pick));
    let flag = |pick: fn(&Inbox) -> bool| flag_or(pick, false);
    let auto_assign = flag_or(|i| i.enable_auto_assignment, true);
    let after_resolved = flag_or(|i| i.allow_messages_after_resolved, true);
    let one_at_a_time = flag(|i| i.lock_to_single_conversation);
    let greeting = flag(|i| i.greeting_enabled);
    let csat = flag(|i| i.csat_survey_enabled);
    let hours_enabled = flag(|i| i.working_hours_enabled);
    let pre_chat = flag(|i| i.pre_chat_form_enabled);
    let hmac_mandatory = flag(|i| i.hmac_mandatory);
    let week = RwSignal::new(
        inbox
            .as_ref()
            .map_or_else(WorkingHoursDay::default_week, |i| i.working_hours.clone()),
    );
    let pre_chat_options = RwSignal::new(inbox.as_ref().map_or(Value::Null, |i| i.pre_chat_form_options.clone()));
    let id = inbox.as_ref().map(|i| i.id);
    let saved = RwSignal::new(false);
    let save = move |event: SubmitEvent| {
        event.prevent_default();
        let mut body = json!({
            "name": name.get_untracked(), "widget_color": color.get_untracked(),
            "welcome_title": welcome_title.get_untracked(), "welcome_tagline": welcome_tagline.get_untracked(),
            "greeting_enabled": greeting.get_untracked(), "greeting_message": greeting_message.get_untracked(),
            "working_hours_enabled": hours_enabled.get_untracked(), "working_hours": week.get_untracked(),
            "pre_chat_form_enabled": pre_chat.get_untracked(), "csat_survey_enabled": csat.get_untracked(),
            "allowed_domains": allowed_domains.get_untracked(), "hmac_mandatory": hmac_mandatory.get_untracked(),
            "website_url": website.get_untracked(), "timezone": timezone.get_untracked(),
            "out_of_office_message": out_of_office.get_untracked(), "reply_time": reply_time.get_untracked().as_str(),
            "enable_auto_assignment": auto_assign.get_untracked(),
            "allow_messages_after_resolved": after_resolved.get_untracked(),
            "lock_to_single_conversation": one_at_a_time.get_untracked(),
        });
        if !pre_chat_options.with_untracked(Value::is_null) {
            body["pre_chat_form_options"] = pre_chat_options.get_untracked();
        }
        spawn_save(session, id, body, editing, saved);
    };
    view! {
        <form class="inbox-form" on:submit=save aria-labelledby="inbox-form-title">
            <h3 id="inbox-form-title">{t(if id.is_some() { Key::EditInbox } else { Key::NewInbox })}</h3>
            <TextField label=Key::Name value=name/>
            <TextField label=Key::Website value=website kind="url"/>
            <TextField label=Key::Colour value=color kind="color"/>
            <TextField label=Key::WelcomeTitle value=welcome_title/>
            <TextField label=Key::WelcomeTagline value=welcome_tagline/>
            <Toggle label=Key::Greet value=greeting/>
            <TextField label=Key::GreetingMessage value=greeting_message/>
            <TextField label=Key::AllowedDomains value=allowed_domains/>
            <Toggle label=Key::AskRating value=csat/>
            <Toggle label=Key::RequireHmac value=hmac_mandatory/>
            {inbox.as_ref().and_then(|i| i.hmac_token.clone()).map(|token| view! {
                <p class="muted">{t(Key::HmacSecret)}<code class="hmac">{token}</code></p>
            })}
            <label class="field">
                {t(Key::ReplyTime)}
                <select class="reply-time" on:change=move |event| {
                    if let Some(chosen) = ReplyTime::parse(&event_target_value(&event)) {
                        reply_time.set(chosen);
                    }
                }>
                    {[(ReplyTime::InAFewMinutes, Key::InMinutes), (ReplyTime::InAFewHours, Key::InHours), (ReplyTime::InADay, Key::InADay)]
                        .into_iter()
                        .map(|(each, name)| view! { <option value=each.as_str() selected=move || reply_time.get() == each>{t(name)}</option> })
                        .collect_view()}
                </select>
            </label>
            <Toggle label=Key::AutoAssignInbox value=auto_assign/>
            <Toggle label=Key::AfterResolved value=after_resolved/>
            <Toggle label=Key::OneAtATime value=one_at_a_time/>
            <Toggle label=Key::UseWorkingHours value=hours_enabled/>
            <TextField label=Key::TimeZone value=timezone/>
            <WorkingHours week/>
            <TextField label=Key::OutOfOffice value=out_of_office/>
            <Toggle label=Key::PreChat value=pre_chat/>
            <PreChatFields options=pre_chat_options/>
            <div class="actions">
                <button type="submit">{t(Key::Save)}</button>
                <button type="button" on:click=move |_| editing.set(None)>{t(Key::Close)}</button>
                {move || saved.get().then(|| view! { <span role="status">{t(Key::Saved)}</span> })}
            </div>
            {inbox.and_then(|i| i.web_widget_script).map(|script| view! { <Snippet script/> })}
        </form>
    }
}

/// Creates or updates the inbox; a new one is then the one edited (with its snippet).
fn spawn_save(
    session: Session,
    id: Option<i64>,
    mut body: Value,
    editing: RwSignal<Option<Option<Inbox>>>,
    saved: RwSignal<bool>,
) {
    leptos::task::spawn_local(async move {
        let client = session.client();
        let answer = match id {
            Some(id) => client.patch(&format!("/inboxes/{id}"), &body).await.map(|_| None),
            None => {
                body["channel"] = json!({"type": "web_widget", "website_url": body["website_url"]});
                client.post::<Inbox>("/inboxes", &body).await.map(Some)
            }
        };
        match answer {
            Ok(created) => {
                saved.set(true);
                session.changed();
                if created.is_some() {
                    editing.set(Some(created));
                }
            }
            Err(failure) => session.fail.run(failure),
        }
    });
}

/// Each day open (between two times) or closed.
#[component]
fn WorkingHours(week: RwSignal<Vec<WorkingHoursDay>>) -> impl IntoView {
    let change = move |day: usize, edit: Box<dyn Fn(&mut WorkingHoursDay)>| {
        week.update(|days| {
            if let Some(one) = days.get_mut(day) {
                edit(one);
            }
        })
    };
    let time = |hour: Option<u8>, minutes: Option<u8>| format!("{:02}:{:02}", hour.unwrap_or(0), minutes.unwrap_or(0));
    let parse = |text: &str| -> Option<(u8, u8)> {
        let (hour, minutes) = text.split_once(':')?;
        Some((hour.parse().ok()?, minutes.parse().ok()?))
    };
    view! {
        <fieldset class="week">
            <legend>{t(Key::WorkingHours)}</legend>
            {move || week.get().into_iter().enumerate().map(|(at, day)| {
                let name = DAYS.get(usize::from(day.day_of_week)).map_or("", |day| t(*day));
                view! {
                    <div class="day">
                        <label class="toggle">
                            <input type="checkbox" prop:checked=!day.closed_all_day on:change=move |event| {
                                let open = event_target_checked(&event);
                                change(at, Box::new(move |one| one.closed_all_day = !open));
                            }/>
                            " "{name}
                        </label>
                        <input type="time" aria-label=fill(Key::Opens, &[name]) prop:value=time(day.open_hour, day.open_minutes)
                            disabled=day.closed_all_day on:change=move |event| {
                                if let Some((hour, minutes)) = parse(&event_target_value(&event)) {
                                    change(at, Box::new(move |one| { one.open_hour = Some(hour); one.open_minutes = Some(minutes); }));
                                }
                            }/>
                        <input type="time" aria-label=fill(Key::Closes, &[name]) prop:value=time(day.close_hour, day.close_minutes)
                            disabled=day.closed_all_day on:change=move |event| {
                                if let Some((hour, minutes)) = parse(&event_target_value(&event)) {
                                    change(at, Box::new(move |one| { one.close_hour = Some(hour); one.close_minutes = Some(minutes); }));
                                }
                            }/>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The pre-chat form's fields (Chatwoot's `pre_chat_fields`): each asked or not, required or not.
#[component]
fn PreChatFields(options: RwSignal<Value>) -> impl IntoView {
    let set = move |at: usize, key: &'static str, on: bool| {
        options.update(|all| {
            if let Some(field) = all["pre_chat_fields"].get_mut(at) {
                field[key] = json!(on);
            }
        })
    };
    move || {
        let fields = options.with(|all| all["pre_chat_fields"].as_array().cloned().unwrap_or_default());
        (!fields.is_empty()).then(|| {
            view! {
                <fieldset class="pre-chat">
                    <legend>{t(Key::PreChatQuestions)}</legend>
                    {fields.into_iter().enumerate().map(|(at, field)| {
                        let label = field["label"].as_str().unwrap_or_default().to_string();
                        view! {
                            <div class="day">
                                <span>{label.clone()}</span>
                                <label class="toggle">
                                    <input type="checkbox" prop:checked=field["enabled"] == true
                                        on:change=move |event| set(at, "enabled", event_target_checked(&event))/>
                                    " "{t(Key::Ask)}
                                </label>
                                <label class="toggle">
                                    <input type="checkbox" prop:checked=field["required"] == true
                                        on:change=move |event| set(at, "required", event_target_checked(&event))/>
                                    " "{t(Key::Required)}
                                </label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            }
        })
    }
}

/// The embed snippet, and a button that copies it.
#[component]
fn Snippet(script: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = {
        let script = script.clone();
        move |_| {
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&script);
                copied.set(true);
            }
        }
    };
    view! {
        <section class="snippet" aria-labelledby="snippet-title">
            <h4 id="snippet-title">{t(Key::PasteSnippet)}</h4>
            <pre><code>{script}</code></pre>
            <button type="button" on:click=copy>{t(Key::CopySnippet)}</button>
            {move || copied.get().then(|| view! { <span role="status">{t(Key::Copied)}</span> })}
        </section>
    }
}
