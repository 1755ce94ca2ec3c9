//! PostgreSQL, through `tokio-postgres`. Its connection task runs on a thread of its own with
//! a one-thread runtime, and the mirror waits on each call with a plain executor: the store is
//! called the same way as SQLite's (under the mirror's mutex, from any thread or runtime)
//! without ever starting a runtime inside the caller's.
//!
//! Parameters are sent in PostgreSQL's text format and the server reads them as the
//! statement's types (a moment as `timestamptz`, JSON as `jsonb`): one binding serves every
//! column type, and [`super::values::bind`] has already made NULL of a value a column cannot
//! take.

use std::collections::HashMap;
use std::error::Error as _;
use std::time::Duration;

use futures_executor::block_on;
use tokio_postgres::types::{Format, FromSql, IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{Client, Config, NoTls, Statement, Transaction};

use super::{Backend, Dialect, Error, Param, Result, Row, Tx, literal};
use crate::schema::{Kind, RAW, quote};

/// The advisory lock a sync holds on the database ("SEVENTIM").
const LOCK_KEY: i64 = 0x5345_5645_4e54_494d;

pub(crate) struct Postgres {
    client: Client,
    /// Prepared statements by their SQL: a page's statements are the same every page.
    statements: HashMap<String, Statement>,
}

fn error(e: tokio_postgres::Error) -> Error {
    // The server's message with its detail and hint; the library's own words otherwise (a
    // connection refused). Neither includes the connection string.
    match e.as_db_error() {
        Some(db) => {
            let mut message = format!("{}: {}", db.severity(), db.message());
            if let Some(detail) = db.detail() {
                message.push_str(&format!(" ({detail})"));
            }
            if let Some(hint) = db.hint() {
                message.push_str(&format!("; {hint}"));
            }
            Error(message)
        }
        None => Error(match e.source() {
            Some(source) => format!("{e}: {source}"),
            None => e.to_string(),
        }),
    }
}

impl Postgres {
    /// Connects to the database `url` names (`postgres://user:password@host:port/database`).
    pub fn connect(url: &str) -> Result<Self> {
        let mut config: Config = url.parse().map_err(|e: tokio_postgres::Error| {
            Error(format!(
                "{} is not a PostgreSQL connection URL ({e}); write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE",
                redact(url)
            ))
        })?;
        // As libpq does: a password kept out of the URL (and so out of `ps` and shell
        // history) comes from the environment.
        if config.get_password().is_none()
            && let Some(password) = std::env::var_os("PGPASSWORD")
        {
            config.password(password.into_encoded_bytes());
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("seventime-sync");
        }
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("seventime-sync-postgres".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = sender.send(Err(Error(format!(
                            "cannot start the PostgreSQL connection's runtime: {e}"
                        ))));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match config.connect(NoTls).await {
                        Ok((client, connection)) => {
                            if sender.send(Ok(client)).is_ok() {
                                // Runs until the client is dropped or the server goes away;
                                // calls made after that fail with the reason.
                                if let Err(e) = connection.await {
                                    tracing::warn!("the PostgreSQL connection ended: {e}");
                                }
                            }
                        }
                        Err(e) => {
                            let _ = sender.send(Err(error(e)));
                        }
                    }
                });
            })
            .map_err(|e| {
                Error(format!(
                    "cannot start the PostgreSQL connection thread: {e}"
                ))
            })?;
        let client = receiver.recv().map_err(|_| {
            Error("the PostgreSQL connection thread ended before connecting".into())
        })??;
        // Moments without a zone (the mirror's own, `synced_at`) are UTC, as the service's are;
        // notices such as "relation already exists, skipping" are not the user's business.
        block_on(client.batch_execute("SET TIME ZONE 'UTC'; SET client_min_messages = warning"))
            .map_err(error)?;
        Ok(Self {
            client,
            statements: HashMap::new(),
        })
    }

    fn locked(&mut self, sql: &str) -> Result<bool> {
        let row = block_on(self.client.query_one(sql, &[&LOCK_KEY])).map_err(error)?;
        row.try_get(0).map_err(error)
    }
}

