//! Progress on long work, on a terminal and off it: an indicatif bar when stderr is a
//! terminal; otherwise one plain line on stderr at most every [`LINE_EVERY`], so short
//! runs print nothing and logs of long ones show that work goes on.
//!
//! `RELUCERT_PROGRESS=0` in the environment switches every progress report off (bar and
//! lines), for scripts and test harnesses that want stderr to carry only diagnostics.
//! Nothing else depends on it: results, exit codes and files are the same either way.

use super::output::errln;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How often a plain progress line is printed off a terminal.
pub const LINE_EVERY: Duration = Duration::from_secs(5);

/// The environment variable that switches progress off when set to `0`.
pub const PROGRESS_ENV: &str = "RELUCERT_PROGRESS";

/// Whether progress is shown at all (`RELUCERT_PROGRESS` is not `0`).
fn enabled() -> bool {
    std::env::var_os(PROGRESS_ENV).is_none_or(|v| v != "0")
}

/// A progress report of `done / total` items of some work.
pub struct Progress {
    /// Off when `RELUCERT_PROGRESS=0`: neither a bar nor plain lines.
    enabled: bool,
    bar: Option<ProgressBar>,
    what: String,
    state: Mutex<LineState>,
}

struct LineState {
    done: u64,
    total: u64,
    start: Instant,
    last: Instant,
}

impl Progress {
    /// Start reporting `total` items of `what` (`total` may be set later).
    pub fn new(total: u64, what: &str) -> Progress {
        let enabled = enabled();
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let pb = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(&format!(
                "{what} [{{bar:32}}] {{pos}}/{{len}} {{msg}} ({{elapsed}}, eta {{eta}})"
            ))
            .expect("a valid template")
            .progress_chars("=> ");
            pb.set_style(style);
            pb
        });
        let now = Instant::now();
        Progress {
            enabled,
            bar,
            what: what.to_string(),
            state: Mutex::new(LineState {
                done: 0,
                total,
                start: now,
                last: now,
            }),
        }
    }

    /// Set the number of items.
    pub fn set_total(&self, total: u64) {
        if let Some(b) = &self.bar {
            b.set_length(total);
        }
        if let Ok(mut s) = self.state.lock() {
            s.total = total;
        }
    }

    /// One more item done; `msg` says which (shown on a terminal, and in plain lines).
    pub fn inc(&self, msg: &str) {
        if let Some(b) = &self.bar {
            b.set_message(msg.to_string());
            b.inc(1);
        }
        if let Ok(mut s) = self.state.lock() {
            s.done += 1;
            let now = Instant::now();
            if self.enabled && self.bar.is_none() && now.duration_since(s.last) >= LINE_EVERY {
                s.last = now;
                errln!(
                    "relucert: {}: {}/{} done ({:.0} s){}",
                    self.what,
                    s.done,
                    s.total,
                    now.duration_since(s.start).as_secs_f64(),
                    if msg.is_empty() {
                        String::new()
                    } else {
                        format!(", last: {msg}")
                    }
                );
            }
        }
    }

    /// Remove the bar (plain lines need no clean-up).
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
