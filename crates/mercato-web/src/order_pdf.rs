//! The order confirmation as a PDF (P8), for the buyer's order page and the
//! back office: the same lines, totals and addresses as the order view, in
//! the reader's language, laid out by `mercato_docs::render_pdf`.

use crate::AppState;
use crate::i18n::Tr;
use crate::problem::Problem;
use crate::shop::{format_money, format_quantity};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use mercato_app::orders::OrderView;
use mercato_docs::{PdfColumn, PdfDocument, PdfFonts, PdfParty, PdfTotal, render_pdf};
use std::sync::OnceLock;

/// Fonts load once per process (the CJK collections are large).
static FONTS: OnceLock<PdfFonts> = OnceLock::new();

fn fonts(s: &AppState) -> PdfFonts {
    FONTS
        .get_or_init(|| {
            let f = PdfFonts::load(&s.app.settings().documents.font_dirs);
            if !f.has_cjk() {
                tracing::warn!(
                    families = ?f.families(),
                    "no CJK font found: Chinese text in PDFs will not print (install fonts-noto-cjk)"
                );
            }
            f
        })
        .clone()
}

/// An address as document lines.
fn lines_of(a: &mercato_core::PostalAddress) -> Vec<String> {
    crate::account::address_text(a)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The confirmation of `o` for `company`, in `tr`'s language.
pub(crate) fn confirmation(
    tr: &Tr,
    seller: &[String],
    o: &OrderView,
    company: &str,
    placed: &str,
) -> PdfDocument {
    let word = |family: &str, code: &str| tr.t_or(&format!("{family}-{code}"), code);
    let mut meta = vec![
        (tr.t("pdf-order-date"), placed.to_string()),
        (tr.t("pdf-status"), word("order-status", o.status.as_str())),
        (
            tr.t("pdf-payment"),
            word("payment", o.payment_method.as_str()),
        ),
        (tr.t("pdf-shipping-method"), o.shipping_method.clone()),
    ];
    if let Some(po) = &o.po_number {
        meta.push((tr.t("pdf-po"), po.clone()));
    }
    if let Some(d) = &o.requested_delivery_date {
        meta.push((tr.t("pdf-delivery-date"), d.clone()));
    }
    let mut bill_to = vec![company.to_string()];
    bill_to.extend(lines_of(&o.billing_address));
    let column = |key: &str, align_right: bool| PdfColumn {
        label: tr.t(key),
        align_right,
    };
    let mut totals = vec![PdfTotal {
        label: tr.t("pdf-subtotal"),
        value: format_money(&o.totals.subtotal),
        emphasis: false,
    }];
    if !o.totals.discount.amount().is_zero() {
        totals.push(PdfTotal {
            label: tr.t("pdf-discount"),
            value: format!("−{}", format_money(&o.totals.discount)),
            emphasis: false,
        });
    }
    for (key, m) in [
        ("pdf-shipping", &o.totals.shipping),
        ("pdf-tax", &o.totals.tax),
    ] {
        totals.push(PdfTotal {
            label: tr.t(key),
            value: format_money(m),
            emphasis: false,
        });
    }
    totals.push(PdfTotal {
        label: tr.t("pdf-total"),
        value: format_money(&o.totals.total),
        emphasis: true,
    });
    let mut notes = Vec::new();
    if let Some(pv) = &o.payment {
        if let (Some(bank), Some(reference)) = (&pv.bank_details, &pv.reference) {
            notes.push(tr.t_with(
                "pdf-pay-by-transfer",
                &[("bank", bank), ("reference", reference)],
            ));
        }
        if let Some(d) = pv.payment_terms_days {
            notes.push(tr.t_with("order-terms", &[("days", &d.to_string())]));
        }
    }
    if let Some(n) = &o.note {
        notes.push(format!("{}: {n}", tr.t("pdf-buyer-note")));
    }
    PdfDocument {
        lang: tr.code().to_string(),
        title: tr.t("pdf-order-title"),
        number: o.number.clone(),
        issuer: seller.to_vec(),
        meta,
        parties: vec![
            PdfParty {
                heading: tr.t("pdf-bill-to"),
                lines: bill_to,
            },
            PdfParty {
                heading: tr.t("pdf-ship-to"),
                lines: lines_of(&o.shipping_address),
            },
        ],
        columns: vec![
            column("pdf-col-line", true),
            column("pdf-col-sku", false),
            column("pdf-col-item", false),
            column("pdf-col-quantity", true),
            column("pdf-col-unit-price", true),
            column("pdf-col-total", true),
        ],
        rows: o
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.line_no.to_string(),
                    l.sku.clone(),
                    l.name.clone(),
                    format_quantity(l.quantity),
                    format_money(&l.unit_price),
                    format_money(&l.total),
                ]
            })
            .collect(),
        totals,
        notes,
        footer: tr.t_with(
            "pdf-footer",
            &[("seller", seller.first().map_or("", String::as_str))],
        ),
    }
}

/// Renders `doc` off the async threads and answers with the PDF.
pub(crate) async fn respond(s: &AppState, doc: PdfDocument) -> Response {
    let fonts_state = s.clone();
    let file = format!("{}.pdf", doc.number);
    let rendered =
        tokio::task::spawn_blocking(move || render_pdf(&doc, &fonts(&fonts_state))).await;
    match rendered {
        Ok(Ok(bytes)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{file}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "order confirmation PDF failed");
            Problem::for_status(StatusCode::INTERNAL_SERVER_ERROR).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "PDF rendering task failed");
            Problem::for_status(StatusCode::INTERNAL_SERVER_ERROR).into_response()
        }
    }
}
