//! Vietnamese first, English second, through Fluent files embedded at build.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "vi",
        // Isolation marks would leak into HTML, .docx and tests.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static VI: LazyLock<LanguageIdentifier> = LazyLock::new(|| langid!("vi"));
static EN: LazyLock<LanguageIdentifier> = LazyLock::new(|| langid!("en"));

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "vi" => Some(Self::Vi),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Self::Vi => &VI,
            Self::En => &EN,
        }
    }
}

const FTL: [(Lang, &str); 2] = [
    (Lang::Vi, include_str!("../../locales/vi/main.ftl")),
    (Lang::En, include_str!("../../locales/en/main.ftl")),
];

/// Every message without variables, formatted once. Pages look up hundreds
/// of labels; a hash lookup is far cheaper than formatting each through Fluent.
static PLAIN: LazyLock<HashMap<(Lang, &'static str), String>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for (lang, ftl) in FTL {
        for key in ftl.lines().filter_map(message_key) {
            if !ftl_message(ftl, key).contains("{ $") {
                map.insert((lang, key), LOCALES.lookup(lang.id(), key));
            }
        }
    }
    map
});

fn message_key(line: &str) -> Option<&str> {
    let (key, _) = line.split_once(" =")?;
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then_some(key)
}

fn ftl_message<'a>(ftl: &'a str, key: &str) -> &'a str {
    ftl.lines()
        .find(|l| message_key(l) == Some(key))
        .unwrap_or_default()
}

/// The translator handed to every template.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn t(&self, key: &str) -> String {
        match PLAIN.get(&(self.0, key)) {
            Some(s) => s.clone(),
            None => LOCALES.lookup(self.0.id(), key),
        }
    }

    /// A message with one variable, e.g. `{ $count } duties`.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> =
            HashMap::from([(Cow::Borrowed(name), FluentValue::from(value.to_string()))]);
        LOCALES.lookup_with_args(self.0.id(), key, &args)
    }

    /// A message with two variables.
    pub fn t2(
        &self,
        key: &str,
        (n1, v1): (&'static str, impl ToString),
        (n2, v2): (&'static str, impl ToString),
    ) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = HashMap::from([
            (Cow::Borrowed(n1), FluentValue::from(v1.to_string())),
            (Cow::Borrowed(n2), FluentValue::from(v2.to_string())),
        ]);
        LOCALES.lookup_with_args(self.0.id(), key, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_locales_define_the_same_keys() {
        let keys = |s: &str| -> Vec<String> {
            let mut k: Vec<String> = s
                .lines()
                .filter(|l| !l.starts_with([' ', '#', '\t']) && l.contains(" ="))
                .map(|l| l.split(" =").next().unwrap_or_default().to_owned())
                .collect();
            k.sort();
            k
        };
        let vi = keys(include_str!("../../locales/vi/main.ftl"));
        let en = keys(include_str!("../../locales/en/main.ftl"));
        assert!(!vi.is_empty());
        assert_eq!(vi, en);
    }

    #[test]
    fn cached_messages_equal_fluent_output() {
        for (lang, ftl) in FTL {
            for key in ftl.lines().filter_map(message_key) {
                if let Some(cached) = PLAIN.get(&(lang, key)) {
                    assert_eq!(cached, &LOCALES.lookup(lang.id(), key));
                }
            }
        }
        assert_eq!(Tr::default().t1("line-n", "n", 17), "dòng 17");
    }

    #[test]
    fn vietnamese_is_the_default() {
        assert_eq!(Tr::default().t("nav-plans"), "Kế hoạch");
        assert_eq!(Tr(Lang::En).t("nav-plans"), "Plans");
    }
}
