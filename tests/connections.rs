//! Connections bounded in time and per peer, through raw sockets: half a header, a trickling
//! body, an idle keep-alive connection and a peer opening too many connections each cost the
//! server one socket for a bounded time, never more.

mod server;

use server::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

fn connect(s: &Server) -> TcpStream {
    let addr = s.url("").trim_start_matches("http://").trim_end_matches('/').to_owned();
    let stream = TcpStream::connect(addr).unwrap();
    // Far above the server's limits below: a read that waits this long means no limit acted.
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream
}

/// Everything the server sends until it closes the connection.
fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    match stream.read_to_end(&mut got) {
        Ok(_) => String::from_utf8_lossy(&got).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => String::from_utf8_lossy(&got).into_owned(),
        Err(e) => panic!("the server kept the connection open: {e} (got {:?})", String::from_utf8_lossy(&got)),
    }
}

#[test]
fn slow_and_greedy_clients_are_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let sirh = create_key(dir.path(), "sirh");

    // One peer holding its cap of connections: the next one is closed at once; the server still
    // answers once one is given back. (Default timeouts here: the held sockets stay open.)
    let s = Server::start_with(dir.path(), &[("VIVIER_MAX_CONNECTIONS_PER_PEER", "4")]);
    let held: Vec<TcpStream> = (0..4).map(|_| connect(&s)).collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut extra = connect(&s);
    let _ = extra.write_all(b"GET /healthz HTTP/1.1\r\nHost: vivier\r\n\r\n");
    let answer = read_until_closed(&mut extra);
    assert!(answer.is_empty(), "a fifth connection was served: {answer}");
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(get(&s.url("/healthz"), None).status, 200);
    s.stop();

    let s = Server::start_with(
        dir.path(),
        &[
            ("VIVIER_HEADER_READ_TIMEOUT_MS", "1000"),
            ("VIVIER_BODY_TIMEOUT_MS", "1500"),
            ("VIVIER_IDLE_TIMEOUT_MS", "1000"),
        ],
    );

    // Half a header: the connection is closed, no answer.
    let mut half = connect(&s);
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: vivier\r\n").unwrap();
    let answer = read_until_closed(&mut half);
    assert!(!answer.contains("200 OK"), "{answer}");

    // A body that trickles: 408 once the body deadline passes, whatever the pace.
    let mut slow = connect(&s);
    let head = format!(
        "POST /v1/decisions HTTP/1.1\r\nHost: vivier\r\nAuthorization: Bearer {sirh}\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n"
    );
    slow.write_all(head.as_bytes()).unwrap();
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(300));
        let _ = slow.write_all(b"{ ");
    }
    let answer = read_until_closed(&mut slow);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");

    // A keep-alive connection that asks once then stays silent is closed after its answer.
    let mut idle = connect(&s);
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: vivier\r\n\r\n").unwrap();
    let answer = read_until_closed(&mut idle);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
