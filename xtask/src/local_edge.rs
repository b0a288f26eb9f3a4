//! The edge running locally: workerd through `wrangler dev`, with local D1 and KV under a
//! persistence directory. Used by `cargo xtask run` and by every black-box test.

use std::fs;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use crate::tools::{node_bin, which};
use crate::wasm_app::{self, Chunks};
use crate::{root, run, Result};

/// Files of the repository served as static assets beside the Worker, as they are. The loader
/// is not among them: the build writes it with the hashed names of the widget's files.
const PUBLIC_FILES: &[(&str, &str)] = &[("index.html", "index.html"), ("edge/assets/_headers", "_headers")];

/// The loader's source; it names the widget's files as `/widget/{name}`, without the
/// directory named by their content that the build puts them in.
const LOADER: &str = "widget/loader/widget.js";

pub fn edge_dir() -> PathBuf {
    root().join("edge")
}

/// Where the Worker's static assets are gathered.
pub fn public_dir() -> PathBuf {
    edge_dir().join("build/public")
}

/// What the build reads. When none of it changed since the last build, the build is skipped:
/// `wrangler dev` runs it again on every start, and wasm-opt alone takes a minute on 2 cores.
const BUILD_INPUTS: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "edge/Cargo.toml",
    "edge/src",
    "edge/assets",
    "shared/Cargo.toml",
    "shared/src",
    "widget/Cargo.toml",
    "widget/build.rs",
    "widget/src",
    "widget/loader",
    "console/Cargo.toml",
    "console/src",
    "console/index.html",
    "index.html",
    "xtask/src/local_edge.rs",
    "xtask/src/wasm_app.rs",
    "xtask/src/wasm_module.rs",
];

/// Written after a complete build; its time says which inputs it saw.
fn build_stamp() -> PathBuf {
    edge_dir().join("build/.complete")
}

/// The newest modification time under `path` (a file or a directory).
fn newest_change(path: &Path) -> Result<std::time::SystemTime> {
    let metadata = fs::metadata(path)?;
    let mut newest = metadata.modified()?;
    if metadata.is_dir() {
        for entry in fs::read_dir(path)? {
            newest = newest.max(newest_change(&entry?.path())?);
        }
    }
    Ok(newest)
}

