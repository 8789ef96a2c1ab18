//! Administration: the audit log (read-only; it cannot be edited from the UI).

use wspolnie_web::AppState;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppResult;
use wspolnie_web::fmt;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use wspolnie_platform::entity::audit_log;

#[derive(Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    who: String,
    #[serde(default)]
    record: String,
}

pub struct AuditRow {
    pub when: String,
    pub who: String,
    pub action: String,
    pub record: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "admin/templates/account/audit.html")]
struct AuditPage {
    ctx: PageCtx,
    action: String,
    who: String,
    record: String,
    entries: Vec<AuditRow>,
}

pub async fn audit(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<AuditQuery>,
) -> AppResult<Html<String>> {
    let mut find = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(200);
    if !q.action.trim().is_empty() {
        find = find.filter(audit_log::Column::Action.starts_with(q.action.trim()));
    }
    if !q.who.trim().is_empty() {
        find = find.filter(audit_log::Column::ActorLabel.contains(q.who.trim()));
    }
    if !q.record.trim().is_empty() {
        find = find.filter(audit_log::Column::EntityType.eq(q.record.trim()));
    }
    let entries = find
        .all(&state.platform.db.conn)
        .await?
        .into_iter()
        .map(|e| AuditRow {
            when: fmt::datetime(ctx.lang, e.created_at),
            who: e.actor_label,
            action: e.action,
            record: format!("{} #{}", e.entity_type, e.entity_id),
            before: e.before,
            after: e.after,
        })
        .collect();
    Ok(Html(
        AuditPage {
            ctx,
            action: q.action,
            who: q.who,
            record: q.record,
            entries,
        }
        .render()?,
    ))
}

// ---- invitations ----

use wspolnie_web::auth::CurrentAccount;
use wspolnie_web::forms::Errors;
use wspolnie_web::forms::HtmlForm;
use wspolnie_web::forms::first;
use wspolnie_platform::validation::FieldErrors;
use wspolnie_web::policy::Account;
use wspolnie_web::policy::ROLE_ADMIN;
use wspolnie_web::policy::ROLE_EXPERT;
use wspolnie_web::policy::ROLE_OFFICIAL;
use wspolnie_web::policy::SCOPES;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use wspolnie_platform::audit;
use wspolnie_platform::audit::Actor;
use wspolnie_platform::entity::role_grant;
use wspolnie_platform::entity::user;
use wspolnie_platform::entity::user_token;

pub fn actor(a: &Account) -> Actor {
    Actor {
        user_id: Some(a.user.id),
        label: a.user.email.clone(),
        ip: String::new(),
    }
}

use wspolnie_web::auth::signed;

/// Role options as (`role:scope` value, label).
fn role_options(ctx: &PageCtx) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = SCOPES
        .iter()
        .map(|s| {
            (
                format!("{ROLE_OFFICIAL}:{s}"),
                format!(
                    "{} – {}",
                    ctx.t("role-official"),
                    ctx.t(&format!("scope-{s}"))
                ),
            )
        })
        .collect();
    v.push((format!("{ROLE_EXPERT}:"), ctx.t("role-expert")));
    v.push((format!("{ROLE_ADMIN}:"), ctx.t("role-admin")));
    v
}

/// The invitation of an official (`/panel/admin/zaproszenia`): an address and `role` checkboxes
/// with `role:scope` values.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    #[serde(deserialize_with = "first")]
    email: String,
    role: Vec<String>,
}

impl InviteForm {
    /// The chosen roles among the `valid` options, and the field errors as Fluent ids.
    fn validate(&self, valid: &[String]) -> (Vec<String>, FieldErrors) {
        let chosen: Vec<String> = self
            .role
            .iter()
            .filter(|r| valid.contains(r))
            .cloned()
            .collect();
        let mut errors = FieldErrors::new();
        if crate::accounts::model::normalize_email(&self.email).is_none() {
            errors.insert("email".into(), ("error-email-invalid", vec![]));
        }
        if chosen.is_empty() {
            errors.insert("roles".into(), ("error-roles-required", vec![]));
        }
        crate::admin::limits::INVITE.check_fields(&mut errors, &[("email", &self.email)]);
        (chosen, errors)
    }
}

#[derive(Template)]
#[template(path = "admin/templates/admin/invitations.html")]
struct InvitationsPage {
    ctx: PageCtx,
    email: String,
    options: Vec<(String, String, bool)>,
    pending: Vec<(String, String)>,
    errors: Errors,
}

