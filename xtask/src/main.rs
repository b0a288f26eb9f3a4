//! `cargo xtask run`: the product on 127.0.0.1 with a demo account.
//! `cargo xtask test`: every check and test, as CI runs them.
//! `cargo xtask bench`: weight, page cost, load, fan-out and cost growth, into BENCHMARKS.md.
//! `cargo xtask build-edge`: the Worker and its static files.

mod demo;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use xtask::local_edge::{self, EdgeConfig, LocalEdge};
use xtask::{root, run, sizes, tools, Result};

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = match command.as_str() {
        "run" => run_product(),
        "test" => test_everything(),
        "build-edge" => tools::ensure_build_tools().and_then(|()| local_edge::build()),
        "bench" => bench(),
        "sizes" => record_sizes(),
        "migrate-remote" => tools::ensure_build_tools().and_then(|()| local_edge::apply_remote_migrations()),
        _ => {
            eprintln!("usage: cargo xtask <run | test | bench | build-edge | sizes | migrate-remote>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask {command}: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run_product() -> Result<()> {
    tools::ensure_build_tools()?;
    local_edge::build()?;
    let state = local_edge::edge_dir().join(".wrangler/state");
    local_edge::apply_migrations(&state)?;
    let port = std::env::var("NIMCHAT_PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(8787);
    let platform_token = demo::local_secret("PLATFORM_TOKEN")?;
    // Webhooks to this machine (a receiver on localhost) are allowed locally (contract 7.1).
    demo::local_var("WEBHOOKS_ALLOW_PRIVATE_URLS", "true".into())?;
    let edge = LocalEdge::start(&EdgeConfig {
        port,
        persist_to: state,
        platform_token: platform_token.clone(),
        file_url_secret: demo::local_secret("FILE_URL_SECRET")?,
        log: None,
    })?;
    let demo = demo::ensure(&edge.base_url, &platform_token)?;
    demo::publish_page(&demo)?;
    demo::print(&edge.base_url, &platform_token, &demo);
    edge.wait()
}

fn test_everything() -> Result<()> {
    tools::ensure_build_tools()?;
    tools::ensure_test_tools()?;
    tools::ensure_browser()?;
    let cargo = || {
        let mut command = Command::new("cargo");
        command.current_dir(root());
        command
    };
    step("formatting", cargo().args(["fmt", "--all", "--check"]))?;
    step(
        "lints",
        cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
    )?;
    step(
        "unit tests",
        cargo().args(["test", "--workspace", "--exclude", "nimchat-tests"]),
    )?;
    // The widget's component tests in headless Chromium, offline: the installed
    // wasm-bindgen-cli and Debian's ChromeDriver (README, Widget tests).
    let widget_tests = || {
        let mut command = Command::new("wasm-pack");
        command
            .args([
                "test",
                "--headless",
                "--chrome",
                "--chromedriver",
                "/usr/bin/chromedriver",
            ])
            .args(["--mode", "no-install", "widget"])
            .current_dir(root())
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
        command
    };
    // wasm-bindgen-test-runner gives ChromeDriver a few seconds to listen and kills it after
    // ("driver failed to bind port during startup"), which a busy machine often exceeds:
    // two more tries. A failing test fails all three.
    step("widget tests in headless Chromium", &mut widget_tests())
        .or_else(|_| {
            step(
                "widget tests, again (ChromeDriver may have started too slowly)",
                &mut widget_tests(),
            )
        })
        .or_else(|_| step("widget tests, a last time", &mut widget_tests()))?;
    println!("xtask: building the edge and the widget");
    local_edge::build()?;
    println!("xtask: size budgets");
    sizes::check_budgets()?;
    // One edge for every black-box suite (api, storage, browser), started once.
    println!("xtask: starting the edge for the black-box tests");
    let edge = local_edge::TestEdge::start()?;
    step(
        "black-box tests against one wrangler dev",
        cargo().args(["test", "-p", "nimchat-tests"]).envs(edge.env()),
    )
}

/// The benchmark program of the black-box crate, which starts its own edge. Unoptimised like
/// the tests, so that it shares their build: the edge, not the client, is what it measures.
fn bench() -> Result<()> {
    tools::ensure_build_tools()?;
    tools::ensure_browser()?;
    run(Command::new("cargo")
        .args(["run", "-p", "nimchat-tests", "--bin", "bench"])
        .current_dir(root()))
}

/// Builds, measures the widget's weight and writes it into BENCHMARKS.md.
fn record_sizes() -> Result<()> {
    tools::ensure_build_tools()?;
    local_edge::build()?;
    let (loader, widget) = sizes::measure()?;
    let table = sizes::table(&loader, &widget, &sizes::console()?);
    print!("{table}");
    let path = root().join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&path)?;
    let (start, end) = ("<!-- sizes:start -->", "<!-- sizes:end -->");
    let (Some(from), Some(to)) = (text.find(start), text.find(end)) else {
        return Err("BENCHMARKS.md has no sizes markers".into());
    };
    let machine = format!(
        "{} cores, {}",
        std::thread::available_parallelism().map_or(0, usize::from),
        std::env::consts::ARCH
    );
    let measured = format!(
        "{start}
Measured by `cargo xtask sizes` on {machine}.

{table}"
    );
    std::fs::write(&path, format!("{}{measured}{}", &text[..from], &text[to..]))?;
    Ok(())
}

fn step(name: &str, command: &mut Command) -> Result<()> {
    println!("xtask: {name}");
    run(command)
}

/// Where the run command keeps what it made for the demo.
fn demo_file() -> PathBuf {
    local_edge::edge_dir().join(".wrangler/demo.json")
}
