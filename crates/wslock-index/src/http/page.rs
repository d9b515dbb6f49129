//! Parsing a simple-index project page (PEP 691 JSON or PEP 503 HTML) or a find-links page.

use std::collections::HashMap;

use serde::Deserialize;
use url::Url;

use super::client::Page;
use crate::hash::Sha256Digest;
use crate::listing::ListedFile;
use crate::location::Location;
use crate::versions::{MetadataOffer, Yanked};

/// What we ask for: PEP 691 JSON first, then PEP 503 HTML (as the versioned HTML type, then
/// plain `text/html` for servers that know nothing of PEP 691).
pub(crate) const SIMPLE_ACCEPT: &str =
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

const JSON_TYPE: &str = "application/vnd.pypi.simple.v1+json";

/// Reads a page by its `Content-Type`. Without one (or with an unknown one, as local files and
/// plain static hosting give), a body that starts with `{` is taken as JSON, anything else as
/// HTML: HTML parsing never fails, so a page of the wrong kind yields no files, not garbage.
pub(crate) fn parse_page(page: &Page) -> Result<Vec<ListedFile>, String> {
    let media_type = page
        .content_type
        .as_deref()
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase());
    let json = match media_type.as_deref() {
        Some(JSON_TYPE) | Some("application/json") => true,
        Some("application/vnd.pypi.simple.v1+html") | Some("text/html") => false,
        _ => page.body.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{'),
    };
    if json {
        parse_json(&page.body, &page.url)
    } else {
        Ok(parse_html(&page.body, &page.url))
    }
}

#[derive(Deserialize)]
struct ProjectJson {
    meta: MetaJson,
    files: Vec<FileJson>,
}

#[derive(Deserialize)]
struct MetaJson {
    #[serde(rename = "api-version")]
    api_version: String,
}

