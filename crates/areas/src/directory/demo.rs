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
    let mut used_domains = std::collections::HashSet::new();
    for i in 0..s.opts.organizations {
        let form = *s.rng.pick(FORMS);
        let (theme, codes, description) = *s.rng.pick(THEMES);
        let district = *s.rng.pick(DISTRICTS);
        let (form_code, mut name, short_name) = compose(form, theme);
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
        // Each organisation its own domain (and so its own address): two names that begin
        // alike ("… „Cytadela”" and "… „Cytadela” – Stare Miasto") must not share a mailbox.
        let mut domain = slug[..slug.len().min(24)].trim_end_matches('-').to_owned();
        if used_domains.contains(&domain) {
            domain = format!("{domain}-{}", i + 1);
        }
        used_domains.insert(domain.clone());
        let website = if s.rng.chance(70) {
            Some(format!("https://{domain}.example.org"))
        } else {
            None
        };
        let email = Some(format!("kontakt@{domain}.example.org"));
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
            short_name,
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

/// The grammatical gender of a legal-form noun, which an adjective after it agrees with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Masculine,
    Feminine,
    Neuter,
}

use Gender::{Feminine, Masculine, Neuter};

/// A legal form as it opens a name: (legal form code, noun, its gender).
pub type Form = (&'static str, &'static str, Gender);

