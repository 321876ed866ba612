//! Catalog import from a spreadsheet (S1): one row per SKU, columns as in
//! `docs/catalog-import.md`, upsert by part number. Every bad cell is
//! reported with its row, column, value and reason; the mode decides
//! whether valid rows are applied or nothing is.

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
use mercato_docs::{Sheet, SheetFormat, SheetLimits, read_sheet};
use mercato_store::Timestamp;
use mercato_store::audit::{self, AuditEntry};
use mercato_store::catalog::{self as store, ImportRecord, MediaRecord};
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

/// A row's variant-level data.
struct RowData {
    line: usize,
    key: String,
    variant: Option<Variant>,
    /// Whether `variant_status` was given (else the variant follows the product).
    explicit_status: bool,
    issues: Vec<RowIssue>,
}

/// A product as the file describes it.
struct Group {
    key: String,
    rows: Vec<usize>,
    /// column index → (value, row line) of the first non-empty cell.
    cells: HashMap<usize, (String, usize)>,
    issues: Vec<RowIssue>,
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
    let mut brands: Vec<Brand> = store::list_brands(db).await?;
    let markets: HashSet<String> = store::list_markets(db)
        .await?
        .into_iter()
        .map(|m| m.code)
        .collect();

    // Columns.
    let mut columns = Vec::with_capacity(sheet.headers.len());
    let mut file_issues = Vec::new();
    for h in &sheet.headers {
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
    for i in &sheet.issues {
        let it = issue(
            i.line,
            i.column.as_deref().unwrap_or(""),
            i.value.as_deref().unwrap_or(""),
            i.reason.clone(),
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
    let sku_col = sku_col.unwrap_or_default();
    let col = |name: &Column| columns.iter().position(|c| c.as_ref() == Some(name));
    let product_col = col(&Column::Product);
    let name_en = columns
        .iter()
        .position(|c| matches!(c, Some(Column::Text(TextField::Name, l)) if l == &Lang::en()));
    let any_name = columns
        .iter()
        .position(|c| matches!(c, Some(Column::Text(TextField::Name, _))));

    // Rows → variants and product keys.
    let sku_index: HashMap<String, (ProductId, VariantId)> = store::sku_index(db)
        .await?
        .into_iter()
        .map(|(s, p, v)| (s, (p, v)))
        .collect();
    let slug_index: HashMap<String, ProductId> = store::slug_index(db).await?.into_iter().collect();
    let slug_of: HashMap<ProductId, String> =
        slug_index.iter().map(|(s, id)| (*id, s.clone())).collect();
    let mut rows: Vec<RowData> = Vec::with_capacity(sheet.rows.len());
    let mut first_row_of_sku: HashMap<String, usize> = HashMap::new();
    for (n, r) in sheet.rows.iter().enumerate() {
        if n % 5000 == 0 {
            progress("checking rows", n, sheet.rows.len());
        }
        let mut issues = Vec::new();
        let raw_sku = r.get(Some(sku_col));
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
            r.get(product_col),
            r.get(name_en.or(any_name)),
            sku.as_ref(),
            &sku_index,
            &slug_of,
            r.line,
            &mut issues,
        );
        let variant = sku.and_then(|sku| {
            parse_variant(
                sku,
                r,
                &columns,
                &sheet.headers,
                &attributes,
                &sku_index,
                &mut issues,
            )
        });
        let explicit_status =
            col(&Column::VariantStatus).is_some_and(|i| !r.get(Some(i)).is_empty());
        issues.extend(sheet_row_issues.remove(&r.line).unwrap_or_default());
        rows.push(RowData {
            line: r.line,
            key,
            variant,
            explicit_status,
            issues,
        });
    }

    // Group rows by product, merging product-level cells.
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    for (idx, row) in rows.iter().enumerate() {
        let g = *group_of.entry(row.key.clone()).or_insert_with(|| {
            groups.push(Group {
                key: row.key.clone(),
                rows: Vec::new(),
                cells: HashMap::new(),
                issues: Vec::new(),
            });
            groups.len() - 1
        });
        groups[g].rows.push(idx);
        let sheet_row = &sheet.rows[idx];
        for (ci, c) in columns.iter().enumerate() {
            let Some(c) = c else { continue };
            if !c.product_level() {
                continue;
            }
            let v = sheet_row.get(Some(ci));
            if v.is_empty() {
                continue;
            }
            match groups[g].cells.get(&ci) {
                None => {
                    groups[g].cells.insert(ci, (v.to_string(), row.line));
                }
                Some((first, line)) if first != v => {
                    let reason = format!(
                        "differs from row {line} of the same product ({first:?}); give product-level values once or identically"
                    );
                    groups[g]
                        .issues
                        .push(issue(row.line, &sheet.headers[ci], v, reason));
                }
                Some(_) => {}
            }
        }
    }

    // The cells are all in `rows` and `groups` now: free the sheet's copy.
    let Sheet {
        headers,
        rows: sheet_rows,
        ..
    } = sheet;
    drop(sheet_rows);

    // Product-level values.
    let mut drafts: Vec<Option<Draft>> = Vec::with_capacity(groups.len());
    let mut new_brands: Vec<Brand> = Vec::new();
    for g in &mut groups {
        let d = parse_product(
            g,
            &columns,
            &headers,
            &categories,
            &mut brands,
            &mut new_brands,
            &markets,
        )?;
        drafts.push(Some(d));
        // The raw product-level cells are parsed now; free them.
        g.cells = HashMap::new();
    }
    report.brands_created = new_brands.len();

    // Which product id each group is: by slug, else by its part numbers, else new.
    let mut group_ids: Vec<ProductId> = Vec::with_capacity(groups.len());
    for g in &groups {
        let by_slug = slug_index.get(&g.key).copied();
        let by_sku = g.rows.iter().find_map(|i| {
            rows[*i]
                .variant
                .as_ref()
                .and_then(|v| sku_index.get(v.sku.as_str()).map(|(p, _)| *p))
        });
        group_ids.push(by_slug.or(by_sku).unwrap_or_default());
    }
    let key_to_id: HashMap<String, ProductId> = groups
        .iter()
        .zip(&group_ids)
        .map(|(g, id)| (g.key.clone(), *id))
        .collect();
    let file_skus: HashMap<String, ProductId> = groups
        .iter()
        .zip(&group_ids)
        .flat_map(|(g, id)| {
            g.rows
                .iter()
                .filter_map(|i| rows[*i].variant.as_ref().map(|v| (v.sku.to_string(), *id)))
                .collect::<Vec<_>>()
        })
        .collect();

    // Existing state, for unchanged detection and media reuse.
    let existing_ids: Vec<ProductId> = group_ids
        .iter()
        .copied()
        .filter(|id| slug_of.contains_key(id))
        .collect();
    let existing: HashMap<ProductId, Product> = store::load_products(db, &existing_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let existing_media = store::media_of(db, &existing_ids).await?;
    let existing_relations = store::relations_of(db, &existing_ids).await?;

    // Relations, media and final products.
    let media_service = MediaService::new(app);
    let mut processed: HashMap<String, Result<MediaFile, String>> = HashMap::new();
    let mut plans: Vec<Plan> = Vec::new();
    for (gi, g) in groups.iter_mut().enumerate() {
        if gi % 1000 == 0 {
            progress("preparing products", gi, drafts.len());
        }
        let Some(draft) = drafts[gi].take() else {
            continue;
        };
        let id = group_ids[gi];
        // Every variant must carry the attributes its category requires.
        if let Some(cat) = draft
            .category
            .and_then(|c| categories.values().find(|x| x.id == c))
        {
            for r in &g.rows {
                let row = &mut rows[*r];
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
            let found = key_to_id
                .get(target)
                .copied()
                .or_else(|| slug_index.get(target).copied())
                .or_else(|| file_skus.get(target).copied())
                .or_else(|| sku_index.get(target).map(|(p, _)| *p));
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
        let old_media = existing_media.get(&id).cloned().unwrap_or_default();
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
            if !processed.contains_key(&m.name) {
                let outcome = match source.fetch(&m.name) {
                    Some(bytes) => media_service
                        .prepare(&m.kind, &m.name, bytes)
                        .await
                        .map_err(|e| match e {
                            AppError::Invalid(f) => f
                                .into_iter()
                                .map(|f| f.message)
                                .collect::<Vec<_>>()
                                .join("; "),
                            other => other.to_string(),
                        }),
                    None => match old_media
                        .iter()
                        .find(|o| o.file_name == m.name && o.kind == m.kind)
                    {
                        Some(o) => Ok(MediaFile::existing(o)),
                        None => Err(format!("file not found in {}", source.describe())),
                    },
                };
                // Store files as soon as they are checked (not in a dry run) and
                // keep only their metadata: holding every picture of a large
                // import in memory is what made peak memory grow. Files are
                // content-addressed, so one that ends up unreferenced (bad
                // rows, all-or-nothing refusal) is harmless.
                let outcome = match outcome {
                    Ok(mut file) => {
                        if !options.dry_run {
                            media_service.store(&file).await?;
                        }
                        file.pending.clear();
                        Ok(file)
                    }
                    Err(e) => Err(e),
                };
                processed.insert(m.name.clone(), outcome);
            }
            match processed.get(&m.name) {
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
            group: gi,
            id,
            draft,
            relations,
            media,
        });
    }

    // Validity.
    let mut bad_rows: HashSet<usize> = HashSet::new();
    for g in &groups {
        for r in &g.rows {
            if !rows[*r].issues.is_empty() || !g.issues.is_empty() || rows[*r].variant.is_none() {
                bad_rows.insert(*r);
            }
        }
    }
    for g in &groups {
        report.issues.extend(g.issues.iter().cloned());
        if !g.issues.is_empty() {
            for r in &g.rows {
                let line = rows[*r].line;
                if rows[*r].issues.is_empty() && !g.issues.iter().any(|i| i.row == line) {
                    report.issues.push(issue(
                        line,
                        "",
                        "",
                        format!("skipped: product {:?} has errors on other rows", g.key),
                    ));
                }
            }
        }
    }
    for r in &rows {
        report.issues.extend(r.issues.iter().cloned());
    }
    report
        .issues
        .sort_by(|a, b| a.row.cmp(&b.row).then_with(|| a.column.cmp(&b.column)));
    report.rows_failed = bad_rows.len();
    report.rows_valid = rows.len() - bad_rows.len();

    // Products that will exist after the write: the catalog's and the valid ones of the file.
    let mut will_exist: HashSet<ProductId> = slug_of.keys().copied().collect();
    for plan in &plans {
        if groups[plan.group]
            .rows
            .iter()
            .any(|r| !bad_rows.contains(r))
        {
            will_exist.insert(plan.id);
        }
    }

    // Final products.
    let mut changes: Vec<Change> = Vec::new();
    for mut plan in plans {
        let g = &groups[plan.group];
        let valid_rows: Vec<usize> = g
            .rows
            .iter()
            .copied()
            .filter(|r| !bad_rows.contains(r))
            .collect();
        if valid_rows.is_empty() {
            continue;
        }
        let first_line = valid_rows.first().map(|r| rows[*r].line).unwrap_or(0);
        plan.relations.retain(|(target, kind)| {
            let keep = will_exist.contains(target);
            if !keep {
                report.issues.push(issue(first_line, &format!("related.{kind}"), "", "a related product was not imported because of its own errors; the relation was left out"));
            }
            keep
        });
        let old = existing.get(&plan.id);
        let mut variants: Vec<Variant> = Vec::new();
        for (pos, r) in valid_rows.iter().enumerate() {
            // Moved, not cloned: each variant exists once in memory.
            if let Some(mut v) = rows[*r].variant.take() {
                v.position = i32::try_from(pos).unwrap_or(i32::MAX);
                if !rows[*r].explicit_status {
                    v.status = plan.draft.status;
                }
                variants.push(v);
            }
        }
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
        let product = Product {
            id: plan.id,
            slug: d.slug,
            status: d.status,
            brand: d.brand,
            category: d.category,
            name: d
                .texts
                .get(&TextFieldKey::Name)
                .cloned()
                .unwrap_or_default(),
            short_description: d
                .texts
                .get(&TextFieldKey::Short)
                .cloned()
                .unwrap_or_default(),
            description: d
                .texts
                .get(&TextFieldKey::Description)
                .cloned()
                .unwrap_or_default(),
            meta_title: d
                .texts
                .get(&TextFieldKey::MetaTitle)
                .cloned()
                .unwrap_or_default(),
            meta_description: d
                .texts
                .get(&TextFieldKey::MetaDescription)
                .cloned()
                .unwrap_or_default(),
            markets: d.markets,
            variants,
        };
        let old_media = existing_media
            .get(&plan.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let media_same = same_media(old_media, &plan.media);
        let mut old_rel: Vec<(ProductId, String)> = existing_relations
            .iter()
            .filter(|r| r.product == plan.id)
            .map(|r| (r.related, r.kind.clone()))
            .collect();
        let mut new_rel = plan.relations.clone();
        old_rel.sort();
        new_rel.sort();
        new_rel.dedup();
        let unchanged = old.is_some_and(|o| o == &product) && media_same && old_rel == new_rel;
        if unchanged {
            report.products_unchanged += 1;
        } else if old.is_some() {
            report.products_updated += 1;
        } else {
            report.products_created += 1;
        }
        changes.push(Change {
            is_new: old.is_none(),
            product,
            media: plan.media,
            relations: plan.relations,
            unchanged,
            media_same,
        });
    }

    let has_issues = !report.issues.is_empty() || report.rows_failed > 0;
    let refused = options.mode == ImportMode::AllOrNothing && has_issues;
    let apply = !(options.dry_run || refused);
    if apply {
        write(app, &new_brands, &changes, options.mode, progress).await?;
        report.applied = true;
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
    group: usize,
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
    relations: Vec<(ProductId, String)>,
    unchanged: bool,
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

async fn write(
    app: &App,
    new_brands: &[Brand],
    changes: &[Change],
    mode: ImportMode,
    progress: Progress<'_>,
) -> Result<(), AppError> {
    let db = app.db();
    let now = Timestamp::now();
    let total = changes.len();
    // All-or-nothing: one transaction. Valid rows: batches, so a huge file
    // does not hold SQLite's write lock for its whole length.
    let batch = if mode == ImportMode::AllOrNothing {
        usize::MAX
    } else {
        500
    };
    let mut tx = db.begin().await?;
    for b in new_brands {
        store::upsert_brand(&mut tx, b, now).await?;
    }
    let mut in_batch = 0;
    for (i, c) in changes.iter().enumerate() {
        if c.unchanged {
            continue;
        }
        store::save_product(&mut tx, &c.product, now, c.is_new).await?;
        if !c.media_same {
            store::replace_media(&mut tx, c.product.id, &c.media, now).await?;
        }
        product_changed(&mut tx, c.product.id, "product.upserted", now).await?;
        in_batch += 1;
        if in_batch >= batch {
            tx.commit().await?;
            progress("writing products", i + 1, total);
            tx = db.begin().await?;
            in_batch = 0;
        }
    }
    // Relations last: their targets may be products created above.
    for c in changes.iter().filter(|c| !c.unchanged) {
        store::replace_relations(&mut tx, c.product.id, &c.relations).await?;
    }
    tx.commit().await?;
    app.catalog_cache().invalidate();
    progress("writing products", total, total);
    Ok(())
}

/// Writes rows as a CSV file in the import format (for generated data).
pub fn write_sheet_csv(headers: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    mercato_docs::write_csv(headers, rows)
}
