//! The module tree is the pipeline: `src/`'s top-level modules are layers,
//! and a module imports only from the layers before it (a module and its own
//! parent or child excepted). This test reads every `crate::` and `super::`
//! path of `src/` (comments and `#[cfg(test)]` modules left out: tests may
//! reach anywhere), and fails on
//! - an edge from one layer to the same or a later one (upward or sideways),
//! - a cycle between modules inside one layer (parent/child edges excepted),
//! - a top-level module that is not in [`LAYERS`] (say where it belongs).
//!
//! To add a module: put it in the folder of its layer; to add a layer, add it
//! to [`LAYERS`] at its place in the data flow.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, in the order data flows. Modules of one group do not import
/// each other; each imports only from earlier groups.
const LAYERS: &[&[&str]] = &[
    // diagnostics, text, escaping, languages and dates, hashing, output files
    &["core"],
    // site.yaml -> Config
    &["config"],
    // the typed vocabulary: kinds, front matter metadata, Page
    &["model"],
    // reading and validating content and roster (plain YAML, consent)
    &["input"],
    // Markdown -> HTML, headings, links
    &["markdown"],
    // the site model: Site::load and its phases, tags, load caches
    &["site"],
    // theme, template context, views (cards, lists)
    &["render"],
    // every file a build writes: pages, feeds, calendar, search, …
    &["outputs"],
    // one build: phases, timings, caches; serve's incremental state
    &["pipeline"],
    // long-running and reporting front ends
    &["serve", "digest"],
    // the CLI, one file a command
    &["commands"],
];

type Module = Vec<String>;

fn rank(top: &str) -> Option<usize> {
    LAYERS.iter().position(|g| g.contains(&top))
}

/// `src/a/b.rs` and `src/a/b/mod.rs` -> `[a, b]`; `src/lib.rs` -> `[]`.
fn module_of(rel: &Path) -> Option<Module> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop()?;
    let stem = last.strip_suffix(".rs")?;
    match stem {
        "mod" => {}
        "lib" | "main" if parts.is_empty() => return Some(Vec::new()),
        s => parts.push(s.to_string()),
    }
    Some(parts)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments, string literals' contents and
/// `#[cfg(test)]` items (from the attribute to the end of the file: test
/// modules are last in this crate's files).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            // Raw strings (r"…", r#"…"#) are rare here and hold no paths.
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && b.get(i + 2) == Some(&b'\'') {
            // a char literal such as '"'
            i += 3;
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Paths (as segments) that follow `at` in `code`: `a::b::C`, or each item
/// of a `{…}` group, nested groups included.
fn paths_after(code: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let chars: Vec<char> = code.chars().collect();
    parse_path(&chars, 0, prefix, out)
}

fn parse_path(
    c: &[char],
    mut i: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    loop {
        while i < c.len() && c[i].is_whitespace() {
            i += 1;
        }
        if i < c.len() && c[i] == '{' {
            i += 1;
            loop {
                while i < c.len() && (c[i].is_whitespace() || c[i] == ',') {
                    i += 1;
                }
                if i >= c.len() || c[i] == '}' {
                    return i + 1;
                }
                i = parse_path(c, i, prefix.clone(), out);
            }
        }
        let start = i;
        while i < c.len() && is_ident(c[i]) {
            i += 1;
        }
        let seg: String = c[start..i].iter().collect();
        if seg.is_empty() || seg == "self" {
            out.push(prefix);
            return i;
        }
        prefix.push(seg);
        if c.get(i) == Some(&':') && c.get(i + 1) == Some(&':') {
            i += 2;
        } else {
            out.push(prefix);
            // skip `as x` and the rest of this item
            while i < c.len() && !matches!(c[i], ',' | '}' | ';' | '\n') {
                i += 1;
            }
            return i;
        }
    }
}

/// Every module each module of `src/` names.
fn edges() -> BTreeMap<Module, BTreeSet<Module>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut modules: BTreeMap<Module, String> = BTreeMap::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap_or(f);
        if rel == Path::new("main.rs") {
            continue; // the binary: uses the library by its name
        }
        if let Some(m) = module_of(rel) {
            let text =
                std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            modules.insert(m, code_of(&text));
        }
    }
    let known: BTreeSet<Module> = modules.keys().cloned().collect();
    let resolve = |path: &[String]| -> Option<Module> {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|p| known.contains(p))
    };
    let mut graph = BTreeMap::new();
    for (m, code) in &modules {
        let mut targets = BTreeSet::new();
        let mut paths = Vec::new();
        for (i, _) in code.match_indices("crate::") {
            if i > 0
                && code[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| is_ident(c) || c == '$')
            {
                continue;
            }
            paths_after(&code[i + "crate::".len()..], Vec::new(), &mut paths);
        }
        for (i, _) in code.match_indices("super::") {
            let before = code[..i].chars().next_back();
            if before.is_some_and(|c| is_ident(c) || c == ':') {
                continue; // the second `super` of `super::super::`
            }
            let mut rest = &code[i..];
            // `mod.rs` is its module; `a/b.rs`'s `super` is `a`
            let mut base = m.clone();
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            paths_after(rest, base, &mut paths);
        }
        for p in paths {
            if let Some(t) = resolve(&p) {
                if &t != m {
                    targets.insert(t);
                }
            }
        }
        graph.insert(m.clone(), targets);
    }
    graph
}

