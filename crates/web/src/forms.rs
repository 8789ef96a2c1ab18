//! Form errors in the GOV.UK pattern: a summary at the top linking to the fields, the message next
//! to each field, the user's input kept.

/// The errors of one submitted form, each keyed by the **id of the element its summary link
/// lands on**: the field's id (its name, or `email-12` when a page repeats a form), or for a group
/// of checkboxes or radios the id of the group's first input (which templates give the group's
/// name, see `partials/form.html`). The summary (`error_summary`) lists them in the order of the
/// fields on the page (`order`), each message next to its field as `<key>-error`.
#[derive(Debug, Default, Clone)]
pub struct Errors(Vec<(String, String)>);

impl Errors {
    pub fn add(&mut self, field: impl Into<String>, message: String) {
        let field = field.into();
        if self.get(&field).is_none() {
            self.0.push((field, message));
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The start of the `<title>` of a page showing a form: "Błąd: " / "Error: " when the form
    /// came back with errors, else nothing. Every form template's title block begins with it.
    pub fn title_prefix(&self, ctx: &crate::ctx::PageCtx) -> String {
        if self.is_empty() {
            String::new()
        } else {
            format!("{}: ", ctx.t("form-error-prefix"))
        }
    }

    pub fn list(&self) -> &[(String, String)] {
        &self.0
    }

    /// Puts the messages in the order of the fields on the page (`fields`: ids, or a prefix
    /// ending in `*` for numbered fields, `photo_*`, which keep the order of their ids among
    /// themselves); others keep their place after them.
    pub fn order(&mut self, fields: &[&str]) {
        let key = |f: &str| {
            for (i, x) in fields.iter().enumerate() {
                match x.strip_suffix('*') {
                    Some(prefix) if f.starts_with(prefix) => return (i, f.to_owned()),
                    None if *x == f => return (i, String::new()),
                    _ => {}
                }
            }
            (fields.len(), String::new())
        };
        self.0.sort_by_key(|(f, _)| key(f));
    }

    /// Keys the message of `from` by `to` (a validation's name for a group whose first input
    /// has another id).
    pub fn rename(&mut self, from: &str, to: &str) {
        for (k, _) in &mut self.0 {
            if k == from {
                *k = to.to_owned();
            }
        }
    }

    /// One message, linked to `field` (the id of the element it is about).
    pub fn form(field: impl Into<String>, message: String) -> Errors {
        Errors(vec![(field.into(), message)])
    }
}

/// Whether a decoded key or value pair has a control character no field takes (see
/// `validation::forbidden_control`).
fn pair_has_control((k, v): &(String, String)) -> bool {
    wspolnie_platform::validation::has_forbidden_control(k)
        || wspolnie_platform::validation::has_forbidden_control(v)
}

/// Whether any key or value of an urlencoded text (form body or query string) has a control
/// character no field takes. Text that does not decode is left to the extractors.
pub fn urlencoded_has_control(urlencoded: &[u8]) -> bool {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(urlencoded)
        .is_ok_and(|pairs| pairs.iter().any(pair_has_control))
}

/// The query string without the pairs whose key or value holds a forbidden control character,
/// or `None` when it has none (or does not decode).
fn query_without_controls(query: &str) -> Option<String> {
    let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(query).ok()?;
    if !pairs.iter().any(pair_has_control) {
        return None;
    }
    let kept: Vec<&(String, String)> = pairs.iter().filter(|p| !pair_has_control(p)).collect();
    serde_urlencoded::to_string(kept).ok()
}

/// An urlencoded text with every key and value passed through
/// `validation::neutralise_controls`, or `None` when it holds nothing to neutralise (or does not
/// decode: the handler's extractor refuses it then). Decoded once.
fn urlencoded_neutralised(urlencoded: &[u8]) -> Option<String> {
    let pairs = serde_urlencoded::from_bytes::<Vec<(String, String)>>(urlencoded).ok()?;
    if !pairs.iter().any(pair_has_control) {
        return None;
    }
    let clean: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| {
            (
                wspolnie_platform::validation::neutralise_controls(k).into_owned(),
                wspolnie_platform::validation::neutralise_controls(v).into_owned(),
            )
        })
        .collect();
    serde_urlencoded::to_string(clean).ok()
}

/// The one place where control characters are taken out of every form (hostile input): NUL,
/// escape and the other C0 controls and DEL — except tab, CR and LF — in any decoded key or value
/// of an urlencoded body, or of the query string of a request that changes something, become
/// `validation::MARK` (U+FFFD) before any handler (or the database, which refuses NUL in text)
/// sees them. Every form's own check (`validation::Limits`) refuses a field holding the mark
/// with `form-error-control` next to it and gives the form back with the person's input, the
/// mark showing where the character was; a field with a format of its own (an address, a date)
/// fails that format. A GET or HEAD only reads: its filters are lenient (a bad value falls back),
/// so a parameter holding such a character is dropped as if absent. Multipart text fields get
/// the same in `MultipartForm::read`, CSV cells are checked by the import. Line breaks in one-line
/// fields are each form's check (`validation::Limits`).
pub async fn neutralise_control_characters(
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let read_only = matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let clean_query = match req.uri().query() {
        Some(q) if read_only => query_without_controls(q),
        Some(q) => urlencoded_neutralised(q.as_bytes()),
        None => None,
    };
    if let Some(clean) = clean_query {
        let path = req.uri().path();
        let uri = if clean.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{clean}")
        };
        match uri.parse() {
            Ok(uri) => *req.uri_mut() = uri,
            Err(_) => return crate::errors::AppError::BadRequest.into_response(),
        }
    }
    let urlencoded = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !urlencoded {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    // The body limit layer outside bounds the body; the CSRF check has already buffered it.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => return crate::errors::AppError::PayloadTooLarge.into_response(),
    };
    let body = match urlencoded_neutralised(&bytes) {
        Some(clean) => {
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            axum::body::Body::from(clean)
        }
        None => axum::body::Body::from(bytes),
    };
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// One uploaded file of a multipart form.
pub struct Upload {
    pub field: String,
    pub filename: String,
    pub bytes: bytes::Bytes,
}

/// Body limit of a route that takes a [`MultipartForm`] with files. A file over its form's own
/// limit is read to its end and dropped (not kept in memory), so the answer can be the form
/// again with the "file too large" message and every other field the person filled in; only a
/// body over this hard limit is cut off (see [`MultipartForm::read`]).
pub const MULTIPART_BODY_LIMIT: usize = 100 * 1024 * 1024;

pub use crate::security::MAX_FORM_TEXT;

/// The fields of a multipart form (text values by name, repeated names kept in order) and its
/// non-empty file parts. Parts over `max_file` bytes are reported as `Err(field)` so the form can
/// say which file was too large; the rest of the input is kept.
pub struct MultipartForm {
    pub fields: std::collections::HashMap<String, Vec<String>>,
    pub files: Vec<Upload>,
    pub too_large: Vec<String>,
}

impl MultipartForm {
    /// Reads the whole form. A file over `max_file` bytes is drained and named in `too_large`.
    /// When the body goes over the route's limit ([`MULTIPART_BODY_LIMIT`]) the reading stops:
    /// the part being read is named in `too_large` and the fields read so far are kept, so the
    /// form still comes back with the "too large" message instead of a bare 400.
    pub async fn read(
        mut mp: axum::extract::Multipart,
        max_file: usize,
    ) -> Result<MultipartForm, crate::errors::AppError> {
        use axum::extract::multipart::MultipartError;
        use axum::http::StatusCode;
        let mut out = MultipartForm {
            fields: Default::default(),
            files: Vec::new(),
            too_large: Vec::new(),
        };
        let over_body = |e: &MultipartError| e.status() == StatusCode::PAYLOAD_TOO_LARGE;
        let mut text_bytes = 0usize;
        loop {
            let mut field = match mp.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) if over_body(&e) => {
                    out.too_large.push(String::new());
                    break;
                }
                Err(_) => return Err(crate::errors::AppError::BadRequest),
            };
            let name = field.name().unwrap_or("").to_owned();
            let filename = field.file_name().map(str::to_owned);
            let mut buf = Vec::new();
            let mut over = false;
            let mut cut = false;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        if filename.is_none() {
                            text_bytes += chunk.len();
                            if text_bytes > MAX_FORM_TEXT {
                                return Err(crate::errors::AppError::PayloadTooLarge);
                            }
                        } else if over || buf.len() + chunk.len() > max_file {
                            over = true;
                            continue; // drain the part, keep reading the others
                        }
                        buf.extend_from_slice(&chunk);
                    }
                    Ok(None) => break,
                    Err(e) if over_body(&e) => {
                        cut = true;
                        break;
                    }
                    Err(_) => return Err(crate::errors::AppError::BadRequest),
                }
            }
            if cut {
                out.too_large.push(name);
                break;
            }
            match filename {
                Some(_) if over => out.too_large.push(name),
                Some(filename) => {
                    if !buf.is_empty() {
                        out.files.push(Upload {
                            field: name,
                            filename,
                            bytes: buf.into(),
                        });
                    }
                }
                None => {
                    let text = String::from_utf8_lossy(&buf).into_owned();
                    // Control characters become the mark the form's check refuses (see
                    // `neutralise_control_characters`).
                    let text =
                        wspolnie_platform::validation::neutralise_controls(&text).into_owned();
                    let name =
                        wspolnie_platform::validation::neutralise_controls(&name).into_owned();
                    out.fields.entry(name).or_default().push(text);
                }
            }
        }
        Ok(out)
    }

    /// The text fields read into a `#[derive(Deserialize)]` struct, as `HtmlForm` reads an
    /// urlencoded form (repeated names into `Vec` fields, unknown names ignored). A struct of
    /// defaulted text fields always fits; one that does not is a 400.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, crate::errors::AppError> {
        let pairs: Vec<(&str, &str)> = self
            .fields
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.as_str(), v.as_str())))
            .collect();
        serde_html_form::to_string(&pairs)
            .ok()
            .and_then(|s| serde_html_form::from_str(&s).ok())
            .ok_or(crate::errors::AppError::BadRequest)
    }

    pub fn file(&self, name: &str) -> Option<&Upload> {
        self.files.iter().find(|f| f.field == name)
    }
}

