//! An agent bot's fields as the seed names them, read once for the Platform API's bots and
//! the accounts' own (contract 1 and 7.2).

use serde_json::{Map, Value};
use worker::Env;

use crate::error::ApiResult;
use crate::input::Fields;
use crate::store::AgentBotChanges;
use crate::webhooks::private_urls_allowed;

/// `{name, description, outgoing_url}`; `outgoing_url` follows the rules of webhook URLs.
pub fn read(env: &Env, body: &Map<String, Value>) -> ApiResult<AgentBotChanges> {
    let fields = Fields::new(body);
    Ok(AgentBotChanges {
        name: fields.text("name", 255)?,
        description: fields.text("description", 10_000)?,
        outgoing_url: fields.outgoing_url("outgoing_url", private_urls_allowed(env))?,
    })
}
