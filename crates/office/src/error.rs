/// Everything that can go wrong in this crate. The messages are shown to
/// coordinators as they are, so they are written in Vietnamese and say what
/// to do next where there is something to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfficeError {
    #[error("Ngày {day:02}/{month:02}/{year} không hợp lệ.")]
    InvalidDate { day: u32, month: u32, year: i32 },

    #[error("Không tạo được tệp Word: {0}.")]
    Docx(String),

    #[error("Không tạo được bảng tính: {0}.")]
    Xlsx(String),

    #[error("Trang tính \"{sheet}\" có quá nhiều dòng hoặc cột để lưu thành tệp Excel.")]
    SheetTooLarge { sheet: String },

    #[error("Tệp trống, không có dữ liệu.")]
    Empty,

    #[error("Tệp quá lớn (tối đa {}).", human_size(*.max_bytes))]
    TooLarge { max_bytes: usize },

    #[error("Bảng tính quá lớn khi giải nén; hãy chia thành các tệp nhỏ hơn.")]
    Decompressed,

    #[error("Tệp có quá {max_rows} dòng dữ liệu; hãy chia thành các tệp nhỏ hơn.")]
    TooManyRows { max_rows: usize },

    #[error("Bảng có quá {max_columns} cột; hãy chỉ giữ lại các cột cần nhập.")]
    TooManyColumns { max_columns: usize },

    #[error("Tệp không phải bảng tính .xlsx hoặc .csv hợp lệ.")]
    NotATable,

    #[error("Tệp .xls (Excel 97-2003) chưa được hỗ trợ; hãy lưu lại thành .xlsx.")]
    LegacyXls,

    #[error("Tệp CSV không dùng mã UTF-8; hãy lưu lại với kiểu \"CSV UTF-8\".")]
    NotUtf8,

    #[error("Ô {cell} chứa công thức; hãy dán giá trị.")]
    Formula { cell: String },
}

fn human_size(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    const KIB: usize = 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MB", bytes as f64 / MIB as f64).replace('.', ",")
    } else if bytes >= KIB {
        format!("{} KB", bytes / KIB)
    } else {
        format!("{bytes} byte")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(
            OfficeError::TooLarge {
                max_bytes: 5 * 1024 * 1024
            }
            .to_string(),
            "Tệp quá lớn (tối đa 5 MB)."
        );
        assert_eq!(human_size(1536 * 1024), "1,5 MB");
        assert_eq!(human_size(2048), "2 KB");
        assert_eq!(human_size(10), "10 byte");
    }

    #[test]
    fn formula_message_names_the_cell() {
        let e = OfficeError::Formula { cell: "C5".into() };
        assert_eq!(e.to_string(), "Ô C5 chứa công thức; hãy dán giá trị.");
    }
}
