//! The moderation queue and version history (`revisions`). An organisation's registration, every
//! later change to its profile and every claim of an imported profile wait here until an official
//! with the moderation scope approves, rejects or asks for changes. Each decision is audited and
//! the submitter is told by e-mail; officials are told by e-mail when something arrives.
//! Events (`subject_type = "event"`) use the same queue; news and reports will too. `decide`
//! claims the revision and hands it to the subject's own decision function.

use crate::accounts::model::role_holders;
use wspolnie_platform::audit;
use wspolnie_platform::audit::Actor;
use crate::moderation::entity::revision;
use wspolnie_platform::entity::user;
use wspolnie_platform::i18n::Lang;
use wspolnie_platform::mail::MailJob;
use wspolnie_platform::mail::enqueue_mail;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

pub const SUBJECT_ORGANIZATION: &str = "organization";

pub const KIND_CREATE: &str = "create";
pub const KIND_UPDATE: &str = "update";
pub const KIND_CLAIM: &str = "claim";

/// The life cycle of a revision (`revisions.status`) and its one transition function.
pub use crate::moderation::entity::revision::{Status as RevisionStatus, allowed as revision_allowed};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
    RequestChanges,
}

impl Decision {
    pub fn parse(s: &str) -> Option<Decision> {
        match s {
            "approve" => Some(Decision::Approve),
            "reject" => Some(Decision::Reject),
            "changes" => Some(Decision::RequestChanges),
            _ => None,
        }
    }
    pub fn status(self) -> RevisionStatus {
        match self {
            Decision::Approve => RevisionStatus::Approved,
            Decision::Reject => RevisionStatus::Rejected,
            Decision::RequestChanges => RevisionStatus::ChangesRequested,
        }
    }
}

/// What a claim carries: why the person says they represent the organisation.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Claim {
    pub role: String,
    pub message: String,
}

async fn next_number<C: ConnectionTrait>(
    db: &C,
    subject_type: &str,
    subject_id: i64,
) -> Result<i32, DbErr> {
    let last = revision::Entity::find()
        .filter(revision::Column::SubjectType.eq(subject_type))
        .filter(revision::Column::SubjectId.eq(subject_id))
        .order_by_desc(revision::Column::Number)
        .one(db)
        .await?;
    Ok(last.map_or(1, |r| r.number + 1))
}

/// Pending revision of a subject of the given kind (a profile has at most one pending change).
pub async fn pending_for<C: ConnectionTrait>(
    db: &C,
    subject_type: &str,
    subject_id: i64,
    kinds: &[&str],
) -> Result<Option<revision::Model>, DbErr> {
    revision::Entity::find()
        .filter(revision::Column::SubjectType.eq(subject_type))
        .filter(revision::Column::SubjectId.eq(subject_id))
        .filter(revision::Column::Status.eq(RevisionStatus::Pending))
        .filter(revision::Column::Kind.is_in(kinds.iter().copied()))
        .order_by_desc(revision::Column::Number)
        .one(db)
        .await
}

