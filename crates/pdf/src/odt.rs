//! The same documents as OpenDocument Text (ODT) for BIP, where offices publish editable
//! formats beside PDF: a [`CallDocument`] written as an ODF 1.3 package (a zip whose first entry
//! is the uncompressed `mimetype`, then `content.xml`, `styles.xml`, `meta.xml` and the
//! manifest). Headings are real outline headings and tables have a repeated header row, so a
//! screen reader and an office suite find the structure. User text is XML-escaped and stripped
//! of characters XML cannot hold; nothing the office wrote becomes markup.

use crate::{CallDocument, PdfError};
use std::io::Write;
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

const MIMETYPE: &str = "application/vnd.oasis.opendocument.text";

/// Text safe inside XML: escaped, without the control characters XML 1.0 forbids.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn p(style: &str, text: &str) -> String {
    format!("<text:p text:style-name=\"{style}\">{}</text:p>", esc(text))
}

fn h(level: u8, text: &str) -> String {
    format!(
        "<text:h text:style-name=\"Heading_20_{level}\" text:outline-level=\"{level}\">{}</text:h>",
        esc(text)
    )
}

fn table(n: usize, columns: &[String], rows: &[Vec<String>]) -> String {
    let mut t = format!(
        "<table:table table:name=\"Tabela{n}\" table:style-name=\"Table\"><table:table-column table:number-columns-repeated=\"{}\"/>",
        columns.len()
    );
    t.push_str("<table:table-header-rows><table:table-row>");
    for c in columns {
        t.push_str(&format!(
            "<table:table-cell table:style-name=\"Cell\" office:value-type=\"string\">{}</table:table-cell>",
            p("Table_20_Heading", c)
        ));
    }
    t.push_str("</table:table-row></table:table-header-rows>");
    for r in rows {
        t.push_str("<table:table-row>");
        for c in r {
            t.push_str("<table:table-cell table:style-name=\"Cell\" office:value-type=\"string\">");
            for line in c.split('\n') {
                t.push_str(&p("Table_20_Contents", line));
            }
            t.push_str("</table:table-cell>");
        }
        t.push_str("</table:table-row>");
    }
    t.push_str("</table:table>");
    t
}

const NS: &str = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" office:version=\"1.3\"";

fn content(doc: &CallDocument) -> String {
    let mut body = String::new();
    body.push_str(&h(1, &doc.title));
    for l in &doc.lead_lines {
        body.push_str(&p("Lead", l));
    }
    for l in &doc.highlight {
        body.push_str(&p("Highlight", l));
    }
    for (i, s) in doc.sections.iter().enumerate() {
        body.push_str(&h(2, &s.heading));
        for (label, value) in &s.facts {
            body.push_str(&format!(
                "<text:p text:style-name=\"Text_20_body\"><text:span text:style-name=\"Strong\">{}:</text:span> {}</text:p>",
                esc(label),
                esc(value)
            ));
        }
        for para in &s.paragraphs {
            body.push_str("<text:p text:style-name=\"Text_20_body\">");
            for (j, line) in para.iter().enumerate() {
                if j > 0 {
                    body.push_str("<text:line-break/>");
                }
                body.push_str(&esc(line));
            }
            body.push_str("</text:p>");
        }
        if let Some((columns, rows)) = &s.table {
            body.push_str(&table(i + 1, columns, rows));
        }
    }
    if !doc.footer.is_empty() {
        body.push_str(&p("Footer_20_note", &doc.footer));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content {NS}>\
<office:automatic-styles>\
<style:style style:name=\"Table\" style:family=\"table\"><style:table-properties style:width=\"17cm\" table:align=\"left\"/></style:style>\
<style:style style:name=\"Cell\" style:family=\"table-cell\"><style:table-cell-properties fo:padding=\"0.1cm\" fo:border=\"0.5pt solid #6e6e6e\"/></style:style>\
</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
}

fn styles(lang: &str) -> String {
    let country = if lang == "pl" { "PL" } else { "GB" };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles {NS}><office:styles>\
<style:default-style style:family=\"paragraph\"><style:paragraph-properties fo:margin-bottom=\"0.2cm\"/>\
<style:text-properties style:font-name=\"Liberation Serif\" fo:font-size=\"11pt\" fo:language=\"{lang}\" fo:country=\"{country}\"/></style:default-style>\
<style:style style:name=\"Text_20_body\" style:display-name=\"Text body\" style:family=\"paragraph\"/>\
<style:style style:name=\"Lead\" style:family=\"paragraph\" style:parent-style-name=\"Text_20_body\"/>\
<style:style style:name=\"Highlight\" style:family=\"paragraph\" style:parent-style-name=\"Text_20_body\"><style:text-properties fo:font-weight=\"bold\"/></style:style>\
<style:style style:name=\"Footer_20_note\" style:display-name=\"Footer note\" style:family=\"paragraph\"><style:text-properties fo:font-size=\"8pt\"/></style:style>\
<style:style style:name=\"Heading_20_1\" style:display-name=\"Heading 1\" style:family=\"paragraph\" style:default-outline-level=\"1\"><style:text-properties fo:font-size=\"16pt\" fo:font-weight=\"bold\"/></style:style>\
<style:style style:name=\"Heading_20_2\" style:display-name=\"Heading 2\" style:family=\"paragraph\" style:default-outline-level=\"2\"><style:paragraph-properties fo:margin-top=\"0.4cm\"/><style:text-properties fo:font-size=\"13pt\" fo:font-weight=\"bold\"/></style:style>\
<style:style style:name=\"Table_20_Contents\" style:display-name=\"Table Contents\" style:family=\"paragraph\"><style:text-properties fo:font-size=\"9.5pt\"/></style:style>\
<style:style style:name=\"Table_20_Heading\" style:display-name=\"Table Heading\" style:family=\"paragraph\"><style:text-properties fo:font-size=\"9.5pt\" fo:font-weight=\"bold\"/></style:style>\
<style:style style:name=\"Strong\" style:family=\"text\"><style:text-properties fo:font-weight=\"bold\"/></style:style>\
</office:styles></office:document-styles>"
    )
}

