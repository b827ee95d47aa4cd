//! The sizes of the built app (`dist/`), raw and brotli-compressed, against two budgets:
//! - **first load**: what `index.html` loads before the start page works — the page itself,
//!   every file its tags name (`src`, `href`), and every file those scripts load before they
//!   start the app (static `import`s, and the wasm the start script names);
//! - **whole app**: every file `dist/` serves.
//!
//! Each file's brotli copy (`<file>.br`, quality 11) is written beside it; the backend sends it
//! to a browser that accepts brotli.

use std::collections::BTreeSet;
use std::path::Path;

use crate::Result;

/// Budgets in brotli bytes (issue 18): the first page, and the whole app.
pub const FIRST_LOAD_BUDGET: usize = 150_000;
pub const WHOLE_BUDGET: usize = 250_000;

/// One file of `dist/`.
struct Served {
    name: String,
    raw: usize,
    brotli: usize,
    first: bool,
}

/// The names of the files a page or script names that exist in `dist` (`present`): values of
/// `src="…"`/`href="…"` attributes in HTML, quoted module specifiers and the wasm's path in
/// JavaScript (`from '/x.js'`, `import '/x.js'`, `module_or_path: '/x_bg.wasm'`). Dynamic
/// `import(…)` and `new URL('x.wasm', import.meta.url)` are not followed: the split's loader
/// names its files so and fetches each when a page first needs it.
fn named(text: &str, html: bool, present: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    let mut push = |value: &str| {
        let name = value.trim_start_matches("./").trim_start_matches('/');
        if present.contains(name) && !found.iter().any(|f: &String| f == name) {
            found.push(name.to_owned());
        }
    };
    if html {
        for attr in ["src=\"", "href=\""] {
            for (at, _) in text.match_indices(attr) {
                let rest = text.get(at + attr.len()..).unwrap_or_default();
                push(rest.split('"').next().unwrap_or_default());
            }
        }
        return found;
    }
    for quote in ['\'', '"'] {
        let mut parts = text.split(quote);
        let mut before = parts.next().unwrap_or_default();
        // Every other part is inside quotes.
        while let (Some(inside), Some(after)) = (parts.next(), parts.next()) {
            let lead = before.trim_end();
            let dynamic = lead.ends_with("import(");
            let static_use = lead.ends_with("from")
                || lead.ends_with("import")
                || lead.ends_with("module_or_path:");
            if static_use && !dynamic {
                push(inside);
            }
            before = after;
        }
    }
    found
}

/// The files of `dist` that `index.html` loads before the app starts, `index.html` first.
fn first_load(dist: &Path, present: &BTreeSet<String>) -> Result<BTreeSet<String>> {
    let mut seen = BTreeSet::new();
    let mut queue = vec!["index.html".to_owned()];
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let is_html = name.ends_with(".html");
        if !(is_html || name.ends_with(".js")) {
            continue;
        }
        let text = std::fs::read_to_string(dist.join(&name)).map_err(|e| format!("{}: {e}", dist.join(&name).display()))?;
        queue.extend(named(&text, is_html, present));
    }
    Ok(seen)
}

/// Brotli at the quality a static build ships (11).
fn compress(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut compressed = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut compressed, &params).map_err(|e| format!("brotli: {e}"))?;
    Ok(compressed)
}

/// Prints every file of `dist` with its sizes and whether the first load needs it, then the
/// first load and the whole app against their budgets; writes each file's `.br` beside it.
pub fn report(dist: &Path) -> Result {
    let mut present = BTreeSet::new();
    for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && !name.ends_with(".br") {
            present.insert(name);
        }
    }
    let first = first_load(dist, &present)?;
    let mut files = Vec::new();
    for name in &present {
        let path = dist.join(name);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let compressed = compress(&bytes)?;
        let br = dist.join(format!("{name}.br"));
        std::fs::write(&br, &compressed).map_err(|e| format!("{}: {e}", br.display()))?;
        files.push(Served { name: name.clone(), raw: bytes.len(), brotli: compressed.len(), first: first.contains(name) });
    }
    // The first load in the order it comes, then the rest.
    files.sort_by(|a, b| b.first.cmp(&a.first).then(b.brotli.cmp(&a.brotli)));
    println!("size report ({}; each file's brotli copy written beside it as .br):", dist.display());
    println!("  {:<40} {:>12} {:>12}  loaded", "file", "raw bytes", "brotli bytes");
    for f in &files {
        println!("  {:<40} {:>12} {:>12}  {}", f.name, f.raw, f.brotli, if f.first { "first" } else { "later" });
    }
    let (first_raw, first_br) = total(&files, |f| f.first);
    let (whole_raw, whole_br) = total(&files, |_| true);
    let (code_raw, code_br) = total(&files, |f| f.name.ends_with(".wasm") || f.name.ends_with(".js"));
    println!(
        "  first load (index.html and what it loads before the start page works): {first_raw} raw, {first_br} brotli: {}",
        verdict(first_br, FIRST_LOAD_BUDGET)
    );
    println!("  whole app (every file dist/ serves): {whole_raw} raw, {whole_br} brotli: {}", verdict(whole_br, WHOLE_BUDGET));
    println!("  wasm + JS alone (the figure of earlier reports): {code_raw} raw, {code_br} brotli");
    let loader = files.iter().find(|f| f.name.starts_with("beian-split-") && f.name.ends_with(".js"));
    if let Some(loader) = loader {
        let text = std::fs::read_to_string(dist.join(&loader.name)).map_err(|e| format!("{}: {e}", loader.name))?;
        println!("  what each group of pages fetches when one of them is first shown (its own file and the chunks it shares):");
        for (group, names) in groups(&text)? {
            let picked: Vec<&Served> = files.iter().filter(|f| names.contains(&f.name)).collect();
            let (raw, br) = picked.iter().fold((0, 0), |(raw, br), f| (raw + f.raw, br + f.brotli));
            println!("    {group:<12} {:>2} files {raw:>9} raw {br:>9} brotli", picked.len());
        }
    }
    Ok(())
}

