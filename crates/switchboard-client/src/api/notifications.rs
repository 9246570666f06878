//! Notification channels (API-FACTS §6): the real change feed, for watch mode.

use super::op;
use crate::client::Client;
use crate::error::Error;
use crate::models::{Channel, ChannelTopic, EntitiesOnly};
use crate::request::{ApiRequest, Endpoint, Method::*};

/// `POST /api/v2/notifications/channels`.
pub const CREATE_CHANNEL: Endpoint = op(Post, "/api/v2/notifications/channels", &[]);
/// `GET /api/v2/notifications/channels`.
pub const LIST_CHANNELS: Endpoint = op(Get, "/api/v2/notifications/channels", &[]);
/// `GET .../channels/{channelId}/subscriptions`.
pub const LIST_SUBSCRIPTIONS: Endpoint = op(
    Get,
    "/api/v2/notifications/channels/{channelId}/subscriptions",
    &[],
);
/// `PUT .../channels/{channelId}/subscriptions`: replaces the topics.
pub const REPLACE_SUBSCRIPTIONS: Endpoint = op(
    Put,
    "/api/v2/notifications/channels/{channelId}/subscriptions",
    &[],
);
/// `POST .../channels/{channelId}/subscriptions`: adds topics.
pub const ADD_SUBSCRIPTIONS: Endpoint = op(
    Post,
    "/api/v2/notifications/channels/{channelId}/subscriptions",
    &[],
);
/// `DELETE .../channels/{channelId}/subscriptions`: removes all.
pub const CLEAR_SUBSCRIPTIONS: Endpoint = op(
    Delete,
    "/api/v2/notifications/channels/{channelId}/subscriptions",
    &[],
);

/// Topics per WebSocket (going over is a 400).
pub const MAX_TOPICS: usize = 1000;

/// Creates a channel (at most 20 per user and application; the 21st replaces the oldest).
pub fn create_channel() -> ApiRequest {
    ApiRequest::new(CREATE_CHANNEL, &[])
}

/// The channels of this client.
pub fn list_channels() -> ApiRequest {
    ApiRequest::new(LIST_CHANNELS, &[])
}

/// A channel's topics.
pub fn list_subscriptions(channel_id: &str) -> ApiRequest {
    ApiRequest::new(LIST_SUBSCRIPTIONS, &[channel_id])
}

/// Replaces a channel's topics.
pub fn replace_subscriptions(channel_id: &str, topics: &[ChannelTopic]) -> ApiRequest {
    ApiRequest::new(REPLACE_SUBSCRIPTIONS, &[channel_id]).json(&topics)
}

/// Adds topics to a channel (adding one twice changes nothing).
pub fn add_subscriptions(channel_id: &str, topics: &[ChannelTopic]) -> ApiRequest {
    ApiRequest::new(ADD_SUBSCRIPTIONS, &[channel_id])
        .json(&topics)
        .idempotent()
}

/// Removes every topic from a channel.
pub fn clear_subscriptions(channel_id: &str) -> ApiRequest {
    ApiRequest::new(CLEAR_SUBSCRIPTIONS, &[channel_id])
}

impl Client {
    /// Creates a notification channel.
    pub async fn create_channel(&self) -> Result<Channel, Error> {
        self.execute(create_channel()).await
    }

    /// Replaces a channel's topics and returns them with their states.
    pub async fn subscribe(
        &self,
        channel_id: &str,
        topics: &[ChannelTopic],
    ) -> Result<Vec<ChannelTopic>, Error> {
        let listing: EntitiesOnly<ChannelTopic> = self
            .execute(replace_subscriptions(channel_id, topics))
            .await?;
        Ok(listing.entities)
    }

    /// A channel's topics.
    pub async fn subscriptions(&self, channel_id: &str) -> Result<Vec<ChannelTopic>, Error> {
        let listing: EntitiesOnly<ChannelTopic> =
            self.execute(list_subscriptions(channel_id)).await?;
        Ok(listing.entities)
    }
}
