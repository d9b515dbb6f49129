//! The simple-index and flat-page sources against a server this test starts on 127.0.0.1.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use support::{Resource, TestServer};
use url::Url;
use wslock_index::testing::{SdistBuilder, WheelBuilder};
use wslock_index::{
    prefetch_versions, FlatIndex, HttpClient, HttpOptions, IndexError, IndexSet, PackageSource,
    Sha256Digest, SimpleIndex,
};
use wslock_pep::{PackageName, Version};

const JSON: &str = "application/vnd.pypi.simple.v1+json";
const HTML: &str = "text/html; charset=utf-8";

fn name(text: &str) -> PackageName {
    text.parse().unwrap()
}

fn version(text: &str) -> Version {
    text.parse().unwrap()
}

/// A distribution file to publish, and whether its metadata is offered as a PEP 658 file.
struct Published {
    filename: String,
    bytes: Vec<u8>,
    metadata: Option<Vec<u8>>,
    requires_python: Option<&'static str>,
}

fn wheel(builder: WheelBuilder, metadata_file: bool) -> Published {
    let bytes = builder.build().unwrap();
    let metadata = metadata_file.then(|| metadata_of(&bytes));
    Published {
        filename: builder.file_name(),
        bytes,
        metadata,
        requires_python: None,
    }
}

fn sdist(builder: SdistBuilder) -> Published {
    Published {
        filename: builder.file_name(),
        bytes: builder.build().unwrap(),
        metadata: None,
        requires_python: None,
    }
}

/// The METADATA inside a wheel, read with the zip crate directly (not the code under test).
fn metadata_of(wheel: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(wheel)).unwrap();
    let entry = archive
        .file_names()
        .find(|entry| entry.ends_with(".dist-info/METADATA"))
        .unwrap()
        .to_string();
    let mut bytes = Vec::new();
    archive
        .by_name(&entry)
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

#[derive(Clone, Copy)]
enum Format {
    Json,
    Html,
}

/// Serves `/simple/<project>/` in `format` and every file under `/files/`.
fn publish(server: &TestServer, project: &str, files: &[Published], format: Format) -> Resource {
    let mut entries = Vec::new();
    for file in files {
        server.serve(
            &format!("/files/{}", file.filename),
            Resource::new("application/octet-stream", file.bytes.clone()),
        );
        if let Some(metadata) = &file.metadata {
            server.serve(
                &format!("/files/{}.metadata", file.filename),
                Resource::new("application/octet-stream", metadata.clone()),
            );
        }
        entries.push(file);
    }
    let body = match format {
        Format::Json => {
            let files: Vec<serde_json::Value> = entries
                .iter()
                .map(|file| {
                    serde_json::json!({
                        "filename": file.filename,
                        "url": format!("../../files/{}", file.filename),
                        "hashes": {"sha256": Sha256Digest::of_bytes(&file.bytes).to_hex()},
                        "requires-python": file.requires_python,
                        "core-metadata": match &file.metadata {
                            Some(metadata) => serde_json::json!({"sha256": Sha256Digest::of_bytes(metadata).to_hex()}),
                            None => serde_json::json!(false),
                        },
                        "size": file.bytes.len(),
                        "upload-time": "2024-05-01T12:00:00.000000Z",
                    })
                })
                .collect();
            serde_json::json!({"meta": {"api-version": "1.1"}, "name": project, "files": files})
                .to_string()
        }
        Format::Html => {
            let mut html = String::from("<!DOCTYPE html><html><body>\n");
            for file in &entries {
                let digest = Sha256Digest::of_bytes(&file.bytes).to_hex();
                let mut attributes = String::new();
                if let Some(metadata) = &file.metadata {
                    attributes.push_str(&format!(
                        " data-core-metadata=\"sha256={}\"",
                        Sha256Digest::of_bytes(metadata).to_hex()
                    ));
                }
                if let Some(requires_python) = file.requires_python {
                    attributes.push_str(&format!(
                        " data-requires-python=\"{}\"",
                        requires_python.replace('>', "&gt;").replace('<', "&lt;")
                    ));
                }
                html.push_str(&format!(
                    "<a href=\"/files/{0}#sha256={digest}\"{attributes}>{0}</a><br/>\n",
                    file.filename
                ));
            }
            html.push_str("</body></html>\n");
            html
        }
    };
    let content_type = match format {
        Format::Json => JSON,
        Format::Html => HTML,
    };
    let page = Resource::new(content_type, body).etag(&format!("\"{project}-v1\""));
    server.serve(&format!("/simple/{project}/"), page.clone());
    page
}

