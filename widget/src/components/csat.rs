//! The satisfaction survey: a rating from 1 to 5 and optional words.

use leptos::prelude::*;
use nimchat_shared::wire::{CsatSurveyResponse, Message};

use crate::i18n::{Key, Locale};

/// `on_answer` gets the survey's message id and the visitor's answer.
#[component]
pub fn CsatCard(
    message: Message,
    locale: RwSignal<Locale>,
    on_answer: Callback<(i64, CsatSurveyResponse)>,
) -> impl IntoView {
    let answered = message
        .content_attributes
        .get("submitted_values")
        .and_then(|values| values["csat_survey_response"]["rating"].as_u64());
    let rating = RwSignal::new(answered.and_then(|rating| u8::try_from(rating).ok()).unwrap_or(0));
    let feedback = RwSignal::new(String::new());
    let id = message.id;
    let t = move |key| locale.get().t(key);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if rating.get_untracked() > 0 {
            let answer = CsatSurveyResponse {
                rating: rating.get_untracked(),
                feedback_message: Some(feedback.get_untracked()),
            };
            on_answer.run((id, answer));
        }
    };
    view! {
        <Show
            when=move || answered.is_none()
            fallback=move || view! { <p class="csat thanks">{t(Key::ThanksRating)}</p> }
        >
            <form class="csat" on:submit=submit>
                <p class="csat-title">{t(Key::RateTitle)}</p>
                <div class="ratings" role="radiogroup" aria-label=move || t(Key::RateTitle)>
                    {(1..=5u8)
                        .map(|value| view! {
                            <button
                                type="button"
                                role="radio"
                                aria-checked=move || (rating.get() == value).to_string()
                                aria-label=format!("{value} / 5")
                                on:click=move |_| rating.set(value)
                            >
                                {value}
                            </button>
                        })
                        .collect_view()}
                </div>
                <textarea
                    aria-label=move || t(Key::Feedback)
                    placeholder=move || t(Key::Feedback)
                    prop:value=move || feedback.get()
                    on:input=move |event| feedback.set(event_target_value(&event))
                ></textarea>
                <button type="submit" class="primary" disabled=move || rating.get() == 0>{move || t(Key::Submit)}</button>
            </form>
        </Show>
    }
}
