//! Numbers as people read them: thousands separators, money with the right
//! number of decimals, percentages, and HTML escaping. The one formatter of
//! the report and the CLI's tables.

/// `x` with `decimals` decimals and a comma every three digits: `1,234.5`.
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let negative = x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if negative { "-" } else { "" };
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// `x` with up to six decimals, trailing zeros dropped: `0.07`, `1,450`.
pub fn trimmed(x: f64) -> String {
    let text = number(x, 6);
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text }
}

/// Significant decimals for a quantity of this size: 0 from 1,000 up, then
/// enough for about four significant digits.
pub fn decimals_for(x: f64) -> usize {
    let a = x.abs();
    if a >= 1_000.0 || a == 0.0 || !a.is_finite() {
        0
    } else {
        (3 - a.log10().floor() as i64).clamp(0, 8) as usize
    }
}

/// An amount in US dollars: `$4,212,313`, `$91.62`, `$0.02615`.
pub fn usd(x: f64) -> String {
    let d = if x.abs() >= 1_000.0 {
        0
    } else if x.abs() >= 1.0 {
        2
    } else {
        decimals_for(x)
    };
    usd_fixed(x, d)
}

/// An amount in US dollars with `decimals` decimals: `$1,234.50`, `-$3`.
pub fn usd_fixed(x: f64, decimals: usize) -> String {
    let text = number(x, decimals);
    match text.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None if text == "n/a" => text,
        None => format!("${text}"),
    }
}

/// A fraction as a percentage with `decimals` decimals: `47.4%`.
pub fn percent(fraction: f64, decimals: usize) -> String {
    if !fraction.is_finite() {
        return "n/a".to_string();
    }
    format!("{}%", number(fraction * 100.0, decimals))
}

/// A quantity with about four significant digits (`0.05873`, `12.35`,
/// `1,234`): small downtimes must not print as `0.00`.
pub fn significant(x: f64) -> String {
    number(x, decimals_for(x))
}

/// An availability as a percentage with enough decimals to show three
/// significant digits of the unavailability (at least two decimals):
/// 0.99995 → `99.99500%`, 0.9999998883 → `99.9999888%`. Below 1 it never
/// prints as 100%: an availability within 1e-12 of 1 prints as
/// `> 99.9999999999%`; exactly 1 (no downtime seen) prints `100%`.
pub fn availability(fraction: f64) -> String {
    if !fraction.is_finite() {
        return "n/a".to_string();
    }
    if fraction >= 1.0 {
        return "100%".to_string();
    }
    let unavailable = 1.0 - fraction;
    if unavailable < 1e-12 {
        return "> 99.9999999999%".to_string();
    }
    // The first significant digit of the unavailability in percent is at decimal
    // `first - 1`; two more make three significant digits.
    let first = (-unavailable.log10() + 1e-9).floor() as i64;
    percent(fraction, (first + 1).clamp(2, 12) as usize)
}

/// Nines of an availability, `−log10(1 − A)`, with two decimals (`6.95`);
/// `None` for an availability of 1 (no downtime seen).
pub fn nines(fraction: f64) -> Option<String> {
    (fraction.is_finite() && fraction < 1.0).then(|| format!("{:.2}", -(1.0 - fraction).log10()))
}

/// Escape text for HTML content and attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands_and_keep_signs() {
        assert_eq!(number(4_212_312.98, 0), "4,212,313");
        assert_eq!(number(-1234.5, 1), "-1,234.5");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(-0.0001, 2), "0.00");
        assert_eq!(number(f64::NAN, 2), "n/a");
        assert_eq!(trimmed(0.07), "0.07");
        assert_eq!(trimmed(1450.0), "1,450");
    }

    #[test]
    fn fixed_dollars_are_grouped() {
        assert_eq!(usd_fixed(3_530_988.4, 0), "$3,530,988");
        assert_eq!(usd_fixed(999.0, 2), "$999.00");
        assert_eq!(usd_fixed(-1234.5, 1), "-$1,234.5");
        assert_eq!(usd_fixed(0.0412, 4), "$0.0412");
        assert_eq!(usd_fixed(-0.001, 2), "$0.00", "no sign on a figure that rounds to zero");
    }

    #[test]
    fn money_picks_decimals_by_size() {
        assert_eq!(usd(4_212_312.98), "$4,212,313");
        assert_eq!(usd(91.6158), "$91.62");
        assert_eq!(usd(0.026146), "$0.02615");
        assert_eq!(usd(-12_000.0), "-$12,000");
    }

    #[test]
    fn availability_shows_its_nines() {
        assert_eq!(availability(0.99995), "99.99500%");
        assert_eq!(availability(0.9), "90.00%");
        assert_eq!(availability(0.999), "99.9000%");
        assert_eq!(availability(0.99671), "99.671%");
        // Issue 13: 99.99998883% printed as "100.0000%".
        assert_eq!(availability(0.9999998883), "99.9999888%");
        assert_eq!(availability(0.999999999999999), "> 99.9999999999%");
        assert_eq!(availability(1.0), "100%");
        assert_eq!(nines(0.9999998883).as_deref(), Some("6.95"));
        assert_eq!(nines(1.0), None);
        assert_eq!(percent(0.4743, 1), "47.4%");
        assert_eq!(significant(0.000979), "0.0009790");
        assert_eq!(significant(1234.6), "1,235");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(html("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    }
}
