use serde::ser::{Serialize, SerializeStruct, Serializer};

/// Why a file could not be turned into a plan.
///
/// `Display` is a Vietnamese sentence meant for the person who uploaded the
/// file; [`ParseError::code`] is a stable identifier for programs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("Tệp rỗng: không có nội dung để nhập.")]
    Empty,
    #[error("Tệp quá lớn: giới hạn {} MB.", limit_bytes / (1024 * 1024))]
    TooLarge { limit_bytes: usize },
    #[error("Nội dung tệp .docx sau khi giải nén vượt quá {} MB; tệp có thể bị hỏng.", limit_bytes / (1024 * 1024))]
    DocxTooLarge { limit_bytes: usize },
    #[error("Tệp không phải văn bản: hãy nhập tệp .txt hoặc .docx.")]
    Binary,
    #[error(
        "Không nhận ra kế hoạch: không thấy tiêu đề văn bản (KẾ HOẠCH, HƯỚNG DẪN...) hoặc các mục La Mã (I., II., ...)."
    )]
    NotAPlan,
    #[error("Tệp .docx bị hỏng hoặc không phải tài liệu Word.")]
    CorruptDocx,
    #[error(
        "Tệp là tài liệu Word cũ (.doc) hoặc .docx có đặt mật khẩu: hãy mở bằng Word, lưu lại thành .docx không mật khẩu rồi nhập lại."
    )]
    EncryptedOrLegacyDoc,
    #[error("Không đọc được bảng mã của tệp: hãy lưu lại tệp dưới dạng UTF-8 rồi nhập lại.")]
    UnsupportedEncoding,
}

impl ParseError {
    /// Stable snake_case identifier, e.g. `"too_large"`.
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::Empty => "empty",
            ParseError::TooLarge { .. } => "too_large",
            ParseError::DocxTooLarge { .. } => "docx_too_large",
            ParseError::Binary => "binary",
            ParseError::NotAPlan => "not_a_plan",
            ParseError::CorruptDocx => "corrupt_docx",
            ParseError::EncryptedOrLegacyDoc => "encrypted_or_legacy_doc",
            ParseError::UnsupportedEncoding => "unsupported_encoding",
        }
    }
}

/// Serialised as `{"code": ..., "message": ..., "limit_bytes"?: ...}` so that a
/// JSON consumer gets both the stable code and the user-facing sentence.
impl Serialize for ParseError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let limit = match self {
            ParseError::TooLarge { limit_bytes } | ParseError::DocxTooLarge { limit_bytes } => {
                Some(*limit_bytes)
            }
            _ => None,
        };
        let mut s = serializer.serialize_struct("ParseError", 2 + usize::from(limit.is_some()))?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        if let Some(limit) = limit {
            s.serialize_field("limit_bytes", &limit)?;
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_vietnamese_and_codes_stable() {
        assert_eq!(
            ParseError::Empty.to_string(),
            "Tệp rỗng: không có nội dung để nhập."
        );
        let big = ParseError::TooLarge {
            limit_bytes: 10 * 1024 * 1024,
        };
        assert_eq!(big.to_string(), "Tệp quá lớn: giới hạn 10 MB.");
        assert_eq!(big.code(), "too_large");
        assert_eq!(ParseError::NotAPlan.code(), "not_a_plan");
        assert!(ParseError::CorruptDocx.to_string().contains(".docx"));
    }
}
