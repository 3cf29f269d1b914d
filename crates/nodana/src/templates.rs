//! Nodana's templates: one declarative row per template ([`TemplateRow`]: slug, description,
//! parameters with their kinds, which are secret or required, and the one-time secrets a create
//! answer returns), and the typed [`Template`] built on those rows.
//!
//! Everything else is derived from the rows: the lookup by name, the checks of the neutral
//! `AppSpec` parameters, the `nodal templates` listing. [`Template::catalogue`] exposes them, so
//! tests can hold them against the twin's table. Every parameter value travels as a string.
//! Known templates get a typed variant with typed parameters; [`Template::custom`] covers
//! templates Nodana adds later.
//!
//! ```
//! use nodal_nodana::{AutoLiquidity, PhoenixdParams, Template};
//!
//! let node = Template::Phoenixd(
//!     PhoenixdParams::new()
//!         .auto_liquidity(AutoLiquidity::FiveMillionSats)
//!         .webhook("https://example.com/hook"),
//! );
//! assert_eq!(node.name(), "phoenixd");
//! assert_eq!(node.param_names(), ["auto_liquidity", "webhook"]);
//!
//! let row = node.row().unwrap();
//! assert_eq!(row.description, "Lightning node by ACINQ");
//! assert_eq!(row.param("auto_liquidity").unwrap().allowed(), Some(&["2m", "5m", "10m"][..]));
//! assert!(row.returns.contains(&"seedPhrase"));
//!
//! // A value outside 2m, 5m and 10m is refused before anything is sent.
//! assert!("1h".parse::<AutoLiquidity>().is_err());
//! ```

use crate::protocol::PROVIDER;
use nodal_core::{Error, ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// How a template parameter's value is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamKind {
    /// Any string.
    Text,
    /// One of these words, e.g. `2m`, `5m` or `10m` for `auto_liquidity`.
    OneOf(&'static [&'static str]),
}

/// One parameter of a template, as its [`TemplateRow`] declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TemplateParam {
    /// The wire name, e.g. `auto_liquidity`.
    pub name: &'static str,
    /// What values it takes.
    pub kind: ParamKind,
    /// Whether the value is a secret (kept wrapped, redacted in `Debug`).
    pub secret: bool,
    /// Whether `POST /apps` needs it. Nodana documents every parameter as optional.
    pub required: bool,
}

impl TemplateParam {
    const fn text(name: &'static str) -> Self {
        TemplateParam {
            name,
            kind: ParamKind::Text,
            secret: false,
            required: false,
        }
    }

    const fn one_of(name: &'static str, words: &'static [&'static str]) -> Self {
        TemplateParam {
            kind: ParamKind::OneOf(words),
            ..TemplateParam::text(name)
        }
    }

    const fn secret(mut self) -> Self {
        self.secret = true;
        self
    }

    /// The accepted words, when the parameter takes a closed set of them.
    pub fn allowed(&self) -> Option<&'static [&'static str]> {
        match self.kind {
            ParamKind::OneOf(words) => Some(words),
            ParamKind::Text => None,
        }
    }

    /// Checks one value; the error names the parameter and, unless it is secret, the value.
    fn check(&self, value: &str) -> Result<(), Error> {
        match self.kind {
            ParamKind::Text => Ok(()),
            ParamKind::OneOf(words) if words.contains(&value) => Ok(()),
            ParamKind::OneOf(words) => {
                let shown = if self.secret { "the value" } else { value };
                Err(Error::invalid_input(
                    PROVIDER,
                    self.name,
                    format!("`{shown}` is not one of {}", words.join(", ")),
                ))
            }
        }
    }
}

/// Everything this crate knows about one Nodana template: the one place a template is
/// described. Read them with [`Template::catalogue`] or [`TemplateRow::find`].
///
/// ```
/// use nodal_nodana::{Template, TemplateRow};
/// let nutshell = TemplateRow::find("nutshell").unwrap();
/// let secret: Vec<&str> = nutshell.params.iter().filter(|p| p.secret).map(|p| p.name).collect();
/// assert_eq!(secret, ["mint_lnd_macaroon"]);
/// assert!(!nutshell.returns_secrets());
/// assert_eq!(Template::catalogue().len(), 12);
/// ```
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct TemplateRow {
    /// The name `POST /apps` takes, e.g. `phoenixd`.
    pub slug: &'static str,
    /// A short human description, e.g. `Lightning node by ACINQ`.
    pub description: &'static str,
    /// The parameters it accepts, in the provider's order.
    pub params: &'static [TemplateParam],
    /// The one-time secrets the create answer is documented to carry (e.g. `seedPhrase`).
    /// [`crate::CreatedApp::secrets`] keeps every extra field of the answer in any case.
    pub returns: &'static [&'static str],
    /// Builds the typed variant from checked parameters.
    build: fn(&Checked<'_>) -> Template,
}

