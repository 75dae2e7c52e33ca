//! `vivier plugin ...`: list, inspect, verify, install, activate, pack, keygen.

use super::*;

fn describe(entry: &PluginEntry, active: bool) -> serde_json::Value {
    let m = &entry.bundle.manifest;
    json!({
        "id": m.plugin.id, "name": m.plugin.name, "version": m.plugin.version, "vendor": m.plugin.vendor,
        "world": m.plugin.world, "wit_version": m.plugin.wit_version, "description": m.plugin.description,
        "digest": entry.bundle.digest, "signature": entry.signature, "source": entry.source, "active": active,
        "capabilities": m.capabilities, "transparency": m.transparency,
    })
}

pub(super) fn run(cli: &Cli, command: &PluginCommand) -> Result<()> {
    match command {
        PluginCommand::Keygen { out } => {
            if out.exists() {
                bail!("{} exists; refusing to overwrite a key", out.display());
            }
            let mut seed = [0u8; 32];
            getrandom::getrandom(&mut seed).context("no system randomness")?;
            let key = ed25519_dalek::SigningKey::from_bytes(&seed);
            std::fs::write(out, hex::encode(seed)).with_context(|| format!("cannot write {}", out.display()))?;
            #[cfg(unix)]
            std::fs::set_permissions(out, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
            println!("{}", hex::encode(key.verifying_key().as_bytes()));
            eprintln!("signing key written to {}; give the public key above to administrators", out.display());
            Ok(())
        }
        PluginCommand::Pack { manifest, component, out, key } => {
            let text =
                std::fs::read_to_string(manifest).with_context(|| format!("cannot read {}", manifest.display()))?;
            let manifest = Manifest::parse(&text)?;
            let wasm = std::fs::read(component).with_context(|| format!("cannot read {}", component.display()))?;
            let key = match key {
                Some(path) => Some(parse_signing_key(
                    &std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?,
                )?),
                None => None,
            };
            let bundle = Bundle::pack(manifest, wasm, key.as_ref())?;
            bundle.write_zip(out).with_context(|| format!("cannot write {}", out.display()))?;
            println!("{} (sha256 {}{})", out.display(), bundle.digest, if key.is_some() { ", signed" } else { "" });
            Ok(())
        }
        _ => {
            let ctx = Session::new(cli)?;
            match command {
                PluginCommand::List => {
                    let active: Vec<(String, String)> = World::ALL
                        .iter()
                        .filter_map(|w| {
                            ctx.registry.active(*w).ok().map(|e| (e.id().to_owned(), e.version().to_owned()))
                        })
                        .collect();
                    for entry in ctx.registry.list()? {
                        let is_active = active.contains(&(entry.id().to_owned(), entry.version().to_owned()));
                        let source = match &entry.source {
                            Source::Builtin => "built-in".to_string(),
                            Source::Installed(p) | Source::File(p) => p.display().to_string(),
                        };
                        println!(
                            "{}{:<28} {:<8} {:<16} {}  {}",
                            if is_active { "* " } else { "  " },
                            entry.id(),
                            entry.version(),
                            entry.world(),
                            &entry.bundle.digest[..12],
                            source
                        );
                    }
                    Ok(())
                }
                PluginCommand::Inspect { plugin } => {
                    let entry = ctx.registry.find(plugin)?;
                    let active =
                        ctx.registry.active(entry.world()).is_ok_and(|a| a.bundle.digest == entry.bundle.digest);
                    println!(
                        "{}",
                        crate::text::json_terminal_safe(&serde_json::to_string_pretty(&describe(&entry, active))?)
                    );
                    Ok(())
                }
                PluginCommand::Verify { bundle } => {
                    let entry = ctx.registry.open_bundle(bundle)?;
                    let loaded = entry.load(&ctx.runtime)?;
                    println!(
                        "{} {} ({}) is valid: sha256 {}, signature {:?}, exports match the {} world",
                        entry.id(),
                        entry.version(),
                        crate::text::terminal_safe(&entry.bundle.manifest.plugin.vendor),
                        entry.bundle.digest,
                        entry.signature,
                        loaded.world
                    );
                    Ok(())
                }
                PluginCommand::Install { bundle } => {
                    let entry = ctx.registry.install(bundle, &ctx.runtime)?;
                    // Every new version of a matcher is probed at install; a failure does not
                    // refuse the install, it blocks activation (see `plugin activate`).
                    if entry.world() == World::SkillsMatcher {
                        let loaded = entry.load_granted(&ctx.runtime, &ctx.data_dir)?;
                        let (report, _) =
                            super::probe::probe_and_store(&ctx, &loaded, crate::probe::Options::default())?;
                        eprintln!("{}", report.summary);
                    }
                    println!(
                        "installed {} {} ({}); activate it with `vivier plugin activate {}`",
                        entry.id(),
                        entry.version(),
                        entry.world(),
                        entry.id()
                    );
                    Ok(())
                }
                PluginCommand::Activate { plugin, override_justification } => {
                    let found = ctx.registry.find(plugin)?;
                    super::probe::gate_activation(&ctx, &found, override_justification.as_deref())?;
                    let entry = ctx.registry.activate(plugin, &ctx.runtime)?;
                    println!("{} {} is now active for {}", entry.id(), entry.version(), entry.world());
                    Ok(())
                }
                PluginCommand::Keygen { .. } | PluginCommand::Pack { .. } => unreachable!("handled above"),
            }
        }
    }
}
