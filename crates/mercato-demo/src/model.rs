//! The generator's own model of a product before it becomes spreadsheet
//! rows: plain owned values, built by the family modules and turned into
//! cells by `sheet`.

/// Text in Simplified Chinese and English.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Bi {
    pub zh: String,
    pub en: String,
}

/// Builds a [`Bi`].
pub(crate) fn bi(zh: impl Into<String>, en: impl Into<String>) -> Bi {
    Bi {
        zh: zh.into(),
        en: en.into(),
    }
}

/// Where a product or variant is in its life (the `status` codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Draft,
    Active,
    Discontinued,
}

impl Status {
    /// The code the spreadsheet uses.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Active => "active",
            Status::Discontinued => "discontinued",
        }
    }
}

/// One product (one `product` key) with its variants.
#[derive(Clone, Debug)]
pub(crate) struct Product {
    pub key: String,
    pub status: Status,
    pub brand: &'static str,
    pub category: &'static str,
    pub name: Bi,
    pub short: Bi,
    pub desc: Bi,
    /// Image file names; the first is the main image.
    pub images: Vec<String>,
    /// Datasheet file names (English PDFs).
    pub documents: Vec<&'static str>,
    pub accessory: Vec<String>,
    pub spare_part: Vec<String>,
    pub replacement: Vec<String>,
    pub similar: Vec<String>,
    /// `;`-separated market codes; empty = every market.
    pub markets: &'static str,
    /// 0 for the demo catalog; n ≥ 2 for the n-th copy made by scaling.
    pub series: u32,
    pub variants: Vec<Variant>,
}

impl Product {
    /// A product with no variants yet, active, visible everywhere.
    pub(crate) fn new(
        key: impl Into<String>,
        category: &'static str,
        brand: &'static str,
        name: Bi,
    ) -> Self {
        Self {
            key: key.into(),
            status: Status::Active,
            brand,
            category,
            name,
            short: Bi::default(),
            desc: Bi::default(),
            images: Vec::new(),
            documents: Vec::new(),
            accessory: Vec::new(),
            spare_part: Vec::new(),
            replacement: Vec::new(),
            similar: Vec::new(),
            markets: "",
            series: 0,
            variants: Vec::new(),
        }
    }

    /// Sets the short and long descriptions.
    pub(crate) fn texts(mut self, short: Bi, desc: Bi) -> Self {
        self.short = short;
        self.desc = desc;
        self
    }

    /// Adds an image file name.
    pub(crate) fn image(mut self, file: impl Into<String>) -> Self {
        self.images.push(file.into());
        self
    }

    /// Adds a datasheet.
    pub(crate) fn doc(mut self, file: &'static str) -> Self {
        self.documents.push(file);
        self
    }

    /// Sets the status.
    pub(crate) fn status(mut self, status: Status) -> Self {
        self.status = status;
        self
    }

    /// Restricts the markets.
    pub(crate) fn markets(mut self, markets: &'static str) -> Self {
        self.markets = markets;
        self
    }

    /// Adds accessories (product keys).
    pub(crate) fn accessories<S: AsRef<str>>(mut self, keys: &[S]) -> Self {
        self.accessory
            .extend(keys.iter().map(|k| k.as_ref().to_string()));
        self
    }

    /// Adds spare parts (product keys).
    pub(crate) fn spare_parts<S: AsRef<str>>(mut self, keys: &[S]) -> Self {
        self.spare_part
            .extend(keys.iter().map(|k| k.as_ref().to_string()));
        self
    }

    /// Adds similar products (product keys).
    pub(crate) fn similars<S: AsRef<str>>(mut self, keys: &[S]) -> Self {
        self.similar
            .extend(keys.iter().map(|k| k.as_ref().to_string()));
        self
    }

    /// Names the product that replaces this one.
    pub(crate) fn replaced_by(mut self, key: impl Into<String>) -> Self {
        self.replacement.push(key.into());
        self
    }

    /// Sets the variants.
    pub(crate) fn variants(mut self, variants: Vec<Variant>) -> Self {
        self.variants = variants;
        self
    }
}

/// One SKU.
#[derive(Clone, Debug)]
pub(crate) struct Variant {
    pub sku: String,
    /// Whether the variant carries a GTIN (numbered when the sheet is written).
    pub gtin: bool,
    pub mpn: Option<String>,
    pub unit: &'static str,
    pub pack_size: u32,
    pub min_quantity: &'static str,
    pub quantity_step: &'static str,
    /// Weight of one unit of sale, in grams.
    pub weight_g: u64,
    /// Package length × width × height in mm.
    pub dims_mm: Option<[u32; 3]>,
    pub status: Option<Status>,
    pub replacement_sku: Option<String>,
    pub attrs: Vec<(&'static str, String)>,
}

impl Variant {
    /// A variant sold by the piece.
    pub(crate) fn new(sku: impl Into<String>) -> Self {
        Self {
            sku: sku.into(),
            gtin: false,
            mpn: None,
            unit: "piece",
            pack_size: 1,
            min_quantity: "1",
            quantity_step: "1",
            weight_g: 0,
            dims_mm: None,
            status: None,
            replacement_sku: None,
            attrs: Vec::new(),
        }
    }

