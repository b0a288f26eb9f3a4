//! `cargo xtask bench`: nimchat's weight and speed, measured on this machine against a local
//! edge (real workerd, D1 and Durable Objects through `wrangler dev`) on loopback, printed and
//! written to BENCHMARKS.md. Every part is bounded in count and time.

mod fanout;
mod growth;
mod load;
mod page;
mod reports;
mod stats;

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use nimchat_tests::spawn_app;
use xtask::sizes::{self, Weight, LOADER_BUDGET_GZ, WIDGET_BUDGET_GZ};

use crate::stats::Summary;

/// create-message p99 under 16 clients may be at most this many times the trivial route's.
const LATENCY_RATIO_BUDGET: f64 = 5.0;

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

/// This machine, as the figures should be read.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |cores| cores.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.trim().trim_end_matches(" kB").parse::<f64>().ok())
        .map_or("unknown memory".into(), |kilobytes| {
            format!("{:.1} GB RAM", kilobytes / 1024.0 / 1024.0)
        });
    format!("{cores} cores of {model}, {memory}, {}", std::env::consts::ARCH)
}

fn today() -> String {
    let output = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output();
    output
        .ok()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .unwrap_or_default()
}

fn weight_section(report: &mut String, misses: &mut Vec<String>) -> xtask::Result<()> {
    let (loader, widget) = sizes::measure()?;
    let worker = sizes::worker_bundle()?;
    let row = |what: &str, weight: &Weight, budget: &str| {
        format!(
            "| {what} | {} | {} | {} | {budget} |\n",
            kb(weight.raw),
            kb(weight.gzip),
            kb(weight.brotli)
        )
    };
    report.push_str("### 1. Weight\n\n| what | raw | gzip -9 | brotli 11 | budget |\n|---|---|---|---|---|\n");
    report.push_str(&row("loader `widget.js`", &loader, "2 KB gz"));
    report.push_str(&row(
        "widget for the chat window: wasm (`wasm-opt -Oz`) + JS + chunk loader; CSS is inside the wasm",
        &widget.first,
        "130 KB gz",
    ));
    report.push_str(&row(
        "widget's chunk of parts (Markdown, files, survey, forms), fetched when the visitor writes or a part shows",
        &widget.chunks,
        "-",
    ));
    report.push_str(&row("agents' console `/app/` (wasm + JS)", &sizes::console()?, "-"));
    report.push_str(&row("Worker bundle (JS + wasm, as uploaded)", &worker, "-"));
    report.push_str(
        "\nPeers (published figures, gzip): Chatwoot `sdk.js` 9.6 KB plus about 410 KB loaded eagerly in its \
         iframe and about 660 KB for the open chat view; Crisp about 130 KB; Intercom and Zendesk 180 KB or more. \
         nimchat loads only the loader until the visitor hovers or clicks.\n\n",
    );
    if loader.gzip > LOADER_BUDGET_GZ {
        misses.push(format!("loader {} gz over 2 KB", kb(loader.gzip)));
    }
    if widget.first.gzip > WIDGET_BUDGET_GZ {
        misses.push(format!(
            "widget {} gz over 130 KB: Leptos's generic view code dominates (see Weight below)",
            kb(widget.first.gzip)
        ));
    }
    Ok(())
}

