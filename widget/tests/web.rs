//! Component tests in a real browser (headless Chromium through wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use nimchat_widget::Bubble;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a view into a fresh element of the test page and returns that element.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), view).forget();
    host
}

#[wasm_bindgen_test]
async fn the_bubble_is_a_named_button_that_toggles() {
    let open = RwSignal::new(false);
    let host = mount(move || view! { <Bubble open=open /> });
    let button: HtmlElement = host
        .query_selector("button")
        .unwrap()
        .expect("a <button>")
        .unchecked_into();
    assert_eq!(button.get_attribute("aria-label").as_deref(), Some("Open chat"));
    assert_eq!(button.get_attribute("aria-expanded").as_deref(), Some("false"));

    button.click();
    // The DOM follows the signal in an effect, on the next tick.
    leptos::task::tick().await;
    assert!(open.get_untracked());
    assert_eq!(button.get_attribute("aria-label").as_deref(), Some("Close chat"));
    assert_eq!(button.get_attribute("aria-expanded").as_deref(), Some("true"));

    button.click();
    leptos::task::tick().await;
    assert!(!open.get_untracked());
    assert_eq!(button.get_attribute("aria-expanded").as_deref(), Some("false"));
}
