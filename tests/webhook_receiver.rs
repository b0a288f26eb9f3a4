//! A real HTTP server on 127.0.0.1 standing in for a customer's webhook endpoint: it records
//! every request and answers as the test tells it (fail some first, answer slowly).

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::http_server::{read_request, respond};

/// One delivery as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The status it was answered with.
    pub answered: u16,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    pub fn event(&self) -> String {
        self.json()["event"].as_str().unwrap_or_default().to_string()
    }

    /// Whether `webhook-signature` holds the Standard Webhooks signature of this delivery
    /// under `secret` (`whsec_` and the base64 of the key), as a receiver checks it.
    pub fn is_signed_with(&self, secret: &str) -> bool {
        let Some(key) = secret.strip_prefix("whsec_").and_then(|key| STANDARD.decode(key).ok()) else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
            return false;
        };
        let signed = format!(
            "{}.{}.{}",
            self.header("webhook-id"),
            self.header("webhook-timestamp"),
            self.body
        );
        mac.update(signed.as_bytes());
        let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
        self.header("webhook-signature")
            .split(' ')
            .any(|signature| signature == expected)
    }
}

/// How the receiver answers.
#[derive(Debug, Clone, Copy)]
pub struct Behaviour {
    /// The first this many requests get a 500.
    pub failures: usize,
    /// How long each answer takes.
    pub delay: Duration,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour {
            failures: 0,
            delay: Duration::ZERO,
        }
    }
}

pub struct Receiver {
    /// `http://127.0.0.1:PORT/hook`.
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub fn start(behaviour: Behaviour) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port for the receiver");
        let url = format!("http://{}/hook", listener.local_addr().expect("an address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let seen = Arc::new(AtomicUsize::new(0));
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let log = log.clone();
                let seen = seen.clone();
                std::thread::spawn(move || {
                    let Some(request) = read_request(&mut stream) else {
                        return;
                    };
                    let number = seen.fetch_add(1, Ordering::SeqCst);
                    std::thread::sleep(behaviour.delay);
                    let answered = if number < behaviour.failures { 500 } else { 200 };
                    if let Ok(mut log) = log.lock() {
                        log.push(Received {
                            path: request.path,
                            headers: request.headers,
                            body: String::from_utf8_lossy(&request.body).into_owned(),
                            answered,
                        });
                    }
                    let status = if answered == 200 {
                        "200 OK"
                    } else {
                        "500 Internal Server Error"
                    };
                    respond(&mut stream, status, "", "");
                });
            }
        });
        Receiver { url, received }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|log| log.clone()).unwrap_or_default()
    }

    /// Waits until `done` holds for what arrived (or `within` passes) and answers it.
    pub fn wait_until(&self, within: Duration, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let received = self.received();
            if done(&received) || Instant::now() > deadline {
                return received;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// What arrived of `event`, once at least `count` have (or after `within`).
    pub fn events(&self, event: &str, count: usize, within: Duration) -> Vec<Received> {
        let of_event = |received: &[Received]| -> Vec<Received> {
            received.iter().filter(|one| one.event() == event).cloned().collect()
        };
        of_event(&self.wait_until(within, |received| of_event(received).len() >= count))
    }
}