/// The split's loader (`beian-split-*.js`) read for each group of pages, in its order: the
/// group's name and the files it fetches (`new URL("./x.wasm", …)` in its own loader and in
/// the `__chunk_N` loaders it waits for).
fn groups(loader: &str) -> Result<Vec<(String, Vec<String>)>> {
    let urls = loader_fetches;
    let export = "export const __wasm_split_load_";
    let mut chunks = std::collections::BTreeMap::new();
    for part in loader.split("const __chunk_").skip(1) {
        let Some(number) = part.split(' ').next() else { continue };
        if let Some(file) = urls(part.split(export).next().unwrap_or_default()).into_iter().next() {
            chunks.insert(format!("__chunk_{number}"), file);
        }
    }
    let mut found = Vec::new();
    for part in loader.split(export).skip(1) {
        let name = part.split(' ').next().unwrap_or_default().to_owned();
        let mut files = urls(part);
        let deps = part.rsplit_once('[').map(|(_, d)| d.split(']').next().unwrap_or_default()).unwrap_or_default();
        for dep in deps.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            files.push(chunks.get(dep).cloned().ok_or_else(|| format!("the split's loader: group {name} waits for {dep}, which it does not define"))?);
        }
        if files.is_empty() {
            return Err(format!("the split's loader: group {name} fetches nothing that this report can read"));
        }
        found.push((name, files));
    }
    Ok(found)
}

/// The files a part of the split's loader fetches, in its order (`new URL("./x.wasm", …)`).
pub fn loader_fetches(text: &str) -> Vec<String> {
    let open = "new URL(\"./";
    text.match_indices(open)
        .filter_map(|(at, _)| text.get(at + open.len()..)?.split('"').next().map(str::to_owned))
        .collect()
}

/// Raw and brotli bytes of the files `pick` takes.
fn total(files: &[Served], pick: impl Fn(&Served) -> bool) -> (usize, usize) {
    files.iter().filter(|f| pick(f)).fold((0, 0), |(raw, br), f| (raw + f.raw, br + f.brotli))
}

fn verdict(size: usize, budget: usize) -> String {
    if size <= budget {
        format!("within the budget of {budget} ({} to spare)", budget - size)
    } else {
        format!("OVER the budget of {budget} by {}", size - budget)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn present(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn the_page_names_its_files() {
        let files = present(&["main-1.css", "start-2.js", "app-3.js", "app-3_bg.wasm", "lazy-4.wasm"]);
        let html = r#"<link rel="stylesheet" href="/main-1.css"><link rel="modulepreload" href="/app-3.js">
            <a href="/apply">x</a><script type="module" src="/start-2.js"></script>"#;
        let mut found = named(html, true, &files);
        found.sort();
        assert_eq!(found, ["app-3.js", "main-1.css", "start-2.js"]);
    }

    #[test]
    fn scripts_name_what_they_load_at_once_and_not_what_comes_later() {
        let files = present(&["app-3.js", "app-3_bg.wasm", "lazy-4.js", "other.js"]);
        let start = "import init, * as bindings from '/app-3.js';\nconst wasm = await init({ module_or_path: '/app-3_bg.wasm' });\n\
                     const later = () => import('/lazy-4.js'); const s = 'other.js';";
        assert_eq!(named(start, false, &files), ["app-3.js", "app-3_bg.wasm"]);
        let glue = r#"import * as s from "./other.js"; module_or_path = new URL('app-3_bg.wasm', import.meta.url);"#;
        assert_eq!(named(glue, false, &files), ["other.js"]);
        let loader = r#"import { initSync } from "./app-3.js"; const c = () => fetch(new URL("./lazy-4.js", import.meta.url));"#;
        assert_eq!(named(loader, false, &files), ["app-3.js"]);
    }

    #[test]
    fn each_group_of_pages_fetches_its_file_and_the_chunks_it_waits_for() {
        let loader = r#"import { initSync } from "./app-1.js";
/* a, b */
const __chunk_3 = makeLoad(() => {
    const src = fetch(new URL("./chunk_3-9.wasm", import.meta.url));
}, []);
const __chunk_4 = makeLoad(() => {
    const src = fetch(new URL("./chunk_4-8.wasm", import.meta.url));
}, []);
export const __wasm_split_load_b = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_b-7.wasm", import.meta.url));
}
, [__chunk_3]));
export const __wasm_split_load_a = wrapAsyncCb(makeLoad(() => async (_imp) => ({}), [__chunk_3, __chunk_4]));
"#;
        assert_eq!(
            groups(loader).expect("read"),
            [
                ("b".to_owned(), vec!["split_b-7.wasm".to_owned(), "chunk_3-9.wasm".to_owned()]),
                ("a".to_owned(), vec!["chunk_3-9.wasm".to_owned(), "chunk_4-8.wasm".to_owned()]),
            ]
        );
        // A loader this report cannot read is said, not counted as nothing.
        assert!(groups("export const __wasm_split_load_c = wrapAsyncCb(makeLoad(x, [__chunk_9]));").is_err());
        assert!(groups("export const __wasm_split_load_d = wrapAsyncCb(makeLoad(x, []));").is_err());
    }

    #[test]
    fn verdicts_name_the_budget() {
        assert_eq!(verdict(100, 150), "within the budget of 150 (50 to spare)");
        assert_eq!(verdict(200, 150), "OVER the budget of 150 by 50");
    }
}
