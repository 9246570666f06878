//! OAuth client-credentials tokens: cached, renewed before they expire, one renewal shared
//! by every concurrent request, and dropped once when the API answers 401.

use std::fmt;
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use crate::models::TokenResponse;
use crate::rate_limit::TokenBudget;

/// The longest margin before expiry at which a token is renewed (the vendor's Go SDK
/// renews 60 s early).
const MAX_RENEWAL_MARGIN: Duration = Duration::from_secs(60);

/// A token in hand.
#[derive(Clone)]
pub(crate) struct CachedToken {
    secret: SecretString,
    renew_at: Instant,
    generation: u64,
}

impl CachedToken {
    pub(crate) fn bearer(&self) -> &str {
        self.secret.expose_secret()
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("secret", &"[redacted]")
            .field("generation", &self.generation)
            .finish()
    }
}

/// One token of the pool, with its own request budget.
#[derive(Debug)]
pub(crate) struct TokenSlot {
    cached: Mutex<(Option<CachedToken>, u64)>,
    pub(crate) budget: TokenBudget,
}

impl TokenSlot {
    pub(crate) fn new(budget: TokenBudget) -> Self {
        TokenSlot {
            cached: Mutex::new((None, 0)),
            budget,
        }
    }

    /// The current token, renewing it with `fetch` when it is missing or close to expiry.
    /// The lock is held across the renewal, so concurrent callers wait for one renewal.
    pub(crate) async fn token<F, Fut, E>(&self, fetch: F) -> Result<CachedToken, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<TokenResponse, E>>,
    {
        let mut guard = self.cached.lock().await;
        if let Some(token) = &guard.0
            && Instant::now() < token.renew_at
        {
            return Ok(token.clone());
        }
        let response = fetch().await?;
        let lifetime = Duration::from_secs(response.expires_in);
        let margin = MAX_RENEWAL_MARGIN.min(lifetime / 5);
        guard.1 += 1;
        let token = CachedToken {
            secret: SecretString::from(response.access_token),
            renew_at: Instant::now() + lifetime - margin,
            generation: guard.1,
        };
        guard.0 = Some(token.clone());
        tracing::debug!(
            generation = guard.1,
            lifetime_s = lifetime.as_secs(),
            "obtained an OAuth token"
        );
        Ok(token)
    }

    /// Forgets the token of `generation` after a 401, unless another request already
    /// replaced it.
    pub(crate) async fn invalidate(&self, generation: u64) {
        let mut guard = self.cached.lock().await;
        if guard
            .0
            .as_ref()
            .is_some_and(|token| token.generation == generation)
        {
            guard.0 = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RateBudget;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn response(expires_in: u64) -> TokenResponse {
        TokenResponse {
            access_token: "tok".into(),
            token_type: None,
            expires_in,
        }
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_renewal() {
        let slot = Arc::new(TokenSlot::new(TokenBudget::new(RateBudget::default())));
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (slot, fetches) = (slot.clone(), fetches.clone());
            tasks.push(tokio::spawn(async move {
                slot.token(|| async {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Ok::<_, ()>(response(3600))
                })
                .await
            }));
        }
        for task in tasks {
            assert!(task.await.unwrap().is_ok());
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn renews_before_expiry_and_after_invalidation() {
        let slot = TokenSlot::new(TokenBudget::new(RateBudget::default()));
        // A 1 s token is renewed 200 ms early.
        let first = slot
            .token(|| async { Ok::<_, ()>(response(1)) })
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(850)).await;
        let second = slot
            .token(|| async { Ok::<_, ()>(response(3600)) })
            .await
            .unwrap();
        assert_ne!(first.generation(), second.generation());
        // A stale invalidation does not drop the newer token.
        slot.invalidate(first.generation()).await;
        let same = slot
            .token(|| async { Err::<TokenResponse, _>("must not fetch") })
            .await
            .unwrap();
        assert_eq!(same.generation(), second.generation());
        slot.invalidate(second.generation()).await;
        let third = slot
            .token(|| async { Ok::<_, ()>(response(3600)) })
            .await
            .unwrap();
        assert_eq!(third.generation(), second.generation() + 1);
    }
}
