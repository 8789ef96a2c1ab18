//! Documents rendered to PDF with typst used as a library.
//!
//! Three documents: [`TableDocument`], a titled table such as the attendance list of a meeting
//! (lp. / name / organisation / people / signature), laid out on A4 with the header row repeated
//! on every page and "page / pages" in the footer; [`CallDocument`], the announcement of an open
//! call for offers (headed sections of facts, text and tables); and [`OfferDocument`], a
//! submitted grant offer in the model layout with its checksum in every page's footer.
//!
//! * **User text is never markup.** The data travel as JSON in a virtual file that the fixed
//!   template reads with `json("/data.json")`; every cell reaches typst as a string value,
//!   which is printed as typed, so `#panic("x")`, `*bold*` or `]` appear literally.
//! * **Self-contained.** The [`World`] here has one source (the template) and one data file;
//!   it reads nothing from disk and downloads no packages. Fonts are the free ones bundled by
//!   typst-assets (Libertinus Serif, which covers ąćęłńóśźż), parsed once per process.
//! * **Accessible.** The PDF is tagged and checked against PDF/UA-1 by typst-pdf; the title
//!   and language come from the document.
//! * **Deterministic.** The document has no creation date, `today()` is fixed and the PDF
//!   identifier is derived from the title, so the same input gives the same bytes.
//!
//! A [`CallDocument`] is also written as ODT for BIP ([`render_odt`], `odt.rs`).

mod odt;
pub use odt::render_odt;
use std::fmt::Write as _;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

/// The typst template; it reads everything it shows from `/data.json`.
const TABLE_TEMPLATE: &str = include_str!("table.typ");

/// The offer's template (annex 1 layout, checksum in every page's footer).
const OFFER_TEMPLATE: &str = include_str!("offer.typ");

/// The template of a call's announcement ([`CallDocument`]), reading `/data.json` likewise.
const CALL_TEMPLATE: &str = include_str!("call.typ");

/// Columns whose longest text (header included) has at most this many characters are sized to
/// their content; longer ones share the rest of the line.
const NARROW_COLUMN_CHARS: usize = 16;

/// A titled table, e.g. an attendance list to print and sign.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableDocument {
    /// The heading on the first page, also the PDF's title.
    pub title: String,
    /// Lines under the heading (date, place, organiser), one per entry.
    pub subtitle_lines: Vec<String>,
    /// Header cells; the header row repeats on every page.
    pub columns: Vec<String>,
    /// Body rows, each with exactly `columns.len()` cells.
    pub rows: Vec<Vec<String>>,
    /// Small text at the bottom of every page, beside "page / pages",
    /// e.g. "Wygenerowano 2026-12-02 14:00".
    pub footer: String,
    /// Document language, `"pl"` or `"en"` (any ISO 639 code of 2–3 lowercase letters).
    pub lang: String,
    /// Appends an empty, wide column headed by `signature_label` for hand signatures.
    pub signature_column: bool,
    /// Header of the signature column; used only with `signature_column`.
    pub signature_label: String,
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The title is empty; an accessible (PDF/UA-1) document needs one.
    #[error("the document has no title")]
    NoTitle,
    /// The table has no columns.
    #[error("the table has no columns")]
    NoColumns,
    /// A body row has a different number of cells than the table has columns.
    #[error("row {row} has {cells} cells, but the table has {columns} columns")]
    RowWidth {
        /// 1-based number of the row.
        row: usize,
        /// Cells in that row.
        cells: usize,
        /// Columns of the table.
        columns: usize,
    },
    /// The language is not an ISO 639 code.
    #[error("unsupported document language {0:?}")]
    Lang(String),
    /// typst could not lay the document out; the diagnostics as text.
    #[error("typst could not compile the document: {0}")]
    Compile(String),
    /// typst-pdf could not export the document (e.g. PDF/UA-1 not met); the diagnostics as text.
    #[error("typst could not export the PDF: {0}")]
    Export(String),
    /// The column widths do not match the table's columns (or one is 0).
    #[error("the column widths do not match the table's columns")]
    Widths,
    /// The ODT package could not be written.
    #[error("could not write the ODT document: {0}")]
    Odt(String),
}

