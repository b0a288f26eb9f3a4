//! Drawing: Leptos's reactive graph decides when something is redrawn, these few helpers do
//! the DOM work. Every reactive piece of the widget goes through [`bind`], one `RenderEffect`
//! of one closure type, and every listener through [`on`]: so the graph's generic code exists
//! once, not once per closure and per element type, which with `view!` was most of the
//! widget's weight (BENCHMARKS.md, Weight).
//!
//! Effects and listeners belong to the Leptos `Owner` current when they are made; cleaning
//! that owner up (see [`swap`]) stops them. Message text only ever reaches the page through
//! [`text`] and [`set_text`], never as HTML.

use reactive_graph::effect::RenderEffect;
use reactive_graph::graph::untrack;
use reactive_graph::owner::{Owner, StoredValue};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, UnwrapThrowExt};
use web_sys::{Document, Element, Event, EventTarget, Node};

const SVG: &str = "http://www.w3.org/2000/svg";

fn document() -> Document {
    web_sys::window()
        .and_then(|window| window.document())
        .expect_throw("the widget runs in a page")
}

/// `<tag class="…">`; no class when `class` is empty.
pub fn el(tag: &str, class: &str) -> Element {
    let element = document().create_element(tag).expect_throw("a valid tag name");
    if !class.is_empty() {
        element.set_class_name(class);
    }
    element
}

/// A text node: how message content reaches the page.
pub fn text_node(words: &str) -> Node {
    document().create_text_node(words).into()
}

/// An element with fixed text.
pub fn text(tag: &str, class: &str, words: &str) -> Element {
    let element = el(tag, class);
    element.set_text_content(Some(words));
    element
}

pub fn attr(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

/// Appends each child in order.
pub fn add(parent: &Element, children: &[&Node]) {
    for child in children {
        let _ = parent.append_child(child);
    }
}

/// A single-path icon, hidden from assistive technology (its button carries the name).
pub fn icon(path: &str, size: &str) -> Element {
    let svg = document().create_element_ns(Some(SVG), "svg").expect_throw("svg");
    for (name, value) in [
        ("viewBox", "0 0 24 24"),
        ("width", size),
        ("height", size),
        ("aria-hidden", "true"),
        ("focusable", "false"),
    ] {
        attr(&svg, name, value);
    }
    let shape = document().create_element_ns(Some(SVG), "path").expect_throw("path");
    attr(&shape, "fill", "currentColor");
    attr(&shape, "d", path);
    let _ = svg.append_child(&shape);
    svg
}

/// Runs `draw` now and again whenever a signal it read changes.
pub fn bind(draw: impl FnMut() + 'static) {
    bind_boxed(Box::new(draw));
}

fn bind_boxed(mut draw: Box<dyn FnMut()>) {
    let effect = RenderEffect::new(move |_: Option<()>| draw());
    // Kept by the current owner: dropping the effect stops it.
    StoredValue::new_local(effect);
}

/// Text content, set only when it changes (a live region would repeat an unchanged line).
pub fn set_text(node: &Node, words: &str) {
    if node.text_content().as_deref() != Some(words) {
        node.set_text_content(Some(words));
    }
}

// The helpers below box what they are given at once: one copy of each helper's body, not
// one per caller.

/// Keeps `node`'s text at what `words` says.
pub fn bind_text(node: &Node, words: impl Fn() -> String + 'static) {
    bind_text_boxed(node.clone(), Box::new(words));
}

fn bind_text_boxed(node: Node, words: Box<dyn Fn() -> String>) {
    bind(move || set_text(&node, &words()));
}

/// Keeps an attribute at what `value` says; `None` removes it.
pub fn bind_attr(element: &Element, name: &'static str, value: impl Fn() -> Option<String> + 'static) {
    bind_attr_boxed(element.clone(), name, Box::new(value));
}

fn bind_attr_boxed(element: Element, name: &'static str, value: Box<dyn Fn() -> Option<String>>) {
    bind(move || match value() {
        Some(value) if element.get_attribute(name).as_deref() != Some(value.as_str()) => attr(&element, name, &value),
        Some(_) => {}
        None => {
            let _ = element.remove_attribute(name);
        }
    });
}

/// Text that is sometimes there: the element is `hidden` while `words` is `None`.
pub fn bind_optional_text(element: &Element, words: impl Fn() -> Option<String> + 'static) {
    bind_optional_text_boxed(element.clone(), Box::new(words));
}

fn bind_optional_text_boxed(element: Element, words: Box<dyn Fn() -> Option<String>>) {
    bind(move || match words() {
        Some(words) => {
            set_text(&element, &words);
            let _ = element.remove_attribute("hidden");
        }
        None => attr(&element, "hidden", ""),
    });
}

/// Calls `handler` on each `event` at `target`, for as long as the current owner lives.
pub fn on(target: &EventTarget, event: &str, handler: impl FnMut(Event) + 'static) {
    on_boxed(target, event, Box::new(handler));
}

fn on_boxed(target: &EventTarget, event: &str, handler: Box<dyn FnMut(Event)>) {
    let listener = Closure::<dyn FnMut(Event)>::wrap(handler);
    let _ = target.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
    StoredValue::new_local(listener);
}

/// Something drawn under its own owner, so that cleaning the owner up stops its effects and
/// listeners when the drawing goes.
pub struct Drawn {
    pub node: Node,
    owner: Owner,
}

impl Drawn {
    /// Draws under a new owner, child of `parent` (not of the effect that asks: a rerun of
    /// that effect would clean up what it drew), without tracking what `draw` reads.
    pub fn new(parent: &Owner, draw: impl FnOnce() -> Node) -> Drawn {
        let owner = parent.with(Owner::new);
        let node = untrack(|| owner.with(draw));
        Drawn { node, owner }
    }

    /// Takes the drawing out of the page and stops it.
    pub fn remove(self) {
        if let Some(parent) = self.node.parent_node() {
            let _ = parent.remove_child(&self.node);
        }
        self.stop();
    }

    /// Stops its effects and listeners.
    pub fn stop(self) {
        self.owner.cleanup();
    }
}

/// The owner current now, or a new root one.
pub fn current_owner() -> Owner {
    Owner::current().unwrap_or_default()
}

/// One of several drawings in a place of `parent`: `pick` says which (re-evaluated when what
/// it reads changes), `draw` draws it; a drawing is replaced only when `pick` changes.
pub fn swap(parent: &Element, pick: impl Fn() -> u8 + 'static, draw: impl Fn(u8) -> Option<Node> + 'static) {
    swap_boxed(parent.clone(), Box::new(pick), Box::new(draw));
}

fn swap_boxed(parent: Element, pick: Box<dyn Fn() -> u8>, draw: Box<dyn Fn(u8) -> Option<Node>>) {
    let owner = current_owner();
    // Marks the place while nothing is drawn.
    let place: Node = document().create_comment("").into();
    let _ = parent.append_child(&place);
    let mut shown: Option<(u8, Drawn)> = None;
    bind(move || {
        let choice = pick();
        if shown.as_ref().is_some_and(|(current, _)| *current == choice) {
            return;
        }
        let drawn = Drawn::new(&owner, || draw(choice).unwrap_or_else(|| place.clone()));
        let old = shown.take().map(|(_, old)| old);
        let old_node = old.as_ref().map_or(&place, |old| &old.node);
        if *old_node != drawn.node {
            let _ = parent.replace_child(&drawn.node, old_node);
        }
        if let Some(old) = old {
            old.stop();
        }
        shown = Some((choice, drawn));
    });
}
