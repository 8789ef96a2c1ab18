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
