//! Demo data of the info pages: the office contacts of Wierzbin.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use crate::demo::{DemoStep, Seed};

pub struct Demo;

#[async_trait::async_trait]
impl DemoStep for Demo {
    fn order(&self) -> u16 {
        5
    }

    async fn seed(&self, s: &mut Seed<'_>) -> anyhow::Result<()> {
        insert_office_contacts(s.txn).await?;
        Ok(())
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

/// English topic and job title of some contacts (the others show the Polish ones).
fn english(topic: &str) -> (&'static str, &'static str) {
    match topic {
        "Współpraca z organizacjami pozarządowymi, sprawy ogólne" => (
            "Cooperation with non-governmental organisations, general matters",
            "NGO liaison officer",
        ),
        "Dotacje i otwarte konkursy ofert, sprawozdania z dotacji" => (
            "Grants and open calls for proposals, grant reports",
            "inspector",
        ),
        "Promocja działań organizacji, media lokalne, patronaty medialne" => (
            "Promotion of organisations' activities, local media, media patronage",
            "press officer",
        ),
        _ => ("", ""),
    }
}

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
            topic_en: Set(english(c.0).0.into()),
            role_en: Set(english(c.0).1.into()),
            ..Default::default()
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

