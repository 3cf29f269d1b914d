//! Typed identifiers, so a project id can never be passed where an app id is expected.

use crate::typed_id;

typed_id!(
    /// Identifies a project (a group of apps; billing unit on both providers).
    ///
    /// ```
    /// use nodal_core::ProjectId;
    /// let id = ProjectId::from("prj-5fd3");
    /// assert_eq!(id.as_str(), "prj-5fd3");
    /// assert_eq!(id.to_string(), "prj-5fd3");
    /// ```
    pub ProjectId
);

typed_id!(
    /// Identifies an app (a Nodana app from a template, or a Nodion application).
    ///
    /// ```
    /// use nodal_core::AppId;
    /// let id: AppId = "app-1234".into();
    /// assert_eq!(id.into_string(), "app-1234");
    /// ```
    pub AppId
);

typed_id!(
    /// Identifies a deployment (a Nodion deployment, or a Nodana service version).
    ///
    /// ```
    /// use nodal_core::DeploymentId;
    /// assert_eq!(DeploymentId::new("d-1").as_ref(), "d-1");
    /// ```
    pub DeploymentId
);
