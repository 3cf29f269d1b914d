//! Nodion's fixed catalogue: the two regions of Nodion's reference and a few instance types.

use serde_json::{Value, json};

#[derive(Debug, PartialEq)]
pub(crate) struct Region {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) slug: &'static str,
}

/// Exactly the regions of the example `GET /regions` answer in Nodion's authentication reference
/// (`docs/providers/nodion.md`).
pub(crate) static REGIONS: [Region; 2] = [
    Region {
        id: "5903725b-f554-4294-ab17-c992a765a001",
        name: "EU Central",
        slug: "euc",
    },
    Region {
        id: "5e4ce16b-7409-4bb4-849a-9aec0ec0c7af",
        name: "US East",
        slug: "use",
    },
];

#[derive(Debug, PartialEq)]
pub(crate) struct InstanceType {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) slug: &'static str,
    /// `sb` or `gp`, the words of the reference's process and instance examples.
    category: &'static str,
    cpu: f64,
    /// Memory in MB; the reference's embeds give it in GB (`0.5`, `4.0`), runners in MB.
    pub(crate) mem_mb: u32,
    price_month: f64,
}

/// The twin's catalogue. Ids, names and slugs are the twin's own (the CLI and the conformance
/// suite pick `starter` by slug); the field set, the `sb`/`gp` categories, `mem` in GB and the
/// prices as strings follow the reference's embedded instance types (application-processes,
/// application-instances).
pub(crate) static INSTANCE_TYPES: [InstanceType; 4] = [
    InstanceType {
        id: "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a51",
        name: "Starter",
        slug: "starter",
        category: "sb",
        cpu: 0.5,
        mem_mb: 512,
        price_month: 4.0,
    },
    InstanceType {
        id: "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a52",
        name: "Standard",
        slug: "standard",
        category: "sb",
        cpu: 1.0,
        mem_mb: 1024,
        price_month: 8.0,
    },
    InstanceType {
        id: "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a53",
        name: "Performance",
        slug: "performance",
        category: "gp",
        cpu: 1.0,
        mem_mb: 4096,
        price_month: 16.0,
    },
    InstanceType {
        id: "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a54",
        name: "Performance XL",
        slug: "performance-xl",
        category: "gp",
        cpu: 2.0,
        mem_mb: 8192,
        price_month: 32.0,
    },
];

/// Seconds in the month prices are quoted for: a twelfth of 365 days. The reference's pair
/// `"16.0"` / `"0.000006088280061"` is exactly 16 / 2 628 000.
const SECONDS_PER_MONTH: f64 = 365.0 * 24.0 * 3600.0 / 12.0;

pub(crate) fn region(id: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.id == id)
}

pub(crate) fn instance_type(id: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES.iter().find(|t| t.id == id)
}

impl Region {
    pub(crate) fn to_json(&self) -> Value {
        json!({ "id": self.id, "name": self.name, "slug": self.slug })
    }

    /// The form runners embed: with `"status": "available"` (reference: runners).
    pub(crate) fn to_runner_json(&self) -> Value {
        json!({ "id": self.id, "status": "available", "name": self.name, "slug": self.slug })
    }
}

impl InstanceType {
    /// The form embedded in processes and instances (reference: application-processes,
    /// application-instances): `cpu` and `mem` (GB) numbers, both prices JSON strings. The
    /// twin's `GET /instance_types` uses it too (INFERRED: no reference page shows that list).
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "slug": self.slug,
            "category": self.category,
            "cpu": self.cpu,
            "mem": f64::from(self.mem_mb) / 1024.0,
            "price_month": format!("{:.1}", self.price_month),
            "price_second": format!("{:.15}", self.price_month / SECONDS_PER_MONTH),
        })
    }

    /// The form runners embed (reference: runners): no `category`, `mem` in MB, prices as
    /// JSON numbers.
    pub(crate) fn to_runner_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "slug": self.slug,
            "cpu": self.cpu,
            "mem": self.mem_mb,
            "price_month": self.price_month,
            "price_second": self.price_month / SECONDS_PER_MONTH,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_strings_like_the_reference() {
        let performance = INSTANCE_TYPES[2].to_json();
        assert_eq!(performance["price_month"], "16.0");
        assert_eq!(performance["price_second"], "0.000006088280061");
        assert_eq!(performance["mem"], 4.0);
        assert_eq!(
            INSTANCE_TYPES[0].to_json()["price_second"],
            "0.000001522070015"
        );
    }
}