/// An urlencoded form (or, for GET, the query string) read into a `#[derive(Deserialize)]`
/// struct. Unlike axum's `Form`, repeated keys (checkbox groups) fill `Vec<T>` fields
/// (`serde_html_form`). Unknown fields such as `_csrf` are ignored. Rejections keep axum's
/// statuses (415 for another content type, 422 for a body that does not fit the struct); the
/// error-page middleware renders them.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlForm<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for HtmlForm<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = axum::response::Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let axum::extract::RawForm(bytes) = axum::extract::RawForm::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        serde_html_form::from_bytes(&bytes)
            .map(HtmlForm)
            .map_err(|_| axum::http::StatusCode::UNPROCESSABLE_ENTITY.into_response())
    }
}

/// A query string read into a `#[derive(Deserialize)]` struct, repeated keys into `Vec<T>`
/// fields (`serde_html_form`). A query that does not fit the struct is a 400, as with axum's
/// `Query`; pages whose filters must never fail use only `String`/`Vec<String>` fields with
/// defaults and parse them leniently.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for HtmlQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = axum::response::Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        serde_html_form::from_str(parts.uri.query().unwrap_or(""))
            .map(HtmlQuery)
            .map_err(|_| axum::http::StatusCode::BAD_REQUEST.into_response())
    }
}

