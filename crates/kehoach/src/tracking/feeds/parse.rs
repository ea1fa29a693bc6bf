//! Reads RSS 2.0, RSS 1.0 (RDF) and Atom feeds into one shape. Pure: the
//! fetcher hands over bytes it has already capped in size.
//!
//! Press agencies' sites run many CMSs; the reader is lenient about what it
//! does not need (unknown elements, mismatched end tags in descriptions) and
//! strict only about what makes a document a feed.

use chrono::{DateTime, FixedOffset};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// At most this many items are read from one fetch; feeds list the newest first.
pub const MAX_ITEMS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// Stable identity of the item within its feed (guid, id or link).
    pub guid: String,
    pub title: String,
    pub link: Option<String>,
    /// Publication date in Vietnam time, `YYYY-MM-DD`.
    pub published_on: Option<String>,
    /// Plain text, tags removed, at most 1,000 characters.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub title: String,
    pub items: Vec<FeedItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("nguồn tin bị lỗi định dạng XML")]
    Broken,
    #[error("đây không phải nguồn tin RSS hoặc Atom")]
    NotAFeed,
}

impl FeedError {
    pub fn key(self) -> &'static str {
        match self {
            Self::Broken => "feed-error-broken",
            Self::NotAFeed => "feed-error-not-feed",
        }
    }
}

#[derive(Default)]
struct Item {
    id: String,
    title: String,
    link: String,
    date: String,
    summary: String,
}

/// Which field the text being read belongs to.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    FeedTitle,
    Id,
    Title,
    Link,
    Date,
    Summary,
}

#[derive(Default)]
struct State {
    root: Option<String>,
    depth: usize,
    item_depth: Option<usize>,
    field: Option<(Field, usize)>,
    feed_title: String,
    title_done: bool,
    item: Item,
    items: Vec<FeedItem>,
}

impl State {
    fn start(&mut self, e: &BytesStart<'_>) {
        self.depth += 1;
        let name = e.local_name();
        let name = name.as_ref();
        if self.root.is_none() {
            self.root = Some(name.to_owned());
            return;
        }
        if self.field.is_some() {
            return;
        }
        match (self.item_depth.is_some(), name) {
            (false, "item" | "entry") => {
                self.item_depth = Some(self.depth);
                self.item = Item::default();
            }
            (false, "title") if !self.title_done => {
                self.field = Some((Field::FeedTitle, self.depth));
            }
            (true, "title") => self.field = Some((Field::Title, self.depth)),
            (true, "guid" | "id") => self.field = Some((Field::Id, self.depth)),
            (true, "link") => {
                if let Some(href) = atom_link(e) {
                    set_once(&mut self.item.link, href);
                } else {
                    self.field = Some((Field::Link, self.depth));
                }
            }
            (true, "pubDate" | "published" | "updated" | "date") if self.item.date.is_empty() => {
                self.field = Some((Field::Date, self.depth));
            }
            (true, "description" | "summary" | "content" | "encoded")
                if self.item.summary.is_empty() =>
            {
                self.field = Some((Field::Summary, self.depth));
            }
            _ => {}
        }
    }

    fn empty(&mut self, e: &BytesStart<'_>) {
        if self.item_depth.is_some()
            && self.field.is_none()
            && e.local_name().as_ref() == "link"
            && let Some(href) = atom_link(e)
        {
            set_once(&mut self.item.link, href);
        }
    }

    fn end(&mut self) {
        if self.field.is_some_and(|(_, d)| d == self.depth) {
            if self.field.is_some_and(|(f, _)| f == Field::FeedTitle) {
                self.title_done = true;
            }
            self.field = None;
        }
        if self.item_depth == Some(self.depth) {
            self.item_depth = None;
            let item = std::mem::take(&mut self.item);
            if self.items.len() < MAX_ITEMS
                && let Some(done) = finish(item)
            {
                self.items.push(done);
            }
        }
        self.depth = self.depth.saturating_sub(1);
    }

