//! Exact decimal data: the form in which certificates store numbers.
//!
//! A certificate's center and radius are decimal strings, and the statement is about the
//! exact rational number the string denotes. [`parse_decimal`] reads such a string exactly
//! (into a `rug::Rational`); [`to_decimal`] writes a float as a short decimal string (an
//! approximation of the float, which then *becomes* the exact datum). Outward-rounded
//! decimal output of enclosures lives in [`super::interval`].

use rug::{Float, Integer, Rational};

/// Exact: the rational value of a decimal string `[+-]digits[.digits][e[+-]digits]`;
/// `None` for anything else (no hex, no inf/nan, exponent at most 10^6 in size).
pub fn parse_decimal(s: &str) -> Option<Rational> {
    let s = s.trim();
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let exp: i64 = match exp {
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 7
            {
                return None;
            }
            e.parse().ok()?
        }
        None => 0,
    };
    let (int_part, frac_part) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i + 1..]),
        None => (mant, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part
        .bytes()
        .chain(frac_part.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{int_part}{frac_part}");
    let m = Integer::from_str_radix(if digits.is_empty() { "0" } else { &digits }, 10).ok()?;
    let scale = exp - frac_part.len() as i64;
    let mut q = Rational::from(m);
    if scale >= 0 {
        q *= Integer::from(Integer::u_pow_u(10, u32::try_from(scale).ok()?));
    } else {
        q /= Integer::from(Integer::u_pow_u(10, u32::try_from(-scale).ok()?));
    }
    if neg {
        q = -q;
    }
    Some(q)
}

/// Approximate: `x` as a decimal string with `digits` significant digits, rounded to nearest.
pub fn to_decimal(x: &Float, digits: usize) -> String {
    if x.is_zero() {
        return "0".to_string();
    }
    x.to_string_radix(10, Some(digits.max(1))).replace('@', "e")
}

/// Approximate: an f64 as the shortest decimal string that reads back to it.
pub fn f64_to_decimal(x: f64) -> String {
    format!("{x:e}")
}

/// Exact: the number of significant decimal digits that round-trips `prec` bits.
pub fn digits_for_prec(prec: u32) -> usize {
    (prec as f64 * std::f64::consts::LOG10_2).ceil() as usize + 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly() {
        assert_eq!(parse_decimal("1.25e-2").unwrap(), Rational::from((1, 80)));
        assert_eq!(parse_decimal("-3").unwrap(), Rational::from(-3));
        assert_eq!(parse_decimal(".5").unwrap(), Rational::from((1, 2)));
        assert_eq!(parse_decimal("0.1").unwrap(), Rational::from((1, 10)));
        for bad in [
            "",
            "-",
            "1e",
            "1.2.3",
            "nan",
            "inf",
            "0x10",
            "1e+",
            "1e99999999",
            "1,5",
        ] {
            assert!(parse_decimal(bad).is_none(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn to_decimal_round_trips_at_enough_digits() {
        let x = Float::with_val(128, 1) / 3u32;
        let s = to_decimal(&Float::with_val(128, x.clone()), digits_for_prec(128));
        let back = Float::with_val(128, Float::parse(&s).unwrap());
        assert_eq!(back, x);
    }
}
