//! Bundles the chart libraries into the crate at build time.
//!
//! `js/package.json` and the committed `js/package-lock.json` pin exact
//! versions of vega, vega-lite and vega-embed (and playwright-core, used only
//! by the browser test). When `js/node_modules` is missing or holds other
//! versions than the lock file, this runs `npm ci` there (one download from
//! the npm registry; nothing fetched is committed). The three minified
//! browser bundles are then copied into `OUT_DIR`, with their source-map
//! comments removed (a page opened offline must not ask for `*.map` files)
//! and any `</script` escaped so they can sit inside an inline `<script>`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// (npm package, bundle path inside the package, file name in OUT_DIR).
const BUNDLES: [(&str, &str, &str); 3] = [
    ("vega", "build/vega.min.js", "vega.min.js"),
    ("vega-lite", "build/vega-lite.min.js", "vega-lite.min.js"),
    ("vega-embed", "build/vega-embed.min.js", "vega-embed.min.js"),
];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let js = manifest.join("js");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=js/package.json");
    println!("cargo:rerun-if-changed=js/package-lock.json");
    let lock = read_json(&js.join("package-lock.json"));
    let locked = |package: &str| -> String {
        lock["packages"][format!("node_modules/{package}")]["version"]
            .as_str()
            .unwrap_or_else(|| panic!("js/package-lock.json does not pin {package}"))
            .to_string()
    };
    let installed = |package: &str| -> Option<String> {
        let path = js.join("node_modules").join(package).join("package.json");
        path.is_file().then(|| read_json(&path)["version"].as_str().unwrap_or_default().to_string())
    };
    let stale =
        BUNDLES.iter().map(|b| b.0).chain(["playwright-core"]).any(|p| installed(p) != Some(locked(p)));
    if stale {
        npm_ci(&js);
    }
    let mut versions = String::new();
    for (package, bundle, file) in BUNDLES {
        let source = js.join("node_modules").join(package).join(bundle);
        println!("cargo:rerun-if-changed={}", source.display());
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

fn read_json(path: &Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

fn npm_ci(js: &Path) {
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(js)
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!(
            "`npm ci` in {} failed ({s}): plenum-report bundles vega, vega-lite and vega-embed from the \
             npm registry at build time; check the network or run `npm ci` there by hand",
            js.display()
        ),
        Err(e) => panic!(
            "building plenum-report needs npm (Node.js 18 or later) to fetch vega, vega-lite and \
             vega-embed from the npm registry, and running `npm` failed: {e}. Install Node.js and npm \
             (Debian: apt-get install nodejs npm), then build again, or run `npm ci` in {}",
            js.display()
        ),
    }
}
