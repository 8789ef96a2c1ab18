//! The offer document: the footer with the checksum on every page, user text printed literally,
//! tagged PDF/UA. Text extraction needs poppler (`pdftotext`, `pdfinfo`); without it those
//! assertions are skipped with a note.

use std::process::Command;
use wspolnie_pdf::{OfferBlock, OfferDocument, OfferSection, PdfError, render_offer};

const CHECKSUM: &str =
    "SHA-256: ec74 5a58 56fe fee5 87f3 02a0 b116 8df3 8c57 e5e6 5e12 98fa a76f 5b0c bcc6 4a48";

fn offer(rows: usize) -> OfferDocument {
    OfferDocument {
        title: "Oferta realizacji zadania publicznego — Półkolonie".into(),
        header: vec!["Konkurs: Wypoczynek letni (WSS.524.2.2027)".into()],
        sections: vec![
            OfferSection {
                heading: "III. Opis zadania".into(),
                blocks: vec![OfferBlock::Field {
                    label: "Syntetyczny opis".into(),
                    value: "#panic(\"boom\") *x* ] [ $ \\\nDruga linia: zażółć gęślą jaźń".into(),
                }],
            },
            OfferSection {
                heading: "V. Kalkulacja kosztów".into(),
                blocks: vec![OfferBlock::Table {
                    caption: "V.A Zestawienie kosztów".into(),
                    columns: vec!["Lp.".into(), "Rodzaj kosztu".into(), "Wartość".into()],
                    rows: (1..=rows)
                        .map(|i| {
                            vec![
                                format!("I.1.{i}"),
                                format!("Wynagrodzenie trenera {i}"),
                                "1 000,00 zł".into(),
                            ]
                        })
                        .collect(),
                }],
            },
        ],
        footer: "Suma kontrolna wersji 1 · kod skrócony: XHT5-MP2P".into(),
        checksum: CHECKSUM.into(),
        lang: "pl".into(),
    }
}

fn pages(pdf: &[u8]) -> Option<Vec<String>> {
    let dir = tempfile_dir();
    let path = dir.join("offer.pdf");
    std::fs::write(&path, pdf).ok()?;
    let info = Command::new("pdfinfo").arg(&path).output().ok()?;
    let n: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())?;
    (1..=n)
        .map(|p| {
            let o = Command::new("pdftotext")
                .args(["-f", &p.to_string(), "-l", &p.to_string(), "-layout"])
                .arg(&path)
                .arg("-")
                .output()
                .ok()?;
            Some(
                String::from_utf8_lossy(&o.stdout)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect()
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("offer-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("dir");
    d
}

#[test]
fn every_page_carries_the_checksum_and_user_text_stays_text() {
    let pdf = render_offer(&offer(120)).expect("render");
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(
        pdf,
        render_offer(&offer(120)).expect("again"),
        "deterministic"
    );
    let Some(pages) = pages(&pdf) else {
        eprintln!("poppler not installed: page text not checked");
        return;
    };
    assert!(
        pages.len() >= 3,
        "a long cost table spans pages: {}",
        pages.len()
    );
    for (i, p) in pages.iter().enumerate() {
        assert!(p.contains(CHECKSUM), "page {} has the checksum: {p}", i + 1);
        assert!(p.contains("XHT5-MP2P"), "page {} has the short code", i + 1);
    }
    assert!(
        pages[0].contains("#panic(\"boom\") *x* ] [ $"),
        "{}",
        pages[0]
    );
    assert!(pages[0].contains("zażółć gęślą jaźń"));
}

#[test]
fn bad_offers_are_errors() {
    let mut d = offer(1);
    d.title = " ".into();
    assert!(matches!(render_offer(&d), Err(PdfError::NoTitle)));
    let mut d = offer(1);
    if let OfferBlock::Table { rows, .. } = &mut d.sections[1].blocks[0] {
        rows[0].pop();
    }
    assert!(matches!(
        render_offer(&d),
        Err(PdfError::RowWidth { row: 1, .. })
    ));
    let mut d = offer(1);
    d.lang = "PL".into();
    assert!(matches!(render_offer(&d), Err(PdfError::Lang(_))));
}
