//! rpdesk command line. Only the `emulator` subcommand lives here for now; the GUI entry
//! point is merged in by the app.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "rpdesk", version, about = "Restore Point Desk")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the local ARM emulator headless.
    Emulator(rpdesk::emulator::EmulatorArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Emulator(args)) => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime.block_on(rpdesk::emulator::run_cli(args))
        }
        None => {
            eprintln!(
                "rpdesk: the GUI is not part of this build yet; try `rpdesk emulator --help`"
            );
            Ok(())
        }
    }
}
