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
    category: &'static str,
    cpu: f64,
    /// MiB.
    pub(crate) mem: u32,
    price_month: f64,
}

pub(crate) static INSTANCE_TYPES: [InstanceType; 4] = [
    InstanceType {
        id: "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a51",
        name: "Starter",
        slug: "starter",
        category: "shared",
        cpu: 0.5,
        mem: 512,
        price_month: 5.0,
    },
    InstanceType {
        id: "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a52",
        name: "Standard",
        slug: "standard",
        category: "shared",
        cpu: 1.0,
        mem: 1024,
        price_month: 10.0,
    },
    InstanceType {
        id: "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a53",
        name: "Performance",
        slug: "performance",
        category: "dedicated",
        cpu: 2.0,
        mem: 4096,
        price_month: 40.0,
    },
    InstanceType {
        id: "8c1f2a3e-5b6d-4e7f-8a9b-0c1d2e3f4a54",
        name: "Performance XL",
        slug: "performance-xl",
        category: "dedicated",
        cpu: 4.0,
        mem: 8192,
        price_month: 80.0,
    },
];

/// Seconds in the 30-day month prices are quoted for.
const SECONDS_PER_MONTH: f64 = 30.0 * 24.0 * 3600.0;

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
}

impl InstanceType {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "slug": self.slug,
            "category": self.category,
            "cpu": self.cpu,
            "mem": self.mem,
            "price_month": self.price_month,
            "price_second": self.price_month / SECONDS_PER_MONTH,
        })
    }
}
