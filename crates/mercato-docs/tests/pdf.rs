//! PDF rendering end to end: documents in, PDF bytes out, read back with
//! poppler's `pdftotext`/`pdffonts` (Debian poppler-utils) and the CJK fonts
//! under /usr/share/fonts (Debian fonts-noto-cjk).
//!
//! Without those tools or fonts a test prints `SKIPPED: …` and passes,
//! except under `CI=true`, where it fails: CI installs them (.ci/run).
#![cfg(feature = "pdf")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/sample.rs"]
mod sample;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

use mercato_docs::pdf::{PdfDocument, PdfFonts, PdfTotal, render_pdf};

const FONT_DIR: &str = "/usr/share/fonts";

/// Fonts loaded once per test binary: scanning the CJK collections is the
/// slowest step.
fn fonts() -> &'static PdfFonts {
    static FONTS: OnceLock<PdfFonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let started = Instant::now();
        let fonts = PdfFonts::load(&[PathBuf::from(FONT_DIR)]);
        eprintln!(
            "PdfFonts::load({FONT_DIR}): {} faces, has_cjk={}, in {:?}; families: {}",
            fonts.face_count(),
            fonts.has_cjk(),
            started.elapsed(),
            fonts.families().join(", ")
        );
        fonts
    })
}

/// Reports a missing prerequisite: a skip locally, a failure in CI.
fn skip(reason: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but {reason}");
    }
    eprintln!("SKIPPED: {reason}");
}

/// Runs a poppler tool on the PDF (read from stdin), or `None` if the tool
/// is not installed.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> Option<String> {
    let path = Path::new("/usr/bin").join(tool);
    if !path.exists() {
        return None;
    }
    // pdffonts cannot read stdin; a temp file works for every tool.
    let dir = std::env::temp_dir().join(format!("mercato-docs-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{tool}-{}.pdf", next_id()));
    std::fs::File::create(&file)
        .unwrap()
        .write_all(pdf)
        .unwrap();
    let output = Command::new(path)
        .args(args)
        .arg(&file)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .stdin(Stdio::null())
        .output()
        .unwrap();
    std::fs::remove_file(&file).ok();
    assert!(
        output.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

/// A per-call number so parallel tests do not share temp files.
fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Keeps a copy of the PDF in `$MERCATO_PDF_DUMP/NAME.pdf` when that
/// variable is set, to look at the layout by eye.
fn dump(name: &str, pdf: &[u8]) {
    if let Some(dir) = std::env::var_os("MERCATO_PDF_DUMP") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join(format!("{name}.pdf")), pdf).unwrap();
    }
}

/// Text without whitespace: pdftotext guesses spaces from glyph gaps, so it
/// may drop the narrow ones ("1 / 2" reads "1/2") or add some where typst
/// widens the gap between Chinese and Latin ("3 月").
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of each page, or `None` (after reporting the skip) without
/// pdftotext.
fn pages(pdf: &[u8]) -> Option<Vec<String>> {
    let Some(text) = poppler("pdftotext", &["-enc", "UTF-8"], pdf) else {
        skip("pdftotext is not installed (Debian poppler-utils)");
        return None;
    };
    // pdftotext ends every page with a form feed.
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Some(pages)
}