/// `url` with its password replaced by `***`, for messages.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{host}"),
            None => format!("{user_info}@{host}"),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                    _ => pair.to_string(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

static DIALECT: Dialect = Dialect {
    column_type,
    // `json` keeps the text as written (`jsonb` would reorder keys), so a record received
    // again compares equal; the columns of JSON kind are `jsonb`, for queries and indexes.
    raw_type: "json",
    moment_type: "timestamptz",
    from_raw,
    widen,
    table_exists: "SELECT count(*) FROM information_schema.tables
                   WHERE table_schema = current_schema() AND table_name = ?1",
    own_tables: OWN_TABLES,
};

/// The mirror's own tables in PostgreSQL's words; the same tables as SQLite's.
const OWN_TABLES: &str =
    "CREATE TABLE IF NOT EXISTS _seventime_meta (key text PRIMARY KEY, value text NOT NULL);
     CREATE TABLE IF NOT EXISTS _seventime_columns (
         table_name text NOT NULL, column_name text NOT NULL, kind text NOT NULL,
         PRIMARY KEY (table_name, column_name));
     CREATE TABLE IF NOT EXISTS _seventime_state (
         resource text PRIMARY KEY, cursor text, pass bigint, pass_page bigint,
         pass_started text, pass_total bigint, pass_page_size bigint,
         runs_since_full bigint NOT NULL DEFAULT 0);
     CREATE TABLE IF NOT EXISTS _seventime_runs (
         id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, started_at timestamptz NOT NULL,
         finished_at timestamptz, summary jsonb);
     CREATE TABLE IF NOT EXISTS custom_field_values (
         resource text NOT NULL, record_id text NOT NULL, position integer NOT NULL,
         field_id text, field_name text, field_type integer,
         value_text text, value_number numeric, value_boolean boolean, value_json jsonb,
         problem text,
         PRIMARY KEY (resource, record_id, position));
     CREATE INDEX IF NOT EXISTS custom_field_values_by_name
         ON custom_field_values (resource, field_name);";

/// The column type of a property of `kind`: numbers as `numeric`, which keeps every digit the
/// service sent.
fn column_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "text",
        Kind::Timestamp => "timestamptz",
        Kind::Integer => "bigint",
        Kind::Number => "numeric",
        Kind::Boolean => "boolean",
        Kind::Json => "jsonb",
    }
}

/// SQL reading property `name` of `raw` as [`super::values::bind`] stores it: a value of
/// another type is NULL, never an error that would stop the statement.
fn from_raw(kind: Kind, name: &str) -> String {
    let key = literal(name);
    let value = format!("({RAW} -> {key})");
    let text = format!("({RAW} ->> {key})");
    match kind {
        Kind::Json => format!("{value}::jsonb"),
        Kind::Text => format!(
            "CASE WHEN json_typeof({value}) IN ('object', 'array') THEN {value}::text ELSE {text} END"
        ),
        Kind::Timestamp => format!(
            "CASE WHEN json_typeof({value}) = 'string' AND {text} ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}([T ][0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(\\.[0-9]+)?(Z|[+-][0-9]{{2}}(:?[0-9]{{2}})?)?)?$' THEN {text}::timestamptz END"
        ),
        Kind::Integer => format!(
            "CASE WHEN json_typeof({value}) = 'number' AND {text} ~ '^-?[0-9]{{1,18}}$' THEN {text}::bigint END"
        ),
        Kind::Number => {
            format!("CASE WHEN json_typeof({value}) = 'number' THEN {text}::numeric END")
        }
        Kind::Boolean => {
            format!("CASE WHEN json_typeof({value}) = 'boolean' THEN {text}::boolean END")
        }
    }
}

/// Changes the column's type, reading every stored value again from `raw`.
fn widen(table: &str, column: &str, kind: Kind) -> Vec<String> {
    vec![format!(
        "ALTER TABLE {} ALTER COLUMN {} TYPE {} USING {}",
        quote(table),
        quote(column),
        column_type(kind),
        from_raw(kind, column)
    )]
}

/// `sql` with SQLite's `?N` placeholders as PostgreSQL's `$N`; quoted text and identifiers
/// are left as they are.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) => {
                out.push('$');
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

