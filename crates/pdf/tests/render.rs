//! Real renders through typst and typst-pdf. Text extraction uses poppler's `pdftotext` and
//! `pdfinfo` where installed (`apt-get install poppler-utils`); without them those assertions
//! are skipped with a note, the byte-level ones still run.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use wspolnie_pdf::{PdfError, TableDocument, render_table};

const POLISH: &str = "Zażółć gęślą jaźń";
const INJECTION: &str = r#"#panic("boom") *x* ] [ $ \"#;

fn attendance(rows: usize) -> TableDocument {
    TableDocument {
        title: "Lista obecności — Spotkanie organizacji pozarządowych".into(),
        subtitle_lines: vec![
            "2 grudnia 2026, 17:00".into(),
            "Sala sesyjna Urzędu Gminy, ul. Żeromskiego 1".into(),
            "Organizator: Referat Współpracy".into(),
        ],
        columns: vec![
            "Lp.".into(),
            "Imię i nazwisko".into(),
            "Organizacja".into(),
            "Osób".into(),
        ],
        rows: (1..=rows)
            .map(|i| {
                vec![
                    format!("{i}."),
                    format!("Łucja Ślęzak {i}"),
                    "Stowarzyszenie Przyjaciół Źródeł".into(),
                    "2".into(),
                ]
            })
            .collect(),
        footer: "Wygenerowano 2026-12-02 14:00".into(),
        lang: "pl".into(),
        signature_column: true,
        signature_label: "Podpis".into(),
    }
}

fn render(doc: &TableDocument) -> Vec<u8> {
    match render_table(doc) {
        Ok(pdf) => pdf,
        Err(e) => panic!("render failed: {e}"),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Writes the PDF to the test's scratch folder and returns the path.
fn write_pdf(pdf: &[u8]) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "wspolnie-pdf-{}-{}.pdf",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, pdf).expect("write pdf");
    path
}

/// Runs a poppler tool on the PDF and returns its standard output; `None` (with a note) when
/// the tool is not installed.
fn poppler(tool: &str, options: &[&str], pdf: &[u8], after: &[&str]) -> Option<String> {
    let path = write_pdf(pdf);
    let out = Command::new(tool)
        .args(options)
        .arg(&path)
        .args(after)
        .output();
    let _ = std::fs::remove_file(&path);
    match out {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{tool} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(String::from_utf8(out.stdout).expect("utf-8 from poppler"))
        }
        Err(e) => {
            eprintln!("NOTE: {tool} not available ({e}); skipping the checks that need it");
            None
        }
    }
}

