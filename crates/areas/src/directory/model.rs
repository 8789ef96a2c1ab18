//! Organisation profiles: the content an organisation maintains (`Profile`), its validation with
//! Polish rules (NIP/REGON checksums, KRS format, URLs, e-mail, phone, postal code), and reading and
//! writing it. The web forms, the moderation queue and the CSV import all go through here.

pub use crate::directory::limits::{DESCRIPTION_MAX};
use crate::directory::entity::organization;
use crate::directory::entity::organization_contact;
use crate::directory::entity::organization_sphere;
use crate::directory::entity::organization_target_group;
use wspolnie_platform::entity::sphere;
use wspolnie_platform::entity::target_group;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wspolnie_core::contact::{normalize_phone, normalize_postal_code, normalize_url};
use wspolnie_core::ids::{Krs, Nip, Regon};
use wspolnie_core::text::{fold_pl, pl_sort_key, search_text, slugify};

/// Legal forms offered in forms and accepted by the import (codes; labels come from Fluent
/// messages `legal-form-<code>`).
pub const LEGAL_FORMS: &[&str] = &[
    "stowarzyszenie",
    "stowarzyszenie-zwykle",
    "fundacja",
    "klub-sportowy",
    "other",
];

pub use crate::directory::index::VERSION_KEY;

/// Marks the published directory as changed (on the caller's transaction), so every instance's
/// in-memory search index reloads.
pub async fn touch<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    wspolnie_platform::settings::set(db, VERSION_KEY, &uuid::Uuid::new_v4().simple().to_string()).await
}

pub const MAX_LEADING_SPHERES: usize = 3;
pub const MAX_SOCIAL_LINKS: usize = 5;
pub const MAX_CONTACTS: usize = 3;
pub const DESCRIPTION_MIN: usize = 40;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub email: String,
    pub phone: String,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty()
            && self.role.trim().is_empty()
            && self.email.trim().is_empty()
            && self.phone.trim().is_empty()
    }
}

/// Everything an organisation says about itself. Stored in revisions as JSON; optional values are
/// empty strings so that forms and diffs treat every field alike.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub name: String,
    pub short_description: String,
    pub legal_form: String,
    pub krs: String,
    pub nip: String,
    pub regon: String,
    pub is_opp: bool,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub social_links: Vec<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub district: String,
    /// Sphere codes (e.g. "16"), leading first.
    pub leading_spheres: Vec<String>,
    pub other_spheres: Vec<String>,
    /// Target group codes.
    pub target_groups: Vec<String>,
    pub contacts: Vec<Contact>,
    pub logo_key: String,
    pub logo_alt: String,
}

/// How strictly to validate: a profile form needs a good description and leading spheres; an
/// import of the office's old spreadsheet may lack them (the organisation completes them later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    Form,
    Import,
}