    /// Sets the unit of sale and the units per pack.
    pub(crate) fn unit(mut self, unit: &'static str, pack_size: u32) -> Self {
        self.unit = unit;
        self.pack_size = pack_size.max(1);
        self
    }

    /// Sets the minimum order quantity and the step.
    pub(crate) fn quantities(mut self, min: &'static str, step: &'static str) -> Self {
        self.min_quantity = min;
        self.quantity_step = step;
        self
    }

    /// Sets the weight of one unit of sale, in grams (at least 1).
    pub(crate) fn weight(mut self, grams: u64) -> Self {
        self.weight_g = grams.max(1);
        self
    }

    /// Sets the package dimensions in mm.
    pub(crate) fn dims(mut self, l: u32, w: u32, h: u32) -> Self {
        self.dims_mm = Some([l, w, h]);
        self
    }

    /// Asks for a GTIN when `yes`.
    pub(crate) fn gtin(mut self, yes: bool) -> Self {
        self.gtin = yes;
        self
    }

    /// Sets the manufacturer's part number.
    pub(crate) fn mpn(mut self, mpn: impl Into<String>) -> Self {
        self.mpn = Some(mpn.into());
        self
    }

    /// Marks the variant discontinued, replaced by `sku`.
    pub(crate) fn discontinued(mut self, replacement: impl Into<String>) -> Self {
        self.status = Some(Status::Discontinued);
        self.replacement_sku = Some(replacement.into());
        self
    }

    /// Adds an attribute value (as the spreadsheet writes it).
    pub(crate) fn attr(mut self, code: &'static str, value: impl Into<String>) -> Self {
        let value = value.into();
        if !value.is_empty() {
            self.attrs.push((code, value));
        }
        self
    }
}

/// A number with up to one decimal from tenths: 132 → "13.2", 130 → "13".
pub(crate) fn tenths(x: u64) -> String {
    if x.is_multiple_of(10) {
        (x / 10).to_string()
    } else {
        format!("{}.{}", x / 10, x % 10)
    }
}

/// Grams as kilograms with up to three decimals: 1250 → "1.25".
pub(crate) fn kg(grams: u64) -> String {
    let whole = grams / 1000;
    let frac = grams % 1000;
    if frac == 0 {
        whole.to_string()
    } else {
        let s = format!("{whole}.{frac:03}");
        s.trim_end_matches('0').to_string()
    }
}

/// A decimal from a float for attribute cells and texts: 2.5 → "2.5", 20.0 → "20".
pub(crate) fn num(x: f64) -> String {
    // Table values have at most two decimals; rounding hides binary noise.
    let hundredths = (x * 100.0).round() as i64;
    let whole = hundredths / 100;
    let frac = (hundredths % 100).abs();
    if frac == 0 {
        whole.to_string()
    } else if frac % 10 == 0 {
        format!("{whole}.{}", frac / 10)
    } else {
        format!("{whole}.{frac:02}")
    }
}

/// Grams (at least 1) of a volume in mm³ at a density in g/cm³.
pub(crate) fn grams(volume_mm3: f64, density: f64) -> u64 {
    let g = volume_mm3 * density / 1000.0;
    if g.is_finite() && g > 1.0 {
        g.round() as u64
    } else {
        1
    }
}

/// Tenths of a gram of a volume in mm³ at a density in g/cm³ (at least 0.1 g).
pub(crate) fn tenth_grams(volume_mm3: f64, density: f64) -> u64 {
    let t = volume_mm3 * density / 100.0;
    if t.is_finite() && t > 1.0 {
        t.round() as u64
    } else {
        1
    }
}

/// A part of a product key or SKU from a label: "M8" → "m8", "G1/4" → "g1-4".
pub(crate) fn slug_part(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A label without separators for part numbers: "G1/4" → "G14", "2.5" → "2.5".
pub(crate) fn sku_part(label: &str) -> String {
    label
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect()
}

/// Keeps only relations that name one of `products`, for links that are
/// made "where the counterpart exists" (nuts for bolts in the same material).
pub(crate) fn keep_existing_relations(products: &mut [Product]) {
    let keys: std::collections::HashSet<String> = products.iter().map(|p| p.key.clone()).collect();
    for p in products.iter_mut() {
        let own = p.key.clone();
        for list in [
            &mut p.accessory,
            &mut p.spare_part,
            &mut p.replacement,
            &mut p.similar,
        ] {
            list.retain(|k| keys.contains(k) && *k != own);
            dedup_in_order(list);
        }
    }
}

/// Removes repeated entries, keeping the first.
pub(crate) fn dedup_in_order(list: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|k| seen.insert(k.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(tenths(132), "13.2");
        assert_eq!(tenths(130), "13");
        assert_eq!(kg(1250), "1.25");
        assert_eq!(kg(1), "0.001");
        assert_eq!(kg(2000), "2");
        assert_eq!(num(2.5), "2.5");
        assert_eq!(num(20.0), "20");
        assert_eq!(num(0.75), "0.75");
        assert_eq!(slug_part("G1/4"), "g1-4");
        assert_eq!(sku_part("G1/4"), "G14");
    }
}
