use mercato_media::{MediaError, check_document, demo_datasheet_pdf};

use crate::fixtures;

fn datasheet() -> Vec<u8> {
    demo_datasheet_pdf(
        "M8 x 40 hex bolt, DIN 933",
        &[
            "Material: steel, property class 8.8".to_owned(),
            "Finish: zinc plated (Fe/Zn 8)".to_owned(),
            "Thread: M8 x 1.25, tolerance 6g".to_owned(),
            String::new(),
            "Tightening torque: 25 Nm \\ see table".to_owned(),
        ],
    )
}

#[test]
fn the_demo_datasheet_passes() {
    assert_eq!(
        check_document("datasheet.pdf", &datasheet()).unwrap(),
        ("application/pdf", "pdf")
    );
}

#[test]
fn the_demo_datasheet_is_deterministic_and_well_formed() {
    let pdf = datasheet();
    assert_eq!(pdf, datasheet());
    assert!(pdf.starts_with(b"%PDF-1.4\n"));
    assert!(pdf.ends_with(b"%%EOF\n"));

    // startxref points at the xref table, and every entry points at its object.
    // (Offsets are in bytes; the binary comment on line two is not UTF-8, so
    // slice the bytes, not a lossy string.)
    let text = String::from_utf8_lossy(&pdf);
    let startxref: usize = text
        .rsplit("startxref\n")
        .next()
        .and_then(|tail| tail.lines().next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(pdf[startxref..].starts_with(b"xref\n0 "));
    let table = String::from_utf8_lossy(&pdf[startxref..]);
    let count: usize = table.lines().nth(1).unwrap()[2..].parse().unwrap();
    for (number, entry) in table.lines().skip(3).take(count - 1).enumerate() {
        assert_eq!(entry.len(), 19, "{entry:?} plus its newline makes 20 bytes");
        let offset: usize = entry[..10].parse().unwrap();
        let header = format!("{} 0 obj\n", number + 1);
        assert!(
            pdf[offset..].starts_with(header.as_bytes()),
            "object {}",
            number + 1
        );
    }
    // Stream lengths are right.
    let length: usize = text
        .split("/Length ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    let start = pdf.windows(7).position(|w| w == b"stream\n").unwrap() + "stream\n".len();
    assert_eq!(&pdf[start + length..start + length + 10], b"\nendstream");
}

#[test]
fn many_lines_flow_onto_more_pages() {
    let lines: Vec<String> = (1..=150).map(|i| format!("Line {i}")).collect();
    let pdf = demo_datasheet_pdf("Long", &lines);
    check_document("long.pdf", &pdf).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/Count 4 "), "150 lines need 4 pages");
    assert!(text.contains("(Line 150) Tj"));
}

#[test]
fn pdftotext_extracts_the_text_when_installed() {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("datasheet.pdf");
    std::fs::write(&path, datasheet()).unwrap();
    let Ok(output) = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    else {
        eprintln!("pdftotext not installed; skipping the extraction check");
        return;
    };
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "M8 x 40 hex bolt, DIN 933",
        "Material: steel, property class 8.8",
        "Finish: zinc plated (Fe/Zn 8)",
        "Tightening torque: 25 Nm \\ see table",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from {text:?}"
        );
    }
    // Poppler complains on stderr about a broken xref table or stream length.
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let info = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        info.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&info.stderr)
    );
    let info = String::from_utf8_lossy(&info.stdout);
    let field = |name: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .map(str::trim)
    };
    assert_eq!(field("Title"), Some("M8 x 40 hex bolt, DIN 933"), "{info}");
    assert_eq!(field("Pages"), Some("1"), "{info}");
    assert_eq!(field("Page size"), Some("595 x 842 pts (A4)"), "{info}");
}

#[test]
fn a_renamed_jpeg_is_not_a_pdf() {
    let error = check_document("datasheet.pdf", &fixtures::jpeg(16, 16)).unwrap_err();
    assert!(matches!(error, MediaError::NotAPdf { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "datasheet.pdf is not a PDF file (it looks like a JPEG image)"
    );
}

#[test]
fn office_files_are_named() {
    let mut docx = fixtures::zip();
    docx.extend_from_slice(b"[Content_Types].xml....word/document.xml");
    let error = check_document("datasheet.pdf", &docx).unwrap_err();
    assert_eq!(
        error.to_string(),
        "datasheet.pdf is not a PDF file (it looks like a Word document)"
    );
}

#[test]
fn a_cut_off_pdf_is_incomplete() {
    let pdf = datasheet();
    let error = check_document("datasheet.pdf", &pdf[..pdf.len() - 200]).unwrap_err();
    assert!(
        matches!(error, MediaError::PdfIncomplete { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("datasheet.pdf is an incomplete PDF file")
    );
}

#[test]
fn empty_and_unknown_files_are_refused() {
    let error = check_document("x.pdf", b"").unwrap_err();
    assert_eq!(error.to_string(), "x.pdf is empty; upload it again");
    let error = check_document("x.pdf", &[0, 159, 146, 150]).unwrap_err();
    assert_eq!(error.to_string(), "x.pdf is not a PDF file");
}
