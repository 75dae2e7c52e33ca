use super::*;

#[test]
fn reads_name_and_skills_and_refuses_pdf() {
    let doc = |media_type: &str| Document {
        filename: "cv.txt".into(),
        media_type: media_type.into(),
        bytes: b"\nCamille Exemple\n- Paie\n- Excel\n".to_vec(),
    };
    let cv = ExampleParser::parse(doc("text/plain; charset=utf-8")).unwrap();
    assert_eq!(cv.identity.full_name.as_deref(), Some("Camille Exemple"));
    assert_eq!(cv.profile.skills.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["Paie", "Excel"]);
    assert!(matches!(ExampleParser::parse(doc("application/pdf")), Err(ParseError::UnsupportedMediaType(_))));
}
