//! The progress line of `seventime list --all`.

use std::io::IsTerminal;
use std::time::Instant;

use serde_json::Value;

use seventime::Page;

/// A one-line progress display on stderr for `--all`, only when stderr is a terminal.
pub(super) struct Progress {
    enabled: bool,
    started: Instant,
    records: u64,
}

impl Progress {
    pub(super) fn new(wanted: bool) -> Self {
        Self {
            enabled: wanted && std::io::stderr().is_terminal(),
            started: Instant::now(),
            records: 0,
        }
    }

    pub(super) fn page(&mut self, page: &Page<Value>) {
        self.records += page.items.len() as u64;
        if !self.enabled {
            return;
        }
        let total_pages = page.total_pages.max(page.number);
        let fraction = page.number as f64 / total_pages.max(1) as f64;
        let elapsed = self.started.elapsed().as_secs_f64();
        let eta = if fraction > 0.0 && fraction < 1.0 {
            format!(" · about {:.0} s left", elapsed / fraction - elapsed)
        } else {
            String::new()
        };
        let width = 24usize;
        let filled = ((fraction * width as f64).round() as usize).min(width);
        eprint!(
            "\r[{}{}] page {}/{} · {}/{} records{eta}\x1b[K",
            "#".repeat(filled),
            " ".repeat(width - filled),
            page.number,
            total_pages,
            self.records,
            page.total_records,
        );
    }

    pub(super) fn clear(&self) {
        if self.enabled {
            eprint!("\r\x1b[K");
        }
    }
}