/// Renders `doc` as a tagged PDF (PDF/UA-1) on A4 and returns its bytes.
///
/// The same document always gives the same bytes.
pub fn render_table(doc: &TableDocument) -> Result<Vec<u8>, PdfError> {
    let data = table_data(doc)?;
    render(TABLE_TEMPLATE, data, &doc.title)
}

/// A submitted grant offer in the layout of the model form (annex 1 of the regulation of
/// 24 Oct 2018): a heading, lines under it, then sections of labelled fields and tables, with
/// the checksum of the submitted version and its short code in the footer of every page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferDocument {
    /// The heading on the first page, also the PDF's title.
    pub title: String,
    /// Lines under the heading (call, organisation, version, submission time).
    pub header: Vec<String>,
    /// The sections in the form's order.
    pub sections: Vec<OfferSection>,
    /// The first footer line of every page (e.g. "Suma kontrolna wersji 2 · kod ABCD-EFGH").
    pub footer: String,
    /// The second footer line, set in a monospaced font: the full checksum.
    pub checksum: String,
    /// Document language, `"pl"` or `"en"`.
    pub lang: String,
}

/// One section of the offer (e.g. "V.A Zestawienie kosztów").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferSection {
    pub heading: String,
    pub blocks: Vec<OfferBlock>,
}

/// A labelled text or a table with its caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferBlock {
    Field {
        label: String,
        value: String,
    },
    Table {
        caption: String,
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// Renders an offer as a tagged PDF (PDF/UA-1) on A4. The same document gives the same bytes.
pub fn render_offer(doc: &OfferDocument) -> Result<Vec<u8>, PdfError> {
    let data = offer_data(doc)?;
    render(OFFER_TEMPLATE, data, &doc.title)
}

/// A competition commission's protocol (members and their statements, recusals, the cards per
/// offer and criterion, averages, proposed amounts): the same layout as an offer — a heading,
/// lines under it, sections of labelled fields and tables — with the protocol's checksum in the
/// footer of every page.
pub fn render_protocol(doc: &OfferDocument) -> Result<Vec<u8>, PdfError> {
    render_offer(doc)
}

fn offer_data(doc: &OfferDocument) -> Result<Vec<u8>, PdfError> {
    if doc.title.trim().is_empty() {
        return Err(PdfError::NoTitle);
    }
    let lang = doc.lang.as_str();
    if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(PdfError::Lang(doc.lang.clone()));
    }
    let mut sections = Vec::new();
    for s in &doc.sections {
        let mut blocks = Vec::new();
        for b in &s.blocks {
            match b {
                OfferBlock::Field { label, value } => blocks.push(serde_json::json!({
                    "kind": "field", "label": label, "value": value,
                })),
                OfferBlock::Table {
                    caption,
                    columns,
                    rows,
                } => {
                    if columns.is_empty() {
                        return Err(PdfError::NoColumns);
                    }
                    if let Some((i, row)) = rows
                        .iter()
                        .enumerate()
                        .find(|(_, r)| r.len() != columns.len())
                    {
                        return Err(PdfError::RowWidth {
                            row: i + 1,
                            cells: row.len(),
                            columns: columns.len(),
                        });
                    }
                    let widths: Vec<&str> = (0..columns.len())
                        .map(|c| {
                            let longest = std::iter::once(&columns[c])
                                .chain(rows.iter().map(|r| &r[c]))
                                .map(|s| s.chars().count())
                                .max()
                                .unwrap_or(0);
                            if longest <= NARROW_COLUMN_CHARS {
                                "auto"
                            } else {
                                "fr"
                            }
                        })
                        .collect();
                    blocks.push(serde_json::json!({
                        "kind": "table", "caption": caption, "columns": columns,
                        "rows": rows, "widths": widths,
                    }));
                }
            }
        }
        sections.push(serde_json::json!({ "heading": s.heading, "blocks": blocks }));
    }
    let data = serde_json::json!({
        "title": doc.title,
        "header": doc.header,
        "sections": sections,
        "footer": doc.footer,
        "checksum": doc.checksum,
        "lang": lang,
    });
    Ok(data.to_string().into_bytes())
}

