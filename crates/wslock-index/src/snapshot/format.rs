//! The JSON shapes of the snapshot format (`docs/index-snapshot.md`) and their conversion to
//! and from the crate's types. Field order here is the order keys are written in.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use wslock_pep::{extra_name, parse_requirement, PackageName, Version, VersionSpecifiers};

use crate::filename::DistFilename;
use crate::hash::Sha256Digest;
use crate::location::Location;
use crate::metadata::CoreMetadata;
use crate::versions::{DistFile, MetadataOffer, VersionInfo, Yanked};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SnapshotJson {
    pub(super) format: String,
    pub(super) version: u32,
    #[serde(default)]
    pub(super) packages: Vec<PackageJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PackageJson {
    pub(super) name: String,
    #[serde(default)]
    pub(super) versions: Vec<VersionJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VersionJson {
    pub(super) version: String,
    #[serde(
        rename = "requires-python",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) requires_python: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) yanked: Option<YankedJson>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) files: Vec<FileJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) metadata: Option<MetadataJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileJson {
    pub(super) filename: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) registry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) size: Option<u64>,
    #[serde(
        rename = "requires-python",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) requires_python: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) yanked: Option<YankedJson>,
    #[serde(
        rename = "upload-time",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) upload_time: Option<String>,
    #[serde(
        rename = "core-metadata",
        default,
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub(super) core_metadata: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MetadataJson {
    #[serde(rename = "requires-dist", default)]
    pub(super) requires_dist: Vec<String>,
    #[serde(rename = "provides-extra", default)]
    pub(super) provides_extra: Vec<String>,
    #[serde(
        rename = "requires-python",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(super) requires_python: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum YankedJson {
    Flag(bool),
    Reason(String),
}

impl YankedJson {
    pub(super) fn read(self) -> Option<Yanked> {
        match self {
            YankedJson::Flag(false) => None,
            YankedJson::Flag(true) => Some(Yanked { reason: None }),
            YankedJson::Reason(reason) => Some(Yanked {
                reason: Some(reason),
            }),
        }
    }

    pub(super) fn write(yanked: &Option<Yanked>) -> Option<YankedJson> {
        yanked.as_ref().map(|yanked| match &yanked.reason {
            Some(reason) => YankedJson::Reason(reason.clone()),
            None => YankedJson::Flag(true),
        })
    }
}

pub(super) fn read_version(
    name: &PackageName,
    entry: VersionJson,
    base: &Path,
    default_registry: &Location,
) -> Result<(VersionInfo, Option<CoreMetadata>), String> {
    let version = Version::from_str(&entry.version)
        .map_err(|err| format!(".version: invalid version \"{}\": {err}", entry.version))?;
    let specifiers = |text: &str, at: &str| {
        VersionSpecifiers::from_str(text)
            .map_err(|err| format!("{at}: invalid specifiers \"{text}\": {err}"))
    };
    let mut files = Vec::new();
    for (index, file) in entry.files.into_iter().enumerate() {
        let at = format!(".files[{index}]");
        let filename = DistFilename::parse(&file.filename, name)
            .map_err(|err| format!("{at}.filename: {err}"))?;
        if filename.version() != &version {
            return Err(format!(
                "{at}.filename: `{}` is not version {version}",
                file.filename
            ));
        }
        let location = match (&file.url, &file.path) {
            (Some(url), None) => {
                Location::parse(url, base).map_err(|err| format!("{at}.url: {err}"))?
            }
            (None, Some(path)) => Location::Path(resolve(base, path)),
            _ => return Err(format!("{at}: exactly one of `url` and `path` is required")),
        };
        let registry = match &file.registry {
            Some(text) => {
                Location::parse(text, base).map_err(|err| format!("{at}.registry: {err}"))?
            }
            None => default_registry.clone(),
        };
        let sha256 = file
            .sha256
            .as_deref()
            .map(|text| {
                text.parse::<Sha256Digest>()
                    .map_err(|err| format!("{at}.sha256: {err}"))
            })
            .transpose()?;
        let requires_python = file
            .requires_python
            .as_deref()
            .map(|text| specifiers(text, &format!("{at}.requires-python")))
            .transpose()?;
        files.push(DistFile {
            filename,
            location,
            registry,
            sha256,
            size: file.size,
            requires_python,
            yanked: file.yanked.and_then(YankedJson::read),
            upload_time: file.upload_time,
            core_metadata: if file.core_metadata {
                MetadataOffer::Offered { sha256: None }
            } else {
                MetadataOffer::NotOffered
            },
        });
    }
    let metadata = entry
        .metadata
        .map(|metadata| read_metadata(name, &version, metadata))
        .transpose()?;
    let mut info = VersionInfo::from_files(version, files);
    if let Some(text) = &entry.requires_python {
        info.requires_python = Some(specifiers(text, ".requires-python")?);
    }
    if let Some(yanked) = entry.yanked {
        info.yanked = yanked.read();
    }
    Ok((info, metadata))
}

fn read_metadata(
    name: &PackageName,
    version: &Version,
    json: MetadataJson,
) -> Result<CoreMetadata, String> {
    let requires_dist = json
        .requires_dist
        .iter()
        .enumerate()
        .map(|(index, text)| {
            parse_requirement(text).map_err(|err| {
                format!(".metadata.requires-dist[{index}]: invalid requirement \"{text}\": {err}")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut provides_extra = Vec::new();
    for (index, text) in json.provides_extra.iter().enumerate() {
        let extra =
            extra_name(text).map_err(|err| format!(".metadata.provides-extra[{index}]: {err}"))?;
        if !provides_extra.contains(&extra) {
            provides_extra.push(extra);
        }
    }
    let requires_python = json
        .requires_python
        .as_deref()
        .map(|text| {
            VersionSpecifiers::from_str(text).map_err(|err| {
                format!(".metadata.requires-python: invalid specifiers \"{text}\": {err}")
            })
        })
        .transpose()?;
    Ok(CoreMetadata {
        name: name.clone(),
        version: version.clone(),
        requires_dist,
        provides_extra,
        requires_python,
    })
}

fn resolve(base: &Path, path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}

pub(super) fn write_version(
    info: &VersionInfo,
    metadata: Option<&Arc<CoreMetadata>>,
) -> VersionJson {
    VersionJson {
        version: info.version.to_string(),
        requires_python: info.requires_python.as_ref().map(ToString::to_string),
        yanked: YankedJson::write(&info.yanked),
        files: info
            .files
            .iter()
            .map(|file| FileJson {
                filename: file.filename.as_str().to_string(),
                url: file.location.as_url().map(ToString::to_string),
                path: file
                    .location
                    .as_path()
                    .map(|path| path.display().to_string()),
                registry: Some(file.registry.to_string()),
                sha256: file.sha256.map(|digest| digest.to_hex()),
                size: file.size,
                requires_python: file.requires_python.as_ref().map(ToString::to_string),
                yanked: YankedJson::write(&file.yanked),
                upload_time: file.upload_time.clone(),
                core_metadata: file.core_metadata != MetadataOffer::NotOffered,
            })
            .collect(),
        metadata: metadata.map(|metadata| MetadataJson {
            requires_dist: metadata
                .requires_dist
                .iter()
                .map(ToString::to_string)
                .collect(),
            provides_extra: metadata
                .provides_extra
                .iter()
                .map(ToString::to_string)
                .collect(),
            requires_python: metadata.requires_python.as_ref().map(ToString::to_string),
        }),
    }
}
