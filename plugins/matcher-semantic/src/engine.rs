//! Semantic assessment: the lexical matcher's reading of every requirement, improved for
//! open-text requirements (skills, activities) by the similarity of the requirement with the
//! profile's passages in a multilingual embedding space. Plain Rust, tested natively with a fake
//! embedder; the component glue (host `inference` import) lives in `lib.rs`.

use crate::chunks::{chunks, for_model, Chunk, MAX_CHUNK_CHARS};
use crate::cohort::{COHORT, REQUIREMENT_COHORT};
use vivier_matcher_lexical::analysis::truncate;
use vivier_matcher_lexical::engine::{self as lexical, effective_requirements, reading, MAX_EVIDENCE_CHARS};
use vivier_matcher_lexical::report;
use vivier_sdk::skills_matcher::{
    Assessment, Candidate, MatchError, Posting, RequirementAssessment, RequirementStatus,
};

/// Default model, named in the manifest.
pub const DEFAULT_MODEL: &str = "multilingual-e5-small";
/// Credit at or above which a requirement is met; the lexical matcher uses the same.
pub const MET_CREDIT: f32 = lexical::MET_COVERAGE;

/// Computes embeddings: the host's `inference` import in the component, a fake in tests.
pub trait Embedder {
    /// One L2-normalised vector per text, in order.
    fn embed(&mut self, texts: &[String]) -> Result<Vec<Vec<f32>>, String>;
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub lexical: lexical::Settings,
    pub model: String,
    /// What the model expects before a sought text (a requirement, the role) and before a
    /// searched one (a CV passage): `query-prefix`, `passage-prefix`. E5 models were trained
    /// with "query: " and "passage: "; most other models want none.
    pub query_prefix: String,
    pub passage_prefix: String,
    /// Relevance at or below which a passage proves nothing (`relevance-floor`). Relevance is
    /// the cosine of requirement and passage in standard deviations above what each gets from
    /// its reference cohort (see [`relevance`] and [`crate::cohort`]).
    pub floor: f32,
    /// Relevance at or above which a passage fully proves a requirement (`relevance-ceiling`).
    pub ceiling: f32,
    /// Credit at or above which a requirement is partial (`partial-threshold`, shared with the
    /// lexical reading).
    pub partial: f32,
    /// Share of its credit a passage keeps when the experience it comes from is unrelated to the
    /// posting's role (`role-floor`, in [0, 1]; 1 turns the role fit off). See [`role_fit`].
    pub role_floor: f32,
    /// Texts per `embed` call (`batch-size`).
    pub batch: usize,
    /// Log every best relevance (`log-similarities` = "true"), to calibrate floor and ceiling.
    pub log_similarities: bool,
}

impl Default for Settings {
    fn default() -> Self {
        let lexical = lexical::Settings::default();
        Settings {
            partial: lexical.partial_threshold,
            lexical,
            model: DEFAULT_MODEL.to_owned(),
            query_prefix: "query: ".to_owned(),
            passage_prefix: "passage: ".to_owned(),
            // `cargo bench --bench calibrate_semantic` on the development set, original and
            // reworded postings together: grade-0 p75 1.46, grade-3 median 3.21 on the last run.
            floor: 1.5,
            ceiling: 3.25,
            // A passage of an unrelated job keeps 80 % of its credit. On the development set
            // 0.8 changed nothing; on the two check sets it lifted nDCG@3 (0.942 → 0.970,
            // 0.884 → 0.911 reworded); 0.5 cost 0.03 to 0.06 on the development set.
            role_floor: 0.8,
            batch: 64,
            log_similarities: false,
        }
    }
}

