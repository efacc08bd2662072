//! Who may talk to the dev server: the `Host` and `Origin` checks.
//!
//! A dev server on 127.0.0.1 is reachable from every web page open in the
//! same browser. Two attacks follow, and each header closes one:
//!
//! - **DNS rebinding**: `evil.example` resolves to the attacker's server,
//!   then to 127.0.0.1; the page can now read everything served (drafts,
//!   the error overlay, which may quote roster values) as *its own* origin.
//!   The browser still sends `Host: evil.example`, so only requests whose
//!   `Host` names this server are answered ([`Guard::host_ok`]).
//! - **Cross-site requests**: any page may `fetch` or `<form>`-post to
//!   `http://127.0.0.1:1111/api/v1` and write files. Browsers send `Origin`
//!   on every such request, so writes need an `Origin` equal to the served
//!   origin ([`Guard::same_origin`]), and a present `Origin` or
//!   `Sec-Fetch-Site` that says "another site" refuses the live-reload
//!   stream too. A same-origin `EventSource` sends no `Origin` (the Fetch
//!   standard adds it to GET only for CORS requests), so its absence is fine
//!   there.
//!
//! Pure functions over header values; `mod.rs` applies them to requests.

use std::net::{IpAddr, SocketAddr};

/// The names under which this server may be addressed, and its port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guard {
    /// Lower-case host names and IP literals (IPv6 in brackets).
    names: Vec<String>,
    port: u16,
    /// Bound to every interface (`0.0.0.0`, `::`): any IP literal names this
    /// machine (a phone on the LAN uses the laptop's address). IP literals
    /// cannot be rebound, so this stays safe.
    any_ip: bool,
}

impl Guard {
    /// For a server bound to `addr`, asked for as `--bind bind`.
    pub fn new(bind: &str, addr: SocketAddr) -> Guard {
        let mut names: Vec<String> = ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let bind = bind.trim().to_ascii_lowercase();
        let bind = match bind.parse::<IpAddr>() {
            Ok(IpAddr::V6(v6)) => format!("[{v6}]"),
            Ok(ip) => ip.to_string(),
            Err(_) => bind,
        };
        let ip = match addr.ip() {
            IpAddr::V6(v6) => format!("[{v6}]"),
            ip => ip.to_string(),
        };
        for n in [bind, ip] {
            if !n.is_empty() && !names.contains(&n) {
                names.push(n);
            }
        }
        Guard {
            names,
            port: addr.port(),
            any_ip: addr.ip().is_unspecified(),
        }
    }

    /// Whether a `Host` header value names this server (name and port).
    /// Absent or empty: no (every HTTP/1.1 client, browsers included, sends it).
    pub fn host_ok(&self, host: Option<&str>) -> bool {
        let Some(host) = host.map(str::trim).filter(|h| !h.is_empty()) else {
            return false;
        };
        let (name, port) = split_port(host);
        let port_ok = match port {
            Some(p) => p.parse::<u16>().ok() == Some(self.port),
            None => self.port == 80,
        };
        if !port_ok {
            return false;
        }
        let name = name.to_ascii_lowercase();
        self.names.contains(&name) || (self.any_ip && is_ip_literal(&name))
    }

    /// The served origins, for messages: `http://127.0.0.1:1111, …`.
    pub fn origins(&self) -> String {
        self.names
            .iter()
            .map(|n| {
                if self.port == 80 {
                    format!("http://{n}")
                } else {
                    format!("http://{n}:{}", self.port)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `name:port` -> (name, Some(port)); `[::1]:80` -> ("[::1]", Some("80"));
/// `name` and `[::1]` -> (name, None).
fn split_port(host: &str) -> (&str, Option<&str>) {
    if host.starts_with('[') {
        return match host.find(']') {
            Some(end) => {
                let (name, rest) = host.split_at(end + 1);
                match rest.strip_prefix(':') {
                    Some(p) => (name, Some(p)),
                    None if rest.is_empty() => (name, None),
                    // `[::1]x`: not a host; an empty name matches nothing.
                    None => ("", None),
                }
            }
            None => ("", None),
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    }
}

fn is_ip_literal(name: &str) -> bool {
    let inner = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    inner.parse::<IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(bind: &str, addr: &str) -> Guard {
        Guard::new(bind, addr.parse().unwrap())
    }

    #[test]
    fn hosts_of_a_loopback_server() {
        let g = guard("127.0.0.1", "127.0.0.1:1111");
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LocalHost:1111",
            "[::1]:1111",
        ] {
            assert!(g.host_ok(Some(ok)), "{ok}");
        }
        for bad in [
            "",
            "evil.example:1111",
            "evil.example",
            "127.0.0.1",
            "127.0.0.1:80",
            "127.0.0.1:01111x",
            "localhost.:1111",
            "localhost.evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "10.0.0.5:1111",
            "[::1]x:1111",
            "[::1",
            "user@127.0.0.1:1111",
        ] {
            assert!(!g.host_ok(Some(bad)), "{bad}");
        }
        assert!(!g.host_ok(None));
    }

    #[test]
    fn bind_names_and_wildcards() {
        let g = guard("MyLaptop.local", "192.168.1.5:8080");
        assert!(g.host_ok(Some("mylaptop.local:8080")));
        assert!(g.host_ok(Some("192.168.1.5:8080")));
        assert!(!g.host_ok(Some("192.168.1.6:8080")));
        let g = guard("0.0.0.0", "0.0.0.0:1111");
        assert!(g.host_ok(Some("192.168.1.6:1111")));
        assert!(g.host_ok(Some("[fe80::1]:1111")));
        assert!(!g.host_ok(Some("evil.example:1111")));
        let g = guard("::1", "[::1]:80");
        assert!(g.host_ok(Some("[::1]")));
        assert!(g.host_ok(Some("localhost")));
        assert!(g.origins().contains("http://[::1]"));
    }
}
