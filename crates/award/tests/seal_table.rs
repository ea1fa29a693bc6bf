//! The sealed score log detects any tampering.

use kehoach_award::{
    Criterion, GENESIS, KeptScore, LogEntry, LogKind, LoggedRow, SealError, SealKey, Settled,
    VerifyError, VerifyReason, canonical_payload, chain, chain_hex, check_round, hashes, seal,
    verify, verify_seal,
};

fn key() -> SealKey {
    SealKey::new(&[7u8; 32]).unwrap()
}

fn log() -> Vec<LogEntry> {
    (1..=5)
        .map(|i| LogEntry {
            seq: i,
            kind: LogKind::Score,
            entry: 100 + i as i64,
            judge: 7 + (i as i64 % 2),
            payload: canonical_payload(
                &[("noi-dung".into(), 8), ("chu-de".into(), i as u32)],
                "Bài viết tốt, cần \"trích dẫn\" rõ hơn",
            ),
            at_ms: 1_700_000_000_000 + i as i64 * 60_000,
        })
        .collect()
}

#[test]
fn chain_and_seal_agree() {
    let l = log();
    let hs = hashes(&key(), &l);
    assert_eq!(hs.len(), 5);
    assert!(
        hs.iter()
            .all(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    );
    assert_eq!(seal(&key(), &l), hs[4]);
    assert_eq!(seal(&key(), &[]), GENESIS);
    assert_eq!(chain(&key(), &[0; 32], &l[0]), hs[0]);
    assert_eq!(chain_hex(&key(), GENESIS, &l[0]).unwrap(), hs[0]);
    assert_eq!(chain_hex(&key(), &hs[0], &l[1]).unwrap(), hs[1]);
    assert!(chain_hex(&key(), "zz", &l[0]).is_none());
    assert_eq!(verify(&key(), &l, &hs), Ok(()));
    assert_eq!(verify_seal(&key(), &l, &hs[4].to_uppercase()), Ok(()));
    // Stable across builds: the encoding is part of the record.
    assert_eq!(seal(&key(), &l), seal(&key(), &log()));
}

/// A named change to one log row.
type Mutation = (&'static str, fn(&mut LogEntry));

#[test]
fn changing_any_field_is_detected() {
    let hs = hashes(&key(), &log());
    let mutations: Vec<Mutation> = vec![
        ("entry", |r| r.entry += 1),
        ("judge", |r| r.judge = 99),
        ("kind", |r| r.kind = LogKind::Withdraw),
        ("at_ms", |r| r.at_ms -= 1),
        ("payload", |r| r.payload = r.payload.replace("8", "9")),
        ("payload comment", |r| r.payload.push(' ')),
    ];
    for (name, m) in &mutations {
        for i in 0..5 {
            let mut l = log();
            m(&mut l[i]);
            let err = verify(&key(), &l, &hs).unwrap_err();
            assert_eq!(err.seq, i as u64 + 1, "{name} at {i}");
            assert!(
                matches!(err.reason, VerifyReason::HashMismatch { .. }),
                "{name}"
            );
            assert!(verify_seal(&key(), &l, &hs[4]).is_err(), "{name}");
        }
    }
    // Changing seq is caught as out of sequence.
    let mut l = log();
    l[2].seq = 9;
    let err = verify(&key(), &l, &hs).unwrap_err();
    assert_eq!(
        (err.seq, err.reason),
        (3, VerifyReason::OutOfSequence { found: 9 })
    );
}

#[test]
fn reorder_insert_delete_detected() {
    let hs = hashes(&key(), &log());

    // Swap two rows, renumbering them so the sequence looks right.
    let mut l = log();
    l.swap(1, 2);
    l[1].seq = 2;
    l[2].seq = 3;
    let err = verify(&key(), &l, &hs).unwrap_err();
    assert_eq!(err.seq, 2);
    assert!(matches!(err.reason, VerifyReason::HashMismatch { .. }));
    // Swapped without renumbering.
    let mut l = log();
    l.swap(1, 2);
    assert_eq!(
        verify(&key(), &l, &hs).unwrap_err().reason,
        VerifyReason::OutOfSequence { found: 3 }
    );

    // Delete a row and renumber the rest: hash breaks at the deleted place.
    let mut l = log();
    l.remove(1);
    for (i, r) in l.iter_mut().enumerate() {
        r.seq = i as u64 + 1;
    }
    assert_eq!(verify(&key(), &l, &hs).unwrap_err().seq, 2);
    assert!(verify_seal(&key(), &l, &hs[4]).is_err());
    // Delete the last row: its stored hash has no row.
    let mut l = log();
    l.pop();
    assert_eq!(
        verify(&key(), &l, &hs).unwrap_err().reason,
        VerifyReason::MissingRow
    );
    assert_eq!(verify(&key(), &l, &hs).unwrap_err().seq, 5);

    // Insert a row (renumbered) in the middle.
    let mut l = log();
    let mut extra = l[0].clone();
    extra.entry = 999;
    l.insert(2, extra);
    for (i, r) in l.iter_mut().enumerate() {
        r.seq = i as u64 + 1;
    }
    assert_eq!(verify(&key(), &l, &hs).unwrap_err().seq, 3);
    // Append a row with no stored hash.
    let mut l = log();
    let mut extra = l[4].clone();
    extra.seq = 6;
    l.push(extra);
    assert_eq!(
        verify(&key(), &l, &hs).unwrap_err().reason,
        VerifyReason::ExtraRow
    );

    // Rewriting a stored hash is caught at that row.
    let mut forged = hs.clone();
    forged[3] = GENESIS.to_string();
    assert_eq!(verify(&key(), &log(), &forged).unwrap_err().seq, 4);
}

#[test]
fn length_prefixes_keep_fields_apart() {
    // Moving a digit between adjacent fields must change the hash.
    let a = LogEntry {
        seq: 1,
        kind: LogKind::Score,
        entry: 12,
        judge: 3,
        payload: "x".into(),
        at_ms: 0,
    };
    let b = LogEntry {
        seq: 1,
        kind: LogKind::Score,
        entry: 1,
        judge: 23,
        payload: "x".into(),
        at_ms: 0,
    };
    assert_ne!(seal(&key(), &[a]), seal(&key(), &[b]));
}

#[test]
fn canonical_payload_is_canonical() {
    let p1 = canonical_payload(&[("b".into(), 2), ("a".into(), 1)], "Tốt\n\"hay\"\\\u{1}");
    let p2 = canonical_payload(&[("a".into(), 1), ("b".into(), 2)], "Tốt\n\"hay\"\\\u{1}");
    assert_eq!(p1, p2);
    assert_eq!(
        p1,
        r#"{"comment":"Tốt\n\"hay\"\\\u0001","marks":{"a":1,"b":2}}"#
    );
    assert_eq!(canonical_payload(&[], ""), r#"{"comment":"","marks":{}}"#);
}

#[test]
fn the_chain_is_keyed() {
    let l = log();
    let other = SealKey::new(&[8u8; 32]).unwrap();
    assert_ne!(seal(&key(), &l), seal(&other, &l));
    assert_ne!(seal(&key(), &l), seal(&SealKey::unkeyed(), &l));
    // Rebuilding every hash without the key does not match the keyed log.
    let forged = hashes(&SealKey::unkeyed(), &l);
    assert_eq!(verify(&key(), &l, &forged).unwrap_err().seq, 1);
    assert_eq!(key().id().len(), 16);
    assert_ne!(key().id(), other.id());
    assert!(SealKey::new(&[1u8; 31]).is_err());
    assert!(!format!("{:?}", key()).contains("7, 7"));
}

/// Judge 7's kept sheets: entry, marks, comment.
type Sheet = (i64, Vec<(String, u32)>, String);

const SETTINGS: &str = r#"{"scale":10}"#;

fn criteria() -> Vec<Criterion> {
    vec![Criterion {
        key: "noi-dung".into(),
        weight: 1,
    }]
}

/// A sealed round: two sheets by judge 7, a third saved and withdrawn, and
/// the settings it closed with.
fn round() -> (Vec<LoggedRow>, Vec<Sheet>) {
    let kept: Vec<Sheet> = vec![
        (101, vec![("noi-dung".into(), 8)], "Bài tốt".into()),
        // "Rất hay" with ệ composed, as the judge's form stores it.
        (102, vec![("noi-dung".into(), 6)], "R\u{1ec7}t hay".into()),
    ];
    let mut rows: Vec<(LogKind, i64, String)> = kept
        .iter()
        .map(|(e, m, c)| (LogKind::Score, *e, canonical_payload(m, c)))
        .collect();
    rows.push((LogKind::Score, 103, canonical_payload(&kept[0].1, "")));
    rows.push((LogKind::Withdraw, 103, String::new()));
    rows.push((LogKind::Settings, 0, SETTINGS.into()));
    let rows: Vec<LogEntry> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (kind, entry, payload))| LogEntry {
            seq: i as u64 + 1,
            kind,
            entry,
            judge: if kind == LogKind::Settings { 1 } else { 7 },
            payload,
            at_ms: 1_700_000_000_000 + i as i64,
        })
        .collect();
    let log = rows
        .iter()
        .cloned()
        .zip(hashes(&key(), &rows))
        .map(|(row, hash)| LoggedRow { row, hash })
        .collect();
    (log, kept)
}

fn check(log: &[LoggedRow], kept: &[Sheet], settings: &str) -> Result<String, SealError> {
    check_with_totals(log, kept, settings, |m| i64::from(m[0].1) * 1000)
}

fn check_with_totals(
    log: &[LoggedRow],
    kept: &[Sheet],
    settings: &str,
    total: fn(&[(String, u32)]) -> i64,
) -> Result<String, SealError> {
    check_round(
        &key(),
        log,
        kept.iter().map(|(entry, marks, comment)| KeptScore {
            entry: *entry,
            judge: 7,
            marks,
            comment,
            total_milli: total(marks),
        }),
        &criteria(),
        Some(Settled(settings)),
    )
}

#[test]
fn an_intact_round_seals_with_its_last_hash() {
    let (log, kept) = round();
    assert_eq!(check(&log, &kept, SETTINGS), Ok(log[4].hash.clone()));
    let empty = check_round(
        &key(),
        &[],
        std::iter::empty(),
        &criteria(),
        None::<Settled<'_>>,
    );
    assert_eq!(empty, Ok(GENESIS.to_owned()));
}

#[test]
fn every_way_of_changing_the_sheets_is_caught() {
    let (log, kept) = round();
    let mut changed = kept.clone();
    changed[0].1[0].1 = 10;
    assert_eq!(
        check(&log, &changed, SETTINGS),
        Err(SealError::ScoreMismatch {
            judge: 7,
            entry: 101
        })
    );
    let mut changed = kept.clone();
    changed[0].2 = "Bài rất tốt".into();
    assert!(matches!(
        check(&log, &changed, SETTINGS),
        Err(SealError::ScoreMismatch { entry: 101, .. })
    ));
    // The same visible comment with ệ decomposed is a change.
    let mut changed = kept.clone();
    changed[1].2 = "Re\u{323}\u{302}t hay".into();
    assert!(matches!(
        check(&log, &changed, SETTINGS),
        Err(SealError::ScoreMismatch { entry: 102, .. })
    ));
    // A sheet deleted behind the log.
    assert_eq!(
        check(&log, &kept[..1], SETTINGS),
        Err(SealError::ScoreMissing {
            judge: 7,
            entry: 102
        })
    );
    // A sheet added, or a withdrawn one put back.
    let mut extra = kept.clone();
    extra.push((104, vec![("noi-dung".into(), 9)], String::new()));
    assert!(matches!(
        check(&log, &extra, SETTINGS),
        Err(SealError::ScoreNotLogged { entry: 104, .. })
    ));
    let mut back = kept.clone();
    back.push((103, kept[0].1.clone(), String::new()));
    assert!(matches!(
        check(&log, &back, SETTINGS),
        Err(SealError::ScoreNotLogged { entry: 103, .. })
    ));
    // A derived total changed.
    assert!(matches!(
        check_with_totals(&log, &kept, SETTINGS, |m| i64::from(m[0].1) * 1000 + 1),
        Err(SealError::TotalMismatch { entry: 101, .. })
    ));
    // The settings changed after sealing.
    assert_eq!(
        check(&log, &kept, r#"{"scale":20}"#),
        Err(SealError::SettingsChanged)
    );
}

#[test]
fn a_tampered_or_shortened_log_is_caught() {
    let (mut log, kept) = round();
    log[0].row.payload = log[0].row.payload.replace('8', "9");
    assert!(matches!(
        check(&log, &kept, SETTINGS),
        Err(SealError::Chain(VerifyError {
            seq: 1,
            reason: VerifyReason::HashMismatch { .. }
        }))
    ));
    // Rewritten and rehashed without the key.
    let (log, kept) = round();
    let rows: Vec<LogEntry> = log.iter().map(|r| r.row.clone()).collect();
    let forged: Vec<LoggedRow> = rows
        .iter()
        .cloned()
        .zip(hashes(&SealKey::unkeyed(), &rows))
        .map(|(row, hash)| LoggedRow { row, hash })
        .collect();
    assert!(matches!(
        check(&forged, &kept, SETTINGS),
        Err(SealError::Chain(_))
    ));
    let (mut log, kept) = round();
    log.remove(0);
    assert!(matches!(
        check(&log, &kept, SETTINGS),
        Err(SealError::Chain(_))
    ));
    // The settings row cut off: the chain holds, the seal does not.
    let (mut log, kept) = round();
    log.pop();
    assert_eq!(
        check(&log, &kept, SETTINGS),
        Err(SealError::SettingsNotLogged)
    );
}
