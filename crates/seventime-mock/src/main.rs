//! `seventime-mock`: run the Seven Time API mock on its own.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use seventime::defaults::RATE_LIMIT;
use seventime_mock::{Faults, Fixtures, MockConfig};

/// The environment variable that sets the key the mock accepts.
const KEY_ENV: &str = "SEVENTIME_MOCK_CLIENT_SECRET";

/// A local mock of the Seven Time API (custom fields), for development and tests.
///
/// Prints the base URL and the API key to use, then serves until interrupted (Ctrl-C).
#[derive(Parser)]
#[command(
    version,
    after_help = "Example:\n  seventime-mock --port 8080\n  SEVENTIME_BASE_URL=http://127.0.0.1:8080 SEVENTIME_CLIENT_SECRET=<printed key> seventime custom-fields invoice"
)]
struct Args {
    /// Address to listen on. Loopback by default; anything else exposes the mock to the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Port to listen on; 0 picks a free one (printed at start).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Data to serve instead of the built-in data: a JSON object with "customFields" (entity
    /// type → field objects) and/or "records" (resource → records). See the crate docs.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,

    /// Make every paginated list hold exactly N records: the documented ones first, then
    /// generated ones (deterministic). Default: the documented ones, filled up to 60.
    #[arg(long, value_name = "N")]
    records: Option<usize>,
    /// Requests per second allowed per key.
    #[arg(long, default_value_t = RATE_LIMIT, conflicts_with = "no_rate_limit")]
    rate_limit: NonZeroU32,
    /// Do not limit the request rate.
    #[arg(long)]
    no_rate_limit: bool,
    /// Fault: wait this many milliseconds before every answer.
    #[arg(long, value_name = "MS")]
    latency_ms: Option<u64>,
    /// Fault: answer every request with this HTTP status (400-599).
    #[arg(long, value_name = "STATUS", value_parser = clap::value_parser!(u16).range(400..=599))]
    fail_status: Option<u16>,
    /// Fault: answer successful requests with truncated JSON.
    #[arg(long)]
    malformed_body: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .init();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("seventime-mock: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let fixtures = match &args.fixtures {
        Some(path) => Fixtures::from_path(path).map_err(|e| e.to_string())?,
        None => Fixtures::builtin(),
    };
    let fixtures = match args.records {
        Some(count) => fixtures.with_records(count),
        None => fixtures,
    };
    let api_key = match std::env::var(KEY_ENV) {
        Ok(key) if !key.trim().is_empty() => key,
        _ => seventime_mock::generate_api_key()
            .map_err(|e| format!("cannot generate an API key: {e}; set {KEY_ENV}"))?,
    };
    let config = MockConfig {
        bind: SocketAddr::new(args.bind, args.port),
        api_key,
        fixtures,
        rate_limit: (!args.no_rate_limit).then_some(args.rate_limit),
        faults: Faults {
            latency: args.latency_ms.map(Duration::from_millis),
            status: args.fail_status,
            malformed_body: args.malformed_body,
            fail_requests: Default::default(),
        },
    };
    let bind = config.bind;
    let mock = seventime_mock::start(config)
        .await
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    // This is the mock's own key, not a Seven Time secret: printing it is how it is shared.
    // A reader that went away (a script that took the first line) must not stop the server,
    // so write errors are ignored rather than panicking as `println!` would.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}={}", seventime::BASE_URL_ENV, mock.url());
    let _ = writeln!(stdout, "{}={}", seventime::API_KEY_ENV, mock.api_key());
    let _ = stdout.flush();
    drop(stdout);
    tracing::info!(
        url = mock.url(),
        "seventime-mock is serving; Ctrl-C stops it"
    );

    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    tracing::info!("shutting down");
    mock.shutdown().await;
    Ok(())
}
