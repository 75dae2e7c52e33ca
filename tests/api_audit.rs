//! The audit chain on a real SQLite file and on a real PostgreSQL database (every test runs on
//! both): tampering and removal are caught at the first broken link; purging old rows behind a
//! checkpoint keeps the rest verifiable.

#[macro_use]
mod pg;

use serde_json::json;
use vivier::audit::{Audit, Event};
use vivier::store::Store;

use pg::Db;

on_both_backends!(
    an_intact_chain_verifies,
    an_altered_row_is_the_first_broken_link,
    a_rehashed_row_breaks_the_next_link,
    a_removed_row_is_reported,
    purging_behind_a_checkpoint_keeps_the_chain_verifiable,
);

async fn chain(db: Db, n: usize) -> (tempfile::TempDir, Audit) {
    let dir = tempfile::tempdir().unwrap();
    let url = db.url();
    let store = Store::connect(dir.path(), url.as_deref()).await.unwrap();
    let audit = Audit::new(store);
    for i in 0..n {
        audit
            .record(Event::new("test.event", "key_test", json!({ "i": i, "digest": format!("{i:064}") })))
            .await
            .unwrap();
    }
    (dir, audit)
}

async fn exec(audit: &Audit, sql: &str) {
    sqlx::query(sql).execute(audit.store().pool()).await.unwrap();
}

async fn an_intact_chain_verifies(db: Db) {
    let (_d, audit) = chain(db, 50).await;
    let v = audit.verify().await.unwrap();
    assert!(v.valid);
    assert_eq!((v.rows, v.first_seq, v.last_seq), (50, Some(1), Some(50)));
    assert!(v.first_broken.is_none());
}

async fn an_altered_row_is_the_first_broken_link(db: Db) {
    let (_d, audit) = chain(db, 30).await;
    exec(&audit, "UPDATE audit_log SET payload = '{\"i\":999}' WHERE seq = 17").await;
    let v = audit.verify().await.unwrap();
    assert!(!v.valid);
    let broken = v.first_broken.unwrap();
    assert_eq!(broken.seq, 17);
    assert!(broken.reason.contains("altered"), "{}", broken.reason);
}

async fn a_rehashed_row_breaks_the_next_link(db: Db) {
    let (_d, audit) = chain(db, 30).await;
    // A forger who recomputes the altered row's hash still breaks the link of the row after it.
    let (at, prev): (i64, String) = sqlx::query_as("SELECT at_ms, prev_hash FROM audit_log WHERE seq = 9")
        .fetch_one(audit.store().pool())
        .await
        .unwrap();
    let hash = vivier::audit::row_hash(9, at, "test.event", "key_test", "{\"i\":0}", &prev);
    sqlx::query("UPDATE audit_log SET payload = '{\"i\":0}', hash = $1 WHERE seq = 9")
        .bind(hash)
        .execute(audit.store().pool())
        .await
        .unwrap();
    let v = audit.verify().await.unwrap();
    assert_eq!(v.first_broken.unwrap().seq, 10);
}

async fn a_removed_row_is_reported(db: Db) {
    let (_d, audit) = chain(db, 30).await;
    exec(&audit, "DELETE FROM audit_log WHERE seq = 12").await;
    let v = audit.verify().await.unwrap();
    let broken = v.first_broken.unwrap();
    assert_eq!(broken.seq, 13);
    assert!(broken.reason.contains("row 12 is missing"), "{}", broken.reason);
    // Removing the first rows without a checkpoint is caught too.
    let (_d, audit) = chain(db, 10).await;
    exec(&audit, "DELETE FROM audit_log WHERE seq <= 3").await;
    assert_eq!(audit.verify().await.unwrap().first_broken.unwrap().seq, 4);
}

async fn purging_behind_a_checkpoint_keeps_the_chain_verifiable(db: Db) {
    let (_d, audit) = chain(db, 40).await;
    // Age the first 25 rows by a year.
    exec(&audit, "UPDATE audit_log SET at_ms = at_ms - 31536000000 WHERE seq <= 25").await;
    // Their hashes now fail, so rebuild the chain as if they had been written back then.
    rehash_all(&audit).await;
    assert!(audit.verify().await.unwrap().valid);
    let cutoff = vivier::store::now_ms() - 183 * 86_400_000;
    assert_eq!(audit.purge_before(cutoff).await.unwrap(), 25);
    let v = audit.verify().await.unwrap();
    assert!(v.valid, "{v:?}");
    assert_eq!(v.first_seq, Some(26));
    assert_eq!(v.checkpoint.as_ref().unwrap().seq, 25);
    assert_eq!(v.rows, 16); // 15 remaining + the checkpoint record
                            // Appends continue the chain; a second purge with nothing old is a no-op.
    audit.record(Event::new("test.event", "key_test", json!({}))).await.unwrap();
    assert_eq!(audit.purge_before(cutoff).await.unwrap(), 0);
    assert!(audit.verify().await.unwrap().valid);
    // Forging the checkpoint is caught.
    exec(&audit, "UPDATE audit_checkpoints SET hash = '00' WHERE seq = 25").await;
    assert!(!audit.verify().await.unwrap().valid);
}

async fn rehash_all(audit: &Audit) {
    let rows = audit.rows(0, 10_000).await.unwrap();
    let mut prev = vivier::audit::GENESIS.to_owned();
    for r in rows {
        let hash = vivier::audit::row_hash(r.seq, r.at_ms, &r.kind, &r.actor, &r.payload, &prev);
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3")
            .bind(&prev)
            .bind(&hash)
            .bind(r.seq)
            .execute(audit.store().pool())
            .await
            .unwrap();
        prev = hash;
    }
}
