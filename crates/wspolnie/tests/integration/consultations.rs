//! Consultations of drafts (issue 20): an official prepares a consultation (a short period
//! without a reason and an empty draft refused, kept as typed, nothing stored), attaches a PDF
//! (a file that is not a document refused first), announces it
//! (the clock opens it, the calendar shows the period, organisations are e-mailed); two
//! organisations' members remark on three units (a bad remark kept, nothing stored; an
//! anonymous visitor is asked to sign in), the office enters a remark sent on paper, publishes a second
//! version (remarks stay on the first; the changes page marks the words), records the RDPP's
//! opinion; the report is refused while the period runs and while remarks lack a position;
//! positions are given in bulk with a reusable answer; the report is published, every author
//! e-mailed the outcome, the report page (and its PDF and ODT, read back) shows each remark's
//! position and the redline, and the API and the Atom feed list it.

use crate::accounts::{make_user, post_form};
use crate::common::*;
use crate::grants_reduced::mail_with_subject;
use crate::grants_submit::{join, person};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_areas::consultations::entity::consultation::{self, Status};
use wspolnie_areas::consultations::entity::consultation_remark::{self as remark, Position};
use wspolnie_areas::consultations::entity::consultation_version as version;
use wspolnie_areas::consultations::model::warsaw_day;
use wspolnie_areas::directory::entity::organization;

const DRAFT: &str = "Projekt uchwały w sprawie programu współpracy
§ 1. Przyjmuje się program współpracy na rok 2027.
§ 2. Celem programu jest partnerstwo Gminy i organizacji.
§ 3. Formy współpracy to:
1) konkursy ofert;
2) konsultacje projektów aktów.
§ 4. 1. Na program przeznacza się 1 000 000 zł.
2. Sprawozdanie składa się do 31 maja.";