fn client(cache: &tempfile::TempDir) -> Arc<HttpClient> {
    Arc::new(HttpClient::new(
        HttpOptions::new()
            .cache_dir(cache.path())
            .timeout(Duration::from_secs(5))
            .retries(0),
    ))
}

fn index(server: &TestServer, client: &Arc<HttpClient>) -> SimpleIndex {
    SimpleIndex::new(Url::parse(&server.url("/simple")).unwrap(), client.clone())
}

fn demo_wheel(v: &str) -> WheelBuilder {
    WheelBuilder::new("demo", v)
        .requires_dist("idna>=2.5")
        .requires_dist("click; extra == 'cli'")
        .provides_extra("cli")
        .requires_python(">=3.8")
}

#[test]
fn pep691_json_index_with_pep658_metadata_files() {
    let server = TestServer::start();
    let mut old = wheel(demo_wheel("1.0"), true);
    old.requires_python = Some(">=3.7");
    publish(
        &server,
        "demo",
        &[
            old,
            wheel(demo_wheel("2.0"), true),
            sdist(SdistBuilder::new("demo", "2.0")),
        ],
        Format::Json,
    );
    let cache = tempfile::tempdir().unwrap();
    let source = index(&server, &client(&cache));

    let versions = source.versions(&name("Demo")).unwrap();
    let listed: Vec<String> = versions
        .iter()
        .map(|info| info.version.to_string())
        .collect();
    assert_eq!(listed, ["1.0", "2.0"]);
    let first = versions.get(&version("1.0")).unwrap();
    assert_eq!(first.requires_python.as_ref().unwrap().to_string(), ">=3.7");
    let two = versions.get(&version("2.0")).unwrap();
    assert_eq!(two.files.len(), 2);
    let wheel_file = two.metadata_file().unwrap();
    assert!(wheel_file.filename.is_wheel());
    assert!(wheel_file.sha256.is_some());
    assert_eq!(
        wheel_file.upload_time.as_deref(),
        Some("2024-05-01T12:00:00.000000Z")
    );
    assert_eq!(
        wheel_file.location.to_string(),
        server.url("/files/demo-2.0-py3-none-any.whl")
    );

    let metadata = source.metadata(&name("demo"), &version("2.0")).unwrap();
    assert_eq!(metadata.requires_dist.len(), 2);
    assert_eq!(
        metadata.requires_python.as_ref().unwrap().to_string(),
        ">=3.8"
    );

    let log = server.log();
    assert_eq!(
        server.paths(),
        ["/simple/demo/", "/files/demo-2.0-py3-none-any.whl.metadata"],
        "the wheel itself is never fetched"
    );
    assert!(
        log[0].accept.as_deref().unwrap().starts_with(JSON),
        "{:?}",
        log[0].accept
    );
}

