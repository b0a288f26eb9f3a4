//! Who works in the account: agents (add, role, remove) and teams (with their members).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use nimchat_shared::enums::Role;
use serde_json::{json, Value};

use super::DeleteButton;
use crate::fields::{TextField, Toggle};
use crate::i18n::{fill, t, Key};
use crate::shell::Session;

#[component]
pub fn Agents(session: Session) -> impl IntoView {
    let agents = session.loaded(|client| async move { client.agents().await });
    let (name, email) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let role = RwSignal::new(Role::Agent);
    let add = move |event: SubmitEvent| {
        event.prevent_default();
        let body = json!({"name": name.get_untracked(), "email": email.get_untracked(),
                          "role": role.get_untracked().as_str()});
        name.set(String::new());
        email.set(String::new());
        session.apply(async move { session.client().post::<Value>("/agents", &body).await });
    };
    view! {
        <h2>{t(Key::Agents)}</h2>
        <ul class="rows">
            <For each=move || agents.get() key=|agent| (agent.person.id, agent.role.as_str()) let:agent>
                {
                    let id = agent.person.id;
                    let name = agent.person.available_name.clone();
                    let set_role = move |chosen: String| session.apply(async move {
                        session.client().patch(&format!("/agents/{id}"), &json!({ "role": chosen })).await
                    });
                    view! {
                        <li>
                            <strong>{name.clone()}</strong>
                            <span class="muted">{agent.person.email.clone()}</span>
                            <RoleChoice label=fill(Key::RoleOf, &[&name]) role=agent.role choose=set_role/>
                            {(id != session.me).then(|| view! {
                                <DeleteButton what=name.clone() session path=format!("/agents/{id}")/>
                            })}
                        </li>
                    }
                }
            </For>
        </ul>
        <form class="add" on:submit=add aria-label=t(Key::NewAgent)>
            <TextField label=Key::Name value=name/>
            <TextField label=Key::Email value=email kind="email"/>
            <RoleChoice label=t(Key::Role).to_string() role=Role::Agent choose=move |chosen: String| role.set(Role::parse(&chosen).unwrap_or(Role::Agent))/>
            <button type="submit">{t(Key::AddAgent)}</button>
        </form>
    }
}

#[component]
fn RoleChoice(label: String, role: Role, choose: impl Fn(String) + 'static) -> impl IntoView {
    view! {
        <select aria-label=label on:change=move |event| choose(event_target_value(&event))>
            {[(Role::Agent, Key::Agent), (Role::Administrator, Key::Administrator)].into_iter().map(|(each, name)| view! {
                <option value=each.as_str() selected=each == role>{t(name)}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
pub fn Teams(session: Session) -> impl IntoView {
    let teams = session.loaded(|client| async move { client.teams().await });
    let agents = session.loaded(|client| async move { client.agents().await });
    let (name, description) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let auto_assign = RwSignal::new(true);
    let add = move |event: SubmitEvent| {
        event.prevent_default();
        let body = json!({"name": name.get_untracked(), "description": description.get_untracked(),
                          "allow_auto_assign": auto_assign.get_untracked()});
        name.set(String::new());
        description.set(String::new());
        session.apply(async move { session.client().post::<Value>("/teams", &body).await });
    };
    view! {
        <h2>{t(Key::Teams)}</h2>
        <ul class="rows">
            <For each=move || teams.get() key=|team| (team.id, team.name.clone()) let:team>
                {
                    let id = team.id;
                    view! {
                        <li class="team">
                            <strong>{team.name.clone()}</strong>
                            <span class="muted">{team.description.clone().unwrap_or_default()}</span>
                            <DeleteButton what=team.name.clone() session path=format!("/teams/{id}")/>
                            <TeamMembers session team=id agents/>
                        </li>
                    }
                }
            </For>
        </ul>
        <form class="add" on:submit=add aria-label=t(Key::NewTeam)>
            <TextField label=Key::Name value=name/>
            <TextField label=Key::Description value=description/>
            <Toggle label=Key::AutoAssign value=auto_assign/>
            <button type="submit">{t(Key::AddTeam)}</button>
        </form>
    }
}

/// A team's members, chosen among the account's agents.
#[component]
fn TeamMembers(session: Session, team: i64, agents: RwSignal<Vec<nimchat_shared::wire::Agent>>) -> impl IntoView {
    let path = format!("/teams/{team}/team_members");
    let members = {
        let path = path.clone();
        session.loaded(move |client| {
            let path = path.clone();
            async move { client.get::<Vec<nimchat_shared::wire::Agent>>(&path).await }
        })
    };
    let member_ids = move || members.with(|found| found.iter().map(|agent| agent.person.id).collect::<Vec<_>>());
    view! {
        <fieldset class="members">
            <legend>{t(Key::Members)}</legend>
            {move || agents.get().into_iter().map(|agent| {
                let id = agent.person.id;
                let path = path.clone();
                let toggle = move |on: bool| {
                    let mut ids = member_ids();
                    ids.retain(|each| *each != id);
                    if on {
                        ids.push(id);
                    }
                    let path = path.clone();
                    session.apply(async move { session.client().patch(&path, &json!({ "user_ids": ids })).await });
                };
                view! {
                    <label class="toggle">
                        <input type="checkbox" prop:checked=move || member_ids().contains(&id)
                            on:change=move |event| toggle(event_target_checked(&event))/>
                        " "{agent.person.available_name}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}
