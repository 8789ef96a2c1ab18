//! Offers filled in together (issue 17, items 3–5), over HTTP as real signed-in members of a demo
//! organisation in the demo open call: creating an offer, two members saving different sections
//! at once, two saving the same section (the conflict page shows both, "keep mine" saves it),
//! totals computed on the server from amounts typed the Polish way, hostile input, a non-member,
//! and an offer of a closed call that is read-only.

use crate::accounts::{location, make_user};
use crate::common::*;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::grants::entity::grant_call;
use wspolnie_areas::grants::offer::Section;
use wspolnie_areas::grants::store;
use wspolnie_platform::entity::{organization_member, user};

const OPEN_CALL: &str = "wypoczynek-letni-dzieci-i-mlodziezy";
const CLOSED_CALL: &str = "zajecia-sportowe-dla-dzieci";

/// A person with their own browser (cookie jar).
struct Person {
    app_base: String,
    client: reqwest::Client,
}

impl Person {
    async fn sign_in(app: &TestApp, email: &str, password: &str) -> Person {
        let p = Person {
            app_base: app.base.clone(),
            client: client(),
        };
        let r = p
            .post(
                "/konto/logowanie",
                &[("email", email.into()), ("password", password.into())],
            )
            .await;
        assert_eq!(location(&r), "/panel", "signed in as {email}");
        p
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.app_base))
            .send()
            .await
            .expect("get");
        let s = r.status().as_u16();
        (s, r.text().await.expect("body"))
    }

    async fn token(&self) -> String {
        let (_, html) = self.get("/ustawienia").await;
        extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token")
    }

    async fn post(&self, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
        let token = self.token().await;
        let mut form: Vec<(&str, String)> = fields.to_vec();
        form.push(("_csrf", token));
        self.client
            .post(format!("{}{path}", self.app_base))
            .form(&form)
            .send()
            .await
            .expect("post")
    }
}

impl Person {
    /// Uploads `bytes` as the offer's attachment (the call's first required one).
    async fn upload(&self, offer: i64, attachment: &str, bytes: &[u8]) -> reqwest::Response {
        let token = self.token().await;
        let form = reqwest::multipart::Form::new()
            .text("_csrf", token)
            .text("attachment", attachment.to_owned())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("statut.pdf"),
            );
        self.client
            .post(format!("{}/panel/oferty/{offer}/zalaczniki", self.app_base))
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }
}

/// The hidden `version` of a section's form.
fn version_in(html: &str) -> String {
    extract_between(html, "name=\"version\" value=\"", "\"").expect("version field")
}

async fn member(app: &TestApp, email: &str, org: i64) {
    let id = make_user(app, email, "hasło członka 2026", None).await;
    organization_member::Entity::insert(organization_member::ActiveModel {
        organization_id: Set(org),
        user_id: Set(id),
        role: Set("editor".into()),
        created_at: Set(Utc::now()),
    })
    .exec(&app.tp.platform.db.conn)
    .await
    .expect("member");
}

fn s(v: &str) -> String {
    v.to_owned()
}

