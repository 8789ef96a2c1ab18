//! RSVP benchmark (issue 6), run by `bench/rsvp.sh`: a meeting with `BENCH_SEATS` (50) places,
//! `BENCH_INVITEES` (200) invitations, and every invitee answering "will attend" at the same
//! moment through `meetings::answer` (the function behind the answer page), `BENCH_ROUNDS` (5)
//! times on fresh meetings. Prints the time per round and the confirmed / waitlisted counts,
//! and fails unless exactly the number of places is confirmed each time.
//!
//! Environment: `BENCH_DATABASE_URL` (PostgreSQL server for a fresh database; default a SQLite
//! file), `BENCH_CONNECTIONS` (database pool, 10).

#[path = "common/bench_db.rs"]
mod bench_db;

use sea_orm::ConnectionTrait;
use std::time::Instant;
use wspolnie_areas::meetings::model as meetings;
use wspolnie_areas::meetings::model::Answer;
use wspolnie_areas::meetings::model::MeetingData;
use wspolnie_platform::audit::Actor;

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let invitees: usize = env("BENCH_INVITEES", "200").parse()?;
    let seats: usize = env("BENCH_SEATS", "50").parse()?;
    let rounds: usize = env("BENCH_ROUNDS", "5").parse()?;
    let dir = tempfile::tempdir()?;
    let bench_db = bench_db::BenchDb::create(dir.path(), "rsvp").await?;
    let connections: u32 = env("BENCH_CONNECTIONS", "10").parse()?;
    let platform = bench_db
        .platform(dir.path(), |cfg| {
            cfg.database.max_connections = connections;
            cfg.mail.transport = wspolnie_platform::config::MailTransport::File;
        })
        .await?;
    let db = platform.db.conn.clone();
    let actor = Actor::system("bench");
    let date = (chrono::Utc::now() + chrono::Duration::days(14))
        .date_naive()
        .to_string();
    let custom: Vec<String> = (0..invitees)
        .map(|i| format!("org{i:04}@example.org"))
        .collect();
    println!(
        "RSVP benchmark on {}: {invitees} invitees answering at once for {seats} places, {rounds} rounds",
        platform.db.backend_name()
    );
    let mut failed = false;
    for round in 1..=rounds {
        let mut d = MeetingData {
            title: format!("Forum organizacji {round}"),
            agenda: "Program".into(),
            date: date.clone(),
            start_time: "17:00".into(),
            end_time: "19:00".into(),
            place: "Sala sesyjna".into(),
            capacity: seats.to_string(),
            max_party: "1".into(),
            lang: "pl".into(),
            custom: custom.join("\n"),
            ..Default::default()
        };
        let (errors, valid) = d.validate(&[], chrono::Utc::now(), 0);
        let Some(v) = valid else {
            anyhow::bail!("meeting data: {errors:?}");
        };
        let m = meetings::create(&db, &d, &v, &actor).await?;
        let sent = meetings::invite(&platform, &db, m.id, "", &actor).await?;
        if sent != Ok(invitees) {
            anyhow::bail!("invitations: {sent:?}");
        }
        let ids: Vec<i64> = platform
            .db
            .conn
            .query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                format!(
                    "SELECT id FROM meeting_invitations WHERE meeting_id = {}",
                    m.id
                ),
            ))
            .await?
            .iter()
            .filter_map(|r| r.try_get_by_index::<i64>(0).ok())
            .collect();
        let start = Instant::now();
        let mut tasks = Vec::new();
        for id in ids {
            let p = platform.clone();
            tasks.push(tokio::spawn(async move {
                let a = Answer {
                    attending: true,
                    party_size: 1,
                    comment: String::new(),
                };
                meetings::answer(&p, &p.db.conn, id, &a).await
            }));
        }
        let (mut attending, mut waitlisted) = (0, 0);
        for t in tasks {
            match t.await??.map_err(|e| anyhow::anyhow!("{e:?}"))?.as_str() {
                "attending" => attending += 1,
                _ => waitlisted += 1,
            }
        }
        let took = start.elapsed();
        println!(
            "round {round}: {invitees} answers in {:.0} ms ({:.0} answers/s), confirmed {attending}, waitlisted {waitlisted}",
            took.as_secs_f64() * 1000.0,
            invitees as f64 / took.as_secs_f64()
        );
        if attending != seats.min(invitees) || attending + waitlisted != invitees {
            failed = true;
        }
    }
    db.close().await.ok();
    bench_db.drop().await?;
    if failed {
        anyhow::bail!("capacity was not respected");
    }
    Ok(())
}
