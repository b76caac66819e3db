//! The HTTP transports (`HyperTransport`, the default, and `ReqwestTransport`) against tiny
//! HTTP/1.1 servers on 127.0.0.1 (no other network): one suite run against each transport its
//! feature builds, and the hyper transport's own tests (Content-Length on bodiless requests,
//! proxies with credentials, CONNECT tunnels, connect timeouts).
#![cfg(any(feature = "hyper", feature = "reqwest"))]
#![allow(dead_code)] // helpers only some transports' tests use, depending on the features built

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alicloud_runtime::transport::{HttpRequest, Transport, TransportErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A self-signed CA certificate made for these tests (its key was thrown away).
const TEST_CA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBnTCCAUOgAwIBAgIUbNrzafxGM+x03D1mDqms85hLmM8wCgYIKoZIzj0EAwIw
IzEhMB8GA1UEAwwYYWxpY2xvdWQtcnVudGltZSB0ZXN0IENBMCAXDTI2MTEyNTE4
MjYzMFoYDzIxMjYxMTAxMTgyNjMwWjAjMSEwHwYDVQQDDBhhbGljbG91ZC1ydW50
aW1lIHRlc3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASPLS+vRcnrJmYc
jfNA3wagvlA+8K2QRSho/BBtj6cDkraDupKmi+0GfOtKKMtoNIzq6XibC7hbiOBe
5PEjI8W6o1MwUTAdBgNVHQ4EFgQUSfescep1BsFa/Cwk+AOHQPQLzAwwHwYDVR0j
BBgwFoAUSfescep1BsFa/Cwk+AOHQPQLzAwwDwYDVR0TAQH/BAUwAwEB/zAKBggq
hkjOPQQDAgNIADBFAiBl4/HhkOE/DqHeDGDXBNBymwnfLYdx29JwRtTmo3gjAAIh
ALdy+p70fvBdHufsJ37lrqnH6ySlJUf6wA6cE6I34cBG
-----END CERTIFICATE-----
";

const SECRET_QUERY: &str = "IkeConfig=%7B%22Psk%22%3A%22secretvalue%22%7D";

/// A request as the server read it.
#[derive(Clone, Debug)]
struct Seen {
    request_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A keep-alive HTTP/1.1 server answering every request with the same JSON body.
struct Server {
    port: u16,
    connections: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Seen> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let mut lines = head.split("\r\n");
            let request_line = lines.next()?.to_owned();
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .collect();
            let len: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let mut chunk = [0u8; 4096];
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = buf[end + 4..end + 4 + len].to_vec();
            buf.drain(..end + 4 + len);
            return Some(Seen {
                request_line,
                headers,
                body,
            });
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn serve() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let (c, s) = (connections.clone(), seen.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            c.fetch_add(1, Ordering::SeqCst);
            let s = s.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                while let Some(req) = read_request(&mut stream, &mut buf).await {
                    s.lock().unwrap().push(req);
                    let body = r#"{"RequestId":"R-1","Ok":true}"#;
                    let resp = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-acs-request-id: R-1\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if stream.write_all(resp.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Server {
        port,
        connections,
        seen,
    }
}

/// A server that accepts connections and reads requests but never answers.
async fn serve_silent() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
            });
        }
    });
    port
}

/// A loopback port with nothing listening.
async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

