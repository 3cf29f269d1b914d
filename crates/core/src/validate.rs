//! Checks both adapters make on input before anything is sent.

use crate::error::Error;

/// Whether `value` is written like a UUID (`8-4-4-4-12` hex digits), the form of Nodion's ids.
///
/// ```
/// use nodal_core::raw::is_uuid;
/// assert!(is_uuid("5903725b-f554-4294-ab17-c992a765a001"));
/// assert!(!is_uuid("5903725b-f554-4294-ab17-c992a765a00"));
/// assert!(!is_uuid("web-shop"));
/// ```
pub fn is_uuid(value: &str) -> bool {
    value.len() == 36
        && value.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// `value` trimmed, or [`Error::InvalidInput`] naming `field` when nothing is left.
///
/// ```
/// use nodal_core::raw::non_empty;
/// assert_eq!(non_empty("nodana", "name", "  web ").unwrap(), "web");
/// let err = non_empty("nodana", "name", " ").unwrap_err();
/// assert!(err.to_string().contains("`name`"));
/// ```
pub fn non_empty<'a>(provider: &'static str, field: &str, value: &'a str) -> Result<&'a str, Error> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        Err(Error::invalid_input(
            provider,
            field,
            "must not be empty",
        ))
    } else {
        Ok(trimmed)
    }
}