/// The announcement of an open call for offers (art. 13 UDPP) for BIP and the notice board:
/// a title, a few lines under it, the dates a reader must not miss in a framed box, then
/// sections with labelled facts, paragraphs of plain text and at most one table each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallDocument {
    /// The heading on the first page, also the PDF's title.
    pub title: String,
    /// Lines under the heading (office, reference number, status).
    pub lead_lines: Vec<String>,
    /// Lines in the framed box (the offer deadline first).
    pub highlight: Vec<String>,
    /// The parts of the announcement, in order.
    pub sections: Vec<DocSection>,
    /// Small text at the bottom of every page, beside "page / pages".
    pub footer: String,
    /// Document language, `"pl"` or `"en"`.
    pub lang: String,
}

/// One part of a [`CallDocument`], under its own heading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocSection {
    pub heading: String,
    /// Label and value, each printed as "label: value".
    pub facts: Vec<(String, String)>,
    /// Paragraphs of plain text, each a list of lines.
    pub paragraphs: Vec<Vec<String>>,
    /// A table after the paragraphs: header cells and rows of exactly as many cells.
    pub table: Option<(Vec<String>, Vec<Vec<String>>)>,
    /// The table's column widths as shares of the line (one per column, each at least 1);
    /// empty: the first column takes the room the others leave.
    pub widths: Vec<u16>,
}

/// Renders a call's announcement as a tagged PDF (PDF/UA-1) on A4 and returns its bytes.
///
/// The same document always gives the same bytes.
pub fn render_call(doc: &CallDocument) -> Result<Vec<u8>, PdfError> {
    let data = call_data(doc)?;
    render(CALL_TEMPLATE, data, &doc.title)
}

fn check_lang(lang: &str) -> Result<(), PdfError> {
    if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(PdfError::Lang(lang.to_owned()));
    }
    Ok(())
}

/// Checks the announcement and turns it into the JSON that the template reads.
pub(crate) fn call_data(doc: &CallDocument) -> Result<Vec<u8>, PdfError> {
    if doc.title.trim().is_empty() {
        return Err(PdfError::NoTitle);
    }
    check_lang(&doc.lang)?;
    let mut sections = Vec::new();
    for s in &doc.sections {
        let table = match &s.table {
            Some((columns, rows)) => {
                if columns.is_empty() {
                    return Err(PdfError::NoColumns);
                }
                if let Some((i, row)) = rows
                    .iter()
                    .enumerate()
                    .find(|(_, r)| r.len() != columns.len())
                {
                    return Err(PdfError::RowWidth {
                        row: i + 1,
                        cells: row.len(),
                        columns: columns.len(),
                    });
                }
                if !s.widths.is_empty()
                    && (s.widths.len() != columns.len() || s.widths.contains(&0))
                {
                    return Err(PdfError::Widths);
                }
                serde_json::json!({ "columns": columns, "rows": rows, "widths": s.widths })
            }
            None => serde_json::Value::Null,
        };
        sections.push(serde_json::json!({
            "heading": s.heading,
            "facts": s.facts.iter().map(|(l, v)| [l, v]).collect::<Vec<_>>(),
            "paragraphs": s.paragraphs,
            "table": table,
        }));
    }
    let data = serde_json::json!({
        "title": doc.title,
        "lead": doc.lead_lines,
        "highlight": doc.highlight,
        "sections": sections,
        "footer": doc.footer,
        "lang": doc.lang,
    });
    Ok(data.to_string().into_bytes())
}

