//! Where the app's wasm bytes go: twiggy's items of the app's wasm, grouped by crate, its
//! largest items and its dominator tree.
//!
//! The wasm that ships (`dist/`) has had its names stripped by wasm-opt, so twiggy reads
//! cargo's own output instead, which keeps them
//! (`$BEIAN_CACHE_DIR/target-wasm/wasm32-unknown-unknown/wasm-release/beian-app.wasm`). Its
//! raw sizes are before wasm-bindgen and wasm-opt, so larger than `dist/`'s; what never ships
//! (the names, wasm-bindgen's own sections and its describe functions and exports) is counted
//! apart and left out of the percentages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::Result;

/// Rows of the crate table in the full report (`cargo xtask size`) and after a build.
const CRATES_FULL: usize = 15;
const CRATES_BRIEF: usize = 10;
/// Rows of the largest items and of the dominator tree.
const ITEMS: usize = 20;
/// Names longer than this are cut, so that a row fits a terminal.
const NAME_WIDTH: usize = 110;

const STD: [&str; 3] = ["core", "alloc", "std"];

/// The app's wasm as cargo built it, before wasm-bindgen and wasm-opt.
pub fn app_wasm() -> PathBuf {
    crate::wasm_target_dir().join("wasm32-unknown-unknown").join("wasm-release").join("beian-app.wasm")
}

/// Prints where the bytes of `wasm` go: the crate table, and with `full` the largest items
/// and the dominator tree. `dist` is the folder of the wasm that ships, for its date.
pub fn report(wasm: &Path, dist: &Path, full: bool) -> Result {
    if Command::new("twiggy").arg("--version").output().is_err() {
        println!("where the bytes go: twiggy is not installed (`cargo xtask setup` installs it)");
        return Ok(());
    }
    if !wasm.is_file() {
        println!("where the bytes go: no {} (build the app first: `cargo xtask build`)", wasm.display());
        return Ok(());
    }
    let items = top(wasm)?;
    println!("where the bytes go (twiggy): {}", wasm.display());
    println!("  cargo's output before wasm-bindgen and wasm-opt: raw sizes there are larger than dist/'s{}", age(wasm, dist));
    crates(&items, if full { CRATES_FULL } else { CRATES_BRIEF });
    if full {
        largest(&items);
        dominators(wasm)?;
    }
    Ok(())
}

/// How old the file is next to the wasm in `dist`, which `cargo xtask build` writes after
/// cargo's build.
fn age(wasm: &Path, dist: &Path) -> String {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let shipped = std::fs::read_dir(dist)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .filter_map(|p| modified(&p))
        .max();
    match (modified(wasm), shipped) {
        (Some(built), Some(shipped)) => match shipped.duration_since(built) {
            Ok(d) if d.as_secs() < 600 => String::new(),
            Ok(d) => format!(
                "; built {} min before dist/'s wasm (cargo found nothing to rebuild, or dist/ is from another build)",
                d.as_secs() / 60
            ),
            Err(_) => "; built after dist/'s wasm, so not the build in dist/ (a later build, or another worktree's: \
                       `cargo xtask build` makes both at once)"
                .into(),
        },
        (Some(built), None) => {
            let ago = SystemTime::now().duration_since(built).map(|d| d.as_secs() / 60).unwrap_or(0);
            format!("; built {ago} min ago, no wasm in dist/")
        }
        _ => String::new(),
    }
}

/// One item of `twiggy top`: its name and its own (shallow) size.
struct Item {
    name: String,
    size: u64,
}

/// Every item of `wasm`, largest first.
fn top(wasm: &Path) -> Result<Vec<Item>> {
    let out = Command::new("twiggy")
        .args(["top", "--format", "json", "-n", "4294967295"])
        .arg(wasm)
        .output()
        .map_err(|e| format!("cannot start twiggy: {e}"))?;
    if !out.status.success() {
        return Err(format!("twiggy top {}: {}", wasm.display(), String::from_utf8_lossy(&out.stderr).trim()));
    }
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("twiggy top's JSON: {e}"))?;
    let rows = value.as_array().ok_or("twiggy top's JSON is not a list")?;
    Ok(rows
        .iter()
        .filter_map(|row| Some(Item { name: row.get("name")?.as_str()?.to_owned(), size: row.get("shallow_size")?.as_u64()? }))
        .collect())
}

/// What an item's bytes count for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Owner {
    /// Never shipped: names, wasm-bindgen's custom sections, describe functions and exports.
    NotShipped,
    /// A kind of item that belongs to no crate.
    Group(&'static str),
    Crate(String),
}

