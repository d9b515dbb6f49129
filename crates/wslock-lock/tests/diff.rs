//! `--diff`: added, removed and changed packages between an existing lock and a new plan.

mod common;

use wslock_lock::{diff, LockPlan};

#[test]
fn versions_added_removed_and_changed() {
    let old = LockPlan::from_toml(&common::reference("scenarios/forks/uv.lock")).unwrap();
    let mut new = old.clone();
    // numpy collapses to one version, pysocks goes, a new package comes.
    new.packages.retain(|p| {
        !(p.name.as_ref() == "pysocks"
            || (p.name.as_ref() == "numpy" && p.version.as_ref().unwrap().to_string() == "1.26.0"))
    });
    let mut six = new
        .packages
        .iter()
        .find(|p| p.name.as_ref() == "idna")
        .unwrap()
        .clone();
    six.name = "six".parse().unwrap();
    six.version = Some("1.16.0".parse().unwrap());
    new.packages.push(six);
    let attrs = new
        .packages
        .iter_mut()
        .find(|p| p.name.as_ref() == "colorama")
        .unwrap();
    attrs.version = Some("2.0".parse().unwrap());

    let changes = diff(&old, &new);
    insta::assert_snapshot!(changes.to_string(), @r"
    + six 1.16.0
    - pysocks 1.7.1
    ~ colorama 1.0 -> 2.0
    ~ numpy 1.26.0, 2.1.0 -> 2.1.0
    ");
    insta::assert_json_snapshot!(changes, @r#"
    {
      "added": [
        {
          "name": "six",
          "versions": [
            "1.16.0"
          ]
        }
      ],
      "removed": [
        {
          "name": "pysocks",
          "versions": [
            "1.7.1"
          ]
        }
      ],
      "changed": [
        {
          "name": "colorama",
          "old": [
            "1.0"
          ],
          "new": [
            "2.0"
          ]
        },
        {
          "name": "numpy",
          "old": [
            "1.26.0",
            "2.1.0"
          ],
          "new": [
            "2.1.0"
          ]
        }
      ]
    }
    "#);
}

#[test]
fn the_same_plan_has_no_changes() {
    let (ours, uv) = common::scenario_plan("forks");
    let theirs = LockPlan::from_toml(&uv).unwrap();
    let changes = diff(&theirs, &ours);
    assert!(changes.is_empty());
    assert_eq!(changes.to_string(), "no changes\n");
}
