//! The nimchat widget: what a visitor sees, a Leptos app. `widget.js` loads this module when
//! the visitor reaches for the bubble (or the page calls `$nimchat`) and calls [`start`].
//!
//! `chat` is the state and its actions, `components` draw it, `api` makes every call to the
//! edge.

#[macro_use]
pub mod lazy;
pub mod api;
pub mod chat;
pub mod components;
pub mod i18n;
pub mod json;
mod page_title;
pub mod reconnect;
mod session_store;
pub mod theme;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use chat::{emit, Chat, ColorScheme};
use components::App;
use i18n::Locale;
use json::object;

/// The handle the loader keeps: each method is a `window.$nimchat` call.
#[wasm_bindgen]
pub struct Widget {
    chat: Chat,
}

/// A field of a JS object (`window.nimchatSettings`, `setUser`'s details), unless unset.
fn setting(settings: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(settings, &key.into())
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
}

/// Mounts the widget into the loader's shadow root, in place of the loader's bubble (`#l`);
/// the bubble keeps the keyboard's focus if the loader's had it. `tone` plays the loader's
/// short sound for a reply the visitor is not looking at.
#[wasm_bindgen]
pub fn start(root: web_sys::ShadowRoot, base_url: String, inbox: String, settings: JsValue, tone: JsValue) -> Widget {
    let browser_locale = web_sys::window()
        .and_then(|window| window.navigator().language())
        .unwrap_or_default();
    let text = |key| setting(&settings, key).and_then(|value| value.as_string());
    let locale = text("locale").unwrap_or(browser_locale);
    let scheme = text("darkMode").unwrap_or_default();
    let chat = Chat::new(&base_url, &inbox, Locale::parse(&locale), ColorScheme::parse(&scheme));
    let hide_bubble = setting(&settings, "hideMessageBubble").and_then(|value| value.as_bool()) == Some(true);
    let launcher_title = text("launcherTitle").filter(|title| !title.trim().is_empty());
    let sound = setting(&settings, "sound").and_then(|value| value.as_bool()) != Some(false);
    if let Some(tone) = tone.dyn_ref::<js_sys::Function>() {
        chat.set_tone(tone.clone());
    }
    chat.update(|state| {
        state.bubble_visible = !hide_bubble;
        state.launcher_title = launcher_title;
        state.sound = sound;
    });
    let position = match text("position").as_deref() {
        Some("left") => "left",
        _ => "right",
    };
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return Widget { chat };
    };
    let had_focus = root.active_element().is_some();
    if let Some(loader_bubble) = root.get_element_by_id("l") {
        loader_bubble.remove();
    }
    let _ = root.host().set_attribute("data-nimchat-host", "");
    // The widget's style sheet in place of the loader's.
    let _ = js_sys::Reflect::set(&root, &"adoptedStyleSheets".into(), &js_sys::Array::new());
    add_style(&root, components::STYLE);
    if let Ok(host) = document.create_element("div") {
        let _ = root.append_child(&host);
        let host: web_sys::HtmlElement = host.unchecked_into();
        follow_visual_viewport(&host);
        leptos::mount::mount_to(host, move || view! { <App chat position /> }).forget();
    }
    if had_focus {
        if let Some(bubble) = root.query_selector(".bubble").ok().flatten() {
            let _ = bubble.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    }
    clear_unread_when_seen(&document, chat);
    chat.start();
    emit("nimchat:ready", JsValue::NULL);
    Widget { chat }
}

/// Adds a style sheet of `css` to the shadow root. A constructed sheet, not a `<style>`
/// element: a host page whose Content-Security-Policy forbids inline styles still draws the
/// widget (README, embedding).
pub(crate) fn add_style(root: &web_sys::ShadowRoot, css: &str) {
    let Ok(sheet) = web_sys::CssStyleSheet::new() else {
        return;
    };
    let _ = sheet.replace_sync(css);
    let adopted = js_sys::Reflect::get(root, &"adoptedStyleSheets".into()).unwrap_or_default();
    let sheets = js_sys::Array::from(&adopted).concat(&js_sys::Array::of1(&sheet));
    let _ = js_sys::Reflect::set(root, &"adoptedStyleSheets".into(), &sheets);
}

/// A visitor who comes back to the page with the window open has seen the replies that came
/// meanwhile.
fn clear_unread_when_seen(document: &web_sys::Document, chat: Chat) {
    let listener = Closure::<dyn Fn()>::new(move || {
        if !chat::page_hidden() && chat.peek(|state| state.open && state.unread > 0) {
            chat.update(|state| state.unread = 0);
        }
    });
    let _ = document.add_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
    listener.forget();
}

/// Keeps `--nimchat-viewport-height` at the visible height, so that the full-screen window
/// on phones stays above the on-screen keyboard.
fn follow_visual_viewport(host: &web_sys::HtmlElement) {
    let Some(viewport) = web_sys::window().and_then(|window| window.visual_viewport()) else {
        return;
    };
    let style = host.style();
    let update = {
        let viewport = viewport.clone();
        move || {
            // Whole pixels: formatting an f64 would pull float printing into the binary.
            let _ = style.set_property("--nimchat-viewport-height", &format!("{}px", viewport.height() as i64));
        }
    };
    update();
    let listener = Closure::<dyn Fn()>::new(update);
    let _ = viewport.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
    listener.forget();
}

#[wasm_bindgen]
impl Widget {
    /// `toggle()`, `toggle("open")`, `toggle("close")`.
    pub fn toggle(&self, state: Option<String>) {
        let open = match state.as_deref() {
            Some("open") => true,
            Some("close") => false,
            _ => !self.chat.peek(|state| state.open),
        };
        self.chat.set_open(open);
    }

    /// `toggleBubbleVisibility("show" | "hide")`.
    pub fn toggle_bubble_visibility(&self, visibility: String) {
        self.chat.update(|state| state.bubble_visible = visibility != "hide");
    }

    /// `setUser(identifier, {name, email, phone_number, avatar_url, identifier_hash})`.
    pub fn set_user(&self, identifier: String, user: JsValue) {
        let changes = object(&[("identifier", identifier.into())]);
        for key in ["name", "email", "phone_number", "avatar_url", "identifier_hash"] {
            if let Some(value) = setting(&user, key).filter(JsValue::is_string) {
                let _ = js_sys::Reflect::set(&changes, &key.into(), &value);
            }
        }
        self.chat.update_contact(changes);
    }

    pub fn set_custom_attributes(&self, attributes: JsValue) {
        if attributes.is_object() {
            self.chat.update_contact(object(&[("custom_attributes", attributes)]));
        }
    }

    /// Removes a custom attribute (a `null` in a merge removes the key).
    pub fn delete_custom_attribute(&self, key: String) {
        let removal = object(&[(key.as_str(), JsValue::NULL)]);
        self.chat
            .update_contact(object(&[("custom_attributes", removal.into())]));
    }

    pub fn set_locale(&self, locale: String) {
        self.chat.update(|state| state.locale = Locale::parse(&locale));
    }

    pub fn set_color_scheme(&self, scheme: String) {
        self.chat.update(|state| state.scheme = ColorScheme::parse(&scheme));
    }

    pub fn reset(&self) {
        self.chat.reset();
    }
}
