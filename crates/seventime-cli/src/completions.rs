//! Shell completions and man pages, both from the one clap command. The argument parsers here
//! give completion its words (resource names from the catalog, entity-type names) without
//! taking over the commands' own, more helpful, messages for a wrong value.

use std::ffi::OsStr;
use std::path::Path;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, Args, Command};
use clap_complete::Shell;
use seventime::EntityType;

use crate::failure::{Class, Failure};

/// Arguments of `seventime completions`.
#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to write the script for.
    shell: Shell,
}

/// `seventime completions SHELL`: the script on stdout.
pub fn script(command: Command, args: &CompletionsArgs) -> Result<String, Failure> {
    let mut command = command;
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "seventime", &mut out);
    String::from_utf8(out).map_err(|e| {
        Failure::new(
            Class::Internal,
            format!("the completion script is not UTF-8: {e}"),
        )
    })
}

/// Writes a man page for the command and every subcommand into `dir`.
pub fn man_pages(command: Command, dir: &Path) -> Result<String, Failure> {
    std::fs::create_dir_all(dir)
        .and_then(|()| clap_mangen::generate_to(command, dir))
        .map_err(|e| {
            Failure::new(
                Class::Internal,
                format!("cannot write man pages to {}: {e}", dir.display()),
            )
        })?;
    let count = std::fs::read_dir(dir)
        .map(|entries| entries.filter(|e| e.is_ok()).count())
        .unwrap_or(0);
    Ok(format!("{count} man pages in {}\n", dir.display()))
}

/// A resource name: any text (the command says what is wrong with an unknown one), completed
/// from the catalog.
#[derive(Clone)]
pub struct ResourceName;

impl TypedValueParser for ResourceName {
    type Value = String;

    fn parse_ref(
        &self,
        command: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(command, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            seventime::catalog::resources()
                .iter()
                .map(|resource| PossibleValue::new(resource.name)),
        ))
    }
}

/// An entity type: a code or a name in any spelling, completed with the kebab-case names.
#[derive(Clone)]
pub struct EntityTypeName;

impl TypedValueParser for EntityTypeName {
    type Value = EntityType;

    fn parse_ref(
        &self,
        command: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<EntityType, clap::Error> {
        // clap's own message for a value its parser refused, with the parser's reason.
        let parse = |text: &str| text.parse::<EntityType>();
        parse.parse_ref(command, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            EntityType::KNOWN
                .iter()
                .filter_map(|entity| entity.kebab_name())
                .map(PossibleValue::new),
        ))
    }
}
