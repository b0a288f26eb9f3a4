//! A site owner's own web site: pages served from a second local origin, not the edge, so
//! that browser tests embed the widget cross-origin, as every customer does.

use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use crate::http_server::{read_request, respond};

/// A page: its HTML and the Content-Security-Policy it is sent with, if any.
#[derive(Clone)]
struct Page {
    html: String,
    csp: Option<String>,
}

type Pages = Arc<Mutex<HashMap<String, Page>>>;

/// An HTTP server on 127.0.0.1 that lives as long as the test process.
pub struct HostSite {
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
    pages: Pages,
}

impl HostSite {
    pub fn start() -> HostSite {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port for the host site");
        let origin = format!("http://{}", listener.local_addr().expect("an address"));
        let pages = Pages::default();
        let served = pages.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let pages = served.clone();
                std::thread::spawn(move || serve(stream, &pages));
            }
        });
        HostSite { origin, pages }
    }

    /// Publishes `html` at `path` (with a CSP header when given) and answers its URL.
    pub fn publish(&self, path: &str, html: String, csp: Option<String>) -> String {
        let mut pages = self.pages.lock().expect("the pages");
        pages.insert(path.to_string(), Page { html, csp });
        format!("{}{path}", self.origin)
    }
}

/// The embed snippet as a site owner pastes it, pointing at `edge`.
pub fn snippet(edge: &str, inbox_identifier: &str) -> String {
    format!("<script src=\"{edge}/widget.js\" data-inbox=\"{inbox_identifier}\" async></script>")
}

/// Answers one request (GET of a published page, else 404) and closes the connection.
fn serve(mut stream: TcpStream, pages: &Pages) {
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    let page = pages.lock().ok().and_then(|pages| pages.get(&request.path).cloned());
    let (status, body, csp) = match page {
        Some(page) => ("200 OK", page.html, page.csp),
        None => ("404 Not Found", "not here".to_string(), None),
    };
    let csp = csp
        .map(|policy| format!("Content-Security-Policy: {policy}\r\n"))
        .unwrap_or_default();
    let headers = format!("Content-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n{csp}");
    respond(&mut stream, status, &headers, &body);
}
