//! Reads that used to fail open: each answer below is one the API description allows (or
//! a server could plausibly send), and each once made a plan remove, delete or overwrite
//! what the true state keeps. Now each either plans no more than the true state justifies,
//! or is refused. The simulator's response mutations make the answers.

use switchboard_client::Error;
use switchboard_fetch::fetch;
use switchboard_manifest::{Manifest, load_str};
use switchboard_plan::{Action, ElementOp, Plan, Policy, ResourceKind, diff};
use switchboard_sim::{FaultAction, FaultRule, Faults, Fixture, Mutation, Sim};

const ORG: &str = include_str!("../../../../examples/sim-org.yaml");

/// The demo org's manifest head, then `rest`.
fn manifest(rest: &str) -> Manifest {
    let text = format!(
        "version: 1\norg: {{ name: Switchboard Demo Org, region: mypurecloud.ie }}\n{rest}"
    );
    let loaded = load_str("manifest.yaml", &text);
    assert!(!loaded.has_errors(), "{}", loaded.findings_text());
    loaded.manifest.unwrap()
}

/// The plan of `manifest` against the demo org read through `rule` (none: the true state).
async fn plan(manifest: &Manifest, rule: Option<FaultRule>) -> Result<Plan, String> {
    let mut faults = Faults::none();
    if let Some(rule) = rule {
        faults = faults.rule(rule);
    }
    let sim = Sim::builder()
        .fixture(Fixture::from_yaml(ORG).unwrap())
        .faults(faults)
        .start()
        .await
        .unwrap();
    let client = super::floor::client(&sim);
    let read = tokio::time::timeout(std::time::Duration::from_secs(60), fetch(&client, manifest))
        .await
        .expect("the read ends");
    sim.shutdown().await;
    let live = read.map_err(|e| e.to_string())?;
    diff(manifest, &live, &Policy::default()).map_err(|e| e.to_string())
}

/// Every removal, delete and replace of `plan`: `kind name [element]`.
fn destructive(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for change in plan.runnable() {
        if matches!(change.action, Action::Delete | Action::Replace) {
            out.push(format!(
                "{:?} {} {:?}",
                change.action, change.address, change.renamed_from
            ));
        }
        for element in change.elements.iter().filter(|e| e.op == ElementOp::Remove) {
            out.push(format!("remove {} {}", change.address, element.key));
        }
    }
    out
}

const BILLING_EN_AUTHORITATIVE: &str = "\
queues:
  - name: Billing EN
    members:
      mode: authoritative
      users:
        - { user: ana.silva@example.com }
        - { user: bo.berg@example.com }
        - { user: hugo.haddad@example.com }
";

#[tokio::test]
async fn a_listed_member_the_user_search_misses_is_never_removed() {
    let manifest = manifest(BILLING_EN_AUTHORITATIVE);
    let truth = plan(&manifest, None).await.unwrap();
    assert_eq!(
        destructive(&truth),
        ["remove queue_members[\"Billing EN\"] chen.okafor@example.com"],
        "chen is the one unlisted member"
    );
    // The search answers with only its first user: the others look like no account.
    let misses =
        FaultRule::mutate(Mutation::truncate("results", 1)).path_prefix("/api/v2/users/search");
    let refused = plan(&manifest, Some(misses)).await.unwrap_err();
    assert!(
        refused.contains("refusing to plan")
            && refused.contains(
                "is listed and is a member of the queue, but the user read did not return them"
            ),
        "{refused}"
    );
    // A search answer without its results is not "no users".
    let no_results =
        FaultRule::mutate(Mutation::remove("results")).path_prefix("/api/v2/users/search");
    let refused = plan(&manifest, Some(no_results)).await.unwrap_err();
    assert!(refused.contains("without `total: 0`"), "{refused}");
}

