//! `handprint generate-assets` (hidden): writes the man pages and shell completions that the
//! packages install, from the same clap definitions that parse the command line, so they
//! cannot drift from it. Run at package time (packaging/build-deb.sh, make-tarball.sh).

use clap::CommandFactory;
use clap_complete::Shell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Write man pages (OUT/man/man1/*.1) and bash, zsh and fish completions (OUT/completions/).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write into; created if missing.
    pub out: PathBuf,
}

/// The shells packages ship completions for, with the file name each one's loader expects.
const SHELLS: [(Shell, &str); 3] =
    [(Shell::Bash, "handprint"), (Shell::Zsh, "_handprint"), (Shell::Fish, "handprint.fish")];

pub fn run(args: Args) -> ExitCode {
    match write_all(&args.out) {
        Ok(written) => {
            for path in written {
                println!("{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => super::unusable(format!("cannot write into {}: {e}", args.out.display())),
    }
}

/// Writes every page and completion file; returns their paths.
pub fn write_all(out: &Path) -> std::io::Result<Vec<PathBuf>> {
    let man_dir = out.join("man").join("man1");
    let completion_dir = out.join("completions");
    std::fs::create_dir_all(&man_dir)?;
    std::fs::create_dir_all(&completion_dir)?;

    // One page for `handprint` and one per visible subcommand (handprint-verify.1, …).
    clap_mangen::generate_to(super::Cli::command(), &man_dir)?;
    let mut written = sorted_entries(&man_dir)?;

    for (shell, file_name) in SHELLS {
        let path = completion_dir.join(file_name);
        let mut file = std::fs::File::create(&path)?;
        clap_complete::generate(shell, &mut visible_command(), "handprint", &mut file);
        written.push(path);
    }
    Ok(written)
}

/// The command line without its hidden subcommands (this one): clap_complete's generators
/// offer hidden subcommands too, and users should not be offered a packaging tool. The top
/// level has no arguments of its own besides the --help and --version clap adds again.
fn visible_command() -> clap::Command {
    let full = super::Cli::command();
    let visible = full.get_subcommands().filter(|c| !c.is_hide_set()).cloned();
    let mut cmd =
        clap::Command::new("handprint").version(env!("HANDPRINT_VERSION")).subcommands(visible);
    if let Some(about) = full.get_about() {
        cmd = cmd.about(about.clone());
    }
    cmd
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths =
        std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<Vec<_>, _>>()?;
    paths.sort();
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated() -> (tempfile::TempDir, Vec<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        let written = write_all(dir.path()).unwrap();
        (dir, written)
    }

    fn read(dir: &Path, rel: &str) -> String {
        std::fs::read_to_string(dir.join(rel)).unwrap()
    }

    #[test]
    fn man_pages_cover_the_command_and_each_visible_subcommand() {
        let (dir, _) = generated();
        let main = read(dir.path(), "man/man1/handprint.1");
        assert!(main.starts_with(".ie \\n(.g .ds Aq"), "a roff page: {}", &main[..80]);
        assert!(main.contains("handprint\\-verify"), "lists subcommands");
        let verify = read(dir.path(), "man/man1/handprint-verify.1");
        assert!(verify.contains("\\-\\-fingerprint"), "documents verify's options");
        assert!(!dir.path().join("man/man1/handprint-generate-assets.1").exists(), "hidden");
    }

    #[test]
    fn completions_for_bash_zsh_and_fish_offer_the_subcommands_but_not_hidden_ones() {
        let (dir, _) = generated();
        let bash = read(dir.path(), "completions/handprint");
        let zsh = read(dir.path(), "completions/_handprint");
        let fish = read(dir.path(), "completions/handprint.fish");
        assert!(bash.contains("complete -F _handprint"), "{bash}");
        assert!(zsh.starts_with("#compdef handprint"), "{zsh}");
        assert!(fish.contains("-a \"verify\""), "{fish}");
        for script in [&bash, &zsh, &fish] {
            assert!(script.contains("fingerprint"), "completes verify's options");
            assert!(!script.contains("generate-assets"), "offers the hidden command");
        }
    }
}