/// What a theme puts after the legal-form noun.
#[derive(Clone, Copy, Debug)]
pub enum Theme {
    /// A genitive phrase or a quoted name, the same after any noun: "Przyjaciół Ziemi…".
    Fixed(&'static str),
    /// An adjective in the masculine, feminine and neuter, then the rest of the name:
    /// "Teatralny" / "Teatralna" / "Teatralne" + " „Scena Ściegiennego”".
    Adjective([&'static str; 3], &'static str),
    /// A whole name with its own legal form (a sports club, a rural women's circle, a fire
    /// brigade), whatever form was drawn: (legal form code, name).
    Own(&'static str, &'static str),
}

/// Legal forms that open a name with a theme (drawn from the random stream: keep the count,
/// the same seed then gives the same organisations).
pub const FORMS: &[Form] = &[
    ("stowarzyszenie", "Stowarzyszenie", Neuter),
    ("fundacja", "Fundacja", Feminine),
    ("stowarzyszenie", "Towarzystwo", Neuter),
    ("stowarzyszenie", "Związek", Masculine),
    ("stowarzyszenie", "Stowarzyszenie", Neuter),
    ("fundacja", "Fundacja", Feminine),
    ("stowarzyszenie", "Klub", Masculine),
    ("fundacja", "Fundacja", Feminine),
];

/// Every noun that opens a demo name with its gender (the themes' own forms included), for
/// the agreement check.
pub const NOUNS: &[(&str, Gender)] = &[
    ("Uczniowski Klub Sportowy", Masculine),
    ("Koło Gospodyń Wiejskich", Neuter),
    ("Ochotnicza Straż Pożarna", Feminine),
    ("Stowarzyszenie", Neuter),
    ("Fundacja", Feminine),
    ("Towarzystwo", Neuter),
    ("Związek", Masculine),
    ("Klub", Masculine),
];

/// The organisation's legal form code, its name and a short name for event titles (the noun
/// with the quoted part, when there is one: "Stowarzyszenie „Razem Łatwiej”").
pub fn compose(form: Form, theme: Theme) -> (&'static str, String, String) {
    let (code, noun, gender) = form;
    let (code, name) = match theme {
        Theme::Fixed(rest) => (code, format!("{noun} {rest}")),
        Theme::Adjective(forms, rest) => {
            let adjective = match gender {
                Masculine => forms[0],
                Feminine => forms[1],
                Neuter => forms[2],
            };
            (code, format!("{noun} {adjective}{rest}"))
        }
        Theme::Own(code, name) => (code, name.to_owned()),
    };
    let short = match (name.find('„'), name.find('”')) {
        (Some(open), Some(close)) if open < close => {
            let head = NOUNS
                .iter()
                .find(|(n, _)| name.starts_with(n))
                .map_or(noun, |(n, _)| n);
            format!("{head} {}", &name[open..close + '”'.len_utf8()])
        }
        _ => name.clone(),
    };
    (code, name, short)
}

/// Adjective endings by gender (longest first), enough to tell the demo's adjectives from its
/// genitive words ("Pomocy", "Ratownictwa" are not adjectives).
const ENDINGS: &[(&str, Gender)] = &[
    ("alny", Masculine),
    ("alna", Feminine),
    ("alne", Neuter),
    ("yczny", Masculine),
    ("yczna", Feminine),
    ("yczne", Neuter),
    ("owy", Masculine),
    ("owa", Feminine),
    ("owe", Neuter),
    ("ski", Masculine),
    ("ska", Feminine),
    ("skie", Neuter),
    ("cki", Masculine),
    ("cka", Feminine),
    ("ckie", Neuter),
];

/// A simple agreement check of a demo name: it opens with a known legal-form noun, and when
/// the next word is an adjective, its ending has the noun's gender ("Związek Teatralny",
/// "Fundacja Teatralna", "Stowarzyszenie Teatralne"; never "Związek Teatralne").
pub fn agrees(name: &str) -> bool {
    let Some((noun, gender)) = NOUNS.iter().find(|(n, _)| {
        name.strip_prefix(n)
            .is_some_and(|rest| rest.starts_with(' '))
    }) else {
        return false;
    };
    let next = name[noun.len()..].split_whitespace().next().unwrap_or("");
    // A quoted proper name ("„Wierzbińska Dziesiątka”") agrees with nothing outside it.
    if next.starts_with('„') {
        return true;
    }
    match ENDINGS.iter().find(|(e, _)| next.ends_with(e)) {
        Some((_, g)) => g == gender,
        None => true,
    }
}

/// (what follows the legal form, spheres codes, description).
const THEMES: &[(Theme, &[&str], &str)] = &[
    (
        Theme::Fixed("Przyjaciół Ziemi Wierzbińskiej"),
        &["16", "19", "4"],
        "Dbamy o pamięć lokalnej historii: wydajemy przewodniki, prowadzimy spacery po Starym Mieście i opiekujemy się zabytkowymi krzyżami przydrożnymi.",
    ),
    (
        Theme::Fixed("„Zielony Żabieniec”"),
        &["18", "13"],
        "Sadzimy drzewa, zakładamy łąki kwietne i uczymy dzieci segregacji odpadów. Co wiosnę organizujemy wielkie sprzątanie doliny rzeki Wierzbinki.",
    ),
    (
        Theme::Fixed("Pomocy Osobom z Niepełnosprawnościami „Razem Łatwiej”"),
        &["7", "6", "2"],
        "Prowadzimy świetlicę terapeutyczną, wypożyczalnię sprzętu rehabilitacyjnego i grupę wsparcia dla rodziców dzieci z niepełnosprawnościami.",
    ),
    (
        Theme::Fixed("Seniorów „Złota Jesień”"),
        &["10", "16", "6"],
        "Klub seniora z zajęciami ruchowymi, kursem obsługi smartfona i chórem „Jarzębina”. Spotykamy się we wtorki i czwartki.",
    ),
    (
        Theme::Fixed("Miłośników Żeglarstwa „Szkwał”"),
        &["17", "15"],
        "Szkolimy młodzież na patent żeglarski, organizujemy obozy na Mazurach i regaty o Puchar Burmistrza.",
    ),
    (
        Theme::Fixed("Edukacji Obywatelskiej „Źródło”"),
        &["22", "14", "4"],
        "Uczymy młodzież, jak działa samorząd: prowadzimy Młodzieżową Radę Miasta, debaty przedwyborcze i warsztaty z budżetu obywatelskiego.",
    ),
    (
        Theme::Fixed("Pomocy Rodzinie „Przystań”"),
        &["1", "1a", "31"],
        "Wspieramy rodziny w kryzysie: poradnictwo psychologiczne, pomoc prawna, paczki żywnościowe i świetlica dla dzieci.",
    ),
    (
        Theme::Fixed("Kultury Łemkowskiej"),
        &["5", "16"],
        "Pielęgnujemy język i kulturę łemkowską: zespół pieśni i tańca, warsztaty pisania ikon i coroczna Watra.",
    ),
    (
        Theme::Fixed("Cudzoziemców „Dom bez Granic”"),
        &["5a", "26", "1b"],
        "Pomagamy cudzoziemcom w urzędach, uczymy języka polskiego i prowadzimy kawiarenkę językową dla sąsiadów z Ukrainy i nie tylko.",
    ),
    (
        Theme::Fixed("Przeciwdziałania Uzależnieniom „Krok”"),
        &["32", "6"],
        "Prowadzimy punkt konsultacyjny, grupy wsparcia i profilaktykę w szkołach. Dyżur telefoniczny codziennie od 16:00 do 20:00.",
    ),
    (
        Theme::Fixed("Biegaczy „Wierzbińska Dziesiątka”"),
        &["17", "6"],
        "Organizujemy bieg uliczny na 10 km, treningi dla początkujących i rodzinne biegi z okazji Święta Niepodległości.",
    ),
    (
        Theme::Fixed("Przedsiębiorczości Kobiet"),
        &["11", "9", "8"],
        "Mentoring dla kobiet zakładających firmy, warsztaty z księgowości i spotkania sieciujące w Inkubatorze Przedsiębiorczości.",
    ),
    (
        Theme::Fixed("Ochrony Zwierząt „Łapa”"),
        &["18"],
        "Prowadzimy dom tymczasowy dla psów i kotów, akcje sterylizacji i adopcje. Szukamy wolontariuszy na spacery z psami.",
    ),
    (
        Theme::Fixed("Wolontariatu „Ręce do Pracy”"),
        &["27", "13", "33"],
        "Łączymy wolontariuszy z organizacjami i instytucjami, prowadzimy szkolenia i co roku Galę Wolontariatu.",
    ),
    (
        Theme::Adjective(["Historyczny", "Historyczna", "Historyczne"], " „Cytadela”"),
        &["4", "16", "29"],
        "Grupa rekonstrukcji historycznej. Opiekujemy się miejscami pamięci i spisujemy wspomnienia kombatantów.",
    ),
    (
        Theme::Adjective(["Młodzieżowy", "Młodzieżowa", "Młodzieżowe"], " „Kreatywni”"),
        &["15", "14", "12"],
        "Pracownia robotyki i programowania dla młodzieży, letnie półkolonie naukowe i festiwal „Noc Wynalazców”.",
    ),
    (
        Theme::Fixed("Ratownictwa Wodnego"),
        &["23", "20", "17"],
        "Zabezpieczamy kąpieliska i imprezy nad zalewem, uczymy pierwszej pomocy w szkołach i zakładach pracy.",
    ),
    (
        Theme::Fixed("Rozwoju Wsi Łąki"),
        &["13", "32a", "11"],
        "Odnowiliśmy świetlicę wiejską, prowadzimy targ lokalnych produktów i festyn „Święto Chleba”.",
    ),
    (
        Theme::Adjective(["Teatralny", "Teatralna", "Teatralne"], " „Scena Ściegiennego”"),
        &["16", "15"],
        "Amatorski teatr dla dzieci i dorosłych, przeglądy teatralne i warsztaty dramy w szkołach.",
    ),
    (
        Theme::Fixed("Praw Konsumenta i Porad Obywatelskich"),
        &["25", "22a", "1b"],
        "Bezpłatne porady w sprawach reklamacji, umów i długów. Dyżury w Centrum Organizacji Pozarządowych.",
    ),
    (
        Theme::Fixed("Zdrowia Psychicznego „Równowaga”"),
        &["6", "1"],
        "Grupy wsparcia, telefon zaufania dla młodzieży i kampania „Porozmawiajmy o emocjach” w szkołach średnich.",
    ),
    (
        Theme::Fixed("Ekonomii Społecznej „Spółdzielnia Smaku”"),
        &["34", "2", "8"],
        "Prowadzimy spółdzielnię socjalną z kawiarnią i cateringiem, która zatrudnia osoby wracające na rynek pracy.",
    ),
    (
        Theme::Own("klub-sportowy", "Uczniowski Klub Sportowy „Orlik”"),
        &["17", "15"],
        "Treningi piłki nożnej i lekkiej atletyki dla dzieci ze szkół podstawowych, turniej „Orlik Cup” i obozy sportowe.",
    ),
    (
        Theme::Own("stowarzyszenie-zwykle", "Koło Gospodyń Wiejskich w Łąkach"),
        &["16", "13"],
        "Pielęgnujemy tradycje kulinarne i rękodzieło, prowadzimy warsztaty wypieku chleba i stoisko na dożynkach.",
    ),
    (
        Theme::Own("stowarzyszenie", "Ochotnicza Straż Pożarna w Wierzbinie-Górkach"),
        &["23", "20"],
        "Gasimy pożary i ratujemy na drogach, prowadzimy Młodzieżową Drużynę Pożarniczą i pokazy pierwszej pomocy.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn every_name() -> Vec<(&'static str, String, String)> {
        FORMS
            .iter()
            .flat_map(|f| THEMES.iter().map(|(t, _, _)| compose(*f, *t)))
            .collect()
    }

    #[test]
    fn every_demo_name_agrees_with_its_legal_form() {
        for (_, name, short) in every_name() {
            assert!(agrees(&name), "{name}");
            assert!(agrees(&short), "{short}");
            assert!(!name.contains('…') && !short.contains('…'), "{name}");
        }
        let names: Vec<String> = every_name().into_iter().map(|(_, n, _)| n).collect();
        for n in [
            "Związek Teatralny „Scena Ściegiennego”",
            "Fundacja Teatralna „Scena Ściegiennego”",
            "Stowarzyszenie Teatralne „Scena Ściegiennego”",
            "Klub Młodzieżowy „Kreatywni”",
            "Uczniowski Klub Sportowy „Orlik”",
        ] {
            assert!(names.iter().any(|x| x == n), "{n} is among the names");
        }
    }

    #[test]
    fn the_check_catches_a_mismatch() {
        for wrong in [
            "Związek Teatralne",
            "Fundacja Historyczny „Cytadela”",
            "Stowarzyszenie Młodzieżowa",
            "Teatralne Stowarzyszenie",
        ] {
            assert!(!agrees(wrong), "{wrong}");
        }
        assert!(agrees("Fundacja Pomocy Rodzinie „Przystań”"));
        assert!(agrees("Związek Ratownictwa Wodnego"));
    }

    #[test]
    fn short_names_keep_the_quoted_part_whole() {
        let (_, name, short) = compose(
            ("stowarzyszenie", "Stowarzyszenie", Gender::Neuter),
            Theme::Fixed("Pomocy Osobom z Niepełnosprawnościami „Razem Łatwiej”"),
        );
        assert_eq!(
            name,
            "Stowarzyszenie Pomocy Osobom z Niepełnosprawnościami „Razem Łatwiej”"
        );
        assert_eq!(short, "Stowarzyszenie „Razem Łatwiej”");
        let (code, name, short) = compose(
            ("fundacja", "Fundacja", Gender::Feminine),
            Theme::Own("klub-sportowy", "Uczniowski Klub Sportowy „Orlik”"),
        );
        assert_eq!((code, short.as_str()), ("klub-sportowy", name.as_str()));
        // Every event title made of a kind and a short name is whole and fits its limit.
        for (_, _, short) in every_name() {
            let title = format!("Spotkanie informacyjne: {short}");
            assert!(title.chars().count() <= crate::calendar::limits::TITLE_MAX);
        }
    }
}
