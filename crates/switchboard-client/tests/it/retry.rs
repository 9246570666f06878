use std::time::Duration;

use switchboard_client::{Error, RetryPolicy};
use switchboard_sim::{FaultAction, FaultRule};

use crate::harness::{client, client_with, requests, sim_with};

fn status(status: u16) -> FaultAction {
    FaultAction::Status {
        status,
        retry_after: None,
    }
}

#[tokio::test]
async fn a_503_is_retried_until_it_succeeds() {
    let rule = FaultRule::new(status(503))
        .path_prefix("/api/v2/routing/skills")
        .times(2);
    let sim = sim_with(rule).await;
    let client = client(&sim);
    let skills = client.list_skills().await.unwrap();
    assert!(!skills.is_empty());
    assert_eq!(client.stats().retries, 2);
    let statuses: Vec<u16> = requests(&sim, "GET", "/api/v2/routing/skills")
        .iter()
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, vec![503, 503, 200]);
}

#[tokio::test]
async fn attempts_are_counted_per_unit_of_work() {
    let rule = FaultRule::new(status(503))
        .path_prefix("/api/v2/routing/skills")
        .times(2);
    let sim = sim_with(rule).await;
    let client = client(&sim);
    let ((skills, languages), attempts) = switchboard_client::counting_attempts(async {
        (client.list_skills().await, client.list_languages().await)
    })
    .await;
    assert!(skills.is_ok() && languages.is_ok());
    assert_eq!(
        attempts, 4,
        "two 503s and a success for skills, one request for languages"
    );
    // Outside a counted unit, nothing is counted and nothing fails.
    let (_, alone) = switchboard_client::counting_attempts(client.list_languages()).await;
    assert_eq!(alone, 1);
}

#[tokio::test]
async fn an_exhausted_retry_budget_gives_a_typed_error() {
    let rule = FaultRule::new(status(502)).path_prefix("/api/v2/routing/skills");
    let sim = sim_with(rule).await;
    let client = client_with(&sim, |config| {
        config.retry = RetryPolicy {
            max_attempts: 3,
            min_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            ..RetryPolicy::default()
        };
    });
    let error = client.list_skills().await.unwrap_err();
    let Error::RetriesExhausted { attempts, last, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*attempts, 3);
    assert_eq!(last.status(), Some(502));
    assert!(
        error.to_string().contains("gave up after 3 attempts"),
        "{error}"
    );
    assert_eq!(requests(&sim, "GET", "/api/v2/routing/skills").len(), 3);
}

#[tokio::test]
async fn a_500_or_a_404_is_never_retried() {
    for code in [500, 404, 400] {
        let rule = FaultRule::new(status(code)).path_prefix("/api/v2/routing/skills");
        let sim = sim_with(rule).await;
        let error = client(&sim).list_skills().await.unwrap_err();
        assert_eq!(error.status(), Some(code), "{error}");
        assert_eq!(
            requests(&sim, "GET", "/api/v2/routing/skills").len(),
            1,
            "{code} was retried"
        );
    }
}

#[tokio::test]
async fn a_create_whose_outcome_is_unknown_is_not_repeated() {
    let rule = FaultRule::new(status(503))
        .method("POST")
        .path_prefix("/api/v2/routing/skills");
    let sim = sim_with(rule).await;
    let error = client(&sim).create_skill("Created Once").await.unwrap_err();
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert!(error.to_string().contains("re-read"), "{error}");
    assert_eq!(requests(&sim, "POST", "/api/v2/routing/skills").len(), 1);
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_reads() {
    let rule = FaultRule::new(FaultAction::Drop)
        .path_prefix("/api/v2/routing/wrapupcodes")
        .times(1);
    let sim = sim_with(rule).await;
    let client = client(&sim);
    client.list_wrapup_codes().await.unwrap();
    assert_eq!(client.stats().retries, 1);
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_is_retried() {
    let rule = FaultRule::new(FaultAction::Delay { ms: 1500 })
        .path_prefix("/api/v2/routing/languages")
        .times(1);
    let sim = sim_with(rule).await;
    let client = client_with(&sim, |config| {
        config.request_timeout = Duration::from_millis(400)
    });
    client.list_languages().await.unwrap();
    assert_eq!(client.stats().retries, 1);
}
