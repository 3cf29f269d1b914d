//! Typed identifiers of Nodion resources, so an id of one kind cannot be passed where another
//! is expected. Applications, deployments and projects use the neutral ids of `nodal-core`
//! ([`nodal_core::AppId`], [`nodal_core::DeploymentId`], [`nodal_core::ProjectId`]).

nodal_core::typed_id!(
    /// Identifies an environment variable of an application.
    pub EnvVariableId
);

nodal_core::typed_id!(
    /// Identifies a custom domain of an application.
    pub DomainId
);

nodal_core::typed_id!(
    /// Identifies a process of an application (`web`, a worker, ...).
    pub ProcessId
);

nodal_core::typed_id!(
    /// Identifies a running instance of a process.
    pub InstanceId
);

nodal_core::typed_id!(
    /// Identifies a DNS zone.
    pub DnsZoneId
);

nodal_core::typed_id!(
    /// Identifies a record of a DNS zone.
    pub DnsRecordId
);

nodal_core::typed_id!(
    /// Identifies an SSH key of the account.
    pub SshKeyId
);

nodal_core::typed_id!(
    /// Identifies a scaling event of an application.
    pub ScalingEventId
);

nodal_core::typed_id!(
    /// Identifies a git integration (a connected GitHub or GitLab account).
    pub IntegrationId
);

nodal_core::typed_id!(
    /// Identifies a repository reachable through a git integration.
    pub RepositoryId
);

nodal_core::typed_id!(
    /// Identifies a branch of a repository.
    pub BranchId
);

nodal_core::typed_id!(
    /// Identifies an e-mail zone.
    pub EmailZoneId
);

nodal_core::typed_id!(
    /// Identifies a message of an e-mail zone.
    pub EmailMessageId
);

nodal_core::typed_id!(
    /// Identifies a container registry.
    pub ContainerRegistryId
);

nodal_core::typed_id!(
    /// Identifies a runner (a one-off job definition).
    pub RunnerId
);

nodal_core::typed_id!(
    /// Identifies a run of a runner.
    pub RunId
);
