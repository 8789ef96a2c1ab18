//! Demo data: a fictional town, Wierzbin, with its NGOs, news and events. Deterministic: the same
//! seed and the same anchor day give the same rows (dates are placed relative to the anchor so the
//! calendar always has upcoming events).

use crate::news::entity::article;

use crate::calendar::entity::event;

use crate::calendar::entity::event_sphere;

use crate::calendar::entity::event_target_group;

use crate::directory::entity::organization;

use crate::directory::entity::organization_sphere;

use crate::directory::entity::organization_target_group;

use wspolnie_platform::entity::sphere;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder, TransactionTrait};
use wspolnie_core::recurrence::{Freq, Recurrence, last_end};
use wspolnie_core::text::{fold_pl, pl_sort_key, search_text, slugify};
use wspolnie_platform::entity::target_group;
use wspolnie_platform::settings;

/// SplitMix64: tiny, fast and stable across crate versions, so demo data never drifts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
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

const NEWS: &[(&str, &str)] = &[
    (
        "Nabór do Rady Działalności Pożytku Publicznego",
        "Organizacje mogą zgłaszać kandydatów do Rady Działalności Pożytku Publicznego Miasta Wierzbin do końca miesiąca.",
    ),
    (
        "Konsultacje programu współpracy na przyszły rok",
        "Zapraszamy organizacje do zgłaszania uwag do projektu rocznego programu współpracy. Spotkanie konsultacyjne odbędzie się w Sali Sesyjnej.",
    ),
    (
        "Otwarty konkurs ofert: wypoczynek dzieci i młodzieży",
        "Burmistrz ogłasza otwarty konkurs ofert na organizację wypoczynku letniego. Pula środków: 120 000 zł.",
    ),
    (
        "Szkolenie: jak napisać dobrą notę prasową?",
        "Centrum Organizacji Pozarządowych zaprasza na bezpłatne szkolenie z przygotowywania informacji prasowych i krótkich notatek o projektach.",
    ),
    (
        "Dożynki miejskie – szukamy partnerów",
        "Miasto planuje Dożynki na Łąkach. Organizacje, które chcą poprowadzić stoisko lub warsztaty, prosimy o zgłoszenia.",
    ),
    (
        "Sprawozdania z realizacji zadań publicznych – przypomnienie",
        "Przypominamy, że sprawozdanie końcowe składa się w terminie 30 dni od zakończenia zadania.",
    ),
    (
        "Nowa sala w Centrum Organizacji Pozarządowych",
        "Organizacje mogą bezpłatnie rezerwować nową salę warsztatową z rzutnikiem i tablicą interaktywną.",
    ),
    (
        "1,5% podatku dla organizacji z Wierzbina",
        "Publikujemy listę organizacji pożytku publicznego z naszego miasta, którym można przekazać 1,5% podatku.",
    ),
    (
        "Forum Inicjatyw Pozarządowych – podsumowanie",
        "Ponad czterdzieści organizacji zaprezentowało swoje działania na Rynku. Dziękujemy za wspólne świętowanie!",
    ),
    (
        "Małe granty – nowe limity od 1 września",
        "Zmieniły się limity dotacji w trybie pozakonkursowym. Szczegóły i wzory dokumentów w zakładce Dokumenty.",
    ),
    (
        "Weryfikacja adresów e-mail organizacji",
        "Prosimy organizacje o potwierdzenie aktualnego adresu e-mail – dzięki temu zaproszenia na spotkania dotrą na czas.",
    ),
    (
        "Świąteczna zbiórka żywności",
        "Organizacje charytatywne wspólnie z miastem zbierają żywność dla potrzebujących rodzin. Punkty zbiórki w szkołach i urzędzie.",
    ),
];

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

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub seed: u64,
    pub anchor: NaiveDate,
    pub organizations: usize,
}

