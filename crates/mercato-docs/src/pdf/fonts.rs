//! The fonts a PDF may use: typst's embedded fonts plus every face found in
//! the configured font directories.
//!
//! Typst as a library sees no system fonts, so whatever is not loaded here
//! cannot be drawn (a missing CJK font shows as tofu boxes). Scanning reads
//! each file once to learn its families and coverage; the face itself is
//! parsed on first use, and the bytes of a file are kept once however many
//! of its faces (a `.ttc` holds many) are used.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;

/// U+4E2D 中, the first character of 中文: a font that has it covers Chinese.
const HAN_PROBE: u32 = 0x4E2D;

/// Faces read from one collection at most: a corrupt header cannot make the
/// scan try billions of indices.
const MAX_FACES_PER_FILE: u32 = 256;

/// Directory nesting followed at most while scanning, so a symlink loop
/// cannot keep the scan going.
const MAX_DEPTH: usize = 16;

/// Latin sans families preferred for body text, best first. The first one
/// loaded leads the font stack; CJK follows it for the characters it lacks.
const LATIN_SANS: &[&str] = &[
    "Noto Sans",
    "Liberation Sans",
    "Arimo",
    "Arial",
    "Helvetica",
    "Source Sans 3",
    "Open Sans",
    "DejaVu Sans",
];

/// Broad-coverage fallbacks placed after the CJK family (Greek, Cyrillic,
/// symbols). Libertinus Serif is typst's embedded font: always there.
const LAST_RESORT: &[&str] = &["DejaVu Sans", "Libertinus Serif"];

/// Fonts loaded once for [`render_pdf`](super::render_pdf).
///
/// Loading scans font files and is slow for CJK collections (tens of
/// megabytes): load at start-up and share. Cloning is cheap (an `Arc`), and
/// the value is `Send + Sync`, so one instance can serve every thread.
#[derive(Clone)]
pub struct PdfFonts {
    inner: Arc<FontSet>,
}

/// The shared state behind [`PdfFonts`]; also what the typst world reads.
pub(super) struct FontSet {
    pub(super) book: LazyHash<FontBook>,
    slots: Vec<FontSlot>,
    /// Family names as the fonts spell them, by lowercase name.
    families: BTreeMap<String, String>,
    /// Families with at least one face covering Chinese, lowercase, sorted.
    han_families: Vec<String>,
}

/// One face, parsed on first use.
struct FontSlot {
    source: FaceSource,
    font: OnceLock<Option<Font>>,
}

enum FaceSource {
    /// Compiled into the binary (typst-assets): parsed already.
    Embedded(Font),
    /// Face `index` of a font file.
    File { file: Arc<FontFile>, index: u32 },
}

/// A font file whose bytes are read once, on first use of any of its faces.
struct FontFile {
    path: PathBuf,
    data: OnceLock<Option<Bytes>>,
}

impl FontFile {
    fn bytes(&self) -> Option<Bytes> {
        self.data
            .get_or_init(|| std::fs::read(&self.path).ok().map(Bytes::new))
            .clone()
    }
}

impl FontSlot {
    fn get(&self) -> Option<Font> {
        self.font
            .get_or_init(|| match &self.source {
                FaceSource::Embedded(font) => Some(font.clone()),
                FaceSource::File { file, index } => Font::new(file.bytes()?, *index),
            })
            .clone()
    }
}

