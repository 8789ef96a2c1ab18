//! CSV import of organisations: the real binary (`wspolnie import organizations`) and the admin
//! upload page. A file with any error writes nothing.

use crate::accounts::location;
use crate::accounts::make_user;
use crate::accounts::staff_sign_in;
use crate::common::*;
use std::process::{Command, Output};

/// A valid NIP: nine digits of `seed` and the check digit (weights 6 5 7 2 3 4 5 6 7, mod 11).
pub(crate) fn nip(seed: u64) -> String {
    let mut s = seed;
    loop {
        let digits: Vec<u32> = format!("{:09}", s % 1_000_000_000)
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        let sum: u32 = digits
            .iter()
            .zip([6, 5, 7, 2, 3, 4, 5, 6, 7])
            .map(|(d, w)| d * w)
            .sum();
        let check = sum % 11;
        if check < 10 && digits[0] != 0 {
            return format!("{:09}{check}", s % 1_000_000_000);
        }
        s += 1;
    }
}

/// A NIP with a wrong check digit.
fn bad_nip(seed: u64) -> String {
    let good = nip(seed);
    let last = good
        .chars()
        .last()
        .and_then(|c| c.to_digit(10))
        .unwrap_or(0);
    format!("{}{}", &good[..9], (last + 1) % 10)
}

const HEADER: &str = "Nazwa;Forma_prawna;KRS;NIP;OPP;email;telefon;ulica;kod_pocztowy;miejscowość;dzielnica;sfery;grupy;opis";

fn row(name: &str, form: &str, krs: &str, nip: &str, city: &str, extra: &str) -> String {
    format!(
        "{name};{form};{krs};{nip};{};biuro@{}.example.org;600 100 200;ul. Piotrkowska 1;90-001;{city};Śródmieście;{extra}",
        if krs.is_empty() { "nie" } else { "tak" },
        wspolnie_core::text::slugify(name)
    )
}

/// BOM, semicolons, CRLF, Polish labels and diacritics, a quoted description with a line break.
fn valid_file() -> String {
    let lines = [
        HEADER.to_owned(),
        row(
            "Stowarzyszenie Miłośników Łodzi",
            "Stowarzyszenie",
            "0000100001",
            &nip(521_000_001),
            "Łódź",
            "16|5;dzieci;\"Spacery po mieście, \"\"Łódzkie\"\" opowieści\r\ni wykłady.\"",
        ),
        row(
            "Fundacja Źródło",
            "fundacja",
            "",
            &nip(521_000_101),
            "Wierzbin",
            ";;",
        ),
        row(
            "Klub Sportowy Orzeł Zgierz",
            "Klub sportowy",
            "0000100003",
            "",
            "Zgierz",
            "1, 2;seniorzy|dzieci;",
        ),
    ];
    format!("\u{feff}{}\r\n", lines.join("\r\n"))
}

fn org_count(app: &TestApp) -> impl std::future::Future<Output = i64> + '_ {
    app.tp.scalar_i64("SELECT COUNT(*) FROM organizations")
}

fn run_import(app: &TestApp, file: &std::path::Path, dry_run: bool) -> Output {
    let cfg = &app.tp.platform.config;
    let mut c = Command::new(bin());
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("WSPOLNIE__DATA_DIR", &cfg.data_dir)
        .env("DATABASE_URL", &cfg.database.url)
        .env("RUST_LOG", "warn")
        .current_dir(&cfg.data_dir)
        .args(["import", "organizations"])
        .arg(file);
    if dry_run {
        c.arg("--dry-run");
    }
    c.output().expect("run wspolnie import")
}

