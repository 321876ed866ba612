//! Datasheets written by hand as PDF objects, so the demo catalog ships its
//! own documents without a PDF library.

use std::fmt::Write as _;

/// A4 in points.
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const TITLE_SIZE: f32 = 18.0;
const BODY_SIZE: f32 = 11.0;
const LEADING: f32 = 15.0;
/// Where the first body line sits on the first page (below title and rule)
/// and on the following ones.
const FIRST_PAGE_TOP: f32 = PAGE_HEIGHT - MARGIN - TITLE_SIZE - 34.0;
const PAGE_TOP: f32 = PAGE_HEIGHT - MARGIN - BODY_SIZE;

/// A small valid PDF datasheet: `title` in bold at the top, then `lines` of
/// text in Helvetica, wrapped at the right margin. One page unless the lines
/// do not fit, in which case further pages follow rather than losing text.
///
/// Text is meant to be ASCII; Latin-1 letters and common typographic marks
/// (°, ±, ×, Ø, µ, €, –, •) are written in the font's WinAnsi encoding, and
/// anything else becomes `?`. Nothing depends on the clock, so the same input
/// gives the same bytes (and the same content hash). Passes
/// [`crate::check_document`]; `pdftotext` extracts the text.
pub fn demo_datasheet_pdf(title: &str, lines: &[String]) -> Vec<u8> {
    let body_width = PAGE_WIDTH - 2.0 * MARGIN;
    let title_lines = wrap(title, TITLE_SIZE, body_width, BOLD_FACTOR);
    let body: Vec<Vec<u8>> = lines
        .iter()
        .flat_map(|line| wrap(line, BODY_SIZE, body_width, 1.0))
        .collect();

    // Long titles take room from the first page's body.
    let title_extra = (title_lines.len().saturating_sub(1)) as f32 * (TITLE_SIZE + 4.0);
    let first_top = FIRST_PAGE_TOP - title_extra;
    let fits = |top: f32| ((top - MARGIN) / LEADING) as usize + 1;
    let mut pages: Vec<&[Vec<u8>]> = Vec::new();
    let (first, mut rest) = body.split_at(fits(first_top).min(body.len()));
    pages.push(first);
    while !rest.is_empty() {
        let (page, tail) = rest.split_at(fits(PAGE_TOP).min(rest.len()));
        pages.push(page);
        rest = tail;
    }

    let mut contents = Vec::with_capacity(pages.len());
    for (number, page_lines) in pages.iter().enumerate() {
        let mut stream = Vec::new();
        let top = if number == 0 {
            let mut y = PAGE_HEIGHT - MARGIN - TITLE_SIZE;
            for line in &title_lines {
                text_block(&mut stream, "F2", TITLE_SIZE, y, std::slice::from_ref(line));
                y -= TITLE_SIZE + 4.0;
            }
            let rule = y + TITLE_SIZE + 4.0 - 12.0;
            stream.extend_from_slice(
                format!(
                    "0.55 G 0.75 w {MARGIN} {rule} m {} {rule} l S\n",
                    PAGE_WIDTH - MARGIN
                )
                .as_bytes(),
            );
            first_top
        } else {
            PAGE_TOP
        };
        text_block(&mut stream, "F1", BODY_SIZE, top, page_lines);
        contents.push(stream);
    }
    assemble(title, &contents)
}

