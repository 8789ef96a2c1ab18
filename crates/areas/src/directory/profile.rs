//! Profile forms for organisations: register a new organisation, edit one's profile (every change
//! goes to the moderation queue), claim an imported profile, and see the history of versions.

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::forms::Errors;
use wspolnie_web::forms::MultipartForm;
use wspolnie_web::forms::first;
use wspolnie_web::policy::can_edit_organization;
use wspolnie_web::fmt::group_name;
use crate::directory::web::legal_form_label;
use wspolnie_web::fmt::sphere_name;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Deserialize;
use crate::directory::model as directory;
use crate::directory::model::Contact;
use crate::directory::model::LEGAL_FORMS;
use crate::directory::model::MAX_CONTACTS;
use crate::directory::model::Profile;
use crate::directory::model::Strictness;
use crate::directory::entity::organization;
use wspolnie_platform::entity::organization_member;
use crate::moderation::entity::revision;
use wspolnie_platform::entity::sphere;
use wspolnie_platform::entity::target_group;
use wspolnie_platform::entity::user;
use crate::moderation::model as moderation;
use crate::moderation::model::Claim;

pub const MAX_LOGO_BYTES: usize = 1024 * 1024;
/// Logos are scaled down to this width (shown at most 200 px wide, sharp on dense screens).
pub const LOGO_WIDTH: u32 = 600;

pub struct Check {
    pub code: String,
    pub label: String,
    pub checked: bool,
}

pub struct ContactRow {
    pub n: usize,
    pub c: Contact,
    pub name_id: String,
    pub role_id: String,
    pub email_id: String,
    pub phone_id: String,
}

#[derive(Template)]
#[template(path = "directory/templates/account/profile_form.html")]
struct FormPage {
    ctx: PageCtx,
    title: String,
    action: String,
    p: Profile,
    errors: Errors,
    notice: Option<String>,
    legal_forms: Vec<Check>,
    leading: Vec<Check>,
    other: Vec<Check>,
    groups: Vec<Check>,
    contacts: Vec<ContactRow>,
    social_text: String,
    logo_url: Option<String>,
    is_new: bool,
}

/// The fields of the form in page order (the error summary follows it).
const PROFILE_FIELDS: &[&str] = &[
    "name",
    "short_description",
    "legal_form",
    "krs",
    "nip",
    "regon",
    "leading_spheres",
    "target_groups",
    "email",
    "phone",
    "website",
    "social_links",
    "street",
    "postal_code",
    "city",
    "district",
    "contact_1_name",
    "contact_1_role",
    "contact_1_email",
    "contact_1_phone",
    "contact_2_name",
    "contact_2_role",
    "contact_2_email",
    "contact_2_phone",
    "contact_3_name",
    "contact_3_role",
    "contact_3_email",
    "contact_3_phone",
    "logo",
    "logo_alt",
];

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    title: String,
    action: String,
    p: Profile,
    mut errors: Errors,
    notice: Option<String>,
    is_new: bool,
) -> AppResult<Response> {
    errors.order(PROFILE_FIELDS);
    let db = &state.platform.db.conn;
    let spheres = sphere::Entity::find()
        .filter(sphere::Column::ValidTo.is_null())
        .order_by_asc(sphere::Column::Position)
        .all(db)
        .await?;
    let groups_rows = target_group::Entity::find()
        .order_by_asc(target_group::Column::Position)
        .all(db)
        .await?;
    let check = |code: &str, label: String, on: bool| Check {
        code: code.to_owned(),
        label,
        checked: on,
    };
    let leading = spheres
        .iter()
        .map(|s| {
            check(
                &s.code,
                sphere_name(ctx.lang, s),
                p.leading_spheres.contains(&s.code),
            )
        })
        .collect();
    let other = spheres
        .iter()
        .map(|s| {
            check(
                &s.code,
                sphere_name(ctx.lang, s),
                p.other_spheres.contains(&s.code),
            )
        })
        .collect();
    let groups = groups_rows
        .iter()
        .map(|g| {
            check(
                &g.code,
                group_name(ctx.lang, g),
                p.target_groups.contains(&g.code),
            )
        })
        .collect();
    let legal_forms = LEGAL_FORMS
        .iter()
        .map(|c| check(c, legal_form_label(ctx.lang, c), p.legal_form == *c))
        .collect();
    let contacts = (1..=MAX_CONTACTS)
        .map(|n| ContactRow {
            n,
            c: p.contacts.get(n - 1).cloned().unwrap_or_default(),
            name_id: format!("contact_{n}_name"),
            role_id: format!("contact_{n}_role"),
            email_id: format!("contact_{n}_email"),
            phone_id: format!("contact_{n}_phone"),
        })
        .collect();
    let social_text = p.social_links.join("\n");
    let logo_url = (!p.logo_key.is_empty()).then(|| format!("/pliki/{}", p.logo_key));
    Ok(Html(
        FormPage {
            ctx,
            title,
            action,
            p,
            errors,
            notice,
            legal_forms,
            leading,
            other,
            groups,
            contacts,
            social_text,
            logo_url,
            is_new,
        }
        .render()?,
    )
    .into_response())
}

