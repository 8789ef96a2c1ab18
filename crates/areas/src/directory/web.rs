//! The public directory of organisations: search that ignores Polish diacritics and case, with
//! prefix matching on words; filters (sphere, target group, district, legal form, OPP status) kept
//! in the URL; Polish alphabetical order; pagination; CSV/JSON exports and the JSON API all share
//! one query builder (`Filters::select`).

use crate::moderation::lifecycle::Publication;
use wspolnie_web::fmt::{group_name, sphere_name};
use wspolnie_web::AppState;
use wspolnie_web::ctx::PageCtx;
use wspolnie_web::errors::AppError;
use wspolnie_web::errors::AppResult;
use crate::calendar::web::EventItem;
use crate::calendar::web::event_item;
use wspolnie_web::pagination::PER_PAGE;
use wspolnie_web::pagination::Page;
use wspolnie_web::pagination::Pages;
use wspolnie_web::pagination::pages;
use wspolnie_web::csv_out;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde::Deserialize;
use std::collections::HashMap;
use wspolnie_core::text::search_terms;
use crate::calendar::entity::event;
use crate::directory::entity::organization;
use crate::directory::entity::organization_sphere;
use crate::directory::entity::organization_target_group;
use wspolnie_platform::entity::sphere;
use wspolnie_platform::entity::target_group;
use wspolnie_platform::i18n::Lang;

/// Directory filters as they appear in public URLs (Polish parameter names).
#[derive(Deserialize, Default, Clone)]
pub struct Filters {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub sfera: String,
    #[serde(default)]
    pub grupa: String,
    #[serde(default)]
    pub dzielnica: String,
    #[serde(default)]
    pub forma: String,
    #[serde(default)]
    pub opp: String,
    #[serde(default)]
    pub strona: Page,
}

impl Filters {
    /// Published organisations matching the filters, in Polish alphabetical order.
    pub async fn select<C: ConnectionTrait>(
        &self,
        db: &C,
    ) -> Result<Select<organization::Entity>, DbErr> {
        let mut find =
            organization::Entity::find().filter(organization::Column::Status.eq(organization::Status::Published));
        for term in search_terms(&self.q).into_iter().take(8) {
            // Terms are letters and digits only, so they cannot carry LIKE wildcards.
            find = find.filter(organization::Column::SearchText.like(format!("% {term}%")));
        }
        if !self.sfera.is_empty() {
            let sid = sphere::Entity::find()
                .filter(sphere::Column::Code.eq(self.sfera.clone()))
                .one(db)
                .await?
                .map(|s| s.id)
                .unwrap_or(-1);
            find = find.filter(
                organization::Column::Id.in_subquery(
                    SqlQuery::select()
                        .column(organization_sphere::Column::OrganizationId)
                        .from(organization_sphere::Entity)
                        .and_where(organization_sphere::Column::SphereId.eq(sid))
                        .to_owned(),
                ),
            );
        }
        if !self.grupa.is_empty() {
            let gid = target_group::Entity::find()
                .filter(target_group::Column::Code.eq(self.grupa.clone()))
                .one(db)
                .await?
                .map(|g| g.id)
                .unwrap_or(-1);
            find = find.filter(
                organization::Column::Id.in_subquery(
                    SqlQuery::select()
                        .column(organization_target_group::Column::OrganizationId)
                        .from(organization_target_group::Entity)
                        .and_where(organization_target_group::Column::TargetGroupId.eq(gid))
                        .to_owned(),
                ),
            );
        }
        if !self.dzielnica.is_empty() {
            find = find.filter(organization::Column::District.eq(self.dzielnica.clone()));
        }
        if !self.forma.is_empty() {
            find = find.filter(organization::Column::LegalForm.eq(self.forma.clone()));
        }
        if self.opp == "1" {
            find = find.filter(organization::Column::IsOpp.eq(true));
        }
        Ok(find
            .order_by_asc(organization::Column::NameSort)
            .order_by_asc(organization::Column::Id))
    }

