//! The nimchat widget: what a visitor sees. Components are small and pure view code; talking
//! to the edge lives apart from them.

mod bubble;

pub use bubble::Bubble;
