//! E-mail through a real SMTP conversation: a minimal SMTP server on a
//! local socket receives what the `email.send` job sends.

use crate::test_app_settings;
use mercato_app::App;
use mercato_app::auth::ClientInfo;
use mercato_app::companies::{self, CompanyInput, MemberInput};
use mercato_app::jobs::Worker;
use mercato_app::mail::{MailSender, MailTransport};
use mercato_core::market::{Market, RoadmapStep};
use mercato_core::{Lang, LocalizedText};
use mercato_testkit::db_test;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Accepts one SMTP session and returns the message data it was given.
async fn smtp_sink(listener: TcpListener) -> String {
    let (socket, _) = listener.accept().await.unwrap();
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
    let mut data = String::new();
    let mut in_data = false;
    while let Some(line) = lines.next_line().await.unwrap() {
        if in_data {
            if line == "." {
                in_data = false;
                write.write_all(b"250 queued\r\n").await.unwrap();
            } else {
                data.push_str(&line);
                data.push('\n');
            }
            continue;
        }
        let verb = line.split_whitespace().next().unwrap_or("").to_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 ok\r\n",
            "DATA" => {
                in_data = true;
                b"354 go on\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await.unwrap();
                break;
            }
            _ => b"502 not here\r\n",
        };
        write.write_all(reply).await.unwrap();
    }
    data
}

db_test!(async fn an_invitation_goes_out_over_smtp(db) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = tokio::spawn(smtp_sink(listener));

    let mut settings = test_app_settings();
    settings.mail.transport = MailTransport::Smtp(format!("smtp://127.0.0.1:{port}"));
    settings.mail.public_url = "https://shop.example.com".into();
    let app = App::new(db.clone(), settings);
    let market = Market {
        code: "cn".into(),
        name: LocalizedText::default(),
        currency: "CNY".parse().unwrap(),
        languages: vec![Lang::parse("zh-CN").unwrap(), Lang::parse("en").unwrap()],
        countries: vec!["CN".into()],
        time_zone: "Asia/Shanghai".into(),
        roadmap_step: RoadmapStep::try_from(2).unwrap(),
        show_prices: true,
        show_stock: true,
        is_default: true,
    };
    mercato_app::catalog::save_market(&app, None, market).await.unwrap();
    let client = ClientInfo::default();
    let company = companies::create_company(&app, None, CompanyInput { name: Some("上海精工机械有限公司".into()), ..Default::default() }, &client).await.unwrap();
    assert_eq!(company.country.as_str(), "CN");
    let scope = companies::CompanyScope::after_access_check(company.id);
    companies::add_member(&app, None, &scope, MemberInput { email: "li@example.cn".into(), name: "李采购".into(), roles: vec!["buyer".into()], ..Default::default() }, &client).await.unwrap();

    let worker = Worker::new(db, "default", "test", vec![Arc::new(MailSender::new(app.clone()))]);
    assert_eq!(worker.run_once().await.unwrap(), 1);
    let data = tokio::time::timeout(std::time::Duration::from_secs(10), sink).await.unwrap().unwrap();
    assert!(data.contains("To: li@example.cn"), "{data}");
    // In the market's language (encoded words), with the link to the shop.
    assert!(data.contains("Subject: =?utf-8?"), "{data}");
    let text = decoded_body(&data);
    assert!(text.contains("李采购") && text.contains("上海精工机械有限公司"), "{text}");
    assert!(text.contains("https://shop.example.com/account/accept-invitation?token="), "{text}");
});

/// The text of a single-part message, undoing base64 or quoted-printable.
fn decoded_body(data: &str) -> String {
    use base64::Engine;
    let (head, body) = data.split_once("\n\n").unwrap();
    let encoding = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Transfer-Encoding: "))
        .unwrap_or("7bit")
        .trim()
        .to_lowercase();
    match encoding.as_str() {
        "base64" => {
            let joined: String = body.lines().collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(joined.trim())
                    .unwrap(),
            )
            .unwrap()
        }
        "quoted-printable" => {
            let joined = body.replace("=\n", "");
            let bytes = joined.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'=' && i + 2 < bytes.len() {
                    out.push(u8::from_str_radix(&joined[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).unwrap()
        }
        _ => body.to_string(),
    }
}