impl PdfFonts {
    /// Loads typst's embedded fonts (Libertinus Serif, New Computer Modern,
    /// DejaVu Sans Mono: Latin only) and every `.ttf`, `.otf`, `.ttc` and
    /// `.otc` file under `dirs`, recursively, each face of a collection.
    ///
    /// Directories that do not exist and files that cannot be read or parsed
    /// are skipped: check [`families`](Self::families) and
    /// [`has_cjk`](Self::has_cjk) to see what was found. Files are visited in
    /// path order, so the same directories give the same fonts and the same
    /// PDF bytes.
    ///
    /// On Debian, `/usr/share/fonts` holds fonts-noto-cjk (Chinese,
    /// Japanese, Korean) and fonts-liberation/fonts-dejavu (Latin). Scanning
    /// it takes about a second: the CJK collections are large.
    pub fn load(dirs: &[PathBuf]) -> PdfFonts {
        let mut infos = Vec::new();
        let mut slots = Vec::new();

        for data in typst_assets::fonts() {
            for font in Font::iter(Bytes::new(data)) {
                infos.push(font.info().clone());
                slots.push(FontSlot {
                    source: FaceSource::Embedded(font),
                    font: OnceLock::new(),
                });
            }
        }

        let mut files = Vec::new();
        for dir in dirs {
            collect_font_files(dir, 0, &mut files);
        }
        files.sort();
        files.dedup();
        for path in files {
            // Read once to learn each face's family and coverage; the bytes
            // are dropped and read again only if a face is used.
            let Ok(data) = std::fs::read(&path) else {
                continue;
            };
            let file = Arc::new(FontFile {
                path,
                data: OnceLock::new(),
            });
            let count = ttf_collection_len(&data).min(MAX_FACES_PER_FILE);
            for index in 0..count {
                let Some(info) = FontInfo::new(&data, index) else {
                    continue;
                };
                infos.push(info);
                slots.push(FontSlot {
                    source: FaceSource::File {
                        file: Arc::clone(&file),
                        index,
                    },
                    font: OnceLock::new(),
                });
            }
        }

        let mut families = BTreeMap::new();
        let mut han_families = Vec::new();
        for info in &infos {
            let key = info.family.to_lowercase();
            if info.coverage.contains(HAN_PROBE) && !han_families.contains(&key) {
                han_families.push(key.clone());
            }
            families.entry(key).or_insert_with(|| info.family.clone());
        }
        han_families.sort();

        PdfFonts {
            inner: Arc::new(FontSet {
                book: LazyHash::new(FontBook::from_infos(infos)),
                slots,
                families,
                han_families,
            }),
        }
    }

    /// Whether some loaded font covers Chinese (has 中). Without one, Chinese
    /// text renders as empty boxes.
    pub fn has_cjk(&self) -> bool {
        !self.inner.han_families.is_empty()
    }

    /// The loaded font families, sorted (case-insensitively), for a start-up
    /// log line or a health check.
    pub fn families(&self) -> Vec<String> {
        self.inner.families.values().cloned().collect()
    }

    /// How many faces were loaded, embedded ones included.
    pub fn face_count(&self) -> usize {
        self.inner.slots.len()
    }

    pub(super) fn set(&self) -> &FontSet {
        &self.inner
    }
}

impl fmt::Debug for PdfFonts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PdfFonts")
            .field("faces", &self.face_count())
            .field("families", &self.inner.families.len())
            .field("has_cjk", &self.has_cjk())
            .finish()
    }
}

impl FontSet {
    /// The face with this index in the book, parsed on first use.
    pub(super) fn font(&self, index: usize) -> Option<Font> {
        self.slots.get(index)?.get()
    }

    /// The family list for `text(font: ..)`: a Latin sans first, then the
    /// CJK family for the document's script, then broad fallbacks. Only
    /// loaded families are named, so typst warns about none.
    pub(super) fn font_stack(
        &self,
        lang: &str,
        script: Option<&str>,
        region: Option<&str>,
    ) -> Vec<String> {
        let mut stack: Vec<String> = Vec::new();
        let push = |key: &str, stack: &mut Vec<String>| {
            if let Some(name) = self.families.get(&key.to_lowercase())
                && !stack.contains(name)
            {
                stack.push(name.clone());
            }
        };
        if let Some(latin) = LATIN_SANS
            .iter()
            .find(|name| self.families.contains_key(&name.to_lowercase()))
        {
            push(latin, &mut stack);
        }
        // Always name a CJK family when there is one: an English order can
        // still carry Chinese product names.
        if let Some(cjk) = self.cjk_family(lang, script, region) {
            push(&cjk, &mut stack);
        }
        for name in LAST_RESORT {
            push(name, &mut stack);
        }
        stack
    }

