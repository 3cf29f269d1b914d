//! Nodana's templates: which params each accepts, which services it runs, what it costs, and the
//! secrets a phoenixd-family create answer carries.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::util::Rng;

/// The liquidity policies the phoenixd family accepts.
const AUTO_LIQUIDITY: &[&str] = &["2m", "5m", "10m"];

#[derive(Debug, PartialEq)]
pub(crate) struct Template {
    pub(crate) name: &'static str,
    params: &'static [Param],
    /// One service per component, in this order.
    pub(crate) components: &'static [&'static str],
    /// Price per second.
    pub(crate) rate: f64,
    /// Whether the create answer carries a seed phrase and passwords.
    pub(crate) phoenixd_family: bool,
}

#[derive(Debug, PartialEq)]
struct Param {
    name: &'static str,
    /// `None`: any string.
    allowed: Option<&'static [&'static str]>,
}

const fn free(name: &'static str) -> Param {
    Param {
        name,
        allowed: None,
    }
}

const LIQUIDITY: Param = Param {
    name: "auto_liquidity",
    allowed: Some(AUTO_LIQUIDITY),
};

const fn plain(name: &'static str, rate: f64) -> Template {
    Template {
        name,
        params: &[],
        components: &[],
        rate,
        phoenixd_family: false,
    }
}

/// The templates of Nodana's reference (`docs/providers/nodana.md`, "Templates").
static TEMPLATES: &[Template] = &[
    Template {
        name: "phoenixd",
        params: &[LIQUIDITY, free("webhook")],
        components: &["phoenixd"],
        rate: 0.000233,
        phoenixd_family: true,
    },
    Template {
        name: "alby-hub-phoenixd",
        params: &[LIQUIDITY],
        components: &["alby-hub", "phoenixd"],
        rate: 0.000347,
        phoenixd_family: true,
    },
    Template {
        name: "lnbits-phoenixd",
        params: &[LIQUIDITY],
        components: &["lnbits", "phoenixd"],
        rate: 0.000347,
        phoenixd_family: true,
    },
    Template {
        name: "cdk-mintd",
        params: &[free("mint_name"), free("mint_description")],
        ..plain("cdk-mintd", 0.000116)
    },
    Template {
        name: "nutshell",
        params: &[
            free("mint_name"),
            free("mint_description"),
            free("mint_lnd_rest_url"),
            free("mint_lnd_macaroon"),
        ],
        ..plain("nutshell", 0.000116)
    },
    Template {
        name: "vss",
        params: &[free("vss_psql_address"), free("vss_psql_username")],
        ..plain("vss", 0.000231)
    },
    plain("boltzd", 0.000116),
    plain("fedimintd", 0.000463),
    plain("fedimintd-pro", 0.000926),
    plain("gatewayd", 0.000231),
    plain("lnbits", 0.000116),
    plain("alby-hub", 0.000231),
];

/// The table's facts in the shape of [`crate::contract::NodanaTemplate`].
pub(crate) fn facts() -> Vec<crate::contract::NodanaTemplate> {
    TEMPLATES
        .iter()
        .map(|t| crate::contract::NodanaTemplate {
            name: t.name,
            params: t.params.iter().map(|p| p.name).collect(),
            allowed: t
                .params
                .iter()
                .filter_map(|p| p.allowed.map(|a| (p.name, a)))
                .collect(),
            returns_secrets: t.phoenixd_family,
        })
        .collect()
}

pub(crate) fn find(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name == name)
}

