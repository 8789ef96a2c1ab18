//! The commission's protocol (issue 18, item 4): who sat on it and when each made the
//! impartiality statement, the recusals, every card per offer and criterion, the averages and
//! spreads, and the proposed amounts — as a tagged PDF with a checksum of its content on every
//! page. The protocol is an official record of a Polish procedure, so it is written in Polish
//! whatever the viewer's language.

use crate::directory::entity::organization;
use crate::grants::commission;
use crate::grants::entity::grant_call;
use crate::grants::entity::grant_commission as com_entity;
use crate::grants::entity::grant_commission_member::{self as member, Kind};
use crate::grants::entity::grant_recusal::{self as recusal, Source};
use crate::grants::entity::grant_score_card as card;
use crate::grants::model::criteria_of;
use crate::grants::scoring;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use sha2::Digest;
use wspolnie_core::money::Money;
use wspolnie_pdf::{OfferBlock, OfferDocument, OfferSection};

fn warsaw(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&wspolnie_core::time::TZ)
        .format("%d.%m.%Y %H:%M:%S")
        .to_string()
}

fn kind_pl(k: Kind) -> &'static str {
    match k {
        Kind::Official => "przedstawiciel urzędu",
        Kind::Ngo => "osoba wskazana przez organizację",
        Kind::Expert => "ekspert (głos doradczy)",
    }
}

