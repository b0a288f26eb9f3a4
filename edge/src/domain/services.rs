//! Engagor's `service` names for nimchat's inbox channels (contract 5.1, 5.2).

/// Web-widget inboxes are `livechat`, API inboxes `api`.
const SERVICES: [(&str, &str); 2] = [("livechat", "web_widget"), ("api", "api")];

/// The channel type of a service name.
pub fn channel_of_service(service: &str) -> Option<&'static str> {
    SERVICES
        .iter()
        .find(|(name, _)| *name == service)
        .map(|(_, channel)| *channel)
}

/// The service name of a channel type.
pub fn service_of_channel(channel: &str) -> Option<&'static str> {
    SERVICES
        .iter()
        .find(|(_, kind)| *kind == channel)
        .map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_and_channels_map_both_ways() {
        assert_eq!(channel_of_service("livechat"), Some("web_widget"));
        assert_eq!(channel_of_service("api"), Some("api"));
        assert_eq!(channel_of_service("twitter"), None);
        assert_eq!(service_of_channel("web_widget"), Some("livechat"));
        assert_eq!(service_of_channel("email"), None);
    }
}
