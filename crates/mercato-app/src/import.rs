//! Catalog import from a spreadsheet (S1): one row per SKU, columns as in
//! `docs/catalog-import.md`, upsert by part number. Every bad cell is
//! reported with its row, column, value and reason; the mode decides
//! whether valid rows are applied or nothing is.
//!
//! The sheet is read whole, then gone through twice: a light pass groups
//! the rows into products and notes part numbers and relation targets; then
//! groups are parsed, checked and written 500 at a time, so that only one
//! batch of parsed rows and products is in memory. Relations are written
//! last, once it is known which of their targets were imported.

use crate::auth::Principal;
use crate::catalog::{brand_slug, product_changed};
use crate::media::{MediaFile, MediaService};
use crate::{App, AppError};
use mercato_core::attribute::{AttrCode, AttributeDef};
use mercato_core::catalog::{
    Brand, Category, Gtin, Product, ProductStatus, RelationKind, SalesUnit, Sku, Slug, Variant,
    parse_count, parse_measure,
};
use mercato_core::{
    AuditId, BrandId, CategoryId, ImportId, Lang, LocalizedText, Permission, ProductId, VariantId,
};
use mercato_docs::{Sheet, SheetFormat, SheetLimits, SheetRow, read_sheet};
use mercato_store::audit::{self, AuditEntry};
use mercato_store::catalog::{self as store, ImportRecord, MediaRecord};
use mercato_store::{Timestamp, Tx};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

/// What to do with a file that has bad rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportMode {
    /// Apply the valid rows; report and skip the bad ones.
    ValidRows,
    /// Apply nothing unless every row is valid.
    AllOrNothing,
}

impl ImportMode {
    /// Parses `valid-rows` or `all-or-nothing`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "valid-rows" | "valid_rows" => Some(ImportMode::ValidRows),
            "all-or-nothing" | "all_or_nothing" => Some(ImportMode::AllOrNothing),
            _ => None,
        }
    }
}

/// How to import.
#[derive(Clone, Copy, Debug)]
pub struct ImportOptions {
    pub mode: ImportMode,
    /// Validate and report only.
    pub dry_run: bool,
}

/// Where the files named in `images`/`documents`/`video` come from.
pub trait MediaSource: Send + Sync {
    /// The bytes of `name`, if the source has it.
    fn fetch(&self, name: &str) -> Option<Vec<u8>>;
    /// For messages: "folder ./media".
    fn describe(&self) -> String;
}

/// Files in a folder (names may not leave it).
pub struct FolderSource(pub PathBuf);

impl MediaSource for FolderSource {
    fn fetch(&self, name: &str) -> Option<Vec<u8>> {
        if name.contains("..") || name.starts_with('/') || name.contains('\\') {
            return None;
        }
        std::fs::read(self.0.join(name)).ok()
    }
    fn describe(&self) -> String {
        format!("folder {}", self.0.display())
    }
}

/// Files given along with the spreadsheet (an upload, or generated demo data).
pub struct MapSource(pub HashMap<String, Vec<u8>>);

impl MediaSource for MapSource {
    fn fetch(&self, name: &str) -> Option<Vec<u8>> {
        self.0.get(name).cloned()
    }
    fn describe(&self) -> String {
        "the uploaded files".into()
    }
}

/// One problem with one cell (or row, or the file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowIssue {
    /// Row number as the spreadsheet shows it (the header is row 1; 0 = the whole file).
    pub row: usize,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// The outcome of an import, as the report shows it.
#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    pub import_id: String,
    pub file_name: String,
    pub mode: ImportMode,
    pub dry_run: bool,
    /// Whether anything was written.
    pub applied: bool,
    /// A sentence saying what happened, including the mode.
    pub summary: String,
    pub rows_total: usize,
    pub rows_valid: usize,
    pub rows_failed: usize,
    pub products_created: usize,
    pub products_updated: usize,
    pub products_unchanged: usize,
    pub brands_created: usize,
    pub notes: Vec<String>,
    pub issues: Vec<RowIssue>,
}

impl ImportReport {
    /// The issues as CSV (`row,column,value,reason`) with a summary line first.
    pub fn to_csv(&self) -> Vec<u8> {
        let headers = ["row", "column", "value", "reason"]
            .map(String::from)
            .to_vec();
        let mut rows = vec![vec![
            "0".into(),
            String::new(),
            String::new(),
            self.summary.clone(),
        ]];
        rows.extend(self.issues.iter().map(|i| {
            vec![
                i.row.to_string(),
                i.column.clone(),
                i.value.clone(),
                i.reason.clone(),
            ]
        }));
        mercato_docs::write_csv(&headers, &rows)
    }
}

