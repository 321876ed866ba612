//! Business documents as PDF: order confirmations now, invoices and quotes
//! later, laid out by typst from one template (`templates/document.typ`).
//!
//! The model is deliberately dumb: the caller passes text that is already
//! translated and formatted (dates, money, quantities), so this module knows
//! nothing about Fluent, currencies or orders. The text reaches typst as
//! data (`sys.inputs`), never pasted into markup, so a product called
//! `#panic()` or `*bold*` prints exactly so.
//!
//! Rendering is CPU-bound and synchronous (tens to hundreds of
//! milliseconds): call it from a blocking thread, not an async task.

mod fonts;

use serde::{Deserialize, Serialize};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic, Warned};
use typst::foundations::{Array, Bytes, Datetime, Dict, Duration, Str, Value};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

pub use fonts::PdfFonts;

/// The template, compiled into the binary so a deployment needs no files
/// besides fonts.
const TEMPLATE: &str = include_str!("../templates/document.typ");

/// Name of the template in typst's virtual file system (and diagnostics).
const TEMPLATE_PATH: &str = "document.typ";

/// How many compilations typst's memo cache keeps an unused entry for.
/// Without eviction the cache grows with every document rendered; a small
/// age still reuses the parsed template and fonts between renders.
const CACHE_MAX_AGE: usize = 10;

/// A business document laid out as a PDF: order confirmation, invoice,
/// quote.
///
/// Every string is shown as given: translate and format before.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfDocument {
    /// BCP 47 language tag, e.g. `en`, `de-CH` or `zh-CN`: sets typst's
    /// language and region (hyphenation, CJK spacing and punctuation) and
    /// which CJK glyph variant is used (`zh-CN` Simplified, `zh-TW` or
    /// `zh-Hant` Traditional).
    pub lang: String,
    /// Document kind, shown large top right: "Order confirmation", "订单确认".
    pub title: String,
    /// Document number under the title: "SO-2026-000123".
    pub number: String,
    /// Seller name (first line, bold) and address lines, top left.
    pub issuer: Vec<String>,
    /// Label/value pairs top right under the number: order date, PO number,
    /// payment terms, shipping method…
    pub meta: Vec<(String, String)>,
    /// Address blocks side by side under the head: bill to, ship to.
    pub parties: Vec<PdfParty>,
    /// Line table header. Every row has as many cells.
    pub columns: Vec<PdfColumn>,
    /// Line table cells, one `Vec` per line item.
    pub rows: Vec<Vec<String>>,
    /// Totals under the table, right-aligned: subtotal, shipping, tax,
    /// grand total.
    pub totals: Vec<PdfTotal>,
    /// Paragraphs under the totals: payment instructions, the buyer's note.
    /// A `\n` inside a note breaks the line.
    pub notes: Vec<String>,
    /// Small print at the bottom of every page, left of "page x / y":
    /// registered office, VAT ID, bank details.
    pub footer: String,
}

/// An address block: "Bill to" and its lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfParty {
    /// Small heading above the block: "Bill to", "收货地址".
    pub heading: String,
    /// Name and address lines.
    pub lines: Vec<String>,
}

/// A column of the line table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfColumn {
    /// Header text.
    pub label: String,
    /// Right-align header and cells: quantities, prices, amounts.
    pub align_right: bool,
}

/// One line of the totals block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfTotal {
    /// "Subtotal", "VAT 19 %", "Total".
    pub label: String,
    /// The formatted amount.
    pub value: String,
    /// Bold, larger and ruled above: the grand total.
    pub emphasis: bool,
}

/// A document could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// The document is inconsistent (a row with the wrong number of cells).
    /// A bug in the caller, not in the data.
    #[error("invalid document: {0}")]
    Invalid(String),
    /// Typst could not lay the document out; typst's diagnostics, one per
    /// line. A bug in the template, or a font problem.
    #[error("typst could not lay out the document:\n{0}")]
    Layout(String),
    /// Typst could not write the laid-out document as PDF; its diagnostics.
    #[error("typst could not write the PDF:\n{0}")]
    Export(String),
}