/// Puts a new version into the queue (on the caller's transaction). An earlier pending version of
/// the same subject and kind is superseded by it. Officials with the moderation scope are told.
#[allow(clippy::too_many_arguments)]
pub async fn submit<C: ConnectionTrait>(
    db: &C,
    subject_type: &str,
    subject_id: i64,
    kind: &str,
    data: &impl serde::Serialize,
    previous: Option<&impl serde::Serialize>,
    submitted_by: i64,
    title: &str,
    public_url: &str,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let kinds: &[&str] = if kind == KIND_CLAIM {
        &[KIND_CLAIM]
    } else {
        &[KIND_CREATE, KIND_UPDATE]
    };
    let earlier = revision::Entity::find()
        .filter(revision::Column::SubjectType.eq(subject_type))
        .filter(revision::Column::SubjectId.eq(subject_id))
        .filter(revision::Column::Status.eq(RevisionStatus::Pending))
        .filter(revision::Column::Kind.is_in(kinds.iter().copied()))
        .all(db)
        .await?;
    for r in earlier {
        if kind == KIND_CLAIM && r.submitted_by != Some(submitted_by) {
            continue; // claims by different people are separate requests
        }
        crate::lifecycle::check(
            "revision",
            r.status,
            RevisionStatus::Superseded,
            revision_allowed,
        )?;
        let mut a: revision::ActiveModel = r.into();
        a.status = Set(RevisionStatus::Superseded);
        a.decided_at = Set(Some(now));
        a.update(db).await?;
    }
    let number = next_number(db, subject_type, subject_id).await?;
    let to_json = |v: serde_json::Result<String>| v.unwrap_or_else(|_| "null".into());
    let row = revision::ActiveModel {
        subject_type: Set(subject_type.to_owned()),
        subject_id: Set(subject_id),
        number: Set(number),
        kind: Set(kind.to_owned()),
        data: Set(to_json(serde_json::to_string(data))),
        previous: Set(previous.map(|p| to_json(serde_json::to_string(p)))),
        status: Set(RevisionStatus::Pending),
        submitted_by: Set(Some(submitted_by)),
        submitted_at: Set(now),
        decided_by: Set(None),
        decided_at: Set(None),
        comment: Set(String::new()),
        ..Default::default()
    };
    let id = revision::Entity::insert(row).exec(db).await?.last_insert_id;
    let link = format!("{}/panel/moderacja/{id}", public_url.trim_end_matches('/'));
    for (email, lang) in role_holders(db, "official", Some("moderation")).await? {
        let vars = serde_json::json!({ "title": title, "link": link });
        let key = format!("moderation-new:{id}:{email}");
        enqueue_mail(
            db,
            MailJob {
                to: email,
                template: "moderation_new".into(),
                lang,
                vars: vars.as_object().cloned().unwrap_or_default(),
            },
            Some(key),
        )
        .await?;
    }
    Ok(id)
}

#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error("revision not found")]
    NotFound,
    #[error("revision was already decided")]
    AlreadyDecided,
    #[error("a comment is required")]
    CommentRequired,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Approves, rejects or sends back a pending revision. Approval of a profile publishes it (and
/// its version number); approval of a claim makes the claimant an owner. Rejection and a request
/// for changes need a comment, which the submitter receives by e-mail.
pub async fn decide(
    db: &sea_orm::DatabaseConnection,
    subjects: &Subjects,
    revision_id: i64,
    decision: Decision,
    comment: &str,
    actor: &Actor,
    public_url: &str,
) -> Result<revision::Model, DecideError> {
    let comment = comment.trim();
    if decision != Decision::Approve && comment.is_empty() {
        return Err(DecideError::CommentRequired);
    }
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let rev = revision::Entity::find_by_id(revision_id)
        .one(&txn)
        .await?
        .ok_or(DecideError::NotFound)?;
    if !revision_allowed(rev.status, decision.status()) {
        return Err(DecideError::AlreadyDecided);
    }
    let now = Utc::now();
    // Claim the row first: of two officials deciding at once, only one update matches.
    let claimed = revision::Entity::update_many()
        .col_expr(
            revision::Column::Status,
            sea_orm::sea_query::Expr::value(decision.status()),
        )
        .col_expr(
            revision::Column::DecidedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            revision::Column::DecidedBy,
            sea_orm::sea_query::Expr::value(actor.user_id),
        )
        .col_expr(
            revision::Column::Comment,
            sea_orm::sea_query::Expr::value(comment.to_owned()),
        )
        .filter(revision::Column::Id.eq(rev.id))
        .filter(revision::Column::Status.eq(RevisionStatus::Pending))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(DecideError::AlreadyDecided);
    }
    let subject = subjects
        .get(&rev.subject_type)
        .ok_or(DecideError::NotFound)?;
    let outcome = subject.decide(&txn, &rev, decision).await?;
    audit::record(
        &txn,
        actor,
        &format!("moderation.{}", decision.status()),
        "revision",
        rev.id,
        Some(&serde_json::json!({ "status": rev.status, "subject_type": rev.subject_type, "subject": rev.subject_id, "kind": rev.kind })),
        Some(&serde_json::json!({ "status": decision.status(), "comment": comment })),
    )
    .await?;
    if let Some(uid) = rev.submitted_by
        && let Some(u) = user::Entity::find_by_id(uid).one(&txn).await?
        && u.deleted_at.is_none()
    {
        let vars = serde_json::json!({
            "organization": outcome.title,
            "subject": rev.subject_type,
            "comment": comment,
            "kind": rev.kind,
            "decision": decision.status(),
            "link": format!("{}{}", public_url.trim_end_matches('/'), outcome.link),
        });
        enqueue_mail(
            &txn,
            MailJob {
                to: u.email.clone(),
                template: "moderation_decision".into(),
                lang: Lang::parse(&u.locale).unwrap_or_default(),
                vars: vars.as_object().cloned().unwrap_or_default(),
            },
            Some(format!("moderation-decision:{}", rev.id)),
        )
        .await?;
    }
    txn.commit().await?;
    let mut rev = rev;
    rev.status = decision.status();
    rev.comment = comment.to_owned();
    rev.decided_at = Some(now);
    rev.decided_by = actor.user_id;
    Ok(rev)
}

