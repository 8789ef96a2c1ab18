//! Markdown rendering lives in `platform` (mailings render in background jobs); re-exported here
//! for the templates and handlers.

pub use wspolnie_platform::markdown::to_html;

pub use wspolnie_platform::markdown::to_mail_text;

pub use wspolnie_platform::markdown::to_text;
