//! The response cache of public pages and the content version (issue 15): per-visitor CSRF
//! tokens in cached pages, no cached page for a signed-in person, variants per language and
//! appearance, every area's change seen by a second instance, the directory snapshot rebuilt
//! in the background.

use crate::accounts::{location, make_user, post_form};
use crate::common::*;
use crate::directory::sign_in;
use std::net::SocketAddr;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use wspolnie_web::cache::CACHE_HEADER;

fn cache_state(r: &reqwest::Response) -> String {
    r.headers()
        .get(CACHE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

async fn get(client: &reqwest::Client, url: &str) -> (String, String) {
    let r = client.get(url).send().await.expect("GET");
    assert_eq!(r.status(), 200, "{url}");
    let c = cache_state(&r);
    (c, r.text().await.expect("body"))
}

/// A second instance of the application on the same database (its own state: its own cache,
/// content version and directory snapshot), as another server behind the balancer.
struct Instance {
    base: String,
    stop: CancellationToken,
}

impl Instance {
    async fn start(app: &TestApp) -> Instance {
        let state = wspolnie_areas::state(app.tp.platform.clone())
            .await
            .expect("state");
        Self::serve(state).await
    }

    async fn serve(state: wspolnie_web::AppState) -> Instance {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let router = wspolnie_areas::app(state);
        let stop = CancellationToken::new();
        let s = stop.clone();
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move { s.cancelled().await })
            .await;
        });
        Instance { base, stop }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// The first link on a page to `prefix` + a slug (of the demo data), other than `except`.
fn first_link(html: &str, prefix: &str, except: &[&str]) -> String {
    let start = format!("href=\"{prefix}");
    html.split(&start)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|slug| !slug.is_empty() && !slug.contains('/') && !except.contains(slug))
        .map(|slug| format!("{prefix}{slug}"))
        .unwrap_or_else(|| panic!("a link {prefix}…"))
}

/// An anonymous visitor gets a cached page with its own form token, and a form posted from it
/// is accepted.
#[tokio::test]
async fn a_cached_page_carries_this_visitors_csrf_token() {
    each_backend("cache csrf", |b| async move {
        let app = TestApp::new(b).await;
        let first = client();
        let (c1, html1) = get(&first, &app.url("/ustawienia")).await;
        assert_eq!(c1, "miss");
        let t1 = extract_between(&html1, "name=\"_csrf\" value=\"", "\"").expect("token");
        // Another visitor, no cookie yet: the stored page, with a token of its own.
        let second = client();
        let (c2, html2) = get(&second, &app.url("/ustawienia")).await;
        assert_eq!(
            c2, "hit",
            "the second anonymous visitor is served from the cache"
        );
        let t2 = extract_between(&html2, "name=\"_csrf\" value=\"", "\"").expect("token");
        assert_ne!(t1, t2, "each visitor has a token of its own");
        assert!(
            !html2.contains(&t1),
            "no trace of the first visitor's token"
        );
        assert_eq!(html1.replace(&t1, "T"), html2.replace(&t2, "T"));
        // The token in the cached page is the second visitor's: its form post is accepted.
        let r = second
            .post(app.url("/ustawienia/jezyk"))
            .form(&[("lang", "en"), ("back", "/kontakt"), ("_csrf", t2.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), "/kontakt");
        // …and the first visitor's token is not the second's.
        let r = second
            .post(app.url("/ustawienia/jezyk"))
            .form(&[("lang", "en"), ("back", "/kontakt"), ("_csrf", t1.as_str())])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 403);
    })
    .await;
}

