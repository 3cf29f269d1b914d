//! Declarative helpers shared by the adapters, so both write an id, a provider word and a
//! client builder the same way.

/// Declares a typed identifier: a transparent newtype over the provider's string id, with
/// `new`, `as_str`, `into_string`, `Display`, `From<String>`, `From<&str>`, `AsRef<str>` and
/// serde support. Used for the neutral ids and for provider-specific ones (e.g. Nodana's
/// `ServiceId`).
///
/// ```
/// nodal_core::typed_id!(
///     /// Identifies a widget.
///     pub WidgetId
/// );
/// let id = WidgetId::from("w-1");
/// assert_eq!(id.as_str(), "w-1");
/// assert_eq!(serde_json::to_string(&id).unwrap(), "\"w-1\"");
/// ```
#[macro_export]
macro_rules! typed_id {
    ($(#[$doc:meta])* $vis:vis $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis struct $name(::std::string::String);

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as $crate::__private::serde::Deserialize>::deserialize(deserializer).map(Self)
            }
        }

        impl $name {
            /// Wraps a provider's identifier. Ids are opaque: they are validated only when used
            /// in a request path (an empty id, `.` or `..` is refused there).
            pub fn new(id: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(id.into())
            }

            /// The identifier as the provider spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Unwraps the identifier.
            pub fn into_string(self) -> ::std::string::String {
                self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(id: ::std::string::String) -> Self {
                Self(id)
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

/// Declares an open set of provider words (statuses, strategies, record types): one variant per
/// known word plus `Other(String)` that keeps an unknown word verbatim, so a word the provider
/// adds never fails a decode. Comes with `as_str`, `from_wire`, `Display`, `From<&str>` and
/// serde support.
///
/// ```
/// nodal_core::wire_enum!(
///     /// A light's colour.
///     pub enum Colour {
///         /// Stop.
///         Red = "red",
///         /// Go.
///         Green = "green",
///     }
/// );
/// let known: Colour = serde_json::from_str("\"green\"").unwrap();
/// assert_eq!(known, Colour::Green);
/// let new: Colour = serde_json::from_str("\"amber\"").unwrap();
/// assert_eq!(new, Colour::Other("amber".into()));
/// assert_eq!(new.as_str(), "amber");
/// ```
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A word this version of the client does not know, verbatim.
            Other(::std::string::String),
        }

        impl $name {
            /// The provider's word.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(word) => word,
                }
            }

            /// Reads the provider's word; unknown words become `Other`.
            pub fn from_wire(word: &str) -> Self {
                match word {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(word: &str) -> Self {
                Self::from_wire(word)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let word = <::std::string::String as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from_wire(&word))
            }
        }
    };
}

