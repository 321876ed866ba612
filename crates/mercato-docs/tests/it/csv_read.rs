use mercato_docs::{SheetError, SheetFormat, SheetLimits, TextEncoding, read_sheet};

use crate::{cells, lines, read_csv, strings};

#[test]
fn quotes_commas_and_newlines_in_cells_keep_line_numbers() {
    let text = "sku,name,note\r\n\
                A-1,\"Bolt, hex\",\"says \"\"hi\"\"\"\r\n\
                A-2,\"two\r\nline\r\nname\",x\r\n\
                A-3,plain,y\r\n";
    let sheet = read_csv(text.as_bytes()).unwrap();
    assert_eq!(sheet.headers, strings(&["sku", "name", "note"]));
    assert_eq!(
        cells(&sheet),
        vec![
            strings(&["A-1", "Bolt, hex", "says \"hi\""]),
            strings(&["A-2", "two\r\nline\r\nname", "x"]),
            strings(&["A-3", "plain", "y"]),
        ]
    );
    // A-2 spans lines 3–5, so A-3 is on line 6.
    assert_eq!(lines(&sheet), vec![2, 3, 6]);
    assert_eq!(sheet.encoding, TextEncoding::Utf8);
    assert!(sheet.issues.is_empty());
    assert!(sheet.notes.is_empty());
}

#[test]
fn utf8_bom_is_stripped_from_the_first_header() {
    let sheet = read_csv("\u{FEFF}sku,名称\nA-1,螺栓\n".as_bytes()).unwrap();
    assert_eq!(sheet.headers, strings(&["sku", "名称"]));
    assert_eq!(sheet.column("sku"), Some(0));
    assert_eq!(sheet.encoding, TextEncoding::Utf8Bom);
    assert_eq!(sheet.rows[0].get(sheet.column("名称")), "螺栓");
}

#[test]
fn semicolon_delimiter_is_detected() {
    let sheet = read_csv(b"sku;price;name\nA-1;12,50;\"a;b\"\n").unwrap();
    assert_eq!(sheet.headers, strings(&["sku", "price", "name"]));
    assert_eq!(cells(&sheet), vec![strings(&["A-1", "12,50", "a;b"])]);
    assert!(
        sheet.notes.iter().any(|n| n.contains("semicolon")),
        "{:?}",
        sheet.notes
    );
}

#[test]
fn tab_delimiter_is_detected() {
    let sheet = read_csv(b"sku\tname\nA-1\tBolt, hex\n").unwrap();
    assert_eq!(cells(&sheet), vec![strings(&["A-1", "Bolt, hex"])]);
}

#[test]
fn gbk_bytes_decode_with_a_note() {
    let text = "货号,名称\r\nA-1,六角螺栓 M8x20 不锈钢\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "fixture must not be UTF-8"
    );
    let sheet = read_csv(&gbk).unwrap();
    assert_eq!(sheet.encoding, TextEncoding::Gb18030);
    assert_eq!(sheet.headers, strings(&["货号", "名称"]));
    assert_eq!(sheet.rows[0].get(Some(1)), "六角螺栓 M8x20 不锈钢");
    assert_eq!(
        sheet.notes,
        vec!["file was GBK-encoded (typical of Chinese Excel); read as GB18030".to_owned()]
    );
}

#[test]
fn undecodable_bytes_name_the_first_bad_line() {
    // 0x80 and 0xFF are not lead bytes in UTF-8 or GB18030.
    let mut bytes = b"sku,name\nA-1,ok\nA-2,".to_vec();
    bytes.extend_from_slice(&[0x80, 0xFF, 0xFF, 0x80]);
    bytes.extend_from_slice(b"\nA-3,ok\n");
    let err = read_csv(&bytes).unwrap_err();
    match err {
        SheetError::Encoding { line, ref detail } => {
            assert_eq!(line, 3);
            assert!(detail.contains("UTF-8"), "{detail}");
        }
        other => panic!("expected Encoding, got {other:?}"),
    }
    assert!(err.to_string().starts_with("line 3:"));
}

#[test]
fn zero_bytes_is_empty() {
    assert_eq!(read_csv(b""), Err(SheetError::Empty));
}

#[test]
fn only_blank_rows_is_empty() {
    assert_eq!(read_csv(b"\r\n  \n,,,\n\"\",\n"), Err(SheetError::Empty));
    assert_eq!(read_csv(b"\xEF\xBB\xBF"), Err(SheetError::Empty));
}

#[test]
fn header_only_has_no_rows() {
    let sheet = read_csv(b"sku,name\r\n").unwrap();
    assert_eq!(sheet.headers, strings(&["sku", "name"]));
    assert!(sheet.rows.is_empty());
}

