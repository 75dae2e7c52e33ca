//! The Kubernetes manifests under deploy/k8s/ agree with the binary: the container's command
//! line parses with the real CLI, the probes hit the port the server binds and its /healthz
//! route, the configuration file is one the server accepts, and every secret it reads exists.

use clap::Parser;
use serde_yaml::Value;
use std::path::Path;
use vivier::cli::{Cli, Command};

fn manifests() -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/k8s");
    let mut docs = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "yaml")) {
        let text = std::fs::read_to_string(f).unwrap();
        for doc in serde_yaml::Deserializer::from_str(&text) {
            let v = Value::deserialize(doc).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            assert!(v["kind"].is_string(), "{} has a document without kind", f.display());
            docs.push(v);
        }
    }
    docs
}

use serde::Deserialize;

fn kind<'a>(docs: &'a [Value], k: &str) -> &'a Value {
    docs.iter().find(|d| d["kind"] == k).unwrap_or_else(|| panic!("no {k} in deploy/k8s"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence().map(|s| s.iter().map(|x| x.as_str().unwrap().to_owned()).collect()).unwrap_or_default()
}

#[test]
fn the_deployment_matches_the_cli_and_the_server() {
    let docs = manifests();
    let deployment = kind(&docs, "Deployment");
    assert!(deployment["spec"]["replicas"].as_u64().unwrap() >= 2, "two replicas for availability");
    let pod = &deployment["spec"]["template"]["spec"];
    let container = &pod["containers"][0];

    // The command line is one `vivier` accepts: `serve` with a bind address.
    let mut argv = strings(&container["command"]);
    argv.extend(strings(&container["args"]));
    assert_eq!(argv[0], "vivier");
    let cli = Cli::try_parse_from(&argv).unwrap_or_else(|e| panic!("{argv:?} is not a valid vivier command line: {e}"));
    let Command::Serve { bind: Some(bind), config: Some(config) } = &cli.command else {
        panic!("the container must run `vivier serve --bind ... --config ...`: {argv:?}")
    };
    assert_eq!(bind.ip().to_string(), "0.0.0.0", "reachable from the Service");

    // Probes on /healthz, on the container port the server binds.
    let port = container["ports"][0]["containerPort"].as_u64().unwrap();
    assert_eq!(port, u64::from(bind.port()));
    let port_name = container["ports"][0]["name"].as_str().unwrap();
    for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
        let get = &container[probe]["httpGet"];
        assert_eq!(get["path"], "/healthz", "{probe}");
        assert!(get["port"] == port_name || get["port"].as_u64() == Some(port), "{probe} port");
    }
    let service = kind(&docs, "Service");
    assert_eq!(service["spec"]["ports"][0]["targetPort"], port_name);
    assert_eq!(service["spec"]["selector"], deployment["spec"]["selector"]["matchLabels"]);

    // The data directory and the configuration file are mounted where the command line says.
    let mounts: Vec<String> = container["volumeMounts"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|m| m["mountPath"].as_str().unwrap().to_owned())
        .collect();
    assert!(mounts.iter().any(|m| Path::new(m) == cli.data_dir), "{mounts:?} lacks {}", cli.data_dir.display());
    assert!(mounts.iter().any(|m| config.starts_with(m)), "{mounts:?} lacks {}", config.display());

    // The ConfigMap's vivier.toml is a configuration the server accepts, binding the same address.
    let cm = kind(&docs, "ConfigMap");
    let file = config.file_name().unwrap().to_str().unwrap();
    let toml = cm["data"][file].as_str().unwrap_or_else(|| panic!("the ConfigMap has no {file}"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    std::fs::write(&path, toml).unwrap();
    let parsed = vivier::server::config::ServerConfig::load(dir.path(), Some(&path)).unwrap();
    assert_eq!(parsed.bind.port(), bind.port());

    // The database URL and the trusted keys come from the Secret, under the CLI's variables.
    let secret = kind(&docs, "Secret");
    let env = container["env"].as_sequence().unwrap();
    for var in ["VIVIER_DATABASE", "VIVIER_TRUSTED_KEYS"] {
        let e = env.iter().find(|e| e["name"] == var).unwrap_or_else(|| panic!("{var} is not set"));
        let key = &e["valueFrom"]["secretKeyRef"];
        assert_eq!(key["name"], secret["metadata"]["name"], "{var}");
        assert!(!secret["stringData"][key["key"].as_str().unwrap()].is_null(), "{var} missing in the Secret");
    }
    let url = secret["stringData"]["VIVIER_DATABASE"].as_str().unwrap();
    assert!(url.starts_with("postgres://"), "{url}");
    let with_db = Cli::try_parse_from(argv.iter().map(String::as_str).chain(["--database", url])).unwrap();
    assert_eq!(with_db.database.as_deref(), Some(url));

    // Resource requests are set (sized in docs/operations.md).
    let res = &container["resources"];
    for k in ["cpu", "memory"] {
        assert!(res["requests"][k].is_string(), "requests.{k}");
        assert!(res["limits"][k].is_string(), "limits.{k}");
    }
}
