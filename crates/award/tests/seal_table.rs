//! The sealed score log detects any tampering.

use kehoach_award::{
    GENESIS, LogEntry, VerifyReason, canonical_payload, chain, chain_hex, hashes, seal, verify,
    verify_seal,
};

fn log() -> Vec<LogEntry> {
    (1..=5)
        .map(|i| LogEntry {
            seq: i,
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
    let hs = hashes(&l);
    assert_eq!(hs.len(), 5);
    assert!(
        hs.iter()
            .all(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    );
    assert_eq!(seal(&l), hs[4]);
    assert_eq!(seal(&[]), GENESIS);
    assert_eq!(chain(&[0; 32], &l[0]), hs[0]);
    assert_eq!(chain_hex(GENESIS, &l[0]).unwrap(), hs[0]);
    assert_eq!(chain_hex(&hs[0], &l[1]).unwrap(), hs[1]);
    assert!(chain_hex("zz", &l[0]).is_none());
    assert_eq!(verify(&l, &hs), Ok(()));
    assert_eq!(verify_seal(&l, &hs[4].to_uppercase()), Ok(()));
    // Stable across builds: the encoding is part of the record.
    assert_eq!(seal(&l), seal(&log()));
}

/// A named change to one log row.
type Mutation = (&'static str, fn(&mut LogEntry));

#[test]
fn changing_any_field_is_detected() {
    let hs = hashes(&log());
    let mutations: Vec<Mutation> = vec![
        ("entry", |r| r.entry += 1),
        ("judge", |r| r.judge = 99),
        ("at_ms", |r| r.at_ms -= 1),
        ("payload", |r| r.payload = r.payload.replace("8", "9")),
        ("payload comment", |r| r.payload.push(' ')),
    ];
    for (name, m) in &mutations {
        for i in 0..5 {
            let mut l = log();
            m(&mut l[i]);
            let err = verify(&l, &hs).unwrap_err();
            assert_eq!(err.seq, i as u64 + 1, "{name} at {i}");
            assert!(
                matches!(err.reason, VerifyReason::HashMismatch { .. }),
                "{name}"
            );
            assert!(verify_seal(&l, &hs[4]).is_err(), "{name}");
        }
    }
    // Changing seq is caught as out of sequence.
    let mut l = log();
    l[2].seq = 9;
    let err = verify(&l, &hs).unwrap_err();
    assert_eq!(
        (err.seq, err.reason),
        (3, VerifyReason::OutOfSequence { found: 9 })
    );
}

#[test]
fn reorder_insert_delete_detected() {
    let hs = hashes(&log());

    // Swap two rows, renumbering them so the sequence looks right.
    let mut l = log();
    l.swap(1, 2);
    l[1].seq = 2;
    l[2].seq = 3;
    let err = verify(&l, &hs).unwrap_err();
    assert_eq!(err.seq, 2);
    assert!(matches!(err.reason, VerifyReason::HashMismatch { .. }));
    // Swapped without renumbering.
    let mut l = log();
    l.swap(1, 2);
    assert_eq!(
        verify(&l, &hs).unwrap_err().reason,
        VerifyReason::OutOfSequence { found: 3 }
    );

    // Delete a row and renumber the rest: hash breaks at the deleted place.
    let mut l = log();
    l.remove(1);
    for (i, r) in l.iter_mut().enumerate() {
        r.seq = i as u64 + 1;
    }
    assert_eq!(verify(&l, &hs).unwrap_err().seq, 2);
    assert!(verify_seal(&l, &hs[4]).is_err());
    // Delete the last row: its stored hash has no row.
    let mut l = log();
    l.pop();
    assert_eq!(
        verify(&l, &hs).unwrap_err().reason,
        VerifyReason::MissingRow
    );
    assert_eq!(verify(&l, &hs).unwrap_err().seq, 5);

    // Insert a row (renumbered) in the middle.
    let mut l = log();
    let mut extra = l[0].clone();
    extra.entry = 999;
    l.insert(2, extra);
    for (i, r) in l.iter_mut().enumerate() {
        r.seq = i as u64 + 1;
    }
    assert_eq!(verify(&l, &hs).unwrap_err().seq, 3);
    // Append a row with no stored hash.
    let mut l = log();
    let mut extra = l[4].clone();
    extra.seq = 6;
    l.push(extra);
    assert_eq!(verify(&l, &hs).unwrap_err().reason, VerifyReason::ExtraRow);

    // Rewriting a stored hash is caught at that row.
    let mut forged = hs.clone();
    forged[3] = GENESIS.to_string();
    assert_eq!(verify(&log(), &forged).unwrap_err().seq, 4);
}

#[test]
fn length_prefixes_keep_fields_apart() {
    // Moving a digit between adjacent fields must change the hash.
    let a = LogEntry {
        seq: 1,
        entry: 12,
        judge: 3,
        payload: "x".into(),
        at_ms: 0,
    };
    let b = LogEntry {
        seq: 1,
        entry: 1,
        judge: 23,
        payload: "x".into(),
        at_ms: 0,
    };
    assert_ne!(seal(&[a]), seal(&[b]));
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
