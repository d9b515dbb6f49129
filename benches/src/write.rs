//! Writing a generated workspace and catalogue to disk.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use wslock_index::testing::WheelBuilder;

use crate::catalogue::{catalogue, External};
use crate::members::workspace;
use crate::{Generated, Spec, GENERATOR_VERSION};

/// The file that records what a directory was generated from; its presence also marks the
/// directory as the generator's own, safe to overwrite.
pub(crate) const STAMP: &str = "wslock-gen.json";

#[derive(Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
struct Stamp {
    generator: u32,
    members: usize,
    externals: usize,
    seed: u64,
}

impl Stamp {
    fn of(spec: &Spec) -> Stamp {
        Stamp {
            generator: GENERATOR_VERSION,
            members: spec.members,
            externals: spec.externals,
            seed: spec.seed,
        }
    }
}

pub(crate) fn layout(out: &Path) -> Generated {
    Generated {
        dir: out.to_path_buf(),
        workspace: out.join("workspace"),
        find_links: out.join("find-links"),
        snapshot: out.join("snapshot.json"),
    }
}

/// Whether `out` holds exactly what `spec` generates (by this generator version).
pub(crate) fn is_current(spec: &Spec, out: &Path) -> bool {
    fs::read_to_string(out.join(STAMP))
        .ok()
        .and_then(|text| serde_json::from_str::<Stamp>(&text).ok())
        .is_some_and(|stamp| stamp == Stamp::of(spec))
}

pub(crate) fn write(spec: &Spec, out: &Path) -> io::Result<Generated> {
    let paths = layout(out);
    if out.exists() && !out.join(STAMP).exists() && fs::read_dir(out)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "`{}` is not empty and was not written by wslock-gen; choose another --out",
                out.display()
            ),
        ));
    }
    // Only what the generator itself writes is removed.
    let _ = fs::remove_file(out.join(STAMP));
    for dir in [&paths.workspace, &paths.find_links] {
        if dir.exists() {
            fs::remove_dir_all(dir)?;
        }
    }
    let _ = fs::remove_file(&paths.snapshot);
    fs::create_dir_all(&paths.find_links)?;

    let packages = catalogue(spec);
    write_members(spec, &paths.workspace)?;
    write_wheels(&packages, &paths.find_links)?;
    fs::write(&paths.snapshot, snapshot_json(&packages))?;
    // Discovery by wslock started inside never looks above the output directory.
    fs::write(out.join(".wslock-root"), "")?;
    let mut stamp = serde_json::to_string_pretty(&Stamp::of(spec))?;
    stamp.push('\n');
    fs::write(out.join(STAMP), stamp)?;
    Ok(paths)
}

fn write_members(spec: &Spec, root: &Path) -> io::Result<()> {
    let model = workspace(spec);
    fs::create_dir_all(root.join("packages"))?;
    fs::write(root.join("pyproject.toml"), model.root_pyproject())?;
    model.members.par_iter().try_for_each(|member| {
        let dir = root.join("packages").join(&member.name);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join("pyproject.toml"), member.pyproject())
    })?;
    for (position, name) in model.excluded.iter().enumerate() {
        let dir = root.join("packages").join(name);
        fs::create_dir_all(&dir)?;
        fs::write(
            dir.join("pyproject.toml"),
            model.excluded_pyproject(position),
        )?;
    }
    Ok(())
}

fn wheel(package: &External, version: &crate::ExternalVersion) -> WheelBuilder {
    let mut builder = WheelBuilder::new(&package.name, &version.version)
        .requires_python(&version.requires_python);
    for extra in &package.extras {
        builder = builder.provides_extra(extra);
    }
    for requirement in &version.requires_dist {
        builder = builder.requires_dist(requirement);
    }
    builder
}

fn write_wheels(packages: &[External], dir: &Path) -> io::Result<()> {
    packages.par_iter().try_for_each(|package| {
        package
            .versions
            .iter()
            .try_for_each(|version| wheel(package, version).write_to(dir).map(drop))
    })
}

/// The catalogue as an index snapshot (`docs/index-snapshot.md`) whose files are the wheels
/// of `find-links/` and whose registry is that folder, so a plan from the snapshot names the
/// same registry as one from the folder.
fn snapshot_json(packages: &[External]) -> String {
    #[derive(Serialize)]
    struct SnapshotJson<'a> {
        format: &'a str,
        version: u32,
        packages: Vec<PackageJson>,
    }
    #[derive(Serialize)]
    struct PackageJson {
        name: String,
        versions: Vec<VersionJson>,
    }
    #[derive(Serialize)]
    struct VersionJson {
        version: String,
        files: Vec<FileJson>,
        metadata: MetadataJson,
    }
    #[derive(Serialize)]
    struct FileJson {
        filename: String,
        path: PathBuf,
        registry: &'static str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "kebab-case")]
    struct MetadataJson {
        requires_dist: Vec<String>,
        provides_extra: Vec<String>,
        requires_python: String,
    }
    let json = SnapshotJson {
        format: wslock_index::SNAPSHOT_FORMAT,
        version: wslock_index::SNAPSHOT_VERSION,
        packages: packages
            .iter()
            .map(|package| PackageJson {
                name: package.name.clone(),
                versions: package
                    .versions
                    .iter()
                    .map(|version| {
                        let filename = wheel(package, version).file_name();
                        VersionJson {
                            version: version.version.clone(),
                            files: vec![FileJson {
                                path: Path::new("find-links").join(&filename),
                                filename,
                                registry: "find-links",
                            }],
                            metadata: MetadataJson {
                                requires_dist: version.requires_dist.clone(),
                                provides_extra: package.extras.clone(),
                                requires_python: version.requires_python.clone(),
                            },
                        }
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&json).expect("plain data serialises");
    text.push('\n');
    text
}
