//! The competition commission (issue 18, items 1–3), on the demo's closed call with its offers:
//! nominations (an offering organisation's nominee excluded with the reason), appointments, the
//! impartiality statement before any card, a recusal found from the directory, cards refused
//! outside scoring, two members scoring one offer at once, one member's two windows, the tally
//! against the hand-computed table, and the chair closing scoring while members save.

use crate::accounts::make_user;
use crate::common::*;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::grants::commission::{self, Appointee, CardInput, CardSaved};
use wspolnie_areas::grants::entity::grant_commission::Status;
use wspolnie_areas::grants::entity::grant_commission_member::Kind;
use wspolnie_areas::grants::entity::grant_nomination;
use wspolnie_areas::grants::entity::grant_offer::{self, Status as OfferStatus};
use wspolnie_areas::grants::entity::{grant_call, grant_score_card};
use wspolnie_areas::grants::model::Criterion;
use wspolnie_platform::audit::Actor;
use wspolnie_platform::db::begin_write;
use wspolnie_platform::entity::organization_member;

const CLOSED_CALL: &str = "zajecia-sportowe-dla-dzieci";

fn actor(user_id: i64) -> Actor {
    Actor {
        user_id: Some(user_id),
        label: format!("user {user_id}"),
        ip: String::new(),
    }
}

fn input(points: &[u32], submit: bool) -> CardInput {
    CardInput {
        points: points.iter().map(|p| Some(*p)).collect(),
        comments: points
            .iter()
            .map(|p| format!("{p} pkt — uzasadnienie"))
            .collect(),
        submit,
    }
}

