use crate::common::*;
use std::time::Duration;
use wspolnie_platform::mail::MailJob;
use wspolnie_platform::mail::enqueue_mail;

fn test_mail(to: &str) -> MailJob {
    MailJob {
        to: to.into(),
        template: "test".into(),
        lang: Default::default(),
        vars: serde_json::json!({ "requested_by": "Zofia Żółkiewska" })
            .as_object()
            .cloned()
            .unwrap_or_default(),
    }
}

#[tokio::test]
async fn mail_goes_through_the_outbox_to_a_real_smtp_server() {
    each_backend("smtp", |b| async move {
        let tp = TestPlatform::new(b).await;
        let db = &tp.platform.db.conn;
        wspolnie_platform::settings::set(
            db,
            "site.email_footer",
            "Stopka: zakładka NGO – Wierzbin",
        )
        .await
        .expect("footer");
        enqueue_mail(
            db,
            test_mail("anna.nowak@example.pl"),
            Some("test:anna".into()),
        )
        .await
        .expect("enqueue");
        // The same idempotency key again (a retried request) adds nothing.
        enqueue_mail(
            db,
            test_mail("anna.nowak@example.pl"),
            Some("test:anna".into()),
        )
        .await
        .expect("enqueue");
        assert_eq!(
            tp.smtp.messages().len(),
            0,
            "nothing is sent before the worker runs"
        );
        assert_eq!(tp.worker().run_until_idle().await.expect("run"), 1);
        let msgs = tp.smtp.messages();
        assert_eq!(msgs.len(), 1, "exactly one message at the SMTP server");
        let m = &msgs[0];
        assert_eq!(m.to, vec!["anna.nowak@example.pl".to_owned()]);
        assert_eq!(m.from, "ngo@wierzbin.example");
        let raw_subject = m
            .data
            .lines()
            .find(|l| l.starts_with("Subject:"))
            .expect("subject line")
            .to_owned();
        assert!(
            raw_subject.is_ascii() && raw_subject.contains("=?utf-8?"),
            "subject must be RFC 2047 encoded: {raw_subject}"
        );
        let parsed = mailparse::parse_mail(m.data.as_bytes()).expect("a valid MIME message");
        let h = |name: &str| {
            parsed
                .headers
                .iter()
                .find(|x| x.get_key().eq_ignore_ascii_case(name))
                .map(|x| x.get_value())
                .unwrap_or_default()
        };
        assert_eq!(h("Subject"), "Wiadomość testowa – zażółć gęślą jaźń");
        assert!(
            h("From").contains("Urząd Miejski w Wierzbinie"),
            "{}",
            h("From")
        );
        assert!(
            h("Message-ID").contains("job-test-anna@wierzbin.example"),
            "{}",
            h("Message-ID")
        );
        assert_eq!(parsed.ctype.mimetype, "multipart/alternative");
        assert_eq!(parsed.subparts.len(), 2);
        assert_eq!(parsed.subparts[0].ctype.mimetype, "text/plain");
        assert_eq!(parsed.subparts[1].ctype.mimetype, "text/html");
        let text = parsed.subparts[0].get_body().expect("text body");
        let html = parsed.subparts[1].get_body().expect("html body");
        for body in [&text, &html] {
            assert!(
                body.contains("Stopka: zakładka NGO – Wierzbin"),
                "footer from settings in both parts"
            );
            assert!(body.contains("Zofia Żółkiewska"));
        }
        assert!(html.contains("<html lang=\"pl\">"));
        tp.assert_no_pending_jobs().await;
    })
    .await;
}

#[tokio::test]
async fn mail_bodies_carry_the_footer_and_escape_html() {
    let site = wspolnie_platform::settings::SiteSettings {
        email_footer: "Zakładka NGO <b>Wierzbin</b>".into(),
        ..wspolnie_platform::settings::defaults()
    };
    let r = wspolnie_platform::mail::render(
        &wspolnie_areas::mail_templates(),
        &test_mail("a@example.pl"),
        &site,
        "https://ngo.wierzbin.example",
    )
    .expect("render");
    assert!(
        r.text.contains("Zakładka NGO <b>Wierzbin</b>"),
        "plain text keeps the text as written"
    );
    assert!(
        r.html
            .contains("Zakładka NGO &#60;b&#62;Wierzbin&#60;/b&#62;")
            || r.html.contains("&lt;b&gt;"),
        "HTML escapes it: {}",
        r.html
    );
    assert!(
        r.html.contains("https://ngo.wierzbin.example/")
            && r.text.contains("https://ngo.wierzbin.example/")
    );
    assert!(r.text.contains("Zofia Żółkiewska"));
}

#[tokio::test]
async fn temporary_smtp_failures_retry_and_permanent_ones_go_dead() {
    each_backend("smtp failures", |b| async move {
        let tp = TestPlatform::new(b).await;
        let db = &tp.platform.db.conn;
        enqueue_mail(db, test_mail("tempfail@example.pl"), None)
            .await
            .expect("enqueue");
        enqueue_mail(db, test_mail("reject@example.pl"), None)
            .await
            .expect("enqueue");
        tp.worker().run_until_idle().await.expect("run");
        assert_eq!(
            tp.scalar_i64("SELECT COUNT(*) FROM jobs WHERE status = 'pending' AND attempts = 1")
                .await,
            1,
            "451 → retried later"
        );
        assert_eq!(
            tp.scalar_i64("SELECT COUNT(*) FROM jobs WHERE status = 'dead'")
                .await,
            1,
            "550 → dead letter"
        );
        assert!(tp.smtp.messages().is_empty());
        tp.exec("DELETE FROM jobs").await;
    })
    .await;
}

#[tokio::test]
async fn the_file_transport_writes_eml_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut cfg = wspolnie_platform::config::Config {
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    cfg.resolve();
    let mailer = wspolnie_platform::mail::Mailer::from_config(&cfg.mail).expect("mailer");
    let r = wspolnie_platform::mail::render(
        &wspolnie_areas::mail_templates(),
        &test_mail("x@example.pl"),
        &wspolnie_platform::settings::defaults(),
        "http://127.0.0.1:8080",
    )
    .expect("render");
    mailer
        .send(
            mailer
                .build("x@example.pl", &r, "file-test")
                .expect("build"),
        )
        .await
        .expect("send");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let files: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
        .expect("mail dir")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].path().extension().is_some_and(|e| e == "eml"));
}
