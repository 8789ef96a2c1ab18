//! A small SMTP client for mailings, where one message per recipient must be handed over exactly
//! once even if the process is killed at any instant.
//!
//! lettre sends a message in one call (`MAIL`, `RCPT`, `DATA`, content, final dot), so a crash
//! after the server accepted the dot but before we recorded it would send the message again on
//! restart. This client stops after the content and before the terminating `.`: the caller
//! records the message as sent (a conditional UPDATE) and only then is the dot written. A server
//! must discard a message whose connection drops before the dot (RFC 5321 §4.1.1.4), so a crash
//! before the commit loses nothing and sends nothing, and a crash after it leaves only the dot's
//! write, which the kernel completes for a process that has died. Mailings and transactional mail
//! (`mail.send` jobs, whose commit marks the job done) both use it.
//!
//! Supports plain connections, STARTTLS (required, not opportunistic) and implicit TLS through
//! native-tls, and AUTH PLAIN.

use crate::config::MailConfig;
use crate::config::SmtpSecurity;
use base64::Engine;
use std::future::Future;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// The rest of a commit that was started before the dot (see `SmtpSession::deliver`).
pub type Finish = std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// A failure of the connection or the session (not of one recipient).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SessionError(pub String);

/// What happened to one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Recorded by the caller's commit and accepted by the server.
    Accepted,
    /// The server refused the recipient or the message. `committed` says whether the caller's
    /// commit already ran (the caller must then undo its "sent" mark).
    Refused {
        permanent: bool,
        recipient: bool,
        reply: String,
        committed: bool,
    },
    /// The commit declined (someone else already sent this message): nothing was delivered.
    Declined,
    /// Committed and the dot written, but no reply came (connection lost): the message may or may
    /// not have arrived. Mailings count it as unconfirmed; a mail job stays done (at most once).
    Unconfirmed(String),
}

struct Reply {
    code: u16,
    text: String,
}

impl Reply {
    fn positive(&self) -> bool {
        (200..400).contains(&self.code)
    }
    fn permanent(&self) -> bool {
        self.code >= 500
    }
}

pub struct SmtpSession {
    io: BufReader<Box<dyn Stream>>,
    timeout: Duration,
    broken: bool,
}

impl SmtpSession {
    /// Connects, greets, upgrades to TLS and authenticates as the configuration says.
    pub async fn connect(cfg: &MailConfig, hello: &str) -> Result<SmtpSession, SessionError> {
        let timeout = Duration::from_secs(cfg.smtp_timeout_seconds.max(1));
        let addr = (cfg.smtp_host.as_str(), cfg.smtp_port);
        let tcp = tokio::time::timeout(timeout, TcpStream::connect(addr))
            .await
            .map_err(|_| SessionError(format!("connecting to {}: timeout", cfg.smtp_host)))?
            .map_err(|e| SessionError(format!("connecting to {}: {e}", cfg.smtp_host)))?;
        let _ = tcp.set_nodelay(true);
        let stream: Box<dyn Stream> = match cfg.smtp_security {
            SmtpSecurity::Tls => Box::new(tls(&cfg.smtp_host, tcp).await?),
            _ => Box::new(tcp),
        };
        let mut s = SmtpSession {
            io: BufReader::new(stream),
            timeout,
            broken: false,
        };
        s.expect_ok(None, "greeting").await?;
        let mut ehlo = s.command(&format!("EHLO {hello}")).await?;
        if !ehlo.positive() {
            return Err(SessionError(format!("EHLO refused: {}", ehlo.text)));
        }
        if cfg.smtp_security == SmtpSecurity::Starttls {
            if !has_extension(&ehlo.text, "STARTTLS") {
                return Err(SessionError("server does not offer STARTTLS".into()));
            }
            s.expect_ok(Some("STARTTLS"), "STARTTLS").await?;
            // The buffered reader is empty here: the server says nothing more before the
            // handshake.
            let tcp = s.io.into_inner();
            let upgraded: Box<dyn Stream> = Box::new(tls(&cfg.smtp_host, tcp).await?);
            s = SmtpSession {
                io: BufReader::new(upgraded),
                timeout,
                broken: false,
            };
            ehlo = s.command(&format!("EHLO {hello}")).await?;
            if !ehlo.positive() {
                return Err(SessionError(format!("EHLO refused: {}", ehlo.text)));
            }
        }
        if !cfg.smtp_username.is_empty() {
            let token = base64::engine::general_purpose::STANDARD
                .encode(format!("\0{}\0{}", cfg.smtp_username, cfg.smtp_password));
            let r = s.command(&format!("AUTH PLAIN {token}")).await?;
            if !r.positive() {
                return Err(SessionError(format!("authentication failed: {}", r.text)));
            }
        }
        Ok(s)
    }