#[tokio::test]
async fn a_member_without_an_email_is_removed_only_when_every_listed_user_was_found() {
    let manifest = manifest(BILLING_EN_AUTHORITATIVE);
    let no_emails = FaultRule::mutate(Mutation::remove("entities/*/user/email"))
        .path_prefix("/api/v2/routing/queues/")
        .path_suffix("/members");
    // Every listed user was found: chen's id is no listed user's, so removing him is sure.
    let faulted = plan(&manifest, Some(no_emails)).await.unwrap();
    let truth = plan(&manifest, None).await.unwrap();
    assert_eq!(destructive(&faulted).len(), destructive(&truth).len());
    // With a listed user the search could not find, it is not.
    let mut with_stranger = manifest.clone();
    with_stranger.queues[0]
        .members
        .as_mut()
        .unwrap()
        .users
        .push(switchboard_manifest::model::Member {
            user: "new.hire@example.com".into(),
            ..Default::default()
        });
    let no_emails = FaultRule::mutate(Mutation::remove("entities/*/user/email"))
        .path_prefix("/api/v2/routing/queues/")
        .path_suffix("/members");
    let refused = plan(&with_stranger, Some(no_emails)).await.unwrap_err();
    assert!(
        refused.contains("came without an email") && refused.contains("new.hire@example.com"),
        "{refused}"
    );
}

