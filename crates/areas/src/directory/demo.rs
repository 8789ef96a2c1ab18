//! Demo data of the directory: 120 organisations of Wierzbin with spheres and target groups.

use crate::demo::{DemoOrg, target_groups_for};
use crate::directory::entity::{organization, organization_sphere, organization_target_group};
use chrono::Duration;
use sea_orm::{ActiveValue::Set, EntityTrait};
use wspolnie_core::text::{fold_pl, pl_sort_key, search_text, slugify};
use crate::demo::{DemoStep, Seed};

pub struct Demo;

#[async_trait::async_trait]
impl DemoStep for Demo {
    fn order(&self) -> u16 {
        10
    }

    async fn has_content(&self, db: &sea_orm::DatabaseTransaction) -> Result<bool, sea_orm::DbErr> {
        use sea_orm::EntityTrait;
        Ok(organization::Entity::find().one(db).await?.is_some())
    }

    async fn seed(&self, s: &mut Seed<'_>) -> anyhow::Result<()> {
    let mut used_slugs = std::collections::HashSet::new();
    for i in 0..s.opts.organizations {
        let (form_code, prefix) = *s.rng.pick(FORMS);
        let (theme, codes, description) = *s.rng.pick(THEMES);
        let district = *s.rng.pick(DISTRICTS);
        let mut name = format!("{prefix} {theme}");
        if used_slugs.contains(&slugify(&name)) {
            name = format!("{name} – {district}");
        }
        let mut slug = slugify(&name);
        if used_slugs.contains(&slug) {
            slug = format!("{slug}-{}", i + 1);
        }
        used_slugs.insert(slug.clone());
        let krs = format!("{:010}", 100_000 + s.rng.below(900_000));
        let created = s.base - Duration::days(30 + s.rng.below(2000) as i64);
        let is_opp = s.rng.chance(35);
        let street = format!("{} {}", s.rng.pick(STREETS), 1 + s.rng.below(60));
        let website = if s.rng.chance(70) {
            Some(format!(
                "https://{}.example.org",
                &slug[..slug.len().min(30)].trim_end_matches('-')
            ))
        } else {
            None
        };
        let email = Some(format!(
            "kontakt@{}.example.org",
            &slug[..slug.len().min(24)].trim_end_matches('-')
        ));
        let phone = if s.rng.chance(80) {
            Some(format!(
                "+48 {} {:03} {:02} {:02}",
                500 + s.rng.below(300),
                s.rng.below(1000),
                s.rng.below(100),
                s.rng.below(100)
            ))
        } else {
            None
        };
        let (confirmed, asked) = match s.rng.below(100) {
            0..=5 => (
                s.base - Duration::days(600 + s.rng.below(300) as i64),
                Some(s.base - Duration::days(20 + s.rng.below(40) as i64)),
            ),
            6..=11 => (
                s.base - Duration::days(370 + s.rng.below(100) as i64),
                Some(s.base - Duration::days(5 + s.rng.below(10) as i64)),
            ),
            _ => (s.base - Duration::days(s.rng.below(330) as i64), None),
        };
        let m = organization::ActiveModel {
            slug: Set(slug.clone()),
            name: Set(name.clone()),
            name_fold: Set(fold_pl(&name)),
            name_sort: Set(pl_sort_key(&name)),
            short_description: Set(description.to_owned()),
            legal_form: Set(form_code.to_owned()),
            krs: Set(Some(krs)),
            nip: Set(None),
            regon: Set(None),
            is_opp: Set(is_opp),
            email: Set(email),
            phone: Set(phone),
            website: Set(website),
            street: Set(street),
            postal_code: Set("12-345".into()),
            city: Set("Wierzbin".into()),
            district: Set(district.to_owned()),
            status: Set(organization::Status::Published),
            search_text: Set(search_text(&[&name, description, district])),
            created_at: Set(created),
            updated_at: Set(created),
            published_at: Set(Some(created)),
            // Most confirmed their data within the year; a few were asked and have not answered
            // yet, and a few have not confirmed for so long that the profile shows as stale.
            confirmed_at: Set(Some(confirmed)),
            confirmation_sent_at: Set(asked),
            ..Default::default()
        };
        let id = organization::Entity::insert(m)
            .exec(s.txn)
            .await?
            .last_insert_id;
        for (n, code) in codes.iter().enumerate() {
            if let Some(sid) = s.sphere_id(code) {
                organization_sphere::Entity::insert(organization_sphere::ActiveModel {
                    organization_id: Set(id),
                    sphere_id: Set(sid),
                    is_leading: Set(n == 0),
                })
                .exec_without_returning(s.txn)
                .await?;
            }
        }
        for code in target_groups_for(codes[0]) {
            if let Some(gid) = s.group_id(code) {
                organization_target_group::Entity::insert(organization_target_group::ActiveModel {
                    organization_id: Set(id),
                    target_group_id: Set(gid),
                })
                .exec_without_returning(s.txn)
                .await?;
            }
        }
        s.organizations.push(DemoOrg {
            id,
            name,
            spheres: codes,
        });
        s.summary.organizations += 1;
    }

        crate::directory::model::touch(s.txn).await?;
        Ok(())
    }
}

