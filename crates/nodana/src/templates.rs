//! Nodana's templates and their parameters, typed.
//!
//! Every parameter value travels as a string. Known templates get a typed variant with their
//! documented parameters; [`Template::custom`] covers templates Nodana adds later.
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
//! // A value outside 2m, 5m and 10m is refused before anything is sent.
//! assert!("1h".parse::<AutoLiquidity>().is_err());
//! ```

use crate::protocol::PROVIDER;
use nodal_core::{Error, ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

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
    pub fn as_str(self) -> &'static str {
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
        AutoLiquidity::ALL
            .into_iter()
            .find(|v| v.as_str() == value)
            .ok_or_else(|| {
                Error::invalid_input(
                    PROVIDER,
                    "auto_liquidity",
                    format!("`{value}` is not one of 2m, 5m, 10m"),
                )
            })
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

/// Parameters of `phoenixd`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PhoenixdParams {
    /// Automatic liquidity (`auto_liquidity`).
    pub auto_liquidity: Option<AutoLiquidity>,
    /// URL phoenixd calls on payment events (`webhook`).
    pub webhook: Option<String>,
}

impl PhoenixdParams {
    /// No parameters set (Nodana's defaults apply).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `auto_liquidity`.
    pub fn auto_liquidity(mut self, value: AutoLiquidity) -> Self {
        self.auto_liquidity = Some(value);
        self
    }

    /// Sets `webhook`.
    pub fn webhook(mut self, url: impl Into<String>) -> Self {
        self.webhook = Some(url.into());
        self
    }
}

/// Parameters of `alby-hub-phoenixd` and `lnbits-phoenixd`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiquidityParams {
    /// Automatic liquidity of the embedded phoenixd (`auto_liquidity`).
    pub auto_liquidity: Option<AutoLiquidity>,
}

impl LiquidityParams {
    /// No parameters set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `auto_liquidity`.
    pub fn auto_liquidity(mut self, value: AutoLiquidity) -> Self {
        self.auto_liquidity = Some(value);
        self
    }
}

/// Parameters of `cdk-mintd`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MintParams {
    /// The mint's name (`mint_name`).
    pub mint_name: Option<String>,
    /// The mint's description (`mint_description`).
    pub mint_description: Option<String>,
}

impl MintParams {
    /// No parameters set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `mint_name`.
    pub fn mint_name(mut self, name: impl Into<String>) -> Self {
        self.mint_name = Some(name.into());
        self
    }

    /// Sets `mint_description`.
    pub fn mint_description(mut self, description: impl Into<String>) -> Self {
        self.mint_description = Some(description.into());
        self
    }
}

/// Parameters of `nutshell`: a mint backed by an LND node. The macaroon is a secret.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct NutshellParams {
    /// The mint's name (`mint_name`).
    pub mint_name: Option<String>,
    /// The mint's description (`mint_description`).
    pub mint_description: Option<String>,
    /// The LND REST URL (`mint_lnd_rest_url`).
    pub mint_lnd_rest_url: Option<String>,
    /// The LND macaroon (`mint_lnd_macaroon`), a secret.
    pub mint_lnd_macaroon: Option<SecretString>,
}

impl NutshellParams {
    /// No parameters set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `mint_name`.
    pub fn mint_name(mut self, name: impl Into<String>) -> Self {
        self.mint_name = Some(name.into());
        self
    }

    /// Sets `mint_description`.
    pub fn mint_description(mut self, description: impl Into<String>) -> Self {
        self.mint_description = Some(description.into());
        self
    }

    /// Sets `mint_lnd_rest_url`.
    pub fn mint_lnd_rest_url(mut self, url: impl Into<String>) -> Self {
        self.mint_lnd_rest_url = Some(url.into());
        self
    }

    /// Sets `mint_lnd_macaroon` (kept as a secret).
    pub fn mint_lnd_macaroon(mut self, macaroon: impl Into<SecretString>) -> Self {
        self.mint_lnd_macaroon = Some(macaroon.into());
        self
    }
}

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

/// Parameters of `vss` (a versioned storage service backed by PostgreSQL).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct VssParams {
    /// PostgreSQL address (`vss_psql_address`).
    pub vss_psql_address: Option<String>,
    /// PostgreSQL user name (`vss_psql_username`).
    pub vss_psql_username: Option<String>,
}