impl TemplateRow {
    /// The row of the template named `slug`, if this crate knows it.
    pub fn find(slug: &str) -> Option<&'static TemplateRow> {
        CATALOGUE.iter().find(|row| row.slug == slug)
    }

    /// The parameter named `name`, if the template takes it.
    pub fn param(&self, name: &str) -> Option<&'static TemplateParam> {
        self.params.iter().find(|param| param.name == name)
    }

    /// The names of the parameters, in order.
    pub fn param_names(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.params.iter().map(|param| param.name)
    }

    /// Whether the create answer carries one-time secrets.
    pub fn returns_secrets(&self) -> bool {
        !self.returns.is_empty()
    }

    /// Checks `params` against the row: every name known, every closed-set value allowed,
    /// every required one present. The error names the offending parameter.
    fn check(&self, params: &BTreeMap<String, SecretString>) -> Result<(), Error> {
        for (name, value) in params {
            let Some(param) = self.param(name) else {
                let expected = if self.params.is_empty() {
                    "it takes no parameters".to_owned()
                } else {
                    format!(
                        "it takes {}",
                        self.param_names().collect::<Vec<_>>().join(", ")
                    )
                };
                return Err(Error::invalid_input(
                    PROVIDER,
                    name.clone(),
                    format!(
                        "template `{}` has no parameter `{name}`: {expected}",
                        self.slug
                    ),
                ));
            };
            param.check(value.expose_secret())?;
        }
        if let Some(missing) = self
            .params
            .iter()
            .find(|param| param.required && !params.contains_key(param.name))
        {
            return Err(Error::invalid_input(
                PROVIDER,
                missing.name,
                format!(
                    "template `{}` needs the parameter `{}`",
                    self.slug, missing.name
                ),
            ));
        }
        Ok(())
    }
}

/// Written by hand: the builder function is not a fact worth showing.
impl fmt::Debug for TemplateRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemplateRow")
            .field("slug", &self.slug)
            .field("description", &self.description)
            .field("params", &self.params)
            .field("returns", &self.returns)
            .finish()
    }
}

/// Parameters that passed [`TemplateRow::check`], for the typed constructors.
struct Checked<'a>(&'a BTreeMap<String, SecretString>);

impl Checked<'_> {
    fn get<T: ParamField>(&self, param: TemplateParam) -> Option<T> {
        self.0.get(param.name).and_then(T::read)
    }
}

/// phoenixd's automatic liquidity: the size of the channel it buys when inbound liquidity runs
/// out (`2m`, `5m` or `10m` satoshis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum AutoLiquidity {
    /// `2m`: two million satoshis.
    TwoMillionSats,
    /// `5m`: five million satoshis.
    FiveMillionSats,
    /// `10m`: ten million satoshis.
    TenMillionSats,
}

impl AutoLiquidity {
    /// Every value, in order.
    pub const ALL: [AutoLiquidity; 3] = [
        AutoLiquidity::TwoMillionSats,
        AutoLiquidity::FiveMillionSats,
        AutoLiquidity::TenMillionSats,
    ];

    /// The wire value: `2m`, `5m` or `10m`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AutoLiquidity::TwoMillionSats => "2m",
            AutoLiquidity::FiveMillionSats => "5m",
            AutoLiquidity::TenMillionSats => "10m",
        }
    }
}

impl fmt::Display for AutoLiquidity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses `2m`, `5m` or `10m`; anything else is [`Error::InvalidInput`] naming `auto_liquidity`.
///
/// ```
/// use nodal_nodana::AutoLiquidity;
/// assert_eq!("10m".parse::<AutoLiquidity>()?, AutoLiquidity::TenMillionSats);
/// let err = "3m".parse::<AutoLiquidity>().unwrap_err();
/// assert!(err.to_string().contains("`auto_liquidity`"));
/// # Ok::<(), nodal_core::Error>(())
/// ```
impl FromStr for AutoLiquidity {
    type Err = Error;

    fn from_str(value: &str) -> Result<Self, Error> {
        AUTO_LIQUIDITY.check(value)?;
        AutoLiquidity::ALL
            .into_iter()
            .find(|v| v.as_str() == value)
            .ok_or_else(|| Error::invalid_input(PROVIDER, AUTO_LIQUIDITY.name, "unknown value"))
    }
}

impl TryFrom<String> for AutoLiquidity {
    type Error = Error;

    fn try_from(value: String) -> Result<Self, Error> {
        value.parse()
    }
}

impl From<AutoLiquidity> for String {
    fn from(value: AutoLiquidity) -> String {
        value.as_str().to_owned()
    }
}