impl DemoOptions {
    pub fn new(seed: u64) -> Self {
        DemoOptions {
            seed,
            anchor: Utc::now().date_naive(),
            organizations: 120,
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub organizations: usize,
    pub articles: usize,
    pub events: usize,
}

/// True when the database holds no content yet (only then does `serve --demo` load demo data).
pub async fn is_empty<C: ConnectionTrait>(db: &C) -> Result<bool, sea_orm::DbErr> {
    Ok(organization::Entity::find().one(db).await?.is_none()
        && article::Entity::find().one(db).await?.is_none())
}

/// Loads the demo data in one transaction.
pub async fn load(
    db: &sea_orm::DatabaseConnection,
    opts: DemoOptions,
) -> anyhow::Result<DemoSummary> {
    let txn = db.begin().await?;
    let mut rng = Rng(opts.seed);
    let mut summary = DemoSummary::default();
    let base = Utc.from_utc_datetime(&opts.anchor.and_hms_opt(8, 0, 0).unwrap_or_default());

    settings::set(&txn, "site.city_name", "Wierzbin").await?;
    settings::set(&txn, "site.office_name", "Urząd Miejski w Wierzbinie").await?;
    settings::set(&txn, "site.address", "ul. Rynek 1, 12-345 Wierzbin").await?;
    settings::set(&txn, "site.phone", "+48 85 000 12 34").await?;
    settings::set(&txn, "site.email", "ngo@wierzbin.example").await?;
    settings::set(
        &txn,
        "site.email_footer",
        "Urząd Miejski w Wierzbinie · Pełnomocnik ds. współpracy z organizacjami pozarządowymi · Zakładka „Organizacje pozarządowe (NGO)” na stronie miasta: kalendarz wydarzeń, baza organizacji, konkursy.",
    )
    .await?;

    insert_office_contacts(&txn).await?;

    let spheres = sphere::Entity::find()
        .order_by_asc(sphere::Column::Position)
        .all(&txn)
        .await?;
    let sphere_id = |code: &str| spheres.iter().find(|s| s.code == code).map(|s| s.id);
    let groups = target_group::Entity::find().all(&txn).await?;
    let group_id = |code: &str| groups.iter().find(|g| g.code == code).map(|g| g.id);

    let mut used_slugs = std::collections::HashSet::new();
    let mut org_ids = Vec::new();
    for i in 0..opts.organizations {
        let (form_code, prefix) = *rng.pick(FORMS);
        let (theme, codes, description) = *rng.pick(THEMES);
        let district = *rng.pick(DISTRICTS);
        let mut name = format!("{prefix} {theme}");
        if used_slugs.contains(&slugify(&name)) {
            name = format!("{name} – {district}");
        }
        let mut slug = slugify(&name);
        if used_slugs.contains(&slug) {
            slug = format!("{slug}-{}", i + 1);
        }
        used_slugs.insert(slug.clone());
        let krs = format!("{:010}", 100_000 + rng.below(900_000));
        let created = base - Duration::days(30 + rng.below(2000) as i64);
        let is_opp = rng.chance(35);
        let street = format!("{} {}", rng.pick(STREETS), 1 + rng.below(60));
        let website = if rng.chance(70) {
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
        let phone = if rng.chance(80) {
            Some(format!(
                "+48 {} {:03} {:02} {:02}",
                500 + rng.below(300),
                rng.below(1000),
                rng.below(100),
                rng.below(100)
            ))
        } else {
            None
        };
        let (confirmed, asked) = match rng.below(100) {
            0..=5 => (
                base - Duration::days(600 + rng.below(300) as i64),
                Some(base - Duration::days(20 + rng.below(40) as i64)),
            ),
            6..=11 => (
                base - Duration::days(370 + rng.below(100) as i64),
                Some(base - Duration::days(5 + rng.below(10) as i64)),
            ),
            _ => (base - Duration::days(rng.below(330) as i64), None),
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
            status: Set("published".into()),
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
            .exec(&txn)
            .await?
            .last_insert_id;
        for (n, code) in codes.iter().enumerate() {
            if let Some(sid) = sphere_id(code) {
                organization_sphere::Entity::insert(organization_sphere::ActiveModel {
                    organization_id: Set(id),
                    sphere_id: Set(sid),
                    is_leading: Set(n == 0),
                })
                .exec_without_returning(&txn)
                .await?;
            }
        }
        for code in target_groups_for(codes[0]) {
            if let Some(gid) = group_id(code) {
                organization_target_group::Entity::insert(organization_target_group::ActiveModel {
                    organization_id: Set(id),
                    target_group_id: Set(gid),
                })
                .exec_without_returning(&txn)
                .await?;
            }
        }
        org_ids.push((id, name, codes));
        summary.organizations += 1;
    }

    for (i, (title, lead)) in NEWS.iter().enumerate() {
        let published = base
            - Duration::days((i as i64) * 4 + rng.below(3) as i64)
            - Duration::hours(rng.below(6) as i64);
        let body = format!(
            "{lead}\n\n## Szczegóły\n\nWięcej informacji udziela Pełnomocnik Burmistrza ds. współpracy z organizacjami pozarządowymi, pokój 215, tel. 85 000 12 34.\n\n- termin zgłoszeń: {}\n- kontakt: ngo@wierzbin.example\n",
            (published + Duration::days(21)).format("%d.%m.%Y")
        );
        let m = article::ActiveModel {
            slug: Set(slugify(title)),
            title: Set((*title).to_owned()),
            lead: Set((*lead).to_owned()),
            body_md: Set(body),
            organization_id: Set(None),
            status: Set(crate::moderation::lifecycle::Publication::Published),
            search_text: Set(search_text(&[title, lead])),
            published_at: Set(Some(published)),
            created_at: Set(published),
            updated_at: Set(published),
            ..Default::default()
        };
        article::Entity::insert(m)
            .exec_without_returning(&txn)
            .await?;
        summary.articles += 1;
    }

    for i in 0..80usize {
        let (category, kind, desc) = *rng.pick(EVENT_KINDS);
        let (org_id, org_name, codes) = org_ids[rng.below(org_ids.len())].clone();
        let day_offset = rng.below(120) as i64 - 30;
        let hour = 9 + rng.below(10) as i64;
        let starts = base + Duration::days(day_offset) + Duration::hours(hour - 8);
        let ends = starts + Duration::hours(1 + rng.below(4) as i64);
        let title = format!("{kind}: {}", short_org(&org_name));
        let slug = format!("{}-{}", slugify(&title), i + 1);
        let online = rng.chance(15);
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
                Some((*rng.pick(PLACES)).to_owned())
            }),
            online_url: Set(if online {
                Some("https://spotkanie.example.org/ngo".into())
            } else {
                None
            }),
            organization_id: Set(Some(org_id)),
            is_free: Set(rng.chance(85)),
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
        let event_id = event::Entity::insert(m).exec(&txn).await?.last_insert_id;
        if let Some(sid) = sphere_id(codes[0]) {
            event_sphere::Entity::insert(event_sphere::ActiveModel {
                event_id: Set(event_id),
                sphere_id: Set(sid),
            })
            .exec_without_returning(&txn)
            .await?;
        }
        if let Some(gid) = target_groups_for(codes[0])
            .first()
            .and_then(|c| group_id(c))
        {
            event_target_group::Entity::insert(event_target_group::ActiveModel {
                event_id: Set(event_id),
                target_group_id: Set(gid),
            })
            .exec_without_returning(&txn)
            .await?;
        }
        summary.events += 1;
    }
    insert_partner_activities(&txn, base).await?;
    insert_meeting(&txn, base).await?;
    crate::directory::model::touch(&txn).await?;
    txn.commit().await?;
    Ok(summary)
}

/// Target groups that fit an organisation's leading sphere.
fn target_groups_for(sphere: &str) -> &'static [&'static str] {
    match sphere {
        "1" | "1a" | "31" => &["rodziny", "wykluczeni"],
        "7" => &["niepelnosprawni", "rodziny"],
        "10" => &["seniorzy"],
        "15" | "14" => &["dzieci", "mlodziez"],
        "17" => &["mlodziez", "mieszkancy"],
        "18" => &["zwierzeta", "mieszkancy"],
        "5a" | "5" => &["cudzoziemcy"],
        "8" | "11" | "34" => &["bezrobotni", "kobiety"],
        "27" | "33" => &["organizacje"],
        "32" | "6" => &["mlodziez", "wykluczeni"],
        _ => &["mieszkancy"],
    }
}

fn short_org(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() <= 5 {
        name.to_owned()
    } else {
        words[..5].join(" ") + "…"
    }
}

/// Contacts of the fictional Urząd Miejski w Wierzbinie: (topic, name, role, department, room,
/// phone, e-mail, handles media requests).
type ContactRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
);

