//! Candidates, their identity (kept apart), profile, AI suggestions and human decisions.

use super::{Conn, Pool, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct CandidateRow {
    pub id: String,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub created_at: i64,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub last_contact_at: i64,
    pub outcome: Option<String>,
    #[serde(serialize_with = "crate::store::as_rfc3339::option::serialize")]
    pub erased_at: Option<i64>,
    /// The SIRH's own applicant id, unique per API key; cleared at erasure.
    pub external_id: Option<String>,
    /// The API key that created the candidate.
    pub owner_key: Option<String>,
}

pub struct NewParse<'a> {
    pub candidate_id: &'a str,
    pub identity_json: &'a str,
    pub profile_json: &'a str,
    pub warnings_json: &'a str,
    pub timeline_json: &'a str,
    pub trace_id: &'a str,
    pub document_digest: &'a str,
    pub external_id: Option<&'a str>,
    pub owner_key: &'a str,
    pub now: i64,
}

pub async fn insert_parsed(conn: &mut Conn, p: &NewParse<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO candidates (id, created_at, last_contact_at, external_id, owner_key) VALUES ($1, $2, $2, $3, $4)",
    )
    .bind(p.candidate_id)
    .bind(p.now)
    .bind(p.external_id)
    .bind(p.owner_key)
    .execute(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO identities (candidate_id, identity_json) VALUES ($1, $2)")
        .bind(p.candidate_id)
        .bind(p.identity_json)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO profiles (candidate_id, profile_json, warnings_json, timeline_json, trace_id, document_digest) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(p.candidate_id)
    .bind(p.profile_json)
    .bind(p.warnings_json)
    .bind(p.timeline_json)
    .bind(p.trace_id)
    .bind(p.document_digest)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub struct NewSuggestion<'a> {
    pub trace_id: &'a str,
    pub kind: &'a str,
    pub plugin: &'a crate::runtime::PluginRef,
    pub posting_id: Option<&'a str>,
    pub key_id: &'a str,
    pub now: i64,
}