// The parameters, each declared once; rows and typed parameters refer to these.
const AUTO_LIQUIDITY_WORDS: [&str; 3] = [
    AutoLiquidity::TwoMillionSats.as_str(),
    AutoLiquidity::FiveMillionSats.as_str(),
    AutoLiquidity::TenMillionSats.as_str(),
];
const AUTO_LIQUIDITY: TemplateParam =
    TemplateParam::one_of("auto_liquidity", &AUTO_LIQUIDITY_WORDS);
const WEBHOOK: TemplateParam = TemplateParam::text("webhook");
const MINT_NAME: TemplateParam = TemplateParam::text("mint_name");
const MINT_DESCRIPTION: TemplateParam = TemplateParam::text("mint_description");
const MINT_LND_REST_URL: TemplateParam = TemplateParam::text("mint_lnd_rest_url");
const MINT_LND_MACAROON: TemplateParam = TemplateParam::text("mint_lnd_macaroon").secret();
const VSS_PSQL_ADDRESS: TemplateParam = TemplateParam::text("vss_psql_address");
const VSS_PSQL_USERNAME: TemplateParam = TemplateParam::text("vss_psql_username");

/// What the phoenixd family's create answer adds (`docs/wire-contract.md`).
const PHOENIXD_SECRETS: &[&str] = &["seedPhrase", "httpPassword", "httpPasswordLimited"];

/// A template without parameters or returned secrets.
const fn bare(
    slug: &'static str,
    description: &'static str,
    build: fn(&Checked<'_>) -> Template,
) -> TemplateRow {
    TemplateRow {
        slug,
        description,
        params: &[],
        returns: &[],
        build,
    }
}

// The rows: one per template.
const PHOENIXD: TemplateRow = TemplateRow {
    slug: "phoenixd",
    description: "Lightning node by ACINQ",
    params: &[AUTO_LIQUIDITY, WEBHOOK],
    returns: PHOENIXD_SECRETS,
    build: |p| Template::Phoenixd(PhoenixdParams::read(p)),
};
const ALBY_HUB_PHOENIXD: TemplateRow = TemplateRow {
    slug: "alby-hub-phoenixd",
    description: "Alby Hub on phoenixd",
    params: &[AUTO_LIQUIDITY],
    returns: PHOENIXD_SECRETS,
    build: |p| Template::AlbyHubPhoenixd(LiquidityParams::read(p)),
};
const LNBITS_PHOENIXD: TemplateRow = TemplateRow {
    slug: "lnbits-phoenixd",
    description: "LNbits on phoenixd",
    params: &[AUTO_LIQUIDITY],
    returns: PHOENIXD_SECRETS,
    build: |p| Template::LnbitsPhoenixd(LiquidityParams::read(p)),
};
const CDK_MINTD: TemplateRow = TemplateRow {
    slug: "cdk-mintd",
    description: "Cashu mint (CDK)",
    params: &[MINT_NAME, MINT_DESCRIPTION],
    returns: &[],
    build: |p| Template::CdkMintd(MintParams::read(p)),
};
const NUTSHELL: TemplateRow = TemplateRow {
    slug: "nutshell",
    description: "Cashu mint (nutshell) backed by LND",
    params: &[
        MINT_NAME,
        MINT_DESCRIPTION,
        MINT_LND_REST_URL,
        MINT_LND_MACAROON,
    ],
    returns: &[],
    build: |p| Template::Nutshell(NutshellParams::read(p)),
};
const VSS: TemplateRow = TemplateRow {
    slug: "vss",
    description: "Versioned storage service",
    params: &[VSS_PSQL_ADDRESS, VSS_PSQL_USERNAME],
    returns: &[],
    build: |p| Template::Vss(VssParams::read(p)),
};
// Templates without parameters or returned secrets.
const BOLTZD: TemplateRow = bare("boltzd", "Boltz swap client daemon", |_| Template::Boltzd);
const FEDIMINTD: TemplateRow = bare("fedimintd", "Fedimint guardian", |_| Template::Fedimintd);
const FEDIMINTD_PRO: TemplateRow = bare("fedimintd-pro", "Fedimint guardian (pro)", |_| {
    Template::FedimintdPro
});
const GATEWAYD: TemplateRow = bare("gatewayd", "Fedimint Lightning gateway", |_| {
    Template::Gatewayd
});
const LNBITS: TemplateRow = bare("lnbits", "LNbits", |_| Template::Lnbits);
const ALBY_HUB: TemplateRow = bare("alby-hub", "Alby Hub", |_| Template::AlbyHub);

/// Every template this crate knows, in the provider's order.
static CATALOGUE: [TemplateRow; 12] = [
    PHOENIXD,
    ALBY_HUB_PHOENIXD,
    LNBITS_PHOENIXD,
    CDK_MINTD,
    NUTSHELL,
    VSS,
    BOLTZD,
    FEDIMINTD,
    FEDIMINTD_PRO,
    GATEWAYD,
    LNBITS,
    ALBY_HUB,
];

/// A parameter value: plain text, or a secret exposed only for the request body.
enum ParamValue<'a> {
    Plain(&'a str),
    Secret(&'a SecretString),
}

impl<'a> ParamValue<'a> {
    fn expose(&self) -> &'a str {
        match self {
            ParamValue::Plain(text) => text,
            ParamValue::Secret(secret) => secret.expose_secret(),
        }
    }
}

type Pairs<'a> = Vec<(&'static str, ParamValue<'a>)>;

/// A typed parameter's value type: text, a secret, or a closed set of words.
trait ParamField: Sized {
    /// The value from a checked parameter (a closed-set word is known to parse).
    fn read(value: &SecretString) -> Option<Self>;
    /// The value for the request body.
    fn value(&self) -> ParamValue<'_>;
}

impl ParamField for String {
    fn read(value: &SecretString) -> Option<Self> {
        Some(value.expose_secret().to_owned())
    }

    fn value(&self) -> ParamValue<'_> {
        ParamValue::Plain(self)
    }
}

