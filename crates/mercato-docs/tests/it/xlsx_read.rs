use std::io::{Cursor, Read, Write};

use mercato_docs::{
    CellIssue, SheetError, SheetFormat, SheetLimits, TextEncoding, detect_format, read_sheet,
};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

use crate::{cells, lines, read_xlsx, strings};

/// A workbook the way clerks send them: typed numbers and dates, formulas,
/// a merged range, an error value, and a second sheet.
fn clerk_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let date_time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let sheet = workbook.add_worksheet();
    sheet.set_name("Products").unwrap();
    let headers = [
        "sku", "name", "price", "launched", "double", "cached", "maybe", "ratio",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    // Row 2.
    sheet.write_string(1, 0, "A-1").unwrap();
    sheet.write_string(1, 1, "六角螺栓 M8x20 不锈钢").unwrap();
    sheet.write_number(1, 2, 12.5).unwrap();
    sheet
        .write_datetime_with_format(1, 3, ExcelDateTime::from_ymd(2024, 3, 15).unwrap(), &date)
        .unwrap();
    // rust_xlsxwriter always writes a cached value; "NOCACHE" marks the one
    // `without_cached_value` removes.
    sheet
        .write_formula(1, 4, Formula::new("=C2*2").set_result("NOCACHE"))
        .unwrap();
    sheet
        .write_formula(1, 5, Formula::new("=1+41").set_result("42"))
        .unwrap();
    // A formula whose computed value is the empty string is not a problem.
    // rust_xlsxwriter turns an empty result into 0, so "EMPTY" marks the
    // value `without_cached_value` empties.
    sheet
        .write_formula(
            1,
            6,
            Formula::new("=IF(TRUE,\"\",\"x\")").set_result("EMPTY"),
        )
        .unwrap();
    sheet
        .write_formula(1, 7, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    // Row 3: A3:B3 merged.
    sheet
        .merge_range(2, 0, 2, 1, "M-1", &Format::new())
        .unwrap();
    sheet.write_number(2, 2, 3.0).unwrap();
    let morning = ExcelDateTime::from_ymd(2024, 3, 15)
        .unwrap()
        .and_hms(8, 30, 0)
        .unwrap();
    sheet
        .write_datetime_with_format(2, 3, morning, &date_time)
        .unwrap();
    // Row 4 is blank; row 5 has a GTIN typed as a number and a boolean.
    sheet.write_string(4, 0, "A-5").unwrap();
    sheet.write_number(4, 2, 8_712_345_678_901.0).unwrap();
    sheet.write_boolean(4, 4, true).unwrap();

    let other = workbook.add_worksheet();
    other.set_name("Notes").unwrap();
    other.write_string(0, 0, "ignored").unwrap();
    without_cached_value(&workbook.save_to_buffer().unwrap())
}

/// Removes the cached value of the formula marked "NOCACHE", as files from
/// tools that never calculate (openpyxl, many ERP exports) look, and
/// empties the one marked "EMPTY", as Excel stores a formula returning "".
fn without_cached_value(xlsx: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut patched = false;
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(content).unwrap();
            let marked = r#" t="str"><f>C2*2</f><v>NOCACHE</v>"#;
            assert!(xml.contains(marked), "{xml}");
            assert!(xml.contains("<v>EMPTY</v>"), "{xml}");
            content = xml
                .replace(marked, "><f>C2*2</f>")
                .replace("<v>EMPTY</v>", "<v></v>")
                .into_bytes();
            patched = true;
        }
        writer.start_file(name, options).unwrap();
        writer.write_all(&content).unwrap();
    }
    assert!(patched);
    writer.finish().unwrap().into_inner()
}

#[test]
fn typed_cells_become_the_text_excel_shows() {
    let bytes = clerk_workbook();
    assert_eq!(
        detect_format(Some("products.csv"), &bytes),
        SheetFormat::Xlsx
    );
    let sheet = read_xlsx(&bytes).unwrap();
    assert_eq!(
        sheet.headers,
        strings(&[
            "sku", "name", "price", "launched", "double", "cached", "maybe", "ratio"
        ])
    );
    assert_eq!(sheet.encoding, TextEncoding::Binary);
    assert_eq!(
        cells(&sheet),
        vec![
            strings(&[
                "A-1",
                "六角螺栓 M8x20 不锈钢",
                "12.5",
                "2024-03-15",
                "",
                "42",
                "",
                ""
            ]),
            strings(&["M-1", "", "3", "2024-03-15T08:30:00", "", "", "", ""]),
            strings(&["A-5", "", "8712345678901", "", "true", "", "", ""]),
        ]
    );
    assert_eq!(lines(&sheet), vec![2, 3, 5]);
    assert_eq!(
        sheet.notes,
        vec!["the workbook has 2 worksheets; only the first, \"Products\", was read".to_owned()]
    );
}

#[test]
fn formulas_errors_and_merged_cells_become_issues() {
    let sheet = read_xlsx(&clerk_workbook()).unwrap();
    assert_eq!(
        sheet.issues,
        vec![
            CellIssue {
                line: 2,
                column: Some("double".to_owned()),
                value: Some("=C2*2".to_owned()),
                reason: "cell E2: formula without a computed value; save the file in Excel \
                         first or paste values"
                    .to_owned(),
            },
            CellIssue {
                line: 2,
                column: Some("ratio".to_owned()),
                value: Some("#DIV/0!".to_owned()),
                reason: "cell H2 shows the Excel error #DIV/0!; it was read as empty".to_owned(),
            },
            CellIssue {
                line: 3,
                column: Some("sku".to_owned()),
                value: Some("A3:B3".to_owned()),
                reason: "cells A3:B3 are merged; only the top-left cell A3 holds a value, the \
                         other cells were read as empty"
                    .to_owned(),
            },
        ]
    );
}

