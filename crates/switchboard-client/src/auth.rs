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

/// The longest lifetime believed: an OAuth client's tokens live 300 s to 172,800 s
/// (API-FACTS §1); a longer `expires_in` is taken as this.
const MAX_LIFETIME_SECS: u64 = 172_800;

/// The shortest lifetime used. Genesys never issues tokens under 300 s, but tests and other
/// servers do; a broken `expires_in` of 0 must not make every request fetch a token. If a
/// token really dies sooner, its 401 renews it.
const MIN_LIFETIME_SECS: u64 = 1;

/// How long a token with this `expires_in` is used: clamped to what the API can mean.
fn lifetime(expires_in: u64) -> Duration {
    Duration::from_secs(expires_in.clamp(MIN_LIFETIME_SECS, MAX_LIFETIME_SECS))
}

/// When a token of `lifetime` obtained at `now` is renewed: a fifth of its life early, at
/// most [`MAX_RENEWAL_MARGIN`]. Never panics: an `Instant` that cannot be represented means
/// "renew at once".
fn renewal_time(now: Instant, lifetime: Duration) -> Instant {
    let margin = MAX_RENEWAL_MARGIN.min(lifetime / 5);
    now.checked_add(lifetime.saturating_sub(margin))
        .unwrap_or(now)
}

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
        let lifetime = lifetime(response.expires_in);
        guard.1 = guard.1.wrapping_add(1);
        let token = CachedToken {
            secret: SecretString::from(response.access_token),
            renew_at: renewal_time(Instant::now(), lifetime),
            generation: guard.1,
        };
        guard.0 = Some(token.clone());
        tracing::debug!(
            generation = guard.1,
            lifetime_s = lifetime.as_secs(),
            expires_in_s = response.expires_in,
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

    #[test]
    fn any_expires_in_gives_a_lifetime_the_api_allows_and_never_panics() {
        for (expires_in, expected) in [
            (0, 1),
            (1, 1),
            (2, 2),
            (300, 300),
            (86_400, 86_400),
            (172_800, 172_800),
            (172_801, 172_800),
            (u64::MAX / 1_000, 172_800),
            (u64::MAX, 172_800),
        ] {
            let lifetime = lifetime(expires_in);
            assert_eq!(lifetime, Duration::from_secs(expected), "{expires_in}");
            let now = Instant::now();
            let renew_at = renewal_time(now, lifetime);
            assert!(renew_at > now && renew_at <= now + lifetime, "{expires_in}");
        }
        // A 1 s token is renewed 200 ms early, a day-long one 60 s early.
        let now = Instant::now();
        assert_eq!(
            renewal_time(now, Duration::from_secs(1)),
            now + Duration::from_millis(800)
        );
        assert_eq!(
            renewal_time(now, Duration::from_secs(86_400)),
            now + Duration::from_secs(86_340)
        );
        // Even an absurd lifetime gives an instant, not a panic.
        assert!(renewal_time(now, Duration::MAX) >= now);
    }

    #[tokio::test]
    async fn huge_and_zero_lifetimes_are_cached_without_panic() {
        let slot = TokenSlot::new(TokenBudget::new(RateBudget::default()));
        let first = slot
            .token(|| async { Ok::<_, ()>(response(u64::MAX)) })
            .await
            .unwrap();
        let again = slot
            .token(|| async { Err::<TokenResponse, _>("must not fetch") })
            .await
            .unwrap();
        assert_eq!(first.generation(), again.generation());
        slot.invalidate(again.generation()).await;
        let zero = slot
            .token(|| async { Ok::<_, ()>(response(0)) })
            .await
            .unwrap();
        // A zero lifetime is used for most of a second, not refetched by every request.
        let same = slot
            .token(|| async { Err::<TokenResponse, _>("must not fetch") })
            .await
            .unwrap();
        assert_eq!(zero.generation(), same.generation());
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