/// Objects 1–5 are fixed; page `k` is object `6 + 2k` and its content `7 + 2k`.
fn assemble(title: &str, contents: &[Vec<u8>]) -> Vec<u8> {
    let page_ids: Vec<usize> = (0..contents.len()).map(|k| 6 + 2 * k).collect();
    let kids = page_ids
        .iter()
        .map(|id| format!("{id} 0 R"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 3 0 R >>".to_vec(),
        format!(
            "<< /Title {} /Producer (Mercato) >>",
            utf16_text_string(title)
        )
        .into_bytes(),
        format!(
            "<< /Type /Pages /Kids [{kids}] /Count {} >>",
            contents.len()
        )
        .into_bytes(),
        font("Helvetica"),
        font("Helvetica-Bold"),
    ];
    for (content, page_id) in contents.iter().zip(&page_ids) {
        objects.push(
            format!(
                "<< /Type /Page /Parent 3 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
                 /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents {} 0 R >>",
                page_id + 1
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(content);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }

    // The comment of high bytes on line two tells transfer tools the file is
    // binary, as the PDF standard recommends.
    let mut pdf = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (index, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref_at = pdf.len();
    // Every xref entry is exactly 20 bytes, line end " \n" included.
    let mut xref = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(xref, "{offset:010} 00000 n ");
    }
    let _ = write!(
        xref,
        "trailer\n<< /Size {} /Root 1 0 R /Info 2 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
        objects.len() + 1
    );
    pdf.extend_from_slice(xref.as_bytes());
    pdf
}

fn font(name: &str) -> Vec<u8> {
    format!("<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>")
        .into_bytes()
}

/// One `BT … ET` block: lines from baseline `top` downwards.
fn text_block(stream: &mut Vec<u8>, font: &str, size: f32, top: f32, lines: &[Vec<u8>]) {
    if lines.is_empty() {
        return;
    }
    stream.extend_from_slice(
        format!("BT\n/{font} {size} Tf\n{LEADING} TL\n{MARGIN} {top} Td\n").as_bytes(),
    );
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            stream.extend_from_slice(b"T*\n");
        }
        if !line.is_empty() {
            stream.push(b'(');
            for &byte in line {
                match byte {
                    b'(' | b')' | b'\\' => stream.extend_from_slice(&[b'\\', byte]),
                    // Octal escapes keep the content stream plain ASCII.
                    0x80.. => stream.extend_from_slice(format!("\\{byte:03o}").as_bytes()),
                    _ => stream.push(byte),
                }
            }
            stream.extend_from_slice(b") Tj\n");
        }
    }
    stream.extend_from_slice(b"ET\n");
}

/// A PDF text string in UTF-16BE with a byte-order mark, which every reader
/// takes for document properties, whatever the characters.
fn utf16_text_string(text: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(hex, "{unit:04X}");
    }
    hex.push('>');
    hex
}

/// Helvetica-Bold is about this much wider than Helvetica; using the regular
/// widths times this factor wraps titles safely without a second table.
const BOLD_FACTOR: f32 = 1.1;

/// Splits `text` into WinAnsi-encoded lines that fit `width` points at `size`,
/// breaking at spaces (or inside a word longer than a whole line).
fn wrap(text: &str, size: f32, width: f32, factor: f32) -> Vec<Vec<u8>> {
    let max = width * 1000.0 / (size * factor);
    let encoded: Vec<u8> = text.chars().map(win_ansi).collect();
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut line_width = 0.0;
    for word in encoded.split(|&b| b == b' ') {
        let word_width: f32 = word.iter().map(|&b| glyph_width(b)).sum();
        let space = if line.is_empty() {
            0.0
        } else {
            glyph_width(b' ')
        };
        if !line.is_empty() && line_width + space + word_width > max {
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
        }
        if !line.is_empty() {
            line.push(b' ');
            line_width += glyph_width(b' ');
        }
        for &byte in word {
            let w = glyph_width(byte);
            if line_width + w > max && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(byte);
            line_width += w;
        }
    }
    lines.push(line);
    lines
}

/// Helvetica advance widths (thousandths of the font size) for ASCII 32–126,
/// from Adobe's AFM file.
const HELVETICA_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // space–/
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0–?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @–O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P–_
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `–o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p–~
];

fn glyph_width(byte: u8) -> f32 {
    match byte {
        32..=126 => f32::from(HELVETICA_WIDTHS[usize::from(byte - 32)]),
        // Accented capitals and symbols are at most this wide in Helvetica
        // (Æ and Œ aside); erring wide only wraps a little early.
        _ => 722.0,
    }
}

/// The WinAnsiEncoding byte for `c`, or `?`.
fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\t' => b' ',
        '\u{A0}'..='\u{FF}' => c as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => b'?',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_at_spaces() {
        let text = "word ".repeat(60);
        let lines = wrap(text.trim_end(), BODY_SIZE, PAGE_WIDTH - 2.0 * MARGIN, 1.0);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(!line.starts_with(b" ") && !line.ends_with(b" "));
            let width: f32 = line.iter().map(|&b| glyph_width(b)).sum::<f32>() * BODY_SIZE / 1000.0;
            assert!(width <= PAGE_WIDTH - 2.0 * MARGIN);
        }
    }

    #[test]
    fn special_characters_are_escaped() {
        let mut stream = Vec::new();
        let lines = wrap("M8 (DIN 934) \\ Ø 8 mm ± 0.1 → x", BODY_SIZE, 500.0, 1.0);
        text_block(&mut stream, "F1", BODY_SIZE, 700.0, &lines);
        let text = String::from_utf8(stream).unwrap_or_default();
        assert!(
            text.contains(r"(M8 \(DIN 934\) \\ \330 8 mm \261 0.1 ? x) Tj"),
            "{text}"
        );
    }
}