#[tokio::test]
async fn a_commission_is_formed_states_impartiality_and_scores_under_concurrency() {
    each_backend("grants commission", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        // The hand-computed table's criteria (scoring.rs): A 10 × 2, B 5 × 1, C 5 × 3.
        let criteria = vec![
            Criterion {
                name: "A".into(),
                max_points: 10,
                weight: 2,
            },
            Criterion {
                name: "B".into(),
                max_points: 5,
                weight: 1,
            },
            Criterion {
                name: "C".into(),
                max_points: 5,
                weight: 3,
            },
        ];
        grant_call::Entity::update_many()
            .col_expr(
                grant_call::Column::Criteria,
                Expr::value(serde_json::to_string(&criteria).expect("json")),
            )
            .filter(grant_call::Column::Slug.eq(CLOSED_CALL))
            .exec(db)
            .await
            .expect("criteria");
        let call = grant_call::Entity::find()
            .filter(grant_call::Column::Slug.eq(CLOSED_CALL))
            .one(db)
            .await
            .expect("q")
            .expect("the demo's closed call");
        // The formal check found two offers complete.
        let offers = grant_offer::Entity::find()
            .filter(grant_offer::Column::CallId.eq(call.id))
            .order_by_asc(grant_offer::Column::Id)
            .all(db)
            .await
            .expect("offers");
        assert!(offers.len() >= 2, "the demo call has offers");
        for o in &offers[..2] {
            grant_offer::Entity::update_many()
                .col_expr(
                    grant_offer::Column::Status,
                    Expr::value(OfferStatus::Complete),
                )
                .filter(grant_offer::Column::Id.eq(o.id))
                .exec(db)
                .await
                .expect("complete");
        }
        let (first, second) = (offers[0].id, offers[1].id);
        let offering_org = offers[0].organization_id;
        let other_org = organization::Entity::find()
            .filter(
                organization::Column::Id
                    .is_not_in(offers.iter().map(|o| o.organization_id).collect::<Vec<_>>()),
            )
            .order_by_asc(organization::Column::Id)
            .one(db)
            .await
            .expect("q")
            .expect("an organisation without an offer")
            .id;

        let chair_id = make_user(
            &app,
            "przewodniczaca@example.pl",
            "hasło komisji 2026",
            Some(&[("official", "grants")]),
        )
        .await;
        let clerk_id = make_user(
            &app,
            "urzednik@example.pl",
            "hasło komisji 2026",
            Some(&[("official", "grants")]),
        )
        .await;
        let ngo_id = make_user(&app, "spoleczniczka@example.pl", "hasło komisji 2026", None).await;
        let expert_id = make_user(&app, "ekspertka@example.pl", "hasło komisji 2026", None).await;
        // The clerk belongs to the first offer's organisation (the directory knows it).
        organization_member::Entity::insert(organization_member::ActiveModel {
            organization_id: Set(offering_org),
            user_id: Set(clerk_id),
            role: Set("editor".into()),
            created_at: Set(Utc::now()),
        })
        .exec(db)
        .await
        .expect("membership");
        let office = actor(chair_id);

        // Nominations: the offering organisation's nominee is excluded with the reason.
        let txn = begin_write(db).await.expect("txn");
        let com = commission::ensure(&txn, &call).await.expect("commission");
        assert_eq!(com.status, Status::Forming);
        let excluded = commission::nominate(
            &txn,
            &com,
            &call,
            offering_org,
            "Jan Oferent",
            "jan@example.pl",
            &office,
        )
        .await
        .expect("nominate");
        let nominee = commission::nominate(
            &txn,
            &com,
            &call,
            other_org,
            "Ewa Społeczniczka",
            "spoleczniczka@example.pl",
            &office,
        )
        .await
        .expect("nominate");
        txn.commit().await.expect("commit");
        // The same nomination pressed twice at once stays one.
        let twice = || async {
            let txn = begin_write(db).await.expect("txn");
            let n = commission::nominate(
                &txn,
                &com,
                &call,
                other_org,
                "Ewa Społeczniczka",
                "spoleczniczka@example.pl",
                &office,
            )
            .await
            .expect("nominate again");
            txn.commit().await.expect("commit");
            n.id
        };
        let (x, y) = tokio::join!(twice(), twice());
        assert_eq!((x, y), (nominee.id, nominee.id), "one nomination");
        assert_eq!(excluded.status, grant_nomination::Status::Excluded);
        assert!(excluded.reason.contains("art. 15 ust. 2d"));
        assert_eq!(nominee.status, grant_nomination::Status::Nominated);

        // Appointments: an excluded nominee cannot be appointed; the chair must be an official.
        let txn = begin_write(db).await.expect("txn");
        let appoint = |kind,
                       name: &'static str,
                       email: &'static str,
                       user: i64,
                       chair: bool,
                       nomination: Option<i64>| Appointee {
            kind,
            name,
            email,
            user_id: Some(user),
            is_chair: chair,
            nomination_id: nomination,
        };
        assert_eq!(
            commission::appoint(
                &txn,
                &com,
                &appoint(
                    Kind::Ngo,
                    "Jan Oferent",
                    "jan@example.pl",
                    ngo_id,
                    false,
                    Some(excluded.id)
                ),
                &office
            )
            .await
            .expect("q"),
            Err(commission::AppointError::Nomination)
        );
        assert_eq!(
            commission::appoint(
                &txn,
                &com,
                &appoint(
                    Kind::Expert,
                    "Ekspertka",
                    "ekspertka@example.pl",
                    expert_id,
                    true,
                    None
                ),
                &office
            )
            .await
            .expect("q"),
            Err(commission::AppointError::ChairNotOfficial)
        );
        let chair = commission::appoint(
            &txn,
            &com,
            &appoint(
                Kind::Official,
                "Przewodnicząca",
                "przewodniczaca@example.pl",
                chair_id,
                true,
                None,
            ),
            &office,
        )
        .await
        .expect("q")
        .expect("chair");
        let clerk = commission::appoint(
            &txn,
            &com,
            &appoint(
                Kind::Official,
                "Urzędnik",
                "urzednik@example.pl",
                clerk_id,
                false,
                None,
            ),
            &office,
        )
        .await
        .expect("q")
        .expect("clerk");
        let ngo = commission::appoint(
            &txn,
            &com,
            &appoint(
                Kind::Ngo,
                "Ewa Społeczniczka",
                "spoleczniczka@example.pl",
                ngo_id,
                false,
                Some(nominee.id),
            ),
            &office,
        )
        .await
        .expect("q")
        .expect("ngo member");
        let expert = commission::appoint(
            &txn,
            &com,
            &appoint(
                Kind::Expert,
                "Ekspertka",
                "ekspertka@example.pl",
                expert_id,
                false,
                None,
            ),
            &office,
        )
        .await
        .expect("q")
        .expect("expert");
        txn.commit().await.expect("commit");

        // No card before scoring opens, nor before the statement.
        let save = |m: wspolnie_areas::grants::entity::grant_commission_member::Model,
                    offer: i64,
                    card: CardInput,
                    expected: i32| {
            let criteria = criteria.clone();
            async move {
                let txn = begin_write(db).await.expect("txn");
                let r = commission::save_card(
                    &txn,
                    &m,
                    offer,
                    &criteria,
                    &card,
                    expected,
                    &actor(m.user_id.unwrap_or(0)),
                )
                .await
                .expect("save");
                txn.commit().await.expect("commit");
                r
            }
        };
        assert_eq!(
            save(chair.clone(), first, input(&[8, 4, 3], true), 0).await,
            CardSaved::NotScoring
        );
        let txn = begin_write(db).await.expect("txn");
        assert!(
            commission::move_to(&txn, com.id, Status::Scoring, &office)
                .await
                .expect("move")
        );
        txn.commit().await.expect("commit");
        assert_eq!(
            save(chair.clone(), first, input(&[8, 4, 3], true), 0).await,
            CardSaved::NotAllowed,
            "no statement yet"
        );

        // Statements; the clerk's recusal from the first offer comes from the directory.
        let reload = |id: i64| async move {
            wspolnie_areas::grants::entity::grant_commission_member::Entity::find_by_id(id)
                .one(db)
                .await
                .expect("q")
                .expect("member")
        };
        for m in [&chair, &clerk, &ngo, &expert] {
            let txn = begin_write(db).await.expect("txn");
            commission::make_statement(&txn, m, Utc::now(), &actor(m.user_id.unwrap_or(0)))
                .await
                .expect("statement");
            txn.commit().await.expect("commit");
        }
        let (chair, clerk, ngo, expert) = (
            reload(chair.id).await,
            reload(clerk.id).await,
            reload(ngo.id).await,
            reload(expert.id).await,
        );
        assert_eq!(chair.statement_version, commission::STATEMENT_VERSION);
        assert_eq!(chair.statement_sha256, commission::statement_sha256());
        assert!(
            commission::is_recused(db, clerk.id, first)
                .await
                .expect("q")
        );
        assert!(
            !commission::is_recused(db, clerk.id, second)
                .await
                .expect("q")
        );
        assert_eq!(
            save(clerk.clone(), first, input(&[10, 5, 5], true), 0).await,
            CardSaved::NotAllowed,
            "recused"
        );

        // Two members score the same offer at the same moment: both cards are kept.
        let (a, b2) = tokio::join!(
            save(chair.clone(), first, input(&[8, 4, 3], true), 0),
            save(ngo.clone(), first, input(&[7, 5, 2], true), 0)
        );
        assert_eq!((a, b2), (CardSaved::Stored(1), CardSaved::Stored(1)));
        // One member in two windows: one card, the other window told of the conflict.
        let (x, y) = tokio::join!(
            save(expert.clone(), first, input(&[10, 5, 5], false), 0),
            save(expert.clone(), first, input(&[9, 5, 5], false), 0)
        );
        let mut outcomes = [x, y];
        outcomes.sort_by_key(|o| format!("{o:?}"));
        assert_eq!(outcomes, [CardSaved::Conflict(1), CardSaved::Stored(1)]);
        assert_eq!(
            save(expert.clone(), first, input(&[10, 5, 5], true), 1).await,
            CardSaved::Stored(2)
        );
        // Submitting needs every criterion within its scale.
        let mut bad = input(&[6, 9, 4], true);
        assert_eq!(
            save(clerk.clone(), second, bad.clone(), 0).await,
            CardSaved::Incomplete(1)
        );
        bad.points[1] = None;
        assert_eq!(
            save(clerk.clone(), second, bad, 0).await,
            CardSaved::Incomplete(1)
        );
        // A fourth voting card (the office's second official has another offer): 6, 2, 4 → 26.
        let txn = begin_write(db).await.expect("txn");
        let third = commission::appoint(
            &txn,
            &com,
            &appoint(
                Kind::Official,
                "Drugi urzędnik",
                "drugi@example.pl",
                chair_id,
                false,
                None,
            ),
            &office,
        )
        .await
        .expect("q");
        txn.commit().await.expect("commit");
        assert_eq!(
            third,
            Err(commission::AppointError::NotForming),
            "no members once scoring opened"
        );
        assert_eq!(
            save(clerk.clone(), second, input(&[6, 2, 4], true), 0).await,
            CardSaved::Stored(1)
        );

        // The tally of the first offer: the chair 29 and the NGO member 25 count; the expert
        // (no vote) and the recused clerk do not → 27,00, spread 4.
        let com = wspolnie_areas::grants::entity::grant_commission::Entity::find_by_id(com.id)
            .one(db)
            .await
            .expect("q")
            .expect("commission");
        let t = commission::tally_of(db, &com, &criteria, first)
            .await
            .expect("tally");
        assert_eq!(
            (t.counted, t.totals.clone(), t.average_centi, t.spread),
            (2, vec![29, 25], Some(2700), 4)
        );
        assert_eq!(t.per_criterion_centi, vec![Some(750), Some(450), Some(250)]);
        let t2 = commission::tally_of(db, &com, &criteria, second)
            .await
            .expect("tally");
        assert_eq!((t2.counted, t2.average_centi), (1, Some(2600)));
        assert_eq!(
            commission::offers_to_score(db, call.id)
                .await
                .expect("q")
                .iter()
                .map(|o| o.id)
                .collect::<Vec<_>>(),
            vec![first, second]
        );

        // The chair closes scoring while the NGO member saves, twenty times over: every save
        // either lands before the close (stored) or is refused after it, never in between.
        for round in 0..20 {
            let txn = begin_write(db).await.expect("txn");
            if round > 0 {
                assert!(
                    commission::move_to(&txn, com.id, Status::Scoring, &office)
                        .await
                        .expect("reopen")
                );
            }
            txn.commit().await.expect("commit");
            let before = grant_score_card::Entity::find()
                .filter(grant_score_card::Column::MemberId.eq(ngo.id))
                .filter(grant_score_card::Column::OfferId.eq(second))
                .one(db)
                .await
                .expect("q")
                .map_or(0, |c| c.version);
            let close = async {
                let txn = begin_write(db).await.expect("txn");
                let moved = commission::move_to(&txn, com.id, Status::Opinion, &office)
                    .await
                    .expect("close");
                txn.commit().await.expect("commit");
                moved
            };
            let (saved, closed) = tokio::join!(
                save(ngo.clone(), second, input(&[5, 3, round % 6], true), before),
                close
            );
            assert!(closed, "round {round}: the chair closes");
            let after = grant_score_card::Entity::find()
                .filter(grant_score_card::Column::MemberId.eq(ngo.id))
                .filter(grant_score_card::Column::OfferId.eq(second))
                .one(db)
                .await
                .expect("q")
                .map_or(0, |c| c.version);
            match saved {
                CardSaved::Stored(v) => {
                    assert_eq!(after, v, "round {round}: stored before the close")
                }
                CardSaved::NotScoring => {
                    assert_eq!(after, before, "round {round}: refused, nothing written")
                }
                other => panic!("round {round}: {other:?}"),
            }
        }
        assert_eq!(
            save(ngo.clone(), second, input(&[1, 1, 1], true), 99).await,
            CardSaved::NotScoring
        );

        // Every card change and every step audited.
        let scores = app
            .tp
            .scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'grant_commission.score'")
            .await;
        let stored = app
            .tp
            .scalar_i64("SELECT COALESCE(SUM(version), 0) FROM grant_score_cards")
            .await;
        assert_eq!(scores, stored, "one audit row per stored card version");
        for action in [
            "grant_commission.nominate",
            "grant_commission.appoint",
            "grant_commission.statement",
            "grant_commission.recusal",
            "grant_commission.status",
        ] {
            assert!(
                app.tp
                    .scalar_i64(&format!(
                        "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
                    ))
                    .await
                    > 0,
                "{action}"
            );
        }
    })
    .await;
}