/// Field name → Fluent message id of the error.
pub type FieldErrors = BTreeMap<String, &'static str>;

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl Profile {
    /// Trims and normalises every field in place (KRS padded to ten digits, NIP digits only, URLs
    /// with a scheme, phone spacing, postal code `NN-NNN`) and returns the errors found.
    /// `spheres` and `groups` are the valid codes.
    pub fn validate(
        &mut self,
        strictness: Strictness,
        spheres: &[String],
        groups: &[String],
    ) -> FieldErrors {
        let mut e = FieldErrors::new();
        let strict = strictness == Strictness::Form;
        for s in [
            &mut self.name,
            &mut self.short_description,
            &mut self.legal_form,
            &mut self.krs,
            &mut self.nip,
            &mut self.regon,
            &mut self.email,
            &mut self.phone,
            &mut self.website,
            &mut self.street,
            &mut self.postal_code,
            &mut self.city,
            &mut self.district,
            &mut self.logo_key,
            &mut self.logo_alt,
        ] {
            *s = s.trim().to_owned();
        }
        // Collapse whitespace inside the name; keep line breaks out of the description.
        self.name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        self.short_description = self
            .short_description
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");

        let name_len = self.name.chars().count();
        if name_len == 0 {
            e.insert("name".into(), "error-org-name-required");
        } else if !(3..=200).contains(&name_len) {
            e.insert("name".into(), "error-org-name-length");
        }
        let d = self.short_description.chars().count();
        if d > DESCRIPTION_MAX {
            e.insert("short_description".into(), "error-org-description-long");
        } else if strict && d == 0 {
            e.insert("short_description".into(), "error-org-description-required");
        } else if strict && d < DESCRIPTION_MIN {
            e.insert("short_description".into(), "error-org-description-short");
        }
        if !LEGAL_FORMS.contains(&self.legal_form.as_str()) {
            e.insert("legal_form".into(), "error-org-legal-form");
        }
        if !self.krs.is_empty() {
            match Krs::parse(&self.krs) {
                Ok(k) => self.krs = k.as_str().to_owned(),
                Err(_) => {
                    e.insert("krs".into(), "error-krs");
                }
            }
        } else if self.is_opp {
            e.insert("krs".into(), "error-opp-needs-krs");
        }
        if !self.nip.is_empty() {
            match Nip::parse(&self.nip) {
                Ok(n) => self.nip = n.as_str().to_owned(),
                Err(_) => {
                    e.insert("nip".into(), "error-nip");
                }
            }
        }
        if !self.regon.is_empty() {
            match Regon::parse(&self.regon) {
                Ok(r) => self.regon = r.as_str().to_owned(),
                Err(_) => {
                    e.insert("regon".into(), "error-regon");
                }
            }
        }
        if self.email.is_empty() {
            e.insert("email".into(), "error-org-email-required");
        } else {
            match crate::accounts::model::normalize_email(&self.email) {
                Some(m) => self.email = m,
                None => {
                    e.insert("email".into(), "error-email-invalid");
                }
            }
        }
        if !self.phone.is_empty() {
            match normalize_phone(&self.phone) {
                Some(p) => self.phone = p,
                None => {
                    e.insert("phone".into(), "error-phone");
                }
            }
        }
        if !self.website.is_empty() {
            match normalize_url(&self.website) {
                Some(u) => self.website = u,
                None => {
                    e.insert("website".into(), "error-url");
                }
            }
        }
        let links: Vec<String> = self
            .social_links
            .iter()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect();
        let mut normalized = Vec::new();
        for l in &links {
            match normalize_url(l) {
                Some(u) if !normalized.contains(&u) => normalized.push(u),
                Some(_) => {}
                None => {
                    e.insert("social_links".into(), "error-url-list");
                }
            }
        }
        if normalized.len() > MAX_SOCIAL_LINKS {
            e.insert("social_links".into(), "error-social-too-many");
        }
        if !e.contains_key("social_links") {
            self.social_links = normalized;
        } else {
            self.social_links = links;
        }
        if self.street.is_empty() {
            e.insert("street".into(), "error-street-required");
        }
        if self.city.is_empty() {
            e.insert("city".into(), "error-city-required");
        }
        match normalize_postal_code(&self.postal_code) {
            Some(p) => self.postal_code = p,
            None => {
                e.insert("postal_code".into(), "error-postal-code");
            }
        }
        if self.district.chars().count() > 100 {
            e.insert("district".into(), "error-text-too-long");
        }

        let known = |c: &String| spheres.contains(c);
        dedup(&mut self.leading_spheres);
        dedup(&mut self.other_spheres);
        let leading = self.leading_spheres.clone();
        self.other_spheres.retain(|c| !leading.contains(c));
        if !self.leading_spheres.iter().all(known) || !self.other_spheres.iter().all(known) {
            e.insert("leading_spheres".into(), "error-sphere-unknown");
        } else if self.leading_spheres.len() > MAX_LEADING_SPHERES {
            e.insert("leading_spheres".into(), "error-spheres-too-many");
        } else if strict && self.leading_spheres.is_empty() {
            e.insert("leading_spheres".into(), "error-spheres-required");
        }
        dedup(&mut self.target_groups);
        if !self.target_groups.iter().all(|g| groups.contains(g)) {
            e.insert("target_groups".into(), "error-group-unknown");
        }
        // One canonical order (the official list's), so that reordering is not a change.
        let rank =
            |list: &[String], c: &String| list.iter().position(|x| x == c).unwrap_or(usize::MAX);
        self.leading_spheres.sort_by_key(|c| rank(spheres, c));
        self.other_spheres.sort_by_key(|c| rank(spheres, c));
        self.target_groups.sort_by_key(|c| rank(groups, c));

        self.contacts.retain(|c| !c.is_empty());
        if self.contacts.len() > MAX_CONTACTS {
            e.insert("contacts".into(), "error-contacts-too-many");
        }
        for (i, c) in self.contacts.iter_mut().enumerate() {
            let n = i + 1;
            c.name = c.name.split_whitespace().collect::<Vec<_>>().join(" ");
            c.role = c.role.trim().to_owned();
            c.email = c.email.trim().to_owned();
            c.phone = c.phone.trim().to_owned();
            if c.name.is_empty() {
                e.insert(format!("contact_{n}_name"), "error-contact-name");
            }
            if c.name.chars().count() > 120 || c.role.chars().count() > 120 {
                e.insert(format!("contact_{n}_name"), "error-text-too-long");
            }
            if !c.email.is_empty() {
                match crate::accounts::model::normalize_email(&c.email) {
                    Some(m) => c.email = m,
                    None => {
                        e.insert(format!("contact_{n}_email"), "error-email-invalid");
                    }
                }
            }
            if !c.phone.is_empty() {
                match normalize_phone(&c.phone) {
                    Some(p) => c.phone = p,
                    None => {
                        e.insert(format!("contact_{n}_phone"), "error-phone");
                    }
                }
            }
        }
        if !self.logo_key.is_empty() && self.logo_alt.is_empty() {
            e.insert("logo_alt".into(), "error-logo-alt");
        }
        let limits = &crate::directory::limits::PROFILE;
        limits.check_into(
            &mut e,
            &[
                ("name", &self.name),
                ("short_description", &self.short_description),
                ("legal_form", &self.legal_form),
                ("krs", &self.krs),
                ("nip", &self.nip),
                ("regon", &self.regon),
                ("email", &self.email),
                ("phone", &self.phone),
                ("website", &self.website),
                ("street", &self.street),
                ("postal_code", &self.postal_code),
                ("city", &self.city),
                ("district", &self.district),
                ("logo_key", &self.logo_key),
                ("logo_alt", &self.logo_alt),
            ],
        );
        for l in &self.social_links {
            limits.check_into(&mut e, &[("social_links", l)]);
        }
        for (i, c) in self.contacts.iter().enumerate() {
            let n = i + 1;
            for (field, value) in [
                (format!("contact_{n}_name"), &c.name),
                (format!("contact_{n}_role"), &c.role),
                (format!("contact_{n}_email"), &c.email),
                (format!("contact_{n}_phone"), &c.phone),
            ] {
                if let Some(key) = limits.check(&field, value) {
                    e.entry(field).or_insert(key);
                }
            }
        }
        e
    }

    pub fn all_spheres(&self) -> impl Iterator<Item = &String> {
        self.leading_spheres.iter().chain(self.other_spheres.iter())
    }
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = Vec::new();
    v.retain(|x| {
        let keep = !x.trim().is_empty() && !seen.contains(x);
        seen.push(x.clone());
        keep
    });
}