    fn text(&mut self, s: &str) {
        let Some((field, _)) = self.field else { return };
        let target = match field {
            Field::FeedTitle => &mut self.feed_title,
            Field::Id => &mut self.item.id,
            Field::Title => &mut self.item.title,
            Field::Link => &mut self.item.link,
            Field::Date => &mut self.item.date,
            Field::Summary => &mut self.item.summary,
        };
        if target.len() < 20_000 {
            target.push_str(s);
        }
    }
}

/// Atom entries may carry several links; the first alternate one wins.
fn set_once(target: &mut String, v: String) {
    if target.is_empty() {
        *target = v;
    }
}

/// An Atom `<link href>` that points at the article itself.
fn atom_link(e: &BytesStart<'_>) -> Option<String> {
    let mut href = None;
    let mut rel_ok = true;
    for a in e.attributes().flatten() {
        let value = a.value.to_string();
        match a.key.local_name().as_ref() {
            "href" => href = Some(unescape(&value)),
            "rel" => rel_ok = value == "alternate",
            _ => {}
        }
    }
    href.filter(|_| rel_ok)
}

fn finish(item: Item) -> Option<FeedItem> {
    let title = clean(&item.title, 500);
    let link = Some(item.link.trim().to_owned()).filter(|l| is_web_link(l));
    let guid = [
        item.id.trim(),
        link.as_deref().unwrap_or(""),
        title.as_str(),
    ]
    .into_iter()
    .find(|s| !s.is_empty())?
    .to_owned();
    if title.is_empty() && link.is_none() {
        return None;
    }
    Some(FeedItem {
        guid,
        title: if title.is_empty() {
            link.clone().unwrap_or_default()
        } else {
            title
        },
        link,
        published_on: vietnam_date(item.date.trim()),
        summary: clean(&item.summary, 1000),
    })
}

fn is_web_link(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

/// RSS dates are RFC 822 (often with a Vietnamese site's quirks), Atom's
/// RFC 3339; both become the calendar day in Vietnam.
fn vietnam_date(s: &str) -> Option<String> {
    let parsed = DateTime::parse_from_rfc2822(s)
        .or_else(|_| DateTime::parse_from_rfc3339(s))
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .ok()
                .and_then(|d| d.and_local_timezone(vietnam()).single())
        })?;
    Some(
        parsed
            .with_timezone(&vietnam())
            .format("%Y-%m-%d")
            .to_string(),
    )
}

fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

/// Removes HTML tags (descriptions are often escaped HTML), decodes the
/// common entities and collapses white space.
fn clean(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max_chars * 4));
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = unescape(&out);
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").chars().take(max_chars).collect()
}

/// Entities that survive in escaped HTML inside descriptions and attributes.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e <= 10);
        match end.and_then(|e| entity(&tail[1..e]).map(|c| (c, e))) {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => return None,
    })
}

fn reference(r: &BytesRef<'_>) -> Option<char> {
    entity(r)
}

