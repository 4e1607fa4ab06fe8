//! Rules of the code's shape that the compiler does not check
//! (ARCHITECTURE.md, "Invariants"): no source file imports a module that
//! imports it back, directly or through others.
//!
//! The module graph is read from the sources: a file `a/b.rs` (or
//! `a/b/mod.rs`) is module `a::b` of its crate; it imports module `m` when
//! it names a path through `m` (`crate::m::x`, `super::x`, `self::c::x`, or
//! `use c::x` for a child `c`), resolved to the longest prefix that is a
//! module file. Its inline `#[cfg(test)] mod tests` is left out (tests read
//! their parent by design), and so is a `mod x;` declaration, which nests a
//! module and imports nothing.
//!
//! The rule is checked among siblings: for every module (the crate root
//! included), its children, each standing for itself and everything below
//! it, must not import each other in a cycle. A parent and its own children
//! are one unit (a folder module re-exports and wires its parts, and the
//! parts use the types their parent declares), so that pair is not a cycle;
//! two parts of the same folder, or two top-level modules, that need each
//! other are.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// Every `.rs` file under `src`, by its module path.
fn modules(src: &Path) -> BTreeMap<Module, PathBuf> {
    let mut found = BTreeMap::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(src).unwrap().with_extension("");
                let mut module: Module =
                    relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
                if matches!(module.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                    module.pop();
                }
                found.insert(module, path);
            }
        }
    }
    found
}

/// The source without line comments and without its inline test module.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(start) => &text[..start],
        None => &text[..],
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(comment) => &line[..comment],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths a file names that start at `crate`, `super` or `self`, made
/// absolute, plus `use child::...` of its own child modules.
fn paths_named(code: &str, module: &Module, known: &BTreeMap<Module, PathBuf>) -> Vec<Module> {
    let mut paths = Vec::new();
    let bytes = code.as_bytes();
    for (start, _) in code.match_indices("::") {
        // The whole path this `::` belongs to: back to its first segment.
        let mut begin = start;
        while begin > 0 && (is_ident(bytes[begin - 1] as char) || code[..begin].ends_with("::")) {
            begin -= if code[..begin].ends_with("::") { 2 } else { 1 };
        }
        if begin > 0 && code[..begin].ends_with("::") {
            continue;
        }
        let mut end = start;
        while end < code.len() && (is_ident(bytes[end] as char) || code[end..].starts_with("::")) {
            end += if code[end..].starts_with("::") { 2 } else { 1 };
        }
        // Count each path once: at its first `::`.
        if code[begin..start].contains("::") {
            continue;
        }
        let segments: Vec<&str> = code[begin..end].split("::").filter(|s| !s.is_empty()).collect();
        let Some((&head, rest)) = segments.split_first() else { continue };
        let mut absolute: Module = match head {
            "crate" => Vec::new(),
            "self" => module.clone(),
            "super" => {
                let mut parent = module.clone();
                parent.pop();
                let mut rest = rest;
                while let Some((&"super", tail)) = rest.split_first() {
                    parent.pop();
                    rest = tail;
                }
                parent.extend(rest.iter().map(|s| s.to_string()));
                paths.push(parent);
                continue;
            }
            child => {
                let mut path = module.clone();
                path.push(child.to_string());
                if known.contains_key(&path) && code[..begin].trim_end().ends_with("use") {
                    path
                } else {
                    continue;
                }
            }
        };
        if matches!(head, "crate" | "self") {
            absolute.extend(rest.iter().map(|s| s.to_string()));
        }
        paths.push(absolute);
    }
    paths
}

/// The module graph of one crate: module -> the modules it imports.
fn graph(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let known = modules(src);
    let mut edges = BTreeMap::new();
    for (module, path) in &known {
        let targets: &mut BTreeSet<Module> = edges.entry(module.clone()).or_default();
        for named in paths_named(&code_of(path), module, &known) {
            let target = (0..=named.len()).rev().map(|k| named[..k].to_vec()).find(|p| known.contains_key(p));
            if let Some(target) = target.filter(|t| t != module) {
                targets.insert(target);
            }
        }
    }
    edges
}