pub(crate) fn names() -> String {
    TEMPLATES
        .iter()
        .map(|t| t.name)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Template {
    /// Service names: the components, or the template itself when it has a single service.
    pub(crate) fn services(&self) -> Vec<&'static str> {
        if self.components.is_empty() {
            vec![self.name]
        } else {
            self.components.to_vec()
        }
    }

    /// Checks `params` (absent or null = none) against the template; the error names the problem.
    pub(crate) fn validate_params(
        &self,
        params: Option<&Value>,
    ) -> Result<BTreeMap<String, String>, String> {
        let map = match params {
            None | Some(Value::Null) => return Ok(BTreeMap::new()),
            Some(Value::Object(map)) => map,
            Some(_) => return Err("params must be an object of strings".to_owned()),
        };
        let mut checked = BTreeMap::new();
        for (name, value) in map {
            let Some(param) = self.params.iter().find(|p| p.name == name) else {
                let accepted = if self.params.is_empty() {
                    "it accepts no params".to_owned()
                } else {
                    let names: Vec<_> = self.params.iter().map(|p| p.name).collect();
                    format!("it accepts {}", names.join(", "))
                };
                return Err(format!(
                    "Unknown param '{name}' for template '{}': {accepted}",
                    self.name
                ));
            };
            let Value::String(value) = value else {
                return Err(format!("Param '{name}' must be a string"));
            };
            if let Some(allowed) = param.allowed
                && !allowed.contains(&value.as_str())
            {
                return Err(format!(
                    "Invalid value '{value}' for param '{name}': expected one of {}",
                    allowed.join(", ")
                ));
            }
            checked.insert(name.clone(), value.clone());
        }
        Ok(checked)
    }

    /// The secret fields of a create answer (empty outside the phoenixd family).
    pub(crate) fn secrets(&self, rng: &mut Rng) -> Vec<(&'static str, String)> {
        if !self.phoenixd_family {
            return Vec::new();
        }
        let words: Vec<&str> = (0..12)
            .map(|_| {
                let at = usize::try_from(rng.next_u64() % SEED_WORDS.len() as u64).unwrap_or(0);
                SEED_WORDS.get(at).copied().unwrap_or("abandon")
            })
            .collect();
        vec![
            ("seedPhrase", words.join(" ")),
            ("httpPassword", rng.hex(64)),
            ("httpPasswordLimited", rng.hex(64)),
        ]
    }
}

/// Words for throwaway seed phrases (a slice of the BIP-39 English list; the twin's phrases are
/// not valid wallets).
const SEED_WORDS: &[&str] = &[
    "abandon", "ability", "able", "about", "above", "absent", "absorb", "abstract", "absurd",
    "abuse", "access", "accident", "account", "accuse", "achieve", "acid", "acoustic", "acquire",
    "across", "act", "action", "actor", "actress", "actual", "adapt", "add", "addict", "address",
    "adjust", "admit", "adult", "advance", "advice", "aerobic", "affair", "afford", "afraid",
    "again", "age", "agent", "agree", "ahead", "aim", "air", "airport", "aisle", "alarm", "album",
    "alcohol", "alert", "alien", "all", "alley", "allow", "almost", "alone", "alpha", "already",
    "also", "alter", "always", "amateur", "amazing", "among",
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn validates_params_by_template() {
        let phoenixd = find("phoenixd").unwrap();
        assert!(
            phoenixd
                .validate_params(Some(&json!({"auto_liquidity": "5m"})))
                .is_ok()
        );
        let bad = phoenixd
            .validate_params(Some(&json!({"auto_liquidity": "1h"})))
            .unwrap_err();
        assert!(bad.contains("auto_liquidity"), "{bad}");
        let unknown = find("boltzd")
            .unwrap()
            .validate_params(Some(&json!({"x": "y"})))
            .unwrap_err();
        assert!(
            unknown.contains("'x'") && unknown.contains("no params"),
            "{unknown}"
        );
        assert!(find("nope").is_none());
    }

    #[test]
    fn only_the_phoenixd_family_has_secrets() {
        let mut rng = Rng::from_entropy();
        assert_eq!(find("lnbits-phoenixd").unwrap().secrets(&mut rng).len(), 3);
        assert!(find("lnbits").unwrap().secrets(&mut rng).is_empty());
    }
}
