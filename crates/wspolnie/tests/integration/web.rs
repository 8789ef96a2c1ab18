use crate::common::*;
use sea_orm::{ActiveValue::Set, EntityTrait};

#[tokio::test]
async fn pages_render_with_security_headers() {
    each_backend("pages", |b| async move {
        let app = TestApp::new(b).await;
        for path in [
            "/",
            "/organizacje",
            "/aktualnosci",
            "/kalendarz",
            "/kontakt",
            "/dostepnosc",
            "/ustawienia",
        ] {
            let r = app.get(path).await;
            assert_eq!(r.status(), 200, "{path}");
            let h = r.headers().clone();
            let csp = h
                .get("content-security-policy")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert!(
                csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
                "{path}: strict CSP"
            );
            assert_eq!(
                h.get("x-content-type-options")
                    .and_then(|v| v.to_str().ok()),
                Some("nosniff")
            );
            assert_eq!(
                h.get("x-frame-options").and_then(|v| v.to_str().ok()),
                Some("DENY")
            );
            assert!(h.get("x-request-id").is_some(), "{path}: request id");
            let html = r.text().await.expect("body");
            assert!(html.contains("<html lang=\"pl\""), "{path}");
            assert_eq!(html.matches("<h1").count(), 1, "{path}: exactly one h1");
            assert!(
                html.contains("href=\"#main\"") && html.contains("id=\"main\""),
                "{path}: skip link"
            );
            assert!(
                html.contains("Urząd Miejski w Wierzbinie"),
                "{path}: office name from settings"
            );
        }
        // Detail pages linked from the lists.
        for (list, prefix) in [
            ("/organizacje", "/organizacje/"),
            ("/aktualnosci", "/aktualnosci/"),
            ("/kalendarz", "/kalendarz/"),
        ] {
            let (_, html) = app.get_text(list).await;
            let link = extract_between(&html, &format!("<a href=\"{prefix}"), "\"")
                .expect("a detail link");
            let (status, page) = app.get_text(&format!("{prefix}{link}")).await;
            assert_eq!(status, 200, "{prefix}{link}");
            assert_eq!(page.matches("<h1").count(), 1);
        }
    })
    .await;
}

#[tokio::test]
async fn directory_search_ignores_diacritics_and_case() {
    each_backend("search", |b| async move {
        let app = TestApp::new(b).await;
        let count = |html: &str| {
            extract_between(html, "data-result-count=\"", "\"")
                .and_then(|n| n.parse::<u64>().ok())
                .expect("count")
        };
        let (_, all) = app.get_text("/organizacje").await;
        let total = count(&all);
        assert_eq!(total, 60);
        let (_, a) = app.get_text("/organizacje?q=zwiazek").await;
        let (_, b2) = app.get_text("/organizacje?q=ZWI%C4%84ZEK").await;
        let (_, c) = app.get_text("/organizacje?q=zwi").await;
        let n = count(&a);
        assert!(
            n > 0 && n < total,
            "some but not all organisations match: {n}"
        );
        assert_eq!(n, count(&b2), "case and diacritics do not matter");
        assert!(count(&c) >= n, "prefix matching");
        assert!(a.contains("Związek"));
        let (_, none) = app.get_text("/organizacje?q=qqqxxx").await;
        assert_eq!(count(&none), 0);
        assert!(none.contains("0 wyników"), "Polish plural for zero");
        // Filters stay in the URL of the pagination links.
        let (_, paged) = app.get_text("/organizacje?sfera=16").await;
        let filtered = count(&paged);
        assert!(filtered > 0 && filtered < total);
        if filtered > 20 {
            assert!(
                paged.contains("sfera=16&amp;strona=2"),
                "pagination keeps the filter"
            );
        }
        // Page 2 of the whole list has different organisations than page 1.
        let (_, p2) = app.get_text("/organizacje?strona=2").await;
        let first = |h: &str| {
            extract_between(h, "<h2 class=\"card-title\"><a href=\"", "\"").expect("first item")
        };
        assert_ne!(first(&all), first(&p2));
    })
    .await;
}