#[tokio::test]
async fn members_fill_in_an_offer_together_without_losing_work() {
    each_backend("offers together", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let org = organization::Entity::find()
            .filter(organization::Column::Status.eq(organization::Status::Published))
            .order_by_asc(organization::Column::Id)
            .one(db)
            .await
            .expect("q")
            .expect("a demo organisation");
        member(&app, "ala@example.pl", org.id).await;
        member(&app, "ola@example.pl", org.id).await;
        make_user(&app, "obcy@example.pl", "hasło członka 2026", None).await;
        let ala = Person::sign_in(&app, "ala@example.pl", "hasło członka 2026").await;
        let ola = Person::sign_in(&app, "ola@example.pl", "hasło członka 2026").await;
        let obcy = Person::sign_in(&app, "obcy@example.pl", "hasło członka 2026").await;

        // The list offers the open call; the new offer's page preselects the one organisation.
        let (status, html) = ala.get("/panel/oferty").await;
        assert_eq!(status, 200);
        let start = format!("/panel/oferty/nowa?konkurs={OPEN_CALL}");
        assert!(html.contains(&start.replace('&', "&amp;")), "{html}");
        let (status, html) = ala.get(&start).await;
        assert_eq!(status, 200);
        assert!(
            html.contains(&format!("value=\"{}\" checked", org.id)),
            "{html}"
        );
        let r = ala
            .post(&start, &[("organization", org.id.to_string())])
            .await;
        assert_eq!(r.status(), 303);
        let at = location(&r);
        let id: i64 = at
            .strip_prefix("/panel/oferty/")
            .and_then(|i| i.parse().ok())
            .expect("offer address");
        let (status, html) = ola.get(&at).await;
        assert_eq!(status, 200, "another member sees it");
        assert!(html.contains(&format!("/panel/oferty/{id}/sekcja/oferenci")));
        assert!(html.contains("III.4"));
        // A call that accepts no offers: a clear message, no form.
        let (status, html) = ala
            .get(&format!("/panel/oferty/nowa?konkurs={CLOSED_CALL}"))
            .await;
        assert_eq!(status, 200);
        assert!(html.contains("nie przyjmuje teraz ofert"));
        assert!(!html.contains("name=\"organization\""));

        // Two members save different sections from the same moment: both kept.
        let task = format!("/panel/oferty/{id}/sekcja/zadanie");
        let res = format!("/panel/oferty/{id}/sekcja/zasoby");
        let v_task = version_in(&ala.get(&task).await.1);
        let v_res = version_in(&ola.get(&res).await.1);
        let task_fields = [
            ("version", v_task.clone()),
            ("title", s("Lato pełne przygód")),
            ("start_date", s("2027-07-01")),
            ("end_date", s("31.08.2027")),
            ("summary", s("Półkolonie dla dzieci z Wierzbina.")),
            ("place", s("Wierzbin")),
        ];
        let res_fields = [
            ("version", v_res),
            ("earlier_activity", s("Od 2015 roku prowadzimy półkolonie.")),
            ("resources", s("Dwóch wychowawców, sala, autokar.")),
        ];
        let (r1, r2) = tokio::join!(ala.post(&task, &task_fields), ola.post(&res, &res_fields));
        assert_eq!((r1.status().as_u16(), r2.status().as_u16()), (303, 303));
        assert_eq!(location(&r1), task);
        let (content, states) = store::load(db, id).await.expect("load");
        assert_eq!(content.task.title, "Lato pełne przygód");
        assert_eq!(content.task.end_date, "2027-08-31");
        assert_eq!(
            content.resources.resources,
            "Dwóch wychowawców, sala, autokar."
        );
        assert_eq!(states[&Section::Task].version, 1);
        let (_, html) = ala.get(&task).await;
        assert!(html.contains("Zapisano"), "flash after the save");
        let title: String = wspolnie_areas::grants::entity::grant_offer::Entity::find_by_id(id)
            .one(db)
            .await
            .expect("q")
            .expect("offer")
            .title;
        assert_eq!(title, "Lato pełne przygód", "the list's title kept in step");

        // Two members save the same section from the same version: the second sees both.
        let other = format!("/panel/oferty/{id}/sekcja/inne");
        let v_ala = version_in(&ala.get(&other).await.1);
        let v_ola = version_in(&ola.get(&other).await.1);
        assert_eq!(v_ala, v_ola);
        let r = ala
            .post(
                &other,
                &[("version", v_ala), ("text", s("Tekst Ali o promocji."))],
            )
            .await;
        assert_eq!(r.status(), 303);
        let r = ola
            .post(
                &other,
                &[("version", v_ola), ("text", s("Tekst Oli o ryzykach."))],
            )
            .await;
        assert_eq!(r.status(), 200, "a conflict is a page, not an error");
        let html = r.text().await.expect("body");
        assert!(
            html.contains("Ktoś zapisał tę część w międzyczasie"),
            "{html}"
        );
        assert!(
            html.contains("Tekst Ali o promocji."),
            "the stored version shown"
        );
        assert!(
            html.contains("Tekst Oli o ryzykach."),
            "the unsaved version shown"
        );
        assert!(html.contains("Zapisał(a) ala"), "who saved it");
        let current = version_in(&html);
        assert_eq!(current, "1", "the version Ala stored");
        let hidden = extract_between(&html, "name=\"text\" value=\"", "\"").expect("kept text");
        assert_eq!(hidden, "Tekst Oli o ryzykach.");
        let (content, _) = store::load(db, id).await.expect("load");
        assert_eq!(
            content.other.text, "Tekst Ali o promocji.",
            "nothing overwritten"
        );
        let r = ola
            .post(&other, &[("version", current), ("text", hidden)])
            .await;
        assert_eq!(r.status(), 303, "keep mine");
        let (content, states) = store::load(db, id).await.expect("load");
        assert_eq!(content.other.text, "Tekst Oli o ryzykach.");
        assert_eq!(states[&Section::Other].version, 2);

        // Totals from amounts typed the Polish way, computed on the server.
        let actions = format!("/panel/oferty/{id}/sekcja/dzialania");
        let v = version_in(&ala.get(&actions).await.1);
        let r = ala
            .post(
                &actions,
                &[
                    ("version", v),
                    ("action_name", s("Półkolonie")),
                    ("action_description", s("Pięć dni zajęć")),
                    ("action_target_group", s("Dzieci 7–12 lat")),
                    ("action_planned_dates", s("07.2027")),
                    ("action_non_party", s("")),
                    ("action_name", s("")),
                    ("action_description", s("")),
                    ("action_target_group", s("")),
                    ("action_planned_dates", s("")),
                    ("action_non_party", s("")),
                    ("more", s("1")),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            location(&r),
            format!("{actions}?dodaj=5"),
            "more rows asked for"
        );
        let costs = format!("/panel/oferty/{id}/sekcja/koszty");
        let (_, html) = ala.get(&costs).await;
        assert!(html.contains("value=\"a0\""), "the action to choose");
        let v = version_in(&html);
        let row = |action: &str, kind: &str, unit: &str, cost: &str, units: &str| {
            vec![
                ("cost_action", s(action)),
                ("cost_kind", s(kind)),
                ("cost_unit", s(unit)),
                ("cost_unit_cost", s(cost)),
                ("cost_units", s(units)),
            ]
        };
        let mut fields = vec![("version", v)];
        fields.extend(row("a0", "Wynajem autokaru", "kurs", "1 234,50", "2,5"));
        fields.extend(row("admin", "Obsługa księgowa", "mies.", "500", "2"));
        fields.extend(row("", "", "", "", ""));
        let r = ala.post(&costs, &fields).await;
        assert_eq!(r.status(), 303);
        let funding = format!("/panel/oferty/{id}/sekcja/zrodla");
        let v = version_in(&ola.get(&funding).await.1);
        let r = ola
            .post(
                &funding,
                &[
                    ("version", v),
                    ("grant", s("3 000,00")),
                    ("own_financial", s("586,25")),
                    ("personal", s("500")),
                    ("in_kind", s("")),
                    ("fees", s("0")),
                    ("valuation", s("Wolontariusze: 25 zł za godzinę.")),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let (content, _) = store::load(db, id).await.expect("load");
        let t = content.totals();
        assert_eq!(t.total, 408_625, "1 234,50 × 2,5 + 500 × 2");
        assert_eq!((t.actions, t.administrative), (308_625, 100_000));
        assert_eq!(t.sources, t.total);
        let (_, html) = ala.get(&costs).await;
        assert!(html.contains("3\u{a0}086,25\u{a0}zł"), "the row's value");
        assert!(html.contains("4\u{a0}086,25\u{a0}zł"), "the total");
        let (_, html) = ala.get(&funding).await;
        assert!(html.contains("73,42\u{a0}%"), "the grant's share");
        let (_, html) = ala.get(&format!("/panel/oferty/{id}")).await;
        assert!(html.contains("4\u{a0}086,25\u{a0}zł"));
        assert!(html.contains("24,47\u{a0}%"), "the administrative share");

        // Hostile input: field errors next to the fields, nothing stored, never a 500.
        let before = store::load(db, id).await.expect("load");
        let v = version_in(&ala.get(&task).await.1);
        let r = ala
            .post(
                &task,
                &[
                    ("version", v.clone()),
                    ("title", "x".repeat(1_000_000)),
                    ("start_date", s("31.02.2027")),
                    ("summary", s("zły\u{1}znak")),
                ],
            )
            .await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("body");
        assert!(html.contains("<title>Błąd: "), "title prefix");
        for id in ["title-error", "start_date-error", "summary-error"] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        }
        let v = version_in(&ola.get(&funding).await.1);
        let r = ola
            .post(
                &funding,
                &[
                    ("version", v),
                    ("grant", s("9999999999999999999")),
                    ("fees", s("-5")),
                ],
            )
            .await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("body");
        assert!(html.contains("id=\"grant-error\""));
        assert!(html.contains("id=\"fees-error\""));
        assert!(
            html.contains("value=\"9999999999999999999\""),
            "the input kept"
        );
        let v = version_in(&ala.get(&costs).await.1);
        let mut fields = vec![("version", v)];
        fields.extend(row("a0", "Wynajem", "kurs", "12,345", "x"));
        let r = ala.post(&costs, &fields).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("body");
        assert!(html.contains("id=\"cost-1-unit_cost-error\""));
        assert!(html.contains("id=\"cost-1-units-error\""));
        assert_eq!(store::load(db, id).await.expect("load").0, before.0);

        // A non-member: every page and form of the offer is "not found", like a missing offer.
        for path in [
            format!("/panel/oferty/{id}"),
            format!("/panel/oferty/{id}/sekcja/zadanie"),
            format!("/panel/oferty/{id}/zalaczniki"),
        ] {
            assert_eq!(obcy.get(&path).await.0, 404, "{path}");
        }
        let r = obcy
            .post(&task, &[("version", s("9")), ("title", s("Przejęte"))])
            .await;
        assert_eq!(r.status(), 404);

        // An attachment is served to the members (and grants officials) only, never by /pliki.
        let call = grant_call::Entity::find()
            .filter(grant_call::Column::Slug.eq(OPEN_CALL))
            .one(db)
            .await
            .expect("q")
            .expect("open call");
        let required = wspolnie_areas::grants::model::lines(&call.required_attachments);
        let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
        let r = ola.upload(id, &required[0], pdf).await;
        assert_eq!(r.status(), 303, "uploaded");
        let file = wspolnie_areas::grants::entity::grant_offer_file::Entity::find()
            .filter(wspolnie_areas::grants::entity::grant_offer_file::Column::OfferId.eq(id))
            .one(db)
            .await
            .expect("q")
            .expect("the file row");
        assert!(file.file_key.starts_with("private/"), "{}", file.file_key);
        let at = format!("/panel/oferty/{id}/zalaczniki/{}", file.id);
        let (_, html) = ala.get(&format!("/panel/oferty/{id}/zalaczniki")).await;
        assert!(
            html.contains(&format!("href=\"{at}\"")),
            "listed with its members-only link"
        );
        let r = ala
            .client
            .get(format!("{}{at}", ala.app_base))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 200);
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .expect("ascii")
                .starts_with("attachment;")
        );
        // Never kept by a shared cache (the panel's layer makes every answer `no-store`).
        assert!(
            r.headers()["cache-control"]
                .to_str()
                .expect("ascii")
                .contains("no-store")
        );
        assert_eq!(&r.bytes().await.expect("bytes")[..], &pdf[..]);
        assert_eq!(obcy.get(&at).await.0, 404, "not to another organisation");
        assert_eq!(
            app.get(&format!("/pliki/{}", file.file_key)).await.status(),
            404
        );
        assert_eq!(ala.get("/panel/oferty/999999").await.0, 404);
        let (_, html) = obcy.get("/panel/oferty").await;
        assert!(
            !html.contains("Lato pełne przygód"),
            "not listed for others"
        );

        // An offer of a closed call: shown, read only; saving is refused.
        let closed = grant_call::Entity::find()
            .filter(grant_call::Column::Slug.eq(CLOSED_CALL))
            .one(db)
            .await
            .expect("q")
            .expect("closed demo call");
        let ala_user = user::Entity::find()
            .filter(user::Column::Email.eq("ala@example.pl"))
            .one(db)
            .await
            .expect("q")
            .expect("user");
        let account = wspolnie_web::policy::Account {
            user: ala_user.clone(),
            session_id: String::new(),
            roles: Vec::new(),
            memberships: vec![(org.id, "editor".into())],
        };
        let txn = wspolnie_platform::db::begin_write(db).await.expect("txn");
        let old = store::create(
            &txn,
            &closed,
            &org,
            &account,
            &wspolnie_platform::audit::Actor {
                user_id: Some(ala_user.id),
                label: ala_user.email.clone(),
                ip: String::new(),
            },
        )
        .await
        .expect("create");
        txn.commit().await.expect("commit");
        let (status, html) = ala.get(&format!("/panel/oferty/{old}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Tej oferty nie można teraz zmieniać"));
        assert!(!html.contains("Złóż ofertę</button>"));
        let section = format!("/panel/oferty/{old}/sekcja/oferenci");
        let (status, html) = ala.get(&section).await;
        assert_eq!(status, 200);
        assert!(!html.contains(&format!("action=\"{section}\"")), "no form");
        assert!(html.contains(&org.name.replace('"', "&#34;")) || html.contains("Nazwa oferenta"));
        let r = ala
            .post(&section, &[("version", s("0")), ("lead_name", s("Zmiana"))])
            .await;
        assert_eq!(r.status(), 403);
        let (_, html) = ala
            .get(&format!("/panel/oferty/{old}/sekcja/podzial"))
            .await;
        assert!(html.contains("nie dotyczy"), "a single offeror's split");
    })
    .await;
}
