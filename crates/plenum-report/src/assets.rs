//! The chart libraries, bundled by `build.rs` from the npm packages pinned in
//! `js/package-lock.json` (source-map comments removed, `</script` escaped).

/// Vega (UMD build: defines `vega`).
pub const VEGA_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/vega.min.js"));
/// Vega-Lite (defines `vegaLite`; needs `vega`).
pub const VEGA_LITE_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/vega-lite.min.js"));
/// vega-embed (defines `vegaEmbed`; needs both).
pub const VEGA_EMBED_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/vega-embed.min.js"));
/// (npm package, version) of the three, as installed.
pub const VERSIONS: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/versions.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_are_the_libraries_and_safe_to_inline() {
        for (text, global) in
            [(VEGA_JS, ".vega={}"), (VEGA_LITE_JS, ".vegaLite={}"), (VEGA_EMBED_JS, ".vegaEmbed=")]
        {
            assert!(text.len() > 40_000, "{global}: {} bytes", text.len());
            assert!(text.contains(global), "{global} defines its global");
            assert!(!text.to_ascii_lowercase().contains("</script"));
            assert!(!text.contains("sourceMappingURL"));
        }
        let names: Vec<&str> = VERSIONS.iter().map(|v| v.0).collect();
        assert_eq!(names, ["vega", "vega-lite", "vega-embed"]);
        assert!(VEGA_JS.contains(&format!("version=\"{}\"", VERSIONS[0].1)));
    }

    #[test]
    fn the_browser_driver_sits_beside_playwright_core_under_out_dir() {
        let driver = std::path::Path::new(crate::BROWSER_DRIVER);
        assert!(driver.starts_with(env!("OUT_DIR")), "{}", driver.display());
        assert!(driver.is_file(), "{}", driver.display());
        let playwright = driver.with_file_name("node_modules").join("playwright-core").join("package.json");
        assert!(playwright.is_file(), "{}", playwright.display());
    }
}
