//! The public side of calls for offers (issue 17, items 2 and 8): `/konkursy` with its sections
//! and lenient filters, the announcement with every item of art. 13 UDPP, the offers received
//! published only after the deadline, drafts never public, the PDF, the open data and the API;
//! announcing a call through the panel puts its deadline in the calendar, e-mails the
//! newsletter's subscribers of grant calls and enters the weekly digest.

use crate::accounts::{location, make_user, post_form, staff_sign_in};
use crate::common::*;
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use wspolnie_areas::calendar::entity::event;
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::grants::entity::{grant_call, grant_offer};
use wspolnie_areas::mailings::entity::mailing;
use wspolnie_platform::entity::organization_member;
use wspolnie_platform::i18n::Lang;

const OPEN: &str = "wypoczynek-letni-dzieci-i-mlodziezy";
const CLOSED: &str = "zajecia-sportowe-dla-dzieci";
const DECIDED: &str = "kultura-i-dziedzictwo-2026";

async fn call_by_slug(app: &TestApp, slug: &str) -> grant_call::Model {
    grant_call::Entity::find()
        .filter(grant_call::Column::Slug.eq(slug))
        .one(&app.tp.platform.db.conn)
        .await
        .expect("q")
        .expect("call")
}

/// A call row as the office would have it, in `status`, with the deadline `days` from now.
pub(crate) async fn insert_call(
    app: &TestApp,
    slug: &str,
    title: &str,
    status: grant_call::Status,
    days: i64,
) -> grant_call::Model {
    let now = Utc::now();
    let deadline = now + Duration::days(days);
    let day = |d: i64| (now + Duration::days(d)).date_naive();
    grant_call::ActiveModel {
        slug: Set(slug.into()),
        number: Set("WSS.524.9.2027".into()),
        title: Set(title.into()),
        sphere_code: Set("15".into()),
        task_type: Set("Organizacja zimowisk dla dzieci".into()),
        description_md: Set("Zimowiska w mieście.".into()),
        funds_available: Set(5_000_000),
        grant_rules_md: Set("Dotacja do 90% kosztów.".into()),
        execution_from: Set(day(days + 30)),
        execution_to: Set(day(days + 60)),
        execution_conditions_md: Set("Na terenie gminy.".into()),
        offers_from: Set(None),
        offer_deadline: Set(deadline),
        selection_procedure_md: Set("Komisja konkursowa.".into()),
        selection_date: Set(day(days + 20)),
        prior_funding: Set("[]".into()),
        criteria: Set(r#"[{"name":"Jakość","max_points":10,"weight":1}]"#.into()),
        formal_checklist: Set("Oferta w terminie".into()),
        max_grant: Set(None),
        min_own_bp: Set(0),
        own_kinds: Set(String::new()),
        fees_allowed: Set(false),
        admin_cap_bp: Set(None),
        max_years: Set(1),
        joint_allowed: Set(false),
        indicators_required: Set(false),
        required_attachments: Set(String::new()),
        correction_days: Set(7),
        form_version: Set("2018-2057-z1".into()),
        contact_name: Set("Wydział Spraw Społecznych".into()),
        contact_email: Set("dotacje@wierzbin.example".into()),
        status: Set(status),
        announced_at: Set(None),
        event_id: Set(None),
        cloned_from: Set(None),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(0),
        ..Default::default()
    }
    .insert(&app.tp.platform.db.conn)
    .await
    .expect("call")
}

pub(crate) async fn insert_offer(
    app: &TestApp,
    call: i64,
    org: i64,
    title: &str,
    status: grant_offer::Status,
    version: i32,
    grant: i64,
) {
    let now = Utc::now();
    grant_offer::ActiveModel {
        call_id: Set(call),
        organization_id: Set(org),
        title: Set(title.into()),
        status: Set(status),
        template_version: Set("2018-2057-z1".into()),
        current_version: Set(version),
        checksum: Set(None),
        submitted_at: Set((version > 0).then_some(now)),
        withdrawn_at: Set(None),
        requested_grant: Set(grant),
        total_cost: Set(grant * 2),
        correction_deadline: Set(None),
        correction_sections: Set(String::new()),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.tp.platform.db.conn)
    .await
    .expect("offer");
}

/// GET as an anonymous visitor (a fresh client): status, content type, body.
pub(crate) async fn anon(app: &TestApp, path: &str) -> (u16, String, String) {
    let r = client().get(app.url(path)).send().await.expect("get");
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, ct, r.text().await.expect("body"))
}

