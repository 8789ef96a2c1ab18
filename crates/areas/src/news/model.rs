//! News and post-project reports (issue 5). Organisations submit project news and reports (text,
//! photos with alt text, a cover image) through the moderation queue, exactly as events; officials
//! publish city news directly (audited). Published articles live in `articles` + `article_files`.

pub use crate::news::limits::{BODY_MAX, LEAD_MAX, TITLE_MAX};
use wspolnie_platform::audit;
use wspolnie_platform::audit::Actor;
use crate::news::entity::article;
use crate::news::entity::article_file;
use crate::directory::entity::organization;
use crate::moderation::model as moderation;
use crate::moderation::model::KIND_CREATE;
use crate::moderation::model::KIND_UPDATE;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use wspolnie_core::text::{search_text, slugify};

pub use crate::directory::model::FieldErrors;
pub use crate::calendar::model::SaveAs;

pub const SUBJECT_ARTICLE: &str = "article";
pub const KINDS: [&str; 2] = ["news", "report"];
pub const MAX_PHOTOS: usize = 4;

/// The life cycle of an article (`status` column): the publication life cycle it shares with
/// events (`moderation::lifecycle`), with `allowed` the one function that says which moves are
/// allowed.
pub use crate::moderation::lifecycle::{LifecycleError, Mover, Publication as Status, allowed};

fn check(a: Option<&article::Model>, to: Status, by: Mover) -> Result<(), LifecycleError> {
    let from = a.map(|a| a.status);
    let city =
        a.is_some_and(|a| a.organization_id.is_none()) || (a.is_none() && by == Mover::Official);
    crate::moderation::lifecycle::check(from, to, by, city)
}

/// A photo of a report (stored file key + alternative text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    pub key: String,
    pub alt: String,
}

/// An attachment of a report (stored file key + link text), e.g. a PDF with the project summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub key: String,
    pub title: String,
}

pub const MAX_ATTACHMENTS: usize = 2;

/// What an article says, as the form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArticleData {
    /// `news` | `report`.
    pub kind: String,
    pub title: String,
    /// One or two sentences shown in lists and feeds.
    pub lead: String,
    /// Markdown.
    pub body: String,
    pub cover_key: String,
    pub cover_alt: String,
    pub photos: Vec<Photo>,
    pub attachments: Vec<Attachment>,
}

impl ArticleData {
    /// Trims in place and checks everything; field → Fluent message id.
    pub fn validate(&mut self) -> FieldErrors {
        let mut e = FieldErrors::new();
        for s in [
            &mut self.kind,
            &mut self.title,
            &mut self.lead,
            &mut self.body,
            &mut self.cover_key,
            &mut self.cover_alt,
        ] {
            *s = s.trim().to_owned();
        }
        self.title = self.title.split_whitespace().collect::<Vec<_>>().join(" ");
        self.lead = self.lead.split_whitespace().collect::<Vec<_>>().join(" ");
        if !KINDS.contains(&self.kind.as_str()) {
            e.insert("kind".into(), "error-article-kind");
        }
        let n = self.title.chars().count();
        if n == 0 {
            e.insert("title".into(), "error-article-title-required");
        } else if !(3..=TITLE_MAX).contains(&n) {
            e.insert("title".into(), "error-article-title-length");
        }
        let n = self.lead.chars().count();
        if n == 0 {
            e.insert("lead".into(), "error-article-lead-required");
        } else if n > LEAD_MAX {
            e.insert("lead".into(), "error-article-lead-long");
        }
        let n = self.body.chars().count();
        if n == 0 {
            e.insert("body".into(), "error-article-body-required");
        } else if n > BODY_MAX {
            e.insert("body".into(), "error-article-body-long");
        }
        if self.cover_key.is_empty() {
            self.cover_alt.clear();
        } else if self.cover_alt.is_empty() {
            e.insert("cover_alt".into(), "error-image-alt-required");
        }
        self.photos.retain(|p| !p.key.trim().is_empty());
        if self.photos.len() > MAX_PHOTOS {
            e.insert("photos".into(), "error-article-photos-too-many");
        }
        for (i, p) in self.photos.iter_mut().enumerate() {
            p.alt = p.alt.trim().to_owned();
            if p.alt.is_empty() {
                e.insert(format!("photo_{}_alt", i + 1), "error-image-alt-required");
            } else if p.alt.chars().count() > 300 {
                e.insert(format!("photo_{}_alt", i + 1), "error-poster-alt-long");
            }
        }
        self.attachments.retain(|a| !a.key.trim().is_empty());
        if self.attachments.len() > MAX_ATTACHMENTS {
            e.insert("attachments".into(), "error-article-attachments-too-many");
        }
        for (i, a) in self.attachments.iter_mut().enumerate() {
            a.title = a.title.split_whitespace().collect::<Vec<_>>().join(" ");
            let n = a.title.chars().count();
            if n == 0 {
                e.insert(
                    format!("attachment_{}_title", i + 1),
                    "error-attachment-title",
                );
            } else if n > 200 {
                e.insert(format!("attachment_{}_title", i + 1), "error-text-too-long");
            }
        }
        let limits = &crate::news::limits::ARTICLE;
        limits.check_into(
            &mut e,
            &[
                ("kind", &self.kind),
                ("title", &self.title),
                ("lead", &self.lead),
                ("body", &self.body),
                ("cover_key", &self.cover_key),
                ("cover_alt", &self.cover_alt),
            ],
        );
        for (i, p) in self.photos.iter().enumerate() {
            if let Some(key) = limits.check("photo_alt", &p.alt) {
                e.entry(format!("photo_{}_alt", i + 1)).or_insert(key);
            }
        }
        for (i, a) in self.attachments.iter().enumerate() {
            if let Some(key) = limits.check("attachment_title", &a.title) {
                e.entry(format!("attachment_{}_title", i + 1)).or_insert(key);
            }
        }
        e
    }

