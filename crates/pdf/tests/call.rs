//! The announcement of a call rendered through typst: tagged, Polish, every part present, the
//! office's text shown as typed (never as markup), the same bytes for the same input.

use std::process::Command;
use wspolnie_pdf::{CallDocument, DocSection, PdfError, render_call};

const INJECTION: &str = r#"#panic("boom") *x* ] [ $ \"#;

fn announcement() -> CallDocument {
    CallDocument {
        title: "Wypoczynek letni dzieci i młodzieży z Wierzbina".into(),
        lead_lines: vec![
            "Urząd Gminy Wierzbin".into(),
            "Znak sprawy: WSS.524.2.2027".into(),
        ],
        highlight: vec!["Termin składania ofert: 15 lutego 2027, 15:30 (czas polski)".into()],
        sections: vec![
            DocSection {
                heading: "Zadanie publiczne".into(),
                facts: vec![("Sfera".into(), "15. Wypoczynek dzieci i młodzieży".into())],
                paragraphs: vec![vec!["Półkolonie w mieście.".into(), INJECTION.into()]],
                table: None,
                widths: vec![],
            },
            DocSection {
                heading: "Kryteria wyboru ofert".into(),
                facts: vec![],
                paragraphs: vec![],
                table: Some((
                    vec!["Kryterium".into(), "Punkty".into(), "Waga".into()],
                    vec![vec![
                        "Możliwość realizacji zadania".into(),
                        "0–10".into(),
                        "2".into(),
                    ]],
                )),
                widths: vec![6, 1, 1],
            },
        ],
        footer: "Ogłoszenie wygenerowane z serwisu".into(),
        lang: "pl".into(),
    }
}

#[test]
fn an_announcement_renders_with_every_part_and_text_as_typed() {
    let doc = announcement();
    let pdf = render_call(&doc).expect("render");
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(pdf, render_call(&doc).expect("again"), "deterministic");
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("wspolnie-call-{}.pdf", std::process::id()));
    std::fs::write(&path, &pdf).expect("write");
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output();
    let _ = std::fs::remove_file(&path);
    let Ok(out) = out else {
        eprintln!("NOTE: pdftotext not available; skipping the text checks");
        return;
    };
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "Wypoczynek letni dzieci i młodzieży z Wierzbina",
        "Termin składania ofert: 15 lutego 2027, 15:30",
        "Sfera: 15. Wypoczynek",
        "#panic(\"boom\") *x* ] [ $",
        "Możliwość realizacji zadania 0–10",
    ] {
        assert!(text.contains(want), "{want:?} in {text}");
    }
}

#[test]
fn a_table_row_of_the_wrong_width_is_refused() {
    let mut doc = announcement();
    doc.sections[1].table.as_mut().expect("table").1[0].pop();
    assert!(matches!(
        render_call(&doc),
        Err(PdfError::RowWidth { row: 1, .. })
    ));
    doc.title = " ".into();
    assert!(matches!(render_call(&doc), Err(PdfError::NoTitle)));
}
