//! deploy/kubernetes: `switchboard watch` as a Deployment and `switchboard drift` as a
//! CronJob. Their structure is checked (the pinned image, probes on `/healthz` at the port
//! `--listen` serves, the client secret as a mounted file named by
//! `GENESYS_CLIENT_SECRET_FILE`, resources, a non-root and read-only container, the hourly
//! schedule without overlap, every flag one the subcommand's `--help` lists), and then each
//! container is run as the kubelet would run it: the binary under test with the container's
//! `args` and `env`, its ConfigMap, Secret and emptyDir mounts played by directories, against
//! the simulator. Only the listen address is changed, to a free loopback port.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_yaml_ng::{Mapping, Value};
use switchboard_sim::{Fixture, RunningSim, Sim};

use crate::org::{ORG, example, scratch};

/// The OAuth client the manifests' Secret holds in the test.
const CLIENT: (&str, &str) = ("switchboard-readonly", "readonly-client-secret");

/// The Secret `switchboard-readonly` as docs/deploy.md makes it, with the test's values.
fn secret_values() -> HashMap<&'static str, &'static str> {
    HashMap::from([
        ("region", "mypurecloud.ie"),
        ("client-id", CLIENT.0),
        ("client-secret", CLIENT.1),
        ("webhook-secret", "webhook-signing-secret"),
    ])
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Every document of `deploy/kubernetes/<file>`.
fn documents(file: &str) -> Vec<Mapping> {
    let path = repo().join("deploy/kubernetes").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml_ng::Deserializer::from_str(&text)
        .map(|document| {
            serde::Deserialize::deserialize(document).unwrap_or_else(|e| panic!("{file}: {e}"))
        })
        .collect()
}

fn get<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(value, |v, k| v.get(k).unwrap_or(&Value::Null))
}

fn text(value: &Value, path: &str) -> String {
    match get(value, path) {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => panic!("{path}: expected a scalar, found {other:?}"),
    }
}

fn list<'a>(value: &'a Value, path: &str) -> &'a [Value] {
    get(value, path).as_sequence().map_or(&[], Vec::as_slice)
}

fn find(documents: &[Mapping], kind: &str) -> Value {
    let found: Vec<&Mapping> = documents
        .iter()
        .filter(|d| d.get("kind").and_then(Value::as_str) == Some(kind))
        .collect();
    assert_eq!(found.len(), 1, "one {kind}");
    Value::Mapping(found[0].clone())
}

