//! SQL whose shape depends on the request (optional filters, IN lists):
//! built from `&'static str` fragments only, so no typed-in text can become
//! SQL, with every value bound under the `$N` placeholders both engines
//! accept. sqlx's own `QueryBuilder` writes `?` for the `Any` driver, which
//! PostgreSQL refuses.

use std::fmt::Write;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, AssertSqlSafe, FromRow};

use super::batch::Value;

/// Binds each value in order; `Query`, `QueryAs` and `QueryScalar` share
/// no trait for `bind`, so this is a macro.
macro_rules! bind_values {
    ($query:expr, $values:expr) => {{
        let mut q = $query;
        for v in $values {
            q = match v {
                Value::Int(i) => q.bind(i),
                Value::OptInt(i) => q.bind(i),
                Value::Text(s) => q.bind(s),
                Value::OptText(s) => q.bind(s),
            };
        }
        q
    }};
}
pub(crate) use bind_values;

#[derive(Debug, Default)]
pub struct SqlBuilder {
    sql: String,
    values: Vec<Value>,
}

impl SqlBuilder {
    pub fn new(start: &'static str) -> Self {
        Self {
            sql: start.to_owned(),
            values: Vec::new(),
        }
    }

    /// Appends a fixed piece of SQL.
    pub fn push(&mut self, fragment: &'static str) -> &mut Self {
        self.sql.push_str(fragment);
        self
    }

    /// Appends the next placeholder and binds `value` to it.
    pub fn push_bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        let _ = write!(self.sql, "${}", self.values.len());
        self
    }

    /// Appends `$a, $b, …` for an IN list (`NULL` when empty, which matches
    /// nothing, rather than the invalid `IN ()`).
    pub fn push_list<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Self {
        let mut any = false;
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.push_bind(v);
            any = true;
        }
        if !any {
            self.sql.push_str("NULL");
        }
        self
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    pub fn query(self) -> Query<'static, Any, AnyArguments> {
        bind_values!(sqlx::query(AssertSqlSafe(self.sql)), self.values)
    }

    pub fn query_as<O>(self) -> QueryAs<'static, Any, O, AnyArguments>
    where
        O: for<'r> FromRow<'r, AnyRow>,
    {
        bind_values!(sqlx::query_as(AssertSqlSafe(self.sql)), self.values)
    }

    pub fn query_scalar<O>(self) -> QueryScalar<'static, Any, O, AnyArguments>
    where
        (O,): for<'r> FromRow<'r, AnyRow>,
    {
        bind_values!(sqlx::query_scalar(AssertSqlSafe(self.sql)), self.values)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::OptInt(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::OptText(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_and_lists_never_empty() {
        let mut b = SqlBuilder::new("SELECT id FROM units WHERE 1 = 1");
        b.push(" AND name = ").push_bind("A").push(" AND id IN (");
        b.push_list([3_i64, 4]).push(")");
        assert_eq!(
            b.sql(),
            "SELECT id FROM units WHERE 1 = 1 AND name = $1 AND id IN ($2, $3)"
        );
        let mut e = SqlBuilder::new("SELECT id FROM units WHERE id IN (");
        e.push_list(Vec::<i64>::new()).push(")");
        assert_eq!(e.sql(), "SELECT id FROM units WHERE id IN (NULL)");
    }
}
