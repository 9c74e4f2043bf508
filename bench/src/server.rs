//! The server under test: the optimised `imprint` binary as a child process,
//! and what can be read about it from outside (its `/metrics`, and
//! `/proc/<pid>` for CPU time and peak memory).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::process::{Child, Command};

/// The workspace the benchmark was built from.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Builds the server in the profile this benchmark was built in (`dist`,
/// as bench/README.md says, or any other: the folder it runs from names
/// it), a no-op when it is up to date, and answers its path: the binary
/// beside this one. Both packages are named so that cargo resolves the same
/// features as for this benchmark and reuses its compiled dependencies:
/// `--bin imprint` alone resolves fewer (tokio's `process`, say) and
/// rebuilds the whole tree.
pub fn build_release_server() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let profile = match exe.parent().and_then(Path::file_name) {
        Some(folder) if folder == "debug" => "dev".to_owned(),
        Some(folder) => folder.to_string_lossy().into_owned(),
        None => "dist".to_owned(),
    };
    let build = [
        "build",
        "--profile",
        &profile,
        "-p",
        "imprint",
        "-p",
        "imprint-bench",
    ];
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("building the server: cargo {}", build.join(" "));
    let status = std::process::Command::new(cargo)
        .args(build)
        .current_dir(workspace_root())
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("cargo {} failed", build.join(" "));
    }
    let beside = exe.with_file_name("imprint");
    if beside.exists() {
        return Ok(beside);
    }
    bail!("no imprint binary beside {} after the build", exe.display())
}

/// A free port on the loopback interface.
pub fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// A running server; killed when dropped.
pub struct Server {
    child: Child,
    pub pid: u32,
    pub base: String,
}

impl Server {
    pub async fn start(
        binary: &Path,
        database_url: &str,
        pool: u32,
        client: &reqwest::Client,
    ) -> anyhow::Result<Server> {
        let port = free_port()?;
        // A throw-away server on a throw-away database: any long secret,
        // the same for every server of a run so that their tokens are good
        // on each other (the live-event measurement logs in on one and
        // subscribes on another).
        let secret = format!("imprint-bench-{}", "x".repeat(40));
        let mut command = Command::new(binary);
        command
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("IMPRINT_BIND", format!("127.0.0.1:{port}"))
            .env("IMPRINT_JWT_SECRET", secret)
            .env("IMPRINT_DB_MAX_CONNECTIONS", pool.to_string())
            .env("RUST_LOG", "warn");
        Server::spawn(command, port, client).await
    }

    /// The stack floor (`crate::stack_floor`): this benchmark's own binary,
    /// serving the dashboard for `user_id`.
    pub async fn start_stack_floor(
        database_url: &str,
        pool: u32,
        user_id: i64,
        client: &reqwest::Client,
    ) -> anyhow::Result<Server> {
        let port = free_port()?;
        let mut command = Command::new(std::env::current_exe()?);
        command
            .arg("stack-floor")
            .args(["--url", database_url])
            .args(["--pool", &pool.to_string()])
            .args(["--user", &user_id.to_string()])
            .args(["--bind", &format!("127.0.0.1:{port}")]);
        Server::spawn(command, port, client).await
    }

    /// Starts `command`, listening on `port`, and waits until `/readyz` answers.
    async fn spawn(
        mut command: Command,
        port: u16,
        client: &reqwest::Client,
    ) -> anyhow::Result<Server> {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start {:?}", command.as_std().get_program()))?;
        let pid = child.id().context("the server exited at once")?;
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait()? {
                bail!("the server exited before it was ready: {status}");
            }
            if let Ok(response) = client.get(format!("{base}/readyz")).send().await
                && response.status().is_success()
            {
                break;
            }
            if started.elapsed() > Duration::from_secs(60) {
                bail!("the server was not ready within 60 s");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(Server { child, pid, base })
    }

    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.base)
    }

    /// `imprint_sql_statements_total` from `/metrics`.
    pub async fn statements(&self, client: &reqwest::Client) -> anyhow::Result<u64> {
        let text = client
            .get(format!("{}/metrics", self.base))
            .send()
            .await?
            .error_for_status()
            .context("GET /metrics failed: does this server have the endpoint?")?
            .text()
            .await?;
        text.lines()
            .find_map(|line| line.strip_prefix("imprint_sql_statements_total "))
            .and_then(|n| n.trim().parse().ok())
            .context("no imprint_sql_statements_total in /metrics")
    }

    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

/// Clock ticks per second, as `/proc/<pid>/stat` counts CPU time.
pub fn clock_ticks() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// User plus system CPU time of a process (all its threads), in ticks.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; fields resume after its ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// A line of `/proc/<pid>/status` in kB (`VmHWM`, `VmRSS`).
pub fn status_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        let value = line.strip_prefix(key)?.strip_prefix(':')?;
        value.trim().trim_end_matches("kB").trim().parse().ok()
    })
}

/// Starts a new peak-memory window: writing 5 to `clear_refs` resets
/// `VmHWM` to the current RSS. Answers whether the kernel allowed it.
pub fn reset_peak_rss(pid: u32) -> bool {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok()
}
