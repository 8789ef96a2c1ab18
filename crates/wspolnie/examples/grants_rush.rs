//! The deadline rush (issue 17), run by `bench/grants_rush.sh`: `BENCH_OFFERS` (300) organisations,
//! each with a member signed in and a complete offer in one open call, submit through the real
//! `wspolnie serve` binary (release build) from `BENCH_CLIENTS` (50) concurrent HTTP clients,
//! arrivals spread over the last `BENCH_WINDOW_S` (60) seconds before the deadline. Half-way the
//! server is killed with SIGKILL and started again; clients whose request failed try again, as
//! a person would. Prints p50/p95/p99 of the submit request, the server's peak RSS, and checks
//! that every acknowledged submission is in the database with its checksum, none twice.
//!
//! Environment: `BENCH_BIN` (the release binary), `BENCH_OFFERS`, `BENCH_CLIENTS`,
//! `BENCH_WINDOW_S`, `BENCH_KILL` (1 = kill half-way, default), `BENCH_DATABASE_URL`
//! (PostgreSQL server for a fresh database; default a SQLite file).

#[path = "common/bench_db.rs"]
mod bench_db;

use chrono::{Duration as ChronoDuration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{HashMap, VecDeque};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wspolnie_areas::directory::entity::organization;
use wspolnie_areas::grants::entity::{grant_call, grant_offer, grant_offer_version};
use wspolnie_areas::grants::offer::{
    Action, CostLine, Indicator, OfferContent, STATEMENTS, Section,
};
use wspolnie_platform::entity::{organization_member, user};

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn spawn(bin: &str, db_url: &str, dir: &std::path::Path, port: u16) -> anyhow::Result<Child> {
    Ok(Command::new(bin)
        .arg("serve")
        .env_clear()
        .env("PATH", env("PATH", ""))
        .env("WSPOLNIE__DATA_DIR", dir)
        .env("DATABASE_URL", db_url)
        .env("WSPOLNIE__SERVER__LISTEN", format!("127.0.0.1:{port}"))
        .env(
            "WSPOLNIE__SERVER__PUBLIC_URL",
            format!("http://127.0.0.1:{port}"),
        )
        .env("WSPOLNIE__MAIL__TRANSPORT", "file")
        .env("RUST_LOG", "warn")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?)
}

async fn wait_ready(base: &str) -> anyhow::Result<()> {
    let c = reqwest::Client::new();
    for _ in 0..600 {
        if let Ok(r) = c.get(format!("{base}/healthz")).send().await
            && r.status().is_success()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("the server did not come up")
}

/// Resident set size of a process in kB (`VmRSS`), if readable.
fn rss_kb(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// A complete offer within the bench call's rules.
fn content(i: usize, call: &grant_call::Model) -> OfferContent {
    let mut c = OfferContent::default();
    c.task.title = format!("Półkolonie sportowe w dzielnicy nr {i}");
    c.task.start_date = call.execution_from.to_string();
    c.task.end_date = call.execution_to.to_string();
    c.task.summary = "Zajęcia sportowe i wycieczki dla 40 dzieci z osiedla; odpowiada na brak zorganizowanego wypoczynku w wakacje.".into();
    c.task.place = "Szkoła Podstawowa nr 3 w Wierzbinie".into();
    c.actions.actions = vec![
        Action {
            name: "Rekrutacja uczestników".into(),
            description: "Ogłoszenia w szkołach i zapisy.".into(),
            target_group: "dzieci 7–12 lat".into(),
            planned_dates: "czerwiec".into(),
            non_party: String::new(),
            year: 1,
        },
        Action {
            name: "Zajęcia sportowe".into(),
            description: "Dwa tygodnie zajęć po 6 godzin dziennie.".into(),
            target_group: "dzieci 7–12 lat".into(),
            planned_dates: "lipiec".into(),
            non_party: String::new(),
            year: 1,
        },
    ];
    c.results.expected = "40 dzieci spędzi aktywnie dwa tygodnie wakacji.".into();
    c.results.indicators = vec![Indicator {
        result: "Liczba uczestników".into(),
        planned_value: "40".into(),
        monitoring: "listy obecności".into(),
    }];
    c.resources.earlier_activity = "Od 2015 r. prowadzimy zajęcia sportowe dla dzieci.".into();
    c.resources.resources = "Trzech trenerów z uprawnieniami, sprzęt sportowy.".into();
    c.costs.lines = vec![
        CostLine {
            action: Some(0),
            kind: "Druk plakatów".into(),
            unit: "szt.".into(),
            unit_cost: 250,
            units_centi: 10_000,
            year: 1,
        },
        CostLine {
            action: Some(1),
            kind: "Wynagrodzenie trenera".into(),
            unit: "godz.".into(),
            unit_cost: 10_000,
            units_centi: 18_000,
            year: 1,
        },
        CostLine {
            action: None,
            kind: "Koordynacja i księgowość".into(),
            unit: "mies.".into(),
            unit_cost: 50_000,
            units_centi: 200,
            year: 1,
        },
    ];
    let total = c.totals().total;
    c.funding.own_financial = total / 10;
    c.funding.personal = total / 10;
    c.funding.grant = total - c.funding.own_financial - c.funding.personal;
    c.funding.valuation = "Praca wolontariuszy wyceniona na 30 zł za godzinę.".into();
    c.offerors.contact_phone = "+48 600 000 000".into();
    c.statements.confirmed = STATEMENTS.iter().map(|s| (*s).to_owned()).collect();
    c
}

#[derive(Default)]
struct Results {
    latencies_ms: Vec<f64>,
    acknowledged: HashMap<i64, String>,
    retries: usize,
    refused: Vec<(i64, u16)>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let bin = env("BENCH_BIN", "target/release/wspolnie");
    let n: usize = env("BENCH_OFFERS", "300").parse()?;
    let clients: usize = env("BENCH_CLIENTS", "50").parse()?;
    let window_s: f64 = env("BENCH_WINDOW_S", "60").parse()?;
    let kill = env("BENCH_KILL", "1") == "1";
    let dir = tempfile::tempdir()?;
    let bench_db = bench_db::BenchDb::create(dir.path(), "rush").await?;
    let db_url = bench_db.url.clone();
    let platform = bench_db.platform(dir.path(), |_| {}).await?;
    let db = &platform.db.conn;

    // One open call whose deadline falls just after the rush window.
    let now = Utc::now();
    let today = wspolnie_areas::grants::model::warsaw_day(now);
    let call = grant_call::ActiveModel {
        slug: Set("nabor-bench".into()),
        number: Set("BENCH.1".into()),
        title: Set("Wypoczynek letni — konkurs w ostatniej minucie".into()),
        sphere_code: Set("15".into()),
        task_type: Set("Wypoczynek dzieci i młodzieży".into()),
        description_md: Set("Półkolonie.".into()),
        funds_available: Set(100_000_000),
        grant_rules_md: Set("Zasady.".into()),
        execution_from: Set(today + ChronoDuration::days(60)),
        execution_to: Set(today + ChronoDuration::days(90)),
        execution_conditions_md: Set("Warunki.".into()),
        offers_from: Set(None),
        offer_deadline: Set(now + ChronoDuration::hours(2)),
        selection_procedure_md: Set("Komisja.".into()),
        selection_date: Set(today + ChronoDuration::days(30)),
        prior_funding: Set("[]".into()),
        criteria: Set(r#"[{"name":"Możliwość realizacji","max_points":10,"weight":1}]"#.into()),
        formal_checklist: Set("Oferta w terminie".into()),
        max_grant: Set(Some(5_000_000)),
        min_own_bp: Set(1000),
        own_kinds: Set("financial,personal,in_kind".into()),
        fees_allowed: Set(false),
        admin_cap_bp: Set(Some(2000)),
        max_years: Set(1),
        joint_allowed: Set(false),
        indicators_required: Set(true),
        required_attachments: Set(String::new()),
        correction_days: Set(7),
        form_version: Set(wspolnie_areas::grants::offer::TEMPLATE_VERSION.into()),
        contact_name: Set("Wydział".into()),
        contact_email: Set("dotacje@wierzbin.example".into()),
        status: Set(grant_call::Status::Open),
        announced_at: Set(Some(now - ChronoDuration::days(30))),
        event_id: Set(None),
        cloned_from: Set(None),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await?;

    // N organisations, each with a member signed in and a complete draft offer.
    let setup = Instant::now();
    let mut work = Vec::new();
    let actor = wspolnie_platform::audit::Actor::system("bench");
    for i in 0..n {
        let txn = wspolnie_platform::db::begin_write(db).await?;
        let org = organization::ActiveModel {
            slug: Set(format!("organizacja-{i}")),
            name: Set(format!("Stowarzyszenie Sportowe nr {i}")),
            name_fold: Set(format!("stowarzyszenie sportowe nr {i}")),
            name_sort: Set(format!("stowarzyszenie sportowe nr {i:05}")),
            short_description: Set(String::new()),
            legal_form: Set("stowarzyszenie".into()),
            krs: Set(Some(format!("{:010}", 100_000 + i))),
            nip: Set(None),
            regon: Set(None),
            is_opp: Set(false),
            email: Set(Some(format!("org{i}@example.org"))),
            phone: Set(None),
            website: Set(None),
            street: Set("ul. Sportowa 1".into()),
            postal_code: Set("00-001".into()),
            city: Set("Wierzbin".into()),
            district: Set(String::new()),
            status: Set(organization::Status::Published),
            search_text: Set(String::new()),
            social_links: Set("[]".into()),
            logo_key: Set(None),
            logo_alt: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            published_at: Set(Some(now)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let u = user::ActiveModel {
            email: Set(format!("czlonek{i}@example.org")),
            display_name: Set(format!("Członek {i}")),
            password_hash: Set(None),
            locale: Set("pl".into()),
            email_verified_at: Set(Some(now)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        organization_member::ActiveModel {
            organization_id: Set(org.id),
            user_id: Set(u.id),
            role: Set("owner".into()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let account = wspolnie_web::policy::Account {
            user: u.clone(),
            session_id: String::new(),
            roles: Vec::new(),
            memberships: vec![(org.id, "owner".into())],
        };
        let offer_id =
            wspolnie_areas::grants::store::create(&txn, &call, &org, &account, &actor).await?;
        let (mut c, _) = wspolnie_areas::grants::store::load(&txn, offer_id).await?;
        let full = content(i, &call);
        let lead = c.offerors.clone();
        c = full;
        c.offerors.lead = lead.lead;
        c.offerors.contact_person = lead.contact_person;
        c.offerors.contact_email = lead.contact_email;
        for s in Section::ALL {
            wspolnie_areas::grants::store::save_section(
                &txn,
                offer_id,
                *s,
                &c.section_json(*s),
                0,
                &actor,
            )
            .await?;
        }
        let token =
            wspolnie_platform::auth::create_session(&txn, u.id, "127.0.0.1", "bench", true).await?;
        txn.commit().await?;
        work.push((offer_id, token));
    }
    println!(
        "grants rush on {}: {n} complete offers prepared in {:.1} s; {clients} clients, arrivals over {window_s} s{}",
        platform.db.backend_name(),
        setup.elapsed().as_secs_f64(),
        if kill { ", SIGKILL half-way" } else { "" }
    );

    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let base = format!("http://127.0.0.1:{port}");
    let child = Arc::new(Mutex::new(spawn(&bin, &db_url, dir.path(), port)?));
    wait_ready(&base).await?;

    // RSS sampler.
    let peak = Arc::new(Mutex::new(0u64));
    let sampling = Arc::new(std::sync::atomic::AtomicBool::new(true));
    {
        let (child, peak, sampling) = (child.clone(), peak.clone(), sampling.clone());
        std::thread::spawn(move || {
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                let pid = child.lock().map(|c| c.id()).unwrap_or(0);
                if let (Some(kb), Ok(mut p)) = (rss_kb(pid), peak.lock()) {
                    *p = (*p).max(kb);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
    }

    // Each offer's moment in the window; clients take them in order.
    let queue: Arc<Mutex<VecDeque<(usize, i64, String)>>> = Arc::new(Mutex::new(
        work.into_iter()
            .enumerate()
            .map(|(i, (id, t))| (i, id, t))
            .collect(),
    ));
    let results = Arc::new(Mutex::new(Results::default()));
    let acked = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (queue, results, base, acked) =
            (queue.clone(), results.clone(), base.clone(), acked.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let Some((i, offer, token)) = queue.lock().ok().and_then(|mut q| q.pop_front())
                else {
                    return;
                };
                let at = Duration::from_secs_f64(window_s * i as f64 / n as f64);
                if let Some(wait) = at.checked_sub(start.elapsed()) {
                    tokio::time::sleep(wait).await;
                }
                let jar = Arc::new(reqwest::cookie::Jar::default());
                let url: reqwest::Url = match base.parse() {
                    Ok(u) => u,
                    Err(_) => return,
                };
                jar.add_cookie_str(&format!("wsp_session={token}"), &url);
                let client = match reqwest::Client::builder()
                    .cookie_provider(jar)
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(Duration::from_secs(30))
                    .build()
                {
                    Ok(c) => c,
                    Err(_) => return,
                };
                // As a person would: open the offer, then press "submit"; try again while the
                // server is away (killed and restarting).
                for attempt in 0..200 {
                    let page = client
                        .get(format!("{base}/panel/oferty/{offer}"))
                        .send()
                        .await;
                    let Ok(page) = page else {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    };
                    let html = page.text().await.unwrap_or_default();
                    let Some(csrf) = html
                        .split("name=\"_csrf\" value=\"")
                        .nth(1)
                        .and_then(|s| s.split('"').next())
                        .map(str::to_owned)
                    else {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    };
                    let t0 = Instant::now();
                    let r = client
                        .post(format!("{base}/panel/oferty/{offer}/zloz"))
                        .header("origin", base.clone())
                        .form(&[("_csrf", csrf.as_str())])
                        .send()
                        .await;
                    let ms = t0.elapsed().as_secs_f64() * 1000.0;
                    match r {
                        Ok(r) if r.status().as_u16() == 303 => {
                            let to = r
                                .headers()
                                .get("location")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_owned();
                            if let Ok(mut res) = results.lock() {
                                res.latencies_ms.push(ms);
                                res.acknowledged.insert(offer, to);
                                res.retries += attempt;
                            }
                            acked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            break;
                        }
                        Ok(r) if r.status().as_u16() >= 500 => {
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                        Ok(r) => {
                            if let Ok(mut res) = results.lock() {
                                res.refused.push((offer, r.status().as_u16()));
                            }
                            break;
                        }
                        Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                    }
                }
            }
        }));
    }
    let mut killed = None;
    if kill {
        while acked.load(std::sync::atomic::Ordering::Relaxed) < n / 2
            && start.elapsed() < Duration::from_secs(600)
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let at = start.elapsed();
        if let Ok(mut c) = child.lock() {
            c.kill()?; // SIGKILL
            c.wait()?;
            *c = spawn(&bin, &db_url, dir.path(), port)?;
        }
        killed = Some(at);
        wait_ready(&base).await?;
    }
    for t in tasks {
        t.await?;
    }
    let took = start.elapsed();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let peak_mb = peak.lock().map(|p| *p).unwrap_or(0) as f64 / 1024.0;

    // Every acknowledged submission is stored with its checksum, and none twice.
    let res = std::mem::take(&mut *results.lock().map_err(|_| anyhow::anyhow!("lock"))?);
    let mut lat = res.latencies_ms.clone();
    lat.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0.0)
    };
    let versions = grant_offer_version::Entity::find().all(db).await?;
    let mut per_offer: HashMap<i64, usize> = HashMap::new();
    for v in &versions {
        if v.checksum.len() == 64 {
            *per_offer.entry(v.offer_id).or_insert(0) += 1;
        }
    }
    let lost = res
        .acknowledged
        .keys()
        .filter(|id| !per_offer.contains_key(id))
        .count();
    let duplicated = per_offer.values().filter(|c| **c > 1).count();
    let submitted = grant_offer::Entity::find()
        .filter(sea_orm::ColumnTrait::eq(
            &grant_offer::Column::Status,
            grant_offer::Status::Submitted,
        ))
        .all(db)
        .await?
        .len();
    println!(
        "{} acknowledged of {n} in {:.1} s{}; {} retries after the kill; refused: {:?}",
        res.acknowledged.len(),
        took.as_secs_f64(),
        killed
            .map(|k| format!(" (killed at {:.1} s)", k.as_secs_f64()))
            .unwrap_or_default(),
        res.retries,
        res.refused,
    );
    println!(
        "submit request: p50 {:.0} ms, p95 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        pct(0.50),
        pct(0.95),
        pct(0.99),
        lat.last().copied().unwrap_or(0.0)
    );
    println!("server peak RSS during the rush: {peak_mb:.0} MB");
    println!(
        "stored: {} versions with a checksum, {submitted} offers submitted; lost {lost}, duplicated {duplicated}",
        per_offer.values().sum::<usize>()
    );
    if let Ok(mut c) = child.lock() {
        c.kill().ok();
        c.wait().ok();
    }
    db.execute_unprepared("SELECT 1").await.ok();
    platform.db.conn.clone().close().await.ok();
    bench_db.drop().await?;
    if lost > 0 || duplicated > 0 || res.acknowledged.len() != n {
        anyhow::bail!(
            "lost {lost}, duplicated {duplicated}, acknowledged {} of {n}",
            res.acknowledged.len()
        );
    }
    Ok(())
}
