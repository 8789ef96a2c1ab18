//! Demo data of the calendar: 80 events of the demo organisations, advisory duty hours repeating weekly.

use crate::calendar::entity::{event, event_sphere, event_target_group};
use crate::demo::target_groups_for;
use chrono::Duration;
use sea_orm::{ActiveValue::Set, EntityTrait};
use wspolnie_core::recurrence::{Freq, Recurrence, last_end};
use wspolnie_core::text::{search_text, slugify};
use crate::demo::{DemoStep, Seed};

pub struct Demo;

#[async_trait::async_trait]
impl DemoStep for Demo {
    fn order(&self) -> u16 {
        30
    }

    async fn seed(&self, s: &mut Seed<'_>) -> anyhow::Result<()> {
    for i in 0..80usize {
        let (category, kind, desc) = *s.rng.pick(EVENT_KINDS);
        let pick = s.rng.below(s.organizations.len());
        let (org_id, org_name, short_name, codes) = {
            let o = &s.organizations[pick];
            (o.id, o.name.clone(), o.short_name.clone(), o.spheres)
        };
        let day_offset = s.rng.below(120) as i64 - 30;
        let hour = 9 + s.rng.below(10) as i64;
        let starts = s.base + Duration::days(day_offset) + Duration::hours(hour - 8);
        let ends = starts + Duration::hours(1 + s.rng.below(4) as i64);
        // A whole title (issue 16: never cut with "…"); it fits `TITLE_MAX`.
        let title = format!("{kind}: {short_name}");
        let slug = format!("{}-{}", slugify(&title), i + 1);
        let online = s.rng.chance(15);
        // Advisory duty hours repeat weekly for three months.
        let rule = (kind == "Dyżur doradczy").then(|| Recurrence {
            freq: Freq::Weekly,
            interval: 1,
            until: (starts + Duration::days(90))
                .with_timezone(&wspolnie_core::time::TZ)
                .date_naive(),
        });
        let m = event::ActiveModel {
            slug: Set(slug),
            title: Set(title.clone()),
            description_md: Set(format!("{desc}\n\nOrganizator: {org_name}.")),
            starts_at: Set(starts),
            ends_at: Set(ends),
            tz: Set("Europe/Warsaw".into()),
            place: Set(if online {
                None
            } else {
                Some((*s.rng.pick(PLACES)).to_owned())
            }),
            online_url: Set(if online {
                Some("https://spotkanie.example.org/ngo".into())
            } else {
                None
            }),
            organization_id: Set(Some(org_id)),
            is_free: Set(s.rng.chance(85)),
            status: Set(crate::moderation::lifecycle::Publication::Published),
            search_text: Set(search_text(&[&title, desc, &org_name])),
            created_at: Set(starts - Duration::days(20)),
            updated_at: Set(starts - Duration::days(20)),
            category: Set(category.to_owned()),
            rrule: Set(rule.map(|r| r.to_stored())),
            last_ends_at: Set(Some(last_end(starts, ends, rule.as_ref()))),
            published_at: Set(Some(starts - Duration::days(20))),
            price_info: Set(String::new()),
            poster_alt: Set(String::new()),
            version: Set(0),
            ..Default::default()
        };
        let event_id = event::Entity::insert(m).exec(s.txn).await?.last_insert_id;
        if let Some(sid) = s.sphere_id(codes[0]) {
            event_sphere::Entity::insert(event_sphere::ActiveModel {
                event_id: Set(event_id),
                sphere_id: Set(sid),
            })
            .exec_without_returning(s.txn)
            .await?;
        }
        if let Some(gid) = target_groups_for(codes[0])
            .first()
            .and_then(|c| s.group_id(c))
        {
            event_target_group::Entity::insert(event_target_group::ActiveModel {
                event_id: Set(event_id),
                target_group_id: Set(gid),
            })
            .exec_without_returning(s.txn)
            .await?;
        }
        s.summary.events += 1;
    }
        Ok(())
    }
}

/// (category code, title prefix, description).
const EVENT_KINDS: &[(&str, &str, &str)] = &[
    (
        "warsztaty",
        "Warsztaty",
        "Bezpłatne warsztaty dla mieszkańców. Liczba miejsc ograniczona, prosimy o wcześniejsze zgłoszenia.",
    ),
    (
        "spotkanie",
        "Spotkanie informacyjne",
        "Opowiemy o naszych planach i zaprosimy do współpracy nowych wolontariuszy.",
    ),
    (
        "festyn",
        "Festyn rodzinny",
        "Zabawy dla dzieci, stoiska organizacji, koncert i poczęstunek. Wstęp wolny.",
    ),
    (
        "szkolenie",
        "Szkolenie",
        "Szkolenie prowadzone przez doświadczonych trenerów. Uczestnicy otrzymają zaświadczenia.",
    ),
    (
        "koncert",
        "Koncert",
        "Wieczór muzyki w wykonaniu lokalnych zespołów i chórów.",
    ),
    (
        "inne",
        "Spacer historyczny",
        "Zbiórka przy fontannie na Rynku. Spacer potrwa około dwóch godzin.",
    ),
    (
        "spotkanie",
        "Dyżur doradczy",
        "Indywidualne konsultacje – prosimy o zapisy telefoniczne.",
    ),
    (
        "wolontariat",
        "Zbiórka charytatywna",
        "Zbieramy żywność, środki czystości i przybory szkolne.",
    ),
];

const PLACES: &[&str] = &[
    "Centrum Organizacji Pozarządowych, ul. Źródlana 5",
    "Miejski Ośrodek Kultury, pl. Wolności 2",
    "Sala Sesyjna Urzędu Miejskiego, ul. Rynek 1",
    "Park Miejski im. Żwirki i Wigury",
    "Świetlica wiejska w Łąkach",
    "Biblioteka Publiczna, ul. Długa 14",
];
