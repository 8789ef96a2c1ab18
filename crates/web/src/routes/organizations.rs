//! The public directory of organisations: search that ignores Polish diacritics and case, with
//! prefix matching on words, filters in the URL and pagination. (Full-text indexes, more filters
//! and exports arrive with the directory issue.)

use crate::AppState;
use crate::ctx::PageCtx;
use crate::errors::{AppError, AppResult};
use crate::routes::calendar::{EventItem, event_item};
use crate::routes::pagination::{PER_PAGE, Pages, page_param, pages};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use chrono::Utc;
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use wspolnie_core::text::search_terms;
use wspolnie_platform::entity::{event, organization, organization_sphere, sphere};
use wspolnie_platform::i18n::Lang;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sfera: String,
    #[serde(default)]
    dzielnica: String,
    strona: Option<u64>,
}

pub struct SphereOption {
    pub code: String,
    pub name: String,
}

pub struct OrgItem {
    pub slug: String,
    pub name: String,
    pub legal_form: String,
    pub district: String,
    pub is_opp: bool,
    pub short_description: String,
}

#[derive(Template)]
#[template(path = "pages/organizations.html")]
struct ListPage {
    ctx: PageCtx,
    q: String,
    sphere: String,
    district: String,
    spheres: Vec<SphereOption>,
    districts: Vec<String>,
    items: Vec<OrgItem>,
    total: u64,
    pages: Pages,
}

pub fn sphere_name(lang: Lang, s: &sphere::Model) -> String {
    match lang {
        Lang::Pl => format!("{}. {}", s.code, s.name_pl),
        Lang::En => format!("{}. {}", s.code, s.name_en),
    }
}

pub fn legal_form_label(lang: Lang, code: &str) -> String {
    let key = format!("legal-form-{code}");
    let t = lang.t(&key);
    if t == key {
        lang.t("legal-form-other")
    } else {
        t
    }
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<ListQuery>,
) -> AppResult<Html<String>> {
    let db = &state.platform.db.conn;
    let page = page_param(q.strona);
    let all_spheres = sphere::Entity::find()
        .filter(sphere::Column::ValidTo.is_null())
        .order_by_asc(sphere::Column::Position)
        .all(db)
        .await?;
    let mut find =
        organization::Entity::find().filter(organization::Column::Status.eq("published"));
    for term in search_terms(&q.q).into_iter().take(8) {
        // Terms are letters and digits only, so they cannot carry LIKE wildcards.
        find = find.filter(organization::Column::SearchText.like(format!("% {term}%")));
    }
    if let Some(s) = all_spheres.iter().find(|s| s.code == q.sfera) {
        find = find.filter(
            organization::Column::Id.in_subquery(
                SqlQuery::select()
                    .column(organization_sphere::Column::OrganizationId)
                    .from(organization_sphere::Entity)
                    .and_where(organization_sphere::Column::SphereId.eq(s.id))
                    .to_owned(),
            ),
        );
    }
    if !q.dzielnica.is_empty() {
        find = find.filter(organization::Column::District.eq(q.dzielnica.clone()));
    }
    let paginator = find
        .order_by_asc(organization::Column::NameFold)
        .order_by_asc(organization::Column::Id)
        .paginate(db, PER_PAGE);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let districts: Vec<String> = organization::Entity::find()
        .select_only()
        .column(organization::Column::District)
        .distinct()
        .filter(organization::Column::Status.eq("published"))
        .order_by_asc(organization::Column::District)
        .into_tuple::<String>()
        .all(db)
        .await?;
    let mut districts = districts;
    districts.sort_by(|a, b| wspolnie_core::text::cmp_pl(a, b));
    let items = rows
        .into_iter()
        .map(|o| OrgItem {
            legal_form: legal_form_label(ctx.lang, &o.legal_form),
            slug: o.slug,
            name: o.name,
            district: o.district,
            is_opp: o.is_opp,
            short_description: o.short_description,
        })
        .collect();
    let pages = pages(
        "/organizacje",
        &[
            ("q", &q.q),
            ("sfera", &q.sfera),
            ("dzielnica", &q.dzielnica),
        ],
        page,
        total,
    );
    let spheres = all_spheres
        .iter()
        .map(|s| SphereOption {
            code: s.code.clone(),
            name: sphere_name(ctx.lang, s),
        })
        .collect();
    let page = ListPage {
        ctx,
        q: q.q,
        sphere: q.sfera,
        district: q.dzielnica,
        spheres,
        districts,
        items,
        total,
        pages,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "pages/organization.html")]
struct OrgPage {
    ctx: PageCtx,
    org: organization::Model,
    legal_form: String,
    spheres: Vec<String>,
    events: Vec<EventItem>,
    json_ld: String,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> AppResult<Html<String>> {
    let db = &state.platform.db.conn;
    let org = organization::Entity::find()
        .filter(organization::Column::Slug.eq(slug))
        .filter(organization::Column::Status.eq("published"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let links = organization_sphere::Entity::find()
        .filter(organization_sphere::Column::OrganizationId.eq(org.id))
        .order_by_desc(organization_sphere::Column::IsLeading)
        .all(db)
        .await?;
    let ids: Vec<i64> = links.iter().map(|l| l.sphere_id).collect();
    let sphere_rows = sphere::Entity::find()
        .filter(sphere::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    let spheres = ids
        .iter()
        .filter_map(|id| sphere_rows.iter().find(|s| s.id == *id))
        .map(|s| sphere_name(ctx.lang, s))
        .collect();
    let events = event::Entity::find()
        .filter(event::Column::OrganizationId.eq(org.id))
        .filter(event::Column::Status.eq("published"))
        .filter(event::Column::EndsAt.gte(Utc::now()))
        .order_by_asc(event::Column::StartsAt)
        .limit(10)
        .all(db)
        .await?
        .into_iter()
        .map(|e| event_item(&ctx, e))
        .collect();
    let url = format!(
        "{}/organizacje/{}",
        state
            .platform
            .config
            .server
            .public_url
            .trim_end_matches('/'),
        org.slug
    );
    let json_ld = json_ld(&org, &url);
    let legal_form = legal_form_label(ctx.lang, &org.legal_form);
    Ok(Html(
        OrgPage {
            ctx,
            org,
            legal_form,
            spheres,
            events,
            json_ld,
        }
        .render()?,
    ))
}

/// schema.org Organization; `<` is escaped so the JSON cannot close the script element.
fn json_ld(o: &organization::Model, url: &str) -> String {
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NGO",
        "name": o.name,
        "description": o.short_description,
        "url": url,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": o.street,
            "postalCode": o.postal_code,
            "addressLocality": o.city,
            "addressCountry": "PL"
        }
    });
    if let Some(e) = &o.email {
        v["email"] = e.clone().into();
    }
    if let Some(p) = &o.phone {
        v["telephone"] = p.clone().into();
    }
    if let Some(w) = &o.website {
        v["sameAs"] = serde_json::json!([w]);
    }
    v.to_string().replace('<', "\\u003c")
}
