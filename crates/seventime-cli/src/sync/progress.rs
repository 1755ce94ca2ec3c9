//! What `seventime sync` shows while it runs: on a terminal, a bar per resource being read
//! (records, pages, rate) redrawn in place, with a line for each resource as it finishes;
//! elsewhere (a pipe, a log, CI) only the finished lines.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use seventime_sync::{Event, ResourceSummary};

/// Cells of a bar.
const BAR_WIDTH: usize = 20;

/// The progress of a run, fed by the mirror's events.
pub(super) struct Progress {
    terminal: bool,
    quiet: bool,
    state: Mutex<Board>,
}

/// The resources being read, in the order they began, and how many lines are drawn.
#[derive(Default)]
struct Board {
    active: Vec<Reading>,
    drawn: usize,
}

/// One resource being read.
struct Reading {
    resource: &'static str,
    started: Instant,
    fetched: u64,
    pages: u64,
    /// The count of the first page's request: the whole list for a full pass or the records
    /// since the cursor for an incremental read. A list read per parent counts one parent's
    /// records, so when more arrive than it said, the bar gives way to the count alone.
    total: Option<u64>,
}

impl Progress {
    /// Progress on stderr; nothing when not `wanted` (`-q`).
    pub(super) fn new(wanted: bool) -> Self {
        Self {
            terminal: wanted && std::io::stderr().is_terminal(),
            quiet: !wanted,
            state: Mutex::new(Board::default()),
        }
    }

    /// Takes in one event of the run.
    pub(super) fn event(&self, event: &Event) {
        if self.quiet {
            return;
        }
        let mut board = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = String::new();
        match event {
            Event::Started { resource, .. } => {
                board.active.push(Reading {
                    resource,
                    started: Instant::now(),
                    fetched: 0,
                    pages: 0,
                    total: None,
                });
            }
            Event::Page {
                resource,
                fetched,
                total_records,
                ..
            } => {
                if let Some(reading) = board.active.iter_mut().find(|r| r.resource == *resource) {
                    reading.fetched = *fetched;
                    reading.pages += 1;
                    reading.total.get_or_insert(*total_records);
                }
            }
            Event::Finished(summary) => {
                board.active.retain(|r| r.resource != summary.resource);
                if self.terminal {
                    // The finished line takes the place of the bars, which are drawn again
                    // below it.
                    out.push_str(&board.erase());
                }
                out.push_str(&finished_line(summary));
                out.push('\n');
            }
            _ => {}
        }
        if self.terminal {
            out.push_str(&board.erase());
            for reading in &board.active {
                out.push_str(&reading.line(reading.started.elapsed()));
                out.push_str("\x1b[K\n");
            }
            board.drawn = board.active.len();
        }
        let mut stderr = std::io::stderr().lock();
        // Progress is advice: a closed stderr must not stop the mirror.
        let _ = stderr.write_all(out.as_bytes());
        let _ = stderr.flush();
    }

    /// Removes the bars (before the summary is printed).
    pub(super) fn clear(&self) {
        if self.terminal {
            let mut board = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let erase = board.erase();
            let _ = std::io::stderr().write_all(erase.as_bytes());
        }
    }
}

impl Board {
    /// Moves the cursor back over the drawn bars and clears them; forgets them.
    fn erase(&mut self) -> String {
        let drawn = std::mem::take(&mut self.drawn);
        if drawn == 0 {
            String::new()
        } else {
            format!("\x1b[{drawn}A\r\x1b[J")
        }
    }
}

impl Reading {
    /// `customers  [########------------]   2000/5000 records · 4 pages · 812/s`.
    fn line(&self, elapsed: Duration) -> String {
        let rate = self.fetched as f64 / elapsed.as_secs_f64().max(0.001);
        let counted = match self.total {
            Some(total) if total > 0 && self.fetched <= total => {
                let filled = (self.fetched as usize * BAR_WIDTH).div_ceil(total as usize);
                format!(
                    "[{}{}] {:>7}/{total}",
                    "#".repeat(filled.min(BAR_WIDTH)),
                    "-".repeat(BAR_WIDTH - filled.min(BAR_WIDTH)),
                    self.fetched
                )
            }
            _ => format!("{:>width$}", self.fetched, width = BAR_WIDTH + 10),
        };
        format!(
            "{:<28} {counted} records · {} {} · {rate:.0}/s",
            self.resource,
            self.pages,
            if self.pages == 1 { "page" } else { "pages" }
        )
    }
}

/// `customers: full (first run): 5000 fetched, 5000 new, 0 changed, 0 deleted`.
fn finished_line(summary: &ResourceSummary) -> String {
    format!(
        "{}: {}: {} fetched, {} new, {} changed, {} deleted",
        summary.resource,
        summary.mode,
        summary.fetched,
        summary.inserted,
        summary.updated,
        summary.deleted
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(fetched: u64, pages: u64, total: Option<u64>) -> Reading {
        Reading {
            resource: "customers",
            started: Instant::now(),
            fetched,
            pages,
            total,
        }
    }

    #[test]
    fn a_bar_shows_the_share_read_the_pages_and_the_rate() {
        let line = reading(2000, 4, Some(5000)).line(Duration::from_secs(2));
        assert_eq!(
            line,
            "customers                    [########------------]    2000/5000 records · 4 pages · 1000/s"
        );
        let done = reading(5000, 10, Some(5000)).line(Duration::from_secs(1));
        assert!(
            done.contains(&format!("[{}]", "#".repeat(BAR_WIDTH))),
            "{done}"
        );
    }

    #[test]
    fn without_a_total_that_holds_the_count_stands_alone() {
        // A list read per parent: the first parent said 3, more came from the next ones.
        let line = reading(7, 3, Some(3)).line(Duration::from_secs(1));
        assert!(!line.contains('['), "{line}");
        assert!(line.contains(" 7 records · 3 pages · 7/s"), "{line}");
        let first = reading(0, 0, None).line(Duration::from_secs(1));
        assert!(first.contains(" 0 records · 0 pages"), "{first}");
        let one = reading(0, 1, Some(0)).line(Duration::from_secs(1));
        assert!(one.contains("1 page ·"), "{one}");
    }

    #[test]
    fn bars_drawn_are_erased_before_anything_else_is_written() {
        let mut board = Board {
            drawn: 3,
            ..Board::default()
        };
        assert_eq!(board.erase(), "\x1b[3A\r\x1b[J");
        assert_eq!(board.erase(), "", "nothing is drawn any more");
    }
}
