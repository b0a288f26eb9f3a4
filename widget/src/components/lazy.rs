//! Parts of the window few visitors meet (the survey, the pre-chat form, the e-mail capture,
//! interactive messages, Markdown, files) are drawn by "parts": functions that, built with
//! the `split` feature, live in a wasm chunk of their own, fetched the first time one of them
//! is drawn (Leptos's wasm-split; BENCHMARKS.md, Weight). Built without it (the component
//! tests), they are called directly.

/// What a part gives: its view, or the chunk's failure to load (the part is then left out,
/// and the next drawing tries again).
pub type Drawn = Result<leptos::prelude::AnyView, leptos::wasm_split::SplitLoaderError>;

/// Marks a `fn(..) -> Drawn` as a part, in chunk `$chunk`.
macro_rules! part {
    ($chunk:ident, $part:item) => {
        #[cfg_attr(
                    feature = "split",
                    leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)
                )]
        $part
    };
}

/// The view of a call to a part: nothing until its chunk is there. The part draws untracked,
/// as a component does, so that what it reads does not redraw the view around it.
#[cfg(feature = "split")]
macro_rules! lazy {
    ($call:expr) => {
        leptos::prelude::Suspend::new(async move { $call.await.unwrap_or_else(|_| ().into_any()) }).into_any()
    };
}

#[cfg(not(feature = "split"))]
macro_rules! lazy {
    ($call:expr) => {
        $call.unwrap_or_else(|_| ().into_any())
    };
}

/// A part's view, drawn untracked as a component's is.
pub fn drawn(view: impl FnOnce() -> leptos::prelude::AnyView) -> Drawn {
    Ok(leptos::prelude::untrack(view))
}