fn page_section(report: &mut String, page: &page::PageCost) {
    let _ = write!(
        report,
        "### 2. Page cost (headless Chromium, demo page, loopback)\n\n| what | figure |\n|---|---|\n\
         | requests to the edge before interaction (page + loader) | {} |\n\
         | bytes transferred before interaction | {} |\n\
         | long tasks before interaction | {} |\n\
         | total blocking time before interaction | {:.0} ms |\n\
         | long tasks from the click to the open window (first cold load) | {} |\n\
         | blocking time from the click to the open window | {:.0} ms |\n\
         | click to interactive window, cold cache (median of {}) | {:.0} ms |\n\
         | agent reply (HTTP request sent) to text in the visitor's DOM (median of {}) | {:.0} ms |\n\
         | returning visitor, second page view, window opened: widget files used / fetched from the network | {} / {} |\n\
         | returning visitor: bytes of widget files transferred | {} |\n\
         | returning visitor: Client API requests (inbox, conversation) | {} |\n\n\
         Within five minutes of the first view the loader is not even revalidated; after that it \
         is revalidated by its ETag (a 304 without a body). The module and the wasm carry a hash \
         of their content in their names and are cached for a year.\n\n",
        page.requests_before_interaction,
        kb(page.bytes_before_interaction as usize),
        page.long_tasks_before_interaction,
        page.blocking_ms_before_interaction,
        page.long_tasks_opening,
        page.blocking_ms_opening,
        page.click_to_interactive_ms.len(),
        median(&page.click_to_interactive_ms),
        page.reply_to_dom_ms.len(),
        median(&page.reply_to_dom_ms),
        page.returning_static_files,
        page.returning_static_fetched,
        kb(page.returning_static_bytes as usize),
        page.returning_api_requests,
    );
    if !page.long_tasks_observable {
        report.push_str(
            "Long tasks could not be observed in this browser (a 120 ms probe task went unseen): \
             read their counts as unknown.\n\n",
        );
    }
}