#[tokio::test]
async fn an_answer_without_its_list_is_refused_never_read_as_empty() {
    let manifest = manifest(BILLING_EN_AUTHORITATIVE);
    let empty_search = FaultRule::new(FaultAction::Raw {
        status: 200,
        content_type: "application/json".into(),
        body: "{}".into(),
    })
    .path_prefix("/api/v2/users/search");
    let refused = plan(&manifest, Some(empty_search)).await.unwrap_err();
    assert!(
        refused.contains("could not read users by email"),
        "{refused}"
    );

    let no_entities = FaultRule::mutate(Mutation::remove("entities"))
        .path_prefix("/api/v2/routing/queues/")
        .path_suffix("/members");
    let refused = plan(&manifest, Some(no_entities)).await.unwrap_err();
    assert!(
        refused.contains("the members of queue \"Billing EN\"") && refused.contains("entities"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_stale_member_count_of_zero_does_not_hide_the_members() {
    let manifest = manifest(BILLING_EN_AUTHORITATIVE);
    let truth = plan(&manifest, None).await.unwrap();
    let members = |plan: &Plan| {
        plan.changes
            .iter()
            .find(|c| c.address.kind == ResourceKind::QueueMembers)
            .map(|c| c.elements.clone())
    };
    // `memberCount` alone says 0: the queue's other counts contradict it.
    let count_zero = Mutation::set("entities/*/memberCount", 0);
    // Every count says 0: the manifest lists members for the queue, so they are read.
    let all_zero = Mutation::all([
        Mutation::set("entities/*/memberCount", 0),
        Mutation::set("entities/*/userMemberCount", 0),
        Mutation::set("entities/*/joinedMemberCount", 0),
    ]);
    for mutation in [count_zero, all_zero] {
        let zero = FaultRule::mutate(mutation.clone())
            .path_prefix("/api/v2/routing/queues")
            .path_suffix("/queues");
        let faulted = plan(&manifest, Some(zero)).await.unwrap();
        assert_eq!(members(&faulted), members(&truth), "{mutation:?}");
    }
}

#[tokio::test]
async fn an_object_read_without_its_division_is_never_pruned() {
    // Scope Home with prune on: "No Answer" (Home) is pruned; "Sale Completed" (Sales) is
    // not. Read without divisions, neither may be: which division it is in is unknown.
    let manifest = manifest(
        "scope: { divisions: [Home] }\nprune: { wrapupCodes: true }\nwrapupCodes:\n  - { name: Resolved }\n  - { name: Escalated }\n  - { name: Callback Scheduled }\n",
    );
    let truth = plan(&manifest, None).await.unwrap();
    assert_eq!(
        destructive(&truth),
        ["Delete wrapup_code[\"No Answer\"] None"]
    );
    let no_division = FaultRule::mutate(Mutation::remove("entities/*/division"))
        .path_prefix("/api/v2/routing/wrapupcodes");
    let faulted = plan(&manifest, Some(no_division)).await.unwrap();
    assert!(
        destructive(&faulted).is_empty(),
        "{:?}",
        destructive(&faulted)
    );
}

#[tokio::test]
async fn a_replaced_skills_holders_are_found_when_the_expansion_is_left_out() {
    let manifest = manifest("skills:\n  - name: Billing Support\n    renamedFrom: [Billing]\n");
    let truth = plan(&manifest, None).await.unwrap();
    let moves = |plan: &Plan| {
        plan.changes
            .iter()
            .find(|c| c.action == Action::Replace)
            .map(|c| c.elements.iter().map(|e| e.key.clone()).collect::<Vec<_>>())
    };
    assert_eq!(moves(&truth).map(|m| m.len()), Some(4));
    let no_skills = FaultRule::mutate(Mutation::remove("entities/*/skills"))
        .path_prefix("/api/v2/users")
        .path_suffix("/users");
    let faulted = plan(&manifest, Some(no_skills)).await.unwrap();
    assert_eq!(moves(&faulted), moves(&truth), "every holder is moved");
}

#[tokio::test]
async fn listings_that_never_end_or_lie_about_their_size_are_refused() {
    let manifest = manifest(BILLING_EN_AUTHORITATIVE);
    for (what, rule) in [
        (
            "a huge pageCount",
            FaultRule::mutate(Mutation::set("pageCount", 1_000_000))
                .path_prefix("/api/v2/routing/skills"),
        ),
        (
            "a pageCount its total contradicts",
            FaultRule::mutate(Mutation::set("pageCount", 3)).path_prefix("/api/v2/routing/skills"),
        ),
        (
            "a page that ends early",
            FaultRule::mutate(Mutation::truncate("entities", 2))
                .path_prefix("/api/v2/routing/skills"),
        ),
        (
            "a huge memberCount",
            FaultRule::mutate(Mutation::set("entities/*/memberCount", 1_000_000_000_i64))
                .path_prefix("/api/v2/routing/queues")
                .path_suffix("/queues"),
        ),
    ] {
        let refused = plan(&manifest, Some(rule)).await.unwrap_err();
        assert!(refused.contains("cannot be trusted"), "{what}: {refused}");
    }
}

#[test]
fn a_listing_error_is_a_typed_client_error() {
    // The refusal above is the client's own typed error, carried by the fetch error.
    let error: Error = switchboard_client::ListingError::new(
        switchboard_client::api::skills::LIST,
        "page 2 repeats s1",
    )
    .into();
    assert!(
        error.to_string().contains("GET /api/v2/routing/skills"),
        "{error}"
    );
    assert!(matches!(error, Error::Listing(_)));
}

#[tokio::test]
async fn a_listing_that_gives_two_objects_one_name_is_refused_never_collapsed() {
    // Keyed by name, all but one queue would vanish from the read: with prune on, the one
    // kept under the manifest's name could be another queue, and the rest would look absent.
    let manifest = manifest("prune: { queues: true }\nqueues: [{ name: Billing EN }]\n");
    for (listing, path) in [
        ("queues", "/api/v2/routing/queues"),
        ("routing skills", "/api/v2/routing/skills"),
        ("wrap-up codes", "/api/v2/routing/wrapupcodes"),
    ] {
        let one_name = FaultRule::mutate(Mutation::set("entities/*/name", "Billing EN"))
            .method("GET")
            .path_prefix(path)
            .path_suffix(path);
        let refused = plan(&manifest, Some(one_name)).await.unwrap_err();
        assert!(
            refused.contains(listing) && refused.contains("two entries are named \"Billing EN\""),
            "{listing}: {refused}"
        );
        let blank = FaultRule::mutate(Mutation::set("entities/*/name", " "))
            .method("GET")
            .path_prefix(path)
            .path_suffix(path);
        let refused = plan(&manifest, Some(blank)).await.unwrap_err();
        assert!(refused.contains("blank name"), "{listing}: {refused}");
    }
}
