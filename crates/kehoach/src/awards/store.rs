//! Entry files: streamed into the object store with a size cap, their type
//! decided by content, kept under their SHA-256 and never under a name an
//! uploader chose. The same code serves a local folder (the default, outside
//! any web root) and S3-compatible storage for installations on several
//! servers, through the `object_store` crate.

use std::ops::Range;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::multipart::Field;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use kehoach_award::{Format, Kind, SNIFF_LEN, sniff};
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, WriteMultipart};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::config::Settings;

#[derive(Clone)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
}

/// A stored upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub sha256: String,
    pub size: u64,
    pub format: Format,
}

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("too large")]
    TooLarge { max_mb: u64 },
    #[error("type not accepted")]
    WrongKind,
    #[error("empty file")]
    Empty,
    #[error("upload interrupted")]
    Interrupted,
    #[error(transparent)]
    Store(#[from] object_store::Error),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a blob lives: fanned out by its first two hex digits.
fn blob_path(sha256: &str) -> Path {
    Path::from(format!("awards/{}/{}", &sha256[..2], sha256))
}

impl Blobs {
    /// `files_url` is `s3://bucket/…` (credentials and endpoint from the
    /// usual AWS_* variables); without it files go under `data_dir/files`.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let store: Arc<dyn ObjectStore> = match &settings.files_url {
            Some(url) if url.starts_with("s3://") => Arc::new(
                object_store::aws::AmazonS3Builder::from_env()
                    .with_url(url)
                    .build()?,
            ),
            Some(other) => anyhow::bail!("files_url must be s3://…, not {other}"),
            None => {
                let dir = settings.data_dir.join("files");
                std::fs::create_dir_all(&dir)?;
                Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?)
            }
        };
        Ok(Self { store })
    }

    /// Streams one multipart field into the store. The type is decided from
    /// the first bytes and the size checked chunk by chunk, so a refused
    /// upload stops early and leaves nothing behind.
    pub async fn put_field(
        &self,
        field: &mut Field<'_>,
        max_bytes: u64,
        kinds: &[Kind],
    ) -> Result<Stored, UploadError> {
        self.put_chunks(FieldChunks { field, max_bytes }, max_bytes, kinds)
            .await
    }

    /// [`Blobs::put_field`] for chunks from elsewhere (a member of an
    /// imported .zip, read on a blocking thread).
    pub async fn put_receiver(
        &self,
        chunks: &mut tokio::sync::mpsc::Receiver<std::io::Result<Bytes>>,
        max_bytes: u64,
        kinds: &[Kind],
    ) -> Result<Stored, UploadError> {
        self.put_chunks(chunks, max_bytes, kinds).await
    }

    async fn put_chunks(
        &self,
        next: impl Chunks,
        max_bytes: u64,
        kinds: &[Kind],
    ) -> Result<Stored, UploadError> {
        let mut id = [0u8; 16];
        rand::rng().fill_bytes(&mut id);
        let tmp = Path::from(format!("awards/tmp/{}", hex(&id)));
        let mut writer = WriteMultipart::new(self.store.put_multipart(&tmp).await?);
        match stream_into(&mut writer, next, max_bytes, kinds).await {
            Ok((sha256, size, format)) => {
                let placed = self.place(writer, &tmp, &blob_path(&sha256)).await;
                if placed.is_err() {
                    // Never leave a half-written temporary object behind.
                    let _ = self.store.delete(&tmp).await;
                }
                placed?;
                Ok(Stored {
                    sha256,
                    size,
                    format,
                })
            }
            Err(e) => {
                let _ = writer.abort().await;
                Err(e)
            }
        }
    }

    pub async fn delete(&self, sha256: &str) -> Result<(), object_store::Error> {
        self.store.delete(&blob_path(sha256)).await
    }

    /// Completes the temporary object and moves it under its hash.
    async fn place(
        &self,
        writer: WriteMultipart,
        tmp: &Path,
        path: &Path,
    ) -> Result<(), object_store::Error> {
        writer.finish().await?;
        if self.store.head(path).await.is_ok() {
            // Same content already stored: keep one copy.
            self.store.delete(tmp).await
        } else {
            self.store.rename(tmp, path).await
        }
    }

    /// The whole blob (exports, tests).
    pub async fn bytes(&self, sha256: &str) -> Result<Vec<u8>, object_store::Error> {
        Ok(self
            .store
            .get(&blob_path(sha256))
            .await?
            .bytes()
            .await?
            .to_vec())
    }

    /// Serves a blob with range support, so audio and video seek and large
    /// files resume. `download_name` is built by the caller from the entry
    /// code, never from the uploaded name.
    pub async fn serve(
        &self,
        sha256: &str,
        media_type: &str,
        download_name: &str,
        request: &HeaderMap,
    ) -> Result<Response, object_store::Error> {
        let path = blob_path(sha256);
        let size = self.store.head(&path).await?.size;
        let range = match request.get(header::RANGE).and_then(|v| v.to_str().ok()) {
            None => None,
            Some(spec) => match parse_range(spec, size) {
                Some(r) => Some(r),
                None => {
                    return Ok((
                        StatusCode::RANGE_NOT_SATISFIABLE,
                        [(header::CONTENT_RANGE, format!("bytes */{size}"))],
                    )
                        .into_response());
                }
            },
        };
        let options = GetOptions {
            range: range.clone().map(GetRange::Bounded),
            ..Default::default()
        };
        let got = if size == 0 {
            None
        } else {
            Some(self.store.get_opts(&path, options).await?)
        };
        let body = match got {
            Some(g) => Body::from_stream(g.into_stream().map(|r| r.map_err(std::io::Error::other))),
            None => Body::empty(),
        };
        let mut res = Response::new(body);
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(media_type)
                .unwrap_or(HeaderValue::from_static("application/octet-stream")),
        );
        h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, max-age=3600"),
        );
        if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{download_name}\"")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        // Files are shown inline in the judging page (PDF viewer, players),
        // so this response may be framed by our own pages, and only that.
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'self'"),
        );
        h.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        );
        match range {
            Some(r) => {
                *res.status_mut() = StatusCode::PARTIAL_CONTENT;
                let h = res.headers_mut();
                h.insert(header::CONTENT_LENGTH, (r.end - r.start).into());
                if let Ok(v) =
                    HeaderValue::from_str(&format!("bytes {}-{}/{size}", r.start, r.end - 1))
                {
                    h.insert(header::CONTENT_RANGE, v);
                }
            }
            None => {
                res.headers_mut()
                    .insert(header::CONTENT_LENGTH, size.into());
            }
        }
        Ok(res)
    }
}

