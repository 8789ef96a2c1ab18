//! Demo offers: submitted offers in the closed call (one formally complete, one in correction,
//! two waiting for the check) and complete offers in last year's decided call; none in the open
//! call. Versions are frozen by `submit::freeze`, the code real submissions use, with times
//! derived from the demo's anchor only.

use crate::demo::Seed;
use crate::directory::entity::organization;
use crate::grants::entity::grant_call;
use crate::grants::entity::grant_formal_check::{self as check, FormalResult};
use crate::grants::entity::grant_offer::{self, Status};
use crate::grants::entity::grant_offer_section as section_row;
use crate::grants::offer::{
    Action, CostLine, Indicator, OfferContent, SMALL_TEMPLATE_VERSION, STATEMENTS, Section, TEMPLATE_VERSION,
};
use chrono::{Datelike, DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// One demo offer: its task, actions (name, description, target group, dates) and costs
/// (action index or None for administrative, kind, unit, unit cost in zł, units).
struct DemoOffer {
    title: &'static str,
    summary: &'static str,
    place: &'static str,
    contact: &'static str,
    actions: &'static [(&'static str, &'static str, &'static str, &'static str)],
    costs: &'static [(Option<usize>, &'static str, &'static str, i64, i64)],
    expected: &'static str,
    indicators: &'static [(&'static str, &'static str, &'static str)],
    /// Share of the total cost as volunteers' work (basis points); the rest of the own
    /// contribution is financial (5 %).
    personal_bp: i64,
}

const SPORT: &[DemoOffer] = &[
    DemoOffer {
        title: "Całoroczne treningi piłki nożnej dla dzieci z osiedla Zielone Wzgórze",
        summary: "Dwa razy w tygodniu treningi piłki nożnej dla 40 dzieci w wieku 8–12 lat na boisku przy Szkole Podstawowej nr 3. Na osiedlu nie ma innych bezpłatnych zajęć sportowych, a rodzice od dwóch lat pytają o regularne treningi.",
        place: "Boisko przy Szkole Podstawowej nr 3, ul. Lipowa 12",
        contact: "Marek Zieliński",
        actions: &[
            ("Nabór i badania", "Nabór uczestników w szkołach osiedla, zgody rodziców, badania lekarskie.", "Dzieci 8–12 lat i ich rodzice", "03.2027"),
            ("Treningi", "Dwa treningi po 90 minut w tygodniu w dwóch grupach wiekowych, prowadzone przez trenerów z licencją UEFA C.", "Dzieci 8–12 lat", "03–06.2027"),
            ("Turniej na zakończenie", "Turniej z udziałem drużyn z sąsiednich osiedli i festyn dla rodzin.", "Uczestnicy, rodziny, mieszkańcy osiedla", "06.2027"),
        ],
        costs: &[
            (Some(0), "Badania lekarskie uczestników", "osoba", 80, 40),
            (Some(1), "Wynagrodzenie trenerów", "godzina", 90, 200),
            (Some(1), "Piłki, znaczniki i bramki treningowe", "komplet", 1_200, 2),
            (Some(2), "Nagrody i medale", "komplet", 900, 1),
            (Some(2), "Catering na festyn", "usługa", 1_500, 1),
            (None, "Obsługa księgowa", "miesiąc", 350, 4),
        ],
        expected: "40 dzieci trenuje regularnie przez cztery miesiące; poprawa sprawności mierzona testem na początku i na końcu zajęć.",
        indicators: &[
            ("Liczba uczestników zajęć", "40 osób", "Listy obecności"),
            ("Liczba przeprowadzonych treningów", "64 treningi", "Dziennik zajęć"),
        ],
        personal_bp: 700,
    },
    DemoOffer {
        title: "Pływam, więc jestem — nauka pływania dla uczniów klas II–IV",
        summary: "Kurs nauki pływania dla 60 uczniów z trzech szkół podstawowych, na miejskiej pływalni, z dowozem autokarem. Co trzecie dziecko w tym wieku nie umie pływać.",
        place: "Pływalnia miejska, ul. Sportowa 5",
        contact: "Joanna Wróbel",
        actions: &[
            ("Kurs pływania", "Dwadzieścia zajęć po 45 minut w grupach po 10 osób, z instruktorami pływania.", "Uczniowie klas II–IV", "03–05.2027"),
            ("Dowóz uczestników", "Autokar ze szkół na pływalnię i z powrotem, z opiekunami.", "Uczniowie klas II–IV", "03–05.2027"),
        ],
        costs: &[
            (Some(0), "Wynajem toru pływackiego", "godzina", 120, 120),
            (Some(0), "Wynagrodzenie instruktorów pływania", "godzina", 80, 120),
            (Some(1), "Przewóz autokarem", "kurs", 350, 40),
            (None, "Koordynacja projektu", "miesiąc", 600, 3),
        ],
        expected: "Co najmniej 45 z 60 uczestników przepływa samodzielnie 25 metrów.",
        indicators: &[("Uczestnicy, którzy przepłynęli 25 m", "45 osób", "Karta umiejętności wypełniana przez instruktora")],
        personal_bp: 600,
    },
    DemoOffer {
        title: "Lekkoatletyka na orlikach: zajęcia ogólnorozwojowe dla młodzieży",
        summary: "Zajęcia lekkoatletyczne trzy razy w tygodniu dla młodzieży 12–16 lat na dwóch orlikach, z obozem sportowym w czerwcu.",
        place: "Orliki przy ul. Kwiatowej i ul. Polnej",
        contact: "Tomasz Nowicki",
        actions: &[
            ("Zajęcia na orlikach", "Biegi, skoki i rzuty; przygotowanie do zawodów szkolnych.", "Młodzież 12–16 lat", "03–06.2027"),
            ("Udział w zawodach", "Start w zawodach powiatowych i wojewódzkich.", "Młodzież 12–16 lat", "05–06.2027"),
        ],
        costs: &[
            (Some(0), "Wynagrodzenie trenera lekkoatletyki", "godzina", 85, 180),
            (Some(0), "Sprzęt: płotki, bloki startowe", "komplet", 2_400, 1),
            (Some(1), "Opłaty startowe i przejazdy", "wyjazd", 700, 4),
            (None, "Obsługa księgowa", "miesiąc", 300, 4),
        ],
        expected: "30 osób trenuje regularnie, 12 startuje w zawodach powiatowych.",
        indicators: &[("Liczba startów w zawodach", "12 osób", "Komunikaty z zawodów")],
        personal_bp: 800,
    },
    DemoOffer {
        title: "Szachy i tenis stołowy — sport dla każdego po lekcjach",
        summary: "Zajęcia szachowe i tenisa stołowego w świetlicy osiedlowej, dostępne także dla dzieci z niepełnosprawnościami.",
        place: "Świetlica osiedlowa, ul. Ogrodowa 7",
        contact: "Ewa Kaczmarek",
        actions: &[
            ("Zajęcia szachowe", "Dwa razy w tygodniu, nauka i turnieje wewnętrzne.", "Dzieci 7–14 lat", "03–06.2027"),
            ("Tenis stołowy", "Dwa razy w tygodniu, trzy stoły, trener z uprawnieniami.", "Dzieci i młodzież 10–16 lat", "03–06.2027"),
        ],
        costs: &[
            (Some(0), "Instruktor szachowy", "godzina", 70, 64),
            (Some(0), "Zegary i komplety szachowe", "komplet", 250, 8),
            (Some(1), "Trener tenisa stołowego", "godzina", 75, 64),
            (Some(1), "Stół do tenisa stołowego", "sztuka", 1_800, 1),
            (None, "Obsługa księgowa", "miesiąc", 250, 4),
        ],
        expected: "35 dzieci uczestniczy w zajęciach co najmniej raz w tygodniu.",
        indicators: &[("Liczba uczestników", "35 osób", "Listy obecności")],
        personal_bp: 500,
    },
];

