//! Columnar output tables: the time series and event logs a run produces, as
//! plain data. Writers at the edge (`plenum-io`) turn them into Parquet or
//! CSV; the Python package hands them over as Arrow tables.
//!
//! Column names carry their unit (`it_power_kw`, `time_h`); every table and
//! column has a one-line description that ends up in the file's metadata.

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValues {
    /// Floating-point quantities.
    F64(Vec<f64>),
    /// Floating-point quantities that some rows lack (null in Arrow, an empty
    /// CSV cell): a sweep's figures where a variant has no such figure.
    OptF64(Vec<Option<f64>>),
    /// Counts and integer times.
    U64(Vec<u64>),
    /// Signed integers.
    I64(Vec<i64>),
    /// Names and categories.
    Text(Vec<String>),
    /// Flags.
    Bool(Vec<bool>),
}

impl ColumnValues {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            ColumnValues::F64(v) => v.len(),
            ColumnValues::OptF64(v) => v.len(),
            ColumnValues::U64(v) => v.len(),
            ColumnValues::I64(v) => v.len(),
            ColumnValues::Text(v) => v.len(),
            ColumnValues::Bool(v) => v.len(),
        }
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One named column.
#[derive(Debug, Clone, PartialEq)]
pub struct DataColumn {
    /// Name with unit suffix (`facility_power_kw`).
    pub name: String,
    /// What the column holds.
    pub description: String,
    /// The unit of its values when the name cannot carry it (a sweep's
    /// figure named by its summary path); written as the field's `unit`
    /// metadata.
    pub unit: Option<String>,
    /// The values.
    pub values: ColumnValues,
}

impl DataColumn {
    /// A column.
    pub fn new(name: &str, description: &str, values: ColumnValues) -> Self {
        DataColumn { name: name.to_string(), description: description.to_string(), unit: None, values }
    }
}

/// A table: columns of equal length.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// File stem (`hourly`, `events`).
    pub name: String,
    /// What one row is.
    pub description: String,
    /// The columns, all of the same length.
    pub columns: Vec<DataColumn>,
}

impl DataTable {
    /// An empty table.
    pub fn new(name: &str, description: &str) -> Self {
        DataTable { name: name.to_string(), description: description.to_string(), columns: Vec::new() }
    }

    /// Add a column (builder style).
    ///
    /// # Panics
    /// If its length differs from the columns already there.
    pub fn with(mut self, name: &str, description: &str, values: ColumnValues) -> Self {
        if let Some(first) = self.columns.first() {
            assert_eq!(first.values.len(), values.len(), "column {name} of table {}", self.name);
        }
        self.columns.push(DataColumn::new(name, description, values));
        self
    }

    /// Add a column with its unit (builder style; see [`DataColumn::unit`]).
    ///
    /// # Panics
    /// If its length differs from the columns already there.
    pub fn with_unit(self, name: &str, description: &str, unit: &str, values: ColumnValues) -> Self {
        let mut table = self.with(name, description, values);
        if let Some(column) = table.columns.last_mut() {
            column.unit = Some(unit.to_string());
        }
        table
    }

    /// Rows in the table.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    /// A column by name.
    pub fn column(&self, name: &str) -> Option<&DataColumn> {
        self.columns.iter().find(|c| c.name == name)
    }
}