/// A signed-in person never gets the anonymous page, and never fills the cache.
#[tokio::test]
async fn a_signed_in_person_never_gets_a_cached_page() {
    each_backend("cache signed in", |b| async move {
        let app = TestApp::new(b).await;
        make_user(&app, "ala.cache@example.pl", "haslo-dlugie-123", None).await;
        let anon = client();
        get(&anon, &app.url("/organizacje")).await;
        let (c, anon_html) = get(&anon, &app.url("/organizacje")).await;
        assert_eq!(c, "hit");
        sign_in(&app, "ala.cache@example.pl", "haslo-dlugie-123").await;
        for _ in 0..2 {
            let r = app.get("/organizacje").await;
            assert_eq!(cache_state(&r), "", "the cache is not used for a session");
            assert_eq!(
                r.headers()
                    .get("cache-control")
                    .and_then(|v| v.to_str().ok()),
                Some("no-store")
            );
            let html = r.text().await.expect("body");
            assert!(
                html.contains("ala.cache"),
                "the page names the signed-in person"
            );
            assert!(!anon_html.contains("ala.cache"));
        }
        // The anonymous entry is still the anonymous page.
        let (c, html) = get(&anon, &app.url("/organizacje")).await;
        assert_eq!(c, "hit");
        assert!(!html.contains("ala.cache"));
        // A flash message waiting: the page is rendered for that visitor, not taken from the cache.
        let r = client()
            .get(app.url("/organizacje"))
            .header("cookie", "wsp_flash=success.flash-signed-out")
            .send()
            .await
            .expect("GET");
        assert_eq!(cache_state(&r), "");
    })
    .await;
}

/// Language, text size and contrast each have their own cached variant.
#[tokio::test]
async fn language_and_appearance_get_their_own_variant() {
    each_backend("cache variants", |b| async move {
        let app = TestApp::new(b).await;
        let url = app.url("/kontakt");
        let plain = client();
        get(&plain, &url).await;
        let (c, pl) = get(&plain, &url).await;
        assert_eq!(c, "hit");
        assert!(pl.contains("<html lang=\"pl\""));
        let variant = |cookie: &'static str| {
            let url = url.clone();
            async move {
                let r = client()
                    .get(&url)
                    .header("cookie", cookie)
                    .send()
                    .await
                    .expect("GET");
                (cache_state(&r), r.text().await.expect("body"))
            }
        };
        let (c, en) = variant("wsp_lang=en").await;
        assert_eq!(c, "miss", "English is a variant of its own");
        assert!(en.contains("<html lang=\"en\""));
        let (c, en2) = variant("wsp_lang=en").await;
        assert_eq!(c, "hit");
        assert!(en2.contains("<html lang=\"en\""));
        // Accept-Language picks English as well, and gets the English entry.
        let r = client()
            .get(&url)
            .header("accept-language", "en-GB,en;q=0.9")
            .send()
            .await
            .expect("GET");
        assert_eq!(cache_state(&r), "hit");
        assert!(r.text().await.expect("body").contains("<html lang=\"en\""));
        let (c, hc) = variant("wsp_hc=1").await;
        assert_eq!(c, "miss", "high contrast is a variant of its own");
        assert_ne!(hc, pl);
        assert!(hc.contains("<html lang=\"pl\""));
        let (c, large) = variant("wsp_ts=larger").await;
        assert_eq!(c, "miss", "a text size is a variant of its own");
        assert_ne!(large, pl);
        assert_ne!(large, hc);
    })
    .await;
}

