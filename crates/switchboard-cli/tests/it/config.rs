//! `switchboard.toml`, `switchboard config`, the precedence of flags over the environment
//! over the file, `--quiet`, `--log-format json`, and errors that end in a hint.

use crate::org::{example, out, scratch, seeded_sim, switchboard, switchboard_env};

const SECRET_MARK: &str = "switchboard-demo-secret";

#[tokio::test]
async fn the_settings_file_next_to_the_manifest_is_read_and_named() {
    let sim = seeded_sim().await;
    let dir = scratch("config-next-to-manifest");
    let manifests = dir.join("manifests");
    std::fs::create_dir_all(&manifests).unwrap();
    std::fs::write(manifests.join("switchboard.toml"), "token_pool = 4\n").unwrap();
    // No switchboard.toml in the current directory: the one beside the manifest is read.
    let output = switchboard(&sim, &dir, &["config", "manifests", "--format", "json"]).await;
    assert!(output.status.success(), "{}", out(&output));
    let shown: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(shown["file"], "manifests/switchboard.toml", "{shown}");
    assert_eq!(shown["settings"]["token_pool"]["value"], 4, "{shown}");
    // One in the current directory comes first.
    std::fs::write(dir.join("switchboard.toml"), "token_pool = 6\n").unwrap();
    let output = switchboard(&sim, &dir, &["config", "manifests", "--format", "json"]).await;
    let shown: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(shown["settings"]["token_pool"]["value"], 6, "{shown}");
    sim.shutdown().await;
}