const OFFICE_CONTACTS: &[ContactRow] = &[
    (
        "Współpraca z organizacjami pozarządowymi, sprawy ogólne",
        "Anna Wiśniewska",
        "Pełnomocnik ds. współpracy z organizacjami pozarządowymi",
        "Biuro Burmistrza",
        "12",
        "+48 85 000 12 40",
        "pelnomocnik.ngo@wierzbin.example",
        false,
    ),
    (
        "Dotacje i otwarte konkursy ofert, sprawozdania z dotacji",
        "Tomasz Kowalczyk",
        "inspektor",
        "Wydział Spraw Społecznych",
        "14",
        "+48 85 000 12 41",
        "dotacje@wierzbin.example",
        false,
    ),
    (
        "Rezerwacja sal w Centrum Organizacji Pozarządowych",
        "Magdalena Zielińska",
        "koordynatorka Centrum Organizacji Pozarządowych",
        "Centrum Organizacji Pozarządowych, ul. Lipowa 5",
        "parter",
        "+48 85 000 12 55",
        "centrum.ngo@wierzbin.example",
        false,
    ),
    (
        "Promocja działań organizacji, media lokalne, patronaty medialne",
        "Piotr Lewandowski",
        "rzecznik prasowy",
        "Wydział Promocji i Komunikacji",
        "21",
        "+48 85 000 12 60",
        "promocja@wierzbin.example",
        true,
    ),
    (
        "Konsultacje społeczne, program współpracy, rada działalności pożytku publicznego",
        "Katarzyna Dąbrowska",
        "podinspektor",
        "Wydział Spraw Społecznych",
        "15",
        "+48 85 000 12 42",
        "konsultacje@wierzbin.example",
        false,
    ),
    (
        "Sport i rekreacja, kluby sportowe, imprezy plenerowe",
        "Marek Wójcik",
        "inspektor ds. sportu",
        "Wydział Edukacji, Kultury i Sportu",
        "31",
        "+48 85 000 12 70",
        "sport@wierzbin.example",
        false,
    ),
    (
        "Kultura, dożynki i wydarzenia miejskie współorganizowane z organizacjami",
        "Ewa Kamińska",
        "specjalistka ds. kultury",
        "Wydział Edukacji, Kultury i Sportu",
        "32",
        "+48 85 000 12 71",
        "kultura@wierzbin.example",
        false,
    ),
];

