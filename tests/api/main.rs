//! Black-box tests of the HTTP APIs against a real local edge.

mod application_agents;
mod application_inboxes;
mod credentials;
mod malformed;
mod platform;
