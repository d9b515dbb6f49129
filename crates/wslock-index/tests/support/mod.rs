//! A small HTTP server on 127.0.0.1 for the HTTP source tests: static routes with ETags,
//! `Cache-Control`, optional range support, error statuses and slow answers, and a log of
//! every request it saw.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use tiny_http::{Header, Request, Response, Server};

/// A static file the server serves.
#[derive(Clone, Debug)]
pub struct Resource {
    pub body: Vec<u8>,
    pub content_type: String,
    pub etag: Option<String>,
    pub cache_control: Option<String>,
    /// Answer `Range` requests with `206` (otherwise the header is ignored and `200` sent).
    pub ranges: bool,
}

impl Resource {
    pub fn new(content_type: &str, body: impl Into<Vec<u8>>) -> Resource {
        Resource {
            body: body.into(),
            content_type: content_type.to_string(),
            etag: None,
            cache_control: None,
            ranges: true,
        }
    }

    pub fn etag(mut self, etag: &str) -> Resource {
        self.etag = Some(etag.to_string());
        self
    }

    pub fn cache_control(mut self, value: &str) -> Resource {
        self.cache_control = Some(value.to_string());
        self
    }

    pub fn without_ranges(mut self) -> Resource {
        self.ranges = false;
        self
    }
}

#[derive(Clone, Debug)]
enum Behaviour {
    Serve(Resource),
    Status(u16),
    /// Wait this long, then answer 200 (the client should have given up by then).
    Sleep(Duration),
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Logged {
    pub path: String,
    pub accept: Option<String>,
    pub range: Option<String>,
    pub if_none_match: Option<String>,
    pub status: u16,
}

#[derive(Default)]
struct State {
    routes: Mutex<HashMap<String, Behaviour>>,
    log: Mutex<Vec<Logged>>,
}

pub struct TestServer {
    base: String,
    state: Arc<State>,
    server: Arc<Server>,
    accept: Option<JoinHandle<()>>,
}

impl TestServer {
    pub fn start() -> TestServer {
        let server = Arc::new(Server::http("127.0.0.1:0").expect("bind 127.0.0.1:0"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let state = Arc::new(State::default());
        let accept = {
            let (server, state) = (server.clone(), state.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let state = state.clone();
                    // One thread per request, so a deliberately slow answer blocks nothing.
                    std::thread::spawn(move || handle(&state, request));
                }
            })
        };
        TestServer {
            base: format!("http://127.0.0.1:{port}"),
            state,
            server,
            accept: Some(accept),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn serve(&self, path: &str, resource: Resource) {
        self.route(path, Behaviour::Serve(resource));
    }

    pub fn status(&self, path: &str, status: u16) {
        self.route(path, Behaviour::Status(status));
    }

    pub fn sleep(&self, path: &str, delay: Duration) {
        self.route(path, Behaviour::Sleep(delay));
    }

    fn route(&self, path: &str, behaviour: Behaviour) {
        self.state
            .routes
            .lock()
            .unwrap()
            .insert(path.to_string(), behaviour);
    }

    pub fn log(&self) -> Vec<Logged> {
        self.state.log.lock().unwrap().clone()
    }

    pub fn paths(&self) -> Vec<String> {
        self.log().into_iter().map(|logged| logged.path).collect()
    }

    pub fn clear_log(&self) {
        self.state.log.lock().unwrap().clear();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn header(request: &Request, name: &'static str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|header| header.field.equiv(name))
        .map(|header| header.value.as_str().to_string())
}

fn handle(state: &State, request: Request) {
    let path = request.url().split('?').next().unwrap_or("").to_string();
    let behaviour = state.routes.lock().unwrap().get(&path).cloned();
    let range = header(&request, "Range");
    let if_none_match = header(&request, "If-None-Match");
    let (status, response) = match behaviour {
        None => (
            404,
            Response::from_data(b"not found".to_vec()).with_status_code(404),
        ),
        Some(Behaviour::Status(status)) => (
            status,
            Response::from_data(format!("status {status}").into_bytes()).with_status_code(status),
        ),
        Some(Behaviour::Sleep(delay)) => {
            std::thread::sleep(delay);
            (200, Response::from_data(b"too late".to_vec()))
        }
        Some(Behaviour::Serve(resource)) => {
            serve(&resource, range.as_deref(), if_none_match.as_deref())
        }
    };
    state.log.lock().unwrap().push(Logged {
        path,
        accept: header(&request, "Accept"),
        range,
        if_none_match,
        status,
    });
    // The client may have hung up (the timeout test); nothing to do about it.
    let _ = request.respond(response);
}

fn serve(
    resource: &Resource,
    range: Option<&str>,
    if_none_match: Option<&str>,
) -> (u16, Response<std::io::Cursor<Vec<u8>>>) {
    let with_headers = |mut response: Response<std::io::Cursor<Vec<u8>>>| {
        let mut add = |name: &str, value: &str| {
            response.add_header(Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap());
        };
        add("Content-Type", &resource.content_type);
        if let Some(etag) = &resource.etag {
            add("ETag", etag);
        }
        if let Some(cache_control) = &resource.cache_control {
            add("Cache-Control", cache_control);
        }
        if resource.ranges {
            add("Accept-Ranges", "bytes");
        }
        response
    };
    if resource.etag.is_some() && if_none_match == resource.etag.as_deref() {
        return (
            304,
            with_headers(Response::from_data(Vec::new()).with_status_code(304)),
        );
    }
    let length = resource.body.len() as u64;
    if let (true, Some(range)) = (resource.ranges, range) {
        let Some((start, end)) = parse_range(range, length) else {
            let response = Response::from_data(Vec::new()).with_status_code(416);
            return (416, with_headers(response));
        };
        let body = resource.body[start as usize..=end as usize].to_vec();
        let mut response = with_headers(Response::from_data(body).with_status_code(206));
        response.add_header(
            Header::from_bytes(
                &b"Content-Range"[..],
                format!("bytes {start}-{end}/{length}").as_bytes(),
            )
            .unwrap(),
        );
        return (206, response);
    }
    (
        200,
        with_headers(Response::from_data(resource.body.clone())),
    )
}

/// `bytes=-N`, `bytes=A-B`, `bytes=A-` → an inclusive range within the file.
fn parse_range(value: &str, length: u64) -> Option<(u64, u64)> {
    let spec = value.strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    if length == 0 {
        return None;
    }
    if start.is_empty() {
        let suffix: u64 = end.parse().ok()?;
        return Some((length.saturating_sub(suffix), length - 1));
    }
    let start: u64 = start.parse().ok()?;
    let end: u64 = if end.is_empty() {
        length - 1
    } else {
        end.parse::<u64>().ok()?.min(length - 1)
    };
    (start <= end).then_some((start, end))
}
