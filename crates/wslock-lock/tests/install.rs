//! `install_set` on the fork sample: linux/Python 3.9 and windows/Python 3.12 get different
//! `attrs` and `numpy` versions from one universal plan.

mod common;

use wslock_lock::{
    Choice, Implementation, InstallSelection, LockError, LockPlan, Platform, TargetEnvironment,
};

fn fork_plan() -> LockPlan {
    // The plan wslock builds for the sample equals uv's lock (see `uv_equality.rs`), so the
    // installer API is exercised on uv's own file here.
    LockPlan::from_toml(&common::reference("scenarios/forks/uv.lock")).unwrap()
}

fn install(plan: &LockPlan, env: &TargetEnvironment, selection: &InstallSelection) -> Vec<String> {
    plan.install_set(env, selection)
        .unwrap()
        .iter()
        .map(|item| format!("{} {}", item.name, item.version.as_ref().unwrap()))
        .collect()
}

#[test]
fn linux_python_3_9_gets_the_old_numpy_and_the_new_attrs() {
    let env = TargetEnvironment::new("3.9.18").unwrap();
    assert_eq!(
        install(&fork_plan(), &env, &InstallSelection::new()),
        [
            "a 1.0",
            "attrs 23.1.0",
            "idna 3.6",
            "numpy 1.26.0",
            "pysocks 1.7.1",
            "requests 2.31.0",
        ]
    );
}

#[test]
fn windows_python_3_12_gets_the_new_numpy_the_old_attrs_and_colorama() {
    let env = TargetEnvironment::new("3.12")
        .unwrap()
        .platform(Platform::Windows)
        .machine("AMD64");
    assert_eq!(
        install(&fork_plan(), &env, &InstallSelection::new()),
        [
            "a 1.0",
            "attrs 22.2.0",
            "colorama 1.0",
            "idna 3.6",
            "numpy 2.1.0",
            "pysocks 1.7.1",
            "requests 2.31.0",
        ]
    );
}

#[test]
fn extras_and_groups_of_the_members_are_installed_when_selected() {
    let env = TargetEnvironment::new("3.11")
        .unwrap()
        .platform(Platform::MacOs);
    let plan = fork_plan();
    let base = install(&plan, &env, &InstallSelection::new());
    assert!(!base.contains(&"colorama 1.0".to_string()), "{base:?}");
    let everything = InstallSelection::new()
        .extras(Choice::All)
        .groups(Choice::All);
    let all = install(&plan, &env, &everything);
    assert!(all.contains(&"colorama 1.0".to_string()), "{all:?}");
    let cli = InstallSelection::new().extras(Choice::Only(vec!["cli".parse().unwrap()]));
    assert_eq!(install(&plan, &env, &cli), all);
}

#[test]
fn only_the_selected_members_and_what_they_need() {
    let env = TargetEnvironment::new("3.12").unwrap();
    let only_a = InstallSelection::new().members(["a".parse().unwrap()]);
    assert_eq!(
        install(&fork_plan(), &env, &only_a),
        ["a 1.0", "attrs 23.1.0"]
    );
    let unknown = InstallSelection::new().members(["attrs".parse().unwrap()]);
    let error = fork_plan().install_set(&env, &unknown).unwrap_err();
    assert!(
        matches!(error, LockError::UnknownInstallMember { .. }),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "`attrs` is not a workspace member of the plan (members: a, app)"
    );
}

#[test]
fn pypy_and_python_outside_requires_python() {
    let plan = fork_plan();
    let pypy = TargetEnvironment::new("3.10")
        .unwrap()
        .implementation(Implementation::PyPy);
    assert!(install(&plan, &pypy, &InstallSelection::new()).contains(&"numpy 2.1.0".to_string()));
    let old = TargetEnvironment::new("3.8").unwrap();
    let error = plan
        .install_set(&old, &InstallSelection::new())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the plan supports Python `>=3.9`, not 3.8"
    );
    assert!(matches!(
        TargetEnvironment::new("three"),
        Err(LockError::InvalidPythonVersion { .. })
    ));
    assert!(TargetEnvironment::new("3").is_err());
}

#[test]
fn a_virtual_roots_groups_are_installed_with_groups() {
    let plan = LockPlan::from_toml(&common::reference("scenarios/virtual-root/uv.lock")).unwrap();
    let env = TargetEnvironment::new("3.10")
        .unwrap()
        .platform(Platform::Windows);
    let base = install(&plan, &env, &InstallSelection::new());
    assert_eq!(
        base,
        [
            "a 1.0",
            "attrs 23.1.0",
            "colorama 1.0",
            "idna 3.6",
            "requests 2.31.0"
        ]
    );
    // `b` is virtual: walked through, never installed itself.
    assert!(!base.iter().any(|item| item.starts_with("b ")));
    let lint = InstallSelection::new()
        .members(["a".parse().unwrap()])
        .groups(Choice::Only(vec![
            "lint".parse().unwrap(),
            "test".parse().unwrap(),
        ]));
    // `lint` is the root's group (idna, Python >= 3.10); `test` is a's (pysocks, >= 3.11).
    assert_eq!(
        install(&plan, &env, &lint),
        [
            "a 1.0",
            "attrs 23.1.0",
            "colorama 1.0",
            "idna 3.6",
            "requests 2.31.0"
        ]
    );
    let newer = TargetEnvironment::new("3.11")
        .unwrap()
        .platform(Platform::Windows);
    assert!(install(&plan, &newer, &lint).contains(&"pysocks 1.7.1".to_string()));
}
