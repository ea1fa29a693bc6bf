//! Table tests of score sheets, aggregation and normalisation.

use kehoach_award::{
    Criterion, Scale, ScoreSheet, SheetError, aggregate, normalised, problems, to_milli, validate,
    weighted, weighted_parts,
};

fn criteria() -> Vec<Criterion> {
    [("chu-de", 3), ("noi-dung", 2), ("hinh-thuc", 1)]
        .iter()
        .map(|&(k, w)| Criterion {
            key: k.to_string(),
            weight: w,
        })
        .collect()
}

const SCALE: Scale = Scale { min: 0, max: 10 };

fn sheet(entry: i64, judge: i64, marks: &[(&str, u32)]) -> ScoreSheet {
    ScoreSheet {
        entry,
        judge,
        marks: marks.iter().map(|&(k, m)| (k.to_string(), m)).collect(),
    }
}

/// A complete sheet whose three marks are all `m` (weighted score `m`).
fn flat(entry: i64, judge: i64, m: u32) -> ScoreSheet {
    sheet(
        entry,
        judge,
        &[("chu-de", m), ("noi-dung", m), ("hinh-thuc", m)],
    )
}

#[test]
fn validation_errors() {
    let c = criteria();
    assert_eq!(validate(&flat(1, 2, 7), &c, SCALE), Ok(()));

    let missing = sheet(1, 2, &[("chu-de", 7), ("noi-dung", 8)]);
    let err = validate(&missing, &c, SCALE).unwrap_err();
    assert_eq!(
        err,
        SheetError::MissingCriterion {
            entry: 1,
            judge: 2,
            criterion: "hinh-thuc".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "Phiếu chấm của giám khảo 2 cho tác phẩm 1 thiếu điểm tiêu chí \"hinh-thuc\""
    );

    let out = sheet(1, 2, &[("chu-de", 11), ("noi-dung", 8), ("hinh-thuc", 5)]);
    let err = validate(&out, &c, SCALE).unwrap_err();
    assert!(matches!(
        err,
        SheetError::OutOfRange {
            mark: 11,
            min: 0,
            max: 10,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "Phiếu chấm của giám khảo 2 cho tác phẩm 1: điểm 11 của tiêu chí \"chu-de\" nằm ngoài thang điểm 0–10"
    );
    let low = sheet(1, 2, &[("chu-de", 0), ("noi-dung", 8), ("hinh-thuc", 5)]);
    assert!(matches!(
        validate(&low, &c, Scale { min: 1, max: 10 }),
        Err(SheetError::OutOfRange { mark: 0, .. })
    ));

    let unknown = sheet(
        1,
        2,
        &[
            ("chu-de", 7),
            ("noi-dung", 8),
            ("hinh-thuc", 5),
            ("bonus", 3),
        ],
    );
    let err = validate(&unknown, &c, SCALE).unwrap_err();
    assert!(
        matches!(err, SheetError::UnknownCriterion { ref criterion, .. } if criterion == "bonus")
    );
    assert!(err.to_string().contains("không thuộc bộ tiêu chí"));

    let dup = sheet(
        1,
        2,
        &[
            ("chu-de", 7),
            ("chu-de", 8),
            ("noi-dung", 8),
            ("hinh-thuc", 5),
        ],
    );
    assert!(matches!(
        validate(&dup, &c, SCALE),
        Err(SheetError::DuplicateMark { .. })
    ));

    assert_eq!(
        validate(&flat(1, 2, 5), &c, Scale { min: 10, max: 1 }),
        Err(SheetError::InvalidScale { min: 10, max: 1 })
    );
    let zero = vec![Criterion {
        key: "chu-de".into(),
        weight: 0,
    }];
    assert_eq!(
        validate(&sheet(1, 2, &[("chu-de", 5)]), &zero, SCALE),
        Err(SheetError::ZeroWeight)
    );

    // All problems at once, in a stable order.
    let bad = sheet(3, 4, &[("chu-de", 12), ("x", 1)]);
    let all = problems(&bad, &c, SCALE);
    assert_eq!(all.len(), 4);
    assert!(matches!(all[0], SheetError::OutOfRange { .. }));
    assert!(matches!(all[1], SheetError::UnknownCriterion { .. }));
    assert!(
        matches!(all[2], SheetError::MissingCriterion { ref criterion, .. } if criterion == "noi-dung")
    );
    assert!(
        matches!(all[3], SheetError::MissingCriterion { ref criterion, .. } if criterion == "hinh-thuc")
    );
}

#[test]
fn weighted_mean() {
    let c = criteria();
    // (3·9 + 2·6 + 1·3) / 6 = 42 / 6 = 7
    let s = sheet(1, 1, &[("hinh-thuc", 3), ("chu-de", 9), ("noi-dung", 6)]);
    assert_eq!(weighted_parts(&s, &c), (42, 6));
    assert_eq!(weighted(&s, &c), 7.0);
    // (3·8 + 2·7 + 1·7) / 6 = 45 / 6 = 7.5
    let s = sheet(1, 1, &[("chu-de", 8), ("noi-dung", 7), ("hinh-thuc", 7)]);
    assert_eq!(weighted(&s, &c), 7.5);
    // Incomplete sheet: only marked criteria count.
    let s = sheet(1, 1, &[("chu-de", 8)]);
    assert_eq!(weighted(&s, &c), 8.0);
    assert_eq!(weighted(&sheet(1, 1, &[]), &c), 0.0);
}

#[test]
fn aggregate_and_disagreement_flag() {
    let c = criteria();
    let sheets = vec![
        flat(1, 10, 7),
        flat(1, 11, 8),
        flat(1, 12, 9),
        flat(2, 10, 9),
        flat(2, 11, 5),
        flat(2, 12, 6),
        flat(3, 10, 6),
        // Entry 4 has a single judge: no disagreement possible.
        flat(4, 10, 2),
    ];
    let scores = aggregate(&sheets, &c, 3.0);
    assert_eq!(
        scores.iter().map(|s| s.entry).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );

    let e1 = &scores[0];
    assert_eq!(
        (e1.mean, e1.median, e1.max_single, e1.min_single),
        (8.0, 8.0, 9.0, 7.0)
    );
    assert_eq!((e1.judges, e1.spread, e1.flagged), (3, 2.0, false));

    let e2 = &scores[1];
    assert_eq!(to_milli(e2.mean), 6667);
    assert_eq!(e2.median, 6.0);
    assert_eq!(e2.spread, 4.0);
    assert!(e2.flagged);

    assert_eq!((scores[2].judges, scores[2].flagged), (1, false));
    assert!(!aggregate(&sheets, &c, 0.0)[3].flagged);
    // Threshold reached exactly (spread 2) flags.
    assert!(aggregate(&sheets, &c, 2.0)[0].flagged);
    assert!(!aggregate(&sheets, &c, 2.001)[0].flagged);

    // Even number of judges: median is the mean of the middle two.
    let even = aggregate(&[flat(5, 1, 4), flat(5, 2, 9)], &c, 10.0);
    assert_eq!(even[0].median, 6.5);

    // Order of sheets does not matter, bit for bit.
    let mut rev = sheets.clone();
    rev.reverse();
    assert_eq!(aggregate(&rev, &c, 3.0), scores);
}

#[test]
fn equal_rational_means_are_bit_identical() {
    let c = vec![Criterion {
        key: "k".into(),
        weight: 1,
    }];
    let one = |e: i64, j: i64, m: u32| sheet(e, j, &[("k", m)]);
    // 22/3 via three judges, and 44/6 via six.
    let s = vec![
        one(1, 1, 7),
        one(1, 2, 7),
        one(1, 3, 8),
        one(2, 1, 7),
        one(2, 2, 7),
        one(2, 3, 8),
        one(2, 4, 7),
        one(2, 5, 7),
        one(2, 6, 8),
    ];
    let a = aggregate(&s, &c, 5.0);
    assert_eq!(a[0].mean.to_bits(), a[1].mean.to_bits());
}

#[test]
fn normalisation_lenient_vs_harsh_judge() {
    let c = criteria();
    // Judge 10 is lenient (9, 8, 7), judge 20 harsh (5, 4, 3), each on
    // their own three entries of equal relative quality.
    let sheets = vec![
        flat(1, 10, 9),
        flat(2, 10, 8),
        flat(3, 10, 7),
        flat(4, 20, 5),
        flat(5, 20, 4),
        flat(6, 20, 3),
    ];
    let raw = aggregate(&sheets, &c, 10.0);
    assert_eq!(raw[0].mean, 9.0);
    assert_eq!(raw[3].mean, 5.0);

    let n = normalised(&sheets, &c);
    assert_eq!(n.len(), 6);
    // Each judge's best entry ends up level, and so on down.
    for (a, b) in [(1, 4), (2, 5), (3, 6)] {
        assert!(
            (n[&a] - n[&b]).abs() < 1e-9,
            "{a} vs {b}: {} {}",
            n[&a],
            n[&b]
        );
    }
    // Mapped back on the scale: overall mean 6, overall std √(28/6).
    let overall_std = (28.0f64 / 6.0).sqrt();
    let z = (1.5f64).sqrt(); // (9 - 8) / √(2/3)
    assert!((n[&1] - (6.0 + z * overall_std)).abs() < 1e-9);
    assert!((n[&2] - 6.0).abs() < 1e-9);
    assert!((n[&3] - (6.0 - z * overall_std)).abs() < 1e-9);

    // Mixed: entry 7 marked by both judges gets the mean of its z-scores.
    let mut more = sheets.clone();
    more.push(flat(7, 10, 8));
    more.push(flat(7, 20, 4));
    let m = normalised(&more, &c);
    assert!(m[&7] < m[&1] && m[&7] > m[&3]);
}

#[test]
fn normalisation_single_sheet_or_constant_judge_contributes_zero() {
    let c = criteria();
    let sheets = vec![
        // Judge 1 gives everything 7: zero deviation.
        flat(1, 1, 7),
        flat(2, 1, 7),
        // Judge 2 has one sheet: zero deviation.
        flat(3, 2, 10),
        // Judge 3 spreads.
        flat(1, 3, 2),
        flat(4, 3, 8),
    ];
    let n = normalised(&sheets, &c);
    let all: Vec<f64> = [7.0, 7.0, 10.0, 2.0, 8.0].to_vec();
    let mean = all.iter().sum::<f64>() / 5.0;
    let std = (all.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 5.0).sqrt();
    assert!((n[&2] - mean).abs() < 1e-9);
    assert!((n[&3] - mean).abs() < 1e-9);
    // Entry 1: z 0 (judge 1) and -1 (judge 3) → mean z -0.5.
    assert!((n[&1] - (mean - 0.5 * std)).abs() < 1e-9);
    assert!((n[&4] - (mean + std)).abs() < 1e-9);
    assert!(normalised(&[], &c).is_empty());
}

#[test]
fn milli_rounding() {
    assert_eq!(to_milli(22.0 / 3.0), 7333);
    assert_eq!(to_milli(-1.2344), -1234);
    assert_eq!(to_milli(f64::NAN), 0);
}
