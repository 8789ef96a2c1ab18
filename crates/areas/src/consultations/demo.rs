//! Demo data of consultations: the draft of next year's cooperation programme open for remarks
//! (two organisations' remarks online, one sent on paper and entered by the office), and last
//! spring's consultation of the small-grants resolution with its second version, the RDPP's
//! opinion and its published report. Written as rows (no e-mails are queued by a demo).

use super::entity::consultation::{self, Audience, Status};
use super::entity::consultation_remark::{self as remark, Channel, Position};
use super::entity::consultation_version as version;
use super::store;
use crate::demo::{DemoStep, Seed};
use chrono::{DateTime, Datelike, Duration, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

pub struct Demo;

#[async_trait::async_trait]
impl DemoStep for Demo {
    fn order(&self) -> u16 {
        70
    }

    async fn seed(&self, s: &mut Seed<'_>) -> anyhow::Result<()> {
        let orgs: Vec<(i64, String)> = s.organizations.iter().take(3).map(|o| (o.id, o.name.clone())).collect();
        programme(s.txn, s.base, &orgs).await?;
        past(s.txn, s.base, &orgs).await?;
        Ok(())
    }
}

/// Next year's programme, as a gmina drafts it (the eleven parts of art. 5a ust. 4 in short).
fn programme_text(year: i32) -> String {
    format!(
        "Projekt uchwały Rady Miejskiej w Wierzbinie w sprawie Programu współpracy Gminy Wierzbin \
z organizacjami pozarządowymi na rok {year}
Na podstawie art. 5a ust. 1 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego \
i o wolontariacie uchwala się, co następuje:
Rozdział 1 Postanowienia ogólne
§ 1. 1. Przyjmuje się Program współpracy Gminy Wierzbin z organizacjami pozarządowymi na rok {year}, \
zwany dalej „Programem”.
2. Program określa cele, zasady, zakres i formy współpracy Gminy z organizacjami.
§ 2. Celem głównym Programu jest budowanie partnerstwa między Gminą a organizacjami.
§ 3. Cele szczegółowe Programu to:
1) zwiększenie udziału organizacji w realizacji zadań publicznych;
2) wzmacnianie potencjału organizacji, w szczególności:
a) przez szkolenia i doradztwo w Centrum Organizacji Pozarządowych,
b) przez udostępnianie sal i sprzętu;
3) włączanie organizacji w tworzenie polityk lokalnych.
Rozdział 2 Formy współpracy i zadania priorytetowe
§ 4. Współpraca odbywa się w formie:
1) zlecania realizacji zadań publicznych w trybie otwartych konkursów ofert i z pominięciem konkursu;
2) wzajemnego informowania się o planowanych kierunkach działalności;
3) konsultowania projektów aktów prawa miejscowego.
§ 5. Zadaniami priorytetowymi w roku {year} są:
1) wspieranie aktywności seniorów;
2) upowszechnianie kultury fizycznej wśród dzieci i młodzieży;
3) ochrona dziedzictwa kulturowego.
Rozdział 3 Środki i ocena
§ 6. Na realizację Programu planuje się przeznaczyć kwotę 1 450 000 zł.
§ 7. 1. Miernikami realizacji Programu są liczba ogłoszonych konkursów, liczba ofert i liczba \
organizacji, które otrzymały dotacje.
2. Sprawozdanie z realizacji Programu przedstawia się Radzie do dnia 31 maja roku następnego.
§ 8. Wykonanie uchwały powierza się Burmistrzowi Wierzbina.
§ 9. Uchwała wchodzi w życie z dniem 1 stycznia {year} r."
    )
}

async fn insert_consultation<C: ConnectionTrait>(db: &C, m: consultation::ActiveModel) -> Result<i64, DbErr> {
    Ok(consultation::Entity::insert(m).exec(db).await?.last_insert_id)
}

