//! The activity spreadsheet's columns, defined once: the import template
//! and its checker use all of them, the CSV export the leading ones that
//! describe an activity by itself (themes and channel are plan numbers a
//! reader of the export has no use for).

/// One column, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Unit,
    Kind,
    Title,
    DateFrom,
    DateTo,
    Link,
    Items,
    Participants,
    Reach,
    Themes,
    Channel,
}

impl Column {
    /// Every column, as the import template has them.
    pub const ALL: [Self; 11] = [
        Self::Unit,
        Self::Kind,
        Self::Title,
        Self::DateFrom,
        Self::DateTo,
        Self::Link,
        Self::Items,
        Self::Participants,
        Self::Reach,
        Self::Themes,
        Self::Channel,
    ];

    /// The columns the CSV export writes: all up to the reach.
    pub const EXPORTED: &[Self] = Self::ALL.split_at(Self::Reach as usize + 1).0;

    /// The header spelling.
    pub fn name(self) -> &'static str {
        match self {
            Self::Unit => "unit",
            Self::Kind => "kind",
            Self::Title => "title",
            Self::DateFrom => "date_from",
            Self::DateTo => "date_to",
            Self::Link => "link",
            Self::Items => "items",
            Self::Participants => "participants",
            Self::Reach => "reach",
            Self::Themes => "themes",
            Self::Channel => "channel",
        }
    }

    /// The headers of a list of columns.
    pub fn names(columns: &[Self]) -> Vec<String> {
        columns.iter().map(|c| c.name().to_owned()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_is_the_import_without_themes_and_channel() {
        assert_eq!(Column::EXPORTED.len(), 9);
        assert_eq!(Column::EXPORTED, &Column::ALL[..9]);
        for (i, c) in Column::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
        }
    }
}