    /// The data of a stored article (to edit it, and for the moderation diff).
    pub async fn load<C: ConnectionTrait>(db: &C, a: &article::Model) -> Result<Self, DbErr> {
        let files = article_file::Entity::find()
            .filter(article_file::Column::ArticleId.eq(a.id))
            .order_by_asc(article_file::Column::Position)
            .all(db)
            .await?;
        let photos = files
            .iter()
            .filter(|f| f.kind == "image")
            .map(|f| Photo {
                key: f.file_key.clone(),
                alt: f.title.clone(),
            })
            .collect();
        let attachments = files
            .iter()
            .filter(|f| f.kind == "attachment")
            .map(|f| Attachment {
                key: f.file_key.clone(),
                title: f.title.clone(),
            })
            .collect();
        Ok(ArticleData {
            kind: a.kind.clone(),
            title: a.title.clone(),
            lead: a.lead.clone(),
            body: a.body_md.clone(),
            cover_key: a.cover_key.clone().unwrap_or_default(),
            cover_alt: a.cover_alt.clone(),
            photos,
            attachments,
        })
    }
}

fn fill(a: &mut article::ActiveModel, d: &ArticleData, org_name: &str) {
    a.kind = Set(d.kind.clone());
    a.title = Set(d.title.clone());
    a.lead = Set(d.lead.clone());
    a.body_md = Set(d.body.clone());
    a.cover_key = Set((!d.cover_key.is_empty()).then(|| d.cover_key.clone()));
    a.cover_alt = Set(d.cover_alt.clone());
    a.search_text = Set(search_text(&[&d.title, &d.lead, &d.body, org_name]));
    a.updated_at = Set(Utc::now());
}