impl Backend for Postgres {
    fn dialect(&self) -> &'static Dialect {
        &DIALECT
    }

    fn transaction(&mut self) -> Result<Box<dyn Tx + '_>> {
        let Self { client, statements } = self;
        let transaction = block_on(client.transaction()).map_err(error)?;
        Ok(Box::new(PostgresTx {
            transaction,
            statements,
        }))
    }

    fn try_lock(&mut self) -> Result<bool> {
        self.locked("SELECT pg_try_advisory_lock($1)")
    }

    fn unlock(&mut self) -> Result<()> {
        self.locked("SELECT pg_advisory_unlock($1)").map(drop)
    }
}

struct PostgresTx<'c> {
    transaction: Transaction<'c>,
    statements: &'c mut HashMap<String, Statement>,
}

impl PostgresTx<'_> {
    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = block_on(self.transaction.prepare(&numbered(sql))).map_err(error)?;
        self.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

fn arguments<'p>(params: &'p [Param<'_>]) -> Vec<&'p (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Tx for PostgresTx<'_> {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64> {
        let statement = self.statement(sql)?;
        block_on(self.transaction.execute(&statement, &arguments(params))).map_err(error)
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>> {
        let statement = self.statement(sql)?;
        let rows =
            block_on(self.transaction.query(&statement, &arguments(params))).map_err(error)?;
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| row.try_get::<_, Param<'static>>(i).map_err(error))
                    .collect()
            })
            .collect()
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        block_on(self.transaction.batch_execute(sql)).map_err(error)
    }

    fn commit(self: Box<Self>) -> Result<()> {
        block_on(self.transaction.commit()).map_err(error)
    }
}

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        _ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let number;
        let text = match self {
            Self::Null => return Ok(IsNull::Yes),
            Self::Text(text) => text.as_ref(),
            Self::Integer(value) => {
                number = value.to_string();
                &number
            }
            Self::Real(value) => {
                number = value.to_string();
                &number
            }
            Self::Boolean(flag) => {
                if *flag {
                    "true"
                } else {
                    "false"
                }
            }
        };
        out.extend_from_slice(text.as_bytes());
        Ok(IsNull::No)
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    fn encode_format(&self, _ty: &Type) -> Format {
        Format::Text
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Param<'static> {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(match *ty {
            Type::BOOL => Self::Boolean(bool::from_sql(ty, raw)?),
            Type::INT2 => Self::Integer(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => Self::Integer(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => Self::Integer(i64::from_sql(ty, raw)?),
            Type::FLOAT4 => Self::Real(f32::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Self::Real(f64::from_sql(ty, raw)?),
            _ => Self::Text(String::from_sql(ty, raw)?.into()),
        })
    }

    fn from_sql_null(
        _ty: &Type,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Self::Null)
    }

    fn accepts(ty: &Type) -> bool {
        matches!(
            *ty,
            Type::BOOL | Type::INT2 | Type::INT4 | Type::INT8 | Type::FLOAT4 | Type::FLOAT8
        ) || <String as FromSql>::accepts(ty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_quotes_only() {
        assert_eq!(
            numbered("SELECT '?1', \"a?2\" FROM t WHERE a = ?1 AND b = ?12"),
            "SELECT '?1', \"a?2\" FROM t WHERE a = $1 AND b = $12"
        );
        assert_eq!(
            numbered("SELECT 'it''s ?1' || ?2"),
            "SELECT 'it''s ?1' || $2"
        );
    }

    #[test]
    fn passwords_never_reach_a_message() {
        assert_eq!(
            redact("postgres://mirror:s3cret@db.example:5432/seven"),
            "postgres://mirror:***@db.example:5432/seven"
        );
        assert_eq!(
            redact("postgresql://db/seven?user=mirror&password=s3cret&sslmode=disable"),
            "postgresql://db/seven?user=mirror&password=***&sslmode=disable"
        );
        assert_eq!(redact("postgres://db/seven"), "postgres://db/seven");
        assert_eq!(
            redact("postgres://a:b@c@host/db"),
            "postgres://a:***@host/db"
        );
    }
}
