use mercato_docs::{write_csv, write_xlsx};
use proptest::prelude::*;

use crate::{cells, read_csv, read_xlsx, strings};

/// Strings that break naive writers. Leading/trailing whitespace is left
/// out on purpose: the reader trims every cell.
fn tricky() -> Vec<String> {
    strings(&[
        "00123",
        "8712345678901",
        "六角螺栓 M8x20 不锈钢",
        "comma, inside",
        "semi;colon",
        "tab\tinside",
        "say \"hi\"",
        "\"",
        "line\nbreak",
        "crlf\r\nbreak",
        "=1+2",
        "-5",
        "+86 21 5555 0000",
        "@home",
        "1e5",
        "12.50",
        "TRUE",
        "2024-03-15",
        "emoji 🔩",
        "<tag> & 'amp'",
        "",
    ])
}

fn tricky_table() -> (Vec<String>, Vec<Vec<String>>) {
    let values = tricky();
    let headers = strings(&["sku", "gtin", "名称", "note"]);
    let rows = values
        .chunks(4)
        .map(|chunk| {
            let mut row = chunk.to_vec();
            row.resize(4, String::new());
            row
        })
        // A row left entirely empty is a blank row and is not read back.
        .filter(|row| row.iter().any(|c| !c.is_empty()))
        .collect();
    (headers, rows)
}

#[test]
fn csv_round_trip_is_lossless_for_tricky_strings() {
    let (headers, rows) = tricky_table();
    let bytes = write_csv(&headers, &rows);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "Excel needs the BOM");
    let sheet = read_csv(&bytes).unwrap();
    assert_eq!(sheet.headers, headers);
    assert_eq!(cells(&sheet), rows);
    assert!(sheet.issues.is_empty(), "{:?}", sheet.issues);
}

#[test]
fn csv_pads_short_rows() {
    let bytes = write_csv(&strings(&["a", "b"]), &[strings(&["1"])]);
    assert_eq!(bytes, b"\xEF\xBB\xBFa,b\r\n1,\r\n");
}

#[test]
fn xlsx_round_trip_keeps_text_as_text() {
    let (headers, rows) = tricky_table();
    let bytes = write_xlsx(&headers, &rows).unwrap();
    let sheet = read_xlsx(&bytes).unwrap();
    assert_eq!(sheet.headers, headers);
    assert_eq!(cells(&sheet), rows);
    assert!(sheet.issues.is_empty(), "{:?}", sheet.issues);
    assert!(sheet.notes.is_empty(), "{:?}", sheet.notes);
}

#[test]
fn xlsx_round_trip_keeps_empty_cells_and_short_rows() {
    let headers = strings(&["sku", "name", "gtin"]);
    let rows = vec![
        strings(&["00123", "", "8712345678901"]),
        strings(&["", "螺母"]),
        strings(&["A-3"]),
    ];
    let sheet = read_xlsx(&write_xlsx(&headers, &rows).unwrap()).unwrap();
    assert_eq!(
        cells(&sheet),
        vec![
            strings(&["00123", "", "8712345678901"]),
            strings(&["", "螺母", ""]),
            strings(&["A-3", "", ""]),
        ]
    );
    assert_eq!(sheet.rows[2].line, 4);
}

#[test]
fn xlsx_rejects_overlong_cells() {
    let long = "x".repeat(32_768);
    let err = write_xlsx(&strings(&["a"]), &[vec![long]]).unwrap_err();
    assert!(
        matches!(
            err,
            mercato_docs::WriteError::CellTooLong {
                line: 2,
                column_number: 1,
                ..
            }
        ),
        "{err:?}"
    );
}

/// Cell text the reader gives back unchanged: no edge whitespace.
fn cell_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,;\t\"'\n\r=+\\-@.螺栓é🔩]{0,12}".prop_map(|s| s.trim().to_owned())
}

fn table() -> impl Strategy<Value = Vec<Vec<String>>> {
    (1usize..5).prop_flat_map(|width| {
        prop::collection::vec(prop::collection::vec(cell_text(), width), 0..8).prop_map(|rows| {
            rows.into_iter()
                .filter(|row| row.iter().any(|c| !c.is_empty()))
                .collect()
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn csv_round_trip_proptest(rows in table()) {
        let width = rows.first().map_or(1, Vec::len);
        let headers: Vec<String> = (0..width).map(|i| format!("col {i}")).collect();
        let sheet = read_csv(&write_csv(&headers, &rows)).unwrap();
        prop_assert_eq!(&sheet.headers, &headers);
        prop_assert_eq!(cells(&sheet), rows);
    }

    #[test]
    fn xlsx_round_trip_proptest(rows in table()) {
        let width = rows.first().map_or(1, Vec::len);
        let headers: Vec<String> = (0..width).map(|i| format!("col {i}")).collect();
        let sheet = read_xlsx(&write_xlsx(&headers, &rows).unwrap()).unwrap();
        prop_assert_eq!(&sheet.headers, &headers);
        prop_assert_eq!(cells(&sheet), rows);
    }
}
