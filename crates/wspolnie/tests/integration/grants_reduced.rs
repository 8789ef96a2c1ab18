//! Reduced grants (issue 18, item 6): an offer granted less than it asked updates its schedule,
//! costs and funding by a deadline; the grant must equal the amount granted and its share may not
//! rise; the office sees the changes against the offer and returns or accepts the update; no
//! update by the deadline is a refusal recorded by the job — once, with two instances running it
//! at the same moment. The flow continues the commission's test (`grants_commission`), which
//! brings a call to the decision.

use crate::common::*;
use crate::grants_public::{insert_call, insert_offer};
use crate::grants_submit::Person;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::grants::entity::grant_call;
use wspolnie_areas::grants::entity::grant_offer::{self, Status};
use wspolnie_areas::grants::entity::grant_offer_update as update;
use wspolnie_areas::grants::offer::Section;

/// The text of the latest e-mail to `to` whose subject contains `needle`.
pub(crate) fn mail_with_subject(app: &TestApp, to: &str, needle: &str) -> String {
    app.tp
        .smtp
        .messages()
        .iter()
        .rev()
        .filter(|m| m.to.iter().any(|t| t == to))
        .find_map(|m| {
            let parsed = mailparse::parse_mail(m.data.as_bytes()).ok()?;
            let subject = parsed
                .headers
                .iter()
                .find(|h| h.get_key_ref().eq_ignore_ascii_case("subject"))
                .map(|h| h.get_value())?;
            subject
                .contains(needle)
                .then(|| parsed.subparts[0].get_body().unwrap_or_default())
        })
        .unwrap_or_else(|| panic!("no mail to {to} with {needle}"))
}

async fn offer_row(app: &TestApp, id: i64) -> grant_offer::Model {
    grant_offer::Entity::find_by_id(id)
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
        .expect("offer")
}

fn zl(g: i64) -> String {
    format!("{},{:02}", g / 100, g % 100)
}

/// Saves section V.B through its form with the grant and own financial contribution given.
async fn save_funding(
    app: &TestApp,
    ngo: &Person,
    offer: i64,
    grant: i64,
    own: i64,
) -> (u16, String) {
    let (content, states) = wspolnie_areas::grants::store::load(&app.tp.platform.db.conn, offer)
        .await
        .expect("load");
    let f = &content.funding;
    let version = states
        .get(&Section::Funding)
        .map_or(0, |s| s.version)
        .to_string();
    let (grant, own, personal, in_kind, fees) = (
        zl(grant),
        zl(own),
        zl(f.personal),
        zl(f.in_kind),
        zl(f.fees),
    );
    let (s, loc, _) = ngo
        .post(
            app,
            &format!("/panel/oferty/{offer}/sekcja/zrodla"),
            &[
                ("grant", &grant),
                ("own_financial", &own),
                ("personal", &personal),
                ("in_kind", &in_kind),
                ("fees", &fees),
                ("valuation", &f.valuation),
                ("version", &version),
            ],
        )
        .await;
    (s, loc)
}

