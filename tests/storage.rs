//! The store's repositories on both backends, a real SQLite file and a real PostgreSQL database
//! (a throwaway cluster, see `pg/mod.rs`): every test runs on each.

#[macro_use]
mod pg;

use serde_json::json;
use vivier::audit::{Audit, Event};
use vivier::auth::{self, Role};
use vivier::store::candidates::{self, DecisionRow, NewParse};
use vivier::store::slots::{self, SlotRow};
use vivier::store::{bundles, keys, now_ms, Backend, Store, StoreError};

use pg::Db;

on_both_backends!(
    migrations_apply_once_and_reopen,
    replicas_opening_at_once_migrate_once,
    keys_round_trip_and_revoke,
    slots_and_flags_round_trip,
    candidates_decisions_and_erasure,
    concurrent_writers_keep_one_chain,
    bundles_are_content_addressed_and_materialised,
);

/// A store on a fresh database, and the URL to open it again (None: the SQLite file).
async fn open(db: Db) -> (tempfile::TempDir, Store, Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let url = db.url();
    let store = Store::connect(dir.path(), url.as_deref()).await.unwrap();
    let expected = match db {
        Db::Sqlite => Backend::Sqlite,
        Db::Postgres => Backend::Postgres,
    };
    assert_eq!(store.backend(), expected);
    (dir, store, url)
}

async fn migrations_apply_once_and_reopen(db: Db) {
    let (dir, store, url) = open(db).await;
    let applied = store.migrations().await.unwrap();
    assert!(applied.contains(&1) && applied.contains(&5), "{applied:?}");
    let id = keys::insert(store.pool(), Role::Sirh, "h1", Some("kept")).await.unwrap();
    store.close().await;
    // Opening again applies nothing twice and loses nothing.
    let again = Store::connect(dir.path(), url.as_deref()).await.unwrap();
    assert_eq!(again.migrations().await.unwrap(), applied);
    assert_eq!(keys::find_by_hash(again.pool(), "h1").await.unwrap().unwrap().id, id);
}

/// Replicas starting together on an empty database: each migration is applied exactly once.
async fn replicas_opening_at_once_migrate_once(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = db.url();
    // Four connections opening at once (interleaved in one task: the races are in the database).
    let (p, u) = (dir.path(), url.as_deref());
    let (a, b, c, d) =
        tokio::join!(Store::connect(p, u), Store::connect(p, u), Store::connect(p, u), Store::connect(p, u));
    let stores: Vec<Store> = [a, b, c, d].into_iter().map(|s| s.expect("every replica opens")).collect();
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM schema_migrations").fetch_one(stores[0].pool()).await.unwrap();
    assert_eq!(n as usize, stores[0].migrations().await.unwrap().len());
    assert!(stores[0].migrations().await.unwrap().contains(&5));
}

async fn keys_round_trip_and_revoke(db: Db) {
    let (_d, store, _) = open(db).await;
    let (id, key) = auth::create_key(store.pool(), Role::Admin, Some("ops")).await.unwrap();
    let caller = auth::authenticate(store.pool(), &key).await.unwrap().expect("the new key authenticates");
    assert_eq!((caller.key_id.as_str(), caller.role), (id.as_str(), Role::Admin));
    let listed = keys::list(store.pool()).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].label.as_deref(), Some("ops"));
    assert!(listed[0].revoked_at.is_none());
    assert!(keys::revoke(store.pool(), &id).await.unwrap());
    assert!(!keys::revoke(store.pool(), &id).await.unwrap(), "a key is revoked once");
    assert!(auth::authenticate(store.pool(), &key).await.unwrap().is_none());
    assert!(keys::list(store.pool()).await.unwrap()[0].revoked_at.is_some());
}

