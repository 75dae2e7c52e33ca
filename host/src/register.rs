//! The public register of algorithms (CRPA L312-1-3) and the "mention explicite" for decision
//! letters (CRPA L311-3-1, R311-3-1-1), generated from the installed and active plugins.
//!
//! Built here once and rendered three ways: JSON (`GET /v1/reports/register`), Markdown (for
//! the département's website or an inventory of public algorithms) and the HTML page `/registre`.
//! The text is French because its readers are the public.

use crate::bundle::SignatureStatus;
use crate::registry::{PluginEntry, Registry, Source};
use crate::store::Store;
use crate::world::World;
use serde::Serialize;
use std::fmt::Write;

pub const TITLE: &str = "Registre public des algorithmes d'aide au recrutement";

pub const PRINCIPLE: &str = "Ces traitements produisent des suggestions pour les agents chargés du recrutement. \
Aucune candidature n'est écartée ni retenue automatiquement : un agent examine chaque candidature et décide toujours. \
Toute personne peut demander comment un algorithme a contribué à l'examen de sa candidature \
(articles L311-3-1 et R311-3-1-2 du code des relations entre le public et l'administration).";

/// The sentence to print in decision letters whenever an AI plugin touched the file. R311-3-1-1
/// asks for three things: the purpose of the processing, the right to obtain its rules, and how
/// to exercise that right (including referral to the CADA).
pub const MENTION_EXPLICITE: &str = "Votre candidature a été examinée par un agent avec l'aide d'un traitement algorithmique \
(lecture des CV et comparaison des parcours aux critères de l'offre), qui a fourni des éléments d'appréciation sans prendre \
aucune décision. Conformément aux articles L311-3-1 et R311-3-1-1 du code des relations entre le public et l'administration, \
vous pouvez obtenir communication des règles définissant ce traitement et des principales caractéristiques de sa mise en œuvre \
dans votre cas, en écrivant au service des ressources humaines qui vous adresse ce courrier. En l'absence de réponse dans un délai \
d'un mois, vous pouvez saisir la Commission d'accès aux documents administratifs (CADA). Le registre des algorithmes utilisés \
est publié à l'adresse /registre.";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Register {
    pub title: String,
    pub principle: String,
    pub mention_explicite: String,
    pub processings: Vec<Processing>,
}

/// One use of an algorithm in recruitment: one slot of the platform.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Processing {
    pub slot: String,
    pub name: String,
    pub purpose: String,
    /// `en service`, `suspendu` (stopped by an administrator) or `indisponible`.
    pub status: String,
    pub in_service: bool,
    pub main_parameters: Vec<String>,
    pub module: Option<Module>,
    /// Other installed plugins for this use, not active (`id@version`).
    pub installed_alternatives: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Module {
    pub id: String,
    pub name: String,
    pub version: String,
    pub vendor: String,
    pub provider: String,
    pub contact: String,
    pub intended_purpose: String,
    pub human_oversight: String,
    pub limitations: Vec<String>,
    pub accuracy: Vec<Figure>,
    pub models: Vec<String>,
    pub outbound_hosts: Vec<String>,
    pub digest: String,
    pub signature: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figure {
    pub metric: String,
    pub value: String,
    pub dataset: String,
}

/// What the register needs to know about a slot.
pub struct SlotInput {
    pub world: World,
    pub active: Option<PluginEntry>,
    pub stopped: bool,
}

fn slot_name(world: World) -> &'static str {
    match world {
        World::CvParser => "Lecture des CV",
        World::SkillsMatcher => "Comparaison des candidatures aux critères de l'offre",
        World::PostingDrafter => "Aide à la rédaction des offres d'emploi",
    }
}

fn slot_purpose(world: World) -> &'static str {
    match world {
        World::CvParser => "Extraire du CV transmis par le candidat son parcours (expériences, formations, compétences, langues) pour le présenter au recruteur sous une forme structurée.",
        World::SkillsMatcher => "Rapprocher le parcours de chaque candidat des critères de l'offre et présenter au recruteur un score indicatif et les éléments trouvés ou manquants.",
        World::PostingDrafter => "Proposer un premier jet d'annonce d'emploi à partir de la fiche de poste, relu et validé par un agent.",
    }
}