impl Settings {
    /// Reads settings through `get` (the `config` import); invalid values are ignored and
    /// reported, so the caller can log them.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> (Settings, Vec<String>) {
        let (lexical, mut problems) = lexical::Settings::from_lookup(&get);
        let mut s = Settings { partial: lexical.partial_threshold, lexical, ..Settings::default() };
        if let Some(m) = get("model").filter(|m| !m.trim().is_empty()) {
            s.model = m.trim().to_owned();
        }
        // Not trimmed: the space after "query:" is part of the convention.
        for (key, slot) in [("query-prefix", &mut s.query_prefix), ("passage-prefix", &mut s.passage_prefix)] {
            if let Some(v) = get(key) {
                if v.chars().count() <= 32 {
                    *slot = v;
                } else {
                    problems.push(format!("{key} ignoré : plus de 32 caractères"));
                }
            }
        }
        let mut unit = |key: &str, slot: &mut f32| {
            if let Some(v) = get(key) {
                match v.trim().parse::<f32>() {
                    Ok(x) if (-10.0..=20.0).contains(&x) => *slot = x,
                    _ => {
                        problems.push(format!("{key} ignoré : {v:?} n'est pas un nombre d'écarts-types dans [-10, 20]"))
                    }
                }
            }
        };
        unit("relevance-floor", &mut s.floor);
        unit("relevance-ceiling", &mut s.ceiling);
        for old in ["similarity-floor", "similarity-ceiling"] {
            if get(old).is_some() {
                problems.push(format!(
                    "{old} ignoré : les seuils sont désormais relatifs à la cohorte de référence (relevance-floor, relevance-ceiling, en écarts-types)"
                ));
            }
        }
        if s.ceiling <= s.floor {
            problems.push(format!(
                "relevance-ceiling ({}) doit dépasser relevance-floor ({}) : valeurs par défaut rétablies",
                s.ceiling, s.floor
            ));
            let d = Settings::default();
            s.floor = d.floor;
            s.ceiling = d.ceiling;
        }
        if let Some(v) = get("role-floor") {
            match v.trim().parse::<f32>() {
                Ok(x) if (0.0..=1.0).contains(&x) => s.role_floor = x,
                _ => problems.push(format!("role-floor ignoré : {v:?} n'est pas un nombre entre 0 et 1")),
            }
        }
        if let Some(v) = get("batch-size") {
            match v.trim().parse::<usize>() {
                Ok(n) if (1..=256).contains(&n) => s.batch = n,
                _ => problems.push(format!("batch-size ignoré : {v:?} n'est pas un entier entre 1 et 256")),
            }
        }
        s.log_similarities = get("log-similarities").is_some_and(|v| v.trim() == "true");
        (s, problems)
    }

    /// Maps a relevance (standard deviations above the cohort) to a credit in [0, 1].
    pub fn calibrate(&self, relevance: f32) -> f32 {
        ((relevance - self.floor) / (self.ceiling - self.floor)).clamp(0.0, 1.0)
    }
}

/// How one text's cosines stand against a reference cohort: a requirement's against ordinary
/// CV passages ([`COHORT`]), a passage's against ordinary requirements
/// ([`REQUIREMENT_COHORT`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    pub mean: f32,
    pub spread: f32,
}

/// Smallest spread used: a cohort that answers one requirement all alike must not turn a tiny
/// cosine difference into a large relevance.
const MIN_SPREAD: f32 = 0.01;

impl Baseline {
    pub fn of(text: &[f32], cohort: &[Vec<f32>]) -> Self {
        let n = cohort.len().max(1) as f32;
        let cosines: Vec<f32> = cohort.iter().map(|v| dot(text, v)).collect();
        let mean = cosines.iter().sum::<f32>() / n;
        let variance = cosines.iter().map(|c| (c - mean) * (c - mean)).sum::<f32>() / n;
        Baseline { mean, spread: variance.sqrt().max(MIN_SPREAD) }
    }

    fn standardise(&self, cosine: f32) -> f32 {
        (cosine - self.mean) / self.spread
    }
}

/// How much a passage stands out for a requirement, in standard deviations: the mean of how far
/// the cosine lies above what the requirement gets from ordinary passages and above what the
/// passage gets from ordinary requirements (symmetric normalisation, "S-norm"). The second half
/// keeps a generic passage ("Gestionnaire RH en collectivité"), close to many requirements at
/// once, from passing for proof of each.
pub fn relevance(cosine: f32, requirement: &Baseline, passage: &Baseline) -> f32 {
    0.5 * (requirement.standardise(cosine) + passage.standardise(cosine))
}

/// A passage weighed against one requirement.
struct Scored<'a> {
    credit: f32,
    cosine: f32,
    relevance: f32,
    chunk: &'a Chunk,
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Embeds texts in batches; every vector must have the same, non-zero length.
fn embed_all(embedder: &mut dyn Embedder, texts: &[String], batch: usize) -> Result<Vec<Vec<f32>>, MatchError> {
    let mut out = Vec::with_capacity(texts.len());
    for part in texts.chunks(batch.max(1)) {
        let vectors = embedder
            .embed(part)
            .map_err(|e| MatchError::Internal(format!("calcul des plongements impossible : {e}")))?;
        if vectors.len() != part.len() {
            return Err(MatchError::Internal(format!(
                "l'hôte a rendu {} vecteurs pour {} textes",
                vectors.len(),
                part.len()
            )));
        }
        out.extend(vectors);
    }
    let dim = out.first().map_or(0, Vec::len);
    if out.iter().any(|v| v.len() != dim || v.iter().any(|x| !x.is_finite())) || (dim == 0 && !out.is_empty()) {
        return Err(MatchError::Internal("vecteurs de plongement incohérents".to_owned()));
    }
    Ok(out)
}