/// Renders `doc` as an A4 PDF with `fonts`.
///
/// The same document and fonts give the same bytes: there is no creation
/// date, and the document ID is derived from the title. Takes tens of
/// milliseconds for a short order and grows with the number of rows (see
/// the crate's benchmark); blocking and CPU-bound.
pub fn render_pdf(doc: &PdfDocument, fonts: &PdfFonts) -> Result<Vec<u8>, PdfError> {
    render(doc, fonts).map(|(pdf, _warnings)| pdf)
}

/// [`render_pdf`], also returning typst's warnings (for tests: the template
/// should produce none).
fn render(doc: &PdfDocument, fonts: &PdfFonts) -> Result<(Vec<u8>, Vec<String>), PdfError> {
    check(doc)?;
    let main = Source::new(template_id()?, TEMPLATE.to_owned());
    let world = DocWorld {
        library: LazyHash::new(Library::builder().with_inputs(inputs(doc, fonts)).build()),
        fonts,
        main,
    };
    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let result = output
        .map_err(|errors| PdfError::Layout(describe(&world, &errors)))
        .and_then(|paged| {
            typst_pdf::pdf(&paged, &PdfOptions::default())
                .map_err(|errors| PdfError::Export(describe(&world, &errors)))
        });
    // Evict even after an error: the cache is global and would only grow.
    typst::comemo::evict(CACHE_MAX_AGE);
    let warnings = warnings.iter().map(|w| describe_one(&world, w)).collect();
    result.map(|pdf| (pdf, warnings))
}

/// Rejects documents the template cannot lay out sensibly.
fn check(doc: &PdfDocument) -> Result<(), PdfError> {
    if doc.columns.is_empty() && !doc.rows.is_empty() {
        return Err(PdfError::Invalid(
            "the document has rows but no columns".to_owned(),
        ));
    }
    if let Some((index, row)) = doc
        .rows
        .iter()
        .enumerate()
        .find(|(_, row)| row.len() != doc.columns.len())
    {
        return Err(PdfError::Invalid(format!(
            "row {} has {} cells, but there are {} columns",
            index + 1,
            row.len(),
            doc.columns.len()
        )));
    }
    Ok(())
}

