//! Rules of the code base that the compiler does not enforce, checked by
//! reading the source: SQL dialect rules live in `src/db/` only, rows are
//! read by name, files stay small, and modules form no import circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, as (path relative to src, text).
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = src();
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).expect("read source"))
        })
        .collect()
}

fn outside_db() -> impl Iterator<Item = (String, String)> {
    sources().into_iter().filter(|(p, _)| !p.starts_with("db/"))
}

/// The contents of the string literals in `text` (plain and raw), enough
/// to find SQL in them.
fn string_literals(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'\'' => {
                // A char literal ('"', '\'') or a lifetime: skip past it.
                if bytes.get(i + 2) == Some(&b'\'') {
                    i += 3;
                } else if bytes.get(i + 1) == Some(&b'\\') && bytes.get(i + 3) == Some(&b'\'') {
                    i += 4;
                } else {
                    i += 1;
                }
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"') | Some(b'#'))
                && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while bytes.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if bytes.get(j) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let start = j + 1;
                let end = text[start..].find(&close).map_or(text.len(), |k| start + k);
                out.push(text[start..end].to_owned());
                i = end + close.len();
            }
            b'"' => {
                let mut j = i + 1;
                let mut s = String::new();
                while j < bytes.len() && bytes[j] != b'"' {
                    if bytes[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                s.push_str(&text[i + 1..j.min(text.len())]);
                out.push(s);
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn looks_like_sql(s: &str) -> bool {
    let u = s.to_ascii_uppercase();
    [
        "SELECT ",
        "INSERT INTO",
        "UPDATE ",
        "DELETE FROM",
        " WHERE ",
        " FROM ",
    ]
    .iter()
    .any(|k| u.contains(k))
        && !u.contains("{%")
}

#[test]
fn sql_dialect_rules_live_in_db_only() {
    let mut problems = Vec::new();
    for (path, text) in outside_db() {
        if text.contains("AssertSqlSafe") {
            problems.push(format!(
                "{path}: AssertSqlSafe (dynamic SQL goes through QueryBuilder)"
            ));
        }
        for lit in string_literals(&text) {
            if !looks_like_sql(&lit) {
                continue;
            }
            let upper = lit.to_ascii_uppercase();
            if upper.contains("CAST(") {
                problems.push(format!(
                    "{path}: CAST( in SQL (use sum_i64!/count_i64!): {lit:.60}"
                ));
            }
            let bytes = lit.as_bytes();
            let question = bytes.iter().enumerate().any(|(k, &b)| {
                b == b'?'
                    && k > 0
                    && matches!(bytes[k - 1], b' ' | b',' | b'(' | b'=')
                    && bytes.get(k + 1).is_none_or(|c| !c.is_ascii_alphabetic())
            });
            if question {
                problems.push(format!("{path}: ? placeholder (use $N): {lit:.60}"));
            }
            if lit.contains('{') && lit.contains('}') && !lit.contains("{{") {
                problems.push(format!("{path}: format! into SQL: {lit:.60}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "SQL outside db/ bypasses its rules:\n{}",
        problems.join("\n")
    );
}

#[test]
fn rows_are_read_by_name() {
    let positional = [
        "use sqlx::Row",
        "sqlx::Row;",
        "sqlx::Row,",
        ", Row}",
        ", Row,",
        "{Row,",
        "AnyRow",
    ];
    let found: Vec<String> = outside_db()
        .filter(|(_, text)| positional.iter().any(|p| text.contains(p)))
        .map(|(path, _)| path)
        .collect();
    assert!(
        found.is_empty(),
        "rows read by position (derive sqlx::FromRow instead) in: {found:?}"
    );
}

#[test]
fn files_stay_small() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter_map(|(path, text)| {
            let n = text.lines().count();
            (n > MAX_LINES).then(|| format!("{path}: {n} lines"))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// A module's path (`["contests", "repo"]`) from its file.
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_owned)
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Which files each file names through `crate::`, `super::` or `self::`.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = sources();
    let by_module: BTreeMap<Vec<String>, String> = files
        .iter()
        .map(|(p, _)| (module_of(p), p.clone()))
        .collect();
    // `pub use child::Item` in a module: a path to `module::Item` leads to
    // the child file that defines it, so a circle cannot hide behind a
    // re-export.
    let mut reexports: BTreeMap<(Vec<String>, String), String> = BTreeMap::new();
    for (file, text) in &files {
        let here = module_of(file);
        for line in text.lines() {
            let line = line.trim_start();
            let Some(rest) = line
                .strip_prefix("pub use ")
                .or_else(|| line.strip_prefix("pub(crate) use "))
            else {
                continue;
            };
            for path in use_paths(rest) {
                let (Some(first), Some(item)) = (path.first(), path.last()) else {
                    continue;
                };
                let mut child = here.clone();
                child.push(first.clone());
                if path.len() > 1 && by_module.contains_key(&child) {
                    let mut full = here.clone();
                    full.extend(path[..path.len() - 1].iter().cloned());
                    let target = (1..=full.len())
                        .rev()
                        .find_map(|n| by_module.get(&full[..n]).cloned());
                    if let Some(target) = target {
                        reexports.insert((here.clone(), item.clone()), target);
                    }
                }
            }
        }
    }
    let resolve = |path: &[String]| -> Option<String> {
        (1..=path.len()).rev().find_map(|n| {
            let file = by_module.get(&path[..n])?;
            match path.get(n) {
                Some(item) => Some(
                    reexports
                        .get(&(path[..n].to_vec(), item.clone()))
                        .unwrap_or(file)
                        .clone(),
                ),
                None => Some(file.clone()),
            }
        })
    };
    let mut graph = BTreeMap::new();
    for (file, text) in &files {
        let here = module_of(file);
        // An inline test module's `super::` is the file itself.
        let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
        let mut targets = BTreeSet::new();
        for (anchor, base) in [
            ("crate::", Vec::new()),
            ("super::", here[..here.len().saturating_sub(1)].to_vec()),
            ("self::", here.clone()),
        ] {
            for (at, _) in text.match_indices(anchor) {
                if at > 0
                    && (text.as_bytes()[at - 1].is_ascii_alphanumeric()
                        || text.as_bytes()[at - 1] == b':'
                        || text.as_bytes()[at - 1] == b'_')
                {
                    continue;
                }
                let rest = &text[at + anchor.len()..];
                for path in use_paths(rest) {
                    let mut full = base.clone();
                    full.extend(path);
                    if let Some(target) = resolve(&full)
                        && &target != file
                    {
                        targets.insert(target);
                    }
                }
            }
        }
        graph.insert(file.clone(), targets);
    }
    graph
}

/// The module paths after an anchor: `a::b::C` gives [a, b, C]; a group
/// `a::{b, c::D}` gives [a, b] and [a, c, D].
fn use_paths(rest: &str) -> Vec<Vec<String>> {
    let ident = |s: &str| -> usize {
        s.find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(s.len())
    };
    let mut prefix = Vec::new();
    let mut s = rest;
    loop {
        let n = ident(s);
        if n == 0 {
            break;
        }
        prefix.push(s[..n].to_owned());
        s = &s[n..];
        if let Some(after) = s.strip_prefix("::") {
            s = after;
            if let Some(group) = s.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                return group[..end]
                    .split(',')
                    .map(|item| {
                        let mut p = prefix.clone();
                        for seg in item.trim().split("::") {
                            let n = ident(seg);
                            if n > 0 {
                                p.push(seg[..n].to_owned());
                            }
                        }
                        p
                    })
                    .collect();
            }
        } else {
            break;
        }
    }
    vec![prefix]
}

/// Strongly connected components (Tarjan), largest first.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in &self.graph[v] {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut scc = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    scc.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                scc.sort();
                self.out.push(scc);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    let mut out = walk.out;
    out.sort_by_key(|c| std::cmp::Reverse(c.len()));
    out
}

#[test]
fn no_import_circle_of_more_than_two_files() {
    let big: Vec<Vec<String>> = circles(&import_graph())
        .into_iter()
        .filter(|c| c.len() > 2)
        .collect();
    assert!(big.is_empty(), "import circles: {big:#?}");
}

#[test]
fn features_depend_on_the_shared_layer_never_the_reverse() {
    let graph = import_graph();
    let leaning: Vec<&String> = graph
        .iter()
        .filter(|(file, targets)| {
            !matches!(
                file.as_str(),
                "lib.rs" | "main.rs" | "serve.rs" | "cli.rs" | "app.rs"
            ) && targets.contains("app.rs")
        })
        .map(|(file, _)| file)
        .collect();
    assert!(
        leaning.is_empty(),
        "only serve and cli use app.rs: {leaning:?}"
    );
    // The shared layer names no feature, so every feature can build on it.
    let features = [
        "accounts/",
        "units/",
        "plans/",
        "tracking/",
        "contests/",
        "awards/",
        "search/",
    ];
    let shared = [
        "state.rs",
        "web/",
        "db/",
        "error.rs",
        "clock.rs",
        "text.rs",
        "config.rs",
        "session/",
    ];
    let upward: Vec<String> = graph
        .iter()
        .filter(|(file, _)| shared.iter().any(|s| file.starts_with(s)))
        .flat_map(|(file, targets)| {
            targets
                .iter()
                .filter(|t| features.iter().any(|f| t.starts_with(f)))
                .map(move |t| format!("{file} -> {t}"))
        })
        .collect();
    assert!(
        upward.is_empty(),
        "the shared layer imports a feature: {upward:?}"
    );
}

#[test]
fn the_circle_finder_finds_circles() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(circles(&g)[0], vec!["a", "b", "c"]);
    assert_eq!(
        use_paths("x::{y, z::W}"),
        vec![
            vec!["x".to_owned(), "y".to_owned()],
            vec!["x".to_owned(), "z".to_owned(), "W".to_owned()]
        ]
    );
    assert_eq!(
        string_literals(r#"let a = "SELECT ?"; let b = '"';"#),
        vec!["SELECT ?"]
    );
}