/// Polls `path` on `base` until the page holds `needle` (another instance re-reads the content
/// version at most every `content::CHECK_EVERY`); gives up after ten seconds.
async fn eventually_contains(client: &reqwest::Client, base: &str, path: &str, needle: &str) {
    for _ in 0..100 {
        let (_, html) = get(client, &format!("{base}{path}")).await;
        if html.contains(needle) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{path} on the second instance never showed {needle:?}");
}

/// For each area with public pages, a change written to its tables (behind both instances'
/// backs, as any write path would: a handler, a job, the CLI, an operator) replaces the page a
/// second instance had cached. Every declared public table has its trigger.
#[tokio::test]
async fn every_areas_change_reaches_a_second_instances_cache() {
    each_backend("cache second instance", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let owned: Vec<(&str, &str)> = wspolnie_areas::all()
            .iter()
            .flat_map(|a| a.tables.iter().map(move |t| (t.name, a.name)))
            .collect();
        for area in wspolnie_areas::all() {
            for t in area.public_tables {
                assert!(
                    owned.contains(&(*t, area.name)),
                    "{} lists {t} as public but does not declare it in its tables",
                    area.name
                );
                assert!(
                    wspolnie_platform::content::watched(db, t)
                        .await
                        .expect("trigger"),
                    "{t} has its content trigger"
                );
            }
        }
        let other = Instance::start(&app).await;
        let c = client();
        let html = get(&c, &format!("{}/organizacje", other.base)).await.1;
        let org = first_link(&html, "/organizacje/", &[]);
        let html = get(&c, &format!("{}/kalendarz", other.base)).await.1;
        let event = first_link(&html, "/kalendarz/", &[]);
        let html = get(&c, &format!("{}/aktualnosci", other.base)).await.1;
        let article = first_link(&html, "/aktualnosci/", &[]);
        let html = get(&c, &format!("{}/wspolpraca", other.base)).await.1;
        let activity = first_link(&html, "/wspolpraca/", &["promocja"]);
        let html = get(&c, &format!("{}/spotkania", other.base)).await.1;
        let meeting = first_link(&html, "/spotkania/", &[]);
        let slug = |p: &str| p.rsplit('/').next().unwrap_or("").to_owned();
        // (area, page, SQL change, what the page shows afterwards)
        let cases: Vec<(&str, String, String, &str)> = vec![
            (
                "directory",
                org.clone(),
                format!(
                    "UPDATE organizations SET name = 'Zmieniona Nazwa Organizacji' WHERE slug = '{}'",
                    slug(&org)
                ),
                "Zmieniona Nazwa Organizacji",
            ),
            (
                "calendar",
                event.clone(),
                format!(
                    "UPDATE events SET title = 'Zmieniony Tytul Wydarzenia' WHERE slug = '{}'",
                    slug(&event)
                ),
                "Zmieniony Tytul Wydarzenia",
            ),
            (
                "news",
                article.clone(),
                format!(
                    "UPDATE articles SET title = 'Zmieniony Tytul Artykulu' WHERE slug = '{}'",
                    slug(&article)
                ),
                "Zmieniony Tytul Artykulu",
            ),
            (
                "pages",
                "/strony/jak-korzystac".to_owned(),
                "UPDATE pages SET title_pl = 'Zmieniony Tytul Strony' WHERE slug = 'jak-korzystac'"
                    .to_owned(),
                "Zmieniony Tytul Strony",
            ),
            (
                "pages (contacts)",
                "/kontakt".to_owned(),
                "UPDATE office_contacts SET name = 'Zmienione Nazwisko Kontaktu'".to_owned(),
                "Zmienione Nazwisko Kontaktu",
            ),
            (
                "partners",
                activity.clone(),
                format!(
                    "UPDATE partner_activities SET title = 'Zmieniony Tytul Dzialania' WHERE slug = '{}'",
                    slug(&activity)
                ),
                "Zmieniony Tytul Dzialania",
            ),
            (
                "meetings",
                meeting.clone(),
                format!(
                    "UPDATE meetings SET title = 'Zmieniony Tytul Spotkania' WHERE slug = '{}'",
                    slug(&meeting)
                ),
                "Zmieniony Tytul Spotkania",
            ),
            (
                "admin (site settings)",
                "/".to_owned(),
                "UPDATE settings SET value = 'Zmienione Miasto' WHERE key = 'site.city_name'"
                    .to_owned(),
                "Zmienione Miasto",
            ),
            (
                "directory (search list)",
                "/organizacje?q=zmieniona".to_owned(),
                // The list searches the in-memory snapshot, rebuilt when the directory's own
                // version moves too (`directory::model::touch`, called by its write paths).
                format!(
                    "UPDATE organizations SET search_text = search_text || ' zmieniona ' WHERE slug = '{}'",
                    slug(&org)
                ),
                "Zmieniona Nazwa Organizacji",
            ),
        ];
        for (area, path, sql, shown) in cases {
            let url = format!("{}{path}", other.base);
            // Cached once stored (the directory list only from a current snapshot, which the
            // previous cases' writes sent to a background check).
            let mut cached = None;
            for _ in 0..100 {
                let (state, html) = get(&c, &url).await;
                if state == "hit" {
                    cached = Some(html);
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let before = cached.unwrap_or_else(|| panic!("{area}: {path} is cached on the second instance"));
            assert!(!before.contains(shown), "{area}: not shown before the change");
            app.tp.exec(&sql).await;
            if area.starts_with("directory") {
                app.tp
                    .exec(&format!(
                        "UPDATE settings SET value = '{}' WHERE key = 'directory.version'",
                        uuid::Uuid::new_v4().simple()
                    ))
                    .await;
            }
            eventually_contains(&c, &other.base, &path, shown).await;
        }
        // Settings were changed behind the application's back: the site name went everywhere.
        eventually_contains(&c, &other.base, "/kontakt", "Zmienione Miasto").await;
    })
    .await;
}

/// The instance that handled a write answers with the new content at once (it re-reads the
/// content version after every state-changing request), while the cache keeps serving.
#[tokio::test]
async fn the_writing_instance_sees_its_change_at_once() {
    each_backend("cache writer", |b| async move {
        let app = TestApp::new(b).await;
        make_user(
            &app,
            "urzednik.cache@example.pl",
            "haslo-dlugie-123",
            Some(&[("official", "content")]),
        )
        .await;
        let anon = client();
        get(&anon, &app.url("/kontakt")).await;
        assert_eq!(get(&anon, &app.url("/kontakt")).await.0, "hit");
        // A write the application does not know of is not seen before the version check…
        let version = wspolnie_platform::content::read(&app.tp.platform.db.conn)
            .await
            .expect("version");
        app.tp
            .exec("UPDATE office_contacts SET room = 'Pokoj 999 Zmieniony'")
            .await;
        let moved = wspolnie_platform::content::read(&app.tp.platform.db.conn)
            .await
            .expect("version");
        assert!(
            moved > version,
            "the trigger moved the version in the write"
        );
        // …but any state-changing request on this instance makes the next answer re-read it.
        let r = post_form(
            &app,
            "/ustawienia/wyglad",
            "/ustawienia",
            &[("contrast", "normal"), ("back", "/")],
        )
        .await;
        assert_eq!(r.status(), 303);
        let (state, html) = get(&anon, &app.url("/kontakt")).await;
        assert_eq!(state, "miss");
        assert!(html.contains("Pokoj 999 Zmieniony"));
    })
    .await;
}

/// Item 15: a stale directory snapshot is rebuilt in the background while searches keep the
/// previous one (and such pages are not cached); only the very first build is waited for.
#[tokio::test]
async fn the_directory_snapshot_is_rebuilt_in_the_background() {
    each_backend("directory background rebuild", |b| async move {
        let app = TestApp::new(b).await;
        let db = &app.tp.platform.db.conn;
        let state = wspolnie_areas::state(app.tp.platform.clone())
            .await
            .expect("state");
        let index = state
            .parts
            .get::<wspolnie_areas::directory::index::DirectoryIndex>()
            .expect("index");
        // No snapshot yet: the first build is waited for and is current.
        let first = index.get(&state).await.expect("first");
        assert!(first.current);
        let n = first.snapshot.entries.len();
        assert!(n > 0);
        let p = wspolnie_areas::directory::model::Profile {
            name: "Fundacja Budowana W Tle".into(),
            legal_form: "fundacja".into(),
            ..Default::default()
        };
        wspolnie_areas::directory::model::create(
            db,
            &p,
            wspolnie_areas::directory::entity::organization::Status::Published,
        )
        .await
        .expect("create");
        // Once this instance has seen the content version move, the next search answers at
        // once from the previous snapshot and starts the rebuild; that page is not cached.
        let other = Instance::serve(state.clone()).await;
        state.content.touched();
        let r = client()
            .get(format!("{}/organizacje?q=budowana", other.base))
            .send()
            .await
            .expect("GET");
        assert_eq!(
            cache_state(&r),
            "",
            "a page from a snapshot being rebuilt is not stored"
        );
        assert!(
            !r.text()
                .await
                .expect("body")
                .contains("Fundacja Budowana W Tle")
        );
        let mut rebuilt = false;
        for _ in 0..100 {
            let s = index.get(&state).await.expect("get");
            if s.current {
                assert_eq!(s.snapshot.entries.len(), n + 1);
                rebuilt = true;
                break;
            }
            assert_eq!(
                s.snapshot.entries.len(),
                n,
                "the previous snapshot meanwhile"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(rebuilt, "the background rebuild finished");
        let c = client();
        let (state_1, html) = get(&c, &format!("{}/organizacje?q=budowana", other.base)).await;
        assert_eq!(
            state_1, "miss",
            "a page from the current snapshot is stored"
        );
        assert!(html.contains("Fundacja Budowana W Tle"));
        assert_eq!(
            get(&c, &format!("{}/organizacje?q=budowana", other.base))
                .await
                .0,
            "hit"
        );
    })
    .await;
}