fn squash(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

async fn the(app: &TestApp, title: &str) -> Option<consultation::Model> {
    consultation::Entity::find()
        .filter(consultation::Column::Title.eq(title))
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
}

async fn remarks(app: &TestApp, id: i64) -> Vec<remark::Model> {
    remark::Entity::find()
        .filter(remark::Column::ConsultationId.eq(id))
        .order_by_asc(remark::Column::Id)
        .all(&app.tp.platform.db.conn)
        .await
        .expect("q")
}

#[tokio::test]
async fn a_consultation_runs_from_its_announcement_to_the_report() {
    each_backend("consultations", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let today = warsaw_day(Utc::now());
        let title = "Program współpracy na rok 2027 — konsultacje testowe";
        let official_id = make_user(
            &app,
            "konsultacje@example.pl",
            "hasło urzędnika 2026",
            Some(&[("official", "consultations")]),
        )
        .await;
        let office = person(&app, official_id).await;
        let grants_id = make_user(
            &app,
            "dotacje-k@example.pl",
            "hasło urzędnika 2026",
            Some(&[("official", "grants")]),
        )
        .await;
        let other_scope = person(&app, grants_id).await;
        assert_eq!(
            other_scope.get(&app, "/panel/konsultacje").await.0,
            403,
            "another scope"
        );

        // Bad input: kept as typed, every error named, nothing stored.
        let start = today.to_string();
        let short_end = (today + Duration::days(3)).to_string();
        let end = (today + Duration::days(6)).to_string();
        let mut fields = vec![
            ("title", title),
            ("subject", "Projekt programu na przyszły rok."),
            ("audience", "organisations"),
            ("form_online", "1"),
            ("form_entered", "1"),
            ("form_rdpp", "1"),
            ("remarks_public", "1"),
            ("start_date", start.as_str()),
            ("end_date", short_end.as_str()),
            ("short_reason", ""),
            ("contact_name", "Marta Zielińska"),
            ("contact_email", "ngo@example.pl"),
            ("draft", "   "),
        ];
        let (s, _, html) = office.post(&app, "/panel/konsultacje/nowa", &fields).await;
        assert_eq!(s, 200);
        let html = squash(&html);
        assert!(
            html.contains("Konsultacje trwają krócej niż 7 dni: uzasadnij krótszy termin"),
            "{html}"
        );
        assert!(html.contains("Wklej treść projektu."));
        assert!(
            html.contains(&format!("value=\"{title}\"")),
            "kept as typed"
        );
        assert!(the(&app, title).await.is_none(), "nothing stored");
        // Seven days, both counted: no reason needed.
        fields[8] = ("end_date", end.as_str());
        fields[12] = ("draft", DRAFT);
        let (s, loc, _) = office.post(&app, "/panel/konsultacje/nowa", &fields).await;
        assert_eq!(s, 303);
        let c = the(&app, title).await.expect("stored");
        assert_eq!(loc, format!("/panel/konsultacje/{}", c.id));
        assert_eq!(c.status, Status::Draft);
        assert_eq!(
            app.get(&format!("/konsultacje/{}", c.slug)).await.status(),
            404,
            "a draft is not public"
        );
        // An attachment: a title and a real PDF; a file that is not a document refused first.
        let files = format!("/panel/konsultacje/{}/pliki", c.id);
        let (s, _, html) = office
            .post_multipart(
                &app,
                &files,
                &[("file_title", "Uzasadnienie projektu")],
                Some(("file", "uzasadnienie.pdf", b"<html>nie PDF</html>".to_vec())),
            )
            .await;
        assert_eq!(s, 200);
        let html = squash(&html);
        assert!(html.contains("Ten plik nie jest dokumentem PDF"), "{html}");
        assert!(
            html.contains("value=\"Uzasadnienie projektu\""),
            "the title kept"
        );
        let pdf_bytes =
            b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec();
        let (s, _, _) = office
            .post_multipart(
                &app,
                &files,
                &[("file_title", "Uzasadnienie projektu")],
                Some(("file", "uzasadnienie.pdf", pdf_bytes.clone())),
            )
            .await;
        assert_eq!(s, 303);

        // Announced: public, open by the clock, in the calendar, organisations e-mailed.
        assert_eq!(
            office
                .post(
                    &app,
                    &format!("/panel/konsultacje/{}/ogloszenie", c.id),
                    &[]
                )
                .await
                .0,
            303
        );
        app.tp.worker().run_until_idle().await.expect("worker");
        let c = the(&app, title).await.expect("c");
        assert_eq!(c.status, Status::Open, "the clock stored the opening");
        assert!(c.event_id.is_some(), "the period is in the calendar");
        let org_mail = organization::Entity::find()
            .filter(organization::Column::Status.eq(organization::Status::Published))
            .all(db)
            .await
            .expect("q")
            .into_iter()
            .find_map(|o| o.email.filter(|e| !e.is_empty()))
            .expect("an organisation with an address");
        let invitation = mail_with_subject(&app, &org_mail, "Konsultacje: Program współpracy");
        assert!(
            invitation.contains(&format!("/konsultacje/{}", c.slug)),
            "{invitation}"
        );
        let (s, page) = app.get_text(&format!("/konsultacje/{}", c.slug)).await;
        assert_eq!(s, 200);
        for anchor in ["par-1", "par-3-pkt-2", "par-4-ust-2"] {
            assert!(
                page.contains(&format!("id=\"{anchor}\"")),
                "{anchor} addressable"
            );
            assert!(
                page.contains(&format!("/konsultacje/{}/uwaga?j={anchor}\"", c.slug)),
                "{anchor} has its form"
            );
        }
        assert!(
            app.get_text("/konsultacje")
                .await
                .1
                .contains(&format!("/konsultacje/{}\"", c.slug))
        );
        let href =
            extract_between(&page, "<a href=\"/pliki/", "\"").expect("the attachment is listed");
        assert!(page.contains("Uzasadnienie projektu"));
        let file = app.get(&format!("/pliki/{href}")).await;
        assert_eq!(file.status(), 200);
        assert_eq!(
            file.bytes().await.expect("bytes").to_vec(),
            pdf_bytes,
            "the attachment as uploaded"
        );

        // Only organisations are consulted: a visitor is asked to sign in and refused.
        let form_url = format!("/konsultacje/{}/uwaga?j=par-2", c.slug);
        let (_, page) = app.get_text(&form_url).await;
        assert!(page.contains("Zaloguj się, aby zgłosić uwagę."));
        let post_url = format!("/konsultacje/{}/uwaga", c.slug);
        let r = post_form(
            &app,
            &post_url,
            "/newsletter",
            &[
                ("anchor", "par-2"),
                ("author_name", "Anonim"),
                ("author_email", "a@example.pl"),
                ("justification", "Uzasadnienie uwagi."),
            ],
        )
        .await;
        assert_eq!(r.status(), 200);
        assert!(
            r.text()
                .await
                .expect("html")
                .contains("Zaloguj się, aby zgłosić uwagę.")
        );
        assert!(remarks(&app, c.id).await.is_empty(), "nothing stored");

        // Two organisations' members remark on three units.
        let orgs = organization::Entity::find()
            .filter(organization::Column::Status.eq(organization::Status::Published))
            .all(db)
            .await
            .expect("q");
        let (org_a, org_b) = (&orgs[0], &orgs[1]);
        let a_id = make_user(&app, "czlonek-a@example.pl", "hasło członka 2026", None).await;
        let b_id = make_user(&app, "czlonek-b@example.pl", "hasło członka 2026", None).await;
        join(&app, org_a.id, a_id, "owner").await;
        join(&app, org_b.id, b_id, "editor").await;
        let (member_a, member_b) = (person(&app, a_id).await, person(&app, b_id).await);
        let (s, _, page) = member_a.get(&app, &form_url).await;
        assert_eq!(s, 200);
        assert!(
            squash(&String::from_utf8_lossy(&page)).contains("Celem programu jest partnerstwo"),
            "the unit quoted"
        );
        let (a, b) = (org_a.id.to_string(), org_b.id.to_string());
        // A bad remark: no justification, another organisation — kept, nothing stored.
        let (s, _, html) = member_a
            .post(
                &app,
                &post_url,
                &[
                    ("anchor", "par-2"),
                    ("organization", b.as_str()),
                    ("author_name", "Anna Członek"),
                    ("author_email", "czlonek-a@example.pl"),
                    ("proposal", "Nowy cel programu."),
                    ("justification", ""),
                ],
            )
            .await;
        assert_eq!(s, 200);
        let html = squash(&html);
        assert!(
            html.contains("Podaj uzasadnienie uwagi.")
                && html.contains("Wybierz jedną ze swoich organizacji."),
            "{html}"
        );
        assert!(html.contains(">Nowy cel programu.</textarea>"));
        assert!(remarks(&app, c.id).await.is_empty());
        for (who, org, anchor, proposal) in [
            (
                &member_a,
                a.as_str(),
                "par-2",
                "Celem programu jest partnerstwo i zaufanie.",
            ),
            (
                &member_a,
                a.as_str(),
                "par-3-pkt-2",
                "2) konsultacje projektów aktów i zespoły doradcze.",
            ),
            (
                &member_b,
                b.as_str(),
                "par-4-ust-1",
                "1. Na program przeznacza się 1 200 000 zł.",
            ),
        ] {
            let email = if org == a {
                "czlonek-a@example.pl"
            } else {
                "czlonek-b@example.pl"
            };
            let (s, loc, _) = who
                .post(
                    &app,
                    &post_url,
                    &[
                        ("anchor", anchor),
                        ("organization", org),
                        ("author_name", "Członek organizacji"),
                        ("author_email", email),
                        ("proposal", proposal),
                        ("justification", "Uzasadnienie tej zmiany."),
                    ],
                )
                .await;
            assert_eq!(s, 303, "{anchor}");
            assert_eq!(loc, format!("/konsultacje/{}#{anchor}", c.slug));
        }
        // One sent on paper, entered by the office (bad channel refused first).
        let entered = format!("/panel/konsultacje/{}/uwagi", c.id);
        let paper = [
            ("anchor", "par-1"),
            ("channel", "online"),
            ("organization_name", "Rada Osiedla Północ"),
            ("author_name", "Jan Nowak"),
            ("author_email", "rada.polnoc@example.pl"),
            ("proposal", ""),
            ("justification", "Prosimy o program dwuletni."),
        ];
        let (s, _, html) = office.post(&app, &entered, &paper).await;
        assert_eq!(s, 200);
        assert!(squash(&html).contains("Wybierz, jak uwaga wpłynęła."));
        let mut paper = paper.to_vec();
        paper[1] = ("channel", "paper");
        assert_eq!(office.post(&app, &entered, &paper).await.0, 303);
        let all = remarks(&app, c.id).await;
        assert_eq!(all.len(), 4);
        assert_eq!(
            all.iter()
                .filter(|r| r.organization_id == Some(org_a.id))
                .count(),
            2
        );
        assert_eq!(all[3].entered_by, Some(official_id));
        assert_eq!(all[2].unit_label, "§ 4 ust. 1");
        let public = squash(&app.get_text(&format!("/konsultacje/{}", c.slug)).await.1);
        assert!(
            public.contains("Celem programu jest partnerstwo i zaufanie."),
            "remarks public as they come"
        );
        assert!(
            !public.contains("czlonek-a@example.pl"),
            "authors' addresses never shown"
        );

        // A second version: remarks stay on the first; the changes page marks the words.
        let v2 = DRAFT
            .replace("1 000 000 zł", "1 200 000 zł")
            .replace("partnerstwo Gminy", "partnerstwo i zaufanie Gminy");
        let (s, _, html) = office
            .post(
                &app,
                &format!("/panel/konsultacje/{}/wersja", c.id),
                &[("draft", DRAFT), ("note", "Bez zmian")],
            )
            .await;
        assert_eq!(s, 200);
        assert!(squash(&html).contains("Nowa wersja nie różni się od poprzedniej."));
        assert_eq!(
            office
                .post(
                    &app,
                    &format!("/panel/konsultacje/{}/wersja", c.id),
                    &[
                        ("draft", v2.as_str()),
                        ("note", "Uwzględniono uwagi do § 2 i § 4.")
                    ]
                )
                .await
                .0,
            303
        );
        let versions = version::Entity::find()
            .filter(version::Column::ConsultationId.eq(c.id))
            .order_by_asc(version::Column::Number)
            .all(db)
            .await
            .expect("q");
        assert_eq!(versions.len(), 2);
        assert!(
            remarks(&app, c.id)
                .await
                .iter()
                .all(|r| r.version_id == versions[0].id),
            "anchored to version 1"
        );
        let (s, changes) = app
            .get_text(&format!("/konsultacje/{}/zmiany", c.slug))
            .await;
        assert_eq!(s, 200);
        let changes = squash(&changes);
        assert!(
            changes.contains("<del>000</del> 000 zł") && changes.contains("<ins>200</ins> 000 zł"),
            "{changes}"
        );
        assert!(changes.contains("<ins>i zaufanie </ins>Gminy"));
        assert!(!changes.contains("§ 3 pkt 1"), "unchanged units left out");
        assert!(changes.contains("§ 4 ust. 1"));

        // The RDPP's opinion and its 14-day clock.
        let (s, _, html) = office
            .post(
                &app,
                &format!("/panel/konsultacje/{}/opinia", c.id),
                &[("sent_on", "jutro"), ("opinion", ""), ("opinion_on", "")],
            )
            .await;
        assert_eq!(s, 200);
        assert!(squash(&html).contains("Podaj dzień przekazania projektu Radzie"));
        let sent = today.to_string();
        assert_eq!(
            office
                .post(
                    &app,
                    &format!("/panel/konsultacje/{}/opinia", c.id),
                    &[
                        ("sent_on", sent.as_str()),
                        ("opinion", "Rada opiniuje projekt pozytywnie."),
                        ("opinion_on", sent.as_str())
                    ]
                )
                .await
                .0,
            303
        );
        let (_, _, page) = office
            .get(&app, &format!("/panel/konsultacje/{}", c.id))
            .await;
        let due = wspolnie_core::time::deadline_after(today, 14)
            .format("%d.%m.%Y")
            .to_string();
        assert!(
            squash(&String::from_utf8_lossy(&page)).contains(&due),
            "the opinion's deadline shown"
        );

        // The report: refused while the period runs.
        let report = format!("/panel/konsultacje/{}/raport", c.id);
        let summary = [
            (
                "summary",
                "Cztery uwagi od dwóch organizacji i rady osiedla.",
            ),
            ("minutes", ""),
        ];
        office.post(&app, &report, &summary).await;
        assert_eq!(the(&app, title).await.expect("c").status, Status::Open);
        // The period ends (moved back); the clock closes it.
        consultation::Entity::update_many()
            .col_expr(
                consultation::Column::EndsAt,
                sea_orm::sea_query::Expr::value(Utc::now() - Duration::minutes(1)),
            )
            .filter(consultation::Column::Id.eq(c.id))
            .exec(db)
            .await
            .expect("move the end");
        let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
        wspolnie_areas::consultations::store::advance(&txn, Utc::now())
            .await
            .expect("advance");
        txn.commit().await.expect("commit");
        assert_eq!(the(&app, title).await.expect("c").status, Status::Closed);
        let (s, _, html) = member_a
            .post(
                &app,
                &post_url,
                &[
                    ("anchor", "par-2"),
                    ("organization", a.as_str()),
                    ("author_name", "Anna Członek"),
                    ("author_email", "czlonek-a@example.pl"),
                    ("proposal", ""),
                    ("justification", "Uwaga po terminie."),
                ],
            )
            .await;
        assert_eq!(s, 200, "no remark after the period");
        assert!(squash(&html).contains("Te konsultacje nie przyjmują teraz uwag przez stronę."));
        assert_eq!(remarks(&app, c.id).await.len(), 4);
        // Refused while remarks lack a position, the number named.
        let (s, _, html) = office.post(&app, &report, &summary).await;
        assert_eq!(s, 200);
        assert!(
            squash(&html).contains("4 uwagi nie mają jeszcze stanowiska."),
            "{html}"
        );

        // Positions in bulk, with a reusable answer.
        assert_eq!(
            office
                .post(
                    &app,
                    "/panel/konsultacje/szablony",
                    &[
                        ("title", "Materia ustawowa"),
                        ("position", "rejected"),
                        (
                            "answer",
                            "Sprawę reguluje ustawa; uchwała nie może jej zmienić."
                        )
                    ]
                )
                .await
                .0,
            303
        );
        let template =
            wspolnie_areas::consultations::entity::consultation_answer_template::Entity::find()
                .one(db)
                .await
                .expect("q")
                .expect("template");
        let all = remarks(&app, c.id).await;
        let ids: Vec<String> = all.iter().map(|r| r.id.to_string()).collect();
        let answers = format!("/panel/konsultacje/{}/odpowiedzi", c.id);
        let (s, _, html) = office
            .post(
                &app,
                &answers,
                &[
                    ("remark", ids[0].as_str()),
                    ("position", "partly"),
                    ("answer", ""),
                ],
            )
            .await;
        assert_eq!(s, 200);
        assert!(squash(&html).contains("Uzasadnij stanowisko."));
        assert_eq!(
            office
                .post(
                    &app,
                    &answers,
                    &[
                        ("remark", ids[0].as_str()),
                        ("remark", ids[2].as_str()),
                        ("position", "accepted"),
                        ("answer", "")
                    ]
                )
                .await
                .0,
            303
        );
        assert_eq!(
            office
                .post(
                    &app,
                    &answers,
                    &[
                        ("remark", ids[1].as_str()),
                        ("position", "partly"),
                        ("answer", "Zespoły doradcze dodano w § 3 pkt 3.")
                    ]
                )
                .await
                .0,
            303
        );
        let t = template.id.to_string();
        assert_eq!(
            office
                .post(
                    &app,
                    &answers,
                    &[("remark", ids[3].as_str()), ("template", t.as_str())]
                )
                .await
                .0,
            303
        );
        let all = remarks(&app, c.id).await;
        assert_eq!(
            all.iter().map(|r| r.position).collect::<Vec<_>>(),
            [
                Some(Position::Accepted),
                Some(Position::Partly),
                Some(Position::Accepted),
                Some(Position::Rejected)
            ]
        );
        assert_eq!(
            all[3].answer,
            "Sprawę reguluje ustawa; uchwała nie może jej zmienić."
        );

        // Published: every author with an address told the outcome of their remarks.
        assert_eq!(office.post(&app, &report, &summary).await.0, 303);
        let c = the(&app, title).await.expect("c");
        assert_eq!(c.status, Status::Reported);
        app.tp.worker().run_until_idle().await.expect("worker");
        let to_a = squash(&mail_with_subject(
            &app,
            "czlonek-a@example.pl",
            "Stanowisko wobec Twoich uwag",
        ));
        assert!(
            to_a.contains("§ 2: Uwaga przyjęta")
                && to_a.contains("§ 3 pkt 2: Uwaga przyjęta częściowo — Zespoły doradcze"),
            "{to_a}"
        );
        assert!(
            squash(&mail_with_subject(
                &app,
                "czlonek-b@example.pl",
                "Stanowisko wobec Twoich uwag"
            ))
            .contains("§ 4 ust. 1: Uwaga przyjęta")
        );
        assert!(
            squash(&mail_with_subject(
                &app,
                "rada.polnoc@example.pl",
                "Stanowisko wobec Twoich uwag"
            ))
            .contains("Sprawę reguluje ustawa")
        );
        assert!(
            remarks(&app, c.id)
                .await
                .iter()
                .all(|r| r.notified_at.is_some())
        );

        // The report page: data, each remark with its position, the redline of version 1 → 2.
        let (s, page) = app
            .get_text(&format!("/konsultacje/{}/raport", c.slug))
            .await;
        assert_eq!(s, 200);
        let page = squash(&page);
        for needle in [
            "Zestawienie uwag",
            org_a.name.as_str(),
            org_b.name.as_str(),
            "Rada Osiedla Północ",
            "Uwaga przyjęta częściowo",
            "Sprawę reguluje ustawa",
            "Rada opiniuje projekt pozytywnie.",
            "Cztery uwagi od dwóch organizacji",
            "<ins>200</ins> 000 zł",
        ] {
            assert!(page.contains(needle), "report lacks {needle}");
        }
        // The same report for BIP: a tagged PDF and an ODT, read back.
        let pdf = app
            .get(&format!("/konsultacje/{}/raport.pdf", c.slug))
            .await;
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let pdf = pdf.bytes().await.expect("pdf");
        let text = squash(
            &crate::grants_submit::pages_text(&pdf)
                .expect("pdftotext and pdfinfo (poppler-utils) are needed")
                .join(" "),
        );
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for needle in [
            "Raport z konsultacji",
            "Uczestnicy: ",
            "Rada Osiedla Północ",
            "Rada opiniuje projekt pozytywnie.",
            "4 uwagi: Uwaga przyjęta 2, Uwaga przyjęta częściowo 1, Uwaga odrzucona 1",
            "Zestawienie uwag",
            "Tekst po konsultacjach",
        ] {
            assert!(text.contains(needle), "PDF lacks {needle}: {text}");
        }
        let odt = app
            .get(&format!("/konsultacje/{}/raport.odt", c.slug))
            .await;
        assert_eq!(
            odt.headers()["content-type"],
            "application/vnd.oasis.opendocument.text"
        );
        let odt = odt.bytes().await.expect("odt");
        let mut zip =
            zip::ZipArchive::new(std::io::Cursor::new(odt.to_vec())).expect("an ODT is a zip");
        let mut mime = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("mimetype").expect("mimetype"), &mut mime)
            .expect("read");
        assert_eq!(mime, "application/vnd.oasis.opendocument.text");
        let mut content = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("content.xml").expect("content"),
            &mut content,
        )
        .expect("read");
        for needle in [
            "Zestawienie uwag",
            org_b.name.as_str(),
            "Uwaga przyjęta częściowo",
            "Zespoły doradcze dodano w § 3 pkt 3.",
            "1 200 000 zł",
        ] {
            assert!(
                content.contains(&needle.replace('"', "&quot;")),
                "ODT lacks {needle}"
            );
        }
        // The API and the feed.
        let api: serde_json::Value = app
            .get("/api/v1/consultations")
            .await
            .json()
            .await
            .expect("json");
        let item = api["consultations"]
            .as_array()
            .expect("list")
            .iter()
            .find(|i| i["slug"] == c.slug.as_str())
            .expect("listed")
            .clone();
        assert_eq!(
            (
                item["status"].as_str(),
                item["versions"].as_i64(),
                item["remarks"].as_i64()
            ),
            (Some("reported"), Some(2), Some(4))
        );
        assert!(
            item["report_url"]
                .as_str()
                .expect("report")
                .ends_with("/raport")
        );
        let feed = app.get_text("/konsultacje.atom").await.1;
        assert!(feed.contains(&format!("/konsultacje/{}/raport", c.slug)));
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_an_open_programme_consultation_and_a_reported_one() {
    each_backend("consultations demo", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let all = consultation::Entity::find().all(db).await.expect("q");
        let open = all
            .iter()
            .find(|c| c.status == Status::Open)
            .expect("an open one");
        assert!(open.slug.starts_with("program-wspolpracy-"));
        assert!(remarks(&app, open.id).await.len() >= 3);
        let past = all
            .iter()
            .find(|c| c.status == Status::Reported)
            .expect("a reported one");
        let (s, page) = app
            .get_text(&format!("/konsultacje/{}/raport", past.slug))
            .await;
        assert_eq!(s, 200);
        assert!(squash(&page).contains("Uwaga odrzucona"));
        let (_, list) = app.get_text("/konsultacje").await;
        assert!(
            list.contains(&format!("/konsultacje/{}\"", open.slug))
                && list.contains(&format!("/konsultacje/{}\"", past.slug))
        );
    })
    .await;
}