impl VssParams {
    /// No parameters set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `vss_psql_address`.
    pub fn vss_psql_address(mut self, address: impl Into<String>) -> Self {
        self.vss_psql_address = Some(address.into());
        self
    }

    /// Sets `vss_psql_username`.
    pub fn vss_psql_username(mut self, username: impl Into<String>) -> Self {
        self.vss_psql_username = Some(username.into());
        self
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
            .field("params", &RedactedValues(self.params.keys()))
            .finish()
    }
}

/// What an app is an instance of: a Nodana template with its parameters.
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

/// The templates this crate knows, with their accepted parameters.
const KNOWN: [(&str, &[&str]); 12] = [
    ("phoenixd", &["auto_liquidity", "webhook"]),
    ("alby-hub-phoenixd", &["auto_liquidity"]),
    ("lnbits-phoenixd", &["auto_liquidity"]),
    ("cdk-mintd", &["mint_name", "mint_description"]),
    (
        "nutshell",
        &[
            "mint_name",
            "mint_description",
            "mint_lnd_rest_url",
            "mint_lnd_macaroon",
        ],
    ),
    ("vss", &["vss_psql_address", "vss_psql_username"]),
    ("boltzd", &[]),
    ("fedimintd", &[]),
    ("fedimintd-pro", &[]),
    ("gatewayd", &[]),
    ("lnbits", &[]),
    ("alby-hub", &[]),
];

impl Template {
    /// The names of the templates this crate knows (others work through [`Template::custom`]).
    pub fn known_names() -> impl Iterator<Item = &'static str> {
        KNOWN.iter().map(|(name, _)| *name)
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
    /// checked: an unknown parameter or a bad `auto_liquidity` is [`Error::InvalidInput`]
    /// naming it. An unknown template name becomes [`Template::Custom`].
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
        let Some((_, accepted)) = KNOWN.iter().find(|(known, _)| *known == name) else {
            return Ok(Template::Custom(CustomTemplate {
                name: name.to_owned(),
                params: params.clone(),
            }));
        };
        if let Some(unknown) = params.keys().find(|key| !accepted.contains(&key.as_str())) {
            let expected = if accepted.is_empty() {
                "it takes no parameters".to_owned()
            } else {
                format!("it takes {}", accepted.join(", "))
            };
            return Err(Error::invalid_input(
                PROVIDER,
                unknown.clone(),
                format!("template `{name}` has no parameter `{unknown}`: {expected}"),
            ));
        }
        let text = |key: &str| params.get(key).map(|v| v.expose_secret().to_owned());
        let liquidity = || -> Result<Option<AutoLiquidity>, Error> {
            text("auto_liquidity").map(|v| v.parse()).transpose()
        };
        Ok(match name {
            "phoenixd" => Template::Phoenixd(PhoenixdParams {
                auto_liquidity: liquidity()?,
                webhook: text("webhook"),
            }),
            "alby-hub-phoenixd" => Template::AlbyHubPhoenixd(LiquidityParams {
                auto_liquidity: liquidity()?,
            }),
            "lnbits-phoenixd" => Template::LnbitsPhoenixd(LiquidityParams {
                auto_liquidity: liquidity()?,
            }),
            "cdk-mintd" => Template::CdkMintd(MintParams {
                mint_name: text("mint_name"),
                mint_description: text("mint_description"),
            }),
            "nutshell" => Template::Nutshell(NutshellParams {
                mint_name: text("mint_name"),
                mint_description: text("mint_description"),
                mint_lnd_rest_url: text("mint_lnd_rest_url"),
                mint_lnd_macaroon: params.get("mint_lnd_macaroon").cloned(),
            }),
            "vss" => Template::Vss(VssParams {
                vss_psql_address: text("vss_psql_address"),
                vss_psql_username: text("vss_psql_username"),
            }),
            "boltzd" => Template::Boltzd,
            "fedimintd" => Template::Fedimintd,
            "fedimintd-pro" => Template::FedimintdPro,
            "gatewayd" => Template::Gatewayd,
            "lnbits" => Template::Lnbits,
            "alby-hub" => Template::AlbyHub,
            // KNOWN and this match list the same names.
            _ => {
                return Err(Error::invalid_input(
                    PROVIDER,
                    "template",
                    format!("template `{name}` is known but not handled (a bug in nodal-nodana)"),
                ));
            }
        })
    }

    /// The template's name as Nodana spells it.
    pub fn name(&self) -> &str {
        match self {
            Template::Phoenixd(_) => "phoenixd",
            Template::AlbyHubPhoenixd(_) => "alby-hub-phoenixd",
            Template::LnbitsPhoenixd(_) => "lnbits-phoenixd",
            Template::CdkMintd(_) => "cdk-mintd",
            Template::Nutshell(_) => "nutshell",
            Template::Vss(_) => "vss",
            Template::Boltzd => "boltzd",
            Template::Fedimintd => "fedimintd",
            Template::FedimintdPro => "fedimintd-pro",
            Template::Gatewayd => "gatewayd",
            Template::Lnbits => "lnbits",
            Template::AlbyHub => "alby-hub",
            Template::Custom(custom) => &custom.name,
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

    fn params(&self) -> Vec<(&str, ParamValue<'_>)> {
        use ParamValue::{Plain, Secret};
        fn liquidity(v: &Option<AutoLiquidity>) -> Option<ParamValue<'static>> {
            v.map(|v| Plain(v.as_str()))
        }
        fn plain(v: &Option<String>) -> Option<ParamValue<'_>> {
            v.as_deref().map(Plain)
        }
        let candidates: Vec<(&str, Option<ParamValue<'_>>)> = match self {
            Template::Phoenixd(p) => vec![
                ("auto_liquidity", liquidity(&p.auto_liquidity)),
                ("webhook", plain(&p.webhook)),
            ],
            Template::AlbyHubPhoenixd(p) | Template::LnbitsPhoenixd(p) => {
                vec![("auto_liquidity", liquidity(&p.auto_liquidity))]
            }
            Template::CdkMintd(p) => vec![
                ("mint_name", plain(&p.mint_name)),
                ("mint_description", plain(&p.mint_description)),
            ],
            Template::Nutshell(p) => vec![
                ("mint_name", plain(&p.mint_name)),
                ("mint_description", plain(&p.mint_description)),
                ("mint_lnd_rest_url", plain(&p.mint_lnd_rest_url)),
                (
                    "mint_lnd_macaroon",
                    p.mint_lnd_macaroon.as_ref().map(Secret),
                ),
            ],
            Template::Vss(p) => vec![
                ("vss_psql_address", plain(&p.vss_psql_address)),
                ("vss_psql_username", plain(&p.vss_psql_username)),
            ],
            Template::Boltzd
            | Template::Fedimintd
            | Template::FedimintdPro
            | Template::Gatewayd
            | Template::Lnbits
            | Template::AlbyHub => Vec::new(),
            Template::Custom(custom) => custom
                .params
                .iter()
                .map(|(name, value)| (name.as_str(), Some(Secret(value))))
                .collect(),
        };
        candidates
            .into_iter()
            .filter_map(|(name, value)| Some((name, value?)))
            .collect()
    }
}

