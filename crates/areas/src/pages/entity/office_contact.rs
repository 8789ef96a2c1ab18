use sea_orm::entity::prelude::*;

/// A person in the office to contact about a topic; `handles_media` marks who receives requests
/// for media promotion and patronage. The topic and the job title may be given in English too
/// (`topic_en`, `role_en`; empty: the Polish text is shown).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "office_contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub topic: String,
    pub name: String,
    pub role: String,
    pub department: String,
    pub room: String,
    pub phone: String,
    pub email: String,
    pub handles_media: bool,
    pub position: i32,
    pub updated_at: DateTimeUtc,
    pub topic_en: String,
    pub role_en: String,
}

use std::borrow::Borrow;
use wspolnie_platform::i18n::{Lang, Shown};

impl Model {
    /// The topic as shown in `lang` (Polish when no English topic was entered).
    pub fn topic_in(&self, lang: impl Borrow<Lang>) -> Shown<'_> {
        lang.borrow().pick(&self.topic, &self.topic_en)
    }

    /// The job title as shown in `lang` (Polish when no English title was entered).
    pub fn role_in(&self, lang: impl Borrow<Lang>) -> Shown<'_> {
        lang.borrow().pick(&self.role, &self.role_en)
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
