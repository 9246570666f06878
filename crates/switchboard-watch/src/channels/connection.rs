//! One notification channel made live: created (`POST /api/v2/notifications/channels`),
//! given its topics (`PUT .../channels/{id}/subscriptions`, which replaces them), and its
//! WebSocket at `connectUri` connected. Also when a channel is due for renewal.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::SinkExt;
use switchboard_client::models::ChannelTopic;
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{Shared, SourceError};

/// A connected notification WebSocket.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Channels live 24 h (API-FACTS §6); assumed when `expires` is absent or unreadable.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// A channel the API created.
#[derive(Debug, Clone)]
pub(crate) struct Channel {
    pub id: String,
    pub connect_uri: String,
    pub expires: DateTime<Utc>,
    /// When to replace it: `expires` less the margin, or half its life if that is shorter.
    pub renew_at: Instant,
}

impl Channel {
    /// Whether the API has let it go (a socket to it would be refused).
    pub fn expired(&self) -> bool {
        Utc::now() >= self.expires
    }
}

/// A channel with its socket.
#[derive(Debug)]
pub(crate) struct Live {
    pub channel: Channel,
    pub socket: Socket,
}

/// Why a socket could not be connected.
#[derive(Debug)]
pub(crate) struct ConnectFailure {
    /// The server refused the channel with a 4xx: it is gone or expired, and only a new
    /// channel will do.
    pub gone: bool,
    pub detail: String,
}

/// Creates a channel, subscribes it to `topics` and connects its socket.
pub(crate) async fn open(shared: &Shared, topics: &[String]) -> Result<Live, SourceError> {
    let channel = create(shared).await?;
    subscribe(shared, &channel.id, topics).await?;
    let socket = connect(shared, &channel.connect_uri)
        .await
        .map_err(|failure| SourceError::Connect {
            channel_id: channel.id.clone(),
            detail: failure.detail,
        })?;
    tracing::info!(channel = %channel.id, topics = topics.len(), "notification channel connected");
    Ok(Live { channel, socket })
}

async fn create(shared: &Shared) -> Result<Channel, SourceError> {
    let created = shared.client.create_channel().await?;
    let (Some(id), Some(connect_uri)) = (created.id, created.connect_uri) else {
        return Err(SourceError::IncompleteChannel);
    };
    shared.counters.channel_created();
    let expires = created
        .expires
        .as_deref()
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
        .map(|t| t.with_timezone(&Utc));
    let now = Utc::now();
    let lifetime = expires
        .and_then(|e| (e - now).to_std().ok())
        .unwrap_or(DEFAULT_LIFETIME);
    let expires = expires
        .unwrap_or_else(|| now + chrono::Duration::from_std(DEFAULT_LIFETIME).unwrap_or_default());
    Ok(Channel {
        id,
        connect_uri,
        expires,
        renew_at: Instant::now() + renew_after(lifetime, shared.options.renew_margin),
    })
}

/// How long after creation a channel living `lifetime` is renewed: `margin` before it
/// expires, or at half its life when the margin would take more than that.
pub(crate) fn renew_after(lifetime: Duration, margin: Duration) -> Duration {
    lifetime.saturating_sub(margin.min(lifetime / 2))
}

/// Replaces a channel's topics. Topics the API answers as `Rejected` (for example for a
/// missing permission) are logged; they will send nothing.
pub(crate) async fn subscribe(
    shared: &Shared,
    channel_id: &str,
    topics: &[String],
) -> Result<(), SourceError> {
    let wanted: Vec<ChannelTopic> = topics.iter().map(ChannelTopic::new).collect();
    let answered = shared.client.subscribe(channel_id, &wanted).await?;
    for topic in answered
        .iter()
        .filter(|t| t.state.as_deref() == Some("Rejected"))
    {
        tracing::warn!(
            topic = %topic.id,
            reason = topic.rejection_reason.as_deref().unwrap_or("none given"),
            "notification topic rejected"
        );
    }
    Ok(())
}

/// Connects a channel's WebSocket, within the connect timeout.
pub(crate) async fn connect(shared: &Shared, uri: &str) -> Result<Socket, ConnectFailure> {
    use tokio_tungstenite::tungstenite::Error;
    let attempt = tokio_tungstenite::connect_async(uri);
    match tokio::time::timeout(shared.options.connect_timeout, attempt).await {
        Ok(Ok((socket, _))) => {
            shared.counters.connected();
            Ok(socket)
        }
        Ok(Err(Error::Http(response))) => Err(ConnectFailure {
            gone: response.status().is_client_error(),
            detail: format!("the server answered {}", response.status()),
        }),
        Ok(Err(error)) => Err(ConnectFailure {
            gone: false,
            detail: error.to_string(),
        }),
        Err(_) => Err(ConnectFailure {
            gone: false,
            detail: format!(
                "no connection within {}s",
                shared.options.connect_timeout.as_secs()
            ),
        }),
    }
}

/// Closes a socket politely, without waiting long for the server's answer.
pub(crate) async fn close(socket: &mut Socket) {
    let _ = tokio::time::timeout(Duration::from_secs(1), socket.close(None)).await;
}

/// A WebSocket ping, to find out whether a quiet connection is still there.
pub(crate) async fn ping(socket: &mut Socket) -> bool {
    socket.send(Message::Ping(Default::default())).await.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_comes_a_margin_early_or_at_half_life() {
        let hour = Duration::from_secs(3600);
        assert_eq!(renew_after(24 * hour, hour), 23 * hour);
        assert_eq!(
            renew_after(Duration::from_secs(3), hour),
            Duration::from_millis(1500)
        );
        assert_eq!(renew_after(Duration::ZERO, hour), Duration::ZERO);
    }
}