/// Valid sphere and target-group codes, for `Profile::validate`.
pub async fn codes<C: ConnectionTrait>(db: &C) -> Result<(Vec<String>, Vec<String>), DbErr> {
    let spheres = sphere::Entity::find()
        .filter(sphere::Column::ValidTo.is_null())
        .order_by_asc(sphere::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.code)
        .collect();
    let groups = target_group::Entity::find()
        .order_by_asc(target_group::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.code)
        .collect();
    Ok((spheres, groups))
}

/// The profile as published (or, for an organisation still waiting, as last written).
pub async fn load<C: ConnectionTrait>(db: &C, org: &organization::Model) -> Result<Profile, DbErr> {
    let spheres = sphere::Entity::find().all(db).await?;
    let groups = target_group::Entity::find().all(db).await?;
    let mut links = organization_sphere::Entity::find()
        .filter(organization_sphere::Column::OrganizationId.eq(org.id))
        .all(db)
        .await?;
    links.sort_by_key(|l| {
        spheres
            .iter()
            .find(|s| s.id == l.sphere_id)
            .map(|s| s.position)
            .unwrap_or(i32::MAX)
    });
    let code = |id: i64| spheres.iter().find(|s| s.id == id).map(|s| s.code.clone());
    let glinks = organization_target_group::Entity::find()
        .filter(organization_target_group::Column::OrganizationId.eq(org.id))
        .all(db)
        .await?;
    let mut target_groups: Vec<(i32, String)> = glinks
        .iter()
        .filter_map(|l| groups.iter().find(|g| g.id == l.target_group_id))
        .map(|g| (g.position, g.code.clone()))
        .collect();
    target_groups.sort();
    let contacts = organization_contact::Entity::find()
        .filter(organization_contact::Column::OrganizationId.eq(org.id))
        .order_by_asc(organization_contact::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|c| Contact {
            name: c.name,
            role: c.role,
            email: c.email.unwrap_or_default(),
            phone: c.phone.unwrap_or_default(),
        })
        .collect();
    Ok(Profile {
        name: org.name.clone(),
        short_description: org.short_description.clone(),
        legal_form: org.legal_form.clone(),
        krs: org.krs.clone().unwrap_or_default(),
        nip: org.nip.clone().unwrap_or_default(),
        regon: org.regon.clone().unwrap_or_default(),
        is_opp: org.is_opp,
        email: org.email.clone().unwrap_or_default(),
        phone: org.phone.clone().unwrap_or_default(),
        website: org.website.clone().unwrap_or_default(),
        social_links: org
            .social_links
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect(),
        street: org.street.clone(),
        postal_code: org.postal_code.clone(),
        city: org.city.clone(),
        district: org.district.clone(),
        leading_spheres: links
            .iter()
            .filter(|l| l.is_leading)
            .filter_map(|l| code(l.sphere_id))
            .collect(),
        other_spheres: links
            .iter()
            .filter(|l| !l.is_leading)
            .filter_map(|l| code(l.sphere_id))
            .collect(),
        target_groups: target_groups.into_iter().map(|(_, c)| c).collect(),
        contacts,
        logo_key: org.logo_key.clone().unwrap_or_default(),
        logo_alt: org.logo_alt.clone(),
    })
}