impl Owner {
    fn of(name: &str) -> Owner {
        if name.ends_with(" subsection")
            || name.starts_with("custom section ")
            || name.starts_with("__wbindgen_describe")
            || name.starts_with("export \"__wbindgen_describe")
        {
            return Owner::NotShipped;
        }
        if name.starts_with("data segment ") {
            return Owner::Group("(data segments: constants, strings, tables)");
        }
        let module = ["export ", "import ", "elem[", "table[", "type[", "global[", "memory["];
        if module.iter().any(|m| name.starts_with(m)) {
            return Owner::Group("(module: imports, exports, tables, types)");
        }
        if name.starts_with("code[") {
            return Owner::Group("(functions without a name)");
        }
        match crate_of(name) {
            Some(krate) => Owner::Crate(krate),
            None => Owner::Group("(symbols without a crate path: wasm-bindgen glue, C)"),
        }
    }

    fn label(&self) -> &str {
        match self {
            Owner::NotShipped => "(not shipped)",
            Owner::Group(g) => g,
            Owner::Crate(c) => c,
        }
    }
}

/// The crate an item's demangled name belongs to: the first segment of its path. For
/// `<T as Trait>::…` it is `T`'s crate, or the trait's when `T` is a type parameter or std's;
/// for `<impl Trait for T>`, likewise. A std item made for another crate's type
/// (`core::ptr::drop_in_place<beian_rules::pack::Rule>`) counts for that crate: it is there
/// because of it.
fn crate_of(name: &str) -> Option<String> {
    let name = name.trim_start_matches(['&', '*', ' ']);
    let name = ["mut ", "const ", "dyn "].iter().fold(name, |n, p| n.strip_prefix(p).unwrap_or(n));
    if let Some(inner) = name.strip_prefix('<') {
        let inner = inner.get(..closing(inner)?)?;
        let (ty, tr) = match inner.strip_prefix("impl ") {
            Some(imp) => split_top(imp, " for ").map(|(tr, ty)| (ty, Some(tr))).unwrap_or((imp, None)),
            None => split_top(inner, " as ").map(|(ty, tr)| (ty, Some(tr))).unwrap_or((inner, None)),
        };
        let candidates: Vec<String> = [Some(ty), tr].into_iter().flatten().filter_map(crate_of).collect();
        return candidates.iter().find(|c| !STD.contains(&c.as_str())).or(candidates.first()).cloned();
    }
    let head = path_head(name)?;
    if STD.contains(&head) {
        let generics = name.find('<').and_then(|at| name.get(at..)).unwrap_or_default();
        if let Some(other) = crates_in(generics).find(|c| !STD.contains(c)) {
            return Some(other.to_owned());
        }
    }
    Some(head.to_owned())
}

/// The leading identifier of a path (`beian_rules` in `beian_rules::pack::rules`), if it has
/// one.
fn path_head(text: &str) -> Option<&str> {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    let head = text.get(..end)?;
    (!head.is_empty() && text.get(end..)?.starts_with("::")).then_some(head)
}

/// The leading identifiers of the paths in `text`, in order.
fn crates_in(text: &str) -> impl Iterator<Item = &str> {
    text.char_indices()
        .filter(|&(i, c)| {
            (c.is_alphabetic() || c == '_')
                && text.get(..i).and_then(|b| b.chars().next_back()).is_none_or(|p| !(p.is_alphanumeric() || p == '_' || p == ':'))
        })
        .filter_map(|(i, _)| path_head(text.get(i..)?))
}

/// Where the `<` before `text` closes.
fn closing(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '<' => depth += 1,
            '>' if depth == 0 => return Some(i),
            '>' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `text` split at the first `separator` outside angle brackets.
fn split_top<'a>(text: &'a str, separator: &str) -> Option<(&'a str, &'a str)> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            _ if depth == 0 && text.get(i..).is_some_and(|r| r.starts_with(separator)) => {
                return Some((text.get(..i)?, text.get(i + separator.len()..)?));
            }
            _ => {}
        }
    }
    None
}

/// The crate table: the largest owners of shipped bytes.
fn crates(items: &[Item], rows: usize) {
    let mut by_owner: HashMap<Owner, (u64, usize)> = HashMap::new();
    for item in items {
        let entry = by_owner.entry(Owner::of(&item.name)).or_default();
        entry.0 += item.size;
        entry.1 += 1;
    }
    let not_shipped = by_owner.remove(&Owner::NotShipped).unwrap_or_default();
    let shipped: u64 = by_owner.values().map(|(size, _)| size).sum();
    let mut owners: Vec<(Owner, (u64, usize))> = by_owner.into_iter().collect();
    owners.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.label().cmp(b.0.label())));
    let crates = owners.iter().filter(|(o, _)| matches!(o, Owner::Crate(_))).count();
    println!("  by crate (an item counts for the crate its path names; a std generic made for a crate's type, for that crate):");
    println!("  {:>10} {:>6} {:>7}  crate", "raw bytes", "%", "items");
    for (owner, (size, count)) in owners.iter().take(rows) {
        println!("  {size:>10} {:>5.1}% {count:>7}  {}", percent(*size, shipped), owner.label());
    }
    let rest: u64 = owners.iter().skip(rows).map(|(_, (size, _))| size).sum();
    println!("  {rest:>10} {:>5.1}% {:>7}  the other {} rows", percent(rest, shipped), "", owners.len().saturating_sub(rows));
    println!(
        "  {shipped:>10} bytes in {crates} crates and {} other groups; not shipped (names, wasm-bindgen's sections, describe \
         functions and exports): {} bytes in {} items",
        owners.len() - crates,
        not_shipped.0,
        not_shipped.1
    );
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 * 100.0 / whole as f64 }
}

