//! How a typed Excel cell value becomes the text the importer sees.
//!
//! The importer parses prices, quantities and dates from text, so the text
//! must be what the clerk saw in Excel, not what an `f64` happens to print.

use calamine::ExcelDateTime;

/// Significant digits Excel shows and calculates with. Excel stores 17 digits
/// in the file, so a formula result such as `0.1 + 0.2` arrives as
/// 0.30000000000000004; rounding to 15 digits gives back the 0.3 the clerk saw.
const EXCEL_DIGITS: usize = 15;

/// Formats an Excel number as plain decimal text.
///
/// The rule: round to 15 significant digits (Excel's precision), print in
/// positional notation (never `1e21` style), drop trailing fractional zeros
/// and a trailing decimal point. So 12.5 → "12.5", 3.0 → "3",
/// 8712345678901.0 → "8712345678901", 1e21 → "1000000000000000000000",
/// 0.000001 → "0.000001", -0.0 → "0". Non-finite values, which a workbook
/// cannot hold, print as Rust prints them.
#[must_use]
pub(crate) fn number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value == 0.0 {
        return "0".to_owned();
    }
    // `{:.14e}` rounds correctly to 15 significant digits: "d.dddddddddddddde±x".
    let scientific = format!("{:.*e}", EXCEL_DIGITS - 1, value);
    let Some((mantissa, exponent)) = scientific.split_once('e') else {
        return value.to_string();
    };
    let Ok(exponent) = exponent.parse::<i32>() else {
        return value.to_string();
    };
    let negative = mantissa.starts_with('-');
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }

    let mut out = String::with_capacity(digits.len() + 8);
    if negative {
        out.push('-');
    }
    if exponent < 0 {
        out.push_str("0.");
        for _ in 1..exponent.unsigned_abs() {
            out.push('0');
        }
        out.extend(digits.iter().map(|&d| char::from(d)));
    } else {
        let integer_digits = usize::try_from(exponent)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        for position in 0..integer_digits {
            out.push(digits.get(position).map_or('0', |&d| char::from(d)));
        }
        if digits.len() > integer_digits {
            out.push('.');
            out.extend(digits[integer_digits..].iter().map(|&d| char::from(d)));
        }
    }
    out
}

/// Formats an Excel date, time or duration as ISO 8601.
///
/// Dates with no time of day become `2024-03-15`, others
/// `2024-03-15T08:30:00` (with `.mmm` when there are milliseconds). Excel
/// has no time zones, so neither does the text. Times without a date
/// (serial < 1 in the 1900 system) become `08:30:00`; durations
/// (`[h]:mm` formats) become `PT36H30M`.
#[must_use]
pub(crate) fn date_time(value: &ExcelDateTime) -> String {
    if value.is_duration() {
        return duration(value.as_f64());
    }
    let (year, month, day, hour, minute, second, milli) = value.to_ymd_hms_milli();
    let time = if milli > 0 {
        format!("{hour:02}:{minute:02}:{second:02}.{milli:03}")
    } else {
        format!("{hour:02}:{minute:02}:{second:02}")
    };
    // Serial 0 in the 1900 system is Excel's "day zero", shown as 1899-12-31
    // here; a value there is a time of day typed without a date.
    if (0.0..1.0).contains(&value.as_f64()) && (year, month, day) == (1899, 12, 31) {
        return time;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if hour == 0 && minute == 0 && second == 0 && milli == 0 {
        date
    } else {
        format!("{date}T{time}")
    }
}

fn duration(days: f64) -> String {
    // Casting a rounded f64 saturates; an absurd duration is still text.
    #[allow(clippy::cast_possible_truncation)]
    let total_ms = (days * 86_400_000.0).round() as i64;
    let sign = if total_ms < 0 { "-" } else { "" };
    let total_ms = total_ms.unsigned_abs();
    let (hours, rest) = (total_ms / 3_600_000, total_ms % 3_600_000);
    let (minutes, rest) = (rest / 60_000, rest % 60_000);
    let (seconds, millis) = (rest / 1000, rest % 1000);
    let mut out = format!("{sign}PT");
    if hours > 0 {
        out.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        out.push_str(&format!("{minutes}M"));
    }
    if millis > 0 {
        out.push_str(&format!("{seconds}.{millis:03}S"));
    } else if seconds > 0 || (hours == 0 && minutes == 0) {
        out.push_str(&format!("{seconds}S"));
    }
    out
}

#[cfg(test)]
mod tests {
    use calamine::ExcelDateTimeType;

    use super::*;

    #[test]
    fn numbers_print_as_excel_shows_them() {
        let cases = [
            (12.5, "12.5"),
            (3.0, "3"),
            (-3.0, "-3"),
            (8_712_345_678_901.0, "8712345678901"),
            (0.1 + 0.2, "0.3"),
            (1e21, "1000000000000000000000"),
            (1.5e-7, "0.00000015"),
            (0.000_001, "0.000001"),
            (-0.0, "0"),
            (123_456.789, "123456.789"),
            (999.999_999_999_999_9, "1000"),
            (0.5, "0.5"),
            (100.0, "100"),
            (-12.345, "-12.345"),
        ];
        for (value, expected) in cases {
            assert_eq!(number(value), expected, "{value:?}");
        }
    }

    #[test]
    fn dates_are_iso_8601() {
        let dt = |v| date_time(&ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(dt(45_366.0), "2024-03-15");
        assert_eq!(dt(45_366.354_166_666_67), "2024-03-15T08:30:00");
        assert_eq!(dt(0.354_166_666_67), "08:30:00");
        assert_eq!(dt(45_943.541), "2025-10-13T12:59:02.400");
        let d1904 = ExcelDateTime::new(0.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(date_time(&d1904), "1904-01-01");
    }

    #[test]
    fn durations_are_iso_8601() {
        let du = |v| date_time(&ExcelDateTime::new(v, ExcelDateTimeType::TimeDelta, false));
        assert_eq!(du(1.5), "PT36H");
        assert_eq!(du(1.0 / 24.0 + 30.0 / 1440.0), "PT1H30M");
        assert_eq!(du(0.0), "PT0S");
        assert_eq!(du(1.5 / 86_400.0), "PT1.500S");
    }
}