fn meta(doc: &CallDocument) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta {NS}><office:meta>\
<dc:title>{}</dc:title><dc:language>{}</dc:language><meta:generator>Wspólnie</meta:generator>\
</office:meta></office:document-meta>",
        esc(&doc.title),
        esc(&doc.lang)
    )
}

const MANIFEST: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest \
xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
<manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>\
<manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>\
</manifest:manifest>";

/// Writes the document as ODT and returns its bytes (checked as for the PDF: a title, a
/// language, rows as wide as their table).
pub fn render_odt(doc: &CallDocument) -> Result<Vec<u8>, PdfError> {
    crate::call_data(doc)?;
    let io = |e: std::io::Error| PdfError::Odt(e.to_string());
    let zipped = |e: zip::result::ZipError| PdfError::Odt(e.to_string());
    let mut z = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // A fixed time keeps the bytes the same for the same document.
    let time = zip::DateTime::from_date_and_time(2026, 1, 1, 0, 0, 0)
        .map_err(|e| PdfError::Odt(e.to_string()))?;
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(time);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(time);
    z.start_file("mimetype", stored).map_err(zipped)?;
    z.write_all(MIMETYPE.as_bytes()).map_err(io)?;
    for (name, text) in [
        ("content.xml", content(doc)),
        ("styles.xml", styles(&doc.lang)),
        ("meta.xml", meta(doc)),
        ("META-INF/manifest.xml", MANIFEST.to_owned()),
    ] {
        z.start_file(name, deflated).map_err(zipped)?;
        z.write_all(text.as_bytes()).map_err(io)?;
    }
    Ok(z.finish().map_err(zipped)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DocSection;
    use std::io::Read;

    #[test]
    fn an_odt_holds_the_text_escaped_with_its_mimetype_first_and_stored() {
        let doc = CallDocument {
            title: "Raport <z> konsultacji & \"uwagi\"".into(),
            lead_lines: vec!["Urząd Miejski".into()],
            highlight: vec![],
            sections: vec![DocSection {
                heading: "Zestawienie uwag".into(),
                facts: vec![("Termin".into(), "1–7 grudnia".into())],
                paragraphs: vec![vec!["Linia\u{0}pierwsza".into(), "druga".into()]],
                table: Some((
                    vec!["Lp.".into(), "Uwaga".into()],
                    vec![vec!["1".into(), "§ 2: <b>nowe</b>".into()]],
                )),
                widths: vec![1, 5],
            }],
            footer: "BIP".into(),
            lang: "pl".into(),
        };
        let bytes = render_odt(&doc).expect("odt");
        assert_eq!(
            &bytes[30..38],
            b"mimetype",
            "the first entry is the mimetype"
        );
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("zip");
        let mime = zip.by_index(0).expect("first");
        assert_eq!(mime.compression(), CompressionMethod::Stored);
        drop(mime);
        let mut content = String::new();
        zip.by_name("content.xml")
            .expect("content")
            .read_to_string(&mut content)
            .expect("read");
        assert!(content.contains("Raport &lt;z&gt; konsultacji &amp; &quot;uwagi&quot;"));
        assert!(content.contains("§ 2: &lt;b&gt;nowe&lt;/b&gt;"));
        assert!(
            content.contains("Liniapierwsza<text:line-break/>druga"),
            "control characters dropped"
        );
        assert!(content.contains("<table:table-header-rows>"));
        assert_eq!(
            render_odt(&doc).expect("again"),
            bytes,
            "the same document gives the same bytes"
        );
        let bad = CallDocument {
            lang: "PL!".into(),
            ..doc
        };
        assert!(render_odt(&bad).is_err());
    }
}