#[tokio::test]
async fn cli_imports_a_valid_file_and_nothing_from_a_file_with_errors() {
    each_backend("import cli", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let dir = app.tp.platform.config.data_dir.clone();
        let file = dir.join("organizacje.csv");
        std::fs::write(&file, valid_file()).expect("write");

        // A dry run checks and writes nothing.
        let out = run_import(&app, &file, true);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "dry run: {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains("3 organizacji do zaimportowania"), "{stdout}");
        assert_eq!(org_count(&app).await, 0);

        let out = run_import(&app, &file, false);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "import: {stderr}");
        assert!(stdout.contains("Zaimportowano 3 organizacje"), "{stdout}");
        assert!(stderr.contains("] 3/3"), "progress bar on stderr: {stderr}");
        assert_eq!(org_count(&app).await, 3);
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'directory.import' AND after LIKE '%\"count\":3%'")
                .await,
            1
        );
        assert_eq!(
            app.tp
                .scalar_i64("SELECT COUNT(*) FROM organizations WHERE legal_form = 'klub-sportowy' AND status = 'published'")
                .await,
            1
        );
        assert_eq!(
            app.tp.scalar_i64("SELECT COUNT(*) FROM organization_spheres WHERE is_leading").await,
            4
        );
        // Folded search finds the Polish spelling.
        let (status, html) = app.get_text("/organizacje?q=lodz").await;
        assert_eq!(status, 200);
        assert!(html.contains("Stowarzyszenie Miłośników Łodzi"), "search by lodz");
        assert!(!html.contains("Fundacja Źródło"));
        let (_, html) = app.get_text("/organizacje?q=zrodlo").await;
        assert!(html.contains("Fundacja Źródło"));

        // Errors on lines 3 (NIP checksum) and 5 (KRS already in the directory): nothing written.
        let lines = [
            HEADER.to_owned(),
            row("Fundacja Nowa Droga", "fundacja", "", &nip(521_000_201), "Wierzbin", ";;"),
            row("Fundacja Zły Numer", "fundacja", "", &bad_nip(521_000_301), "Wierzbin", ";;"),
            row("Stowarzyszenie Dobre", "stowarzyszenie", "0000100777", "", "Wierzbin", ";;"),
            row("Stowarzyszenie Powtórka", "stowarzyszenie", "100001", "", "Wierzbin", ";;"),
        ];
        let bad = dir.join("bledy.csv");
        std::fs::write(&bad, lines.join("\n")).expect("write");
        let out = run_import(&app, &bad, false);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "errors give a non-zero exit");
        assert!(stderr.contains("Wiersz 3, kolumna „nip”: Ten NIP jest niepoprawny"), "{stderr}");
        assert!(stderr.contains("Wiersz 5, kolumna „krs”: Organizacja z tym numerem jest już w bazie"), "{stderr}");
        assert!(!stderr.contains("Wiersz 2") && !stderr.contains("Wiersz 4"), "{stderr}");
        assert_eq!(org_count(&app).await, 3, "nothing from a file with errors");
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'directory.import'").await, 1);

        // A header with an unknown column is refused as a whole.
        std::fs::write(&bad, "nazwa,faks\nFundacja,1\n").expect("write");
        let out = run_import(&app, &bad, false);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(stderr.contains("kolumna „faks”: Nieznana kolumna w nagłówku"), "{stderr}");
    })
    .await;
}

fn multipart(boundary: &str, file: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"plik\"; filename=\"organizacje.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, file: &[u8], with_token: bool) -> reqwest::Response {
    let (_, html) = app.get_text("/panel/admin/import").await;
    let token = extract_between(&html, "name=\"_csrf\" value=\"", "\"").expect("the form token");
    let boundary = "----wspolnie-test-boundary-7MA4YWxk";
    let url = if with_token {
        app.url(&format!("/panel/admin/import?_csrf={token}"))
    } else {
        app.url("/panel/admin/import")
    };
    app.client
        .post(url)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(multipart(boundary, file))
        .send()
        .await
        .expect("upload")
}

