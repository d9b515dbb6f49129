//! `lock-equiv A B`: whether two `uv.lock` files of one workspace lock the same thing.
//!
//! Prints `identical` when the bytes are equal. Otherwise both files are read as lock plans and
//! compared where it matters to an installer: the packages (name, version, source) must be the
//! same, and for the whole workspace and for each member alone (up to 30 members, evenly
//! spaced), with no extras and groups and with all of them, on CPython 3.9 to 3.14 on Linux,
//! macOS and Windows, both must install exactly the same packages. Then it prints `equivalent` and how many `[[package]]` entries
//! are written differently (typically an edge marker simplified another way); exit status 0.
//! Any difference in what gets installed is printed and gives exit status 1; unreadable input,
//! exit status 2.

use std::collections::BTreeSet;
use std::process::ExitCode;

use wslock_lock::{Choice, InstallSelection, LockPlan, Platform, TargetEnvironment};

/// How many members are checked one by one (all of them up to this many).
const SAMPLED_MEMBERS: usize = 30;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [left, right] = args.as_slice() else {
        eprintln!("usage: lock-equiv A.lock B.lock");
        return ExitCode::from(2);
    };
    match compare(left, right) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn compare(left_path: &str, right_path: &str) -> Result<bool, Box<dyn std::error::Error>> {
    let left_text = std::fs::read_to_string(left_path)?;
    let right_text = std::fs::read_to_string(right_path)?;
    if left_text == right_text {
        println!("identical");
        return Ok(true);
    }
    let left = LockPlan::from_toml(&left_text)?;
    let right = LockPlan::from_toml(&right_text)?;
    let keys = |plan: &LockPlan| -> BTreeSet<String> {
        plan.packages
            .iter()
            .map(|p| format!("{} {:?} {:?}", p.name, p.version, p.source))
            .collect()
    };
    let (left_keys, right_keys) = (keys(&left), keys(&right));
    if left_keys != right_keys {
        for only in left_keys.difference(&right_keys).take(10) {
            println!("only in {left_path}: {only}");
        }
        for only in right_keys.difference(&left_keys).take(10) {
            println!("only in {right_path}: {only}");
        }
        println!("different packages");
        return Ok(false);
    }

    let mut selections: Vec<(String, InstallSelection)> = Vec::new();
    let everything =
        |selection: InstallSelection| selection.extras(Choice::All).groups(Choice::All);
    selections.push(("workspace".into(), InstallSelection::new()));
    selections.push((
        "workspace, all extras and groups".into(),
        everything(InstallSelection::new()),
    ));
    // Every member alone costs a walk of the plan per environment: at 10,000 members that is
    // hours, so at most `SAMPLED_MEMBERS` of them, evenly spaced, are checked alone.
    let members = left.member_names();
    let step = members.len().div_ceil(SAMPLED_MEMBERS).max(1);
    for member in members.iter().step_by(step) {
        let alone = InstallSelection::new().members([member.clone()]);
        selections.push((format!("{member}"), alone.clone()));
        selections.push((
            format!("{member}, all extras and groups"),
            everything(alone),
        ));
    }
    let mut environments = 0;
    let mut differences = 0;
    for minor in 9..=14 {
        let python = format!("3.{minor}");
        for platform in [Platform::Linux, Platform::MacOs, Platform::Windows] {
            let env = TargetEnvironment::new(&python)?.platform(platform);
            if !left.requires_python.contains(env.python()) {
                continue;
            }
            environments += 1;
            for (label, selection) in &selections {
                let a = left.install_set(&env, selection)?;
                let b = right.install_set(&env, selection)?;
                if a != b {
                    differences += 1;
                    if differences <= 10 {
                        println!("differs for {label} on Python {python} {platform:?}");
                    }
                }
            }
        }
    }
    if differences > 0 {
        println!("{differences} install sets differ");
        return Ok(false);
    }
    let written_differently = left
        .packages
        .iter()
        .zip(&right.packages)
        .filter(|(a, b)| a != b)
        .count();
    println!(
        "{} install sets agree ({environments} environments x {} selections)",
        environments * selections.len(),
        selections.len(),
    );
    println!(
        "equivalent ({written_differently} of {} [[package]] written differently)",
        left.packages.len()
    );
    Ok(true)
}
