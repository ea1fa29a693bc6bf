//! Content themes (section "NỘI DUNG") and channels (section "HÌNH THỨC").

use crate::fold::fold_prefix;
use crate::lines::Line;
use crate::model::{Channel, SectionRole, Theme, ThemeGroup, ThemeKind};
use crate::outline::Outline;
use crate::sections::{Span, SubKind, is_heading_marker};

/// "trọng tâm" marks key content; "thường xuyên", "cơ bản", "lâu dài"
/// regular content.
fn kind_of(heading: &str) -> Option<ThemeKind> {
    let f = fold_prefix(heading, 120);
    if f.contains("trong tam") || f.contains("trong diem") {
        Some(ThemeKind::Key)
    } else if ["thuong xuyen", "co ban", "lau dai"]
        .iter()
        .any(|w| f.contains(w))
    {
        Some(ThemeKind::Regular)
    } else {
        None
    }
}

fn numbered_children<'o>(
    outline: &'o Outline,
    lines: &[Line<'_>],
    id: usize,
) -> impl Iterator<Item = usize> + 'o {
    let heads: Vec<bool> = outline.items[id]
        .children
        .iter()
        .map(|&c| is_heading_marker(lines[outline.items[c].line].marker))
        .collect();
    outline.items[id]
        .children
        .iter()
        .zip(heads)
        .filter_map(|(&c, head)| head.then_some(c))
}

/// Whether a sub-tree belongs to something other than content (forms,
/// assignments, budget, purposes) and must be left out of the themes.
fn is_other_part(span: &Span, id: usize) -> bool {
    span.kind(id) != SubKind::Other
}

pub(crate) fn themes(spans: &[Span], lines: &[Line<'_>]) -> (Vec<Theme>, Vec<ThemeGroup>) {
    let mut themes = Vec::new();
    let mut groups = Vec::new();
    for span in spans.iter().filter(|s| s.role == SectionRole::Content) {
        let o = &span.outline;
        let section_kind = kind_of(&span.heading);
        for &root in &o.roots {
            let line = &lines[o.items[root].line];
            if !is_heading_marker(line.marker) || is_other_part(span, root) {
                continue;
            }
            let Some(number) = o.number(lines, root) else {
                continue;
            };
            let children: Vec<usize> = numbered_children(o, lines, root).collect();
            if children.is_empty() {
                themes.push(Theme {
                    number,
                    text: line.body.to_string(),
                    kind: section_kind.unwrap_or(ThemeKind::Regular),
                    group: None,
                    line: line.no,
                });
                continue;
            }
            let kind = kind_of(line.body)
                .or(section_kind)
                .unwrap_or(ThemeKind::Regular);
            groups.push(ThemeGroup {
                number: number.clone(),
                heading: line.body.to_string(),
                kind,
                line: line.no,
            });
            for child in children {
                let cl = &lines[o.items[child].line];
                if is_other_part(span, child) {
                    continue;
                }
                themes.push(Theme {
                    number: o.number(lines, child).unwrap_or_default(),
                    text: cl.body.to_string(),
                    kind,
                    group: Some(number.clone()),
                    line: cl.no,
                });
            }
        }
    }
    (themes, groups)
}

/// Channels: every numbered item of a forms section, or of a "Hình thức"
/// sub-heading inside another section, with its parent's number.
pub(crate) fn channels(spans: &[Span], lines: &[Line<'_>]) -> Vec<Channel> {
    let mut out = Vec::new();
    for span in spans {
        let o = &span.outline;
        if span.role == SectionRole::Forms {
            for &root in &o.roots {
                walk_channels(o, lines, root, None, &mut out);
            }
            continue;
        }
        for id in 0..o.items.len() {
            if span.kind(id) == SubKind::Forms {
                for child in numbered_children(o, lines, id) {
                    walk_channels(o, lines, child, None, &mut out);
                }
            }
        }
    }
    out
}

fn walk_channels(
    o: &Outline,
    lines: &[Line<'_>],
    id: usize,
    parent: Option<&str>,
    out: &mut Vec<Channel>,
) {
    let line = &lines[o.items[id].line];
    if !is_heading_marker(line.marker) {
        return;
    }
    let Some(number) = o.number(lines, id) else {
        return;
    };
    out.push(Channel {
        number: number.clone(),
        text: line.body.to_string(),
        parent: parent.map(str::to_string),
        line: line.no,
    });
    for child in numbered_children(o, lines, id) {
        walk_channels(o, lines, child, Some(&number), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_group_headings() {
        assert_eq!(
            kind_of("Nội dung tuyên truyền trọng tâm"),
            Some(ThemeKind::Key)
        );
        assert_eq!(
            kind_of("Nội dung tuyên truyền thường xuyên, cơ bản, lâu dài"),
            Some(ThemeKind::Regular)
        );
        assert_eq!(kind_of("Về kinh tế"), None);
    }
}