    /// The CJK family that fits the language: Simplified Chinese glyphs for
    /// zh-CN, Traditional for zh-TW/zh-HK/zh-Hant, Japanese and Korean forms
    /// for ja and ko. Han characters differ in shape between them, so the
    /// wrong variant looks foreign to the reader.
    fn cjk_family(&self, lang: &str, script: Option<&str>, region: Option<&str>) -> Option<String> {
        let variant = match (lang, script, region) {
            ("ja", _, _) => "JP",
            ("ko", _, _) => "KR",
            ("zh", _, Some("HK" | "MO")) => "HK",
            ("zh", Some("Hant"), _) | ("zh", _, Some("TW")) => "TC",
            _ => "SC",
        };
        let candidates = [
            format!("Noto Sans CJK {variant}"),
            format!("Source Han Sans {variant}"),
            format!("Noto Sans {variant}"),
            "WenQuanYi Micro Hei".to_owned(),
            "WenQuanYi Zen Hei".to_owned(),
            format!("Noto Serif CJK {variant}"),
        ];
        if let Some(found) = candidates
            .iter()
            .find(|name| self.families.contains_key(&name.to_lowercase()))
        {
            return Some(found.clone());
        }
        // Any family that covers Chinese, proportional before monospaced.
        let pick = self
            .han_families
            .iter()
            .find(|key| !key.contains("mono"))
            .or_else(|| self.han_families.first())?;
        self.families.get(pick).cloned()
    }
}

/// Faces in a font file: the collection size for `.ttc`/`.otc`, else 1.
fn ttf_collection_len(data: &[u8]) -> u32 {
    // A TrueType/OpenType collection starts with "ttcf", then the version
    // (4 bytes), then the face count as a big-endian u32.
    match data {
        [b't', b't', b'c', b'f', _, _, _, _, a, b, c, d, ..] => {
            u32::from_be_bytes([*a, *b, *c, *d])
        }
        _ => 1,
    }
}

/// Font files under `dir`, recursively; unreadable entries are skipped.
fn collect_font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // `metadata` follows symlinks: font directories often link files.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            collect_font_files(&path, depth + 1, out);
        } else if meta.is_file() && is_font_file(&path) {
            out.push(path);
        }
    }
}

fn is_font_file(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            ["ttf", "otf", "ttc", "otc"]
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collection_length_is_read_from_the_header() {
        let mut ttc = b"ttcf\x00\x02\x00\x00".to_vec();
        ttc.extend_from_slice(&10u32.to_be_bytes());
        assert_eq!(ttf_collection_len(&ttc), 10);
        assert_eq!(ttf_collection_len(b"\x00\x01\x00\x00rest"), 1);
        assert_eq!(ttf_collection_len(b""), 1);
    }

    #[test]
    fn font_files_are_recognised_by_extension() {
        assert!(is_font_file(Path::new("/a/NotoSansCJK-Regular.ttc")));
        assert!(is_font_file(Path::new("/a/DejaVuSans.TTF")));
        assert!(is_font_file(Path::new("/a/x.otc")));
        assert!(!is_font_file(Path::new("/a/fonts.dir")));
        assert!(!is_font_file(Path::new("/a/x.pfb")));
    }

    #[test]
    fn embedded_fonts_load_without_directories() {
        let fonts = PdfFonts::load(&[]);
        assert!(fonts.face_count() > 0);
        assert!(fonts.families().iter().any(|f| f == "Libertinus Serif"));
        assert!(!fonts.has_cjk());
        assert_eq!(
            fonts.set().font_stack("en", None, None),
            vec!["Libertinus Serif".to_owned()]
        );
    }
}
