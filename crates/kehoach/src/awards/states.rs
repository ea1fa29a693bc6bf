//! The states an award record moves through, stored by their spelling.

use kehoach_award::Kind;

crate::db::db_enum! {
    /// Where an edition stands: drafted, taking entries, being judged, or
    /// with its results published.
    pub enum EditionStatus {
        Draft = "draft",
        Open = "open",
        Judging = "judging",
        Published = "published",
    }
}

crate::db::db_enum! {
    /// The secretariat's intake decision on an entry; an edited entry goes
    /// back to submitted.
    pub enum EntryStatus {
        Submitted = "submitted",
        Accepted = "accepted",
        Rejected = "rejected",
    }
}

crate::db::db_enum! {
    /// The two rounds of every edition.
    pub enum RoundStage {
        Preliminary = "preliminary",
        Final = "final",
    }
}

crate::db::db_enum! {
    /// A round opens once, takes scores while open, and closes sealed.
    pub enum RoundStatus {
        Pending = "pending",
        Open = "open",
        Closed = "closed",
    }
}

crate::db::db_enum! {
    /// What an uploaded file was sniffed to be (the rules' [`Kind`]).
    pub enum FileKind {
        Pdf = "pdf",
        Image = "image",
        Audio = "audio",
        Video = "video",
        Document = "docx",
    }
}

impl From<Kind> for FileKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Pdf => FileKind::Pdf,
            Kind::Image => FileKind::Image,
            Kind::Audio => FileKind::Audio,
            Kind::Video => FileKind::Video,
            Kind::Document => FileKind::Document,
        }
    }
}

impl FileKind {
    /// The rules' kind of the same spelling.
    pub fn rule_kind(self) -> Option<Kind> {
        Kind::parse(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_kinds_keep_the_rules_spelling() {
        for k in Kind::ALL {
            assert_eq!(FileKind::from(k).as_str(), k.key());
            assert_eq!(FileKind::from(k).rule_kind(), Some(k));
        }
    }
}
