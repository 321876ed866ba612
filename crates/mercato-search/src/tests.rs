#![allow(clippy::unwrap_used, clippy::expect_used)]
use super::*;
use proptest::prelude::*;

fn doc(id: &str, zh: &str, en: &str, brand: &str, cats: &[&str], skus: &[&str]) -> SearchDoc {
    SearchDoc {
        product_id: id.into(),
        slug: id.into(),
        status: "active".into(),
        markets: vec!["cn".into()],
        visibility: vec!["public".into()],
        names: [
            ("zh-CN".to_string(), zh.to_string()),
            ("en".to_string(), en.to_string()),
        ]
        .into(),
        brand: Some((brand.to_lowercase(), brand.into())),
        category_path: cats.iter().map(|c| c.to_string()).collect(),
        category_names: cats.iter().map(|c| c.replace('-', " ")).collect(),
        skus: skus.iter().map(|s| s.to_string()).collect(),
        created_at: id.len() as i64,
        ..Default::default()
    }
}

fn fixture() -> Vec<SearchDoc> {
    let mut v = vec![
        doc(
            "bolt-m8-a2",
            "外六角螺栓 M8 不锈钢",
            "Hex bolt M8 stainless steel",
            "Norsteel",
            &["fasteners", "bolts"],
            &["HB-M8X20-A2", "HB-M8X30-A2"],
        ),
        doc(
            "bolt-m8-zn",
            "外六角螺栓 M8 镀锌",
            "Hex bolt M8 zinc plated",
            "Hengli",
            &["fasteners", "bolts"],
            &["HB-M8X20-ZN"],
        ),
        doc(
            "bolt-m10-a2",
            "外六角螺栓 M10 不锈钢",
            "Hex bolt M10 stainless steel",
            "Norsteel",
            &["fasteners", "bolts"],
            &["HB-M10X30-A2"],
        ),
        doc(
            "screw-m6",
            "内六角圆柱头螺钉 M6",
            "Socket head cap screw M6",
            "Hengli",
            &["fasteners", "screws"],
            &["SC-M6X10"],
        ),
        doc(
            "nut-m8",
            "六角螺母 M8",
            "Hex nut M8",
            "Norsteel",
            &["fasteners", "nuts"],
            &["HN-M8-A2"],
        ),
        doc(
            "valve",
            "二位五通电磁阀",
            "Solenoid valve 5/2",
            "AirLine",
            &["pneumatics"],
            &["SV5-52S"],
        ),
        doc(
            "draft",
            "草稿螺栓",
            "Draft bolt",
            "Norsteel",
            &["fasteners", "bolts"],
            &["DR-1"],
        ),
    ];
    v[0].gtins = vec!["4006381333931".into(), String::new()];
    v[0].facet_values = vec![
        ("material".into(), "a2".into()),
        ("thread".into(), "m8".into()),
    ];
    v[0].numbers = vec![("length".into(), 20.0), ("length".into(), 30.0)];
    v[0].in_stock = true;
    v[0].list_price = Some(12_0000);
    v[1].facet_values = vec![
        ("material".into(), "zn".into()),
        ("thread".into(), "m8".into()),
    ];
    v[1].numbers = vec![("length".into(), 20.0)];
    v[1].list_price = Some(5_0000);
    v[2].facet_values = vec![
        ("material".into(), "a2".into()),
        ("thread".into(), "m10".into()),
    ];
    v[2].numbers = vec![("length".into(), 30.0)];
    v[4].facet_values = vec![
        ("material".into(), "a2".into()),
        ("thread".into(), "m8".into()),
    ];
    v[6].status = "draft".into();
    v
}

fn index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let (idx, state) = SearchIndex::open(&dir.path().join("i"), IndexOptions::default()).unwrap();
    assert_eq!(state, OpenState::Fresh);
    idx.upsert(&fixture()).unwrap();
    idx.commit(7).unwrap();
    (dir, idx)
}

fn req(text: &str) -> SearchRequest {
    SearchRequest {
        text: text.into(),
        market: "cn".into(),
        lang: "en".into(),
        visibility: vec!["public".into()],
        limit: 20,
        facets: true,
        ..Default::default()
    }
}

fn slugs(r: &SearchResults) -> Vec<&str> {
    r.hits.iter().map(|h| h.slug.as_str()).collect()
}

