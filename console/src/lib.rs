//! The agents' console (issue 16): sign in, the conversation list and a conversation, kept
//! live from `/cable`. A Leptos (CSR) app the edge serves at `/app/`, on the `shared` wire
//! types.

mod api;
mod cable;
mod components;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(components::App);
}