/// A name without its symbol hash (`::h0123456789abcdef`), cut to [`NAME_WIDTH`].
fn shown(name: &str) -> String {
    let name = match name.rsplit_once("::h") {
        Some((path, hash)) if hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()) => path,
        _ => name,
    };
    if name.chars().count() > NAME_WIDTH {
        let cut: String = name.chars().take(NAME_WIDTH - 1).collect();
        format!("{cut}…")
    } else {
        name.to_owned()
    }
}

/// The largest shipped items.
fn largest(items: &[Item]) {
    let mut shipped: Vec<&Item> = items.iter().filter(|i| Owner::of(&i.name) != Owner::NotShipped).collect();
    shipped.sort_by_key(|i| std::cmp::Reverse(i.size));
    println!("  largest items (twiggy top, shipped ones):");
    println!("  {:>10}  {:<20} item", "raw bytes", "crate");
    for item in shipped.iter().take(ITEMS) {
        let owner = Owner::of(&item.name);
        println!("  {:>10}  {:<20} {}", item.size, shown(owner.label()), shown(&item.name));
    }
}

/// The first rows of twiggy's dominator tree, three levels deep: what each item keeps in the
/// module (retained bytes).
fn dominators(wasm: &Path) -> Result {
    let out = Command::new("twiggy")
        .args(["dominators", "-d", "3"])
        .arg(wasm)
        .output()
        .map_err(|e| format!("cannot start twiggy: {e}"))?;
    if !out.status.success() {
        return Err(format!("twiggy dominators {}: {}", wasm.display(), String::from_utf8_lossy(&out.stderr).trim()));
    }
    println!("  dominators (twiggy dominators -d 3; retained bytes, percentages of the whole file):");
    for line in String::from_utf8_lossy(&out.stdout).lines().take(ITEMS + 2) {
        let line = match line.rsplit_once("::h") {
            Some((path, hash)) if hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()) => path,
            _ => line,
        };
        let cut: String = line.chars().take(NAME_WIDTH + 40).collect();
        println!("  {cut}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_count_for_their_crates() {
        for (name, owner) in [
            ("beian_rules::ids::validate_field::hb51bd5215a8277ce", "beian_rules"),
            (
                "<beian_rules::pack::_::<impl serde_core::de::Deserialize for beian_rules::pack::Effect>::deserialize::__Visitor \
                 as serde_core::de::Visitor>::visit_enum::h77567133a536e278",
                "beian_rules",
            ),
            ("core::ptr::drop_in_place<beian_rules::pack::Rule>::h912ca494de922af0", "beian_rules"),
            ("core::ops::function::FnOnce::call_once{{vtable.shim}}::h8de0536656ddb90e", "core"),
            ("<&mut serde_json::de::Deserializer<R> as serde_core::de::Deserializer>::deserialize_seq::h4312", "serde_json"),
            ("<F as leptos_router::matching::choose_view::ChooseView>::choose::{{closure}}::h6fb933b9928b44ce", "leptos_router"),
            ("<core::marker::PhantomData<T> as serde_core::de::DeserializeSeed>::deserialize::h48c8", "serde_core"),
            ("<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop::h1", "alloc"),
            ("tachys::reactive_graph::<impl tachys::view::Render for F>::build::{{closure}}::h36d9", "tachys"),
            ("\"function names\" subsection", "(not shipped)"),
            ("custom section '__wasm_bindgen_unstable'", "(not shipped)"),
            ("export \"__wbindgen_describe___wbg_new_1\"", "(not shipped)"),
            ("__wbindgen_describe___wbg_new_with_into_underlying_source_10a8d5a675a6a5f5", "(not shipped)"),
            ("data segment \".rodata\"", "(data segments: constants, strings, tables)"),
            ("elem[0]", "(module: imports, exports, tables, types)"),
            ("__wbg_jspi_task_poll", "(symbols without a crate path: wasm-bindgen glue, C)"),
        ] {
            assert_eq!(Owner::of(name).label(), owner, "{name}");
        }
    }

    #[test]
    fn names_lose_their_hash() {
        assert_eq!(shown("beian_rules::pack::rules::h03a8fc5b11831260"), "beian_rules::pack::rules");
        assert_eq!(shown("elem[0]"), "elem[0]");
    }
}
