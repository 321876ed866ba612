//! Sample documents shared by `tests/pdf.rs` and `benches/pdf.rs`: an order
//! confirmation shaped like the shop's, in English or Chinese.
// Each including target uses a different part of this module.
#![allow(dead_code)]

use mercato_docs::pdf::{PdfColumn, PdfDocument, PdfParty, PdfTotal};

fn s(text: &str) -> String {
    text.to_owned()
}

fn column(label: &str, align_right: bool) -> PdfColumn {
    PdfColumn {
        label: s(label),
        align_right,
    }
}

fn total(label: &str, value: String, emphasis: bool) -> PdfTotal {
    PdfTotal {
        label: s(label),
        value,
        emphasis,
    }
}

/// The SKU of line `n` (1-based).
pub fn sku(n: usize) -> String {
    format!("SKU-{n:06}")
}

/// The grand total as the English document prints it.
pub const GRAND_TOTAL_EN: &str = "EUR 98,765.43";

/// The grand total as the Chinese document prints it.
pub const GRAND_TOTAL_ZH: &str = "¥98,765.43";

/// An English order confirmation with `rows` lines.
pub fn english(rows: usize) -> PdfDocument {
    PdfDocument {
        lang: s("en"),
        title: s("Order confirmation"),
        number: s("SO-2026-000123"),
        issuer: vec![
            s("Mercato Industrial Supply GmbH"),
            s("Hafenstraße 12"),
            s("20457 Hamburg"),
            s("Germany"),
        ],
        meta: vec![
            (s("Order date"), s("14 March 2026")),
            (s("Your PO number"), s("PO-77812")),
            (s("Payment"), s("Invoice, 30 days net")),
            (s("Shipping"), s("Standard freight")),
        ],
        parties: vec![
            PdfParty {
                heading: s("Bill to"),
                lines: vec![
                    s("Acme Fasteners Ltd"),
                    s("Accounts payable"),
                    s("1 Main Road"),
                    s("Leeds LS1 4AP"),
                    s("United Kingdom"),
                ],
            },
            PdfParty {
                heading: s("Ship to"),
                lines: vec![
                    s("Acme Fasteners Ltd — Warehouse 3"),
                    s("Goods in, dock 7"),
                    s("Leeds LS9 0AA"),
                    s("United Kingdom"),
                ],
            },
        ],
        columns: vec![
            column("#", true),
            column("SKU", false),
            column("Description", false),
            column("Qty", true),
            column("Unit price", true),
            column("Amount", true),
        ],
        rows: (1..=rows)
            .map(|n| {
                vec![
                    n.to_string(),
                    sku(n),
                    format!(
                        "Hexagon bolt DIN 933 M{} x {} mm, stainless steel A2, box of 100",
                        4 + n % 20,
                        10 + 5 * (n % 12)
                    ),
                    format!("{}", 1 + n % 40),
                    format!("EUR {}.{:02}", 10 + n % 90, n % 100),
                    format!("EUR {},{:03}.{:02}", 1 + n % 9, n % 1000, (n * 7) % 100),
                ]
            })
            .collect(),
        totals: vec![
            total("Subtotal", s("EUR 82,996.16"), false),
            total("Shipping", s("EUR 0.00"), false),
            total("VAT 19 %", s("EUR 15,769.27"), false),
            total("Total", s(GRAND_TOTAL_EN), true),
        ],
        notes: vec![
            s(
                "Please pay within 30 days to IBAN DE02 1203 0000 0000 2020 51, quoting SO-2026-000123.",
            ),
            s("Your note: Please deliver before 10 am.\nCall the gatehouse on arrival."),
        ],
        footer: s("Mercato Industrial Supply GmbH · Hamburg HRB 123456 · VAT ID DE123456789"),
    }
}

/// A Chinese (zh-CN) order confirmation with `rows` lines.
pub fn chinese(rows: usize) -> PdfDocument {
    PdfDocument {
        lang: s("zh-CN"),
        title: s("订单确认"),
        number: s("SO-2026-000456"),
        issuer: vec![
            s("美凯多工业供应有限公司"),
            s("上海市浦东新区张江路 88 号"),
            s("邮编 201203"),
        ],
        meta: vec![
            (s("下单日期"), s("2026年3月14日")),
            (s("采购单号"), s("PO-77812")),
            (s("付款方式"), s("银行转账，30 天")),
        ],
        parties: vec![
            PdfParty {
                heading: s("开票信息"),
                lines: vec![
                    s("杭州紧固件贸易有限公司"),
                    s("财务部"),
                    s("杭州市西湖区文三路 1 号"),
                ],
            },
            PdfParty {
                heading: s("收货地址"),
                lines: vec![
                    s("杭州紧固件贸易有限公司 三号仓库"),
                    s("余杭区仓前街道 7 号"),
                    s("联系人：王先生"),
                ],
            },
        ],
        columns: vec![
            column("序号", true),
            column("商品编号", false),
            column("商品名称", false),
            column("数量", true),
            column("单价", true),
            column("金额", true),
        ],
        rows: (1..=rows)
            .map(|n| {
                vec![
                    n.to_string(),
                    sku(n),
                    format!("六角螺栓 M{} 不锈钢 A2（100 个/盒）", 4 + n % 20),
                    format!("{}", 1 + n % 40),
                    format!("¥{}.{:02}", 10 + n % 90, n % 100),
                    format!("¥{},{:03}.{:02}", 1 + n % 9, n % 1000, (n * 7) % 100),
                ]
            })
            .collect(),
        totals: vec![
            total("小计", s("¥87,403.04"), false),
            total("增值税 13%", s("¥11,362.39"), false),
            total("合计", s(GRAND_TOTAL_ZH), true),
        ],
        notes: vec![
            s("请在 30 天内付款，并注明订单号。"),
            s("买家备注：请在上午十点前送达。"),
        ],
        footer: s("美凯多工业供应有限公司 · 统一社会信用代码 91310000MA1K000000"),
    }
}