async fn insert_office_contacts<C: ConnectionTrait>(db: &C) -> Result<(), sea_orm::DbErr> {
    use crate::pages::entity::office_contact;
    let now = Utc::now();
    for (i, c) in OFFICE_CONTACTS.iter().enumerate() {
        office_contact::Entity::insert(office_contact::ActiveModel {
            topic: Set(c.0.into()),
            name: Set(c.1.into()),
            role: Set(c.2.into()),
            department: Set(c.3.into()),
            room: Set(c.4.into()),
            phone: Set(c.5.into()),
            email: Set(c.6.into()),
            handles_media: Set(c.7),
            position: Set((i as i32 + 1) * 10),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// A meeting of the office with organisations two weeks ahead (seed 000 pt 3), invitations sent
/// to the first twelve published organisations, some of which have answered. No e-mail is sent.
async fn insert_meeting(
    db: &sea_orm::DatabaseTransaction,
    base: chrono::DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    use crate::meetings::entity::meeting;
    use crate::meetings::entity::meeting_invitation;
    use sea_orm::{ActiveModelTrait, ColumnTrait, IntoActiveModel, QueryFilter, QuerySelect};
    let starts = base + Duration::days(14) + Duration::hours(8);
    let invited_at = base - Duration::days(3);
    let m = meeting::ActiveModel {
        slug: Set("forum-organizacji-pozarzadowych".into()),
        title: Set("Forum Organizacji Pozarządowych Wierzbina".into()),
        agenda_md: Set("1. Otwarcie i przedstawienie uczestników\n2. Projekt programu współpracy na przyszły rok – konsultacje\n3. Kalendarz otwartych konkursów ofert\n4. Wolne wnioski".into()),
        place: Set(Some("Urząd Miejski w Wierzbinie, sala sesyjna (parter, wejście bez progów)".into())),
        online_url: Set(None),
        starts_at: Set(starts),
        ends_at: Set(starts + Duration::hours(2)),
        capacity: Set(Some(40)),
        max_party: Set(2),
        seats_taken: Set(0),
        audience: Set(r#"{"organizations":true}"#.into()),
        lang: Set("pl".into()),
        status: Set(crate::meetings::model::Status::Invited),
        invited_at: Set(Some(invited_at)),
        invite_reason: Set(None),
        sequence: Set(0),
        minutes_md: Set(String::new()),
        minutes_published_at: Set(None),
        event_id: Set(None),
        created_by: Set(None),
        created_at: Set(invited_at),
        updated_at: Set(invited_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let orgs = organization::Entity::find()
        .filter(organization::Column::Status.eq("published"))
        .filter(organization::Column::Email.is_not_null())
        .order_by_asc(organization::Column::Id)
        .limit(12)
        .all(db)
        .await?;
    let mut seats = 0;
    let mut seen = std::collections::HashSet::new();
    let orgs: Vec<_> = orgs
        .into_iter()
        .filter(|o| seen.insert(o.email.clone().unwrap_or_default().to_lowercase()))
        .collect();
    for (n, o) in orgs.iter().enumerate() {
        let (status, party) = match n % 4 {
            0 | 1 => (
                crate::meetings::model::InvitationStatus::Attending,
                1 + (n % 2) as i32,
            ),
            2 => (crate::meetings::model::InvitationStatus::Declined, 1),
            _ => (crate::meetings::model::InvitationStatus::Invited, 1),
        };
        if status == crate::meetings::model::InvitationStatus::Attending {
            seats += party;
        }
        let answered = status != crate::meetings::model::InvitationStatus::Invited;
        meeting_invitation::ActiveModel {
            meeting_id: Set(m.id),
            email: Set(o.email.clone().unwrap_or_default().to_lowercase()),
            lang: Set("pl".into()),
            source: Set("organization".into()),
            organization_id: Set(Some(o.id)),
            status: Set(status),
            party_size: Set(party),
            comment: Set(String::new()),
            responded_at: Set(answered.then(|| invited_at + Duration::hours(5 + n as i64))),
            waitlisted_at: Set(None),
            created_at: Set(invited_at),
            updated_at: Set(invited_at),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let mut a = m.into_active_model();
    a.seats_taken = Set(seats);
    let m = a.update(db).await?;
    crate::meetings::model::sync_event(db, &m, "").await
}

/// City activities open to NGO partners (seed 000 pt 5), announced months ahead.
async fn insert_partner_activities<C: ConnectionTrait>(
    db: &C,
    base: chrono::DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    use crate::partners::entity::partner_activity;
    let items: [(&str, &str, &str, i64, &str); 3] = [
        (
            "dozynki-miejskie",
            "Dożynki Miejskie w Wierzbinie",
            "Święto plonów na Rynku i w Parku Miejskim: korowód, wieniec dożynkowy, koncerty i stoiska. Zapraszamy organizacje, które chcą pokazać swoją działalność mieszkańcom.",
            75,
            "stoiska organizacji z rękodziełem i poczęstunkiem\nwarsztaty i zabawy dla dzieci\nwolontariusze do obsługi punktu informacyjnego",
        ),
        (
            "dzien-dziecka-w-parku",
            "Dzień Dziecka w Parku Miejskim",
            "Rodzinny piknik z okazji Dnia Dziecka. Urząd zapewnia scenę, nagłośnienie i namioty.",
            40,
            "animacje i gry dla dzieci w różnym wieku\npokazy (straż, ratownictwo, sport)\nopieka nad strefą malucha",
        ),
        (
            "bieg-niepodleglosci",
            "Bieg Niepodległości",
            "Bieg uliczny na 5 i 10 km oraz marsz nordic walking ulicami Wierzbina.",
            110,
            "wolontariusze na punkty z wodą\nzabezpieczenie medyczne\nkibicowanie i oprawa muzyczna na trasie",
        ),
    ];
    for (slug, title, description, days, help) in items {
        let starts = base + Duration::days(days) + Duration::hours(3);
        partner_activity::Entity::insert(partner_activity::ActiveModel {
            slug: Set(slug.into()),
            title: Set(title.into()),
            description_md: Set(description.into()),
            help_sought: Set(help.into()),
            starts_at: Set(starts),
            ends_at: Set(None),
            place: Set("Rynek i Park Miejski w Wierzbinie".into()),
            contact_name: Set("Ewa Kamińska, Wydział Edukacji, Kultury i Sportu".into()),
            contact_email: Set("kultura@wierzbin.example".into()),
            contact_phone: Set("+48 85 000 12 71".into()),
            interest_until: Set(Some(starts - Duration::days(21))),
            status: Set("published".into()),
            created_by: Set(None),
            created_at: Set(base - Duration::days(10)),
            updated_at: Set(base - Duration::days(10)),
            published_at: Set(Some(base - Duration::days(10))),
            ..Default::default()
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}