/// The PDF's text as pdftotext extracts it, with every run of white space (line breaks inside
/// a wrapped cell included) made one space.
fn pdftotext(pdf: &[u8]) -> Option<String> {
    let text = poppler("pdftotext", &["-enc", "UTF-8"], pdf, &["-"])?;
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn pdfinfo(pdf: &[u8]) -> Option<String> {
    poppler("pdfinfo", &["-enc", "UTF-8"], pdf, &[])
}

/// "page / pages" as extracted: pdftotext may or may not keep the thin spaces around the slash.
fn has_page_number(text: &str, page: usize, pages: usize) -> bool {
    text.contains(&format!("{page} / {pages}")) || text.contains(&format!("{page}/{pages}"))
}

/// Counts page objects: `/Type /Page` not followed by `s` (`/Pages` is the tree node).
fn page_objects(pdf: &[u8]) -> usize {
    let mut n = 0;
    for needle in [&b"/Type /Page"[..], &b"/Type/Page"[..]] {
        for (i, w) in pdf.windows(needle.len()).enumerate() {
            if w == needle && pdf.get(i + needle.len()) != Some(&b's') {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn output_is_a_whole_pdf_file() {
    let started = Instant::now();
    let pdf = render(&attendance(12));
    eprintln!(
        "one render of a 12-row list: {:?} ({} bytes)",
        started.elapsed(),
        pdf.len()
    );
    assert!(pdf.starts_with(b"%PDF-"), "no PDF header");
    let end = pdf.trim_ascii_end();
    assert!(end.ends_with(b"%%EOF"), "no %%EOF at the end");
    assert_eq!(page_objects(&pdf), 1, "12 rows fit on one page");
}

#[test]
fn same_input_gives_the_same_bytes() {
    let doc = attendance(20);
    let a = render(&doc);
    let b = render(&doc);
    assert!(a == b, "two renders of the same document differ");

    let mut changed = doc.clone();
    changed.rows[7][1] = "Jan Kowalski".into();
    let c = render(&changed);
    assert!(a != c, "changing one cell did not change the PDF");
}

#[test]
fn polish_text_is_embedded_and_extractable() {
    let mut doc = attendance(3);
    doc.rows[1][1] = POLISH.into();
    doc.rows[2][2] = "Koło Gospodyń Wiejskich „Ąę”".into();
    let pdf = render(&doc);

    // Glyphs map back to text, and the title is in the metadata.
    assert!(contains(&pdf, b"/ToUnicode"), "no ToUnicode CMap");
    assert!(contains(&pdf, b"/StructTreeRoot"), "not tagged");
    assert!(
        contains(&pdf, "Lista obecności".as_bytes()),
        "title not in the XMP metadata"
    );

    if let Some(text) = pdftotext(&pdf) {
        for expected in [
            POLISH,
            "Łucja Ślęzak 1",
            "Koło Gospodyń Wiejskich „Ąę”",
            "Lista obecności",
            "Sala sesyjna Urzędu Gminy, ul. Żeromskiego 1",
            "Wygenerowano 2026-12-02 14:00",
            "Podpis",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} not extracted from:\n{text}"
            );
        }
        assert!(has_page_number(&text, 1, 1), "no page number in:\n{text}");
    }
    if let Some(info) = pdfinfo(&pdf) {
        assert!(
            info.contains("Lista obecności — Spotkanie organizacji pozarządowych"),
            "title not in pdfinfo:\n{info}"
        );
    }
}

#[test]
fn markup_in_user_text_is_printed_literally() {
    let mut doc = attendance(2);
    doc.title = format!("Tytuł {INJECTION}");
    doc.subtitle_lines = vec![INJECTION.into(), "#set page(paper: \"a3\")".into()];
    doc.columns[2] = "Org ] #x".into();
    doc.rows[0][1] = INJECTION.into();
    doc.rows[1][2] = "\"); #panic(\"boom2\") //".into();
    doc.footer = "#counter(page).display() \n _y_".into();
    let pdf = render(&doc);

    if let Some(text) = pdftotext(&pdf) {
        for expected in [
            INJECTION,
            "#set page(paper: \"a3\")",
            "Org ] #x",
            "\"); #panic(\"boom2\") //",
            "#counter(page).display()",
            "_y_",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} not printed literally:\n{text}"
            );
        }
    }
    if let Some(info) = pdfinfo(&pdf) {
        assert!(info.contains("A4"), "page size changed:\n{info}");
    }
}

#[test]
fn long_tables_span_pages_and_repeat_the_header() {
    let pdf = render(&attendance(300));
    let pages = page_objects(&pdf);
    assert!(pages > 1, "300 rows on {pages} page(s)");

    if let Some(info) = pdfinfo(&pdf) {
        let line = info
            .lines()
            .find(|l| l.starts_with("Pages:"))
            .unwrap_or_default();
        assert_eq!(
            line.split_whitespace().nth(1),
            Some(pages.to_string().as_str()),
            "{info}"
        );
    }
    if let Some(text) = pdftotext(&pdf) {
        let headers = text.matches("Imię i nazwisko").count();
        assert!(headers >= 2, "header shown {headers} time(s)");
        assert_eq!(headers, pages, "header not on every page");
        assert!(text.contains("Łucja Ślęzak 300"), "last row missing");
        assert!(has_page_number(&text, 1, pages), "no first page number");
        assert!(has_page_number(&text, pages, pages), "no last page number");
    }
}

#[test]
fn output_is_tagged_pdf_ua() {
    let pdf = render(&attendance(5));
    assert!(contains(&pdf, b"/StructTreeRoot"), "no structure tree");
    assert!(contains(&pdf, b"/MarkInfo"), "no MarkInfo");
    assert!(
        contains(&pdf, b"pdfuaid"),
        "no PDF/UA identification in XMP"
    );
    assert!(contains(&pdf, b"/Lang"), "no document language");
    // Table structure: a table, header cells, data cells.
    assert!(contains(&pdf, b"/Table"), "no Table element");
    assert!(contains(&pdf, b"/TH"), "no header cells");
    assert!(contains(&pdf, b"/TD"), "no data cells");
}

#[test]
fn english_documents_without_signature_column() {
    let mut doc = attendance(3);
    doc.lang = "en".into();
    doc.title = "Attendance list".into();
    doc.columns = vec![
        "No.".into(),
        "Name".into(),
        "Organisation".into(),
        "People".into(),
    ];
    doc.signature_column = false;
    let pdf = render(&doc);
    assert!(
        contains(&pdf, b"(en)") || contains(&pdf, b"<656e>"),
        "language not en"
    );
    if let Some(text) = pdftotext(&pdf) {
        assert!(text.contains("Organisation"));
        assert!(
            !text.contains("Podpis"),
            "signature column drawn without being asked"
        );
    }
}

#[test]
fn bad_tables_are_errors() {
    let mut doc = attendance(3);
    doc.rows[2].pop();
    match render_table(&doc) {
        Err(PdfError::RowWidth {
            row: 3,
            cells: 3,
            columns: 4,
        }) => {}
        other => panic!("short row: {other:?}"),
    }

    let mut doc = attendance(3);
    doc.rows[0].push("extra".into());
    assert!(matches!(
        render_table(&doc),
        Err(PdfError::RowWidth { row: 1, .. })
    ));

    let mut doc = attendance(0);
    doc.columns.clear();
    assert!(matches!(render_table(&doc), Err(PdfError::NoColumns)));

    let mut doc = attendance(1);
    doc.title = " ".into();
    assert!(matches!(render_table(&doc), Err(PdfError::NoTitle)));

    let mut doc = attendance(1);
    doc.lang = "pl\"); #panic(".into();
    assert!(matches!(render_table(&doc), Err(PdfError::Lang(_))));
}

#[test]
fn empty_table_renders_the_header() {
    let pdf = render(&attendance(0));
    assert_eq!(page_objects(&pdf), 1);
    if let Some(text) = pdftotext(&pdf) {
        assert!(text.contains("Imię i nazwisko"));
    }
}