#[tokio::test]
async fn config_shows_each_setting_with_its_source_and_never_the_secret() {
    let sim = seeded_sim().await;
    let dir = scratch("config-sources");
    std::fs::write(
        dir.join("switchboard.toml"),
        "region = \"mypurecloud.ie\"\nconcurrency = 4\ntoken_pool = 3\naudit_log = \"audit/apply.jsonl\"\n",
    )
    .unwrap();
    let output = switchboard_env(
        &sim,
        &dir,
        &["config", "--format", "json", "--concurrency", "6"],
        &[("SWITCHBOARD_TOKEN_POOL", "2")],
    )
    .await;
    assert!(output.status.success(), "{}", out(&output));
    let text = out(&output);
    assert!(!text.contains(SECRET_MARK), "{text}");
    let shown: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let setting = |name: &str| {
        let s = &shown["settings"][name];
        (
            s["value"].clone(),
            s["source"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(setting("region").0, "mypurecloud.ie");
    assert!(setting("region").1.starts_with("file "), "{shown}");
    assert_eq!(
        setting("concurrency"),
        (6.into(), "flag --concurrency".into())
    );
    assert_eq!(
        setting("token_pool"),
        (2.into(), "environment SWITCHBOARD_TOKEN_POOL".into())
    );
    assert_eq!(setting("request_timeout").1, "default");
    assert!(
        setting("audit_log")
            .0
            .as_str()
            .unwrap()
            .ends_with("audit/apply.jsonl"),
        "{shown}"
    );
    assert_eq!(setting("client_secret").0, "(set, hidden)");
    assert_eq!(
        setting("client_secret").1,
        "environment GENESYS_CLIENT_SECRET"
    );
    assert_eq!(setting("api").0, sim.base_url().as_str());
    sim.shutdown().await;
}

#[tokio::test]
async fn commands_use_the_file_and_a_flag_overrides_it() {
    let sim = seeded_sim().await;
    let dir = scratch("config-precedence");
    let manifest = example("quickstart");
    // The file names another region than the manifest's: refused before anything is read.
    std::fs::write(
        dir.join("switchboard.toml"),
        "region = \"mypurecloud.com\"\n",
    )
    .unwrap();
    let refused = switchboard(&sim, &dir, &["plan", &manifest]).await;
    assert_eq!(refused.status.code(), Some(1), "{}", out(&refused));
    let text = out(&refused);
    assert!(
        text.contains("the manifest is for region mypurecloud.ie, but the region configured by file ./switchboard.toml is mypurecloud.com"),
        "{text}"
    );
    assert!(text.contains("\nhint: "), "{text}");
    // The environment beats the file, and a flag beats both.
    let by_env = switchboard_env(
        &sim,
        &dir,
        &["plan", &manifest],
        &[("GENESYS_REGION", "mypurecloud.ie")],
    )
    .await;
    assert!(by_env.status.success(), "{}", out(&by_env));
    let by_flag = switchboard_env(
        &sim,
        &dir,
        &["plan", &manifest, "--region", "mypurecloud.ie"],
        &[("GENESYS_REGION", "mypurecloud.com")],
    )
    .await;
    assert!(by_flag.status.success(), "{}", out(&by_flag));
    sim.shutdown().await;
}

#[tokio::test]
async fn apply_writes_its_audit_log_where_the_file_says() {
    let sim = seeded_sim().await;
    let dir = scratch("config-audit-log");
    std::fs::write(
        dir.join("switchboard.toml"),
        "audit_log = \"audit/apply.jsonl\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("audit")).unwrap();
    let output = switchboard(
        &sim,
        &dir,
        &["apply", &example("quickstart"), "--auto-approve"],
    )
    .await;
    assert!(output.status.success(), "{}", out(&output));
    let log = std::fs::read_to_string(dir.join("audit/apply.jsonl")).unwrap();
    assert!(log.lines().count() > 1, "{log}");
    assert!(!dir.join("switchboard-audit.jsonl").exists());
    sim.shutdown().await;
}

#[tokio::test]
async fn quiet_keeps_stderr_empty_and_json_logs_are_json_lines() {
    let sim = seeded_sim().await;
    let dir = scratch("config-logging");
    let manifest = example("quickstart");
    let drift = ["drift", manifest.as_str(), "--patch", "adopt.patch"];
    let loud = switchboard(&sim, &dir, &drift).await;
    assert_eq!(loud.status.code(), Some(2), "drift: {}", out(&loud));
    assert!(
        String::from_utf8_lossy(&loud.stderr).contains("patch: "),
        "without --quiet the patch is explained on stderr: {}",
        out(&loud)
    );
    let quiet = switchboard(&sim, &dir, &[&["--quiet"], &drift[..]].concat()).await;
    assert_eq!(quiet.status.code(), Some(2), "drift: {}", out(&quiet));
    assert!(quiet.stderr.is_empty(), "{}", out(&quiet));
    assert_eq!(quiet.stdout, loud.stdout, "data on stdout is unchanged");

    let json = switchboard(
        &sim,
        &dir,
        &["plan", &manifest, "-vv", "--log-format", "json"],
    )
    .await;
    assert!(json.status.success(), "{}", out(&json));
    let stderr = String::from_utf8_lossy(&json.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.len() > 5, "-vv logs every request:\n{stderr}");
    for line in lines {
        let record: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        assert!(record["level"].is_string(), "{line}");
    }
    assert!(!stderr.contains(SECRET_MARK));
    sim.shutdown().await;
}

/// A command's arguments and the environment it adds.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);

#[tokio::test]
async fn every_error_ends_in_a_hint() {
    let sim = seeded_sim().await;
    let dir = scratch("config-hints");
    let manifest = example("quickstart");
    let cases: [Case; 4] = [
        // A secret in the settings file.
        (&["config"], &[("SWITCHBOARD_CONFIG", "secret.toml")]),
        // A token pool out of range.
        (&["plan", &manifest, "--token-pool", "0"], &[]),
        // A file that is not there.
        (&["config"], &[("SWITCHBOARD_CONFIG", "missing.toml")]),
        // The wrong secret: the token endpoint refuses.
        (&["plan", &manifest], &[("GENESYS_CLIENT_SECRET", "wrong")]),
    ];
    std::fs::write(dir.join("secret.toml"), "client_secret = \"x\"\n").unwrap();
    for (args, env) in cases {
        let output = switchboard_env(&sim, &dir, args, env).await;
        assert_eq!(output.status.code(), Some(1), "{args:?}: {}", out(&output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert!(
            lines.first().is_some_and(|l| l.starts_with("error: "))
                && lines.last().is_some_and(|l| l.starts_with("hint: ")),
            "{args:?}: one error line, then a hint:\n{stderr}"
        );
    }
    sim.shutdown().await;
}
