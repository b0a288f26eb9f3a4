//! The agents' console (issue 16): sign in, the conversation list and the queue beside a
//! conversation, kept live from `/cable`. A Leptos (CSR) app the edge serves at `/app/`, on
//! the `shared` wire types.

mod api;
mod cable;
mod conversation;
mod details;
mod fields;
mod i18n;
mod list;
mod notify;
mod settings;
mod shell;
mod sign_in;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    i18n::start();
    leptos::mount::mount_to_body(sign_in::App);
}
