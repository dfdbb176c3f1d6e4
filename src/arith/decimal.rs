//! Exact decimal data: the form in which certificates store numbers.
//!
//! A certificate's center and radius are decimal strings, and the statement is about the
//! exact rational number the string denotes. [`parse_decimal`] reads such a string exactly
//! (into a `rug::Rational`); [`to_decimal`] writes a float as a short decimal string (an
//! approximation of the float, which then *becomes* the exact datum). Outward-rounded
//! decimal output of enclosures lives in [`super::interval`].

use rug::{Float, Integer, Rational};

/// Exact: a decimal number as a file writes it, with the rational it denotes (exact
/// data such as a certificate's centre and radius; it cannot hold anything but a decimal).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decimal {
    text: String,
    value: Rational,
}

impl Decimal {
    /// Exact: the decimal `s` (see [`parse_decimal`]); `None` for anything else.
    pub fn parse(s: &str) -> Option<Decimal> {
        Some(Decimal {
            value: parse_decimal(s)?,
            text: s.trim().to_string(),
        })
    }

    /// Exact: the text as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Exact: the rational it denotes.
    pub fn value(&self) -> &Rational {
        &self.value
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for Decimal {
    /// Exact: serialized as its text (a JSON string).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

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

/// Exact: the value of a finite float as a decimal string with every digit (a binary
/// fraction always has a finite decimal expansion), so that [`parse_decimal`] returns
/// exactly the float: the lossless form used to store endpoints.
pub fn exact_decimal(x: &Float) -> Option<String> {
    let q = x.to_rational()?;
    let (num, den) = q.into_numer_denom();
    // den = 2^k; num / 2^k = num * 5^k / 10^k.
    let k = den.significant_bits().saturating_sub(1);
    let scaled = num * Integer::from(Integer::u_pow_u(5, k));
    let neg = scaled < 0;
    let digits = scaled.abs().to_string_radix(10);
    let k = k as usize;
    let body = if k == 0 {
        digits
    } else if digits.len() > k {
        format!(
            "{}.{}",
            &digits[..digits.len() - k],
            &digits[digits.len() - k..]
        )
    } else {
        format!("0.{}{}", "0".repeat(k - digits.len()), digits)
    };
    Some(if neg { format!("-{body}") } else { body })
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
    fn exact_decimal_is_lossless() {
        for x in [0.1f64, -3.75, 1e-30, 123456.0, 0.0, -2.0f64.powi(-60)] {
            let f = Float::with_val(53, x);
            let s = exact_decimal(&f).unwrap();
            assert_eq!(
                parse_decimal(&s).unwrap(),
                f.to_rational().unwrap(),
                "{x}: {s}"
            );
        }
        let third = Float::with_val(256, 1) / 3u32;
        let s = exact_decimal(&third).unwrap();
        assert_eq!(parse_decimal(&s).unwrap(), third.to_rational().unwrap());
    }

    #[test]
    fn to_decimal_round_trips_at_enough_digits() {
        let x = Float::with_val(128, 1) / 3u32;
        let s = to_decimal(&Float::with_val(128, x.clone()), digits_for_prec(128));
        let back = Float::with_val(128, Float::parse(&s).unwrap());
        assert_eq!(back, x);
    }
}
