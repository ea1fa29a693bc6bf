//! CSV for exports (written for Excel) and for imports.
//!
//! The parser is our own rather than the `csv` crate's because that one
//! skips blank lines, and import errors must name the row number the user
//! sees in Excel, where a blank line is a row like any other.

use crate::text::{dd_mm_yyyy, format_number};
use crate::xlsx::Cell;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// CSV with a UTF-8 byte-order mark (without it Excel reads Vietnamese as
/// mojibake) and CRLF line ends. A text cell starting with `=`, `+`, `-` or
/// `@` (or a tab or carriage return) is prefixed with `'` so spreadsheet
/// programs do not run it as a formula.
pub fn csv_bytes(header: &[String], rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut out = String::new();
    write_record(&mut out, header.iter().map(|h| neutralised(h)));
    for row in rows {
        write_record(&mut out, row.iter().map(cell_text));
    }
    let mut bytes = BOM.to_vec();
    bytes.extend_from_slice(out.as_bytes());
    bytes
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => neutralised(t),
        Cell::Number(n) => format_number(*n),
        Cell::Integer(n) => n.to_string(),
        Cell::Date { year, month, day } => dd_mm_yyyy(*day, *month, *year),
        Cell::Empty => String::new(),
    }
}

fn neutralised(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn write_record(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', ';', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

/// Splits CSV text into rows (one per record, blank lines included as empty
/// rows) following RFC 4180, leniently: a stray quote inside an unquoted
/// field is kept as text, as Excel does. The delimiter is guessed from the
/// first line, since Excel writes ";" under locales whose decimal mark is a
/// comma.
pub(crate) fn parse(text: &str) -> Vec<Vec<String>> {
    let delimiter = guess_delimiter(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    // Whether the current field opened with a quote; only then does a quote
    // close it.
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !quoted => {
                in_quotes = true;
                quoted = true;
            }
            c if c == delimiter => {
                row.push(std::mem::take(&mut field));
                quoted = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                quoted = false;
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() || quoted {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn guess_delimiter(text: &str) -> char {
    let first_line = text.split(['\r', '\n']).next().unwrap_or("");
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0)];
    let mut in_quotes = false;
    for c in first_line.chars() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            for (d, n) in counts.iter_mut() {
                if c == *d {
                    *n += 1;
                }
            }
        }
    }
    // Ties (including no delimiter at all) go to the comma, the standard.
    counts
        .iter()
        .fold(
            (',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<Vec<String>> {
        parse(text)
    }

    #[test]
    fn parses_quotes_newlines_and_blank_lines() {
        let got = rows("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n\"two\nlines\",z\n");
        assert_eq!(
            got,
            vec![
                vec!["a", "b"],
                vec!["x, y", "say \"hi\""],
                vec![""],
                vec!["two\nlines", "z"],
            ]
        );
    }

    #[test]
    fn last_line_without_newline_and_empty_fields() {
        assert_eq!(rows("a,,c"), vec![vec!["a", "", "c"]]);
        assert_eq!(rows("a,\"\""), vec![vec!["a", ""]]);
        assert_eq!(rows("\"\""), vec![vec![""]]);
        assert!(rows("").is_empty());
    }

    #[test]
    fn stray_quotes_are_text() {
        assert_eq!(rows("ab\"c,d"), vec![vec!["ab\"c", "d"]]);
        assert_eq!(rows("\"ab\"c,d"), vec![vec!["abc", "d"]]);
        assert_eq!(rows("\"open"), vec![vec!["open"]]);
    }

    #[test]
    fn guesses_semicolons_and_tabs() {
        assert_eq!(
            rows("a;b;c\n1,5;2;3"),
            vec![vec!["a", "b", "c"], vec!["1,5", "2", "3"]]
        );
        assert_eq!(rows("a\tb\n1\t2"), vec![vec!["a", "b"], vec!["1", "2"]]);
        assert_eq!(rows("\"a;b\",c"), vec![vec!["a;b", "c"]]);
    }

    #[test]
    fn written_csv_parses_back() {
        let header = vec!["Tên".to_string(), "Ghi chú".to_string()];
        let data = vec![vec![
            Cell::Text("a, \"b\"\nc".into()),
            Cell::Text("=1+1".into()),
        ]];
        let bytes = csv_bytes(&header, &data);
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert_eq!(
            parse(text),
            vec![vec!["Tên", "Ghi chú"], vec!["a, \"b\"\nc", "'=1+1"]]
        );
    }
}
