//! The annulment of a call (art. 18a UDPP; issue 18, item 5): the ground is checked against the
//! offers held (none came in; none is valid), refused before the deadline, kept in the form on an
//! error; the annulment is published like results — on the call's page, as a PDF (read back with
//! pdftotext), in the Atom feed and the API — and every offeror is e-mailed.

use crate::accounts::make_user;
use crate::common::*;
use crate::grants_public::{anon, insert_call, insert_offer};
use crate::grants_submit::person;
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::grants::entity::grant_call::{self, Status};
use wspolnie_areas::grants::entity::grant_offer::Status as OfferStatus;

async fn call_row(app: &TestApp, id: i64) -> grant_call::Model {
    grant_call::Entity::find_by_id(id)
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
        .expect("call")
}

pub(crate) fn subjects_to(app: &TestApp, to: &str) -> Vec<String> {
    app.tp
        .smtp
        .messages()
        .iter()
        .filter(|m| m.to.iter().any(|t| t == to))
        .filter_map(|m| {
            let parsed = mailparse::parse_mail(m.data.as_bytes()).ok()?;
            parsed
                .headers
                .iter()
                .find(|h| h.get_key_ref().eq_ignore_ascii_case("subject"))
                .map(|h| h.get_value())
        })
        .collect()
}

