//! Rules of the product with no I/O, unit-tested natively.

pub mod inbox_settings;
pub mod password;
pub mod secrets;