#[tokio::test]
async fn csrf_guards_every_post() {
    each_backend("csrf", |b| async move {
        let app = TestApp::new(b).await;
        // No cookie, no token.
        let r = client()
            .post(app.url("/ustawienia/wyglad"))
            .form(&[("text_size", "large")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 403);
        let body = r.text().await.expect("body");
        assert!(
            body.contains("Nie udało się wykonać tej czynności")
                && body.contains("Formularz mógł wygasnąć")
                && body.contains("<h1"),
            "localised 403 page that speaks of an expired form"
        );
        // Cookie but a wrong token.
        let _ = app.get("/").await;
        let r = app
            .client
            .post(app.url("/ustawienia/wyglad"))
            .form(&[("text_size", "large"), ("_csrf", "00")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 403);
        // A token from another browser's cookie does not work either.
        let other = TestAppClient::new(&app).await;
        let r = app
            .client
            .post(app.url("/ustawienia/wyglad"))
            .form(&[("text_size", "large"), ("_csrf", other.token.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 403);
        // Cross-site origin is refused even with a valid token.
        let token = app.csrf_token("/").await;
        let r = app
            .client
            .post(app.url("/ustawienia/wyglad"))
            .header("origin", "https://evil.example")
            .form(&[("text_size", "large"), ("_csrf", token.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 403);
        // The right token passes.
        let r = app
            .client
            .post(app.url("/ustawienia/wyglad"))
            .form(&[
                ("text_size", "large"),
                ("_csrf", token.as_str()),
                ("back", "/kontakt"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 303);
        assert_eq!(
            r.headers().get("location").and_then(|v| v.to_str().ok()),
            Some("/kontakt")
        );
    })
    .await;
}

struct TestAppClient {
    token: String,
}

impl TestAppClient {
    async fn new(app: &TestApp) -> Self {
        let c = client();
        let html = c
            .get(app.url("/"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("text");
        TestAppClient {
            token: extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("token"),
        }
    }
}

#[tokio::test]
async fn display_preferences_and_language_persist() {
    each_backend("prefs", |b| async move {
        let app = TestApp::new(b).await;
        let token = app.csrf_token("/").await;
        let r = app
            .client
            .post(app.url("/ustawienia/wyglad"))
            .form(&[
                ("text_size", "larger"),
                ("_csrf", token.as_str()),
                ("back", "/"),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 303);
        let set_cookies: Vec<String> = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect();
        assert!(
            set_cookies
                .iter()
                .all(|c| c.contains("HttpOnly") && c.contains("SameSite=Lax")),
            "{set_cookies:?}"
        );
        let (_, html) = app.get_text("/").await;
        assert!(html.contains("class=\"ts-larger\""), "text size applied");
        assert!(
            html.contains("role=\"status\">Zapisano ustawienia wyglądu."),
            "flash shown once"
        );
        let (_, html) = app.get_text("/organizacje").await;
        assert!(html.contains("class=\"ts-larger\""), "text size persists");
        assert!(
            !html.contains("Zapisano ustawienia wyglądu."),
            "flash gone on the next page"
        );

        let token = app.csrf_token("/").await;
        app.client
            .post(app.url("/ustawienia/wyglad"))
            .form(&[("contrast", "high"), ("_csrf", token.as_str())])
            .send()
            .await
            .expect("post");
        let (_, html) = app.get_text("/kalendarz").await;
        assert!(html.contains("class=\"ts-larger hc\""), "high contrast on");
        app.client
            .post(app.url("/ustawienia/wyglad"))
            .form(&[("contrast", "normal"), ("_csrf", token.as_str())])
            .send()
            .await
            .expect("post");
        let (_, html) = app.get_text("/kalendarz").await;
        assert!(!html.contains(" hc\""), "high contrast off");

        app.client
            .post(app.url("/ustawienia/jezyk"))
            .form(&[("lang", "en"), ("_csrf", token.as_str()), ("back", "/")])
            .send()
            .await
            .expect("post");
        let (_, html) = app.get_text("/").await;
        assert!(html.contains("<html lang=\"en\""));
        assert!(html.contains("Non-governmental organisations in our town"));
        assert!(html.contains("Language changed to English."));
        let (status, html) = app.get_text("/no-such-page").await;
        assert_eq!(status, 404);
        assert!(html.contains("Page not found"), "404 in English");
        // Accept-Language picks English for a first visit without a cookie.
        let html = client()
            .get(app.url("/"))
            .header("accept-language", "en-GB,en;q=0.9")
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("t");
        assert!(html.contains("<html lang=\"en\""));
    })
    .await;
}

#[tokio::test]
async fn error_pages_are_localised_html() {
    each_backend("errors", |b| async move {
        let app = TestApp::new(b).await;
        let (status, html) = app.get_text("/nie-ma-takiej-strony").await;
        assert_eq!(status, 404);
        assert!(html.contains("Nie znaleziono strony") && html.contains("<html lang=\"pl\""));
        let (status, _) = app.get_text("/organizacje/nie-istnieje").await;
        assert_eq!(status, 404);
        // (A page number is never malformed any more — `?strona=abc` is page 1, see
        // hostile_input — and a malformed e-mail link gets the "link not valid" page, so a
        // form sent as JSON stands for a request axum rejects.)
        let token = app.csrf_token("/newsletter").await;
        let r = app
            .client
            .post(app.url("/newsletter"))
            .header("x-csrf-token", token)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 415);
        assert!(
            r.text()
                .await
                .expect("body")
                .contains("Nieprawidłowe żądanie"),
            "axum's rejection becomes our page"
        );
        // A broken database gives the 500 page with the request id; readiness reports it.
        app.tp.exec("DROP TABLE article_files").await;
        app.tp.exec("DROP TABLE articles").await;
        let r = app.get("/").await;
        assert_eq!(r.status(), 500);
        let id = r
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .expect("id");
        let html = r.text().await.expect("body");
        assert!(html.contains("Wystąpił błąd serwera"));
        assert!(html.contains(&id), "request id shown to quote to support");
        let r = app.get("/readyz").await;
        assert_eq!(r.status(), 200, "schema table still current, database up");
    })
    .await;
}

#[tokio::test]
async fn health_and_readiness() {
    each_backend("health", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        assert_eq!(app.get_text("/healthz").await, (200, "ok".to_owned()));
        let r = app.get("/readyz").await;
        assert_eq!(r.status(), 200);
        let v: serde_json::Value = r.json().await.expect("json");
        assert_eq!(v["database"], "ok");
        assert_eq!(v["migrations"], "current");
        app.tp.exec("INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20991231_000001_future', 0)").await;
        let r = app.get("/readyz").await;
        assert_eq!(r.status(), 503);
        let v: serde_json::Value = r.json().await.expect("json");
        assert_eq!(v["migrations"], "ahead");
    })
    .await;
}

#[tokio::test]
async fn stored_files_are_served_safely() {
    each_backend("files", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let storage = &app.tp.platform.storage;
        let key = storage
            .put_new(
                "2026/11",
                "pdf",
                bytes::Bytes::from_static(b"%PDF-1.7 test"),
            )
            .await
            .expect("put");
        wspolnie_platform::entity::stored_file::Entity::insert(
            wspolnie_platform::entity::stored_file::ActiveModel {
                key: Set(key.clone()),
                original_name: Set("Sprawozdanie końcowe.pdf".into()),
                content_type: Set("application/pdf".into()),
                size: Set(13),
                sha256: Set("x".into()),
                created_at: Set(chrono::Utc::now()),
                ..Default::default()
            },
        )
        .exec(&app.tp.platform.db.conn)
        .await
        .expect("insert");
        let r = app.get(&format!("/pliki/{key}")).await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/pdf")
        );
        assert_eq!(
            r.headers()
                .get("x-content-type-options")
                .and_then(|v| v.to_str().ok()),
            Some("nosniff")
        );
        let cd = r
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        assert!(
            cd.contains("filename*=UTF-8''Sprawozdanie%20ko%C5%84cowe.pdf"),
            "{cd}"
        );
        assert_eq!(&r.bytes().await.expect("bytes")[..], b"%PDF-1.7 test");
        assert_eq!(app.get("/pliki/2026/11/nope.pdf").await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn static_assets_are_cached_and_versioned() {
    let app = TestApp::with_demo(Backend::Sqlite, false).await;
    let (_, html) = app.get_text("/").await;
    let href = extract_between(&html, "<link rel=\"stylesheet\" href=\"", "\"").expect("css link");
    assert!(href.starts_with("/static/site.css?v="));
    let r = app.get(&href).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .contains("immutable")
    );
    let etag = r
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_owned();
    let r = app
        .client
        .get(app.url("/static/site.css"))
        .header("if-none-match", etag)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 304);
}

#[tokio::test]
async fn directory_filters_order_exports_and_api() {
    each_backend("directory", |b| async move {
        let app = TestApp::new(b).await;
        let count = |html: &str| extract_between(html, "data-result-count=\"", "\"").and_then(|n| n.parse::<u64>().ok()).expect("count");
        let total = count(&app.get_text("/organizacje").await.1);
        let opp = count(&app.get_text("/organizacje?opp=1").await.1);
        assert_eq!(opp as i64, app.tp.scalar_i64("SELECT COUNT(*) FROM organizations WHERE is_opp = TRUE").await);
        assert!(opp > 0 && opp < total);
        let fundacje = count(&app.get_text("/organizacje?forma=fundacja").await.1);
        assert_eq!(fundacje as i64, app.tp.scalar_i64("SELECT COUNT(*) FROM organizations WHERE legal_form = 'fundacja'").await);
        let mut group = None;
        for code in ["mieszkancy", "mlodziez", "rodziny", "dzieci", "seniorzy"] {
            let n = count(&app.get_text(&format!("/organizacje?grupa={code}")).await.1);
            let in_db = app.tp.scalar_i64(&format!("SELECT COUNT(*) FROM organization_target_groups g JOIN target_groups t ON t.id = g.target_group_id WHERE t.code = '{code}'")).await;
            assert_eq!(n as i64, in_db, "target group {code}");
            if n > 0 && n < total && group.is_none() {
                group = Some((code, n));
            }
        }
        let (code, seniors) = group.expect("a target group with some but not all organisations");
        let both = count(&app.get_text(&format!("/organizacje?grupa={code}&opp=1&forma=fundacja")).await.1);
        assert!(both <= seniors.min(opp).min(fundacje));

        // Polish alphabetical order across pages (Ł after L, Ż after Z), as the key says.
        let api: serde_json::Value = app.get("/api/v1/organizations?per_page=100").await.json().await.expect("json");
        assert_eq!(api["total"], total);
        let names: Vec<String> = api["items"].as_array().expect("items").iter().map(|i| i["name"].as_str().unwrap_or_default().to_owned()).collect();
        let mut sorted = names.clone();
        sorted.sort_by(|a, b| wspolnie_core::text::cmp_pl(a, b));
        assert_eq!(names, sorted, "API order is Polish alphabetical order");
        let first = api["items"][0]["slug"].as_str().expect("slug").to_owned();
        let one: serde_json::Value = app.get(&format!("/api/v1/organizations/{first}")).await.json().await.expect("json");
        assert_eq!(one["slug"], first.as_str());
        assert!(one["spheres"].as_array().is_some_and(|s| !s.is_empty()));
        let r = app.get("/api/v1/organizations/nie-ma-takiej").await;
        assert_eq!(r.status(), 404);
        assert!(r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").starts_with("application/json"), "API errors are JSON");
        let filtered: serde_json::Value = app.get("/api/v1/organizations?opp=true&per_page=5&page=2").await.json().await.expect("json");
        assert_eq!((filtered["total"].as_u64(), filtered["page"].as_u64()), (Some(opp), Some(2)));

        // CSV: BOM, semicolons, Polish header, one line per organisation, filters respected.
        let r = app.get("/organizacje.csv?opp=1").await;
        assert!(r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").starts_with("text/csv"));
        let bytes = r.bytes().await.expect("csv");
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM for Excel");
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf8");
        let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines[0].starts_with("Nazwa;Forma prawna;KRS;NIP;REGON;"), "{}", lines[0]);
        assert_eq!(lines.len() as u64, opp + 1);
        let json: serde_json::Value = app.get(&format!("/organizacje.json?grupa={code}")).await.json().await.expect("json");
        assert_eq!(json["count"].as_u64(), Some(seniors));
    })
    .await;
}

#[tokio::test]
async fn openapi_describes_every_api_route() {
    each_backend("openapi", |b| async move {
        let app = TestApp::new(b).await;
        let spec: serde_json::Value = app
            .get("/api/v1/openapi.json")
            .await
            .json()
            .await
            .expect("json");
        assert!(
            spec["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.1")),
            "OpenAPI 3.1: {}",
            spec["openapi"]
        );
        let paths = spec["paths"].as_object().expect("paths");

        // Both ways: every /api/ route of the router is described, and nothing else is.
        let api_routes: Vec<_> = wspolnie_areas::table()
            .into_iter()
            .filter(|r| r.path.starts_with("/api/"))
            .collect();
        assert!(api_routes.len() >= 3);
        for r in &api_routes {
            let op = &paths
                .get(r.path)
                .unwrap_or_else(|| panic!("{} missing from the spec", r.path))
                [r.method.to_lowercase()];
            assert!(
                op.is_object(),
                "{} {} missing from the spec",
                r.method,
                r.path
            );
            assert!(
                op["responses"]["200"].is_object(),
                "{}: 200 response described",
                r.path
            );
        }
        let described: usize = paths
            .values()
            .map(|p| p.as_object().map_or(0, |m| m.len()))
            .sum();
        assert_eq!(
            described,
            api_routes.len(),
            "the spec describes only routes that exist"
        );

        // The list parameters are the ones the handler honours: a documented filter filters.
        let params: Vec<&str> = paths["/api/v1/organizations"]["get"]["parameters"]
            .as_array()
            .expect("params")
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        for name in [
            "q",
            "sphere",
            "target_group",
            "district",
            "legal_form",
            "opp",
            "page",
            "per_page",
            "lang",
        ] {
            assert!(params.contains(&name), "parameter {name} documented");
        }
        let all: serde_json::Value = app
            .get("/api/v1/organizations?per_page=100")
            .await
            .json()
            .await
            .expect("json");
        let opp: serde_json::Value = app
            .get("/api/v1/organizations?opp=true&per_page=100")
            .await
            .json()
            .await
            .expect("json");
        assert!(opp["total"].as_u64() < all["total"].as_u64(), "opp filters");

        // The schemas match what the API really returns, key for key.
        let schemas = &spec["components"]["schemas"];
        let keys = |v: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(keys(&schemas["OrganizationList"]["properties"]), keys(&all));
        let item = &all["items"][0];
        assert_eq!(keys(&schemas["ApiOrganization"]["properties"]), keys(item));
        assert_eq!(
            keys(&schemas["ApiAddress"]["properties"]),
            keys(&item["address"])
        );
        let detail = app.get("/api/v1/organizations/nie-ma-takiej").await;
        assert_eq!(detail.status(), 404);
        let err: serde_json::Value = detail.json().await.expect("json");
        assert_eq!(keys(&schemas["ApiError"]["properties"]), keys(&err));
    })
    .await;
}

/// The in-memory directory search gives exactly what the SQL query gives (exports and the API
/// use SQL), for single filters and combinations, on the demo data; and it sees a change made
/// through the application at once.
#[tokio::test]
async fn directory_index_agrees_with_sql() {
    each_backend("directory index", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let state = wspolnie_areas::state(app.tp.platform.clone())
            .await
            .expect("state");
        let snap = state
            .parts
            .get::<wspolnie_areas::directory::index::DirectoryIndex>()
            .expect("directory index")
            .get(&state)
            .await
            .expect("snapshot")
            .snapshot;
        let cases: Vec<[&str; 6]> = vec![
            ["", "", "", "", "", ""],
            ["fundacja", "", "", "", "", ""],
            ["zwiazek", "", "", "", "", ""],
            ["stow spor", "", "", "", "", ""],
            ["", "16", "", "", "", ""],
            ["", "", "seniorzy", "", "", ""],
            ["", "", "", "Zatorze", "", ""],
            ["", "", "", "", "fundacja", ""],
            ["", "", "", "", "", "1"],
            ["fundacja", "16", "", "", "", "1"],
            ["", "5", "dzieci", "", "stowarzyszenie", ""],
            ["nieistniejace", "", "", "", "", ""],
            ["", "999", "", "", "", ""],
        ];
        for [q, sfera, grupa, dzielnica, forma, opp] in cases {
            let f = wspolnie_areas::directory::web::Filters {
                q: q.into(),
                sfera: sfera.into(),
                grupa: grupa.into(),
                dzielnica: dzielnica.into(),
                forma: forma.into(),
                opp: opp.into(),
                strona: Default::default(),
            };
            let rows = f
                .select(db)
                .await
                .expect("select")
                .all(db)
                .await
                .expect("rows");
            let from_sql: Vec<i64> = rows.iter().map(|o| o.id).collect();
            let hits = snap.search(&wspolnie_areas::directory::index::Query {
                q,
                sphere: sfera,
                group: grupa,
                district: dzielnica,
                legal_form: forma,
                opp: opp == "1",
            });
            let from_index: Vec<i64> = hits.iter().map(|i| snap.entries[i].id).collect();
            assert_eq!(
                from_index, from_sql,
                "q={q} sfera={sfera} grupa={grupa} dzielnica={dzielnica} forma={forma} opp={opp}"
            );
        }
        assert!(!snap.districts.is_empty() && !snap.legal_forms.is_empty());

        // A profile published by another instance is found here after the version check.
        let page = app.get_text("/organizacje?q=zwiazek").await.1;
        let before = extract_between(&page, "data-result-count=\"", "\"").expect("count");
        let p = wspolnie_areas::directory::model::Profile {
            name: "Związek Harcerstwa Wierzbińskiego".into(),
            legal_form: "stowarzyszenie".into(),
            ..Default::default()
        };
        wspolnie_areas::directory::model::create(
            db,
            &p,
            wspolnie_areas::directory::entity::organization::Status::Published,
        )
        .await
        .expect("create");
        // Written behind the application's back, as another instance would: the content version
        // is re-read after one check interval, and the snapshot is rebuilt in the background
        // while searches keep the previous one.
        let mut seen = false;
        for _ in 0..100 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let page = app.get_text("/organizacje?q=zwiazek+harc").await.1;
            if page.contains("Związek Harcerstwa Wierzbińskiego") {
                seen = true;
                break;
            }
        }
        assert!(
            seen,
            "a change in another instance is seen after the version check"
        );
        let after = extract_between(
            &app.get_text("/organizacje?q=zwiazek").await.1,
            "data-result-count=\"",
            "\"",
        )
        .expect("count");
        assert_eq!(
            after.parse::<u64>().expect("n"),
            before.parse::<u64>().expect("n") + 1
        );
    })
    .await;
}

/// Issue 16 A: every link from an e-mail (token or signature) that is missing, malformed,
/// expired or used answers one friendly page, on GET and on POST, with the area's next steps.
#[tokio::test]
async fn links_from_e_mails_that_are_not_valid_get_one_friendly_page() {
    use crate::accounts::{link_in_mail, make_user, path_of, post_form};
    each_backend("link invalid", |b| async move {
        let app = TestApp::new(b).await;
        async fn assert_friendly(r: reqwest::Response, next: &str, what: &str) {
            assert_eq!(r.status(), 404, "{what}");
            let html = r.text().await.expect("body");
            assert!(
                html.contains("<h1>Ten link nie jest już ważny</h1>")
                    && html.contains("Link wygasł")
                    && html.contains("Link został już użyty")
                    && html.contains("skopiowano niecałkowicie")
                    && html.contains("href=\"/kontakt\"")
                    && html.contains(&format!("href=\"{next}\"")),
                "{what}: {html}"
            );
            assert!(
                !html.contains("Nie znaleziono strony") && !html.contains("error-summary"),
                "{what}: neither the generic 404 nor a form error"
            );
        }
        // (route, a next step it offers, the query or body field names of its link)
        let token_routes = [
            ("/konto/potwierdz", "/konto/logowanie"),
            ("/konto/nowe-haslo", "/konto/reset-hasla"),
            ("/konto/nowy-email", "/panel/konto"),
            ("/konto/zaproszenie", "/konto/logowanie"),
            ("/organizacje/potwierdz", "/konto/logowanie?next=%2Fpanel"),
            ("/newsletter/potwierdz", "/newsletter"),
        ];
        for (path, next) in token_routes {
            for query in ["", "?t=", "?t=abc", "?t=0123456789abcdef0123456789abcdef"] {
                let r = app.get(&format!("{path}{query}")).await;
                assert_friendly(r, next, &format!("GET {path}{query}")).await;
            }
            let r = post_form(
                &app,
                path,
                "/",
                &[("t", "abc"), ("password", "x"), ("password_confirm", "y")],
            )
            .await;
            assert_friendly(r, next, &format!("POST {path}")).await;
        }
        let signed_routes = [
            ("/newsletter/ustawienia", "/newsletter", "id", "s"),
            ("/newsletter/wypisz", "/newsletter", "id", "s"),
            ("/adres/potwierdz", "/kontakt", "r", "s"),
            ("/spotkania/x/odpowiedz", "/panel/moje-spotkania", "i", "s"),
        ];
        for (path, next, id, sig) in signed_routes {
            for query in [
                String::new(),
                format!("?{id}=abc&{sig}=x"),
                format!("?{id}=1&{sig}=00"),
            ] {
                let r = app.get(&format!("{path}{query}")).await;
                assert_friendly(r, next, &format!("GET {path}{query}")).await;
                let r = post_form(&app, &format!("{path}{query}"), "/", &[("answer", "tak")]).await;
                assert_friendly(r, next, &format!("POST {path}{query}")).await;
            }
        }

        // Expired: a real reset link whose time has passed.
        make_user(&app, "anna@example.pl", "stare hasło do konta", None).await;
        let r = post_form(
            &app,
            "/konto/reset-hasla",
            "/konto/reset-hasla",
            &[("email", "anna@example.pl")],
        )
        .await;
        assert_eq!(
            r.status(),
            303,
            "post/redirect/get to the 'check your mail' page"
        );
        app.tp.worker().run_until_idle().await.expect("jobs");
        let link = link_in_mail(&app, "anna@example.pl", "/konto/nowe-haslo?t=");
        let (status, page) = app.get_text(&path_of(&app, &link)).await;
        assert_eq!(status, 200, "the fresh link opens its form");
        assert!(page.contains("name=\"password\""));
        app.tp
            .exec("UPDATE user_tokens SET expires_at = created_at")
            .await;
        let r = app.get(&path_of(&app, &link)).await;
        assert_friendly(r, "/konto/reset-hasla", "expired reset link").await;

        // In English too.
        let r = reqwest::Client::new()
            .get(app.url("/konto/potwierdz?t=abc"))
            .header("cookie", "wsp_lang=en")
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 404);
        let html = r.text().await.expect("body");
        assert!(html.contains("This link is no longer valid"), "{html}");
    })
    .await;
}

/// Issue 16 F: a list whose filters match nothing says so in a sentence and offers to clear
/// the filters; without filters, an empty list says what is missing.
#[tokio::test]
async fn empty_filter_results_say_so_and_offer_to_clear_the_filters() {
    use crate::accounts::{make_user, staff_sign_in};
    each_backend("no results", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let clear = "Wyczyść filtry i pokaż wszystko";
        let cases = [
            (
                "/organizacje?q=nie-ma-takiej-organizacji",
                "Nie znaleziono organizacji spełniających te warunki.",
                "/organizacje",
            ),
            (
                "/aktualnosci?rodzaj=relacje",
                "Nie znaleziono aktualności tego rodzaju.",
                "/aktualnosci",
            ),
            (
                "/kalendarz?kategoria=koncert",
                "Nie znaleziono wydarzeń spełniających te warunki w tym okresie.",
                "/kalendarz",
            ),
            (
                "/kalendarz?widok=miesiac&kategoria=koncert",
                "Nie znaleziono wydarzeń spełniających te warunki w tym okresie.",
                "/kalendarz?widok=miesiac",
            ),
            (
                "/kalendarz?widok=tydzien&bezplatne=1",
                "Nie znaleziono wydarzeń spełniających te warunki w tym okresie.",
                "/kalendarz?widok=tydzien",
            ),
        ];
        for (path, sentence, back) in cases {
            let (status, html) = app.get_text(path).await;
            assert_eq!(status, 200, "{path}");
            assert!(html.contains(sentence), "{path}: {html}");
            assert!(
                html.contains(&format!("<a href=\"{back}\">{clear}</a>")),
                "{path}: the way back to the whole list"
            );
        }
        // Without filters: a sentence, no link to clear anything.
        for (path, sentence) in [
            ("/kalendarz", "W tym okresie nie ma zaplanowanych wydarzeń."),
            (
                "/kalendarz?widok=miesiac",
                "W tym okresie nie ma zaplanowanych wydarzeń.",
            ),
            ("/aktualnosci", "Nie ma jeszcze opublikowanych aktualności."),
            ("/organizacje", "W katalogu nie ma jeszcze organizacji."),
        ] {
            let (_, html) = app.get_text(path).await;
            assert!(html.contains(sentence) && !html.contains(clear), "{path}");
        }

        // Panel lists with filters.
        let id = make_user(
            &app,
            "admin@example.pl",
            "hasło administratora",
            Some(&[("admin", "")]),
        )
        .await;
        staff_sign_in(&app, "admin@example.pl", "hasło administratora", id).await;
        for (path, sentence, back) in [
            (
                "/panel/audyt?action=nie-ma-takiej-czynnosci",
                "Nie znaleziono wpisów w dzienniku spełniających te warunki.",
                "/panel/audyt",
            ),
            (
                "/panel/katalog?stan=odbijajace",
                "Nie znaleziono organizacji w tym stanie.",
                "/panel/katalog",
            ),
            (
                "/panel/promocja?status=new",
                "Nie ma próśb o tym statusie.",
                "/panel/promocja",
            ),
            (
                "/panel/wysylki/adresaci?q=nikt",
                "Nie znaleziono subskrybentów o takim adresie.",
                "/panel/wysylki/adresaci",
            ),
        ] {
            let (status, html) = app.get_text(path).await;
            assert_eq!(status, 200, "{path}");
            assert!(html.contains(sentence), "{path}: {html}");
            assert!(
                html.contains(&format!("<a href=\"{back}\">{clear}</a>")),
                "{path}: the way back to the whole list"
            );
            assert!(
                !html.contains("<tbody>\n  \n  </tbody>"),
                "{path}: no empty table"
            );
        }
    })
    .await;
}

/// `<time datetime>` holds a date or a time to the second with its offset, never fractions.
fn short_datetime(v: &str) -> bool {
    let b = v.as_bytes();
    let date = |s: &[u8]| {
        s.len() == 10
            && s[4] == b'-'
            && s[7] == b'-'
            && s.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    };
    match b.len() {
        10 => date(b),
        25 => {
            date(&b[..10])
                && b[10] == b'T'
                && (b[19] == b'+' || b[19] == b'-')
                && !v.contains('.')
                && v[11..19].chars().filter(|c| *c == ':').count() == 2
        }
        _ => false,
    }
}

/// Issue 16 B and E: `<time datetime>` values are short and valid (no nanoseconds), and an
/// event's page starts with its description, the details table after it.
#[tokio::test]
async fn time_values_are_short_and_the_event_description_comes_first() {
    each_backend("time values", |b| async move {
        let app = TestApp::with_demo(b, true).await;
        // An article published just now: its time has nanoseconds in the database.
        let now = chrono::Utc::now();
        wspolnie_areas::news::entity::article::Entity::insert(
            wspolnie_areas::news::entity::article::ActiveModel {
                slug: Set("swieza-wiadomosc".into()),
                title: Set("Świeża wiadomość".into()),
                lead: Set("Przed chwilą.".into()),
                body_md: Set("Treść.".into()),
                status: Set(wspolnie_areas::moderation::lifecycle::Publication::Published),
                search_text: Set(" swieza ".into()),
                published_at: Set(Some(now)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            },
        )
        .exec(&app.tp.platform.db.conn)
        .await
        .expect("article");
        let mut seen = 0;
        for path in [
            "/",
            "/aktualnosci",
            "/aktualnosci/swieza-wiadomosc",
            "/kalendarz",
            "/kalendarz?widok=miesiac",
            "/kalendarz?widok=tydzien",
            "/spotkania",
        ] {
            let (status, html) = app.get_text(path).await;
            assert_eq!(status, 200, "{path}");
            for v in html
                .split("datetime=\"")
                .skip(1)
                .map(|s| s.split('"').next().unwrap_or(""))
            {
                assert!(short_datetime(v), "{path}: datetime=\"{v}\"");
                seen += 1;
            }
        }
        assert!(seen > 20, "time elements checked: {seen}");

        let (_, cal) = app.get_text("/kalendarz").await;
        let slug = extract_between(&cal, "href=\"/kalendarz/", "\"").expect("an event");
        let (status, html) = app.get_text(&format!("/kalendarz/{slug}")).await;
        assert_eq!(status, 200);
        let description = html.find("class=\"prose\"").expect("description");
        let details = html.find("class=\"summary-list\"").expect("details");
        assert!(
            description < details,
            "the description comes before the details"
        );
        for v in html
            .split("datetime=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap_or(""))
        {
            assert!(short_datetime(v), "event page: datetime=\"{v}\"");
        }
    })
    .await;
}