#[derive(Deserialize)]
struct FileJson {
    filename: String,
    url: String,
    #[serde(default)]
    hashes: HashMap<String, String>,
    #[serde(rename = "requires-python")]
    requires_python: Option<String>,
    #[serde(rename = "core-metadata")]
    core_metadata: Option<OfferJson>,
    // The PEP 658 name, and the misspelling PyPI served for a while; PEP 714 renamed both.
    #[serde(rename = "dist-info-metadata")]
    dist_info_metadata: Option<OfferJson>,
    #[serde(rename = "data-dist-info-metadata")]
    data_dist_info_metadata: Option<OfferJson>,
    yanked: Option<YankedJson>,
    size: Option<u64>,
    #[serde(rename = "upload-time")]
    upload_time: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OfferJson {
    Flag(bool),
    Hashes(HashMap<String, String>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum YankedJson {
    Flag(bool),
    Reason(String),
}

fn parse_json(body: &[u8], base: &Url) -> Result<Vec<ListedFile>, String> {
    let project: ProjectJson =
        serde_json::from_slice(body).map_err(|err| format!("invalid PEP 691 JSON: {err}"))?;
    // PEP 691: a client must refuse a major version it does not know.
    let major = project.meta.api_version.split('.').next().unwrap_or("");
    if major != "1" {
        return Err(format!(
            "unsupported simple API version `{}` (wslock reads 1.x)",
            project.meta.api_version
        ));
    }
    project
        .files
        .into_iter()
        .map(|file| {
            let url = base.join(&file.url).map_err(|err| {
                format!("invalid URL `{}` of `{}`: {err}", file.url, file.filename)
            })?;
            let offer = file
                .core_metadata
                .or(file.dist_info_metadata)
                .or(file.data_dist_info_metadata);
            Ok(ListedFile {
                location: Location::from_url(without_fragment(url)),
                sha256: file
                    .hashes
                    .get("sha256")
                    .and_then(|hex| Sha256Digest::from_hex(hex)),
                requires_python: file.requires_python,
                yanked: match file.yanked {
                    None | Some(YankedJson::Flag(false)) => None,
                    Some(YankedJson::Flag(true)) => Some(Yanked { reason: None }),
                    Some(YankedJson::Reason(reason)) => Some(Yanked {
                        reason: Some(reason).filter(|reason| !reason.is_empty()),
                    }),
                },
                core_metadata: match offer {
                    None | Some(OfferJson::Flag(false)) => MetadataOffer::NotOffered,
                    Some(OfferJson::Flag(true)) => MetadataOffer::Offered { sha256: None },
                    Some(OfferJson::Hashes(hashes)) => MetadataOffer::Offered {
                        sha256: hashes
                            .get("sha256")
                            .and_then(|hex| Sha256Digest::from_hex(hex)),
                    },
                },
                size: file.size,
                upload_time: file.upload_time,
                filename: file.filename,
            })
        })
        .collect()
}

/// PEP 503 HTML: every `<a href>` is a file. The filename is the last path segment of the
/// link (PEP 503 says the text must match it; the href is what we download, so it wins), the
/// `#sha256=` fragment is the digest, and `data-*` attributes carry the rest. Character
/// references (`&gt;=3.8`) are decoded by the tokenizer. A `<base href>` changes what links
/// are relative to.
fn parse_html(body: &[u8], page_url: &Url) -> Vec<ListedFile> {
    let mut base = page_url.clone();
    let mut files = Vec::new();
    for token in html5gum::Tokenizer::new(body).flatten() {
        let html5gum::Token::StartTag(tag) = token else {
            continue;
        };
        let attribute = |name: &str| {
            tag.attributes
                .get(name.as_bytes())
                .map(|value| String::from_utf8_lossy(&value.value).into_owned())
        };
        match tag.name.as_slice() {
            b"base" => {
                if let Some(href) = attribute("href") {
                    if let Ok(url) = page_url.join(href.trim()) {
                        base = url;
                    }
                }
            }
            b"a" => {
                let Some(href) = attribute("href") else {
                    continue;
                };
                let Ok(url) = base.join(href.trim()) else {
                    tracing::debug!("skipping link with invalid href `{href}` on {page_url}");
                    continue;
                };
                let Some(filename) = last_segment(&url) else {
                    continue;
                };
                let offer = attribute("data-core-metadata")
                    .or_else(|| attribute("data-dist-info-metadata"));
                files.push(ListedFile {
                    filename,
                    sha256: fragment_sha256(&url),
                    location: Location::from_url(without_fragment(url)),
                    requires_python: attribute("data-requires-python"),
                    yanked: attribute("data-yanked").map(|reason| Yanked {
                        reason: Some(reason).filter(|reason| !reason.is_empty()),
                    }),
                    core_metadata: match offer.as_deref() {
                        None | Some("false") => MetadataOffer::NotOffered,
                        Some(value) => MetadataOffer::Offered {
                            sha256: value
                                .strip_prefix("sha256=")
                                .and_then(Sha256Digest::from_hex),
                        },
                    },
                    size: None,
                    upload_time: None,
                });
            }
            _ => {}
        }
    }
    files
}

fn last_segment(url: &Url) -> Option<String> {
    let segment = url.path_segments()?.next_back()?;
    let decoded = percent_decode(segment);
    (!decoded.is_empty()).then_some(decoded)
}

fn fragment_sha256(url: &Url) -> Option<Sha256Digest> {
    url.fragment()?
        .split('&')
        .find_map(|part| part.strip_prefix("sha256="))
        .and_then(Sha256Digest::from_hex)
}

fn without_fragment(mut url: Url) -> Url {
    url.set_fragment(None);
    url
}

/// `%2B` → `+` in a path segment (local version labels are often percent-encoded).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let decoded = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match decoded {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str, content_type: Option<&str>) -> Page {
        Page {
            body: body.as_bytes().to_vec(),
            content_type: content_type.map(str::to_string),
            url: Url::parse("https://example.org/simple/demo/").unwrap(),
        }
    }

    #[test]
    fn html_links_attributes_and_entities() {
        let digest = "a".repeat(64);
        let body = format!(
            r#"<!DOCTYPE html><html><body>
            <a href="../../files/demo-1.0-py3-none-any.whl#sha256={digest}" data-requires-python="&gt;=3.8" data-core-metadata="sha256={digest}">demo-1.0-py3-none-any.whl</a>
            <a href="https://cdn.example.org/demo-1.0%2Blocal.tar.gz" data-yanked="">x</a>
            <a href="demo-0.9.tar.gz" data-yanked="broken build" data-dist-info-metadata="true">demo-0.9.tar.gz</a>
            <a name="no-href">nothing</a>
            </body></html>"#
        );
        let files = parse_page(&page(&body, Some("text/html; charset=utf-8"))).unwrap();
        assert_eq!(files.len(), 3);
        assert_eq!(files[0].filename, "demo-1.0-py3-none-any.whl");
        assert_eq!(
            files[0].location.to_string(),
            "https://example.org/files/demo-1.0-py3-none-any.whl"
        );
        assert_eq!(files[0].sha256.unwrap().to_hex(), digest);
        assert_eq!(files[0].requires_python.as_deref(), Some(">=3.8"));
        assert!(matches!(
            files[0].core_metadata,
            MetadataOffer::Offered { sha256: Some(_) }
        ));
        assert_eq!(files[1].filename, "demo-1.0+local.tar.gz");
        assert_eq!(files[1].yanked, Some(Yanked { reason: None }));
        assert_eq!(
            files[2].location.to_string(),
            "https://example.org/simple/demo/demo-0.9.tar.gz"
        );
        assert_eq!(
            files[2].yanked.as_ref().unwrap().reason.as_deref(),
            Some("broken build")
        );
        assert_eq!(
            files[2].core_metadata,
            MetadataOffer::Offered { sha256: None }
        );
    }

    #[test]
    fn html_base_tag_moves_relative_links() {
        let body = r#"<html><head><base href="https://mirror.example.org/pkgs/"></head><a href="demo-1.0.tar.gz">demo</a></html>"#;
        let files = parse_page(&page(body, None)).unwrap();
        assert_eq!(
            files[0].location.to_string(),
            "https://mirror.example.org/pkgs/demo-1.0.tar.gz"
        );
    }

    #[test]
    fn json_files_and_api_version() {
        let body = r#"{"meta": {"api-version": "1.1"}, "name": "demo", "versions": ["1.0"], "files": [
            {"filename": "demo-1.0-py3-none-any.whl", "url": "/files/demo-1.0-py3-none-any.whl",
             "hashes": {"sha256": "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB"},
             "requires-python": ">=3.9", "core-metadata": {"sha256": "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"},
             "yanked": "bad", "size": 1234, "upload-time": "2024-01-01T00:00:00.000000Z"},
            {"filename": "demo-1.0.tar.gz", "url": "demo-1.0.tar.gz", "hashes": {}, "dist-info-metadata": true, "yanked": false}
        ]}"#;
        let files = parse_page(&page(body, Some(JSON_TYPE))).unwrap();
        assert_eq!(
            files[0].location.to_string(),
            "https://example.org/files/demo-1.0-py3-none-any.whl"
        );
        assert!(files[0].sha256.is_some());
        assert_eq!(
            files[0].yanked.as_ref().unwrap().reason.as_deref(),
            Some("bad")
        );
        assert_eq!(files[0].size, Some(1234));
        assert_eq!(
            files[1].core_metadata,
            MetadataOffer::Offered { sha256: None }
        );
        assert_eq!(files[1].yanked, None);

        let v2 = r#"{"meta": {"api-version": "2.0"}, "files": []}"#;
        assert!(parse_page(&page(v2, Some(JSON_TYPE)))
            .unwrap_err()
            .contains("unsupported simple API version"));
        let broken = parse_page(&page("{\"meta\": ", Some(JSON_TYPE))).unwrap_err();
        assert!(broken.starts_with("invalid PEP 691 JSON"), "{broken}");
        // Sniffed as JSON without a content type.
        assert!(parse_page(&page("  {\"files\": []}", None)).is_err());
    }
}