    pub fn is_broken(&self) -> bool {
        self.broken
    }

    /// Sends one message to one recipient. `data` is the formatted message (CRLF line ends).
    /// `commit` runs after the content and before the terminating dot: `Ok(None)` declines (the
    /// message is abandoned), `Ok(Some(finish))` lets the dot go and `finish` is awaited after
    /// it (a commit already on its way to the database server may complete there).
    pub async fn deliver<F, Fut>(
        &mut self,
        from: &str,
        to: &str,
        data: &[u8],
        commit: F,
    ) -> Result<Delivery, SessionError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<Finish>, String>>,
    {
        if to.contains(['\r', '\n', '<', '>']) || from.contains(['\r', '\n', '<', '>']) {
            return Ok(Delivery::Refused {
                permanent: true,
                recipient: true,
                reply: "invalid address".into(),
                committed: false,
            });
        }
        let r = self.command(&format!("MAIL FROM:<{from}>")).await?;
        if !r.positive() {
            // The sender is refused: nothing is wrong with this recipient.
            self.broken = true;
            return Err(SessionError(format!(
                "MAIL FROM refused: {} {}",
                r.code, r.text
            )));
        }
        let r = self.command(&format!("RCPT TO:<{to}>")).await?;
        if !r.positive() {
            self.reset().await;
            return Ok(Delivery::Refused {
                permanent: r.permanent(),
                recipient: true,
                reply: format!("{} {}", r.code, r.text),
                committed: false,
            });
        }
        let r = self.command("DATA").await?;
        if r.code != 354 {
            self.reset().await;
            return Ok(Delivery::Refused {
                permanent: r.permanent(),
                recipient: false,
                reply: format!("{} {}", r.code, r.text),
                committed: false,
            });
        }
        let body = dot_stuff(data);
        self.write(&body).await?;
        let finish = match commit().await {
            Ok(Some(f)) => f,
            Ok(None) => {
                // Abandon the message: without the dot the server discards it.
                self.broken = true;
                return Ok(Delivery::Declined);
            }
            Err(e) => {
                self.broken = true;
                return Err(SessionError(format!("recording the message failed: {e}")));
            }
        };
        let written = self.write(b".\r\n").await;
        if let Err(e) = finish.await {
            self.broken = true;
            return Ok(Delivery::Unconfirmed(format!(
                "recording the message failed after it was sent: {e}"
            )));
        }
        if let Err(e) = written {
            self.broken = true;
            return Ok(Delivery::Unconfirmed(e.0));
        }
        match self.read_reply().await {
            Ok(r) if r.positive() => Ok(Delivery::Accepted),
            Ok(r) => Ok(Delivery::Refused {
                permanent: r.permanent(),
                recipient: false,
                reply: format!("{} {}", r.code, r.text),
                committed: true,
            }),
            Err(e) => {
                self.broken = true;
                Ok(Delivery::Unconfirmed(e.0))
            }
        }
    }

    /// Ends the session politely.
    pub async fn quit(mut self) {
        if !self.broken {
            let _ = self.command("QUIT").await;
        }
    }