/// `#[serde(deserialize_with = "first")]` for a text field: the first value when the key is
/// repeated (as a browser never does for these fields, but a hand-made request may), instead of
/// failing the whole form.
pub fn first<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct First;
    impl<'de> serde::de::Visitor<'de> for First {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a text value")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<String, A::Error> {
            let first = seq.next_element::<String>()?.unwrap_or_default();
            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
            Ok(first)
        }
    }
    d.deserialize_any(First)
}

/// The localised message of a field error given as a bare Fluent id, with the field's maximum
/// from the area's `Limits` when the id is `validation::TOO_LONG`.
pub fn message(
    ctx: &crate::ctx::PageCtx,
    limits: &wspolnie_platform::validation::Limits,
    field: &str,
    key: &str,
) -> String {
    match limits.find(field) {
        Some(l) if key == wspolnie_platform::validation::TOO_LONG => {
            ctx.t1(key, "max", &l.max.to_string())
        }
        _ => ctx.t(key),
    }
}

/// Checks text fields against the area's `Limits` into `errors` (localised, next to the field).
pub fn check_limits(
    ctx: &crate::ctx::PageCtx,
    errors: &mut Errors,
    limits: &wspolnie_platform::validation::Limits,
    fields: &[(&str, &str)],
) {
    for (field, value) in fields {
        if let Some(key) = limits.check(field, value) {
            errors.add(*field, message(ctx, limits, field, key));
        }
    }
}

