//! A1-style cell references ("B7", "C2:D5"), the way Excel names cells, so
//! issue messages point where the clerk can look.

/// Column letters for a 0-based column index: 0 → "A", 25 → "Z", 26 → "AA".
#[must_use]
pub(crate) fn column_letters(column: u32) -> String {
    let mut letters = Vec::with_capacity(3);
    let mut n = u64::from(column) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        // rem < 26, so the cast cannot truncate.
        #[allow(clippy::cast_possible_truncation)]
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.iter().rev().map(|&b| char::from(b)).collect()
}

/// Reference of one cell from 0-based `(row, column)`.
#[must_use]
pub(crate) fn cell(row: u32, column: u32) -> String {
    format!("{}{}", column_letters(column), u64::from(row) + 1)
}

/// Reference of a range from 0-based corners.
#[must_use]
pub(crate) fn range(start: (u32, u32), end: (u32, u32)) -> String {
    format!("{}:{}", cell(start.0, start.1), cell(end.0, end.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(16_383), "XFD");
    }

    #[test]
    fn references() {
        assert_eq!(cell(0, 0), "A1");
        assert_eq!(range((1, 1), (2, 3)), "B2:D3");
    }
}
