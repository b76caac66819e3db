//! Draws the SVG charts beside `benches/RESULTS.md` from the measured figures committed under
//! `benches/data/` (formats in `benches/data/README.md`):
//!
//! ```text
//! cargo run -p alicloud-benches --bin charts
//! ```
//!
//! - `call_cost.svg` from `e2e.json` (`--bin e2e -- --json benches/data/e2e.json`): CPU per
//!   call split into the transport floor, what our transport adds, and the client's own work,
//!   for both transports; the official Python SDK figure of issue 14 (the peer) is in the
//!   title, as its bar would be ten times longer than ours;
//! - `compile_cost.svg` from `compile_cost.json` (`cargo xtask compile-cost`): clean-build CPU
//!   per operation of each selection;
//! - `codegen_scale.svg` from `codegen_scale.json`: generator time and peak memory against the
//!   number of operations of a synthetic product.
//!
//! A missing input file skips its chart with a note; a malformed one is an error naming the
//! file and the field.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use alicloud_benches::charts::{bar_chart, log_line_chart, number, Bar, Segment, Series, PALETTE};
use serde_json::Value;

fn field<'a>(file: &Path, v: &'a Value, path: &str) -> Result<&'a Value, String> {
    let mut at = v;
    for part in path.split('.') {
        at = at.get(part).ok_or_else(|| {
            format!(
                "{}: field `{path}` is missing (see benches/data/README.md for the format)",
                file.display()
            )
        })?;
    }
    Ok(at)
}

fn f64_field(file: &Path, v: &Value, path: &str) -> Result<f64, String> {
    field(file, v, path)?.as_f64().ok_or_else(|| {
        format!(
            "{}: field `{path}` must be a number (see benches/data/README.md)",
            file.display()
        )
    })
}

fn read(file: &Path) -> Result<Option<Value>, String> {
    match std::fs::read_to_string(file) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{}: not valid JSON: {e}", file.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", file.display())),
    }
}

fn seg(name: &str, value: f64, color: &'static str) -> Segment {
    Segment {
        name: name.into(),
        value: value.max(0.0),
        color,
    }
}

fn call_cost(file: &Path, v: &Value) -> Result<String, String> {
    let cpu = |name: &str| f64_field(file, v, &format!("figures.{name}.cpu_us"));
    let python = field(file, v, "python_sdk_us")?
        .as_array()
        .filter(|a| a.len() == 2)
        .and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)))
        .ok_or_else(|| {
            format!(
                "{}: field `python_sdk_us` must be [low, high]",
                file.display()
            )
        })?;
    let mut bars = Vec::new();
    for (kind, label) in [
        ("hyper", "ours, hyper (default)"),
        ("reqwest", "ours, reqwest"),
    ] {
        let ours = cpu(&format!("ours/{kind}"))?;
        let transport = cpu(&format!("transport/{kind}"))?;
        let floor = cpu(&format!("floor/{kind}"))?;
        bars.push(Bar {
            label: label.into(),
            segments: vec![
                seg("transport floor (bare hyper / reqwest)", floor, PALETTE[0]),
                seg("our transport on top", transport - floor, PALETTE[1]),
                seg(
                    "client (build, validate, encode, sign, decode)",
                    ours - transport,
                    PALETTE[2],
                ),
            ],
            note: Some(format!(
                "{} µs ({}× its floor)",
                number(ours),
                number(ours / floor)
            )),
        });
    }
    // The peer is an order of magnitude off this scale: it is named, not drawn.
    Ok(bar_chart(
        &format!(
            "Client CPU per ModifyVpnConnectionAttribute call, loopback (official Python SDK: {}–{} µs)",
            number(python.0),
            number(python.1)
        ),
        "µs of CPU per call",
        &bars,
    ))
}

fn compile_cost(file: &Path, v: &Value) -> Result<String, String> {
    let rows = field(file, v, "rows")?
        .as_array()
        .ok_or_else(|| format!("{}: field `rows` must be a list", file.display()))?;
    let mut bars = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let at = |f: &str| format!("rows.{i}.{f}");
        let text = |f: &str| {
            row.get(f)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{}: field `{}` must be a string", file.display(), at(f)))
        };
        let ops = row
            .get("operations")
            .and_then(Value::as_f64)
            .ok_or_else(|| {
                format!(
                    "{}: field `{}` must be a number",
                    file.display(),
                    at("operations")
                )
            })?;
        let cpu = row.get("cpu_s").and_then(Value::as_f64).ok_or_else(|| {
            format!(
                "{}: field `{}` must be a number",
                file.display(),
                at("cpu_s")
            )
        })?;
        let profile = text("profile")?;
        bars.push(Bar {
            label: format!("{} ({profile})", text("selection")?),
            segments: vec![seg(
                &format!("{profile} build"),
                cpu * 1000.0 / ops,
                if profile == "debug" {
                    PALETTE[0]
                } else {
                    PALETTE[1]
                },
            )],
            note: Some(format!(
                "{} ms/op ({} ops, {} s)",
                number(cpu * 1000.0 / ops),
                number(ops),
                number(cpu)
            )),
        });
    }
    Ok(bar_chart(
        "Clean build of generated code: CPU per operation",
        "ms of CPU (user + system) per operation",
        &bars,
    ))
}

fn codegen_scale(file: &Path, v: &Value) -> Result<String, String> {
    let points = field(file, v, "points")?
        .as_array()
        .ok_or_else(|| format!("{}: field `points` must be a list", file.display()))?;
    let mut time = Vec::new();
    let mut memory = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let num = |f: &str| {
            p.get(f).and_then(Value::as_f64).ok_or_else(|| {
                format!(
                    "{}: field `points.{i}.{f}` must be a number",
                    file.display()
                )
            })
        };
        let ops = num("operations")?;
        time.push((ops, num("cpu_s")?));
        memory.push((ops, num("peak_rss_mib")?));
    }
    Ok(log_line_chart(
        "Generator: time and peak memory against operations (synthetic product)",
        "operations",
        "CPU seconds / MiB",
        &[
            Series {
                name: "time (CPU s)".into(),
                color: PALETTE[0],
                points: time,
            },
            Series {
                name: "peak memory (MiB)".into(),
                color: PALETTE[1],
                points: memory,
            },
        ],
    ))
}

type Draw = fn(&Path, &Value) -> Result<String, String>;

fn main() -> ExitCode {
    let benches = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let data = benches.join("data");
    let charts: [(&str, &str, Draw); 3] = [
        ("e2e.json", "call_cost.svg", call_cost),
        ("compile_cost.json", "compile_cost.svg", compile_cost),
        ("codegen_scale.json", "codegen_scale.svg", codegen_scale),
    ];
    let mut failed = false;
    for (input, output, draw) in charts {
        let file = data.join(input);
        let result = read(&file).and_then(|v| match v {
            None => Ok(None),
            Some(v) => draw(&file, &v).map(Some),
        });
        match result {
            Ok(Some(svg)) => {
                let out = benches.join(output);
                if let Err(e) = std::fs::write(&out, svg) {
                    eprintln!("{}: {e}", out.display());
                    failed = true;
                } else {
                    println!("wrote {}", out.display());
                }
            }
            Ok(None) => println!("{} is missing: {output} not drawn", file.display()),
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