use wspolnie_web::auth::signed;

/// The profile form (text fields of the multipart form; the logo file is read beside it);
/// validated by `Profile::validate`. The contact people are numbered fields
/// `contact_{1..=MAX_CONTACTS}_{name,role,email,phone}`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileForm {
    #[serde(deserialize_with = "first")]
    name: String,
    #[serde(deserialize_with = "first")]
    short_description: String,
    #[serde(deserialize_with = "first")]
    legal_form: String,
    #[serde(deserialize_with = "first")]
    krs: String,
    #[serde(deserialize_with = "first")]
    nip: String,
    #[serde(deserialize_with = "first")]
    regon: String,
    /// "1" when the organisation has the OPP status.
    #[serde(deserialize_with = "first")]
    is_opp: String,
    #[serde(deserialize_with = "first")]
    email: String,
    #[serde(deserialize_with = "first")]
    phone: String,
    #[serde(deserialize_with = "first")]
    website: String,
    /// One link a line.
    #[serde(deserialize_with = "first")]
    social_links: String,
    #[serde(deserialize_with = "first")]
    street: String,
    #[serde(deserialize_with = "first")]
    postal_code: String,
    #[serde(deserialize_with = "first")]
    city: String,
    #[serde(deserialize_with = "first")]
    district: String,
    leading: Vec<String>,
    other: Vec<String>,
    groups: Vec<String>,
    #[serde(deserialize_with = "first")]
    contact_1_name: String,
    #[serde(deserialize_with = "first")]
    contact_1_role: String,
    #[serde(deserialize_with = "first")]
    contact_1_email: String,
    #[serde(deserialize_with = "first")]
    contact_1_phone: String,
    #[serde(deserialize_with = "first")]
    contact_2_name: String,
    #[serde(deserialize_with = "first")]
    contact_2_role: String,
    #[serde(deserialize_with = "first")]
    contact_2_email: String,
    #[serde(deserialize_with = "first")]
    contact_2_phone: String,
    #[serde(deserialize_with = "first")]
    contact_3_name: String,
    #[serde(deserialize_with = "first")]
    contact_3_role: String,
    #[serde(deserialize_with = "first")]
    contact_3_email: String,
    #[serde(deserialize_with = "first")]
    contact_3_phone: String,
    /// The logo already stored, kept unless `remove_logo` is "1".
    #[serde(deserialize_with = "first")]
    logo_key: String,
    #[serde(deserialize_with = "first")]
    remove_logo: String,
    #[serde(deserialize_with = "first")]
    logo_alt: String,
}

