//! The fault matrix (docs/reliability.md): for both providers, every fault the twin can inject ×
//! a read (`get_app`), an idempotent action (`stop_app`) and a create (`create_app`).
//!
//! One test per provider and fault; its three cells run at once, each against its own twin, so
//! nextest runs the rows in parallel. The cells and their documented outcomes are in
//! `nodal_tests::fault_matrix`.

use nodal_tests::Adapter;
use nodal_tests::fault_matrix::{Fault, check_row, markdown_table};

macro_rules! rows {
    ($($name:ident => $fault:expr),* $(,)?) => {
        mod nodana {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    if let Err(failures) = check_row(Adapter::Nodana, $fault).await {
                        panic!("{failures}");
                    }
                }
            )*
        }
        mod nodion {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    if let Err(failures) = check_row(Adapter::Nodion, $fault).await {
                        panic!("{failures}");
                    }
                }
            )*
        }
        /// Every row has a test.
        #[test]
        fn every_fault_has_a_row() {
            let covered = [$($fault),*];
            for fault in Fault::ALL {
                assert!(covered.contains(&fault), "no test for {fault:?}");
            }
        }
    };
}

rows!(
    status_500_once => Fault::Status500,
    status_502_once => Fault::Status502,
    status_500_persistent => Fault::Status500Persistent,
    connection_dropped_before_answer => Fault::DropBeforeAnswer,
    connection_dropped_after_processing => Fault::DropAfterProcessing,
    answer_slower_than_the_timeout => Fault::SlowAnswer,
    rate_limited => Fault::RateLimited,
    malformed_json => Fault::MalformedJson,
    truncated_json => Fault::TruncatedJson,
    oversized_body => Fault::Oversized,
);

/// docs/reliability.md lists every cell with its documented outcome, exactly as the tests check it.
#[test]
fn the_docs_list_every_cell() {
    let docs = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/reliability.md"
    ))
    .expect("read docs/reliability.md");
    let table = markdown_table();
    let missing: Vec<&str> = table.lines().filter(|line| !docs.contains(line)).collect();
    assert!(
        missing.is_empty(),
        "docs/reliability.md lacks these lines of the fault matrix:\n{}\n\nthe whole table:\n{table}",
        missing.join("\n")
    );
}