#[test]
fn blank_rows_are_skipped_and_header_may_come_later() {
    let sheet = read_csv(b",,\n\nsku,name\n\nA-1,x\n , \nA-2,y\n").unwrap();
    assert_eq!(sheet.headers, strings(&["sku", "name"]));
    assert_eq!(lines(&sheet), vec![5, 7]);
}

#[test]
fn headers_and_cells_are_trimmed() {
    let sheet = read_csv(" sku ,\u{3000}名称\u{3000}\n  A-1 , x \n".as_bytes()).unwrap();
    assert_eq!(sheet.headers, strings(&["sku", "名称"]));
    assert_eq!(cells(&sheet), vec![strings(&["A-1", "x"])]);
}

#[test]
fn duplicate_header_is_rejected() {
    assert_eq!(
        read_csv(b"sku,name,sku\n1,2,3\n"),
        Err(SheetError::DuplicateHeader {
            column: "sku".to_owned()
        })
    );
}

#[test]
fn header_names_are_case_sensitive_but_lookup_is_forgiving() {
    let sheet = read_csv(b"SKU,sku\n1,2\n").unwrap();
    assert_eq!(sheet.column("SKU"), Some(0));
    assert_eq!(sheet.column("sku"), Some(1));
    assert_eq!(sheet.column("Sku"), None, "ambiguous");
    let sheet = read_csv(b"SKU,Name\n1,2\n").unwrap();
    assert_eq!(sheet.column("name"), Some(1));
}

#[test]
fn empty_header_cell_is_rejected() {
    assert_eq!(
        read_csv(b"sku,,name\n1,2,3\n"),
        Err(SheetError::EmptyHeader { column_number: 2 })
    );
}

#[test]
fn trailing_empty_header_cells_are_dropped() {
    let sheet = read_csv(b"sku,name,,\n1,2,,\n").unwrap();
    assert_eq!(sheet.headers, strings(&["sku", "name"]));
    assert_eq!(cells(&sheet), vec![strings(&["1", "2"])]);
    assert!(sheet.issues.is_empty());
}

#[test]
fn ragged_rows_are_padded_or_cut_with_an_issue() {
    let sheet = read_csv(b"sku,name,price\nA-1\nA-2,x,1,extra,more\nA-3,y,2,,\n").unwrap();
    assert_eq!(
        cells(&sheet),
        vec![
            strings(&["A-1", "", ""]),
            strings(&["A-2", "x", "1"]),
            strings(&["A-3", "y", "2"]),
        ]
    );
    assert_eq!(sheet.issues.len(), 1, "{:?}", sheet.issues);
    let issue = &sheet.issues[0];
    assert_eq!(issue.line, 3);
    assert_eq!(issue.value.as_deref(), Some("extra"));
    assert_eq!(
        issue.reason,
        "row has 5 cells but the header has 3; the cells after column 3 were ignored"
    );
}

#[test]
fn unclosed_quote_is_an_error_on_its_line() {
    let err = read_csv(b"sku,name\nA-1,\"Bolt\nA-2,x\nA-3,y\n").unwrap_err();
    assert!(matches!(err, SheetError::Csv { line: 2, .. }), "{err:?}");
}

#[test]
fn too_large_is_checked_first() {
    let limits = SheetLimits {
        max_bytes: 10,
        max_rows: 5,
    };
    // Not even valid text: the size check must come before decoding.
    let bytes = [0xFFu8; 11];
    assert_eq!(
        read_sheet(&bytes, SheetFormat::Csv, &limits),
        Err(SheetError::TooLarge {
            bytes: 11,
            limit: 10
        })
    );
    assert_eq!(
        read_sheet(&bytes, SheetFormat::Xlsx, &limits),
        Err(SheetError::TooLarge {
            bytes: 11,
            limit: 10
        })
    );
}

#[test]
fn too_many_rows() {
    let limits = SheetLimits {
        max_bytes: 1024,
        max_rows: 2,
    };
    assert!(read_sheet(b"a\n1\n2\n", SheetFormat::Csv, &limits).is_ok());
    assert_eq!(
        read_sheet(b"a\n1\n2\n3\n", SheetFormat::Csv, &limits),
        Err(SheetError::TooManyRows { limit: 2 })
    );
}

#[test]
fn utf16_unicode_text_export_reads() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "sku\t名称\r\nA-1\t螺栓\r\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let sheet = read_csv(&bytes).unwrap();
    assert_eq!(sheet.encoding, TextEncoding::Utf16Le);
    assert_eq!(cells(&sheet), vec![strings(&["A-1", "螺栓"])]);
}

#[test]
fn error_codes_are_stable() {
    assert_eq!(SheetError::Empty.code(), "sheet_empty");
    assert_eq!(
        SheetError::DuplicateHeader {
            column: String::new()
        }
        .code(),
        "sheet_duplicate_header"
    );
}
