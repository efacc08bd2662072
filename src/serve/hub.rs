//! Live-reload clients: a bounded set of Server-Sent Events streams.
//!
//! A stream is written on its connection's own thread (see the `conn`
//! module), raw, flushing after every event. The thread blocks on a channel; [`Hub::broadcast`] feeds every channel, and
//! [`Hub::close`] drops them so the threads end. A comment line every
//! [`KEEPALIVE`] finds clients that went away (the write fails).

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Most live-reload streams at once (a browser holds one per open tab).
pub const MAX_CLIENTS: usize = 64;
/// Interval of the keep-alive comment that detects closed tabs.
pub const KEEPALIVE: Duration = Duration::from_secs(15);

#[derive(Default)]
struct Inner {
    next_id: u64,
    closed: bool,
    clients: BTreeMap<u64, Sender<String>>,
}

/// The set of connected live-reload clients.
#[derive(Default)]
pub struct Hub {
    inner: Mutex<Inner>,
}

/// One client's place in the hub; leaving (drop) frees the slot.
pub struct Subscription {
    hub: Arc<Hub>,
    id: u64,
    rx: Receiver<String>,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding this lock cannot leave the map inconsistent.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new client, or `None` when [`MAX_CLIENTS`] are connected or the
    /// server is stopping.
    pub fn subscribe(self: &Arc<Self>) -> Option<Subscription> {
        let mut inner = self.lock();
        if inner.closed || inner.clients.len() >= MAX_CLIENTS {
            return None;
        }
        let (tx, rx) = mpsc::channel();
        let id = inner.next_id;
        inner.next_id += 1;
        inner.clients.insert(id, tx);
        Some(Subscription {
            hub: Arc::clone(self),
            id,
            rx,
        })
    }

    /// Send a build token to every client.
    pub fn broadcast(&self, token: &str) {
        let mut inner = self.lock();
        inner
            .clients
            .retain(|_, tx| tx.send(token.to_string()).is_ok());
    }

    /// Connected clients.
    pub fn clients(&self) -> usize {
        self.lock().clients.len()
    }

    /// Disconnect everyone and refuse new clients (shutdown).
    pub fn close(&self) {
        let mut inner = self.lock();
        inner.closed = true;
        inner.clients.clear();
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.hub.lock().clients.remove(&self.id);
    }
}

/// The response head of an event stream. HTTP/1.1 clients (every browser's
/// EventSource) get a chunked body, so that shutdown can end the stream with
/// the last chunk before the connection closes; HTTP/1.0
/// clients get a body that ends when the connection closes.
pub fn stream_head(http11: bool) -> String {
    let (version, framing) = if http11 {
        ("1.1", "Transfer-Encoding: chunked")
    } else {
        ("1.0", "Connection: close")
    };
    format!(
        "HTTP/{version} 200 OK\r\n\
Content-Type: text/event-stream; charset=utf-8\r\n\
Cache-Control: no-store\r\n\
X-Accel-Buffering: no\r\n\
{framing}\r\n\r\n"
    )
}

/// One SSE event in wire format.
pub fn event(token: &str) -> String {
    format!("event: build\ndata: {token}\n\n")
}

/// Write a piece of the body (as one chunk when chunked) and flush it.
fn send_piece(w: &mut dyn Write, data: &str, chunked: bool) -> std::io::Result<()> {
    if chunked {
        write!(w, "{:x}\r\n{data}\r\n", data.len())?;
    } else {
        w.write_all(data.as_bytes())?;
    }
    w.flush()
}

/// Write the stream to one client until it leaves or the hub closes.
/// `current` is the build token at connect time, sent first.
pub fn run_stream(w: &mut dyn Write, sub: Subscription, current: &str, http11: bool) {
    let head = stream_head(http11);
    if w.write_all(head.as_bytes()).is_err() {
        return;
    }
    let hello = format!("retry: 1000\n\n{}", event(current));
    if send_piece(w, &hello, http11).is_err() {
        return;
    }
    loop {
        let piece = match sub.rx.recv_timeout(KEEPALIVE) {
            Ok(token) => event(&token),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => {
                // Server stopping: end the body; the tab's EventSource will
                // retry and reload once a server answers again.
                if http11 {
                    let _ = w.write_all(b"0\r\n\r\n").and_then(|()| w.flush());
                }
                return;
            }
        };
        if send_piece(w, &piece, http11).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_frees_slots() {
        let hub = Arc::new(Hub::default());
        let subs: Vec<_> = (0..MAX_CLIENTS).map(|_| hub.subscribe()).collect();
        assert!(subs.iter().all(Option::is_some));
        assert!(hub.subscribe().is_none());
        drop(subs);
        assert_eq!(hub.clients(), 0);
        assert!(hub.subscribe().is_some());
    }

    #[test]
    fn broadcast_reaches_clients_and_close_ends_them() {
        let hub = Arc::new(Hub::default());
        let a = hub.subscribe().unwrap();
        hub.broadcast("x-2");
        assert_eq!(a.rx.recv().unwrap(), "x-2");
        hub.close();
        assert!(a.rx.recv().is_err());
        assert!(hub.subscribe().is_none());
    }
}
