//! CSV files to download, as Excel with Polish regional settings opens them: UTF-8 with a
//! byte-order mark, `;` between fields, CRLF line ends. The `csv` crate quotes the cells.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, after a tab or a
//! carriage return, one that Excel trims) as a formula: `-1+HYPERLINK(…)` or `+1+cmd|…`. So every
//! cell is a [`Cell`]: free text ([`Cell::Text`], what `String` and `&str` become) that starts
//! with one of those gets a leading apostrophe ([`formula_safe`]); a typed value
//! ([`Cell::Typed`]: a phone number, an amount, an identifier) is written as it is when it holds
//! only digits, spaces and `+-()./:,` — arithmetic at most, never a function call, a reference
//! or a DDE link — and is treated as text otherwise.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Free text: defused when a spreadsheet would run it.
    Text(String),
    /// A phone number, amount, date or identifier, written as it is when it is one.
    Typed(String),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

impl From<&String> for Cell {
    fn from(s: &String) -> Cell {
        Cell::Text(s.clone())
    }
}

/// A typed cell (see [`Cell::Typed`]).
pub fn typed(s: impl Into<String>) -> Cell {
    Cell::Typed(s.into())
}

impl Cell {
    /// The text written to the file.
    pub fn render(&self) -> Cow<'_, str> {
        match self {
            Cell::Typed(s)
                if s.chars()
                    .all(|c| c.is_ascii_digit() || " +-()./:,".contains(c)) =>
            {
                Cow::Borrowed(s)
            }
            Cell::Typed(s) | Cell::Text(s) => formula_safe(s),
        }
    }
}

/// Free text that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return) gets a leading apostrophe.
pub fn formula_safe(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The whole file: a BOM, then each row (the header first), every cell through
/// [`Cell::render`].
pub fn sheet<R, C>(rows: impl IntoIterator<Item = R>) -> anyhow::Result<String>
where
    R: IntoIterator<Item = C>,
    C: Into<Cell>,
{
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer("\u{feff}".as_bytes().to_vec());
    for row in rows {
        let cells: Vec<Cell> = row.into_iter().map(Into::into).collect();
        w.write_record(cells.iter().map(|c| c.render().into_owned()))?;
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
        let rows: [Vec<Cell>; 6] = [
            vec!["Nazwa".into(), "Opis".into()],
            vec!["A; B".into(), "cytat \"x\"\r\ndruga linia".into()],
            vec!["=SUMA(A1)".into(), typed("-5")],
            vec![typed("+48 600"), "@x".into()],
            vec!["-x".into(), "zwykły, tekst".into()],
            vec!["".into(), "".into()],
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

    #[test]
    fn text_starting_like_a_formula_is_defused_typed_values_stay() {
        let rows: Vec<Vec<Cell>> = vec![
            vec![
                "-1+HYPERLINK(\"http://x\")".into(),
                "+1+cmd|' /C calc'!A0".into(),
                "-5".into(),
                "+48 600".into(),
            ],
            vec!["\tx".into(), "\r=1".into(), "@SUM(1)".into(), "a-1".into()],
            vec![
                typed("+48 600 100 200"),
                typed("-12,50"),
                typed("0000012345"),
                typed("+1+cmd|' /C calc'!A0"),
            ],
            vec![
                typed("-1+HYPERLINK(\"x\")"),
                typed("2026-12-04 10:00"),
                typed(""),
                "".into(),
            ],
        ];
        let out = sheet(rows).expect("csv");
        let lines: Vec<&str> = out.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "\"'-1+HYPERLINK(\"\"http://x\"\")\";'+1+cmd|' /C calc'!A0;'-5;'+48 600"
        );
        assert_eq!(lines[1], "'\tx;\"'\r=1\";'@SUM(1);a-1");
        assert_eq!(
            lines[2],
            "+48 600 100 200;-12,50;0000012345;'+1+cmd|' /C calc'!A0"
        );
        assert_eq!(lines[3], "\"'-1+HYPERLINK(\"\"x\"\")\";2026-12-04 10:00;;");
    }
}