#[tokio::test]
async fn a_call_is_annulled_on_a_ground_that_holds_and_the_annulment_is_published() {
    each_backend("grants annulment", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let official_id = make_user(&app, "dotacje@example.pl", "hasło urzędnika 2026", Some(&[("official", "grants")])).await;
        let office = person(&app, official_id).await;

        // A call still open, with no offers.
        let empty = insert_call(&app, "zimowiska-bez-ofert", "Zimowiska bez ofert", Status::Open, 20).await;
        let status = format!("/panel/konkursy/{}/status", empty.id);
        // No ground chosen: the form comes back with the error, the reason kept.
        let (s, _, html) = office.post(&app, &status, &[("to", "annulled"), ("reason", "Powód wpisany przez urzędnika")]).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"ground-error\"") && html.contains("Powód wpisany przez urzędnika"));
        // "No offer came in" before the deadline: the ground does not hold; the choice is kept.
        let (s, _, html) = office.post(&app, &status, &[("to", "annulled"), ("ground", "no_offers")]).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"ground-error\"") && html.contains("Ta podstawa nie zachodzi"), "{html}");
        assert!(html.contains("value=\"no_offers\" checked"), "the ground kept");
        // Another ground needs its reason.
        let (s, _, html) = office.post(&app, &status, &[("to", "annulled"), ("ground", "other"), ("reason", "krótko")]).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"reason-error\""));
        assert_eq!(call_row(&app, empty.id).await.status, Status::Open, "nothing written");

        // The deadline passes with no offer: annulled on art. 18a ust. 1 pkt 1.
        grant_call::Entity::update_many()
            .col_expr(grant_call::Column::OfferDeadline, sea_orm::sea_query::Expr::value(Utc::now() - Duration::hours(2)))
            .filter(grant_call::Column::Id.eq(empty.id))
            .exec(db)
            .await
            .expect("deadline");
        let (s, _, html) = office.post(&app, &status, &[("to", "annulled"), ("ground", "no_valid_offer")]).await;
        assert_eq!(s, 200, "no offer at all is not 'no valid offer'");
        assert!(html.contains("id=\"ground-error\""));
        let (s, loc, _) = office.post(&app, &status, &[("to", "annulled"), ("ground", "no_offers")]).await;
        assert_eq!((s, loc.as_str()), (303, format!("/panel/konkursy/{}", empty.id).as_str()));
        let annulled = call_row(&app, empty.id).await;
        assert_eq!(annulled.status, Status::Annulled);
        assert_eq!(annulled.annul_ground, "no_offers");
        assert!(annulled.annulled_at.is_some());
        assert_eq!(
            app.tp
                .scalar_i64(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'grant_call.annulled' AND entity_id = '{}'", empty.id))
                .await,
            1
        );
        // Pressed again: refused, still one annulment.
        let (s, _, _) = office.post(&app, &status, &[("to", "annulled"), ("ground", "no_offers")]).await;
        assert_eq!(s, 200);

        // Published: the page, the PDF, the feed, the API.
        let (s, _, page) = anon(&app, "/konkursy/zimowiska-bez-ofert").await;
        assert_eq!(s, 200);
        assert!(page.contains("Unieważnienie konkursu") && page.contains("art. 18a ust. 1 pkt 1"), "{page}");
        let (s, ct, _) = anon(&app, "/konkursy/zimowiska-bez-ofert/wyniki.pdf").await;
        assert_eq!((s, ct.as_str()), (200, "application/pdf"));
        let pdf = client()
            .get(app.url("/konkursy/zimowiska-bez-ofert/wyniki.pdf"))
            .send()
            .await
            .expect("pdf")
            .bytes()
            .await
            .expect("bytes");
        let pages = crate::grants_submit::pages_text(&pdf).expect("pdftotext and pdfinfo (poppler-utils) are needed");
        let flat = pages.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
        for needle in ["Unieważnienie konkursu: Zimowiska bez ofert", "Nie złożono żadnej oferty", "WSS.524.9.2027"] {
            assert!(flat.contains(needle), "the notice lacks {needle}: {flat}");
        }
        let (_, _, atom) = anon(&app, "/konkursy.atom").await;
        let feed = feed_rs::parser::parse(atom.as_bytes()).expect("a valid feed");
        let entry = feed
            .entries
            .iter()
            .find(|e| e.id.ends_with("zimowiska-bez-ofert#uniewaznienie"))
            .expect("the annulment's entry");
        assert!(entry.summary.as_ref().is_some_and(|t| t.content.contains("Nie złożono żadnej oferty")));
        let (_, _, json) = anon(&app, "/api/v1/calls/zimowiska-bez-ofert").await;
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(v["status"], "annulled");
        assert_eq!(v["annulment"]["ground"], "no_offers");
        assert!(v["results"].is_null());
        let (_, _, json) = anon(&app, "/api/v1/calls/zimowiska-bez-ofert?lang=en").await;
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert!(v["annulment"]["ground_text"].as_str().is_some_and(|t| t.starts_with("No offer was submitted")));

        // A closed call whose offers were all formally rejected: pkt 2, and each offeror e-mailed.
        let rejected = insert_call(&app, "zimowiska-odrzucone", "Zimowiska z odrzuconymi ofertami", Status::Open, 20).await;
        let orgs = organization::Entity::find()
            .filter(organization::Column::Email.is_not_null())
            .order_by_asc(organization::Column::Id)
            .all(db)
            .await
            .expect("orgs");
        insert_offer(&app, rejected.id, orgs[0].id, "Zimowisko A", OfferStatus::Rejected, 1, 100_000).await;
        insert_offer(&app, rejected.id, orgs[1].id, "Zimowisko B", OfferStatus::Submitted, 1, 100_000).await;
        insert_offer(&app, rejected.id, orgs[2].id, "Zimowisko C (szkic)", OfferStatus::Draft, 0, 100_000).await;
        grant_call::Entity::update_many()
            .col_expr(grant_call::Column::OfferDeadline, sea_orm::sea_query::Expr::value(Utc::now() - Duration::hours(2)))
            .filter(grant_call::Column::Id.eq(rejected.id))
            .exec(db)
            .await
            .expect("deadline");
        let status = format!("/panel/konkursy/{}/status", rejected.id);
        // One offer still waits for its check: pkt 2 does not hold yet; pkt 1 never.
        for ground in ["no_valid_offer", "no_offers"] {
            let (s, _, html) = office.post(&app, &status, &[("to", "annulled"), ("ground", ground)]).await;
            assert_eq!(s, 200, "{ground}");
            assert!(html.contains("id=\"ground-error\""), "{ground}");
        }
        wspolnie_areas::grants::entity::grant_offer::Entity::update_many()
            .col_expr(
                wspolnie_areas::grants::entity::grant_offer::Column::Status,
                sea_orm::sea_query::Expr::value(OfferStatus::Rejected),
            )
            .filter(wspolnie_areas::grants::entity::grant_offer::Column::CallId.eq(rejected.id))
            .filter(wspolnie_areas::grants::entity::grant_offer::Column::Status.eq(OfferStatus::Submitted))
            .exec(db)
            .await
            .expect("rejected");
        let (s, _, _) = office
            .post(&app, &status, &[("to", "annulled"), ("ground", "no_valid_offer"), ("reason", "Obie oferty złożono na niewłaściwym formularzu.")])
            .await;
        assert_eq!(s, 303);
        app.tp.worker().run_until_idle().await.expect("worker");
        for (org, expected) in [(&orgs[0], 1), (&orgs[1], 1), (&orgs[2], 0)] {
            let to = org.email.as_deref().unwrap_or_default();
            let n = subjects_to(&app, to).iter().filter(|s| s.contains("Unieważnienie konkursu")).count();
            assert_eq!(n, expected, "{to}: the offerors are e-mailed, a draft's organisation is not");
        }
        let mail = crate::directory::mail_text_to(&app, orgs[0].email.as_deref().unwrap_or_default());
        assert!(mail.contains("art. 18a ust. 1 pkt 2") && mail.contains("niewłaściwym formularzu"), "{mail}");
        let (_, _, page) = anon(&app, "/konkursy/zimowiska-odrzucone").await;
        assert!(page.contains("Żadna ze złożonych ofert nie spełnia wymogów") && page.contains("niewłaściwym formularzu"));
    })
    .await;
}