    async fn reset(&mut self) {
        match self.command("RSET").await {
            Ok(r) if r.positive() => {}
            _ => self.broken = true,
        }
    }

    async fn expect_ok(&mut self, cmd: Option<&str>, what: &str) -> Result<(), SessionError> {
        let r = match cmd {
            Some(c) => self.command(c).await?,
            None => self.read_reply().await?,
        };
        if r.positive() {
            Ok(())
        } else {
            Err(SessionError(format!("{what}: {} {}", r.code, r.text)))
        }
    }

    async fn command(&mut self, line: &str) -> Result<Reply, SessionError> {
        let mut buf = Vec::with_capacity(line.len() + 2);
        buf.extend_from_slice(line.as_bytes());
        buf.extend_from_slice(b"\r\n");
        self.write(&buf).await?;
        self.read_reply().await
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), SessionError> {
        let io = self.io.get_mut();
        let res = tokio::time::timeout(self.timeout, async {
            io.write_all(bytes).await?;
            io.flush().await
        })
        .await;
        match res {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => {
                self.broken = true;
                Err(SessionError(format!("writing to the server: {e}")))
            }
            Err(_) => {
                self.broken = true;
                Err(SessionError("writing to the server: timeout".into()))
            }
        }
    }

    async fn read_reply(&mut self) -> Result<Reply, SessionError> {
        let mut text = String::new();
        loop {
            let mut line = String::new();
            let n = match tokio::time::timeout(self.timeout, self.io.read_line(&mut line)).await {
                Ok(Ok(n)) => n,
                Ok(Err(e)) => {
                    self.broken = true;
                    return Err(SessionError(format!("reading from the server: {e}")));
                }
                Err(_) => {
                    self.broken = true;
                    return Err(SessionError("reading from the server: timeout".into()));
                }
            };
            if n == 0 || line.len() < 3 || text.len() > 16 * 1024 {
                self.broken = true;
                return Err(SessionError("connection closed by the server".into()));
            }
            let code: u16 = line[..3].parse().map_err(|_| {
                self.broken = true;
                SessionError(format!("malformed reply {line:?}"))
            })?;
            let rest = line.get(4..).unwrap_or("").trim_end();
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(rest);
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(Reply { code, text });
            }
        }
    }
}

async fn tls<S: AsyncRead + AsyncWrite + Unpin + Send>(
    host: &str,
    stream: S,
) -> Result<tokio_native_tls::TlsStream<S>, SessionError> {
    let connector =
        native_tls::TlsConnector::new().map_err(|e| SessionError(format!("TLS set-up: {e}")))?;
    tokio_native_tls::TlsConnector::from(connector)
        .connect(host, stream)
        .await
        .map_err(|e| SessionError(format!("TLS handshake with {host}: {e}")))
}

fn has_extension(ehlo: &str, name: &str) -> bool {
    ehlo.lines().any(|l| {
        l.split_whitespace()
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case(name))
    })
}

/// The message content with a dot doubled at the start of every line (RFC 5321 §4.5.2), ending
/// with CRLF so the terminating dot stands on its own line.
pub fn dot_stuff(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 64);
    let mut at_line_start = true;
    for &b in data {
        if at_line_start && b == b'.' {
            out.push(b'.');
        }
        out.push(b);
        at_line_start = b == b'\n';
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stuffs_dots_and_ends_the_line() {
        assert_eq!(
            dot_stuff(b".a\r\nb.\r\n.\r\nc"),
            b"..a\r\nb.\r\n..\r\nc\r\n"
        );
        assert_eq!(dot_stuff(b"x\r\n"), b"x\r\n");
    }

    #[test]
    fn finds_extensions() {
        let ehlo = "smtp.example\nPIPELINING\nSTARTTLS\nAUTH PLAIN LOGIN";
        assert!(has_extension(ehlo, "starttls"));
        assert!(has_extension(ehlo, "AUTH"));
        assert!(!has_extension(ehlo, "8BITMIME"));
    }
}