fn show(m: &Module) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

fn related(a: &Module, b: &Module) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

#[test]
fn the_scanner_sees_imports() {
    let g = edges();
    let m = |s: &str| s.split("::").map(String::from).collect::<Module>();
    // a few edges the pipeline cannot do without: if the scanner stops seeing
    // them, the other tests would pass on nothing
    assert!(g.len() > 20, "found only {} modules", g.len());
    let total: usize = g.values().map(|t| t.len()).sum();
    assert!(total > 50, "found only {total} edges");
    assert!(g.get(&m("config")).is_some_and(|t| t
        .iter()
        .any(|x| x.first().map(String::as_str) == Some("core"))));
    assert!(g.get(&m("site")).is_some_and(|t| t.contains(&m("config"))));
    let mut p = Vec::new();
    paths_after("{a::{b, c::D}, e as f, self};", Vec::new(), &mut p);
    assert_eq!(p, vec![m("a::b"), m("a::c::D"), m("e"), vec![]]);
}

#[test]
fn every_module_imports_only_from_earlier_layers() {
    let mut bad = Vec::new();
    for (from, targets) in edges() {
        let Some(top) = from.first() else { continue };
        let Some(r) = rank(top) else {
            bad.push(format!(
                "src/{top}: not a layer of tests/layers.rs LAYERS; move it into the folder of its layer or add the layer"
            ));
            continue;
        };
        for to in targets {
            let Some(ttop) = to.first() else { continue };
            if ttop == top {
                continue;
            }
            match rank(ttop) {
                Some(tr) if tr < r => {}
                _ => bad.push(format!(
                    "{} imports {}: `{ttop}` is not a layer before `{top}` (see LAYERS in tests/layers.rs)",
                    show(&from),
                    show(&to)
                )),
            }
        }
    }
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} layer violations:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn no_import_cycles_between_modules() {
    let g = edges();
    // Tarjan's strongly connected components, parent/child edges left out.
    struct T<'g> {
        g: &'g BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'g Module, usize>,
        low: BTreeMap<&'g Module, usize>,
        stack: Vec<&'g Module>,
        on: BTreeSet<&'g Module>,
        next: usize,
        cycles: Vec<Vec<String>>,
    }
    fn visit<'g>(t: &mut T<'g>, v: &'g Module) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        if let Some(ws) = t.g.get(v) {
            for w in ws.iter().filter(|w| !related(v, w)) {
                let Some((w, _)) = t.g.get_key_value(w) else {
                    continue;
                };
                if !t.index.contains_key(w) {
                    visit(t, w);
                    let lw = t.low[w];
                    let lv = t.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if t.on.contains(w) {
                    let iw = t.index[w];
                    let lv = t.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(show(w));
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.cycles.push(comp);
            }
        }
    }
    let mut t = T {
        g: &g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        cycles: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    let cycles: Vec<String> = t
        .cycles
        .iter()
        .map(|c| format!("({})", c.join(", ")))
        .collect();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}
