//! The app's release build, split so that the start page loads first:
//!
//! 1. cargo builds the app with its `split` feature (every page but the start page and the
//!    check is a split point of its group, `app/src/later.rs`) and the linker keeps the
//!    wasm's relocations (`app/build.rs`);
//! 2. the split (`wasm_split_cli_support`, the library `cargo leptos --split` uses) moves the
//!    code that only a split point reaches into a wasm file of its own, code that several
//!    share into chunks, and writes the loader that fetches them;
//! 3. wasm-bindgen writes the JS glue of what stays (`--keep-lld-exports`: the split files
//!    link against the main wasm's exports);
//! 4. wasm-opt shrinks the main wasm and every split file, with `index.html`'s settings;
//! 5. `dist/` is written from `index.html` (into a new folder, which replaces `dist/` once
//!    all is written): every file named by a hash (the glue and the loader, which import each
//!    other, by one hash of both; the others by their own), the start script a file of its
//!    own (the Content-Security-Policy forbids inline scripts), each file with its integrity
//!    (the page's tags, and the loader's fetches).
//!
//! trunk cannot run step 2 (it goes from cargo straight to wasm-bindgen), so it stays the dev
//! server: `trunk serve` builds the app without the feature, one wasm.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::toolchain::WasmToolchain;
use crate::{Result, root, status};

/// The split's names for the files it links together; `dist/` gets hashed names.
const GLUE: &str = "beian-app";
const LOADER: &str = "beian-split";

/// Builds the app into `dist/` (replaced whole once the new one is written).
pub fn build(wasm: WasmToolchain) -> Result {
    let target = crate::wasm_target_dir();
    let mut cargo = Command::new(wasm.cargo());
    cargo.current_dir(root()).args([
        "build",
        "--locked",
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "beian-app",
        "--bin",
        "beian-app",
        "--features",
        "split",
    ]);
    let immediate_abort = wasm.apply_release(&mut cargo, &target);
    println!("xtask: building the app (cargo, release, split{}; a cold build takes several minutes)", if immediate_abort { ", panics abort at once" } else { "" });
    status(&mut cargo)?;

    let work = target.join("split");
    recreate(&work)?;
    let parts = work.join("parts");
    let main_wasm = work.join("main.wasm");
    let input = read(&crate::bloat::app_wasm())?;
    println!("xtask: splitting the wasm");
    let link_name = format!("./{LOADER}.js");
    let main_module = format!("./{GLUE}.js");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &parts;
        options.main_out_path = &main_wasm;
        options.link_name = &link_name;
        options.main_module = &main_module;
        options
    })
    .map_err(|e| format!("splitting the wasm: {e:?}"))?;

    let bindgen = work.join("bindgen");
    status(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--keep-lld-exports", "--no-demangle", "--no-typescript", "--out-name", GLUE, "--out-dir"])
            .arg(&bindgen)
            .arg(&main_wasm),
    )?;

    let html = read_text(&root().join("index.html"))?;
    let level = attribute(&html, "data-wasm-opt").unwrap_or("z");
    let params = attribute(&html, "data-wasm-opt-params").unwrap_or_default();
    println!("xtask: optimising the main wasm and {} split files (wasm-opt -O{level})", split.split_modules.len());
    let main_bg = bindgen.join(format!("{GLUE}_bg.wasm"));
    for file in std::iter::once(&main_bg).chain(&split.split_modules) {
        let mut opt = Command::new(wasm.wasm_opt());
        opt.arg(format!("-O{level}")).args(params.split_whitespace()).arg(file).arg("-o").arg(file);
        status(&mut opt)?;
    }

    write_dist(&html, &bindgen, &parts, &split.split_modules)
}