/// A slug not used by any other organisation.
pub async fn unique_slug<C: ConnectionTrait>(
    db: &C,
    name: &str,
    except: Option<i64>,
) -> Result<String, DbErr> {
    let base = {
        let s = slugify(name);
        if s.is_empty() {
            "organizacja".to_owned()
        } else {
            s.chars()
                .take(80)
                .collect::<String>()
                .trim_end_matches('-')
                .to_owned()
        }
    };
    let mut n = 1;
    loop {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let taken = organization::Entity::find()
            .filter(organization::Column::Slug.eq(candidate.clone()))
            .one(db)
            .await?;
        match taken {
            Some(o) if Some(o.id) != except => n += 1,
            _ => return Ok(candidate),
        }
    }
}

/// Creates an organisation row from a validated profile with the given status (`pending` for a
/// registration waiting for moderation, `published` for imports). Returns its id.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    p: &Profile,
    status: organization::Status,
) -> Result<i64, DbErr> {
    insert(db, p, status, None).await
}

/// Writes an entry of a CSV import that has not finished: status `importing`, never public,
/// published with the rest of its import (`import::step`) or deleted with it.
pub async fn create_staged<C: ConnectionTrait>(
    db: &C,
    p: &Profile,
    import_id: i64,
) -> Result<i64, DbErr> {
    insert(db, p, organization::Status::Importing, Some(import_id)).await
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    p: &Profile,
    status: organization::Status,
    import_id: Option<i64>,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let slug = unique_slug(db, &p.name, None).await?;
    let row = organization::ActiveModel {
        slug: Set(slug),
        name: Set(p.name.clone()),
        name_fold: Set(fold_pl(&p.name)),
        name_sort: Set(pl_sort_key(&p.name)),
        short_description: Set(p.short_description.clone()),
        legal_form: Set(p.legal_form.clone()),
        krs: Set(opt(&p.krs)),
        nip: Set(opt(&p.nip)),
        regon: Set(opt(&p.regon)),
        is_opp: Set(p.is_opp),
        email: Set(opt(&p.email)),
        phone: Set(opt(&p.phone)),
        website: Set(opt(&p.website)),
        street: Set(p.street.clone()),
        postal_code: Set(p.postal_code.clone()),
        city: Set(p.city.clone()),
        district: Set(p.district.clone()),
        status: Set(status),
        search_text: Set(profile_search_text(p)),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set((status == organization::Status::Published).then_some(now)),
        social_links: Set(p.social_links.join("\n")),
        logo_key: Set(opt(&p.logo_key)),
        logo_alt: Set(p.logo_alt.clone()),
        confirmed_at: Set((status == organization::Status::Published).then_some(now)),
        confirmation_sent_at: Set(None),
        email_bounced_at: Set(None),
        version: Set(0),
        import_id: Set(import_id),
        ..Default::default()
    };
    let id = organization::Entity::insert(row)
        .exec(db)
        .await?
        .last_insert_id;
    write_links(db, id, p).await?;
    if status == organization::Status::Published {
        touch(db).await?;
    }
    Ok(id)
}

