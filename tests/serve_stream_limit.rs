//! Issue 17, live-reload stream limit: past the limit the answer is an
//! immediate `503` with `Retry-After`, every stream under it gets its first
//! event at once, and pages are still answered while the streams are held
//! open. 70 streams are opened at the same time from threads, as 70 tabs
//! reconnecting after a server restart would.

mod serve_support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use serve_support::{get_as, parse, Site};

const STREAMS: usize = 70;
/// Idle connections open meanwhile.
const SILENT: usize = 20;
const LIMIT: Duration = Duration::from_secs(2);

/// What one stream got within [`LIMIT`] of the start.
#[derive(Debug)]
enum Got {
    /// `200` and the first `build` event.
    Stream(TcpStream),
    /// `503` with `Retry-After`, then the end of the body.
    Refused,
    /// Anything else (nothing, another status, a 503 without Retry-After).
    Other(String),
}

/// Open a stream at `start` and read until its first event or the end of a
/// refusal, giving up at `start + LIMIT`.
fn open(addr: SocketAddr, start: Instant) -> Got {
    let mut s = match TcpStream::connect_timeout(&addr, LIMIT) {
        Ok(s) => s,
        Err(e) => return Got::Other(format!("connect: {e}")),
    };
    let req = format!(
        "GET {} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n",
        enishi::serve::EVENTS_PATH
    );
    if let Err(e) = s.write_all(req.as_bytes()) {
        return Got::Other(format!("write: {e}"));
    }
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = (start + LIMIT).saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Got::Other(format!(
                "no answer within {LIMIT:?}: {:?}",
                String::from_utf8_lossy(&got)
            ));
        }
        s.set_read_timeout(Some(left)).unwrap();
        match s.read(&mut buf) {
            Ok(0) => {
                return Got::Other(format!("closed after {:?}", String::from_utf8_lossy(&got)))
            }
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => return Got::Other(format!("{e} after {:?}", String::from_utf8_lossy(&got))),
        }
        let text = String::from_utf8_lossy(&got).into_owned();
        if text.starts_with("HTTP/1.1 200") && text.contains("event: build\ndata: ") {
            return Got::Stream(s);
        }
        if text.starts_with("HTTP/1.1 503") {
            if let Some(head_end) = text.find("\r\n\r\n") {
                let r = parse(&got);
                let len: usize = r
                    .header("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                if got.len() >= head_end + 4 + len {
                    return match r.header("retry-after") {
                        Some(v) if v.parse::<u32>().is_ok() => Got::Refused,
                        _ => Got::Other(format!("503 without Retry-After: {text}")),
                    };
                }
            }
        }
    }
}

#[test]
fn seventy_streams_get_a_stream_or_an_immediate_503_and_pages_still_answer() {
    let site = Site::new();
    let srv = site.start();
    let a = srv.addr();
    // Connections that send nothing (a browser's preconnects and idle
    // keep-alive connections) must not hold up the others either.
    let silent: Vec<TcpStream> = (0..SILENT)
        .map(|_| TcpStream::connect(a).unwrap())
        .collect();
    let barrier = Arc::new(Barrier::new(STREAMS));
    let threads: Vec<_> = (0..STREAMS)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                open(a, Instant::now())
            })
        })
        .collect();
    let got: Vec<Got> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let refused = got.iter().filter(|g| matches!(g, Got::Refused)).count();
    let mut held = Vec::new();
    let mut unclear = Vec::new();
    for g in got {
        match g {
            Got::Stream(s) => held.push(s),
            Got::Refused => {}
            Got::Other(why) => unclear.push(why),
        }
    }
    let streams = held.len();
    assert!(
        unclear.is_empty(),
        "{streams} streams, {refused} refused, {} without a clear answer within {LIMIT:?}, e.g. {:?}",
        unclear.len(),
        unclear.first()
    );
    assert_eq!(streams, enishi::serve::MAX_RELOAD_CLIENTS);
    assert_eq!(refused, STREAMS - streams);
    assert_eq!(srv.reload_clients(), streams);

    // The streams are still open (`held`): pages answer at once.
    for _ in 0..8 {
        let t0 = Instant::now();
        let r = get_as(a, &a.to_string(), "/", "");
        assert_eq!(r.status, 200);
        assert!(t0.elapsed() < LIMIT, "a page took {:?}", t0.elapsed());
    }
    drop(held);
    drop(silent);
}
