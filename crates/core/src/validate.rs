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
pub fn non_empty<'a>(
    provider: &'static str,
    field: &str,
    value: &'a str,
) -> Result<&'a str, Error> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        Err(Error::invalid_input(provider, field, "must not be empty"))
    } else {
        Ok(trimmed)
    }
}

/// Reads a client's configuration variables through a lookup (the process environment, or a
/// map in tests), the same way for every adapter: blank values count as unset, and a missing
/// required one is an [`Error::Config`] that names the variable.
///
/// ```
/// use nodal_core::raw::ConfigVars;
/// let vars = ConfigVars::new("example", |name| (name == "EXAMPLE_KEY").then(|| " k ".to_owned()));
/// assert_eq!(vars.optional("EXAMPLE_URL"), None);
/// assert_eq!(vars.required("EXAMPLE_KEY", "an Example API key").unwrap(), " k ");
/// let err = vars.required("EXAMPLE_OTHER", "an Example API key").unwrap_err();
/// assert_eq!(err.to_string(), "example: invalid client configuration: EXAMPLE_OTHER is not set; set it to an Example API key");
/// ```
pub struct ConfigVars<F> {
    provider: &'static str,
    lookup: F,
}

impl<F: Fn(&str) -> Option<String>> ConfigVars<F> {
    /// Variables of `provider`, read through `lookup`.
    pub fn new(provider: &'static str, lookup: F) -> Self {
        ConfigVars { provider, lookup }
    }

    /// The variable's value, unless it is unset or blank.
    pub fn optional(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|value| !value.trim().is_empty())
    }

    /// The variable's value, or an [`Error::Config`] saying it must be set to `what`.
    pub fn required(&self, name: &str, what: &str) -> Result<String, Error> {
        self.optional(name).ok_or_else(|| Error::Config {
            provider: self.provider,
            message: format!("{name} is not set; set it to {what}"),
        })
    }
}