const DISTRICTS: &[&str] = &[
    "Stare Miasto",
    "Zatorze",
    "Łąki",
    "Osiedle Słoneczne",
    "Żabieniec",
    "Górki",
    "Nowy Świat",
    "Źródła",
];
const STREETS: &[&str] = &[
    "ul. Źródlana",
    "ul. Kościuszki",
    "ul. Żeromskiego",
    "pl. Wolności",
    "ul. Łąkowa",
    "ul. Ogrodowa",
    "ul. Śląska",
    "ul. Mickiewicza",
    "ul. Słowackiego",
    "ul. Długa",
    "ul. Wiśniowa",
    "ul. Żwirki i Wigury",
    "ul. Pułaskiego",
    "ul. Częstochowska",
    "al. Jana Pawła II",
    "ul. Ściegiennego",
];

/// (legal form code, name prefix) pairs.
const FORMS: &[(&str, &str)] = &[
    ("stowarzyszenie", "Stowarzyszenie"),
    ("fundacja", "Fundacja"),
    ("stowarzyszenie", "Towarzystwo"),
    ("klub-sportowy", "Uczniowski Klub Sportowy"),
    ("stowarzyszenie-zwykle", "Koło Gospodyń Wiejskich"),
    ("stowarzyszenie", "Związek"),
    ("stowarzyszenie", "Ochotnicza Straż Pożarna"),
    ("fundacja", "Fundacja Rozwoju"),
];

