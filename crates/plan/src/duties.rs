//! Implementing units and their duties.
//!
//! In an implementation section ("TỔ CHỨC THỰC HIỆN", "PHÂN CÔNG NHIỆM VỤ",
//! or a "Trách nhiệm thực hiện" sub-heading) every item is read as an
//! assignment: unit headings, "Unit: duty" lines, "Giao X chủ trì ..."
//! sentences, "X chủ trì ..." paragraphs, and plain duties of the unit above.
//! Elsewhere only explicit assignments count ("Giao X ...", or a task
//! followed by "Cơ quan chủ trì: X").

use std::collections::HashSet;

use crate::dates::{find_deadline, time_clause, when};
use crate::fold::{fold, fold_prefix};
use crate::lines::{Line, Marker};
use crate::model::{Duty, DutyRole, ImplementingUnit, SectionRole};
use crate::outline::Outline;
use crate::sections::{Span, SubKind, is_heading_marker};
use crate::units::{
    clean_name, giao, giao_parts, is_support, looks_like_unit, split_units, subject, support_units,
    unit_colon,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Inside an implementation section: every item is an assignment.
    Strict,
    /// Elsewhere: only explicit assignments.
    Loose,
}

/// Lines that describe the duty above them rather than being duties.
enum Attr<'a> {
    Time(&'a str),
    Lead(&'a str),
    Support(&'a str),
}

fn attribute(body: &str) -> Option<Attr<'_>> {
    let (head, rest) = body.split_once(':')?;
    if head.chars().count() > 40 {
        return None;
    }
    let f = fold(head);
    let rest = rest.trim();
    let timing = ["thoi gian", "thoi han", "tien do"]
        .iter()
        .any(|p| f.starts_with(p));
    if timing && f.split(' ').count() <= 5 {
        return time_clause(body).map(Attr::Time);
    }
    // Exact labels only: "Chủ trì, phối hợp với Sở X: ..." is a duty.
    const LEAD: &[&str] = &[
        "co quan chu tri",
        "don vi chu tri",
        "chu tri",
        "co quan thuc hien",
        "don vi thuc hien",
        "co quan chu tri thuc hien",
        "don vi chu tri thuc hien",
        "chu tri thuc hien",
        "co quan, don vi chu tri",
    ];
    const SUPPORT: &[&str] = &[
        "co quan phoi hop",
        "don vi phoi hop",
        "phoi hop",
        "co quan phoi hop thuc hien",
        "don vi phoi hop thuc hien",
        "phoi hop thuc hien",
        "co quan, don vi phoi hop",
    ];
    let label = f.trim_start_matches(['-', '+', ' ']);
    if rest.is_empty() {
        None
    } else if LEAD.contains(&label) {
        Some(Attr::Lead(rest))
    } else if SUPPORT.contains(&label) {
        Some(Attr::Support(rest))
    } else {
        None
    }
}

pub(crate) struct Extracted {
    pub units: Vec<ImplementingUnit>,
    pub duties: Vec<Duty>,
    /// Folded names of `units`, to keep them unique.
    known: HashSet<String>,
}

pub(crate) fn extract(spans: &[Span], lines: &[Line<'_>], plan_year: Option<i32>) -> Extracted {
    let mut out = Extracted {
        units: Vec::new(),
        duties: Vec::new(),
        known: HashSet::new(),
    };
    for span in spans {
        let mode = if span.role == SectionRole::Implementation {
            Mode::Strict
        } else {
            Mode::Loose
        };
        let mut walker = Walker {
            lines,
            outline: &span.outline,
            kinds: &span.kinds,
            plan_year,
            out: &mut out,
        };
        walker.walk(&span.outline.roots, None, None, mode);
    }
    out
}

struct Walker<'w, 'a> {
    lines: &'w [Line<'a>],
    outline: &'w Outline,
    kinds: &'w [SubKind],
    plan_year: Option<i32>,
    out: &'w mut Extracted,
}

impl<'w, 'a> Walker<'w, 'a> {
    fn line(&self, id: usize) -> &'w Line<'a> {
        &self.lines[self.outline.items[id].line]
    }

    fn register(&mut self, name: &str, number: Option<String>, line: usize) {
        if !name.is_empty() && self.out.known.insert(fold(name)) {
            self.out.units.push(ImplementingUnit {
                number,
                name: name.to_string(),
                line,
            });
        }
    }

    /// Records a duty; `predicate` is the part after the unit name, which
    /// decides the role and names the supporting units.
    fn push(&mut self, unit: &str, text: &str, predicate: &str, line: usize) -> usize {
        let deadline = find_deadline(text, self.plan_year);
        self.out.duties.push(Duty {
            unit: unit.to_string(),
            role: if is_support(predicate) {
                DutyRole::Support
            } else {
                DutyRole::Lead
            },
            support: support_units(predicate),
            text: text.to_string(),
            deadline: deadline.as_ref().and_then(|d| d.date.clone()),
            deadline_text: deadline.map(|d| d.text),
            line,
        });
        self.out.duties.len() - 1
    }

    fn apply(&mut self, duty: usize, attr: Attr<'_>, line: usize) {
        match attr {
            Attr::Time(clause) => {
                let date = when(clause, self.plan_year);
                if let Some(d) = self.out.duties.get_mut(duty) {
                    d.deadline = date;
                    d.deadline_text = Some(clause.to_string());
                }
            }
            Attr::Lead(list) => {
                let names = split_units(list);
                let Some(first) = names.first() else { return };
                self.register(first, None, line);
                if let Some(d) = self.out.duties.get_mut(duty) {
                    d.unit = first.clone();
                    d.support.extend(names.iter().skip(1).cloned());
                }
            }
            Attr::Support(list) => {
                let names = split_units(list);
                if let Some(d) = self.out.duties.get_mut(duty) {
                    for n in names {
                        if !d.support.contains(&n) {
                            d.support.push(n);
                        }
                    }
                }
            }
        }
    }

    fn has_lead_attr(&self, id: usize) -> bool {
        self.outline.items[id]
            .children
            .iter()
            .any(|&c| matches!(attribute(self.line(c).body), Some(Attr::Lead(_))))
    }

    /// Duties from "Giao X chủ trì ..." parts; the part before the first
    /// "Giao" goes to `fallback_unit` when given.
    fn giao_duties(&mut self, body: &str, no: usize, fallback_unit: Option<&str>) -> Option<usize> {
        let parts = giao_parts(body);
        if !parts.iter().any(|(_, g)| *g) {
            return None;
        }
        let mut last = None;
        for (part, is_giao) in parts {
            if is_giao && let Some((unit, predicate)) = giao(part) {
                let unit = clean_name(unit);
                self.register(&unit, None, no);
                last = Some(self.push(&unit, part, predicate, no));
                continue;
            }
            if let Some(unit) = fallback_unit {
                last = Some(self.push(unit, part, part, no));
            }
        }
        last
    }

    fn walk(&mut self, ids: &[usize], unit: Option<&str>, parent_duty: Option<usize>, mode: Mode) {
        let mut sticky: Option<String> = None;
        let mut prev_duty = parent_duty;
        for &id in ids {
            let line = self.line(id);
            let body = line.body;
            let no = line.no;
            let children = self.outline.items[id].children.clone();
            let heading = is_heading_marker(line.marker);
            let number = if heading {
                self.outline.number(self.lines, id)
            } else {
                None
            };

            if let Some(attr) = attribute(body) {
                let target = if mode == Mode::Strict {
                    prev_duty
                } else {
                    parent_duty
                };
                if let Some(d) = target {
                    self.apply(d, attr, no);
                }
                continue;
            }
            if heading {
                match self.kinds.get(id).copied().unwrap_or(SubKind::Other) {
                    SubKind::Duties => {
                        self.walk(&children, None, None, Mode::Strict);
                        continue;
                    }
                    SubKind::Budget if mode == Mode::Strict => continue,
                    _ => {}
                }
            }
            if mode == Mode::Loose {
                let made = self.giao_duties(body, no, None).or_else(|| {
                    self.has_lead_attr(id)
                        .then(|| self.push("", body, body, no))
                });
                self.walk(&children, None, made, Mode::Loose);
                continue;
            }

            let ctx: Option<String> = unit.map(str::to_string).or_else(|| sticky.clone());
            let bullet_like = !heading;

            // "Sở X: duty" or a unit heading ending with a colon.
            if let Some((name, rest)) = unit_colon(body) {
                let name = clean_name(name);
                self.register(&name, number, no);
                let duty = (!rest.is_empty()).then(|| self.push(&name, rest, rest, no));
                self.walk(&children, Some(&name), duty, Mode::Strict);
                if bullet_like {
                    sticky = Some(name);
                }
                prev_duty = duty.or(prev_duty);
                continue;
            }
            // "1. Ban Tuyên giáo Tỉnh ủy" followed by its duties.
            let subj = subject(body);
            let unit_heading = (heading || !children.is_empty())
                && subj.is_none()
                && looks_like_unit(body)
                && giao(body).is_none();
            if unit_heading {
                let name = clean_name(body);
                self.register(&name, number, no);
                self.walk(&children, Some(&name), None, Mode::Strict);
                continue;
            }
            if let Some(d) = self.giao_duties(body, no, ctx.as_deref().or(Some(""))) {
                self.walk(&children, ctx.as_deref(), Some(d), Mode::Strict);
                prev_duty = Some(d);
                continue;
            }
            // An introduction ("... như sau:") or a heading over numbered items.
            let numbered_below = children
                .iter()
                .any(|&c| is_heading_marker(self.line(c).marker));
            if !children.is_empty()
                && (body.ends_with(':') || numbered_below)
                && !self.has_lead_attr(id)
            {
                self.walk(&children, unit, None, Mode::Strict);
                continue;
            }
            // "Sở X chủ trì ...", "Đề nghị Y phối hợp ...": the sentence names
            // its unit. Under a unit heading only explicit forms count.
            if let Some((subj, predicate)) = subj {
                let explicit = fold_prefix(body, 10).starts_with("de nghi")
                    || fold_prefix(predicate, 8).starts_with("chu tri");
                if unit.is_none() || explicit {
                    let name = clean_name(subj);
                    self.register(&name, number, no);
                    let d = self.push(&name, body, predicate, no);
                    if bullet_like || matches!(line.marker, Marker::Plain) {
                        sticky = Some(name.clone());
                    }
                    self.walk(&children, Some(&name), Some(d), Mode::Strict);
                    prev_duty = Some(d);
                    continue;
                }
            }
            let d = self.push(ctx.as_deref().unwrap_or(""), body, body, no);
            self.walk(&children, ctx.as_deref(), Some(d), Mode::Strict);
            prev_duty = Some(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lines() {
        assert!(matches!(
            attribute("Thời gian: Quý II/2025."),
            Some(Attr::Time("Quý II/2025"))
        ));
        assert!(matches!(
            attribute("Cơ quan chủ trì: Sở Nội vụ."),
            Some(Attr::Lead("Sở Nội vụ."))
        ));
        assert!(matches!(
            attribute("Đơn vị phối hợp: Sở Y tế, Sở Tư pháp"),
            Some(Attr::Support(_))
        ));
        assert!(attribute("Sở Y tế: Chủ trì tổ chức").is_none());
        assert!(attribute("Phối hợp với Sở Y tế: tổ chức").is_none());
        assert!(attribute("Chủ trì, phối hợp với Sở Y tế: tổ chức").is_none());
    }
}