/// Uploads a file, follows the redirect to the import's page after the worker has carried the
/// import to its end, and returns that page.
async fn upload_and_finish(app: &TestApp, file: &[u8]) -> String {
    let r = upload(app, file, true).await;
    assert_eq!(
        r.status(),
        303,
        "an accepted upload goes to its import's page"
    );
    let to = location(&r);
    assert!(to.starts_with("/panel/admin/import/"), "{to}");
    app.tp.worker().run_until_idle().await.expect("jobs");
    let (status, html) = app.get_text(&to).await;
    assert_eq!(status, 200);
    html
}

/// The seed of row `i`'s NIP in `many_rows(_, seed)` (a first digit that is not zero).
pub(crate) fn many_rows_nip_seed(seed: u64, i: u64) -> u64 {
    100_000_000 + seed * 1_000_000 + i * 7
}

/// `n` valid rows (distinct names and NIPs from `seed`), with the header.
pub(crate) fn many_rows(n: u64, seed: u64) -> String {
    let mut lines = vec!["nazwa,forma_prawna,nip,email,ulica,kod_pocztowy,miejscowosc".to_owned()];
    for i in 0..n {
        lines.push(format!(
            "Fundacja Wiersz {seed}-{i},fundacja,{},f{seed}x{i}@example.org,ul. Długa {i},12-345,Wierzbin",
            nip(many_rows_nip_seed(seed, i))
        ));
    }
    lines.join("\n")
}

#[tokio::test]
async fn admin_uploads_a_csv_file_all_or_nothing() {
    each_backend("import web", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let admin = make_user(&app, "admin@example.pl", "hasło administratora", Some(&[("admin", "")])).await;
        staff_sign_in(&app, "admin@example.pl", "hasło administratora", admin).await;
        let (status, html) = app.get_text("/panel").await;
        assert_eq!(status, 200);
        assert!(html.contains("href=\"/panel/admin/import\""), "linked from the admin panel");
        let (status, html) = app.get_text("/panel/admin/import").await;
        assert_eq!(status, 200);
        assert_eq!(html.matches("<h1").count(), 1);
        assert!(html.contains("<label class=\"label\" for=\"plik\">") && html.contains("kod_pocztowy"));
        let r = app.get("/panel/admin/import/wzor.csv").await;
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"].to_str().unwrap_or("").starts_with("text/csv"));
        let sample = r.bytes().await.expect("sample");
        assert!(sample.starts_with("\u{feff}nazwa;".as_bytes()));

        // Without the token in the action URL: refused.
        let r = upload(&app, valid_file().as_bytes(), false).await;
        assert_eq!(r.status(), 403);

        // Two bad lines (a duplicate NIP within the file, an unknown legal form): nothing imported.
        let n = nip(521_000_401);
        let file = [
            "nazwa,forma_prawna,nip,email,ulica,kod_pocztowy,miejscowosc".to_owned(),
            format!("Fundacja Pierwsza,fundacja,{n},a@example.org,ul. Długa 1,12-345,Wierzbin"),
            format!("Fundacja Druga,fundacja,{n},b@example.org,ul. Długa 2,12-345,Wierzbin"),
            "Spółka Trzecia,spółka z o.o.,,c@example.org,ul. Długa 3,12-345,Wierzbin".to_owned(),
        ]
        .join("\n");
        let html = upload_and_finish(&app, file.as_bytes()).await;
        assert!(html.contains("Nie zaimportowano żadnej organizacji"), "{html}");
        assert!(html.contains("<caption id=\"import-errors-caption\">Błędy w pliku</caption>"));
        assert!(html.contains("<th scope=\"row\">3</th><td><code>nip</code></td><td>Ta sama wartość występuje we wcześniejszym wierszu pliku.</td>"), "{html}");
        assert!(html.contains("<th scope=\"row\">4</th><td><code>forma_prawna</code></td>"), "{html}");
        assert_eq!(org_count(&app).await, 0);

        // No file chosen.
        let r = upload(&app, b"", true).await;
        assert!(r.text().await.expect("html").contains("Wybierz plik CSV do wczytania."));

        // Over the limit: a clear message, nothing written.
        let mut big = valid_file().into_bytes();
        big.resize(wspolnie_areas::directory::import::MAX_FILE_BYTES + 10, b' ');
        let r = upload(&app, &big, true).await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.expect("html").contains("Plik jest za duży – najwyżej 5 MB."));
        assert_eq!(org_count(&app).await, 0);

        let html = upload_and_finish(&app, valid_file().as_bytes()).await;
        assert!(html.contains("Zaimportowano 3 organizacje."), "{html}");
        // The form's page lists both imports with their outcome.
        let (_, html) = app.get_text("/panel/admin/import").await;
        assert!(html.contains("zakończony") && html.contains("nie zaimportowano"), "{html}");
        assert_eq!(org_count(&app).await, 3);
        assert_eq!(
            app.tp
                .scalar_i64(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'directory.import' AND actor_user_id = {admin}"))
                .await,
            1
        );
        let (_, html) = app.get_text("/organizacje?q=lodz").await;
        assert!(html.contains("Stowarzyszenie Miłośników Łodzi"));
    })
    .await;
}

