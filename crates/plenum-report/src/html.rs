//! The page: header, navigation, sections with their charts and captions,
//! the inlined chart libraries and the few lines of script that draw every
//! chart. A Content-Security-Policy allows inline scripts and styles only, so
//! the page makes no request even if a library tried to.

use crate::assets;
use crate::format::html as esc;
use crate::sections::{Block, Section};

const STYLE: &str = r#"
:root { --ink: #1d2433; --muted: #5b6475; --line: #d9dde5; --accent: #1f5fa8; --tile: #f4f6fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
header, main, footer, nav { max-width: 980px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 0 0 8px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.lede { color: var(--muted); margin: 0 0 16px; }
.warnings { border-left: 4px solid #b3261e; background: #fdf1f0; padding: 8px 14px; margin: 12px 0; font-size: 14px; }
.warnings p { margin: 0 0 4px; }
.warnings ul { margin: 0; padding-left: 18px; }
nav { position: sticky; top: 0; background: rgba(255,255,255,0.96); border-bottom: 1px solid var(--line); padding-top: 8px; padding-bottom: 8px; z-index: 10; font-size: 14px; display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav a { color: var(--accent); text-decoration: none; white-space: nowrap; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin: 16px 0; }
.tile { background: var(--tile); border-radius: 8px; padding: 10px 12px; min-width: 0; container-type: inline-size; }
.tile .label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; }
.tile .value { font-size: min(22px, calc(100cqi * 1.5 / var(--chars, 10))); font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
.tile .unit { font-size: 12px; color: var(--muted); }
dl.inputs { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 0; font-size: 14px; }
dl.inputs dt { color: var(--muted); }
dl.inputs dd { margin: 0; }
section { margin: 28px 0; }
figure { margin: 12px 0 24px; }
figcaption { font-size: 13px; color: var(--muted); max-width: 780px; margin-top: 4px; }
.chart { min-height: 60px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { color: var(--muted); font-weight: 600; }
td.text, th.text { text-align: left; }
.note { font-size: 13px; color: var(--muted); }
code { font-size: 13px; }
footer { color: var(--muted); font-size: 12px; padding-bottom: 32px; border-top: 1px solid var(--line); padding-top: 8px; }
"#;

const BOOTSTRAP: &str = r#"
(function () {
  var options = {
    mode: 'vega-lite',
    renderer: 'svg',
    actions: { export: true, source: false, compiled: false, editor: false },
    config: {
      font: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
      axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 600 },
      legend: { labelFontSize: 11, titleFontSize: 12, orient: 'right' },
      view: { stroke: null }
    }
  };
  var views = {};
  window.plenumViews = views;
  var nodes = document.querySelectorAll('script[type="application/json"][data-chart]');
  var jobs = Array.prototype.map.call(nodes, function (node) {
    var id = node.getAttribute('data-chart');
    var target = document.getElementById(id);
    // Each chart logs through its own logger, so a warning names its chart.
    var level = 2;
    var logger = {
      level: function (l) { if (l === undefined) return level; level = l; return logger; },
      error: function () { console.error.apply(console, ['chart ' + id + ':'].concat([].slice.call(arguments))); return logger; },
      warn: function () { if (level >= 2) console.warn.apply(console, ['chart ' + id + ':'].concat([].slice.call(arguments))); return logger; },
      info: function () { return logger; },
      debug: function () { return logger; }
    };
    var chartOptions = Object.assign({}, options, { logger: logger });
    return vegaEmbed(target, JSON.parse(node.textContent), chartOptions)
      .then(function (result) { views[id] = result.view; })
      .catch(function (error) {
        target.textContent = 'This chart could not be drawn: ' + error;
        console.error('chart ' + id + ': ' + error);
      });
  });
  Promise.all(jobs).then(function () { document.documentElement.setAttribute('data-charts', 'done'); });
})();
"#;

/// JSON made safe inside `<script type="application/json">`: no `<` can
/// close the element (`\u003c` is the same character to a JSON parser).
fn inline_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

/// The whole page.
pub fn page(title: &str, header: &str, sections: &[Section]) -> String {
    let mut out = String::with_capacity(2_000_000);
    out.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:\">\n",
    );
    out.push_str(&format!("<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n", esc(title)));
    out.push_str(header);
    out.push_str("<nav>");
    for s in sections {
        out.push_str(&format!("<a href=\"#{}\">{}</a>", s.id, esc(&s.title)));
    }
    out.push_str("</nav>\n<main>\n");
    let mut chart_number = 0;
    for s in sections {
        let class = if s.plots { "plots" } else { "notes" };
        out.push_str(&format!("<section id=\"{}\" class=\"{class}\">\n<h2>{}</h2>\n", s.id, esc(&s.title)));
        for block in &s.blocks {
            match block {
                Block::Html(h) => out.push_str(h),
                Block::Chart(chart) => {
                    chart_number += 1;
                    let id = format!("chart-{chart_number}");
                    out.push_str(&format!(
                        "<figure>\n<div class=\"chart\" id=\"{id}\"></div>\n<figcaption>{}</figcaption>\n\
                         <script type=\"application/json\" data-chart=\"{id}\">{}</script>\n</figure>\n",
                        esc(&chart.caption),
                        inline_json(&chart.spec)
                    ));
                }
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n<footer>Made by Plenum ");
    out.push_str(env!("CARGO_PKG_VERSION"));
    out.push_str(". Charts drawn in the page by ");
    let libraries: Vec<String> = assets::VERSIONS.iter().map(|(n, v)| format!("{n} {v}")).collect();
    out.push_str(&esc(&libraries.join(", ")));
    out.push_str(
        ", inlined: the file needs no network. Each chart's menu (\u{22ef}) saves it as SVG or PNG.</footer>\n",
    );
    for script in [assets::VEGA_JS, assets::VEGA_LITE_JS, assets::VEGA_EMBED_JS, BOOTSTRAP] {
        out.push_str("<script>");
        out.push_str(script);
        out.push_str("</script>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_cannot_close_its_script_element() {
        let text = inline_json(&json!({"caption": "</script><b>"}));
        assert!(!text.contains('<'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["caption"], "</script><b>");
    }
}