/// Where an upload's bytes come from: a multipart field, or a channel fed
/// by a blocking reader.
pub trait Chunks: Send {
    fn next_chunk(
        &mut self,
    ) -> impl std::future::Future<Output = Result<Option<Bytes>, UploadError>> + Send;
}

struct FieldChunks<'a, 'b> {
    field: &'a mut Field<'b>,
    max_bytes: u64,
}

impl Chunks for FieldChunks<'_, '_> {
    async fn next_chunk(&mut self) -> Result<Option<Bytes>, UploadError> {
        let max_bytes = self.max_bytes;
        self.field.chunk().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                UploadError::TooLarge {
                    max_mb: max_bytes / (1024 * 1024),
                }
            } else {
                UploadError::Interrupted
            }
        })
    }
}

impl Chunks for &mut tokio::sync::mpsc::Receiver<std::io::Result<Bytes>> {
    async fn next_chunk(&mut self) -> Result<Option<Bytes>, UploadError> {
        match self.recv().await {
            Some(Ok(chunk)) => Ok(Some(chunk)),
            Some(Err(_)) => Err(UploadError::Interrupted),
            None => Ok(None),
        }
    }
}

async fn stream_into(
    writer: &mut WriteMultipart,
    mut chunks: impl Chunks,
    max_bytes: u64,
    kinds: &[Kind],
) -> Result<(String, u64, Format), UploadError> {
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_LEN);
    let mut format: Option<Format> = None;
    let decide = |head: &[u8]| {
        sniff(head)
            .filter(|f| kinds.contains(&f.kind))
            .ok_or(UploadError::WrongKind)
    };
    while let Some(chunk) = chunks.next_chunk().await? {
        size += chunk.len() as u64;
        if size > max_bytes {
            return Err(UploadError::TooLarge {
                max_mb: max_bytes / (1024 * 1024),
            });
        }
        if format.is_none() {
            let take = (SNIFF_LEN - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            if head.len() == SNIFF_LEN {
                format = Some(decide(&head)?);
            }
        }
        hasher.update(&chunk);
        writer.write(&chunk);
        writer.wait_for_capacity(4).await?;
    }
    if size == 0 {
        return Err(UploadError::Empty);
    }
    let format = match format {
        Some(f) => f,
        None => decide(&head)?,
    };
    Ok((hex(&hasher.finalize()), size, format))
}

/// One `bytes=` range against a size, as a half-open range; `None` when it
/// cannot be satisfied. Several ranges are answered with the first.
pub fn parse_range(spec: &str, size: u64) -> Option<Range<u64>> {
    let first = spec.strip_prefix("bytes=")?.split(',').next()?.trim();
    let (a, b) = first.split_once('-')?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            (size.saturating_sub(n), size)
        }
        (a, "") => (a.parse().ok()?, size),
        (a, b) => (
            a.parse().ok()?,
            b.parse::<u64>().ok()?.saturating_add(1).min(size),
        ),
    };
    (start < end && start < size).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges_follow_rfc_9110() {
        assert_eq!(parse_range("bytes=0-99", 1000), Some(0..100));
        assert_eq!(parse_range("bytes=900-", 1000), Some(900..1000));
        assert_eq!(parse_range("bytes=-100", 1000), Some(900..1000));
        assert_eq!(parse_range("bytes=990-2000", 1000), Some(990..1000));
        assert_eq!(parse_range("bytes=1000-", 1000), None);
        assert_eq!(parse_range("bytes=5-2", 1000), None);
        assert_eq!(parse_range("items=0-1", 1000), None);
    }
}
