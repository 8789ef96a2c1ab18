//! Demo data of partner activities: three city events that seek NGO partners.

use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use crate::demo::{DemoStep, Seed};

pub struct Demo;

#[async_trait::async_trait]
impl DemoStep for Demo {
    fn order(&self) -> u16 {
        40
    }

    async fn seed(&self, s: &mut Seed<'_>) -> anyhow::Result<()> {
        insert_partner_activities(s.txn, s.base).await?;
        Ok(())
    }
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
            status: Set(crate::partners::entity::partner_activity::Status::Published),
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