const CULTURE: &[DemoOffer] = &[
    DemoOffer {
        title: "Jarmark Wierzbiński — warsztaty rękodzieła i tradycji",
        summary: "Jednodniowy jarmark na rynku z pokazami rękodzieła i warsztatami dla rodzin, przygotowany z kołami gospodyń wiejskich.",
        place: "Rynek w Wierzbinie",
        contact: "Halina Szymańska",
        actions: &[
            ("Warsztaty rękodzieła", "Pięć stanowisk warsztatowych: wycinanki, garncarstwo, tkactwo, pieczenie, zdobienie pisanek.", "Rodziny z dziećmi", "09.2026"),
            ("Promocja jarmarku", "Plakaty, ulotki, informacja w lokalnych mediach.", "Mieszkańcy Wierzbina", "08–09.2026"),
        ],
        costs: &[
            (Some(0), "Wynagrodzenie prowadzących warsztaty", "godzina", 100, 40),
            (Some(0), "Materiały do warsztatów", "komplet", 1_500, 1),
            (Some(1), "Druk plakatów i ulotek", "usługa", 1_200, 1),
            (None, "Koordynacja", "miesiąc", 500, 2),
        ],
        expected: "Co najmniej 400 uczestników jarmarku, 150 osób w warsztatach.",
        indicators: &[("Liczba uczestników warsztatów", "150 osób", "Liczenie przy stanowiskach")],
        personal_bp: 900,
    },
    DemoOffer {
        title: "Śladami dawnego Wierzbina — spacery i gra miejska",
        summary: "Sześć spacerów z przewodnikiem po historycznych miejscach Wierzbina i gra miejska dla młodzieży szkolnej.",
        place: "Stare Miasto w Wierzbinie",
        contact: "Piotr Górski",
        actions: &[
            ("Spacery z przewodnikiem", "Sześć spacerów tematycznych w soboty.", "Mieszkańcy, turyści", "05–09.2026"),
            ("Gra miejska", "Gra z zadaniami przy zabytkach, dla drużyn szkolnych.", "Młodzież szkolna", "10.2026"),
        ],
        costs: &[
            (Some(0), "Wynagrodzenie przewodnika", "spacer", 400, 6),
            (Some(1), "Przygotowanie i druk materiałów gry", "usługa", 2_000, 1),
            (Some(1), "Nagrody dla drużyn", "komplet", 800, 1),
            (None, "Obsługa księgowa", "miesiąc", 300, 2),
        ],
        expected: "240 uczestników spacerów, 20 drużyn w grze miejskiej.",
        indicators: &[("Liczba drużyn w grze", "20 drużyn", "Karty zgłoszeń")],
        personal_bp: 700,
    },
    DemoOffer {
        title: "Letnie koncerty w parku miejskim",
        summary: "Cztery niedzielne koncerty lokalnych zespołów w muszli koncertowej parku miejskiego.",
        place: "Park miejski, muszla koncertowa",
        contact: "Agnieszka Lis",
        actions: &[("Koncerty", "Cztery koncerty po dwie godziny, z nagłośnieniem.", "Mieszkańcy Wierzbina", "07–08.2026")],
        costs: &[
            (Some(0), "Honoraria zespołów", "koncert", 1_500, 4),
            (Some(0), "Nagłośnienie", "koncert", 800, 4),
            (None, "Koordynacja", "miesiąc", 400, 2),
        ],
        expected: "Co najmniej 800 słuchaczy czterech koncertów.",
        indicators: &[("Liczba słuchaczy", "800 osób", "Szacunek organizatora")],
        personal_bp: 600,
    },
];