impl ProfileForm {
    /// The contact people typed into the form, in order (an array of `MAX_CONTACTS`, so the
    /// numbered fields above cannot fall out of step with the model).
    fn contacts(&mut self) -> [Contact; MAX_CONTACTS] {
        let take = std::mem::take::<String>;
        [
            Contact {
                name: take(&mut self.contact_1_name),
                role: take(&mut self.contact_1_role),
                email: take(&mut self.contact_1_email),
                phone: take(&mut self.contact_1_phone),
            },
            Contact {
                name: take(&mut self.contact_2_name),
                role: take(&mut self.contact_2_role),
                email: take(&mut self.contact_2_email),
                phone: take(&mut self.contact_2_phone),
            },
            Contact {
                name: take(&mut self.contact_3_name),
                role: take(&mut self.contact_3_role),
                email: take(&mut self.contact_3_email),
                phone: take(&mut self.contact_3_phone),
            },
        ]
    }

    /// The profile typed into the form, before validation.
    fn into_profile(mut self) -> Profile {
        let contacts = self.contacts().into();
        Profile {
            name: self.name,
            short_description: self.short_description,
            legal_form: self.legal_form,
            krs: self.krs,
            nip: self.nip,
            regon: self.regon,
            is_opp: self.is_opp == "1",
            email: self.email,
            phone: self.phone,
            website: self.website,
            social_links: self.social_links.lines().map(str::to_owned).collect(),
            street: self.street,
            postal_code: self.postal_code,
            city: self.city,
            district: self.district,
            leading_spheres: self.leading,
            other_spheres: self.other,
            target_groups: self.groups,
            contacts,
            logo_key: if self.remove_logo == "1" {
                String::new()
            } else {
                self.logo_key
            },
            logo_alt: self.logo_alt,
        }
    }
}

/// Reads the form, stores a new logo (checked by content), validates. On errors the input comes
/// back with them; an uploaded logo is kept (by its key) so it need not be chosen again.
async fn read_and_validate(
    state: &AppState,
    ctx: &PageCtx,
    mp: Multipart,
) -> AppResult<(Profile, Errors)> {
    let form = MultipartForm::read(mp, MAX_LOGO_BYTES).await?;
    let mut p = form.parse::<ProfileForm>()?.into_profile();
    let mut errors = Errors::default();
    if !form.too_large.is_empty() {
        errors.add("logo", ctx.t("error-logo-too-large"));
    }
    if let Some(up) = form.file("logo") {
        match wspolnie_web::uploads::store_image(state, "logos", up, LOGO_WIDTH).await? {
            Ok(key) => p.logo_key = key,
            Err("error-image-type") => errors.add("logo", ctx.t("error-logo-type")),
            Err(message) => errors.add("logo", ctx.t(message)),
        }
    }
    // Only keys of files we stored under logos/ may be referenced.
    if !p.logo_key.is_empty() && !p.logo_key.starts_with("logos/") {
        p.logo_key.clear();
    }
    let (spheres, groups) = directory::codes(&state.platform.db.conn).await?;
    for (field, key) in p.validate(Strictness::Form, &spheres, &groups) {
        let msg = wspolnie_web::forms::message(ctx, &crate::directory::limits::PROFILE, &field, key);
        errors.add(field, msg);
    }
    Ok((p, errors))
}

pub async fn register_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let title = ctx.t("profile-register-title");
    let p = Profile {
        city: ctx.site.city_name.clone(),
        ..Default::default()
    };
    form_page(
        &state,
        ctx,
        title,
        "/panel/organizacje/nowa".into(),
        p,
        Errors::default(),
        None,
        true,
    )
    .await
}

