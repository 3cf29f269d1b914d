//! An exact decimal number as Nodion sends it: the reference serialises prices as JSON strings
//! (`"price_second": "0.000006088280061"`) in processes and instances, and as JSON numbers
//! (`"price_second": 0.0000019`) in runners. [`Decimal`] accepts both and keeps the text, so no
//! digit is lost to float rounding.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A decimal number kept as the text Nodion sent (prices, and any other number the reference
/// sends as a string).
///
/// - From a JSON string the text is kept exactly (`"16.0"` stays `16.0`, every digit of
///   `"0.000006088280061"` is kept). Any string is accepted, so an odd value never fails a
///   decode; [`Decimal::to_f64`] says whether it is a number.
/// - From a JSON number the text is the shortest decimal that reads back as the same value
///   (`5.0` → `5.0`, `0.0000019` → `0.0000019`, `1024` → `1024`); JSON numbers pass through
///   an `f64` in the decoder, so only the string form is guaranteed digit-exact.
/// - It serialises as a JSON string holding the text.
///
/// ```
/// use nodal_nodion::Decimal;
/// let price: Decimal = serde_json::from_str(r#""0.000006088280061""#)?;
/// assert_eq!(price.as_str(), "0.000006088280061");
/// assert_eq!(price.to_string(), "0.000006088280061");
/// assert_eq!(price.to_f64(), Some(0.000006088280061));
/// let number: Decimal = serde_json::from_str("5.0")?;
/// assert_eq!(number.as_str(), "5.0");
/// assert_eq!(serde_json::to_string(&number)?, r#""5.0""#);
/// assert_eq!(Decimal::from("n/a").to_f64(), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
/// Equality compares the text (`"16.0" != "16"`); compare [`Decimal::to_f64`] for values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal(String);

impl Decimal {
    /// The text as Nodion sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as a float (rounded to the nearest `f64`), or `None` when the text is not a
    /// finite number.
    pub fn to_f64(&self) -> Option<f64> {
        self.0.trim().parse::<f64>().ok().filter(|n| n.is_finite())
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Decimal {
    fn from(text: &str) -> Self {
        Decimal(text.to_owned())
    }
}

impl From<String> for Decimal {
    fn from(text: String) -> Self {
        Decimal(text)
    }
}

impl FromStr for Decimal {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Decimal::from(text))
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string holding one")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
        Ok(Decimal::from(text))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Decimal, E> {
        Ok(Decimal(text))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Decimal, E> {
        Ok(Decimal(n.to_string()))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Decimal, E> {
        Ok(Decimal(n.to_string()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Decimal, E> {
        // `Display` of f64 is the shortest text that reads back as `n`, never in exponent
        // form; keep a `.0` on whole numbers so `5.0` stays `5.0`.
        let text = n.to_string();
        let whole = n.is_finite() && !text.contains(['.', 'e', 'E', 'N', 'i']);
        Ok(Decimal(if whole { format!("{text}.0") } else { text }))
    }
}

/// An `f64` sent as a JSON number or as a string holding one (`1.0`, `"4.0"`); `null`, an
/// absent field or a string that is not a number read as `None`.
pub(crate) fn opt_f64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    Ok(Option::<Decimal>::deserialize(deserializer)?.and_then(|d| d.to_f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_keep_every_digit_and_numbers_read_back() {
        let d: Vec<Decimal> =
            serde_json::from_str(r#"["16.0", "0.000006088280061", 5.0, 0.0000019, 1024, -3]"#)
                .unwrap();
        let texts: Vec<&str> = d.iter().map(Decimal::as_str).collect();
        assert_eq!(
            texts,
            [
                "16.0",
                "0.000006088280061",
                "5.0",
                "0.0000019",
                "1024",
                "-3"
            ]
        );
        assert_eq!(d[4].to_f64(), Some(1024.0));
        assert!(serde_json::from_str::<Decimal>("true").is_err());
        assert!(serde_json::from_str::<Decimal>("{}").is_err());
    }

    #[test]
    fn opt_f64_accepts_both_forms() {
        #[derive(Deserialize)]
        struct T {
            #[serde(default, deserialize_with = "opt_f64")]
            a: Option<f64>,
            #[serde(default, deserialize_with = "opt_f64")]
            b: Option<f64>,
            #[serde(default, deserialize_with = "opt_f64")]
            c: Option<f64>,
            #[serde(default, deserialize_with = "opt_f64")]
            d: Option<f64>,
        }
        let t: T = serde_json::from_str(r#"{"a": 0.5, "b": "4.0", "c": null, "d": "x"}"#).unwrap();
        assert_eq!((t.a, t.b, t.c, t.d), (Some(0.5), Some(4.0), None, None));
    }
}