fn template_id() -> Result<FileId, PdfError> {
    let path = VirtualPath::new(TEMPLATE_PATH)
        .map_err(|err| PdfError::Layout(format!("template path {TEMPLATE_PATH}: {err:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, path).intern())
}

/// The language parts of a BCP 47 tag that typst understands.
#[derive(Debug, PartialEq, Eq)]
struct LangTag {
    /// ISO 639 language, lowercase; "en" when the tag has none usable.
    lang: String,
    /// ISO 15924 script, title case: "Hant".
    script: Option<String>,
    /// ISO 3166-1 alpha-2 region, uppercase: "CN".
    region: Option<String>,
}

fn parse_lang(tag: &str) -> LangTag {
    let mut parts = tag.split(['-', '_']).filter(|p| !p.is_empty());
    let lang = parts
        .next()
        .filter(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()))
        .map_or_else(|| "en".to_owned(), str::to_ascii_lowercase);
    let mut script = None;
    let mut region = None;
    for part in parts {
        let alpha = part.chars().all(|c| c.is_ascii_alphabetic());
        if part.len() == 4 && alpha && script.is_none() && region.is_none() {
            let (first, rest) = part.split_at(1);
            script = Some(first.to_ascii_uppercase() + &rest.to_ascii_lowercase());
        } else if part.len() == 2 && alpha && region.is_none() {
            region = Some(part.to_ascii_uppercase());
        } else {
            // Variants, extensions and numeric regions (419) mean nothing to
            // typst; stop before misreading an extension's subtags.
            break;
        }
    }
    LangTag {
        lang,
        script,
        region,
    }
}

/// The document as the template's `sys.inputs`: plain values, no markup.
fn inputs(doc: &PdfDocument, fonts: &PdfFonts) -> Dict {
    let tag = parse_lang(&doc.lang);
    let stack = fonts
        .set()
        .font_stack(&tag.lang, tag.script.as_deref(), tag.region.as_deref());
    let grow = growing_column(doc);

    let mut d = Dict::new();
    d.insert("lang".into(), text(&tag.lang));
    d.insert(
        "region".into(),
        tag.region.as_deref().map_or(Value::None, text),
    );
    d.insert("fonts".into(), texts(&stack));
    d.insert("title".into(), text(&doc.title));
    d.insert("number".into(), text(&doc.number));
    d.insert("issuer".into(), texts(&doc.issuer));
    d.insert(
        "meta".into(),
        list(
            doc.meta
                .iter()
                .map(|(label, value)| list([text(label), text(value)])),
        ),
    );
    d.insert(
        "parties".into(),
        list(
            doc.parties
                .iter()
                .map(|p| dict([("heading", text(&p.heading)), ("lines", texts(&p.lines))])),
        ),
    );
    d.insert(
        "columns".into(),
        list(doc.columns.iter().enumerate().map(|(i, c)| {
            dict([
                ("label", text(&c.label)),
                ("right", Value::Bool(c.align_right)),
                ("grow", Value::Bool(grow == Some(i))),
            ])
        })),
    );
    d.insert("rows".into(), list(doc.rows.iter().map(|row| texts(row))));
    d.insert(
        "totals".into(),
        list(doc.totals.iter().map(|t| {
            dict([
                ("label", text(&t.label)),
                ("value", text(&t.value)),
                ("emphasis", Value::Bool(t.emphasis)),
            ])
        })),
    );
    d.insert("notes".into(), texts(&doc.notes));
    d.insert("footer".into(), text(&doc.footer));
    d
}

/// The column that takes the table's spare width: the left-aligned one with
/// the longest text (the description), so SKUs and amounts stay compact
/// and long names wrap there. Without a left-aligned column, none grows.
fn growing_column(doc: &PdfDocument) -> Option<usize> {
    doc.columns
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.align_right)
        .max_by_key(|(i, c)| {
            let longest = doc
                .rows
                .iter()
                .filter_map(|row| row.get(*i))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0);
            // Ties go to the leftmost column (max_by_key keeps the last
            // maximum, so rank by the negated index as well).
            (longest.max(c.label.chars().count()), std::cmp::Reverse(*i))
        })
        .map(|(i, _)| i)
}

fn text(s: &str) -> Value {
    Value::Str(Str::from(s))
}

fn texts(items: &[String]) -> Value {
    list(items.iter().map(|s| text(s)))
}

fn list(items: impl IntoIterator<Item = Value>) -> Value {
    Value::Array(items.into_iter().collect::<Array>())
}

fn dict<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    let mut d = Dict::new();
    for (key, value) in pairs {
        d.insert(key.into(), value);
    }
    Value::Dict(d)
}

/// Typst's view of the world for one render: the template as the only
/// file, the shared fonts, and no clock.
struct DocWorld<'a> {
    library: LazyHash<Library>,
    fonts: &'a PdfFonts,
    main: Source,
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.set().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.set().font(index)
    }

    /// No clock: `datetime.today()` fails, so nothing time-dependent can
    /// sneak into the output and break reproducibility.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

/// Diagnostics as text, one per line.
fn describe(world: &DocWorld<'_>, diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| describe_one(world, d))
        .collect::<Vec<_>>()
        .join("\n")
}