#[tokio::test]
async fn where_everyone_is_consulted_a_resident_remarks_without_an_account_throttled_per_address() {
    each_backend("consultations everyone", |b| async move {
        let app = TestApp::new(b).await;
        let today = warsaw_day(Utc::now());
        let title = "Regulamin konsultacji społecznych — test mieszkańców";
        let official_id = make_user(
            &app,
            "konsultacje-m@example.pl",
            "hasło urzędnika 2026",
            Some(&[("official", "consultations")]),
        )
        .await;
        let office = person(&app, official_id).await;
        let (start, end) = (today.to_string(), (today + Duration::days(13)).to_string());
        let fields = [
            ("title", title),
            ("subject", "Regulamin konsultacji z mieszkańcami."),
            ("audience", "everyone"),
            ("form_online", "1"),
            ("remarks_public", "1"),
            ("start_date", start.as_str()),
            ("end_date", end.as_str()),
            ("contact_name", "Marta Zielińska"),
            ("contact_email", "ngo@example.pl"),
            ("draft", DRAFT),
        ];
        assert_eq!(
            office
                .post(&app, "/panel/konsultacje/nowa", &fields)
                .await
                .0,
            303
        );
        let c = the(&app, title).await.expect("stored");
        assert_eq!(
            office
                .post(
                    &app,
                    &format!("/panel/konsultacje/{}/ogloszenie", c.id),
                    &[]
                )
                .await
                .0,
            303
        );
        let post_url = format!("/konsultacje/{}/uwaga", c.slug);
        let form_url = format!("{post_url}?j=par-1");
        let (_, page) = app.get_text(&form_url).await;
        assert!(
            page.contains("name=\"author_email\""),
            "the form is open to everyone"
        );
        // A bad address: kept as typed, nothing stored.
        let r = post_form(
            &app,
            &post_url,
            &form_url,
            &[
                ("anchor", "par-1"),
                ("author_name", "Jan Mieszkaniec"),
                ("author_email", "nie-adres"),
                ("proposal", ""),
                ("justification", "Program powinien być dwuletni."),
            ],
        )
        .await;
        assert_eq!(r.status(), 200);
        let html = squash(&r.text().await.expect("html"));
        assert!(
            html.contains("Podaj poprawny adres e-mail.")
                && html.contains("value=\"Jan Mieszkaniec\""),
            "{html}"
        );
        assert!(remarks(&app, c.id).await.is_empty());
        // Ten remarks an hour from one address, the eleventh refused.
        for i in 0..10 {
            let text = format!("Uwaga mieszkańca numer {i} do paragrafu pierwszego.");
            let r = post_form(
                &app,
                &post_url,
                &form_url,
                &[
                    ("anchor", "par-1"),
                    ("author_name", "Jan Mieszkaniec"),
                    ("author_email", "jan@example.pl"),
                    ("proposal", ""),
                    ("justification", text.as_str()),
                ],
            )
            .await;
            assert_eq!(r.status(), 303, "{i}");
        }
        let r = post_form(
            &app,
            &post_url,
            &form_url,
            &[
                ("anchor", "par-1"),
                ("author_name", "Jan Mieszkaniec"),
                ("author_email", "jan@example.pl"),
                ("proposal", ""),
                ("justification", "Jedenasta uwaga w ciągu godziny."),
            ],
        )
        .await;
        assert_eq!(r.status(), 200);
        assert!(squash(&r.text().await.expect("html")).contains("zbyt wiele uwag"));
        let all = remarks(&app, c.id).await;
        assert_eq!(all.len(), 10);
        assert!(
            all.iter().all(|r| r.organization_id.is_none()
                && r.user_id.is_none()
                && r.unit_label == "§ 1")
        );
        // Shown as a private person, never by name or address.
        let public = squash(&app.get_text(&format!("/konsultacje/{}", c.slug)).await.1);
        assert!(
            public.contains("Osoba prywatna")
                && !public.contains("jan@example.pl")
                && !public.contains("Jan Mieszkaniec")
        );
    })
    .await;
}
