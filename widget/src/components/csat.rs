//! The satisfaction survey: a rating from 1 to 5 and optional words.

use leptos::html;
use leptos::prelude::*;
use nimchat_shared::wire::{CsatSurveyResponse, Message};

use super::focus::take_lost_focus;
use super::{flag, say, text};
use crate::chat::Chat;
use crate::i18n::PartKey;

/// The rating already given to a survey message, if any.
pub fn given_rating(message: &Message) -> Option<u64> {
    message
        .content_attributes
        .get("submitted_values")
        .and_then(|values| values["csat_survey_response"]["rating"].as_u64())
}

/// The card of survey `id`, or thanks once `answered`; `on_answer` gets the id and the
/// visitor's answer. Thanks takes the focus the sent form had.
#[component]
pub fn CsatCard<F>(chat: Chat, id: i64, #[prop(into)] answered: Signal<bool>, on_answer: F) -> impl IntoView
where
    F: Fn(i64, CsatSurveyResponse) + Copy + Send + Sync + 'static,
{
    view! {
        {move || if answered.get() { thanks(chat).into_any() } else { form(chat, id, on_answer).into_any() }}
    }
}

fn thanks(chat: Chat) -> impl IntoView {
    let thanks = NodeRef::<html::P>::new();
    thanks.on_load(|paragraph| take_lost_focus(paragraph.into()));
    view! { <p class="csat thanks" tabindex="-1" node_ref=thanks>{say(chat, PartKey::ThanksRating)}</p> }
}

fn form<F>(chat: Chat, id: i64, on_answer: F) -> impl IntoView
where
    F: Fn(i64, CsatSurveyResponse) + Copy + Send + Sync + 'static,
{
    let rating = RwSignal::new(0u8);
    let feedback = RwSignal::new(String::new());
    let ratings = (1..=5u8)
        .map(|value| {
            view! {
                <button
                    type="button"
                    role="radio"
                    aria-checked=text(move || (rating.get() == value).to_string())
                    aria-label=format!("{value} / 5")
                    on:click=move |_| rating.set(value)
                >
                    {value}
                </button>
            }
        })
        .collect_view();
    view! {
        <form
            class="csat"
            on:submit=move |event| {
                event.prevent_default();
                if rating.get_untracked() > 0 {
                    on_answer(id, CsatSurveyResponse {
                        rating: rating.get_untracked(),
                        feedback_message: Some(feedback.get_untracked()),
                    });
                }
            }
        >
            <p class="csat-title">{say(chat, PartKey::RateTitle)}</p>
            <div class="ratings" role="radiogroup" aria-label=say(chat, PartKey::RateTitle)>
                {ratings}
            </div>
            <textarea
                aria-label=say(chat, PartKey::Feedback)
                placeholder=say(chat, PartKey::Feedback)
                on:input=move |event| feedback.set(event_target_value(&event))
            ></textarea>
            <button class="primary" type="submit" disabled=flag(move || rating.get() == 0)>
                {say(chat, PartKey::Submit)}
            </button>
        </form>
    }
}
