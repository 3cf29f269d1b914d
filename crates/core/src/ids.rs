//! Typed identifiers, so a project id can never be passed where an app id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a provider's identifier. Ids are opaque: they are validated only when used
            /// in a request path (an empty id, `.` or `..` is refused there).
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The identifier as the provider spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Unwraps the identifier.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

typed_id!(
    /// Identifies a project (a group of apps; billing unit on both providers).
    ///
    /// ```
    /// use nodal_core::ProjectId;
    /// let id = ProjectId::from("prj-5fd3");
    /// assert_eq!(id.as_str(), "prj-5fd3");
    /// assert_eq!(id.to_string(), "prj-5fd3");
    /// ```
    ProjectId
);

typed_id!(
    /// Identifies an app (a Nodana app from a template, or a Nodion application).
    ///
    /// ```
    /// use nodal_core::AppId;
    /// let id: AppId = "app-1234".into();
    /// assert_eq!(id.into_string(), "app-1234");
    /// ```
    AppId
);

typed_id!(
    /// Identifies a deployment (a Nodion deployment, or a Nodana service version).
    ///
    /// ```
    /// use nodal_core::DeploymentId;
    /// assert_eq!(DeploymentId::new("d-1").as_ref(), "d-1");
    /// ```
    DeploymentId
);
