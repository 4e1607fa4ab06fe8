//! Bundles the chart libraries into the crate at build time, writing only
//! into `OUT_DIR`.
//!
//! `js/package.json` and the committed `js/package-lock.json` pin exact
//! versions of vega, vega-lite and vega-embed (and playwright-core, used only
//! by the browser test). They are copied into `OUT_DIR/npm`, and when
//! `OUT_DIR/npm/node_modules` is missing or holds other versions than the
//! lock file this runs `npm ci` there (one download from the npm registry, or
//! none from npm's own cache; nothing lands in the source tree and nothing
//! fetched is committed). The browser test's driver `js/check-report.mjs` is
//! copied beside that `node_modules`, where it finds playwright-core
//! (`plenum_report::BROWSER_DRIVER`). The three minified browser bundles are
//! then copied into `OUT_DIR`, with their source-map comments removed (a page
//! opened offline must not ask for `*.map` files) and any `</script` escaped
//! so they can sit inside an inline `<script>`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// (npm package, bundle path inside the package, file name in OUT_DIR).
const BUNDLES: [(&str, &str, &str); 3] = [
    ("vega", "build/vega.min.js", "vega.min.js"),
    ("vega-lite", "build/vega-lite.min.js", "vega-lite.min.js"),
    ("vega-embed", "build/vega-embed.min.js", "vega-embed.min.js"),
];

/// What the build copies from `js/` into `OUT_DIR/npm`.
const COPIED: [&str; 3] = ["package.json", "package-lock.json", "check-report.mjs"];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let js = manifest.join("js");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let npm_dir = out.join("npm");
    std::fs::create_dir_all(&npm_dir).expect("create OUT_DIR/npm");
    for file in COPIED {
        println!("cargo:rerun-if-changed=js/{file}");
        copy_if_changed(&js.join(file), &npm_dir.join(file));
    }
    let lock = read_json(&npm_dir.join("package-lock.json"));
    let locked = |package: &str| -> String {
        lock["packages"][format!("node_modules/{package}")]["version"]
            .as_str()
            .unwrap_or_else(|| panic!("js/package-lock.json does not pin {package}"))
            .to_string()
    };
    let installed = |package: &str| -> Option<String> {
        let path = npm_dir.join("node_modules").join(package).join("package.json");
        path.is_file().then(|| read_json(&path)["version"].as_str().unwrap_or_default().to_string())
    };
    let stale =
        BUNDLES.iter().map(|b| b.0).chain(["playwright-core"]).any(|p| installed(p) != Some(locked(p)));
    if stale {
        npm_ci(&npm_dir);
    }
    let mut versions = String::new();
    for (package, bundle, file) in BUNDLES {
        let source = npm_dir.join("node_modules").join(package).join(bundle);
        let text = std::fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("cannot read {} after `npm ci`: {e}", source.display()));
        let cleaned: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//# sourceMappingURL="))
            .collect::<Vec<_>>()
            .join("\n")
            .replace("</script", "<\\/script")
            .replace("</SCRIPT", "<\\/SCRIPT");
        std::fs::write(out.join(file), cleaned).expect("write into OUT_DIR");
        let version = installed(package).expect("installed");
        versions.push_str(&format!("({package:?}, {version:?}),\n"));
    }
    std::fs::write(out.join("versions.rs"), format!("[\n{versions}]\n")).expect("write into OUT_DIR");
}

/// Copy `from` to `to` unless `to` already holds the same bytes (so an
/// unchanged lock file does not look new to npm).
fn copy_if_changed(from: &Path, to: &Path) {
    let bytes = std::fs::read(from).unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()));
    if std::fs::read(to).ok().as_deref() != Some(bytes.as_slice()) {
        std::fs::write(to, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", to.display()));
    }
}

fn read_json(path: &Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// Run `npm ci` in `dir` (a copy of `js/` under OUT_DIR), failing the build
/// with what to do when npm is missing or the install fails.
fn npm_ci(dir: &Path) {
    if !Command::new("npm").arg("--version").output().is_ok_and(|o| o.status.success()) {
        panic!(
            "building plenum-report needs npm (Node.js 18 or later): it fetches vega, vega-lite and \
             vega-embed, pinned by crates/plenum-report/js/package-lock.json, from the npm registry \
             into {}, and `npm --version` could not be run. Install Node.js and npm (Debian: apt-get \
             install nodejs npm), then build again.",
            dir.display()
        );
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!(
            "`npm ci` in {} failed ({s}): plenum-report bundles vega, vega-lite and vega-embed from the \
             npm registry at build time; check the network (or npm's proxy settings) and build again",
            dir.display()
        ),
        Err(e) => panic!("running `npm ci` in {} failed: {e}", dir.display()),
    }
}