fn post(url: &str, body: &str) -> HttpRequest {
    http::Request::builder()
        .method("POST")
        .uri(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-acs-action", "Test")
        .body(body.as_bytes().to_vec())
        .unwrap()
}

/// The tests every transport must pass, for transport type `$transport` (built by feature
/// `$feature`), in module `$name`.
macro_rules! transport_suite {
    ($name:ident, $feature:literal, $transport:ty) => {
        #[cfg(feature = $feature)]
        mod $name {
            use super::*;

            type T = $transport;

            fn transport() -> T {
                T::builder()
                    .no_proxy()
                    .connect_timeout(Duration::from_secs(5))
                    .timeout(Duration::from_secs(20))
                    .build()
                    .unwrap()
            }

            #[tokio::test]
            async fn round_trip_and_connection_reuse() {
                let server = serve().await;
                let t = transport();
                let url = format!("http://127.0.0.1:{}/?A=1&{SECRET_QUERY}", server.port);
                let resp = t.send(post(&url, "Tunnel.1.Role=master")).await.unwrap();
                assert_eq!(resp.status(), 200);
                assert_eq!(resp.headers()["x-acs-request-id"], "R-1");
                assert_eq!(resp.headers()["content-type"], "application/json");
                assert_eq!(resp.body().as_slice(), br#"{"RequestId":"R-1","Ok":true}"#);
                {
                    let seen = server.seen.lock().unwrap();
                    assert_eq!(seen.len(), 1);
                    assert_eq!(
                        seen[0].request_line,
                        format!("POST /?A=1&{SECRET_QUERY} HTTP/1.1")
                    );
                    assert_eq!(seen[0].header("x-acs-action"), Some("Test"));
                    assert_eq!(
                        seen[0].header("content-type"),
                        Some("application/x-www-form-urlencoded")
                    );
                    assert_eq!(seen[0].body, b"Tunnel.1.Role=master");
                }

                // Clones share one client, so later requests reuse the pooled connection. The pool gets
                // the connection back asynchronously, so a few requests are sent and at least one reuse
                // is required.
                let clone = t.clone();
                for _ in 0..3 {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    let resp = clone.send(post(&url, "")).await.unwrap();
                    assert_eq!(resp.status(), 200);
                }
                assert_eq!(server.seen.lock().unwrap().len(), 4);
                let conns = server.connections.load(Ordering::SeqCst);
                assert!(
                    conns < 4,
                    "no connection was reused ({conns} connections for 4 requests)"
                );
            }

            #[tokio::test]
            async fn explicit_proxy_receives_absolute_form_requests() {
                let proxy = serve().await;
                let t = T::builder()
                    .proxy(format!("http://127.0.0.1:{}", proxy.port))
                    .build()
                    .unwrap();
                // `.invalid` never resolves: only the proxy can have answered.
                let resp = t
                    .send(post("http://vpc.example.invalid/?A=1", "x=y"))
                    .await
                    .unwrap();
                assert_eq!(resp.status(), 200);
                let seen = proxy.seen.lock().unwrap();
                assert_eq!(seen.len(), 1);
                assert_eq!(
                    seen[0].request_line,
                    "POST http://vpc.example.invalid/?A=1 HTTP/1.1"
                );
                assert_eq!(seen[0].body, b"x=y");
            }

            #[tokio::test]
            async fn connect_error_to_a_closed_port_hides_the_url() {
                let port = closed_port().await;
                let t = transport();
                let url = format!("http://127.0.0.1:{port}/?{SECRET_QUERY}");
                let err = t.send(post(&url, "")).await.unwrap_err();
                assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
                let shown = format!("{err} | {err:?}");
                assert!(!shown.contains("secretvalue"), "{shown}");
                assert!(!shown.contains("Psk"), "{shown}");
                assert!(shown.starts_with("connection failed: "), "{shown}");
            }

            #[tokio::test]
            async fn read_timeout_is_a_timeout_and_hides_the_url() {
                let port = serve_silent().await;
                let t = T::builder()
                    .no_proxy()
                    .timeout(Duration::from_millis(300))
                    .build()
                    .unwrap();
                let url = format!("http://127.0.0.1:{port}/?{SECRET_QUERY}");
                let err = t.send(post(&url, "a=b")).await.unwrap_err();
                assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
                assert!(err.is_timeout());
                let shown = format!("{err} | {err:?}");
                assert!(!shown.contains("secretvalue"), "{shown}");
                assert!(!shown.contains("127.0.0.1"), "{shown}");
            }

            #[tokio::test]
            async fn invalid_requests_are_other_errors_without_the_url() {
                let t = transport();
                let req = http::Request::builder()
                    .method("POST")
                    .uri(format!("ftp://127.0.0.1:1/?{SECRET_QUERY}"))
                    .body(Vec::new())
                    .unwrap();
                let err = t.send(req).await.unwrap_err();
                assert_eq!(err.kind(), TransportErrorKind::Other, "{err}");
                assert!(!format!("{err} {err:?}").contains("secretvalue"), "{err}");
            }

            #[test]
            fn root_certificates_are_checked_when_building() {
                let ok = T::builder().add_root_certificate_pem(TEST_CA_PEM).build();
                assert!(ok.is_ok(), "{:?}", ok.err());

                let err = T::builder()
                    .add_root_certificate_pem("not a certificate")
                    .build()
                    .unwrap_err();
                assert_eq!(err.kind(), TransportErrorKind::Other);
                assert!(err.to_string().contains("root certificate #1"), "{err}");

                let err = T::builder()
                    .proxy("http://user:hunter2@[not a host")
                    .build()
                    .unwrap_err();
                assert!(!err.to_string().contains("hunter2"), "{err}");
            }
        }
    };
}

transport_suite!(
    hyper,
    "hyper",
    alicloud_runtime::hyper_transport::HyperTransport
);
transport_suite!(
    reqwest,
    "reqwest",
    alicloud_runtime::reqwest_transport::ReqwestTransport
);

/// What only the hyper transport does itself (reqwest does these inside its own crate).
#[cfg(feature = "hyper")]
mod hyper_only {
    use super::*;
    use alicloud_runtime::hyper_transport::HyperTransport;

    fn transport() -> HyperTransport {
        HyperTransport::builder()
            .no_proxy()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn bodiless_posts_carry_content_length_zero() {
        let server = serve().await;
        let t = transport();
        let url = format!("http://127.0.0.1:{}/?Action=DescribeRegions", server.port);
        // A POST without a body (every parameter in the query, as RPC calls without body
        // parameters are sent), then a GET, which takes no length.
        t.send(post(&url, "")).await.unwrap();
        let get = http::Request::builder()
            .method("GET")
            .uri(&url)
            .body(Vec::new())
            .unwrap();
        t.send(get).await.unwrap();
        t.send(post(&url, "a=b")).await.unwrap();
        let seen = server.seen.lock().unwrap();
        assert_eq!(seen.len(), 3);
        assert!(seen[0].request_line.starts_with("POST "), "{:?}", seen[0]);
        assert_eq!(seen[0].header("content-length"), Some("0"), "{:?}", seen[0]);
        assert!(seen[1].request_line.starts_with("GET "), "{:?}", seen[1]);
        assert_eq!(seen[1].header("content-length"), None, "{:?}", seen[1]);
        assert_eq!(seen[2].header("content-length"), Some("3"), "{:?}", seen[2]);
        assert_eq!(seen[2].body, b"a=b");
        // The request keeps its own headers and gets the host from its URL.
        assert_eq!(seen[0].header("x-acs-action"), Some("Test"));
        assert_eq!(
            seen[0].header("host"),
            Some(format!("127.0.0.1:{}", server.port).as_str())
        );
    }

    #[tokio::test]
    async fn plain_http_through_a_proxy_with_credentials_sends_them_to_the_proxy() {
        let proxy = serve().await;
        let t = HyperTransport::builder()
            .proxy(format!("http://alice:s3cret@127.0.0.1:{}", proxy.port))
            .build()
            .unwrap();
        let resp = t
            .send(post("http://vpc.example.invalid:8080/?A=1", ""))
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let seen = proxy.seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(
            seen[0].request_line,
            "POST http://vpc.example.invalid:8080/?A=1 HTTP/1.1"
        );
        // base64("alice:s3cret")
        assert_eq!(
            seen[0].header("proxy-authorization"),
            Some("Basic YWxpY2U6czNjcmV0")
        );
        assert_eq!(seen[0].header("content-length"), Some("0"));
    }

    #[tokio::test]
    async fn https_through_an_http_proxy_opens_a_connect_tunnel() {
        // The proxy answers the CONNECT with 200 and then with JSON, which is no TLS server: the
        // handshake fails, but the proxy has seen the tunnel asked for, credentials included.
        let proxy = serve().await;
        let t = HyperTransport::builder()
            .proxy(format!("http://alice:s3cret@127.0.0.1:{}", proxy.port))
            // The failed handshake may wait for bytes that never come; the timeout ends it.
            .connect_timeout(Duration::from_secs(1))
            .build()
            .unwrap();
        let url = format!("https://vpc.example.invalid/?{SECRET_QUERY}");
        let err = t.send(post(&url, "a=b")).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
        let shown = format!("{err} | {err:?}");
        assert!(!shown.contains("secretvalue"), "{shown}");
        assert!(!shown.contains("s3cret"), "{shown}");
        let seen = proxy.seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert_eq!(
            seen[0].request_line,
            "CONNECT vpc.example.invalid:443 HTTP/1.1"
        );
        assert_eq!(
            seen[0].header("proxy-authorization"),
            Some("Basic YWxpY2U6czNjcmV0")
        );
    }

    #[tokio::test]
    async fn connect_timeout_is_a_connect_error() {
        // A proxy that accepts and never answers the CONNECT: the connection is not open in time.
        let port = serve_silent().await;
        let t = HyperTransport::builder()
            .proxy(format!("http://127.0.0.1:{port}"))
            .connect_timeout(Duration::from_millis(300))
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        let err = t
            .send(post("https://vpc.example.invalid/", ""))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
        assert!(err.to_string().contains("no connection within"), "{err}");
    }
}