async fn slots_and_flags_round_trip(db: Db) {
    let (_d, store, _) = open(db).await;
    let mut row = SlotRow {
        world: "cv-parser".into(),
        active: "a@1.0.0".into(),
        previous: None,
        pinned: true,
        stopped: false,
        failure_policy: "retry-once".into(),
        updated_at: 42,
    };
    let mut tx = store.begin_write().await.unwrap();
    slots::save(&mut tx, &row).await.unwrap();
    slots::set_enabled(&mut tx, "a@1.0.0", true, 1).await.unwrap();
    slots::set_enabled(&mut tx, "b@2.0.0", false, 1).await.unwrap();
    tx.commit().await.unwrap();
    row.previous = Some("a@1.0.0".into());
    row.active = "b@2.0.0".into();
    row.stopped = true;
    row.pinned = false;
    let mut tx = store.begin_write().await.unwrap();
    slots::save(&mut tx, &row).await.unwrap();
    tx.commit().await.unwrap();
    let all = slots::all(store.pool()).await.unwrap();
    assert_eq!(all.len(), 1);
    let got = &all[0];
    assert_eq!((got.active.as_str(), got.previous.as_deref()), ("b@2.0.0", Some("a@1.0.0")));
    assert_eq!((got.pinned, got.stopped, got.failure_policy.as_str(), got.updated_at), (false, true, "retry-once", 42));
    assert_eq!(slots::disabled(store.pool()).await.unwrap(), vec!["b@2.0.0".to_owned()]);
}

async fn candidates_decisions_and_erasure(db: Db) {
    let (_d, store, _) = open(db).await;
    let now = now_ms();
    let mut tx = store.begin_write().await.unwrap();
    candidates::insert_parsed(
        &mut tx,
        &NewParse {
            candidate_id: "c_1",
            identity_json: r#"{"name":"Camille Martin"}"#,
            profile_json: r#"{"skills":["paie"]}"#,
            warnings_json: "[]",
            timeline_json: "{}",
            trace_id: "t_parse",
            document_digest: "d1",
            external_id: Some("APP-1"),
            owner_key: "key_x",
            now,
        },
    )
    .await
    .unwrap();
    let plugin = vivier::runtime::PluginRef {
        id: "m".into(),
        version: "1.0.0".into(),
        digest: "ab".into(),
        world: vivier::world::World::SkillsMatcher,
    };
    candidates::insert_suggestion(
        &mut tx,
        &candidates::NewSuggestion {
            trace_id: "t_rank",
            kind: "ranking",
            plugin: &plugin,
            posting_id: Some("p1"),
            key_id: "key_x",
            now,
        },
    )
    .await
    .unwrap();
    candidates::insert_assessment(&mut tx, "t_rank", "c_1", "p1", 1, 3, 0.75, "{}", now).await.unwrap();
    let decision = DecisionRow {
        id: "d_1".into(),
        candidate_id: "c_1".into(),
        posting_id: Some("p1".into()),
        decision: "hired".into(),
        recruiter_id: "r1".into(),
        rationale: None,
        trace_ids: vec!["t_rank".into()],
        decided_at: now,
        supersedes: None,
        created_at: now + 1,
    };
    candidates::insert_decision(&mut tx, &decision, "key_x").await.unwrap();
    tx.commit().await.unwrap();

    let a = candidates::assessments(store.pool(), "c_1", Some("p1")).await.unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!((a[0].rank, a[0].candidate_count, a[0].score), (1, 3, 0.75));
    assert_eq!(candidates::assessments(store.pool(), "c_1", None).await.unwrap().len(), 1);
    assert!(candidates::assessments(store.pool(), "c_1", Some("p2")).await.unwrap().is_empty());
    let d = candidates::decisions(store.pool(), "c_1").await.unwrap();
    assert_eq!((d.len(), d[0].trace_ids.clone(), d[0].rationale.clone()), (1, vec!["t_rank".to_owned()], None));
    let c = candidates::get(store.pool(), "c_1").await.unwrap().unwrap();
    assert_eq!(c.outcome.as_deref(), Some("hired"));
    // The SIRH's applicant id finds the candidate for its key only; lists page by cursor.
    let mut conn = store.pool().acquire().await.unwrap();
    assert_eq!(
        candidates::by_external_id(&mut conn, "key_x", "APP-1").await.unwrap().map(|c| c.id).as_deref(),
        Some("c_1")
    );
    assert!(candidates::by_external_id(&mut conn, "key_y", "APP-1").await.unwrap().is_none());
    drop(conn);
    let page = candidates::list(store.pool(), "key_x", None, 10).await.unwrap();
    assert_eq!(page.len(), 1);
    let after = candidates::Cursor { created_at: page[0].created_at, id: page[0].id.clone() };
    assert!(candidates::list(store.pool(), "key_x", Some(&after), 10).await.unwrap().is_empty());
    let mine = candidates::decisions_of_key(store.pool(), "key_x", Some("c_1"), None, None, 10).await.unwrap();
    assert_eq!((mine.len(), mine[0].decided_at), (1, now));
    assert_eq!(candidates::decisions_of_key(store.pool(), "key_x", None, Some("p1"), None, 10).await.unwrap().len(), 1);
    assert!(candidates::decisions_of_key(store.pool(), "key_x", None, Some("p2"), None, 10).await.unwrap().is_empty());
    assert!(candidates::decisions_of_key(store.pool(), "key_y", None, None, None, 10).await.unwrap().is_empty());
    // A hired candidate leaves the purge; erasure removes the personal data and keeps a tombstone.
    assert!(candidates::due_for_purge(store.pool(), now + 10, 10).await.unwrap().is_empty());
    let mut tx = store.begin_write().await.unwrap();
    assert_eq!(candidates::erase(&mut tx, "c_1", "request", now + 2).await.unwrap(), 4);
    tx.commit().await.unwrap();
    assert!(candidates::cv(store.pool(), "c_1").await.unwrap().is_none());
    assert!(candidates::get(store.pool(), "c_1").await.unwrap().unwrap().erased_at.is_some());
}

