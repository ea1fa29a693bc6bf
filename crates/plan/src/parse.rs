//! Puts the recognisers together: header, sections, extractors, tail, lint.

use crate::decode::normalize;
use crate::fold::fold_prefix;
use crate::lines::{self, Line, MAX_LINES, Marker};
use crate::model::PlanDocument;
use crate::sections::Span;
use crate::{
    MAX_INPUT_BYTES, ParseError, duties, header, lint, references, sections, tail, themes,
};

/// Parses decoded text (see [`crate::decode`]). The text is normalised again
/// (NFC, LF line ends, no BOM), so any `&str` is accepted.
pub fn parse_text(text: &str) -> Result<PlanDocument, ParseError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(ParseError::TooLarge {
            limit_bytes: MAX_INPUT_BYTES,
        });
    }
    parse_normalized(&normalize(text))
}

/// Parses text that is already normalised (the output of [`crate::decode`]).
pub(crate) fn parse_normalized(text: &str) -> Result<PlanDocument, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let (lines, truncated) = lines::split(text);
    let is_roman = |l: &Line<'_>| matches!(l.marker, Marker::Roman { .. });
    let first_roman = lines.iter().position(is_roman);
    let kind = header::find_kind(&lines, header::header_scan_limit(&lines, first_roman));
    if kind.is_none() && lines.iter().filter(|l| is_roman(l)).count() < 2 {
        return Err(ParseError::NotAPlan);
    }

    let (title, body_start, head_end) = match &kind {
        Some(k) => {
            let (title, end) = header::title(&lines, k, first_roman.unwrap_or(lines.len()));
            (title, end, k.idx)
        }
        None => (
            String::new(),
            first_roman.unwrap_or(0),
            first_roman.unwrap_or(0),
        ),
    };
    let tail_start = tail::find_start(&lines, body_start).max(body_start);
    let body_end = closing_line(
        &lines,
        first_roman.unwrap_or(body_start).max(body_start),
        tail_start,
    );
    let spans = sections::spans(&lines, body_start..body_end);
    let first_section = spans.first().map_or(tail_start, |s| s.idx);

    let mut head = header::letterhead(&lines[..head_end]);
    if head.date.is_none() && head.invalid_date.is_none() {
        // Some conversions put the place and date under the title.
        let late = header::letterhead(&lines[body_start..first_section]);
        head.place = head.place.or(late.place);
        head.date = late.date;
        head.date_year = head.date_year.or(late.date_year);
        head.invalid_date = late.invalid_date;
        head.number = head.number.or(late.number);
    }
    let preamble = kind
        .as_ref()
        .and_then(|_| header::preamble(&lines, body_start, first_section));
    let year = lint::title_year(&title).or(head.date_year);

    let (purposes, requirements) = sections::purposes_requirements(&spans, &lines);
    let (themes, theme_groups) = themes::themes(&spans, &lines);
    let channels = themes::channels(&spans, &lines);
    let assigned = duties::extract(&spans, &lines, year);
    let ref_start = kind.as_ref().map_or(0, |k| k.idx);
    let (references, bad_ref_dates) =
        references::collect(&lines, ref_start..tail_start, head.number.as_deref());
    let tail = tail::parse(&lines, tail_start);

    let mut doc = PlanDocument {
        kind: kind
            .as_ref()
            .map(|k| k.kind.to_string())
            .unwrap_or_default(),
        number: head.number,
        issuer: head.issuer,
        place: head.place,
        date: head.date,
        title,
        year,
        preamble,
        sections: spans.iter().map(|s| s.to_section(&lines)).collect(),
        purposes,
        requirements,
        themes,
        theme_groups,
        channels,
        units: assigned.units,
        duties: assigned.duties,
        references,
        recipients: tail.recipients,
        signature: tail.signature,
        warnings: Vec::new(),
    };

    let mut warnings = Vec::new();
    if kind.is_none() {
        warnings.push(lint::warning(
            None,
            lint::MISSING_KIND,
            "Không thấy tiêu đề loại văn bản (KẾ HOẠCH, HƯỚNG DẪN...) ở đầu văn bản".to_string(),
        ));
    }
    if truncated {
        warnings.push(lint::warning(
            Some(MAX_LINES),
            lint::TOO_MANY_LINES,
            format!("Tệp có hơn {MAX_LINES} dòng; phần sau dòng {MAX_LINES} không được đọc"),
        ));
    }
    if let Some((line, written)) = &head.invalid_date {
        warnings.push(lint::invalid_date(*line, written));
    }
    for (line, written) in &bad_ref_dates {
        warnings.push(lint::invalid_date(*line, written));
    }
    warnings.extend(lint::numbering(&spans, &lines));
    if let Some(y) = year {
        let (start, end) = lint::title_range(&doc.title)
            .filter(|(a, z)| (*a..=*z).contains(&y))
            .unwrap_or((y, y));
        let period = lint::Period { start, end };
        let place = |idx: usize| describe_place(idx, body_start, first_section, &spans, &lines);
        warnings.extend(lint::years(&lines, ref_start..tail_start, &period, &place));
    }
    warnings.extend(lint::duties_without_unit(&doc.duties));
    warnings.extend(lint::impossible_deadlines(&doc.duties));
    warnings.extend(lint::references_after(
        &doc.references,
        doc.date.as_deref(),
        doc.year,
    ));
    warnings.extend(lint::file_copy(&doc.recipients));
    warnings.sort_by_key(|w| w.line.unwrap_or(usize::MAX));
    doc.warnings = warnings;
    Ok(doc)
}

/// State documents close with "Trên đây là Kế hoạch ..."; that paragraph
/// belongs to no section item.
fn closing_line(lines: &[Line<'_>], from: usize, to: usize) -> usize {
    (from..to)
        .find(|&i| {
            lines[i].text.starts_with(['T', 't'])
                && fold_prefix(lines[i].text, 12).starts_with("tren day la")
        })
        .unwrap_or(to)
}

/// Where a line sits, for warning messages: "tiêu đề", "phần mở đầu",
/// "mục 1.3", "mục IV".
fn describe_place(
    idx: usize,
    body_start: usize,
    first_section: usize,
    spans: &[Span],
    lines: &[Line<'_>],
) -> String {
    if idx < body_start {
        return "tiêu đề".to_string();
    }
    if idx < first_section {
        return "phần mở đầu".to_string();
    }
    // Spans are in line order.
    let k = spans.partition_point(|s| s.idx <= idx);
    let Some(span) = k
        .checked_sub(1)
        .and_then(|k| spans.get(k))
        .filter(|s| idx < s.end)
    else {
        return format!("dòng {}", lines.get(idx).map_or(idx + 1, |l| l.no));
    };
    // Items are in line order.
    let items = &span.outline.items;
    let at = items.partition_point(|it| it.line < idx);
    let label = items
        .get(at)
        .filter(|it| it.line == idx)
        .and_then(|_| span.outline.label(lines, at));
    format!("mục {}", label.unwrap_or_else(|| span.number.clone()))
}