fn slot_parameters(world: World) -> &'static [&'static str] {
    match world {
        World::CvParser => &[
            "Données traitées : le document CV transmis par le candidat au travers du logiciel de gestion des ressources humaines.",
            "L'identité (nom, coordonnées) est conservée à part ; elle n'est jamais transmise aux modules de comparaison.",
            "Aucun score ni classement n'est produit à cette étape.",
        ],
        World::SkillsMatcher => &[
            "Critères : les exigences de l'offre (compétences, diplômes, expérience) et leurs poids, fixés par le recruteur.",
            "Données : le parcours du candidat sous un identifiant opaque, sans nom, courriel, photo ni date de naissance.",
            "Résultat : un score indicatif par candidature et, pour chaque critère, les éléments trouvés ou manquants.",
            "Toutes les candidatures sont présentées au recruteur ; aucune n'est écartée par le traitement.",
        ],
        World::PostingDrafter => &[
            "Données : la fiche de poste saisie par le recruteur (missions, profil, conditions d'emploi).",
            "Le projet d'annonce est vérifié automatiquement (critères discriminatoires, mentions obligatoires du décret n° 2018-1351).",
            "Aucune donnée de candidat n'est utilisée.",
        ],
    }
}

pub fn signature_fr(s: &SignatureStatus) -> String {
    match s {
        SignatureStatus::Verified { key } => {
            format!("signature vérifiée (clé {})", key.get(..16).unwrap_or(key))
        }
        SignatureStatus::NotChecked => "signé, signature non vérifiée (aucune clé de confiance configurée)".into(),
        SignatureStatus::Unsigned => "non signé".into(),
        SignatureStatus::Builtin => "module de référence livré avec Vivier".into(),
    }
}

fn module(e: &PluginEntry) -> Module {
    let m = &e.bundle.manifest;
    Module {
        id: m.plugin.id.clone(),
        name: m.plugin.name.clone(),
        version: m.plugin.version.clone(),
        vendor: m.plugin.vendor.clone(),
        provider: m.transparency.provider.clone(),
        contact: m.transparency.contact.clone(),
        intended_purpose: m.transparency.intended_purpose.clone(),
        human_oversight: m.transparency.human_oversight.clone(),
        limitations: m.transparency.limitations.clone(),
        accuracy: m
            .transparency
            .accuracy
            .iter()
            .map(|a| Figure { metric: a.metric.clone(), value: a.value.clone(), dataset: a.dataset.clone() })
            .collect(),
        models: m.capabilities.models.clone(),
        outbound_hosts: m.capabilities.outbound_hosts.clone(),
        digest: e.bundle.digest.clone(),
        signature: signature_fr(&e.signature),
    }
}

/// The register of these slots; `installed` lists every plugin known to the host.
pub fn build(slots: &[SlotInput], installed: &[PluginEntry]) -> Register {
    let processings = slots
        .iter()
        .map(|s| {
            let mut main_parameters: Vec<String> = slot_parameters(s.world).iter().map(|p| (*p).to_owned()).collect();
            let module = s.active.as_ref().map(module);
            if let Some(m) = &module {
                if m.models.is_empty() {
                    main_parameters.push("Aucun modèle d'apprentissage automatique n'est utilisé.".into());
                } else {
                    main_parameters.push(format!(
                        "Modèle d'IA utilisé : {}, exécuté sur les serveurs de la collectivité ; il n'apprend pas des candidatures traitées.",
                        m.models.join(", ")
                    ));
                }
                if m.outbound_hosts.is_empty() {
                    main_parameters.push("Le module n'a aucun accès au réseau.".into());
                } else {
                    main_parameters.push(format!(
                        "Le module peut appeler ces services externes, autorisés par un administrateur : {}.",
                        m.outbound_hosts.join(", ")
                    ));
                }
            }
            let active_ref = s.active.as_ref().map(|a| format!("{}@{}", a.id(), a.version()));
            let installed_alternatives = installed
                .iter()
                .filter(|e| e.world() == s.world && !matches!(e.source, Source::File(_)))
                .map(|e| format!("{}@{}", e.id(), e.version()))
                .filter(|r| Some(r) != active_ref.as_ref())
                .collect();
            let (status, in_service) = match (&s.active, s.stopped) {
                (_, true) => ("suspendu", false),
                (Some(_), false) => ("en service", true),
                (None, false) => ("indisponible", false),
            };
            Processing {
                slot: s.world.name().into(),
                name: slot_name(s.world).into(),
                purpose: slot_purpose(s.world).into(),
                status: status.into(),
                in_service,
                main_parameters,
                module,
                installed_alternatives,
            }
        })
        .collect();
    Register {
        title: TITLE.into(),
        principle: PRINCIPLE.into(),
        mention_explicite: MENTION_EXPLICITE.into(),
        processings,
    }
}

/// The register of a running server, from its live slots.
pub fn from_server(state: &crate::server::AppState) -> Register {
    let slots: Vec<SlotInput> = state
        .slots
        .all()
        .into_iter()
        .map(|(world, s)| SlotInput { world, active: s.active.map(|a| a.entry.clone()), stopped: s.row.stopped })
        .collect();
    build(&slots, &state.registry.list().unwrap_or_default())
}