/// Parses a feed document.
pub fn parse(bytes: &[u8]) -> Result<Feed, FeedError> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| FeedError::NotAFeed)?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut state = State::default();
    let is_feed = |state: &State| matches!(state.root.as_deref(), Some("rss" | "feed" | "RDF"));
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => state.start(&e),
            Ok(Event::Empty(e)) => state.empty(&e),
            Ok(Event::End(_)) => state.end(),
            Ok(Event::Text(t)) => state.text(&t),
            Ok(Event::CData(t)) => state.text(&t),
            Ok(Event::GeneralRef(r)) => {
                if let Some(c) = reference(&r) {
                    state.text(c.encode_utf8(&mut [0u8; 4]));
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            // A web page is rarely well-formed XML: what matters to the
            // user is that it is not a feed, unless it started as one.
            Err(_) if is_feed(&state) => return Err(FeedError::Broken),
            Err(_) => return Err(FeedError::NotAFeed),
        }
    }
    if !is_feed(&state) {
        return Err(FeedError::NotAFeed);
    }
    Ok(Feed {
        title: clean(&state.feed_title, 200),
        items: state.items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Báo Phú Yên - Chính trị</title><link>https://baophuyen.vn</link>
<item><title>Hội nghị học tập Nghị quyết Đại hội XIII của Đảng</title>
<link>https://baophuyen.vn/a/1.html</link><guid isPermaLink="false">a-1</guid>
<pubDate>Mon, 31 May 2021 19:30:00 +0000</pubDate>
<description><![CDATA[<p>Sáng nay, <b>Tỉnh ủy</b> tổ chức&nbsp;hội nghị&hellip;</p>]]></description></item>
<item><title>Bầu cử &amp; trách nhiệm công dân</title><link>https://baophuyen.vn/a/2.html</link></item>
<item><description>no title, no link</description></item>
</channel></rss>"#;

    const ATOM: &str = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Đài PT-TH</title>
<entry><title>Phòng, chống tham nhũng</title><id>tag:ptv,2021:9</id>
<link rel="enclosure" href="https://ptv.vn/x.mp3"/><link href="https://ptv.vn/9"/>
<updated>2021-06-01T08:00:00+07:00</updated><summary>Tóm tắt</summary></entry></feed>"#;

    #[test]
    fn rss_items_become_plain_text_with_vietnam_dates() {
        let feed = parse(RSS.as_bytes()).unwrap();
        assert_eq!(feed.title, "Báo Phú Yên - Chính trị");
        assert_eq!(feed.items.len(), 2);
        let first = &feed.items[0];
        assert_eq!(first.guid, "a-1");
        assert_eq!(first.link.as_deref(), Some("https://baophuyen.vn/a/1.html"));
        // 19:30 UTC on 31 May is already 1 June in Vietnam.
        assert_eq!(first.published_on.as_deref(), Some("2021-06-01"));
        assert_eq!(first.summary, "Sáng nay, Tỉnh ủy tổ chức hội nghị&hellip;");
        let second = &feed.items[1];
        assert_eq!(second.title, "Bầu cử & trách nhiệm công dân");
        assert_eq!(second.guid, "https://baophuyen.vn/a/2.html");
        assert_eq!(second.published_on, None);
    }

    #[test]
    fn atom_entries_take_the_alternate_link() {
        let feed = parse(ATOM.as_bytes()).unwrap();
        assert_eq!(feed.title, "Đài PT-TH");
        let e = &feed.items[0];
        assert_eq!(e.link.as_deref(), Some("https://ptv.vn/9"));
        assert_eq!(e.guid, "tag:ptv,2021:9");
        assert_eq!(e.published_on.as_deref(), Some("2021-06-01"));
        assert_eq!(e.summary, "Tóm tắt");
    }

    #[test]
    fn other_documents_are_refused_with_a_reason() {
        assert_eq!(
            parse(b"<html><body>Trang chu</body></html>"),
            Err(FeedError::NotAFeed)
        );
        assert_eq!(
            parse(b"<!doctype html><html><body><br></body></html>"),
            Err(FeedError::NotAFeed)
        );
        assert_eq!(parse(b"just text"), Err(FeedError::NotAFeed));
        assert_eq!(
            parse(b"<rss><channel><item><title>T</title"),
            Err(FeedError::Broken)
        );
        assert_eq!(parse(&[0xff, 0xfe, 0x00]), Err(FeedError::NotAFeed));
        assert_eq!(parse(b""), Err(FeedError::NotAFeed));
    }

    #[test]
    fn javascript_links_are_dropped() {
        let doc = r#"<rss><channel><item><title>T</title><link>javascript:alert(1)</link></item></channel></rss>"#;
        let feed = parse(doc.as_bytes()).unwrap();
        assert_eq!(feed.items[0].link, None);
        assert_eq!(feed.items[0].guid, "T");
    }
}