/// Whole złoty grouped by thousands as on the pages ("12 345").
fn group(n: i64) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (i, ch) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

fn text(b: &bytes::Bytes) -> String {
    String::from_utf8_lossy(b).replace('\u{a0}', " ")
}

/// The same work through the pages: the office sets the rules (bad input first), organisations
/// nominate (one excluded with the reason shown), the office appoints and starts scoring, a
/// nominee makes the statement before seeing any offer, scores (out-of-scale points refused next
/// to the field), sees the others' cards only after submitting, a member recuses by the form,
/// and the office's progress table shows the states and, once scoring closes, the averages.
#[tokio::test]
async fn the_commission_works_through_its_pages() {
    each_backend("grants commission pages", |b| async move {
        use crate::grants_submit::person;
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let call = grant_call::Entity::find()
            .filter(grant_call::Column::Slug.eq(CLOSED_CALL))
            .one(db)
            .await
            .expect("q")
            .expect("the demo's closed call");
        let criteria = wspolnie_areas::grants::model::criteria_of(&call);
        assert!(criteria.len() >= 2, "the demo call has criteria");
        let offers = grant_offer::Entity::find()
            .filter(grant_offer::Column::CallId.eq(call.id))
            .order_by_asc(grant_offer::Column::Id)
            .all(db)
            .await
            .expect("offers");
        for o in &offers[..2] {
            grant_offer::Entity::update_many()
                .col_expr(
                    grant_offer::Column::Status,
                    Expr::value(OfferStatus::Complete),
                )
                .filter(grant_offer::Column::Id.eq(o.id))
                .exec(db)
                .await
                .expect("complete");
        }
        let (first, second) = (offers[0].id, offers[1].id);
        let free_org = organization::Entity::find()
            .filter(
                organization::Column::Id
                    .is_not_in(offers.iter().map(|o| o.organization_id).collect::<Vec<_>>()),
            )
            .order_by_asc(organization::Column::Id)
            .one(db)
            .await
            .expect("q")
            .expect("an organisation without an offer")
            .id;
        let official_id = make_user(
            &app,
            "dotacje@example.pl",
            "hasło komisji 2026",
            Some(&[("official", "grants")]),
        )
        .await;
        let ngo_user = make_user(&app, "zarzad@example.pl", "hasło komisji 2026", None).await;
        for org in [free_org, offers[0].organization_id] {
            organization_member::Entity::insert(organization_member::ActiveModel {
                organization_id: Set(org),
                user_id: Set(ngo_user),
                role: Set("owner".into()),
                created_at: Set(Utc::now()),
            })
            .exec(db)
            .await
            .expect("membership");
        }
        let nominee_id = make_user(&app, "kandydatka@example.pl", "hasło komisji 2026", None).await;
        let office = person(&app, official_id).await;
        let ngo = person(&app, ngo_user).await;
        let nominee = person(&app, nominee_id).await;
        let base = format!("/panel/konkursy/{}/komisja", call.id);

        // The office's page; the rules with bad input come back with errors, nothing stored.
        let (s, _, page) = office.get(&app, &base).await;
        assert_eq!(s, 200);
        assert!(text(&page).contains("Komisja konkursowa"));
        let (s, _, html) = office
            .post(
                &app,
                &format!("{base}/zasady"),
                &[
                    ("nominations_date", "jutro"),
                    ("min_score", "abc"),
                    ("spread_limit", "-1"),
                    ("reduced_days", "0"),
                ],
            )
            .await;
        assert_eq!(s, 200);
        for id in [
            "nominations_date-error",
            "min_score-error",
            "spread_limit-error",
            "reduced_days-error",
        ] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        }
        assert!(html.contains("value=\"abc\""), "the input kept");
        let tomorrow = (Utc::now() + chrono::Duration::days(2))
            .with_timezone(&wspolnie_core::time::TZ)
            .date_naive()
            .to_string();
        let (s, loc, _) = office
            .post(
                &app,
                &format!("{base}/zasady"),
                &[
                    ("nominations_date", &tomorrow),
                    ("nominations_time", "12:00"),
                    ("min_score", "10,5"),
                    ("spread_limit", "6"),
                    ("reduced_days", "10"),
                    ("share_rule", "1"),
                ],
            )
            .await;
        assert_eq!((s, loc.as_str()), (303, base.as_str()));
        let com = wspolnie_areas::grants::entity::grant_commission::Entity::find()
            .filter(wspolnie_areas::grants::entity::grant_commission::Column::CallId.eq(call.id))
            .one(db)
            .await
            .expect("q")
            .expect("commission");
        assert_eq!(
            (com.min_score_centi, com.spread_limit, com.reduced_days),
            (1050, 6, 10)
        );

        // Nominations by the organisations' owner: the one with an offer is excluded.
        let (s, _, page) = ngo.get(&app, "/panel/komisje").await;
        assert_eq!(s, 200);
        assert!(
            text(&page).contains(&call.title),
            "the call takes nominations"
        );
        let cid = call.id.to_string();
        let (s, _, html) = ngo
            .post(
                &app,
                "/panel/komisje/zgloszenia",
                &[
                    ("call", &cid),
                    ("organization", &free_org.to_string()),
                    ("name", ""),
                    ("email", "zły"),
                ],
            )
            .await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"name-error\"") && html.contains("id=\"email-error\""));
        let (s, _, _) = ngo
            .post(
                &app,
                "/panel/komisje/zgloszenia",
                &[
                    ("call", &cid),
                    ("organization", &free_org.to_string()),
                    ("name", "Kinga Kandydatka"),
                    ("email", "kandydatka@example.pl"),
                ],
            )
            .await;
        assert_eq!(s, 303);
        let (s, _, _) = ngo
            .post(
                &app,
                "/panel/komisje/zgloszenia",
                &[
                    ("call", &cid),
                    ("organization", &offers[0].organization_id.to_string()),
                    ("name", "Olek Oferent"),
                    ("email", "olek@example.pl"),
                ],
            )
            .await;
        assert_eq!(s, 303);
        let (_, _, page) = ngo.get(&app, "/panel/komisje").await;
        assert!(
            text(&page).contains("art. 15 ust. 2d"),
            "the exclusion's reason is shown"
        );
        let noms = grant_nomination::Entity::find()
            .filter(grant_nomination::Column::CommissionId.eq(com.id))
            .order_by_asc(grant_nomination::Column::Id)
            .all(db)
            .await
            .expect("q");
        assert_eq!(
            noms.iter().map(|n| n.status).collect::<Vec<_>>(),
            vec![
                grant_nomination::Status::Nominated,
                grant_nomination::Status::Excluded
            ]
        );

        // The office appoints: itself as chair, the nominee; an expert without a chair's role.
        let (s, _, html) = office
            .post(
                &app,
                &format!("{base}/czlonkowie"),
                &[
                    ("kind", "expert"),
                    ("name", "Ekspert"),
                    ("email", "ekspert@example.pl"),
                    ("chair", "1"),
                ],
            )
            .await;
        assert_eq!(s, 200);
        assert!(
            html.contains("id=\"chair-error\""),
            "an expert cannot chair"
        );
        let (s, _, _) = office
            .post(
                &app,
                &format!("{base}/czlonkowie"),
                &[
                    ("kind", "official"),
                    ("name", "Dorota Dotacje"),
                    ("email", "dotacje@example.pl"),
                    ("chair", "1"),
                ],
            )
            .await;
        assert_eq!(s, 303);
        let (s, _, _) = office
            .post(
                &app,
                &format!("{base}/nominacje/{}", noms[0].id),
                &[("decision", "appoint")],
            )
            .await;
        assert_eq!(s, 303);
        let (s, _, _) = office
            .post(
                &app,
                &format!("{base}/nominacje/{}", noms[1].id),
                &[("decision", "appoint")],
            )
            .await;
        assert_eq!(s, 303, "an excluded nominee is refused with a message");
        assert_eq!(
            grant_nomination::Entity::find_by_id(noms[1].id)
                .one(db)
                .await
                .expect("q")
                .expect("n")
                .status,
            grant_nomination::Status::Excluded
        );
        let (s, _, _) = office
            .post(&app, &format!("{base}/status"), &[("to", "scoring")])
            .await;
        assert_eq!(s, 303);

        // The nominee: the statement first; no offer before it.
        let members = wspolnie_areas::grants::entity::grant_commission_member::Entity::find()
            .filter(
                wspolnie_areas::grants::entity::grant_commission_member::Column::CommissionId
                    .eq(com.id),
            )
            .order_by_asc(wspolnie_areas::grants::entity::grant_commission_member::Column::Id)
            .all(db)
            .await
            .expect("q");
        assert_eq!(members.len(), 2);
        let (chair_m, ngo_m) = (members[0].id, members[1].id);
        let card = |m: i64, o: i64| format!("/panel/komisje/{m}/oferty/{o}");
        let (s, _, page) = nominee.get(&app, "/panel/komisje").await;
        assert_eq!(s, 200);
        assert!(text(&page).contains("Oświadczenie o bezstronności"));
        assert_eq!(
            nominee.get(&app, &card(ngo_m, first)).await.0,
            403,
            "no offer before the statement"
        );
        assert_eq!(
            ngo.get(&app, &card(ngo_m, first)).await.0,
            404,
            "not another person's card"
        );
        let (s, _, _) = nominee
            .post(
                &app,
                &format!("/panel/komisje/{ngo_m}/oswiadczenie"),
                &[("version", commission::STATEMENT_VERSION)],
            )
            .await;
        assert_eq!(s, 303, "unticked: sent back");
        let (s, _, _) = nominee
            .post(
                &app,
                &format!("/panel/komisje/{ngo_m}/oswiadczenie"),
                &[("version", commission::STATEMENT_VERSION), ("confirm", "1")],
            )
            .await;
        assert_eq!(s, 303);
        let (s, _, page) = nominee.get(&app, &card(ngo_m, first)).await;
        assert_eq!(s, 200);
        let page = text(&page);
        assert!(page.contains(&offers[0].title), "the offer is shown");
        assert!(page.contains("points-1") && page.contains("comment-1"));

        // Out-of-scale points are refused next to the field; the typed comment is kept.
        let too_many = (criteria[0].max_points + 1).to_string();
        let mut fields: Vec<(String, String)> = vec![
            ("version".into(), "0".into()),
            ("action".into(), "submit".into()),
        ];
        for (i, c) in criteria.iter().enumerate() {
            fields.push((
                format!("points-{}", i + 1),
                if i == 0 {
                    too_many.clone()
                } else {
                    c.max_points.to_string()
                },
            ));
            fields.push((
                format!("comment-{}", i + 1),
                format!("Uwagi do kryterium {}", i + 1),
            ));
        }
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (s, _, html) = nominee.post(&app, &card(ngo_m, first), &refs).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"points-1-error\""));
        assert!(html.contains("Uwagi do kryterium 1"), "the comment kept");
        assert!(!html.contains("Karty pozostałych członków"));
        let good: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| {
                if k == "points-1" {
                    (k.clone(), criteria[0].max_points.to_string())
                } else {
                    (k.clone(), v.clone())
                }
            })
            .collect();
        let refs: Vec<(&str, &str)> = good.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let (s, _, _) = nominee.post(&app, &card(ngo_m, first), &refs).await;
        assert_eq!(s, 303);

        // The chair (also a member): statement, a card for the first offer, a recusal from the second.
        let (s, _, _) = office
            .post(
                &app,
                &format!("/panel/komisje/{chair_m}/oswiadczenie"),
                &[("version", commission::STATEMENT_VERSION), ("confirm", "1")],
            )
            .await;
        assert_eq!(s, 303);
        let mut chair_fields: Vec<(String, String)> = vec![
            ("version".into(), "0".into()),
            ("action".into(), "submit".into()),
        ];
        for (i, _) in criteria.iter().enumerate() {
            chair_fields.push((format!("points-{}", i + 1), "1".into()));
            chair_fields.push((format!("comment-{}", i + 1), String::new()));
        }
        let refs: Vec<(&str, &str)> = chair_fields
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (s, _, _) = office.post(&app, &card(chair_m, first), &refs).await;
        assert_eq!(s, 303);
        let (_, _, page) = nominee.get(&app, &card(ngo_m, first)).await;
        assert!(
            text(&page).contains("Karty pozostałych członków")
                && text(&page).contains("Dorota Dotacje"),
            "others' cards after one's own"
        );
        let (s, _, html) = office
            .post(
                &app,
                &format!("{}/wylaczenie", card(chair_m, second)),
                &[("reason", "Brat")],
            )
            .await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"reason-error\""));
        assert!(html.contains(">Brat</textarea>"), "the typed reason kept");
        let (s, _, _) = office
            .post(
                &app,
                &format!("{}/wylaczenie", card(chair_m, second)),
                &[("reason", "Siostra jest prezeską zarządu.")],
            )
            .await;
        assert_eq!(s, 303);
        let (_, _, page) = office.get(&app, &card(chair_m, second)).await;
        assert!(text(&page).contains("Wyłączono Cię z oceny"));
        assert!(
            !text(&page).contains("name=\"points-1\""),
            "no card for a recused member"
        );

        // The office's progress: states now, averages once scoring closes.
        let (_, _, page) = office.get(&app, &base).await;
        let page = text(&page);
        assert!(page.contains("oceniona") && page.contains("wyłączenie"));
        assert!(!page.contains("Średnia"), "no averages while scoring");
        let (s, _, _) = office
            .post(&app, &format!("{base}/status"), &[("to", "opinion")])
            .await;
        assert_eq!(s, 303);
        let (_, _, page) = office.get(&app, &base).await;
        let page = text(&page);
        let max_total: u64 = criteria
            .iter()
            .map(|c| u64::from(c.max_points) * u64::from(c.weight.max(1)))
            .sum();
        let ones: u64 = criteria.iter().map(|c| u64::from(c.weight.max(1))).sum();
        let expected = wspolnie_areas::grants::scoring::centi_pl(
            wspolnie_areas::grants::scoring::mean_centi(max_total + ones, 2),
        );
        assert!(
            page.contains("Średnia") && page.contains(&expected),
            "average {expected} shown"
        );
        // Cards cannot change after the close.
        let (s, _, html) = nominee.post(&app, &card(ngo_m, first), &refs).await;
        assert_eq!(s, 200);
        assert!(html.contains("nie jest teraz prowadzona"));

        // The opinion: amounts checked next to their fields, the sum against the call's funds.
        let requested = |i: usize| offers[i].requested_grant;
        let zl = |g: i64| format!("{},{:02}", g / 100, g % 100);
        let opinion = format!("{base}/opinia");
        let (s, _, html) = office
            .post(
                &app,
                &opinion,
                &[
                    (&format!("amount-{first}"), "abc"),
                    (&format!("amount-{second}"), "0"),
                ],
            )
            .await;
        assert_eq!(s, 200);
        assert!(
            html.contains(&format!("id=\"amount-{first}-error\""))
                && html.contains("value=\"abc\"")
        );
        let (s, _, html) = office
            .post(
                &app,
                &opinion,
                &[
                    (&format!("amount-{first}"), &zl(requested(0) + 1)),
                    (&format!("amount-{second}"), "0"),
                ],
            )
            .await;
        assert_eq!(s, 200);
        assert!(
            html.contains("nie może przekroczyć wnioskowanej"),
            "above the requested grant"
        );
        grant_call::Entity::update_many()
            .col_expr(
                grant_call::Column::FundsAvailable,
                Expr::value(requested(0) - 1),
            )
            .filter(grant_call::Column::Id.eq(call.id))
            .exec(db)
            .await
            .expect("funds");
        let (s, _, html) = office
            .post(
                &app,
                &opinion,
                &[
                    (&format!("amount-{first}"), &zl(requested(0))),
                    (&format!("amount-{second}"), "0"),
                ],
            )
            .await;
        assert_eq!(s, 200);
        assert!(
            html.contains("przekraczają środki"),
            "over the call's funds"
        );
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM grant_opinion_lines")
                .await,
            0,
            "nothing stored"
        );
        grant_call::Entity::update_many()
            .col_expr(
                grant_call::Column::FundsAvailable,
                Expr::value(call.funds_available),
            )
            .filter(grant_call::Column::Id.eq(call.id))
            .exec(db)
            .await
            .expect("funds");
        let (s, _, _) = office
            .post(
                &app,
                &opinion,
                &[
                    (&format!("amount-{first}"), &zl(requested(0))),
                    (&format!("note-{first}"), "Pełna kwota."),
                    (&format!("amount-{second}"), "0"),
                ],
            )
            .await;
        assert_eq!(s, 303);
        let (s, _, _) = office
            .post(&app, &format!("{base}/status"), &[("to", "concluded")])
            .await;
        assert_eq!(s, 303);
        let com = wspolnie_areas::grants::entity::grant_commission::Entity::find_by_id(com.id)
            .one(db)
            .await
            .expect("q")
            .expect("commission");
        assert_eq!(com.status, Status::Concluded);

        // The protocol: members, statements, the recusal, cards, averages, proposed amounts.
        let (s, ct, pdf) = office.get(&app, &format!("{base}/protokol.pdf")).await;
        assert_eq!((s, ct.as_str()), (200, "application/pdf"));
        assert!(pdf.starts_with(b"%PDF-"));
        let pages = crate::grants_submit::pages_text(&pdf)
            .expect("pdftotext and pdfinfo (poppler-utils) are needed");
        let all = pages.join("\n");
        let flat: String = all.split_whitespace().collect::<Vec<_>>().join(" ");
        for needle in [
            "Protokół komisji konkursowej",
            "Dorota Dotacje (przewodniczący/a)",
            "Kinga Kandydatka",
            commission::STATEMENT_VERSION,
            "Siostra jest prezeską zarządu.",
            expected.as_str(),
            "Pełna kwota.",
        ] {
            assert!(flat.contains(needle), "the protocol lacks {needle}: {flat}");
        }
        let sha = pages[0]
            .split_whitespace()
            .find(|w| w.len() == 64 && w.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(sha.is_some(), "the checksum in the footer");
        assert!(
            pages.iter().all(|p| p.contains(sha.unwrap_or("-"))),
            "on every page"
        );
        assert_eq!(
            nominee.get(&app, &format!("{base}/protokol.pdf")).await.0,
            403,
            "not for members without the scope"
        );

        // The mayor decides: an amount other than the opinion's needs a written reason.
        let mayor_id = make_user(&app, "burmistrz@example.pl", "hasło komisji 2026", Some(&[("official", "decisions")])).await;
        let mayor = person(&app, mayor_id).await;
        let decide = format!("/panel/konkursy/{}/rozstrzygniecie", call.id);
        assert_eq!(office.get(&app, &decide).await.0, 403, "the grants scope does not decide");
        let (s, _, page) = mayor.get(&app, &decide).await;
        assert_eq!(s, 200);
        assert!(text(&page).contains("Przyznana kwota"));
        let half = requested(0) / 2;
        let (s, _, html) = mayor
            .post(&app, &decide, &[(&format!("amount-{first}"), &zl(half)), (&format!("amount-{second}"), "0")])
            .await;
        assert_eq!(s, 200);
        assert!(html.contains(&format!("id=\"reason-{first}-error\"")), "a departure needs its reason");
        assert_eq!(app.tp
                .scalar_i64(&format!("SELECT COUNT(*) FROM grant_decision_lines WHERE call_id = {}", call.id))
                .await, 0);
        let (s, loc, _) = mayor
            .post(
                &app,
                &decide,
                &[
                    (&format!("amount-{first}"), &zl(half)),
                    (&format!("reason-{first}"), "Połowa kwoty: druga część zadania powiela zajęcia szkolne."),
                    (&format!("amount-{second}"), "0"),
                ],
            )
            .await;
        assert_eq!((s, loc.as_str()), (303, decide.as_str()));
        let decided = grant_call::Entity::find_by_id(call.id).one(db).await.expect("q").expect("call");
        assert_eq!(decided.status, grant_call::Status::Decided);
        let statuses: Vec<OfferStatus> = grant_offer::Entity::find()
            .filter(grant_offer::Column::Id.is_in([first, second]))
            .order_by_asc(grant_offer::Column::Id)
            .all(db)
            .await
            .expect("q")
            .into_iter()
            .map(|o| o.status)
            .collect();
        assert_eq!(statuses, vec![OfferStatus::Updating, OfferStatus::NotGranted], "granted less: an update is due");
        assert_eq!(
            app.tp
                .scalar_i64(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'grant_call.decision' AND entity_id = '{}'", call.id))
                .await,
            1
        );
        // Published at once on the call's page: offeror, task, score, amount.
        let (s, page) = app.get_text(&format!("/konkursy/{}", call.slug)).await;
        assert_eq!(s, 200);
        let page = page.replace('\u{a0}', " ");
        assert!(page.contains("Wyniki konkursu") && page.contains(&offers[0].title) && page.contains(&expected), "{page}");
        let shown = format!("{},{:02} zł", group(half / 100), half % 100);
        assert!(page.contains(&shown), "the amount granted {shown}");
        assert!(page.contains("nie przyznano"));
        // Every offeror is e-mailed its result with the scores and the justification.
        app.tp.worker().run_until_idle().await.expect("worker");
        let org_mail = organization::Entity::find_by_id(offers[0].organization_id)
            .one(db)
            .await
            .expect("q")
            .and_then(|o| o.email)
            .expect("the demo organisation's address");
        let mail = crate::grants_reduced::mail_with_subject(&app, &org_mail, "Wynik konkursu").replace('\u{a0}', " ");
        assert!(mail.contains(&shown) && mail.contains("Połowa kwoty") && mail.contains(&expected), "{mail}");
        let other = organization::Entity::find_by_id(offers[1].organization_id)
            .one(db)
            .await
            .expect("q")
            .and_then(|o| o.email)
            .expect("address");
        assert!(crate::directory::mail_text_to(&app, &other).contains("nie przyznano dotacji"));

        // The chair (an official) sees who has scored what on the members' page.
        let (_, _, page) = office.get(&app, "/panel/komisje").await;
        assert!(text(&page).contains("Postęp oceny"), "the chair's progress table");
        assert!(!text(&nominee.get(&app, "/panel/komisje").await.2).contains("Postęp oceny"), "only for the chair");

        // Granted half: the organisation updates its budget, the office accepts it.
        crate::grants_reduced::reduced_grant_flow(&app, &call, first, half, &office, &ngo, &org_mail).await;
    })
    .await;
}