/// "error: message (document.typ:LINE); hint: …".
fn describe_one(world: &DocWorld<'_>, diagnostic: &SourceDiagnostic) -> String {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("{severity}: {}", diagnostic.message);
    if let Some(line) = world
        .range(diagnostic.span)
        .and_then(|range| world.main.lines().byte_to_line(range.start))
    {
        out.push_str(&format!(" ({TEMPLATE_PATH}:{})", line + 1));
    }
    for hint in &diagnostic.hints {
        out.push_str("; hint: ");
        out.push_str(&hint.v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(lang: &str, script: Option<&str>, region: Option<&str>) -> LangTag {
        LangTag {
            lang: lang.to_owned(),
            script: script.map(str::to_owned),
            region: region.map(str::to_owned),
        }
    }

    /// Callers keep one `PdfFonts` in a static or an `Arc` across threads.
    #[test]
    fn fonts_and_documents_can_be_shared_between_threads() {
        fn shared<T: Send + Sync + Clone + 'static>() {}
        shared::<PdfFonts>();
        shared::<PdfDocument>();
        shared::<PdfError>();
    }

    #[test]
    fn language_tags_are_split_for_typst() {
        assert_eq!(parse_lang("en"), tag("en", None, None));
        assert_eq!(parse_lang("zh-CN"), tag("zh", None, Some("CN")));
        assert_eq!(parse_lang("zh_cn"), tag("zh", None, Some("CN")));
        assert_eq!(
            parse_lang("zh-Hant-TW"),
            tag("zh", Some("Hant"), Some("TW"))
        );
        assert_eq!(parse_lang("de-CH-u-nu-latn"), tag("de", None, Some("CH")));
        assert_eq!(parse_lang("es-419"), tag("es", None, None));
        assert_eq!(parse_lang(""), tag("en", None, None));
        assert_eq!(parse_lang("x1-CN"), tag("en", None, Some("CN")));
    }

    fn column(label: &str, align_right: bool) -> PdfColumn {
        PdfColumn {
            label: label.to_owned(),
            align_right,
        }
    }

    #[test]
    fn the_longest_left_column_grows() {
        let doc = PdfDocument {
            columns: vec![
                column("SKU", false),
                column("Description", false),
                column("Amount", true),
            ],
            rows: vec![vec![
                "SKU-1".to_owned(),
                "Hexagon bolt M8".to_owned(),
                "1,000,000,000.00".to_owned(),
            ]],
            ..PdfDocument::default()
        };
        assert_eq!(growing_column(&doc), Some(1));
        let numbers_only = PdfDocument {
            columns: vec![column("Qty", true)],
            ..PdfDocument::default()
        };
        assert_eq!(growing_column(&numbers_only), None);
    }

    #[test]
    fn rows_must_match_the_columns() {
        let doc = PdfDocument {
            columns: vec![column("SKU", false), column("Qty", true)],
            rows: vec![vec!["A".to_owned(), "1".to_owned()], vec!["B".to_owned()]],
            ..PdfDocument::default()
        };
        assert_eq!(
            check(&doc),
            Err(PdfError::Invalid(
                "row 2 has 1 cells, but there are 2 columns".to_owned()
            ))
        );
    }

    #[test]
    fn the_template_renders_without_warnings() {
        let fonts = PdfFonts::load(&[]);
        let doc = PdfDocument {
            lang: "en".to_owned(),
            title: "Order confirmation".to_owned(),
            number: "SO-1".to_owned(),
            issuer: vec!["Seller".to_owned(), "Street 1".to_owned()],
            meta: vec![("Date".to_owned(), "2026-01-02".to_owned())],
            parties: vec![PdfParty {
                heading: "Bill to".to_owned(),
                lines: vec!["Buyer".to_owned()],
            }],
            columns: vec![column("SKU", false), column("Amount", true)],
            rows: vec![vec!["A-1".to_owned(), "1.00".to_owned()]],
            totals: vec![PdfTotal {
                label: "Total".to_owned(),
                value: "1.00".to_owned(),
                emphasis: true,
            }],
            notes: vec!["Thanks".to_owned()],
            footer: "Seller Ltd".to_owned(),
        };
        let (pdf, warnings) = render(&doc, &fonts).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(warnings, Vec::<String>::new());
    }
}
