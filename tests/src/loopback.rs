//! A tiny scripted HTTP/1.1 server on 127.0.0.1, for answers httpmock cannot give: any bytes as
//! a body (for end-to-end fuzzing), a chunked body of any size, or a `Content-Length` larger
//! than what is sent. It records what it received.

use std::sync::{Arc, Mutex, MutexGuard};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How the body of an answer is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// With a `Content-Length`.
    Fixed(Vec<u8>),
    /// `Transfer-Encoding: chunked`, one chunk per element.
    Chunked(Vec<Vec<u8>>),
    /// A `Content-Length` of `declared`, then only `sent`, then the connection is closed.
    Declared {
        /// The length announced.
        declared: u64,
        /// What is actually written.
        sent: Vec<u8>,
    },
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The status code (any three digits).
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
}

impl Reply {
    /// `status` with `body` and a JSON content type.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Body::Fixed(body.into()),
        }
    }

    /// The same answer with another way of sending the body.
    pub fn with_body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }
}

/// A request as the server read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The request target, e.g. `/v1/apps/a-1`.
    pub path: String,
    /// Header names (lowercase) and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Received {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Script = dyn Fn(&Received) -> Reply + Send + Sync;

/// The server; it stops when dropped.
pub struct Loopback {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl Loopback {
    /// Serves `script`'s answer to every request, on the current tokio runtime.
    pub async fn start(script: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Loopback {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let log = Arc::clone(&received);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&script), Arc::clone(&log)));
            }
        });
        Loopback {
            port,
            received,
            task,
        }
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.received).clone()
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Answers requests on one connection until the client closes it (keep-alive).
async fn serve(mut stream: TcpStream, script: Arc<Script>, log: Arc<Mutex<Vec<Received>>>) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let reply = script(&request);
        lock(&log).push(request);
        if write_reply(&mut stream, &reply).await.is_err() {
            return;
        }
        if matches!(reply.body, Body::Declared { .. }) {
            return;
        }
    }
}

/// Reads one request (head, then a `Content-Length` body); `None` when the connection ends.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Received> {
    let head_end = loop {
        if let Some(at) = find(buffer, b"\r\n\r\n") {
            break at;
        }
        if buffer.len() > 64 * 1024 || !read_more(stream, buffer).await {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let total = head_end + 4 + length;
    while buffer.len() < total {
        if !read_more(stream, buffer).await {
            return None;
        }
    }
    let body = buffer[head_end + 4..total].to_vec();
    buffer.drain(..total);
    Some(Received {
        method,
        path,
        headers,
        body,
    })
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

/// Writes the whole answer with one write where possible (separate small writes would meet
/// Nagle's algorithm and the client's delayed ACK: 40 ms per answer).
async fn write_reply(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {} Scripted\r\n", reply.status).into_bytes();
    for (name, value) in &reply.headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    match &reply.body {
        Body::Fixed(body) => {
            out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
            out.extend_from_slice(body);
        }
        Body::Chunked(chunks) => {
            out.extend_from_slice(b"transfer-encoding: chunked\r\n\r\n");
            for chunk in chunks.iter().filter(|c| !c.is_empty()) {
                out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
        }
        Body::Declared { declared, sent } => {
            out.extend_from_slice(format!("content-length: {declared}\r\n\r\n").as_bytes());
            out.extend_from_slice(sent);
        }
    }
    stream.write_all(&out).await?;
    stream.flush().await
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
