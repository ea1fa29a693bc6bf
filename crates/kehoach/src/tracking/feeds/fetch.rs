//! Fetches a feed over HTTP(S) with the limits a server needs when it calls
//! addresses typed in by users: time limits, a size cap, at most a few
//! redirects and only to http(s), and no requests into the server's own
//! network unless the installation allows it (tests serve feeds on loopback).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect::Policy;

use super::parse::{self, Feed, FeedError};

/// Feeds are a few hundred kilobytes at most; anything bigger is not one.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
const MAX_REDIRECTS: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("địa chỉ không hợp lệ")]
    BadUrl,
    #[error("chỉ chấp nhận địa chỉ http:// hoặc https://")]
    NotHttp,
    #[error("địa chỉ nội bộ không được phép")]
    Private,
    #[error("máy chủ trả lời quá chậm")]
    Timeout,
    #[error("nguồn tin quá lớn")]
    TooLarge,
    #[error("chuyển hướng quá nhiều lần")]
    Redirects,
    #[error("máy chủ trả mã lỗi {0}")]
    Status(u16),
    #[error("không kết nối được")]
    Network,
    #[error("{0}")]
    Feed(#[from] FeedError),
}

impl FetchError {
    /// The message key; `Status` carries its code as the `code` argument.
    pub fn key(&self) -> &'static str {
        match self {
            Self::BadUrl => "feed-error-bad-url",
            Self::NotHttp => "feed-error-not-http",
            Self::Private => "feed-error-private",
            Self::Timeout => "feed-error-timeout",
            Self::TooLarge => "feed-error-too-large",
            Self::Redirects => "feed-error-redirects",
            Self::Status(_) => "feed-error-status",
            Self::Network => "feed-error-network",
            Self::Feed(e) => e.key(),
        }
    }

    /// Stored with the feed so the page can show the reason in either language.
    pub fn code(&self) -> String {
        match self {
            Self::Status(s) => format!("{}:{s}", self.key()),
            _ => self.key().to_owned(),
        }
    }
}

/// A feed address, checked once: absolute http(s) with a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedUrl(reqwest::Url);

impl FeedUrl {
    pub fn parse(s: &str) -> Result<Self, FetchError> {
        let url = reqwest::Url::parse(s.trim()).map_err(|_| FetchError::BadUrl)?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::NotHttp);
        }
        if url.host_str().is_none_or(str::is_empty) || s.len() > 2000 {
            return Err(FetchError::BadUrl);
        }
        Ok(Self(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    allow_private: bool,
}

/// Public addresses only: loopback, private, link-local and the like are
/// where an attacker would point a server-side fetch.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1]))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80)
        }
    }
}

/// Resolves names and drops non-public addresses, so a name that points
/// inside the network fails like an unknown one.
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let public: Vec<SocketAddr> = found.filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err("no public address".into());
            }
            let addrs: Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

fn literal_host_allowed(url: &reqwest::Url, allow_private: bool) -> bool {
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        _ => return true,
    };
    allow_private || is_public(ip)
}

impl Fetcher {
    pub fn new(timeout: Duration, allow_private: bool) -> Self {
        // The TLS stack needs its crypto chosen once per process.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let policy = Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error("too many redirects")
            } else if !matches!(attempt.url().scheme(), "http" | "https")
                || !literal_host_allowed(attempt.url(), allow_private)
            {
                attempt.stop()
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder()
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .timeout(timeout)
            .redirect(policy)
            .user_agent(concat!(
                "kehoach/",
                env!("CARGO_PKG_VERSION"),
                " (feed reader)"
            ));
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        Self {
            client: builder.build().expect("HTTP client settings are valid"),
            allow_private,
        }
    }

    /// Downloads at most [`MAX_BYTES`] and parses the feed.
    pub async fn fetch(&self, url: &FeedUrl) -> Result<Feed, FetchError> {
        if !literal_host_allowed(&url.0, self.allow_private) {
            return Err(FetchError::Private);
        }
        let mut resp = self
            .client
            .get(url.0.clone())
            .header(
                "accept",
                "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1",
            )
            .send()
            .await
            .map_err(classify)?;
        if resp.status().is_redirection() {
            // The policy stopped at a non-http(s) or internal target.
            return Err(FetchError::NotHttp);
        }
        if !resp.status().is_success() {
            return Err(FetchError::Status(resp.status().as_u16()));
        }
        if resp.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
            return Err(FetchError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > MAX_BYTES {
                return Err(FetchError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(parse::parse(&body)?)
    }
}

fn classify(e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout
    } else if e.is_redirect() {
        FetchError::Redirects
    } else {
        FetchError::Network
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_web_addresses_are_feed_urls() {
        assert!(FeedUrl::parse("https://baophuyen.vn/rss/chinh-tri.rss").is_ok());
        assert_eq!(
            FeedUrl::parse("file:///etc/passwd"),
            Err(FetchError::NotHttp)
        );
        assert_eq!(FeedUrl::parse("ftp://x.vn/a"), Err(FetchError::NotHttp));
        assert_eq!(FeedUrl::parse("baophuyen.vn/rss"), Err(FetchError::BadUrl));
        assert_eq!(FeedUrl::parse(""), Err(FetchError::BadUrl));
    }

    #[test]
    fn internal_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.1.1",
            "169.254.169.254",
            "::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "100.64.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["203.113.131.1", "2001:db8::1"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }
}