const SMALL: &[DemoOffer] = &[
    DemoOffer {
        title: "Sąsiedzki piknik rodzinny na placu przy ul. Klonowej",
        summary: "Jednodniowy piknik sąsiedzki z grami dla dzieci, kiermaszem wypieków i pokazem pierwszej pomocy; mieszkańcy osiedla poznają się i planują wspólne sprzątanie skweru.",
        place: "Plac przy ul. Klonowej",
        contact: "Ewa Nowicka",
        actions: &[("Piknik", "Gry, kiermasz, pokaz pierwszej pomocy; około 150 uczestników.", "Mieszkańcy osiedla", "jeden dzień")],
        costs: &[
            (Some(0), "Wynajem namiotu i ławek", "komplet", 1_800, 1),
            (Some(0), "Materiały do gier i nagrody", "komplet", 1_200, 1),
            (None, "Ubezpieczenie imprezy", "usługa", 400, 1),
        ],
        expected: "Około 150 uczestników, lista chętnych do sprzątania skweru.",
        indicators: &[("Liczba uczestników", "150 osób", "Szacunek organizatora")],
        personal_bp: 1000,
    },
    DemoOffer {
        title: "Warsztaty naprawy rowerów dla młodzieży",
        summary: "Trzy sobotnie warsztaty, na których młodzież pod okiem mechanika naprawia własne rowery i uczy się bezpiecznej jazdy.",
        place: "Świetlica osiedlowa, ul. Polna 4",
        contact: "Tomasz Wróbel",
        actions: &[("Warsztaty", "Trzy warsztaty po cztery godziny.", "Młodzież 12–18 lat", "trzy soboty")],
        costs: &[
            (Some(0), "Wynagrodzenie mechanika", "warsztat", 600, 3),
            (Some(0), "Części i narzędzia", "komplet", 1_500, 1),
        ],
        expected: "30 naprawionych rowerów, 30 uczestników.",
        indicators: &[("Liczba uczestników", "30 osób", "Lista obecności")],
        personal_bp: 800,
    },
    DemoOffer {
        title: "Spacery historyczne śladami dawnego Wierzbina",
        summary: "Cztery niedzielne spacery z przewodnikiem po miejscach, których już nie ma, z mapą do pobrania.",
        place: "Stare Miasto w Wierzbinie",
        contact: "Paweł Sikora",
        actions: &[("Spacery", "Cztery spacery po dwie godziny.", "Mieszkańcy", "cztery niedziele")],
        costs: &[(Some(0), "Przewodnik", "spacer", 500, 4), (Some(0), "Projekt i druk mapy", "usługa", 1_600, 1)],
        expected: "Około 120 uczestników spacerów, mapa w 500 egzemplarzach.",
        indicators: &[("Liczba uczestników", "120 osób", "Lista zapisów")],
        personal_bp: 700,
    },
];

