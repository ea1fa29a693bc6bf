//! States, roles, kinds and policies are stored as short text. `db_enum!`
//! declares such an enum once with its stored spelling, and gives it the one
//! conversion to and from the database (and from forms and JSON): reading an
//! unknown spelling is a decode error, never a silent default.

/// A stored spelling that names no variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: không có giá trị «{value}»")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// ```ignore
/// db_enum! {
///     /// Where an edition stands.
///     pub enum EditionStatus { Draft = "draft", Open = "open" }
/// }
/// ```
#[allow(unused_macros)]
macro_rules! db_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            /// Every variant, in declaration order (for select lists).
            #[allow(dead_code)]
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::db::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::db::UnknownValue {
                        kind: stringify!($name),
                        value: s.chars().take(40).collect(),
                    }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(::serde::de::Error::custom)
            }
        }

        impl ::sqlx::Type<::sqlx::Any> for $name {
            fn type_info() -> ::sqlx::any::AnyTypeInfo {
                <str as ::sqlx::Type<::sqlx::Any>>::type_info()
            }
        }

        impl<'q> ::sqlx::Encode<'q, ::sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <::sqlx::Any as ::sqlx::Database>::ArgumentBuffer,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&str as ::sqlx::Encode<'q, ::sqlx::Any>>::encode(self.as_str(), buf)
            }
        }

        impl<'r> ::sqlx::Decode<'r, ::sqlx::Any> for $name {
            fn decode(
                value: <::sqlx::Any as ::sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, ::sqlx::error::BoxDynError> {
                let s = <&str as ::sqlx::Decode<'r, ::sqlx::Any>>::decode(value)?;
                Ok(s.parse()?)
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use db_enum;

#[cfg(test)]
mod tests {
    db_enum! {
        enum Sample { One = "one", Two = "two" }
    }

    #[test]
    fn one_spelling_each_way() {
        assert_eq!(Sample::Two.as_str(), "two");
        assert_eq!("one".parse::<Sample>(), Ok(Sample::One));
        assert!("three".parse::<Sample>().is_err());
        assert_eq!(serde_json::to_string(&Sample::One).unwrap(), "\"one\"");
        assert_eq!(
            serde_json::from_str::<Sample>("\"two\"").unwrap(),
            Sample::Two
        );
        assert_eq!(Sample::ALL.len(), 2);
    }
}