/// The groups of two or more modules that reach each other (Tarjan).
fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct State<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        groups: Vec<Vec<Module>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        for w in s.edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.stack.contains(&w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                group.push(w.clone());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                s.groups.push(group);
            }
        }
    }
    let mut state =
        State { edges, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), groups: Vec::new() };
    for v in edges.keys() {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.groups
}

/// For each module `parent` with children, the import graph among its
/// children (each child standing for itself and its descendants).
fn sibling_graphs(
    edges: &BTreeMap<Module, BTreeSet<Module>>,
) -> Vec<(Module, BTreeMap<Module, BTreeSet<Module>>)> {
    let parents: BTreeSet<Module> =
        edges.keys().flat_map(|m| (0..m.len()).map(|k| m[..k].to_vec())).collect();
    parents
        .into_iter()
        .map(|parent| {
            let under = |m: &Module| {
                (m.len() > parent.len() && m.starts_with(&parent)).then(|| m[..=parent.len()].to_vec())
            };
            let mut graph: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
            for (from, targets) in edges {
                let Some(a) = under(from) else { continue };
                for b in targets.iter().filter_map(under).filter(|b| *b != a) {
                    graph.entry(a.clone()).or_default().insert(b);
                }
            }
            (parent, graph)
        })
        .collect()
}

fn name(module: &Module) -> String {
    if module.is_empty() { "<crate root>".into() } else { module.join("::") }
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut found = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(crates).unwrap() {
        let src = entry.unwrap().path().join("src");
        if !src.is_dir() {
            continue;
        }
        let edges = graph(&src);
        checked += edges.len();
        for (parent, siblings) in sibling_graphs(&edges) {
            for group in cycles(&siblings) {
                let names: Vec<String> = group.iter().map(name).collect();
                found.push(format!(
                    "{} (in {}): {}",
                    src.parent().unwrap().display(),
                    name(&parent),
                    names.join(" <-> ")
                ));
            }
        }
    }
    assert!(checked > 50, "only {checked} modules found: the walk is broken");
    assert!(found.is_empty(), "modules that import each other:\n{}", found.join("\n"));
}

#[test]
fn the_check_sees_a_cycle_and_a_clean_graph() {
    let dir = std::env::temp_dir().join(format!("plenum-architecture-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("b")).unwrap();
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\n").unwrap();
    std::fs::write(src.join("a.rs"), "use crate::b::c::Thing;\npub struct Other;\n").unwrap();
    std::fs::write(src.join("b/mod.rs"), "mod c;\npub use c::Thing;\n").unwrap();
    std::fs::write(
        src.join("b/c.rs"),
        "pub struct Thing;\n#[cfg(test)]\nmod tests {\n    use crate::a::Other;\n}\n",
    )
    .unwrap();
    let sibling_cycles = |src: &Path| -> Vec<Vec<Module>> {
        sibling_graphs(&graph(src)).iter().flat_map(|(_, g)| cycles(g)).collect()
    };
    assert!(sibling_cycles(&src).is_empty(), "a test module's import is not a cycle");
    // A child using its parent's items is not a cycle either.
    std::fs::write(src.join("b/c.rs"), "pub struct Thing(super::Parent);\n").unwrap();
    std::fs::write(src.join("b/mod.rs"), "mod c;\npub use c::Thing;\npub struct Parent;\n").unwrap();
    assert!(sibling_cycles(&src).is_empty(), "a parent and its child are one unit");
    std::fs::write(src.join("b/c.rs"), "pub struct Thing(crate::a::Other);\n").unwrap();
    let found = sibling_cycles(&src);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0], vec![vec!["a".to_string()], vec!["b".to_string()]]);
}