impl ParamField for SecretString {
    fn read(value: &SecretString) -> Option<Self> {
        Some(value.clone())
    }

    fn value(&self) -> ParamValue<'_> {
        ParamValue::Secret(self)
    }
}

impl ParamField for AutoLiquidity {
    fn read(value: &SecretString) -> Option<Self> {
        value.expose_secret().parse().ok()
    }

    fn value(&self) -> ParamValue<'_> {
        ParamValue::Plain(self.as_str())
    }
}

/// Declares the typed parameters of a template: one line per parameter (its field, value type
/// and row parameter), from which the struct, its setters and its conversions to and from the
/// wire form are written.
macro_rules! typed_params {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( #[doc = $doc:literal] $field:ident: $ty:ty = $param:expr, )+
        }
    ) => {
        $(#[$meta])*
        #[non_exhaustive]
        pub struct $name {
            $( #[doc = $doc] pub $field: Option<$ty>, )+
        }

        impl $name {
            /// No parameters set (Nodana's defaults apply).
            pub fn new() -> Self {
                Self::default()
            }

            $(
                #[doc = concat!("Sets `", stringify!($field), "`.")]
                pub fn $field(mut self, value: impl Into<$ty>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )+

            fn read(p: &Checked<'_>) -> Self {
                $name { $( $field: p.get($param), )+ }
            }

            /// The set parameters, in the row's order.
            fn pairs(&self) -> Pairs<'_> {
                [$( ($param, self.$field.as_ref().map(ParamField::value)), )+]
                    .into_iter()
                    .filter_map(|(param, value)| Some((param.name, value?)))
                    .collect()
            }
        }
    };
}

typed_params! {
    /// Parameters of `phoenixd`.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct PhoenixdParams {
        /// Automatic liquidity (`auto_liquidity`).
        auto_liquidity: AutoLiquidity = AUTO_LIQUIDITY,
        /// URL phoenixd calls on payment events (`webhook`).
        webhook: String = WEBHOOK,
    }
}

typed_params! {
    /// Parameters of `alby-hub-phoenixd` and `lnbits-phoenixd`.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct LiquidityParams {
        /// Automatic liquidity of the embedded phoenixd (`auto_liquidity`).
        auto_liquidity: AutoLiquidity = AUTO_LIQUIDITY,
    }
}

typed_params! {
    /// Parameters of `cdk-mintd`.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct MintParams {
        /// The mint's name (`mint_name`).
        mint_name: String = MINT_NAME,
        /// The mint's description (`mint_description`).
        mint_description: String = MINT_DESCRIPTION,
    }
}

typed_params! {
    /// Parameters of `nutshell`: a mint backed by an LND node. The macaroon is a secret.
    #[derive(Clone, Default)]
    pub struct NutshellParams {
        /// The mint's name (`mint_name`).
        mint_name: String = MINT_NAME,
        /// The mint's description (`mint_description`).
        mint_description: String = MINT_DESCRIPTION,
        /// The LND REST URL (`mint_lnd_rest_url`).
        mint_lnd_rest_url: String = MINT_LND_REST_URL,
        /// The LND macaroon (`mint_lnd_macaroon`), a secret.
        mint_lnd_macaroon: SecretString = MINT_LND_MACAROON,
    }
}

