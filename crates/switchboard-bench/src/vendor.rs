//! The per-object read pattern of the vendor's Terraform provider, as PRIOR-ART describes
//! it, run against the same org for a side-by-side count: every object is read by id (the
//! ids come from a state file, as Terraform's do), with no listing of whole collections.

use futures::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use switchboard_client::api::members;
use switchboard_client::models::{EntityListing, QueueMember};
use switchboard_client::{Client, Error, Page};

/// The ids a Terraform state would hold for the org.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateIds {
    /// Queue ids.
    pub queues: Vec<String>,
    /// User ids.
    pub users: Vec<String>,
    /// Skill ids.
    pub skills: Vec<String>,
    /// Language ids.
    pub languages: Vec<String>,
    /// Wrap-up code ids.
    pub wrapup_codes: Vec<String>,
}

impl StateIds {
    /// The ids of every queue, listed user, skill, language and wrap-up code in a
    /// simulator snapshot.
    pub fn of(snapshot: &Value) -> StateIds {
        let keys = |field: &str| -> Vec<String> {
            snapshot
                .get(field)
                .and_then(Value::as_object)
                .map(|map| map.keys().cloned().collect())
                .unwrap_or_default()
        };
        let users = snapshot
            .get("users")
            .and_then(Value::as_object)
            .map(|map| {
                map.iter()
                    .filter(|(_, u)| u.get("state").and_then(Value::as_str) != Some("deleted"))
                    .map(|(id, _)| id.clone())
                    .collect()
            })
            .unwrap_or_default();
        StateIds {
            queues: keys("queues"),
            users,
            skills: keys("skills"),
            languages: keys("languages"),
            wrapup_codes: keys("wrapupCodes"),
        }
    }
}

/// One object to read.
enum Object<'a> {
    Queue(&'a str),
    User(&'a str),
    Skill(&'a str),
    Language(&'a str),
    WrapupCode(&'a str),
}

/// Reads every object in `ids` the per-object way, `concurrency` objects at a time (the
/// provider's parallelism), and answers how many objects were read.
pub async fn read_per_object(client: &Client, ids: &StateIds) -> Result<usize, Error> {
    let objects: Vec<Object<'_>> = ids
        .queues
        .iter()
        .map(|id| Object::Queue(id))
        .chain(ids.users.iter().map(|id| Object::User(id)))
        .chain(ids.skills.iter().map(|id| Object::Skill(id)))
        .chain(ids.languages.iter().map(|id| Object::Language(id)))
        .chain(ids.wrapup_codes.iter().map(|id| Object::WrapupCode(id)))
        .collect();
    let count = objects.len();
    let concurrency = client.config().max_concurrency.get();
    futures::stream::iter(objects)
        .map(|object| read(client, object))
        .buffer_unordered(concurrency)
        .try_collect::<Vec<()>>()
        .await?;
    Ok(count)
}

async fn read(client: &Client, object: Object<'_>) -> Result<(), Error> {
    match object {
        Object::Queue(id) => {
            client.get_queue(id).await?;
            client.list_queue_wrapup_codes(id).await?;
            // Again, for the member count.
            client.get_queue(id).await?;
            // Member pages one after another until an empty one.
            let mut number = 1;
            loop {
                let page: EntityListing<QueueMember> = client
                    .execute(members::list(
                        id,
                        Page {
                            number,
                            size: members::PAGE_SIZE,
                        },
                    ))
                    .await?;
                if page.entities.is_empty() {
                    break;
                }
                number += 1;
            }
        }
        Object::User(id) => {
            client.get_user(id, &[]).await?;
            client.list_user_skills(id).await?;
            client.list_user_languages(id).await?;
        }
        Object::Skill(id) => {
            client.get_skill(id).await?;
        }
        Object::Language(id) => {
            client.get_language(id).await?;
        }
        Object::WrapupCode(id) => {
            client.get_wrapup_code(id).await?;
        }
    }
    Ok(())
}
