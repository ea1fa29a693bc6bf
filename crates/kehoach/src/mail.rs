//! Outgoing e-mail. One message builder, two ways out: an SMTP server when
//! `smtp_url` is configured, otherwise a folder of .eml files (a first
//! installation and the tests read those).

use std::path::PathBuf;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Settings;

pub enum Transport {
    Outbox(PathBuf),
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
}

pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    /// The SMTP URL is `smtp://host:587?tls=required`, `smtps://user:pass@host`
    /// and so on (lettre's format); a bad URL or sender stops the start-up.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let from: Mailbox = settings
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("địa chỉ gửi thư (mail_from) không hợp lệ: {e}"))?;
        let transport = match &settings.smtp_url {
            Some(url) => {
                let _ = rustls::crypto::ring::default_provider().install_default();
                let smtp = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("smtp_url không hợp lệ: {e}"))?
                    .build();
                Transport::Smtp(Box::new(smtp))
            }
            None => Transport::Outbox(settings.outbox()),
        };
        Ok(Self { from, transport })
    }

    pub async fn send(
        &self,
        to: &str,
        name: &str,
        subject: &str,
        body: &str,
    ) -> anyhow::Result<()> {
        let clean = |s: &str| s.replace(['\r', '\n'], " ");
        let to = Mailbox::new(Some(clean(name)), to.parse()?);
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(clean(subject))
            // Quoted-printable keeps the text (and its links) readable in
            // the .eml files while staying 7-bit for any mail server.
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::QuotedPrintable)
                    .body(body.to_owned()),
            )?;
        match &self.transport {
            Transport::Outbox(dir) => {
                tokio::fs::create_dir_all(dir).await?;
                let file = dir.join(format!(
                    "{}-{}.eml",
                    crate::clock::now(),
                    rand::random::<u32>()
                ));
                tokio::fs::write(file, message.formatted()).await?;
            }
            Transport::Smtp(smtp) => {
                smtp.send(message).await?;
            }
        }
        Ok(())
    }
}
