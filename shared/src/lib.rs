//! Types and rules that both sides of nimchat must agree on: the wire objects of the
//! API contract, its enums, and input validation that needs no I/O.

pub mod enums;
pub mod locale;
pub mod markdown;
pub mod validation;
pub mod wire;