#[test]
fn sheet_may_start_right_of_column_a_with_ragged_rows() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // Header in C2:D2; a stray value in A4 and one past the header in F3.
    sheet.write_string(1, 2, "sku").unwrap();
    sheet.write_string(1, 3, "name").unwrap();
    sheet.write_string(2, 2, "A-1").unwrap();
    sheet.write_string(2, 5, "stray").unwrap();
    sheet.write_string(3, 0, "left").unwrap();
    sheet.write_string(3, 3, "only name").unwrap();
    let sheet = read_xlsx(&workbook.save_to_buffer().unwrap()).unwrap();
    assert_eq!(sheet.headers, strings(&["sku", "name"]));
    assert_eq!(
        cells(&sheet),
        vec![strings(&["A-1", ""]), strings(&["", "only name"])]
    );
    assert_eq!(lines(&sheet), vec![3, 4]);
    let reasons: Vec<_> = sheet
        .issues
        .iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (
                3,
                "row has 4 cells but the header has 2; the cells after column 2 were ignored"
            ),
            (
                4,
                "cell A4 is left of the first column of the header row and was ignored"
            ),
        ]
    );
}

#[test]
fn empty_header_cell_names_the_worksheet_column() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 1, "sku").unwrap();
    sheet.write_string(0, 3, "name").unwrap();
    assert_eq!(
        read_xlsx(&workbook.save_to_buffer().unwrap()),
        Err(SheetError::EmptyHeader { column_number: 3 })
    );
}

#[test]
fn empty_worksheet_is_empty() {
    let mut workbook = Workbook::new();
    workbook.add_worksheet();
    assert_eq!(
        read_xlsx(&workbook.save_to_buffer().unwrap()),
        Err(SheetError::Empty)
    );
}

#[test]
fn row_limit_applies_to_workbooks() {
    let headers = strings(&["sku"]);
    let rows: Vec<_> = (0..5).map(|i| vec![format!("A-{i}")]).collect();
    let bytes = mercato_docs::write_xlsx(&headers, &rows).unwrap();
    let limits = SheetLimits {
        max_rows: 4,
        ..SheetLimits::default()
    };
    assert_eq!(
        read_sheet(&bytes, SheetFormat::Xlsx, &limits),
        Err(SheetError::TooManyRows { limit: 4 })
    );
}

#[test]
fn garbage_with_xlsx_name_is_an_xlsx_error() {
    let bytes = b"this is not a workbook at all \x00\x01\x02";
    let format = detect_format(Some("products.xlsx"), bytes);
    assert_eq!(format, SheetFormat::Xlsx);
    let err = read_sheet(bytes, format, &SheetLimits::default()).unwrap_err();
    assert!(matches!(err, SheetError::Xlsx { .. }), "{err:?}");
    assert!(
        err.to_string().contains("not a readable Excel workbook"),
        "{err}"
    );
}

#[test]
fn zip_bomb_is_refused_before_unpacking() {
    // 3 MB of near-identical strings pack into a few kB.
    let rows: Vec<_> = (0..100)
        .map(|i| vec![format!("{}{i}", "x".repeat(30_000))])
        .collect();
    let bytes = mercato_docs::write_xlsx(&strings(&["sku"]), &rows).unwrap();
    let limits = SheetLimits {
        max_bytes: bytes.len() * 2,
        ..SheetLimits::default()
    };
    let Err(err) = read_sheet(&bytes, SheetFormat::Xlsx, &limits) else {
        panic!("a workbook unpacking far beyond the limit was read");
    };
    assert!(matches!(err, SheetError::Xlsx { .. }), "{err:?}");
    assert!(err.to_string().contains("unpacks to"), "{err}");
    // The same file within the default limits reads fine.
    assert_eq!(read_xlsx(&bytes).map(|s| s.rows.len()), Ok(100));
}

#[test]
fn truncated_zip_is_an_xlsx_error() {
    let bytes = clerk_workbook();
    let err = read_xlsx(&bytes[..bytes.len() / 2]).unwrap_err();
    assert!(matches!(err, SheetError::Xlsx { .. }), "{err:?}");
}

#[test]
fn broken_old_excel_file_is_an_xlsx_error() {
    let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    bytes.extend_from_slice(&[0u8; 600]);
    let err = read_xlsx(&bytes).unwrap_err();
    assert!(matches!(err, SheetError::Xlsx { .. }), "{err:?}");
}

#[test]
fn hidden_first_sheet_is_passed_over() {
    let mut workbook = Workbook::new();
    let lookup = workbook.add_worksheet();
    lookup.set_name("Lists").unwrap();
    lookup.write_string(0, 0, "unit").unwrap();
    lookup.set_hidden(true);
    let products = workbook.add_worksheet();
    products.set_name("Products").unwrap();
    products.write_string(0, 0, "sku").unwrap();
    products.write_string(1, 0, "A-1").unwrap();
    // Excel cannot hide the active sheet, and the first one is active by default.
    products.set_active(true);
    let sheet = read_xlsx(&workbook.save_to_buffer().unwrap()).unwrap();
    assert_eq!(sheet.headers, strings(&["sku"]));
    assert!(sheet.notes[0].contains("\"Products\""), "{:?}", sheet.notes);
}