/// Checks the table and turns it into the JSON that the template reads.
fn table_data(doc: &TableDocument) -> Result<Vec<u8>, PdfError> {
    if doc.title.trim().is_empty() {
        return Err(PdfError::NoTitle);
    }
    if doc.columns.is_empty() {
        return Err(PdfError::NoColumns);
    }
    if let Some((i, row)) = doc
        .rows
        .iter()
        .enumerate()
        .find(|(_, row)| row.len() != doc.columns.len())
    {
        return Err(PdfError::RowWidth {
            row: i + 1,
            cells: row.len(),
            columns: doc.columns.len(),
        });
    }
    let lang = doc.lang.as_str();
    if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(PdfError::Lang(doc.lang.clone()));
    }

    let mut columns = doc.columns.clone();
    let mut widths: Vec<&str> = (0..doc.columns.len())
        .map(|c| {
            let longest = std::iter::once(&doc.columns[c])
                .chain(doc.rows.iter().map(|row| &row[c]))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0);
            if longest <= NARROW_COLUMN_CHARS {
                "auto"
            } else {
                "fr"
            }
        })
        .collect();
    if doc.signature_column {
        columns.push(doc.signature_label.clone());
        widths.push("sign");
    }
    let data = serde_json::json!({
        "title": doc.title,
        "subtitle": doc.subtitle_lines,
        "columns": columns,
        "widths": widths,
        "rows": doc.rows,
        "signature": doc.signature_column,
        "footer": doc.footer,
        "lang": lang,
    });
    Ok(data.to_string().into_bytes())
}

/// One document at a time per process: a typst compilation holds tens of megabytes while it
/// runs, and renders come from background jobs (offers at a deadline rush) where waiting costs
/// nothing, while two at once would double the server's peak memory.
static RENDER_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn render(template: &'static str, data: Vec<u8>, title: &str) -> Result<Vec<u8>, PdfError> {
    // A panic in an earlier render poisons the lock but leaves nothing behind it to protect.
    let _one = RENDER_LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let world = DocWorld::new(template, data)?;
    let result = compile_pdf(&world, title);
    // typst memoises across compilations; keep only what the last renders used (the fonts'
    // shaping, the template) so that a long-running server does not keep every document.
    typst::comemo::evict(2);
    result
}

fn compile_pdf(world: &DocWorld, title: &str) -> Result<Vec<u8>, PdfError> {
    let document: PagedDocument = typst::compile(world)
        .output
        .map_err(|diags| PdfError::Compile(world.describe(&diags)))?;
    let standards = PdfStandards::new(&[PdfStandard::Ua_1])
        .map_err(|e| PdfError::Export(e.message().to_string()))?;
    let options = PdfOptions {
        // The PDF's /ID is a hash of this: stable for the same document, no random part.
        ident: Smart::Custom(format!("wspolnie-table/{title}")),
        // No creation date (the template also says `date: none`).
        timestamp: None,
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|diags| PdfError::Export(world.describe(&diags)))
}

/// The bundled fonts and their book, loaded once per process.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The date `today()` returns: documents must not depend on when they were rendered.
fn fixed_today() -> Option<Datetime> {
    Datetime::from_ymd(2026, 1, 1)
}

fn project_file(name: &str) -> Result<FileId, PdfError> {
    let vpath = VirtualPath::new(name).map_err(|e| PdfError::Compile(format!("{name}: {e}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// A world with one source file and one data file, and nothing else.
struct DocWorld {
    main: FileId,
    data_id: FileId,
    source: Source,
    data: Bytes,
}

impl DocWorld {
    fn new(template: &str, data: Vec<u8>) -> Result<Self, PdfError> {
        let main = project_file("/main.typ")?;
        Ok(Self {
            main,
            data_id: project_file("/data.json")?,
            source: Source::new(main, template.to_owned()),
            data: Bytes::new(data),
        })
    }

    /// Diagnostics as text, with the template line where there is one.
    fn describe(&self, diags: &[SourceDiagnostic]) -> String {
        let mut out = String::new();
        for (i, diag) in diags.iter().enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            let line = (diag.span.id() == Some(self.main))
                .then(|| self.range(diag.span))
                .flatten()
                .and_then(|range| self.source.lines().byte_to_line(range.start));
            if let Some(line) = line {
                let _ = write!(out, "template line {}: ", line + 1);
            }
            out.push_str(&diag.message);
            for hint in &diag.hints {
                let _ = write!(out, " (hint: {})", hint.v);
            }
        }
        out
    }
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main {
            Ok(Bytes::from_string(self.source.text().to_owned()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        fixed_today()
    }
}