/// The register of a data directory, without a running server (for the command line): the
/// slots as the server last saved them, else the plugins `active.toml` names.
pub async fn from_data_dir(store: &Store, registry: &Registry) -> anyhow::Result<Register> {
    let saved = crate::store::slots::all(store.pool()).await?;
    let mut slots = Vec::new();
    for world in World::ALL {
        let row = saved.iter().find(|r| r.world == world.name());
        let active = match row {
            Some(r) => registry.find(&r.active).ok(),
            None => registry.active(world).ok(),
        };
        slots.push(SlotInput { world, active, stopped: row.is_some_and(|r| r.stopped) });
    }
    Ok(build(&slots, &registry.list()?))
}

/// Markdown for publication; every value comes from the register, nothing is added. What a
/// plugin's manifest supplies is escaped (`text::markdown_inline`): a vendor's text renders as
/// text, never as links, headings or HTML.
pub fn to_markdown(r: &Register) -> String {
    use crate::text::markdown_inline as e;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n\n{}\n", r.title, r.principle);
    for p in &r.processings {
        let _ = writeln!(out, "## {}\n\n{}\n\n- Usage : `{}`\n- État : {}", p.name, p.purpose, p.slot, p.status);
        if let Some(m) = &p.module {
            let _ = writeln!(
                out,
                "- Module : {} (`{}`), version {}, éditeur {}\n- Fournisseur : {} ({})\n- Empreinte SHA-256 : `{}`\n- Signature : {}",
                e(&m.name),
                m.id,
                e(&m.version),
                e(&m.vendor),
                e(&m.provider),
                e(&m.contact),
                m.digest,
                e(&m.signature)
            );
        }
        let _ = writeln!(out, "\n### Principaux paramètres\n");
        for param in &p.main_parameters {
            let _ = writeln!(out, "- {param}");
        }
        if let Some(m) = &p.module {
            let _ = writeln!(
                out,
                "\n### Finalité prévue et contrôle humain\n\n{}\n\n{}",
                e(&m.intended_purpose),
                e(&m.human_oversight)
            );
            if !m.limitations.is_empty() {
                let _ = writeln!(out, "\n### Limites connues\n");
                for l in &m.limitations {
                    let _ = writeln!(out, "- {}", e(l));
                }
            }
            if !m.accuracy.is_empty() {
                let _ = writeln!(out, "\n### Performances mesurées\n");
                for a in &m.accuracy {
                    let _ = writeln!(out, "- {} : {} ({})", e(&a.metric), e(&a.value), e(&a.dataset));
                }
            }
        }
        if !p.installed_alternatives.is_empty() {
            let others: Vec<String> = p.installed_alternatives.iter().map(|a| e(a)).collect();
            let _ = writeln!(out, "\nAutres modules installés, non utilisés : {}.", others.join(", "));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Mention explicite pour les courriers de décision\n\n> {}", r.mention_explicite);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin(id: &str) -> PluginEntry {
        let bundle = crate::builtin::bundles().unwrap().into_iter().find(|b| b.manifest.plugin.id == id).unwrap();
        PluginEntry { bundle, signature: SignatureStatus::Builtin, source: Source::Builtin }
    }

    #[test]
    fn register_follows_the_slots() {
        let lexical = builtin("vivier-matcher-lexical");
        let semantic = builtin("vivier-matcher-semantic");
        let slots = [
            SlotInput { world: World::CvParser, active: None, stopped: false },
            SlotInput { world: World::SkillsMatcher, active: Some(semantic.clone()), stopped: true },
        ];
        let r = build(&slots, &[lexical.clone(), semantic.clone()]);
        assert_eq!(r.processings[0].status, "indisponible");
        assert!(r.processings[0].module.is_none());
        let m = &r.processings[1];
        assert_eq!((m.status.as_str(), m.in_service), ("suspendu", false));
        assert_eq!(m.module.as_ref().unwrap().id, "vivier-matcher-semantic");
        assert_eq!(m.installed_alternatives, vec![format!("vivier-matcher-lexical@{}", lexical.version())]);
        assert!(m.main_parameters.iter().any(|p| p.contains("multilingual-e5-small")), "{:?}", m.main_parameters);

        let md = to_markdown(&r);
        assert!(md.starts_with(&format!("# {TITLE}")));
        assert!(md.contains(&semantic.bundle.digest));
        assert!(md.contains("État : suspendu"));
        for limit in &semantic.bundle.manifest.transparency.limitations {
            assert!(md.contains(limit.as_str()), "limitation missing: {limit}");
        }
        assert!(md.contains("CADA"));
    }

    #[test]
    fn mention_has_the_three_elements_of_r311_3_1_1() {
        // Purpose, the right to the rules, how to exercise it (with the CADA).
        assert!(MENTION_EXPLICITE.contains("comparaison des parcours"));
        assert!(MENTION_EXPLICITE.contains("obtenir communication des règles"));
        assert!(MENTION_EXPLICITE.contains("en écrivant au service") && MENTION_EXPLICITE.contains("CADA"));
    }
}
