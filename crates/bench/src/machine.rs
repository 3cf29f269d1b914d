//! What the figures were measured on: CPU, cores, memory, OS, compiler, build profile.

use serde::Serialize;
use std::process::Command;

/// The machine and build, as far as they can be read (unknown parts say `unknown`).
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// CPU model name.
    pub cpu: String,
    /// Logical cores available to the process.
    pub cores: usize,
    /// Total memory, GiB.
    pub memory_gib: Option<f64>,
    /// Operating system.
    pub os: String,
    /// `rustc --version`.
    pub rustc: String,
    /// `release` or `debug`.
    pub profile: &'static str,
}

impl Machine {
    /// Reads `/proc/cpuinfo`, `/proc/meminfo`, `/etc/os-release` and `rustc --version`.
    pub fn detect() -> Machine {
        let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
        Machine {
            cpu: cpu_model(&read("/proc/cpuinfo")).unwrap_or_else(|| "unknown".into()),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gib: memory_kib(&read("/proc/meminfo")).map(|kib| kib as f64 / 1024.0 / 1024.0),
            os: os_name(&read("/etc/os-release"))
                .unwrap_or_else(|| std::env::consts::OS.to_owned()),
            rustc: rustc_version().unwrap_or_else(|| "unknown".into()),
            profile: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
        }
    }

    /// One line for the report's header.
    pub fn describe(&self) -> String {
        let memory = self
            .memory_gib
            .map_or_else(|| "? GiB".to_owned(), |gib| format!("{gib:.1} GiB"));
        format!(
            "{}, {} cores, {memory} RAM, {}, {}, {} build",
            self.cpu, self.cores, self.os, self.rustc, self.profile
        )
    }
}

/// The first `model name` of `/proc/cpuinfo`.
pub fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo
        .lines()
        .find(|line| line.starts_with("model name"))
        .and_then(|line| line.split_once(':'))
        .map(|(_, model)| model.trim().to_owned())
}

/// `MemTotal` of `/proc/meminfo`, KiB.
pub fn memory_kib(meminfo: &str) -> Option<u64> {
    meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
}

/// `PRETTY_NAME` of `/etc/os-release`.
pub fn os_name(os_release: &str) -> Option<String> {
    os_release
        .lines()
        .find_map(|line| line.strip_prefix("PRETTY_NAME="))
        .map(|name| name.trim_matches('"').to_owned())
}

fn rustc_version() -> Option<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(rustc).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_files() {
        let cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: x\n";
        assert_eq!(cpu_model(cpuinfo).as_deref(), Some("AMD EPYC 7B13"));
        assert_eq!(
            memory_kib("MemTotal:       25165824 kB\nMemFree: 1 kB\n"),
            Some(25165824)
        );
        assert_eq!(
            os_name("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\n").as_deref(),
            Some("Debian GNU/Linux 13 (trixie)")
        );
        assert_eq!(cpu_model(""), None);
        assert_eq!(memory_kib("MemTotal: lots"), None);
    }

    #[test]
    fn describe_names_every_part() {
        let machine = Machine {
            cpu: "CPU X".into(),
            cores: 2,
            memory_gib: Some(24.0),
            os: "Linux".into(),
            rustc: "rustc 1.95.0".into(),
            profile: "release",
        };
        assert_eq!(
            machine.describe(),
            "CPU X, 2 cores, 24.0 GiB RAM, Linux, rustc 1.95.0, release build"
        );
    }
}
