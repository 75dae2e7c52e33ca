//! The audit log (AI Act art. 12, 19, 26(6)): append-only and hash-chained.
//!
//! Each row's hash covers its sequence number, time, kind, actor, payload and the previous row's
//! hash, so altering or removing a row breaks every link after it. Payloads carry digests and
//! opaque ids, never personal data in clear. Appends share the transaction of the change they
//! record: a change is committed with its audit row or not at all, and if the audit write fails
//! the operation fails. Purging old rows leaves a checkpoint (the last purged row's seq and
//! hash), itself recorded in the chain, from which the remaining rows still verify.

pub mod replay;

use crate::store::{now_ms, Conn, Store, StoreError, Tx};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// The request an audit row was written for (see `server::request_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    /// The client's `X-Request-Id`, or one made by the server.
    pub request_id: String,
    /// The trace id of the client's W3C `traceparent`, when it sent a valid one.
    pub trace_id: Option<String>,
}

tokio::task_local! {
    /// The HTTP request being served, if any: its ids go into every row it appends.
    pub static REQUEST: RequestContext;
}

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone)]
pub struct Event {
    pub kind: &'static str,
    /// Who acted: an API key id, `cli`, or `system`.
    pub actor: String,
    pub payload: Value,
}

impl Event {
    pub fn new(kind: &'static str, actor: impl Into<String>, payload: Value) -> Self {
        Self { kind, actor: actor.into(), payload }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Row {
    pub seq: i64,
    pub at_ms: i64,
    pub kind: String,
    pub actor: String,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The columns of [`Row`], in the order of [`RowTuple`].
pub(crate) const ROW_COLUMNS: &str = "seq, at_ms, kind, actor, payload, prev_hash, hash";

/// A row as sqlx reads [`ROW_COLUMNS`].
pub(crate) type RowTuple = (i64, i64, String, String, String, String, String);

impl From<RowTuple> for Row {
    fn from((seq, at_ms, kind, actor, payload, prev_hash, hash): RowTuple) -> Self {
        Row { seq, at_ms, kind, actor, payload, prev_hash, hash }
    }
}

pub fn row_hash(seq: i64, at_ms: i64, kind: &str, actor: &str, payload: &str, prev_hash: &str) -> String {
    // A JSON array is an unambiguous encoding of the fields, whatever characters they hold.
    let canonical = serde_json::to_vec(&(1, seq, at_ms, kind, actor, payload, prev_hash)).expect("strings serialise");
    hex::encode(Sha256::digest(canonical))
}

/// The audit log of a store. Appends within one process are serialised by a lock; across
/// processes (replicas) by the database's write lock that every audited transaction takes first
/// ([`Store::begin_write`]: `BEGIN IMMEDIATE` on SQLite, an advisory lock on PostgreSQL). Should
/// two writers still race for one seq, the primary key makes one transaction fail rather than
/// fork the chain.
#[derive(Debug, Clone)]
pub struct Audit {
    store: Store,
    lock: Arc<Mutex<()>>,
}

/// A write transaction holding the audit lock: domain changes and their audit rows commit together.
pub struct AuditTx {
    pub tx: Tx,
    _guard: OwnedMutexGuard<()>,
    appended: Vec<i64>,
}

impl AuditTx {
    pub fn conn(&mut self) -> &mut Conn {
        &mut self.tx
    }

    pub async fn append(&mut self, event: Event) -> Result<i64, StoreError> {
        let seq = append(&mut self.tx, &event).await?;
        self.appended.push(seq);
        Ok(seq)
    }

    pub async fn commit(self) -> Result<Vec<i64>, StoreError> {
        self.tx.commit().await?;
        Ok(self.appended)
    }
}

/// The last row's seq and hash, or the latest checkpoint's when every row was purged.
async fn head(conn: &mut Conn) -> Result<(i64, String), StoreError> {
    let last: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetch_optional(&mut *conn).await?;
    if let Some(last) = last {
        return Ok(last);
    }
    let cp: Option<(i64, String)> = sqlx::query_as("SELECT seq, hash FROM audit_checkpoints ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    Ok(cp.unwrap_or((0, GENESIS.to_owned())))
}

async fn append(conn: &mut Conn, event: &Event) -> Result<i64, StoreError> {
    let (last_seq, prev_hash) = head(conn).await?;
    let seq = last_seq + 1;
    let at_ms = now_ms();
    // Outside a request (CLI, background jobs) the payload is written as it is, without a copy.
    let payload = match REQUEST.try_with(Clone::clone) {
        Ok(ctx) if event.payload.is_object() => {
            let mut value = event.payload.clone();
            value["request"] = serde_json::json!({ "id": ctx.request_id, "trace_id": ctx.trace_id });
            serde_json::to_string(&value)
        }
        _ => serde_json::to_string(&event.payload),
    }
    .expect("JSON values serialise");
    let hash = row_hash(seq, at_ms, event.kind, &event.actor, &payload, &prev_hash);
    sqlx::query(
        "INSERT INTO audit_log (seq, at_ms, kind, actor, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(seq)
    .bind(at_ms)
    .bind(event.kind)
    .bind(&event.actor)
    .bind(&payload)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    Ok(seq)
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub valid: bool,
    pub rows: i64,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    /// Hash of the last row: anchor it elsewhere to detect truncation of the tail.
    pub head_hash: Option<String>,
    pub checkpoint: Option<Checkpoint>,
    pub first_broken: Option<BrokenLink>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub purged_rows: i64,
}

impl Audit {
    pub fn new(store: Store) -> Self {
        Self { store, lock: Arc::new(Mutex::new(())) }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub async fn begin(&self) -> Result<AuditTx, StoreError> {
        let guard = self.lock.clone().lock_owned().await;
        let tx = self.store.begin_write().await?;
        Ok(AuditTx { tx, _guard: guard, appended: vec![] })
    }

    /// Appends one event in its own transaction.
    pub async fn record(&self, event: Event) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let seq = tx.append(event).await?;
        tx.commit().await?;
        Ok(seq)
    }

    /// Events from `after` (exclusive), oldest first.
    pub async fn rows(&self, after: i64, limit: i64) -> Result<Vec<Row>, StoreError> {
        let rows: Vec<RowTuple> =
            sqlx::query_as(&format!("SELECT {ROW_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"))
                .bind(after)
                .bind(limit)
                .fetch_all(self.store.pool())
                .await?;
        Ok(rows.into_iter().map(Row::from).collect())
    }

    /// Walks the whole chain and reports the first broken link.
    pub async fn verify(&self) -> Result<Verification, StoreError> {
        let checkpoints: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT seq, hash, purged_rows FROM audit_checkpoints ORDER BY seq")
                .fetch_all(self.store.pool())
                .await?;
        let mut out = Verification {
            valid: true,
            rows: 0,
            first_seq: None,
            last_seq: None,
            head_hash: None,
            checkpoint: None,
            first_broken: None,
        };
        let mut expected: Option<(i64, String)> = None;
        let mut checkpoint_recorded = false;
        let mut after = 0;
        loop {
            let page = self.rows(after, 2000).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for row in page {
                if out.first_broken.is_some() {
                    break;
                }
                let (prev_seq, prev_hash) = match &expected {
                    Some(e) => e.clone(),
                    None => {
                        // The first remaining row follows the genesis or the checkpoint of the purge.
                        out.first_seq = Some(row.seq);
                        if row.seq == 1 {
                            (0, GENESIS.to_owned())
                        } else if let Some((seq, hash, purged)) = checkpoints.iter().find(|c| c.0 == row.seq - 1) {
                            out.checkpoint = Some(Checkpoint { seq: *seq, hash: hash.clone(), purged_rows: *purged });
                            (*seq, hash.clone())
                        } else {
                            out.first_broken = Some(BrokenLink {
                                seq: row.seq,
                                reason: format!("rows before {} are missing and no checkpoint covers them", row.seq),
                            });
                            break;
                        }
                    }
                };
                let broken = |reason: String| Some(BrokenLink { seq: row.seq, reason });
                if row.seq != prev_seq + 1 {
                    out.first_broken = broken(format!("row {} is missing", prev_seq + 1));
                } else if row.prev_hash != prev_hash {
                    out.first_broken = broken(format!("does not link to row {prev_seq} (previous hash differs)"));
                } else if row_hash(row.seq, row.at_ms, &row.kind, &row.actor, &row.payload, &row.prev_hash) != row.hash
                {
                    out.first_broken = broken("content does not match its hash (altered)".into());
                }
                if let Some(cp) = &out.checkpoint {
                    if row.kind == "audit.checkpoint" {
                        let p: Value = serde_json::from_str(&row.payload).unwrap_or_default();
                        checkpoint_recorded |= p["seq"] == cp.seq && p["hash"] == cp.hash.as_str();
                    }
                }
                out.rows += 1;
                out.last_seq = Some(row.seq);
                out.head_hash = Some(row.hash.clone());
                expected = Some((row.seq, row.hash));
            }
            if out.first_broken.is_some() {
                break;
            }
        }
        if out.first_broken.is_none() {
            if let (Some(cp), false) = (&out.checkpoint, checkpoint_recorded) {
                out.first_broken = Some(BrokenLink {
                    seq: cp.seq + 1,
                    reason: format!("checkpoint {} is not recorded in the chain (altered checkpoint?)", cp.seq),
                });
            }
        }
        if out.rows == 0 && out.first_broken.is_none() && !checkpoints.is_empty() {
            out.first_broken =
                Some(BrokenLink { seq: 0, reason: "every row is gone, including the checkpoint record".into() });
        }
        out.valid = out.first_broken.is_none();
        Ok(out)
    }

    /// Purges rows older than `cutoff_ms`, keeping a checkpoint. The newest row is never purged,
    /// and the checkpoint is itself appended to the chain. Returns the number of rows purged.
    pub async fn purge_before(&self, cutoff_ms: i64) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let last: Option<(i64, String)> = sqlx::query_as(
            "SELECT seq, hash FROM audit_log WHERE at_ms < $1 AND seq < (SELECT MAX(seq) FROM audit_log) ORDER BY seq DESC LIMIT 1",
        )
        .bind(cutoff_ms)
        .fetch_optional(tx.conn())
        .await?;
        let Some((seq, hash)) = last else {
            return Ok(0);
        };
        let purged =
            sqlx::query("DELETE FROM audit_log WHERE seq <= $1").bind(seq).execute(tx.conn()).await?.rows_affected()
                as i64;
        sqlx::query(
            "INSERT INTO audit_checkpoints (seq, hash, created_at, purged_rows) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(seq)
        .bind(&hash)
        .bind(now_ms())
        .bind(purged)
        .execute(tx.conn())
        .await?;
        tx.append(Event::new(
            "audit.checkpoint",
            "system",
            serde_json::json!({ "seq": seq, "hash": hash, "purged_rows": purged, "cutoff_ms": cutoff_ms }),
        ))
        .await?;
        tx.commit().await?;
        Ok(purged)
    }
}
