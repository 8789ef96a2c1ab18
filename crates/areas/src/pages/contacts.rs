//! The office contacts directory: who to contact in the office about what (`/kontakt`), managed
//! by officials with the `content` scope at `/panel/kontakty`. The contact marked `handles_media`
//! receives requests for media promotion and patronage.

use wspolnie_web::AppState;
use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::auth::signed;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use wspolnie_web::forms::Errors;
use crate::accounts::web::ClientIp;
use crate::pages::web::actor;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, QueryOrder,
};
use serde::{Deserialize, Serialize};
use wspolnie_platform::audit;
use crate::pages::entity::office_contact;

const MAX_LEN: usize = 200;

/// All contacts in display order.
pub async fn all<C: ConnectionTrait>(db: &C) -> Result<Vec<office_contact::Model>, DbErr> {
    office_contact::Entity::find()
        .order_by_asc(office_contact::Column::Position)
        .order_by_asc(office_contact::Column::Id)
        .all(db)
        .await
}

#[derive(Template)]
#[template(path = "pages/templates/public/contact.html")]
struct PublicPage {
    ctx: PageCtx,
    contacts: Vec<office_contact::Model>,
}

pub async fn public(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let contacts = all(&state.platform.db.conn).await?;
    Ok(Html(PublicPage { ctx, contacts }.render()?).into_response())
}

#[derive(Template)]
#[template(path = "pages/templates/admin/contacts.html")]
struct ListPage {
    ctx: PageCtx,
    contacts: Vec<office_contact::Model>,
}

