//! The parts of the window few visitors meet: Markdown, files, interactive messages (the
//! survey, options, forms, cards), the e-mail capture and the pre-chat form, with their words
//! and style, and the upload of files. Built with the `split` feature (as `cargo xtask`
//! builds the widget), they live in a wasm chunk of their own, fetched the first time one of
//! them is needed (Leptos's wasm-split; BENCHMARKS.md, Weight). Built without it (the
//! component tests), they are called directly.
//!
//! Every part is drawn through one split point, [`draw`], so that the code that waits for the
//! chunk exists once in the main module.

use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use nimchat_shared::wire::{Attachment, Message};
use web_sys::File;

use crate::chat::Chat;
use crate::components::{self, EmailCapture, PreChatForm};

/// Marks a function as a split point of the parts' chunk. It answers a `Result` whose error
/// comes from a [`SplitLoaderError`]: a chunk that did not load.
// rustfmt indents the attribute further on each run inside the macro.
#[rustfmt::skip]
macro_rules! part {
    ($part:item) => {
        #[cfg_attr(
            feature = "split",
            leptos::wasm_split::wasm_split(parts, wasm_split_path = ::leptos::wasm_split, fallible)
        )]
        $part
    };
}

/// What a call to a split point answers: with the `split` feature, once the chunk is there.
#[cfg(feature = "split")]
macro_rules! loaded {
    ($call:expr) => {
        $call.await
    };
}

#[cfg(not(feature = "split"))]
macro_rules! loaded {
    ($call:expr) => {
        $call
    };
}

/// A part to draw, with what it draws.
pub enum Part {
    /// An agent's or a bot's message text.
    Markdown(String),
    /// A message's files, their sizes in the visitor's language.
    Files(Vec<Attachment>, &'static str),
    /// What a message asks or shows beyond its text (see `components::message`).
    Interactive {
        chat: Chat,
        key: String,
        message: Box<Message>,
        earlier: bool,
    },
    /// How much of the file of the visitor's draft `key` has gone.
    Upload {
        chat: Chat,
        key: String,
    },
    EmailCapture(Chat),
    PreChat(Chat),
}

/// The parts' style sheet, as `build.rs` compacts `src/parts.css`: in the chunk with them.
pub const PARTS_STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/parts.css"));

part! {
    /// A part's view, drawn untracked as a component is (what it reads does not redraw the
    /// view around it), with the parts' style sheet.
    fn draw(part: Part) -> Result<AnyView, SplitLoaderError> {
        add_parts_style();
        Ok(untrack(move || match part {
            Part::Markdown(content) => components::formatted(&content),
            Part::Files(files, locale) => components::files(&files, locale),
            Part::Interactive { chat, key, message, earlier } => components::interactive(chat, key, *message, earlier),
            Part::Upload { chat, key } => components::upload_progress(chat, key),
            Part::EmailCapture(chat) => view! { <EmailCapture chat /> }.into_any(),
            Part::PreChat(chat) => view! { <PreChatForm chat /> }.into_any(),
        }))
    }
}

part! {
    /// Queues the files the visitor attached (see `Chat::attach`).
    pub fn attach(chat: Chat, files: Vec<File>) -> Result<(), SplitLoaderError> {
        chat.queue_files(files);
        Ok(())
    }
}

part! {
    /// Nothing: a call fetches the chunk.
    fn ready() -> Result<(), SplitLoaderError> {
        Ok(())
    }
}

/// Fetches the chunk ahead of need: a visitor who writes is about to read a reply, and
/// replies are drawn as Markdown.
pub fn prefetch() {
    leptos::task::spawn_local(async {
        let _ = loaded!(ready());
    });
}

/// The view of a part: nothing until the chunk is there. If it does not load, a message's
/// text shows as typed (never an empty bubble), other parts nothing, and the next drawing
/// tries again.
pub fn lazy(part: Part) -> AnyView {
    let text = match &part {
        Part::Markdown(content) => Some(content.clone()),
        _ => None,
    };
    Suspend::new(async move {
        loaded!(draw(part)).unwrap_or_else(|_| text.map_or(().into_any(), |text| components::as_typed(&text)))
    })
    .into_any()
}

/// Adds the parts' style sheet to the widget's shadow root, once: every part drawn asks, so
/// the page is searched for the root only until it is found.
fn add_parts_style() {
    static ADDED: AtomicBool = AtomicBool::new(false);
    if ADDED.load(Ordering::Relaxed) {
        return;
    }
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.query_selector("[data-nimchat-host]").ok().flatten())
        .and_then(|host| host.shadow_root());
    if let Some(root) = root {
        ADDED.store(true, Ordering::Relaxed);
        crate::add_style(&root, PARTS_STYLE);
    }
}