/// Written by hand: the macaroon is shown as `[redacted]`.
impl fmt::Debug for NutshellParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NutshellParams")
            .field("mint_name", &self.mint_name)
            .field("mint_description", &self.mint_description)
            .field("mint_lnd_rest_url", &self.mint_lnd_rest_url)
            .field(
                "mint_lnd_macaroon",
                &self.mint_lnd_macaroon.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

typed_params! {
    /// Parameters of `vss` (a versioned storage service backed by PostgreSQL).
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct VssParams {
        /// PostgreSQL address (`vss_psql_address`).
        vss_psql_address: String = VSS_PSQL_ADDRESS,
        /// PostgreSQL user name (`vss_psql_username`).
        vss_psql_username: String = VSS_PSQL_USERNAME,
    }
}

/// A template not known to this version of the crate, with free-form parameters (all secret,
/// since nothing says which are).
#[derive(Clone)]
pub struct CustomTemplate {
    name: String,
    params: BTreeMap<String, SecretString>,
}

impl CustomTemplate {
    /// The template name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The parameters, still wrapped.
    pub fn params(&self) -> &BTreeMap<String, SecretString> {
        &self.params
    }
}

impl fmt::Debug for CustomTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomTemplate")
            .field("name", &self.name)
            .field("params", &redacted(self.params.keys().map(String::as_str)))
            .finish()
    }
}

/// What an app is an instance of: a Nodana template with its parameters. The facts about each
/// known template (its name, its parameters) come from its [`TemplateRow`].
#[derive(Clone)]
#[non_exhaustive]
pub enum Template {
    /// `phoenixd`: a Lightning node by ACINQ.
    Phoenixd(PhoenixdParams),
    /// `alby-hub-phoenixd`: Alby Hub on phoenixd.
    AlbyHubPhoenixd(LiquidityParams),
    /// `lnbits-phoenixd`: LNbits on phoenixd.
    LnbitsPhoenixd(LiquidityParams),
    /// `cdk-mintd`: a Cashu mint (CDK).
    CdkMintd(MintParams),
    /// `nutshell`: a Cashu mint (nutshell) backed by LND.
    Nutshell(NutshellParams),
    /// `vss`: versioned storage service.
    Vss(VssParams),
    /// `boltzd`: no parameters.
    Boltzd,
    /// `fedimintd`: no parameters.
    Fedimintd,
    /// `fedimintd-pro`: no parameters.
    FedimintdPro,
    /// `gatewayd`: no parameters.
    Gatewayd,
    /// `lnbits`: no parameters.
    Lnbits,
    /// `alby-hub`: no parameters.
    AlbyHub,
    /// Any other template, sent as given.
    Custom(CustomTemplate),
}