fn status_of(credit: f32, partial: f32) -> RequirementStatus {
    if credit >= MET_CREDIT {
        RequirementStatus::Met
    } else if credit >= partial {
        RequirementStatus::Partial
    } else {
        RequirementStatus::Missing
    }
}

fn evidence_line(chunk: &Chunk, cosine: f32) -> String {
    let suffix = format!(" (similarité {:.2})", cosine).replace('.', ",");
    let budget = MAX_EVIDENCE_CHARS - chunk.label.chars().count() - 3 - suffix.chars().count();
    format!("{} : {}{suffix}", chunk.label, truncate(&chunk.text, budget))
}

/// The posting's role as the model reads it: its title and missions (the host writes missions
/// as "- " lines of the description), or its title and description.
pub fn role_text(posting: &Posting) -> String {
    let missions: Vec<&str> =
        posting.description.lines().filter_map(|l| l.trim().strip_prefix("- ")).map(str::trim).collect();
    let text = if missions.is_empty() {
        format!("{}. {}", posting.title.trim(), posting.description.trim())
    } else {
        format!("{} : {}", posting.title.trim(), missions.join(" ; "))
    };
    truncate(&text.split_whitespace().collect::<Vec<_>>().join(" "), MAX_CHUNK_CHARS)
}

/// How far each chunk's credit stands, from `role_floor` to 1, by how close the job it comes
/// from is to the posting's role: the relevance of the whole experience (its first chunk) to the
/// role text, calibrated like a requirement's. A sentence of an unrelated job that happens to
/// sound like a requirement ("retour au travail" in a payroll job, for an employment adviser's
/// posting) then proves less than the same sentence in a job of the trade. Chunks outside the
/// experiences (summary, diplomas, skills) take the profile's best experience fit; a profile
/// without experience is not discounted.
fn role_fit(chunks: &[Chunk], role_relevance: impl Fn(usize) -> f32, settings: &Settings) -> Vec<f32> {
    let fit = |relevance: f32| settings.role_floor + (1.0 - settings.role_floor) * settings.calibrate(relevance);
    let mut per_experience: Vec<(usize, f32)> = Vec::new();
    for (i, c) in chunks.iter().enumerate() {
        if let Some(e) = c.experience {
            if !per_experience.iter().any(|&(x, _)| x == e) {
                per_experience.push((e, fit(role_relevance(i))));
            }
        }
    }
    let best = per_experience.iter().map(|&(_, f)| f).reduce(f32::max).unwrap_or(1.0);
    chunks
        .iter()
        .map(|c| match c.experience {
            Some(e) => per_experience.iter().find(|&&(x, _)| x == e).map_or(best, |&(_, f)| f),
            None => best,
        })
        .collect()
}