/// Writes the setters every adapter builder shares, once: `retry`, `rate_limit`, `timeouts`,
/// `timeout`, `max_response_bytes`, `user_agent`, `http_client` and `options`, each storing into the builder's
/// [`ClientOptions`](crate::ClientOptions) field named by the argument.
///
/// ```
/// use nodal_core::{ClientOptions, RetryConfig};
/// use std::time::Duration;
///
/// #[derive(Default)]
/// pub struct WidgetClientBuilder {
///     options: ClientOptions,
/// }
///
/// impl WidgetClientBuilder {
///     nodal_core::client_options_setters!(options);
/// }
///
/// let builder = WidgetClientBuilder::default()
///     .retry(RetryConfig::disabled())
///     .timeout(Duration::from_secs(10));
/// assert_eq!(builder.options.retry.max_attempts, 1);
/// assert_eq!(builder.options.timeouts.request, Duration::from_secs(10));
/// ```
#[macro_export]
macro_rules! client_options_setters {
    ($field:ident) => {
        /// Retry policy (default: 4 attempts within 60 s, jittered exponential backoff,
        /// `Retry-After` honoured; a request that is not idempotent is never replayed after an
        /// ambiguous failure).
        pub fn retry(mut self, retry: $crate::RetryConfig) -> Self {
            self.$field.retry = retry;
            self
        }

        /// Client-side rate limit, shared by every clone of the built client.
        pub fn rate_limit(mut self, rate_limit: $crate::RateLimit) -> Self {
            self.$field.rate_limit = rate_limit;
            self
        }

        /// Where the key's rate budget lives (default: the process-wide memory store, so
        /// every client of the same key in this process shares one budget). A file or Redis
        /// store shares it across processes and machines; see `nodal_core::RateBudget`.
        pub fn rate_budget(mut self, budget: $crate::RateBudget) -> Self {
            self.$field.rate_budget = budget;
            self
        }

        /// Connect and per-attempt timeouts.
        pub fn timeouts(mut self, timeouts: $crate::Timeouts) -> Self {
            self.$field.timeouts = timeouts;
            self
        }

        /// Time limit for one attempt, from sending to the last byte of the answer (default
        /// 30 s). Shorthand for `timeouts(Timeouts::default().with_request(..))` that keeps the
        /// connect timeout.
        pub fn timeout(mut self, request: ::std::time::Duration) -> Self {
            self.$field.timeouts = self.$field.timeouts.with_request(request);
            self
        }

        /// Largest answer body read into memory (default 8 MiB); a larger answer is refused
        /// with `Error::ResponseTooLarge`.
        pub fn max_response_bytes(mut self, bytes: u64) -> Self {
            self.$field.max_response_bytes = bytes;
            self
        }

        /// Most answer bytes the client and all its clones hold in memory at once, however
        /// many requests run concurrently (default 64 MiB); see
        /// `ClientOptions::max_buffered_bytes`.
        pub fn max_buffered_bytes(mut self, bytes: u64) -> Self {
            self.$field.max_buffered_bytes = bytes;
            self
        }

        /// Overrides the `User-Agent` header (default `nodal/<version>`).
        pub fn user_agent(
            mut self,
            user_agent: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.$field.user_agent = user_agent.into();
            self
        }

        /// Sends every request through a `reqwest::Client` you configured (proxies, root
        /// certificates, ...); see `ClientOptions::http_client` for what nodal still applies
        /// and what your client then decides.
        pub fn http_client(mut self, client: $crate::reqwest::Client) -> Self {
            self.$field.http_client = ::std::option::Option::Some(client);
            self
        }

        /// Replaces every tunable setting at once.
        pub fn options(mut self, options: $crate::ClientOptions) -> Self {
            self.$field = options;
            self
        }
    };
}

/// Writes the two constructors every adapter builder shares: `new()` (the defaults, the same as
/// `Default`) and `from_env()` (the builder's own `from_vars(lookup)` reading the process
/// environment), so both adapters are configured from the environment the same way.
///
/// ```
/// use nodal_core::Result;
///
/// #[derive(Default)]
/// pub struct WidgetClientBuilder {
///     key: Option<String>,
/// }
///
/// impl WidgetClientBuilder {
///     nodal_core::builder_constructors!();
///
///     /// Reads `WIDGET_API_KEY` through `lookup`.
///     pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
///         Ok(WidgetClientBuilder { key: lookup("WIDGET_API_KEY") })
///     }
/// }
///
/// assert!(WidgetClientBuilder::new().key.is_none());
/// let _maybe = WidgetClientBuilder::from_env()?;
/// # Ok::<(), nodal_core::Error>(())
/// ```
#[macro_export]
macro_rules! builder_constructors {
    () => {
        /// A builder with the defaults: the provider's public base URL, its default rate limit,
        /// default retries and timeouts, and no key yet.
        pub fn new() -> Self {
            Self::default()
        }

        /// A builder configured from the process environment, read by `from_vars`. A missing
        /// required variable is `Error::Config` naming it.
        pub fn from_env() -> $crate::Result<Self> {
            Self::from_vars(|name| ::std::env::var(name).ok())
        }
    };
}