async fn write_files<C: ConnectionTrait>(db: &C, id: i64, d: &ArticleData) -> Result<(), DbErr> {
    article_file::Entity::delete_many()
        .filter(article_file::Column::ArticleId.eq(id))
        .exec(db)
        .await?;
    let photos = d.photos.iter().map(|p| ("image", &p.key, &p.alt));
    let attachments = d
        .attachments
        .iter()
        .map(|a| ("attachment", &a.key, &a.title));
    for (i, (kind, key, title)) in photos.chain(attachments).enumerate() {
        article_file::Entity::insert(article_file::ActiveModel {
            article_id: Set(id),
            file_key: Set(key.clone()),
            kind: Set(kind.into()),
            title: Set(title.clone()),
            position: Set(i as i32),
            ..Default::default()
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    org: Option<&organization::Model>,
    d: &ArticleData,
    status: Status,
    user_id: i64,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
    let mut slug = slugify(&d.title);
    slug.truncate(80);
    let mut a = article::ActiveModel {
        slug: Set(format!("{}-{suffix}", slug.trim_end_matches('-'))),
        organization_id: Set(org.map(|o| o.id)),
        status: Set(status),
        created_at: Set(now),
        created_by: Set(Some(user_id)),
        published_at: Set((status == Status::Published).then_some(now)),
        version: Set(0),
        ..Default::default()
    };
    fill(&mut a, d, org.map_or("", |o| o.name.as_str()));
    let id = article::Entity::insert(a).exec(db).await?.last_insert_id;
    write_files(db, id, d).await?;
    Ok(id)
}

/// An organisation saves a new article or a change (on the caller's transaction): drafts stay
/// private, submissions go to the moderation queue; a published article changes only on approval.
#[allow(clippy::too_many_arguments)]
pub async fn save_for_organization<C: ConnectionTrait>(
    db: &C,
    org: &organization::Model,
    existing: Option<article::Model>,
    d: &ArticleData,
    save_as: SaveAs,
    user_id: i64,
    public_url: &str,
) -> Result<i64, DbErr> {
    let status = save_as.status();
    let (id, previous) = match existing {
        Some(a) if a.status == Status::Published => {
            (a.id, Some(ArticleData::load(db, &a).await?))
        }
        Some(a) => {
            check(Some(&a), status, Mover::Organization)?;
            let id = a.id;
            let mut m: article::ActiveModel = a.into();
            fill(&mut m, d, &org.name);
            m.status = Set(status);
            m.update(db).await?;
            write_files(db, id, d).await?;
            (id, None)
        }
        None => {
            check(None, status, Mover::Organization)?;
            (insert(db, Some(org), d, status, user_id).await?, None)
        }
    };
    if save_as == SaveAs::Submit {
        moderation::submit(
            db,
            SUBJECT_ARTICLE,
            id,
            if previous.is_some() {
                KIND_UPDATE
            } else {
                KIND_CREATE
            },
            d,
            previous.as_ref(),
            user_id,
            &d.title,
            public_url,
        )
        .await?;
    }
    Ok(id)
}

/// An official publishes city news (or corrects an article) directly; audited.
pub async fn publish_by_official<C: ConnectionTrait>(
    db: &C,
    existing: Option<article::Model>,
    d: &ArticleData,
    actor: &Actor,
) -> Result<i64, LifecycleError> {
    check(existing.as_ref(), Status::Published, Mover::Official)?;
    let user_id = actor.user_id.unwrap_or_default();
    let (id, before) = match existing {
        Some(a) => {
            let before = ArticleData::load(db, &a).await?;
            let org_name = match a.organization_id {
                Some(oid) => organization::Entity::find_by_id(oid)
                    .one(db)
                    .await?
                    .map(|o| o.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            let id = a.id;
            let first = a.published_at.is_none();
            let mut m: article::ActiveModel = a.into();
            fill(&mut m, d, &org_name);
            m.status = Set(Status::Published);
            if first {
                m.published_at = Set(Some(Utc::now()));
            }
            m.update(db).await?;
            write_files(db, id, d).await?;
            (id, Some(before))
        }
        None => (insert(db, None, d, Status::Published, user_id).await?, None),
    };
    audit::record(
        db,
        actor,
        if before.is_some() {
            "article.update"
        } else {
            "article.publish"
        },
        "article",
        id,
        before.as_ref(),
        Some(d),
    )
    .await?;
    Ok(id)
}

/// Publishes an approved revision.
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    a: article::Model,
    d: &ArticleData,
    version: i32,
) -> Result<article::Model, DbErr> {
    check(Some(&a), Status::Published, Mover::Moderation)?;
    let org_name = match a.organization_id {
        Some(oid) => organization::Entity::find_by_id(oid)
            .one(db)
            .await?
            .map(|o| o.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let id = a.id;
    let first = a.published_at.is_none();
    let mut m: article::ActiveModel = a.into();
    fill(&mut m, d, &org_name);
    m.status = Set(Status::Published);
    m.version = Set(version);
    if first {
        m.published_at = Set(Some(Utc::now()));
    }
    let m = m.update(db).await?;
    write_files(db, id, d).await?;
    Ok(m)
}

/// Status of a never-published article after a rejection or a request for changes.
pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    a: article::Model,
    status: Status,
) -> Result<(), DbErr> {
    if a.status == Status::Published {
        return Ok(());
    }
    check(Some(&a), status, Mover::Moderation)?;
    let mut m: article::ActiveModel = a.into();
    m.status = Set(status);
    m.updated_at = Set(Utc::now());
    m.update(db).await?;
    Ok(())
}

/// An organisation's news or report in the moderation queue, like an event.
pub struct ArticleSubject;

#[async_trait::async_trait]
impl crate::moderation::model::Subject for ArticleSubject {
    fn subject_type(&self) -> &'static str {
        SUBJECT_ARTICLE
    }

    async fn decide(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        rev: &crate::moderation::entity::revision::Model,
        decision: crate::moderation::model::Decision,
    ) -> Result<crate::moderation::model::Outcome, crate::moderation::model::DecideError> {
        use crate::moderation::model::{DecideError, Decision, Outcome};
        use crate::news::model as articles;
        use crate::news::model::ArticleData;
        let a = crate::news::entity::article::Entity::find_by_id(rev.subject_id)
            .one(txn)
            .await?
            .ok_or(DecideError::NotFound)?;
        let data: ArticleData = serde_json::from_str(&rev.data).unwrap_or_default();
        let edit = format!(
            "/panel/organizacje/{}/aktualnosci/{}",
            a.organization_id.unwrap_or_default(),
            a.id
        );
        let link = match decision {
            Decision::Approve => {
                let m = articles::apply(txn, a, &data, rev.number).await?;
                format!("/aktualnosci/{}", m.slug)
            }
            Decision::Reject => {
                articles::set_status(txn, a, articles::Status::Rejected).await?;
                edit
            }
            Decision::RequestChanges => {
                articles::set_status(txn, a, articles::Status::ChangesRequested).await?;
                edit
            }
        };
        Ok(Outcome {
            title: data.title,
            link,
        })
    }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_life_cycle_refuses_what_it_must() {
            use Status::*;
            let all = [Draft, Pending, Published, Rejected, ChangesRequested];
            // An official never publishes an organisation's unpublished text.
            for from in [Draft, Pending, Rejected, ChangesRequested] {
                assert!(!allowed(Some(from), Published, Mover::Official, false), "{from:?}");
            }
            assert!(allowed(Some(Published), Published, Mover::Official, false));
            assert!(allowed(None, Published, Mover::Official, true));
            // An organisation cannot publish by itself, nor touch city news.
            for from in all {
                assert!(!allowed(Some(from), Published, Mover::Organization, false));
            }
            assert!(!allowed(None, Draft, Mover::Organization, true));
            assert!(allowed(Some(ChangesRequested), Pending, Mover::Organization, false));
            // Moderation publishes what was submitted, and nothing of the office's own.
            assert!(allowed(Some(Pending), Published, Mover::Moderation, false));
            assert!(!allowed(Some(Rejected), Published, Mover::Moderation, false));
            assert!(!allowed(Some(Pending), Published, Mover::Moderation, true));
        }

        #[test]
        fn validation_by_field() {
            let mut d = ArticleData {
                kind: "x".into(),
                cover_key: "posters/a.jpg".into(),
                photos: vec![
                    Photo {
                        key: "posters/b.jpg".into(),
                        alt: " ".into(),
                    },
                    Photo::default(),
                ],
                ..Default::default()
            };
            let e = d.validate();
            for (f, id) in [
                ("kind", "error-article-kind"),
                ("title", "error-article-title-required"),
                ("lead", "error-article-lead-required"),
                ("body", "error-article-body-required"),
                ("cover_alt", "error-image-alt-required"),
                ("photo_1_alt", "error-image-alt-required"),
            ] {
                assert_eq!(e.get(f).copied(), Some(id), "{f}");
            }
            assert_eq!(d.photos.len(), 1, "empty photo slots dropped");
            let mut ok = ArticleData {
                kind: "report".into(),
                title: "Sprawozdanie  z   festynu".into(),
                lead: "Jak było.".into(),
                body: "Było świetnie.".into(),
                ..Default::default()
            };
            assert!(ok.validate().is_empty());
            assert_eq!(ok.title, "Sprawozdanie z festynu");
    }
}