impl Template {
    /// The row of every template this crate knows, in the provider's order (others work
    /// through [`Template::custom`]).
    ///
    /// ```
    /// use nodal_nodana::Template;
    /// let slugs: Vec<&str> = Template::catalogue().iter().map(|row| row.slug).collect();
    /// assert_eq!(slugs[..3], ["phoenixd", "alby-hub-phoenixd", "lnbits-phoenixd"]);
    /// ```
    pub fn catalogue() -> &'static [TemplateRow] {
        &CATALOGUE
    }

    /// This template's row; `None` for [`Template::Custom`].
    pub fn row(&self) -> Option<&'static TemplateRow> {
        self.known().ok()
    }

    /// The row of a known template, or the custom template itself: the one place the typed
    /// variants meet their rows.
    fn known(&self) -> Result<&'static TemplateRow, &CustomTemplate> {
        Ok(match self {
            Template::Phoenixd(_) => &PHOENIXD,
            Template::AlbyHubPhoenixd(_) => &ALBY_HUB_PHOENIXD,
            Template::LnbitsPhoenixd(_) => &LNBITS_PHOENIXD,
            Template::CdkMintd(_) => &CDK_MINTD,
            Template::Nutshell(_) => &NUTSHELL,
            Template::Vss(_) => &VSS,
            Template::Boltzd => &BOLTZD,
            Template::Fedimintd => &FEDIMINTD,
            Template::FedimintdPro => &FEDIMINTD_PRO,
            Template::Gatewayd => &GATEWAYD,
            Template::Lnbits => &LNBITS,
            Template::AlbyHub => &ALBY_HUB,
            Template::Custom(custom) => return Err(custom),
        })
    }

    /// A template this crate does not know, with free-form parameters. Nothing is validated
    /// beyond the name not being empty; Nodana judges the rest.
    ///
    /// ```
    /// use nodal_nodana::Template;
    /// let t = Template::custom("new-thing", [("color", "blue")]);
    /// assert_eq!(t.name(), "new-thing");
    /// assert!(!format!("{t:?}").contains("blue"));
    /// ```
    pub fn custom<I, K, V>(name: impl Into<String>, params: I) -> Template
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<SecretString>,
    {
        Template::Custom(CustomTemplate {
            name: name.into(),
            params: params
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        })
    }

    /// The template for `name` with `params` (the neutral `AppSpec` form). Known templates are
    /// checked against their row: an unknown parameter or a value outside a closed set (such as
    /// a bad `auto_liquidity`) is [`Error::InvalidInput`] naming it. An unknown template name
    /// becomes [`Template::Custom`].
    ///
    /// ```
    /// use nodal_nodana::{AutoLiquidity, Template};
    /// use nodal_core::SecretString;
    /// use std::collections::BTreeMap;
    ///
    /// let mut params = BTreeMap::new();
    /// params.insert("auto_liquidity".to_owned(), SecretString::from("2m"));
    /// let t = Template::from_name_and_params("lnbits-phoenixd", &params)?;
    /// assert!(matches!(t, Template::LnbitsPhoenixd(p) if p.auto_liquidity == Some(AutoLiquidity::TwoMillionSats)));
    ///
    /// params.insert("colour".to_owned(), SecretString::from("red"));
    /// let err = Template::from_name_and_params("lnbits-phoenixd", &params).unwrap_err();
    /// assert!(err.to_string().contains("`colour`"));
    /// # Ok::<(), nodal_core::Error>(())
    /// ```
    pub fn from_name_and_params(
        name: &str,
        params: &BTreeMap<String, SecretString>,
    ) -> Result<Template, Error> {
        check_name(name)?;
        let Some(row) = TemplateRow::find(name) else {
            return Ok(Template::Custom(CustomTemplate {
                name: name.to_owned(),
                params: params.clone(),
            }));
        };
        row.check(params)?;
        Ok((row.build)(&Checked(params)))
    }

    /// Like [`Template::from_name_and_params`], but a parameter the known template's row does
    /// not list is sent as given instead of refused, so a parameter Nodana adds is usable before
    /// this crate lists it. The listed parameters are still checked (closed sets, required
    /// ones). With an unlisted parameter the result is a [`Template::Custom`] under the known
    /// template's name; without one it is the typed variant, as from `from_name_and_params`.
    ///
    /// ```
    /// use nodal_nodana::Template;
    /// use nodal_core::SecretString;
    /// use std::collections::BTreeMap;
    ///
    /// let mut params = BTreeMap::new();
    /// params.insert("auto_liquidity".to_owned(), SecretString::from("5m"));
    /// params.insert("new_knob".to_owned(), SecretString::from("on"));
    /// assert!(Template::from_name_and_params("phoenixd", &params).is_err());
    /// let t = Template::from_name_and_params_allowing_unknown("phoenixd", &params)?;
    /// assert_eq!(t.name(), "phoenixd");
    /// assert_eq!(t.param_names(), ["auto_liquidity", "new_knob"]);
    ///
    /// // Listed parameters are still checked.
    /// params.insert("auto_liquidity".to_owned(), SecretString::from("1h"));
    /// assert!(Template::from_name_and_params_allowing_unknown("phoenixd", &params).is_err());
    /// # Ok::<(), nodal_core::Error>(())
    /// ```
    pub fn from_name_and_params_allowing_unknown(
        name: &str,
        params: &BTreeMap<String, SecretString>,
    ) -> Result<Template, Error> {
        check_name(name)?;
        let Some(row) = TemplateRow::find(name) else {
            return Template::from_name_and_params(name, params);
        };
        let (listed, unlisted): (
            BTreeMap<String, SecretString>,
            BTreeMap<String, SecretString>,
        ) = params
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .partition(|(k, _)| row.param(k).is_some());
        row.check(&listed)?;
        if unlisted.is_empty() {
            return Ok((row.build)(&Checked(&listed)));
        }
        let custom = Template::Custom(CustomTemplate {
            name: row.slug.to_owned(),
            params: params.clone(),
        });
        custom.validate()?;
        Ok(custom)
    }

    /// The template's name as Nodana spells it.
    pub fn name(&self) -> &str {
        match self.known() {
            Ok(row) => row.slug,
            Err(custom) => &custom.name,
        }
    }

    /// The names of the parameters that are set, in order.
    pub fn param_names(&self) -> Vec<&str> {
        self.params().into_iter().map(|(name, _)| name).collect()
    }

    /// Checks what cannot be checked by the types: a non-empty, printable template name.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_name(self.name())?;
        if let Template::Custom(custom) = self
            && custom.params.keys().any(|k| k.trim().is_empty())
        {
            return Err(Error::invalid_input(
                PROVIDER,
                "params",
                "a parameter name is empty",
            ));
        }
        Ok(())
    }

    /// The parameters that are set, by wire name, values in clear text: call only to build the
    /// request body.
    pub(crate) fn exposed_params(&self) -> BTreeMap<&str, &str> {
        self.params()
            .into_iter()
            .map(|(name, value)| (name, value.expose()))
            .collect()
    }

    /// The values of the parameters that are secret (the catalogue's `secret` ones, and every
    /// parameter of a custom template), for the request path to scrub.
    pub(crate) fn secret_params(&self) -> Vec<&SecretString> {
        self.params()
            .into_iter()
            .filter_map(|(_, value)| match value {
                ParamValue::Secret(secret) => Some(secret),
                ParamValue::Plain(_) => None,
            })
            .collect()
    }

    fn params(&self) -> Vec<(&str, ParamValue<'_>)> {
        match self {
            Template::Phoenixd(p) => p.pairs(),
            Template::AlbyHubPhoenixd(p) | Template::LnbitsPhoenixd(p) => p.pairs(),
            Template::CdkMintd(p) => p.pairs(),
            Template::Nutshell(p) => p.pairs(),
            Template::Vss(p) => p.pairs(),
            Template::Boltzd
            | Template::Fedimintd
            | Template::FedimintdPro
            | Template::Gatewayd
            | Template::Lnbits
            | Template::AlbyHub => Vec::new(),
            Template::Custom(custom) => custom
                .params
                .iter()
                .map(|(name, value)| (name.as_str(), ParamValue::Secret(value)))
                .collect(),
        }
    }
}

