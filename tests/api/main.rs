//! Black-box tests of the HTTP APIs against a real local edge.

mod application_access;
mod application_agents;
mod application_contacts;
mod application_conversation_tools;
mod application_conversations;
mod application_inboxes;
mod application_settings;
mod attachments;
mod chatwoot_dropin;
mod client_contacts;
mod client_conversations;
mod client_csat;
mod client_guard_rails;
mod client_identity;
mod credentials;
mod engagor_contacts;
mod engagor_handover;
mod inquiries;
mod malformed;
mod platform;
mod realtime;
mod request_bodies;
mod sign_in;
mod static_files;
mod superoffice_transfer;
mod webhooks;
