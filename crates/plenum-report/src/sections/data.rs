//! The data behind the report: the files of the run folder and, for each
//! table, its columns with their units and descriptions, so the numbers can
//! be loaded straight into pandas, polars or DuckDB.

use super::{Block, Section, paragraph};
use crate::format::{self, html};
use crate::{ReportError, Run};
use plenum_engine::ColumnValues;

/// The data files section (notes, no chart).
pub fn data_files(run: &Run) -> Result<Option<Section>, ReportError> {
    let mut blocks = vec![Block::Html(paragraph(
        "The run folder holds summary.json (every figure above), scenario.toml (the scenario as run, with \
         any --set overrides listed at its end) and one Parquet file per table below (CSV too with --csv). \
         Column names end in their unit; each column's description is also in the Parquet field metadata. \
         For example, in Python: pandas.read_parquet(\"hourly.parquet\").",
    ))];
    // In file-name order, as the run folder lists them, so `plenum report DIR`
    // rebuilds the page `plenum run --out DIR` wrote whatever order the run made them in.
    let mut tables: Vec<_> = run.tables.iter().collect();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    for table in tables {
        let mut text = format!(
            "<details><summary><code>{}.parquet</code>: {} rows, {} columns. {}</summary>\n<table><thead><tr>\
             <th>Column</th><th class=\"text\">Type</th><th class=\"text\">Description</th></tr></thead><tbody>",
            html(&table.name),
            format::number(table.rows() as f64, 0),
            table.columns.len(),
            html(&table.description)
        );
        for c in &table.columns {
            let kind = match c.values {
                ColumnValues::F64(_) => "float64",
                ColumnValues::OptF64(_) => "float64 (nullable)",
                ColumnValues::U64(_) => "uint64",
                ColumnValues::I64(_) => "int64",
                ColumnValues::Text(_) => "string",
                ColumnValues::Bool(_) => "bool",
            };
            text.push_str(&format!(
                "<tr><td><code>{}</code></td><td class=\"text\">{kind}</td><td class=\"text\">{}</td></tr>",
                html(&c.name),
                html(&c.description)
            ));
        }
        text.push_str("</tbody></table></details>\n");
        blocks.push(Block::Html(text));
    }
    Ok(Some(Section { id: "data", title: "Data files".into(), blocks, plots: false }))
}
