//! Files for an imported list, sent as one .zip beside it: a member belongs
//! to the row whose line number begins its name ("5.pdf", "5-trang-2.jpg")
//! or its folder ("5/ban-in.pdf"). The archive is spooled to a temporary
//! file, read on blocking threads, and each member's type is decided from
//! its first bytes and its size capped while it streams into the store,
//! exactly as for an entrant's upload.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use kehoach_award::{Format, Kind, SNIFF_LEN, sniff};

use super::store::{Blobs, Stored, UploadError};

/// More members than any list has files.
const MAX_MEMBERS: usize = 50_000;
const CHUNK: usize = 256 * 1024;

/// A member of the archive, as found by [`index`].
#[derive(Debug, Clone)]
pub struct Member {
    index: usize,
    /// The member's own name, without its folder.
    pub name: String,
    pub row: usize,
    /// The size the archive declares (the store caps the real one).
    pub size: u64,
    /// `None`: a type no category takes.
    pub format: Option<Format>,
}

impl Member {
    pub fn kind(&self) -> Option<Kind> {
        self.format.map(|f| f.kind)
    }
}

/// The row a member's path names: the digits its folder or, without one,
/// its file name begins with.
pub fn row_of(path: &str) -> Option<usize> {
    let first = path.split('/').next()?;
    let digits: String = first.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|n| *n > 0)
}

/// Members that are not files of the list: folders, and what archivers add.
fn skipped(path: &str) -> bool {
    path.ends_with('/')
        || path.starts_with("__MACOSX/")
        || path.rsplit('/').next().is_some_and(|n| n.starts_with('.'))
}

/// Every file in the archive with its row and type; the error is a message
/// for the secretariat.
pub fn index(path: &Path) -> Result<Vec<Member>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|_| "Tệp .zip không đọc được (không phải tệp nén ZIP hợp lệ).".to_owned())?;
    if zip.len() > MAX_MEMBERS {
        return Err(format!("Tệp .zip có quá {MAX_MEMBERS} tệp."));
    }
    let mut out = Vec::new();
    let mut unnamed = Vec::new();
    for i in 0..zip.len() {
        let mut member = zip.by_index(i).map_err(|e| e.to_string())?;
        let path = member
            .name()
            .map_err(|_| "Tệp .zip có tên tệp không đọc được.".to_owned())?
            .into_owned();
        if skipped(&path) {
            continue;
        }
        let Some(row) = row_of(&path) else {
            unnamed.push(path);
            continue;
        };
        let size = member.size();
        let mut head = Vec::with_capacity(SNIFF_LEN);
        (&mut member)
            .take(SNIFF_LEN as u64)
            .read_to_end(&mut head)
            .map_err(|_| format!("Tệp {path} trong .zip bị hỏng."))?;
        out.push(Member {
            index: i,
            name: path.rsplit('/').next().unwrap_or(&path).to_owned(),
            row,
            size,
            format: sniff(&head),
        });
    }
    if !unnamed.is_empty() {
        return Err(format!(
            "Tên tệp trong .zip phải bắt đầu bằng số dòng của tác phẩm (ví dụ 5.pdf hoặc thư mục 5/): {}",
            unnamed.join(", ")
        ));
    }
    Ok(out)
}

/// What an import request carries: the list in memory (at most
/// `max_list` bytes) and the .zip, when one was chosen, spooled to a
/// temporary file in `dir` (removed when dropped).
pub struct Received {
    pub list: Option<Vec<u8>>,
    pub archive: Option<tempfile::NamedTempFile>,
}

/// Reads the import form: field `file` (the list) and field `files` (the
/// .zip). The error is a message for the secretariat.
pub async fn receive(
    mut multipart: axum::extract::Multipart,
    max_list: usize,
    dir: &Path,
) -> Result<Received, String> {
    use std::io::Write;
    let broken = |_| "Tệp gửi lên bị gián đoạn hoặc quá lớn.".to_owned();
    let mut got = Received {
        list: None,
        archive: None,
    };
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        let chosen = field.file_name().is_some_and(|n| !n.is_empty());
        match field.name() {
            Some("file") if chosen => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    if bytes.len() + chunk.len() > max_list {
                        return Err(format!(
                            "Tệp danh sách quá lớn: giới hạn {} MB.",
                            max_list / (1024 * 1024)
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                got.list = Some(bytes);
            }
            Some("files") if chosen => {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| e.to_string())?;
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    file.write_all(&chunk).map_err(|e| e.to_string())?;
                }
                got.archive = Some(file);
            }
            _ => {}
        }
    }
    Ok(got)
}

/// The members by row.
pub fn by_row(members: &[Member]) -> HashMap<usize, Vec<&Member>> {
    let mut out: HashMap<usize, Vec<&Member>> = HashMap::new();
    for m in members {
        out.entry(m.row).or_default().push(m);
    }
    out
}

/// Streams one member into the store, its type among `kinds` and its real
/// size at most `max_bytes`.
pub async fn store(
    blobs: &Blobs,
    archive: PathBuf,
    member: &Member,
    max_bytes: u64,
    kinds: &[Kind],
) -> Result<Stored, UploadError> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
    let index = member.index;
    let reader = tokio::task::spawn_blocking(move || {
        let send = |chunk: std::io::Result<Bytes>| tx.blocking_send(chunk).is_ok();
        let opened = std::fs::File::open(&archive)
            .map_err(std::io::Error::other)
            .and_then(|f| zip::ZipArchive::new(f).map_err(std::io::Error::other));
        let mut zip = match opened {
            Ok(z) => z,
            Err(e) => return send(Err(e)),
        };
        let mut member = match zip.by_index(index) {
            Ok(m) => m,
            Err(e) => return send(Err(std::io::Error::other(e))),
        };
        let mut buf = vec![0u8; CHUNK];
        loop {
            match member.read(&mut buf) {
                Ok(0) => return true,
                // The store stops reading past the cap: stop decompressing.
                Ok(n) if !send(Ok(Bytes::copy_from_slice(&buf[..n]))) => return false,
                Ok(_) => {}
                Err(e) => return send(Err(e)),
            }
        }
    });
    let stored = blobs.put_receiver(&mut rx, max_bytes, kinds).await;
    drop(rx);
    let _ = reader.await;
    stored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_belongs_to_the_row_its_name_or_folder_begins_with() {
        assert_eq!(row_of("5.pdf"), Some(5));
        assert_eq!(row_of("12-trang-2.jpg"), Some(12));
        assert_eq!(row_of("7/ban in.pdf"), Some(7));
        assert_eq!(row_of("danh-sach/7.pdf"), None);
        assert_eq!(row_of("0.pdf"), None);
        assert_eq!(row_of("bai.pdf"), None);
        assert!(skipped("__MACOSX/5.pdf") && skipped("5/.DS_Store") && skipped("5/"));
    }
}