async fn insert_version<C: ConnectionTrait>(
    db: &C,
    consultation_id: i64,
    number: i32,
    source: String,
    note: &str,
    at: DateTime<Utc>,
) -> Result<i64, DbErr> {
    Ok(version::Entity::insert(version::ActiveModel {
        consultation_id: Set(consultation_id),
        number: Set(number),
        source: Set(source),
        note: Set(note.into()),
        created_by: Set(None),
        created_at: Set(at),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id)
}

/// A remark of the demo: (organisation, author, e-mail, channel, anchor, label, proposal,
/// justification, position and answer).
struct DemoRemark<'a> {
    org: Option<&'a (i64, String)>,
    author: &'a str,
    email: &'a str,
    channel: Channel,
    anchor: &'a str,
    label: &'a str,
    proposal: &'a str,
    justification: &'a str,
    answer: Option<(Position, &'a str)>,
}

async fn insert_remark<C: ConnectionTrait>(
    db: &C,
    consultation_id: i64,
    version_id: i64,
    at: DateTime<Utc>,
    r: DemoRemark<'_>,
) -> Result<(), DbErr> {
    remark::Entity::insert(remark::ActiveModel {
        consultation_id: Set(consultation_id),
        version_id: Set(version_id),
        anchor: Set(r.anchor.into()),
        unit_label: Set(r.label.into()),
        organization_id: Set(r.org.map(|o| o.0)),
        organization_name: Set(r.org.map(|o| o.1.clone()).unwrap_or_default()),
        author_name: Set(r.author.into()),
        author_email: Set(r.email.into()),
        user_id: Set(None),
        channel: Set(r.channel),
        proposal: Set(r.proposal.into()),
        justification: Set(r.justification.into()),
        entered_by: Set(None),
        created_at: Set(at),
        position: Set(r.answer.map(|a| a.0)),
        answer: Set(r.answer.map(|a| a.1.to_owned()).unwrap_or_default()),
        answered_by: Set(None),
        answered_at: Set(r.answer.map(|_| at + Duration::days(20))),
        notified_at: Set(r.answer.map(|_| at + Duration::days(25))),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn row(
    slug: &str,
    title: &str,
    subject: &str,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    status: Status,
    form_rdpp: bool,
    created: DateTime<Utc>,
) -> consultation::ActiveModel {
    consultation::ActiveModel {
        slug: Set(slug.into()),
        title: Set(title.into()),
        subject_md: Set(subject.into()),
        audience: Set(Audience::Organisations),
        form_online: Set(true),
        form_entered: Set(true),
        form_rdpp: Set(form_rdpp),
        meeting_id: Set(None),
        remarks_public: Set(true),
        starts_at: Set(starts_at),
        ends_at: Set(ends_at),
        short_reason: Set(String::new()),
        contact_name: Set("Marta Zielińska, Pełnomocnik Burmistrza ds. organizacji pozarządowych".into()),
        contact_email: Set("ngo@wierzbin.example".into()),
        status: Set(status),
        event_id: Set(None),
        rdpp_sent_on: Set(None),
        rdpp_opinion_md: Set(String::new()),
        rdpp_opinion_on: Set(None),
        minutes_md: Set(String::new()),
        summary_md: Set(String::new()),
        created_by: Set(None),
        created_at: Set(created),
        updated_at: Set(created),
        announced_at: Set(Some(created)),
        reported_at: Set(None),
        ..Default::default()
    }
}

/// Next year's programme: open for another four days, three remarks on three units.
async fn programme<C: ConnectionTrait>(db: &C, base: DateTime<Utc>, orgs: &[(i64, String)]) -> Result<(), DbErr> {
    let year = base.year() + 1;
    let starts = base - Duration::days(3);
    let slug = format!("program-wspolpracy-{year}");
    let id = insert_consultation(
        db,
        row(
            &slug,
            &format!("Projekt Programu współpracy z organizacjami pozarządowymi na rok {year}"),
            "Burmistrz Wierzbina zaprasza organizacje pozarządowe i podmioty wymienione w art. 3 ust. 3 \
ustawy do konsultacji projektu rocznego programu współpracy. Uwagi można zgłaszać do każdego paragrafu \
przez formularz przy jego treści albo pisemnie w Biurze Obsługi Mieszkańców.",
            starts,
            base + Duration::days(4),
            Status::Open,
            false,
            starts - Duration::days(2),
        ),
    )
    .await?;
    let v = insert_version(db, id, 1, programme_text(year), "", starts - Duration::days(2)).await?;
    let first = orgs.first();
    let second = orgs.get(1);
    for (i, r) in [
        DemoRemark {
            org: first,
            author: "Joanna Malinowska",
            email: "zarzad@seniorzy-wierzbin.example",
            channel: Channel::Online,
            anchor: "par-5-pkt-1",
            label: "§ 5 pkt 1",
            proposal: "wspieranie aktywności seniorów, w tym przeciwdziałanie ich samotności i wykluczeniu cyfrowemu;",
            justification: "Diagnoza potrzeb seniorów z 2026 r. wskazuje samotność i wykluczenie cyfrowe jako główne problemy.",
            answer: None,
        },
        DemoRemark {
            org: first,
            author: "Joanna Malinowska",
            email: "zarzad@seniorzy-wierzbin.example",
            channel: Channel::Online,
            anchor: "par-6",
            label: "§ 6",
            proposal: "Na realizację Programu planuje się przeznaczyć kwotę 1 600 000 zł.",
            justification: "Kwota nie rosła od trzech lat, a koszty realizacji zadań wzrosły o kilkanaście procent.",
            answer: None,
        },
        DemoRemark {
            org: second,
            author: "Tomasz Wróbel",
            email: "biuro@ks-wierzbin.example",
            channel: Channel::Online,
            anchor: "par-3-pkt-2-lit-b",
            label: "§ 3 pkt 2 lit. b",
            proposal: "b) przez nieodpłatne udostępnianie sal, sprzętu i obiektów sportowych;",
            justification: "Kluby sportowe potrzebują dostępu do hal i boisk szkolnych poza godzinami lekcji.",
            answer: None,
        },
        DemoRemark {
            org: None,
            author: "Rada Osiedla Północ",
            email: "",
            channel: Channel::Paper,
            anchor: "par-4",
            label: "§ 4",
            proposal: "",
            justification: "Prosimy o dodanie formy współpracy: wspólne zespoły o charakterze doradczym i inicjatywnym.",
            answer: None,
        },
    ]
    .into_iter()
    .enumerate()
    {
        insert_remark(db, id, v, starts + Duration::hours(20 * (i as i64 + 1)), r).await?;
    }
    if let Some(c) = consultation::Entity::find_by_id(id).one(db).await? {
        store::sync_calendar(db, &c).await?;
    }
    Ok(())
}

fn resolution_text(amount: &str, days: &str) -> String {
    format!(
        "Projekt uchwały w sprawie szczegółowego sposobu konsultowania projektów aktów prawa \
miejscowego z organizacjami pozarządowymi
§ 1. Uchwała określa sposób konsultowania z organizacjami pozarządowymi projektów aktów prawa miejscowego.
§ 2. 1. Konsultacje ogłasza Burmistrz na stronie internetowej Gminy i w Biuletynie Informacji Publicznej.
2. Konsultacje trwają nie krócej niż {days} dni od dnia ogłoszenia.
§ 3. Uwagi zgłasza się:
1) przez formularz na stronie internetowej;
2) pisemnie w Biurze Obsługi Mieszkańców;
3) na otwartym spotkaniu konsultacyjnym.
§ 4. Z przebiegu konsultacji sporządza się raport, który zawiera zestawienie uwag wraz z uzasadnieniem \
ich przyjęcia lub odrzucenia, w terminie {amount} dni od ich zakończenia.
§ 5. Uchwała wchodzi w życie po upływie 14 dni od dnia ogłoszenia w Dzienniku Urzędowym."
    )
}

/// Last spring's consultation of the consultation rules: two versions, the RDPP's opinion, a
/// report published with a position on every remark.
async fn past<C: ConnectionTrait>(db: &C, base: DateTime<Utc>, orgs: &[(i64, String)]) -> Result<(), DbErr> {
    let starts = base - Duration::days(200);
    let ends = starts + Duration::days(20);
    let reported = ends + Duration::days(14);
    let mut m = row(
        "tryb-konsultacji-aktow-prawa-miejscowego",
        "Projekt uchwały w sprawie sposobu konsultowania aktów prawa miejscowego",
        "Konsultacje projektu uchwały określającej, jak Gmina konsultuje projekty aktów prawa miejscowego \
z organizacjami pozarządowymi i Radą Działalności Pożytku Publicznego.",
        starts,
        ends,
        Status::Reported,
        true,
        starts - Duration::days(1),
    );
    m.rdpp_sent_on = Set(Some(starts.date_naive()));
    m.rdpp_opinion_md = Set("Rada pozytywnie opiniuje projekt i rekomenduje wydłużenie minimalnego czasu konsultacji do 14 dni.".into());
    m.rdpp_opinion_on = Set(Some((starts + Duration::days(12)).date_naive()));
    m.summary_md = Set("W konsultacjach wzięły udział dwie organizacje i Rada Działalności Pożytku Publicznego. \
Zgłoszono trzy uwagi: dwie przyjęto w całości lub w części, jedną odrzucono. Projekt po konsultacjach \
wydłuża minimalny czas konsultacji do 14 dni.".into());
    m.minutes_md = Set("Spotkanie konsultacyjne odbyło się w sali nr 12 Urzędu Miejskiego; wzięło w nim udział 9 osób \
z 6 organizacji. Omówiono uwagi do § 2 i § 4.".into());
    m.reported_at = Set(Some(reported));
    m.updated_at = Set(reported);
    let id = insert_consultation(db, m).await?;
    let v1 = insert_version(db, id, 1, resolution_text("30", "7"), "", starts - Duration::days(1)).await?;
    insert_version(
        db,
        id,
        2,
        resolution_text("30", "14"),
        "Po konsultacjach: minimalny czas konsultacji wydłużony do 14 dni (uwaga przyjęta).",
        reported - Duration::days(1),
    )
    .await?;
    for (i, r) in [
        DemoRemark {
            org: orgs.first(),
            author: "Joanna Malinowska",
            email: "zarzad@seniorzy-wierzbin.example",
            channel: Channel::Online,
            anchor: "par-2-ust-2",
            label: "§ 2 ust. 2",
            proposal: "2. Konsultacje trwają nie krócej niż 14 dni od dnia ogłoszenia.",
            justification: "Siedem dni to za mało dla organizacji działających wyłącznie społecznie.",
            answer: Some((Position::Accepted, "")),
        },
        DemoRemark {
            org: orgs.get(2),
            author: "Piotr Lis",
            email: "kontakt@ekologia-wierzbin.example",
            channel: Channel::Online,
            anchor: "par-4",
            label: "§ 4",
            proposal: "§ 4. Raport z konsultacji publikuje się w terminie 14 dni od ich zakończenia.",
            justification: "Trzydzieści dni opóźnia informację zwrotną dla uczestników.",
            answer: Some((
                Position::Partly,
                "Termin 30 dni pozostaje ze względu na obszerne projekty, ale raport z konsultacji programu \
współpracy będzie publikowany w 14 dni.",
            )),
        },
        DemoRemark {
            org: orgs.get(2),
            author: "Piotr Lis",
            email: "kontakt@ekologia-wierzbin.example",
            channel: Channel::Email,
            anchor: "par-3-pkt-3",
            label: "§ 3 pkt 3",
            proposal: "3) na otwartym spotkaniu konsultacyjnym, transmitowanym w internecie;",
            justification: "Transmisja pozwoli wziąć udział osobom, które nie mogą przyjść.",
            answer: Some((
                Position::Rejected,
                "Transmisja spotkań wymaga zgody uczestników na wizerunek; Gmina udostępni nagranie dźwiękowe.",
            )),
        },
    ]
    .into_iter()
    .enumerate()
    {
        insert_remark(db, id, v1, starts + Duration::days(2 + 3 * i as i64), r).await?;
    }
    Ok(())
}