/// Written by hand: parameters may hold secrets, so only their names are shown (plus the
/// template name).
impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.param_names().into_iter().map(str::to_owned).collect();
        f.debug_struct("Template")
            .field("name", &self.name())
            .field("params", &RedactedValues(names.iter()))
            .finish()
    }
}

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

/// Prints map keys with every value as `[redacted]`.
struct RedactedValues<I>(I);

impl<'a, I> fmt::Debug for RedactedValues<I>
where
    I: Iterator<Item = &'a String> + Clone,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for key in self.0.clone() {
            map.entry(key, &"[redacted]");
        }
        map.finish()
    }
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
    }

    #[test]
    fn every_known_name_maps_to_its_variant_and_back() {
        for name in Template::known_names() {
            let template = Template::from_name_and_params(name, &BTreeMap::new()).unwrap();
            assert_eq!(template.name(), name);
            assert!(!matches!(template, Template::Custom(_)), "{name}");
            assert!(template.param_names().is_empty());
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
    fn unknown_templates_pass_through_as_custom() {
        let t = Template::from_name_and_params("shiny-new", &params(&[("k", "v")])).unwrap();
        assert!(matches!(&t, Template::Custom(c) if c.name() == "shiny-new"));
        assert_eq!(t.exposed_params().get("k"), Some(&"v"));
        assert!(!format!("{t:?}").contains("\"v\""));
        assert!(Template::custom("x", [("", "v")]).validate().is_err());
        assert!(Template::custom("x", [("k", "v")]).validate().is_ok());
    }
}