/// (theme used in the name, spheres codes, description).
const THEMES: &[(&str, &[&str], &str)] = &[
    (
        "Przyjaciół Ziemi Wierzbińskiej",
        &["16", "19", "4"],
        "Dbamy o pamięć lokalnej historii: wydajemy przewodniki, prowadzimy spacery po Starym Mieście i opiekujemy się zabytkowymi krzyżami przydrożnymi.",
    ),
    (
        "„Zielony Żabieniec”",
        &["18", "13"],
        "Sadzimy drzewa, zakładamy łąki kwietne i uczymy dzieci segregacji odpadów. Co wiosnę organizujemy wielkie sprzątanie doliny rzeki Wierzbinki.",
    ),
    (
        "Pomocy Osobom z Niepełnosprawnościami „Razem Łatwiej”",
        &["7", "6", "2"],
        "Prowadzimy świetlicę terapeutyczną, wypożyczalnię sprzętu rehabilitacyjnego i grupę wsparcia dla rodziców dzieci z niepełnosprawnościami.",
    ),
    (
        "Seniorów „Złota Jesień”",
        &["10", "16", "6"],
        "Klub seniora z zajęciami ruchowymi, kursem obsługi smartfona i chórem „Jarzębina”. Spotykamy się we wtorki i czwartki.",
    ),
    (
        "Miłośników Żeglarstwa „Szkwał”",
        &["17", "15"],
        "Szkolimy młodzież na patent żeglarski, organizujemy obozy na Mazurach i regaty o Puchar Burmistrza.",
    ),
    (
        "Edukacji Obywatelskiej „Źródło”",
        &["22", "14", "4"],
        "Uczymy młodzież, jak działa samorząd: prowadzimy Młodzieżową Radę Miasta, debaty przedwyborcze i warsztaty z budżetu obywatelskiego.",
    ),
    (
        "Pomocy Rodzinie „Przystań”",
        &["1", "1a", "31"],
        "Wspieramy rodziny w kryzysie: poradnictwo psychologiczne, pomoc prawna, paczki żywnościowe i świetlica dla dzieci.",
    ),
    (
        "Kultury Łemkowskiej",
        &["5", "16"],
        "Pielęgnujemy język i kulturę łemkowską: zespół pieśni i tańca, warsztaty pisania ikon i coroczna Watra.",
    ),
    (
        "Cudzoziemców „Dom bez Granic”",
        &["5a", "26", "1b"],
        "Pomagamy cudzoziemcom w urzędach, uczymy języka polskiego i prowadzimy kawiarenkę językową dla sąsiadów z Ukrainy i nie tylko.",
    ),
    (
        "Przeciwdziałania Uzależnieniom „Krok”",
        &["32", "6"],
        "Prowadzimy punkt konsultacyjny, grupy wsparcia i profilaktykę w szkołach. Dyżur telefoniczny codziennie od 16:00 do 20:00.",
    ),
    (
        "Biegaczy „Wierzbińska Dziesiątka”",
        &["17", "6"],
        "Organizujemy bieg uliczny na 10 km, treningi dla początkujących i rodzinne biegi z okazji Święta Niepodległości.",
    ),
    (
        "Przedsiębiorczości Kobiet",
        &["11", "9", "8"],
        "Mentoring dla kobiet zakładających firmy, warsztaty z księgowości i spotkania sieciujące w Inkubatorze Przedsiębiorczości.",
    ),
    (
        "Ochrony Zwierząt „Łapa”",
        &["18"],
        "Prowadzimy dom tymczasowy dla psów i kotów, akcje sterylizacji i adopcje. Szukamy wolontariuszy na spacery z psami.",
    ),
    (
        "Wolontariatu „Ręce do Pracy”",
        &["27", "13", "33"],
        "Łączymy wolontariuszy z organizacjami i instytucjami, prowadzimy szkolenia i co roku Galę Wolontariatu.",
    ),
    (
        "Historyczne „Cytadela”",
        &["4", "16", "29"],
        "Grupa rekonstrukcji historycznej. Opiekujemy się miejscami pamięci i spisujemy wspomnienia kombatantów.",
    ),
    (
        "Młodzieżowe „Kreatywni”",
        &["15", "14", "12"],
        "Pracownia robotyki i programowania dla młodzieży, letnie półkolonie naukowe i festiwal „Noc Wynalazców”.",
    ),
    (
        "Ratownictwa Wodnego",
        &["23", "20", "17"],
        "Zabezpieczamy kąpieliska i imprezy nad zalewem, uczymy pierwszej pomocy w szkołach i zakładach pracy.",
    ),
    (
        "Rozwoju Wsi Łąki",
        &["13", "32a", "11"],
        "Odnowiliśmy świetlicę wiejską, prowadzimy targ lokalnych produktów i festyn „Święto Chleba”.",
    ),
    (
        "Teatralne „Scena Ściegiennego”",
        &["16", "15"],
        "Amatorski teatr dla dzieci i dorosłych, przeglądy teatralne i warsztaty dramy w szkołach.",
    ),
    (
        "Praw Konsumenta i Porad Obywatelskich",
        &["25", "22a", "1b"],
        "Bezpłatne porady w sprawach reklamacji, umów i długów. Dyżury w Centrum Organizacji Pozarządowych.",
    ),
    (
        "Zdrowia Psychicznego „Równowaga”",
        &["6", "1"],
        "Grupy wsparcia, telefon zaufania dla młodzieży i kampania „Porozmawiajmy o emocjach” w szkołach średnich.",
    ),
    (
        "Ekonomii Społecznej „Spółdzielnia Smaku”",
        &["34", "2", "8"],
        "Prowadzimy spółdzielnię socjalną z kawiarnią i cateringiem, która zatrudnia osoby wracające na rynek pracy.",
    ),
];

