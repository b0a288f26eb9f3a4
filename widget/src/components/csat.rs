//! The satisfaction survey: a rating from 1 to 5 and optional words.

use nimchat_shared::wire::{CsatSurveyResponse, Message};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTextAreaElement};

use super::{say, say_attr};
use crate::chat::Chat;
use crate::dom::{add, attr, el, on, text};
use crate::i18n::Key;

/// The rating already given to a survey message, if any.
pub fn given_rating(message: &Message) -> Option<u64> {
    message
        .content_attributes
        .get("submitted_values")
        .and_then(|values| values["csat_survey_response"]["rating"].as_u64())
}

/// `on_answer` gets the survey's message id and the visitor's answer.
pub fn csat_card(chat: Chat, message: &Message, on_answer: impl Fn(i64, CsatSurveyResponse) + 'static) -> Element {
    if given_rating(message).is_some() {
        let thanks = el("p", "csat thanks");
        say(chat, &thanks, Key::ThanksRating);
        return thanks;
    }
    let form = el("form", "csat");
    let title = el("p", "csat-title");
    say(chat, &title, Key::RateTitle);
    let ratings = el("div", "ratings");
    attr(&ratings, "role", "radiogroup");
    say_attr(chat, &ratings, "aria-label", Key::RateTitle);
    let submit = el("button", "primary");
    attr(&submit, "type", "submit");
    attr(&submit, "disabled", "");
    say(chat, &submit, Key::Submit);
    // The chosen rating lives in the buttons' `aria-checked`.
    for value in 1..=5u8 {
        let button = text("button", "", &value.to_string());
        attr(&button, "type", "button");
        attr(&button, "role", "radio");
        attr(&button, "aria-checked", "false");
        attr(&button, "aria-label", &format!("{value} / 5"));
        let (group, submit) = (ratings.clone(), submit.clone());
        on(&button, "click", move |_| {
            let children = group.children();
            for index in 0..children.length() {
                if let Some(choice) = children.item(index) {
                    attr(&choice, "aria-checked", &(index + 1 == u32::from(value)).to_string());
                }
            }
            let _ = submit.remove_attribute("disabled");
        });
        add(&ratings, &[&button]);
    }
    let feedback = el("textarea", "");
    say_attr(chat, &feedback, "aria-label", Key::Feedback);
    say_attr(chat, &feedback, "placeholder", Key::Feedback);
    let id = message.id;
    let (group, words) = (ratings.clone(), feedback.clone());
    on(&form, "submit", move |event| {
        event.prevent_default();
        let chosen = group.query_selector("[aria-checked=true]").ok().flatten();
        let rating = chosen.and_then(|button| button.text_content()?.parse().ok());
        if let Some(rating) = rating {
            let feedback = words.unchecked_ref::<HtmlTextAreaElement>().value();
            on_answer(
                id,
                CsatSurveyResponse {
                    rating,
                    feedback_message: Some(feedback),
                },
            );
        }
    });
    add(&form, &[&title, &ratings, &feedback, &submit]);
    form
}
