//! Where the keyboard's focus goes when what had it leaves the page: a view that replaces
//! the focused one hands the focus on, so a keyboard user never falls back to the page's top.

use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

const FOCUSABLE: &str = "textarea, input, button:not([disabled]), a[href], [tabindex='-1']";

/// The focused element inside the shadow root that holds `inside`.
pub fn active_in_widget(inside: &Element) -> Option<Element> {
    inside
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok()?
        .active_element()
}

/// No element has the focus: what had it was taken out of the page. (A visitor typing in
/// the host page keeps their focus.)
fn focus_is_lost(inside: &Element) -> bool {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return false;
    };
    match document.active_element() {
        None => true,
        Some(active) if document.body().is_some_and(|body| *body == active) => true,
        // The widget's host: the focus is somewhere in its shadow root, or was.
        Some(_) => inside.get_root_node().is_instance_of::<web_sys::ShadowRoot>() && active_in_widget(inside).is_none(),
    }
}

/// The first thing in `container` a keyboard can reach (`container` itself if it can).
pub fn first_focusable(container: &Element) -> Option<HtmlElement> {
    let target = match container.matches(FOCUSABLE) {
        Ok(true) => Some(container.clone()),
        _ => container.query_selector(FOCUSABLE).ok().flatten(),
    };
    target.and_then(|element| element.dyn_into().ok())
}

/// Once the drawing under way is done: the first focusable element of `container` takes
/// the focus if nothing has it.
pub fn take_lost_focus(container: Element) {
    spawn_local(async move {
        if container.is_connected() && focus_is_lost(&container) {
            if let Some(target) = first_focusable(&container) {
                let _ = target.focus();
            }
        }
    });
}