/// `switchboard <subcommand> --help`.
fn help(subcommand: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args([subcommand, "--help"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "`switchboard {subcommand}` is not a subcommand"
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The checks every switchboard container passes; returns its name.
fn check_container(pod: &Value, subcommand: &str) -> Value {
    let containers = list(pod, "containers");
    assert_eq!(containers.len(), 1, "{subcommand}: one container");
    let container = containers[0].clone();
    let name = text(&container, "name");

    // The image of this version's release, never a moving tag.
    let image = text(&container, "image");
    let (repository, tag) = image.rsplit_once(':').expect("a tagged image");
    assert!(
        repository.starts_with("ghcr.io/") && repository.ends_with("/switchboard"),
        "{name}: {image}"
    );
    assert_eq!(
        tag,
        env!("CARGO_PKG_VERSION"),
        "{name}: the image is pinned to this release"
    );

    // The subcommand, a manifest from a ConfigMap, and flags the subcommand has.
    let args: Vec<String> = list(&container, "args")
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    assert_eq!(args[0], subcommand, "{name}: args");
    let help = help(subcommand);
    for flag in args.iter().filter(|a| a.starts_with("--")) {
        let flag = flag.split('=').next().unwrap();
        assert!(
            help.split(|c: char| c.is_whitespace() || c == ',')
                .any(|word| word == flag),
            "{name}: `switchboard {subcommand} --help` does not list {flag}"
        );
    }
    let manifest = &args[1];
    let (_, volume) = mount_of(pod, &container, manifest);
    let sources: Vec<&Value> = match get(&volume, "projected.sources") {
        Value::Sequence(sources) => sources.iter().collect(),
        _ => vec![&volume],
    };
    assert!(
        sources
            .iter()
            .any(|s| get(s, "configMap.name").as_str() == Some("switchboard-manifest")),
        "{name}: the manifest {manifest} comes from the ConfigMap switchboard-manifest"
    );

    // Credentials: the region and client id from the Secret, the client secret as a file
    // of it; never a secret's value in the spec.
    let env = list(&container, "env");
    let var = |wanted: &str| env.iter().find(|e| text(e, "name") == wanted).cloned();
    assert!(
        var("GENESYS_CLIENT_SECRET").is_none(),
        "{name}: the secret is a file, not a variable"
    );
    for wanted in ["GENESYS_REGION", "GENESYS_CLIENT_ID"] {
        let entry = var(wanted).unwrap_or_else(|| panic!("{name}: env {wanted}"));
        assert_eq!(
            get(&entry, "valueFrom.secretKeyRef.name").as_str(),
            Some("switchboard-readonly"),
            "{name}: {wanted}"
        );
    }
    let mut files = vec!["GENESYS_CLIENT_SECRET_FILE"];
    if subcommand == "watch" {
        files.push("SWITCHBOARD_WEBHOOK_SECRET_FILE");
    }
    for wanted in files {
        let entry = var(wanted).unwrap_or_else(|| panic!("{name}: env {wanted}"));
        let path = text(&entry, "value");
        let (mount, volume) = mount_of(pod, &container, &path);
        assert_eq!(
            text(&volume, "secret.secretName"),
            "switchboard-readonly",
            "{name}: {wanted} is a file of the Secret"
        );
        let file = path.strip_prefix(&format!("{mount}/")).unwrap();
        assert!(
            list(&volume, "secret.items")
                .iter()
                .any(|item| text(item, "path") == file),
            "{name}: the Secret volume holds {file}"
        );
    }
    for entry in env {
        assert!(
            !text(entry, "name").ends_with("SECRET") || get(entry, "value").is_null(),
            "{name}: a secret's value in the spec"
        );
    }

    // Resources, and a container that cannot become root or write its image.
    for field in [
        "resources.requests.cpu",
        "resources.requests.memory",
        "resources.limits.cpu",
        "resources.limits.memory",
    ] {
        assert!(!get(&container, field).is_null(), "{name}: {field}");
    }
    assert_eq!(
        get(pod, "securityContext.runAsNonRoot").as_bool(),
        Some(true)
    );
    assert_eq!(
        get(pod, "automountServiceAccountToken").as_bool(),
        Some(false)
    );
    assert_eq!(
        get(&container, "securityContext.allowPrivilegeEscalation").as_bool(),
        Some(false)
    );
    assert_eq!(
        get(&container, "securityContext.readOnlyRootFilesystem").as_bool(),
        Some(true)
    );
    assert_eq!(
        list(&container, "securityContext.capabilities.drop"),
        [Value::String("ALL".into())]
    );
    container
}

/// The volume mount `path` lies under, and its volume.
fn mount_of(pod: &Value, container: &Value, path: &str) -> (String, Value) {
    let mount = list(container, "volumeMounts")
        .iter()
        .filter(|m| {
            let at = text(m, "mountPath");
            path == at || path.starts_with(&format!("{at}/"))
        })
        .max_by_key(|m| text(m, "mountPath").len())
        .unwrap_or_else(|| panic!("no volume is mounted at {path}"));
    let volume = list(pod, "volumes")
        .iter()
        .find(|v| text(v, "name") == text(mount, "name"))
        .unwrap_or_else(|| panic!("no volume {}", text(mount, "name")))
        .clone();
    (text(mount, "mountPath"), volume)
}

fn watch_pod() -> (Value, Value, Value) {
    let documents = documents("watch.yaml");
    let deployment = find(&documents, "Deployment");
    let service = find(&documents, "Service");
    let pod = get(&deployment, "spec.template.spec").clone();
    (deployment, service, pod)
}

fn drift_pod() -> (Value, Value) {
    let cronjob = find(&documents("drift-cronjob.yaml"), "CronJob");
    let pod = get(&cronjob, "spec.jobTemplate.spec.template.spec").clone();
    (cronjob, pod)
}

#[test]
fn watch_runs_as_a_deployment_with_health_probes() {
    let (deployment, service, pod) = watch_pod();
    assert_eq!(text(&deployment, "apiVersion"), "apps/v1");
    assert_eq!(text(&deployment, "spec.replicas"), "1", "one watcher");
    let container = check_container(&pod, "watch");
    let args: Vec<&str> = list(&container, "args")
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let listen = args
        .iter()
        .position(|a| *a == "--listen")
        .map(|i| args[i + 1])
        .expect("--listen serves /healthz");
    let port: u16 = listen.rsplit(':').next().unwrap().parse().unwrap();
    assert!(
        listen.starts_with("0.0.0.0:"),
        "the kubelet reaches the pod's address: {listen}"
    );
    let port_name = list(&container, "ports")
        .iter()
        .find(|p| text(p, "containerPort") == port.to_string())
        .map(|p| text(p, "name"))
        .expect("a containerPort for --listen");
    for probe in ["livenessProbe", "readinessProbe"] {
        assert_eq!(
            text(&container, &format!("{probe}.httpGet.path")),
            "/healthz"
        );
        let at = text(&container, &format!("{probe}.httpGet.port"));
        assert!(
            at == port_name || at == port.to_string(),
            "{probe} port {at}"
        );
    }
    let target = text(&list(&service, "spec.ports")[0], "targetPort");
    assert!(target == port_name || target == port.to_string());
    assert_eq!(
        get(&service, "spec.selector"),
        get(&deployment, "spec.selector.matchLabels")
    );
}

#[test]
fn drift_runs_hourly_as_a_cronjob() {
    let (cronjob, pod) = drift_pod();
    assert_eq!(text(&cronjob, "apiVersion"), "batch/v1");
    let schedule = text(&cronjob, "spec.schedule");
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    assert!(
        fields.len() == 5
            && fields[0].parse::<u8>().is_ok_and(|m| m < 60)
            && fields[1..].iter().all(|f| *f == "*"),
        "hourly: {schedule}"
    );
    assert_eq!(text(&cronjob, "spec.concurrencyPolicy"), "Forbid");
    assert_eq!(text(&pod, "restartPolicy"), "Never");
    let container = check_container(&pod, "drift");
    // Drift (exit 2) fails the Job without a retry; see docs/deploy.md.
    let rules = list(&cronjob, "spec.jobTemplate.spec.podFailurePolicy.rules");
    assert!(rules.iter().any(|rule| {
        text(rule, "action") == "FailJob"
            && text(rule, "onExitCodes.containerName") == text(&container, "name")
            && text(rule, "onExitCodes.operator") == "In"
            && list(rule, "onExitCodes.values") == [Value::Number(2.into())]
    }));
}

#[test]
fn the_documented_secret_has_every_key_the_manifests_read() {
    let doc = std::fs::read_to_string(repo().join("docs/deploy.md")).unwrap();
    let (_, _, watch) = watch_pod();
    let (_, drift) = drift_pod();
    let mut keys = Vec::new();
    for pod in [&watch, &drift] {
        for container in list(pod, "containers") {
            for entry in list(container, "env") {
                if let Value::String(key) = get(entry, "valueFrom.secretKeyRef.key") {
                    keys.push(key.clone());
                }
            }
        }
        for volume in list(pod, "volumes") {
            for item in list(volume, "secret.items") {
                keys.push(text(item, "key"));
            }
        }
    }
    for key in keys {
        assert!(
            secret_values().contains_key(key.as_str()),
            "the test's Secret lacks {key}"
        );
        assert!(
            doc.contains(&format!("={key}=")),
            "docs/deploy.md does not make the Secret's key {key}"
        );
    }
}

/// A container's pod played on this machine: each mount a directory.
struct Pod {
    root: PathBuf,
    /// mountPath -> directory.
    mounts: Vec<(String, PathBuf)>,
    workdir: PathBuf,
}

impl Pod {
    fn new(name: &str, pod: &Value, container: &Value) -> Pod {
        let root = scratch(&format!("deploy-{name}"));
        let mut mounts = Vec::new();
        for (index, mount) in list(container, "volumeMounts").iter().enumerate() {
            let at = text(mount, "mountPath");
            let dir = root.join(format!("volume-{index}"));
            std::fs::create_dir_all(&dir).unwrap();
            let (_, volume) = mount_of(pod, container, &at);
            if !get(&volume, "secret").is_null() {
                let values = secret_values();
                for item in list(&volume, "secret.items") {
                    std::fs::write(
                        dir.join(text(item, "path")),
                        values[text(item, "key").as_str()],
                    )
                    .unwrap();
                }
            } else if !get(&volume, "projected").is_null() || !get(&volume, "configMap").is_null() {
                // `kubectl create configmap switchboard-manifest --from-file=manifests/`
                for entry in std::fs::read_dir(example("quickstart")).unwrap() {
                    let entry = entry.unwrap();
                    std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
                }
            } else {
                assert!(
                    !get(&volume, "emptyDir").is_null(),
                    "{at}: an unknown volume"
                );
            }
            mounts.push((at, dir));
        }
        let workdir = mounts
            .iter()
            .find(|(at, _)| at == "/work")
            .map(|(_, dir)| dir.clone())
            .expect("the image's working directory /work is mounted writable");
        Pod {
            root,
            mounts,
            workdir,
        }
    }

    /// A path of the container, on this machine.
    fn path(&self, path: &str) -> String {
        for (at, dir) in &self.mounts {
            if let Some(rest) = path.strip_prefix(at.as_str())
                && (rest.is_empty() || rest.starts_with('/'))
            {
                return format!("{}{rest}", dir.display());
            }
        }
        path.to_string()
    }

    /// The container's command, as the kubelet would start it.
    fn command(&self, container: &Value, sim: &RunningSim) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
        for arg in list(container, "args") {
            let arg = arg.as_str().unwrap();
            command.arg(if arg == "0.0.0.0:8080" {
                "127.0.0.1:0".to_string()
            } else {
                self.path(arg)
            });
        }
        command
            .current_dir(&self.workdir)
            .env_clear()
            .env("GENESYS_BASE_URL", sim.base_url())
            .env("GENESYS_LOGIN_URL", sim.base_url())
            .stdin(Stdio::null());
        let values = secret_values();
        for entry in list(container, "env") {
            let value = match get(entry, "value") {
                Value::String(value) => self.path(value),
                _ => values[text(entry, "valueFrom.secretKeyRef.key").as_str()].to_string(),
            };
            command.env(text(entry, "name"), value);
        }
        command
    }
}

fn sim(rt: &tokio::runtime::Runtime) -> RunningSim {
    rt.block_on(
        Sim::builder()
            .fixture(Fixture::from_yaml(ORG).unwrap())
            .client(CLIENT.0, CLIENT.1)
            .start(),
    )
    .unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn the_drift_container_runs_and_reports_drift() {
    let rt = runtime();
    let sim = sim(&rt);
    let (_, pod) = drift_pod();
    let container = list(&pod, "containers")[0].clone();
    let played = Pod::new("drift", &pod, &container);
    let output = played.command(&container, &sim).output().unwrap();
    // The demo org differs from the quickstart: drift, exit 2, the code the Job fails on.
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Billing EN"));
    assert!(
        sim.journal()
            .iter()
            .any(|e| e.client_id.as_deref() == Some(CLIENT.0))
    );
    let _ = std::fs::remove_dir_all(&played.root);
}

#[test]
fn the_watch_container_answers_its_probes() {
    let rt = runtime();
    let sim = sim(&rt);
    let (_, _, pod) = watch_pod();
    let container = list(&pod, "containers")[0].clone();
    let played = Pod::new("watch", &pod, &container);
    let mut child = played
        .command(&container, &sim)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let started = received.recv_timeout(Duration::from_secs(60));
    let Ok(started) = started else {
        let _ = child.kill();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        panic!("watch wrote no line: {stderr}");
    };
    let started: serde_json::Value = serde_json::from_str(&started).unwrap();
    assert_eq!(started["record"], "started");
    let listen = started["listen"].as_str().unwrap().to_string();
    for probe in ["livenessProbe", "readinessProbe"] {
        let path = text(&container, &format!("{probe}.httpGet.path"));
        let mut stream = std::net::TcpStream::connect(&listen).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {listen}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{probe}: {answer}");
        assert!(answer.contains("\"status\":\"ok\""), "{probe}: {answer}");
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&played.root);
}