#[test]
fn part_numbers_fold_and_rank_first() {
    let (_d, idx) = index();
    for q in ["HB-M8X30-A2", "hb m8x30 a2", "HB-M8-30-A2", "hbm830a2"] {
        let r = idx.search(&req(q)).unwrap();
        assert_eq!(r.hits[0].slug, "bolt-m8-a2", "{q}");
        assert_eq!(r.hits[0].matched_sku.as_deref(), Some("HB-M8X30-A2"), "{q}");
    }
    let r = idx.search(&req("4006381333931")).unwrap();
    assert_eq!(
        (r.hits[0].slug.as_str(), r.hits[0].matched_sku.as_deref()),
        ("bolt-m8-a2", Some("HB-M8X20-A2"))
    );
    let r = idx.search(&req("HB-M8")).unwrap();
    let s = slugs(&r);
    assert!(
        s.contains(&"bolt-m8-a2") && s.contains(&"bolt-m8-zn") && !s.contains(&"bolt-m10-a2"),
        "{s:?}"
    );
}

#[test]
fn words_in_chinese_and_english_typos_and_synonyms() {
    let (_d, idx) = index();
    assert_eq!(slugs(&idx.search(&req("螺母")).unwrap()), ["nut-m8"]);
    let r = idx.search(&req("bolts")).unwrap();
    assert_eq!(r.total, 3, "stemmed; drafts hidden: {:?}", slugs(&r));
    let r = idx.search(&req("M8 不锈钢 螺栓")).unwrap();
    assert_eq!(slugs(&r)[0], "bolt-m8-a2");
    let r = idx.search(&req("solenoid vlave")).unwrap();
    assert_eq!(slugs(&r), ["valve"]);
    let r = idx.search(&req("stainles")).unwrap();
    assert!(slugs(&r).contains(&"bolt-m10-a2"), "{:?}", slugs(&r));
    // Without the synonym only the lenient fallback answers (any word).
    assert_ne!(
        slugs(&idx.search(&req("hex socket screw")).unwrap()),
        ["screw-m6"]
    );
    idx.set_synonyms(Synonyms {
        groups: vec![vec!["hex socket".into(), "内六角".into()]],
    });
    assert_eq!(
        slugs(&idx.search(&req("hex socket screw")).unwrap()),
        ["screw-m6"]
    );
}

#[test]
fn filters_and_disjunctive_facets() {
    let (_d, idx) = index();
    let mut q = req("");
    q.brands = vec!["norsteel".into()];
    let r = idx.search(&q).unwrap();
    assert_eq!(r.total, 3);
    // Other brands are still counted for the brand facet…
    let hengli = r
        .facets
        .brands
        .iter()
        .find(|b| b.value == "hengli")
        .unwrap();
    assert_eq!(hengli.count, 2);
    // …while the other facets reflect the selection.
    let m = &r.facets.attributes["material"];
    assert_eq!(m.iter().find(|v| v.value == "a2").unwrap().count, 3);
    assert!(!m.iter().any(|v| v.value == "zn"));
    q.attributes.insert("thread".into(), vec!["m8".into()]);
    q.ranges.insert(
        "length".into(),
        NumberRange {
            min: Some(25.0),
            max: None,
        },
    );
    let r = idx.search(&q).unwrap();
    assert_eq!(slugs(&r), ["bolt-m8-a2"]);
    assert_eq!(
        r.facets.ranges["length"],
        NumberRange {
            min: Some(20.0),
            max: Some(30.0)
        }
    );
    let mut q = req("");
    q.categories = vec!["nuts".into(), "pneumatics".into()];
    assert_eq!(idx.search(&q).unwrap().total, 2);
    let mut q = req("");
    q.in_stock = Some(true);
    assert_eq!(slugs(&idx.search(&q).unwrap()), ["bolt-m8-a2"]);
    let mut q = req("");
    q.price = Some((Some(1), Some(6_0000)));
    assert_eq!(slugs(&idx.search(&q).unwrap()), ["bolt-m8-zn"]);
    let mut q = req("");
    q.market = "eu".into();
    assert_eq!(idx.search(&q).unwrap().total, 0);
    let mut q = req("");
    q.visibility = vec!["catalog:x".into()];
    assert_eq!(idx.search(&q).unwrap().total, 0);
    let mut q = req("bolt");
    q.statuses = vec!["draft".into(), "active".into()];
    assert_eq!(idx.search(&q).unwrap().total, 4);
    let cats = idx.search(&req("")).unwrap().facets.categories;
    assert_eq!(
        cats[0],
        FacetCount {
            value: "fasteners".into(),
            count: 5
        }
    );
}

