//! `nodal-sim`: serve the Nodana and Nodion twin on 127.0.0.1 until Ctrl-C.
//!
//! Prints the base URLs and the ready-made keys. Printing keys is intended here: they are the
//! twin's own throwaway credentials, valid only against this process, and the user needs them to
//! point a client at it.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use nodal_sim::Sim;

/// A strict offline twin of the Nodana and Nodion APIs.
#[derive(Debug, Parser)]
#[command(name = "nodal-sim", version, about)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Milliseconds a Nodana app stays `pending` before it is `available`.
    #[arg(long, value_name = "MS")]
    nodana_start_delay_ms: Option<u64>,
    /// Milliseconds a Nodion deployment takes to become `available`.
    #[arg(long, value_name = "MS")]
    nodion_deploy_delay_ms: Option<u64>,
    /// Minimum gap in milliseconds between two accepted requests of one Nodana key (default
    /// 1000, the provider's 1 req/s; 0 turns the limit off).
    #[arg(long, value_name = "MS")]
    nodana_min_interval_ms: Option<u64>,
    /// Milliseconds a Nodana request may come closer than the minimum interval before it is a
    /// violation (default 50, for loopback jitter).
    #[arg(long, value_name = "MS", conflicts_with = "zero_tolerance")]
    nodana_tolerance_ms: Option<u64>,
    /// No tolerance: any Nodana request arriving closer than the minimum interval is refused
    /// (429) and counted as a violation.
    #[arg(long)]
    zero_tolerance: bool,
    /// Injected uplink latency: each request waits a random time uniform in MIN..=MAX
    /// milliseconds before its arrival is counted (e.g. `0-200`, or `50` for a fixed delay).
    #[arg(long, value_name = "MIN-MAX", value_parser = parse_latency)]
    uplink_latency_ms: Option<(u64, u64)>,
    /// Use this fixed value as the Nodana key instead of a random one.
    #[arg(long, value_name = "KEY")]
    nodana_key: Option<String>,
    /// Use this fixed value as the Nodion user key instead of a random one.
    #[arg(long, value_name = "KEY")]
    nodion_key: Option<String>,
}

/// `MIN-MAX` or a single `MS` (a fixed delay), in milliseconds.
fn parse_latency(text: &str) -> Result<(u64, u64), String> {
    let number = |part: &str| {
        part.trim().parse::<u64>().map_err(|_| {
            format!("`{part}` is not a number of milliseconds (expected MIN-MAX, e.g. 0-200)")
        })
    };
    let (min, max) = match text.split_once('-') {
        Some((min, max)) => (number(min)?, number(max)?),
        None => {
            let fixed = number(text)?;
            (fixed, fixed)
        }
    };
    if max < min {
        return Err(format!(
            "the maximum {max} ms is below the minimum {min} ms"
        ));
    }
    Ok((min, max))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut builder = Sim::builder().port(args.port);
    if let Some(ms) = args.nodana_start_delay_ms {
        builder = builder.nodana_start_delay(Duration::from_millis(ms));
    }
    if let Some(ms) = args.nodion_deploy_delay_ms {
        builder = builder.nodion_deploy_delay(Duration::from_millis(ms));
    }
    if let Some(ms) = args.nodana_min_interval_ms {
        builder = builder.nodana_min_interval(Duration::from_millis(ms));
    }
    if let Some(ms) = args.nodana_tolerance_ms {
        builder = builder.nodana_tolerance(Duration::from_millis(ms));
    }
    if args.zero_tolerance {
        builder = builder.zero_tolerance();
    }
    if let Some((min, max)) = args.uplink_latency_ms {
        builder = builder.uplink_latency(Duration::from_millis(min), Duration::from_millis(max));
    }
    if let Some(key) = &args.nodana_key {
        builder = builder.nodana_static_key(key);
    }
    if let Some(key) = &args.nodion_key {
        builder = builder.nodion_static_key(key);
    }
    let sim = match builder.start().await {
        Ok(sim) => sim,
        Err(error) => {
            eprintln!(
                "nodal-sim: cannot listen on 127.0.0.1:{}: {error}",
                args.port
            );
            return ExitCode::FAILURE;
        }
    };

    println!("nodal-sim listening on {}", sim.addr());
    println!("Nodana base URL:        {}", sim.nodana_base_url());
    println!("Nodana key:             {}", sim.nodana_key());
    println!("Nodion base URL:        {}", sim.nodion_base_url());
    println!(
        "Nodion user key:        {}  (all scopes, no allow-list, no expiry)",
        sim.nodion_user_key()
    );
    println!("Nodion project key:     {}", sim.nodion_project_key());
    println!("Nodion default project: {}", sim.nodion_default_project());
    println!();
    print!("{}", sim.env_exports());
    println!();
    println!("Serving until Ctrl-C.");

    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("nodal-sim: cannot wait for Ctrl-C: {error}");
    }
    sim.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::parse_latency;

    #[test]
    fn latency_ranges_parse() {
        assert_eq!(parse_latency("0-200"), Ok((0, 200)));
        assert_eq!(parse_latency("50"), Ok((50, 50)));
        assert!(parse_latency("200-100").is_err());
        assert!(parse_latency("fast").unwrap_err().contains("MIN-MAX"));
    }
}