/// Writes `dist/`: the split files, the loader, the glue and the main wasm, the CSS, the start
/// script and `index.html`. A build that fails on the way leaves the last `dist/` as it was.
fn write_dist(html: &str, bindgen: &Path, parts: &Path, split_files: &[PathBuf]) -> Result {
    if bindgen.join("snippets").exists() {
        return Err("wasm-bindgen wrote snippets, which this build does not copy yet".into());
    }
    let dist = root().join("dist.new");
    recreate(&dist)?;
    let mut loader = read_text(&parts.join(format!("{LOADER}.js")))?;
    for file in split_files {
        let bytes = read(file)?;
        let stem = file.file_stem().and_then(|s| s.to_str()).ok_or("a split file without a name")?;
        let name = format!("{stem}-{}.wasm", short_hash(&bytes));
        let fetched = format!("new URL(\"./{stem}.wasm\", import.meta.url))");
        if !loader.contains(&fetched) {
            // An empty split point: the loader fetches nothing for it.
            continue;
        }
        let checked = format!("new URL(\"./{name}\", import.meta.url), {{ integrity: \"{}\" }})", integrity(&bytes));
        loader = loader.replace(&fetched, &checked);
        write(&dist.join(&name), &bytes)?;
    }
    // Every file the loader fetches is there (a change in the splitter's output would
    // otherwise ship pages that cannot load).
    for url in crate::sizes::loader_fetches(&loader) {
        if !dist.join(&url).is_file() {
            return Err(format!("the split's loader fetches {url}, which the build did not write"));
        }
    }
    let glue = read_text(&bindgen.join(format!("{GLUE}.js")))?;
    let main = read(&bindgen.join(format!("{GLUE}_bg.wasm")))?;
    let main_name = format!("{GLUE}-{}_bg.wasm", short_hash(&main));
    // The glue and the loader import each other: one hash of both names them.
    let build = short_hash(&[glue.as_bytes(), loader.as_bytes()].concat());
    let glue_name = format!("{GLUE}-{build}.js");
    let loader_name = format!("{LOADER}-{build}.js");
    // Only the modules' specifiers: the wasm's imports keep the loader's first name, which
    // the glue's import object uses as a key.
    let glue = replace_all(&glue, &format!("from \"./{LOADER}.js\""), &format!("from \"./{loader_name}\""), "the glue")?;
    let loader = replace_all(&loader, &format!("from \"./{GLUE}.js\""), &format!("from \"./{glue_name}\""), "the split's loader")?;
    write(&dist.join(&glue_name), glue.as_bytes())?;
    write(&dist.join(&main_name), &main)?;
    write(&dist.join(&loader_name), loader.as_bytes())?;

    let css = read(&root().join("style").join("main.css"))?;
    let css_name = format!("main-{}.css", short_hash(&css));
    write(&dist.join(&css_name), &css)?;
    let start = format!("import init from '/{glue_name}';\nawait init({{ module_or_path: '/{main_name}' }});\n");
    let start_name = format!("start-{}.js", short_hash(start.as_bytes()));
    write(&dist.join(&start_name), start.as_bytes())?;

    let head = [
        format!("<link rel=\"stylesheet\" href=\"/{css_name}\" integrity=\"{}\"/>", integrity(&css)),
        format!(
            "<link rel=\"modulepreload\" href=\"/{glue_name}\" crossorigin=\"anonymous\" integrity=\"{}\">",
            integrity(glue.as_bytes())
        ),
        format!(
            "<link rel=\"modulepreload\" href=\"/{loader_name}\" crossorigin=\"anonymous\" integrity=\"{}\">",
            integrity(loader.as_bytes())
        ),
        format!(
            "<link rel=\"preload\" href=\"/{main_name}\" crossorigin=\"anonymous\" integrity=\"{}\" as=\"fetch\" type=\"application/wasm\">",
            integrity(&main)
        ),
        format!("<script type=\"module\" src=\"/{start_name}\" integrity=\"{}\"></script>", integrity(start.as_bytes())),
    ];
    let page = replace_tag(html, "<link data-trunk rel=\"css\"", &head[0])?;
    let page = replace_tag(&page, "<link data-trunk rel=\"rust\"", &head[1..].join("\n    "))?;
    if page.contains("data-trunk") {
        return Err("index.html has a data-trunk tag this build does not know (only rel=\"css\" and rel=\"rust\")".into());
    }
    write(&dist.join("index.html"), page.as_bytes())?;
    let shipped = root().join("dist");
    remove(&shipped)?;
    std::fs::rename(&dist, &shipped).map_err(|e| format!("{} to {}: {e}", dist.display(), shipped.display()))
}

/// The value of `name="…"` in `html`.
fn attribute<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("{name}=\"");
    let at = html.find(&open)? + open.len();
    html.get(at..)?.split('"').next()
}

/// `html` with the tag that starts with `start` (up to its `>`) replaced by `with`.
fn replace_tag(html: &str, start: &str, with: &str) -> Result<String> {
    let at = html.find(start).ok_or_else(|| format!("index.html has no {start}…>"))?;
    let end = html.get(at..).and_then(|rest| rest.find('>')).map(|e| at + e + 1).ok_or("index.html: an unclosed tag")?;
    Ok(format!("{}{with}{}", html.get(..at).unwrap_or_default(), html.get(end..).unwrap_or_default()))
}

/// `text` with every `from` replaced; none is an error (the split's output changed).
fn replace_all(text: &str, from: &str, to: &str, what: &str) -> Result<String> {
    if text.contains(from) { Ok(text.replace(from, to)) } else { Err(format!("{what} does not name {from}")) }
}

/// 16 hex digits of a content hash: the server caches names like `x-0123456789abcdef.js`
/// for a year.
fn short_hash(bytes: &[u8]) -> String {
    Sha384::digest(bytes).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// A subresource integrity value.
fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

fn remove(dir: &Path) -> Result {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    Ok(())
}

fn recreate(dir: &Path) -> Result {
    remove(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_keeps_everything_but_trunks_links() {
        let html = "<head>\n<link data-trunk rel=\"css\" href=\"style/main.css\">\n<link data-trunk rel=\"rust\" href=\"app/Cargo.toml\"\n data-wasm-opt=\"z\">\n</head>";
        let page = replace_tag(html, "<link data-trunk rel=\"css\"", "<link rel=\"stylesheet\" href=\"/m.css\">").expect("css");
        let page = replace_tag(&page, "<link data-trunk rel=\"rust\"", "<script src=\"/s.js\"></script>").expect("rust");
        assert_eq!(page, "<head>\n<link rel=\"stylesheet\" href=\"/m.css\">\n<script src=\"/s.js\"></script>\n</head>");
        assert_eq!(attribute(html, "data-wasm-opt"), Some("z"));
        assert!(replace_tag(&page, "<link data-trunk", "x").is_err());
    }

    #[test]
    fn a_name_is_replaced_everywhere_or_refused() {
        assert_eq!(replace_all("import './a.js';", "./a.js", "./a-1.js", "glue"), Ok("import './a-1.js';".to_owned()));
        assert_eq!(replace_all("'./a.js' './a.js'", "./a.js", "./b.js", "glue"), Ok("'./b.js' './b.js'".to_owned()));
        assert!(replace_all("nothing", "./a.js", "./b.js", "glue").is_err());
    }

    #[test]
    fn hashes_are_sixteen_hex_digits_and_integrity_is_sha384() {
        assert_eq!(short_hash(b"x").len(), 16);
        assert_ne!(short_hash(b"x"), short_hash(b"y"));
        assert!(integrity(b"").starts_with("sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb"));
    }
}