/// Assesses every candidate: exactly one assessment per candidate, in input order.
pub fn assess(
    posting: &Posting,
    candidates: &[Candidate],
    settings: &Settings,
    embedder: &mut dyn Embedder,
    trace: &mut Vec<String>,
) -> Result<Vec<Assessment>, MatchError> {
    let lexical_out = lexical::assess(posting, candidates, &settings.lexical)?;
    let requirements = effective_requirements(posting)?;
    let readings: Vec<_> = requirements.iter().map(reading).collect();
    let open: Vec<usize> = (0..requirements.len()).filter(|&i| readings[i].open_text).collect();
    if open.is_empty() || candidates.is_empty() {
        return Ok(lexical_out);
    }
    let (q, p) = (&settings.query_prefix, &settings.passage_prefix);
    let profile_chunks: Vec<Vec<Chunk>> = candidates.iter().map(|c| chunks(&c.profile)).collect();
    let mut texts: Vec<String> = open.iter().map(|&i| format!("{q}{}", requirements[i].label.trim())).collect();
    texts.push(format!("{q}{}", role_text(posting)));
    texts.extend(COHORT.iter().map(|c| format!("{p}{c}")));
    texts.extend(REQUIREMENT_COHORT.iter().map(|c| format!("{q}{c}")));
    for cs in &profile_chunks {
        texts.extend(cs.iter().map(|c| format!("{p}{}", for_model(&c.text))));
    }
    let vectors = embed_all(embedder, &texts, settings.batch)?;
    let (queries, rest) = vectors.split_at(open.len());
    let Some((role, rest)) = rest.split_first() else {
        return Err(MatchError::Internal("vecteur du poste manquant".to_owned()));
    };
    let (cohort, rest) = rest.split_at(COHORT.len());
    let (requirement_cohort, mut passages) = rest.split_at(REQUIREMENT_COHORT.len());
    let baselines: Vec<Baseline> = queries.iter().map(|q| Baseline::of(q, cohort)).collect();
    let role_baseline = Baseline::of(role, cohort);

    let mut out = Vec::with_capacity(candidates.len());
    for (lex, cs) in lexical_out.into_iter().zip(&profile_chunks) {
        let (mine, rest) = passages.split_at(cs.len());
        passages = rest;
        let passage_baselines: Vec<Baseline> = mine.iter().map(|v| Baseline::of(v, requirement_cohort)).collect();
        let fit = if settings.role_floor < 1.0 {
            role_fit(cs, |i| relevance(dot(role, &mine[i]), &role_baseline, &passage_baselines[i]), settings)
        } else {
            vec![1.0; cs.len()]
        };
        let total: f32 = lex.requirements.iter().map(|r| r.weight).sum::<f32>().max(f32::MIN_POSITIVE);
        let mut rows: Vec<RequirementAssessment> = Vec::with_capacity(lex.requirements.len());
        let mut score = 0.0f32;
        for (ri, row) in lex.requirements.into_iter().enumerate() {
            let share = row.weight / total;
            let lexical_credit = if share > 0.0 { (row.contribution / share).clamp(0.0, 1.0) } else { 0.0 };
            let (credit, evidence) = match open.iter().position(|&i| i == ri) {
                Some(q) => {
                    // Best passage: calibrated relevance times what the passage can prove; among
                    // passages that earn the same (none, often), the most relevant, for the trace.
                    let best = cs
                        .iter()
                        .zip(mine)
                        .zip(&passage_baselines)
                        .zip(&fit)
                        .map(|(((chunk, v), passage), fit)| {
                            let cosine = dot(&queries[q], v);
                            let relevance = relevance(cosine, &baselines[q], passage);
                            Scored {
                                credit: settings.calibrate(relevance) * chunk.strength * fit,
                                cosine,
                                relevance,
                                chunk,
                            }
                        })
                        .fold(None::<Scored>, |acc, x| match acc {
                            Some(a) if a.credit > x.credit || (a.credit == x.credit && a.relevance >= x.relevance) => {
                                Some(a)
                            }
                            _ => Some(x),
                        });
                    if settings.log_similarities {
                        if let Some(b) = &best {
                            trace.push(format!(
                                "similarity {} {} {:.4} {:.2}",
                                lex.candidate_id, row.requirement_id, b.relevance, b.chunk.strength
                            ));
                        }
                    }
                    match best {
                        Some(b) if b.credit > lexical_credit => {
                            let mut ev = vec![evidence_line(b.chunk, b.cosine)];
                            ev.extend(row.evidence.iter().take(2).cloned());
                            (b.credit, ev)
                        }
                        _ => (lexical_credit, row.evidence.clone()),
                    }
                }
                None => (lexical_credit, row.evidence.clone()),
            };
            let status = if open.contains(&ri) { status_of(credit, settings.partial) } else { row.status };
            let credit = if status == RequirementStatus::Missing { 0.0 } else { credit };
            let evidence = if status == RequirementStatus::Missing { Vec::new() } else { evidence };
            let contribution = (share * credit).clamp(0.0, 1.0);
            score += contribution;
            rows.push(RequirementAssessment { status, evidence, contribution, ..row });
        }
        let kinds: Vec<_> = requirements.iter().zip(&readings).map(|(r, rd)| (r.kind, rd.duration)).collect();
        out.push(Assessment {
            candidate_id: lex.candidate_id,
            score: score.clamp(0.0, 1.0),
            summary: report::summary(&rows),
            interview_questions: report::questions(&rows, &kinds),
            requirements: rows,
        });
    }
    Ok(out)
}