#[test]
fn pep503_html_index_with_and_without_metadata_files() {
    let server = TestServer::start();
    // A wheel large enough that its METADATA is outside the first range request.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let filler: Vec<u8> = (0..200_000)
        .map(|_| {
            // xorshift: incompressible enough that deflate keeps the wheel large.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let big = demo_wheel("2.0").file("demo/data.bin", &filler);
    assert!(big.build().unwrap().len() > 150_000);
    let mut with_offer = wheel(demo_wheel("1.0"), true);
    with_offer.requires_python = Some(">=3.8,<4");
    publish(
        &server,
        "demo",
        &[with_offer, wheel(big, false)],
        Format::Html,
    );
    let cache = tempfile::tempdir().unwrap();
    let source = index(&server, &client(&cache));

    let versions = source.versions(&name("demo")).unwrap();
    let one = versions.get(&version("1.0")).unwrap();
    assert_eq!(
        one.requires_python.as_ref().unwrap().to_string(),
        ">=3.8, <4"
    );
    let from_metadata_file = source.metadata(&name("demo"), &version("1.0")).unwrap();
    assert_eq!(from_metadata_file.provides_extra[0].as_ref(), "cli");

    server.clear_log();
    let from_ranges = source.metadata(&name("demo"), &version("2.0")).unwrap();
    assert_eq!(from_ranges.requires_dist.len(), 2);
    let log = server.log();
    assert!(
        log.len() >= 2,
        "a tail request, then the METADATA entry: {log:?}"
    );
    for logged in &log {
        assert_eq!(logged.path, "/files/demo-2.0-py3-none-any.whl");
        assert_eq!(logged.status, 206, "only range requests: {log:?}");
    }
    assert_eq!(log[0].range.as_deref(), Some("bytes=-65536"));
}

#[test]
fn a_server_without_range_support_gets_a_download() {
    let server = TestServer::start();
    publish(
        &server,
        "demo",
        &[wheel(demo_wheel("1.0"), false)],
        Format::Html,
    );
    let bytes = demo_wheel("1.0").build().unwrap();
    server.serve(
        "/files/demo-1.0-py3-none-any.whl",
        Resource::new("application/octet-stream", bytes).without_ranges(),
    );
    let cache = tempfile::tempdir().unwrap();
    let source = index(&server, &client(&cache));
    let metadata = source.metadata(&name("demo"), &version("1.0")).unwrap();
    assert_eq!(metadata.version, version("1.0"));
    let wheel_requests: Vec<_> = server
        .log()
        .into_iter()
        .filter(|l| l.path.starts_with("/files/"))
        .collect();
    assert_eq!(wheel_requests.len(), 1);
    assert_eq!(wheel_requests[0].status, 200);
}

#[test]
fn an_sdist_only_version_is_downloaded_and_checked() {
    let server = TestServer::start();
    publish(
        &server,
        "demo",
        &[
            sdist(SdistBuilder::new("demo", "1.0").requires_dist("idna")),
            sdist(SdistBuilder::new("demo", "2.0")),
        ],
        Format::Json,
    );
    // The index lists the digest of the real 2.0 sdist; the server now serves another file.
    server.serve(
        "/files/demo-2.0.tar.gz",
        Resource::new(
            "application/octet-stream",
            SdistBuilder::new("demo", "2.0")
                .requires_dist("evil")
                .build()
                .unwrap(),
        ),
    );
    let cache = tempfile::tempdir().unwrap();
    let source = index(&server, &client(&cache));
    let metadata = source.metadata(&name("demo"), &version("1.0")).unwrap();
    assert_eq!(metadata.requires_dist[0].name.as_ref(), "idna");
    let err = source.metadata(&name("demo"), &version("2.0")).unwrap_err();
    assert!(matches!(err, IndexError::HashMismatch { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(&format!(
            "hash mismatch for `{}`",
            server.url("/files/demo-2.0.tar.gz")
        )),
        "{err}"
    );
}

#[test]
fn a_404_is_an_empty_answer_not_an_error() {
    let server = TestServer::start();
    let cache = tempfile::tempdir().unwrap();
    let source = index(&server, &client(&cache));
    let versions = source.versions(&name("missing")).unwrap();
    assert!(versions.is_empty() && !versions.is_listed());
    assert_eq!(server.log()[0].status, 404);
}

#[test]
fn a_500_is_a_clear_error_after_retries() {
    let server = TestServer::start();
    server.status("/simple/demo/", 500);
    let cache = tempfile::tempdir().unwrap();
    let client = Arc::new(HttpClient::new(
        HttpOptions::new().cache_dir(cache.path()).retries(1),
    ));
    let err = index(&server, &client).versions(&name("demo")).unwrap_err();
    assert!(
        matches!(err, IndexError::HttpStatus { status: 500, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "fetching the versions of demo from {} failed: HTTP 500",
            server.url("/simple/demo/")
        )
    );
    assert_eq!(err.hint(), "the index server failed; try again later");
    assert_eq!(server.log().len(), 2, "one retry");

    // A 401 is not "not found": it stops the search instead of falling through.
    server.status("/simple/private/", 401);
    let err = index(&server, &client)
        .versions(&name("private"))
        .unwrap_err();
    assert!(
        matches!(err, IndexError::HttpStatus { status: 401, .. }),
        "{err:?}"
    );
    assert_eq!(err.hint(), "check the credentials for this index");
    // ... unless the index is configured to mean "not here" by it (uv's ignore-error-codes).
    let lenient = index(&server, &client).ignore_error_codes([401]);
    assert!(lenient.versions(&name("private")).unwrap().is_empty());
}

#[test]
fn a_timeout_is_a_clear_error_and_fast() {
    let server = TestServer::start();
    server.sleep("/simple/slow/", Duration::from_millis(1500));
    let cache = tempfile::tempdir().unwrap();
    let client = Arc::new(HttpClient::new(
        HttpOptions::new()
            .cache_dir(cache.path())
            .timeout(Duration::from_millis(200))
            .retries(2),
    ));
    let started = Instant::now();
    let err = index(&server, &client).versions(&name("slow")).unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, IndexError::Timeout { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "fetching the versions of slow from {} timed out after 200 ms",
            server.url("/simple/slow/")
        )
    );
    assert!(
        elapsed < Duration::from_millis(1000),
        "timeouts are not retried: {elapsed:?}"
    );
}

#[test]
fn a_malformed_response_is_a_clear_error() {
    let server = TestServer::start();
    server.serve(
        "/simple/broken/",
        Resource::new(
            JSON,
            "{\"meta\": {\"api-version\": \"1.0\"}, \"files\": [{\"filename\"",
        ),
    );
    server.serve(
        "/simple/future/",
        Resource::new(
            JSON,
            "{\"meta\": {\"api-version\": \"2.0\"}, \"files\": []}",
        ),
    );
    let cache = tempfile::tempdir().unwrap();
    let source = index(&server, &client(&cache));
    let err = source.versions(&name("broken")).unwrap_err();
    assert!(
        matches!(err, IndexError::MalformedResponse { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "malformed response for the versions of broken from {}: invalid PEP 691 JSON",
            server.url("/simple/broken/")
        )),
        "{message}"
    );
    let future = source.versions(&name("future")).unwrap_err().to_string();
    assert!(
        future.ends_with("unsupported simple API version `2.0` (wslock reads 1.x)"),
        "{future}"
    );
}

#[test]
fn a_bad_metadata_file_is_a_hash_mismatch() {
    let server = TestServer::start();
    publish(
        &server,
        "demo",
        &[wheel(demo_wheel("1.0"), true)],
        Format::Json,
    );
    server.serve(
        "/files/demo-1.0-py3-none-any.whl.metadata",
        Resource::new(
            "application/octet-stream",
            "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
        ),
    );
    let cache = tempfile::tempdir().unwrap();
    let err = index(&server, &client(&cache))
        .metadata(&name("demo"), &version("1.0"))
        .unwrap_err();
    assert!(matches!(err, IndexError::HashMismatch { .. }), "{err:?}");
}

#[test]
fn the_cache_is_used_on_the_second_run() {
    let server = TestServer::start();
    publish(
        &server,
        "demo",
        &[wheel(demo_wheel("1.0"), true)],
        Format::Json,
    );
    let cache = tempfile::tempdir().unwrap();

    let first = index(&server, &client(&cache));
    let metadata = first.metadata(&name("demo"), &version("1.0")).unwrap();
    assert_eq!(
        server.log().iter().map(|l| l.status).collect::<Vec<_>>(),
        [200, 200]
    );

    // A new process: a fresh source and client over the same cache directory.
    server.clear_log();
    let second = index(&server, &client(&cache));
    let again = second.metadata(&name("demo"), &version("1.0")).unwrap();
    assert_eq!(*again, *metadata);
    let log = server.log();
    assert_eq!(log.len(), 1, "the metadata comes from the cache: {log:?}");
    assert_eq!(log[0].path, "/simple/demo/");
    assert_eq!(
        log[0].if_none_match.as_deref(),
        Some("\"demo-v1\""),
        "the page is revalidated"
    );
    assert_eq!(log[0].status, 304);

    // Offline, the cache answers alone; an empty cache is a clear error.
    server.clear_log();
    let offline = Arc::new(HttpClient::new(
        HttpOptions::new().cache_dir(cache.path()).offline(true),
    ));
    assert!(index(&server, &offline)
        .metadata(&name("demo"), &version("1.0"))
        .is_ok());
    assert!(server.log().is_empty());
    let empty = tempfile::tempdir().unwrap();
    let offline_empty = Arc::new(HttpClient::new(
        HttpOptions::new().cache_dir(empty.path()).offline(true),
    ));
    let err = index(&server, &offline_empty)
        .versions(&name("demo"))
        .unwrap_err();
    assert!(matches!(err, IndexError::Offline { .. }), "{err:?}");
}

#[test]
fn fresh_cache_entries_need_no_request() {
    let server = TestServer::start();
    let files = [wheel(demo_wheel("1.0"), true)];
    let page = publish(&server, "demo", &files, Format::Html);
    server.serve("/simple/demo/", page.cache_control("max-age=600"));
    let cache = tempfile::tempdir().unwrap();
    index(&server, &client(&cache))
        .versions(&name("demo"))
        .unwrap();
    server.clear_log();
    let versions = index(&server, &client(&cache))
        .versions(&name("demo"))
        .unwrap();
    assert_eq!(versions.len(), 1);
    assert!(server.log().is_empty(), "{:?}", server.log());
}

#[test]
fn a_flat_find_links_page_over_http() {
    let server = TestServer::start();
    let files = [
        wheel(demo_wheel("1.0"), false),
        sdist(SdistBuilder::new("other", "2.0")),
    ];
    publish(&server, "unused", &files, Format::Html);
    let links = "<html><a href=\"files/demo-1.0-py3-none-any.whl\">w</a> <a href=\"files/other-2.0.tar.gz\">s</a></html>".to_string();
    server.serve("/links.html", Resource::new(HTML, links));
    let cache = tempfile::tempdir().unwrap();
    let source = FlatIndex::page(
        Url::parse(&server.url("/links.html")).unwrap(),
        client(&cache),
    );
    assert_eq!(source.versions(&name("demo")).unwrap().len(), 1);
    assert_eq!(source.versions(&name("other")).unwrap().len(), 1);
    assert_eq!(
        source
            .metadata(&name("demo"), &version("1.0"))
            .unwrap()
            .requires_dist
            .len(),
        2
    );
    let other = source.versions(&name("other")).unwrap();
    let file = &other.iter().next().unwrap().files[0];
    // No digest was listed: the file is downloaded and hashed when a plan needs it.
    assert_eq!(
        source.sha256(file).unwrap(),
        Sha256Digest::of_bytes(&SdistBuilder::new("other", "2.0").build().unwrap())
    );
    assert_eq!(
        server
            .paths()
            .iter()
            .filter(|path| *path == "/links.html")
            .count(),
        1
    );
}

#[test]
fn first_index_wins_across_servers() {
    let internal = TestServer::start();
    let public = TestServer::start();
    publish(
        &internal,
        "corp",
        &[wheel(
            demo_wheel("1.0").filename("corp-1.0-py3-none-any.whl"),
            false,
        )],
        Format::Json,
    );
    publish(
        &public,
        "corp",
        &[wheel(WheelBuilder::new("corp", "9.0"), false)],
        Format::Json,
    );
    publish(
        &public,
        "idna",
        &[wheel(WheelBuilder::new("idna", "3.7"), true)],
        Format::Json,
    );
    let cache = tempfile::tempdir().unwrap();
    let client = client(&cache);
    let set = IndexSet::builder()
        .index(Some("internal"), index(&internal, &client))
        .default_index(None, index(&public, &client))
        .build()
        .unwrap();
    let corp = set.versions(&name("corp")).unwrap();
    assert_eq!(
        corp.iter()
            .map(|info| info.version.to_string())
            .collect::<Vec<_>>(),
        ["1.0"]
    );
    let idna = set.versions(&name("idna")).unwrap();
    assert_eq!(
        idna.iter().next().unwrap().files[0].registry.to_string(),
        public.url("/simple")
    );
    assert!(set.metadata(&name("idna"), &version("3.7")).is_ok());
    assert!(
        public.paths().iter().all(|path| path != "/simple/corp/"),
        "{:?}",
        public.paths()
    );
}

#[test]
fn parallel_prefetch_fetches_every_page_once() {
    let server = TestServer::start();
    let names: Vec<PackageName> = (0..12).map(|i| name(&format!("pkg{i}"))).collect();
    for package in &names {
        publish(
            &server,
            package.as_ref(),
            &[wheel(WheelBuilder::new(package.as_ref(), "1.0"), true)],
            Format::Json,
        );
    }
    let cache = tempfile::tempdir().unwrap();
    let source = index(&server, &client(&cache));
    prefetch_versions(&source, &names).unwrap();
    prefetch_versions(&source, &names).unwrap();
    let mut paths = server.paths();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 12);
    assert_eq!(server.log().len(), 12);
}