async fn json(app: &TestApp, path: &str) -> serde_json::Value {
    let (status, ct, body) = anon(app, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    assert!(ct.starts_with("application/json"), "{path}: {ct}");
    serde_json::from_str(&body).expect("json")
}

fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

/// The order of `needles` in `hay` (panics when one is missing).
fn position(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} missing from the page"))
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("ogloszenie.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn calls_are_listed_filtered_announced_in_full_and_published_as_open_data() {
    each_backend("grants public pages", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let open = call_by_slug(&app, OPEN).await;
        let closed = call_by_slug(&app, CLOSED).await;
        let decided = call_by_slug(&app, DECIDED).await;
        let orgs = organization::Entity::find()
            .filter(organization::Column::Status.eq(organization::Status::Published))
            .all(db)
            .await
            .expect("orgs");
        let (a, b2) = (&orgs[0], &orgs[1]);
        // Offers: in the closed call one submitted, one corrected, a draft and a withdrawn one;
        // in the open call one submitted (not public before the deadline).
        use grant_offer::Status as O;
        insert_offer(
            &app,
            closed.id,
            a.id,
            "Sportowe soboty dla dzieci",
            O::Submitted,
            1,
            1_234_500,
        )
        .await;
        insert_offer(
            &app,
            closed.id,
            b2.id,
            "Liga podwórkowa",
            O::Corrected,
            2,
            2_000_000,
        )
        .await;
        insert_offer(
            &app,
            closed.id,
            b2.id,
            "Szkic niewysłanej oferty",
            O::Draft,
            0,
            900_000,
        )
        .await;
        insert_offer(
            &app,
            closed.id,
            a.id,
            "Oferta wycofana przez organizację",
            O::Withdrawn,
            1,
            800_000,
        )
        .await;
        insert_offer(
            &app,
            open.id,
            a.id,
            "Półkolonie nad zalewem",
            O::Submitted,
            1,
            2_500_000,
        )
        .await;
        let draft = insert_call(
            &app,
            "tajny-konkurs-w-przygotowaniu",
            "Tajny konkurs w przygotowaniu",
            grant_call::Status::Draft,
            40,
        )
        .await;

        // The list: three sections, each call in its own, status in words, deadline as <time>.
        let (status, _, html) = anon(&app, "/konkursy").await;
        assert_eq!(status, 200);
        let s_open = position(&html, "<h2 id=\"sekcja-otwarte\">Przyjmują oferty</h2>");
        let s_upcoming = position(&html, "<h2 id=\"sekcja-zapowiedziane\">Zapowiedziane</h2>");
        let s_past = position(&html, "<h2 id=\"sekcja-zakonczone\">Zakończone</h2>");
        let p_open = position(&html, &open.title);
        let p_closed = position(&html, &closed.title);
        let p_decided = position(&html, &decided.title);
        assert!(s_open < p_open && p_open < s_upcoming && s_upcoming < s_past);
        assert!(s_past < p_closed && s_past < p_decided);
        assert!(html.contains("Nie ma zapowiedzianych konkursów."));
        for words in ["przyjmuje oferty", "nabór zakończony", "rozstrzygnięty"] {
            assert!(html.contains(&format!("<dd>{words}</dd>")), "{words}");
        }
        assert!(html.contains(&format!(
            "<time datetime=\"{}\">{}</time>",
            wspolnie_web::fmt::iso(open.offer_deadline),
            wspolnie_web::fmt::datetime(Lang::Pl, open.offer_deadline)
        )));
        assert!(!html.contains(&draft.title), "a draft is never listed");
        // The list is in the main navigation.
        assert!(html.contains("<a href=\"/konkursy\" aria-current=\"page\">Konkursy ofert</a>"));

        // Filters: each narrows; a bad value is ignored; nothing found is said in a sentence.
        let titles = |html: &str| -> Vec<bool> {
            [&open.title, &closed.title, &decided.title]
                .iter()
                .map(|t| html.contains(t.as_str()))
                .collect()
        };
        let decided_year = wspolnie_areas::grants::public::year_of(&decided);
        for (query, want) in [
            ("?sfera=15", vec![true, false, false]),
            ("?stan=closed", vec![false, true, false]),
            ("?stan=decided", vec![false, false, true]),
            (
                &format!("?rok={decided_year}") as &str,
                [&open, &closed, &decided]
                    .iter()
                    .map(|c| wspolnie_areas::grants::public::year_of(c) == decided_year)
                    .collect(),
            ),
            (
                "?stan=draft&sfera=%00x&rok=abc&stan=open",
                vec![true, true, true],
            ),
            ("?sfera=", vec![true, true, true]),
        ] {
            let (status, _, html) = anon(&app, &format!("/konkursy{query}")).await;
            assert_eq!(status, 200, "{query}");
            assert_eq!(titles(&html), want, "{query}");
        }
        let (_, _, html) = anon(&app, "/konkursy?sfera=16&stan=open").await;
        assert!(
            html.contains("Żaden konkurs nie pasuje do wybranych filtrów."),
            "{html}"
        );
        assert!(html.contains("<option value=\"16\" selected>"));

        // A draft is not public anywhere.
        for path in [
            "/konkursy/tajny-konkurs-w-przygotowaniu",
            "/konkursy/tajny-konkurs-w-przygotowaniu/ogloszenie.pdf",
            "/api/v1/calls/tajny-konkurs-w-przygotowaniu",
            "/konkursy/nie-ma-takiego",
        ] {
            assert_eq!(anon(&app, path).await.0, 404, "{path}");
        }

        // The announcement: every item of art. 13 and the call's rules.
        let (status, _, html) = anon(&app, &format!("/konkursy/{OPEN}")).await;
        assert_eq!(status, 200);
        for key in [
            "call-field-task-type",
            "call-field-sphere",
            "call-field-funds",
            "call-part-money",
            "call-field-execution",
            "call-part-dates",
            "calls-offers-accepted-from",
            "call-field-deadline",
            "call-field-procedure",
            "call-part-criteria",
            "call-field-selection-date",
            "call-part-prior",
            "call-field-max-grant",
            "call-field-min-own",
            "call-field-fees",
            "call-field-admin-cap",
            "calls-multi-year",
            "call-field-joint",
            "call-field-indicators",
            "call-field-attachments",
            "call-part-contact",
        ] {
            let label = Lang::Pl.t(key);
            assert!(html.contains(&label), "{key} ({label}) on the announcement");
        }
        for value in [
            open.task_type.as_str(),
            "15. ",
            "180\u{a0}000,00\u{a0}zł",
            "30\u{a0}000,00\u{a0}zł",
            "Możliwość realizacji zadania przez organizację",
            "0–10",
            "Wypoczynek letni dzieci i młodzieży</th>",
            "160\u{a0}000,00\u{a0}zł",
            "Aktualny statut organizacji",
            "wkład finansowy",
            "mailto:dotacje@wierzbin.example",
            "Dotacja może pokryć do 90% kosztów zadania.",
            "<strong>Termin składania ofert: <time datetime=",
        ] {
            assert!(html.contains(value), "{value:?} on the announcement");
        }
        assert!(html.contains(&format!("href=\"/konkursy/{OPEN}/ogloszenie.pdf\"")));
        assert!(html.contains(&format!("href=\"/kalendarz/konkurs-{OPEN}\"")));
        // Before the deadline the offers are not public.
        assert!(html.contains(&Lang::Pl.t("calls-offers-after-deadline")));
        assert!(!html.contains("Półkolonie nad zalewem"));
        // Anonymous visitors are told how to offer; the button is for members.
        assert!(!html.contains("/panel/oferty/nowa"));

        // After the deadline: the offers received, never drafts or withdrawn ones.
        let (_, _, html) = anon(&app, &format!("/konkursy/{CLOSED}")).await;
        for shown in [
            "Sportowe soboty dla dzieci",
            "Liga podwórkowa",
            "12\u{a0}345,00\u{a0}zł",
            &a.name,
            &b2.name,
        ] {
            assert!(
                html.contains(&html_escape(shown)),
                "{shown:?} on the closed call"
            );
        }
        for hidden in [
            "Szkic niewysłanej oferty",
            "Oferta wycofana przez organizację",
        ] {
            assert!(!html.contains(hidden), "{hidden:?} is not public");
        }

        // A member of an organisation gets the way to an offer (never from the cache).
        let member = make_user(&app, "czlonek@example.pl", "hasło członka 2026", None).await;
        organization_member::Entity::insert(organization_member::ActiveModel {
            organization_id: Set(a.id),
            user_id: Set(member),
            role: Set("editor".into()),
            created_at: Set(Utc::now()),
        })
        .exec(db)
        .await
        .expect("member");
        let session = wspolnie_platform::auth::create_session(db, member, "127.0.0.1", "t", true)
            .await
            .expect("session");
        let html = client()
            .get(app.url(&format!("/konkursy/{OPEN}")))
            .header("cookie", format!("wsp_session={session}"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(html.contains(&format!("href=\"/panel/oferty/nowa?konkurs={OPEN}\"")));
        let html = client()
            .get(app.url(&format!("/konkursy/{CLOSED}")))
            .header("cookie", format!("wsp_session={session}"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        assert!(
            !html.contains("/panel/oferty/nowa"),
            "not after the deadline"
        );

        // JSON, the API and their OpenAPI schemas, key for key.
        let list = json(&app, "/konkursy.json").await;
        // Counted independently: every published call (registers of small grants are not calls).
        let public_calls = app
            .tp
            .scalar_i64("SELECT COUNT(*) FROM grant_calls WHERE status <> 'draft' AND kind = 'open'")
            .await;
        assert!(public_calls >= 3);
        assert_eq!(list["total"], public_calls);
        let items = list["items"].as_array().expect("items");
        let item = |slug: &str| {
            items
                .iter()
                .find(|i| i["slug"] == slug)
                .unwrap_or_else(|| panic!("{slug} in the JSON"))
                .clone()
        };
        let o = item(OPEN);
        assert_eq!(o["status"], "open");
        assert_eq!(o["funds_available"], 18_000_000);
        assert_eq!(o["rules"]["max_grant"], 3_000_000);
        assert_eq!(o["rules"]["min_own_contribution_bp"], 1000);
        assert_eq!(o["sphere"]["code"], "15");
        assert!(o["offers"].is_null(), "no offers before the deadline");
        assert_eq!(
            o["offer_deadline"],
            wspolnie_web::fmt::iso(open.offer_deadline)
        );
        let c = item(CLOSED);
        assert_eq!(c["status"], "closed");
        let offers = c["offers"].as_array().expect("offers after the deadline");
        // Counted independently: the demo's submitted offers and the two made above.
        let received = app
            .tp
            .scalar_i64(&format!(
                "SELECT COUNT(*) FROM grant_offers WHERE call_id = {} AND status NOT IN ('draft', 'withdrawn') AND current_version > 0",
                closed.id
            ))
            .await;
        assert!(received >= 2);
        assert_eq!(offers.len() as i64, received);
        assert!(offers.iter().any(
            |x| x["requested_grant"] == 1_234_500 && x["title"] == "Sportowe soboty dla dzieci"
        ));
        let api = json(&app, "/api/v1/calls?status=closed").await;
        assert_eq!(api["total"], 1);
        assert_eq!(api["items"][0]["slug"], CLOSED);
        let api = json(&app, "/api/v1/calls?sphere=16&lang=en").await;
        assert_eq!(api["total"], 1);
        assert!(
            api["items"][0]["sphere"]["name"]
                .as_str()
                .is_some_and(|n| !n.is_empty())
        );
        let api = json(&app, "/api/v1/calls?status=bogus&year=x").await;
        assert_eq!(api["total"], public_calls, "bad filters are ignored");
        let detail = json(&app, &format!("/api/v1/calls/{OPEN}")).await;
        let spec = json(&app, "/api/v1/openapi.json").await;
        let schemas = &spec["components"]["schemas"];
        assert_eq!(keys(&schemas["CallList"]["properties"]), keys(&list));
        assert_eq!(keys(&schemas["ApiCall"]["properties"]), keys(&detail));
        assert_eq!(
            keys(&schemas["ApiCallRules"]["properties"]),
            keys(&detail["rules"])
        );
        assert_eq!(
            keys(&schemas["ApiSphere"]["properties"]),
            keys(&detail["sphere"])
        );
        assert_eq!(
            keys(&schemas["ApiContact"]["properties"]),
            keys(&detail["contact"])
        );
        assert_eq!(
            keys(&schemas["ApiCriterion"]["properties"]),
            keys(&detail["criteria"][0])
        );
        assert_eq!(
            keys(&schemas["ApiPriorFunding"]["properties"]),
            keys(&detail["prior_funding"][0])
        );
        assert_eq!(
            keys(&schemas["ApiReceivedOffer"]["properties"]),
            keys(&c["offers"][0])
        );
        assert!(spec["paths"]["/api/v1/calls/{slug}"]["get"].is_object());

        // Last year's decided call publishes its results: offeror, task, score, amount.
        let (status, _, page) = anon(&app, &format!("/konkursy/{DECIDED}")).await;
        assert_eq!(status, 200);
        let page = page.replace('\u{a0}', " ");
        assert!(page.contains("Wyniki konkursu") && page.contains("41,25"), "results with the best score");
        assert!(page.contains("nie przyznano"), "the offer granted nothing is listed too");
        let (status, _, json) = anon(&app, &format!("/api/v1/calls/{DECIDED}")).await;
        assert_eq!(status, 200);
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        let results = v["results"].as_array().expect("results of a decided call");
        assert_eq!(results.len(), 3);
        assert_eq!(results[0]["score_hundredths"], 4125);
        assert!(results.iter().any(|r| r["amount"] == 0));
        // And as a PDF for BIP and the notice board.
        let r = client().get(app.url(&format!("/konkursy/{DECIDED}/wyniki.pdf"))).send().await.expect("pdf");
        assert_eq!(r.status(), 200);
        let pdf = r.bytes().await.expect("bytes");
        assert!(pdf.starts_with(b"%PDF-"));
        if let Some(pages) = crate::grants_submit::pages_text(&pdf) {
            let text = pages.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains("Wyniki konkursu") && text.contains("41,25") && text.contains("nie przyznano"), "{text}");
        }
        assert_eq!(anon(&app, &format!("/konkursy/{OPEN}/wyniki.pdf")).await.0, 404, "no results before the decision");
        // And in the Atom feed, with the announcements.
        let (status, ct, atom) = anon(&app, "/konkursy.atom").await;
        assert_eq!(status, 200);
        assert!(ct.starts_with("application/atom+xml"));
        let feed = feed_rs::parser::parse(atom.as_bytes()).expect("a valid feed");
        assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
        let results = feed
            .entries
            .iter()
            .find(|e| e.id.ends_with(&format!("/konkursy/{DECIDED}#wyniki")))
            .expect("the results entry");
        assert!(results.summary.as_ref().is_some_and(|t| t.content.contains("41,25")));
        assert!(feed.entries.iter().any(|e| e.id.ends_with(&format!("/konkursy/{OPEN}"))), "the open call's announcement");
        // Anyone may ask for the reasons; the office answers by e-mail; both are recorded.
        let ask = format!("/konkursy/{DECIDED}/uzasadnienie");
        let (status, _, page) = anon(&app, &format!("/konkursy/{DECIDED}")).await;
        assert_eq!(status, 200);
        assert!(page.contains(&format!("href=\"{ask}\"")), "linked from the results");
        assert_eq!(anon(&app, &ask).await.0, 200);
        assert_eq!(anon(&app, &format!("/konkursy/{OPEN}/uzasadnienie")).await.0, 404, "not before the decision");
        let r = post_form(&app, &ask, &ask, &[("name", ""), ("email", "nie-adres"), ("offer", "999999"), ("question", "Czemu?")]).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        for id in ["name-error", "email-error", "offer-error", "question-error"] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        }
        assert!(html.contains("Czemu?"), "the question kept");
        let r = post_form(
            &app,
            &ask,
            &ask,
            &[("name", "Jan Mieszkaniec"), ("email", "jan.mieszkaniec@example.pl"), ("offer", ""), ("question", "Dlaczego trzecia oferta nie dostała dotacji?")],
        )
        .await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, format!("/konkursy/{DECIDED}")));
        let official = make_user(&app, "odpowiedzi@example.pl", "hasło urzędnika 2026", Some(&[("official", "grants")])).await;
        let office = crate::grants_submit::person(&app, official).await;
        let list = format!("/panel/konkursy/{}/uzasadnienia", decided.id);
        let (status, _, page) = office.get(&app, &list).await;
        assert_eq!(status, 200);
        assert!(String::from_utf8_lossy(&page).contains("Dlaczego trzecia oferta"));
        let rid = app.tp.scalar_i64("SELECT MAX(id) FROM grant_reason_requests").await;
        let (status, _, html) = office.post(&app, &format!("{list}/{rid}"), &[("answer", "krótko")]).await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!("id=\"answer-{rid}-error\"")) && html.contains("krótko"));
        let (status, _, _) = office
            .post(&app, &format!("{list}/{rid}"), &[("answer", "Oferta uzyskała 22,40 pkt, poniżej progu 30 pkt.")])
            .await;
        assert_eq!(status, 303);
        app.tp.worker().run_until_idle().await.expect("worker");
        assert!(crate::directory::mail_text_to(&app, "jan.mieszkaniec@example.pl").contains("poniżej progu 30 pkt"));
        for action in ["grant_call.reasons_request", "grant_call.reasons_answer"] {
            assert_eq!(app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'")).await, 1, "{action}");
        }
        let (_, _, json) = anon(&app, &format!("/api/v1/calls/{OPEN}")).await;
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert!(v["results"].is_null(), "no results before the decision");

        // CSV: BOM, semicolons, formula-safe cells.
        app.tp
            .exec(&format!(
                "UPDATE grant_calls SET title = '=HYPERLINK(\"x\")' WHERE id = {}",
                decided.id
            ))
            .await;
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let r = client()
            .get(app.url("/konkursy.csv"))
            .send()
            .await
            .expect("csv");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .expect("ct")
                .starts_with("text/csv")
        );
        let csv = r.text().await.expect("csv");
        assert!(csv.starts_with('\u{feff}'), "BOM");
        let header = csv.lines().next().expect("header");
        assert!(header.contains("Znak sprawy;Tytuł konkursu;"), "{header}");
        assert!(csv.contains(&open.title) && csv.contains(&closed.title));
        assert!(csv.contains("'=HYPERLINK"), "formula defused: {csv}");
        assert!(!csv.contains(&draft.title));
        assert!(csv.contains("180 000,00"));
        let sport = csv
            .lines()
            .find(|l| l.contains(&closed.title))
            .expect("closed row");
        // The count and the sum requested, computed independently from the stored offers.
        let sum = app
            .tp
            .scalar_i64(&format!(
                "SELECT CAST(COALESCE(SUM(requested_grant), 0) AS BIGINT) FROM grant_offers WHERE call_id = {} AND status NOT IN ('draft', 'withdrawn') AND current_version > 0",
                closed.id
            ))
            .await;
        let sum_text = wspolnie_areas::grants::model::money_text(sum);
        assert!(
            sport.contains(&format!(";{received};{sum_text};")),
            "offers counted after the deadline ({received}, {sum_text}): {sport}"
        );

        // The PDF: A4 announcement, read back with pdftotext.
        let r = client()
            .get(app.url(&format!("/konkursy/{OPEN}/ogloszenie.pdf")))
            .send()
            .await
            .expect("pdf");
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let pdf = r.bytes().await.expect("bytes");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdf_text(&pdf);
        assert!(text.contains(&open.title), "{text}");
        assert!(
            text.contains(&format!(
                "Termin składania ofert: {}",
                wspolnie_web::fmt::datetime(Lang::Pl, open.offer_deadline)
            )),
            "{text}"
        );
        assert!(text.contains("Możliwość realizacji zadania przez organizację"));
        assert!(text.contains("Aktualny statut organizacji"));
        let r = client()
            .get(app.url(&format!("/konkursy/{CLOSED}/ogloszenie.pdf")))
            .send()
            .await
            .expect("pdf");
        let text = pdf_text(&r.bytes().await.expect("bytes"));
        assert!(text.contains("Sportowe soboty dla dzieci"), "{text}");

        // The announcement is cached for visitors and refreshed by a change behind its back.
        let path = format!("/konkursy/{OPEN}");
        let mut hit = false;
        for _ in 0..5 {
            let r = client().get(app.url(&path)).send().await.expect("get");
            if r.headers().get("x-wsp-cache").is_some_and(|v| v == "hit") {
                hit = true;
                break;
            }
        }
        assert!(hit, "the announcement is served from the cache");
        app.tp
            .exec(&format!(
                "UPDATE grant_calls SET title = 'Zmieniony Tytul Konkursu' WHERE id = {}",
                open.id
            ))
            .await;
        let mut seen = false;
        for _ in 0..50 {
            if anon(&app, &path)
                .await
                .2
                .contains("Zmieniony Tytul Konkursu")
            {
                seen = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(seen, "the change reached the cached page");
    })
    .await;
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('"', "&#34;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn announcing_a_call_puts_it_in_the_calendar_emails_subscribers_and_enters_the_digest() {
    each_backend("grants announce", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        insert_subscriber(db, "dotacje-pl@example.org", "grants", "pl").await;
        insert_subscriber(db, "dotacje-en@example.org", "events,grants", "en").await;
        insert_subscriber(db, "wydarzenia@example.org", "events", "pl").await;
        insert_subscriber(db, "podsumowanie@example.org", "digest", "pl").await;
        let official = make_user(
            &app,
            "urzedniczka@example.pl",
            "hasło urzędniczki 2026",
            Some(&[("official", "grants")]),
        )
        .await;
        staff_sign_in(
            &app,
            "urzedniczka@example.pl",
            "hasło urzędniczki 2026",
            official,
        )
        .await;
        let c = insert_call(
            &app,
            "zimowiska-2027",
            "Zimowiska dla dzieci w Wierzbinie",
            grant_call::Status::Draft,
            45,
        )
        .await;
        let before = Utc::now();

        let r = post_form(
            &app,
            &format!("/panel/konkursy/{}/status", c.id),
            &format!("/panel/konkursy/{}", c.id),
            &[("to", "open")],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), format!("/panel/konkursy/{}", c.id));
        let c = call_by_slug(&app, "zimowiska-2027").await;
        assert_eq!(c.status, grant_call::Status::Open);

        // The calendar entry: category konkurs, at the deadline, linking the call.
        let e = event::Entity::find_by_id(c.event_id.expect("calendar entry"))
            .one(db)
            .await
            .expect("q")
            .expect("event");
        assert_eq!(e.category, "konkurs");
        assert_eq!(e.starts_at, c.offer_deadline);
        let (_, _, cal) = anon(&app, "/kalendarz?kategoria=konkurs&widok=lista").await;
        assert!(
            cal.contains("<option value=\"konkurs\" selected>Konkurs ofert</option>"),
            "the filter takes it"
        );
        assert!(cal.contains(&c.title), "listed under its category");
        let (_, _, cal) = anon(&app, "/kalendarz?kategoria=konkurs&sfera=15&widok=lista").await;
        assert!(cal.contains(&c.title), "and under its sphere");
        let (status, _, page) = anon(&app, "/kalendarz/konkurs-zimowiska-2027").await;
        assert_eq!(status, 200);
        assert!(page.contains("<a href=\"/kalendarz?kategoria=konkurs\">Konkurs ofert</a>"));
        assert!(
            page.contains(
                "<a href=\"/konkursy/zimowiska-2027\">Przejdź do ogłoszenia konkursu</a>"
            )
        );
        // The entry's .ics carries the call's address in full.
        let (status, _, ics) = anon(&app, "/kalendarz/konkurs-zimowiska-2027/wydarzenie.ics").await;
        assert_eq!(status, 200);
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains(&format!(
                "{}/konkursy/zimowiska-2027",
                app.tp
                    .platform
                    .config
                    .server
                    .public_url
                    .trim_end_matches('/')
            )),
            "{unfolded}"
        );
        assert!(
            !page.contains(&Lang::Pl.t("event-free")),
            "no admission line for a deadline"
        );
        // Organisations cannot choose the category in their event form.
        assert!(!wspolnie_core::events::is_category("konkurs"));

        // A mailing to the subscribers of grant calls, per language, delivered.
        let mailings = mailing::Entity::find()
            .filter(mailing::Column::Kind.eq("manual"))
            .all(db)
            .await
            .expect("mailings");
        let ours: Vec<_> = mailings
            .iter()
            .filter(|m| m.subject.contains("Zimowiska dla dzieci w Wierzbinie"))
            .collect();
        assert_eq!(ours.len(), 2, "one per language");
        assert!(ours.iter().all(|m| m.audience.contains("\"grants\"")));
        app.tp.worker().run_until_idle().await.expect("jobs");
        let msgs = app.tp.smtp.messages();
        let to = |who: &str| {
            msgs.iter()
                .filter(|m| m.to.iter().any(|t| t == who))
                .count()
        };
        assert_eq!(to("dotacje-pl@example.org"), 1);
        assert_eq!(to("dotacje-en@example.org"), 1);
        assert_eq!(to("wydarzenia@example.org"), 0, "other topics get nothing");
        assert_eq!(
            crate::directory::last_subject_to(&app, "dotacje-pl@example.org"),
            "Nowy konkurs ofert: Zimowiska dla dzieci w Wierzbinie"
        );
        assert_eq!(
            crate::directory::last_subject_to(&app, "dotacje-en@example.org"),
            "New call for proposals: Zimowiska dla dzieci w Wierzbinie"
        );
        let text = crate::directory::mail_text_to(&app, "dotacje-pl@example.org");
        assert!(
            text.contains(&format!("{}/konkursy/zimowiska-2027", app.base)),
            "{text}"
        );
        assert!(
            text.contains(&wspolnie_web::fmt::datetime(Lang::Pl, c.offer_deadline)),
            "{text}"
        );

        // The weekly digest lists the call among the new calls (not as an event).
        let made = wspolnie_areas::mailings::model::make_digests(
            &app.tp.platform,
            Utc::now() + Duration::seconds(1),
        )
        .await
        .expect("digest");
        assert!(!made.is_empty());
        let digest = mailing::Entity::find()
            .filter(mailing::Column::Kind.eq("digest"))
            .filter(mailing::Column::Lang.eq("pl"))
            .one(db)
            .await
            .expect("q")
            .expect("digest");
        assert!(
            digest.body_md.contains("## Nowe konkursy ofert"),
            "{}",
            digest.body_md
        );
        assert!(digest.body_md.contains("/konkursy/zimowiska-2027"));
        assert!(!digest.body_md.contains("/kalendarz/konkurs-zimowiska-2027"));
        // A call announced before the digest's window is not in it.
        let section = wspolnie_areas::grants::public::digest_section(
            db,
            Lang::Pl,
            &app.base,
            before - Duration::days(14),
            before,
        )
        .await
        .expect("section");
        assert!(section.is_none_or(|s| !s.contains("zimowiska-2027")));
    })
    .await;
}
