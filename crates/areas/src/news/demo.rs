//! Demo data of the news: the office's announcements.

use crate::news::entity::article;
use chrono::Duration;
use sea_orm::{ActiveValue::Set, EntityTrait};
use wspolnie_core::text::{search_text, slugify};
use crate::demo::{DemoStep, Seed};

pub struct Demo;

#[async_trait::async_trait]
impl DemoStep for Demo {
    fn order(&self) -> u16 {
        20
    }

    async fn seed(&self, s: &mut Seed<'_>) -> anyhow::Result<()> {
    for (i, (title, lead)) in NEWS.iter().enumerate() {
        let published = s.base
            - Duration::days((i as i64) * 4 + s.rng.below(3) as i64)
            - Duration::hours(s.rng.below(6) as i64);
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
            .exec_without_returning(s.txn)
            .await?;
        s.summary.articles += 1;
    }

        Ok(())
    }
}

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