/// Progress of a running import: `(what, done, total)`.
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TextField {
    Name,
    Short,
    Description,
    MetaTitle,
    MetaDescription,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Column {
    Sku,
    Product,
    Status,
    Brand,
    Category,
    Text(TextField, Lang),
    Gtin,
    Mpn,
    Unit,
    PackSize,
    MinQuantity,
    QuantityStep,
    WeightKg,
    LengthMm,
    WidthMm,
    HeightMm,
    VariantStatus,
    ReplacementSku,
    Attr(AttrCode),
    Images,
    Documents,
    Video,
    Related(RelationKind),
    Markets,
}

impl Column {
    fn product_level(&self) -> bool {
        matches!(
            self,
            Column::Product
                | Column::Status
                | Column::Brand
                | Column::Category
                | Column::Text(..)
                | Column::Images
                | Column::Documents
                | Column::Video
                | Column::Related(_)
                | Column::Markets
        )
    }
}

const TEXT_PREFIXES: [(&str, TextField); 5] = [
    ("name.", TextField::Name),
    ("short_description.", TextField::Short),
    ("description.", TextField::Description),
    ("meta_title.", TextField::MetaTitle),
    ("meta_description.", TextField::MetaDescription),
];

fn parse_header(h: &str, attributes: &HashMap<String, AttributeDef>) -> Result<Column, String> {
    let simple = match h {
        "sku" => Some(Column::Sku),
        "product" => Some(Column::Product),
        "status" => Some(Column::Status),
        "brand" => Some(Column::Brand),
        "category" => Some(Column::Category),
        "gtin" => Some(Column::Gtin),
        "mpn" => Some(Column::Mpn),
        "unit" => Some(Column::Unit),
        "pack_size" => Some(Column::PackSize),
        "min_quantity" => Some(Column::MinQuantity),
        "quantity_step" => Some(Column::QuantityStep),
        "weight_kg" => Some(Column::WeightKg),
        "length_mm" => Some(Column::LengthMm),
        "width_mm" => Some(Column::WidthMm),
        "height_mm" => Some(Column::HeightMm),
        "variant_status" => Some(Column::VariantStatus),
        "replacement_sku" => Some(Column::ReplacementSku),
        "images" => Some(Column::Images),
        "documents" => Some(Column::Documents),
        "video" => Some(Column::Video),
        "markets" => Some(Column::Markets),
        _ => None,
    };
    if let Some(c) = simple {
        return Ok(c);
    }
    for (prefix, field) in TEXT_PREFIXES {
        if let Some(tag) = h.strip_prefix(prefix) {
            return Lang::parse(tag)
                .map(|l| Column::Text(field, l))
                .map_err(|e| e.to_string());
        }
    }
    if let Some(code) = h.strip_prefix("attr.") {
        return match attributes.get(code) {
            Some(d) => Ok(Column::Attr(d.code.clone())),
            None => Err(format!(
                "unknown attribute {code:?}; define it first (back office › Attributes)"
            )),
        };
    }
    if let Some(kind) = h.strip_prefix("related.") {
        return RelationKind::parse(kind)
            .map(Column::Related)
            .map_err(|e| e.to_string());
    }
    Err("unknown column; see docs/catalog-import.md for the column names".into())
}

/// A row's variant-level data, while its batch is processed.
struct RowData {
    line: usize,
    variant: Option<Variant>,
    /// Whether `variant_status` was given (else the variant follows the product).
    explicit_status: bool,
    issues: Vec<RowIssue>,
}

/// A product as the file describes it, while its batch is processed.
struct Group {
    key: String,
    rows: Vec<RowData>,
    /// column index → (value, row line) of the first non-empty cell.
    cells: HashMap<usize, (String, usize)>,
    issues: Vec<RowIssue>,
}

/// What is kept of a product group until its batch: its key and its rows
/// (indexes into the sheet's rows, in file order).
struct GroupHead {
    key: String,
    rows: Vec<usize>,
}
fn issue(row: usize, column: &str, value: &str, reason: impl Into<String>) -> RowIssue {
    RowIssue {
        row,
        column: column.into(),
        value: value.chars().take(200).collect(),
        reason: reason.into(),
    }
}

fn split_list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Imports a product spreadsheet. `actor` is `None` for the CLI and demo loader.
pub async fn import_products(
    app: &App,
    actor: Option<&Principal>,
    file_name: &str,
    bytes: &[u8],
    media: &dyn MediaSource,
    options: ImportOptions,
    progress: Progress<'_>,
) -> Result<ImportReport, AppError> {
    if let Some(p) = actor {
        p.require(Permission::ManageCatalog, "import the catalog")?;
    }
    let import_id = ImportId::new();
    let mut report = ImportReport {
        import_id: import_id.to_string(),
        file_name: file_name.to_string(),
        mode: options.mode,
        dry_run: options.dry_run,
        applied: false,
        summary: String::new(),
        rows_total: 0,
        rows_valid: 0,
        rows_failed: 0,
        products_created: 0,
        products_updated: 0,
        products_unchanged: 0,
        brands_created: 0,
        notes: Vec::new(),
        issues: Vec::new(),
    };
    let format = mercato_docs::detect_format(Some(file_name), bytes);
    let sheet = match read_sheet(bytes, format, &SheetLimits::default()) {
        Ok(s) => s,
        Err(e) => {
            report.issues.push(issue(0, "", file_name, e.to_string()));
            report.summary = format!("Nothing imported: {file_name} cannot be read ({e}).");
            return Ok(report);
        }
    };
    if format == SheetFormat::Xlsx {
        report
            .notes
            .push("read the first worksheet of the workbook".into());
    }
    report.notes.extend(sheet.notes.iter().cloned());
    report.rows_total = sheet.rows.len();
    finish(
        app, actor, import_id, sheet, media, options, progress, report,
    )
    .await
}

/// Product groups (rows sharing a `product` key) parsed, checked and written
/// together. Only one batch of parsed rows and products is in memory at a
/// time: holding every parsed row and product of a 100,000-row file at once
/// is what made an import peak near 400 MB.
const BATCH_GROUPS: usize = 500;

/// The sheet's columns as the importer uses them.
struct Cols {
    columns: Vec<Option<Column>>,
    headers: Vec<String>,
    sku: usize,
    product: Option<usize>,
    /// `name.en`, else the first name column: what a missing product key is made from.
    name: Option<usize>,
    variant_status: Option<usize>,
    related: Vec<usize>,
}

/// What is known before the first row is read: the taxonomy and the catalog's keys.
struct Known {
    attributes: HashMap<String, AttributeDef>,
    categories: HashMap<String, Category>,
    markets: HashSet<String>,
    sku_index: HashMap<String, (ProductId, VariantId)>,
    slug_index: HashMap<String, ProductId>,
    slug_of: HashMap<ProductId, String>,
}

impl Known {
    /// The row's variant, if its part number and all its variant-level cells parse.
    fn variant(&self, cols: &Cols, r: &SheetRow, issues: &mut Vec<RowIssue>) -> Option<Variant> {
        let sku = Sku::parse(r.get(Some(cols.sku))).ok()?;
        parse_variant(
            sku,
            r,
            &cols.columns,
            &cols.headers,
            &self.attributes,
            &self.sku_index,
            issues,
        )
    }

    fn variant_is_valid(&self, cols: &Cols, r: &SheetRow) -> bool {
        self.variant(cols, r, &mut Vec::new()).is_some()
    }
}

/// What the first, light pass over the rows finds: part numbers (checked
/// for repeats), product keys and groups, and every value of a `related.*`
/// cell. Rows are not parsed further yet, and nothing is kept per row but
/// its place in a group and its problems.
struct Survey {
    groups: Vec<GroupHead>,
    /// product key → index in `groups`.
    group_of: HashMap<String, usize>,
    /// Sheet row index → the part-number and product-key problems found on it, in order.
    early: HashMap<usize, Vec<RowIssue>>,
    /// Every value of a `related.*` cell: the only part numbers a relation can name.
    targets: HashSet<String>,
}

fn survey(rows: &[SheetRow], cols: &Cols, known: &Known, progress: Progress<'_>) -> Survey {
    let mut s = Survey {
        groups: Vec::new(),
        group_of: HashMap::new(),
        early: HashMap::new(),
        targets: HashSet::new(),
    };
    let mut first_row_of_sku: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    for (n, r) in rows.iter().enumerate() {
        if n % 5000 == 0 {
            progress("checking rows", n, rows.len());
        }
        let mut issues = Vec::new();
        let raw_sku = r.get(Some(cols.sku));
        let sku = match Sku::parse(raw_sku) {
            Ok(s) => {
                if let Some(first) = first_row_of_sku.insert(s.to_string(), r.line) {
                    issues.push(issue(
                        r.line,
                        "sku",
                        raw_sku,
                        format!("part number appears twice in the file; first on row {first}"),
                    ));
                }
                Some(s)
            }
            Err(e) => {
                issues.push(issue(r.line, "sku", raw_sku, e.to_string()));
                None
            }
        };
        let key = product_key(
            r.get(cols.product),
            r.get(cols.name),
            sku.as_ref(),
            &known.sku_index,
            &known.slug_of,
            r.line,
            &mut issues,
        );
        if !issues.is_empty() {
            s.early.insert(n, issues);
        }
        let g = match s.group_of.get(&key) {
            Some(g) => *g,
            None => {
                s.group_of.insert(key.clone(), s.groups.len());
                s.groups.push(GroupHead {
                    key,
                    rows: Vec::new(),
                });
                s.groups.len() - 1
            }
        };
        s.groups[g].rows.push(n);
        for c in &cols.related {
            s.targets.extend(split_list(r.get(Some(*c))));
        }
    }
    s
}

/// Takes a row's product-level cells into its group: the first non-empty
/// value of a column counts, a different later one is reported.
fn merge_product_cells(g: &mut Group, r: &SheetRow, cols: &Cols) {
    for (ci, c) in cols.columns.iter().enumerate() {
        let Some(c) = c else { continue };
        if !c.product_level() {
            continue;
        }
        let v = r.get(Some(ci));
        if v.is_empty() {
            continue;
        }
        match g.cells.get(&ci) {
            None => {
                g.cells.insert(ci, (v.to_string(), r.line));
            }
            Some((first, line)) if first != v => {
                let reason = format!(
                    "differs from row {line} of the same product ({first:?}); give product-level values once or identically"
                );
                g.issues.push(issue(r.line, &cols.headers[ci], v, reason));
            }
            Some(_) => {}
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn finish(
    app: &App,
    actor: Option<&Principal>,
    import_id: ImportId,
    sheet: Sheet,
    source: &dyn MediaSource,
    options: ImportOptions,
    progress: Progress<'_>,
    mut report: ImportReport,
) -> Result<ImportReport, AppError> {
    let db = app.db();
    let attributes: HashMap<String, AttributeDef> = store::list_attributes(db)
        .await?
        .into_iter()
        .map(|a| (a.code.as_str().to_string(), a))
        .collect();
    let categories: HashMap<String, Category> = store::list_categories(db)
        .await?
        .into_iter()
        .map(|c| (c.slug.to_string(), c))
        .collect();
    let brands: Vec<Brand> = store::list_brands(db).await?;
    let markets: HashSet<String> = store::list_markets(db)
        .await?
        .into_iter()
        .map(|m| m.code)
        .collect();

    // Columns.
    let Sheet {
        headers,
        mut rows,
        issues: sheet_issues,
        ..
    } = sheet;
    let mut columns = Vec::with_capacity(headers.len());
    let mut file_issues = Vec::new();
    for h in &headers {
        match parse_header(h, &attributes) {
            Ok(c) => columns.push(Some(c)),
            Err(reason) => {
                file_issues.push(issue(1, h, h, reason));
                columns.push(None);
            }
        }
    }
    let sku_col = columns.iter().position(|c| c == &Some(Column::Sku));
    if sku_col.is_none() {
        file_issues.push(issue(
            1,
            "sku",
            "",
            "the file needs a sku column (the part number, used to match existing products)",
        ));
    }
    if !columns
        .iter()
        .any(|c| matches!(c, Some(Column::Text(TextField::Name, _))))
    {
        file_issues.push(issue(
            1,
            "name.<lang>",
            "",
            "the file needs at least one name column, e.g. name.zh-CN or name.en",
        ));
    }
    // Problems the reader found in data rows (merged cells, formulas without
    // a value, extra cells) make those rows invalid; header-row ones stop the file.
    let mut sheet_row_issues: HashMap<usize, Vec<RowIssue>> = HashMap::new();
    for i in sheet_issues {
        let it = issue(
            i.line,
            i.column.as_deref().unwrap_or(""),
            i.value.as_deref().unwrap_or(""),
            i.reason,
        );
        if i.line <= 1 {
            file_issues.push(it);
        } else {
            sheet_row_issues.entry(i.line).or_default().push(it);
        }
    }
    let header_broken = file_issues.iter().any(|i| i.row == 1);
    report.issues.extend(file_issues);
    if header_broken {
        report.rows_failed = report.rows_total;
        report.summary = format!(
            "Nothing imported: the header row has problems (mode {}).",
            mode_name(options.mode)
        );
        return Ok(report);
    }
    let col = |name: &Column| columns.iter().position(|c| c.as_ref() == Some(name));
    let product_col = col(&Column::Product);
    let variant_status_col = col(&Column::VariantStatus);
    let name_en = columns
        .iter()
        .position(|c| matches!(c, Some(Column::Text(TextField::Name, l)) if l == &Lang::en()));
    let any_name = columns
        .iter()
        .position(|c| matches!(c, Some(Column::Text(TextField::Name, _))));
    let related_cols = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, Some(Column::Related(_))))
        .map(|(i, _)| i)
        .collect();
    let cols = Cols {
        columns,
        headers,
        sku: sku_col.unwrap_or_default(),
        product: product_col,
        name: name_en.or(any_name),
        variant_status: variant_status_col,
        related: related_cols,
    };

    let sku_index: HashMap<String, (ProductId, VariantId)> = store::sku_index(db)
        .await?
        .into_iter()
        .map(|(s, p, v)| (s, (p, v)))
        .collect();
    let slug_index: HashMap<String, ProductId> = store::slug_index(db).await?.into_iter().collect();
    let slug_of: HashMap<ProductId, String> =
        slug_index.iter().map(|(s, id)| (*id, s.clone())).collect();
    let known = Known {
        attributes,
        categories,
        markets,
        sku_index,
        slug_index,
        slug_of,
    };

    // First pass: part numbers, product keys, groups.
    let Survey {
        groups,
        group_of,
        mut early,
        targets,
    } = survey(&rows, &cols, &known, progress);

    // Which product id each group is: by slug, else by the part number of
    // its first valid row that the catalog has, else new.
    let ids: Vec<ProductId> = groups
        .iter()
        .map(|g| {
            known
                .slug_index
                .get(&g.key)
                .copied()
                .or_else(|| {
                    g.rows.iter().find_map(|n| {
                        let r = &rows[*n];
                        let sku = Sku::parse(r.get(Some(cols.sku))).ok()?;
                        let (p, _) = known.sku_index.get(sku.as_str())?;
                        known.variant_is_valid(&cols, r).then_some(*p)
                    })
                })
                .unwrap_or_default()
        })
        .collect();

    // The file's part numbers that a relation names, with the product each
    // lands in (for a repeated part number, the last valid row's).
    let mut file_skus: HashMap<String, ProductId> = HashMap::new();
    if !targets.is_empty() {
        for (head, id) in groups.iter().zip(&ids) {
            for n in &head.rows {
                let r = &rows[*n];
                let Ok(sku) = Sku::parse(r.get(Some(cols.sku))) else {
                    continue;
                };
                if targets.contains(sku.as_str()) && known.variant_is_valid(&cols, r) {
                    file_skus.insert(sku.to_string(), *id);
                }
            }
        }
    }
    drop(targets);

    // Catalog products whose stored state a batch could change before their
    // own batch reads it (a product two groups resolve to; a product losing
    // a part number to another group) are read now, before anything is
    // written, so that every product is compared with the catalog as it was.
    let mut pinned: HashSet<ProductId> = HashSet::new();
    let mut seen: HashSet<ProductId> = HashSet::new();
    for id in &ids {
        if known.slug_of.contains_key(id) && !seen.insert(*id) {
            pinned.insert(*id);
        }
    }
    if !known.sku_index.is_empty() {
        for (head, id) in groups.iter().zip(&ids) {
            for n in &head.rows {
                if let Ok(sku) = Sku::parse(rows[*n].get(Some(cols.sku)))
                    && let Some((owner, _)) = known.sku_index.get(sku.as_str())
                    && owner != id
                    && seen.contains(owner)
                {
                    pinned.insert(*owner);
                }
            }
        }
    }
    drop(seen);
    let pinned: Vec<ProductId> = pinned.into_iter().collect();
    let pinned_products: HashMap<ProductId, Product> = store::load_products(db, &pinned)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let pinned_media = store::media_of(db, &pinned).await?;
    let new_id_group: HashMap<ProductId, usize> = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !known.slug_of.contains_key(id))
        .map(|(g, id)| (*id, g))
        .collect();

    let mut run = Run {
        app,
        source,
        options,
        progress,
        media: MediaService::new(app),
        known,
        cols,
        ids,
        group_of,
        file_skus,
        new_id_group,
        pinned_products,
        pinned_media,
        brands,
        brands_created: 0,
        processed: HashMap::new(),
        valid_ids: HashSet::new(),
        finals: Vec::new(),
        issues: std::mem::take(&mut report.issues),
        rows_failed: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        writing: !options.dry_run,
        tx: None,
        now: Timestamp::now(),
    };
    run.stop_writing_if_refused().await?;

    // Then the groups, one batch at a time.
    let total = groups.len();
    for start in (0..total).step_by(BATCH_GROUPS) {
        let end = (start + BATCH_GROUPS).min(total);
        progress("preparing products", start, total);
        run.batch(
            &mut rows,
            &groups,
            start..end,
            &mut early,
            &mut sheet_row_issues,
        )
        .await?;
    }
    drop(rows);

    // Relations last: whether their targets exist is known only now.
    let (late_issues, deferred, relations) = run.settle();
    report.issues = std::mem::take(&mut run.issues);
    report
        .issues
        .sort_by(|a, b| a.row.cmp(&b.row).then_with(|| a.column.cmp(&b.column)));
    report.issues.extend(late_issues);
    report.rows_failed = run.rows_failed;
    report.rows_valid = report.rows_total - run.rows_failed;
    report.products_created = run.created;
    report.products_updated = run.updated;
    report.products_unchanged = run.unchanged;
    report.brands_created = run.brands_created;

    let has_issues = !report.issues.is_empty() || report.rows_failed > 0;
    let refused = options.mode == ImportMode::AllOrNothing && has_issues;
    let apply = !(options.dry_run || refused);
    if apply {
        run.write_last(&deferred, &relations, total).await?;
        report.applied = true;
    } else {
        run.stop_writing().await?;
    }
    report.summary = summary(&report, options, has_issues);
    let now = Timestamp::now();
    if apply {
        let mut tx = db.begin().await?;
        audit::record(
            &mut tx,
            &AuditEntry {
                id: AuditId::new(),
                occurred_at: now,
                actor: actor.map(|p| p.user.id),
                on_behalf_of: None,
                action: "catalog.import".into(),
                subject_type: "catalog_import".into(),
                subject_id: Some(import_id.to_string()),
                detail: serde_json::json!({ "file": report.file_name, "created": report.products_created, "updated": report.products_updated, "failed_rows": report.rows_failed }),
                ip: None,
                request_id: None,
            },
        )
        .await?;
        tx.commit().await?;
    }
    let json = serde_json::to_value(&report).map_err(|e| AppError::Internal(e.to_string()))?;
    store::record_import(
        db,
        &ImportRecord {
            id: import_id,
            created_by: actor.map(|p| p.user.id),
            file_name: &report.file_name,
            mode: mode_name(options.mode),
            dry_run: options.dry_run,
            rows_total: i64::try_from(report.rows_total).unwrap_or(i64::MAX),
            rows_applied: if report.applied {
                i64::try_from(report.rows_valid).unwrap_or(i64::MAX)
            } else {
                0
            },
            rows_failed: i64::try_from(report.rows_failed).unwrap_or(i64::MAX),
            report: &json,
        },
        now,
    )
    .await?;
    app.events().notify();
    Ok(report)
}

/// The import while its batches run: the look-ups made before, and what the
/// batches add up to.
struct Run<'a> {
    app: &'a App,
    source: &'a dyn MediaSource,
    options: ImportOptions,
    progress: Progress<'a>,
    media: MediaService,
    known: Known,
    cols: Cols,
    /// The product id of each group.
    ids: Vec<ProductId>,
    /// product key → group.
    group_of: HashMap<String, usize>,
    /// Part numbers of the file that relations name → product.
    file_skus: HashMap<String, ProductId>,
    /// Products new to the catalog → their group.
    new_id_group: HashMap<ProductId, usize>,
    /// Catalog products read before the first batch (see `finish`).
    pinned_products: HashMap<ProductId, Product>,
    pinned_media: BTreeMap<ProductId, Vec<MediaRecord>>,
    /// The catalog's brands, and those this file adds.
    brands: Vec<Brand>,
    brands_created: usize,
    /// Media files checked so far, by file name (metadata only).
    processed: HashMap<String, Result<MediaFile, String>>,
    /// Products of the batches so far with at least one valid row.
    valid_ids: HashSet<ProductId>,
    /// Products with valid rows whose relations, or whose fate, are settled at the end.
    finals: Vec<Final>,
    /// The report's issues so far, unsorted.
    issues: Vec<RowIssue>,
    rows_failed: usize,
    created: usize,
    updated: usize,
    unchanged: usize,
    /// Whether batches are still written (not a dry run, not an all-or-nothing
    /// import that has met a problem).
    writing: bool,
    /// All-or-nothing: the one transaction every batch writes into.
    tx: Option<Tx>,
    now: Timestamp,
}

