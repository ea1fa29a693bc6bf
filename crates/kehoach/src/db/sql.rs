//! SQL fragments whose spelling differs between the engines, as macros that
//! expand to string literals: a query stays one `&'static str` (built with
//! `concat!`), and no feature writes the dialect rule itself.

/// `SUM(expr)` as a BIGINT, 0 over no rows. PostgreSQL sums integers into
/// NUMERIC, which the `Any` driver cannot decode; SQLite sums to INTEGER.
///
/// ```ignore
/// sqlx::query(concat!("SELECT ", kehoach::sum_i64!("a.reach"), " AS reach FROM activities a"))
/// ```
#[macro_export]
macro_rules! sum_i64 {
    ($expr:literal) => {
        concat!("CAST(COALESCE(SUM(", $expr, "), 0) AS BIGINT)")
    };
}

/// `COUNT(expr)` as a BIGINT on both engines (a filtered count written as a
/// sum of a CASE is spelled with [`sum_i64!`]).
#[macro_export]
macro_rules! count_i64 {
    ($expr:literal) => {
        concat!("CAST(COUNT(", $expr, ") AS BIGINT)")
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn fragments_expand_inside_one_literal() {
        const Q: &str = concat!("SELECT ", sum_i64!("a.n"), ", ", count_i64!("*"), " FROM a");
        assert_eq!(
            Q,
            "SELECT CAST(COALESCE(SUM(a.n), 0) AS BIGINT), CAST(COUNT(*) AS BIGINT) FROM a"
        );
    }
}