/// What a decision tells the submitter: the subject's title and where to go next.
pub struct Outcome {
    pub title: String,
    pub link: String,
}

/// Something organisations publish through the queue (a profile, an event, an article…). The
/// area that owns it implements this for its `subject_type` and lists it in its manifest
/// (`Area::moderation`); `decide` claims the revision and hands it to the subject, so the queue
/// knows no area.
#[async_trait::async_trait]
pub trait Subject: Send + Sync {
    /// The `subject_type` of its revisions.
    fn subject_type(&self) -> &'static str;
    /// Applies the decision to the subject on the decision's transaction.
    async fn decide(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        rev: &revision::Model,
        decision: Decision,
    ) -> Result<Outcome, DecideError>;
    /// Called by the queue's handler after a decision on one of its revisions was committed,
    /// before it answers: the place to refresh what this instance keeps in memory (the
    /// directory's index). Nothing by default.
    async fn decided(&self, _state: &wspolnie_web::AppState) {}
}

/// Every registered subject, by `subject_type`.
#[derive(Clone, Default)]
pub struct Subjects(std::sync::Arc<Vec<&'static dyn Subject>>);

impl Subjects {
    pub fn new(all: Vec<&'static dyn Subject>) -> Self {
        Subjects(std::sync::Arc::new(all))
    }
    pub fn get(&self, subject_type: &str) -> Option<&'static dyn Subject> {
        self.0
            .iter()
            .copied()
            .find(|s| s.subject_type() == subject_type)
    }
}




/// Versions of one subject, newest first.
pub async fn history<C: ConnectionTrait>(
    db: &C,
    subject_type: &str,
    subject_id: i64,
) -> Result<Vec<revision::Model>, DbErr> {
    revision::Entity::find()
        .filter(revision::Column::SubjectType.eq(subject_type))
        .filter(revision::Column::SubjectId.eq(subject_id))
        .order_by_desc(revision::Column::Number)
        .all(db)
        .await
}

/// Which of these subjects have a change waiting in the queue.
pub async fn with_pending<C: ConnectionTrait>(
    db: &C,
    subject_type: &str,
    ids: Vec<i64>,
) -> Result<Vec<i64>, DbErr> {
    Ok(revision::Entity::find()
        .filter(revision::Column::SubjectType.eq(subject_type))
        .filter(revision::Column::SubjectId.is_in(ids))
        .filter(revision::Column::Status.eq(RevisionStatus::Pending))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.subject_id)
        .collect())
}

/// The queue: pending revisions, oldest first.
pub async fn queue<C: ConnectionTrait>(db: &C) -> Result<Vec<revision::Model>, DbErr> {
    revision::Entity::find()
        .filter(revision::Column::Status.eq(RevisionStatus::Pending))
        .order_by_asc(revision::Column::SubmittedAt)
        .order_by_asc(revision::Column::Id)
        .all(db)
        .await
}

/// Panel count for moderators: the queue's length (pending revisions).
pub fn queue_count<'a>(
    state: &'a wspolnie_web::AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        use sea_orm::PaginatorTrait;
        Ok(Some(
            revision::Entity::find()
                .filter(revision::Column::Status.eq(RevisionStatus::Pending))
                .count(&state.platform.db.conn)
                .await?,
        ))
    })
}