/// A product with valid rows, as the end of the import needs it.
struct Final {
    id: ProductId,
    /// Its first valid row, where a relation left out is reported.
    first_line: usize,
    /// As the file gives them, before targets that are not imported are dropped.
    relations: Vec<(ProductId, String)>,
    decision: Decision,
}

enum Decision {
    Unchanged,
    /// Written (or to be written): its relations are replaced at the end.
    Changed,
    /// Unchanged unless a relation to a product of a later batch is kept:
    /// decided, and written if changed, at the end.
    Deferred(Box<Deferred>),
}

struct Deferred {
    change: Change,
    /// Its stored relations, sorted.
    old_relations: Vec<(ProductId, String)>,
}

impl Run<'_> {
    /// Whether product `id` exists after the import: a catalog product, or
    /// one with valid rows. `None` while its group is in a batch at or after
    /// `next_group` (not checked yet).
    fn will_exist(&self, id: ProductId, next_group: usize) -> Option<bool> {
        if self.known.slug_of.contains_key(&id) || self.valid_ids.contains(&id) {
            return Some(true);
        }
        match self.new_id_group.get(&id) {
            Some(g) if *g >= next_group => None,
            _ => Some(false),
        }
    }

    /// All-or-nothing stops writing at the first problem and throws away
    /// what it wrote; the rest of the file is still checked for the report.
    async fn stop_writing_if_refused(&mut self) -> Result<(), AppError> {
        if self.options.mode == ImportMode::AllOrNothing
            && (!self.issues.is_empty() || self.rows_failed > 0)
        {
            self.stop_writing().await?;
        }
        Ok(())
    }

    async fn stop_writing(&mut self) -> Result<(), AppError> {
        self.writing = false;
        if let Some(tx) = self.tx.take() {
            tx.rollback().await?;
        }
        Ok(())
    }

    /// Parses, checks and (unless nothing is written) saves the groups `range`.
    async fn batch(
        &mut self,
        rows: &mut [SheetRow],
        heads: &[GroupHead],
        range: std::ops::Range<usize>,
        early: &mut HashMap<usize, Vec<RowIssue>>,
        sheet_row_issues: &mut HashMap<usize, Vec<RowIssue>>,
    ) -> Result<(), AppError> {
        let db = self.app.db();
        let heads = &heads[range.clone()];

        // Rows → variants; product-level cells merged per group.
        let mut groups: Vec<Group> = Vec::with_capacity(heads.len());
        for head in heads {
            let mut g = Group {
                key: head.key.clone(),
                rows: Vec::with_capacity(head.rows.len()),
                cells: HashMap::new(),
                issues: Vec::new(),
            };
            for n in &head.rows {
                let r = &rows[*n];
                let mut issues = early.remove(n).unwrap_or_default();
                let variant = self.known.variant(&self.cols, r, &mut issues);
                let explicit_status = self
                    .cols
                    .variant_status
                    .is_some_and(|i| !r.get(Some(i)).is_empty());
                issues.extend(sheet_row_issues.remove(&r.line).unwrap_or_default());
                merge_product_cells(&mut g, r, &self.cols);
                g.rows.push(RowData {
                    line: r.line,
                    variant,
                    explicit_status,
                    issues,
                });
            }
            groups.push(g);
        }
        // The batch's cells are all in `groups` now: free the sheet's copy.
        for head in heads {
            for n in &head.rows {
                let line = rows[*n].line;
                rows[*n] = SheetRow::new(line, &[]);
            }
        }

        // Product-level values.
        let mut drafts: Vec<Draft> = Vec::with_capacity(groups.len());
        let mut new_brands: Vec<Brand> = Vec::new();
        for g in &mut groups {
            drafts.push(parse_product(
                g,
                &self.cols.columns,
                &self.cols.headers,
                &self.known.categories,
                &mut self.brands,
                &mut new_brands,
                &self.known.markets,
            )?);
            // The raw product-level cells are parsed now; free them.
            g.cells = HashMap::new();
        }
        self.brands_created += new_brands.len();

        // Stored state, for unchanged detection and media reuse.
        let ids: Vec<ProductId> = self.ids[range.clone()].to_vec();
        let stored: Vec<ProductId> = ids
            .iter()
            .copied()
            .filter(|id| self.known.slug_of.contains_key(id))
            .collect();
        let to_read: Vec<ProductId> = stored
            .iter()
            .copied()
            .filter(|id| !self.pinned_products.contains_key(id))
            .collect();
        let existing: HashMap<ProductId, Product> = store::load_products(db, &to_read)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let existing_media = store::media_of(db, &to_read).await?;
        let mut existing_relations: HashMap<ProductId, Vec<(ProductId, String)>> = HashMap::new();
        for r in store::relations_of(db, &stored).await? {
            existing_relations
                .entry(r.product)
                .or_default()
                .push((r.related, r.kind));
        }

        // Required attributes, relations and media.
        let mut plans: Vec<Plan> = Vec::with_capacity(groups.len());
        for ((g, draft), id) in groups.iter_mut().zip(drafts).zip(ids.iter().copied()) {
            // Every variant must carry the attributes its category requires.
            if let Some(cat) = draft
                .category
                .and_then(|c| self.known.categories.values().find(|x| x.id == c))
            {
                for row in &mut g.rows {
                    let Some(v) = &row.variant else { continue };
                    for a in cat.attributes.iter().filter(|a| a.required) {
                        if !v.attributes.contains_key(&a.code) {
                            let reason = format!(
                                "required by category {}; fill in attr.{}",
                                cat.slug,
                                a.code.as_str()
                            );
                            row.issues.push(issue(
                                row.line,
                                &format!("attr.{}", a.code.as_str()),
                                "",
                                reason,
                            ));
                        }
                    }
                }
            }
            let mut relations = Vec::new();
            for (kind, target, line, col) in &draft.related {
                let found = self
                    .group_of
                    .get(target)
                    .map(|g| self.ids[*g])
                    .or_else(|| self.known.slug_index.get(target).copied())
                    .or_else(|| self.file_skus.get(target).copied())
                    .or_else(|| self.known.sku_index.get(target).map(|(p, _)| *p));
                match found {
                    Some(pid) if pid == id => g.issues.push(issue(
                        *line,
                        col,
                        target,
                        "a product cannot be related to itself",
                    )),
                    Some(pid) => relations.push((pid, kind.code().to_string())),
                    None => g.issues.push(issue(
                        *line,
                        col,
                        target,
                        "no product with this key or part number in the file or the catalog",
                    )),
                }
            }
            let old_media = self
                .pinned_media
                .get(&id)
                .or_else(|| existing_media.get(&id))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let mut media = Vec::new();
            for (i, m) in draft.media.iter().enumerate() {
                let position = i32::try_from(i).unwrap_or(i32::MAX);
                if m.kind == "video"
                    && (m.name.starts_with("https://") || m.name.starts_with("http://"))
                {
                    media.push(MediaRecord {
                        id: mercato_core::MediaId::new(),
                        kind: "video".into(),
                        file_name: m.name.clone(),
                        content_hash: None,
                        mime: "text/uri-list".into(),
                        byte_size: 0,
                        width: None,
                        height: None,
                        url: Some(m.name.clone()),
                        lang: m.lang.clone(),
                        title: m.title.clone(),
                        alt: LocalizedText::new(),
                        renditions: vec![],
                        position,
                    });
                    continue;
                }
                if !self.processed.contains_key(&m.name) {
                    let outcome = match self.source.fetch(&m.name) {
                        Some(bytes) => {
                            self.media
                                .prepare(&m.kind, &m.name, bytes)
                                .await
                                .map_err(|e| match e {
                                    AppError::Invalid(f) => f
                                        .into_iter()
                                        .map(|f| f.message)
                                        .collect::<Vec<_>>()
                                        .join("; "),
                                    other => other.to_string(),
                                })
                        }
                        None => match old_media
                            .iter()
                            .find(|o| o.file_name == m.name && o.kind == m.kind)
                        {
                            Some(o) => Ok(MediaFile::existing(o)),
                            None => Err(format!("file not found in {}", self.source.describe())),
                        },
                    };
                    // Store files as soon as they are checked (not in a dry run) and
                    // keep only their metadata: holding every picture of a large
                    // import in memory is what made peak memory grow. Files are
                    // content-addressed, so one that ends up unreferenced (bad
                    // rows, all-or-nothing refusal) is harmless.
                    let outcome = match outcome {
                        Ok(mut file) => {
                            if !self.options.dry_run {
                                self.media.store(&file).await?;
                            }
                            file.pending.clear();
                            Ok(file)
                        }
                        Err(e) => Err(e),
                    };
                    self.processed.insert(m.name.clone(), outcome);
                }
                match self.processed.get(&m.name) {
                    Some(Ok(file)) => {
                        media.push(file.record(&m.kind, m.lang.clone(), m.title.clone(), position))
                    }
                    Some(Err(reason)) => {
                        g.issues
                            .push(issue(m.line, &m.column, &m.name, reason.clone()))
                    }
                    None => {}
                }
            }
            plans.push(Plan {
                id,
                draft,
                relations,
                media,
            });
        }

        // Validity. Issues of one row all come from its group, so sorting
        // the report at the end puts them in the same order as when the
        // whole file was checked at once.
        for (g, id) in groups.iter().zip(&ids) {
            self.issues.extend(g.issues.iter().cloned());
            if !g.issues.is_empty() {
                for row in &g.rows {
                    if row.issues.is_empty() && !g.issues.iter().any(|i| i.row == row.line) {
                        self.issues.push(issue(
                            row.line,
                            "",
                            "",
                            format!("skipped: product {:?} has errors on other rows", g.key),
                        ));
                    }
                }
            }
            let mut any_valid = false;
            for row in &g.rows {
                if row.issues.is_empty() && g.issues.is_empty() && row.variant.is_some() {
                    any_valid = true;
                } else {
                    self.rows_failed += 1;
                }
            }
            if any_valid {
                self.valid_ids.insert(*id);
            }
        }
        for g in &groups {
            for row in &g.rows {
                self.issues.extend(row.issues.iter().cloned());
            }
        }
        self.stop_writing_if_refused().await?;

        // Final products.
        let mut changes: Vec<Change> = Vec::new();
        for (g, plan) in groups.iter_mut().zip(plans) {
            let group_ok = g.issues.is_empty();
            let mut variants: Vec<Variant> = Vec::new();
            let mut first_line = None;
            for row in &mut g.rows {
                if !group_ok || !row.issues.is_empty() {
                    continue;
                }
                // Moved, not cloned: each variant exists once in memory.
                let Some(mut v) = row.variant.take() else {
                    continue;
                };
                first_line.get_or_insert(row.line);
                v.position = i32::try_from(variants.len()).unwrap_or(i32::MAX);
                if !row.explicit_status {
                    v.status = plan.draft.status;
                }
                variants.push(v);
            }
            let Some(first_line) = first_line else {
                continue;
            };
            let id = plan.id;
            let old = self.pinned_products.get(&id).or_else(|| existing.get(&id));
            // Variants the file does not mention (or mentions on bad rows) are kept as they are.
            if let Some(old) = old {
                let mentioned: HashSet<&str> = variants.iter().map(|v| v.sku.as_str()).collect();
                let mut kept: Vec<Variant> = old
                    .variants
                    .iter()
                    .filter(|v| !mentioned.contains(v.sku.as_str()))
                    .cloned()
                    .collect();
                let base = i32::try_from(variants.len()).unwrap_or(i32::MAX);
                for (i, v) in kept.iter_mut().enumerate() {
                    v.position = base.saturating_add(i32::try_from(i).unwrap_or(i32::MAX));
                }
                variants.extend(kept);
            }
            let d = plan.draft;
            let text = |f: TextFieldKey| d.texts.get(&f).cloned().unwrap_or_default();
            let product = Product {
                id,
                slug: d.slug.clone(),
                status: d.status,
                brand: d.brand,
                category: d.category,
                name: text(TextFieldKey::Name),
                short_description: text(TextFieldKey::Short),
                description: text(TextFieldKey::Description),
                meta_title: text(TextFieldKey::MetaTitle),
                meta_description: text(TextFieldKey::MetaDescription),
                markets: d.markets.clone(),
                variants,
            };
            let old_media = self
                .pinned_media
                .get(&id)
                .or_else(|| existing_media.get(&id))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let media_same = same_media(old_media, &plan.media);
            let mut old_relations = existing_relations.get(&id).cloned().unwrap_or_default();
            old_relations.sort();
            // Relations to products of later batches are not settled yet; a
            // product they could make the only difference to waits for them.
            let mut settled: Vec<(ProductId, String)> = Vec::new();
            let mut open = false;
            for (target, kind) in &plan.relations {
                match self.will_exist(*target, range.end) {
                    Some(true) => settled.push((*target, kind.clone())),
                    Some(false) => {}
                    None => open = true,
                }
            }
            settled.sort();
            settled.dedup();
            let same = old.is_some_and(|o| o == &product) && media_same && old_relations == settled;
            let change = Change {
                is_new: old.is_none(),
                product,
                media: plan.media,
                media_same,
            };
            let decision = if same && open {
                Decision::Deferred(Box::new(Deferred {
                    change,
                    old_relations,
                }))
            } else if same {
                self.unchanged += 1;
                Decision::Unchanged
            } else {
                if change.is_new {
                    self.created += 1;
                } else {
                    self.updated += 1;
                }
                changes.push(change);
                Decision::Changed
            };
            if !matches!(decision, Decision::Unchanged) || !plan.relations.is_empty() {
                self.finals.push(Final {
                    id,
                    first_line,
                    relations: plan.relations,
                    decision,
                });
            }
        }
        drop(groups);

        // Write: valid rows commit each batch, so a huge file does not hold
        // SQLite's write lock for its whole length; all-or-nothing keeps one
        // transaction open until the end.
        if self.writing && (!new_brands.is_empty() || !changes.is_empty()) {
            match self.options.mode {
                ImportMode::ValidRows => {
                    let mut tx = db.begin().await?;
                    save_changes(&mut tx, &new_brands, &changes, self.now).await?;
                    tx.commit().await?;
                    self.app.catalog_cache().invalidate();
                }
                ImportMode::AllOrNothing => {
                    if self.tx.is_none() {
                        self.tx = Some(db.begin().await?);
                    }
                    if let Some(tx) = self.tx.as_mut() {
                        save_changes(tx, &new_brands, &changes, self.now).await?;
                    }
                }
            }
            (self.progress)("writing products", range.end, self.ids.len());
        }
        Ok(())
    }

    /// Drops relations whose target is not imported (reporting each), decides
    /// the deferred products, and lists what is left to write: the deferred
    /// products that changed, and the relations of every changed product.
    #[allow(clippy::type_complexity)]
    fn settle(
        &mut self,
    ) -> (
        Vec<RowIssue>,
        Vec<Change>,
        Vec<(ProductId, Vec<(ProductId, String)>)>,
    ) {
        let mut late = Vec::new();
        let mut deferred = Vec::new();
        let mut relations = Vec::new();
        for f in std::mem::take(&mut self.finals) {
            let mut rels = f.relations;
            rels.retain(|(target, kind)| {
                let keep = self.will_exist(*target, usize::MAX) == Some(true);
                if !keep {
                    late.push(issue(f.first_line, &format!("related.{kind}"), "", "a related product was not imported because of its own errors; the relation was left out"));
                }
                keep
            });
            match f.decision {
                Decision::Unchanged => {}
                Decision::Changed => relations.push((f.id, rels)),
                Decision::Deferred(d) => {
                    let mut sorted = rels.clone();
                    sorted.sort();
                    sorted.dedup();
                    if sorted == d.old_relations {
                        self.unchanged += 1;
                    } else {
                        self.updated += 1;
                        deferred.push(d.change);
                        relations.push((f.id, rels));
                    }
                }
            }
        }
        (late, deferred, relations)
    }

    /// The last transaction (all-or-nothing: the one every batch wrote into):
    /// deferred products that changed, then the relations of every changed
    /// product, whose targets may be products created by any batch.
    async fn write_last(
        &mut self,
        deferred: &[Change],
        relations: &[(ProductId, Vec<(ProductId, String)>)],
        total: usize,
    ) -> Result<(), AppError> {
        let mut tx = match self.tx.take() {
            Some(tx) => tx,
            None => self.app.db().begin().await?,
        };
        save_changes(&mut tx, &[], deferred, self.now).await?;
        for (id, rels) in relations {
            store::replace_relations(&mut tx, *id, rels).await?;
        }
        tx.commit().await?;
        self.app.catalog_cache().invalidate();
        (self.progress)("writing products", total, total);
        Ok(())
    }
}

