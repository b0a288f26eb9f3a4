//! The weight of what a visitor downloads: the loader, and the widget (wasm, JS; its CSS is
//! inside the wasm), raw, gzipped and brotli-compressed, against their gates; the agents'
//! console (reported, not gated); and the Worker's bundle.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::local_edge::public_dir;
use crate::wasm_app::{built_widget_dir, CHUNK_LOADER, WIDGET_FILES};
use crate::Result;

pub const LOADER_BUDGET_GZ: usize = 2 * 1024;
/// Issue 18's gate (aiming at 90 KB): what a visitor downloads for the chat window, its
/// module, main wasm and chunk loader. The parts few visitors meet come in a chunk, fetched
/// when the visitor first writes or one of them is first drawn.
pub const WIDGET_BUDGET_GZ: usize = 130 * 1024;
/// The widget with its chunk, 169.9 KB today (BENCHMARKS.md, Weight): kept from growing.
pub const WIDGET_WHOLE_BUDGET_GZ: usize = 172 * 1024;

/// The widget's weight: what opens the chat window, and the chunks fetched when a part few
/// visitors meet is first shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct WidgetWeight {
    pub first: Weight,
    pub chunks: Weight,
}

impl WidgetWeight {
    pub fn whole(&self) -> Weight {
        Weight {
            raw: self.first.raw + self.chunks.raw,
            gzip: self.first.gzip + self.chunks.gzip,
            brotli: self.first.brotli + self.chunks.brotli,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Weight {
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

fn weigh(paths: &[impl AsRef<Path>]) -> Result<Weight> {
    let mut weight = Weight::default();
    for path in paths {
        let path = path.as_ref();
        let bytes = fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
        let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
        gzip.write_all(&bytes)?;
        // Quality 11 and a 4 MB window: what a CDN serves for static files.
        let mut brotli = brotli::CompressorWriter::new(Vec::new(), 64 * 1024, 11, 22);
        brotli.write_all(&bytes)?;
        weight.raw += bytes.len();
        weight.gzip += gzip.finish()?.len();
        weight.brotli += brotli.into_inner().len();
    }
    Ok(weight)
}

/// The Worker as `wrangler deploy` uploads it: worker-build's JavaScript and wasm.
pub fn worker_bundle() -> Result<Weight> {
    let build = crate::local_edge::edge_dir().join("build");
    weigh(&[&build.join("index.js"), &build.join("index_bg.wasm")])
}

/// (loader, widget) as built into `edge/build/public`.
pub fn measure() -> Result<(Weight, WidgetWeight)> {
    let public = public_dir();
    let loader = weigh(&[&public.join("widget.js")])?;
    let widget = built_widget_dir()?;
    let first: Vec<PathBuf> = WIDGET_FILES
        .iter()
        .chain([&CHUNK_LOADER])
        .map(|name| widget.join(name))
        .collect();
    let mut chunks = Vec::new();
    for entry in fs::read_dir(&widget)? {
        let path = entry?.path();
        if !first.contains(&path) {
            chunks.push(path);
        }
    }
    let widget = WidgetWeight {
        first: weigh(&first)?,
        chunks: weigh(&chunks)?,
    };
    Ok((loader, widget))
}

/// The agents' console as built into `edge/build/public/app` (its page's CSS aside).
pub fn console() -> Result<Weight> {
    let app = public_dir().join("app");
    weigh(&[&app.join("nimchat_console_bg.wasm"), &app.join("nimchat_console.js")])
}

/// A Markdown table of the figures, each against its budget (the console has none).
pub fn table(loader: &Weight, widget: &WidgetWeight, console: &Weight) -> String {
    let verdict = |weight: &Weight, budget: Option<usize>| match budget {
        None => "reported".to_string(),
        Some(budget) if weight.gzip <= budget => "within budget".to_string(),
        Some(budget) => format!("MISSES the budget by {:.1} KB", (weight.gzip - budget) as f64 / 1024.0),
    };
    let row = |name: &str, weight: &Weight, budget: Option<usize>| {
        format!(
            "| {name} | {:.1} KB | {:.1} KB | {:.1} KB | {} | {} |\n",
            weight.raw as f64 / 1024.0,
            weight.gzip as f64 / 1024.0,
            weight.brotli as f64 / 1024.0,
            budget.map_or("-".to_string(), |budget| format!("{:.0} KB", budget as f64 / 1024.0)),
            verdict(weight, budget)
        )
    };
    [
        "| what | raw | gzip -9 | brotli 11 | budget (gzip) | |\n|---|---|---|---|---|---|\n".to_string(),
        row("loader `widget.js`", loader, Some(LOADER_BUDGET_GZ)),
        row(
            "widget for the chat window (wasm after `wasm-opt -Oz`, JS, chunk loader)",
            &widget.first,
            Some(WIDGET_BUDGET_GZ),
        ),
        row(
            "widget's chunk of parts (Markdown, files, survey, forms), fetched when the visitor writes or a part shows",
            &widget.chunks,
            None,
        ),
        row("widget, whole", &widget.whole(), Some(WIDGET_WHOLE_BUDGET_GZ)),
        row("agents' console `/app/` (wasm after `wasm-opt -Oz`, JS)", console, None),
    ]
    .concat()
}

/// Fails when the loader or the widget is over its budget.
pub fn check_budgets() -> Result<()> {
    let (loader, widget) = measure()?;
    print!("{}", table(&loader, &widget, &console()?));
    for (name, weight, budget) in [
        ("loader", loader, LOADER_BUDGET_GZ),
        ("widget for the chat window", widget.first, WIDGET_BUDGET_GZ),
        ("whole widget", widget.whole(), WIDGET_WHOLE_BUDGET_GZ),
    ] {
        if weight.gzip > budget {
            return Err(format!("the {name} is {} bytes gzipped, over its {budget}", weight.gzip).into());
        }
    }
    Ok(())
}