pub async fn insert_suggestion(conn: &mut Conn, s: &NewSuggestion<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO suggestions (trace_id, kind, created_at, plugin_id, plugin_version, plugin_digest, posting_id, key_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(s.trace_id)
    .bind(s.kind)
    .bind(s.now)
    .bind(&s.plugin.id)
    .bind(&s.plugin.version)
    .bind(&s.plugin.digest)
    .bind(s.posting_id)
    .bind(s.key_id)
    .execute(conn)
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_assessment(
    conn: &mut Conn,
    trace_id: &str,
    candidate_id: &str,
    posting_id: &str,
    rank: i64,
    count: i64,
    score: f64,
    assessment_json: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO assessments (trace_id, candidate_id, posting_id, rank_position, candidate_count, score, assessment_json, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(trace_id)
    .bind(candidate_id)
    .bind(posting_id)
    .bind(rank)
    .bind(count)
    .bind(score)
    .bind(assessment_json)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn upsert_posting(conn: &mut Conn, id: &str, json: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO postings (id, posting_json, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET posting_json = excluded.posting_json, updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(json)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn posting(pool: &Pool, id: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT posting_json FROM postings WHERE id = $1").bind(id).fetch_optional(pool).await?)
}

type CandidateTuple = (String, i64, i64, Option<String>, Option<i64>, Option<String>, Option<String>);

const CANDIDATE_SELECT: &str =
    "SELECT id, created_at, last_contact_at, outcome, erased_at, external_id, owner_key FROM candidates";

fn candidate_row(
    (id, created_at, last_contact_at, outcome, erased_at, external_id, owner_key): CandidateTuple,
) -> CandidateRow {
    CandidateRow { id, created_at, last_contact_at, outcome, erased_at, external_id, owner_key }
}

pub async fn get(pool: &Pool, id: &str) -> Result<Option<CandidateRow>, StoreError> {
    let row: Option<CandidateTuple> =
        sqlx::query_as(&format!("{CANDIDATE_SELECT} WHERE id = $1")).bind(id).fetch_optional(pool).await?;
    Ok(row.map(candidate_row))
}

/// The live candidate a key created under the SIRH's applicant id `external_id`.
pub async fn by_external_id(
    conn: &mut Conn,
    owner_key: &str,
    external_id: &str,
) -> Result<Option<CandidateRow>, StoreError> {
    let row: Option<CandidateTuple> =
        sqlx::query_as(&format!("{CANDIDATE_SELECT} WHERE owner_key = $1 AND external_id = $2 AND erased_at IS NULL"))
            .bind(owner_key)
            .bind(external_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(candidate_row))
}

/// A position in a list ordered by `(created_at, id)`: the last row of the previous page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: i64,
    pub id: String,
}

impl Cursor {
    /// The opaque text a client sends back as `after`.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.created_at, self.id)
    }
    pub fn decode(text: &str) -> Option<Self> {
        let (at, id) = text.split_once('.')?;
        let created_at = at.parse().ok()?;
        let ok = !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        ok.then(|| Cursor { created_at, id: id.to_owned() })
    }
}

/// The live candidates a key created, oldest first, after `after`, at most `limit`.
pub async fn list(
    pool: &Pool,
    owner_key: &str,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<CandidateRow>, StoreError> {
    let (at, id) = after.map_or((i64::MIN, String::new()), |c| (c.created_at, c.id.clone()));
    let rows: Vec<CandidateTuple> = sqlx::query_as(&format!(
        "{CANDIDATE_SELECT} WHERE owner_key = $1 AND erased_at IS NULL \
         AND (created_at > $2 OR (created_at = $2 AND id > $3)) ORDER BY created_at, id LIMIT $4"
    ))
    .bind(owner_key)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(candidate_row).collect())
}

/// Identity, profile, warnings, timeline, parse trace id.
pub type StoredCv = (String, String, String, String, String);

pub async fn cv(pool: &Pool, id: &str) -> Result<Option<StoredCv>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT i.identity_json, p.profile_json, p.warnings_json, p.timeline_json, p.trace_id \
         FROM profiles p JOIN identities i ON i.candidate_id = p.candidate_id WHERE p.candidate_id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

pub async fn profile(pool: &Pool, id: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT profile_json FROM profiles WHERE candidate_id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?)
}

#[derive(Debug, Clone, Serialize)]
pub struct SuggestionRow {
    pub trace_id: String,
    pub kind: String,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub created_at: i64,
    pub plugin_id: String,
    pub plugin_version: String,
    pub plugin_digest: String,
    pub posting_id: Option<String>,
}

type SuggestionTuple = (String, String, i64, String, String, String, Option<String>);

fn suggestion(
    (trace_id, kind, created_at, plugin_id, plugin_version, plugin_digest, posting_id): SuggestionTuple,
) -> SuggestionRow {
    SuggestionRow { trace_id, kind, created_at, plugin_id, plugin_version, plugin_digest, posting_id }
}

pub async fn suggestion_by_trace(pool: &Pool, trace_id: &str) -> Result<Option<SuggestionRow>, StoreError> {
    let row: Option<SuggestionTuple> = sqlx::query_as(
        "SELECT trace_id, kind, created_at, plugin_id, plugin_version, plugin_digest, posting_id FROM suggestions WHERE trace_id = $1",
    )
    .bind(trace_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(suggestion))
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessmentRow {
    pub trace_id: String,
    pub posting_id: String,
    pub rank: i64,
    pub candidate_count: i64,
    pub score: f64,
    pub assessment_json: String,
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub created_at: i64,
    pub plugin_id: String,
    pub plugin_version: String,
    pub plugin_digest: String,
}

type AssessmentTuple = (String, String, i64, i64, f64, String, i64, String, String, String);

/// Ranking suggestions about a candidate, oldest first, optionally for one posting.
pub async fn assessments(
    pool: &Pool,
    candidate_id: &str,
    posting: Option<&str>,
) -> Result<Vec<AssessmentRow>, StoreError> {
    const SELECT: &str =
        "SELECT a.trace_id, a.posting_id, a.rank_position, a.candidate_count, a.score, a.assessment_json, \
        a.created_at, s.plugin_id, s.plugin_version, s.plugin_digest \
        FROM assessments a JOIN suggestions s ON s.trace_id = a.trace_id WHERE a.candidate_id = $1";
    // Two statements rather than `$2 IS NULL OR ...`, which PostgreSQL cannot type.
    let rows: Vec<AssessmentTuple> = match posting {
        Some(p) => {
            sqlx::query_as(&format!("{SELECT} AND a.posting_id = $2 ORDER BY a.created_at, a.trace_id"))
                .bind(candidate_id)
                .bind(p)
                .fetch_all(pool)
                .await?
        }
        None => {
            sqlx::query_as(&format!("{SELECT} ORDER BY a.created_at, a.trace_id"))
                .bind(candidate_id)
                .fetch_all(pool)
                .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(
            |(
                trace_id,
                posting_id,
                rank,
                candidate_count,
                score,
                assessment_json,
                created_at,
                plugin_id,
                plugin_version,
                plugin_digest,
            )| {
                AssessmentRow {
                    trace_id,
                    posting_id,
                    rank,
                    candidate_count,
                    score,
                    assessment_json,
                    created_at,
                    plugin_id,
                    plugin_version,
                    plugin_digest,
                }
            },
        )
        .collect())
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionRow {
    pub id: String,
    pub candidate_id: String,
    pub posting_id: Option<String>,
    pub decision: String,
    pub recruiter_id: String,
    pub rationale: Option<String>,
    pub trace_ids: Vec<String>,
    /// When the recruiter decided (given by the SIRH, else the time of receipt).
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub decided_at: i64,
    /// The earlier decision this one replaces, when it contradicts it.
    pub supersedes: Option<String>,
    /// When Vivier recorded it.
    #[serde(serialize_with = "crate::store::as_rfc3339::serialize")]
    pub created_at: i64,
}

pub async fn insert_decision(conn: &mut Conn, d: &DecisionRow, key_id: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO decisions (id, candidate_id, posting_id, decision, recruiter_id, rationale, trace_ids_json, created_at, key_id, \
         decided_at, supersedes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&d.id)
    .bind(&d.candidate_id)
    .bind(&d.posting_id)
    .bind(&d.decision)
    .bind(&d.recruiter_id)
    .bind(&d.rationale)
    .bind(serde_json::to_string(&d.trace_ids).expect("strings serialise"))
    .bind(d.created_at)
    .bind(key_id)
    .bind(d.decided_at)
    .bind(&d.supersedes)
    .execute(&mut *conn)
    .await?;
    // The outcome drives retention: a hired candidate's file leaves the unsuccessful-candidate purge.
    let outcome = match d.decision.as_str() {
        "hired" => Some("hired"),
        "rejected" | "withdrawn" => Some("unsuccessful"),
        _ => None,
    };
    sqlx::query("UPDATE candidates SET last_contact_at = $1, outcome = COALESCE($2, outcome) WHERE id = $3")
        .bind(d.created_at)
        .bind(outcome)
        .bind(&d.candidate_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

type DecisionTuple =
    (String, String, Option<String>, String, String, Option<String>, String, i64, Option<i64>, Option<String>);

const DECISION_SELECT: &str =
    "SELECT id, candidate_id, posting_id, decision, recruiter_id, rationale, trace_ids_json, \
     created_at, decided_at, supersedes FROM decisions";

fn decision_rows(rows: Vec<DecisionTuple>) -> Result<Vec<DecisionRow>, StoreError> {
    rows.into_iter()
        .map(
            |(
                id,
                candidate_id,
                posting_id,
                decision,
                recruiter_id,
                rationale,
                traces,
                created_at,
                decided_at,
                supersedes,
            )| {
                let trace_ids =
                    serde_json::from_str(&traces).map_err(|e| StoreError::Corrupt(format!("decision {id}: {e}")))?;
                Ok(DecisionRow {
                    id,
                    candidate_id,
                    posting_id,
                    decision,
                    recruiter_id,
                    rationale,
                    trace_ids,
                    decided_at: decided_at.unwrap_or(created_at),
                    supersedes,
                    created_at,
                })
            },
        )
        .collect()
}

/// A candidate's decisions, in the order they were recorded.
pub async fn decisions(pool: &Pool, candidate_id: &str) -> Result<Vec<DecisionRow>, StoreError> {
    let rows: Vec<DecisionTuple> =
        sqlx::query_as(&format!("{DECISION_SELECT} WHERE candidate_id = $1 ORDER BY created_at, id"))
            .bind(candidate_id)
            .fetch_all(pool)
            .await?;
    decision_rows(rows)
}

/// The decisions a key recorded, oldest first, after `after`, at most `limit`; optionally only
/// one candidate's or one posting's.
pub async fn decisions_of_key(
    pool: &Pool,
    key_id: &str,
    candidate_id: Option<&str>,
    posting_id: Option<&str>,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<DecisionRow>, StoreError> {
    let (at, id) = after.map_or((i64::MIN, String::new()), |c| (c.created_at, c.id.clone()));
    // Empty strings stand for "any": PostgreSQL cannot type `$n IS NULL` on an untyped bind.
    let rows: Vec<DecisionTuple> = sqlx::query_as(&format!(
        "{DECISION_SELECT} WHERE key_id = $1 AND ($2 = '' OR candidate_id = $2) AND ($3 = '' OR posting_id = $3) \
         AND (created_at > $4 OR (created_at = $4 AND id > $5)) ORDER BY created_at, id LIMIT $6"
    ))
    .bind(key_id)
    .bind(candidate_id.unwrap_or(""))
    .bind(posting_id.unwrap_or(""))
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    decision_rows(rows)
}

/// Erases every personal datum of a candidate; the candidate row stays as an empty tombstone.
/// Returns the number of rows removed.
pub async fn erase(conn: &mut Conn, id: &str, reason: &str, now: i64) -> Result<u64, StoreError> {
    let mut removed = 0;
    for sql in [
        "DELETE FROM identities WHERE candidate_id = $1",
        "DELETE FROM profiles WHERE candidate_id = $1",
        "DELETE FROM assessments WHERE candidate_id = $1",
        "DELETE FROM decisions WHERE candidate_id = $1",
        "DELETE FROM candidate_monitoring WHERE candidate_id = $1",
        // Stored answers of idempotent requests that named the candidate hold its data too.
        "DELETE FROM idempotency_keys WHERE candidate_id = $1",
        // A batch's result keeps the candidate's id, not the file's name (often the person's).
        "UPDATE job_items SET filename = '', external_id = NULL WHERE candidate_id = $1",
    ] {
        removed += sqlx::query(sql).bind(id).execute(&mut *conn).await?.rows_affected();
    }
    // The SIRH's applicant id goes too: it designates the person.
    sqlx::query(
        "UPDATE candidates SET erased_at = $1, erasure_reason = $2, outcome = NULL, external_id = NULL WHERE id = $3",
    )
    .bind(now)
    .bind(reason)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(removed)
}

/// Candidates not hired whose last contact is older than `cutoff_ms`, still holding data.
pub async fn due_for_purge(pool: &Pool, cutoff_ms: i64, limit: i64) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM candidates WHERE erased_at IS NULL AND (outcome IS NULL OR outcome <> 'hired') \
         AND last_contact_at < $1 ORDER BY last_contact_at LIMIT $2",
    )
    .bind(cutoff_ms)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// `(candidate_id, assessment_json)` of every stored candidate of a ranking.
pub async fn assessments_of_trace(pool: &Pool, trace_id: &str) -> Result<Vec<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT candidate_id, assessment_json FROM assessments WHERE trace_id = $1 ORDER BY rank_position",
    )
    .bind(trace_id)
    .fetch_all(pool)
    .await?)
}