fn mode_name(m: ImportMode) -> &'static str {
    match m {
        ImportMode::ValidRows => "valid-rows",
        ImportMode::AllOrNothing => "all-or-nothing",
    }
}

fn summary(r: &ImportReport, o: ImportOptions, has_issues: bool) -> String {
    let counts = format!(
        "{} rows: {} valid, {} with errors; products {} new, {} changed, {} unchanged",
        r.rows_total,
        r.rows_valid,
        r.rows_failed,
        r.products_created,
        r.products_updated,
        r.products_unchanged
    );
    match (o.dry_run, o.mode, has_issues) {
        (true, _, _) => format!(
            "Dry run (mode {}): nothing written. {counts}.",
            mode_name(o.mode)
        ),
        (false, ImportMode::AllOrNothing, true) => {
            format!("Nothing imported (mode all-or-nothing) because of the errors below. {counts}.")
        }
        (false, ImportMode::AllOrNothing, false) => {
            format!("Imported everything (mode all-or-nothing). {counts}.")
        }
        (false, ImportMode::ValidRows, true) => format!(
            "Imported the valid rows (mode valid-rows); the rows below were skipped. {counts}."
        ),
        (false, ImportMode::ValidRows, false) => {
            format!("Imported every row (mode valid-rows). {counts}.")
        }
    }
}