/// After the decision granted `offer` `half` of what it asked: the update round trip.
pub(crate) async fn reduced_grant_flow(
    app: &TestApp,
    call: &grant_call::Model,
    offer: i64,
    half: i64,
    office: &Person,
    ngo: &Person,
    org_mail: &str,
) {
    let db = &app.tp.platform.db.conn;
    let o = offer_row(app, offer).await;
    assert_eq!(o.status, Status::Updating);
    let deadline = o.update_deadline.expect("the update's deadline");
    let days = (deadline - Utc::now()).num_days();
    assert!(
        (9..=14).contains(&days),
        "the commission's 10 days, KPA counting: {days}"
    );
    let task = update::Entity::find()
        .filter(update::Column::OfferId.eq(offer))
        .one(db)
        .await
        .expect("q")
        .expect("the update task");
    assert_eq!((task.granted, task.base_version), (half, o.current_version));
    // The share rule (kept by this commission) is fixed at the share in the version decided on.
    let decided_on = wspolnie_areas::grants::reduced::version_content(db, offer, o.current_version)
        .await
        .expect("q")
        .expect("the decided version");
    let t = decided_on.totals();
    assert!(t.grant_bp > 0);
    assert_eq!(task.max_grant_bp, Some(t.grant_bp));
    let mail = mail_with_subject(app, org_mail, "Przyznano niższą dotację");
    assert!(
        mail.contains("Brak aktualizacji w terminie oznacza rezygnację"),
        "{mail}"
    );

    // The organisation's page: where the offer stands, the task, and the rule not yet met.
    let (s, _, page) = ngo.get(app, &format!("/panel/oferty/{offer}")).await;
    assert_eq!(s, 200);
    let page = String::from_utf8_lossy(&page).replace('\u{a0}', " ");
    for needle in [
        "Gdzie jest oferta",
        "aria-current=\"step\"",
        "Przyznano niższą dotację",
        "musi być równa przyznanej kwocie",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    assert!(
        !page.contains(&format!("action=\"/panel/oferty/{offer}/zloz\"")),
        "no submission while a rule is broken"
    );
    // Only the schedule, results, costs and funding may change.
    let (s, _, _) = ngo
        .post(
            app,
            &format!("/panel/oferty/{offer}/sekcja/zadanie"),
            &[("title", "Inny tytuł")],
        )
        .await;
    assert_eq!(s, 403);

    // The grant cut to the amount granted, own money filling the gap: the share falls.
    let (content, _) = wspolnie_areas::grants::store::load(db, offer)
        .await
        .expect("load");
    let cut = content.funding.grant - half;
    let (s, _) = save_funding(app, ngo, offer, half, content.funding.own_financial + cut).await;
    assert_eq!(s, 303);
    let (_, _, page) = ngo.get(app, &format!("/panel/oferty/{offer}")).await;
    let page = String::from_utf8_lossy(&page);
    assert!(
        page.contains(&format!("action=\"/panel/oferty/{offer}/zloz\"")),
        "the update may be submitted: {page}"
    );
    let n = o.current_version + 1;
    let (s, loc, _) = ngo
        .post(app, &format!("/panel/oferty/{offer}/zloz"), &[])
        .await;
    assert_eq!(
        (s, loc.as_str()),
        (303, format!("/panel/oferty/{offer}/wersje/{n}").as_str())
    );
    assert_eq!(offer_row(app, offer).await.status, Status::UpdateSubmitted);

    // The office compares: the grant before and after, the line marked as changed.
    let review = format!("/panel/konkursy/{}/oferty/{offer}/aktualizacja", call.id);
    let (s, _, page) = office.get(app, &review).await;
    assert_eq!(s, 200);
    let page = String::from_utf8_lossy(&page).replace('\u{a0}', " ");
    let shown = |g: i64| {
        let z = g / 100;
        let grouped = if z >= 1000 {
            format!("{} {:03}", z / 1000, z % 1000)
        } else {
            z.to_string()
        };
        format!("{grouped},{:02} zł", g % 100)
    };
    assert!(
        page.contains(&shown(content.funding.grant)) && page.contains(&shown(half)),
        "both grants shown"
    );
    assert!(page.contains("(zmienione)"), "the changed lines marked");
    // Returned without a proper note: the form comes back, nothing changes.
    let (s, _, html) = office
        .post(
            app,
            &review,
            &[("answer", "return"), ("note", "za mało"), ("days", "99")],
        )
        .await;
    assert_eq!(s, 200);
    assert!(
        html.contains("id=\"note-error\"")
            && html.contains("id=\"days-error\"")
            && html.contains("value=\"99\"")
    );
    assert_eq!(offer_row(app, offer).await.status, Status::UpdateSubmitted);
    let (s, loc, _) = office
        .post(
            app,
            &review,
            &[
                ("answer", "return"),
                ("note", "Proszę rozpisać wkład własny na źródła."),
                ("days", "5"),
            ],
        )
        .await;
    assert_eq!((s, loc.as_str()), (303, review.as_str()));
    let o2 = offer_row(app, offer).await;
    assert_eq!(o2.status, Status::Updating);
    let days = (o2.update_deadline.expect("new deadline") - Utc::now()).num_days();
    assert!((4..=9).contains(&days), "five days, KPA counting: {days}");
    app.tp.worker().run_until_idle().await.expect("worker");
    assert!(
        mail_with_subject(app, org_mail, "Aktualizacja do poprawy")
            .contains("rozpisać wkład własny")
    );
    // A second answer to the same update (it is no longer waiting) is refused with a message.
    let (s, loc, _) = office.post(app, &review, &[("answer", "accept")]).await;
    assert_eq!((s, loc.as_str()), (303, review.as_str()));
    assert_eq!(offer_row(app, offer).await.status, Status::Updating);

    // Submitted again, accepted: granted on the updated budget.
    let (s, _, _) = ngo
        .post(app, &format!("/panel/oferty/{offer}/zloz"), &[])
        .await;
    assert_eq!(s, 303);
    let (s, _, _) = office.post(app, &review, &[("answer", "accept")]).await;
    assert_eq!(s, 303);
    let done = offer_row(app, offer).await;
    assert_eq!(done.status, Status::Granted);
    assert_eq!(
        done.requested_grant, half,
        "the offer now asks what was granted"
    );
    app.tp.worker().run_until_idle().await.expect("worker");
    assert!(mail_with_subject(app, org_mail, "Aktualizacja przyjęta").contains("umowa"));
    for action in [
        "grant_offer.update",
        "grant_offer.update_returned",
        "grant_offer.update_accepted",
    ] {
        let n = app
            .tp
            .scalar_i64(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND entity_id = '{offer}'"
            ))
            .await;
        assert_eq!(
            n,
            if action == "grant_offer.update" { 2 } else { 1 },
            "{action}"
        );
    }
    // Declining is no longer possible once granted.
    let (s, loc, _) = ngo
        .post(
            app,
            &format!("/panel/oferty/{offer}/rezygnacja"),
            &[("confirm", "1")],
        )
        .await;
    assert_eq!(
        (s, loc.as_str()),
        (303, format!("/panel/oferty/{offer}").as_str())
    );
    assert_eq!(offer_row(app, offer).await.status, Status::Granted);

    // The officer's overview: every offer with its stage; hostile filters are ignored.
    let (s, _, page) = office
        .get(
            app,
            &format!("/panel/konkursy/przeglad?konkurs={}", call.id),
        )
        .await;
    assert_eq!(s, 200);
    let page = String::from_utf8_lossy(&page);
    assert!(
        page.contains(&done.title)
            && page.contains("przyznano dotację")
            && page.contains("Umowa (trwa)"),
        "{page}"
    );
    let (s, _, page) = office
        .get(
            app,
            "/panel/konkursy/przeglad?konkurs=%00abc&stan=%E2%80%AE",
        )
        .await;
    assert_eq!(s, 200);
    assert!(String::from_utf8_lossy(&page).contains(&done.title));
    let (s, _, page) = office
        .get(app, "/panel/konkursy/przeglad?stan=not_granted")
        .await;
    assert_eq!(s, 200);
    assert!(
        !String::from_utf8_lossy(&page).contains(&done.title),
        "filtered by status"
    );
    assert_eq!(ngo.get(app, "/panel/konkursy/przeglad").await.0, 403);
}