const SENIORS: &[DemoOffer] = &[
    DemoOffer {
        title: "Gimnastyka dla seniorów w klubie osiedlowym",
        summary: "Dwa razy w tygodniu zajęcia ruchowe dla 30 osób po 60. roku życia, prowadzone przez fizjoterapeutkę.",
        place: "Klub osiedlowy, ul. Słoneczna 8",
        contact: "Halina Borkowska",
        actions: &[("Zajęcia ruchowe", "Sześćdziesiąt spotkań po godzinie.", "Seniorzy 60+", "03–10.2026")],
        costs: &[(Some(0), "Wynagrodzenie fizjoterapeutki", "godz.", 120, 60), (None, "Obsługa księgowa", "miesiąc", 150, 4)],
        expected: "30 osób ćwiczy regularnie przez osiem miesięcy.",
        indicators: &[("Liczba uczestników", "30 osób", "Lista obecności")],
        personal_bp: 600,
    },
    DemoOffer {
        title: "Uniwersytet trzeciego wieku — wykłady i warsztaty",
        summary: "Cykl wykładów o zdrowiu, historii regionu i bezpieczeństwie w sieci oraz warsztaty komputerowe dla seniorów.",
        place: "Biblioteka miejska, sala konferencyjna",
        contact: "Zofia Kaczmarek",
        actions: &[("Wykłady", "Dwanaście wykładów.", "Seniorzy", "03–06.2026"), ("Warsztaty komputerowe", "Osiem warsztatów w grupach po 10 osób.", "Seniorzy", "09–11.2026")],
        costs: &[(Some(0), "Honoraria wykładowców", "wykład", 400, 12), (Some(1), "Prowadzenie warsztatów", "warsztat", 350, 8), (None, "Koordynacja", "miesiąc", 300, 2)],
        expected: "Co najmniej 60 słuchaczy wykładów, 40 absolwentów warsztatów.",
        indicators: &[("Absolwenci warsztatów", "40 osób", "Lista obecności")],
        personal_bp: 700,
    },
    DemoOffer {
        title: "Wyjścia seniorów do teatru i muzeum",
        summary: "Sześć wspólnych wyjść do teatru, filharmonii i muzeów regionu z przewodnikiem i transportem.",
        place: "Wierzbin i okolice",
        contact: "Jerzy Pawlak",
        actions: &[("Wyjścia", "Sześć wyjazdów po 40 osób.", "Seniorzy", "04–11.2026")],
        costs: &[(Some(0), "Bilety wstępu", "bilet", 45, 240), (Some(0), "Transport", "wyjazd", 900, 6)],
        expected: "240 wejść do instytucji kultury.",
        indicators: &[("Liczba wejść", "240", "Bilety")],
        personal_bp: 500,
    },
    DemoOffer {
        title: "Sąsiedzka pomoc dla samotnych seniorów",
        summary: "Wolontariusze odwiedzają samotnych seniorów, pomagają w zakupach i sprawach urzędowych, dyżur telefoniczny dwa razy w tygodniu.",
        place: "Wierzbin",
        contact: "Krystyna Wójcik",
        actions: &[("Odwiedziny i pomoc", "Stała opieka wolontariuszy nad 25 osobami.", "Samotni seniorzy", "02–12.2026")],
        costs: &[(Some(0), "Koordynatorka wolontariatu", "miesiąc", 1_200, 10), (Some(0), "Telefon dyżurny", "miesiąc", 60, 10)],
        expected: "25 osób pod stałą opieką.",
        indicators: &[("Osoby pod opieką", "25", "Karta wizyt")],
        personal_bp: 1500,
    },
    DemoOffer {
        title: "Ogród społeczny seniorów przy domu kultury",
        summary: "Seniorzy zakładają i prowadzą ogród warzywno-kwiatowy, a zbiory trafiają na kiermasz i do jadłodzielni.",
        place: "Teren przy Domu Kultury, ul. Parkowa 2",
        contact: "Stanisław Lewandowski",
        actions: &[("Ogród", "Przygotowanie grządek, uprawa, kiermasz zbiorów.", "Seniorzy", "04–09.2026")],
        costs: &[(Some(0), "Sadzonki, nasiona i ziemia", "komplet", 2_500, 1), (Some(0), "Narzędzia ogrodowe", "komplet", 1_800, 1), (None, "Ubezpieczenie", "usługa", 300, 1)],
        expected: "15 stałych ogrodników, kiermasz zbiorów.",
        indicators: &[("Stali uczestnicy", "15 osób", "Lista obecności")],
        personal_bp: 1200,
    },
    DemoOffer {
        title: "Taniec towarzyski dla seniorów",
        summary: "Cotygodniowe zajęcia tańca towarzyskiego dla par i osób samotnych, zakończone balem seniora.",
        place: "Sala taneczna Domu Kultury",
        contact: "Irena Mazur",
        actions: &[("Zajęcia taneczne", "Trzydzieści zajęć po półtorej godziny.", "Seniorzy", "02–10.2026"), ("Bal seniora", "Bal na zakończenie.", "Seniorzy", "10.2026")],
        costs: &[(Some(0), "Instruktor tańca", "zajęcia", 150, 30), (Some(1), "Oprawa muzyczna balu", "usługa", 1_500, 1)],
        expected: "40 tańczących seniorów, bal dla 100 osób.",
        indicators: &[("Uczestnicy zajęć", "40 osób", "Lista obecności")],
        personal_bp: 600,
    },
];

fn content_of(
    d: &DemoOffer,
    org: &organization::Model,
    call: &grant_call::Model,
) -> OfferContent {
    let mut c = OfferContent::default();
    c.offerors.lead = crate::grants::store::offeror_from(org);
    c.offerors.contact_person = d.contact.to_owned();
    c.offerors.contact_email = org.email.clone().unwrap_or_default();
    c.offerors.contact_phone = org.phone.clone().unwrap_or_default();
    c.task.title = d.title.to_owned();
    c.task.start_date = call.execution_from.format("%Y-%m-%d").to_string();
    // Within one calendar year, as the demo calls allow (max_years = 1).
    let year_end = chrono::NaiveDate::from_ymd_opt(call.execution_from.year(), 12, 31).unwrap_or(call.execution_to);
    c.task.end_date = call.execution_to.min(year_end).format("%Y-%m-%d").to_string();
    c.task.summary = d.summary.to_owned();
    c.task.place = d.place.to_owned();
    c.actions.actions = d
        .actions
        .iter()
        .map(|(name, description, target, dates)| Action {
            name: (*name).into(),
            description: (*description).into(),
            target_group: (*target).into(),
            planned_dates: (*dates).into(),
            non_party: String::new(),
            year: 1,
        })
        .collect();
    c.results.expected = d.expected.to_owned();
    c.results.indicators = d
        .indicators
        .iter()
        .map(|(result, planned, monitoring)| Indicator {
            result: (*result).into(),
            planned_value: (*planned).into(),
            monitoring: (*monitoring).into(),
        })
        .collect();
    c.resources.earlier_activity = "Organizacja od kilku lat prowadzi podobne zajęcia dla mieszkańców Wierzbina, finansowane ze składek członkowskich i darowizn.".into();
    c.resources.resources = "Wykwalifikowana kadra, wolontariusze, własny sprzęt i współpraca ze szkołami.".into();
    c.costs.lines = d
        .costs
        .iter()
        .map(|(action, kind, unit, zl, units)| CostLine {
            action: *action,
            kind: (*kind).into(),
            unit: (*unit).into(),
            unit_cost: zl * 100,
            units_centi: units * 100,
            year: 1,
        })
        .collect();
    let total = c.totals().total;
    // Whole złoty amounts; the grant takes the rest so the sources equal the total.
    let personal = total * d.personal_bp / 10_000 / 100 * 100;
    let own_financial = total * 500 / 10_000 / 100 * 100;
    c.funding.personal = personal;
    c.funding.own_financial = own_financial;
    c.funding.grant = total - personal - own_financial;
    c.funding.valuation = "Praca wolontariuszy wyceniona według stawki 30 zł za godzinę, na podstawie porozumień wolontariackich.".into();
    c.statements.confirmed = STATEMENTS.iter().map(|s| (*s).to_owned()).collect();
    c
}

