//! Rules of the product with no I/O, unit-tested natively.

pub mod assignment;
pub mod byte_range;
pub mod chat_session;
pub mod contact_edits;
pub mod conversation_rules;
pub mod csat;
pub mod custom_attributes;
pub mod file_kinds;
pub mod file_links;
pub mod filters;
pub mod handover;
pub mod identity;
pub mod inbox_settings;
pub mod inquiries;
pub mod labels;
pub mod message_rules;
pub mod names;
pub mod origins;
pub mod password;
pub mod queue;
pub mod rate_limit;
pub mod secrets;
pub mod services;
pub mod timestamps;
pub mod working_hours;