async fn invitations_page(
    state: &AppState,
    ctx: PageCtx,
    email: String,
    chosen: &[String],
    errors: Errors,
) -> AppResult<Response> {
    let pending = user_token::Entity::find()
        .filter(user_token::Column::Purpose.eq("invitation"))
        .filter(user_token::Column::UsedAt.is_null())
        .filter(user_token::Column::ExpiresAt.gt(chrono::Utc::now()))
        .order_by_desc(user_token::Column::Id)
        .all(&state.platform.db.conn)
        .await?
        .into_iter()
        .map(|t| (t.email, fmt::datetime(ctx.lang, t.expires_at)))
        .collect();
    let options = role_options(&ctx)
        .into_iter()
        .map(|(v, l)| {
            let c = chosen.contains(&v);
            (v, l, c)
        })
        .collect();
    Ok(Html(
        InvitationsPage {
            ctx,
            email,
            options,
            pending,
            errors,
        }
        .render()?,
    )
    .into_response())
}

pub async fn invitations(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    invitations_page(&state, ctx, String::new(), &[], Errors::default()).await
}

pub async fn invite(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlForm(f): HtmlForm<InviteForm>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let valid: Vec<String> = role_options(&ctx).into_iter().map(|(v, _)| v).collect();
    let (chosen, fe) = f.validate(&valid);
    let email = f.email;
    let mut errors = wspolnie_web::forms::localise(&ctx, &fe);
    errors.order(&["email", "roles"]);
    if !errors.is_empty() {
        return invitations_page(&state, ctx, email, &chosen, errors).await;
    }
    let roles: Vec<(String, String)> = chosen
        .iter()
        .filter_map(|c| c.split_once(':').map(|(r, s)| (r.to_owned(), s.to_owned())))
        .collect();
    crate::accounts::model::invite(
        &state.platform.db.conn,
        &actor(a),
        &email,
        &roles,
        ctx.lang,
        &state.platform.config.server.public_url,
    )
    .await?;
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/admin/zaproszenia",
        "flash-invitation-sent",
    ))
}

// ---- users ----

pub struct UserRow {
    pub name: String,
    pub email: String,
    pub roles: Vec<(i64, String)>,
    pub totp: bool,
}

#[derive(Template)]
#[template(path = "admin/templates/admin/users.html")]
struct UsersPage {
    ctx: PageCtx,
    users: Vec<UserRow>,
}