/// Field errors from the platform (field → Fluent id + arguments) as localised messages.
pub fn localise(
    ctx: &crate::ctx::PageCtx,
    field_errors: &wspolnie_platform::validation::FieldErrors,
) -> Errors {
    let mut errors = Errors::default();
    for (f, (key, args)) in field_errors {
        let msg = match args.as_slice() {
            [] => ctx.t(key),
            [(k, v)] => ctx.t1(key, k, v),
            [(k1, v1), (k2, v2), ..] => ctx.t2(key, k1, v1, k2, v2),
        };
        errors.add(f.clone(), msg);
    }
    errors
}

/// The errors in words, the summary listing them in `order` (the form's field order).
pub fn localise_in_order(
    ctx: &crate::ctx::PageCtx,
    field_errors: &wspolnie_platform::validation::FieldErrors,
    order: &[&str],
) -> Errors {
    let mut errors = localise(ctx, field_errors);
    errors.order(order);
    errors
}

/// The first value of field `k` in a form read as pairs, trimmed (empty when absent).
pub fn get(pairs: &[(String, String)], k: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::first;
    use serde::Deserialize;

    #[derive(Deserialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct F {
        #[serde(deserialize_with = "first")]
        title: String,
        sphere: Vec<String>,
    }

    #[test]
    fn repeated_keys_fill_vecs_text_takes_the_first_unknown_ignored() {
        let f: F =
            serde_html_form::from_str("_csrf=x&title=a&sphere=s1&title=b&sphere=s2").unwrap();
        assert_eq!(f.title, "a");
        assert_eq!(f.sphere, ["s1", "s2"]);
        let f: F = serde_html_form::from_str("sphere=s1").unwrap();
        assert_eq!(
            f,
            F {
                title: String::new(),
                sphere: vec!["s1".into()]
            }
        );
        let f: F = serde_html_form::from_str("title=%C5%BC%C3%B3%C5%82w+x").unwrap();
        assert_eq!(f.title, "żółw x");
        let f: F = serde_html_form::from_str("").unwrap();
        assert_eq!(f, F::default());
    }

    #[test]
    fn errors_follow_the_page_order_numbered_fields_by_their_ids() {
        let mut e = super::Errors::default();
        for f in [
            "photo_2",
            "title",
            "extra",
            "photo_1_alt",
            "kind",
            "photo_1",
        ] {
            e.add(f, format!("m-{f}"));
        }
        e.add("title", "second message for title".into());
        e.order(&["kind", "title", "photo_*"]);
        let keys: Vec<&str> = e.list().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "kind",
                "title",
                "photo_1",
                "photo_1_alt",
                "photo_2",
                "extra"
            ]
        );
        assert_eq!(
            e.get("title"),
            Some("m-title"),
            "the first message of a field"
        );
    }

    #[test]
    fn control_characters_are_found_and_dropped_from_queries() {
        assert!(super::urlencoded_has_control(b"a=1&b=x%00y"));
        assert!(super::urlencoded_has_control(b"a%1B=1"));
        assert!(super::urlencoded_has_control(b"a=%7F"));
        assert!(!super::urlencoded_has_control(
            b"a=line%0D%0Anext%09tab&b=%C5%BC"
        ));
        assert_eq!(super::query_without_controls("a=1&b=2"), None);
        assert_eq!(
            super::query_without_controls("a=1&b=%00&c=%C5%BC").as_deref(),
            Some("a=1&c=%C5%BC")
        );
        assert_eq!(super::query_without_controls("b=%00").as_deref(), Some(""));
    }

    #[test]
    fn multipart_fields_parse_like_an_urlencoded_form() {
        let mut m = super::MultipartForm {
            fields: Default::default(),
            files: Vec::new(),
            too_large: Vec::new(),
        };
        m.fields
            .insert("title".into(), vec!["a&b=c ż".into(), "x".into()]);
        m.fields
            .insert("sphere".into(), vec!["s1".into(), "s2".into()]);
        let f: F = m.parse().unwrap();
        assert_eq!(f.title, "a&b=c ż");
        assert_eq!(f.sphere, ["s1", "s2"]);
    }
}