/// Written by hand: parameters may hold secrets, so only their names are shown (plus the
/// template name).
impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Template")
            .field("name", &self.name())
            .field("params", &redacted(self.param_names()))
            .finish()
    }
}

/// Parameter names, each with `[redacted]` for its value, for `Debug`.
fn redacted<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, &'static str> {
    names.into_iter().map(|name| (name, "[redacted]")).collect()
}

fn check_name(name: &str) -> Result<(), Error> {
    if name.trim().is_empty() {
        return Err(Error::invalid_input(
            PROVIDER,
            "template",
            "the template name is empty",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            PROVIDER,
            "template",
            "the template name contains control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, SecretString> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), SecretString::from(*v)))
            .collect()
    }

    #[test]
    fn auto_liquidity_round_trips_and_refuses_other_values() {
        for value in AutoLiquidity::ALL {
            assert_eq!(value.as_str().parse::<AutoLiquidity>().unwrap(), value);
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(serde_json::from_str::<AutoLiquidity>(&json).unwrap(), value);
        }
        for bad in ["", "2M", "1h", " 5m", "20m"] {
            match bad.parse::<AutoLiquidity>() {
                Err(Error::InvalidInput { field, .. }) => {
                    assert_eq!(field.as_deref(), Some("auto_liquidity"));
                }
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        // The row's words are the type's.
        let words: Vec<&str> = AutoLiquidity::ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!(AUTO_LIQUIDITY.allowed(), Some(&words[..]));
    }

    #[test]
    fn the_catalogue_is_consistent() {
        let mut slugs: Vec<&str> = Template::catalogue().iter().map(|r| r.slug).collect();
        let count = slugs.len();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), count, "a slug is listed twice");
        for row in Template::catalogue() {
            assert!(!row.description.is_empty(), "{}", row.slug);
            let mut names: Vec<&str> = row.param_names().collect();
            names.dedup();
            assert_eq!(names.len(), row.params.len(), "{}", row.slug);
            assert_eq!(TemplateRow::find(row.slug).map(|r| r.slug), Some(row.slug));
        }
        assert!(TemplateRow::find("no-such-template").is_none());
    }

    #[test]
    fn every_row_builds_its_variant_and_back() {
        for row in Template::catalogue() {
            let template = Template::from_name_and_params(row.slug, &BTreeMap::new()).unwrap();
            assert_eq!(template.name(), row.slug);
            assert_eq!(template.row().map(|r| r.slug), Some(row.slug));
            assert!(template.param_names().is_empty());
        }
    }

    #[test]
    fn every_declared_param_reaches_the_body_and_secrets_stay_wrapped() {
        for row in Template::catalogue() {
            // Every parameter set, each to an allowed value.
            let all: Vec<(&str, String)> = row
                .params
                .iter()
                .map(|p| {
                    let value = p
                        .allowed()
                        .and_then(|words| words.first().map(|w| (*w).to_owned()))
                        .unwrap_or_else(|| format!("value-of-{}", p.name));
                    (p.name, value)
                })
                .collect();
            let given: BTreeMap<String, SecretString> = all
                .iter()
                .map(|(k, v)| ((*k).to_owned(), SecretString::from(v.as_str())))
                .collect();
            let template = Template::from_name_and_params(row.slug, &given).unwrap();
            assert_eq!(
                template.param_names(),
                row.param_names().collect::<Vec<_>>(),
                "{}",
                row.slug
            );
            let body = template.exposed_params();
            let shown = format!("{template:?}");
            for (param, (name, value)) in row.params.iter().zip(&all) {
                assert_eq!(body.get(name), Some(&value.as_str()), "{}", row.slug);
                let wrapped = matches!(
                    template.params().iter().find(|(n, _)| n == name),
                    Some((_, ParamValue::Secret(_)))
                );
                assert_eq!(wrapped, param.secret, "{}: {name}", row.slug);
                assert!(!shown.contains(value.as_str()) || param.allowed().is_some());
            }
        }
    }

    #[test]
    fn typed_params_are_checked_and_exposed_for_the_body() {
        let t = Template::from_name_and_params(
            "nutshell",
            &params(&[
                ("mint_name", "Mint"),
                ("mint_lnd_macaroon", "0201036c6e64"),
                ("mint_lnd_rest_url", "https://lnd:8080"),
            ]),
        )
        .unwrap();
        assert!(!format!("{t:?}").contains("0201036c6e64"));
        let body = t.exposed_params();
        assert_eq!(body.get("mint_lnd_macaroon"), Some(&"0201036c6e64"));
        assert_eq!(body.get("mint_name"), Some(&"Mint"));
        assert_eq!(body.len(), 3);

        let err = Template::from_name_and_params("phoenixd", &params(&[("auto_liquidity", "1h")]))
            .unwrap_err();
        assert!(err.to_string().contains("auto_liquidity"), "{err}");
        let err = Template::from_name_and_params("boltzd", &params(&[("x", "y")])).unwrap_err();
        assert!(err.to_string().contains("takes no parameters"), "{err}");
        let err = Template::from_name_and_params(" ", &BTreeMap::new()).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { field: Some(f), .. } if f == "template"));
    }

    #[test]
    fn rows_refuse_missing_required_and_hide_secret_values() {
        const STRICT: TemplateRow = TemplateRow {
            params: &[
                TemplateParam {
                    required: true,
                    ..TemplateParam::text("token")
                },
                TemplateParam::one_of("tier", &["a", "b"]).secret(),
            ],
            ..bare("strict", "A made-up template", |_| Template::Boltzd)
        };
        let missing = STRICT.check(&params(&[("tier", "a")])).unwrap_err();
        assert!(
            matches!(&missing, Error::InvalidInput { field: Some(f), .. } if f == "token"),
            "{missing:?}"
        );
        assert!(
            missing.to_string().contains("needs the parameter"),
            "{missing}"
        );
        let bad = STRICT
            .check(&params(&[("token", "t"), ("tier", "c-hidden")]))
            .unwrap_err();
        assert!(!bad.to_string().contains("c-hidden"), "{bad}");
        assert!(
            STRICT
                .check(&params(&[("token", "t"), ("tier", "b")]))
                .is_ok()
        );
    }

    #[test]
    fn unlisted_params_pass_only_when_allowed() {
        let given = params(&[("mint_name", "Mint"), ("mint_colour", "crimson")]);
        let refused = Template::from_name_and_params("cdk-mintd", &given).unwrap_err();
        assert!(
            refused.to_string().contains("mint_name, mint_description"),
            "{refused}"
        );
        let allowed = Template::from_name_and_params_allowing_unknown("cdk-mintd", &given).unwrap();
        assert!(matches!(&allowed, Template::Custom(c) if c.name() == "cdk-mintd"));
        let body = allowed.exposed_params();
        assert_eq!(body.get("mint_colour"), Some(&"crimson"));
        assert_eq!(body.get("mint_name"), Some(&"Mint"));
        assert!(!format!("{allowed:?}").contains("crimson"));

        // Only listed parameters: the typed variant, as without the allowance.
        let typed = Template::from_name_and_params_allowing_unknown(
            "phoenixd",
            &params(&[("auto_liquidity", "2m")]),
        )
        .unwrap();
        assert!(matches!(typed, Template::Phoenixd(_)));
        // A template without parameters takes a new one too; an empty name never passes.
        let boltz =
            Template::from_name_and_params_allowing_unknown("boltzd", &params(&[("x", "y")]))
                .unwrap();
        assert_eq!(boltz.param_names(), ["x"]);
        assert!(
            Template::from_name_and_params_allowing_unknown("boltzd", &params(&[(" ", "y")]))
                .is_err()
        );
        assert!(Template::from_name_and_params_allowing_unknown("", &BTreeMap::new()).is_err());
    }

    #[test]
    fn unknown_templates_pass_through_as_custom() {
        let t = Template::from_name_and_params("shiny-new", &params(&[("k", "v")])).unwrap();
        assert!(matches!(&t, Template::Custom(c) if c.name() == "shiny-new"));
        assert!(t.row().is_none());
        assert_eq!(t.exposed_params().get("k"), Some(&"v"));
        assert!(!format!("{t:?}").contains("\"v\""));
        assert!(Template::custom("x", [("", "v")]).validate().is_err());
        assert!(Template::custom("x", [("k", "v")]).validate().is_ok());
    }
}