/// The protocol of the call's commission as a document (its checksum in `checksum`).
pub async fn document<C: ConnectionTrait>(
    db: &C,
    call: &grant_call::Model,
    com: &com_entity::Model,
) -> Result<OfferDocument, DbErr> {
    let criteria = criteria_of(call);
    let members = member::Entity::find()
        .filter(member::Column::CommissionId.eq(com.id))
        .order_by_asc(member::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let recusals = recusal::Entity::find()
        .filter(recusal::Column::MemberId.is_in(ids.clone()))
        .order_by_asc(recusal::Column::Id)
        .all(db)
        .await?;
    let offers = commission::offers_to_score(db, call.id).await?;
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(offers.iter().map(|o| o.organization_id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    let org_name = |id: i64| orgs.iter().find(|o| o.id == id).map(|o| o.name.clone()).unwrap_or_default();
    let member_name = |id: i64| members.iter().find(|m| m.id == id).map(|m| m.name.clone()).unwrap_or_default();
    let offer_title = |id: i64| offers.iter().find(|o| o.id == id).map(|o| o.title.clone()).unwrap_or_default();
    let lines = commission::opinion_of(db, com.id).await?;

    let mut sections = Vec::new();
    sections.push(OfferSection {
        heading: "I. Skład komisji i oświadczenia o bezstronności".into(),
        blocks: vec![OfferBlock::Table {
            caption: "Członkowie komisji".into(),
            columns: vec!["Imię i nazwisko".into(), "Rola".into(), "Oświadczenie (czas, wersja tekstu)".into()],
            rows: members
                .iter()
                .map(|m| {
                    vec![
                        if m.is_chair { format!("{} (przewodniczący/a)", m.name) } else { m.name.clone() },
                        kind_pl(m.kind).to_owned(),
                        match m.statement_at {
                            Some(t) => format!("{}, {}", warsaw(t), m.statement_version),
                            None => "nie złożono".into(),
                        },
                    ]
                })
                .collect(),
        }],
    });
    sections.push(OfferSection {
        heading: "II. Wyłączenia z oceny".into(),
        blocks: if recusals.is_empty() {
            vec![OfferBlock::Field {
                label: "Wyłączenia".into(),
                value: "Nikt nie wyłączył się z oceny.".into(),
            }]
        } else {
            vec![OfferBlock::Table {
                caption: "Wyłączenia członków z oceny ofert".into(),
                columns: vec!["Członek".into(), "Oferta".into(), "Podstawa".into(), "Powód".into()],
                rows: recusals
                    .iter()
                    .map(|r| {
                        vec![
                            member_name(r.member_id),
                            offer_title(r.offer_id),
                            match r.source {
                                Source::Directory => "przynależność według katalogu".into(),
                                Source::Declared => "zgłoszona przez członka".into(),
                            },
                            r.reason.clone(),
                        ]
                    })
                    .collect(),
            }]
        },
    });
    let mut scores = Vec::new();
    // One tally per offer, for its score table and for the proposed amounts.
    let mut tallies = Vec::with_capacity(offers.len());
    for o in &offers {
        let cards = card::Entity::find()
            .filter(card::Column::OfferId.eq(o.id))
            .filter(card::Column::MemberId.is_in(ids.clone()))
            .all(db)
            .await?;
        let mut columns = vec!["Członek".to_owned()];
        columns.extend(criteria.iter().map(|c| format!("{} (0–{}, waga {})", c.name, c.max_points, c.weight.max(1))));
        columns.push("Suma z wagami".into());
        let mut rows = Vec::new();
        for m in &members {
            let recused = recusals.iter().any(|r| r.member_id == m.id && r.offer_id == o.id);
            let label = if m.kind == Kind::Expert { format!("{} (bez głosu)", m.name) } else { m.name.clone() };
            let mut row = vec![label];
            match cards.iter().find(|c| c.member_id == m.id && c.submitted_at.is_some()) {
                _ if recused => {
                    row.extend(criteria.iter().map(|_| "wyłączenie".to_owned()));
                    row.push("—".into());
                }
                Some(c) => {
                    let pts: Vec<Option<u32>> = serde_json::from_str(&c.points).unwrap_or_default();
                    row.extend((0..criteria.len()).map(|i| pts.get(i).copied().flatten().map(|p| p.to_string()).unwrap_or_else(|| "—".into())));
                    row.push(scoring::weighted(&pts, &criteria).to_string());
                }
                None => {
                    row.extend(criteria.iter().map(|_| "—".to_owned()));
                    row.push("brak karty".into());
                }
            }
            rows.push(row);
        }
        let t = commission::tally_of(db, com, &criteria, o.id).await?;
        tallies.push(t.clone());
        let per: Vec<String> = criteria
            .iter()
            .zip(&t.per_criterion_centi)
            .map(|(c, v)| format!("{}: {}", c.name, v.map(scoring::centi_pl).unwrap_or_else(|| "—".into())))
            .collect();
        scores.push(OfferBlock::Table {
            caption: format!("{} — {}", o.title, org_name(o.organization_id)),
            columns,
            rows,
        });
        scores.push(OfferBlock::Field {
            label: "Wynik".into(),
            value: format!(
                "Średnia: {} (kart liczonych: {}). Rozrzut: {} pkt{}. Próg dofinansowania: {}{}.\nŚrednie kryteriów: {}.",
                t.average_centi.map(scoring::centi_pl).unwrap_or_else(|| "—".into()),
                t.counted,
                t.spread,
                if t.flagged { " — do dyskusji" } else { "" },
                scoring::centi_pl(u64::try_from(com.min_score_centi).unwrap_or(0)),
                if t.fundable { " — osiągnięty" } else { " — nieosiągnięty" },
                per.join("; "),
            ),
        });
    }
    sections.push(OfferSection {
        heading: "III. Oceny ofert".into(),
        blocks: if scores.is_empty() {
            vec![OfferBlock::Field { label: "Oferty".into(), value: "Żadna oferta nie przeszła oceny formalnej.".into() }]
        } else {
            scores
        },
    });
    let sum = lines.iter().fold(0i64, |a, l| a.saturating_add(l.proposed));
    let mut opinion_rows = Vec::new();
    for (o, t) in offers.iter().zip(&tallies) {
        let line = lines.iter().find(|l| l.offer_id == o.id);
        opinion_rows.push(vec![
            o.title.clone(),
            org_name(o.organization_id),
            Money(o.requested_grant).to_string(),
            t.average_centi.map(scoring::centi_pl).unwrap_or_else(|| "—".into()),
            line.map(|l| Money(l.proposed).to_string()).unwrap_or_else(|| "—".into()),
            line.map(|l| l.note.clone()).unwrap_or_default(),
        ]);
    }
    sections.push(OfferSection {
        heading: "IV. Opinia komisji: proponowane kwoty dotacji".into(),
        blocks: vec![
            OfferBlock::Table {
                caption: "Proponowane kwoty".into(),
                columns: vec![
                    "Oferta".into(),
                    "Oferent".into(),
                    "Wnioskowana dotacja".into(),
                    "Średnia ocena".into(),
                    "Proponowana kwota".into(),
                    "Uwagi".into(),
                ],
                rows: opinion_rows,
            },
            OfferBlock::Field {
                label: "Razem".into(),
                value: format!(
                    "Proponowane kwoty razem: {}; środki w konkursie: {}.",
                    Money(sum),
                    Money(call.funds_available)
                ),
            },
        ],
    });
    // The checksum covers every text of the protocol, in order.
    let mut h = sha2::Sha256::new();
    for s in &sections {
        h.update(s.heading.as_bytes());
        for b in &s.blocks {
            match b {
                OfferBlock::Field { label, value } => {
                    h.update(label.as_bytes());
                    h.update(value.as_bytes());
                }
                OfferBlock::Table { caption, columns, rows } => {
                    h.update(caption.as_bytes());
                    for c in columns.iter().chain(rows.iter().flatten()) {
                        h.update(c.as_bytes());
                        h.update([0u8]);
                    }
                }
            }
        }
    }
    let checksum = hex::encode(h.finalize());
    Ok(OfferDocument {
        title: format!("Protokół komisji konkursowej — {}", call.number),
        header: vec![
            format!("Konkurs: {} ({})", call.title, call.number),
            format!("Najwyższa możliwa ocena karty: {} pkt", scoring::maximum(&criteria)),
        ],
        sections,
        footer: format!("Protokół komisji konkursowej {} · suma kontrolna SHA-256:", call.number),
        checksum,
        lang: "pl".into(),
    })
}