/// Issue 15: a file with many errors lists the first 100 with the total and offers the whole
/// report as a CSV download.
#[tokio::test]
async fn import_page_shows_100_errors_and_offers_the_full_report() {
    each_backend("import error report", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let admin = make_user(
            &app,
            "admin@example.pl",
            "hasło administratora",
            Some(&[("admin", "")]),
        )
        .await;
        staff_sign_in(&app, "admin@example.pl", "hasło administratora", admin).await;
        let mut lines =
            vec!["nazwa,forma_prawna,nip,email,ulica,kod_pocztowy,miejscowosc".to_owned()];
        for i in 0..150 {
            lines.push(format!(
                "Spółka Numer {i},spółka z o.o.,,s{i}@example.org,ul. Długa {i},12-345,Wierzbin"
            ));
        }
        let html = upload_and_finish(&app, lines.join("\n").as_bytes()).await;
        let table =
            extract_between(&html, "import-errors-caption\">", "</table>").expect("error table");
        assert_eq!(table.matches("<th scope=\"row\">").count(), 100, "{b:?}");
        assert!(html.contains("Pokazano 100 z 150 błędów."), "{html}");
        let href = extract_between(&html, "<a href=\"/panel/admin/import/", "/bledy.csv\"")
            .expect("link to the full report");
        let r = app
            .get(&format!("/panel/admin/import/{href}/bledy.csv"))
            .await;
        assert_eq!(r.status(), 200);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap_or("")
                .starts_with("text/csv")
        );
        let csv = r.text().await.expect("csv");
        let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(rows.len(), 151, "header and 150 errors: {csv}");
        assert!(
            rows[0].contains("Wiersz") || rows[0].contains("Line"),
            "{}",
            rows[0]
        );
        assert!(rows[1].starts_with("2;forma_prawna;"), "{}", rows[1]);
        assert_eq!(
            app.get("/panel/admin/import/nieznany/bledy.csv")
                .await
                .status(),
            404
        );
    })
    .await;
}