/// The organisations for a call: those of the sphere first, then any, each once.
fn pick(s: &Seed<'_>, sphere: &str, n: usize, skip: &[i64]) -> Vec<i64> {
    let mut out: Vec<i64> = s
        .organizations
        .iter()
        .filter(|o| o.spheres.contains(&sphere) && !skip.contains(&o.id))
        .map(|o| o.id)
        .take(n)
        .collect();
    for o in &s.organizations {
        if out.len() >= n {
            break;
        }
        if !out.contains(&o.id) && !skip.contains(&o.id) {
            out.push(o.id);
        }
    }
    out
}

/// What happened to a demo offer after its submission.
#[derive(Clone, Copy)]
enum Outcome {
    Waiting,
    Complete,
    InCorrection,
}

async fn offer(
    s: &Seed<'_>,
    call: &grant_call::Model,
    org_id: i64,
    d: &DemoOffer,
    submitted: DateTime<Utc>,
    outcome: Outcome,
) -> anyhow::Result<()> {
    let txn = s.txn;
    let Some(org) = organization::Entity::find_by_id(org_id).one(txn).await? else {
        return Ok(());
    };
    let mut content = content_of(d, &org, call);
    let small = call.kind == grant_call::Kind::Small;
    let template = if small { SMALL_TEMPLATE_VERSION } else { TEMPLATE_VERSION };
    if small {
        // A short task within the register's year, as art. 19a allows.
        let start = (crate::grants::model::warsaw_day(s.base) + Duration::days(10)).min(call.execution_to - Duration::days(11));
        content.task.start_date = start.format("%Y-%m-%d").to_string();
        content.task.end_date = (start + Duration::days(10)).format("%Y-%m-%d").to_string();
    }
    let created = submitted - Duration::days(6);
    let offer = grant_offer::ActiveModel {
        call_id: Set(call.id),
        organization_id: Set(org.id),
        title: Set(d.title.into()),
        status: Set(Status::Draft),
        template_version: Set(template.to_owned()),
        current_version: Set(0),
        checksum: Set(None),
        submitted_at: Set(None),
        withdrawn_at: Set(None),
        requested_grant: Set(0),
        total_cost: Set(0),
        correction_deadline: Set(None),
        correction_sections: Set(String::new()),
        created_by: Set(None),
        created_at: Set(created),
        updated_at: Set(created),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for sec in Section::of(template) {
        section_row::ActiveModel {
            offer_id: Set(offer.id),
            section: Set(sec.code().to_owned()),
            data: Set(content.section_json(*sec).to_string()),
            version: Set(1),
            updated_by: Set(None),
            updated_at: Set(created + Duration::days(2)),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    crate::grants::submit::freeze(
        txn,
        &offer,
        call,
        &content,
        &[],
        Status::Submitted,
        submitted,
        None,
    )
    .await?;
    // Last year's call was checked days after its deadline; the closed call yesterday, so its
    // correction is still running.
    let checked = if call.status == grant_call::Status::Decided {
        call.offer_deadline + Duration::days(3) + Duration::hours(2)
    } else {
        s.base - Duration::days(1) + Duration::hours(3)
    };
    let checklist = crate::grants::model::lines(&call.formal_checklist);
    let items = |all_ok: bool| {
        serde_json::to_string(
            &checklist
                .iter()
                .enumerate()
                .map(|(i, t)| crate::grants::formal::Item {
                    item: t.clone(),
                    ok: all_ok || i != 3,
                })
                .collect::<Vec<_>>(),
        )
        .unwrap_or_else(|_| "[]".into())
    };
    let (result, status, deficiencies, sections, deadline) = match outcome {
        Outcome::Waiting => return Ok(()),
        Outcome::Complete => (FormalResult::Complete, Status::Complete, String::new(), String::new(), None),
        Outcome::InCorrection => (
            FormalResult::Deficient,
            Status::InCorrection,
            "Brak aktualnego statutu organizacji. W zestawieniu źródeł finansowania prosimy opisać sposób wyceny wkładu osobowego (liczba godzin pracy wolontariuszy).".to_owned(),
            "zrodla,inne".to_owned(),
            Some(crate::grants::formal::correction_deadline(checked, call.correction_days)),
        ),
    };
    check::ActiveModel {
        offer_id: Set(offer.id),
        round: Set(1),
        result: Set(result),
        checklist: Set(items(matches!(outcome, Outcome::Complete))),
        deficiencies: Set(deficiencies),
        sections: Set(sections.clone()),
        deadline: Set(deadline),
        checked_by: Set(None),
        checked_at: Set(checked),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    grant_offer::Entity::update_many()
        .col_expr(grant_offer::Column::Status, Expr::value(status))
        .col_expr(grant_offer::Column::CorrectionDeadline, Expr::value(deadline))
        .col_expr(grant_offer::Column::CorrectionSections, Expr::value(sections))
        .col_expr(grant_offer::Column::UpdatedAt, Expr::value(checked))
        .filter(grant_offer::Column::Id.eq(offer.id))
        .exec(txn)
        .await?;
    Ok(())
}

pub async fn seed(s: &mut Seed<'_>, calls: &[grant_call::Model]) -> anyhow::Result<()> {
    let mut used = Vec::new();
    if let Some(call) = calls.iter().find(|c| c.slug == "zajecia-sportowe-dla-dzieci") {
        let orgs = pick(s, "17", SPORT.len(), &used);
        let outcomes = [
            Outcome::Complete,
            Outcome::InCorrection,
            Outcome::Waiting,
            Outcome::Waiting,
        ];
        for (i, ((d, org), out)) in SPORT.iter().zip(&orgs).zip(outcomes).enumerate() {
            let at = call.offer_deadline - Duration::days(9 - 2 * i as i64) - Duration::minutes(37 * i as i64 + 11);
            offer(s, call, *org, d, at, out).await?;
        }
        used.extend(orgs);
    }
    if let Some(call) = calls.iter().find(|c| c.slug == "kultura-i-dziedzictwo-2026") {
        let orgs = pick(s, "16", CULTURE.len(), &used);
        for (i, (d, org)) in CULTURE.iter().zip(&orgs).enumerate() {
            let at = call.offer_deadline - Duration::days(5 - i as i64) - Duration::minutes(23 * i as i64 + 7);
            offer(s, call, *org, d, at, Outcome::Complete).await?;
        }
        results(s, call, &[4125, 3780, 2240]).await?;
        contract(s, call).await?;
        used.extend(orgs);
    }
    if let Some(call) = calls.iter().find(|c| c.slug == "aktywnosc-seniorow-2026") {
        let orgs = pick(s, "10", SENIORS.len(), &used);
        for (i, (d, org)) in SENIORS.iter().zip(&orgs).enumerate() {
            let at = call.offer_deadline - Duration::days(4 - i as i64 / 2) - Duration::minutes(19 * i as i64 + 5);
            offer(s, call, *org, d, at, Outcome::Complete).await?;
        }
        results(s, call, &[4310, 4120, 3990, 3870, 3650, 3420]).await?;
        contracts_in_every_state(s, call).await?;
        used.extend(orgs);
    }
    small(s, &used).await
}

/// This year's register of small grants (art. 19a): one offer in its comment window, with a
/// comment let through and one waiting for review; one received yesterday, waiting for its
/// publication; one whose window ended, waiting for the decision.
async fn small(s: &Seed<'_>, used: &[i64]) -> anyhow::Result<()> {
    use crate::grants::entity::grant_small_comment::Status as CommentStatus;
    use crate::grants::entity::grant_small_offer as small_row;
    use crate::grants::small_store::{self, NewComment, RegisterInput};
    let txn = s.txn;
    let today = crate::grants::model::warsaw_day(s.base);
    let input = RegisterInput {
        year: today.year(),
        year_funds: 80_000_000,
        contact_name: "Anna Kowalczyk".into(),
        contact_email: "dotacje@wierzbin.example".into(),
    };
    let system = wspolnie_platform::audit::Actor::system("demo");
    let Ok(register) = small_store::open_register(txn, &input, &system).await? else {
        return Ok(());
    };
    let orgs = pick(s, "16", SMALL.len(), used);
    for (i, (d, org)) in SMALL.iter().zip(&orgs).enumerate() {
        let days_ago = [5, 1, 14][i.min(2)];
        let at = s.base - Duration::days(days_ago) + Duration::hours(2);
        offer(s, &register, *org, d, at, Outcome::Waiting).await?;
        let Some(o) = grant_offer::Entity::find()
            .filter(grant_offer::Column::CallId.eq(register.id))
            .filter(grant_offer::Column::OrganizationId.eq(*org))
            .one(txn)
            .await?
        else {
            continue;
        };
        // The publication row written directly: the demo queues no reminders.
        let received = crate::grants::model::warsaw_day(at);
        let published = match i {
            0 => Some(today - Duration::days(2)),
            2 => Some(today - Duration::days(11)),
            _ => None,
        };
        small_row::ActiveModel {
            offer_id: Set(o.id),
            received_on: Set(received),
            publish_by: Set(crate::grants::small::publish_by(received)),
            sphere_code: Set(if published.is_some() { "16".into() } else { String::new() }),
            published_on: Set(published),
            comments_to: Set(published.map(|p| crate::grants::small::comment_window(p).1)),
            published_by: Set(None),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        if published.is_none() {
            continue;
        }
        grant_offer::Entity::update_many()
            .col_expr(grant_offer::Column::Status, Expr::value(Status::Published))
            .filter(grant_offer::Column::Id.eq(o.id))
            .exec(txn)
            .await?;
        let comments: &[(&str, &str, CommentStatus)] = if i == 0 {
            &[
                ("Jan Wiśniewski", "Dobry pomysł. Proszę tylko pamiętać o toaletach i koszach na śmieci przy placu.", CommentStatus::Published),
                ("Maria Dąbrowska", "Czy piknik nie pokryje się z festynem parafialnym w tę samą sobotę?", CommentStatus::Pending),
            ]
        } else {
            &[("Adam Zieliński", "Chętnie pójdę. Warto dodać spacer dla osób na wózkach, trasą bez schodów.", CommentStatus::Published)]
        };
        for (name, body, status) in comments {
            let c = small_store::add_comment(
                txn,
                o.id,
                &NewComment { name: (*name).into(), email: String::new(), body: (*body).into() },
            )
            .await?;
            if *status == CommentStatus::Published {
                small_store::moderate(txn, o.id, c.id, *status, &system).await?;
            }
            // Written the day after the publication, in the morning.
            let written = published
                .and_then(|p| (p + Duration::days(1)).and_hms_opt(9, 30, 0))
                .and_then(wspolnie_core::time::local_to_utc);
            if let Some(at) = written {
                crate::grants::entity::grant_small_comment::Entity::update_many()
                    .col_expr(crate::grants::entity::grant_small_comment::Column::CreatedAt, Expr::value(at))
                    .filter(crate::grants::entity::grant_small_comment::Column::Id.eq(c.id))
                    .exec(txn)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Last year's decided call: its published results — the two best offers granted what they
/// asked (within the funds), the third granted nothing — with the commission's average scores.
async fn results(s: &Seed<'_>, call: &grant_call::Model, scores: &[i64]) -> anyhow::Result<()> {
    use crate::grants::entity::grant_decision_line as line;
    let txn = s.txn;
    let offers = grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(call.id))
        .order_by_asc(grant_offer::Column::Id)
        .all(txn)
        .await?;
    let mut left = call.funds_available;
    for (o, score) in offers.iter().zip(scores.iter().copied()) {
        let amount = if score >= 3000 && o.requested_grant <= left { o.requested_grant } else { 0 };
        left -= amount;
        line::ActiveModel {
            call_id: Set(call.id),
            offer_id: Set(o.id),
            amount: Set(amount),
            score_centi: Set(Some(score)),
            reason: Set(String::new()),
            decided_by: Set(None),
            decided_at: Set(call.selection_date.and_hms_opt(10, 0, 0).map(|t| t.and_utc()).unwrap_or(call.offer_deadline)),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        grant_offer::Entity::update_many()
            .col_expr(
                grant_offer::Column::Status,
                Expr::value(if amount > 0 { Status::Granted } else { Status::NotGranted }),
            )
            .filter(grant_offer::Column::Id.eq(o.id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Last year's seniors' call: a contract in every state, one per granted offer in order — a
/// draft, sent, signed, reported (the final report accepted, nothing owed), settled, terminated.
async fn contracts_in_every_state(s: &Seed<'_>, call: &grant_call::Model) -> anyhow::Result<()> {
    use crate::grants::contract::{self};
    use crate::grants::contract_store::{self as store, Signed};
    use crate::grants::entity::grant_contract::{self as contract_row, Status as ContractStatus};
    use crate::grants::report::{self, ReportInput};
    use crate::grants::report_store;
    let txn = s.txn;
    let system = wspolnie_platform::audit::Actor::system("demo");
    let url = "http://127.0.0.1:8080";
    let granted = grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(call.id))
        .filter(grant_offer::Column::Status.eq(Status::Granted))
        .order_by_asc(grant_offer::Column::Id)
        .all(txn)
        .await?;
    let states = [
        ContractStatus::Draft,
        ContractStatus::Sent,
        ContractStatus::Signed,
        ContractStatus::Reported,
        ContractStatus::Settled,
        ContractStatus::Terminated,
    ];
    for (i, (offer, state)) in granted.iter().zip(states).enumerate() {
        let Some(amount) = store::granted(txn, offer.id).await? else { continue };
        let mut input = store::prefill(txn, offer, call).await?;
        input.bank_account = "61 1090 1014 0000 0712 1981 2874".into();
        let Ok(terms) = contract::check(&input, amount) else { continue };
        let Ok(c) = store::create(txn, offer, &terms, &system).await? else { continue };
        if state == ContractStatus::Draft {
            continue;
        }
        // Sent without the e-mail a real sending queues.
        contract_row::Entity::update_many()
            .col_expr(contract_row::Column::Status, Expr::value(ContractStatus::Sent.as_str()))
            .col_expr(contract_row::Column::SentAt, Expr::value(Some(s.base - Duration::days(330 - i as i64))))
            .filter(contract_row::Column::Id.eq(c.id))
            .exec(txn)
            .await?;
        match state {
            ContractStatus::Sent => continue,
            ContractStatus::Terminated => {
                // Ended without the e-mail a real termination queues.
                contract_row::Entity::update_many()
                    .col_expr(contract_row::Column::Status, Expr::value(ContractStatus::Terminated.as_str()))
                    .col_expr(contract_row::Column::Note, Expr::value("Organizacja zrezygnowała z zadania przed podpisaniem."))
                    .filter(contract_row::Column::Id.eq(c.id))
                    .exec(txn)
                    .await?;
                continue;
            }
            _ => {}
        }
        store::move_to(txn, c.id, ContractStatus::Signed, Some(Signed::Electronic), "Podpisy kwalifikowane obu stron.", &system, url).await?.ok();
        if state == ContractStatus::Signed {
            continue;
        }
        for t in store::tranches_of(txn, c.id).await? {
            store::pay(txn, c.id, t.n, t.due_on, &system, url).await?.ok();
        }
        // The final report: everything done as planned, every line spent as contracted.
        let Some(c) = contract_row::Entity::find_by_id(c.id).one(txn).await? else { continue };
        let plan = report_store::plan_of(txn, &c).await?;
        let money = crate::grants::fields::money_field;
        let filled = ReportInput {
            summary: "Zadanie wykonano w całości, zgodnie z harmonogramem; wszyscy zaplanowani uczestnicy wzięli udział.".into(),
            actions: plan.actions.iter().map(|_| ("Wykonano zgodnie z planem.".to_owned(), String::new())).collect(),
            results: plan.results.iter().map(|(_, planned)| (planned.clone(), String::new())).collect(),
            costs: plan.lines.iter().map(|l| (money(l.value), money(l.grant), String::new())).collect(),
            sources: [money(c.own_financial), money(c.personal), money(c.in_kind), money(0), money(0)],
            input_note: "Wolontariusze przepracowali zaplanowane godziny (karty pracy w dokumentacji).".into(),
            invoices: Vec::new(),
            statements: report::STATEMENTS.iter().map(|s| (*s).to_owned()).collect(),
        };
        let Ok(content) = report::check(&filled, &plan, true) else { continue };
        let Some(fin) = report_store::reports_of(txn, c.id).await?.into_iter().next() else { continue };
        if report_store::save(txn, &fin, fin.version, &content, true, &system).await?.is_err() {
            continue;
        }
        // Accepted (and settled) without the e-mails a real review queues: the demo mails nobody.
        let decided = s.base - Duration::days(150 - i as i64);
        crate::grants::entity::grant_report::Entity::update_many()
            .col_expr(crate::grants::entity::grant_report::Column::Status, Expr::value(crate::grants::entity::grant_report::Status::Accepted.as_str()))
            .col_expr(crate::grants::entity::grant_report::Column::DecidedAt, Expr::value(Some(decided)))
            .filter(crate::grants::entity::grant_report::Column::Id.eq(fin.id))
            .exec(txn)
            .await?;
        let to = if state == ContractStatus::Settled { ContractStatus::Settled } else { ContractStatus::Reported };
        contract_row::Entity::update_many()
            .col_expr(contract_row::Column::Status, Expr::value(to.as_str()))
            .filter(contract_row::Column::Id.eq(c.id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// The second granted offer of last year's call has its contract: signed, the first of two
/// tranches paid, its final report not handed in though the task ended months ago (overdue on
/// the officers' list). The first granted offer still waits for its contract.
async fn contract(s: &Seed<'_>, call: &grant_call::Model) -> anyhow::Result<()> {
    use crate::grants::contract::{self, TrancheInput};
    use crate::grants::contract_store::{self as store, Signed};
    use crate::grants::entity::grant_contract::Status as ContractStatus;
    let txn = s.txn;
    let granted = grant_offer::Entity::find()
        .filter(grant_offer::Column::CallId.eq(call.id))
        .filter(grant_offer::Column::Status.eq(Status::Granted))
        .order_by_asc(grant_offer::Column::Id)
        .all(txn)
        .await?;
    let Some(offer) = granted.get(1) else {
        return Ok(());
    };
    let Some(amount) = store::granted(txn, offer.id).await? else {
        return Ok(());
    };
    let mut input = store::prefill(txn, offer, call).await?;
    input.bank_account = "61 1090 1014 0000 0712 1981 2874".into();
    let money = crate::grants::fields::money_field;
    let second = crate::grants::report_due::earliest_partial_due(call.execution_from).format("%Y-%m-%d").to_string();
    input.tranches = vec![
        TrancheInput { due_on: input.task_from.clone(), amount: money(amount - amount / 2) },
        TrancheInput { due_on: second, amount: money(amount / 2) },
    ];
    let Ok(terms) = contract::check(&input, amount) else {
        return Ok(());
    };
    let system = wspolnie_platform::audit::Actor::system("demo");
    let url = "http://127.0.0.1:8080";
    let Ok(c) = store::create(txn, offer, &terms, &system).await? else {
        return Ok(());
    };
    // Sent without the e-mail a real sending queues (the demo mails nobody).
    crate::grants::entity::grant_contract::Entity::update_many()
        .col_expr(crate::grants::entity::grant_contract::Column::Status, Expr::value(ContractStatus::Sent.as_str()))
        .col_expr(crate::grants::entity::grant_contract::Column::SentAt, Expr::value(Some(s.base - Duration::days(300))))
        .filter(crate::grants::entity::grant_contract::Column::Id.eq(c.id))
        .exec(txn)
        .await?;
    store::move_to(txn, c.id, ContractStatus::Signed, Some(Signed::Electronic), "Podpisy kwalifikowane obu stron.", &system, url)
        .await?
        .ok();
    store::pay(txn, c.id, 1, terms.task_from, &system, url).await?.ok();
    Ok(())
}