#[tokio::test]
async fn an_update_past_its_deadline_is_declined_once_with_two_instances_at_once() {
    each_backend("grants reduced deadline", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let call = insert_call(&app, "zimowiska-obnizone", "Zimowiska z obniżoną dotacją", grant_call::Status::Decided, -30).await;
        let orgs = organization::Entity::find()
            .filter(organization::Column::Email.is_not_null())
            .order_by_asc(organization::Column::Id)
            .all(db)
            .await
            .expect("orgs");
        insert_offer(&app, call.id, orgs[0].id, "Zimowisko po terminie", Status::Updating, 1, 500_000).await;
        insert_offer(&app, call.id, orgs[1].id, "Zimowisko w terminie", Status::Updating, 1, 500_000).await;
        let offers = grant_offer::Entity::find()
            .filter(grant_offer::Column::CallId.eq(call.id))
            .order_by_asc(grant_offer::Column::Id)
            .all(db)
            .await
            .expect("offers");
        let now = Utc::now();
        for (o, deadline) in offers.iter().zip([now - Duration::minutes(1), now + Duration::days(3)]) {
            update::ActiveModel {
                offer_id: Set(o.id),
                granted: Set(300_000),
                base_version: Set(1),
                rounds: Set(0),
                note: Set(String::new()),
                created_at: Set(now - Duration::days(10)),
                ..Default::default()
            }
            .insert(db)
            .await
            .expect("task");
            let mut a: grant_offer::ActiveModel = o.clone().into();
            a.update_deadline = Set(Some(deadline));
            a.update(db).await.expect("deadline");
        }
        // Two instances run the job at the same moment, each in its own transaction.
        let run = || async {
            let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
            let n = wspolnie_areas::grants::reduced::expire(&txn, Utc::now()).await.expect("expire");
            txn.commit().await.expect("commit");
            n
        };
        for _ in 0..3 {
            let (a, b) = tokio::join!(run(), run());
            assert!(a + b <= 1, "recorded at most once per round: {a} + {b}");
        }
        assert_eq!(offer_row(&app, offers[0].id).await.status, Status::Declined);
        assert_eq!(offer_row(&app, offers[1].id).await.status, Status::Updating, "its deadline is ahead");
        assert_eq!(
            app.tp
                .scalar_i64(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'grant_offer.declined' AND entity_id = '{}'", offers[0].id))
                .await,
            1
        );
        app.tp.worker().run_until_idle().await.expect("worker");
        let to = orgs[0].email.as_deref().unwrap_or_default();
        let declined = crate::grants_annulment::subjects_to(&app, to)
            .iter()
            .filter(|s| s.contains("Rezygnacja z dotacji"))
            .count();
        assert_eq!(declined, 1, "one e-mail");
        assert!(mail_with_subject(&app, to, "Rezygnacja z dotacji").contains("minął bez jej złożenia"));
    })
    .await;
}