    fn params(&self) -> [(&'static str, &str); 6] {
        [
            ("q", &self.q),
            ("sfera", &self.sfera),
            ("grupa", &self.grupa),
            ("dzielnica", &self.dzielnica),
            ("forma", &self.forma),
            ("opp", &self.opp),
        ]
    }

    /// The filters as a query string (for export links), empty values left out.
    pub fn query_string(&self) -> String {
        let pairs: Vec<(&str, &str)> = self
            .params()
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

pub struct Choice {
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
#[template(path = "directory/templates/public/organizations.html")]
struct ListPage {
    ctx: PageCtx,
    f: Filters,
    export_query: String,
    spheres: Vec<Choice>,
    groups: Vec<Choice>,
    forms: Vec<Choice>,
    districts: Vec<String>,
    items: Vec<OrgItem>,
    total: u64,
    pages: Pages,
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
    Query(f): Query<Filters>,
) -> AppResult<axum::response::Response> {
    let index = state
        .part::<crate::directory::index::DirectoryIndex>()?
        .get(&state)
        .await?;
    let snap = &index.snapshot;
    let hits = snap.search(&crate::directory::index::Query {
        q: &f.q,
        sphere: &f.sfera,
        group: &f.grupa,
        district: &f.dzielnica,
        legal_form: &f.forma,
        opp: f.opp == "1",
    });
    let total = hits.count() as u64;
    let page = f.strona.within(total, PER_PAGE);
    let skip = usize::try_from(Page::offset(page, PER_PAGE)).unwrap_or(usize::MAX);
    let items = hits
        .iter()
        .skip(skip)
        .take(PER_PAGE as usize)
        .filter_map(|i| snap.entries.get(i))
        .map(|o| OrgItem {
            legal_form: legal_form_label(ctx.lang, &o.legal_form),
            slug: o.slug.clone(),
            name: o.name.clone(),
            district: o.district.clone(),
            is_opp: o.is_opp,
            short_description: o.short_description.clone(),
        })
        .collect();
    let spheres = snap
        .spheres
        .iter()
        .map(|s| Choice {
            code: s.code.clone(),
            name: sphere_name(ctx.lang, s),
        })
        .collect();
    let groups = snap
        .groups
        .iter()
        .map(|g| Choice {
            code: g.code.clone(),
            name: group_name(ctx.lang, g),
        })
        .collect();
    let forms = snap
        .legal_forms
        .iter()
        .map(|code| Choice {
            name: legal_form_label(ctx.lang, code),
            code: code.clone(),
        })
        .collect();
    let districts = snap.districts.clone();
    let pages = pages("/organizacje", &f.params(), page, total);
    let export_query = f.query_string();
    let current = index.current;
    let page = ListPage {
        ctx,
        f,
        export_query,
        spheres,
        groups,
        forms,
        districts,
        items,
        total,
        pages,
    };
    let mut res = axum::response::IntoResponse::into_response(Html(page.render()?));
    if !current {
        // Built from the previous snapshot while the new one is being built: not for the cache.
        res.extensions_mut().insert(wspolnie_web::cache::Uncacheable);
    }
    Ok(res)
}

/// All organisations matching the filters with their spheres and target groups, for exports.
pub struct Full {
    pub org: organization::Model,
    pub spheres: Vec<String>,
    pub groups: Vec<String>,
}

pub async fn load_full(
    db: &sea_orm::DatabaseConnection,
    f: &Filters,
    lang: Lang,
    limit: Option<(u64, u64)>,
) -> Result<(u64, Vec<Full>), DbErr> {
    let select = f.select(db).await?;
    let (total, orgs) = match limit {
        Some((page, per_page)) => {
            let p = select.paginate(db, per_page);
            (
                p.num_items().await?,
                p.fetch_page(page.saturating_sub(1)).await?,
            )
        }
        None => {
            let all = select.all(db).await?;
            (all.len() as u64, all)
        }
    };
    Ok((total, enrich(db, orgs, lang).await?))
}

/// Adds spheres (leading first) and target groups to organisations.
pub async fn enrich(
    db: &sea_orm::DatabaseConnection,
    orgs: Vec<organization::Model>,
    lang: Lang,
) -> Result<Vec<Full>, DbErr> {
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let all_spheres: HashMap<i64, sphere::Model> = sphere::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let all_groups: HashMap<i64, target_group::Model> = target_group::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut links: HashMap<i64, Vec<organization_sphere::Model>> = HashMap::new();
    for l in crate::chunked::all_in(db, &ids, |c| {
        organization_sphere::Entity::find()
            .filter(organization_sphere::Column::OrganizationId.is_in(c))
    })
    .await?
    {
        links.entry(l.organization_id).or_default().push(l);
    }
    let mut glinks: HashMap<i64, Vec<organization_target_group::Model>> = HashMap::new();
    for l in crate::chunked::all_in(db, &ids, |c| {
        organization_target_group::Entity::find()
            .filter(organization_target_group::Column::OrganizationId.is_in(c))
    })
    .await?
    {
        glinks.entry(l.organization_id).or_default().push(l);
    }
    let out = orgs
        .into_iter()
        .map(|org| {
            let mut my: Vec<&organization_sphere::Model> =
                links.get(&org.id).map(|v| v.iter().collect()).unwrap_or_default();
            my.sort_by_key(|l| !l.is_leading);
            let spheres = my
                .iter()
                .filter_map(|l| all_spheres.get(&l.sphere_id))
                .map(|s| sphere_name(lang, s))
                .collect();
            let groups = glinks
                .get(&org.id)
                .into_iter()
                .flatten()
                .filter_map(|l| all_groups.get(&l.target_group_id))
                .map(|g| group_name(lang, g))
                .collect();
            Full {
                org,
                spheres,
                groups,
            }
        })
        .collect();
    Ok(out)
}

/// CSV in UTF-8 with a BOM and semicolons, as Excel with Polish regional settings opens it.
pub async fn export_csv(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(f): Query<Filters>,
) -> AppResult<Response> {
    let (_, rows) = load_full(&state.platform.db.conn, &f, ctx.lang, None).await?;
    let base = state
        .platform
        .config
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let header = [
        "csv-name",
        "org-legal-form",
        "KRS",
        "NIP",
        "REGON",
        "org-opp",
        "org-spheres",
        "org-target-groups",
        "filter-district",
        "org-address",
        "csv-postal-code",
        "csv-city",
        "phone",
        "email",
        "org-website",
        "csv-description",
        "csv-profile",
    ];
    let header: Vec<String> = header
        .iter()
        .map(|k| {
            if k.chars().all(|c| c.is_ascii_uppercase()) {
                (*k).to_owned()
            } else {
                ctx.t(k)
            }
        })
        .collect();
    let lines = rows.iter().map(|r| {
        let o = &r.org;
        let opt = |v: &Option<String>| csv_out::typed(v.clone().unwrap_or_default());
        vec![
            o.name.clone().into(),
            legal_form_label(ctx.lang, &o.legal_form).into(),
            opt(&o.krs),
            opt(&o.nip),
            opt(&o.regon),
            if o.is_opp { ctx.t("yes") } else { ctx.t("no") }.into(),
            r.spheres.join(", ").into(),
            r.groups.join(", ").into(),
            o.district.clone().into(),
            o.street.clone().into(),
            csv_out::typed(o.postal_code.clone()),
            o.city.clone().into(),
            opt(&o.phone),
            o.email.clone().unwrap_or_default().into(),
            o.website.clone().unwrap_or_default().into(),
            o.short_description.clone().into(),
            format!("{base}/organizacje/{}", o.slug).into(),
        ]
    });
    let header: Vec<csv_out::Cell> = header.into_iter().map(Into::into).collect();
    let body = csv_out::sheet(std::iter::once(header).chain(lines))?;
    Ok(csv_out::attachment("organizacje.csv", body))
}

/// Address of an organisation's seat, as published.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ApiAddress {
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub district: String,
}

/// One published organisation as the API and the JSON export give it.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ApiOrganization {
    /// Stable identifier used in URLs.
    pub slug: String,
    pub name: String,
    /// Short description written by the organisation.
    pub short_description: String,
    /// Legal form code, e.g. `stowarzyszenie`, `fundacja`.
    pub legal_form: String,
    /// KRS number (10 digits), when registered.
    pub krs: Option<String>,
    pub nip: Option<String>,
    pub regon: Option<String>,
    /// Public benefit organisation status (eligible for the 1.5% tax allocation).
    pub opp: bool,
    /// Spheres of public benefit, leading ones first, as "code. name".
    pub spheres: Vec<String>,
    pub target_groups: Vec<String>,
    pub address: ApiAddress,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    /// The organisation's page in the public directory.
    pub url: String,
}

impl ApiOrganization {
    pub fn new(r: &Full, base: &str) -> Self {
        let o = &r.org;
        ApiOrganization {
            slug: o.slug.clone(),
            name: o.name.clone(),
            short_description: o.short_description.clone(),
            legal_form: o.legal_form.clone(),
            krs: o.krs.clone(),
            nip: o.nip.clone(),
            regon: o.regon.clone(),
            opp: o.is_opp,
            spheres: r.spheres.clone(),
            target_groups: r.groups.clone(),
            address: ApiAddress {
                street: o.street.clone(),
                postal_code: o.postal_code.clone(),
                city: o.city.clone(),
                district: o.district.clone(),
            },
            phone: o.phone.clone(),
            email: o.email.clone(),
            website: o.website.clone(),
            url: format!("{base}/organizacje/{}", o.slug),
        }
    }
}

pub async fn export_json(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(f): Query<Filters>,
) -> AppResult<Response> {
    let (_, rows) = load_full(&state.platform.db.conn, &f, ctx.lang, None).await?;
    let base = state
        .platform
        .config
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let items: Vec<ApiOrganization> = rows
        .iter()
        .map(|r| ApiOrganization::new(r, &base))
        .collect();
    Ok((
        [(header::CONTENT_DISPOSITION, "attachment; filename=\"organizacje.json\"")],
        axum::Json(serde_json::json!({ "generated_at": Utc::now().to_rfc3339(), "count": items.len(), "organizations": items })),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "directory/templates/public/organization.html")]
struct OrgPage {
    ctx: PageCtx,
    org: organization::Model,
    legal_form: String,
    spheres: Vec<String>,
    groups: Vec<String>,
    events: Vec<EventItem>,
    json_ld: String,
    contacts: Vec<crate::directory::model::Contact>,
    social: Vec<String>,
    stale: bool,
    last_confirmed: String,
    updated: String,
    /// Signed-in member (or moderator) of this organisation: may edit.
    can_edit: bool,
    signed_in: bool,
    /// The organisation's news: (slug, title, date).
    news: Vec<(String, String, String)>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    axum::Extension(current): axum::Extension<wspolnie_web::auth::CurrentAccount>,
    Path(slug): Path<String>,
) -> AppResult<Html<String>> {
    let db = &state.platform.db.conn;
    let org = organization::Entity::find()
        .filter(organization::Column::Slug.eq(slug))
        .filter(organization::Column::Status.eq(organization::Status::Published))
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
    let events = crate::calendar::web::upcoming(
        db,
        sea_orm::Condition::all().add(event::Column::OrganizationId.eq(org.id)),
        10,
    )
    .await?
    .1
    .into_iter()
    .map(|e| event_item(&ctx, e))
    .collect();
    let base = state
        .platform
        .config
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let url = format!("{base}/organizacje/{}", org.slug);
    let profile = crate::directory::model::load(db, &org).await?;
    let json_ld = json_ld(&org, &profile, &url, &base);
    let now = Utc::now();
    let stale = crate::directory::confirm::is_stale(
        &org,
        now,
        state.platform.config.directory.stale_after_days,
    );
    let last_confirmed = wspolnie_web::fmt::date(
        ctx.lang,
        crate::directory::confirm::last_confirmed(&org),
    );
    let updated = wspolnie_web::fmt::date(ctx.lang, org.updated_at);
    let can_edit = wspolnie_web::policy::can_edit_organization(current.0.as_ref(), org.id);
    let news = crate::news::entity::article::Entity::find()
        .filter(crate::news::entity::article::Column::OrganizationId.eq(org.id))
        .filter(crate::news::entity::article::Column::Status.eq(Publication::Published))
        .order_by_desc(crate::news::entity::article::Column::PublishedAt)
        .limit(5)
        .all(db)
        .await?
        .into_iter()
        .map(|a| {
            let date = a
                .published_at
                .map(|d| wspolnie_web::fmt::date(ctx.lang, d))
                .unwrap_or_default();
            (a.slug, a.title, date)
        })
        .collect();
    let signed_in = current.0.is_some();
    let legal_form = legal_form_label(ctx.lang, &org.legal_form);
    let groups = enrich(db, vec![org.clone()], ctx.lang)
        .await?
        .into_iter()
        .next()
        .map(|f| f.groups)
        .unwrap_or_default();
    Ok(Html(
        OrgPage {
            ctx,
            org,
            legal_form,
            spheres,
            groups,
            events,
            json_ld,
            contacts: profile.contacts,
            social: profile.social_links,
            stale,
            last_confirmed,
            updated,
            can_edit,
            signed_in,
            news,
        }
        .render()?,
    ))
}

/// schema.org Organization; `<` is escaped so the JSON cannot close the script element.
fn json_ld(
    o: &organization::Model,
    p: &crate::directory::model::Profile,
    url: &str,
    base: &str,
) -> String {
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
    if let Some(n) = &o.nip {
        v["taxID"] = n.clone().into();
    }
    if let Some(k) = &o.logo_key {
        v["logo"] = format!("{base}/pliki/{k}").into();
    }
    let same_as: Vec<&String> = o.website.iter().chain(p.social_links.iter()).collect();
    if !same_as.is_empty() {
        v["sameAs"] = serde_json::json!(same_as);
    }
    let mut ids = Vec::new();
    if let Some(k) = &o.krs {
        ids.push(serde_json::json!({"@type": "PropertyValue", "propertyID": "KRS", "value": k}));
    }
    if let Some(r) = &o.regon {
        ids.push(serde_json::json!({"@type": "PropertyValue", "propertyID": "REGON", "value": r}));
    }
    if !ids.is_empty() {
        v["identifier"] = serde_json::json!(ids);
    }
    v.to_string().replace('<', "\\u003c")
}
