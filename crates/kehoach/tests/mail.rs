//! E-mail over SMTP when configured, against a minimal local SMTP server.

use kehoach::config::Settings;
use kehoach::mail::Mailer;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Accepts one session, answers every command positively and returns the
/// transcript of what the client sent.
async fn smtp_server() -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let task = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut transcript = String::new();
        let mut in_data = false;
        write.write_all(b"220 test ESMTP\r\n").await.unwrap();
        while let Ok(Some(line)) = lines.next_line().await {
            transcript.push_str(&line);
            transcript.push('\n');
            let reply: &[u8] = if in_data {
                if line != "." {
                    continue;
                }
                in_data = false;
                b"250 queued\r\n"
            } else if line.starts_with("DATA") {
                in_data = true;
                b"354 go ahead\r\n"
            } else if line.starts_with("QUIT") {
                write.write_all(b"221 bye\r\n").await.unwrap();
                break;
            } else {
                b"250 ok\r\n"
            };
            write.write_all(reply).await.unwrap();
        }
        transcript
    });
    (addr, task)
}

#[tokio::test]
async fn mail_goes_to_the_configured_smtp_server() {
    let (addr, server) = smtp_server().await;
    let settings = Settings {
        smtp_url: Some(format!("smtp://{addr}")),
        mail_from: "Ban Tuyên giáo <btg@phuyen.vn>".into(),
        ..Settings::default()
    };
    let mailer = Mailer::from_settings(&settings).unwrap();
    mailer
        .send(
            "tks@baophuyen.vn",
            "Thư ký tòa soạn",
            "Nhắc hạn: báo cáo Quý I",
            "Hạn nộp 05/04/2021",
        )
        .await
        .unwrap();
    drop(mailer);
    let transcript = server.await.unwrap();
    assert!(
        transcript.contains("MAIL FROM:<btg@phuyen.vn>"),
        "{transcript}"
    );
    assert!(
        transcript.contains("RCPT TO:<tks@baophuyen.vn>"),
        "{transcript}"
    );
    assert!(transcript.contains("Subject: =?utf-8?b?"), "{transcript}");
    assert!(!settings.outbox().exists(), "nothing written to the outbox");
}

#[test]
fn a_bad_smtp_address_or_sender_stops_the_start() {
    let bad_url = Settings {
        smtp_url: Some("mail.example.vn".into()),
        ..Settings::default()
    };
    assert!(Mailer::from_settings(&bad_url).is_err());
    let bad_from = Settings {
        mail_from: "khong-phai-dia-chi".into(),
        ..Settings::default()
    };
    assert!(Mailer::from_settings(&bad_from).is_err());
}