fn profile_search_text(p: &Profile) -> String {
    search_text(&[&p.name, &p.short_description, &p.district, &p.city])
}

/// Writes a validated profile over an organisation (the moderation decision that publishes it).
/// A changed contact address clears the bounce flag.
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    org: organization::Model,
    p: &Profile,
    version: i32,
) -> Result<(), DbErr> {
    crate::lifecycle::check(
        "organisation",
        org.status,
        organization::Status::Published,
        organization::allowed,
    )?;
    let now = Utc::now();
    let email_changed = org.email.as_deref().unwrap_or("") != p.email;
    let slug = if org.name != p.name || org.status != organization::Status::Published {
        unique_slug(db, &p.name, Some(org.id)).await?
    } else {
        org.slug.clone()
    };
    let first_publication = org.published_at.is_none();
    let id = org.id;
    let mut a: organization::ActiveModel = org.into();
    a.slug = Set(slug);
    a.name = Set(p.name.clone());
    a.name_fold = Set(fold_pl(&p.name));
    a.name_sort = Set(pl_sort_key(&p.name));
    a.short_description = Set(p.short_description.clone());
    a.legal_form = Set(p.legal_form.clone());
    a.krs = Set(opt(&p.krs));
    a.nip = Set(opt(&p.nip));
    a.regon = Set(opt(&p.regon));
    a.is_opp = Set(p.is_opp);
    a.email = Set(opt(&p.email));
    a.phone = Set(opt(&p.phone));
    a.website = Set(opt(&p.website));
    a.street = Set(p.street.clone());
    a.postal_code = Set(p.postal_code.clone());
    a.city = Set(p.city.clone());
    a.district = Set(p.district.clone());
    a.search_text = Set(profile_search_text(p));
    a.social_links = Set(p.social_links.join("\n"));
    a.logo_key = Set(opt(&p.logo_key));
    a.logo_alt = Set(p.logo_alt.clone());
    a.status = Set(organization::Status::Published);
    a.updated_at = Set(now);
    // An approved change is a confirmation that the profile is current.
    a.confirmed_at = Set(Some(now));
    a.version = Set(version);
    if first_publication {
        a.published_at = Set(Some(now));
    }
    if email_changed {
        a.email_bounced_at = Set(None);
    }
    a.update(db).await?;
    write_links(db, id, p).await?;
    touch(db).await
}

