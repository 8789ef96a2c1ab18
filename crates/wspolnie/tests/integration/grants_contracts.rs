//! Grant contracts (issue 19, items 1–2): made from a granted offer of the demo's decided call on
//! the model contract, the terms checked (NRB, windows, tranches adding up), kept as typed on an
//! error; compare-and-set edits of a draft (two officials at once: one wins); the life cycle
//! (sent → signed with its manner → in progress at the first tranche paid → terminated with a
//! reason), e-mails to the organisation; tranches paid once even when recorded twice at once;
//! the contract's PDF read back; a new version of the model contract leaves earlier contracts
//! on theirs.

use crate::accounts::make_user;
use crate::common::*;
use crate::grants_submit::person;
use sea_orm::EntityTrait;
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::grants::contract_store;
use wspolnie_areas::grants::entity::grant_contract::{self, Status};

fn text(b: &bytes::Bytes) -> String {
    String::from_utf8_lossy(b).replace('\u{a0}', " ")
}

fn pairs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

async fn row(app: &TestApp, id: i64) -> grant_contract::Model {
    grant_contract::Entity::find_by_id(id)
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
        .expect("contract")
}

#[tokio::test]
async fn a_contract_is_made_signed_paid_and_terminated_from_a_granted_offer() {
    each_backend("grants contracts", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let offer = crate::grants_submit::first_granted(&app).await;
        let granted = contract_store::granted(db, offer.id).await.expect("q").expect("a decision line");
        let official_id = make_user(&app, "umowy@example.pl", "hasło urzędnika 2026", Some(&[("official", "grants")])).await;
        let office = person(&app, official_id).await;
        let member_id = make_user(&app, "skarbnik@example.pl", "hasło skarbnika 2026", None).await;
        crate::grants_submit::join(&app, offer.organization_id, member_id, "owner").await;
        let member = person(&app, member_id).await;
        let outsider = person(&app, make_user(&app, "obcy@example.pl", "hasło obcego 2026", None).await).await;

        // The list offers the granted offer; the form comes prefilled.
        let (s, _, page) = office.get(&app, "/panel/umowy").await;
        assert_eq!(s, 200);
        let new = format!("/panel/umowy/nowa?oferta={}", offer.id);
        assert!(text(&page).contains(&new.replace('&', "&amp;")), "the waiting offer is linked");
        let (s, _, page) = office.get(&app, &new).await;
        assert_eq!(s, 200);
        let page = text(&page);
        let zl = |g: i64| {
            let z = g / 100;
            let grouped = if z >= 1000 { format!("{} {:03}", z / 1000, z % 1000) } else { z.to_string() };
            format!("{grouped},{:02}", g % 100)
        };
        assert!(page.contains(&format!("value=\"{}\"", zl(granted))), "the amount granted prefilled");
        assert_eq!(office.get(&app, "/panel/umowy/nowa?oferta=abc").await.0, 404);

        // Bad terms come back with the errors next to the fields, as typed; nothing stored.
        let half = granted / 2;
        let mut form: Vec<(String, String)> = vec![
            ("number", "WEKS.526.7.2027"),
            ("kind", "supporting"),
            ("task_from", "2027-03-01"),
            ("task_to", "2027-06-30"),
            ("grant_from", "2027-03-01"),
            ("grant_to", "2027-06-30"),
            ("other_from", "2027-03-01"),
            ("other_to", "2027-06-30"),
            ("bank_account", "61 1090 1014 0000 0712 1981 2875"),
            ("tolerance", "15"),
            ("reporting", "Sprawozdanie końcowe w terminie 30 dni od zakończenia zadania."),
            ("tranche-1-due_on", "2027-03-05"),
            ("tranche-2-due_on", "2027-05-05"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        form.push(("amount".into(), zl(granted)));
        form.push(("tranche-1-amount".into(), zl(half)));
        form.push(("tranche-2-amount".into(), zl(half - 100)));
        let (s, _, html) = office.post(&app, &new, &pairs(&form)).await;
        assert_eq!(s, 200);
        for id in ["bank_account-error", "tranche-1-amount-error"] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        }
        assert!(html.contains("61 1090 1014 0000 0712 1981 2875"), "the account kept as typed");
        assert_eq!(app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM grant_contracts WHERE offer_id = {}", offer.id)).await, 0);
        for (k, v) in form.iter_mut() {
            match k.as_str() {
                "bank_account" => *v = "PL61 1090 1014 0000 0712 1981 2874".into(),
                "tranche-2-amount" => *v = zl(granted - half),
                _ => {}
            }
        }
        let (s, loc, _) = office.post(&app, &new, &pairs(&form)).await;
        assert_eq!(s, 303);
        let id: i64 = loc.rsplit('/').next().and_then(|x| x.parse().ok()).expect("contract id");
        let c = row(&app, id).await;
        assert_eq!((c.status, c.amount, c.template_version), (Status::Draft, granted, 1));
        assert_eq!(c.bank_account, "61109010140000071219812874");
        assert_eq!(app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM grant_tranches WHERE contract_id = {id}")).await, 2);
        // A second contract for the same offer is refused.
        let (s, loc, _) = office.post(&app, &new, &pairs(&form)).await;
        assert_eq!((s, loc.as_str()), (303, "/panel/umowy"));

        // Two officials save the draft at once on the same version: one wins, one is told.
        let terms = wspolnie_areas::grants::contract::check(
            &contract_store::input_of(&c, &contract_store::tranches_of(db, id).await.expect("q")),
            granted,
        )
        .expect("stored terms are valid");
        let save = |n: &str| {
            let mut t = terms.clone();
            t.number = n.to_owned();
            let c = c.clone();
            async move {
                let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
                let r = contract_store::save(&txn, &c, 0, &t, &wspolnie_platform::audit::Actor::system("test"))
                    .await
                    .expect("save");
                txn.commit().await.expect("commit");
                r
            }
        };
        let (a, b) = tokio::join!(save("WEKS.526.7.2027/A"), save("WEKS.526.7.2027/B"));
        assert_eq!(u8::from(a.is_ok()) + u8::from(b.is_ok()), 1, "{a:?} {b:?}");
        assert_eq!(row(&app, id).await.version, 1);

        // The moves: signing before sending is refused; sending e-mails the organisation.
        let status = format!("/panel/umowy/{id}/status");
        let (s, _, _) = office.post(&app, &status, &[("to", "signed"), ("how", "upload")]).await;
        assert_eq!(s, 303);
        assert_eq!(row(&app, id).await.status, Status::Draft);
        let (s, _, _) = office.post(&app, &status, &[("to", "sent")]).await;
        assert_eq!(s, 303);
        assert_eq!(row(&app, id).await.status, Status::Sent);
        app.tp.worker().run_until_idle().await.expect("worker");
        let org = organization::Entity::find_by_id(offer.organization_id).one(db).await.expect("q").expect("org");
        let org_mail = org.email.clone().expect("the demo organisation's address");
        assert!(crate::grants_reduced::mail_with_subject(&app, &org_mail, "Umowa do podpisu").contains("czeka na podpisanie"));
        // Sent: the terms are not edited any more.
        let mut edit = pairs(&form);
        edit.push(("version", "1"));
        let (s, loc, _) = office.post(&app, &format!("/panel/umowy/{id}"), &edit).await;
        assert_eq!((s, loc.as_str()), (303, format!("/panel/umowy/{id}").as_str()));
        // Signing needs its manner.
        let sign = format!("/panel/umowy/{id}/podpis");
        let (s, _, html) = office.post_multipart(&app, &sign, &[("note", "Podpisano.")], None).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"how-upload-error\"") && html.contains(">Podpisano.</textarea>"), "the choice is asked for next to it");
        // On paper: the scan is needed, and it must be a PDF.
        let (s, _, html) = office.post_multipart(&app, &sign, &[("how", "upload")], None).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"scan-error\""));
        let (s, _, html) = office
            .post_multipart(&app, &sign, &[("how", "upload")], Some(("scan", "umowa.pdf", b"not a pdf".to_vec())))
            .await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"scan-error\""));
        assert_eq!(row(&app, id).await.status, Status::Sent);
        // Signing through the list of moves is not offered.
        let (s, _, _) = office.post(&app, &status, &[("to", "signed"), ("how", "electronic")]).await;
        assert_eq!(s, 303);
        assert_eq!(row(&app, id).await.status, Status::Sent);
        let (s, _, _) = office
            .post_multipart(&app, &sign, &[("how", "electronic"), ("note", "Podpisy kwalifikowane obu stron.")], None)
            .await;
        assert_eq!(s, 303);
        let signed = row(&app, id).await;
        assert_eq!((signed.status, signed.signed_how.as_str()), (Status::Signed, "electronic"));
        assert_eq!(
            app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM grant_reports WHERE contract_id = {id} AND kind = 'final'")).await,
            1,
            "signing opens the final report"
        );

        // The first tranche paid (recorded twice at once: once) puts the contract in progress.
        let pay = || async {
            let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
            let r = contract_store::pay(&txn, id, 1, chrono::NaiveDate::from_ymd_opt(2027, 3, 5).expect("day"), &wspolnie_platform::audit::Actor::system("test"), "http://127.0.0.1")
                .await
                .expect("pay");
            txn.commit().await.expect("commit");
            r
        };
        let (a, b) = tokio::join!(pay(), pay());
        assert_eq!(u8::from(a == Ok(true)) + u8::from(b == Ok(true)), 1, "{a:?} {b:?}");
        assert_eq!(row(&app, id).await.status, Status::InProgress);
        assert_eq!(
            app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'grant_tranche.paid' AND entity_id = '{id}'")).await,
            1
        );
        let (s, _, html) = office.post(&app, &format!("/panel/umowy/{id}/transze/2"), &[("paid_on", "jutro")]).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"paid-2-error\"") && html.contains("value=\"jutro\""), "the day comes back as typed");
        let (s, _, _) = office.post(&app, &format!("/panel/umowy/{id}/transze/2"), &[("paid_on", "2027-05-05")]).await;
        assert_eq!(s, 303);
        assert_eq!(app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM grant_tranches WHERE contract_id = {id} AND paid_on IS NOT NULL")).await, 2);

        // The organisation sees the contract and what came in; outsiders see nothing.
        let (s, _, page) = member.get(&app, &format!("/panel/oferty/{}", offer.id)).await;
        assert_eq!(s, 200);
        let page = text(&page);
        assert!(page.contains("WEKS.526.7.2027") && page.contains("w realizacji") && page.contains("05.05.2027"), "{page}");

        // The PDF: the model contract filled with the terms.
        let pdf_path = format!("/panel/umowy/{id}/umowa.pdf");
        assert_eq!(outsider.get(&app, &pdf_path).await.0, 404);
        let (s, ct, pdf) = member.get(&app, &pdf_path).await;
        assert_eq!((s, ct.as_str()), (200, "application/pdf"));
        let pages = crate::grants_submit::pages_text(&pdf).expect("pdftotext and pdfinfo (poppler-utils) are needed");
        let flat = pages.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
        let number = row(&app, id).await.number;
        for needle in [
            format!("Umowa nr {number} o wsparcie realizacji zadania publicznego"),
            "§ 3. Dotacja i wkład własny".to_owned(),
            "61 1090 1014 0000 0712 1981 2874".to_owned(),
            org.name.clone(),
            "15,00 %".to_owned(),
            "2) ".to_owned(),
        ] {
            assert!(flat.replace('\u{a0}', " ").contains(&needle), "the contract lacks {needle}: {flat}");
        }

        // A new version of the model contract: unknown fields refused; earlier contracts keep v1.
        let body = format!("{}\n## § 8. Promocja\nOrganizacja informuje o dofinansowaniu przez {{{{urzad}}}}.", wspolnie_areas::grants::contract::DEFAULT_TEMPLATE);
        let (s, _, html) = office.post(&app, "/panel/umowy/wzor", &[("body", &format!("{body} {{{{nieznane}}}}")), ("note", "Promocja")]).await;
        assert_eq!(s, 200);
        assert!(html.contains("nieznane") && html.contains("id=\"body-error\""));
        let (s, _, _) = office.post(&app, "/panel/umowy/wzor", &[("body", &body), ("note", "Promocja zadania")]).await;
        assert_eq!(s, 303);
        assert_eq!(contract_store::current_template(db).await.expect("q").version, 2);
        assert_eq!(row(&app, id).await.template_version, 1);
        let (_, _, pdf) = member.get(&app, &pdf_path).await;
        let flat = crate::grants_submit::pages_text(&pdf).expect("pdftotext").join(" ");
        assert!(!flat.contains("§ 8"), "the contract keeps the version it was made on");

        // Termination needs its reason; it is e-mailed.
        let (s, _, html) = office.post(&app, &status, &[("to", "terminated"), ("note", "krótko")]).await;
        assert_eq!(s, 200);
        assert!(html.contains("id=\"note-terminated-error\"") && html.contains(">krótko</textarea>"), "the reason comes back as typed");
        assert_eq!(row(&app, id).await.status, Status::InProgress);
        let (s, _, _) = office.post(&app, &status, &[("to", "terminated"), ("note", "Organizacja zrezygnowała z realizacji zadania.")]).await;
        assert_eq!(s, 303);
        assert_eq!(row(&app, id).await.status, Status::Terminated);
        app.tp.worker().run_until_idle().await.expect("worker");
        assert!(crate::grants_reduced::mail_with_subject(&app, &org_mail, "Rozwiązanie umowy").contains("zrezygnowała"));
        for action in ["grant_contract.create", "grant_contract.sent", "grant_contract.signed", "grant_contract.in_progress", "grant_contract.terminated"] {
            assert_eq!(
                app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND entity_id = '{id}'")).await,
                1,
                "{action}"
            );
        }
    })
    .await;
}
