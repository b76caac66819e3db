//! Both transports through a SOCKS5 proxy (the reqwest one with runtime feature `socks`, the
//! hyper one always): a minimal SOCKS5 server and an HTTP server, both on 127.0.0.1 and started
//! by the test; the call must reach the HTTP server through the proxy, with and without a user
//! name and password.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use alicloud_runtime::client::Scheme;
use alicloud_runtime::hyper_transport::HyperTransport;
use alicloud_runtime::reqwest_transport::ReqwestTransport;
use alicloud_runtime::Transport;
use alicloud_vpc::{Client, Config, Credentials};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const BODY: &str = r#"{"RequestId":"through-socks","TotalCount":7}"#;

/// An HTTP server answering every request with `BODY`, one request per connection.
async fn http_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{BODY}",
                    BODY.len()
                );
                let _ = conn.write_all(answer.as_bytes()).await;
            });
        }
    });
    addr
}

/// What the proxy was asked for: the user name and password given (if any) and the target.
#[derive(Debug, Default, Clone, PartialEq)]
struct Seen {
    login: Option<(String, String)>,
    target: Option<SocketAddr>,
}

/// A SOCKS5 server (RFC 1928, with RFC 1929 user/password when `login` is set) that accepts
/// CONNECT to an IPv4 address and relays bytes both ways.
async fn socks_server(
    login: Option<(&'static str, &'static str)>,
) -> (SocketAddr, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let record = log.clone();
    tokio::spawn(async move {
        while let Ok((conn, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(relay(conn, login, record));
        }
    });
    (addr, log)
}

/// Serves one client; what it asked for is logged before the proxy answers it, so that the
/// client cannot see an answer before the log holds it.
async fn relay(
    mut conn: TcpStream,
    login: Option<(&'static str, &'static str)>,
    log: Arc<Mutex<Vec<Seen>>>,
) -> Option<()> {
    let mut seen = Seen::default();
    // Greeting: version 5, the methods the client offers.
    let mut head = [0u8; 2];
    conn.read_exact(&mut head).await.ok()?;
    let mut methods = vec![0u8; usize::from(head[1])];
    conn.read_exact(&mut methods).await.ok()?;
    let method = if login.is_some() { 2 } else { 0 };
    if head[0] != 5 || !methods.contains(&method) {
        let _ = conn.write_all(&[5, 0xff]).await;
        return None;
    }
    conn.write_all(&[5, method]).await.ok()?;
    if let Some((user, pass)) = login {
        // Sub-negotiation: version 1, user, password.
        let mut v = [0u8; 2];
        conn.read_exact(&mut v).await.ok()?;
        let mut u = vec![0u8; usize::from(v[1])];
        conn.read_exact(&mut u).await.ok()?;
        let mut plen = [0u8; 1];
        conn.read_exact(&mut plen).await.ok()?;
        let mut p = vec![0u8; usize::from(plen[0])];
        conn.read_exact(&mut p).await.ok()?;
        let given = (
            String::from_utf8_lossy(&u).into_owned(),
            String::from_utf8_lossy(&p).into_owned(),
        );
        let ok = given.0 == user && given.1 == pass;
        seen.login = Some(given);
        if !ok {
            log.lock().unwrap().push(seen);
            conn.write_all(&[1, 1]).await.ok()?;
            return Some(());
        }
        conn.write_all(&[1, 0]).await.ok()?;
    }
    // Request: version, CONNECT, reserved, IPv4 address type, address, port.
    let mut req = [0u8; 4];
    conn.read_exact(&mut req).await.ok()?;
    if req[..2] != [5, 1] || req[3] != 1 {
        log.lock().unwrap().push(seen);
        let _ = conn.write_all(&[5, 7, 0, 1, 0, 0, 0, 0, 0, 0]).await;
        return Some(());
    }
    let mut ip = [0u8; 4];
    conn.read_exact(&mut ip).await.ok()?;
    let mut port = [0u8; 2];
    conn.read_exact(&mut port).await.ok()?;
    let target = SocketAddr::from((ip, u16::from_be_bytes(port)));
    seen.target = Some(target);
    let mut upstream = TcpStream::connect(target).await.ok()?;
    log.lock().unwrap().push(seen);
    conn.write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0]).await.ok()?;
    let _ = tokio::io::copy_bidirectional(&mut conn, &mut upstream).await;
    Some(())
}

/// Which transport a client sends through.
#[derive(Clone, Copy, Debug)]
enum Via {
    Reqwest,
    Hyper,
}

const BOTH: [Via; 2] = [Via::Reqwest, Via::Hyper];

fn client(via: Via, proxy: &str, endpoint: SocketAddr) -> Client {
    let transport: Arc<dyn Transport> = match via {
        Via::Reqwest => Arc::new(
            ReqwestTransport::builder()
                .no_proxy()
                .proxy(proxy)
                .build()
                .expect("a socks5 proxy URL is accepted with the `socks` feature"),
        ),
        Via::Hyper => Arc::new(
            HyperTransport::builder()
                .no_proxy()
                .proxy(proxy)
                .build()
                .expect("a socks5 proxy URL is accepted"),
        ),
    };
    Client::new(
        Config::from_arcs(Arc::new(Credentials::new("id", "secret")), transport)
            .with_endpoint(endpoint.to_string())
            .with_scheme(Scheme::Http),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_go_through_a_socks5_proxy() {
    for via in BOTH {
        let http = http_server().await;
        let (proxy, log) = socks_server(None).await;
        let answer = client(via, &format!("socks5://{proxy}"), http)
            .describe_vpcs()
            .region_id("cn-x")
            .send_with_metadata()
            .await
            .unwrap_or_else(|e| panic!("{via:?}: not answered through the proxy: {e}"));
        assert_eq!(answer.total_count, Some(7));
        assert_eq!(answer.request_id(), Some("through-socks"));
        let seen = log.lock().unwrap().clone();
        assert_eq!(
            seen,
            [Seen {
                login: None,
                target: Some(http)
            }]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socks5_proxies_take_a_user_and_password() {
    for via in BOTH {
        let http = http_server().await;
        let (proxy, log) = socks_server(Some(("alice", "s3cret"))).await;
        let answer = client(via, &format!("socks5://alice:s3cret@{proxy}"), http)
            .describe_vpcs()
            .region_id("cn-x")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{via:?}: not answered through the proxy: {e}"));
        assert_eq!(answer.total_count, Some(7));
        let seen = log.lock().unwrap().clone();
        assert_eq!(
            seen,
            [Seen {
                login: Some(("alice".into(), "s3cret".into())),
                target: Some(http)
            }]
        );

        // A wrong password is refused by the proxy: a transport error, without the password.
        let e = client(via, &format!("socks5://alice:wrong-pass@{proxy}"), http)
            .describe_vpcs()
            .region_id("cn-x")
            .send()
            .await
            .expect_err("the proxy refuses");
        assert!(matches!(e, alicloud_vpc::SdkError::Transport(_)), "{e:?}");
        assert!(!e.to_string().contains("wrong-pass"), "{e}");
        let refused = log.lock().unwrap()[1].clone();
        assert_eq!(
            refused,
            Seen {
                login: Some(("alice".into(), "wrong-pass".into())),
                target: None
            }
        );
    }
}