async fn write_links<C: ConnectionTrait>(db: &C, id: i64, p: &Profile) -> Result<(), DbErr> {
    organization_sphere::Entity::delete_many()
        .filter(organization_sphere::Column::OrganizationId.eq(id))
        .exec(db)
        .await?;
    organization_target_group::Entity::delete_many()
        .filter(organization_target_group::Column::OrganizationId.eq(id))
        .exec(db)
        .await?;
    organization_contact::Entity::delete_many()
        .filter(organization_contact::Column::OrganizationId.eq(id))
        .exec(db)
        .await?;
    let spheres = sphere::Entity::find().all(db).await?;
    for (code, leading) in p
        .leading_spheres
        .iter()
        .map(|c| (c, true))
        .chain(p.other_spheres.iter().map(|c| (c, false)))
    {
        if let Some(s) = spheres.iter().find(|s| &s.code == code) {
            organization_sphere::Entity::insert(organization_sphere::ActiveModel {
                organization_id: Set(id),
                sphere_id: Set(s.id),
                is_leading: Set(leading),
            })
            .exec_without_returning(db)
            .await?;
        }
    }
    let groups = target_group::Entity::find().all(db).await?;
    for code in &p.target_groups {
        if let Some(g) = groups.iter().find(|g| &g.code == code) {
            organization_target_group::Entity::insert(organization_target_group::ActiveModel {
                organization_id: Set(id),
                target_group_id: Set(g.id),
            })
            .exec_without_returning(db)
            .await?;
        }
    }
    for (i, c) in p.contacts.iter().enumerate() {
        organization_contact::Entity::insert(organization_contact::ActiveModel {
            organization_id: Set(id),
            name: Set(c.name.clone()),
            role: Set(c.role.clone()),
            email: Set(opt(&c.email)),
            phone: Set(opt(&c.phone)),
            position: Set(i as i32),
            ..Default::default()
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// Another organisation (not `except`) already using this KRS or NIP, if any: a registration of
/// an organisation that is already listed should be a claim instead.
pub async fn find_duplicate<C: ConnectionTrait>(
    db: &C,
    p: &Profile,
    except: Option<i64>,
) -> Result<Option<organization::Model>, DbErr> {
    for (col, v) in [
        (organization::Column::Krs, &p.krs),
        (organization::Column::Nip, &p.nip),
    ] {
        if v.is_empty() {
            continue;
        }
        let found = organization::Entity::find()
            .filter(col.eq(v.clone()))
            .filter(organization::Column::Status.ne(organization::Status::Rejected))
            .all(db)
            .await?;
        if let Some(o) = found.into_iter().find(|o| Some(o.id) != except) {
            return Ok(Some(o));
        }
    }
    Ok(None)
}

/// An organisation's registration, profile change or claim in the moderation queue: approval
/// publishes the profile (or makes the claimant an owner).
pub struct OrganizationSubject;

#[async_trait::async_trait]
impl crate::moderation::model::Subject for OrganizationSubject {
    fn subject_type(&self) -> &'static str {
        crate::moderation::model::SUBJECT_ORGANIZATION
    }

    /// An approved profile or claim changes the directory: this instance's index is rebuilt
    /// before the official gets the answer (searches keep the previous snapshot meanwhile).
    async fn decided(&self, state: &wspolnie_web::AppState) {
        if let Some(index) = state.parts.get::<crate::directory::index::DirectoryIndex>()
            && let Err(e) = index.refresh(state).await
        {
            tracing::warn!(error = %e, "directory index refresh after a decision failed");
        }
    }

    async fn decide(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        rev: &crate::moderation::entity::revision::Model,
        decision: crate::moderation::model::Decision,
    ) -> Result<crate::moderation::model::Outcome, crate::moderation::model::DecideError> {
        use crate::moderation::model::{DecideError, Decision, KIND_CLAIM, KIND_CREATE, KIND_UPDATE, Outcome};
            use wspolnie_platform::entity::organization_member;
        let now = Utc::now();
        let org = organization::Entity::find_by_id(rev.subject_id)
            .one(txn)
            .await?
            .ok_or(DecideError::NotFound)?;
        let mut title = org.name.clone();
        match (rev.kind.as_str(), decision) {
            (KIND_CREATE | KIND_UPDATE, Decision::Approve) => {
                let profile: Profile = serde_json::from_str(&rev.data).unwrap_or_default();
                if !profile.name.is_empty() {
                    title = profile.name.clone();
                }
                crate::directory::model::apply(txn, org, &profile, rev.number).await?;
            }
            (KIND_CREATE, Decision::Reject) => {
                crate::lifecycle::check(
                    "organisation",
                    org.status,
                    organization::Status::Rejected,
                    organization::allowed,
                )
                .map_err(sea_orm::DbErr::from)?;
                let mut a: organization::ActiveModel = org.into();
                a.status = Set(organization::Status::Rejected);
                a.updated_at = Set(now);
                a.update(txn).await?;
            }
            (KIND_CLAIM, Decision::Approve) => {
                if let Some(user_id) = rev.submitted_by {
                    let existing = organization_member::Entity::find_by_id((org.id, user_id))
                        .one(txn)
                        .await?;
                    match existing {
                        Some(m) if m.role == "owner" => {}
                        Some(m) => {
                            let mut a: organization_member::ActiveModel = m.into();
                            a.role = Set("owner".into());
                            a.update(txn).await?;
                        }
                        None => {
                            organization_member::Entity::insert(organization_member::ActiveModel {
                                organization_id: Set(org.id),
                                user_id: Set(user_id),
                                role: Set("owner".into()),
                                created_at: Set(now),
                            })
                            .exec_without_returning(txn)
                            .await?;
                        }
                    }
                }
            }
            _ => {}
        }
        let link = match (rev.kind.as_str(), decision) {
            (KIND_CLAIM, _) | (_, Decision::Approve) => "/panel/organizacje".to_owned(),
            _ => format!("/panel/organizacje/{}/profil", rev.subject_id),
        };
        Ok(Outcome { title, link })
    }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn valid() -> Profile {
            Profile {
                name: "  Stowarzyszenie   „Łąka”  ".into(),
                short_description: "Prowadzimy zajęcia przyrodnicze dla dzieci z Zatorza i sprzątamy brzegi rzeki razem z mieszkańcami.".into(),
                legal_form: "stowarzyszenie".into(),
                krs: "12345".into(),
                nip: "123-456-32-18".into(),
                regon: "".into(),
                is_opp: true,
                email: " Kontakt@Laka.example.org ".into(),
                phone: "600 100 200".into(),
                website: "laka.example.org".into(),
                social_links: vec!["facebook.com/laka".into(), "".into()],
                street: "ul. Polna 1".into(),
                postal_code: "12345".into(),
                city: "Wierzbin".into(),
                district: "Zatorze".into(),
                leading_spheres: vec!["16".into(), "16".into()],
                other_spheres: vec!["16".into(), "5".into()],
                target_groups: vec!["dzieci".into()],
                contacts: vec![Contact::default()],
                logo_key: String::new(),
                logo_alt: String::new(),
            }
        }

        fn codes() -> (Vec<String>, Vec<String>) {
            (
                (1..=33).map(|i| i.to_string()).collect(),
                vec!["dzieci".into(), "seniorzy".into()],
            )
        }

        #[test]
        fn normalises_a_valid_profile() {
            let (s, g) = codes();
            let mut p = valid();
            let e = p.validate(Strictness::Form, &s, &g);
            assert!(e.is_empty(), "{e:?}");
            assert_eq!(p.name, "Stowarzyszenie „Łąka”");
            assert_eq!(p.krs, "0000012345");
            assert_eq!(p.nip, "1234563218");
            assert_eq!(p.email, "kontakt@laka.example.org");
            assert_eq!(p.website, "https://laka.example.org");
            assert_eq!(p.social_links, vec!["https://facebook.com/laka"]);
            assert_eq!(p.postal_code, "12-345");
            assert_eq!(p.leading_spheres, vec!["16"]);
            assert_eq!(p.other_spheres, vec!["5"]);
            assert!(p.contacts.is_empty());
        }

        #[test]
        fn reports_each_bad_field() {
            let (s, g) = codes();
            let mut p = valid();
            p.nip = "1234563219".into();
            p.regon = "12345678".into();
            p.krs = "12a".into();
            p.website = "javascript:alert(1)".into();
            p.phone = "12".into();
            p.email = "nie-mail".into();
            p.short_description = "Za krótko.".into();
            p.leading_spheres = vec!["1".into(), "2".into(), "3".into(), "4".into()];
            p.target_groups = vec!["kosmici".into()];
            p.contacts = vec![Contact {
                name: "".into(),
                role: "".into(),
                email: "zly@".into(),
                phone: "".into(),
            }];
            p.logo_key = "logos/x.png".into();
            let e = p.validate(Strictness::Form, &s, &g);
            for field in [
                "nip",
                "regon",
                "krs",
                "website",
                "phone",
                "email",
                "short_description",
                "leading_spheres",
                "target_groups",
                "contact_1_name",
                "contact_1_email",
                "logo_alt",
            ] {
                assert!(e.contains_key(field), "{field} not reported: {e:?}");
            }
            assert_eq!(e["nip"], "error-nip");
        }

        #[test]
        fn import_is_lenient_about_description_and_spheres_only() {
            let (s, g) = codes();
            let mut p = valid();
            p.short_description = String::new();
            p.leading_spheres.clear();
            p.other_spheres.clear();
            assert!(p.validate(Strictness::Import, &s, &g).is_empty());
            p.is_opp = true;
            p.krs.clear();
            let e = p.validate(Strictness::Import, &s, &g);
            assert_eq!(e.get("krs"), Some(&"error-opp-needs-krs"));
    }
}
