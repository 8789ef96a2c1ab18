//! Form errors in the GOV.UK pattern: a summary at the top linking to the fields, the message next
//! to each field, the user's input kept.

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

    pub fn list(&self) -> &[(String, String)] {
        &self.0
    }

    /// A message for the whole form (shown in the summary, linked to `field`).
    pub fn form(field: &'static str, message: String) -> Errors {
        Errors(vec![(field.to_owned(), message)])
    }
}

/// One uploaded file of a multipart form.
pub struct Upload {
    pub field: String,
    pub filename: String,
    pub bytes: bytes::Bytes,
}

/// The fields of a multipart form (text values by name, repeated names kept in order) and its
/// non-empty file parts. Parts over `max_file` bytes are reported as `Err(field)` so the form can
/// say which file was too large; the rest of the input is kept.
pub struct MultipartForm {
    pub fields: std::collections::HashMap<String, Vec<String>>,
    pub files: Vec<Upload>,
    pub too_large: Vec<String>,
}

impl MultipartForm {
    pub async fn read(
        mut mp: axum::extract::Multipart,
        max_file: usize,
    ) -> Result<MultipartForm, crate::errors::AppError> {
        let mut out = MultipartForm {
            fields: Default::default(),
            files: Vec::new(),
            too_large: Vec::new(),
        };
        while let Some(mut field) = mp
            .next_field()
            .await
            .map_err(|_| crate::errors::AppError::BadRequest)?
        {
            let name = field.name().unwrap_or("").to_owned();
            if let Some(filename) = field.file_name().map(str::to_owned) {
                let mut buf = Vec::new();
                let mut over = false;
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|_| crate::errors::AppError::BadRequest)?
                {
                    if buf.len() + chunk.len() > max_file {
                        over = true;
                        continue; // drain the part, keep reading the others
                    }
                    buf.extend_from_slice(&chunk);
                }
                if over {
                    out.too_large.push(name);
                } else if !buf.is_empty() {
                    out.files.push(Upload {
                        field: name,
                        filename,
                        bytes: buf.into(),
                    });
                }
            } else {
                let text = field
                    .text()
                    .await
                    .map_err(|_| crate::errors::AppError::BadRequest)?;
                out.fields.entry(name).or_default().push(text);
            }
        }
        Ok(out)
    }

    /// The first value of a text field, or "".
    pub fn text(&self, name: &str) -> String {
        self.fields
            .get(name)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default()
    }

    /// All values of a repeated field (checkbox groups).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    pub fn file(&self, name: &str) -> Option<&Upload> {
        self.files.iter().find(|f| f.field == name)
    }
}

/// The first value of `name` in an urlencoded form read as pairs ("" when absent).
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Every value of a repeated field (checkboxes), in order.
pub fn all(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
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