pub async fn register(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    mp: Multipart,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let (p, mut errors) = read_and_validate(&state, &ctx, mp).await?;
    let db = &state.platform.db.conn;
    if errors.is_empty()
        && let Some(dup) = directory::find_duplicate(db, &p, None).await?
    {
        let field = if !p.krs.is_empty() && dup.krs.as_deref() == Some(p.krs.as_str()) {
            "krs"
        } else {
            "nip"
        };
        errors.add(field, ctx.t1("error-org-exists", "name", &dup.name));
    }
    if !errors.is_empty() {
        let title = ctx.t("profile-register-title");
        return form_page(
            &state,
            ctx,
            title,
            "/panel/organizacje/nowa".into(),
            p,
            errors,
            None,
            true,
        )
        .await;
    }
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let org_id = directory::create(&txn, &p, organization::Status::Pending).await?;
    organization_member::Entity::insert(organization_member::ActiveModel {
        organization_id: Set(org_id),
        user_id: Set(a.user.id),
        role: Set("owner".into()),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(&txn)
    .await?;
    moderation::submit(
        &txn,
        moderation::SUBJECT_ORGANIZATION,
        org_id,
        moderation::KIND_CREATE,
        &p,
        None::<&Profile>,
        a.user.id,
        &p.name,
        &state.platform.config.server.public_url,
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/organizacje",
        "flash-profile-submitted",
    ))
}

pub(crate) async fn editable(
    state: &AppState,
    current: &CurrentAccount,
    org_id: i64,
) -> AppResult<organization::Model> {
    if !can_edit_organization(current.0.as_ref(), org_id) {
        return Err(AppError::Forbidden);
    }
    organization::Entity::find_by_id(org_id)
        .one(&state.platform.db.conn)
        .await?
        .filter(|o| o.status != organization::Status::Rejected)
        .ok_or(AppError::NotFound)
}

pub async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
) -> AppResult<Response> {
    let org = editable(&state, &current, org_id).await?;
    let db = &state.platform.db.conn;
    let last = revision::Entity::find()
        .filter(revision::Column::SubjectType.eq(moderation::SUBJECT_ORGANIZATION))
        .filter(revision::Column::SubjectId.eq(org.id))
        .filter(revision::Column::Kind.ne(moderation::KIND_CLAIM))
        .order_by_desc(revision::Column::Number)
        .one(db)
        .await?;
    let (p, notice) = match last {
        Some(r) if r.status == moderation::RevisionStatus::Pending => (
            serde_json::from_str(&r.data).unwrap_or_default(),
            Some(ctx.t("profile-pending-notice")),
        ),
        Some(r) if r.status == moderation::RevisionStatus::ChangesRequested => (
            serde_json::from_str(&r.data).unwrap_or_default(),
            Some(ctx.t1("profile-changes-notice", "comment", &r.comment)),
        ),
        _ => (directory::load(db, &org).await?, None),
    };
    let title = ctx.t1("profile-edit-title", "name", &org.name);
    form_page(
        &state,
        ctx,
        title,
        format!("/panel/organizacje/{org_id}/profil"),
        p,
        Errors::default(),
        notice,
        false,
    )
    .await
}

pub async fn edit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    // Permission first, so a wrong request body cannot hide a denial.
    let org = editable(&state, &current, org_id).await?;
    let mp = mp.map_err(|_| AppError::BadRequest)?;
    let (p, mut errors) = read_and_validate(&state, &ctx, mp).await?;
    let db = &state.platform.db.conn;
    if errors.is_empty()
        && let Some(dup) = directory::find_duplicate(db, &p, Some(org.id)).await?
    {
        errors.add("krs", ctx.t1("error-org-exists", "name", &dup.name));
    }
    if !errors.is_empty() {
        let title = ctx.t1("profile-edit-title", "name", &org.name);
        return form_page(
            &state,
            ctx,
            title,
            format!("/panel/organizacje/{org_id}/profil"),
            p,
            errors,
            None,
            false,
        )
        .await;
    }
    let published = org.status == organization::Status::Published;
    let current_profile = directory::load(db, &org).await?;
    if published && current_profile == p {
        // Nothing changed: withdraw a pending change, if any, and say so.
        return Ok(wspolnie_web::ctx::redirect_with_flash(
            &state,
            "/panel/organizacje",
            "flash-profile-unchanged",
        ));
    }
    let txn = wspolnie_platform::db::begin_write(db).await?;
    moderation::submit(
        &txn,
        moderation::SUBJECT_ORGANIZATION,
        org.id,
        if published {
            moderation::KIND_UPDATE
        } else {
            moderation::KIND_CREATE
        },
        &p,
        published.then_some(&current_profile),
        a.user.id,
        &p.name,
        &state.platform.config.server.public_url,
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/organizacje",
        "flash-profile-submitted",
    ))
}