pub async fn users(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Html<String>> {
    let db = &state.platform.db.conn;
    let all = user::Entity::find()
        .filter(user::Column::DeletedAt.is_null())
        .order_by_asc(user::Column::Email)
        .limit(500)
        .all(db)
        .await?;
    let grants = role_grant::Entity::find().all(db).await?;
    let users = all
        .into_iter()
        .map(|u| UserRow {
            roles: grants
                .iter()
                .filter(|g| g.user_id == u.id)
                .map(|g| {
                    let name = ctx.t(&format!("role-{}", g.role));
                    (
                        g.id,
                        if g.scope.is_empty() {
                            name
                        } else {
                            format!("{name} ({})", ctx.t(&format!("scope-{}", g.scope)))
                        },
                    )
                })
                .collect(),
            totp: u.totp_enabled_at.is_some(),
            name: u.display_name,
            email: u.email,
        })
        .collect();
    Ok(Html(UsersPage { ctx, users }.render()?))
}

#[derive(serde::Deserialize)]
pub struct RevokeRole {
    grant: i64,
}

pub async fn revoke_role(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentAccount>,
    Form(f): Form<RevokeRole>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let db = &state.platform.db.conn;
    if let Some(g) = role_grant::Entity::find_by_id(f.grant).one(db).await? {
        if g.user_id == a.user.id && g.role == ROLE_ADMIN {
            // An administrator cannot remove their own admin role (the last admin would lock everyone out).
            return Err(wspolnie_web::errors::AppError::Forbidden);
        }
        let before = serde_json::json!({ "user_id": g.user_id, "role": g.role, "scope": g.scope });
        role_grant::Entity::delete_by_id(g.id).exec(db).await?;
        audit::record(
            db,
            &actor(a),
            "user.revoke_role",
            "user",
            g.user_id,
            Some(&before),
            None::<&()>,
        )
        .await?;
    }
    Ok(Redirect::to("/panel/admin/uzytkownicy").into_response())
}

// ---- site settings ----

#[derive(Template)]
#[template(path = "admin/templates/admin/settings.html")]
struct SettingsPage {
    ctx: PageCtx,
    /// The settings and the texts in Polish: (field, label, value).
    fields: Vec<(&'static str, String, String)>,
    /// The English texts (may be empty: the Polish one is shown).
    fields_en: Vec<(&'static str, String, String)>,
    errors: Errors,
}

/// The English versions of `settings::TRANSLATED_KEYS`: (settings key, form field).
const ENGLISH_FIELDS: &[(&str, &str)] = &[
    ("site.office_name.en", "office_name_en"),
    ("site.zone_name.en", "zone_name_en"),
    ("site.office_hours.en", "office_hours_en"),
    ("site.email_footer.en", "email_footer_en"),
];

/// The site settings form: one text field per `settings::SITE_KEYS` key, named by `field_of`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    #[serde(deserialize_with = "first")]
    city_name: String,
    #[serde(deserialize_with = "first")]
    office_name: String,
    #[serde(deserialize_with = "first")]
    zone_name: String,
    #[serde(deserialize_with = "first")]
    logo_url: String,
    #[serde(deserialize_with = "first")]
    address: String,
    #[serde(deserialize_with = "first")]
    phone: String,
    #[serde(deserialize_with = "first")]
    email: String,
    #[serde(deserialize_with = "first")]
    office_hours: String,
    #[serde(deserialize_with = "first")]
    email_footer: String,
    #[serde(deserialize_with = "first")]
    office_name_en: String,
    #[serde(deserialize_with = "first")]
    zone_name_en: String,
    #[serde(deserialize_with = "first")]
    office_hours_en: String,
    #[serde(deserialize_with = "first")]
    email_footer_en: String,
}

impl SettingsForm {
    /// The value of the field for a settings key (`None` for a key the form lacks).
    fn value(&self, key: &str) -> Option<&str> {
        Some(match field_of(key) {
            "city_name" => &self.city_name,
            "office_name" => &self.office_name,
            "zone_name" => &self.zone_name,
            "logo_url" => &self.logo_url,
            "address" => &self.address,
            "phone" => &self.phone,
            "email" => &self.email,
            "office_hours" => &self.office_hours,
            "email_footer" => &self.email_footer,
            "office_name_en" => &self.office_name_en,
            "zone_name_en" => &self.zone_name_en,
            "office_hours_en" => &self.office_hours_en,
            "email_footer_en" => &self.email_footer_en,
            _ => return None,
        })
    }

    /// Every setting as (key, trimmed value) in `SITE_KEYS` order, then the English texts
    /// (`ENGLISH_FIELDS`, which may be empty), and the field errors as Fluent ids.
    fn validate(&self) -> (Vec<(&'static str, String)>, FieldErrors) {
        let mut errors = FieldErrors::new();
        let mut values = Vec::new();
        let keys = wspolnie_platform::settings::SITE_KEYS
            .iter()
            .map(|(k, _)| (*k, true))
            .chain(ENGLISH_FIELDS.iter().map(|(k, _)| (*k, false)));
        for (key, required) in keys {
            let f = field_of(key);
            let v = self.value(key).unwrap_or("").trim().to_owned();
            let error = if v.is_empty() && !required {
                None
            } else if v.is_empty() {
                Some(required_message(f))
            } else if key == "site.email"
                && crate::accounts::model::normalize_email(&v).is_none()
            {
                Some("error-email-invalid")
            } else if key == "site.logo_url" && !(v.starts_with('/') || v.starts_with("https://"))
            {
                Some("error-logo-url")
            } else if v.chars().count() > 500 {
                Some("error-too-long")
            } else {
                crate::admin::limits::SETTINGS.check(f, &v)
            };
            if let Some(id) = error {
                let args = crate::admin::limits::SETTINGS.args(f, id);
                errors.insert(f.to_owned(), (id, args));
            }
            values.push((key, v));
        }
        (values, errors)
    }
}

/// Form field name for a settings key (`site.city_name` → `city_name`,
/// `site.office_name.en` → `office_name_en`).
/// The message of an empty required setting, naming it (two empty fields never read alike).
fn required_message(field: &str) -> &'static str {
    match field {
        "city_name" => "settings-required-city-name",
        "office_name" => "settings-required-office-name",
        "zone_name" => "settings-required-zone-name",
        "logo_url" => "settings-required-logo-url",
        "address" => "settings-required-address",
        "phone" => "settings-required-phone",
        "email" => "settings-required-email",
        "office_hours" => "settings-required-office-hours",
        "email_footer" => "settings-required-email-footer",
        _ => "error-required",
    }
}

fn field_of(key: &str) -> &str {
    ENGLISH_FIELDS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, f)| *f)
        .unwrap_or_else(|| key.strip_prefix("site.").unwrap_or(key))
}