#[test]
fn sorting_paging_and_bad_input() {
    let (_d, idx) = index();
    let mut q = req("");
    q.sort = SortOrder::PriceAsc;
    assert_eq!(
        slugs(&idx.search(&q).unwrap())[..2],
        ["bolt-m8-zn", "bolt-m8-a2"]
    );
    q.sort = SortOrder::PriceDesc;
    assert_eq!(
        slugs(&idx.search(&q).unwrap())[..2],
        ["bolt-m8-a2", "bolt-m8-zn"]
    );
    q.sort = SortOrder::Name;
    assert_eq!(slugs(&idx.search(&q).unwrap())[0], "bolt-m10-a2");
    q.sort = SortOrder::Newest;
    assert_eq!(slugs(&idx.search(&q).unwrap())[0], "bolt-m10-a2");
    // Pages walk every result once.
    let mut q = req("");
    q.limit = 2;
    let mut seen = Vec::new();
    loop {
        let r = idx.search(&q).unwrap();
        seen.extend(r.hits.iter().map(|h| h.slug.clone()));
        match r.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (6, 6));
    let bad = |q: SearchRequest, code: &str| match idx.search(&q) {
        Err(SearchError::Invalid { code: c, .. }) => assert_eq!(c, code),
        other => panic!("{other:?}"),
    };
    let mut q = req("");
    q.cursor = Some("nonsense".into());
    bad(q, "invalid_cursor");
    let mut q = req("");
    q.limit = 0;
    bad(q, "out_of_range");
    let mut q = req("");
    q.ranges.insert(
        "length".into(),
        NumberRange {
            min: Some(9.0),
            max: Some(1.0),
        },
    );
    bad(q, "invalid_range");
    let mut q = req("");
    q.cursor = Some(encode_cursor(20_000));
    bad(q, "too_deep");
}

#[test]
fn cursor_survives_reopen_and_versions_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("i");
    {
        let (idx, _) = SearchIndex::open(&path, IndexOptions::default()).unwrap();
        assert_eq!(idx.cursor(), None);
        idx.upsert(&fixture()).unwrap();
        idx.commit(42).unwrap();
    }
    let (idx, state) = SearchIndex::open(&path, IndexOptions::default()).unwrap();
    assert_eq!((state, idx.cursor()), (OpenState::Existing, Some(42)));
    assert_eq!(
        slugs(&idx.search(&req("螺母")).unwrap()),
        ["nut-m8"],
        "rows reloaded"
    );
    idx.delete("nut-m8").unwrap();
    idx.commit(43).unwrap();
    assert_eq!(idx.search(&req("螺母")).unwrap().total, 0);
    idx.clear().unwrap();
    idx.commit(44).unwrap();
    assert_eq!(idx.num_docs(), 0);
    // Another schema version in the payload: wiped.
    {
        let mut w = idx.inner.writer.lock().unwrap();
        let mut p = w.prepare_commit().unwrap();
        p.set_payload(r#"{"cursor":44,"schema":0}"#);
        p.commit().unwrap();
    }
    drop(idx);
    let (idx, state) = SearchIndex::open(&path, IndexOptions::default()).unwrap();
    assert_eq!((state, idx.cursor()), (OpenState::Fresh, None));
}

#[test]
fn suggestions() {
    let (_d, idx) = index();
    let s = idx
        .suggest("HB-M8", "cn", "en", &["public".into()], 8)
        .unwrap();
    assert_eq!(s[0].kind, "part_number");
    assert!(s[0].value.starts_with("HB-M8"));
    let s = idx
        .suggest("solen", "cn", "en", &["public".into()], 8)
        .unwrap();
    assert!(
        s.iter()
            .any(|x| x.kind == "product" && x.label.starts_with("Solenoid")),
        "{s:?}"
    );
    assert!(
        s.iter()
            .any(|x| x.kind == "category" && x.value == "pneumatics"),
        "{s:?}"
    );
    assert!(
        idx.suggest("", "cn", "en", &["public".into()], 8)
            .unwrap()
            .is_empty()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_text_is_answered(text in "[ -~\\u{4e00}-\\u{4e2f}+&|!(){}\\[\\]^\"~*?:\\\\/-]{0,300}") {
        let (_d, idx) = index();
        prop_assert!(idx.search(&req(&text)).is_ok());
        prop_assert!(idx.suggest(&text, "cn", "zh-CN", &["public".into()], 5).is_ok());
    }
}