/// Two stores on one database stand for two replicas: their appends interleave into one chain.
async fn concurrent_writers_keep_one_chain(db: Db) {
    let (dir, store, url) = open(db).await;
    let other = Store::connect(dir.path(), url.as_deref()).await.unwrap();
    let mut tasks = Vec::new();
    for (w, s) in [store.clone(), other.clone(), store.clone(), other].into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            // A fresh Audit per writer: no in-process lock is shared, only the database's.
            let audit = Audit::new(s);
            for i in 0..40 {
                audit.record(Event::new("test.event", format!("w{w}"), json!({ "i": i }))).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let v = Audit::new(store).verify().await.unwrap();
    assert!(v.valid, "{v:?}");
    assert_eq!((v.rows, v.first_seq, v.last_seq), (160, Some(1), Some(160)));
}

async fn bundles_are_content_addressed_and_materialised(db: Db) {
    let (_d, store, _) = open(db).await;
    let bundle = vivier::builtin::bundles().unwrap().into_iter().next().unwrap();
    let mut tx = store.begin_write().await.unwrap();
    bundles::save(&mut tx, &bundle).await.unwrap();
    // Saving again changes nothing; the same bytes are one blob.
    bundles::save(&mut tx, &bundle).await.unwrap();
    let again = bundles::put_blob(&mut tx, &bundle.component).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(again, bundle.digest, "a blob is keyed by the sha256 of its bytes");
    let rows = bundles::list(store.pool()).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(bundles::blob(store.pool(), &bundle.digest).await.unwrap(), bundle.component);

    // Another replica's empty data directory gets the bundle, byte for byte, and reads it back.
    let replica = tempfile::tempdir().unwrap();
    let written = bundles::materialise(store.pool(), replica.path()).await.unwrap();
    assert_eq!(written, vec![rows[0].plugin_ref.clone()]);
    let m = &bundle.manifest.plugin;
    let read = vivier::bundle::Bundle::read(&replica.path().join("plugins").join(&m.id).join(&m.version)).unwrap();
    assert_eq!((read.digest, read.manifest_bytes), (bundle.digest.clone(), bundle.manifest_bytes.clone()));
    assert!(bundles::materialise(store.pool(), replica.path()).await.unwrap().is_empty(), "written once");

    // A blob altered in the database is refused, not written out.
    sqlx::query("UPDATE blobs SET data_b64 = 'AAAA' WHERE digest = $1")
        .bind(&bundle.digest)
        .execute(store.pool())
        .await
        .unwrap();
    let err = bundles::blob(store.pool(), &bundle.digest).await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
}

#[tokio::test]
async fn an_unsupported_database_url_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::connect(dir.path(), Some("mysql://root:secret@localhost/v")).await.unwrap_err();
    assert!(matches!(err, StoreError::BadUrl(_)), "{err}");
    let text = err.to_string();
    assert!(text.contains("postgres://") && !text.contains("secret"), "{text}");
}