/// The form's fields as (field, label, value), split into the settings with their Polish texts
/// and the English texts.
type Fields = Vec<(&'static str, String, String)>;

fn split_fields(ctx: &PageCtx, values: Vec<(&'static str, String)>) -> (Fields, Fields) {
    values
        .into_iter()
        .map(|(key, v)| {
            let f = field_of(key);
            (f, ctx.t(&format!("setting-{}", f.replace('_', "-"))), v)
        })
        .partition(|(f, _, _)| !f.ends_with("_en"))
}

pub async fn settings_form(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Html<String>> {
    let current = wspolnie_platform::settings::load_all(&state.platform.db.conn).await?;
    let values = wspolnie_platform::settings::SITE_KEYS
        .iter()
        .copied()
        .chain(ENGLISH_FIELDS.iter().map(|(k, _)| (*k, "")))
        .map(|(k, d)| (k, current.get(k).cloned().unwrap_or_else(|| d.to_owned())))
        .collect();
    let (fields, fields_en) = split_fields(&ctx, values);
    Ok(Html(
        SettingsPage {
            ctx,
            fields,
            fields_en,
            errors: Errors::default(),
        }
        .render()?,
    ))
}

pub async fn save_settings(
    State(state): State<AppState>,
    ctx: PageCtx,
    Extension(current): Extension<CurrentAccount>,
    HtmlForm(form): HtmlForm<SettingsForm>,
) -> AppResult<Response> {
    let a = signed(&current)?;
    let db = &state.platform.db.conn;
    let (values, fe) = form.validate();
    let mut errors = wspolnie_web::forms::localise(&ctx, &fe);
    let order: Vec<&str> = values.iter().map(|(k, _)| field_of(k)).collect();
    errors.order(&order);
    let keys: Vec<&'static str> = values.iter().map(|(k, _)| *k).collect();
    let (fields, fields_en) = split_fields(&ctx, values);
    if !errors.is_empty() {
        return Ok(Html(
            SettingsPage {
                ctx,
                fields,
                fields_en,
                errors,
            }
            .render()?,
        )
        .into_response());
    }
    let before = wspolnie_platform::settings::load_all(db).await?;
    let txn = wspolnie_platform::db::begin_write(db).await?;
    let mut changed_before = serde_json::Map::new();
    let mut changed_after = serde_json::Map::new();
    for (key, (_, _, v)) in keys.into_iter().zip(fields.iter().chain(&fields_en)) {
        // An English text never entered and left empty is no change.
        if before.get(key).map_or(!v.is_empty(), |b| b != v) {
            wspolnie_platform::settings::set(&txn, key, v).await?;
            changed_before.insert(key.into(), before.get(key).cloned().into());
            changed_after.insert(key.into(), v.clone().into());
        }
    }
    if !changed_after.is_empty() {
        audit::record(
            &txn,
            &actor(a),
            "settings.update",
            "settings",
            "site",
            Some(&changed_before),
            Some(&changed_after),
        )
        .await?;
    }
    txn.commit().await?;
    state.site.invalidate();
    Ok(wspolnie_web::ctx::redirect_with_flash(
        &state,
        "/panel/admin/ustawienia",
        "flash-settings-updated",
    ))
}

/// Panel count for administrators: invitations of officials not accepted yet and still valid.
pub fn pending_invitations_count<'a>(
    state: &'a AppState,
    _: &'a wspolnie_web::policy::Account,
) -> wspolnie_web::ctx::CountFuture<'a> {
    Box::pin(async move {
        use sea_orm::PaginatorTrait;
        Ok(Some(
            user_token::Entity::find()
                .filter(user_token::Column::Purpose.eq("invitation"))
                .filter(user_token::Column::UsedAt.is_null())
                .filter(user_token::Column::ExpiresAt.gt(chrono::Utc::now()))
                .count(&state.platform.db.conn)
                .await?,
        ))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_settings_form_has_a_field_for_every_site_key() {
        let f = super::SettingsForm::default();
        for (key, _) in wspolnie_platform::settings::SITE_KEYS {
            assert!(f.value(key).is_some(), "{key}");
        }
        for key in wspolnie_platform::settings::TRANSLATED_KEYS {
            let en = wspolnie_platform::settings::english_key(key);
            assert!(f.value(&en).is_some(), "{en}");
        }
    }
}
