//! CSV files to download, as Excel with Polish regional settings opens them: UTF-8 with a
//! byte-order mark, `;` between fields, CRLF line ends. The `csv` crate quotes the cells; a cell
//! that a spreadsheet would run as a formula is defused first ([`formula_safe`]).

use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

/// A cell that a spreadsheet would run as a formula (`=`, `@`, or `+`/`-` not followed by a digit
/// or a space) gets a leading apostrophe.
pub fn formula_safe(s: &str) -> Cow<'_, str> {
    let mut chars = s.chars();
    let formula = match (chars.next(), chars.next()) {
        (Some('=' | '@'), _) => true,
        (Some('+' | '-'), next) => !next.is_some_and(|c| c.is_ascii_digit() || c == ' '),
        _ => false,
    };
    if formula {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The whole file: a BOM, then each row (the header first) with formula-safe cells.
pub fn sheet<R, C>(rows: impl IntoIterator<Item = R>) -> anyhow::Result<String>
where
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer("\u{feff}".as_bytes().to_vec());
    for row in rows {
        let cells: Vec<C> = row.into_iter().collect();
        w.write_record(cells.iter().map(|c| formula_safe(c.as_ref()).into_owned()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
    Ok(String::from_utf8(bytes)?)
}

/// The file as a download named `filename`.
pub fn attachment(filename: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_semicolons_quotes_and_formulas() {
        let rows = [
            vec!["Nazwa", "Opis"],
            vec!["A; B", "cytat \"x\"\r\ndruga linia"],
            vec!["=SUMA(A1)", "-5"],
            vec!["+48 600", "@x"],
            vec!["-x", "zwykły, tekst"],
            vec!["", ""],
        ];
        let out = sheet(rows).expect("csv");
        assert_eq!(
            out,
            "\u{feff}Nazwa;Opis\r\n\
             \"A; B\";\"cytat \"\"x\"\"\r\ndruga linia\"\r\n\
             '=SUMA(A1);-5\r\n\
             +48 600;'@x\r\n\
             '-x;zwykły, tekst\r\n\
             ;\r\n"
        );
    }

    /// The cells come out as the hand-written quoting wrote them before the `csv` crate.
    #[test]
    fn quoting_as_before() {
        fn before(s: &str) -> String {
            let s = formula_safe(s);
            if s.contains([';', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.into_owned()
            }
        }
        let samples = [
            "", " ", "a", " a ", "a;b", "a,b", "\"", "a\"b", "\"a\"", "a\nb", "a\rb", "'", "#x",
            "=1", "-", "--", "- 1", "+", "+a", "@", "żółć", "\t", "a\tb", "\\", "''=x",
        ];
        for a in samples {
            for b in samples {
                let got = sheet([[a, b]]).expect("csv");
                let want = format!("\u{feff}{};{}\r\n", before(a), before(b));
                assert_eq!(got, want, "{a:?} {b:?}");
            }
        }
    }
}