fn same_media(old: &[MediaRecord], new: &[MediaRecord]) -> bool {
    old.len() == new.len()
        && old.iter().zip(new).all(|(a, b)| {
            a.kind == b.kind
                && a.file_name == b.file_name
                && a.content_hash == b.content_hash
                && a.lang == b.lang
                && a.title == b.title
                && a.url == b.url
        })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum TextFieldKey {
    Name,
    Short,
    Description,
    MetaTitle,
    MetaDescription,
}

impl From<TextField> for TextFieldKey {
    fn from(f: TextField) -> Self {
        match f {
            TextField::Name => TextFieldKey::Name,
            TextField::Short => TextFieldKey::Short,
            TextField::Description => TextFieldKey::Description,
            TextField::MetaTitle => TextFieldKey::MetaTitle,
            TextField::MetaDescription => TextFieldKey::MetaDescription,
        }
    }
}

struct MediaRef {
    kind: String,
    name: String,
    lang: Option<String>,
    title: LocalizedText,
    line: usize,
    column: String,
}

struct Draft {
    slug: Slug,
    status: ProductStatus,
    brand: Option<BrandId>,
    category: Option<CategoryId>,
    texts: HashMap<TextFieldKey, LocalizedText>,
    markets: Vec<String>,
    media: Vec<MediaRef>,
    /// (kind, target, row, column)
    related: Vec<(RelationKind, String, usize, String)>,
}

struct Plan {
    id: ProductId,
    draft: Draft,
    relations: Vec<(ProductId, String)>,
    media: Vec<MediaRecord>,
}

struct Change {
    /// Not in the catalog before this import.
    is_new: bool,
    product: Product,
    media: Vec<MediaRecord>,
    media_same: bool,
}

#[allow(clippy::too_many_arguments)]
fn product_key(
    cell: &str,
    name_en: &str,
    sku: Option<&Sku>,
    sku_index: &HashMap<String, (ProductId, VariantId)>,
    slug_of: &HashMap<ProductId, String>,
    line: usize,
    issues: &mut Vec<RowIssue>,
) -> String {
    if !cell.is_empty() {
        return match Slug::parse(cell) {
            Ok(s) => s.to_string(),
            Err(e) => {
                issues.push(issue(line, "product", cell, e.to_string()));
                format!("invalid-row-{line}")
            }
        };
    }
    // An existing SKU keeps its product.
    if let Some(slug) = sku
        .and_then(|s| sku_index.get(s.as_str()))
        .and_then(|(pid, _)| slug_of.get(pid))
    {
        return slug.clone();
    }
    Slug::from_text(name_en)
        .or_else(|| sku.and_then(|s| Slug::from_text(s.as_str())))
        .map(|s| s.to_string())
        .unwrap_or_else(|| format!("row-{line}"))
}

fn parse_variant(
    sku: Sku,
    r: &mercato_docs::SheetRow,
    columns: &[Option<Column>],
    headers: &[String],
    attributes: &HashMap<String, AttributeDef>,
    sku_index: &HashMap<String, (ProductId, VariantId)>,
    issues: &mut Vec<RowIssue>,
) -> Option<Variant> {
    let before = issues.len();
    let id = sku_index
        .get(sku.as_str())
        .map(|(_, v)| *v)
        .unwrap_or_default();
    let mut v = Variant {
        id,
        sku,
        gtin: None,
        mpn: None,
        unit: SalesUnit::Piece,
        pack_size: 1,
        min_quantity: Decimal::ONE,
        quantity_step: Decimal::ONE,
        weight_kg: None,
        length_mm: None,
        width_mm: None,
        height_mm: None,
        status: ProductStatus::Active,
        replacement_sku: None,
        attributes: BTreeMap::new(),
        position: 0,
    };
    for (ci, c) in columns.iter().enumerate() {
        let Some(c) = c else { continue };
        let raw = r.get(Some(ci));
        let h = headers.get(ci).map(String::as_str).unwrap_or_default();
        if raw.is_empty() {
            continue;
        }
        let mut fail = |reason: String| issues.push(issue(r.line, h, raw, reason));
        match c {
            Column::Gtin => match Gtin::parse(raw) {
                Ok(g) => v.gtin = Some(g),
                Err(e) => fail(e.to_string()),
            },
            Column::Mpn => v.mpn = Some(raw.to_string()),
            Column::Unit => match SalesUnit::parse(raw) {
                Ok(u) => v.unit = u,
                Err(e) => fail(e.to_string()),
            },
            Column::PackSize => match parse_count("pack_size", raw) {
                Ok(n) => v.pack_size = n,
                Err(e) => fail(e.to_string()),
            },
            Column::MinQuantity | Column::QuantityStep => {
                let field = if *c == Column::MinQuantity {
                    "min_quantity"
                } else {
                    "quantity_step"
                };
                match parse_measure(field, raw) {
                    Ok(d) if d > Decimal::ZERO => {
                        if *c == Column::MinQuantity {
                            v.min_quantity = d
                        } else {
                            v.quantity_step = d
                        }
                    }
                    Ok(_) => fail(format!("{field} must be greater than 0")),
                    Err(e) => fail(e.to_string()),
                }
            }
            Column::WeightKg | Column::LengthMm | Column::WidthMm | Column::HeightMm => {
                match parse_measure("measure", raw) {
                    Ok(d) => match c {
                        Column::WeightKg => v.weight_kg = Some(d),
                        Column::LengthMm => v.length_mm = Some(d),
                        Column::WidthMm => v.width_mm = Some(d),
                        _ => v.height_mm = Some(d),
                    },
                    Err(_) => fail(
                        "must be a number of at least 0 with a dot for decimals, e.g. 0.25".into(),
                    ),
                }
            }
            Column::VariantStatus => match ProductStatus::parse(raw) {
                Ok(s) => v.status = s,
                Err(e) => fail(e.to_string()),
            },
            Column::ReplacementSku => match Sku::parse(raw) {
                Ok(s) => v.replacement_sku = Some(s),
                Err(e) => fail(e.to_string()),
            },
            Column::Attr(code) => match attributes.get(code.as_str()).map(|d| d.parse_value(raw)) {
                Some(Ok(value)) => {
                    v.attributes.insert(code.clone(), value);
                }
                Some(Err(e)) => fail(e.to_string()),
                None => fail("unknown attribute".into()),
            },
            _ => {}
        }
    }
    if v.unit.is_countable()
        && (!v.min_quantity.fract().is_zero() || !v.quantity_step.fract().is_zero())
    {
        issues.push(issue(
            r.line,
            "quantity_step",
            &v.quantity_step.to_string(),
            format!(
                "{} is counted in whole units: quantities must be whole numbers",
                v.unit.code()
            ),
        ));
    }
    (issues.len() == before).then_some(v)
}

#[allow(clippy::too_many_arguments)]
fn parse_product(
    g: &mut Group,
    columns: &[Option<Column>],
    headers: &[String],
    categories: &HashMap<String, Category>,
    brands: &mut Vec<Brand>,
    new_brands: &mut Vec<Brand>,
    markets: &HashSet<String>,
) -> Result<Draft, AppError> {
    let mut d = Draft {
        slug: Slug::parse(&g.key)
            .or_else(|_| Slug::parse("invalid"))
            .map_err(|e| AppError::Internal(e.to_string()))?,
        status: ProductStatus::Active,
        brand: None,
        category: None,
        texts: HashMap::new(),
        markets: Vec::new(),
        media: Vec::new(),
        related: Vec::new(),
    };
    let mut cells: Vec<(&usize, &(String, usize))> = g.cells.iter().collect();
    cells.sort_by_key(|(ci, _)| **ci);
    for (ci, (raw, line)) in cells {
        let Some(Some(c)) = columns.get(*ci) else {
            continue;
        };
        let h = headers.get(*ci).map(String::as_str).unwrap_or_default();
        let line = *line;
        match c {
            Column::Status => match ProductStatus::parse(raw) {
                Ok(s) => d.status = s,
                Err(e) => g.issues.push(issue(line, h, raw, e.to_string())),
            },
            Column::Brand => {
                let existing = brands.iter().find(|b| b.name.eq_ignore_ascii_case(raw.trim()));
                let brand = match existing {
                    Some(b) => b.clone(),
                    None => {
                        let b = Brand { id: BrandId::new(), slug: brand_slug(raw, brands)?, name: raw.trim().to_string() };
                        brands.push(b.clone());
                        new_brands.push(b.clone());
                        b
                    }
                };
                d.brand = Some(brand.id);
            }
            Column::Category => match categories.get(raw.trim()) {
                Some(c) => d.category = Some(c.id),
                None => g.issues.push(issue(line, h, raw, "unknown category; use the slug of an existing category (GET /api/v1/categories)")),
            },
            Column::Text(field, lang) => {
                d.texts.entry((*field).into()).or_default().set(lang.clone(), raw);
            }
            Column::Markets => {
                for m in split_list(raw) {
                    if markets.contains(&m) {
                        d.markets.push(m);
                    } else {
                        g.issues.push(issue(line, h, &m, "unknown market code"));
                    }
                }
                d.markets.sort();
                d.markets.dedup();
            }
            Column::Images => {
                for name in split_list(raw) {
                    d.media.push(MediaRef { kind: "image".into(), name, lang: None, title: LocalizedText::new(), line, column: h.into() });
                }
            }
            Column::Documents => {
                for entry in split_list(raw) {
                    let mut parts = entry.split('|').map(str::trim);
                    let name = parts.next().unwrap_or_default().to_string();
                    let lang = parts.next().filter(|s| !s.is_empty());
                    let title = parts.next().filter(|s| !s.is_empty());
                    let lang = match lang.map(Lang::parse) {
                        Some(Ok(l)) => Some(l),
                        Some(Err(e)) => {
                            g.issues.push(issue(line, h, &entry, e.to_string()));
                            None
                        }
                        None => None,
                    };
                    let mut t = LocalizedText::new();
                    if let Some(title) = title {
                        t.set(lang.clone().unwrap_or_else(Lang::en), title);
                    }
                    d.media.push(MediaRef { kind: "document".into(), name, lang: lang.map(|l| l.to_string()), title: t, line, column: h.into() });
                }
            }
            Column::Video => {
                d.media.push(MediaRef { kind: "video".into(), name: raw.trim().to_string(), lang: None, title: LocalizedText::new(), line, column: h.into() });
            }
            Column::Related(kind) => {
                for target in split_list(raw) {
                    d.related.push((*kind, target, line, h.to_string()));
                }
            }
            _ => {}
        }
    }
    if d.texts
        .get(&TextFieldKey::Name)
        .is_none_or(LocalizedText::is_empty)
    {
        let line = g
            .rows
            .first()
            .map(|_| g.cells.values().map(|(_, l)| *l).min().unwrap_or(0))
            .unwrap_or(0);
        g.issues.push(issue(
            line,
            "name.<lang>",
            "",
            "the product needs a name in at least one language",
        ));
    }
    Ok(d)
}

/// Saves new brands and changed products, each product with its outbox event.
async fn save_changes(
    tx: &mut Tx,
    new_brands: &[Brand],
    changes: &[Change],
    now: Timestamp,
) -> Result<(), AppError> {
    for b in new_brands {
        store::upsert_brand(tx, b, now).await?;
    }
    for c in changes {
        store::save_product(tx, &c.product, now, c.is_new).await?;
        if !c.media_same {
            store::replace_media(tx, c.product.id, &c.media, now).await?;
        }
        product_changed(tx, c.product.id, "product.upserted", now).await?;
    }
    Ok(())
}

/// Writes rows as a CSV file in the import format (for generated data).
pub fn write_sheet_csv(headers: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    mercato_docs::write_csv(headers, rows)
}
