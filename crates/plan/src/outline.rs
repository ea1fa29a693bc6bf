//! The item tree inside one section: "1." contains "1.1.", which contains
//! "a)", which contains "-" bullets, which contain "+" bullets. Plain
//! paragraphs belong to the nearest numbered or lettered item.

use std::ops::Range;

use crate::lines::{Line, Marker};

#[derive(Debug)]
pub(crate) struct Item {
    /// Index into the line vector.
    pub line: usize,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
}

#[derive(Debug, Default)]
pub(crate) struct Outline {
    pub items: Vec<Item>,
    pub roots: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rank {
    Num(u8),
    Letter,
    ParenNum,
    Dash,
    Plus,
    Plain,
}

fn rank(marker: Marker<'_>) -> Rank {
    match marker {
        Marker::Num { paren: true, .. } => Rank::ParenNum,
        Marker::Num { depth, .. } => Rank::Num(depth),
        Marker::Letter(_) => Rank::Letter,
        Marker::Bullet('+') => Rank::Plus,
        Marker::Bullet(_) => Rank::Dash,
        _ => Rank::Plain,
    }
}

/// Whether an item of rank `outer` can contain one of rank `inner`.
fn can_contain(outer: Rank, inner: Rank) -> bool {
    use Rank::*;
    match (outer, inner) {
        (Num(a), Num(b)) => a < b,
        (Num(_), _) => true,
        (Letter, Num(_) | Letter) => false,
        (Letter, _) => true,
        (ParenNum, Num(_) | Letter | ParenNum) => false,
        (ParenNum, _) => true,
        (Dash, Plus) => true,
        (Dash | Plus | Plain, _) => false,
    }
}

pub(crate) fn build(lines: &[Line<'_>], range: Range<usize>) -> Outline {
    let mut out = Outline::default();
    let mut stack: Vec<(usize, Rank)> = Vec::new();
    for idx in range {
        let Some(line) = lines.get(idx) else { break };
        if !line.is_item() {
            continue;
        }
        let r = rank(line.marker);
        while stack.last().is_some_and(|(_, top)| !can_contain(*top, r)) {
            stack.pop();
        }
        let id = out.items.len();
        let parent = stack.last().map(|(p, _)| *p);
        out.items.push(Item {
            line: idx,
            parent,
            children: Vec::new(),
        });
        match parent {
            Some(p) => out.items[p].children.push(id),
            None => out.roots.push(id),
        }
        stack.push((id, r));
    }
    out
}

impl Outline {
    /// The number a reader would cite for an item: "1.2" as written, and
    /// "2.a" for a lettered item under "2." (or "a" at top level). Bullets
    /// and paragraphs have none.
    pub(crate) fn number(&self, lines: &[Line<'_>], id: usize) -> Option<String> {
        let item = self.items.get(id)?;
        match lines[item.line].marker {
            Marker::Num {
                number,
                paren: false,
                ..
            } => Some(number.to_string()),
            Marker::Num {
                number,
                paren: true,
                ..
            } => Some(self.qualified(lines, item.parent, number)),
            Marker::Letter(c) => {
                Some(self.qualified(lines, item.parent, c.encode_utf8(&mut [0; 4])))
            }
            _ => None,
        }
    }

    fn qualified(&self, lines: &[Line<'_>], parent: Option<usize>, own: &str) -> String {
        let mut cur = parent;
        while let Some(p) = cur {
            if let Some(n) = self.number(lines, p) {
                return format!("{n}.{own}");
            }
            cur = self.items[p].parent;
        }
        own.to_string()
    }

    /// Number of the item itself or of its nearest numbered ancestor; used
    /// to say where a warning points ("mục 1.3").
    pub(crate) fn label(&self, lines: &[Line<'_>], id: usize) -> Option<String> {
        let mut cur = Some(id);
        while let Some(i) = cur {
            if let Some(n) = self.number(lines, i) {
                return Some(n);
            }
            cur = self.items[i].parent;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::read_line;

    #[test]
    fn nests_numbers_letters_and_bullets() {
        let text = [
            "1. A", "1.1. B", "a) C", "- D", "+ E", "plain", "1.2. F", "2. G", "- H",
        ];
        let lines: Vec<_> = text
            .iter()
            .enumerate()
            .map(|(i, t)| read_line(i + 1, t))
            .collect();
        let o = build(&lines, 0..lines.len());
        assert_eq!(o.roots, vec![0, 7]);
        assert_eq!(o.items[0].children, vec![1, 6]);
        assert_eq!(o.items[1].children, vec![2]);
        assert_eq!(o.items[2].children, vec![3, 5]);
        assert_eq!(o.items[3].children, vec![4]);
        assert_eq!(o.number(&lines, 2).as_deref(), Some("1.1.a"));
        assert_eq!(o.label(&lines, 4).as_deref(), Some("1.1.a"));
        assert_eq!(o.items[7].children, vec![8]);
    }
}
