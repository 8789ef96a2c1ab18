//! The panel page of one's organisations: owners invite editors by e-mail and remove them.
//! (Profile editing itself comes with the directory issue.)

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::forms::Errors;
use wspolnie_web::policy::can_manage_members;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use crate::directory::entity::organization;
use wspolnie_platform::entity::organization_member;
use wspolnie_platform::entity::user;

pub struct MemberRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
}

pub struct OrgBlock {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub my_role: String,
    pub status: String,
    pub published: bool,
    pub can_manage: bool,
    pub members: Vec<MemberRow>,
    /// The id of this organisation's invite field (`email-12`: one form per organisation, so
    /// its errors are keyed by this id) and the address typed into it when it came back.
    pub email_id: String,
    pub email: String,
}

#[derive(Template)]
#[template(path = "directory/templates/account/organizations.html")]
struct OrgsPage {
    ctx: PageCtx,
    orgs: Vec<OrgBlock>,
    errors: Errors,
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    current: &CurrentAccount,
    errors: Errors,
    email: String,
) -> AppResult<Response> {
    let a = current.0.as_ref().ok_or(AppError::Forbidden)?;
    let db = &state.platform.db.conn;
    let mut orgs = Vec::new();
    for (org_id, role) in &a.memberships {
        let Some(o) = organization::Entity::find_by_id(*org_id).one(db).await? else {
            continue;
        };
        let rows = organization_member::Entity::find()
            .filter(organization_member::Column::OrganizationId.eq(*org_id))
            .order_by_asc(organization_member::Column::CreatedAt)
            .all(db)
            .await?;
        let mut members = Vec::new();
        for m in rows {
            if let Some(u) = user::Entity::find_by_id(m.user_id).one(db).await? {
                members.push(MemberRow {
                    user_id: u.id,
                    name: u.display_name,
                    email: u.email,
                    role: ctx.t(&format!("member-{}", m.role)),
                });
            }
        }
        let pending = crate::moderation::model::pending_for(
            db,
            crate::moderation::model::SUBJECT_ORGANIZATION,
            o.id,
            &[
                crate::moderation::model::KIND_CREATE,
                crate::moderation::model::KIND_UPDATE,
            ],
        )
        .await?
        .is_some();
        let status = match (o.status, pending) {
            (organization::Status::Published, true) => ctx.t("org-status-published-pending"),
            (organization::Status::Published, false) => ctx.t("org-status-published"),
            (organization::Status::Rejected, _) => ctx.t("org-status-rejected"),
            _ => ctx.t("org-status-pending"),
        };
        let email_id = format!("email-{}", o.id);
        let typed = if errors.get(&email_id).is_some() {
            email.clone()
        } else {
            String::new()
        };
        orgs.push(OrgBlock {
            email_id,
            email: typed,
            published: o.status == organization::Status::Published,
            status,
            id: o.id,
            name: o.name,
            slug: o.slug,
            my_role: ctx.t(&format!("member-{role}")),
            can_manage: can_manage_members(Some(a), o.id),
            members,
        });
    }
    Ok(Html(
        OrgsPage {
            ctx,
            orgs,
            errors,
        }
        .render()?,
    )
    .into_response())
}

pub async fn page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
) -> AppResult<Response> {
    render(&state, ctx, &current, Errors::default(), String::new()).await
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
}

pub async fn invite(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
    Form(f): Form<InviteForm>,
) -> AppResult<Response> {
    let a = current.0.as_ref().ok_or(AppError::Forbidden)?;
    if !can_manage_members(Some(a), org_id) {
        return Err(AppError::Forbidden);
    }
    let db = &state.platform.db.conn;
    let org = organization::Entity::find_by_id(org_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if crate::accounts::model::normalize_email(&f.email).is_none()
        || crate::directory::limits::MEMBER_INVITE
            .check("email", &f.email)
            .is_some()
    {
        let errors = Errors::form(format!("email-{org_id}"), ctx.t("error-email-invalid"));
        return render(&state, ctx, &current, errors, f.email).await;
    }
    crate::accounts::model::invite_editor(
        db,
        org.id,
        &org.name,
        &a.user.display_name,
        &f.email,
        ctx.lang,
        &state.platform.config.server.public_url,
    )
    .await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/organizacje",
        "flash-invitation-sent",
    ))
}

#[derive(Deserialize)]
pub struct RemoveForm {
    /// Optional so that the permission check runs before any input check.
    #[serde(default)]
    user: Option<i64>,
}

pub async fn remove(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
    Form(f): Form<RemoveForm>,
) -> AppResult<Response> {
    let a = current.0.as_ref().ok_or(AppError::Forbidden)?;
    if !can_manage_members(Some(a), org_id) {
        return Err(AppError::Forbidden);
    }
    let db = &state.platform.db.conn;
    let owners = organization_member::Entity::find()
        .filter(organization_member::Column::OrganizationId.eq(org_id))
        .filter(organization_member::Column::Role.eq("owner"))
        .count(db)
        .await?;
    let user_id = f.user.ok_or(AppError::BadRequest)?;
    let target = organization_member::Entity::find_by_id((org_id, user_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if target.role == "owner" && owners <= 1 {
        // An organisation never loses its last owner.
        return Err(AppError::Forbidden);
    }
    organization_member::Entity::delete_by_id((org_id, user_id))
        .exec(db)
        .await?;
    Ok(
        wspolnie_web::ctx::redirect_with_flash(&state, "/panel/organizacje", "flash-member-removed")
            .into_response(),
    )
}