pub async fn list(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let contacts = all(&state.platform.db.conn).await?;
    Ok(Html(ListPage { ctx, contacts }.render()?).into_response())
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct ContactForm {
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub topic_en: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub role_en: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub room: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub handles_media: Option<String>,
}

impl ContactForm {
    fn of(c: &office_contact::Model) -> ContactForm {
        ContactForm {
            topic: c.topic.clone(),
            topic_en: c.topic_en.clone(),
            name: c.name.clone(),
            role: c.role.clone(),
            role_en: c.role_en.clone(),
            department: c.department.clone(),
            room: c.room.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            position: c.position.to_string(),
            handles_media: c.handles_media.then(|| "1".into()),
        }
    }

    pub fn media(&self) -> bool {
        self.handles_media.is_some()
    }

    fn validate(&mut self, ctx: &PageCtx) -> (Errors, i32) {
        let mut errors = Errors::default();
        for v in [
            &mut self.topic,
            &mut self.topic_en,
            &mut self.name,
            &mut self.role,
            &mut self.role_en,
            &mut self.department,
            &mut self.room,
            &mut self.phone,
            &mut self.email,
            &mut self.position,
        ] {
            *v = v.trim().to_owned();
        }
        wspolnie_web::forms::check_limits(
            ctx,
            &mut errors,
            &crate::pages::limits::CONTACT,
            &[
                ("topic", &self.topic),
                ("topic_en", &self.topic_en),
                ("name", &self.name),
                ("role", &self.role),
                ("role_en", &self.role_en),
                ("department", &self.department),
                ("room", &self.room),
                ("phone", &self.phone),
                ("email", &self.email),
                ("position", &self.position),
            ],
        );
        if self.topic.is_empty() {
            errors.add("topic", ctx.t("contacts-error-topic-required"));
        }
        if self.name.is_empty() {
            errors.add("name", ctx.t("contacts-error-name-required"));
        }
        for (field, v) in [
            ("topic", &self.topic),
            ("topic_en", &self.topic_en),
            ("name", &self.name),
            ("role", &self.role),
            ("role_en", &self.role_en),
            ("department", &self.department),
            ("room", &self.room),
        ] {
            if v.chars().count() > MAX_LEN {
                errors.add(field, ctx.t("contacts-error-too-long"));
            }
        }
        if !self.phone.is_empty()
            && (self.phone.chars().count() > 40
                || !self
                    .phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-()/".contains(c))
                || self.phone.chars().filter(char::is_ascii_digit).count() < 6)
        {
            errors.add("phone", ctx.t("contacts-error-phone"));
        }
        if !self.email.is_empty() {
            match crate::accounts::model::normalize_email(&self.email) {
                Some(e) => self.email = e,
                None => errors.add("email", ctx.t("contacts-error-email")),
            }
        }
        if self.media() && self.email.is_empty() && errors.get("email").is_none() {
            errors.add("email", ctx.t("contacts-error-media-email"));
        }
        let position = if self.position.is_empty() {
            0
        } else {
            match self.position.parse::<i32>() {
                Ok(n) if (0..=9999).contains(&n) => n,
                _ => {
                    errors.add("position", ctx.t("contacts-error-position"));
                    0
                }
            }
        };
        (errors, position)
    }
}

#[derive(Template)]
#[template(path = "pages/templates/admin/contact_form.html")]
struct FormPage {
    ctx: PageCtx,
    title: String,
    action: String,
    f: ContactForm,
    errors: Errors,
}

/// The fields of the form in page order (the error summary follows it).
const CONTACT_FIELDS: &[&str] = &[
    "topic",
    "name",
    "role",
    "department",
    "room",
    "phone",
    "email",
    "position",
];

fn form_page(ctx: PageCtx, id: Option<i64>, f: ContactForm, mut errors: Errors) -> AppResult<Response> {
    errors.order(CONTACT_FIELDS);
    let (title, action) = match id {
        Some(id) => (
            ctx.t1("contacts-edit-title", "name", &f.name),
            format!("/panel/kontakty/{id}"),
        ),
        None => (
            ctx.t("contacts-new-title"),
            "/panel/kontakty/nowy".to_owned(),
        ),
    };
    Ok(Html(
        FormPage {
            ctx,
            title,
            action,
            f,
            errors,
        }
        .render()?,
    )
    .into_response())
}

pub async fn new_form(ctx: PageCtx) -> AppResult<Response> {
    form_page(ctx, None, ContactForm::default(), Errors::default())
}

async fn find(state: &AppState, id: i64) -> AppResult<office_contact::Model> {
    office_contact::Entity::find_by_id(id)
        .one(&state.platform.db.conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let c = find(&state, id).await?;
    form_page(ctx, Some(id), ContactForm::of(&c), Errors::default())
}

fn apply(am: &mut office_contact::ActiveModel, f: &ContactForm, position: i32) {
    am.topic = Set(f.topic.clone());
    am.topic_en = Set(f.topic_en.clone());
    am.name = Set(f.name.clone());
    am.role = Set(f.role.clone());
    am.role_en = Set(f.role_en.clone());
    am.department = Set(f.department.clone());
    am.room = Set(f.room.clone());
    am.phone = Set(f.phone.clone());
    am.email = Set(f.email.clone());
    am.handles_media = Set(f.media());
    am.position = Set(position);
    am.updated_at = Set(Utc::now());
}

pub async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    ClientIp(ip): ClientIp,
    Form(mut f): Form<ContactForm>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let (errors, position) = f.validate(&ctx);
    if !errors.is_empty() {
        return form_page(ctx, None, f, errors);
    }
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let mut am = <office_contact::ActiveModel as Default>::default();
    apply(&mut am, &f, position);
    let saved = am.insert(&txn).await?;
    audit::record(
        &txn,
        &actor(a, &ip),
        "office_contact.create",
        "office_contact",
        saved.id,
        None::<&()>,
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/kontakty",
        "flash-contact-saved",
    ))
}

pub async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(mut f): Form<ContactForm>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let c = find(&state, id).await?;
    let (errors, position) = f.validate(&ctx);
    if !errors.is_empty() {
        return form_page(ctx, Some(id), f, errors);
    }
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    let mut am: office_contact::ActiveModel = c.clone().into();
    apply(&mut am, &f, position);
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        &actor(a, &ip),
        "office_contact.update",
        "office_contact",
        id,
        Some(&c),
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/kontakty",
        "flash-contact-saved",
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let c = find(&state, id).await?;
    let txn = wspolnie_platform::db::begin_write(&state.platform.db.conn).await?;
    office_contact::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        &actor(a, &ip),
        "office_contact.delete",
        "office_contact",
        id,
        Some(&c),
        None::<&()>,
    )
    .await?;
    txn.commit().await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/kontakty",
        "flash-contact-deleted",
    ))
}