#[test]
fn a_long_english_order_spans_pages_with_repeated_header_and_page_numbers() {
    let doc = sample::english(120);
    let pdf = render_pdf(&doc, fonts()).unwrap();
    dump("english-120", &pdf);
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(pages) = pages(&pdf) else { return };
    let n = pages.len();
    assert!(n > 1, "120 rows should need several pages, got {n}");
    let all = pages.concat();
    for expected in [
        "Order confirmation",
        "SO-2026-000123",
        "Mercato Industrial Supply GmbH",
        "Acme Fasteners Ltd — Warehouse 3",
        "Your PO number",
        &sample::sku(1),
        &sample::sku(120),
        sample::GRAND_TOTAL_EN,
        "VAT ID DE123456789",
        "Call the gatehouse on arrival.",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
    for (i, page) in pages.iter().enumerate() {
        let number = format!("{}/{n}", i + 1);
        assert!(
            squeeze(page).contains(&number),
            "page {} lacks {number:?}:\n{page}",
            i + 1
        );
        assert!(
            page.contains("Description") && page.contains("Unit price"),
            "page {} lacks the table header:\n{page}",
            i + 1
        );
        assert!(
            page.contains("HRB 123456"),
            "page {} lacks the footer",
            i + 1
        );
    }
    // The last row and the grand total come after the first page.
    assert!(!pages[0].contains(&sample::sku(120)));
    assert!(pages[n - 1].contains(sample::GRAND_TOTAL_EN));
}

#[test]
fn a_chinese_order_renders_with_a_cjk_font() {
    if !fonts().has_cjk() {
        skip(&format!(
            "no CJK font under {FONT_DIR} (Debian fonts-noto-cjk)"
        ));
        return;
    }
    let pdf = render_pdf(&sample::chinese(12), fonts()).unwrap();
    dump("chinese-12", &pdf);
    let Some(pages) = pages(&pdf) else { return };
    let all = squeeze(&pages.concat());
    for expected in [
        "订单确认",
        "美凯多工业供应有限公司",
        "收货地址",
        "联系人：王先生",
        "六角螺栓",
        "不锈钢",
        "商品名称",
        "合计",
        sample::GRAND_TOTAL_ZH,
        "买家备注：请在上午十点前送达。",
        "2026年3月14日",
        "1/1",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
    // pdftotext reads the text layer, which keeps the characters even when
    // a glyph is missing; the embedded fonts show they were drawn with a
    // real CJK face rather than tofu boxes.
    let Some(used) = poppler("pdffonts", &[], &pdf) else {
        skip("pdffonts is not installed (Debian poppler-utils)");
        return;
    };
    assert!(used.contains("CJK"), "no CJK font embedded:\n{used}");
}

#[test]
fn text_is_printed_literally_never_run_as_markup() {
    let hostile = [
        "#panic(\"injected\")",
        "*bold* _emphasis_ `raw`",
        "$x^2 + y$",
        "<label> @reference",
        "#{ 1 + 1 } #let x = 1",
        "\\ backslash \\n",
        "[brackets] {braces}",
        "// not a comment",
        "= Not a heading",
        "- not a list",
        "\"quoted\" 'single'",
        "#set text(size: 40pt)",
        "#import \"@preview/x:0.1.0\": *",
        "#read(\"/etc/passwd\")",
    ];
    let mut doc = sample::english(1);
    doc.rows = hostile
        .iter()
        .enumerate()
        .map(|(i, text)| {
            vec![
                (i + 1).to_string(),
                (*text).to_owned(),
                (*text).to_owned(),
                "1".to_owned(),
                "1.00".to_owned(),
                "1.00".to_owned(),
            ]
        })
        .collect();
    doc.title = "#panic()".to_owned();
    doc.number = "*SO-1*".to_owned();
    doc.issuer = vec!["$Seller$".to_owned()];
    doc.meta = vec![("<k>".to_owned(), "@v".to_owned())];
    doc.totals = vec![PdfTotal {
        label: "#total".to_owned(),
        value: "$1".to_owned(),
        emphasis: true,
    }];
    doc.notes = vec!["#panic(\"note\")".to_owned()];
    doc.footer = "#counter(page).update(99)".to_owned();

    // Rendering at all shows `#panic()` was not run.
    let pdf = render_pdf(&doc, fonts()).unwrap();
    dump("literal", &pdf);
    let Some(pages) = pages(&pdf) else { return };
    let all = pages.concat();
    for expected in hostile.iter().copied().chain([
        "#panic()",
        "*SO-1*",
        "$Seller$",
        "<k>",
        "@v",
        "#total",
        "$1",
        "#panic(\"note\")",
        "#counter(page).update(99)",
    ]) {
        // ASCII quotes stay ASCII: typst makes quotes smart only in markup.
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let doc = sample::english(30);
    let first = render_pdf(&doc, fonts()).unwrap();
    let second = render_pdf(&doc, fonts()).unwrap();
    assert!(first == second, "two renders of the same document differ");
    // A fresh font set (same directories) must not change the output either.
    let third = render_pdf(&doc, &PdfFonts::load(&[PathBuf::from(FONT_DIR)])).unwrap();
    assert!(first == third, "a render with freshly loaded fonts differs");
    let mut changed = doc.clone();
    changed.number = "SO-2026-000124".to_owned();
    assert!(render_pdf(&changed, fonts()).unwrap() != first);
}

#[test]
fn a_row_with_the_wrong_number_of_cells_is_rejected() {
    let mut doc: PdfDocument = sample::english(3);
    doc.rows[1].pop();
    let err = render_pdf(&doc, fonts()).unwrap_err();
    assert!(err.to_string().contains("row 2 has 5 cells"), "{err}");
}

#[test]
fn an_empty_document_still_renders() {
    let pdf = render_pdf(&PdfDocument::default(), fonts()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

/// Times rendering once fonts are loaded (not asserted: the numbers are for
/// the report; `cargo bench -p mercato-docs` measures optimised builds).
#[test]
fn render_times() {
    let fonts = fonts();
    for rows in [10, 120] {
        let doc = sample::english(rows);
        let warm = Instant::now();
        render_pdf(&doc, fonts).unwrap();
        let first = warm.elapsed();
        let again = Instant::now();
        let pdf = render_pdf(&doc, fonts).unwrap();
        eprintln!(
            "render_pdf {rows} rows: first {first:?}, again {:?}, {} bytes",
            again.elapsed(),
            pdf.len()
        );
    }
}