#[derive(Template)]
#[template(path = "directory/templates/account/claim.html")]
struct ClaimPage {
    ctx: PageCtx,
    org: organization::Model,
    role: String,
    message: String,
    errors: Errors,
    pending: bool,
}

async fn claimable(state: &AppState, org_id: i64) -> AppResult<organization::Model> {
    organization::Entity::find_by_id(org_id)
        .one(&state.platform.db.conn)
        .await?
        .filter(|o| o.status == organization::Status::Published)
        .ok_or(AppError::NotFound)
}

pub async fn claim_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let org = claimable(&state, org_id).await?;
    let pending = moderation::pending_for(
        &state.platform.db.conn,
        moderation::SUBJECT_ORGANIZATION,
        org.id,
        &[moderation::KIND_CLAIM],
    )
    .await?
    .is_some_and(|r| r.submitted_by == Some(a.user.id));
    Ok(Html(
        ClaimPage {
            ctx,
            org,
            role: String::new(),
            message: String::new(),
            errors: Errors::default(),
            pending,
        }
        .render()?,
    )
    .into_response())
}

#[derive(Deserialize)]
pub struct ClaimForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    message: String,
}

pub async fn claim(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
    Form(f): Form<ClaimForm>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let org = claimable(&state, org_id).await?;
    let mut errors = Errors::default();
    let role = f.role.trim().to_owned();
    let message = f.message.trim().to_owned();
    wspolnie_web::forms::check_limits(
        &ctx,
        &mut errors,
        &crate::directory::limits::CLAIM,
        &[("role", &role), ("message", &message)],
    );
    if role.is_empty() {
        errors.add("role", ctx.t("error-claim-role"));
    }
    if a.memberships
        .iter()
        .any(|(o, r)| *o == org.id && r == "owner")
    {
        errors.add("role", ctx.t("error-claim-already-owner"));
    }
    if !errors.is_empty() {
        return Ok(Html(
            ClaimPage {
                ctx,
                org,
                role,
                message,
                errors,
                pending: false,
            }
            .render()?,
        )
        .into_response());
    }
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    moderation::submit(
        &txn,
        moderation::SUBJECT_ORGANIZATION,
        org.id,
        moderation::KIND_CLAIM,
        &Claim { role, message },
        None::<&Claim>,
        a.user.id,
        &org.name,
        &state.platform.config.server.public_url,
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/organizacje",
        "flash-claim-submitted",
    ))
}

pub struct HistoryRow {
    pub number: i32,
    pub kind: String,
    pub status: String,
    pub submitted_at: String,
    pub submitted_by: String,
    pub decided_at: String,
    pub comment: String,
}

#[derive(Template)]
#[template(path = "directory/templates/account/history.html")]
struct HistoryPage {
    ctx: PageCtx,
    org: organization::Model,
    rows: Vec<HistoryRow>,
}

pub async fn history(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    Path(org_id): Path<i64>,
) -> AppResult<Response> {
    let org = editable(&state, &current, org_id).await?;
    let db = &state.platform.db.conn;
    let revs = moderation::history(db, moderation::SUBJECT_ORGANIZATION, org.id).await?;
    let mut rows = Vec::new();
    for r in revs {
        let who = match r.submitted_by {
            Some(uid) => user::Entity::find_by_id(uid)
                .one(db)
                .await?
                .map(|u| u.display_name)
                .unwrap_or_default(),
            None => String::new(),
        };
        rows.push(HistoryRow {
            number: r.number,
            kind: ctx.t(&format!("revision-kind-{}", r.kind)),
            status: ctx.t(&format!("revision-status-{}", r.status)),
            submitted_at: wspolnie_web::fmt::datetime(ctx.lang, r.submitted_at),
            submitted_by: who,
            decided_at: r
                .decided_at
                .map(|d| wspolnie_web::fmt::datetime(ctx.lang, d))
                .unwrap_or_default(),
            comment: r.comment,
        });
    }
    Ok(Html(HistoryPage { ctx, org, rows }.render()?).into_response())
}
