//! The address of the person behind a request. Behind a reverse proxy every
//! connection comes from the proxy, so per-address limits would count one
//! school or newsroom as a single client, or everyone as one. Only when the
//! connecting peer is in `trusted_proxies` are `Forwarded` and
//! `X-Forwarded-For` read, from the right, skipping trusted hops: a client
//! cannot choose its own address by sending the header itself.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

/// The client's address as resolved through trusted proxies.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

/// The proxies whose forwarding headers are believed.
#[derive(Clone, Default)]
pub struct Proxies(Arc<Vec<IpNet>>);

/// `10.0.0.1, 10.1.0.0/16, ::1`: addresses or networks, separated by commas
/// or spaces; the error names the first one that is neither.
pub fn parse_proxies(s: &str) -> Result<Vec<IpNet>, String> {
    s.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<IpNet>()
                .or_else(|_| p.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| p.to_owned())
        })
        .collect()
}

impl Proxies {
    pub fn new(list: Vec<IpNet>) -> Self {
        Self(Arc::new(list))
    }

    fn trusts(&self, ip: &IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// The client behind `peer`: the rightmost address of the forwarding
    /// chain that is not a trusted proxy (`Forwarded` first, then
    /// `X-Forwarded-For`); the peer itself when it is not trusted.
    pub fn client_of(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(&peer) {
            return peer;
        }
        let chain = forwarded_for(headers);
        let mut client = peer;
        for hop in chain.iter().rev() {
            client = *hop;
            if !self.trusts(hop) {
                break;
            }
        }
        client
    }
}

/// The addresses of the forwarding chain, left (first client) to right.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_owned())
            .collect()
    };
    let forwarded: Vec<IpAddr> = values("forwarded")
        .iter()
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim().eq_ignore_ascii_case("for").then(|| node(v))?
            })
        })
        .collect();
    if !forwarded.is_empty() {
        return forwarded;
    }
    values("x-forwarded-for")
        .iter()
        .filter_map(|v| node(v))
        .collect()
}

/// One node: `192.0.2.1`, `"[2001:db8::1]:4711"`, `192.0.2.1:80`.
fn node(v: &str) -> Option<IpAddr> {
    let v = v.trim().trim_matches('"');
    if let Ok(ip) = v.parse() {
        return Some(ip);
    }
    if let Some(rest) = v.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    v.parse::<SocketAddr>().ok().map(|s| s.ip())
}

/// Adds [`ClientAddr`] to every request that came over a connection.
pub async fn resolve(State(proxies): State<Proxies>, mut req: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let client = proxies.client_of(peer.ip(), req.headers());
        req.extensions_mut().insert(ClientAddr(client));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_trusted_peers_are_believed() {
        let p = Proxies::new(parse_proxies("10.0.0.1, 10.1.0.0/16").unwrap());
        let h = headers(&[("x-forwarded-for", "203.0.113.9, 10.1.2.3")]);
        assert_eq!(p.client_of(ip("10.0.0.1"), &h), ip("203.0.113.9"));
        assert_eq!(p.client_of(ip("198.51.100.7"), &h), ip("198.51.100.7"));
        // A client that writes its own header is one hop further left.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9")]);
        assert_eq!(p.client_of(ip("10.0.0.1"), &h), ip("203.0.113.9"));
        let h = headers(&[(
            "forwarded",
            "for=\"[2001:db8::1]:4711\";proto=https, for=10.1.0.5",
        )]);
        assert_eq!(p.client_of(ip("10.0.0.1"), &h), ip("2001:db8::1"));
        assert_eq!(
            p.client_of(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
        assert!(parse_proxies("10.0.0.1, proxy.local").is_err());
    }
}