/// Issue 15, items 1 and 4: an import is written in short batches as entries nobody sees, then
/// published at once; a step run again writes nothing twice; a file that turns invalid while it
/// is being written (an organisation with one of its numbers registered meanwhile) fails and
/// removes everything it staged.
#[tokio::test]
async fn imports_are_staged_in_batches_published_at_once_or_removed() {
    use sea_orm::EntityTrait;
    use wspolnie_areas::directory::entity::directory_import;
    use wspolnie_areas::directory::import as imp;
    each_backend("import staging", |b| async move {
        let app = TestApp::with_demo(b, false).await;
        let db = &app.tp.platform.db.conn;
        let zero = std::time::Duration::ZERO;
        let file = many_rows(450, 11);
        let id = imp::start(db, "duzy.csv", &file, None).await.expect("start");
        // One batch per step with a zero budget: checked, then 200 staged, not public.
        assert_eq!(imp::step(db, id, zero).await.expect("step"), imp::Step::More);
        let staged = "SELECT COUNT(*) FROM organizations WHERE status = 'importing'";
        assert_eq!(app.tp.scalar_i64(staged).await, imp::BATCH as i64);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM organizations WHERE status = 'published'").await, 0);
        let (_, list) = app.get_text("/organizacje?q=wiersz").await;
        assert!(!list.contains("Fundacja Wiersz 11-0"), "staged entries are not public");
        let run = directory_import::Entity::find_by_id(id).one(db).await.expect("q").expect("run");
        assert_eq!((run.status.as_str(), run.checked_rows, run.written_rows, run.total_rows), ("writing", 450, 200, 450));

        // Someone registers an organisation with the NIP of line 302 (row 300) meanwhile.
        let taken = nip(many_rows_nip_seed(11, 300));
        app.tp
            .exec(&format!(
                "INSERT INTO organizations (slug, name, name_fold, short_description, legal_form, nip, is_opp, street, postal_code, city, district, status, search_text, created_at, updated_at, name_sort, social_links, logo_alt, version) \
                 VALUES ('nowa', 'Nowa', 'nowa', '', 'fundacja', '{taken}', false, '', '', '', '', 'pending', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'nowa', '', '', 0)"
            ))
            .await;
        assert_eq!(imp::step(db, id, zero).await.expect("step"), imp::Step::Finished);
        assert_eq!(app.tp.scalar_i64(staged).await, 0, "what it staged is removed");
        let run = directory_import::Entity::find_by_id(id).one(db).await.expect("q").expect("run");
        assert_eq!(run.status.as_str(), "failed");
        assert_eq!(run.written_rows, 0);
        assert!(run.file_text.is_empty(), "the file is not kept after the end");
        let errors = imp::recorded_errors(&run);
        assert_eq!(errors, vec![(302, "nip".to_owned(), "import-error-duplicate-existing".to_owned())]);

        // A valid file: a step that lost its worker and runs again writes nothing twice.
        app.tp.exec("DELETE FROM organizations WHERE slug = 'nowa'").await;
        let id = imp::start(db, "duzy.csv", &file, None).await.expect("start");
        assert_eq!(imp::step(db, id, zero).await.expect("step"), imp::Step::More);
        let (a, b2) = tokio::join!(imp::step(db, id, zero), imp::step(db, id, zero));
        let (a, b2) = (a.expect("a"), b2.expect("b"));
        assert!(a == imp::Step::More || b2 == imp::Step::More, "{a:?} {b2:?}");
        assert!(app.tp.scalar_i64(staged).await <= 450);
        // The worker finishes it (the queued step jobs pick up where the counter stands).
        app.tp.worker().run_until_idle().await.expect("jobs");
        let run = directory_import::Entity::find_by_id(id).one(db).await.expect("q").expect("run");
        assert_eq!(run.status.as_str(), "done", "{}", run.message);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(*) FROM organizations WHERE status = 'published'").await, 450);
        assert_eq!(app.tp.scalar_i64(staged).await, 0);
        assert_eq!(app.tp.scalar_i64("SELECT COUNT(DISTINCT nip) FROM organizations").await, 450, "no entry twice");
        assert_eq!(
            app.tp.scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'directory.import' AND after LIKE '%\"count\":450%'").await,
            1
        );
        // The directory's snapshot notices the new version within its check interval.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let (_, list) = app.get_text("/organizacje?q=wiersz").await;
            if list.contains("Fundacja Wiersz 11-0") {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "published, but not listed");
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        app.tp.assert_no_pending_jobs().await;
    })
    .await;
}