fn load_section(report: &mut String, misses: &mut Vec<String>, routes: &[load::RouteLoad]) {
    report.push_str(
        "### 3. Edge under load (wrangler dev on loopback, client on the same cores)\n\n\
         | route | clients | requests | failed | p50 | p95 | p99 | throughput | p99 / trivial p99 |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    let trivial: Vec<(usize, Summary)> = routes.first().map(|route| route.runs.clone()).unwrap_or_default();
    for route in routes {
        for (clients, summary) in &route.runs {
            let ceiling = trivial
                .iter()
                .find(|(c, _)| c == clients)
                .map_or(f64::NAN, |(_, s)| s.p99);
            let _ = writeln!(
                report,
                "| {} | {clients} | {} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.0}/s | {:.1}x |",
                route.route,
                summary.count,
                summary.failures,
                summary.p50,
                summary.p95,
                summary.p99,
                summary.throughput,
                summary.p99 / ceiling
            );
        }
    }
    if let (Some(create), Some((_, ceiling))) = (
        routes.iter().find(|route| route.route == "create message"),
        trivial.iter().find(|(clients, _)| *clients == 16),
    ) {
        if let Some((_, summary)) = create.runs.iter().find(|(clients, _)| *clients == 16) {
            let ratio = summary.p99 / ceiling.p99;
            let _ = writeln!(
                report,
                "\ncreate-message p99 under 16 clients is {ratio:.1}x the trivial route's (budget {LATENCY_RATIO_BUDGET}x)."
            );
            if ratio.is_nan() || ratio > LATENCY_RATIO_BUDGET {
                misses.push(format!(
                    "create-message p99 at 16 clients is {ratio:.1}x the trivial route's: each write is a D1 \
                     round trip plus the awaited publish to two Durable Objects, against a route that does no I/O"
                ));
            }
        }
    }
    report.push('\n');
}

fn fanout_section(report: &mut String, misses: &mut Vec<String>, fan_out: &fanout::FanOut) {
    let _ = write!(
        report,
        "### 4. Fan-out ({} visitor and {} agent sockets)\n\n| what | figure |\n|---|---|\n\
         | sockets subscribed | {} of {} |\n| replies sent | {} |\n| deliveries due (its visitor and every agent, of the subscribed sockets) | {} |\n\
         | delivered | {} |\n| lost | {} |\n| duplicated | {} |\n| delivered to the wrong visitor | {} |\n\
         | latency p50 (reply request sent to socket receipt) | {:.0} ms |\n| latency p99 | {:.0} ms |\n\n",
        fanout::VISITORS,
        fanout::AGENTS,
        fan_out.sockets_subscribed,
        fanout::VISITORS + fanout::AGENTS,
        fan_out.replies,
        fan_out.expected,
        fan_out.delivered,
        fan_out.lost,
        fan_out.duplicated,
        fan_out.misdelivered,
        fan_out.latency.p50,
        fan_out.latency.p99,
    );
    let sockets = fanout::VISITORS + fanout::AGENTS;
    if fan_out.lost + fan_out.duplicated + fan_out.misdelivered > 0 || fan_out.sockets_subscribed < sockets {
        misses.push(format!(
            "fan-out lost {} and duplicated {} of {} deliveries ({} of {} sockets subscribed)",
            fan_out.lost, fan_out.duplicated, fan_out.expected, fan_out.sockets_subscribed, sockets
        ));
    }
}

fn growth_section(report: &mut String, growth: &growth::Growth) {
    report.push_str(
        "### 5. Cost growth (one client, 60 requests each)\n\n\
         The account's shard filled to 100,000 messages; the last columns are an account on the \
         other shard meanwhile (docs/architecture.md, storage).\n\n\
         | request | p50 with 1,000 messages | p50 with 100,000 | p99 with 1,000 | p99 with 100,000 | | \
         p50 on the other shard | p99 on the other shard |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for (what, small, large, beside) in &growth.rows {
        let verdict = if large.p50 <= small.p50 * 1.5 + 1.0 {
            "flat"
        } else {
            "grows"
        };
        let _ = writeln!(
            report,
            "| {what} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {verdict} | {:.1} ms | {:.1} ms |",
            small.p50, large.p50, small.p99, large.p99, beside.p50, beside.p99
        );
    }
    report.push('\n');
}

fn reports_section(report: &mut String, rows: &[(String, Summary)]) {
    let _ = write!(
        report,
        "### 6. Reports over {} conversations (one client, 60 requests each)\n\n\
         One account's year: each conversation with a visitor message and a reply, half resolved, \
         a tenth labelled; 200,000 messages and 150,000 recorded events.\n\n\
         | report | p50 | p95 | p99 | failed |\n|---|---|---|---|---|\n",
        reports::CONVERSATIONS
    );
    for (what, timings) in rows {
        let _ = writeln!(
            report,
            "| {what} | {:.1} ms | {:.1} ms | {:.1} ms | {} |",
            timings.p50, timings.p95, timings.p99, timings.failures
        );
    }
    report.push('\n');
}

fn run() -> xtask::Result<()> {
    let started = Instant::now();
    let app = spawn_app();
    let mut report = String::new();
    let mut misses = Vec::new();
    let _ = writeln!(
        report,
        "Run of `cargo xtask bench` on {}, {}. Everything ran on this one machine: the edge in \
         `wrangler dev` (workerd, local D1 and Durable Objects), the clients, and headless Chromium.\n",
        today(),
        machine()
    );
    weight_section(&mut report, &mut misses)?;
    println!("bench: page cost");
    page_section(&mut report, &page::measure(app));
    println!("bench: load");
    load_section(&mut report, &mut misses, &load::measure(app));
    println!("bench: fan-out");
    fanout_section(&mut report, &mut misses, &fanout::measure(app));
    println!("bench: cost growth");
    growth_section(&mut report, &growth::measure(app));
    println!("bench: reports");
    reports_section(&mut report, &reports::measure(app));
    report.push_str("### Budgets missed\n\n");
    if misses.is_empty() {
        report.push_str("None.\n");
    }
    for miss in &misses {
        let _ = writeln!(report, "- {miss}");
    }
    let _ = writeln!(report, "\nThe run took {:.0} s.", started.elapsed().as_secs_f64());
    print!("{report}");
    let path = xtask::root().join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&path)?;
    let (start, end) = ("<!-- bench:start -->", "<!-- bench:end -->");
    let (Some(from), Some(to)) = (text.find(start), text.find(end)) else {
        return Err("BENCHMARKS.md has no bench markers".into());
    };
    let updated = format!("{}{start}\n{report}{}", &text[..from], &text[to..]);
    std::fs::write(&path, updated)?;
    println!("bench: written to {}", path.display());
    Ok(())
}

fn main() -> ExitCode {
    // The harness's clients panic on a silent edge; the bench counts those as failures, so one
    // line each is enough.
    std::panic::set_hook(Box::new(|info| eprintln!("bench: {info}")));
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench: {error}");
            ExitCode::FAILURE
        }
    }
}
