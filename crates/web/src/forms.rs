//! Form errors in the GOV.UK pattern: a summary at the top linking to the fields, the message next
//! to each field, the user's input kept.

#[derive(Debug, Default, Clone)]
pub struct Errors(Vec<(&'static str, String)>);

impl Errors {
    pub fn add(&mut self, field: &'static str, message: String) {
        if self.get(field).is_none() {
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

    pub fn list(&self) -> &[(&'static str, String)] {
        &self.0
    }

    /// A message for the whole form (shown in the summary, linked to `field`).
    pub fn form(field: &'static str, message: String) -> Errors {
        Errors(vec![(field, message)])
    }
}