fn build_is_current() -> Result<bool> {
    let Ok(built) = fs::metadata(build_stamp()).and_then(|stamp| stamp.modified()) else {
        return Ok(false);
    };
    for input in BUILD_INPUTS {
        if newest_change(&root().join(input))? > built {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Builds the Worker and the widget with pinned tools and no downloads, then gathers the
/// static assets; does nothing when the last build saw the same inputs.
pub fn build() -> Result<()> {
    if build_is_current()? {
        println!("xtask: the Worker and the widget are up to date");
        return Ok(());
    }
    let _ = fs::remove_file(build_stamp());
    let edge = edge_dir();
    run(Command::new("worker-build")
        .arg("--release")
        .current_dir(&edge)
        .env("WASM_BINDGEN_BIN", which("wasm-bindgen")?)
        .env("WASM_OPT_BIN", node_bin("wasm-opt"))
        .env("ESBUILD_BIN", node_bin("esbuild")))?;
    let public = public_dir();
    fs::create_dir_all(&public)?;
    for (from, to) in PUBLIC_FILES {
        fs::copy(root().join(from), public.join(to))?;
    }
    let widget_dir = public.join("widget");
    // Files of earlier builds would stay servable under their old hashes forever.
    let _ = fs::remove_dir_all(&widget_dir);
    wasm_app::build("nimchat-widget", "nimchat_widget", &widget_dir, Chunks::Split)?;
    let console_dir = public.join("app");
    let _ = fs::remove_dir_all(&console_dir);
    wasm_app::build("nimchat-console", "nimchat_console", &console_dir, Chunks::One)?;
    fs::copy(root().join("console/index.html"), console_dir.join("index.html"))?;
    let loader = fs::read_to_string(root().join(LOADER))?;
    let built_loader = public.join("widget.js");
    fs::write(&built_loader, wasm_app::name_by_content(&widget_dir, &loader)?)?;
    wasm_app::minify(&built_loader, "iife")?;
    fs::write(build_stamp(), "")?;
    Ok(())
}

/// Serves `index.html` as `name` with `inbox_identifier` in its embed snippet.
pub fn publish_page(name: &str, inbox_identifier: &str) -> Result<()> {
    let page = fs::read_to_string(root().join("index.html"))?;
    fs::write(
        public_dir().join(name),
        page.replace("DEMO_INBOX_IDENTIFIER", inbox_identifier),
    )?;
    Ok(())
}

/// Applies every migration in `edge/migrations` to the local D1 under `persist_to`.
pub fn apply_migrations(persist_to: &Path) -> Result<()> {
    for database in DATABASES {
        let mut command = migrations_command(database);
        command
            .args(["--local", "--persist-to"])
            .arg(persist_to)
            .stdout(Stdio::null());
        run(&mut command)?;
    }
    for (index, shard) in DATABASES[1..].iter().enumerate() {
        let mut command = spacing_command(shard, index);
        command
            .args(["--local", "--persist-to"])
            .arg(persist_to)
            .stdout(Stdio::null());
        run(&mut command)?;
    }
    Ok(())
}

/// The deploy step: every migration to the directory and every shard of the Cloudflare
/// account wrangler is logged in to (`edge/wrangler.toml` names their ids).
pub fn apply_remote_migrations() -> Result<()> {
    for database in DATABASES {
        run(migrations_command(database).arg("--remote"))?;
    }
    for (index, shard) in DATABASES[1..].iter().enumerate() {
        run(spacing_command(shard, index).arg("--remote"))?;
    }
    Ok(())
}

/// The tables whose ids a shard numbers itself: every numbered table that moves with its
/// account (`edge/src/store/moves.rs`; a test below checks the two lists agree).
const SHARD_SEQUENCES: [&str; 19] = [
    "inboxes",
    "teams",
    "labels",
    "canned_responses",
    "custom_attribute_definitions",
    "custom_filters",
    "contacts",
    "contact_inboxes",
    "conversations",
    "messages",
    "attachments",
    "webhooks",
    "webhook_deliveries",
    "webhook_attempts",
    "automation_rules",
    "portals",
    "portal_categories",
    "portal_articles",
    "reporting_events",
];

/// Shard `index` numbers its rows from `index` x 10^12, so that an account's rows keep their
/// ids when it moves to another shard (9,000 shards fit below 2^53). Raises, never lowers.
fn spacing_command(shard: &str, index: usize) -> Command {
    let base = index as u64 * 1_000_000_000_000;
    let names = SHARD_SEQUENCES.map(|table| format!("('{table}')")).join(", ");
    let sql = format!(
        "INSERT INTO sqlite_sequence (name, seq) SELECT column1, 0 FROM (VALUES {names})
           WHERE column1 NOT IN (SELECT name FROM sqlite_sequence);
         UPDATE sqlite_sequence SET seq = {base}
           WHERE seq < {base} AND name IN (SELECT column1 FROM (VALUES {names}));"
    );
    let mut command = Command::new(node_bin("wrangler"));
    command
        .args(["d1", "execute", shard, "--command", &sql])
        .current_dir(edge_dir())
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "true");
    command
}

fn migrations_command(database: &str) -> Command {
    let mut command = Command::new(node_bin("wrangler"));
    command
        .args(["d1", "migrations", "apply", database])
        .current_dir(edge_dir())
        .env("WRANGLER_SEND_METRICS", "false")
        // Answers wrangler's confirmation prompt, which would otherwise wait for a TTY.
        .env("CI", "true");
    command
}

/// The D1 bindings of `edge/wrangler.toml`: the directory, then the shards. Every one gets
/// every migration.
pub const DATABASES: [&str; 3] = ["DIRECTORY", "SHARD_0", "SHARD_1"];

/// The demo page as browser tests see it, with their inbox; it exists from the edge's start
/// (wrangler serves no file added later).
pub const TEST_PAGE: &str = "test-page.html";

/// How `cargo xtask test` hands one running edge to every black-box suite: its URL, its
/// persistence folder (for SQL the tests run directly) and its platform token.
pub const SHARED_EDGE_URL: &str = "NIMCHAT_TEST_EDGE_URL";
pub const SHARED_EDGE_STATE: &str = "NIMCHAT_TEST_EDGE_STATE";
pub const SHARED_EDGE_TOKEN: &str = "NIMCHAT_TEST_PLATFORM_TOKEN";
pub const SHARED_EDGE_FILE_SECRET: &str = "NIMCHAT_TEST_FILE_URL_SECRET";

/// An edge for black-box tests: built, a fresh database, the test page in place.
pub struct TestEdge {
    pub edge: LocalEdge,
    pub state: PathBuf,
    pub platform_token: String,
    pub file_url_secret: String,
}

impl TestEdge {
    pub fn start() -> Result<TestEdge> {
        crate::tools::ensure_build_tools()?;
        build()?;
        publish_page(TEST_PAGE, "no-inbox-yet")?;
        let state = std::env::temp_dir().join(format!("nimchat-test-{}", crate::random_hex()?));
        apply_migrations(&state)?;
        let platform_token = crate::random_hex()?;
        let file_url_secret = crate::random_hex()?;
        let edge = LocalEdge::start(&EdgeConfig {
            port: free_port()?,
            persist_to: state.clone(),
            platform_token: platform_token.clone(),
            file_url_secret: file_url_secret.clone(),
            log: Some(state.with_extension("log")),
        })?;
        Ok(TestEdge {
            edge,
            state,
            platform_token,
            file_url_secret,
        })
    }

    /// The variables that point a test process at this edge.
    pub fn env(&self) -> [(&'static str, String); 4] {
        [
            (SHARED_EDGE_URL, self.edge.base_url.clone()),
            (SHARED_EDGE_STATE, self.state.display().to_string()),
            (SHARED_EDGE_TOKEN, self.platform_token.clone()),
            (SHARED_EDGE_FILE_SECRET, self.file_url_secret.clone()),
        ]
    }
}

pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

pub struct EdgeConfig {
    pub port: u16,
    pub persist_to: PathBuf,
    pub platform_token: String,
    /// Signs links to stored files; a new one ends every link made under the old.
    pub file_url_secret: String,
    /// Where wrangler's output goes; `None` shows it on the terminal.
    pub log: Option<PathBuf>,
}

/// New widget conversations per client address in 12 hours on a local edge (production:
/// Chatwoot's 6). Every browser on this machine, and every browser test of a run, reaches
/// the edge from the same address, so the production limit would stop a developer or a
/// test suite after six conversations.
pub const LOCAL_WIDGET_CONVERSATIONS_PER_IP: u32 = 30;

/// A running `wrangler dev`. Dropping it, or the death of this process, stops it.
pub struct LocalEdge {
    watchdog: Child,
    /// Our end of the watchdog's stdin; kept apart because `Child::wait` would close it.
    _lifeline: ChildStdin,
    pub base_url: String,
}

impl LocalEdge {
    pub fn start(config: &EdgeConfig) -> Result<LocalEdge> {
        let inspector_port = free_port()?;
        let wrangler_bin = node_bin("wrangler");
        let wrangler_command = format!(
            "{} dev --ip 127.0.0.1 --port {} --inspector-port {} --persist-to {} --var PLATFORM_TOKEN:{} \
             --var FILE_URL_SECRET:{} --var WEBHOOKS_ALLOW_PRIVATE_URLS:true \
             --var RATE_LIMIT_WIDGET_CONVERSATIONS_PER_IP:{LOCAL_WIDGET_CONVERSATIONS_PER_IP}/43200 \
             --show-interactive-dev-session=false --log-level warn --test-scheduled",
            shell_quote(&wrangler_bin),
            config.port,
            inspector_port,
            shell_quote(&config.persist_to),
            config.platform_token,
            config.file_url_secret,
        );
        let output = match &config.log {
            Some(path) => format!(" >{} 2>&1", shell_quote(path)),
            None => String::new(),
        };
        // The shell leads a process group holding wrangler and workerd. When our end of its
        // stdin closes (we exited or were killed), `cat` returns and the trap ends the group.
        let script = format!("trap 'kill 0' EXIT; {wrangler_command}{output} </dev/null & cat >/dev/null");
        let mut watchdog = Command::new("bash")
            .args(["-c", &script])
            .current_dir(edge_dir())
            .env("WRANGLER_SEND_METRICS", "false")
            // workerd's `request.cf` sample would be fetched from Cloudflare: not offline.
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .stdin(Stdio::piped())
            .process_group(0)
            .spawn()?;
        let lifeline = watchdog.stdin.take().ok_or("the watchdog has no stdin")?;
        let edge = LocalEdge {
            watchdog,
            _lifeline: lifeline,
            base_url: format!("http://127.0.0.1:{}", config.port),
        };
        edge.wait_until_healthy(Duration::from_secs(240), config.log.as_deref())?;
        Ok(edge)
    }

    fn wait_until_healthy(&self, limit: Duration, log: Option<&Path>) -> Result<()> {
        let agent = ureq::Agent::new_with_config(
            ureq::Agent::config_builder()
                .timeout_global(Some(Duration::from_secs(2)))
                .build(),
        );
        let started = Instant::now();
        while started.elapsed() < limit {
            if agent.get(format!("{}/health", self.base_url)).call().is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        let tail = log.and_then(|path| fs::read_to_string(path).ok()).unwrap_or_default();
        Err(format!(
            "wrangler dev did not answer on {} within {limit:?}\n{tail}",
            self.base_url
        )
        .into())
    }

    /// Blocks until wrangler exits (the run command waits here until Ctrl-C).
    pub fn wait(mut self) -> Result<()> {
        self.watchdog.wait()?;
        Ok(())
    }
}

impl Drop for LocalEdge {
    fn drop(&mut self) {
        let group = format!("-{}", self.watchdog.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.watchdog.wait();
    }
}

fn shell_quote(path: impl AsRef<Path>) -> String {
    format!("'{}'", path.as_ref().display().to_string().replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tables with an `AUTOINCREMENT` id among those an account's move copies.
    fn numbered_tables_of_accounts() -> Vec<String> {
        let moves = fs::read_to_string(edge_dir().join("src/store/moves.rs")).unwrap();
        let list = moves
            .split("pub const ACCOUNT_TABLES")
            .nth(1)
            .unwrap()
            .split("];")
            .next()
            .unwrap();
        // Its quoted words are the tables (the conditions beside them have spaces).
        let moved: Vec<&str> = list
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|quoted| !quoted.contains(' '))
            .collect();
        let mut numbered = Vec::new();
        for entry in fs::read_dir(edge_dir().join("migrations")).unwrap() {
            let sql = fs::read_to_string(entry.unwrap().path()).unwrap();
            let without_comments: String = sql
                .lines()
                .filter(|line| !line.trim_start().starts_with("--"))
                .map(|line| format!("{line}\n"))
                .collect();
            for statement in without_comments.split(';') {
                let Some(rest) = statement.trim_start().strip_prefix("CREATE TABLE ") else {
                    continue;
                };
                let table = rest.split_whitespace().next().unwrap().to_string();
                if statement.contains("AUTOINCREMENT") && moved.contains(&table.as_str()) {
                    numbered.push(table);
                }
            }
        }
        numbered
    }

    #[test]
    fn every_numbered_table_that_moves_is_spaced_per_shard() {
        let numbered = numbered_tables_of_accounts();
        assert!(numbered.len() >= 10, "{numbered:?}");
        for table in &numbered {
            assert!(
                SHARD_SEQUENCES.contains(&table.as_str()),
                "{table} is not spaced per shard"
            );
        }
    }
}
